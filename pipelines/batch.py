"""A scan batch, top to bottom, in plain steps:

    register the batch → per scan file: store the original (the whole stack, first) →
    already seen in a batch? → normalise → look at every page (cover sheet? PATCH-T
    separator? blank?) → cut into documents at cover sheets and separators
    (steps/split.py) → whole paper files (profile `akte`): OCR each stretch without a sheet
    once and cut it where the content says a new document begins (steps/boundaries.py) →
    each document through the ingest process (OCR reused, PDF/A, type, route; the cover
    sheet's Aktenzeichen and type are explicit) → reconcile page counts → record every
    document, separator, dropped blank and problem.

Cover, separator and blank pages stay in the stored scan file (the original) and in the
batch record; the documents hold only the content pages. A cover sheet that cannot be read,
or names an unknown file number or type, sends its document to the inbox with that reason;
so does a split by content that is not sure in every place: never guessed.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pikepdf

from classifiers.taxonomy import load as load_taxonomy
from efile.context import Context
from efile.coversheet import CoverSheet
from efile.errors import EfileError
from efile.models import BatchDocument, ScanBatch, utcnow
from efile.services.batches import batch_name, scanned_before
from efile.services.classification import active_model
from efile.services.efiles import efile_by_aktenzeichen
from efile.services.qc import select_for_qc

from .batch_seal import seal_batch
from .process import OcrPages, examine_and_normalise, failure_code, ingest_file, reason
from .steps.boundaries import SPLIT_PROFILES, Decision, split_by_content
from .steps.normalise import Normalised
from .steps.ocr_reuse import reuse
from .steps.split import Segment, cut, inspect_page, split
from .steps.store import Received, receive
from .tools.pages import page_images

INSPECT_DPI = 150


@dataclass
class BatchResult:
    batch_id: str
    status: str
    pages_found: int
    expected_pages: int | None
    documents: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def start_batch(ctx: Context, *, operator: str, profile: str, expected_pages: int | None) -> str:
    with ctx.db.session() as s:
        batch = ScanBatch(operator=operator, profile=profile, expected_pages=expected_pages)
        s.add(batch)
        s.flush()
        return batch.id


def sub_pdf(pdf: bytes, pages: list[int]) -> bytes:
    """The given pages (0-based) of a PDF as a PDF of their own, pages copied as they are."""
    with pikepdf.open(io.BytesIO(pdf)) as src, pikepdf.new() as out:
        for i in pages:
            out.pages.append(src.pages[i])
        buf = io.BytesIO()
        out.save(buf, static_id=True)  # the same pages give the same bytes: duplicates show
        return buf.getvalue()


def _hold_reason(ctx: Context, seg: Segment) -> tuple[str | None, str | None, str | None]:
    """(e-file, type, reason to hold) from the segment's cover sheet."""
    if seg.problems:
        return None, None, "; ".join(seg.problems) + "; a person decides"
    if seg.cover is None:
        return None, None, None
    with ctx.db.session() as s:
        known = efile_by_aktenzeichen(s, seg.cover.aktenzeichen) is not None
    if not known:
        return None, None, (f"the cover sheet names {seg.cover.aktenzeichen}, which is no "
                            "known e-file; a person decides")
    if seg.cover.doc_type and seg.cover.doc_type not in load_taxonomy():
        return seg.cover.aktenzeichen, None, (f"the cover sheet names the unknown type "
                                              f"{seg.cover.doc_type!r}; a person decides")
    return seg.cover.aktenzeichen, seg.cover.doc_type, None


@dataclass
class Part:
    """One document cut from a segment: its pages, the decision that started it (content
    splitting), the doubt that holds it for a person, and how its pages are OCR'd."""
    seg: Segment
    start: Decision | None
    doubt: str | None
    ocr_pages: OcrPages
    routed_by: CoverSheet | None = None  # the paper file's cover sheet, for every part of it
    decisions: list[Decision] | None = None  # every gap weighed (on the first part only)


def _splits_by_content(batch: dict, seg: Segment) -> bool:
    """Whole paper files (a profile in SPLIT_PROFILES) are split by content where nobody laid
    a sheet: no cover sheet, or one that names only the e-file (the paper file's cover); a
    cover sheet that names a type declares one document. Held segments go to a person whole."""
    return (batch.get("profile") in SPLIT_PROFILES and len(seg.pages) > 1 and not seg.problems
            and (seg.cover is None or not seg.cover.doc_type))


