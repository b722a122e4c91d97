"""The document page a caseworker works on (issue 13): notes (Vermerke) in the service, the API
and the page's form; downloads of the archive copy and the original with readable file names,
audited as downloads; the whole history with people's display names; the machine's reasons
in German; titles by type and date instead of file names. Born-digital documents (no OCR),
one home for the module."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from conftest import use_home
from fastapi.testclient import TestClient
from support.german import english_words
from webhome import PASSWORD, USERS, _no_ocr, build, may_read

TEAM_A = "ABH-2024-000101"  # Albers: sb.a's caseload
TEAM_B = "ABH-2024-000202"  # Nowak: sb.b's caseload
LONG_REASON = "gehört zu einer anderen Person laut Anschreiben"


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    from efile.context import get_context
    from efile.samples.born_digital import write_text_pdf
    from pipelines.process import ingest_file

    tmp = tmp_path_factory.mktemp("documentpage")
    use_home(tmp / "home")
    built = build(tmp)
    ctx = get_context()
    # a payslip with a printed date, named as the scanner names its files
    pdf = write_text_pdf(tmp / "stapel-0815-002.pdf", [[
        "Entgeltabrechnung Februar 2025", "Frau Karin Albers", "Berlin, den 28.02.2025",
        "Bruttoverdienst 3.250,00 EUR", "Wortmarke lohnzulu"]])
    r = ingest_file(ctx, str(pdf), efile=TEAM_A, source="upload", ocr_pages=_no_ocr,
                    doc_type="payslip")
    assert r.status == "filed", r
    from efile.web.app import create_app

    return {"client": TestClient(create_app()), "payslip": r.document_id, **built}


def call(web, user, method, path, **kw):
    return web["client"].request(method, path, headers={
        "Authorization": f"Bearer {web['tokens'][user]}"}, **kw)


def login(web, user: str) -> TestClient:
    c = web["client"]
    c.cookies.clear()
    r = c.post("/anmelden", data={"username": user, "password": PASSWORD, "weiter": "/"},
               headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert r.status_code == 303
    return c


def csrf_of(page_html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page_html).group(1)


def audit(web, **filters) -> list[dict]:
    r = call(web, "dsb.1", "get", "/api/audit", params={**filters, "limit": 1000})
    assert r.status_code == 200, r.text
    return r.json()["events"]


def visible(html: str) -> str:
    """The page's text without what is marked translate="no" (the documents' own words)."""
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    while True:  # innermost translate="no" elements first, nested tags of one kind
        stripped = re.sub(r'<(\w+)[^>]*translate="no"[^>]*>[^<]*(?:<(?!/?\1\b)[^<]*)*</\1>',
                          " ", html)
        if stripped == html:
            break
        html = stripped
    return re.sub(r"<[^>]+>", " ", html)


# -- notes ---------------------------------------------------------------------------------------

def test_who_may_write_a_note_and_what_it_may_say(web):
    from efile.access.accounts import get_user, principal_of
    from efile.access.policy import load as load_policy
    from efile.context import get_context
    from efile.errors import Forbidden, NotFound
    from efile.services import notes

    ctx, policy = get_context(), load_policy()
    d = web["docs"]
    with ctx.db.session() as s:
        def p(u):
            return principal_of(get_user(s, u), policy)

        for bad, words in (("", "Text"), ("   \n ", "Text"), ("a" * 2001, "2000"),
                           ("Rückruf\x00", "Steuerzeichen"), ("Rückruf\x1b[31m", "Steuerzeichen")):
            with pytest.raises(notes.NoteInvalid) as e:
                notes.add_note(s, ctx.store, p("sb.b"), policy, d["b_payslip"].id, bad)
            assert words in e.value.de
        # a caseworker of another team: the document does not exist for them
        with pytest.raises(NotFound):
            notes.add_note(s, ctx.store, p("sb.a"), policy, d["b_payslip"].id, "Notiz")
        # the naturalisation team reads the application, but does not work the case
        with pytest.raises(Forbidden):
            notes.add_note(s, ctx.store, p("eb.1"), policy, d["b_natur"].id, "Notiz")
        with pytest.raises(Forbidden):
            notes.add_note(s, ctx.store, p("scan.1"), policy, d["b_natur"].id, "Notiz")
        # restricted without the right: not even there
        with pytest.raises(NotFound):
            notes.add_note(s, ctx.store, p("sb.a"), policy, d["a_attest"].id, "Notiz")
        n = notes.add_note(s, ctx.store, p("sb.a.med"), policy, d["a_attest"].id,
                           "Attest liegt vor.\r\nBitte Frist beachten.\t ")
        assert n.text == "Attest liegt vor.\nBitte Frist beachten."
        assert (n.author, n.author_name) == ("sb.a.med", "SB.A.MED")
        exactly = notes.add_note(s, ctx.store, p("reg.1"), policy, d["inbox"].id, "ä" * 2000)
        assert len(exactly.text) == 2000
        s.commit()


def test_notes_in_the_api_are_audited_and_shown_with_the_authors_name(web):
    doc = web["docs"]["b_rent"].id
    r = call(web, "sb.b", "post", f"/api/documents/{doc}/notes",
             json={"text": "Mietvertrag geprüft, Wohnfläche ausreichend."})
    assert r.status_code == 201, r.text
    written = r.json()
    assert written["author"] == "sb.b" and written["author_name"] == "SB.B"
    assert call(web, "tl.b", "post", f"/api/documents/{doc}/notes",
                json={"text": "Gesehen."}).status_code == 201
    # refused: another team (404, as for reading it), no right to write (403), bad text (400)
    assert call(web, "sb.a", "post", f"/api/documents/{doc}/notes",
                json={"text": "Fremd"}).status_code == 404
    assert call(web, "eb.1", "post", f"/api/documents/{web['docs']['b_natur'].id}/notes",
                json={"text": "Zweck"}).status_code == 403
    r = call(web, "sb.b", "post", f"/api/documents/{doc}/notes", json={"text": "x\x07"})
    assert r.status_code == 400 and "control" in r.json()["error"]
    assert call(web, "sb.b", "post", f"/api/documents/{doc}/notes",
                json={"text": ""}).status_code == 400

    listed = call(web, "tl.b", "get", f"/api/documents/{doc}/notes").json()["notes"]
    assert [(n["author_name"], n["text"]) for n in listed] == [
        ("SB.B", "Mietvertrag geprüft, Wohnfläche ausreichend."), ("TL.B", "Gesehen.")]
    assert call(web, "sb.a", "get", f"/api/documents/{doc}/notes").status_code == 404

    events = audit(web, object_id=doc, action="document.note")
    outcomes = sorted((e["user"], e["outcome"]) for e in events)
    assert outcomes == [("sb.a", "not_found"), ("sb.b", "error"), ("sb.b", "error"),
                        ("sb.b", "ok"), ("tl.b", "ok")]
    assert any(e["details"].get("note_id") == written["id"] for e in events)
    reads = audit(web, object_id=doc, action="document.read", user="tl.b")
    assert reads and reads[0]["outcome"] == "ok"  # reading the notes is reading the document


def test_the_note_is_named_in_the_metadata_record(web):
    import json

    from efile.context import get_context
    from efile.models import Document
    from efile.services.metadata_record import check_record
    from storage.keys import metadata_record_key

    doc_id = web["docs"]["b_payslip"].id
    r = call(web, "sb.b", "post", f"/api/documents/{doc_id}/notes", json={"text": "Lohn ok."})
    assert r.status_code == 201
    ctx = get_context()
    with ctx.db.session() as s:
        doc = s.get(Document, doc_id)
        pointer = doc.fields["record"]
        record = json.loads(ctx.store.get(metadata_record_key(doc_id, pointer["version"])))
        assert record["reason"] == f"note {r.json()['id']}" and record["actor"] == "sb.b"
        assert check_record(ctx.store, doc)[0] is True


def test_the_note_form_keeps_the_text_when_refused_and_shows_the_note(web):
    c = login(web, "sb.b")
    doc = web["docs"]["b_payslip"].id
    page = c.get(f"/dokument/{doc}")
    assert page.status_code == 200
    assert "Vermerke" in page.text and 'action="/dokument/' + doc + '/vermerk"' in page.text
    token = csrf_of(page.text)
    assert c.post(f"/dokument/{doc}/vermerk", data={"text": "ohne Token"}).status_code == 403
    r = c.post(f"/dokument/{doc}/vermerk", data={"csrf": token, "text": "a" * 2001})
    assert r.status_code == 400
    assert "höchstens 2000 Zeichen" in r.text and "a" * 2001 in r.text  # the text kept
    r = c.post(f"/dokument/{doc}/vermerk", follow_redirects=False,
               data={"csrf": token, "text": "Arbeitgeber angerufen,\nBescheinigung folgt."})
    assert r.status_code == 303 and r.headers["location"].endswith("#vermerke")
    page = c.get(r.headers["location"])
    assert "Der Vermerk wurde gespeichert." in page.text
    assert "Arbeitgeber angerufen,<br>Bescheinigung folgt." in page.text
    assert "SB.B hat einen Vermerk geschrieben" in " ".join(visible(page.text).split())

    c = login(web, "eb.1")  # reads the application, writes no notes: no form
    page = c.get(f"/dokument/{web['docs']['b_natur'].id}")
    assert page.status_code == 200 and "/vermerk" not in page.text


# -- downloads -------------------------------------------------------------------------------------

def _filename_star(header: str) -> str:
    return unquote(re.search(r"filename\*=UTF-8''([^;]+)", header).group(1))


def test_downloads_carry_readable_file_names_and_are_audited(web):
    c = login(web, "sb.a")
    doc = web["payslip"]
    name = f"Verdienstabrechnung_2025-02-28_{TEAM_A}"
    r = c.get(f"/dokument/{doc}/archivkopie")
    assert r.status_code == 200 and r.content[:5] == b"%PDF-"
    cd = r.headers["content-disposition"]
    assert cd.startswith("attachment;") and _filename_star(cd) == f"{name}.pdf"
    assert f'filename="{name}.pdf"' in cd
    r = c.get(f"/dokument/{doc}/original")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert _filename_star(r.headers["content-disposition"]) == f"{name}_Original.pdf"
    r = c.get(f"/dokument/{doc}/pdf")
    cd = r.headers["content-disposition"]
    assert cd.startswith("inline;") and _filename_star(cd) == f"{name}.pdf"
    page = c.get(f"/dokument/{doc}").text
    assert f'href="/dokument/{doc}/archivkopie"' in page and f'href="/dokument/{doc}/original"' in page

    # an umlaut in the type: UTF-8 in filename*, ASCII in filename
    c = login(web, "sb.a.med")
    r = c.get(f"/dokument/{web['docs']['a_attest'].id}/archivkopie")
    cd = r.headers["content-disposition"]
    assert _filename_star(cd).startswith("Ärztliches_Attest_") and 'filename="Aerztliches_Attest_' in cd

    c = login(web, "sb.b")  # another team: as if it did not exist
    assert c.get(f"/dokument/{doc}/original").status_code == 404
    events = audit(web, object_id=doc, action="document.download")
    assert sorted((e["user"], e["outcome"]) for e in events) == [
        ("sb.a", "ok"), ("sb.a", "ok"), ("sb.b", "not_found")]


def test_download_names_keep_the_originals_extension():
    from types import SimpleNamespace

    from efile.services.documents import download_name

    def doc(**kw):
        base = {"doc_type": "payslip", "document_date": __import__("datetime").date(2025, 2, 28),
                "created_at": None, "efile": None, "source_name": "scan.pdf",
                "media_type": "application/pdf"}
        return SimpleNamespace(**{**base, **kw})

    assert download_name(doc()) == "Verdienstabrechnung_2025-02-28.pdf"
    assert download_name(doc(source_name="C:\\Scans\\Brief 7.TIF", media_type="image/tiff"),
                         original=True) == "Verdienstabrechnung_2025-02-28_Original.tif"
    assert download_name(doc(source_name="ohne-endung", media_type="image/jpeg"),
                         original=True).endswith("_Original.jpg")
    assert download_name(doc(source_name="../../etc/passwd.sh;rm")).endswith(".pdf")
    odd = download_name(doc(source_name='a"b.p"df'), original=True)
    assert '"' not in odd and "/" not in odd


# -- titles, history, reasons ----------------------------------------------------------------------

def test_titles_are_type_and_date_with_the_file_name_beside(web):
    c = login(web, "sb.a")
    page = c.get(f"/dokument/{web['payslip']}").text
    assert "<h1>Verdienstabrechnung vom 28.02.2025</h1>" in page
    assert '<span translate="no" class="wrap">stapel-0815-002.pdf</span>' in page
    efile = c.get(f"/akte/{TEAM_A}").text
    assert f'<a href="/dokument/{web["payslip"]}">Verdienstabrechnung vom 28.02.2025</a>' in efile
    assert "Türkei (TUR)" in efile  # the nationality by name
    assert "Türkei (TUR)" in page
    # no date printed on it: the day it came in, said as such
    page = c.get(f"/dokument/{web['docs']['a_contract'].id}").text
    assert re.search(r"<h1>Arbeitsvertrag, eingegangen am \d\d\.\d\d\.\d{4}</h1>", page)


def test_the_history_names_people_and_the_machine(web):
    from efile.context import get_context
    from efile.models import Document
    from efile.services.history import history

    inbox = web["docs"]["inbox"].id
    r = call(web, "reg.1", "post", f"/api/inbox/{inbox}/assign", json={"aktenzeichen": TEAM_B})
    assert r.status_code == 200, r.text
    r = call(web, "sb.b", "post", f"/api/documents/{inbox}/retype",
             json={"doc_type": "employer_certificate", "reason": LONG_REASON})
    assert r.status_code == 200, r.text
    assert call(web, "sb.b", "post", f"/api/documents/{inbox}/notes",
                json={"text": "Bescheinigung statt Abrechnung."}).status_code == 201

    ctx = get_context()
    with ctx.db.session() as s:
        doc = s.get(Document, inbox)
        steps = [(e.kind, e.actor_name) for e in history(s, doc)]
    # the registry's note (first test) came before the assignment
    assert steps == [("note", "SB.B"), ("reclassify", "SB.B"), ("assign", "REG.1"),
                     ("note", "REG.1"), ("inbox", None), ("received", None)]

    c = login(web, "sb.b")
    text = " ".join(visible(c.get(f"/dokument/{inbox}").text).split())
    assert "automatisch in den Posteingang gelegt: ohne Aktenzeichen eingegangen" in text
    assert f"REG.1 hat es der Akte {TEAM_B} zugeordnet" in text
    assert "SB.B hat den Typ geändert von Verdienstabrechnung in Arbeitgeberbescheinigung" in text
    assert "SB.B hat einen Vermerk geschrieben" in text
    assert "reg.1" not in text and "sb.b" not in text  # names, not logins
    assert english_words([text]) == []

    # the e-file's timeline shows the assignment too, not only arrivals
    text = " ".join(visible(c.get(f"/akte/{TEAM_B}").text).split())
    assert "Arbeitgeberbescheinigung, eingegangen am" in text  # no printed date on it
    assert "eingegangen (Upload), zunächst im Posteingang" in text
    assert "von REG.1 dieser Akte zugeordnet (aus dem Posteingang)" in text
    assert english_words([text]) == []


def test_the_history_shows_quality_control_and_the_release(web):
    """A scanned document's batch record: who scanned it, the quality control's verdict
    with its note, the batch's release (rows as the batch service writes them)."""
    from datetime import timedelta

    from efile.access.accounts import add_user
    from efile.access.policy import load as load_policy
    from efile.context import get_context
    from efile.models import BatchDocument, Document, ScanBatch, utcnow

    doc_id = web["docs"]["u_payslip"].id
    ctx = get_context()
    with ctx.db.session() as s:
        doc = s.get(Document, doc_id)
        batch = ScanBatch(operator="scan.1", expected_pages=1, pages_found=1, status="done",
                          released_at=utcnow() + timedelta(minutes=2), released_by="tl.b")
        s.add(batch)
        s.flush()
        s.add(BatchDocument(batch_id=batch.id, seq=1, source_name="stapel-0001.pdf",
                            source_sha256=doc.original_sha256, pages=[1], status="filed",
                            document_id=doc_id, qc_state="failed", qc_reason="Stichprobe (3 %)",
                            qc_by="tl.b", qc_at=utcnow() + timedelta(minutes=1),
                            qc_note="Seite 1 unscharf, neu scannen"))
        s.commit()
    with ctx.db.session() as s:  # the Ukrainian team's caseworker reads Bondarenko's file
        add_user(s, load_policy(), "sb.ukr", password=PASSWORD, roles=["caseworker"],
                 teams=["team-ukr"], display_name="Olga Sachbearbeiterin")
        s.commit()
    c = login(web, "sb.ukr")
    text = " ".join(visible(c.get(f"/dokument/{doc_id}").text).split())
    assert "eingegangen (Upload), gescannt von SCAN.1" in text
    assert "Qualitätskontrolle nicht bestanden (TL.B)" in text
    assert "Stapel nach der Qualitätskontrolle freigegeben von TL.B" in text
    page = c.get(f"/dokument/{doc_id}").text
    assert '<span translate="no">Seite 1 unscharf, neu scannen</span>' in page
    assert english_words([text]) == []


