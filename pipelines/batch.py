"""A scan batch, top to bottom, in plain steps:

    register the batch → per scan file: store the original (the whole stack, first) →
    already seen in a batch? → normalise → look at every page (cover sheet? blank?) →
    cut into documents at the cover sheets → each document through the ingest process
    (OCR, PDF/A, type, route; the cover sheet's Aktenzeichen and type are explicit) →
    reconcile page counts → record every document, dropped blank and problem.

Cover and blank pages stay in the stored scan file (the original); the documents hold only
the content pages. A cover sheet that cannot be read, or names an unknown file number or
type, sends its document to the inbox with that reason: never guessed.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pikepdf
from sqlalchemy import select

from classifiers.taxonomy import load as load_taxonomy
from efile.context import Context
from efile.errors import EfileError
from efile.models import BatchDocument, EFile, ScanBatch, utcnow
from efile.services.qc import select_for_qc

from .batch_seal import seal_batch
from .process import OcrPages, ingest_file, reason
from .steps.normalise import normalise
from .steps.split import BLANK_INK, Segment, inspect_page, split
from .steps.store import receive
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
        known = s.scalar(select(EFile.id).where(EFile.aktenzeichen == seg.cover.aktenzeichen))
    if known is None:
        return None, None, (f"the cover sheet names {seg.cover.aktenzeichen}, which is no "
                            "known e-file; a person decides")
    if seg.cover.doc_type and seg.cover.doc_type not in load_taxonomy():
        return seg.cover.aktenzeichen, None, (f"the cover sheet names the unknown type "
                                              f"{seg.cover.doc_type!r}; a person decides")
    return seg.cover.aktenzeichen, seg.cover.doc_type, None


def process_scan_file(ctx: Context, batch: dict, path: str, *, ocr_pages: OcrPages,
                      seq_start: int, blank_ink: float = BLANK_INK) -> tuple[int, list[dict]]:
    """One scan file of a batch (`batch`: batch_id, operator, profile, scanned_at):
    (pages found, document records)."""
    batch_id = batch["batch_id"]
    received = receive(ctx.store, path)  # the whole stack, cover and blank pages included
    with ctx.db.session() as s:
        earlier = s.scalar(select(BatchDocument).where(
            BatchDocument.source_sha256 == received.sha256,
            BatchDocument.batch_id != batch_id))
    if earlier is not None:
        return 0, [{"source_name": received.name, "source_sha256": received.sha256,
                    "status": "duplicate", "pages": [], "blanks": [], "problems": [
                        f"this scan file was already processed in batch {earlier.batch_id}"]}]
    try:
        norm = normalise(received.data, received.name, max_pixels=ctx.settings.max_image_pixels)
    except EfileError as e:  # unreadable stack: kept as received, reported, batch goes on
        return 0, [{"seq": seq_start, "source_name": received.name,
                    "source_sha256": received.sha256, "pages": [], "blanks": [],
                    "problems": [], "status": "failed", "error": str(e)}]
    verdicts = [inspect_page(i, img, blank_ink=blank_ink)
                for i, img in enumerate(page_images(norm.pdf, INSPECT_DPI))]
    records = []
    with tempfile.TemporaryDirectory(prefix="efile-batch-") as tmp:
        for n, seg in enumerate(split(verdicts)):
            rec = {"seq": seq_start + n, "source_name": received.name,
                   "source_sha256": received.sha256, "pages": [p + 1 for p in seg.pages],
                   "cover": asdict(seg.cover) if seg.cover else None,
                   "cover_page": seg.cover_page + 1 if seg.cover_page is not None else None,
                   "blanks": [p + 1 for p in seg.blanks], "problems": list(seg.problems)}
            if seg.doubtful:
                rec["problems"].append("pages " + ", ".join(str(p + 1) for p in seg.doubtful)
                                       + " nearly blank: check them")
            if not seg.pages:
                records.append({**rec, "status": "failed", "error": rec["problems"][-1]})
                continue
            efile, doc_type, hold = _hold_reason(ctx, seg)
            part = Path(tmp) / f"{Path(received.name).stem}-{rec['seq']:03d}.pdf"
            part.write_bytes(sub_pdf(norm.pdf, seg.pages))
            scan = {**batch, "scan_file": {"name": received.name, "sha256": received.sha256},
                    "pages": rec["pages"], "blanks": rec["blanks"],
                    "anomalies": rec["problems"] + ([hold] if hold else [])}
            try:
                item = ingest_file(ctx, str(part), efile=efile, source="scan",
                                   ocr_pages=ocr_pages, doc_type=doc_type, hold=hold, scan=scan)
            except Exception as e:  # noqa: BLE001 - transient trouble: record, go on
                records.append({**rec, "status": "failed", "error": reason(e)})
                continue
            records.append({**rec, "status": item.status, "document_id": item.document_id,
                            "efile": item.efile, "error": item.error})
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
            notes.append(f"page count mismatch: {pages_found} pages scanned, "
                         f"{batch.expected_pages} expected")
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
              expected_pages: int | None = None, ocr_pages: OcrPages) -> BatchResult:
    batch_id = start_batch(ctx, operator=operator, profile=profile, expected_pages=expected_pages)
    batch = {"batch_id": batch_id, "operator": operator, "profile": profile,
             "scanned_at": utcnow().isoformat(timespec="seconds")}
    pages_found, records = 0, []
    for path in paths:
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
