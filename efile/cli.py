"""The `efile` command line. Commands are thin: they parse, call a service or flow, and print.

Every reporting command takes --json. Exit code 0 only when everything went well; otherwise a
one-line error on stderr and the exit code of the error type (efile/errors.py).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

# Prefect's settings stay Prefect's own; these only change defaults for interactive use.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")  # the CLI reports; the Prefect UI keeps the details


from storage import StorageError  # noqa: E402

from .errors import EfileError  # noqa: E402

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _fail(message: str, code: int) -> None:
    first = message.strip().splitlines()[0] if message.strip() else "failed"
    click.echo(f"efile: error: {first}", err=True)
    sys.exit(code)


def handled(fn):  # noqa: ANN001, ANN201
    """Turn product errors into one clear line and the right exit code."""

    @wraps(fn)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        try:
            return fn(*args, **kwargs)
        except EfileError as e:
            _fail(str(e), e.exit_code)
        except StorageError as e:
            _fail(f"object storage: {e}", 74)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Exception as e:  # noqa: BLE001
            if os.environ.get("EFILE_DEBUG"):
                raise
            _fail(f"unexpected {type(e).__name__}: {e} (set EFILE_DEBUG=1 for details)", 70)

    return wrapper


def _ctx():  # noqa: ANN202
    from .context import get_context

    return get_context()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="efile")
def main() -> None:
    """efile: scanned paper and uploads in, searchable PDF/A in the right e-file.

    Configuration comes from EFILE_HOME (default ./var), EFILE_DATABASE_URL and
    EFILE_STORAGE_URL.
    """


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@handled
def init(as_json: bool) -> None:
    """Create or upgrade the database schema and the object store (idempotent)."""
    from storage import open_store

    from .config import Settings
    from .context import redact_url

    settings = Settings.from_env()
    settings.home.mkdir(parents=True, exist_ok=True)
    # the bucket first: opening the context checks its protection
    store = open_store(settings.storage_url, check=False)
    created = store.create_bucket() if hasattr(store, "create_bucket") else False
    ctx = _ctx()  # connects and migrates, or names the database it could not reach
    before, after = ctx.db.migrated
    info = {"home": str(settings.home), "database": redact_url(settings.database_url),
            "storage": ctx.store.url, "bucket_created": created, "schema_before": before,
            "schema": after, "upgraded": before != after, "revision": after}
    if as_json:
        _print_json(info)
    else:
        state = "created" if before is None else ("upgraded" if before != after else "up to date")
        out.print(f"database schema {state} (revision {after}) · objects in {ctx.store.url}")


# -- ingest ------------------------------------------------------------------------------------

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
    table = Table(show_edge=False, header_style="bold")
    for col in ("file", "status", "document", "pages", "note"):
        table.add_column(col)
    for r in results:
        style = _STATUS_STYLE.get(r["status"], "")
        note = r.get("error") or (f"e-file {r['efile']}" if r.get("efile") else "")
        table.add_row(escape(Path(r["path"]).name), f"[{style}]{r['status']}[/]",
                      (r.get("document_id") or "")[:12], str(r.get("pages") or ""), escape(note))
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


# -- reading -----------------------------------------------------------------------------------

@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True, type=click.UNPROCESSED)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--json", "as_json", is_flag=True)
@handled
def search(words: tuple[str, ...], limit: int, offset: int, as_json: bool) -> None:
    """Full-text search: words, "phrases", prefix*, -exclude, a OR b. Müller = Mueller.

    A leading -word excludes it (efile search Müller -Kündigung).
    """
    from . import search as search_mod

    query = " ".join(words)

    with _ctx().db.session() as s:
        hits = [h.to_dict() for h in search_mod.search(s, query, limit=limit, offset=offset)]
    if as_json:
        _print_json(hits)
        return
    if not hits:
        out.print("no documents found")
        return
    for h in hits:
        where = h["efile"] or "inbox"
        out.print(f"[bold]{escape(h['title'])}[/]  [dim]{h['document_id'][:12]} · {where} · "
                  f"page {h['page']} · score {h['score']}[/]")
        out.print("  " + _marks_to_rich(h["snippet"]))


def _marks_to_rich(snippet: str) -> str:
    import html

    parts = snippet.split("<mark>")
    text = escape(html.unescape(parts[0]))
    for part in parts[1:]:
        hit, _, rest = part.partition("</mark>")
        text += f"[reverse]{escape(html.unescape(hit))}[/]" + escape(html.unescape(rest))
    return text


@main.command()
@click.argument("doc_id")
@click.option("--json", "as_json", is_flag=True)
@handled
def show(doc_id: str, as_json: bool) -> None:
    """A document's metadata: e-file, type, pages, status, hashes, object keys, times."""
    from .services.documents import document_dict, get_document

    with _ctx().db.session() as s:
        info = document_dict(get_document(s, doc_id))
    if as_json:
        _print_json(info)
        return
    table = Table(show_header=False, show_edge=False)
    for k, v in info.items():
        if isinstance(v, dict):
            v = ", ".join(f"{a}={b}" for a, b in v.items())
        table.add_row(k, escape(str(v)))
    out.print(table)


