"""Applicant uploads end to end through POST /api/uploads as the portal's service account:
receipts, idempotency, the born-digital fast path, sanitising with the original kept, the
malware quarantine with a real clamd, refusals in German, mismatch flags, the team's event
and its signed webhook; the applicant's receipt says only what the applicant may know, the
staff's receipt (pipelines.upload.get_upload, `efile upload --json`) the rest."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import threading

import pikepdf
import pytest
from conftest import use_home
from fastapi.testclient import TestClient
from webhome import CLIENTS, build

from efile.access.accounts import add_user, issue_token
from efile.access.policy import load as load_policy
from efile.context import get_context, reset_contexts
from efile.samples.born_digital import write_text_pdf

AZ = CLIENTS[1][0]  # Nowak, team-b
LETTER = ["Arbeitgeberbescheinigung", "Herr Piotr Nowak, geboren am 06.05.1975,",
          "ist seit dem 01.02.2020 unbefristet in Vollzeit bei uns beschäftigt.",
          "Bruttomonatsgehalt 3.400,00 EUR", "Beispiel GmbH, Personalabteilung"]


class Hook(http.server.BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Hook.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    import os

    from clamd_server import Clamd, available

    home = tmp_path_factory.mktemp("uploads")
    hook = http.server.HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    clamd = Clamd().start() if available() else None
    env = {"EFILE_WEBHOOK_URL": f"http://127.0.0.1:{hook.server_port}/hook",
           "EFILE_WEBHOOK_SECRET": "geheim-genug"}
    if clamd:
        env["EFILE_CLAMD"] = clamd.unix_address
    os.environ.update(env)
    reset_contexts()
    use_home(home / "home")
    built = build(home)
    with get_context().db.session() as s:
        add_user(s, load_policy(), "portal", password=None, roles=["portal"])
        token = issue_token(s, "portal", label="portal")
    from efile.web.app import create_app

    yield {"client": TestClient(create_app()), "token": token, "tmp": home, "clamd": clamd,
           **built}
    hook.shutdown()
    if clamd:
        clamd.stop()
    for k in env:
        os.environ.pop(k, None)
    reset_contexts()


def send(portal, files: list[tuple[str, bytes]], *, key: str, reference: str = AZ,
         declared: str | None = None, token: str | None = None):
    data = {"reference": reference, **({"declared_type": declared} if declared else {})}
    return portal["client"].post(
        "/api/uploads", data=data, files=[("files", (n, b)) for n, b in files],
        headers={"Authorization": f"Bearer {token or portal['token']}", "Idempotency-Key": key})


APPLICANT_KEYS = {"name", "size", "sha256", "status", "code", "message"}


def staff_files(receipt: dict) -> list[dict]:
    """The staff's receipt of an upload the portal was answered for."""
    from pipelines.upload import get_upload

    return get_upload(get_context(), receipt["upload_id"])["files"]


def assert_applicant_view(receipt: dict) -> None:
    for f in receipt["files"]:
        assert set(f) <= APPLICANT_KEYS and f["status"] in ("received", "refused", "failed"), f
        assert f["message"], f


MORE = ["Die wöchentliche Arbeitszeit beträgt 40 Stunden; das Arbeitsverhältnis ist nicht",
        "gekündigt und besteht ungekündigt fort. Der Urlaubsanspruch beträgt 30 Tage.",
        "Diese Bescheinigung wird zur Vorlage bei der Ausländerbehörde ausgestellt."]


def letter_pdf(portal, name: str = "bescheinigung.pdf") -> bytes:
    return write_text_pdf(portal["tmp"] / name, [LETTER, ["Seite 2 von 3", *MORE],
                                                 ["Seite 3 von 3", *MORE[::-1]]]).read_bytes()


