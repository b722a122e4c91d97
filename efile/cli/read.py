"""Commands that read: search, show, get."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from .base import _ctx, _print_json, err, handled, main, out


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
    from .. import search as search_mod

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
    from ..services.documents import document_dict, get_document

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
    from ..services.documents import get_document, read_file

    ctx = _ctx()
    with ctx.db.session() as s:
        doc = get_document(s, doc_id)
        data = read_file(ctx.store, doc, original=original)
    Path(output).write_bytes(data)
    err.print(f"wrote {len(data):,} bytes to {output}")


