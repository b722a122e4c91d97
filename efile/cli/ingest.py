"""Commands that bring documents in: ingest, submit, retry, runs."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from .base import _ctx, _print_json, err, handled, main, new_table, out

# A busy machine (load 5-9) starts Prefect's ephemeral server in more than its default 20 s,
# and the ingest then failed with exit 70 before touching a file: wait up to three minutes.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

_STATUS_STYLE = {"filed": "green", "inbox": "yellow", "duplicate": "cyan", "failed": "red"}


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--efile", "efile_ref", metavar="AKTENZEICHEN",
              help="File every document into this e-file (an explicit reference).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array, an object per file.")
@handled
def ingest(paths: tuple[str, ...], efile_ref: str | None, as_json: bool) -> None:
    """Ingest scanned files and folders: store, OCR, archive as PDF/A, file and index."""
    results = _run_ingest(list(paths), efile_ref, show_progress=sys.stderr.isatty())
    if as_json:
        _print_json(results)
    else:
        _print_ingest_table(results)
    if any(r["status"] == "failed" for r in results):
        sys.exit(1)


def _run_ingest(paths: list[str], efile_ref: str | None, *, show_progress: bool) -> list[dict]:
    from pipelines import progress
    from pipelines.flows import run_ingest

    if not show_progress:
        return run_ingest(paths, efile=efile_ref)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("ingesting", total=None)

        def on_event(event: str, data: dict) -> None:
            if event == "start":
                bar.update(task, total=data["total"])
            elif event == "file":
                item = data["item"]
                bar.update(task, advance=1, description=f"{Path(item['path']).name[:40]}")

        progress.set_listener(on_event)
        try:
            return run_ingest(paths, efile=efile_ref)
        finally:
            progress.set_listener(None)


def _print_ingest_table(results: list[dict]) -> None:
    table = new_table("file", "status", "document", "type", "pages", "note")
    for r in results:
        style = _STATUS_STYLE.get(r["status"], "")
        note = r.get("error") or (f"e-file {r['efile']}" if r.get("efile") else "")
        table.add_row(escape(Path(r["path"]).name), f"[{style}]{r['status']}[/]",
                      (r.get("document_id") or "")[:12], r.get("doc_type") or "",
                      str(r.get("pages") or ""), escape(note))
    out.print(table)
    counts: dict[str, int] = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    out.print(" · ".join(f"{n} {s}" for s, n in counts.items()) or "nothing to ingest")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--efile", "efile_ref", metavar="AKTENZEICHEN")
@click.option("--chunk", default=8, show_default=True, type=click.IntRange(1, 1000),
              help="Files per flow run.")
@click.option("--json", "as_json", is_flag=True)
@handled
def submit(paths: tuple[str, ...], efile_ref: str | None, chunk: int, as_json: bool) -> None:
    """Store the originals, then queue them for the workers (Prefect deployment ingest/ingest).

    Needs PREFECT_API_URL pointing at the Prefect server the workers poll.
    """
    from pipelines.submit import submit as submit_files

    result = submit_files(list(paths), efile=efile_ref, chunk=chunk)
    if as_json:
        _print_json(result)
    else:
        out.print(f"{result['stored']} originals stored, {len(result['flow_runs'])} flow run(s) "
                  f"queued: " + ", ".join(r["name"] for r in result["flow_runs"]))
        for f in result["failed"]:
            out.print(f"[red]failed[/] {escape(f['path'])}: {escape(f['error'])}")
    if result["failed"]:
        sys.exit(1)


@main.command()
@click.argument("run_id", required=False)
@click.option("--json", "as_json", is_flag=True)
@handled
def retry(run_id: str | None, as_json: bool) -> None:
    """Ingest the failed files of the last (or the given) run again, from their kept originals."""
    from pipelines.submit import retry_inputs

    inputs, efile_ref = retry_inputs(run_id)
    if not inputs:
        _print_json([]) if as_json else out.print("nothing failed in that run")
        return
    results = _run_ingest(inputs, efile_ref, show_progress=sys.stderr.isatty())
    _print_json(results) if as_json else _print_ingest_table(results)
    if any(r["status"] == "failed" for r in results):
        sys.exit(1)



@main.command()
@click.argument("run_id", required=False)
@click.option("--failed", is_flag=True, help="List the failed files of all runs instead.")
@click.option("--json", "as_json", is_flag=True)
@handled
def runs(run_id: str | None, failed: bool, as_json: bool) -> None:
    """What became of each file of the last (or the given) ingest run."""
    from ..services import runs as runs_svc

    db = _ctx().db
    data: Any = runs_svc.failed_items(db) if failed else runs_svc.get_run(db, run_id)
    if as_json:
        _print_json(data)
        return
    items = data if failed else data["items"]
    if not failed:
        out.print(f"run {data['run_id']} · {data['started_at']} · {data['counts']}")
    _print_ingest_table(items)




@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--reference", required=True, help="The e-file's Aktenzeichen (the portal's "
              "application reference).")
@click.option("--type", "declared_type", metavar="TYPE", help="The type the sender declares.")
@click.option("--key", "idempotency_key", help="Idempotency key (default: a hash of the files "
              "and reference, so the same command twice is one upload).")
@click.option("--as", "submitted_by", default="cli", show_default=True,
              help="Recorded as the submitting account.")
@click.option("--json", "as_json", is_flag=True)
@handled
def upload(paths: tuple[str, ...], reference: str, declared_type: str | None,
           idempotency_key: str | None, submitted_by: str, as_json: bool) -> None:
    """Submit files as an applicant upload: the same validation, malware scan, sanitising and
    receipt as POST /api/uploads (for tests and bulk imports)."""
    from pipelines.process import pooled_ocr
    from pipelines.upload import UploadFile, request_digest, submit

    ctx = _ctx()
    files = [UploadFile(Path(p).name, Path(p).read_bytes()) for p in paths]
    key = idempotency_key or "cli-" + request_digest(reference, declared_type, files)[:32]
    out_ = submit(ctx, files, reference=reference, submitted_by=submitted_by,
                  idempotency_key=key, declared_type=declared_type,
                  ocr_pages=pooled_ocr(ctx.settings.ocr_languages, ctx.settings.ocr_workers))
    if as_json:
        _print_json(out_)
    else:
        out.print(f"upload {out_['upload_id'][:12]} for {out_['reference']}")
        for f in out_["files"]:
            doc = f" → {f['document_id'][:12]}" if f.get("document_id") else ""
            why = f": {f.get('reason')}" if f.get("reason") else ""
            out.print(f"  {f['name']}: {f['status']}{doc}{escape(why)}")
    if any(f["status"] in ("refused", "quarantined", "failed") for f in out_["files"]):
        raise SystemExit(65)
