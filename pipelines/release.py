"""Release a scan batch after quality control (the paper may then be destroyed), top to
bottom:

    check that QC is complete and record the release (one transaction) →
    per document, the final transfer note: the first one plus the QC result and the release
    (transfer-note-v2, naming the hash of the one it completes), and a new metadata record →
    the batch's `released` hash tree, sealed.

The first transfer note stays embedded in the sealed archive copy as it was; the final one is
bound to it by hash and to the batch by the sealed tree. Every step after the release is
derived from what the database holds, so running it again after a crash completes it.
"""

from __future__ import annotations

import json

from efile.context import Context
from efile.models import BatchDocument, Document, ScanBatch
from efile.services.batches import get_batch
from efile.services.metadata_record import write_record
from efile.services.qc import release
from storage.keys import hashtree_key

from .batch_seal import seal_batch
from .steps.transfer import final_note, store_note

FINAL_STATEMENT = ("Das Scanprodukt stimmt bildlich und inhaltlich mit dem Papierdokument "
                   "überein; geprüft durch die automatischen Prüfungen (Seitenzahl, Leerseiten, "
                   "Lesbarkeit) und die abgeschlossene Qualitätskontrolle (auffällige Dokumente "
                   "und Stichprobe); der Stapel ist freigegeben.")


def release_batch(ctx: Context, batch_ref: str, *, actor: str) -> str:
    with ctx.db.session() as s:
        batch = get_batch(s, batch_ref)
        unfinished = batch.released_at is not None and not ctx.store.exists(
            hashtree_key(batch.id, "released"))
        batch_id = batch.id if unfinished else release(s, batch, actor=actor).id
    complete_release(ctx, batch_id)  # also completes a release a crash interrupted
    return batch_id


def complete_release(ctx: Context, batch_id: str) -> None:
    with ctx.db.session() as s:
        batch = s.get(ScanBatch, batch_id)
        for d in batch.documents:
            if d.document_id and d.status != "duplicate":
                _finalise_note(ctx, s.get(Document, d.document_id), d, batch)
    seal_batch(ctx, batch_id, "released")


def _finalise_note(ctx: Context, doc: Document, item: BatchDocument, batch: ScanBatch) -> None:
    first = doc.fields.get("transfer_note")
    if not first or doc.fields.get("transfer_note_final"):
        return
    stored = json.loads(ctx.store.get(first["key"]))
    note = final_note(stored["note"], first_sha256=first["sha256"], qc={
        "state": item.qc_state, "selected_because": item.qc_reason, "by": item.qc_by,
        "at": item.qc_at.isoformat(timespec="seconds") if item.qc_at else None,
        "note": item.qc_note},
        released_by=batch.released_by,
        released_at=batch.released_at.isoformat(timespec="seconds"))
    # only now, with quality control done, may the note say it was done (the first note is
    # written while it is still open)
    note["statement"] = FINAL_STATEMENT
    doc.fields = {**doc.fields, "transfer_note_final": store_note(ctx.store, doc.id, 2, note,
                                                                  doc.archive_sha256)}
    write_record(ctx.store, doc, reason="quality control done, batch released",
                 actor=batch.released_by or "efile")
