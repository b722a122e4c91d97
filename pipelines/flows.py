"""Prefect flows. Each reads like the process it automates; the work is in plain functions
(pipelines/process.py and pipelines/steps), which the tasks here wrap for retries,
concurrency and observability.

ingest: every input file becomes one `ingest-file` task run (what an operator watches in the
Prefect UI: one row per document, failed ones red). Several documents are in flight at once
and their pages share one OCR pool with a slot per core.
"""

from __future__ import annotations

import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.runtime import flow_run, task_run
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner
from sqlalchemy.exc import OperationalError

from efile.config import Settings
from efile.context import get_context
from efile.services import runs
from efile.services.efiles import get_efile

# absolute imports only: a Prefect deployment loads this file as a top-level module "flows";
# relative imports would then load every module of pipelines a second time as "flows.*"
# (a second PDFium lock, and names the bounded child cannot import)
from pipelines import progress
from pipelines.process import ItemResult, TransientError, ingest_file, pooled_ocr, reason

_SKIP_PREFIXES = (".", "~")


def expand_inputs(paths: list[str]) -> list[str]:
    """Files as given, folders walked recursively in name order; hidden and temporary files
    (a scanner still writing ~scan.tmp) are left alone."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and not f.name.startswith(_SKIP_PREFIXES) and f.suffix != ".tmp":
                    out.append(str(f))
        else:
            out.append(str(path))
    return out


def _transient(task, task_run, state) -> bool:  # noqa: ANN001 - Prefect's retry hook
    """Retry what may succeed a moment later, never a verdict on the input."""
    exc = state.data if isinstance(state.data, BaseException) else None
    return isinstance(exc, TransientError)


class FileFailed(Exception):
    """A file the product refused or could not process: its task run ends Failed with the
    reason (red in the Prefect UI), while the flow records the item and goes on."""

    def __init__(self, item: dict) -> None:
        super().__init__(f"{Path(item['path']).name}: {item.get('error')}")
        self.item = item


def _file_name() -> str:  # the task run's name in the Prefect UI: the file, not a number
    return Path(str(task_run.parameters.get("path", "file"))).name or "file"


@task(name="ingest-file", task_run_name=_file_name, cache_policy=NO_CACHE, retries=3,
      retry_delay_seconds=[1, 5, 15], retry_condition_fn=_transient)
def ingest_file_task(path: str, efile: str | None, source: str) -> dict:
    ctx = get_context()
    ocr = pooled_ocr(ctx.settings.ocr_languages, ctx.settings.ocr_workers)
    item = ingest_file(ctx, path, efile=efile, source=source, ocr_pages=ocr).to_dict()
    if item["status"] == "failed":
        get_run_logger().warning("%s failed: %s", Path(path).name, item.get("error"))
        raise FileFailed(item)
    return item


def _report(results: list[dict]) -> None:
    """The run's table in the Prefect UI (Artifacts): one row per file. A report that cannot
    be written never fails the run: the run records in the database are the record."""
    rows = [{"file": Path(r["path"]).name, "status": r["status"], "efile": r.get("efile") or "",
             "reason": r.get("error") or "; ".join(r.get("notes") or [])} for r in results]
    try:
        create_table_artifact(rows, key="ingest-files", description="Dateien dieses Laufs")
    except Exception as e:  # noqa: BLE001
        get_run_logger().warning("no artifact table: %s", reason(e))


def check_efile(efile: str | None) -> None:
    """An unknown Aktenzeichen refuses the whole run up front, before any file is touched."""
    if efile:
        with get_context().db.session() as s:
            get_efile(s, efile)


def _bookkeeping(fn, *args, attempts: int = 6, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
    """Run records survive a database restart: retry for about half a minute."""
    for i in range(attempts):
        try:
            return fn(*args, **kwargs)
        except OperationalError:
            if i == attempts - 1:
                raise
            time.sleep(min(2 ** i, 10))


def _task_runner() -> ThreadPoolTaskRunner:
    """Two documents per OCR slot in flight: one is normalised, archived or filed while the
    other's pages keep the cores busy; more would only hold scans in memory."""
    return ThreadPoolTaskRunner(max_workers=2 * Settings.from_env().ocr_workers)


# A flow run that starts while the database or the store is away (a restart, a failover)
# fails at once with a clear reason; Prefect runs it again a little later. Every step is
# idempotent, so what the first attempt filed comes back as "duplicate", never twice.
@flow(name="ingest", task_runner=_task_runner(), retries=2, retry_delay_seconds=15)
def ingest(paths: list[str], efile: str | None = None,
           source: str = "scan") -> list[dict] | State:
    ctx = get_context()
    check_efile(efile)
    files = expand_inputs(paths)
    flow_run_id = str(flow_run.id) if flow_run.id else None
    run_id = _bookkeeping(runs.start_run, ctx.db, source=source, requested_efile=efile,
                          flow_run_id=flow_run_id)
    progress.emit("start", total=len(files))
    futures = [ingest_file_task.submit(f, efile, source) for f in files]
    results = []
    transient = 0  # files whose task gave up on a passing cause (its retries exhausted)
    for path, future in zip(files, futures, strict=True):
        try:
            item = future.result()
        except FileFailed as e:
            item = e.item
        except Exception as e:  # noqa: BLE001 - retries exhausted: report, go on
            item = ItemResult(path, "failed", error=reason(e)).to_dict()
            transient += 1
        _bookkeeping(runs.record_item, ctx.db, run_id, item)
        results.append(item)
        progress.emit("file", item=item)
    _bookkeeping(runs.finish_run, ctx.db, run_id, results)
    _report(results)
    return run_outcome(results, transient)


