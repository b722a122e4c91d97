"""Scan batches: cover sheets, submitting a batch, its status."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from .base import _ctx, _print_json, err, handled, main, new_table, out
from .inbox import actor_option

if TYPE_CHECKING:
    from ..services.audit import Actor


def entitled_actor(username: str, permission: str, action: str, *, object_type: str,
                   object_id: str | None) -> Actor:
    """The audit actor for `username`, who must be an existing, active account holding
    `permission` (efile.services.qc.entitled): never a name typed in. A refusal is recorded
    under whoever runs the command, naming the refused user, and exits 4 (no such user) or
    77 (deactivated, or without the permission)."""
    from ..access.policy import load as load_policy
    from ..errors import EfileError
    from ..services.audit import outcome_of, record
    from ..services.qc import entitled
    from .audit import cli_actor

    db = _ctx().db
    try:
        with db.session() as s:
            user = entitled(s, load_policy(), username, permission)
            return replace(cli_actor(), user=user.username, role=",".join(user.roles))
    except EfileError as e:
        with db.session() as s:
            record(s, cli_actor(), action, object_type=object_type, object_id=object_id,
                   outcome=outcome_of(e), details={"user": username, "error": str(e)[:500]})
        raise


@main.command()
@click.argument("aktenzeichen", required=False)
@click.option("--type", "doc_type", metavar="TYPE", help="Document type id (efile types).")
@click.option("--procedure", metavar="ID", help="The procedure (Vorgang) the document belongs to.")
@click.option("--patch-t", "patch_t", is_flag=True,
              help="A PATCH-T separator sheet instead (no file number: the next document is "
                   "routed by its content).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
@handled
def coversheet(aktenzeichen: str | None, doc_type: str | None, procedure: str | None,
               patch_t: bool, output: str) -> None:
    """Print a cover sheet (QR code + the data in words) to lay on top of a document, or with
    --patch-t a separator sheet to lay between documents."""
    from ..coversheet import CoverSheet, render_patch_t, render_pdf
    from ..errors import InvalidQuery
    from ..services.documents import check_type, type_name
    from ..services.efiles import get_efile

    if patch_t:
        if aktenzeichen or doc_type or procedure:
            raise InvalidQuery("a PATCH-T sheet names no file number, type or procedure")
        Path(output).write_bytes(render_patch_t())
        err.print(f"PATCH-T separator sheet written to {output} (print at 100 %)")
        return
    if not aktenzeichen:
        raise InvalidQuery("name the AKTENZEICHEN of the cover sheet (or --patch-t)")
    with _ctx().db.session() as s:
        person = get_efile(s, aktenzeichen).person
        client = person.display_name + (f" ({person.birth_date:%d.%m.%Y})"
                                        if person.birth_date else "")
    if doc_type:
        check_type(doc_type)
    sheet = CoverSheet(aktenzeichen.strip(), doc_type, procedure)
    Path(output).write_bytes(render_pdf(sheet, client=client,
                                        type_name=type_name(doc_type) if doc_type else None))
    err.print(f"cover sheet for {aktenzeichen} written to {output}")


@main.group()
def batch() -> None:
    """Scan batches (stacks of paper scanned in one go)."""


@batch.command("submit")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--operator", required=True,
              help="Who scanned the batch (recorded): an active account with batches.submit.")
@click.option("--profile", default="default", show_default=True,
              help="Scan profile: 'akte' for whole paper files (documents without sheets "
                   "between them are found by content); any other keeps a stretch without "
                   "cover or PATCH-T sheet as one document.")
@click.option("--expected-pages", type=click.IntRange(1), help="Pages on the batch slip.")
@click.option("--json", "as_json", is_flag=True)
@handled
def batch_submit(paths: tuple[str, ...], operator: str, profile: str,
                 expected_pages: int | None, as_json: bool) -> None:
    """Process a batch: cut the scans into documents at their cover sheets, drop blank pages,
    reconcile the page count, and file every document (or send it to the inbox)."""
    from pipelines.flows import run_scan_batch

    from ..services.audit import Action, audited

    who = entitled_actor(operator, "batches.submit", Action.BATCH_SUBMIT, object_type="batch",
                         object_id=None)
    with audited(_ctx().db, who, Action.BATCH_SUBMIT, object_type="batch",
                 details={"files": [Path(p).name for p in paths], "profile": profile,
                          "expected_pages": expected_pages}) as ev:
        result = run_scan_batch(list(paths), operator=operator, profile=profile,
                                expected_pages=expected_pages)
        ev.object_id = result["batch_id"]
        ev.details.update(status=result["status"], pages_found=result["pages_found"])
    if as_json:
        _print_json(result)
    else:
        _print_batch(result)
    if any(d["status"] == "failed" for d in result["documents"]):
        sys.exit(1)


@batch.command("status")
@click.argument("batch_id", required=False)
@click.option("--json", "as_json", is_flag=True)
@handled
def batch_status(batch_id: str | None, as_json: bool) -> None:
    """A batch's documents and problems (the newest batch without an id)."""
    from ..services.batches import batch_dict, get_batch

    with _ctx().db.session() as s:
        info = batch_dict(get_batch(s, batch_id))
    _print_json(info) if as_json else _print_batch(info)