# every reason the machine gives, in the form its producer writes it
MACHINE_REASONS = [
    # classifiers/doctype.py
    "valid machine readable zone, document code P (TD3)",
    "no readable text on the document",
    "heading 'Arbeitsvertrag'", "no model and no clear heading",
    "text model: 0.91",
    "form identifier 'Anlage EK' in the heading",
    "mentions 'Mietvertrag'", "keywords 'Vermieter', 'Miete', 'Kaution'",
    "text model: 0.62", "but the rules point to Mietvertrag (heading 'Mietvertrag')",
    "but the text model says Mietvertrag (0.44)",
    "might be Ärztliches Attest: restricted until a person confirms the type",
    # pipelines/steps/classify.py, the inbox's hold
    "named on the cover sheet", "no e-file reference",
    # classifiers/router.py decide()
    "no identifier on the document matches a known client",
    "no identifier found on the document (no MRZ, Aktenzeichen, AZR or passport number, no "
    "name with date of birth)",
    "several clients match: ABH-2025-000401 and ABH-2025-000402; a person decides",
    "name and date of birth and the given names point to ABH-2025-000401 (Öztürk), but the "
    "document gives the birth date 1979-05-02, not the client's; a person decides",
    "the Aktenzeichen and the name in the text point to ABH-2025-000401 (Öztürk), but the "
    "document names Yilmaz; a person decides",
    "only the Aktenzeichen and the name in the text point to ABH-2024-000101 (confidence 0.85 "
    "< 0.97); a person confirms",
    "the MRZ (passport number and date of birth) identify ABH-2024-000101 (confidence 0.99)",
    "the AZR number identify ABH-2024-000101 (confidence 0.99)",
    "a passport number and the name in the text identify ABH-2024-000101 (confidence 0.97)",
    # pipelines/steps/route.py (with classifiers/router.py explicit_conflict)
    "the MRZ is in doubt (document number C01X00T47 in the MRZ, C01X0OT47 printed on the "
    "page); a person decides",
    "the MRZ is in doubt (readings of the band disagree: C01X00T47 (3×), C01XOOT47 "
    "(look-alike)); a person decides",
    "the MRZ is in doubt (C01X00T47 read once, no second reading confirms it); a person decides",
    "the MRZ is in doubt (C01X00T47 could be a misreading of C01XOOT47: look-alike characters "
    "the check digit cannot tell apart); a person decides",
    "the reference says ABH-2024-000101, but the page names another client: the AZR number of "
    "ABH-2024-000202 (Piotr Nowak, geb. 1975-05-06); a person decides",
    "the reference says ABH-2024-000101, but the page gives the birth date 1981-02-03, but "
    "ABH-2024-000101 (Karin Albers) was born 1980-01-02; a person decides",
    "the reference says ABH-2024-000101, but the MRZ (passport number and date of birth) "
    "identify ABH-2024-000202 (confidence 0.99); a person decides",
    "document type unsure: Verdienstabrechnung (0.55; heading 'Entgeltabrechnung'; text model: "
    "0.55); a person confirms the type",
    "explicit reference ABH-2024-000101",
    # pipelines/process.py
    "declared as payslip, but the document reads as rental_contract (0.97): check the type",
    # pipelines/batch.py and pipelines/steps/boundaries.py (held batch documents)
    "the cover sheet names ABH-2099-000001, which is no known e-file; a person decides",
    "the cover sheet names the unknown type 'kochbuch'; a person decides",
    "split between pages 2 and 3 unsure (heading 'Mietvertrag' at the top of page 3; page 3 "
    "reads as Mietvertrag, yet could be Verdienstabrechnung (0.31); cut at 0.71); a person "
    "confirms",
    "split between pages 1 and 2 unsure (nothing on the page says; kept together at 0.55); a "
    "person confirms",
    "split between pages 4 and 5 unsure (machine readable zone on page 5: an identity document "
    "stands alone; page 4 is an identity document (machine readable zone); page 5 says "
    "'Seite 1 von 2'; 'Seite 2 von 3' on page 5 follows 'Seite 1 von 3' on page 4; page 5 "
    "says 'Seite 3': a later page; page 4 is the last ('Seite 2 von 2'); page 4 says "
    "'Seite 1 von 3': more pages follow; a letter's salutation near the top of page 5; an "
    "address block or sender line at the top of page 5; a date line near the top of page 5; "
    "page 4 ends with a closing or signature; type change Mietvertrag → Verdienstabrechnung "
    "at low confidence (0.41; reads like Mietvertrag: 0.120); same type (Mietvertrag); page 5 "
    "names P1234567, the document before C7654321; another date of birth on page 5; the "
    "evidence conflicts; cut at 0.66); a person confirms",
]


