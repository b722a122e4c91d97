"""The portal's uploads: finding a submission again by the key its sender gave it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..uploads_models import Upload


def upload_by_key(session: Session, submitted_by: str, idempotency_key: str) -> Upload | None:
    """The sender's earlier upload under this idempotency key, or None."""
    return session.scalar(select(Upload).where(Upload.submitted_by == submitted_by,
                                               Upload.idempotency_key == idempotency_key))


def claim(session: Session, upload_id: str, seen_worker: str | None, *, worker: str,
          lease_until: datetime) -> bool:
    """Take an upload still processing over from `seen_worker` (compare-and-set: of two
    takers exactly one wins); True if this one did."""
    res = session.execute(update(Upload).where(
        Upload.id == upload_id, Upload.status == "processing",
        Upload.worker.is_(None) if seen_worker is None else Upload.worker == seen_worker,
    ).values(worker=worker, lease_until=lease_until))
    return res.rowcount == 1


def save_progress(session: Session, upload_id: str, files: list[dict], *,
                  lease_until: datetime) -> None:
    """The files done so far, and the lease renewed."""
    session.execute(update(Upload).where(Upload.id == upload_id).values(
        files=list(files), lease_until=lease_until))