def _print_batch(b: dict) -> None:
    title = escape(b["name"]) + f" ({b['batch_id'][:12]})" if b.get("name") \
        else f"batch {b['batch_id'][:12]}"
    out.print(f"[bold]{title}[/] · {b['status']} · {b['pages_found']} pages"
              + (f" (expected {b['expected_pages']})" if b["expected_pages"] else ""))
    table = new_table("#", "scan file", "pages", "blank", "status", "e-file / problem")
    for d in b["documents"]:
        note = d.get("error") or d.get("efile") or "; ".join(d["problems"]) or ""
        table.add_row(str(d.get("seq", "")), escape(d["source_name"]),
                      ",".join(map(str, d["pages"])), ",".join(map(str, d["blanks"])),
                      d["status"], escape(note))
    out.print(table)
    for n in b["notes"]:
        out.print(f"[yellow]{escape(n)}[/]")


@main.command()
@click.argument("doc_id", required=False)
@click.option("--batch", "batch_id", metavar="ID", help="Every document of a scan batch.")
@click.option("--json", "as_json", is_flag=True)
@handled
def verify(doc_id: str | None, batch_id: str | None, as_json: bool) -> None:
    """Check a document (or a batch): hashes of original, archive copy and text, metadata
    against its record, the seal, the transfer note; for a batch also its sealed hash trees.
    Exit code 3 and the cause when anything fails."""
    from pipelines.verify import verify as verify_doc
    from pipelines.verify import verify_batch

    from ..errors import IntegrityFailure, InvalidQuery

    if bool(doc_id) == bool(batch_id):
        raise InvalidQuery("name a document or --batch ID")
    report = verify_batch(_ctx(), batch_id) if batch_id else verify_doc(_ctx(), doc_id)
    docs = report["documents"] if batch_id else [report]
    if as_json:
        _print_json(report)
    else:
        for c in report.get("checks", []) if batch_id else []:
            mark = "[green]✓[/]" if c["ok"] else "[red]✗[/]"
            out.print(f"{mark} {escape(c['detail'])}")
        for d in docs:
            out.print(f"[bold]{d['document_id'][:12]}[/] "
                      + ("[green]ok[/]" if d["ok"] else "[red]FAILED[/]"))
            for c in d["checks"]:
                mark = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[dim]–[/]"}[c["ok"]]
                out.print(f"  {mark} {escape(c['detail'])}")
    if not report["ok"]:
        failed = report.get("failed", []) + [f for d in docs for f in d["failed"]]
        raise IntegrityFailure(failed[0] if failed else "verification failed")


@batch.command("release")
@click.argument("batch_id")
@actor_option
@click.option("--json", "as_json", is_flag=True)
@handled
def batch_release(batch_id: str, actor: str, as_json: bool) -> None:
    """Record that a batch's quality control is done: its paper may be destroyed."""
    from pipelines.release import release_batch

    from ..services.audit import Action, audited
    from ..services.batches import batch_dict, get_batch

    ctx = _ctx()
    who = entitled_actor(actor, "qc.release", Action.BATCH_RELEASE, object_type="batch",
                         object_id=batch_id[:64])
    with audited(ctx.db, who, Action.BATCH_RELEASE, object_type="batch",
                 object_id=batch_id[:64]) as ev:
        released = release_batch(ctx, batch_id, actor=actor)
        ev.object_id = released
    with ctx.db.session() as s:
        info = batch_dict(get_batch(s, released), documents=False)
    _print_json(info) if as_json else out.print(
        f"batch {info['batch_id'][:12]} released by {info['released_by']}: the paper may be "
        "destroyed")


