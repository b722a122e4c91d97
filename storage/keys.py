"""Object key layout, in one place so every backend and reader agrees on it.

originals/sha256/ab/cd/<sha256>            the bytes as received, content-addressed, write-once
documents/<document id>/archive-v<N>.pdf   the PDF/A archive copy with text layer
documents/<document id>/text-v<N>.json     page texts of that archive copy
documents/<document id>/transfer-note-v<N>.json  the transfer note (TR-03138) of a scan;
                                           v2 completes v1 after quality control
documents/<document id>/metadata-v<N>.json the document's metadata record, one per change
batches/<batch id>/hashtree-<stage>.json   a scan batch's hash tree (scanned, released),
batches/<batch id>/hashtree-<stage>.pdf    and the same tree sealed
documents/<document id>/preview.png        a small picture of the first page (inbox, lists)
documents/<document id>/view.pdf           a light copy for the viewer when the archive copy is
                                           heavy (a scan); derived, the archive copy is the record
models/doctype/<model id>.joblib           a trained document-type model (efile train)
"""

from __future__ import annotations

import re

_SHA = re.compile(r"^[0-9a-f]{64}$")


def original_key(sha256: str) -> str:
    if not _SHA.match(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return f"originals/sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def archive_key(document_id: str, version: int = 1) -> str:
    return f"documents/{document_id}/archive-v{version}.pdf"


def text_key(document_id: str, version: int = 1) -> str:
    return f"documents/{document_id}/text-v{version}.json"


def preview_key(document_id: str) -> str:
    return f"documents/{document_id}/preview.png"


def view_key(document_id: str) -> str:
    return f"documents/{document_id}/view.pdf"


def model_key(model_id: str) -> str:
    return f"models/doctype/{model_id}.joblib"


def transfer_note_key(document_id: str, version: int = 1) -> str:
    return f"documents/{document_id}/transfer-note-v{version}.json"


def metadata_record_key(document_id: str, version: int) -> str:
    return f"documents/{document_id}/metadata-v{version}.json"


METADATA_RECORD_VERSION = re.compile(r"/metadata-v(\d+)\.json$")


def hashtree_key(batch_id: str, stage: str, ext: str = "json") -> str:
    return f"batches/{batch_id}/hashtree-{stage}.{ext}"
