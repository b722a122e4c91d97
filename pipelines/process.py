"""The process for one input file, top to bottom, in plain steps (no Prefect here):

    receive: store the original (first: whatever fails later, nothing is lost)
         → already filed? (content hash) → examine: the intake check every path shares,
           qpdf's repair, the sanitiser, in a bounded child (refused: a code and a reason)
         → normalise to PDF → OCR the pages that need it
         → build the PDF/A archive copy → classify the document type → route (explicit
         reference, else identifiers) → file into the e-file or the inbox, indexed.

Every outcome becomes an ItemResult; a bad file never raises out of here, so a batch never
stops for one file.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

from sqlalchemy.exc import OperationalError

from efile.context import Context
from efile.errors import EfileError, InputRejected, TooLarge, ToolFailed
from efile.models import new_id
from storage import StorageError, StorageUnavailable

from .steps.archive import build_archive
from .steps.classify import classify_document, named_type_contradicted
from .steps.intake import Examined, examine_bounded
from .steps.normalise import Normalised, PageJob, normalise
from .steps.ocr import PageResult, ocr_page
from .steps.record import Duplicate, check_duplicate, record_document
from .steps.route import route_document
from .steps.store import Received, receive
from .steps.transfer import finish_scan_product, make_note, seal_config
from .steps.validate import limits_for, policy_for

OcrPages = Callable[[list[PageJob]], list[PageResult]]


@dataclass
class ItemResult:
    path: str
    status: str  # filed | inbox | duplicate | failed
    document_id: str | None = None
    pages: int | None = None
    error: str | None = None
    code: str | None = None  # a failure's stable code (refusals: steps/validate.py)
    efile: str | None = None
    doc_type: str | None = None
    original_sha256: str | None = None
    original_key: str | None = None
    notes: list[str] = field(default_factory=list)
    sanitised: list[str] = field(default_factory=list)  # active content taken out

    def to_dict(self) -> dict:
        return asdict(self)


class TransientError(Exception):
    """A failure worth retrying (database or object store briefly unavailable)."""


def reason(e: BaseException) -> str:
    if isinstance(e, EfileError | StorageError):
        return str(e)
    return f"{type(e).__name__}: {e}"


def ingest_file(ctx: Context, path: str, *, efile: str | None, source: str,
                ocr_pages: OcrPages, doc_type: str | None = None,
                hold: str | None = None, scan: dict | None = None,
                declared_type: str | None = None) -> ItemResult:
    """`doc_type`: a type named by a person (a cover sheet); `hold`: a reason that sends the
    document to the inbox whatever its content says (a damaged or unknown cover sheet);
    `scan`: the batch facts for the transfer note of a scanned paper document; `source`
    decides the intake policy (steps/validate.py: the portal's "upload" is stricter);
    `declared_type`: what the sender says it is, compared with what the document reads as
    (a mismatch is flagged, never silently accepted)."""
    result = ItemResult(path, "failed")
    try:
        received = receive(ctx.store, path)
        result.original_sha256, result.original_key = received.sha256, received.key
        check_duplicate(ctx, received)
        examined, norm = examine_and_normalise(ctx, received, source)
        result.sanitised = examined.sanitised
        doubts = examined.verdict.doubts
        if doubts:
            hold = "; ".join(([hold] if hold else []) + doubts)
        result.pages = len(norm.pages)
        pages = ocr_pages(norm.pages)
        archive = build_archive(norm, pages)
        doc_id = new_id()
        note = None
        if scan is not None:
            note = make_note(document_id=doc_id, original_sha256=received.sha256, batch=scan,
                             pages=scan["pages"], blanks=scan["blanks"],
                             anomalies=scan["anomalies"] + norm.notes,
                             procedure_doc=ctx.settings.procedure_doc)
            archive = finish_scan_product(archive, note, seal_config(ctx.settings))
        kind = classify_document(ctx, pages, explicit=doc_type)
        contradicted = named_type_contradicted(kind)
        if contradicted:  # the cover sheet's type, and the page clearly another: a person
            hold = "; ".join(([hold] if hold else []) + [contradicted])
        flags = []
        if declared_type and kind.sure and kind.type_id != declared_type:
            flags.append(f"declared as {declared_type}, but the document reads as "
                         f"{kind.type_id} ({kind.confidence:.2f}): check the type")
        route = route_document(ctx, pages, kind, explicit=efile, hold=hold)
        result.doc_type = kind.type_id
        result.document_id = record_document(ctx, received, norm, pages, archive, kind, route,
                                             source=source, doc_id=doc_id, transfer_note=note,
                                             flags=flags)
        result.notes = flags + norm.notes + archive.notes + (
            ([route.type_check] if route.type_check else []) if route.efile else route.reasons)
        result.status, result.efile = ("filed", route.efile) if route.efile else ("inbox", None)
    except Duplicate as d:
        result.status, result.document_id, result.pages = "duplicate", d.document_id, d.pages
    except (StorageUnavailable, OperationalError) as e:
        # the store or the database is briefly away: every step is idempotent, so the
        # orchestrator retries the whole file
        raise TransientError(reason(e)) from e
    except Exception as e:  # noqa: BLE001 - a batch never stops for one bad file
        result.error, result.code = reason(e), failure_code(e)
    return result


def examine_and_normalise(ctx: Context, received: Received,
                          source: str) -> tuple[Examined, Normalised]:
    """The intake check of `source`'s policy in the bounded child (a refusal raises its
    error), then the accepted bytes (repaired, sanitised) as a PDF, the check's notes first."""
    examined = examine_bounded(received.data, received.name, limits_for(source, ctx.settings),
                               policy_for(source), ctx.settings)
    if not examined.accepted:
        raise examined.verdict.error()
    norm = normalise(examined.content or received.data, received.name,
                     max_pixels=ctx.settings.max_image_pixels, media_type=examined.media_type)
    norm.notes[:0] = examined.verdict.notes
    return examined, norm


def failure_code(e: BaseException) -> str:
    """A refusal keeps its own code; other failures are told apart by their type."""
    code = getattr(e, "code", None)
    if isinstance(code, str) and code:
        return code
    if isinstance(e, TooLarge):
        return "too_large"
    if isinstance(e, InputRejected):
        return "unreadable"
    return "tool_failed" if isinstance(e, ToolFailed) else "error"


# -- OCR across pages of all documents in flight ---------------------------------------------

_pool_lock = threading.Lock()
_pools: dict[int, ThreadPoolExecutor] = {}


def page_pool(workers: int | None = None) -> ThreadPoolExecutor:
    """One pool of OCR slots per process, shared by every document in flight, so a core never
    idles while another document's pages wait (tesseract runs single-threaded per page)."""
    workers = workers or os.cpu_count() or 1
    with _pool_lock:
        if workers not in _pools:
            _pools[workers] = ThreadPoolExecutor(workers, thread_name_prefix="ocr")
        return _pools[workers]


def pooled_ocr(languages: str, workers: int) -> OcrPages:
    def run(jobs: list[PageJob]) -> list[PageResult]:
        pool = page_pool(workers)
        futures = [pool.submit(ocr_page, job, languages) for job in jobs]
        return [f.result() for f in futures]

    return run
