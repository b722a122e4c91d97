"""Applicant uploads from the city's portal, and the events that tell a team new documents
arrived. Kept beside the core model so the upload intake can change without touching it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, new_id, utcnow


class Upload(Base):
    """One submission of the portal: one or more files for one reference. The portal's
    idempotency key makes a repeated submission the same upload, never a second one."""

    __tablename__ = "uploads"
    __table_args__ = (UniqueConstraint("submitted_by", "idempotency_key"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    submitted_by: Mapped[str] = mapped_column(String(100))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    request_sha256: Mapped[str] = mapped_column(String(64))  # what was sent under that key
    reference: Mapped[str] = mapped_column(String(64), index=True)
    declared_type: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="processing")  # processing | done
    files: Mapped[list] = mapped_column(default=list)  # per file: name, status, document ...
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # Who is processing it, and until when that claim holds (renewed after every file). A
    # worker killed mid-upload leaves a lease that runs out (or names a process that is
    # gone), so the same request sent again takes the upload over and finishes it.
    worker: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None]


class Event(Base):
    """Something a team should learn (new documents for a procedure); delivered to the
    configured webhook, kept here either way."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    team: Mapped[str | None] = mapped_column(String(64), index=True)
    efile: Mapped[str | None] = mapped_column(String(64), index=True)
    payload: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    delivery_error: Mapped[str | None] = mapped_column(Text)
