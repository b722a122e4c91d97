"""Document types: the taxonomy, training the type model, and measuring the whole
classification and routing on a labelled corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markup import escape

from .base import _print_json, err, handled, main, new_table, out


@main.command()
@click.option("--json", "as_json", is_flag=True)
@handled
def types(as_json: bool) -> None:
    """The document types (taxonomy) with their German names."""
    from classifiers.taxonomy import load

    data = [t.to_dict() for t in load().types]
    if as_json:
        _print_json(data)
        return
    table = new_table("id", "Name", "Gruppe", "")
    for t in data:
        table.add_row(t["id"], escape(t["name"]), t["group"],
                      "eingeschränkt" if t["restricted"] else "")
    out.print(table)


@main.command()
@click.option("--no-activate", is_flag=True, help="Store the model without using it yet.")
@click.option("--json", "as_json", is_flag=True)
@handled
def train(no_activate: bool, as_json: bool) -> None:
    """Train the document-type model on the generated corpus plus every type a person set
    (efile assign --type, efile reclassify), and make it the active model."""
    from pipelines.flows import run_train

    info = run_train(activate=not no_activate)
    if as_json:
        _print_json(info)
    else:
        out.print(f"model {info['model_id'][:12]} trained on {info['documents']} documents "
                  f"({info['human_labels']} labelled by people) in {info['seconds']} s; "
                  f"macro-F1 on the generated check set {info['check_macro_f1']}"
                  + ("; now active" if info["active"] else ""))


@main.command("eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@click.option("--workers", type=click.IntRange(1, 64), help="Documents in flight at once.")
@click.option("--json", "as_json", is_flag=True)
@handled
def eval_(corpus: str, workers: int | None, as_json: bool) -> None:
    """Measure type classification and routing on a labelled corpus (files, labels.csv,
    persons.csv), in a throw-away home, with the model the configured home uses."""
    from pipelines.evaluate import evaluate

    report = evaluate(Path(corpus), workers=workers)
    if as_json:
        _print_json(report)
    else:
        print_report(report)


def print_report(r: dict) -> None:
    t, ro = r["types"], r["routing"]
    table = new_table("type", "precision", "recall", "F1", "n", title="document types")
    for type_id, m in t["per_type"].items():
        style = "" if m["f1"] >= 0.95 else "yellow"
        table.add_row(type_id, f"{m['precision']:.2f}", f"{m['recall']:.2f}",
                      f"[{style}]{m['f1']:.2f}[/]" if style else f"{m['f1']:.2f}",
                      str(m["support"]))
    out.print(table)
    for c in t["confusions"]:
        out.print(f"  confused: {c['true']} → {c['predicted']} ×{c['count']}")
    rate = ro["auto_file_rate"]
    out.print(f"[bold]macro-F1 {t['macro_f1']:.3f}[/] · accuracy {t['accuracy']:.3f} · "
              f"[bold]misfiles {ro['misfiles']}[/] (routing precision "
              f"{ro['routing_precision']:.3f}) · auto-filed {ro['auto_filed']}/{ro['routable']}"
              f" = [bold]{(rate or 0):.1%}[/] of documents with an identifier")
    if ro["type_to_check"]:
        out.print(f"filed with a type to check: {ro['type_to_check']} (the guess was right on "
                  f"{ro['type_to_check_guess_right']})")
    out.print(f"{r['documents']} documents, {r['pages']} pages, {r['failed']} failed, "
              f"{r['seconds']} s · inbox: " + ", ".join(
                  f"{k} {v}" for k, v in ro["inbox_reasons"].items()))
    for m in ro["misfiled"]:
        out.print(f"[red]misfiled[/] {m['file']}: into {m['filed_to']}, belongs to "
                  f"{m['truth'] or 'nobody registered'} ({m['case']})")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--seed", default=7, show_default=True, help="Another seed, other documents.")
@click.option("--per-class", default=3, show_default=True, type=click.IntRange(1, 1000))
@handled
def corpus(folder: str, seed: int, per_class: int) -> None:
    """Generate a labelled corpus of scans of every document type (for efile eval)."""
    from ..samples.corpus import write_corpus

    path = write_corpus(Path(folder), seed=seed, per_class=per_class)
    err.print(f"wrote the corpus to {path} (labels.csv, persons.csv)")
    sys.exit(0)
