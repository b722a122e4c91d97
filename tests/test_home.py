"""The start page per role, the operators' figures page (Kennzahlen), the German 500 page,
the favicon and /docs served from the package (issue 13), against the real app and its
database (no browser: tests/test_browser_home.py looks at the same pages in Chromium)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import use_home
from fastapi.testclient import TestClient
from webhome import MARKER, PASSWORD, build

from efile.context import get_context
from efile.models import Document, IngestItem, IngestRun, ScanBatch, utcnow
from efile.services.audit import query as audit_query
from efile.uploads_models import Upload

TEAM_B = "ABH-2024-000202"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    home = tmp_path_factory.mktemp("homehome")
    use_home(home / "home")
    data = build(home)
    now = utcnow()
    with get_context().db.session() as s:
        docs = data["docs"]
        # b_rent: filed with a type the classifier was unsure of; b_natur: filed long ago
        s.get(Document, docs["b_rent"].id).type_confidence = 0.3
        s.get(Document, docs["b_natur"].id).created_at = now - timedelta(days=10)
        s.add_all([ScanBatch(id="a" * 32, operator="scan.1", status="attention",
                             expected_pages=5, pages_found=4),
                   ScanBatch(id="b" * 32, operator="scan.1", status="done",
                             released_at=now, released_by="tl.b"),
                   ScanBatch(id="c" * 32, operator="scan.2", status="done")])
        run = IngestRun(source="scan", requested_efile=None, counts={"failed": 4})
        s.add(run)
        s.flush()
        for error, age in (("empty file (0 bytes)", timedelta(hours=1)),
                           ("empty file (0 bytes)", timedelta(hours=2)),
                           ("corrupt PDF: its structure cannot be read (x)", timedelta(days=3)),
                           ("PDF is protected by a password and cannot be opened",
                            timedelta(days=9))):
            s.add(IngestItem(run_id=run.id, path="/scan/Kowalski-Zofia.pdf", status="failed",
                             error=error, created_at=now - age))
        # since migration 0013 an item records its code: counted by it, whatever the wording
        s.add(IngestItem(run_id=run.id, path="/scan/plan.pdf", status="failed",
                         error="gave up reading it", code="parse_timeout",
                         created_at=now - timedelta(hours=3)))
        s.add(Upload(submitted_by="portal", idempotency_key="k1", request_sha256="0" * 64,
                     reference=TEAM_B, status="done",
                     files=[{"name": "pass.zip", "status": "refused", "code": "archive"},
                            {"name": "virus.pdf", "status": "quarantined"},
                            {"name": "ok.pdf", "status": "filed"}]))
    from efile.web.app import create_app

    return {"home": home / "home", "app": create_app(), **data}


@pytest.fixture
def web(built):
    use_home(built["home"])
    return built


_clients: dict[str, TestClient] = {}


def signed_in(web, user: str) -> TestClient:
    if user not in _clients:
        c = TestClient(web["app"], client=(f"10.9.0.{len(_clients) + 1}", 50000),
                       follow_redirects=False, headers={"accept": "text/html"})
        r = c.post("/anmelden", data={"username": user, "password": PASSWORD, "weiter": "/"})
        assert r.status_code == 303, r.text
        _clients[user] = c
    return _clients[user]


def _inbox_docs(web) -> int:
    return sum(d.efile is None for d in web["docs"].values())


def main(html: str) -> str:
    return html.split('<main id="inhalt"', 1)[1]


def test_a_caseworker_sees_what_is_new_in_the_teams_efiles_newest_first(web):
    r = signed_in(web, "sb.b").get("/")
    assert r.status_code == 200
    body = main(r.text)
    docs = web["docs"]
    assert "Neu in meinen Akten" in body
    shown = re.findall(r'href="/dokument/(\w+)"', body)
    # the team's documents of the last 7 days, newest first; the one of 10 days ago not
    assert shown == [docs["b_rent"].id, docs["b_payslip"].id]
    assert docs["b_natur"].id not in body
    # nothing of another team, nor of the inbox
    for other in ("a_contract", "a_attest", "u_payslip", "inbox"):
        assert docs[other].id not in body
    assert f'href="/akte/{TEAM_B}"' in body
    row = body.split(docs["b_rent"].id)[1].split("</tr>")[0]
    assert "Typ prüfen" in row  # filed with an unsure type
    assert "Typ prüfen" not in body.split(docs["b_payslip"].id)[1].split("</tr>")[0]
    assert 'action="/suche"' in body  # the search box


def test_the_list_follows_the_access_rules_restricted_needs_its_right(web):
    docs = web["docs"]
    plain = main(signed_in(web, "sb.a").get("/").text)
    assert docs["a_contract"].id in plain and docs["a_attest"].id not in plain
    med = main(signed_in(web, "sb.a.med").get("/").text)
    assert docs["a_contract"].id in med and docs["a_attest"].id in med


def test_the_home_is_audited_as_a_read(web):
    signed_in(web, "tl.b").get("/")
    with get_context().db.session() as s:
        (ev, *_) = audit_query(s, user="tl.b", action="document.read", limit=5)
    assert ev.object_type == "home" and ev.outcome == "ok"
    assert ev.details["new_in_efiles"] == 2


def test_the_registry_sees_the_inbox_count_and_its_link(web):
    body = main(signed_in(web, "reg.1").get("/").text)
    waiting = _inbox_docs(web)  # the registry reads every document not yet filed
    assert re.search(rf'id="inbox-count"><strong>{waiting}</strong> Dokument', body), body
    assert 'href="/eingang"' in body
    assert "Neu in meinen Akten" not in body


def test_scanning_staff_see_their_batches_not_yet_released(web):
    body = main(signed_in(web, "scan.1").get("/").text)
    assert "Meine offenen Stapel" in body
    batches = body.split('id="open-batches"')[1].split("</ul>")[0]
    assert batches.count("<li>") == 1 and "scan.1" in batches  # released and others' not
    assert f'href="/stapel/{"a" * 32}"' in batches  # to the batch's own page
    assert "scan.2" not in body


@pytest.mark.parametrize(("user", "links", "absent"), [
    ("op.1", ["/kennzahlen", "/stapel"], ["/eingang", "/protokoll/notzugriffe", "/suche"]),
    ("dsb.1", ["/protokoll/notzugriffe", "/api/audit", "/kennzahlen"], ["/eingang", "/suche"]),
    ("adm.1", ["/api/users", "/kennzahlen"], ["/eingang", "/protokoll/notzugriffe"]),
    ("sb.b", ["/suche"], ["/kennzahlen", "/protokoll/notzugriffe", "/stapel"]),
    ("reg.1", ["/suche", "/eingang"], ["/kennzahlen", "/stapel"]),
])
def test_each_role_finds_links_to_what_it_may_use(web, user, links, absent):
    page = signed_in(web, user).get("/").text
    for link in links:
        assert f'href="{link}"' in page, (user, link)
    for link in absent:
        assert f'href="{link}"' not in page, (user, link)
    assert 'class="skip" href="#inhalt"' in page


def test_the_figures_page_counts_without_names_or_content(web):
    r = signed_in(web, "op.1").get("/kennzahlen")
    assert r.status_code == 200
    body = main(r.text)
    assert re.search(r'id="failed-24h">3<', body)
    assert re.search(rf'id="inbox-open">{_inbox_docs(web)}<', body)
    assert "leere Datei" in body and "beschädigt" in body
    assert "Schadsoftware" in body and "Archiv (ZIP)" in body
    assert "Seitenzahl weicht ab" in body and "Durchsatz" in body
    for leak in ("Kowalski", "Nowak", "Albers", MARKER, TEAM_B, "pass.zip", "geheimwort"):
        assert leak not in body, leak
    with get_context().db.session() as s:
        (ev, *_) = audit_query(s, user="op.1", action="document.read", limit=5)
    assert ev.object_type == "figures"


def test_the_figures_page_needs_figures_read(web):
    r = signed_in(web, "sb.b").get("/kennzahlen")
    assert r.status_code == 403 and "Keine Berechtigung" in r.text


def test_api_figures_keeps_its_shape_with_additive_keys(web):
    tok = web["tokens"]["op.1"]
    f = TestClient(web["app"]).get("/api/figures",
                                   headers={"authorization": f"Bearer {tok}"}).json()
    inbox = _inbox_docs(web)
    filed = len(web["docs"]) - inbox
    assert f["documents"] == {"filed": filed, "inbox": inbox} and f["inbox_open"] == inbox
    assert f["batches"] == {"attention": 1, "done": 2}
    assert f["failed_files"] == {"last_24h": {"empty": 2, "parse_timeout": 1},
                                 "last_7d": {"empty": 2, "corrupt": 1, "parse_timeout": 1}}
    assert f["uploads_refused_7d"] == {"archive": 1, "malware": 1}
    assert f["batches_attention"] == {"attention": 1, "qc_open": 0, "page_count_mismatch": 1,
                                      "not_released": 2}
    assert len(f["throughput_24h"]) == 24
    # every document of the home arrived now, but b_natur (set 10 days back)
    assert sum(h["documents"] for h in f["throughput_24h"]) == len(web["docs"]) - 1
    assert f["inbox_oldest_hours"] is not None and f["inbox_oldest_hours"] < 1


def test_an_error_of_ours_is_a_german_page_for_a_browser_and_json_for_the_api(web):
    from efile.web.app import create_app

    app = create_app()

    def boom() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/kaputt", boom)
    app.add_api_route("/api/kaputt", boom)
    c = TestClient(app, raise_server_exceptions=False)
    page = c.get("/kaputt", headers={"accept": "text/html"})
    assert page.status_code == 500 and "Interner Fehler" in page.text
    assert "secret internals" not in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    api = c.get("/api/kaputt")
    assert api.status_code == 500 and api.json() == {"error": "internal server error"}


def test_favicon_and_docs_come_from_our_own_server(web):
    c = TestClient(web["app"])
    for url in ("/favicon.ico", "/static/favicon.svg"):
        r = c.get(url)
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert '<link rel="icon" href="/static/favicon.svg"' in c.get("/anmelden").text
    docs = c.get("/docs").text
    assert "http" not in docs  # nothing from another site: the CSP allows none
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', docs):
        assert c.get(asset).status_code == 200, asset