def with_javascript(pdf: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.Root.OpenAction = doc.make_indirect(pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hallo')")))
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()


def test_a_born_digital_upload_is_filed_without_ocr_once_and_the_team_learns_of_it(portal):
    pdf = letter_pdf(portal)
    r = send(portal, [("bescheinigung.pdf", pdf)], key="antrag-4711-1",
             declared="employer_certificate")
    assert r.status_code == 201, r.text
    receipt = r.json()
    assert_applicant_view(receipt)
    assert receipt["files"][0]["status"] == "received"
    (f,) = staff_files(receipt)
    assert (f["status"], f["efile"], f["doc_type"], f["pages"]) == (
        "filed", AZ, "employer_certificate", 3)
    assert f["malware_scan"] == ("clean" if portal["clamd"] else "skipped")
    with get_context().db.session() as s:
        from efile.models import Document

        doc = s.get(Document, f["document_id"])
        assert {p.text_source for p in doc.pages} == {"born-digital"}  # no OCR cost
        assert doc.source == "upload"
    # the same request again: the same upload, nothing filed twice
    again = send(portal, [("bescheinigung.pdf", pdf)], key="antrag-4711-1",
                 declared="employer_certificate")
    assert again.status_code == 201 and again.json()["upload_id"] == receipt["upload_id"]
    # another request under the same key is refused
    other = send(portal, [("x.pdf", letter_pdf(portal, "x.pdf"))], key="antrag-4711-1")
    assert other.status_code == 409 and "was used for another upload" in other.json()["error"]
    status = portal["client"].get(f"/api/uploads/{receipt['upload_id']}",
                                  headers={"Authorization": f"Bearer {portal['token']}"})
    assert status.json() == receipt
    # the team of the e-file learns of it: an event, delivered to the webhook, signed
    headers, body = Hook.received[-1]
    event = json.loads(body)
    assert event["kind"] == "documents.arrived" and event["team"] == "team-b"
    assert event["documents"] == [f["document_id"]]
    import hmac

    want = "sha256=" + hmac.new(b"geheim-genug", body, hashlib.sha256).hexdigest()
    assert headers["X-Efile-Signature"] == want


def test_active_content_is_removed_from_the_archive_copy_and_the_original_kept(portal):
    sent = with_javascript(letter_pdf(portal, "js.pdf"))
    r = send(portal, [("mit-skript.pdf", sent)], key="antrag-4711-js")
    (f,) = staff_files(r.json())
    assert f["status"] == "filed" and any("JavaScript" in x for x in f["sanitised"])
    ctx = get_context()
    with ctx.db.session() as s:
        from efile.models import Document

        doc = s.get(Document, f["document_id"])
        original, archive = ctx.store.get(doc.original_key), ctx.store.get(doc.archive_key)
    assert original == sent  # kept as received
    assert b"/JavaScript" not in archive and b"app.alert" not in archive


def test_bad_files_are_refused_or_quarantined_each_on_its_own(portal):
    locked = io.BytesIO()
    with pikepdf.open(io.BytesIO(letter_pdf(portal, "l.pdf"))) as doc:
        doc.save(locked, encryption=pikepdf.Encryption(user="geheim", owner="geheim"))
    files = [("leer.pdf", b""), ("programm.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 200),
             ("seite.pdf", b"<!doctype html><html><body>hallo</body></html>"),
             ("gesperrt.pdf", locked.getvalue()), ("gut.pdf", letter_pdf(portal, "gut.pdf"))]
    if portal["clamd"]:
        from clamd_server import EICAR

        files.append(("eicar.pdf", EICAR))
    r = send(portal, files, key="antrag-4711-bad")
    assert_applicant_view(r.json())
    seen = {f["name"]: f for f in r.json()["files"]}
    by_name = {f["name"]: f for f in staff_files(r.json())}
    assert by_name["gut.pdf"]["status"] == "filed"  # one bad file never stops the others
    codes = {"leer.pdf": "empty", "programm.pdf": "executable", "seite.pdf": "html",
             "gesperrt.pdf": "encrypted"}
    for name, code in codes.items():
        f = by_name[name]
        assert f["status"] == "refused" and f["code"] == code and f["applicant_message"], f
        assert (seen[name]["status"], seen[name]["code"]) == ("refused", code)
        assert seen[name]["message"] == f["applicant_message"]
    assert "Passwort" in seen["gesperrt.pdf"]["message"]
    ctx = get_context()
    # stored first, among the originals, before any check read it; no document made of it
    assert by_name["gesperrt.pdf"]["key"].startswith("originals/")
    assert ctx.store.get(by_name["gesperrt.pdf"]["key"]) == locked.getvalue()
    assert "document_id" not in by_name["gesperrt.pdf"]
    if portal["clamd"]:
        f = by_name["eicar.pdf"]
        assert f["status"] == "quarantined" and f["key"].startswith("quarantine/")
        assert "document_id" not in f
        assert (seen["eicar.pdf"]["status"], seen["eicar.pdf"]["code"]) == ("refused", "malware")


def test_a_wrong_reference_or_role_is_handled_and_a_mismatch_flagged(portal):
    # an unknown reference: received (the portal learns nothing of which e-files exist),
    # and held for a person in the inbox
    r = send(portal, [("a.pdf", letter_pdf(portal, "a.pdf"))], key="antrag-x-1",
             reference="ABH-2099-999999")
    assert r.status_code == 201 and r.json()["files"][0]["status"] == "received", r.text
    (f,) = staff_files(r.json())
    assert f["status"] == "inbox" and any("which is no e-file here" in n for n in f["notes"])
    for reference in ("\x00", "ABH-2024-000202\x00"):  # schemathesis found these once: 500
        r = send(portal, [("a.pdf", b"%PDF-1.4")], key="antrag-nul", reference=reference)
        assert r.status_code == 400 and "control characters" in r.json()["error"]
    r = send(portal, [("a.pdf", letter_pdf(portal, "a.pdf"))], key="antrag-x-2",
             token=portal["tokens"]["sb.b"])
    assert r.status_code == 403
    # the applicant says "passport", the document is an employer's letter: flagged, not hidden
    r = send(portal, [("pass.pdf", letter_pdf(portal, "pass.pdf"))], key="antrag-x-3",
             declared="passport")
    (f,) = staff_files(r.json())
    assert any("declared as passport" in n for n in f["notes"])
    # a letter about another client (Albers, team A) under Nowak's reference: a person decides
    other = write_text_pdf(portal["tmp"] / "albers.pdf", [[
        "Arbeitgeberbescheinigung", "Frau Karin Albers, geboren am 02.01.1980,",
        f"Aktenzeichen {CLIENTS[0][0]}", "ist bei uns beschäftigt."]]).read_bytes()
    r = send(portal, [("albers.pdf", other)], key="antrag-x-4")
    (f,) = staff_files(r.json())
    assert f["status"] == "inbox", f
    # the applicant's receipt names neither the other client nor her e-file
    assert_applicant_view(r.json())
    assert CLIENTS[0][0] not in r.text and "Albers" not in r.text
    # the same file under another request (another account's, say): received, no document id
    again = send(portal, [("albers.pdf", other)], key="antrag-x-5")
    assert again.json()["files"][0]["status"] == "received"
    assert staff_files(again.json())[0]["status"] == "duplicate"
    assert f["document_id"] not in again.text
