"""Corrections of a filed document by a person: move it to another e-file (or back to the
inbox), change its type, and undo the last assignment or move. Each needs a reason, is checked
against the access policy, recorded as a Decision beside what the machine had said (the same
record the inbox's assignments use), written to the metadata record and re-indexed; the caller
audits it (the web layer with `audited`, the CLI in the same transaction).

Who may correct (with the permissions the policy already has; no new permission):
- move and undo: a person who may *read* the document (guard.document_for: for a filed
  document, the source e-file's team by caseload, restricted categories only with the right
  `restricted`) and holds `documents.reclassify` (caseworkers and team leads correct what
  their team's documents are and where they belong), or `inbox.assign` (the registry, which
  decides where unfiled documents go). The target e-file must be one the person may see
  (guard.efile_for): a caseworker moves within the teams' caseload, the registry anywhere.
  A caseworker who finds a document of another team's client moves it back to the inbox,
  where the registry assigns it.
- the registry may also move or undo a filed document it can no longer read, but only when the
  document's present place is the registry's own decision (it assigned or moved it there):
  the registry corrects its own mistakes without reading the caseload's content.
- change of type: `documents.reclassify` and a readable document (as `efile reclassify`).
A caseworker of another team gets 404 for the document, exactly as for reading it.

Undo works on the history of placements (assign, move) in the decisions: each undo takes back
the newest placement not yet undone, so undoing twice goes two steps back (a move, then the
assignment from the inbox, which reopens the inbox item).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import ObjectStore

from .. import search
from ..access import guard
from ..access.policy import Policy
from ..access.rules import Principal
from ..errors import EfileError, Forbidden, InvalidQuery, NotFound
from ..models import Decision, Document, EFile, InboxItem, utcnow
from .documents import check_type, type_name
from .inbox import _machine, _set_type
from .metadata_record import write_record

MOVE, RETYPE, UNDO = "document.move", "document.retype", "document.undo_move"  # audit actions
PLACEMENTS = ("assign", "move")  # decision kinds that put a document somewhere
MIN_REASON, MIN_WORDS = 10, 2
_WORD = re.compile(r"[^\W\d_]{2,}")


class NothingToUndo(EfileError):
    exit_code = 2
    http_status = 409
    de = "Für dieses Dokument gibt es keine Zuordnung oder Verschiebung, die rückgängig zu machen wäre."


class NoChange(EfileError):
    exit_code = 2
    http_status = 409
    de = "Das Dokument liegt bereits dort bzw. hat diesen Typ schon."


class ReasonMissing(InvalidQuery):
    de = (f"Bitte einen Grund angeben (mindestens {MIN_REASON} Zeichen und {MIN_WORDS} Wörter), "
          "z. B. „Gehört zu Ahmad Öztürk, Geburtsdatum passt nicht“.")


def check_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON or len(_WORD.findall(reason)) < MIN_WORDS:
        raise ReasonMissing(f"a correction needs a reason of at least {MIN_REASON} characters "
                            f"and {MIN_WORDS} words")
    if len(reason) > 500:
        raise InvalidQuery("the reason is too long (at most 500 characters)")
    return reason


# -- the history of placements -------------------------------------------------------------------

@dataclass(frozen=True)
class Placement:
    """One assignment or move still in force: where it put the document, from where, by whom."""

    decision_id: int | None
    kind: str
    to: str | None  # Aktenzeichen, None = the inbox
    source: str | None  # the place before it (None = the inbox)
    actor: str


def _get(d: object, key: str):  # noqa: ANN202 - a Decision or its dict (document_dict)
    return d.get(key) if isinstance(d, dict) else getattr(d, key, None)


def placements(decisions: list) -> list[Placement]:
    """The placements in force, oldest first: each undo takes back the newest one."""
    stack: list[Placement] = []
    for d in decisions:
        kind, chosen = _get(d, "kind"), _get(d, "chosen") or {}
        if kind in PLACEMENTS:
            # an assignment always came from the inbox; a move names its source
            stack.append(Placement(_get(d, "id"), kind, chosen.get("efile"),
                                   chosen.get("from") if kind == "move" else None,
                                   _get(d, "actor") or ""))
        elif kind == "undo" and stack:
            stack.pop()
    return stack


def last_placement(doc: Document) -> Placement | None:
    stack = placements(doc.decisions)
    return stack[-1] if stack else None


# -- who may ---------------------------------------------------------------------------------

def document_to_correct(session: Session, p: Principal, policy: Policy, ref: str) -> Document:
    """The document `p` may move (by its whole id), or NotFound / Forbidden."""
    if not (p.can("documents.reclassify") or p.can("inbox.assign")):
        raise Forbidden(f"{p.username} may not do this (documents.reclassify or inbox.assign)")
    try:
        return guard.document_for(session, p, policy, ref)
    except NotFound:
        if not p.can("inbox.assign"):
            raise
    # the registry: a document whose present place is its own decision
    doc = session.get(Document, ref)
    if doc is not None and not (doc.restricted and "restricted" not in p.rights):
        last = last_placement(doc)
        if last is not None and last.actor == p.username and doc.efile is not None \
                and last.to == doc.efile.aktenzeichen:
            return doc
    raise NotFound(f"no document {ref}")


def _target(session: Session, p: Principal, policy: Policy, aktenzeichen: str) -> EFile:
    """An e-file `p` may see (others answer like one that does not exist)."""
    return guard.efile_for(session, p, policy, aktenzeichen.strip())


# -- the changes -----------------------------------------------------------------------------

def _place(session: Session, doc: Document, efile: EFile | None, *, actor: str,
           reason: str) -> None:
    """Put `doc` into `efile` (None: back into the inbox, its item reopened)."""
    item = session.scalar(select(InboxItem).where(InboxItem.document_id == doc.id))
    routing = dict(doc.fields.get("routing", {}))
    if efile is None:
        doc.efile, doc.status = None, "inbox"
        routing.update({"by": "person", "assigned_to": None, "assigned_by": actor})
        # shown as it is on the inbox page, which speaks German
        why = f"von {actor} in den Posteingang zurückgegeben: {reason}"
        if item is None:
            session.add(InboxItem(document_id=doc.id, reasons=[why], suggestions=[]))
        else:
            item.state, item.resolved_at, item.resolved_to = "open", None, None
            item.reasons = [*(item.reasons or []), why]
    else:
        doc.efile, doc.status = efile, "filed"
        routing.update({"by": "person", "assigned_to": efile.aktenzeichen, "assigned_by": actor})
        if item is not None and item.state == "open":
            item.state, item.resolved_at, item.resolved_to = "resolved", utcnow(), \
                efile.aktenzeichen
    doc.fields = {**doc.fields, "routing": routing}


def _finish(session: Session, store: ObjectStore, doc: Document, *, kind: str, actor: str,
            machine: dict, chosen: dict) -> Decision:
    decision = Decision(document_id=doc.id, kind=kind, actor=actor, machine=machine,
                        chosen=chosen)
    session.add(decision)
    write_record(store, doc, reason=kind, actor=actor)
    session.flush()
    search.index_document(session, doc)  # title and text unchanged; placement is a join
    session.expire(doc, ["decisions"])
    return decision


def person_dict(efile: EFile | None) -> dict | None:
    """Whose file it is, for the confirmation: name and date of birth."""
    if efile is None:
        return None
    p = efile.person
    return {"aktenzeichen": efile.aktenzeichen, "name": p.display_name,
            "birth_date": p.birth_date.isoformat() if p.birth_date else None,
            "team": efile.team}


def preview_move(session: Session, p: Principal, policy: Policy, ref: str,
                 aktenzeichen: str | None) -> dict:
    """What a move would do, changing nothing: the source and the target client's name and
    date of birth, for the person to confirm."""
    doc = document_to_correct(session, p, policy, ref)
    target = _target(session, p, policy, aktenzeichen) if aktenzeichen else None
    return {"document_id": doc.id, "type_name": type_name(doc.doc_type), "title": doc.title,
            "from": doc.efile.aktenzeichen if doc.efile else None,
            "to": target.aktenzeichen if target else None, "target": person_dict(target)}


def move(session: Session, store: ObjectStore, p: Principal, policy: Policy, ref: str,
         aktenzeichen: str | None, *, reason: str) -> dict:
    """Move a document to the e-file `aktenzeichen` (None: back into the inbox)."""
    doc = document_to_correct(session, p, policy, ref)
    target = _target(session, p, policy, aktenzeichen) if aktenzeichen else None
    reason = check_reason(reason)  # after the refusals: 403/404 first, whatever the reason
    source = doc.efile.aktenzeichen if doc.efile else None
    if (target.aktenzeichen if target else None) == source:
        raise NoChange(f"document {doc.id} is already in "
                       f"{source or 'the inbox'}")
    machine = _machine(doc)
    _place(session, doc, target, actor=p.username, reason=reason)
    kind = "assign" if source is None else "move"
    chosen = {"efile": target.aktenzeichen if target else None, "from": source,
              "reason": reason}
    d = _finish(session, store, doc, kind=kind, actor=p.username, machine=machine,
                chosen=chosen)
    return {**_result(doc, d), "target": person_dict(target)}


def retype(session: Session, store: ObjectStore, p: Principal, policy: Policy, ref: str,
           doc_type: str, *, reason: str) -> dict:
    """Change a document's type (a label for the next training run, like reclassify)."""
    guard.need(p, "documents.reclassify")
    doc = guard.document_for(session, p, policy, ref)
    check_type(doc_type)
    reason = check_reason(reason)
    if doc.doc_type == doc_type and doc.type_confidence == 1.0:
        raise NoChange(f"document {doc.id} is already of type {doc_type}")
    machine = _machine(doc)
    before = doc.doc_type
    _set_type(doc, doc_type)
    d = _finish(session, store, doc, kind="reclassify", actor=p.username, machine=machine,
                chosen={"doc_type": doc_type, "from_type": before, "reason": reason})
    return _result(doc, d)


