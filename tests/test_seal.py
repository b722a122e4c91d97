"""TR-03138 integrity: each scanned document carries a transfer note (embedded in the PDF/A's
XMP and stored beside it) and a PAdES seal from the configured key; `efile verify` passes
on untouched documents and names the cause after a byte changes."""

from __future__ import annotations

import json
import os
import random
import subprocess
from pathlib import Path

import pytest
from conftest import BACKEND, EFILE_BIN, create_efiles
from pki import make_seal_pki
from test_batch import scanned_cover

from efile.context import get_context, reset_contexts
from efile.coversheet import CoverSheet
from efile.samples import scan_pages
from efile.samples.render import save_scan
from pipelines.steps.transfer import read_note


@pytest.fixture
def sealed_home(fresh_home, tmp_path, monkeypatch):
    pki = make_seal_pki(tmp_path / "pki")
    monkeypatch.setenv("EFILE_SEAL_PKCS12", str(pki["pkcs12"]))
    monkeypatch.setenv("EFILE_SEAL_PASSPHRASE", pki["passphrase"].decode())
    monkeypatch.setenv("EFILE_SEAL_TRUST", str(pki["root"]))
    reset_contexts()
    return fresh_home


def efile(*args: str, rc: int = 0) -> subprocess.CompletedProcess:
    res = subprocess.run([EFILE_BIN, *args], capture_output=True, text=True, env=dict(os.environ))
    assert res.returncode == rc, res.stderr
    return res


def test_scanned_documents_carry_a_sealed_transfer_note(sealed_home, samples, tmp_path):
    from pipelines.flows import run_scan_batch

    create_efiles(samples)
    letter = next(s for s in samples if s.doc.kind == "employer_certificate")
    az = letter.doc.person["aktenzeichen"]
    stack = tmp_path / "stapel.tif"
    save_scan([scanned_cover(CoverSheet(az), random.Random(2)),
               scan_pages(letter.doc, seed=3)[0]], stack)
    result = run_scan_batch([str(stack)], operator="scan.yilmaz", profile="300dpi-grau")
    (doc,) = result["documents"]
    assert (doc["status"], doc["efile"]) == ("filed", az)

    ctx = get_context()
    meta = json.loads(efile("show", doc["document_id"], "--json").stdout)
    assert meta["archive"]["format"] == "PDF/A-2b" and meta["fields"]["transfer_note"]["sealed"]
    stored = json.loads(ctx.store.get(meta["fields"]["transfer_note"]["key"]))
    note = stored["note"]
    assert stored["archive_sha256"] == meta["archive"]["sha256"]
    assert note["document_id"] == doc["document_id"] and note["created_by"] == "scan.yilmaz"
    assert note["environment"]["scan_profile"] == "300dpi-grau"
    assert note["environment"]["software"]["tesseract"].startswith("5.")
    assert note["scan_file"]["name"] == "stapel.tif" and note["pages_in_scan_file"] == [2]
    # written at the scan, before anyone looked: the QC is still to come (issue 13)
    assert "Qualitätssicherung nach Stichprobe steht noch aus" in note["statement"]
    assert note["quality_control"]["state"] == "pending"
    archive = ctx.store.get(meta["archive"]["key"])
    assert read_note(archive) == note

    report = json.loads(efile("verify", doc["document_id"], "--json").stdout)
    assert report["ok"] and {c["name"]: c["ok"] for c in report["checks"]} == {
        "metadata": True, "original": True, "archive copy": True, "page text": True,
        "transfer note (stored)": True, "transfer note": True, "seal": True}
    batch_report = json.loads(efile("verify", "--batch", result["batch_id"], "--json").stdout)
    (tree,) = batch_report["checks"]
    assert batch_report["ok"] and tree["ok"] and "over 2 items, sealed by" in tree["detail"]

    check_metadata_and_release(ctx, doc["document_id"], result["batch_id"])

    if BACKEND != "embedded":
        return  # objects in S3 are under object lock: they cannot be changed to test this
    objects = Path(os.environ["EFILE_HOME"]) / "objects"

    def tamper(key: str, change) -> bytes:
        path = objects / key
        before = path.read_bytes()
        path.chmod(0o644)
        path.write_bytes(change(before))
        return before

    # one byte of the archive copy
    original = tamper(meta["archive"]["key"],
                      lambda b: b[:5000] + bytes([b[5000] ^ 1]) + b[5001:])
    res = efile("verify", doc["document_id"], "--json", rc=3)
    failed = json.loads(res.stdout)["failed"]
    # the store refuses bytes that do not match their recorded hash, so the cause is named
    # there, before anyone could read the changed copy
    assert len(failed) == 1 and failed[0].startswith(f"archive copy: {meta['archive']['key']}: "
                                                     "content hash"), failed
    assert res.stderr.startswith("efile: error: archive copy:")
    tamper(meta["archive"]["key"], lambda _: original)

    # the stored transfer note: the store names the changed bytes ...
    key = meta["fields"]["transfer_note"]["key"]
    changed = tamper(key, lambda b: b.replace(b"scan.yilmaz", b"scan.meier"))
    failed = json.loads(efile("verify", doc["document_id"], "--json", rc=3).stdout)["failed"]
    assert len(failed) == 1 and failed[0].startswith(f"transfer note (stored): {key}: content")
    # ... and someone who also rewrites the store's hash record is caught by the note's own
    # hash in the database and by the copy sealed inside the archive
    import hashlib

    sidecar = objects / (key + ".meta.json")
    record = json.loads(sidecar.read_text())
    record["sha256"] = hashlib.sha256((objects / key).read_bytes()).hexdigest()
    record["size"] = (objects / key).stat().st_size
    sidecar.chmod(0o644)
    sidecar.write_text(json.dumps(record))
    assert changed != (objects / key).read_bytes()
    failed = json.loads(efile("verify", doc["document_id"], "--json", rc=3).stdout)["failed"]
    assert failed == ["the stored transfer note was changed; the transfer note in the archive "
                      "copy differs from the stored one"]


