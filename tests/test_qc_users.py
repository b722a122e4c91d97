"""Quality control and release from the CLI record an account, never a name typed in:
`efile qc pass|fail --user X` refuses a user that does not exist (exit 4), is deactivated
or lacks `qc.decide` (exit 77); `efile batch release --user X` needs `qc.release`. Every
attempt, refused ones too, is in the audit log; the stack is born-digital (no OCR)."""

from __future__ import annotations

import io
import json
import subprocess

import pytest
from conftest import EFILE_BIN
from webhome import PASSWORD, _no_ocr

from efile.access.accounts import add_user, set_active
from efile.access.policy import load as load_policy
from efile.context import get_context
from efile.services.audit import Action, query

AZ = "ABH-2024-000101"


def efile(*args: str, rc: int = 0) -> subprocess.CompletedProcess:
    res = subprocess.run([EFILE_BIN, *args], capture_output=True, text=True)
    assert res.returncode == rc, (args, res.returncode, res.stdout, res.stderr)
    return res


def _stack(tmp_path, month: str):
    """A cover sheet and a payslip of `month`: two pages, born-digital."""
    import pikepdf

    from efile.coversheet import CoverSheet, render_pdf
    from efile.samples.born_digital import write_text_pdf

    cover = render_pdf(CoverSheet(AZ, "payslip"), client=None, type_name=None)
    body = write_text_pdf(tmp_path / f"lohn-{month}.pdf", [[f"Entgeltabrechnung {month} 2025",
                                                            "Frau Karin Albers"]])
    stack = tmp_path / f"stapel-{month}.pdf"
    with pikepdf.open(io.BytesIO(cover)) as pdf, pikepdf.open(body) as content:
        pdf.pages.extend(content.pages)
        pdf.save(stack)
    return stack


@pytest.fixture
def scanned(fresh_home, tmp_path):
    """A home with one scanned batch of one document, and one account per case."""
    from efile.services.efiles import add_efile
    from pipelines.batch import run_batch

    ctx = get_context()
    with ctx.db.session() as s:
        add_efile(s, AZ, surname="Albers", given_names="Karin", nationality="TUR")
        for name, roles, teams in (("scan.q", ["scanning"], []), ("scan.alt", ["scanning"], []),
                                   ("sb.q", ["caseworker"], ["team-a"]),
                                   ("tl.q", ["team_lead"], ["team-a"])):
            add_user(s, load_policy(), name, password=PASSWORD, roles=roles, teams=teams)
        set_active(s, "scan.alt", False)
    stack = _stack(tmp_path, "März")
    batch = run_batch(ctx, [str(stack)], operator="scan.q", expected_pages=2,
                      ocr_pages=_no_ocr)
    (doc,) = batch.documents
    assert doc["status"] == "filed" and doc["qc"] == "Stichprobe (3 %)", doc
    return batch.batch_id, doc["document_id"], tmp_path


def _events(action: str) -> list[tuple[str, str, dict]]:
    with get_context().db.session() as s:
        return [(e.user_name, e.outcome, e.details) for e in
                reversed(query(s, action=action, limit=50))]


def test_qc_refuses_an_invented_user_and_a_caseworker_and_records_a_scanning_clerk(scanned):
    batch_id, doc_id, _ = scanned
    res = efile("qc", "pass", doc_id, "--user", "erfunden", rc=4)
    assert "no user erfunden" in res.stderr
    res = efile("qc", "pass", doc_id, "--user", "sb.q", rc=77)
    assert "sb.q may not do this (qc.decide)" in res.stderr
    res = efile("qc", "fail", doc_id, "--note", "Seite fehlt", "--user", "scan.alt", rc=77)
    assert "user scan.alt is deactivated" in res.stderr
    status = json.loads(efile("batch", "status", batch_id, "--json").stdout)
    assert status["documents"][0]["qc"]["state"] == "pending"  # nothing was recorded

    decided = json.loads(efile("qc", "pass", doc_id, "--user", "scan.q", "--json").stdout)
    assert decided["qc"]["state"] == "passed" and decided["qc"]["by"] == "scan.q"
    events = _events(Action.QC_DECIDE)
    assert [(e[1], e[2].get("user")) for e in events[:3]] == [
        ("not_found", "erfunden"), ("denied", "sb.q"), ("denied", "scan.alt")]
    assert events[3][:2] == ("scan.q", "ok") and events[3][2]["passed"] is True


