"""Corrections: move, retype, undo-move. Unlike the administrator's `assign` and `reclassify`,
these act as an efile account (--user, default $EFILE_USER): its roles and teams decide, through
the same policy as in the web UI, whether it may (efile.services.corrections). Each change is
recorded as a decision and audited in the same transaction."""

from __future__ import annotations

import socket
from dataclasses import replace

import click
from rich.markup import escape

from .base import DOC_TYPE, _ctx, _print_json, handled, main, out
from .inbox import actor_option

REASON = click.option("--reason", default="", metavar="TEXT",
                      help="Why (at least 10 characters and 2 words; recorded and audited).")


def _principal(session, username: str):  # noqa: ANN001, ANN202
    from ..access import accounts
    from ..access.models import User
    from ..access.policy import load as load_policy
    from ..errors import Forbidden

    user = session.get(User, username)
    if user is None or not user.active:
        raise Forbidden(f"{username} is not an active efile account (efile users add); "
                        "corrections act as an account and its rights")
    return accounts.principal_of(user, load_policy())


def _actor(p):  # noqa: ANN001, ANN202
    from .audit import cli_actor

    return replace(cli_actor(), user=p.username, role=p.role or "none",
                   client=f"cli@{socket.gethostname()}")


class _Audit:
    """Record a refused or failed correction in a transaction of its own (the change's own
    transaction rolls back with it); a successful one is recorded inside that transaction."""

    def __init__(self, action: str, ref: str, details: dict) -> None:
        self.action, self.ref, self.details, self.p = action, ref, details, None

    def __enter__(self) -> _Audit:
        return self

    def __exit__(self, kind, error, tb) -> None:  # noqa: ANN001
        from ..errors import EfileError
        from ..services.audit import Actor, outcome_of, record

        if error is None or not isinstance(error, EfileError):
            return
        actor = _actor(self.p) if self.p else Actor(user=self.details["user"], role="none",
                                                    client=f"cli@{socket.gethostname()}")
        with _ctx().db.session() as s:
            record(s, actor, self.action, object_type="document", object_id=self.ref[:64],
                   outcome=outcome_of(error), details={**self.details, "error": str(error)[:500]})


def _whose(target: dict | None) -> str:
    if not target:
        return "the inbox"
    born = target["birth_date"] or "birth date unknown"
    return f"{target['aktenzeichen']} ({escape(target['name'])}, born {born})"


@main.command()
@click.argument("doc_id")
@click.option("--to", "aktenzeichen", metavar="AKTENZEICHEN",
              help="The e-file the document belongs in.")
@click.option("--to-inbox", is_flag=True, help="Back to the inbox, for the registry to assign.")
@REASON
@click.option("--dry-run", is_flag=True, help="Show whose file the target is; change nothing.")
@actor_option
@click.option("--json", "as_json", is_flag=True)
@handled
def move(doc_id: str, aktenzeichen: str | None, to_inbox: bool, reason: str, dry_run: bool,
         actor: str, as_json: bool) -> None:
    """Move a filed document (its id or id prefix) to another e-file or back to the inbox."""
    from ..access.policy import load as load_policy
    from ..errors import InvalidQuery
    from ..services import corrections
    from ..services.audit import Action, record
    from ..services.documents import get_document

    if bool(aktenzeichen) == to_inbox:
        raise InvalidQuery("give either --to AKTENZEICHEN or --to-inbox")
    ctx = _ctx()
    with _Audit(corrections.MOVE, doc_id, {"user": actor, "aktenzeichen": aktenzeichen,
                                           "reason": reason}) as a, ctx.db.session() as s:
        p = a.p = _principal(s, actor)
        doc = get_document(s, doc_id)
        a.ref = doc.id
        if dry_run:
            info = corrections.preview_move(s, p, load_policy(), doc.id, aktenzeichen)
            record(s, _actor(p), Action.READ, object_type="document", object_id=doc.id,
                   details={"aktenzeichen": aktenzeichen, "dry_run": True})
        else:
            info = corrections.move(s, ctx.store, p, load_policy(), doc.id, aktenzeichen,
                                    reason=reason)
            record(s, _actor(p), corrections.MOVE, object_type="document", object_id=doc.id,
                   details={"aktenzeichen": aktenzeichen, "reason": reason})
    if as_json:
        _print_json(info)
    elif dry_run:
        out.print(f"{info['document_id'][:12]} would move from {info['from'] or 'the inbox'} "
                  f"to {_whose(info['target'])}")
    else:
        out.print(f"{info['document_id'][:12]} moved to {_whose(info['target'])}")


@main.command()
@click.argument("doc_id")
@click.option("--type", "doc_type", required=True, type=DOC_TYPE,
              help="Document type: its id or German name (efile types).")
@REASON
@actor_option
@click.option("--json", "as_json", is_flag=True)
@handled
def retype(doc_id: str, doc_type: str, reason: str, actor: str, as_json: bool) -> None:
    """Change a document's type, with a reason (a label for the next `efile train`)."""
    from ..access.policy import load as load_policy
    from ..services import corrections
    from ..services.audit import record
    from ..services.documents import get_document

    ctx = _ctx()
    with _Audit(corrections.RETYPE, doc_id, {"user": actor, "doc_type": doc_type,
                                             "reason": reason}) as a, ctx.db.session() as s:
        p = a.p = _principal(s, actor)
        doc = get_document(s, doc_id)
        a.ref = doc.id
        info = corrections.retype(s, ctx.store, p, load_policy(), doc.id, doc_type,
                                  reason=reason)
        record(s, _actor(p), corrections.RETYPE, object_type="document", object_id=doc.id,
               details={"doc_type": doc_type, "reason": reason})
    _print_json(info) if as_json else out.print(
        f"{info['document_id'][:12]} is now {escape(info['type_name'])}")


@main.command("undo-move")
@click.argument("doc_id")
@REASON
@click.option("--dry-run", is_flag=True, help="Show where the document would go back to.")
@actor_option
@click.option("--json", "as_json", is_flag=True)
@handled
def undo_move(doc_id: str, reason: str, dry_run: bool, actor: str, as_json: bool) -> None:
    """Undo the newest assignment or move of a document: back to the e-file it came from, or
    to the inbox. Run again to go one more step back."""
    from ..access.policy import load as load_policy
    from ..services import corrections
    from ..services.audit import Action, record
    from ..services.documents import get_document

    ctx = _ctx()
    with _Audit(corrections.UNDO, doc_id, {"user": actor, "reason": reason}) as a, \
            ctx.db.session() as s:
        p = a.p = _principal(s, actor)
        doc = get_document(s, doc_id)
        a.ref = doc.id
        if dry_run:
            info = corrections.undo_preview(s, p, load_policy(), doc.id)
            record(s, _actor(p), Action.READ, object_type="document", object_id=doc.id,
                   details={"undo_move": True, "dry_run": True})
        else:
            info = corrections.undo(s, ctx.store, p, load_policy(), doc.id, reason=reason)
            record(s, _actor(p), corrections.UNDO, object_type="document", object_id=doc.id,
                   details={"reason": reason})
    if as_json:
        _print_json(info)
    else:
        verb = "would go back" if dry_run else "back"
        out.print(f"{info['document_id'][:12]} {verb} to {_whose(info['target'])}")
