"""Counts for operators: documents by status, the open inbox, batches by state. No names, no
content."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Document, InboxItem, ScanBatch


def operator_figures(session: Session) -> dict:
    by_status = dict(session.execute(select(Document.status, func.count())
                                     .group_by(Document.status)).all())
    open_inbox = session.scalar(select(func.count()).select_from(InboxItem)
                                .where(InboxItem.state == "open"))
    batch_states = dict(session.execute(select(ScanBatch.status, func.count())
                                        .group_by(ScanBatch.status)).all())
    return {"documents": by_status, "inbox_open": open_inbox, "batches": batch_states}
