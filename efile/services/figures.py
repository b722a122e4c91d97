"""Counts for operators: documents by status, the open inbox and its oldest item's age,
failed files by reason code, refused uploads by code, batches needing attention, throughput.
No names, no content: an operator (Betrieb) reads figures, never client data, so nothing
here carries a file name, an Aktenzeichen or a word of a document.

`operator_figures` is the shape of GET /api/figures (its first three keys are the original
contract; the rest were added for the figures page, /kennzahlen)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import (
    BatchDocument,
    Document,
    InboxItem,
    IngestItem,
    ScanBatch,
    as_utc,
    utcnow,
)
from ..uploads_models import Upload

BERLIN = ZoneInfo("Europe/Berlin")

# An ingest item records its failure's code (since migration 0013); for items recorded
# before, the code is read back from the reason's wording, which pipelines/steps write in
# fixed forms. First match wins; anything else counts as "other".
_CODES = [(re.compile(p), code) for p, code in (
    (r"^empty file", "empty"),
    (r"^named \.\w+ but is not|^unsupported file type|^polyglot", "unsupported"),
    (r"password|encrypted", "encrypted"),
    (r"truncated", "truncated"),
    (r"too large|more than the limit|more than the|px image|inflates beyond", "too_large"),
    (r"^corrupt|cannot be read|damaged|impossible size|no pages", "corrupt"),
    (r"^cannot read file", "unreadable"),
    (r"timed out|timeout|crashed|memory", "parse_failed"),
    (r"Unavailable|OperationalError|TransientError|connection", "transient"),
)]


def failure_code(error: str | None) -> str:
    """The reason code of a failed ingest item, from its recorded reason."""
    for pattern, code in _CODES:
        if error and pattern.search(error):
            return code
    return "other"


def _failed_files(session: Session, since: datetime) -> dict[str, int]:
    rows = session.execute(select(IngestItem.code, IngestItem.error).where(
        IngestItem.status == "failed", IngestItem.created_at >= since))
    return dict(Counter(code or failure_code(error) for code, error in rows).most_common())


def _refused_uploads(session: Session, since: datetime) -> dict[str, int]:
    """Files of portal uploads refused in the window, by their refusal code (a file kept
    apart for malware counts as "malware", as the applicant's receipt says)."""
    counts: Counter[str] = Counter()
    for files in session.scalars(select(Upload.files).where(Upload.created_at >= since)):
        for f in files or []:
            if f.get("status") == "refused":
                counts[f.get("code") or "other"] += 1
            elif f.get("status") == "quarantined":
                counts["malware"] += 1
    return dict(counts.most_common())


def _batches_needing_attention(session: Session) -> dict[str, int]:
    """Batches a person still has to act on: a quality check open, a page count that does
    not match what was expected, or finished but not released (the paper is kept until)."""
    def count(*where) -> int:  # noqa: ANN002
        return session.scalar(select(func.count()).select_from(ScanBatch).where(*where)) or 0

    qc_open = select(BatchDocument.batch_id).where(BatchDocument.qc_state == "pending")
    return {
        "attention": count(ScanBatch.status == "attention"),
        "qc_open": count(ScanBatch.id.in_(qc_open)),
        "page_count_mismatch": count(ScanBatch.expected_pages.is_not(None),
                                     ScanBatch.expected_pages != ScanBatch.pages_found),
        "not_released": count(ScanBatch.status != "processing",
                              ScanBatch.released_at.is_(None)),
    }


def _throughput(session: Session, now: datetime) -> list[dict]:
    """Documents made per hour over the last 24 hours (Berlin time), oldest hour first,
    with how many of them were filed straight into an e-file."""
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=23)
    rows = session.execute(select(Document.created_at, Document.status)
                           .where(Document.created_at >= start))
    made: Counter[int] = Counter()
    filed: Counter[int] = Counter()
    for at, status in rows:
        hour = int((as_utc(at) - start).total_seconds() // 3600)
        made[hour] += 1
        filed[hour] += status == "filed"
    return [{"hour": (start + timedelta(hours=h)).astimezone(BERLIN).strftime("%H:00"),
             "documents": made[h], "filed": filed[h]} for h in range(24)]


def operator_figures(session: Session, now: datetime | None = None) -> dict:
    now = now or utcnow()
    by_status = dict(session.execute(select(Document.status, func.count())
                                     .group_by(Document.status)).all())
    open_inbox = session.scalar(select(func.count()).select_from(InboxItem)
                                .where(InboxItem.state == "open"))
    batch_states = dict(session.execute(select(ScanBatch.status, func.count())
                                        .group_by(ScanBatch.status)).all())
    oldest = session.scalar(select(func.min(InboxItem.created_at))
                            .where(InboxItem.state == "open"))
    return {
        "documents": by_status, "inbox_open": open_inbox, "batches": batch_states,
        # added for the figures page (additive keys of /api/figures)
        "inbox_oldest_hours": round((now - as_utc(oldest)).total_seconds() / 3600, 1)
        if oldest else None,
        "failed_files": {"last_24h": _failed_files(session, now - timedelta(hours=24)),
                         "last_7d": _failed_files(session, now - timedelta(days=7))},
        "uploads_refused_7d": _refused_uploads(session, now - timedelta(days=7)),
        "batches_attention": _batches_needing_attention(session),
        "throughput_24h": _throughput(session, now),
        "as_of": now.isoformat(timespec="seconds"),
    }
