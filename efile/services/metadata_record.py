"""The metadata record (Metadatensatz) of a document, kept outside the database so that a change
made behind the product's back shows.

Whenever the product files a document or a person changes where it belongs or what it is
(assign, reclassify, quality-control release), the facts that decide who reads it and what it
is — e-file, type, restricted, status, the hashes of original, archive copy and transfer note —
are written as a numbered, write-once JSON object beside the archive copy, each naming the hash
of the one before. The database row points at the newest (`fields.record`). `efile verify`
compares the row with the newest record in the store: an `UPDATE documents SET ...` that
bypassed the product (a misfile by hand, a type changed to lift a restriction) fails there,
naming the field. Someone who can write both the database and the object store could forge
both; on S3 with object lock the store refuses that.
"""

from __future__ import annotations

import json

from storage import ObjectNotFound, ObjectStore, canonical_json
from storage.keys import METADATA_RECORD_VERSION, metadata_record_key

from ..models import Document

FORMAT = "efile-metadata-record/1"
def facts(doc: Document) -> dict:
    """What the record protects: placement, type and access class, and the content hashes."""
    note = doc.fields.get("transfer_note") or {}
    final = doc.fields.get("transfer_note_final") or {}
    return {
        "document_id": doc.id,
        "efile": doc.efile.aktenzeichen if doc.efile else None,
        "status": doc.status,
        "doc_type": doc.doc_type,
        "restricted": bool(doc.restricted),
        "title": doc.title,
        "source": doc.source,
        "page_count": doc.page_count,
        "original_sha256": doc.original_sha256,
        "original_key": doc.original_key,
        "archive_sha256": doc.archive_sha256,
        "archive_key": doc.archive_key,
        "text_key": doc.text_key,
        "transfer_note_sha256": note.get("sha256"),
        "transfer_note_final_sha256": final.get("sha256"),
    }


def write_record(store: ObjectStore, doc: Document, *, reason: str, actor: str) -> dict:
    """Write the next record for `doc` and point the row at it (the caller commits)."""
    current = doc.fields.get("record") or {}
    version = int(current.get("version", 0)) + 1
    body = {"format": FORMAT, "version": version, "previous_sha256": current.get("sha256"),
            "reason": reason, "actor": actor, "facts": facts(doc)}
    data = canonical_json(body)
    info = store.put(metadata_record_key(doc.id, version), data, write_once=True,
                     content_type="application/json")
    pointer = {"version": version, "sha256": info.sha256}
    doc.fields = {**doc.fields, "record": pointer}
    return pointer


def newest_version(store: ObjectStore, document_id: str) -> int:
    versions = [int(m.group(1)) for k in store.list(f"documents/{document_id}/metadata-v")
                if (m := METADATA_RECORD_VERSION.search(k))]
    return max(versions, default=0)


def check_record(store: ObjectStore, doc: Document) -> tuple[bool | None, str]:
    """(ok, detail): None when the document predates metadata records."""
    pointer = doc.fields.get("record")
    newest = newest_version(store, doc.id)
    if not pointer:
        if newest:
            return False, (f"metadata: the database row lost its record pointer while the "
                           f"store holds record v{newest}")
        return None, "metadata: no metadata record (filed before records were kept)"
    if newest > int(pointer["version"]):
        return False, (f"metadata: the store holds record v{newest} but the database points "
                       f"at v{pointer['version']}: the row was rolled back or a change did "
                       "not complete")
    try:
        raw = store.get(metadata_record_key(doc.id, int(pointer["version"])),
                        expected_sha256=pointer["sha256"])
    except ObjectNotFound:
        return False, f"metadata: record v{pointer['version']} is missing from the store"
    except Exception as e:  # noqa: BLE001 - an integrity failure is reported, not raised
        return False, f"metadata: record v{pointer['version']}: {e}"
    recorded = json.loads(raw)["facts"]
    now = facts(doc)
    changed = [f"{k} is {now.get(k)!r} in the database but {recorded.get(k)!r} in the record"
               for k in sorted(set(now) | set(recorded)) if now.get(k) != recorded.get(k)]
    if changed:
        return False, ("metadata changed outside efile: " + "; ".join(changed))
    return True, f"metadata: matches record v{pointer['version']}"