@main.group("qc")
def qc() -> None:
    """Quality control of scanned documents (sample and flagged ones)."""


@qc.command("list")
@click.option("--batch", "batch_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True)
@handled
def qc_list(batch_id: str | None, as_json: bool) -> None:
    """Documents waiting for quality control, with why they were chosen."""
    from ..services.batches import batch_name, qc_dict
    from ..services.qc import queue

    with _ctx().db.session() as s:
        items = [{"batch_id": d.batch_id, "batch_name": batch_name(s, d.batch), "seq": d.seq,
                  "document_id": d.document_id, "source_name": d.source_name,
                  "pages": d.pages, "efile": d.efile, "qc": qc_dict(d)}
                 for d in queue(s, batch_id)]
    if as_json:
        _print_json(items)
        return
    if not items:
        out.print("nothing waits for quality control")
    for i in items:
        out.print(f"{i['document_id'][:12]}  {escape(i['batch_name'])} #{i['seq']} · pages "
                  f"{','.join(map(str, i['pages']))} of {escape(i['source_name'])} · "
                  f"{escape(i['qc']['reason'] or '')}")


def _qc_decide(doc_id: str, passed: bool, actor: str, note: str | None, as_json: bool) -> None:
    from ..services.audit import Action, audited
    from ..services.batches import qc_dict
    from ..services.qc import decide

    db = _ctx().db
    who = entitled_actor(actor, "qc.decide", Action.QC_DECIDE, object_type="document",
                         object_id=doc_id[:64])
    with audited(db, who, Action.QC_DECIDE, object_type="document", object_id=doc_id[:64],
                 details={"passed": passed, "note": note}) as ev, db.session() as s:
        d = decide(s, doc_id, passed=passed, actor=who.user, note=note)
        info = {"document_id": d.document_id, "batch_id": d.batch_id, "qc": qc_dict(d)}
        ev.object_id = d.document_id
        ev.details["batch_id"] = d.batch_id
    _print_json(info) if as_json else out.print(
        f"{info['document_id'][:12]}: quality control {info['qc']['state']}")


@qc.command("pass")
@click.argument("doc_id")
@click.option("--note")
@actor_option
@click.option("--json", "as_json", is_flag=True)
@handled
def qc_pass(doc_id: str, note: str | None, actor: str, as_json: bool) -> None:
    """The scan matches the paper (image and content, complete)."""
    _qc_decide(doc_id, True, actor, note, as_json)


@qc.command("fail")
@click.argument("doc_id")
@click.option("--note", required=True, help="What is wrong (page missing, unreadable …).")
@actor_option
@click.option("--json", "as_json", is_flag=True)
@handled
def qc_fail(doc_id: str, note: str, actor: str, as_json: bool) -> None:
    """The scan does not match the paper: the batch is not released until it is rescanned."""
    _qc_decide(doc_id, False, actor, note, as_json)


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--operator", required=True, help="Who scans into this folder (recorded).")
@click.option("--profile", default="default", show_default=True,
              help="Scan profile, as for batch submit ('akte': whole paper files).")
@click.option("--settle", default=5.0, show_default=True, type=click.FloatRange(0.5, 3600),
              help="Seconds a file must stay unchanged before it counts as written.")
@click.option("--once", is_flag=True, help="Take what is ready now, then stop (cron, tests).")
@click.option("--json", "as_json", is_flag=True)
@handled
def watch(folder: str, operator: str, profile: str, settle: float, once: bool,
          as_json: bool) -> None:
    """Hot folder: every file the scanner finishes writing into FOLDER becomes a scan batch;
    taken files move to FOLDER/done (or FOLDER/failed with the reason)."""
    from pipelines.flows import run_scan_batch
    from pipelines.watch import Watcher

    def handle(path: Path) -> dict:
        return run_scan_batch([str(path)], operator=operator, profile=profile)

    def report(r: dict) -> None:
        if as_json:
            _print_json(r)
        elif "error" in r:
            out.print(f"[red]failed[/] {escape(r['path'])}: {escape(r['error'])}")
        else:
            _print_batch(r)

    w = Watcher(Path(folder), settle=settle)
    if once:
        results = w.run_once(handle)
        if as_json:
            _print_json(results)
        else:
            for r in results:
                report(r)
        return
    err.print(f"watching {folder} (Ctrl-C stops)")
    w.run_forever(handle, on_result=report)
