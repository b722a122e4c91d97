"""`efile eval`: run the real pipeline (OCR, classification, routing) over a labelled corpus
in a throw-away embedded home and measure what matters:

- document type: precision, recall and F1 per type, macro-F1, the most frequent confusions;
- routing: misfiles (a document filed automatically into a file that is not its own; the
  goal is zero), the auto-file rate among documents that carry an identifier of a registered
  client, and where the rest went.

The corpus folder holds the files, `labels.csv` (file,doc_type,aktenzeichen[,identifiers,case])
and optionally `persons.csv` (the registry to import, as `efile persons import` reads it).
"""

from __future__ import annotations

import csv
import os
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from efile.config import Settings
from efile.context import get_context, reset_contexts
from efile.errors import InputRejected
from efile.models import Document
from efile.services.classification import active_model, pinned_model
from efile.services.persons import import_csv

from .process import ingest_file, pooled_ocr

IDENTIFIERS = {"mrz", "aktenzeichen", "azr", "passport", "name_dob"}


@dataclass
class Label:
    file: str
    doc_type: str
    aktenzeichen: str | None
    identifiers: list[str] = field(default_factory=list)
    case: str = "normal"

    @property
    def routable(self) -> bool:
        """Carries an identifier of one registered client (MRZ, Aktenzeichen, AZR or passport
        number, name with date of birth): the product should file it. A name alone, or a
        birth date alone, identifies nobody among 95,000 clients."""
        return bool(self.aktenzeichen and IDENTIFIERS & set(self.identifiers)
                    and self.case == "normal")


def read_labels(folder: Path) -> list[Label]:
    path = folder / "labels.csv"
    if not path.exists():
        raise InputRejected(f"{folder} has no labels.csv (file,doc_type,aktenzeichen,...)")
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"file", "doc_type", "aktenzeichen"} - set(reader.fieldnames or [])
        if missing:
            raise InputRejected(f"labels.csv lacks the column(s) {', '.join(sorted(missing))}")
        labels = []
        for row in reader:
            if not (folder / row["file"]).is_file():
                raise InputRejected(f"labels.csv names {row['file']}, which is not in {folder}")
            labels.append(Label(row["file"], row["doc_type"], row["aktenzeichen"] or None,
                                [i for i in (row.get("identifiers") or "").split(";") if i],
                                row.get("case") or "normal"))
    if not labels:
        raise InputRejected("labels.csv lists no files")
    return labels


def type_metrics(truth: list[str], predicted: list[str]) -> dict:
    from sklearn.metrics import precision_recall_fscore_support

    labels = sorted(set(truth))
    p, r, f, n = precision_recall_fscore_support(truth, predicted, labels=labels,
                                                 zero_division=0)
    per_type = {t: {"precision": round(float(p[i]), 3), "recall": round(float(r[i]), 3),
                    "f1": round(float(f[i]), 3), "support": int(n[i])}
                for i, t in enumerate(labels)}
    confusions = Counter((t, q) for t, q in zip(truth, predicted, strict=True) if t != q)
    return {"macro_f1": round(sum(float(x) for x in f) / len(labels), 4),
            "accuracy": round(sum(t == q for t, q in zip(truth, predicted, strict=True))
                              / len(truth), 4),
            "per_type": per_type,
            "confusions": [{"true": t, "predicted": q, "count": c}
                           for (t, q), c in confusions.most_common(10)]}