@pytest.mark.parametrize("reason", MACHINE_REASONS)
def test_every_machine_reason_reads_in_german(reason):
    from efile.web.present import reason_de, reason_german

    german, quoted = reason_german(reason)
    words = english_words([re.sub(r"\x02\d+\x03", " ", german)])
    assert words == [], f"{reason!r} → {german!r}"
    html = str(reason_de(reason))
    for q in quoted:  # the document's own words: shown as they are, marked not to translate
        assert f'„<span translate="no">{q}</span>“' in html


def test_a_persons_own_words_and_markup_stay_as_written():
    from efile.web.present import reason_de

    own = "von sb.b in den Posteingang zurückgegeben: Peter's and Paul's Brief vom 2024-01-02"
    assert str(reason_de(own)) == own.replace("'", "&#39;")
    html = str(reason_de("heading '<script>alert(1)</script>'"))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_reasons_the_producers_give_now_read_in_german():
    """The producers themselves, run on small inputs: a reason whose wording changes there
    shows up here, not only in the hand-written list above."""
    from datetime import date

    from classifiers.doctype import classify
    from classifiers.router import Candidate, Signals, decide, explicit_conflict
    from efile.web.present import reason_german

    anna = Candidate("ABH-2020-000001", "Müller", "Anna", date(1980, 1, 2), ("C01X00T47",),
                     "123456789012")
    namesake = Candidate("ABH-2021-000002", "Mueller", "Anna", date(1980, 1, 2), ("F99999999",))
    emre = Candidate("ABH-2022-000003", "Kaya", "Emre", date(1990, 5, 6), ("U12345678",))
    mrz = {"valid": True, "document_number": "C01X00T47", "birth_date": "1980-01-02",
           "surname": "MUELLER", "document_code": "P", "format": "TD3"}
    reasons = []
    for pages, zone in (
            (["Mietvertrag\nzwischen Vermieter und Mieter\nMiete Kaution Nebenkosten"], None),
            (["Ärztliches Attest\nDiagnose vertraulich, Arbeitsunfähigkeit"], None),
            (["Sehr geehrte Damen und Herren, anbei die Unterlagen wie besprochen"], None),
            ([""], None), (["REISEPASS PASSPORT"], {**mrz, "kind": "passport"})):
        reasons += classify(pages, mrz=zone).reasons
    for signals, candidates in (
            (Signals(mrz=mrz, birth_dates=(date(1980, 1, 2),)), [anna, emre]),
            (Signals(aktenzeichen=("ABH-2022-000003",)), [emre]),
            (Signals(aktenzeichen=("ABH-2022-000003",), birth_dates=(date(1990, 5, 6),),
                     surnames=("KAYA",)), [emre]),
            (Signals(birth_dates=(date(1980, 1, 2),), surnames=("Müller",),
                     aktenzeichen=("ABH-2020-000001",)), [anna, namesake]),
            (Signals(aktenzeichen=("ABH-2022-000003",), surnames=("Yilmaz",)), [emre]),
            (Signals(aktenzeichen=("ABH-2022-000003",), surnames=("Kaya",),
                     birth_dates=(date(1991, 1, 1),)), [emre]),
            (Signals(passport_numbers=("X0000000",)), [emre]), (Signals(), [])):
        reasons += decide(signals, candidates).reasons
    reasons.append(explicit_conflict(Signals(azr_numbers=("123456789012",)), emre, [anna]))
    reasons.append(explicit_conflict(Signals(birth_dates=(date(1991, 1, 1),),
                                             surnames=("Kaya",)), emre, []))
    assert len(reasons) >= 15 and all(reasons), reasons
    for r in reasons:
        german, _ = reason_german(r)
        assert english_words([re.sub(r"\x02\d+\x03", " ", german)]) == [], (r, german)