def _by_content(ctx: Context, seg: Segment, norm: Normalised, ocr_pages: OcrPages) -> list[Part]:
    """OCR the segment's pages once, find its documents, and let each reuse those pages."""
    try:
        done = dict(zip(seg.pages, ocr_pages([norm.pages[i] for i in seg.pages]), strict=True))
        found = split_by_content(list(done.values()), seg.pages, model=active_model(ctx))
    except Exception as e:  # noqa: BLE001 - kept whole, for a person; its OCR fails alone
        return [Part(seg, None, f"the pages could not be read to find their documents "
                                f"({reason(e)}); a person splits them", ocr_pages, seg.cover)]
    starts = {d.before: d for d in found.decisions if d.boundary}
    parts = [Part(part, starts.get(part.pages[0]), found.doubts(),
                  reuse(done, part.pages, ocr_pages), seg.cover)
             for part in cut(seg, found.starts)]
    parts[0].decisions = found.decisions
    return parts


def _file_part(ctx: Context, batch: dict, received: Received, norm: Normalised, doc: Part,
               tmp: Path, *, seq: int) -> dict:
    """Ingest one document of the stack; its record for the batch register."""
    seg = doc.seg
    rec = {"seq": seq, "source_name": received.name,
           "source_sha256": received.sha256, "pages": [p + 1 for p in seg.pages],
           "cover": asdict(seg.cover) if seg.cover else None,
           "cover_page": seg.cover_page + 1 if seg.cover_page is not None else None,
           "blanks": [p + 1 for p in seg.blanks], "problems": list(seg.problems),
           "separators": [p + 1 for p in seg.separators]}
    if seg.separators:  # kept in the register: cover holds the sheet that started it
        rec["cover"] = {**(rec["cover"] or {"separator": "PATCH-T"}),
                        "separator_pages": rec["separators"]}
        if rec["cover_page"] is None:
            rec["cover_page"] = rec["separators"][0]
    if doc.start is not None:
        rec["boundary"] = doc.start.to_dict()
    if doc.decisions is not None:
        rec["split"] = [d.to_dict() for d in doc.decisions]
    if seg.doubtful:
        rec["problems"].append("Seiten " + ", ".join(str(p + 1) for p in seg.doubtful)
                               + " fast leer: bitte prüfen")
    for page, symbol in seg.patches.items():
        rec["problems"].append(f"Seite {page + 1} trägt den Patch-Code {symbol} (ein "
                               "Steuerblatt des Scanners?): bleibt im Dokument; getrennt wird "
                               "nur an PATCH-T")
    if not seg.pages:
        return {**rec, "status": "failed", "error": rec["problems"][-1]}
    efile, doc_type, hold = _hold_reason(ctx, replace(seg, cover=doc.routed_by))
    if doc.doubt:
        rec["problems"].append(doc.doubt)
        hold = f"{hold}; {doc.doubt}" if hold else doc.doubt
    part = tmp / f"{Path(received.name).stem}-{seq:03d}.pdf"
    part.write_bytes(sub_pdf(norm.pdf, seg.pages))
    scan = {**batch, "scan_file": {"name": received.name, "sha256": received.sha256},
            "pages": rec["pages"], "blanks": rec["blanks"],
            "anomalies": rec["problems"] + ([hold] if hold and hold != doc.doubt else [])}
    try:
        item = ingest_file(ctx, str(part), efile=efile, source="scan",
                           ocr_pages=doc.ocr_pages, doc_type=doc_type, hold=hold, scan=scan)
    except Exception as e:  # noqa: BLE001 - transient trouble: record, go on
        return {**rec, "status": "failed", "error": reason(e)}
    return {**rec, "status": item.status, "document_id": item.document_id,
            "efile": item.efile, "error": item.error}


