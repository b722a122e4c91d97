"""The scan batch register: what each batch held and what became of every document.

A batch's id is a hex string for URLs and the CLI; people read its name, "Stapel 3 vom
04.12.2026, scan.1": the operator's third batch of that (Berlin) day.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, object_session

from ..errors import NotFound
from ..models import BatchDocument, ScanBatch, as_utc, utcnow
from .lookup import by_id

BERLIN = ZoneInfo("Europe/Berlin")


def get_batch(session: Session, batch_id: str | None) -> ScanBatch:
    """By id or unambiguous prefix (6+ characters); the newest batch when no id is given."""
    if batch_id is not None:
        return by_id(session, ScanBatch, batch_id, "scan batch")
    batch = session.scalar(select(ScanBatch).order_by(ScanBatch.created_at.desc()).limit(1))
    if batch is None:
        raise NotFound("no scan batch yet")
    return batch


def scanned_before(session: Session, sha256: str, *, outside: str) -> BatchDocument | None:
    """A document record of another batch (not `outside`) made from the same scan file."""
    return session.scalar(select(BatchDocument).where(BatchDocument.source_sha256 == sha256,
                                                      BatchDocument.batch_id != outside))


def list_batches(session: Session, limit: int = 100, *,
                 allowed: ColumnElement[bool] | None = None) -> list[ScanBatch]:
    """Newest first; `allowed`: the access policy's condition over ScanBatch."""
    q = select(ScanBatch).order_by(ScanBatch.created_at.desc()).limit(limit)
    return list(session.scalars(q if allowed is None else q.where(allowed)))


def batch_name(session: Session, b: ScanBatch) -> str:
    """"Stapel 3 vom 04.12.2026, scan.1": counted per operator and Berlin day, so the number
    is what the scanning clerk knows ("my third stack today") and tells nothing of others."""
    local = as_utc(b.created_at).astimezone(BERLIN)
    day_start = datetime.combine(local.date(), time(0), tzinfo=BERLIN).astimezone(UTC)
    n = session.scalar(select(func.count()).select_from(ScanBatch).where(
        ScanBatch.operator == b.operator, ScanBatch.created_at >= day_start,
        ScanBatch.created_at < day_start + timedelta(days=1),
        ScanBatch.created_at <= b.created_at)) or 1
    return f"Stapel {n} vom {local:%d.%m.%Y}, {b.operator}"


def batch_dict(b: ScanBatch, *, documents: bool = True) -> dict:
    session = object_session(b)
    out = {"batch_id": b.id, "name": batch_name(session, b) if session else None,
           "operator": b.operator, "profile": b.profile, "status": b.status,
           "expected_pages": b.expected_pages, "pages_found": b.pages_found,
           "counts": b.counts, "notes": b.notes, "created_at": b.created_at.isoformat(),
           "finished_at": b.finished_at.isoformat() if b.finished_at else None,
           "released_at": b.released_at.isoformat() if b.released_at else None,
           "released_by": b.released_by}
    if documents:
        out["documents"] = [
            {"seq": d.seq, "source_name": d.source_name, "pages": d.pages, "cover": d.cover,
             "cover_page": d.cover_page, "blanks": d.blanks, "problems": d.problems,
             "status": d.status, "document_id": d.document_id, "efile": d.efile,
             "error": d.error, "qc": qc_dict(d)} for d in b.documents]
    return out


def qc_dict(d) -> dict:  # noqa: ANN001 - a BatchDocument
    return {"state": d.qc_state, "reason": d.qc_reason, "by": d.qc_by,
            "at": d.qc_at.isoformat() if d.qc_at else None, "note": d.qc_note}


def mark_broken(session: Session, batch_id: str, why: str) -> None:
    """A batch whose processing stopped before it was recorded (the server's job failed):
    it needs attention instead of staying 'processing' for ever."""
    batch = session.get(ScanBatch, batch_id)
    if batch is not None and batch.status == "processing":
        batch.status, batch.finished_at = "attention", utcnow()
        batch.notes = [*batch.notes, f"Verarbeitung abgebrochen: {why}"]


# -- in German, for the page -------------------------------------------------------------------
# Problems other steps write (split, content boundaries, routing) and what older batches
# recorded before their notes were written in German; shown to people in German. A text that
# matches none of these is shown as it is.
_GERMAN = [(re.compile(p), r) for p, r in (
    (r"page count mismatch: (\d+) pages scanned, (\d+) expected",
     r"Seitenzahl weicht ab: \1 Seiten gescannt, \2 erwartet"),
    (r"random sample \((\d+)%\)", r"Stichprobe (\1 %)"),
    (r"^flagged: ", "auffällig: "),
    (r"low OCR confidence (\d+)", r"niedrige OCR-Sicherheit (\1)"),
    (r"chosen by a person", "von einer Person ausgewählt"),
    (r"cover sheet on page (\d+) has no pages after it",
     r"Deckblatt auf Seite \1 ohne Seiten danach"),
    (r"pages ([\d, ]+) nearly blank: check them", r"Seiten \1 fast leer: bitte prüfen"),
    (r"the cover sheet names (\S+), which is no known e-file",
     r"das Deckblatt nennt \1, das ist keine bekannte Akte"),
    (r"the cover sheet names the unknown type ('[^']*')",
     r"das Deckblatt nennt die unbekannte Dokumentart \1"),
    (r"this scan file was already processed in batch (\w+)",
     r"diese Scandatei wurde bereits in Stapel \1 verarbeitet"),
    (r"split between pages (\d+) and (\d+) unsure", r"Trennung zwischen Seite \1 und \2 unsicher"),
    (r"; a person decides", "; eine Person entscheidet"),
    (r"; a person confirms", "; eine Person bestätigt"),
    (r"; a person splits them", "; eine Person trennt sie"),
)]


def german(text: str | None) -> str:
    """A batch note, problem or QC reason as a German office reads it."""
    out = text or ""
    for pattern, replacement in _GERMAN:
        out = pattern.sub(replacement, out)
    return out