def routing_metrics(labels: list[Label], outcomes: dict[str, dict]) -> dict:
    misfiles, auto_ok, routable, inbox_reasons = [], 0, 0, Counter()
    to_check = Counter()  # filed with an unsure type: how often the guess was right anyway
    by_case: dict[str, Counter] = {}
    for lab in labels:
        o = outcomes[lab.file]
        filed_to = o.get("efile")
        by_case.setdefault(lab.case, Counter())[o["status"]] += 1
        if filed_to and filed_to != lab.aktenzeichen:
            misfiles.append({"file": lab.file, "filed_to": filed_to, "truth": lab.aktenzeichen,
                             "case": lab.case})
        if lab.routable:
            routable += 1
            auto_ok += filed_to == lab.aktenzeichen
        if filed_to and o.get("type_check"):
            to_check["right" if o["doc_type"] == lab.doc_type else "wrong"] += 1
        if o["status"] == "inbox":
            inbox_reasons[_reason_kind(o.get("reasons") or [])] += 1
    return {"documents": len(labels), "misfiles": len(misfiles), "misfiled": misfiles,
            "routing_precision": round(1 - len(misfiles) / max(1, sum(
                1 for o in outcomes.values() if o.get("efile"))), 4),
            "routable": routable, "auto_filed": auto_ok,
            "auto_file_rate": round(auto_ok / routable, 4) if routable else None,
            "type_to_check": sum(to_check.values()), "type_to_check_guess_right": to_check["right"],
            "outcomes_by_case": {k: dict(v) for k, v in sorted(by_case.items())},
            "inbox_reasons": dict(inbox_reasons.most_common())}


def _reason_kind(reasons: list[str]) -> str:
    first = reasons[0] if reasons else ""
    for key, label in (("several clients", "several clients"),
                       ("no identifier found", "no identifier"),
                       ("matches a known client", "unknown client"),
                       ("a person confirms", "evidence too weak"),
                       ("the document names", "name conflict")):
        if key in first:
            return label
    return "other"


def evaluate(folder: Path, *, workers: int | None = None, keep_home: Path | None = None) -> dict:
    folder = folder.resolve()
    labels = read_labels(folder)
    model = active_model(get_context())  # the model the configured home classifies with
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="efile-eval-") as tmp:
        home = keep_home or Path(tmp)
        settings = Settings.from_env({**os.environ, "EFILE_HOME": str(home),
                                      "EFILE_DATABASE_URL": "", "EFILE_STORAGE_URL": ""})
        ctx = get_context(settings)
        persons = folder / "persons.csv"
        registry = {}
        if persons.exists():
            with ctx.db.session() as s:
                registry = import_csv(s, persons.read_bytes(),
                                      aktenzeichen_pattern=settings.aktenzeichen_pattern).to_dict()
        ocr = pooled_ocr(settings.ocr_languages, settings.ocr_workers)
        with pinned_model(model), ThreadPoolExecutor(workers or settings.ocr_workers + 1) as pool:
            results = list(pool.map(lambda lab: ingest_file(
                ctx, str(folder / lab.file), efile=None, source="scan", ocr_pages=ocr), labels))
        outcomes = {}
        with ctx.db.session() as s:
            for lab, r in zip(labels, results, strict=True):
                doc = s.get(Document, r.document_id) if r.document_id else None
                outcomes[lab.file] = {
                    "status": r.status, "efile": r.efile, "doc_type": r.doc_type or "failed",
                    "error": r.error, "pages": r.pages,
                    "reasons": doc.fields.get("routing", {}).get("reasons") if doc else None,
                    "type_check": bool(doc and doc.fields.get("routing", {}).get("type_check")),
                    "restricted": bool(doc and doc.restricted),
                    "type_confidence": doc.type_confidence if doc else None}
        reset_contexts()  # the throw-away home's handles go with it
    seconds = time.monotonic() - t0
    truth = [lab.doc_type for lab in labels]
    predicted = [outcomes[lab.file]["doc_type"] for lab in labels]
    pages = sum(o["pages"] or 0 for o in outcomes.values())
    return {"corpus": str(folder), "documents": len(labels), "pages": pages,
            "failed": sum(o["status"] == "failed" for o in outcomes.values()),
            "seconds": round(seconds, 1), "model": model.meta, "registry": registry,
            "types": type_metrics(truth, predicted), "routing": routing_metrics(labels, outcomes),
            "documents_detail": [{"file": lab.file, "truth": lab.doc_type,
                                  "truth_efile": lab.aktenzeichen, "case": lab.case,
                                  **outcomes[lab.file]} for lab in labels]}
