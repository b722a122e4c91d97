"""The start page per role (issue 13): what each person finds there, every list only from
the access policy's SQL conditions (efile.access.rules), never filtered afterwards.

  caseworker, team lead   "Neu in meinen Akten": documents filed in the last days into
                          e-files of their caseload; the count of their team's inbox
  registry                the count of the inbox (Posteingang) it sorts
  scanning                their batches (Stapel) not yet released
Operators, the data protection officer and administrators get links (figures, audit,
accounts); the web handler (efile/web/ui.py) audits the whole page as one read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ..access.policy import INBOX_READERS, Policy
from ..access.rules import Principal, readable_batches, readable_documents
from ..models import Decision, Document, EFile, ScanBatch, utcnow
from . import inbox
from .batches import batch_name, list_batches
from .documents import type_name, type_to_check

NEW_DAYS = 7  # "new" in one's e-files: filed within the last week
NEW_LIMIT = 20


@dataclass
class Home:
    new_in_efiles: list[dict] | None = None  # None: the role has no caseload
    inbox_waiting: int | None = None  # None: the role reads no inbox
    open_batches: list[dict] | None = None  # None: the role scans nothing
    counts: dict = field(default_factory=dict)  # for the audit entry


def filed_at():  # noqa: ANN201 - a SQL expression over Document
    """When a document came into its e-file: a person's assignment from the inbox (the
    newest), else its arrival (filed straight away)."""
    assigned = (select(func.max(Decision.at)).where(Decision.document_id == Document.id,
                                                    Decision.kind == "assign")
                .correlate(Document).scalar_subquery())
    return func.coalesce(assigned, Document.created_at)


def new_in_efiles(session: Session, p: Principal, policy: Policy, *,
                  now: datetime | None = None) -> list[dict]:
    """Documents filed in the last NEW_DAYS days into e-files of the person's caseload
    (their teams and those they stand in for) that they may read, newest first."""
    caseload = p.caseload_teams()
    if not caseload:
        return []
    since = (now or utcnow()) - timedelta(days=NEW_DAYS)
    at = filed_at().label("filed_at")
    q = (select(Document, EFile.aktenzeichen, at).join(EFile, Document.efile_id == EFile.id)
         .where(readable_documents(p, policy), Document.status == "filed",
                EFile.team.in_(caseload), filed_at() >= since)
         .order_by(at.desc(), Document.id).limit(NEW_LIMIT))
    return [{"document_id": d.id, "title": d.title, "type_name": type_name(d.doc_type),
             "aktenzeichen": az, "filed_at": when, "type_to_check": type_to_check(d)}
            for d, az, when in session.execute(q)]


def open_batches(session: Session, p: Principal) -> list[dict]:
    """Batches the person may see that are not yet released after quality control."""
    rows = list_batches(session, 20, allowed=and_(readable_batches(p),
                                                  ScanBatch.released_at.is_(None)))
    return [{"batch_id": b.id, "name": batch_name(session, b), "status": b.status,
             "pages_found": b.pages_found, "expected_pages": b.expected_pages} for b in rows]


def reads_inbox(p: Principal) -> bool:
    """The registry's inbox, or (the lead's team inbox) the one of a person's team."""
    return any(p.can(x) for x in INBOX_READERS)


def home_for(session: Session, p: Principal, policy: Policy, *,
             now: datetime | None = None) -> Home:
    home = Home()
    if p.can("documents.read_caseload"):
        home.new_in_efiles = new_in_efiles(session, p, policy, now=now)
        home.counts["new_in_efiles"] = len(home.new_in_efiles)
    if reads_inbox(p) or p.can("documents.read_caseload"):
        # the count follows what the person may read of the inbox (readable_documents)
        home.inbox_waiting = inbox.count_waiting(session, readable_documents(p, policy))
        home.counts["inbox_waiting"] = home.inbox_waiting
    if p.can("batches.read_own"):
        home.open_batches = open_batches(session, p)
        home.counts["open_batches"] = len(home.open_batches)
    return home
