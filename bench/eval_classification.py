"""Document-type classification and routing on a held-out generated corpus, through the real
pipeline (OCR of 300-dpi noisy scans, classification, routing against an imported registry).

    python bench/eval_classification.py [--seed 7] [--per-class 3] [--record]

The base model is trained on seed 1 (texts only); the held-out corpus uses another seed, so
its clients, names, numbers, dates and the choice among each type's wordings and layouts are
new to the model. Goals (issue #4): macro-F1 >= 0.95, zero misfiles, >= 90 % of documents
that carry an identifier of a registered client filed automatically.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-class", type=int, default=3)
    ap.add_argument("--record", action="store_true", help="append the figures to RESULTS.md")
    ap.add_argument("--details", type=Path, help="write the whole report (every document) as JSON")
    args = ap.parse_args()

    from rich.console import Console

    from efile.cli.classify import print_report
    from efile.samples.corpus import write_corpus
    from pipelines.evaluate import evaluate

    with tempfile.TemporaryDirectory(prefix="efile-bench-eval-") as tmp:
        os.environ["EFILE_HOME"] = str(Path(tmp) / "home")  # base model, nothing trained
        corpus = write_corpus(Path(tmp) / "corpus", seed=args.seed, per_class=args.per_class)
        report = evaluate(corpus)
    print_report(report)
    if args.details:
        import json

        args.details.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    if args.record:
        from results import record

        t, ro = report["types"], report["routing"]
        weak = [f"{k} {v['f1']:.2f}" for k, v in t["per_type"].items() if v["f1"] < 0.95]
        confusions = ", ".join(f"{c['true']}→{c['predicted']} ×{c['count']}"
                               for c in t["confusions"][:5]) or "none"
        body = "\n".join([
            "| measure | value | goal |", "|---|---|---|",
            f"| document-type macro-F1 | {t['macro_f1']:.3f} | ≥ 0.95 |",
            f"| accuracy | {t['accuracy']:.3f} | |",
            f"| misfiles (filed into a wrong e-file) | {ro['misfiles']} | 0 |",
            f"| routing precision | {ro['routing_precision']:.3f} | 1.000 |",
            f"| auto-filed, of documents with an identifier | {ro['auto_filed']}/{ro['routable']}"
            f" = {(ro['auto_file_rate'] or 0):.1%} | ≥ 90 % |",
            "",
            f"Types below 0.95 F1: {', '.join(weak) or 'none'}. Confusions: {confusions}.",
            f"Inbox by reason: {ro['inbox_reasons']}. By case: {ro['outcomes_by_case']}.",
            f"{report['documents']} documents, {report['pages']} pages, {report['failed']} "
            f"failed, {report['seconds']} s.",
        ])
        record("eval_classification", f"held-out seed {args.seed}, {args.per_class} per type, "
               f"{report['documents']} scans", body)
        Console().print("recorded in bench/RESULTS.md")


if __name__ == "__main__":
    main()
