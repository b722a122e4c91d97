"""One seal over a whole scan batch: a hash tree over its scan files and documents, written
twice in a batch's life (TR-03138: integrity as early as possible, and the QC result bound
to the scan products):

    scanned   when the batch has been processed: every scan file as received and, per
              document, the hashes of its pages as cut, its archive copy and transfer note
    released  when quality control is done: the same, plus each document's QC result and
              its final transfer note (transfer-note-v2, which names the QC result)

Each tree is stored as JSON (`batches/<id>/hashtree-<stage>.json`) and, when a seal key is
configured, as a sealed PDF that shows it to a person and carries the same JSON in its
document information (`batches/<id>/hashtree-<stage>.pdf`). Both are derived only from what
the database already holds, so writing them again after a crash gives the same bytes and the
write-once store accepts them.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import datetime

import pikepdf
from sqlalchemy.orm import Session

from efile.context import Context
from efile.models import Document, ScanBatch
from storage import ObjectNotFound, ObjectStore, StorageError, canonical_json
from storage.keys import hashtree_key

from .steps.hashtree import leaf_hash, root
from .steps.transfer import seal_config
from .tools.seal import SealConfig, check_pdf_seal, load_roots, seal_pdf

FORMAT = "efile-batch-hashtree/1"
STAGES = ("scanned", "released")
INFO_KEY = "/EfileHashTree"


def _iso(t: datetime | None) -> str | None:
    return t.isoformat(timespec="seconds") if t else None


def batch_items(session: Session, batch: ScanBatch, stage: str) -> list[dict]:
    """The tree's items in a fixed order: scan files, then documents by sequence."""
    items: list[dict] = []
    seen: set[str] = set()
    for d in batch.documents:
        if d.source_sha256 and d.status != "duplicate" and d.source_sha256 not in seen:
            seen.add(d.source_sha256)
            items.append({"kind": "scan_file", "name": d.source_name, "sha256": d.source_sha256})
    for d in batch.documents:
        if not d.document_id or d.status == "duplicate":
            continue  # a duplicate belongs to the batch that first filed it
        doc = session.get(Document, d.document_id)
        item = {"kind": "document", "seq": d.seq, "document_id": doc.id,
                "pages": d.pages, "blanks": d.blanks,
                "original_sha256": doc.original_sha256, "archive_sha256": doc.archive_sha256,
                "transfer_note_sha256": (doc.fields.get("transfer_note") or {}).get("sha256")}
        if stage == "released":
            item["qc"] = {"state": d.qc_state, "by": d.qc_by, "at": _iso(d.qc_at)}
            item["transfer_note_final_sha256"] = (
                doc.fields.get("transfer_note_final") or {}).get("sha256")
        items.append(item)
    return items


def build_tree(session: Session, batch: ScanBatch, stage: str) -> dict:
    items = batch_items(session, batch, stage)
    leaves = [leaf_hash(i) for i in items]
    when = batch.finished_at if stage == "scanned" else batch.released_at
    who = batch.operator if stage == "scanned" else batch.released_by
    return {"format": FORMAT, "batch_id": batch.id, "stage": stage, "at": _iso(when),
            "by": who, "items": [{**i, "hash": h} for i, h in zip(items, leaves, strict=True)],
            "root": root(leaves)}


