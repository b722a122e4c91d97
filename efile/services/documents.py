"""Documents: filing a processed document into an e-file or the inbox, and reading them back."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath, PureWindowsPath
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from classifiers.doctype import SURE
from storage import ObjectStore

from .. import search
from ..errors import InvalidQuery, NotFound
from ..models import Document, DocumentPage, EFile, InboxCandidate, InboxItem, as_utc
from .efiles import efile_by_aktenzeichen
from .lookup import by_id


@dataclass
class PageRecord:
    page_no: int
    text: str
    text_source: str
    confidence: float | None = None
    rotation: int = 0


@dataclass
class DocumentDraft:
    """Everything the pipeline learned about one document, as plain data."""

    id: str
    title: str
    source: str
    source_name: str
    media_type: str
    original_sha256: str
    original_key: str
    original_size: int
    archive_sha256: str
    archive_key: str
    archive_format: str
    text_key: str | None
    pages: list[PageRecord]
    doc_type: str = "unclassified"  # taxonomy id
    type_confidence: float | None = None
    restricted: bool = False
    has_preview: bool = False
    efile: str | None = None  # Aktenzeichen when the route is certain
    inbox_reasons: list[str] = field(default_factory=list)
    inbox_suggestions: list[dict] = field(default_factory=list)
    fields: dict = field(default_factory=dict)


def find_by_original(session: Session, sha256: str) -> Document | None:
    return session.scalar(select(Document).where(Document.original_sha256 == sha256))


def file_document(session: Session, draft: DocumentDraft) -> Document:
    """Create the document, its pages, its search entries and, when it has no certain e-file,
    its inbox item, all in the caller's transaction: either all of it exists or none."""
    efile = None
    if draft.efile:
        efile = efile_by_aktenzeichen(session, draft.efile)
        if efile is None:
            raise NotFound(f"no e-file with Aktenzeichen {draft.efile}")
    confs = [p.confidence for p in draft.pages if p.confidence is not None]
    doc = Document(
        id=draft.id, efile=efile, status="filed" if efile else "inbox", title=draft.title,
        source=draft.source, source_name=draft.source_name, media_type=draft.media_type,
        page_count=len(draft.pages), ocr_confidence=round(sum(confs) / len(confs), 1) if confs else None,
        original_sha256=draft.original_sha256, original_key=draft.original_key,
        original_size=draft.original_size, archive_sha256=draft.archive_sha256,
        archive_key=draft.archive_key, archive_format=draft.archive_format,
        text_key=draft.text_key, doc_type=draft.doc_type,
        type_confidence=draft.type_confidence, restricted=draft.restricted,
        fields={**draft.fields, "preview": draft.has_preview},
        pages=[DocumentPage(page_no=p.page_no, text=p.text, text_source=p.text_source,
                            ocr_confidence=p.confidence, rotation=p.rotation) for p in draft.pages],
    )
    session.add(doc)
    session.flush()  # a second copy of the same original fails here (unique constraint)
    if efile is None:
        suggested = {s.get("aktenzeichen") for s in draft.inbox_suggestions or []}
        candidates = session.scalars(select(EFile.id).where(
            EFile.aktenzeichen.in_(suggested))).all() if suggested else []
        session.add(InboxItem(document_id=doc.id,
                              reasons=draft.inbox_reasons or ["no e-file reference"],
                              suggestions=draft.inbox_suggestions,
                              candidates=[InboxCandidate(efile_id=i) for i in candidates]))
    search.index_document(session, doc)
    return doc


def readable_document_ids(session: Session, ids: list[str],
                          allowed: ColumnElement[bool]) -> set[str]:
    """Those of these document ids that pass `allowed` (the access policy's condition)."""
    return set(session.scalars(select(Document.id).where(Document.id.in_(ids), allowed)))


def get_document(session: Session, ref: str) -> Document:
    """By full id or an unambiguous prefix of at least 6 characters (like git)."""
    return by_id(session, Document, ref, "document")


def type_to_check(doc: Document) -> bool:
    """Filed with a type the classifier was unsure of and no person has confirmed yet (a person's
    type is 1.0): the e-file's readers are asked to confirm or change it."""
    return doc.efile_id is not None and doc.type_confidence is not None and \
        doc.type_confidence < SURE


