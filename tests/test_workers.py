"""Several workers on the production topology from local processes (deploy/local_stack.py):
PostgreSQL, SeaweedFS S3 with object lock, a Prefect server, a process work pool, two workers.
Runs in the PostgreSQL + S3 pass of the suite."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import BACKEND, EFILE_BIN, ROOT_DIR

from efile.samples import write_samples
from efile.samples.born_digital import write_text_pdf

pytestmark = pytest.mark.skipif(BACKEND != "postgres-s3",
                                reason="runs in the PostgreSQL + S3 pass (EFILE_TEST_BACKEND)")

sys.path.insert(0, str(ROOT_DIR / "deploy"))


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from local_stack import LocalStack

    s = LocalStack(tmp_path_factory.mktemp("stack"), workers=2).start()
    try:
        with s.client():
            yield s
    finally:
        s.stop()


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
    # the second batch as a scanning station sends it: the CLI
    res = subprocess.run([EFILE_BIN, "submit", *files[2:], "--chunk", "2", "--json"],
                         env={**os.environ, **stack.env}, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    second = json.loads(res.stdout)
    assert second["stored"] == 4 and len(second["flow_runs"]) == 2
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


def _batch(tmp_path: Path, name: str, letters: int) -> list[str]:
    d = tmp_path / name
    return [str(write_text_pdf(d / f"{name}-{i}.pdf", [[f"{name} Schreiben {i}", "Aktenvermerk"]]))
            for i in range(letters)]


def _wait_for_first_document(timeout: float = 120) -> None:
    import time

    from efile.context import get_context
    from efile.models import Document

    deadline = time.monotonic() + timeout
    with get_context().db.session() as s:
        start = s.query(Document).count()
    while time.monotonic() < deadline:
        with get_context().db.session() as s:
            if s.query(Document).count() > start:
                return
        time.sleep(0.2)
    raise AssertionError("no document was filed")


def _retry_failed_runs() -> list[dict]:
    from efile.context import get_context
    from efile.models import IngestRun
    from pipelines.flows import run_ingest
    from pipelines.submit import retry_inputs

    with get_context().db.session() as s:
        failed_runs = [r.id for r in s.query(IngestRun) if (r.counts or {}).get("failed")]
    results = []
    for run_id in failed_runs:  # the one command an operator runs: efile retry RUN_ID
        inputs, efile = retry_inputs(run_id)
        results += run_ingest(inputs, efile=efile)
    return results


def _assert_each_original_filed_once(paths: list[str]) -> None:
    import hashlib

    from efile.context import get_context
    from efile.models import IngestItem, IngestRun

    docs, _ = _documents_by_original()
    for p in paths:
        digest = hashlib.sha256(Path(p).read_bytes()).hexdigest()
        if docs.get(digest) != 1:
            with get_context().db.session() as s:
                runs = [(r.id[:8], r.counts, r.finished_at) for r in s.query(IngestRun)]
                items = [(i.path[-40:], i.status, i.error) for i in s.query(IngestItem)]
            raise AssertionError(f"{p}: {docs.get(digest)} documents; runs {runs}; items {items}")


def test_s3_killed_mid_batch_loses_and_duplicates_nothing(stack, tmp_path):
    import time

    from pipelines.submit import submit

    files = _batch(tmp_path, "s3fault", 8)
    queued = submit(files, chunk=2)
    _wait_for_first_document()
    stack.s3.proc.kill()  # SIGKILL: no goodbye
    time.sleep(3)
    stack.s3.start()
    states = stack.wait_for_flow_runs([r["flow_run_id"] for r in queued["flow_runs"]], 400)
    assert all(s in ("Completed", "Failed") for s in states.values()), states
    retried = _retry_failed_runs()
    assert all(r["status"] in ("filed", "inbox", "duplicate") for r in retried), retried
    _assert_each_original_filed_once(files)


def test_postgres_restart_mid_batch_loses_and_duplicates_nothing(stack, tmp_path):
    import glob
    import subprocess

    from pipelines.submit import submit

    versions = [p.rsplit("/", 1)[-1] for p in glob.glob("/etc/postgresql/*")]
    if not versions or os.geteuid() != 0:
        pytest.skip("needs the machine's PostgreSQL cluster and root to restart it")
    files = _batch(tmp_path, "pgfault", 8)
    queued = submit(files, chunk=2)
    _wait_for_first_document()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "restart"],
                   check=True, capture_output=True)
    states = stack.wait_for_flow_runs([r["flow_run_id"] for r in queued["flow_runs"]], 400)
    assert all(s in ("Completed", "Failed") for s in states.values()), states
    retried = _retry_failed_runs()
    assert all(r["status"] in ("filed", "inbox", "duplicate") for r in retried), retried
    _assert_each_original_filed_once(files)