def render_pdf(tree: dict) -> bytes:
    """A page a person can read (batch, stage, root, every item), the JSON in its Info."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, 15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, f"Hash-Baum des Scan-Stapels {tree['batch_id']}", new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    stage = {"scanned": "nach dem Scannen", "released": "nach der Qualitätskontrolle"}
    for line in (f"Stand: {stage[tree['stage']]} ({tree['at']}, {tree['by']})",
                 f"Wurzel (SHA-256): {tree['root']}", f"Einträge: {len(tree['items'])}"):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Courier", "", 7)
    for i in tree["items"]:
        label = i.get("document_id") or i.get("name", "")
        pdf.cell(0, 4, f"{i['kind'][:9]:9} {label[:40]:40} {i['hash']}", new_x="LMARGIN",
                 new_y="NEXT")
    with pikepdf.open(io.BytesIO(bytes(pdf.output()))) as doc:
        doc.docinfo[INFO_KEY] = canonical_json(tree).decode()
        buf = io.BytesIO()
        doc.save(buf, static_id=True)
        return buf.getvalue()


def _put_once(store: ObjectStore, key: str, make: Callable[[], bytes], content_type: str) -> None:
    if not store.exists(key):
        store.put(key, make(), write_once=True, content_type=content_type)


def seal_batch(ctx: Context, batch_id: str, stage: str) -> dict:
    """Write (once) the batch's tree for `stage`, sealed when a seal key is configured."""
    with ctx.db.session() as s:
        tree = build_tree(s, s.get(ScanBatch, batch_id), stage)
    cfg: SealConfig | None = seal_config(ctx.settings)
    ctx.store.put(hashtree_key(batch_id, stage), canonical_json(tree), write_once=True,
                  content_type="application/json")
    if cfg is not None:  # a signature is never the same twice: written once, kept
        _put_once(ctx.store, hashtree_key(batch_id, stage, "pdf"),
                  lambda: seal_pdf(render_pdf(tree), cfg, reason="Integritätssicherung des "
                                   "Scan-Stapels nach BSI TR-03138 (Hash-Baum)"),
                  "application/pdf")
    return {"stage": stage, "root": tree["root"], "items": len(tree["items"]),
            "sealed": cfg is not None}


def _stored_tree(store: ObjectStore, batch_id: str, stage: str) -> dict | None:
    try:
        return json.loads(store.get(hashtree_key(batch_id, stage)))
    except ObjectNotFound:
        return None


def _tree_in_pdf(pdf: bytes) -> dict | None:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        raw = doc.docinfo.get(INFO_KEY)
    return json.loads(str(raw)) if raw is not None else None


def check_batch(ctx: Context, session: Session, batch: ScanBatch) -> list[dict]:
    """One check per stage the batch has reached: stored tree, seal, and today's state."""
    checks = []
    reached = [st for st, done in (("scanned", batch.finished_at),
                                   ("released", batch.released_at)) if done]
    for stage in reached:
        name = f"hash tree ({stage})"
        problems: list[str] = []
        try:
            tree = _stored_tree(ctx.store, batch.id, stage)
        except (StorageError, ValueError) as e:
            checks.append({"name": name, "ok": False, "detail": f"{name}: {e}"})
            continue
        if tree is None:
            checks.append({"name": name, "ok": False,
                           "detail": f"{name}: missing from the store"})
            continue
        leaves = [i["hash"] for i in tree["items"]]
        if root(leaves) != tree["root"] or any(
                leaf_hash({k: v for k, v in i.items() if k != "hash"}) != i["hash"]
                for i in tree["items"]):
            problems.append("the stored tree does not add up to its root (changed)")
        problems += _compare(tree, build_tree(session, batch, stage))
        seal = "not sealed (no seal key was configured)"
        key = hashtree_key(batch.id, stage, "pdf")
        if ctx.store.exists(key):
            pdf = ctx.store.get(key)
            status = check_pdf_seal(pdf, load_roots(ctx.settings.seal_trust))
            problems += [f"seal: {p}" for p in status.problems]
            if _tree_in_pdf(pdf) != tree:
                problems.append("the sealed tree differs from the stored JSON")
            seal = f"sealed by {status.signer}"
        checks.append({"name": name, "ok": not problems,
                       "detail": f"{name}: " + ("; ".join(problems) or
                                                f"root {tree['root'][:16]}… over "
                                                f"{len(leaves)} items, {seal}")})
    return checks


def _compare(sealed: dict, now: dict) -> list[str]:
    """What differs between the sealed tree and the tree of today's database and store."""
    problems = []
    if sealed["root"] == now["root"]:
        return problems
    old = {_ident(i): i for i in sealed["items"]}
    new = {_ident(i): i for i in now["items"]}
    for ident in old.keys() - new.keys():
        problems.append(f"{ident} was sealed in the batch but is gone")
    for ident in new.keys() - old.keys():
        problems.append(f"{ident} is in the batch now but was not sealed")
    for ident in old.keys() & new.keys():
        diff = [k for k in sorted(set(old[ident]) | set(new[ident]))
                if k != "hash" and old[ident].get(k) != new[ident].get(k)]
        if diff:
            problems.append(f"{ident}: {', '.join(diff)} changed since sealing")
    return problems or ["the batch no longer matches its sealed root"]


def _ident(item: dict) -> str:
    if item["kind"] == "document":
        return f"document {item['seq']} ({item['document_id'][:12]})"
    return f"scan file {item['name']}"