def run_outcome(results: list[dict], transient: int) -> list[dict] | State:
    """What the flow run's state tells the operator (issue 13). Some files failed: the run
    Completed, its failed task runs are red with their reasons. Every file failed: the run
    is Failed, naming how many and why, carrying the same report as data (the CLI prints it).

    Prefect's server turns ANY Failed flow run (raised or returned: RetryFailedFlows has no
    condition, unlike a task's retry_condition_fn) into AwaitingRetry while retries remain.
    A verdict on the input (every file refused) must not run again, so this run's retries
    are set to none before it fails; a run whose files gave up on a passing cause (the store
    or database away beyond the tasks' own retries) keeps them: it may succeed later."""
    failed = [r for r in results if r["status"] == "failed"]
    if not results or len(failed) < len(results):
        return results
    codes = sorted({r.get("code") or "transient" for r in failed})
    message = (f"all {len(results)} files failed ({', '.join(codes)}): see the failed "
               "task runs and the ingest-files table")
    if transient:
        message += (f"; {transient} for a transient cause (database or store away): the run "
                    "is tried again while retries remain")
    else:
        _no_more_retries()
    get_run_logger().error(message)
    return Failed(message=message, data=results)


def _no_more_retries() -> None:
    """Set this flow run's retries to none (its policy on the server, which decides)."""
    if not flow_run.id:
        return
    try:
        with get_client(sync_client=True) as client:
            policy = client.read_flow_run(flow_run.id).empirical_policy
            client.update_flow_run(flow_run.id, empirical_policy=policy.model_copy(
                update={"retries": 0}))
    except Exception as e:  # noqa: BLE001 - then Prefect retries: the same verdict, no harm
        get_run_logger().warning("could not end this run's retries: %s", reason(e))


def run_ingest(paths: list[str], *, efile: str | None = None, source: str = "scan") -> list[dict]:
    """Run the ingest flow in this process (workers run it through the deployment). Every
    file's result, also when the run ended Failed because every file failed."""
    get_context()  # configuration, database and store errors: fail in milliseconds, before
    check_efile(efile)  # Prefect's server starts and long before the flow's retries
    state = ingest.with_options(task_runner=_task_runner())(paths, efile=efile, source=source,
                                                            return_state=True)
    if state.is_failed():
        report = state.result(raise_on_failure=False)
        if isinstance(report, list):  # every file failed: the report, as of any run
            return report
    return state.result()  # raises what the run raised (the database away, ...)


# train: the document-type model learns from what people decided in the inbox. A deployment
# of this flow with a schedule (e.g. nightly) keeps the model current; `efile train` runs it
# once, here.
@flow(name="train", retries=1, retry_delay_seconds=60)
def train(activate: bool = True) -> dict:
    from efile.services.classification import train as train_model

    return train_model(get_context(), activate=activate)


def run_train(*, activate: bool = True) -> dict:
    get_context()
    return train(activate=activate)


# scan_batch: a stack of scans cut into documents at their cover sheets, blank pages
# dropped, page counts reconciled (pipelines/batch.py). One flow run per batch, so the
# operator sees each batch in the Prefect UI.
@flow(name="scan-batch")
def scan_batch(paths: list[str], operator: str, profile: str = "default",
               expected_pages: int | None = None) -> dict:
    from pipelines.batch import run_batch

    ctx = get_context()
    ocr = pooled_ocr(ctx.settings.ocr_languages, ctx.settings.ocr_workers)
    return run_batch(ctx, expand_inputs(paths), operator=operator, profile=profile,
                     expected_pages=expected_pages, ocr_pages=ocr).to_dict()


def run_scan_batch(paths: list[str], *, operator: str, profile: str = "default",
                   expected_pages: int | None = None) -> dict:
    get_context()
    return scan_batch(paths, operator=operator, profile=profile, expected_pages=expected_pages)


# hot-folder: one pass over the scanner's folder (pipelines/watch.py); the deployment runs it
# every minute, so a folder is watched without a long-running process of our own.
@flow(name="hot-folder")
def hot_folder(folder: str, operator: str, profile: str = "default",
               settle: float = 5.0) -> list[dict]:
    from pipelines.watch import Watcher

    return Watcher(Path(folder), settle=settle).run_once(
        lambda p: scan_batch([str(p)], operator=operator, profile=profile))
