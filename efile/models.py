"""The e-file data model (xdomea-aligned), SQLAlchemy 2.

German terms used once and explained: Akte = e-file (one per client), Aktenzeichen = file
number, Vorgang = procedure (an application inside an e-file), Klärfall = inbox item (a
document a person must decide on).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(t: datetime) -> datetime:
    """A stored time as an aware UTC time: SQLite hands `DateTime(timezone=True)` back naive
    (it stores no zone), PostgreSQL aware."""
    return t if t.tzinfo else t.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True), dict: JSON, list: JSON}


class Person(Base):
    """A client of the immigration office."""

    __tablename__ = "persons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    surname: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200), default="")
    # "surname given names", folded like search text (Öztürk → oeztuerk): what name lookups
    # compare, with a trigram index on PostgreSQL
    name_folded: Mapped[str] = mapped_column(String(400), default="")
    # every name word's transliteration key, " ozturk | aise nur " (efile.search.names): what
    # the person search compares, so Иванова, Iwanowa and Ivanova meet; kept by _keep_name_key
    name_key: Mapped[str] = mapped_column(String(400), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)  # indexed: migration 0007
    nationality: Mapped[str | None] = mapped_column(String(3))  # ISO 3166-1 alpha-3
    azr_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    passport_numbers: Mapped[list] = mapped_column(default=list)  # history, newest last
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    efiles: Mapped[list[EFile]] = relationship(back_populates="person")

    @validates("surname", "given_names")
    def _keep_name_key(self, attribute: str, value: str) -> str:
        """Whoever writes a name (register import, a new e-file, a correction), the key
        follows it."""
        from .search.names import name_key  # efile.search imports these models

        surname = value if attribute == "surname" else (self.surname or "")
        given = value if attribute == "given_names" else (self.given_names or "")
        self.name_key = name_key(surname or "", given or "")
        return value

    @property
    def display_name(self) -> str:
        return f"{self.surname}, {self.given_names}".strip(", ")


class PersonIdentifier(Base):
    """A person's document and register numbers (passports, past and present; AZR number),
    indexed for the exact lookups routing relies on."""

    __tablename__ = "person_identifiers"
    __table_args__ = (UniqueConstraint("kind", "value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # passport | azr
    value: Mapped[str] = mapped_column(String(40))

    person: Mapped[Person] = relationship()


class EFile(Base):
    """Akte: the electronic file of one person."""

    __tablename__ = "efiles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aktenzeichen: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    team: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="open")
    retention_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="efiles")
    documents: Mapped[list[Document]] = relationship(back_populates="efile")


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    efile_id: Mapped[int | None] = mapped_column(ForeignKey("efiles.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # filed | inbox
    doc_type: Mapped[str] = mapped_column(String(64), default="unclassified")  # taxonomy id
    type_confidence: Mapped[float | None] = mapped_column(Float)
    # a special category (health data, Art. 9 GDPR): reading it needs an extra right
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(16))  # scan | upload | import
    source_name: Mapped[str] = mapped_column(String(500))  # file name as received
    media_type: Mapped[str] = mapped_column(String(100))
    page_count: Mapped[int] = mapped_column(Integer)
    language: Mapped[str | None] = mapped_column(String(16))
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    original_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    original_key: Mapped[str] = mapped_column(String(300))
    original_size: Mapped[int] = mapped_column(Integer)
    archive_sha256: Mapped[str] = mapped_column(String(64))
    archive_key: Mapped[str] = mapped_column(String(300))
    archive_format: Mapped[str] = mapped_column(String(16))  # PDF/A-2b | PDF
    text_key: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer, default=1)
    fields: Mapped[dict] = mapped_column(default=dict)  # extracted facts and processing notes
    # the letter's date as printed, else the day it was received (Europe/Berlin): what search
    # filters (von:/bis:), sorts and counts by; set when the document is indexed
    document_date: Mapped[date | None] = mapped_column(Date)  # indexed with id: migration 0007
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    efile: Mapped[EFile | None] = relationship(back_populates="documents")
    pages: Mapped[list[DocumentPage]] = relationship(
        back_populates="document", order_by="DocumentPage.page_no", cascade="all, delete-orphan")
    decisions: Mapped[list[Decision]] = relationship(order_by="Decision.id")


class DocumentPage(Base):
    __tablename__ = "document_pages"
    __table_args__ = (UniqueConstraint("document_id", "page_no"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    page_no: Mapped[int] = mapped_column(Integer)  # 1-based
    text: Mapped[str] = mapped_column(Text, default="")
    text_source: Mapped[str] = mapped_column(String(16))  # ocr | born-digital | none
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    rotation: Mapped[int] = mapped_column(Integer, default=0)

    document: Mapped[Document] = relationship(back_populates="pages")


class InboxItem(Base):
    """Klärfall: a document the pipeline could not file with confidence."""

    __tablename__ = "inbox_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), unique=True)
    reasons: Mapped[list] = mapped_column(default=list)
    suggestions: Mapped[list] = mapped_column(default=list)
    state: Mapped[str] = mapped_column(String(16), default="open")  # open | resolved
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_to: Mapped[str | None] = mapped_column(String(64))  # the Aktenzeichen chosen

    document: Mapped[Document] = relationship()
    candidates: Mapped[list[InboxCandidate]] = relationship(cascade="all, delete-orphan")


class InboxCandidate(Base):
    """An e-file the router proposed for an open inbox item, as a row: the caseworkers of the
    e-file's team see the item in their team's inbox (efile.access.rules), found by a join,
    so a team change of the e-file moves the item with it."""

    __tablename__ = "inbox_candidates"
    item_id: Mapped[int] = mapped_column(ForeignKey("inbox_items.id", ondelete="CASCADE"),
                                         primary_key=True)
    efile_id: Mapped[int] = mapped_column(ForeignKey("efiles.id"), primary_key=True,
                                          index=True)


class DocumentNote(Base):
    """A note (Vermerk) a person wrote on a document: kept, never edited; shown with its
    author and time in the document's history."""

    __tablename__ = "document_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text)