@main.command()
@click.argument("doc_id")
@click.option("--original", is_flag=True, help="The file as received instead of the archive copy.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
@handled
def get(doc_id: str, original: bool, output: str) -> None:
    """Write a document's archive PDF (or its original) to a file, hash-verified."""
    from .services.documents import get_document, read_file

    ctx = _ctx()
    with ctx.db.session() as s:
        doc = get_document(s, doc_id)
        data = read_file(ctx.store, doc, original=original)
    Path(output).write_bytes(data)
    err.print(f"wrote {len(data):,} bytes to {output}")


@main.command()
@click.argument("run_id", required=False)
@click.option("--failed", is_flag=True, help="List the failed files of all runs instead.")
@click.option("--json", "as_json", is_flag=True)
@handled
def runs(run_id: str | None, failed: bool, as_json: bool) -> None:
    """What became of each file of the last (or the given) ingest run."""
    from .services import runs as runs_svc

    db = _ctx().db
    data: Any = runs_svc.failed_items(db) if failed else runs_svc.get_run(db, run_id)
    if as_json:
        _print_json(data)
        return
    items = data if failed else data["items"]
    if not failed:
        out.print(f"run {data['run_id']} · {data['started_at']} · {data['counts']}")
    _print_ingest_table(items)


# -- inbox ---------------------------------------------------------------------------------------

@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
@handled
def inbox(ctx: click.Context, as_json: bool) -> None:
    """Documents waiting for a person to decide their e-file (Klärfälle)."""
    if ctx.invoked_subcommand:
        return
    from .services.inbox import item_dict, open_items

    with _ctx().db.session() as s:
        items = [item_dict(i) for i in open_items(s)]
    if as_json:
        _print_json(items)
        return
    if not items:
        out.print("the inbox is empty")
    for i in items:
        out.print(f"[bold]{escape(i['title'])}[/]  [dim]{i['document_id'][:12]} · {i['pages']} "
                  f"page(s)[/]")
        for r in i["reasons"]:
            out.print(f"  why: {escape(r)}")
        for sug in i["suggestions"][:3]:
            out.print(f"  suggestion: {sug['aktenzeichen']} (score {sug['score']}, "
                      f"{', '.join(sug['evidence'])})")


@inbox.command("assign")
@click.argument("doc_id")
@click.argument("aktenzeichen")
@click.option("--json", "as_json", is_flag=True)
@handled
def inbox_assign(doc_id: str, aktenzeichen: str, as_json: bool) -> None:
    """File an inbox document into the e-file AKTENZEICHEN."""
    from .services.inbox import assign, item_dict

    with _ctx().db.session() as s:
        info = item_dict(assign(s, doc_id, aktenzeichen))
    _print_json(info) if as_json else out.print(
        f"{info['document_id'][:12]} filed into {info['resolved_to']}")


# -- e-files -----------------------------------------------------------------------------------

@main.group()
def efiles() -> None:
    """E-files (Akten): one per client."""


@efiles.command("add")
@click.argument("aktenzeichen")
@click.option("--surname", required=True)
@click.option("--given-names", default="")
@click.option("--birth-date", type=click.DateTime(["%Y-%m-%d", "%d.%m.%Y"]))
@click.option("--nationality", help="ISO 3166-1 alpha-3, e.g. TUR")
@click.option("--team")
@click.option("--passport", "passports", multiple=True, help="Passport number (repeatable).")
@click.option("--azr", help="AZR number (Ausländerzentralregister, 12 digits).")
@click.option("--json", "as_json", is_flag=True)
@handled
def efiles_add(aktenzeichen: str, surname: str, given_names: str, birth_date: Any,
               nationality: str | None, team: str | None, passports: tuple[str, ...],
               azr: str | None, as_json: bool) -> None:
    """Create an e-file for a client."""
    from .services.efiles import add_efile, efile_dict

    bd: date | None = birth_date.date() if birth_date else None
    with _ctx().db.session() as s:
        info = efile_dict(add_efile(s, aktenzeichen, surname=surname, given_names=given_names,
                                    birth_date=bd, nationality=nationality, team=team,
                                    passports=passports, azr_number=azr))
    _print_json(info) if as_json else out.print(f"e-file {aktenzeichen} created")


@efiles.command("find")
@click.argument("name")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True)
@handled
def efiles_find(name: str, limit: int, as_json: bool) -> None:
    """E-files by the client's name, spelling variants included (Öztürk = Oeztuerk ≈ Ozturk)."""
    from .services.efiles import efile_dict, find_efiles

    with _ctx().db.session() as s:
        data = [{**efile_dict(e), "similarity": sim} for e, sim in find_efiles(s, name, limit=limit)]
    if as_json:
        _print_json(data)
        return
    for e in data:
        p = e["person"]
        out.print(f"{e['aktenzeichen']}  {escape(p['surname'])}, {escape(p['given_names'])}  "
                  f"[dim]born {p['birth_date'] or '?'} · similarity {e['similarity']}[/]")
    if not data:
        out.print("no e-file found")


@efiles.command("list")
@click.option("--json", "as_json", is_flag=True)
@handled
def efiles_list(as_json: bool) -> None:
    """All e-files with their client and number of documents."""
    from .services.efiles import efile_dict, list_efiles

    with _ctx().db.session() as s:
        data = [efile_dict(e) for e in list_efiles(s)]
    if as_json:
        _print_json(data)
        return
    table = Table(show_edge=False, header_style="bold")
    for col in ("Aktenzeichen", "client", "born", "documents"):
        table.add_column(col)
    for e in data:
        p = e["person"]
        table.add_row(e["aktenzeichen"], escape(f"{p['surname']}, {p['given_names']}"),
                      p["birth_date"] or "", str(e["documents"]))
    out.print(table)


# -- demo --------------------------------------------------------------------------------------

@main.command()
@click.option("--home", type=click.Path(file_okay=False), default="./var/demo", show_default=True,
              help="A fresh home for the demo (replaced if it holds an earlier demo).")
@handled
def demo(home: str) -> None:
    """Generate sample scans, ingest them into a fresh home and search them."""
    from .demo import run_demo

    run_demo(Path(home), out)


if __name__ == "__main__":
    main()
