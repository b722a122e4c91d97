"""What a person does with an e-file or a document through the API or the web UI, each step
once: the access check, the audit event, then the service. API and UI present the result
their own way; neither repeats the check or the audit (a check forgotten in one copy would be
a data leak)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from storage import ObjectStore

from ..access import guard
from ..access.policy import INBOX_ASSIGNERS, Policy
from ..access.rules import Principal
from ..db import Database
from ..models import Document, EFile
from . import inbox
from .audit import Action, Actor, audited


@contextmanager
def open_document(db: Database, actor: Actor, p: Principal, policy: Policy, doc_id: str,
                  action: Action, *,
                  break_glass: str | None = None) -> Iterator[tuple[Document, Session]]:
    """The document if `p` may read it, audited as `action`. With a break-glass reason also
    outside the rules (guard.document_for), audited as break-glass naming the read; `actor`
    is then the break-glass actor. Use it inside the block: the session is open there."""
    with audited(db, actor, action if not break_glass else Action.BREAK_GLASS,
                 object_type="document", object_id=doc_id[:64],
                 details={"read": str(action)} if break_glass else None), db.session() as s:
        yield guard.document_for(s, p, policy, doc_id, break_glass=break_glass), s


@dataclass
class EFileView:
    efile: EFile
    documents: list[Document]  # those the reader may read, newest first


@contextmanager
def view_efile(db: Database, actor: Actor, p: Principal, policy: Policy,
               aktenzeichen: str) -> Iterator[EFileView]:
    """The e-file if `p` may see it, with the documents they may read, audited as a read
    (a refusal or a miss too). Present it inside the block: the session is open there."""
    with audited(db, actor, Action.READ, object_type="efile",
                 object_id=aktenzeichen[:64]), db.session() as s:
        e = guard.efile_for(s, p, policy, aktenzeichen)
        yield EFileView(e, guard.readable_in_efile(s, p, policy, e))


def assign(db: Database, store: ObjectStore, actor: Actor, p: Principal, policy: Policy,
           doc_id: str, aktenzeichen: str, doc_type: str | None) -> dict:
    """An inbox document into an e-file the person may see, audited; the resolved inbox item.
    The registry (`inbox.assign`) files into any e-file; a caseworker (`inbox.assign_team`)
    only an item of their team's inbox, into an e-file of their caseload: both limits are the
    read conditions themselves (the document and the e-file must be readable)."""
    guard.need(p, *INBOX_ASSIGNERS)
    with audited(db, actor, Action.ASSIGN, object_type="document", object_id=doc_id[:64],
                 details={"aktenzeichen": aktenzeichen, "doc_type": doc_type}), \
            db.session() as s:
        doc = guard.document_for(s, p, policy, doc_id)
        guard.efile_for(s, p, policy, aktenzeichen)
        item = inbox.assign(s, store, doc.id, aktenzeichen, actor=p.username, doc_type=doc_type)
        return inbox.item_dict(item)


def assign_preview(db: Database, actor: Actor, p: Principal, policy: Policy, doc_id: str,
                   aktenzeichen: str) -> dict:
    """Whose file an assignment would put the document in, changing nothing: the client's
    name, date of birth and team, for the person to confirm; a read of the e-file, audited."""
    from .corrections import person_dict

    guard.need(p, *INBOX_ASSIGNERS)
    with audited(db, actor, Action.READ, object_type="efile", object_id=aktenzeichen[:64],
                 details={"purpose": "confirm assignment", "document_id": doc_id[:64]}), \
            db.session() as s:
        doc = guard.document_for(s, p, policy, doc_id)
        item = inbox.find_item(s, doc.id)
        if item.state != "open":
            raise inbox.AlreadyResolved(f"document {doc.id} was already assigned to "
                                        f"{item.resolved_to}")
        return person_dict(guard.efile_for(s, p, policy, aktenzeichen))


def look_up_clients(db: Database, actor: Actor, p: Principal, policy: Policy,
                    query: str) -> list:
    """Clients by name, birth date or number, among the e-files `p` may see (the registry:
    the register; a caseworker: the caseload), best first; the lookup audited with what was
    asked and how many answered."""
    from ..access.rules import readable_efiles
    from .person_search import find_clients

    guard.need(p, *INBOX_ASSIGNERS)
    with audited(db, actor, Action.PERSON_LOOKUP, object_type="persons",
                 details={"query": query[:200]}) as ev, db.session() as s:
        found = find_clients(s, query, allowed=readable_efiles(p, policy), limit=10)
        ev.details["count"] = len(found)
        return found
