"""File the processed document: archive copy and page text into object storage, then the
document, its pages, search entries and inbox item in one database transaction."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from classifiers.doctype import Classification
from efile.context import Context
from efile.models import new_id
from efile.services.documents import DocumentDraft, PageRecord, file_document, find_by_original
from efile.services.metadata_record import write_record
from pipelines.tools.pages import page_images
from storage.keys import archive_key, preview_key, text_key, view_key

from .archive import Archive
from .normalise import Normalised
from .ocr import PageResult
from .route import Route
from .store import Received
from .transfer import store_note
from .view import view_copy


class Duplicate(Exception):
    """The same original is already a document (found by content hash)."""

    def __init__(self, document_id: str, pages: int) -> None:
        super().__init__(document_id)
        self.document_id, self.pages = document_id, pages


def check_duplicate(ctx: Context, received: Received) -> None:
    with ctx.db.session() as s:
        doc = find_by_original(s, received.sha256)
        if doc is not None:
            raise Duplicate(doc.id, doc.page_count)


def title_for(received: Received) -> str:
    return Path(received.name).stem.replace("_", " ").strip() or received.sha256[:12]


def _fields(norm: Normalised, pages: list[PageResult], archive: Archive, kind: Classification,
            route: Route) -> dict:
    fields: dict = {"routing": {"by": route.by, "confidence": route.confidence,
                                "reasons": route.reasons, "suggestions": route.suggestions,
                                **({"type_check": route.type_check} if route.type_check else {})},
                    "classification": kind.to_dict()}
    if route.identifiers:
        fields["identifiers"] = route.identifiers
    if norm.notes + archive.notes:
        fields["processing_notes"] = norm.notes + archive.notes
    zones = [{**p.mrz, "page": p.index + 1} for p in pages if p.mrz]
    if zones:  # a valid zone first: that is the one identity extraction relies on
        fields["mrz"] = sorted(zones, key=lambda z: not z["valid"])[0]
    return fields


PREVIEW_DPI = 48  # an A4 page about 400 pixels wide


def preview_png(pdf: bytes) -> bytes | None:
    """A small picture of the first page, for the inbox and result lists."""
    try:
        image = next(page_images(pdf, PREVIEW_DPI, limit=1))
        buf = io.BytesIO()
        image.convert("L").save(buf, format="PNG", optimize=True)
        return buf.getvalue()
    except Exception:  # noqa: BLE001 - a missing preview never stops filing
        return None


def _view_copy(pdf: bytes) -> bytes | None:
    try:
        return view_copy(pdf)
    except Exception:  # noqa: BLE001 - the viewer falls back to the archive copy
        return None


def record_document(ctx: Context, received: Received, norm: Normalised, pages: list[PageResult],
                    archive: Archive, kind: Classification, route: Route, *, source: str,
                    doc_id: str | None = None, transfer_note: dict | None = None,
                    flags: list[str] | None = None) -> str:
    doc_id = doc_id or new_id()
    a_key, t_key = archive_key(doc_id), text_key(doc_id)
    ctx.store.put(a_key, archive.pdf, write_once=True, content_type="application/pdf")
    fields = _fields(norm, pages, archive, kind, route)
    if flags:  # for the caseworker: what the sender said does not match the document
        fields["flags"] = flags
    if transfer_note is not None:
        fields["transfer_note"] = {**store_note(ctx.store, doc_id, 1, transfer_note,
                                                archive.sha256), "sealed": archive.sealed}
    preview = preview_png(archive.pdf)
    if preview:
        ctx.store.put(preview_key(doc_id), preview, write_once=True, content_type="image/png")
    view = _view_copy(archive.pdf)
    if view:
        ctx.store.put(view_key(doc_id), view, write_once=True, content_type="application/pdf")
        fields["view"] = {"key": view_key(doc_id), "sha256": hashlib.sha256(view).hexdigest(),
                          "size": len(view), "archive_size": len(archive.pdf)}
    texts = [{"page": r.index + 1, "source": r.source, "confidence": r.confidence, "text": r.text}
             for r in pages]
    ctx.store.put(t_key, json.dumps(texts, ensure_ascii=False).encode(), write_once=True,
                  content_type="application/json")
    draft = DocumentDraft(
        id=doc_id, title=title_for(received), source=source, source_name=received.name,
        media_type=norm.media_type, original_sha256=received.sha256, original_key=received.key,
        original_size=received.size, archive_sha256=archive.sha256, archive_key=a_key,
        archive_format=archive.format, text_key=t_key,
        doc_type=kind.type_id, type_confidence=kind.confidence, restricted=kind.restricted,
        has_preview=preview is not None,
        pages=[PageRecord(r.index + 1, r.text, r.source, r.confidence, r.rotate) for r in pages],
        efile=route.efile,
        inbox_reasons=[] if route.efile else route.reasons,
        inbox_suggestions=[] if route.efile else route.suggestions,
        fields=fields,
    )
    try:
        with ctx.db.session() as s:
            doc = file_document(s, draft)
            write_record(ctx.store, doc, reason="filed", actor="efile")
    except IntegrityError:
        # another worker filed the same original between our duplicate check and now
        with ctx.db.session() as s:
            existing = find_by_original(s, received.sha256)
        if existing is None:
            raise
        raise Duplicate(existing.id, existing.page_count) from None
    return doc_id
