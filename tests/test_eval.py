"""`efile eval`: the real pipeline over a labelled corpus, measured."""

from __future__ import annotations

import csv
import json

import pytest

from efile.errors import InputRejected
from efile.samples.corpus import write_corpus
from pipelines.evaluate import evaluate, read_labels, routing_metrics, type_metrics


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"), seed=11, per_class=1,
                        kinds=["passport", "payslip", "landlord_confirmation", "medical_attest"])


def test_eval_runs_the_pipeline_and_reports_types_and_routing(small_corpus, fresh_home):
    labels = read_labels(small_corpus)
    report = evaluate(small_corpus)
    assert report["documents"] == len(labels) and report["failed"] == 0
    assert report["registry"]["created"] > 0  # persons.csv imported into the throw-away home
    types = report["types"]
    assert set(types["per_type"]) == {lab.doc_type for lab in labels}
    assert 0 <= types["macro_f1"] <= 1 and {"precision", "recall", "f1", "support"} <= set(
        types["per_type"]["passport"])
    routing = report["routing"]
    assert routing["misfiles"] == 0  # the one figure that must never move
    assert routing["documents"] == len(labels)
    detail = {d["file"]: d for d in report["documents_detail"]}
    assert set(detail) == {lab.file for lab in labels}
    json.dumps(report, default=str)  # what `efile eval --json` prints


def test_metrics_count_misfiles_and_confusions():
    from pipelines.evaluate import Label

    labels = [Label("a", "payslip", "ABH-1", ["aktenzeichen"]), Label("b", "cv", None, [], "unknown_person"),
              Label("c", "cv", "ABH-2", ["name"])]
    outcomes = {"a": {"status": "filed", "efile": "ABH-1"}, "b": {"status": "filed", "efile": "ABH-2"},
                "c": {"status": "inbox", "efile": None, "reasons": ["no identifier found ..."]}}
    r = routing_metrics(labels, outcomes)
    assert r["misfiles"] == 1 and r["misfiled"][0]["file"] == "b"
    assert (r["routable"], r["auto_filed"], r["auto_file_rate"]) == (1, 1, 1.0)
    assert r["inbox_reasons"] == {"no identifier": 1}
    t = type_metrics(["payslip", "cv", "cv"], ["payslip", "cv", "payslip"])
    assert t["confusions"] == [{"true": "cv", "predicted": "payslip", "count": 1}]
    assert t["per_type"]["cv"]["recall"] == 0.5


def test_a_corpus_without_labels_or_with_a_missing_file_is_refused(tmp_path, small_corpus):
    with pytest.raises(InputRejected, match="no labels.csv"):
        read_labels(tmp_path)
    rows = list(csv.DictReader((small_corpus / "labels.csv").open()))
    bad = tmp_path / "labels.csv"
    with bad.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerow({**rows[0], "file": "missing.pdf"})
    with pytest.raises(InputRejected, match="names missing.pdf"):
        read_labels(tmp_path)
