"""Several workers on the production topology from local processes (deploy/local_stack.py):
PostgreSQL, SeaweedFS S3 with object lock, a Prefect server, a process work pool, two workers.
Runs in the PostgreSQL + S3 pass of the suite."""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import BACKEND, ROOT_DIR, use_home

from efile.samples import write_samples
from efile.samples.born_digital import write_text_pdf

pytestmark = pytest.mark.skipif(BACKEND != "postgres-s3",
                                reason="runs in the PostgreSQL + S3 pass (EFILE_TEST_BACKEND)")

sys.path.insert(0, str(ROOT_DIR / "deploy"))


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from local_stack import LocalStack

    s = LocalStack(tmp_path_factory.mktemp("stack"), workers=2).start()
    saved = {k: os.environ.get(k) for k in s.env}
    os.environ.update(s.env)
    from efile.context import reset_contexts

    reset_contexts()
    yield s
    s.stop()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    use_home(Path(os.environ.get("EFILE_HOME", "/tmp")))


def _documents_by_original():
    from efile.context import get_context
    from efile.models import Document, IngestItem

    with get_context().db.session() as s:
        docs = Counter(d.original_sha256 for d in s.query(Document))
        items = [(i.original_sha256 or i.path, i.status) for i in s.query(IngestItem)]
    return docs, items


def test_two_workers_overlapping_batches_file_each_document_once(stack, tmp_path):
    from pipelines.submit import submit

    inbox = tmp_path / "post"
    scans = [s.path for s in write_samples(inbox / "scans", persons=1)][:2]
    letters = [write_text_pdf(inbox / f"brief-{i}.pdf", [[f"Schreiben Nr. {i}", "Frau Müller"]])
               for i in range(4)]
    files = [str(p) for p in scans + letters]
    first = submit(files[:4], chunk=2)
    second = submit(files[2:], chunk=2)
    # the workers must not need the submitter's disk: the inputs are gone before they start
    shutil.rmtree(inbox)
    ids = [r["flow_run_id"] for r in first["flow_runs"] + second["flow_runs"]]
    states = stack.wait_for_flow_runs(ids, timeout=400)
    assert set(states.values()) == {"Completed"}, states

    docs, items = _documents_by_original()
    assert len(docs) == 6 and set(docs.values()) == {1}  # none lost, none twice
    per_original = Counter()
    for original, status in items:
        assert status != "failed", items
        if status != "duplicate":
            per_original[original] += 1
    assert set(per_original.values()) == {1} and len(per_original) == 6
