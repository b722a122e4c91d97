"""Prefect tells the truth (issue 13): a flow run where every file failed ends Failed with a
message that says how many, and its retries do not run the refused files again; a run with
some failed files stays Completed, its failed task runs red, its table listing every file.
Read from Prefect's own API, as the operator's UI shows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from efile.context import get_context
from efile.models import IngestRun
from efile.samples.born_digital import write_text_pdf


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    from conftest import use_home

    use_home(tmp_path_factory.mktemp("prefecttruth"))
    return tmp_path_factory.mktemp("files")


def _bad(folder: Path) -> list[str]:
    folder.mkdir()
    (folder / "leer.pdf").write_bytes(b"")
    (folder / "webseite.pdf").write_bytes(b"<html><body>keine PDF</body></html>")
    return [str(folder)]


def _flow_run_of_last_run():
    from prefect.client.orchestration import get_client

    with get_context().db.session() as s:
        (flow_run_id,) = s.query(IngestRun.flow_run_id).order_by(IngestRun.started_at.desc()
                                                                  ).first()
    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id), client


def _tasks_and_table(flow_run_id):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        FlowRunFilter,
        FlowRunFilterId,
    )

    with get_client(sync_client=True) as client:
        tasks = {t.name: t for t in client.read_task_runs(flow_run_filter=FlowRunFilter(
            id=FlowRunFilterId(any_=[flow_run_id])))}
        (table,) = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
        states = client.read_flow_run_states(flow_run_id)
    return tasks, {r["file"]: r for r in json.loads(table.data)}, states


def test_every_file_refused_the_run_is_failed_with_how_many_and_ran_once(home):
    from pipelines.flows import run_ingest

    with get_context().db.session() as s:
        runs_before = s.query(IngestRun).count()
    results = run_ingest(_bad(home / "alle-schlecht"))
    # the CLI's report is the same as for any run: every file, each with its reason
    assert sorted(Path(r["path"]).name for r in results) == ["leer.pdf", "webseite.pdf"]
    assert all(r["status"] == "failed" and r["error"] for r in results)

    flow_run, _ = _flow_run_of_last_run()
    assert flow_run.state.is_failed(), flow_run.state
    assert "all 2 files failed" in flow_run.state.message, flow_run.state.message
    assert "empty" in flow_run.state.message  # the refusals' codes
    # ran once: no retry of the flow ran the refused files again
    assert flow_run.run_count == 1
    tasks, table, states = _tasks_and_table(flow_run.id)
    assert not [st for st in states if st.name == "AwaitingRetry"], [st.name for st in states]
    with get_context().db.session() as s:
        assert s.query(IngestRun).count() == runs_before + 1
    assert set(tasks) == {"leer.pdf", "webseite.pdf"}
    assert all(t.state.is_failed() for t in tasks.values())
    assert set(table) == {"leer.pdf", "webseite.pdf"}


def test_one_good_one_bad_the_run_completed_the_bad_task_failed(home):
    from pipelines.flows import run_ingest

    d = home / "gemischt"
    d.mkdir()
    write_text_pdf(d / "meldebescheinigung.pdf", [["Bescheinigung über die Anmeldung",
                                                    "Herr Jonas Weber wohnt hier."]])
    (d / "leer.pdf").write_bytes(b"")
    results = {Path(r["path"]).name: r for r in run_ingest([str(d)])}
    assert results["leer.pdf"]["status"] == "failed"
    assert results["meldebescheinigung.pdf"]["status"] in ("filed", "inbox")

    flow_run, _ = _flow_run_of_last_run()
    assert flow_run.state.is_completed(), flow_run.state
    tasks, table, _ = _tasks_and_table(flow_run.id)
    assert tasks["leer.pdf"].state.is_failed()
    assert "empty file (0 bytes)" in tasks["leer.pdf"].state.message
    assert tasks["meldebescheinigung.pdf"].state.is_completed()
    assert table["leer.pdf"]["status"] == "failed"
    assert table["meldebescheinigung.pdf"]["status"] == results["meldebescheinigung.pdf"][
        "status"]


def test_the_cli_reports_a_run_where_every_file_failed_and_exits_1(home, tmp_path):
    """The contract of `efile ingest --json`: the report, exit code 1 when a file failed
    (in this process: Prefect's server is already up)."""
    from click.testing import CliRunner

    from efile.cli import main

    res = CliRunner().invoke(main, ["ingest", *_bad(tmp_path / "cli"), "--json"])
    assert res.exit_code == 1, res.output
    report = json.loads(res.stdout)
    assert {Path(r["path"]).name: r["status"] for r in report} == {
        "leer.pdf": "failed", "webseite.pdf": "failed"}


def test_every_file_failing_for_a_transient_cause_is_tried_again(home, monkeypatch):
    """Retries are for what may succeed later: the store away beyond the tasks' own
    retries. Such a run is retried by the flow (here once, at once), and ends Failed."""
    import pipelines.flows as flows
    from pipelines.process import TransientError

    def store_away(*args, **kwargs):
        raise TransientError("StorageUnavailable: the object store does not answer")

    monkeypatch.setattr(flows, "ingest_file", store_away)
    monkeypatch.setattr(flows, "ingest_file_task", flows.ingest_file_task.with_options(
        retries=0))
    d = home / "speicher-weg"
    d.mkdir()
    write_text_pdf(d / "brief.pdf", [["Ein Brief"]])
    state = flows.ingest.with_options(retries=1, retry_delay_seconds=0)(
        [str(d)], return_state=True)
    assert state.is_failed()
    flow_run, _ = _flow_run_of_last_run()
    assert flow_run.run_count == 2  # the first attempt and its retry
    assert "1 for a transient cause" in flow_run.state.message, flow_run.state.message