def document_dict(doc: Document) -> dict:
    return {
        "document_id": doc.id,
        "title": doc.title,
        "efile": doc.efile.aktenzeichen if doc.efile else None,
        "type": doc.doc_type,
        "type_name": type_name(doc.doc_type),
        "type_confidence": doc.type_confidence,
        "type_to_check": type_to_check(doc),
        "restricted": doc.restricted,
        "status": doc.status,
        "source": doc.source,
        "source_name": doc.source_name,
        "media_type": doc.media_type,
        "pages": doc.page_count,
        "ocr_confidence": doc.ocr_confidence,
        "original": {"sha256": doc.original_sha256, "key": doc.original_key,
                     "size": doc.original_size},
        "archive": {"sha256": doc.archive_sha256, "key": doc.archive_key,
                    "format": doc.archive_format},
        "text_key": doc.text_key,
        "version": doc.version,
        "fields": doc.fields,
        "decisions": [{"kind": d.kind, "actor": d.actor, "at": d.at.isoformat(),
                       "machine": d.machine, "chosen": d.chosen} for d in doc.decisions],
        "created_at": doc.created_at.isoformat(),
        "updated_at": doc.updated_at.isoformat(),
    }


class UnknownType(InvalidQuery):
    pass


def check_type(type_id: str) -> str:
    from classifiers.taxonomy import load

    if type_id not in load():
        raise UnknownType(f"unknown document type {type_id!r}; `efile types` lists them")
    return type_id


def type_name(type_id: str) -> str:
    from classifiers.taxonomy import load

    tax = load()
    return tax.get(type_id).name if type_id in tax else type_id


def type_choices() -> list[tuple[str, str]]:
    """(id, German name) of every document type, in the order a person looks a name up in
    (folded: Ärztliches Attest among the A's), for the forms that offer a type."""
    from classifiers.taxonomy import load

    from ..search.fold import fold

    return sorted(((t, type_name(t)) for t in load().ids), key=lambda t: fold(t[1]))


def read_view(store: ObjectStore, doc: Document) -> tuple[bytes, bool]:
    """What the viewer shows: the light view copy of a heavy scan (verified against its hash)
    when there is one, else the archive copy; and whether it is the view copy."""
    view = (doc.fields or {}).get("view")
    if view:
        return store.get(view["key"], expected_sha256=view["sha256"]), True
    return read_file(store, doc), False


def read_file(store: ObjectStore, doc: Document, *, original: bool = False) -> bytes:
    """The archive copy (default) or the original, verified against the hash in the record."""
    if original:
        return store.get(doc.original_key, expected_sha256=doc.original_sha256)
    return store.get(doc.archive_key, expected_sha256=doc.archive_sha256)


# -- how a person names a document -------------------------------------------------------------

_BERLIN = ZoneInfo("Europe/Berlin")


def document_day(doc: Document) -> date:
    """The letter's date as printed, else the day it was received (Europe/Berlin): the date
    search sorts by (`document_date`, set when indexed)."""
    if doc.document_date is not None:
        return doc.document_date
    return as_utc(doc.created_at).astimezone(_BERLIN).date()


def readable_title(doc: Document) -> str:
    """What a person calls the document: its type and date ("Entgeltabrechnung vom
    28.02.2025"), not the scanner's file name (`stapel-0815-002`), which stays secondary.
    Without a printed date, the day it came in ("…, eingegangen am 04.12.2026")."""
    day = document_day(doc)
    printed = ((doc.fields or {}).get("identifiers") or {}).get("letter_date")
    if printed == day.isoformat():
        return f"{type_name(doc.doc_type)} vom {day:%d.%m.%Y}"
    return f"{type_name(doc.doc_type)}, eingegangen am {day:%d.%m.%Y}"


_UNSAFE = re.compile(r"[^\w.\-]+")


def _name_part(text: str) -> str:
    return _UNSAFE.sub("_", text).strip("._") or "Dokument"


def _extension(source_name: str, media_type: str) -> str:
    """The original's own extension (a TIFF stays .tif), else one for its media type."""
    name = PureWindowsPath(PurePosixPath(source_name or "").name).name  # a Windows path too
    ext = PurePosixPath(name).suffix.lower()
    if re.fullmatch(r"\.[a-z0-9]{1,8}", ext):
        return ext
    return {"application/pdf": ".pdf", "image/tiff": ".tif", "image/jpeg": ".jpg",
            "image/png": ".png"}.get(media_type, ".bin")


def download_name(doc: Document, *, original: bool = False) -> str:
    """A file name a person can file away: type, date and Aktenzeichen,
    `Entgeltabrechnung_2025-02-28_ABH-2024-000101.pdf`; the original keeps its extension
    and says it is the original."""
    parts = [type_name(doc.doc_type), document_day(doc).isoformat()]
    if doc.efile is not None:
        parts.append(doc.efile.aktenzeichen)
    if original:
        parts.append("Original")
    stem = "_".join(_name_part(p) for p in parts)
    return stem + (_extension(doc.source_name, doc.media_type) if original else ".pdf")


def ascii_name(name: str) -> str:
    """The same name in ASCII, for clients that ignore RFC 6266's filename* (Ä → Ae)."""
    for a, b in (("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"), ("ä", "ae"), ("ö", "oe"), ("ü", "ue"),
                 ("ß", "ss")):
        name = name.replace(a, b)
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r'[^A-Za-z0-9._\-]+', "_", name) or "Dokument"