def undo_preview(session: Session, p: Principal, policy: Policy, ref: str) -> dict:
    doc = document_to_correct(session, p, policy, ref)
    last = last_placement(doc)
    if last is None:
        raise NothingToUndo(f"document {doc.id} has no assignment or move to undo")
    back = _target(session, p, policy, last.source) if last.source else None
    return {"document_id": doc.id, "undoes": last.kind, "from": last.to,
            "to": last.source, "target": person_dict(back)}


def undo(session: Session, store: ObjectStore, p: Principal, policy: Policy, ref: str, *,
         reason: str) -> dict:
    """Take back the newest assignment or move: the document returns to the e-file it came
    from, or to the inbox."""
    doc = document_to_correct(session, p, policy, ref)
    last = last_placement(doc)
    here = doc.efile.aktenzeichen if doc.efile else None
    if last is None:
        raise NothingToUndo(f"document {doc.id} has no assignment or move to undo")
    if last.to != here:  # placed otherwise since (by the pipeline or by hand): refuse
        raise NothingToUndo(f"document {doc.id} is in {here or 'the inbox'}, not where its "
                            f"last {last.kind} put it ({last.to or 'the inbox'})")
    back = _target(session, p, policy, last.source) if last.source else None
    reason = check_reason(reason)
    machine = _machine(doc)
    _place(session, doc, back, actor=p.username, reason=reason)
    d = _finish(session, store, doc, kind="undo", actor=p.username, machine=machine,
                chosen={"efile": last.source, "from": here, "undoes": last.decision_id,
                        "undoes_kind": last.kind, "reason": reason})
    return {**_result(doc, d), "target": person_dict(back)}


def _result(doc: Document, d: Decision) -> dict:
    return {"document_id": doc.id, "efile": doc.efile.aktenzeichen if doc.efile else None,
            "status": doc.status, "type": doc.doc_type, "type_name": type_name(doc.doc_type),
            "restricted": doc.restricted,
            "decision": {"id": d.id, "kind": d.kind, "actor": d.actor,
                         "at": d.at.isoformat() if d.at else None, "chosen": d.chosen}}


def corrections_view(p: Principal | None, doc: dict) -> dict:
    """What the document page offers `p` (the page's document dict): the forms to show and
    what an undo would restore. The services check again on every request."""
    if p is None:
        return {"move": False, "retype": False, "undo": None}
    last = placements(doc.get("decisions") or [])
    last = last[-1] if last else None
    caseload = p.can("documents.reclassify")
    own = p.can("inbox.assign") and (doc.get("efile") is None or (
        last is not None and last.actor == p.username))
    may_move = caseload or own
    undo_to = None
    if may_move and last is not None and last.to == doc.get("efile"):
        undo_to = {"to": last.source, "kind": last.kind}
    return {"move": may_move, "retype": caseload, "undo": undo_to}
