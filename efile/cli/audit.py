"""The audit log, for the data protection officer: verify the chain, query the events. Reading
the log is itself recorded. Also the CLI's actor for every audited command."""

from __future__ import annotations

import getpass
import os
import socket
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from ..errors import IntegrityFailure, InvalidQuery
from .base import _ctx, _print_json, handled, main, new_table, out

if TYPE_CHECKING:
    from ..services.audit import Actor


def cli_actor() -> Actor:
    """Who runs this command: $EFILE_USER or the login name (as for decisions), in the role
    $EFILE_ROLE (default admin: until the CLI signs people in, it is an administrator's tool),
    from this host."""
    from ..services.audit import Actor

    return Actor(user=os.environ.get("EFILE_USER") or getpass.getuser(),
                 role=os.environ.get("EFILE_ROLE") or "admin",
                 client=f"cli@{socket.gethostname()}")


@main.group()
def audit() -> None:
    """The audit log: who read, searched, downloaded or changed what, and when."""


@audit.command("verify")
@click.option("--expect-head", metavar="SEQ:HASH",
              help="The head written down at an earlier verify: also detects deleted last rows.")
@click.option("--json", "as_json", is_flag=True)
@handled
def audit_verify(expect_head: str | None, as_json: bool) -> None:
    """Check the hash chain from the first event to the last. Exit 0 when intact, 3 with the
    first broken seq otherwise. Write the head down (or seal it) outside the database: a chain
    alone cannot tell that its last rows were deleted."""
    from ..services import audit as audit_log

    anchor = audit_log.parse_head(expect_head) if expect_head else None
    db = _ctx().db
    with audit_log.audited(db, cli_actor(), audit_log.Action.AUDIT_VERIFY,
                           object_type="audit_log") as pending, db.session() as s:
        report = audit_log.verify(s, anchor)
        pending.details = {"events": report.events, "intact": report.intact,
                           "first_broken_seq": report.to_dict()["first_broken_seq"],
                           "expected_head": expect_head}
        if not report.intact:
            pending.outcome = audit_log.Outcome.ERROR
    if as_json:
        _print_json(report.to_dict())
    else:
        for p in report.problems[:20]:
            out.print(f"[red]seq {p.seq}[/]  {p.kind}: {escape(p.message)}")
        if report.intact:
            head = f"head {report.head_seq}:{report.head_hash}" if report.events else "empty"
            out.print(f"audit log intact: {report.events} events · {head}")
    if not report.intact:
        first = report.problems[0]
        raise IntegrityFailure(f"audit log broken at seq {first.seq}: {first.message}"
                               + (f" ({len(report.problems)} problems)"
                                  if len(report.problems) > 1 else ""))


def _moment(value: str | None, *, end: bool) -> datetime | None:
    """A date or date-time as people type it, in this machine's time zone unless it says
    otherwise; a bare date as an end means the whole of that day."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidQuery(f"not a date or date-time: {value!r} (e.g. 2026-11-22 or "
                           "2026-11-22T14:30)") from None
    if end and len(value.strip()) == 10:
        moment += timedelta(days=1)
    return moment.astimezone()  # a naive time is local time


@audit.command("query")
@click.option("--user", help="Who acted.")
@click.option("--object", "object_id", metavar="ID", help="The object's id (document id ...).")
@click.option("--action", help="e.g. document.read, document.download, search, audit.read")
@click.option("--since", metavar="DATE", help="From this date or date-time on.")
@click.option("--until", metavar="DATE", help="Up to this date (inclusive) or date-time.")
@click.option("--outcome", type=click.Choice(["ok", "denied", "not_found", "error"]))
@click.option("--break-glass", is_flag=True, help="Only access by break-glass.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--json", "as_json", is_flag=True)
@handled
def audit_query(user: str | None, object_id: str | None, action: str | None, since: str | None,
                until: str | None, outcome: str | None, break_glass: bool, limit: int,
                as_json: bool) -> None:
    """Audit events matching every filter given, newest first."""
    from ..services import audit as audit_log

    filters = {"user": user, "object_id": object_id, "action": action, "outcome": outcome,
               "since": since, "until": until, "break_glass": break_glass or None}
    filters = {k: v for k, v in filters.items() if v is not None}
    db = _ctx().db
    with audit_log.audited(db, cli_actor(), audit_log.Action.AUDIT_READ, object_type="audit_log",
                           details={"filters": filters}) as pending, db.session() as s:
        events = [audit_log.event_dict(e) for e in audit_log.query(
            s, user=user, object_id=object_id, action=action, outcome=outcome,
            since=_moment(since, end=False), until=_moment(until, end=True),
            break_glass=break_glass, limit=limit)]
        pending.details["results"] = len(events)
    if as_json:
        _print_json(events)
        return
    if not events:
        out.print("no audit events match")
        return
    table = new_table("seq", "time", "user", "action", "object", "outcome", "details")
    for column in table.columns[:2]:
        column.no_wrap = True
    for e in events:
        who = f"{e['user']} ({e['role']})" + (f" for {e['on_behalf_of']}"
                                              if e["on_behalf_of"] else "")
        details = _short(e["details"])
        if e["break_glass_reason"]:  # flagged: access outside the person's normal rights
            who = f"[bold red]! {escape(who)}[/]"
            details = f"[red]break-glass: {escape(e['break_glass_reason'])}[/] {escape(details)}"
        else:
            who, details = escape(who), escape(details)
        obj = f"{e['object_type'] or ''} {e['object_id'] or ''}".strip()
        at = datetime.fromisoformat(e["at"]).astimezone()
        outcome_style = "green" if e["outcome"] == "ok" else "red"
        table.add_row(str(e["seq"]), f"{at:%Y-%m-%d %H:%M:%S}", who, escape(e["action"]),
                      escape(obj), f"[{outcome_style}]{e['outcome']}[/]", details)
    out.print(table)


def _short(details: dict, width: int = 60) -> str:
    text = ", ".join(f"{k}={v}" for k, v in details.items() if v not in (None, "", [], {}))
    return text if len(text) <= width else text[: width - 1] + "…"