class IngestRun(Base):
    __tablename__ = "ingest_runs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    source: Mapped[str] = mapped_column(String(16))
    requested_efile: Mapped[str | None] = mapped_column(String(64))
    flow_run_id: Mapped[str | None] = mapped_column(String(36))  # Prefect's, for the UI link
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    counts: Mapped[dict] = mapped_column(default=dict)

    items: Mapped[list[IngestItem]] = relationship(back_populates="run", order_by="IngestItem.id")


class IngestItem(Base):
    """One input file of a run, whatever became of it; failed files keep their original key."""

    __tablename__ = "ingest_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("ingest_runs.id"), index=True)
    path: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(16))  # filed | inbox | duplicate | failed
    document_id: Mapped[str | None] = mapped_column(String(32))
    original_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    original_key: Mapped[str | None] = mapped_column(String(300))
    pages: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(String(32))  # a failure's stable code (ItemResult)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    run: Mapped[IngestRun] = relationship(back_populates="items")


class Decision(Base):
    """A person's decision about a document (assigned an e-file, set or confirmed its type),
    beside what the machine had proposed: the audit trail of the inbox, and labels for the
    next training run."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # assign | reclassify
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    machine: Mapped[dict] = mapped_column(default=dict)  # type, confidence, suggestions, model
    chosen: Mapped[dict] = mapped_column(default=dict)  # doc_type and/or efile


class ClassifierModel(Base):
    """A trained document-type model: the bytes live in object storage (every worker loads the
    same one), this row says which is active and what it was trained and measured on."""

    __tablename__ = "classifier_models"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    object_key: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    taxonomy: Mapped[str] = mapped_column(String(32))  # digest of the taxonomy it knows
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    meta: Mapped[dict] = mapped_column(default=dict)  # training set, figures
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScanBatch(Base):
    """A stack of paper scanned in one go (the daily post, or a whole paper file): who
    scanned it, with what, how many pages were expected and found, and what became of it."""

    __tablename__ = "scan_batches"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    operator: Mapped[str] = mapped_column(String(200))
    profile: Mapped[str] = mapped_column(String(64), default="default")
    expected_pages: Mapped[int | None] = mapped_column(Integer)
    pages_found: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="processing")  # processing | done | attention
    counts: Mapped[dict] = mapped_column(default=dict)
    notes: Mapped[list] = mapped_column(default=list)  # page-count mismatch, damaged covers ...
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # released: quality control done, the paper may be destroyed (recorded, never implied)
    released_at: Mapped[datetime | None]
    released_by: Mapped[str | None] = mapped_column(String(200))

    documents: Mapped[list[BatchDocument]] = relationship(
        back_populates="batch", order_by="BatchDocument.seq")


class BatchDocument(Base):
    """One document cut from a batch's scan files: the pages it took, the cover sheet that
    started it, the blank pages dropped, and where it went."""

    __tablename__ = "batch_documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("scan_batches.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    source_name: Mapped[str] = mapped_column(String(500))
    source_sha256: Mapped[str] = mapped_column(String(64), index=True)  # the scan file (original)
    pages: Mapped[list] = mapped_column(default=list)  # 1-based page numbers in the scan file
    cover: Mapped[dict | None] = mapped_column(JSON)
    cover_page: Mapped[int | None] = mapped_column(Integer)
    blanks: Mapped[list] = mapped_column(default=list)
    problems: Mapped[list] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(16))  # filed | inbox | duplicate | failed
    document_id: Mapped[str | None] = mapped_column(String(32))
    efile: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    # quality control: none (not selected) | pending | passed | failed
    qc_state: Mapped[str] = mapped_column(String(16), default="none")
    qc_reason: Mapped[str | None] = mapped_column(String(300))  # why it was selected
    qc_by: Mapped[str | None] = mapped_column(String(200))
    qc_at: Mapped[datetime | None]
    qc_note: Mapped[str | None] = mapped_column(Text)

    batch: Mapped[ScanBatch] = relationship(back_populates="documents")


class AuditEvent(Base):
    """One entry of the audit log: who (user, role, on whose behalf, break-glass reason), from
    where, did what to which object, when, with what outcome. Append-only and hash-chained: seq
    is gapless and `hash` covers the row's content and `prev_hash` (efile.services.audit)."""

    __tablename__ = "audit_events"
    # assigned under the chain's lock, never by a database sequence (a sequence leaves gaps)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(index=True)
    user_name: Mapped[str] = mapped_column(String(200), index=True)
    role: Mapped[str] = mapped_column(String(64))
    on_behalf_of: Mapped[str | None] = mapped_column(String(200))
    break_glass_reason: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(128), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # ok | denied | not_found | error
    details: Mapped[dict] = mapped_column(default=dict)  # query text, reason, result count ...
    client: Mapped[str | None] = mapped_column(String(100))  # client address
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