def test_release_needs_a_team_lead_and_is_audited(scanned):
    batch_id, doc_id, _ = scanned
    efile("qc", "pass", doc_id, "--user", "scan.q")
    res = efile("batch", "release", batch_id, "--user", "scan.q", rc=77)
    assert "scan.q may not do this (qc.release)" in res.stderr
    efile("batch", "release", batch_id, "--user", "niemand", rc=4)
    released = json.loads(efile("batch", "release", batch_id, "--user", "tl.q",
                                "--json").stdout)
    assert released["released_by"] == "tl.q"
    assert released["name"].startswith("Stapel 1 vom ") and released["name"].endswith("scan.q")
    assert [(u if o == "ok" else d.get("user"), o) for u, o, d in
            _events(Action.BATCH_RELEASE)] == [("scan.q", "denied"), ("niemand", "not_found"),
                                               ("tl.q", "ok")]
    # the completed transfer note says QC was done; a decision after the release is refused
    with get_context().db.session() as s:
        from efile.models import Document

        final = s.get(Document, doc_id).fields["transfer_note_final"]
    note = json.loads(get_context().store.get(final["key"]))["note"]
    assert "abgeschlossene Qualitätskontrolle" in note["statement"]
    assert note["quality_control"]["selected_because"] == "Stichprobe (3 %)"
    res = efile("qc", "fail", doc_id, "--note", "zu spät", "--user", "scan.q", rc=2)
    assert "was released" in res.stderr


def test_the_api_submits_decides_and_releases_as_the_caller(scanned):
    """POST /api/batches, .../qc/{doc}, .../release: the token's user, its permission, a batch
    it may see; the stack is processed in the background (poll GET /api/batches/{id})."""
    import time

    from fastapi.testclient import TestClient

    from efile.access.accounts import issue_token
    from efile.web.app import create_app

    _, _, tmp = scanned
    with get_context().db.session() as s:
        tokens = {u: issue_token(s, u, label="test") for u in ("scan.q", "sb.q", "tl.q")}
    client = TestClient(create_app())

    def call(user: str, method: str, path: str, **kw) -> object:
        return client.request(method, path, headers={"Authorization": f"Bearer {tokens[user]}"},
                              **kw)

    upload = {"files": ("zweiter.pdf", _stack(tmp, "April").read_bytes(), "application/pdf")}
    assert call("sb.q", "post", "/api/batches", files=upload).status_code == 403
    r = call("scan.q", "post", "/api/batches", files=upload, data={"expected_pages": "2"})
    assert r.status_code == 202, r.text
    batch_id = r.json()["batch_id"]
    assert r.json()["operator"] == "scan.q" and r.json()["name"].startswith("Stapel 2 vom ")
    deadline = time.monotonic() + 60
    while (info := call("scan.q", "get", f"/api/batches/{batch_id}").json())["status"] \
            == "processing":
        assert time.monotonic() < deadline, info
        time.sleep(0.3)
    (doc,) = info["documents"]
    assert doc["status"] == "filed" and doc["qc"]["state"] == "pending", info
    doc_id = doc["document_id"]
    qc = f"/api/batches/{batch_id}/qc/{doc_id}"
    assert call("sb.q", "post", qc, json={"passed": True}).status_code == 403
    assert call("scan.q", "post", qc, json={"passed": False}).status_code == 400  # no note
    assert call("tl.q", "post", f"/api/batches/{batch_id}/release").status_code == 409
    r = call("scan.q", "post", qc, json={"passed": True, "note": "vollständig"})
    assert r.status_code == 200 and r.json()["qc"]["by"] == "scan.q", r.text
    assert call("scan.q", "post", f"/api/batches/{batch_id}/release").status_code == 403
    r = call("tl.q", "post", f"/api/batches/{batch_id}/release")
    assert r.status_code == 200 and r.json()["released_by"] == "tl.q", r.text
    with get_context().db.session() as s:
        events = list(reversed(query(s, limit=100)))
        got = [(e.action, e.user_name, e.outcome) for e in events
               if e.object_id in (batch_id, doc_id)]
        submits = [(e.user_name, e.outcome, e.object_id) for e in events
                   if e.action == Action.BATCH_SUBMIT]
    assert submits == [("sb.q", "denied", None), ("scan.q", "ok", batch_id)]
    assert {e for e in got if e[0] == Action.READ} == {(Action.READ, "scan.q", "ok")}  # polls
    assert [e for e in got if e[0] != Action.READ] == [
        (Action.BATCH_SUBMIT, "scan.q", "ok"), (Action.QC_DECIDE, "sb.q", "denied"), (Action.QC_DECIDE, "scan.q", "error"),
        (Action.BATCH_RELEASE, "tl.q", "error"), (Action.QC_DECIDE, "scan.q", "ok"),
        (Action.BATCH_RELEASE, "scan.q", "denied"), (Action.BATCH_RELEASE, "tl.q", "ok")]
