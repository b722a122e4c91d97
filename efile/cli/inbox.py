"""The inbox (Klärfälle) and a person's decisions: inbox, assign, reclassify."""

from __future__ import annotations

import getpass
import os
from dataclasses import replace

import click
from rich.markup import escape

from .base import DOC_TYPE, _ctx, _print_json, handled, main, out


def actor_option(fn):  # noqa: ANN001, ANN201
    return click.option(
        "--user", "actor", default=lambda: os.environ.get("EFILE_USER") or getpass.getuser(),
        show_default="$EFILE_USER or the login name",
        help="Who decides (recorded with the decision).")(fn)


@main.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 10_000))
@click.pass_context
@handled
def inbox(ctx: click.Context, as_json: bool, limit: int) -> None:
    """Documents waiting for a person to decide their e-file or type (Klärfälle)."""
    if ctx.invoked_subcommand:
        return
    from ..services.inbox import item_dict, open_items

    with _ctx().db.session() as s:
        items = [item_dict(i) for i in open_items(s, limit=limit)]
    if as_json:
        _print_json(items)
        return
    if not items:
        out.print("the inbox is empty")
    for i in items:
        sure = "" if (i["type_confidence"] or 0) >= 0.6 else " ?"
        out.print(f"[bold]#{i['item_id']} {escape(i['title'])}[/]  [dim]{i['document_id'][:12]} · "
                  f"{i['pages']} page(s) · {escape(i['type_name'])}{sure} "
                  f"({i['type_confidence'] or 0:.2f})[/]")
        for line in i["preview"][:3]:
            out.print(f"  [dim]│ {escape(line[:90])}[/]")
        for r in i["reasons"]:
            out.print(f"  why: {escape(r)}")
        for sug in i["suggestions"][:3]:
            out.print(f"  suggestion: {sug['aktenzeichen']} (score {sug['score']}, "
                      f"{', '.join(sug['evidence'])})")


@main.command()
@click.argument("item")
@click.argument("aktenzeichen")
@click.option("--type", "doc_type", type=DOC_TYPE,
              help="Document type: its id or German name (efile types).")
@actor_option
@click.option("--json", "as_json", is_flag=True)
@handled
def assign(item: str, aktenzeichen: str, doc_type: str | None, actor: str, as_json: bool) -> None:
    """File an inbox item (its number, or its document's id) into the e-file AKTENZEICHEN,
    optionally setting the document type."""
    from ..services.audit import Action, record
    from ..services.inbox import assign as assign_item
    from ..services.inbox import item_dict
    from .audit import cli_actor

    ctx = _ctx()
    with ctx.db.session() as s:
        info = item_dict(assign_item(s, ctx.store, item, aktenzeichen, actor=actor,
                                     doc_type=doc_type))
        record(s, replace(cli_actor(), user=actor), Action.ASSIGN, object_type="document",
               object_id=info["document_id"], details={"aktenzeichen": aktenzeichen,
                                                       "doc_type": doc_type})
    _print_json(info) if as_json else out.print(
        f"{info['document_id'][:12]} filed into {info['resolved_to']} as "
        f"{escape(info['type_name'])}")


inbox.add_command(assign)  # `efile inbox assign` is the same command


@main.command()
@click.argument("doc_id")
@click.argument("doc_type", type=DOC_TYPE)
@actor_option
@click.option("--json", "as_json", is_flag=True)
@handled
def reclassify(doc_id: str, doc_type: str, actor: str, as_json: bool) -> None:
    """Correct a document's type (recorded; a label for the next `efile train`)."""
    from ..services.audit import Action, record
    from ..services.documents import document_dict
    from ..services.inbox import reclassify as reclassify_doc
    from .audit import cli_actor

    ctx = _ctx()
    with ctx.db.session() as s:
        info = document_dict(reclassify_doc(s, ctx.store, doc_id, doc_type, actor=actor))
        record(s, replace(cli_actor(), user=actor), Action.CHANGE, object_type="document",
               object_id=info["document_id"], details={"doc_type": doc_type})
    _print_json(info) if as_json else out.print(
        f"{info['document_id'][:12]} is now {escape(info['type_name'])}")