def test_the_reasons_the_pipeline_really_gave_read_in_german(web):
    """Every classification and routing reason stored for the home's documents."""
    from efile.context import get_context
    from efile.models import Document, InboxItem
    from efile.web.present import reason_german

    ctx = get_context()
    with ctx.db.session() as s:
        reasons = [r for d in s.query(Document) for part in ("classification", "routing")
                   for r in (d.fields.get(part) or {}).get("reasons", [])]
        reasons += [r for i in s.query(InboxItem) for r in i.reasons]
    assert reasons
    for r in reasons:
        german, _ = reason_german(r)
        assert english_words([re.sub(r"\x02\d+\x03", " ", german)]) == [], (r, german)


def test_the_document_page_speaks_german(web):
    c = login(web, "sb.b")
    for doc in (web["docs"]["b_payslip"].id, web["docs"]["b_rent"].id):
        page = c.get(f"/dokument/{doc}")
        assert english_words([visible(page.text)]) == [], doc
        printed = c.get(f"/dokument/{doc}/druck")
        assert printed.status_code == 200
        assert '<script src="/static/print.js"' in printed.text
    c = login(web, "sb.a")
    assert c.get(f"/dokument/{web['docs']['b_payslip'].id}/druck").status_code == 404


# -- who may: every role × every document (the home's oracle, tests/webhome.py) ---------------
# (last in the module: these write notes on every document the role may write on)

