"""`efile verify`: is a document still what was filed? Every stored object against its
recorded hash, the database row against its metadata record in the store, the seal over the
archive copy, the transfer note (embedded and stored copies equal, bound to this document and
this archive copy) and its completion after QC; for a batch also its sealed hash trees. Each
check says exactly what failed."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from efile.context import Context
from efile.models import Document
from efile.services.batches import get_batch
from efile.services.documents import get_document
from efile.services.metadata_record import check_record
from storage import StorageError

from .batch_seal import check_batch
from .steps.transfer import note_sha256, read_note
from .tools.seal import check_pdf_seal, load_roots


@dataclass
class Check:
    name: str
    ok: bool | None  # None: does not apply
    detail: str


@dataclass
class Report:
    document_id: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok is not False for c in self.checks)

    def to_dict(self) -> dict:
        return {"document_id": self.document_id, "ok": self.ok,
                "checks": [asdict(c) for c in self.checks],
                "failed": [c.detail for c in self.checks if c.ok is False]}


def _get(ctx: Context, key: str, sha: str | None, what: str, r: Report) -> bytes | None:
    try:
        data = ctx.store.get(key, expected_sha256=sha) if sha else ctx.store.get(key)
    except StorageError as e:
        r.checks.append(Check(what, False, f"{what}: {e}"))
        return None
    r.checks.append(Check(what, True, f"{what}: hash verified" if sha else f"{what}: present"))
    return data


def verify_document(ctx: Context, doc: Document) -> Report:
    r = Report(doc.id)
    ok, detail = check_record(ctx.store, doc)
    r.checks.append(Check("metadata", ok, detail))
    _get(ctx, doc.original_key, doc.original_sha256, "original", r)
    archive = _get(ctx, doc.archive_key, doc.archive_sha256, "archive copy", r)
    if doc.text_key:
        _get(ctx, doc.text_key, None, "page text", r)
    tn = doc.fields.get("transfer_note")
    if not tn:
        r.checks.append(Check("transfer note", None, "no transfer note: not a scanned batch "
                                                      "document"))
        return r
    if archive is None:  # the store never hands out bytes that fail their hash
        return r
    stored_raw = _get(ctx, tn["key"], None, "transfer note (stored)", r)
    embedded = read_note(archive)
    if stored_raw is not None:
        try:
            stored = json.loads(stored_raw)
        except ValueError:
            stored = None
        problems = []
        if stored is None:
            problems.append("the stored transfer note is not valid JSON")
        else:
            if note_sha256(stored["note"]) != tn["sha256"] or stored["note_sha256"] != tn["sha256"]:
                problems.append("the stored transfer note was changed")
            if stored["note"].get("document_id") != doc.id:
                problems.append("the stored transfer note belongs to another document")
            if embedded is None:
                problems.append("the archive copy carries no transfer note")
            elif note_sha256(embedded) != note_sha256(stored["note"]):
                problems.append("the transfer note in the archive copy differs from the "
                                "stored one")
        r.checks.append(Check("transfer note", not problems, "; ".join(problems) or
                              "transfer note: embedded and stored copies agree, bound to "
                              "this document"))
    final = doc.fields.get("transfer_note_final")
    if final:
        r.checks.append(_check_final_note(ctx, doc, tn, final))
    if tn.get("sealed"):
        status = check_pdf_seal(archive, load_roots(ctx.settings.seal_trust))
        r.checks.append(Check("seal", status.ok, "; ".join(status.problems) or
                              f"seal: valid, by {status.signer}, {status.signed_at}"))
    else:
        r.checks.append(Check("seal", None, "not sealed (no seal key was configured)"))
    return r


def _check_final_note(ctx: Context, doc: Document, first: dict, final: dict) -> Check:
    name = "transfer note (after QC)"
    try:
        stored = json.loads(ctx.store.get(final["key"]))
    except (StorageError, ValueError) as e:
        return Check(name, False, f"{name}: {e}")
    note = stored.get("note", {})
    problems = []
    if note_sha256(note) != final["sha256"]:
        problems.append("it was changed")
    if note.get("document_id") != doc.id:
        problems.append("it belongs to another document")
    if note.get("completes_sha256") != first["sha256"]:
        problems.append("it does not complete this document's transfer note")
    qc = note.get("quality_control", {})
    return Check(name, not problems, f"{name}: " + ("; ".join(problems) or
                 f"QC {qc.get('state')}, released by {note.get('released', {}).get('by')}"))


def verify(ctx: Context, ref: str) -> dict:
    with ctx.db.session() as s:
        return verify_document(ctx, get_document(s, ref)).to_dict()


def verify_batch(ctx: Context, batch_ref: str) -> dict:
    with ctx.db.session() as s:
        batch = get_batch(s, batch_ref)
        ids = [d.document_id for d in batch.documents if d.document_id]
        reports = [verify_document(ctx, s.get(Document, i)).to_dict() for i in ids]
        checks = check_batch(ctx, s, batch)
        failed = [c["detail"] for c in checks if c["ok"] is False]
        return {"batch_id": batch.id, "ok": all(x["ok"] for x in reports) and not failed,
                "checks": checks, "failed": failed, "documents": reports}
