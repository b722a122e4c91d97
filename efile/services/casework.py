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
from ..access.policy import Policy
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
    """An inbox document into an e-file the person may see (permission `inbox.assign`),
    audited; the resolved inbox item."""
    guard.need(p, "inbox.assign")
    with audited(db, actor, Action.ASSIGN, object_type="document", object_id=doc_id[:64],
                 details={"aktenzeichen": aktenzeichen, "doc_type": doc_type}), \
            db.session() as s:
        doc = guard.document_for(s, p, policy, doc_id)
        guard.efile_for(s, p, policy, aktenzeichen)
        item = inbox.assign(s, store, doc.id, aktenzeichen, actor=p.username, doc_type=doc_type)
        return inbox.item_dict(item)