def sql(statement: str, **params: str) -> None:
    from sqlalchemy import text

    with get_context().db.session() as s:
        s.execute(text(statement), params)


def check_metadata_and_release(ctx, doc_id: str, batch_id: str) -> None:
    # metadata changed behind the product's back (a misfile or a lifted restriction by SQL)
    sql("UPDATE documents SET doc_type = 'medical_attest' WHERE id = :d", d=doc_id)
    res = efile("verify", doc_id, "--json", rc=3)
    assert json.loads(res.stdout)["failed"] == [
        "metadata changed outside efile: doc_type is 'medical_attest' in the database but "
        "'employer_certificate' in the record"]
    assert "metadata changed outside efile" in res.stderr
    sql("UPDATE documents SET doc_type = 'employer_certificate' WHERE id = :d", d=doc_id)
    # a change through the product writes the next record and verifies
    efile("reclassify", doc_id, "payslip", "--user", "sb.k")
    report = json.loads(efile("verify", doc_id, "--json").stdout)
    assert "matches record v2" in report["checks"][0]["detail"]
    # the batch's sealed tree names what changed in the database since sealing
    sql("UPDATE documents SET archive_sha256 = :h WHERE id = :d", h="0" * 64, d=doc_id)
    failed = json.loads(efile("verify", "--batch", batch_id, "--json", rc=3).stdout)["failed"]
    assert failed[0] == (f"hash tree (scanned): document 1 ({doc_id[:12]}): archive_sha256 "
                         "changed since sealing")
    with ctx.db.session() as s:
        from efile.models import Document

        s.execute(Document.__table__.update().where(Document.id == doc_id).values(
            archive_sha256=ctx.store.head(f"documents/{doc_id}/archive-v1.pdf").sha256))

    # quality control done: the final transfer note names its result, a second tree seals it;
    # by accounts that hold the rights (the CLI refuses a name that is none)
    from efile.access.accounts import add_user
    from efile.access.policy import load as load_policy

    with ctx.db.session() as s:
        add_user(s, load_policy(), "qs.a", password="Ein-langes-Passwort-fuer-qs", roles=["scanning"],
                 teams=[], rights=[])
        add_user(s, load_policy(), "qs.lead", password="Ein-langes-Passwort-fuer-qs",
                 roles=["team_lead"], teams=["team-a"], rights=[])
    efile("qc", "pass", doc_id, "--user", "qs.a")
    efile("batch", "release", batch_id, "--user", "qs.lead")
    report = json.loads(efile("verify", doc_id, "--json").stdout)
    checks = {c["name"]: c for c in report["checks"]}
    assert report["ok"] and checks["transfer note (after QC)"]["detail"] == (
        "transfer note (after QC): QC passed, released by qs.lead")
    with ctx.db.session() as s:
        from efile.models import Document

        final = s.get(Document, doc_id).fields["transfer_note_final"]
    note = json.loads(ctx.store.get(final["key"]))["note"]
    assert note["quality_control"]["by"] == "qs.a" and note["released"]["by"] == "qs.lead"
    batch_report = json.loads(efile("verify", "--batch", batch_id, "--json").stdout)
    assert [c["name"] for c in batch_report["checks"]] == ["hash tree (scanned)",
                                                           "hash tree (released)"]
    assert batch_report["ok"]