def _writes_notes(user: str) -> bool:
    from efile.access.policy import load as load_policy
    from efile.services.notes import WRITERS

    return bool(set(WRITERS) & load_policy().permissions(USERS[user][0]))


@pytest.mark.parametrize("user", sorted(USERS))
def test_the_matrix_of_notes_and_downloads(web, user):
    docs = [d for k, d in web["docs"].items() if k != "inbox"]  # "inbox" was assigned above
    for d in docs:
        r = call(web, user, "get", f"/api/documents/{d.id}/notes")
        assert r.status_code == (200 if may_read(user, d) else 404), (user, d.key)
        if r.status_code == 404:  # exactly like a document that does not exist
            assert r.json() == {"error": f"no document {d.id}"}
        r = call(web, user, "post", f"/api/documents/{d.id}/notes", json={"text": f"von {user}"})
        want = 403 if not _writes_notes(user) else (201 if may_read(user, d) else 404)
        assert r.status_code == want, (user, d.key, r.text)
        assert d.secret not in r.text
    c = login(web, user)
    for d in docs:
        for path in ("archivkopie", "original", "druck"):
            r = c.get(f"/dokument/{d.id}/{path}", follow_redirects=False)
            assert r.status_code == (200 if may_read(user, d) else 404), (user, d.key, path)
            if r.status_code == 404:
                assert d.secret.encode() not in r.content