def process_scan_file(ctx: Context, batch: dict, path: str, *, ocr_pages: OcrPages,
                      seq_start: int) -> tuple[int, list[dict]]:
    """One scan file of a batch (`batch`: batch_id, operator, profile, scanned_at):
    (pages found, document records)."""
    batch_id = batch["batch_id"]
    received = receive(ctx.store, path)  # the whole stack, cover and blank pages included
    with ctx.db.session() as s:
        earlier = scanned_before(s, received.sha256, outside=batch_id)
        if earlier is not None:
            name = batch_name(s, earlier.batch)
    if earlier is not None:
        return 0, [{"source_name": received.name, "source_sha256": received.sha256,
                    "status": "duplicate", "pages": [], "blanks": [], "problems": [
                        f"diese Scandatei wurde bereits in {name} verarbeitet"]}]
    try:  # the intake check of every path (steps/intake.py), then the stack as a PDF
        examined, norm = examine_and_normalise(ctx, received, "scan")
    except EfileError as e:  # unreadable stack: kept as received, reported, batch goes on
        return 0, [{"seq": seq_start, "source_name": received.name,
                    "source_sha256": received.sha256, "pages": [], "blanks": [],
                    "problems": [], "status": "failed", "error": str(e), "code": failure_code(e)}]
    verdicts = [inspect_page(i, img, dpi=INSPECT_DPI)
                for i, img in enumerate(page_images(norm.pdf, INSPECT_DPI))]
    records: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="efile-batch-") as tmp:
        for seg in split(verdicts):
            if examined.verdict.doubts:  # the stack may be incomplete: a person checks each part
                seg = replace(seg, problems=[*seg.problems, *examined.verdict.doubts])
            docs = _by_content(ctx, seg, norm, ocr_pages) if _splits_by_content(batch, seg) \
                else [Part(seg, None, None, ocr_pages, seg.cover)]
            for doc in docs:
                records.append(_file_part(ctx, batch, received, norm, doc, Path(tmp),
                                          seq=seq_start + len(records)))
    return len(verdicts), records


def finish_batch(ctx: Context, batch_id: str, pages_found: int,
                 records: list[dict]) -> BatchResult:
    counts: dict[str, int] = {}
    for r in records:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    with ctx.db.session() as s:
        batch = s.get(ScanBatch, batch_id)
        notes = []
        if batch.expected_pages is not None and batch.expected_pages != pages_found:
            notes.append(f"Seitenzahl weicht ab: {pages_found} Seiten gescannt, "
                         f"{batch.expected_pages} erwartet")
        for r in records:
            batch.documents.append(BatchDocument(seq=r.get("seq", 0),
                                source_name=r["source_name"], source_sha256=r["source_sha256"],
                                pages=r["pages"], cover=r.get("cover"),
                                cover_page=r.get("cover_page"), blanks=r["blanks"],
                                problems=r["problems"], status=r["status"],
                                document_id=r.get("document_id"), efile=r.get("efile"),
                                error=r.get("error")))
        attention = notes or any(r["status"] in ("failed", "inbox") or r["problems"]
                                 for r in records)
        batch.pages_found, batch.counts, batch.notes = pages_found, counts, notes
        batch.status = "attention" if attention else "done"
        batch.finished_at = utcnow()
        select_for_qc(s, batch)
        qc = {d.seq: d.qc_reason for d in batch.documents if d.qc_state == "pending"}
        for r in records:
            r["qc"] = qc.get(r.get("seq", 0))
        return BatchResult(batch_id, batch.status, pages_found, batch.expected_pages,
                           records, notes, counts)


def run_batch(ctx: Context, paths: list[str], *, operator: str, profile: str = "default",
              expected_pages: int | None = None, ocr_pages: OcrPages,
              batch_id: str | None = None,
              on_file: Callable[[int, int, str], None] | None = None) -> BatchResult:
    """`batch_id`: a batch registered already by start_batch (the web answers with its
    address before the work is done); `on_file(done, total, name)`: progress per scan file."""
    if batch_id is None:
        batch_id = start_batch(ctx, operator=operator, profile=profile,
                               expected_pages=expected_pages)
    batch = {"batch_id": batch_id, "operator": operator, "profile": profile,
             "scanned_at": utcnow().isoformat(timespec="seconds")}
    pages_found, records = 0, []
    for i, path in enumerate(paths):
        if on_file is not None:
            on_file(i, len(paths), Path(path).name)
        try:
            n, recs = process_scan_file(ctx, batch, path, ocr_pages=ocr_pages,
                                        seq_start=len(records) + 1)
        except Exception as e:  # noqa: BLE001 - one unreadable scan file never stops the batch
            n, recs = 0, [{"seq": len(records) + 1, "source_name": Path(path).name,
                           "source_sha256": "", "pages": [], "blanks": [], "problems": [],
                           "status": "failed", "error": reason(e)}]
        pages_found += n
        records += recs
    result = finish_batch(ctx, batch_id, pages_found, records)
    seal_batch(ctx, batch_id, "scanned")  # one seal over every scan file and document
    return result
