"""Commands that read: search, show, get."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from .audit import cli_actor
from .base import _ctx, _print_json, err, handled, main, out


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True, type=click.UNPROCESSED)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--json", "as_json", is_flag=True)
@handled
def search(words: tuple[str, ...], limit: int, offset: int, as_json: bool) -> None:
    """Search documents: words, "phrases", prefix*, -exclude, a OR b (Müller = Mueller), and
    filters: az:ABH-2024-000123 typ:arbeitsvertrag geb:14.03.1990 von:2024-03 bis:2024
    datum:2024 pass:C01X00T47 azr:123456789012. A passport, AZR number or Aktenzeichen typed
    as a word finds the client's documents. Filters alone list documents, newest first.

    A leading -word excludes it (efile search Müller -Kündigung).
    """
    from .. import search as search_mod
    from ..services.audit import Action, audited

    query = " ".join(words)
    ctx = _ctx()
    with audited(ctx.db, cli_actor(), Action.SEARCH,
                 details={"query": query, "limit": limit, "offset": offset}) as seen, \
            ctx.db.session() as s:
        result = search_mod.search(s, query, limit=limit, offset=offset)
        seen.details.update(results=result.total,
                            documents=[h.document_id for h in result.hits])
    if as_json:
        _print_json(result.to_dict())
        return
    if not result.hits:
        out.print("no documents found" if not result.total else
                  f"{result.total} documents found; none from {offset + 1} on")
        return
    last = offset + len(result.hits)
    total = str(result.total) if result.total_exact else f"more than {result.total}"
    out.print(f"[dim]{offset + 1}–{last} of {total} · {result.order} · "
              + " · ".join(f"{f.label} {f.count}" for f in result.facets["type"][:5]) + "[/]")
    for h in result.hits:
        where = h.efile or "inbox"
        score = f" · score {h.score}" if h.score is not None else ""
        out.print(f"[bold]{escape(h.title)}[/]  [dim]{h.document_id[:12]} · {where} · "
                  f"{escape(h.type_name)} · {h.date} · page {h.page}{score}[/]")
        out.print("  " + _marks_to_rich(h.snippet))
    if result.next_offset is not None:
        out.print(f"[dim]more: --offset {result.next_offset}[/]")


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
    from ..services.audit import Action, audited
    from ..services.documents import document_dict, get_document

    db = _ctx().db
    with audited(db, cli_actor(), Action.READ, object_type="document",
                 object_id=doc_id) as seen, db.session() as s:
        info = document_dict(get_document(s, doc_id))
        seen.object_id = info["document_id"]
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
    from ..services.audit import Action, audited
    from ..services.documents import get_document, read_file

    ctx = _ctx()
    with audited(ctx.db, cli_actor(), Action.DOWNLOAD, object_type="document", object_id=doc_id,
                 details={"copy": "original" if original else "archive"}) as seen, \
            ctx.db.session() as s:
        doc = get_document(s, doc_id)
        seen.object_id = doc.id
        data = read_file(ctx.store, doc, original=original)
        seen.details["bytes"] = len(data)
    Path(output).write_bytes(data)
    err.print(f"wrote {len(data):,} bytes to {output}")


