"""Prefect flows. Each reads like the process it automates; the work is in plain step functions
(pipelines/steps), which the tasks here only wrap for retries, concurrency and observability.

ingest: for every input file
    store the original (first, so nothing is lost) → skip if the same original is filed →
    normalise to PDF → OCR the pages that need it (pages of all documents share the workers) →
    build the PDF/A archive copy → file it into the e-file or the inbox, indexed for search.
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.task_runners import ThreadPoolTaskRunner
from sqlalchemy.exc import OperationalError

from efile.context import get_context
from efile.errors import EfileError
from efile.services import runs
from efile.services.efiles import get_efile
from storage import IntegrityError, ObjectExists, StorageError

from . import progress
from .steps.archive import build_archive
from .steps.normalise import Normalised, normalise
from .steps.ocr import PageResult, ocr_page
from .steps.record import Duplicate, check_duplicate, record_document
from .steps.store import Received, read_input, store_original

_SKIP_NAMES = (".", "~")


@dataclass
class ItemResult:
    path: str
    status: str  # filed | inbox | duplicate | failed
    document_id: str | None = None
    pages: int | None = None
    error: str | None = None
    efile: str | None = None
    original_sha256: str | None = None
    original_key: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def expand_inputs(paths: list[str]) -> list[str]:
    """Files as given, folders walked recursively in name order; hidden and temporary files
    (a scanner still writing ~scan.tmp) are left alone."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and not f.name.startswith(_SKIP_NAMES) and f.suffix != ".tmp":
                    out.append(str(f))
        else:
            out.append(str(path))
    return out


def _reason(e: BaseException) -> str:
    if isinstance(e, EfileError | StorageError):
        return str(e)
    return f"{type(e).__name__}: {e}"


def _transient(task, task_run, state) -> bool:  # noqa: ANN001 - Prefect's retry hook
    """Retry what may succeed a second later (database busy, object store unreachable),
    never a verdict on the input."""
    exc = state.data if isinstance(state.data, BaseException) else None
    if exc is None or isinstance(exc, EfileError | Duplicate | ObjectExists | IntegrityError):
        return False
    return isinstance(exc, OperationalError | StorageError | ConnectionError | TimeoutError)


# -- tasks: thin wrappers over the steps ----------------------------------------------------

@task(name="store-original", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=1,
      retry_condition_fn=_transient)
def store_original_task(path: str) -> Received:
    data = read_input(path)
    return store_original(get_context().store, path, data)


@task(name="normalise", cache_policy=NO_CACHE)
def normalise_task(received: Received) -> Normalised:
    return normalise(received.data, received.name,
                     max_pixels=get_context().settings.max_image_pixels)


@task(name="ocr-page", cache_policy=NO_CACHE)
def ocr_page_task(job, languages: str) -> PageResult:  # noqa: ANN001 (PageJob)
    return ocr_page(job, languages)


@task(name="file-document", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2,
      retry_condition_fn=_transient)
def file_document_task(received: Received, norm: Normalised, pages: list[PageResult],
                       efile: str | None, source: str) -> tuple[str, list[str]]:
    archive = build_archive(norm, pages)
    doc_id = record_document(get_context(), received, norm, pages, archive,
                             efile=efile, source=source)
    return doc_id, norm.notes + archive.notes


# -- the flow ----------------------------------------------------------------------------------

@dataclass
class _InFlight:
    received: Received
    norm: Normalised
    futures: list[PrefectFuture]


def _admit(path: str, languages: str) -> _InFlight | ItemResult:
    """Store, de-duplicate and normalise one file, then queue its pages for OCR."""
    try:
        received = store_original_task(path)
    except Exception as e:  # noqa: BLE001 - a batch never stops for one bad file
        return ItemResult(path, "failed", error=_reason(e))
    result = ItemResult(path, "failed", original_sha256=received.sha256,
                        original_key=received.key)
    try:
        check_duplicate(get_context(), received)
        norm = normalise_task(received)
    except Duplicate as d:
        result.status, result.document_id, result.pages = "duplicate", d.document_id, d.pages
        return result
    except Exception as e:  # noqa: BLE001
        result.error = _reason(e)
        return result
    futures = [ocr_page_task.submit(job, languages) for job in norm.pages]
    return _InFlight(received, norm, futures)


def _finish(doc: _InFlight, efile: str | None, source: str) -> ItemResult:
    r = doc.received
    result = ItemResult(r.path, "failed", original_sha256=r.sha256, original_key=r.key,
                        pages=len(doc.norm.pages))
    try:
        pages = [f.result() for f in doc.futures]
        result.document_id, result.notes = file_document_task(r, doc.norm, pages, efile, source)
        result.status, result.efile = ("filed", efile) if efile else ("inbox", None)
    except Duplicate as d:
        result.status, result.document_id = "duplicate", d.document_id
    except Exception as e:  # noqa: BLE001
        result.error = _reason(e)
    return result


@flow(name="ingest", log_prints=True)
def ingest(paths: list[str], efile: str | None = None, source: str = "scan") -> list[dict]:
    ctx = get_context()
    if efile:
        with ctx.db.session() as s:
            get_efile(s, efile)  # unknown Aktenzeichen: refuse the whole run up front
    files = expand_inputs(paths)
    run_id = runs.start_run(ctx.db, source=source, requested_efile=efile)
    progress.emit("start", total=len(files))
    languages = ctx.settings.ocr_languages
    # pages queued for OCR across documents: enough to keep every worker busy, few enough
    # that a 1,000-page backfill does not sit in memory at once
    max_pending = max(4, ctx.settings.ocr_workers * 4)
    queue, inflight, results = deque(files), deque(), []

    def pending_pages() -> int:
        return sum(1 for d in inflight for f in d.futures if not f.state.is_final())

    def refill() -> None:
        while queue and pending_pages() < max_pending:
            admitted = _admit(queue.popleft(), languages)
            if isinstance(admitted, ItemResult):
                done(admitted)
            else:
                inflight.append(admitted)

    def done(item: ItemResult) -> None:
        runs.record_item(ctx.db, run_id, item.to_dict())
        results.append(item)
        progress.emit("file", item=item.to_dict())

    refill()
    while inflight:
        oldest = inflight[0]
        for f in oldest.futures:  # top up the workers each time one of its pages completes
            f.wait()
            refill()
        inflight.popleft()
        done(_finish(oldest, efile, source))
        refill()
    runs.finish_run(ctx.db, run_id, [r.to_dict() for r in results])
    return [r.to_dict() for r in results]


def run_ingest(paths: list[str], *, efile: str | None = None, source: str = "scan") -> list[dict]:
    """Run the ingest flow in this process with one OCR worker thread per core."""
    ctx = get_context()
    if efile:
        with ctx.db.session() as s:
            get_efile(s, efile)
    runner = ThreadPoolTaskRunner(max_workers=ctx.settings.ocr_workers)
    return ingest.with_options(task_runner=runner)(paths, efile=efile, source=source)
