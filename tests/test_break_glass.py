"""Break-glass that means something (issue 12), against the real app: a reason of real words
(counted in characters, stored as UTF-8), ONE e-file per reason inside a window, restricted
categories closed unless the policy includes them, every use listed for the data protection
officer (`efile audit query --break-glass`); and the naturalisation purpose follows only a
fact staff stand behind, not a portal upload."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta

import pytest
from conftest import EFILE_BIN, use_home
from fastapi.testclient import TestClient
from sqlalchemy import update
from webhome import _no_ocr, build

from efile.access.models import BreakGlassGrant
from efile.context import get_context
from efile.models import utcnow

GERMAN = "Notfall: Abschiebungshaft, Anhörung heute 14 Uhr, Akte fehlt"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    home = tmp_path_factory.mktemp("breakglass")
    use_home(home / "home")
    data = build(home)
    from efile.web.app import create_app

    return {"home": home / "home", "tmp": home, "client": TestClient(create_app()), **data}


@pytest.fixture
def web(built):
    use_home(built["home"])
    return built


def get(web, user: str, doc: str, reason: str | None = None):
    headers = {"Authorization": f"Bearer {web['tokens'][user]}"}
    if reason is not None:  # as a client sends it: UTF-8 bytes
        headers["X-Break-Glass-Reason"] = reason.encode("utf-8")
    return web["client"].get(f"/api/documents/{doc}", headers=headers)


@pytest.mark.parametrize("reason", ["...............", "xxxxxxxxxxxxxxxxxxxx",
                                    "Eilfall!!!!!!!!!!!!!!", "öööööö", "1234567890 12345 678"])
def test_a_reason_of_no_real_words_is_refused(web, reason):
    r = get(web, "tl.b", web["docs"]["u_payslip"].id, reason)
    assert r.status_code == 403 and "words" in r.json()["error"], reason


def test_a_german_reason_counts_characters_and_is_stored_as_utf8(web):
    d = web["docs"]["u_payslip"]
    r = get(web, "tl.b", d.id, GERMAN)
    assert r.status_code == 200, r.text
    events = json.loads(subprocess.run([EFILE_BIN, "audit", "query", "--break-glass", "--json"],
                                       capture_output=True, text=True, check=True).stdout)
    mine = [e for e in events if e["object_id"] == d.id and e["outcome"] == "ok"]
    assert mine and mine[0]["break_glass_reason"] == GERMAN and mine[0]["user"] == "tl.b"
    # 14 characters (17 bytes in UTF-8): too short, counted in characters
    r = get(web, "tl.b", web["docs"]["inbox"].id, "Akte für Prüf")
    assert r.status_code == 403


def test_one_reason_opens_one_efile_for_a_window(web):
    docs = web["docs"]
    reason = "Haftprüfung beim Amtsgericht heute, Akte dringend benötigt"
    assert get(web, "tl.b", docs["a_contract"].id, reason).status_code == 200
    # the same words do not open a second e-file
    r = get(web, "tl.b", docs["inbox"].id, reason)
    assert r.status_code == 403 and "one e-file" in r.json()["error"]
    with get_context().db.session() as s:  # the window has passed
        s.execute(update(BreakGlassGrant).where(BreakGlassGrant.reason == reason)
                  .values(expires_at=utcnow() - timedelta(seconds=1)))
    r = get(web, "tl.b", docs["a_contract"].id, reason)  # same e-file: a new grant, listed
    assert r.status_code == 200
    with get_context().db.session() as s:
        from sqlalchemy import func, select
        n = s.scalar(select(func.count()).select_from(BreakGlassGrant)
                     .where(BreakGlassGrant.reason == reason))
    assert n == 2


def test_restricted_categories_stay_closed_to_break_glass_by_default(web):
    r = get(web, "tl.b", web["docs"]["a_attest"].id, "Amtsarzt fragt nach dem Attest, Termin heute")
    assert r.status_code == 403 and "restricted" in r.json()["error"]


def test_a_portal_upload_opens_no_efile_to_the_naturalisation_team(web):
    from efile.samples.born_digital import write_text_pdf
    from pipelines.process import ingest_file

    az = "ABH-2024-000101"  # team A's client; no naturalisation on file
    eb = {"Authorization": f"Bearer {web['tokens']['eb.1']}"}
    assert web["client"].get(f"/api/efiles/{az}", headers=eb).status_code == 404
    pdf = write_text_pdf(web["tmp"] / "portal_natur.pdf", [[
        "Antrag auf Einbürgerung", "nach § 10 StAG", "Antragsteller Karin Albers"]])
    r = ingest_file(get_context(), str(pdf), efile=az, source="upload", ocr_pages=_no_ocr,
                    declared_type="naturalisation_application")
    from efile.models import Document
    with get_context().db.session() as s:  # the machine read it as an application
        s.execute(update(Document).where(Document.id == r.document_id)
                  .values(doc_type="naturalisation_application"))
    assert web["client"].get(f"/api/efiles/{az}", headers=eb).status_code == 404
    assert web["client"].get(f"/api/documents/{web['docs']['a_contract'].id}",
                             headers=eb).status_code == 404


def test_the_dpo_sees_every_break_glass_use_in_the_ui(web):
    get(web, "tl.b", web["docs"]["u_payslip"].id, GERMAN)
    c = TestClient(web["client"].app, client=("10.8.0.1", 5000), follow_redirects=False)
    from webhome import PASSWORD
    assert c.post("/anmelden", data={"username": "dsb.1", "password": PASSWORD}).status_code == 303
    r = c.get("/protokoll/notzugriffe")
    assert r.status_code == 200 and GERMAN in r.text and "ABH-2024-000303" in r.text
    sb = TestClient(web["client"].app, client=("10.8.0.2", 5000), follow_redirects=False)
    assert sb.post("/anmelden", data={"username": "sb.a", "password": PASSWORD}).status_code == 303
    assert sb.get("/protokoll/notzugriffe").status_code == 403
