"""The authorisation matrix: every endpoint of the OpenAPI document × every role, against an
oracle of the policy written independently of the SQL rules. Nothing a user may not read
appears in any answer: not as a document, not in a count, facet or snippet. An endpoint the
matrix does not know fails the test, so a new one cannot slip through."""

from __future__ import annotations

import json

import pytest
from conftest import use_home
from fastapi.testclient import TestClient
from webhome import CLIENTS, DOCS, MARKER, USERS, build, may_read, may_see_efile

from efile.access.policy import load as load_policy


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    home = tmp_path_factory.mktemp("webhome")
    use_home(home / "home")
    built = build(home)
    from efile.web.app import create_app

    client = TestClient(create_app())
    return {"client": client, **built}


def call(web, user: str | None, method: str, path: str, **kw) -> object:
    headers = dict(kw.pop("headers", {}))
    if user:
        headers["Authorization"] = f"Bearer {web['tokens'][user]}"
    return web["client"].request(method, path, headers=headers, **kw)


def leaked(body: str, user: str, docs: dict) -> list[str]:
    return [d.key for d in docs.values() if d.secret in body and not may_read(user, d)]


# the endpoints and how the matrix exercises each: per document, per e-file, or once
DOC_ENDPOINTS = {("get", "/api/documents/{doc_id}"), ("get", "/api/documents/{doc_id}/text"),
                 ("get", "/api/documents/{doc_id}/archive"),
                 ("get", "/api/documents/{doc_id}/original"),
                 ("get", "/api/documents/{doc_id}/notes")}
ONCE = {("get", "/api/me"), ("get", "/api/search"), ("get", "/api/efiles"),
        ("get", "/api/inbox"), ("get", "/api/batches"), ("get", "/api/figures"),
        ("get", "/api/audit"), ("get", "/api/audit/verify")}
CHANGES = {("post", "/api/documents/{doc_id}/type"), ("post", "/api/inbox/{doc_id}/assign"),
           # scan batches (issue 13): their roles are tested in test_qc_users.py
           ("post", "/api/batches"), ("post", "/api/batches/{batch_id}/qc/{doc_id}"),
           ("post", "/api/batches/{batch_id}/release"),
           ("post", "/api/documents/{doc_id}/notes"),  # who may write: test_document_page.py
           # corrections (issue 13): their role × document matrix is in test_corrections.py
           ("post", "/api/documents/{doc_id}/move"), ("post", "/api/documents/{doc_id}/retype"),
           ("post", "/api/documents/{doc_id}/undo-move")}
OTHER = {("post", "/api/auth/token"), ("post", "/api/auth/logout"),  # test_accounts_lifecycle
         ("get", "/api/efiles/{aktenzeichen}"),
         ("get", "/api/batches/{batch_id}")}
ADMIN = {("get", "/api/admin/users"), ("get", "/api/admin/users/{username}/tokens"),
         ("post", "/api/admin/users/{username}/tokens/revoke"),
         ("post", "/api/admin/users/{username}/active")}  # users.manage
UPLOADS = {("post", "/api/uploads"), ("get", "/api/uploads/{upload_id}")}  # test_uploads.py


def test_the_matrix_knows_every_endpoint(web):
    spec = web["client"].get("/openapi.json").json()
    routes = {(m, p) for p, ops in spec["paths"].items() for m in ops}
    assert routes == DOC_ENDPOINTS | ONCE | CHANGES | OTHER | ADMIN | UPLOADS, \
        "a new endpoint needs a row in the authorisation matrix"
    for p, ops in spec["paths"].items():
        for m, op in ops.items():
            assert "x-permission" in op, f"{m.upper()} {p} names no permission"


@pytest.mark.parametrize("user", sorted(USERS))
def test_documents_open_only_for_those_who_may_read_them(web, user):
    for method, path in sorted(DOC_ENDPOINTS):
        for d in web["docs"].values():
            r = call(web, user, method, path.format(doc_id=d.id))
            expected = 200 if may_read(user, d) else 404
            assert r.status_code == expected, (user, path, d.key, r.status_code, r.text[:200])
            if expected == 404:  # exactly like a document that does not exist
                assert r.json() == {"error": f"no document {d.id}"}
    # unknown and guessed ids, paths and prefixes answer the same way
    for probe in ("0" * 32, web["docs"]["a_contract"].id[:8], "..%2F..%2Fetc%2Fpasswd",
                  "originals%2Fsha256"):
        r = call(web, user, "get", f"/api/documents/{probe}")
        assert r.status_code == 404


@pytest.mark.parametrize("user", sorted(USERS))
def test_search_counts_facets_and_snippets_hold_only_readable_documents(web, user):
    r = call(web, user, "get", "/api/search", params={"q": MARKER, "limit": 100})
    perms = load_policy().permissions(USERS[user][0])
    if "search" not in perms:
        assert r.status_code == 403
        return
    assert r.status_code == 200, r.text
    body = r.json()
    readable = {d.id for d in web["docs"].values() if may_read(user, d)}
    assert {h["document_id"] for h in body["hits"]} == readable
    assert body["total"] == len(readable)
    assert sum(f["count"] for f in body["facets"]["type"]) == len(readable)
    assert leaked(json.dumps(body), user, web["docs"]) == []
    for d in web["docs"].values():  # searching a document's own word finds nothing else
        hits = call(web, user, "get", "/api/search", params={"q": d.secret}).json()
        assert hits["total"] == (1 if may_read(user, d) else 0), (user, d.key)


@pytest.mark.parametrize("user", sorted(USERS))
def test_efiles_and_lists_show_only_what_the_role_may_see(web, user):
    perms = load_policy().permissions(USERS[user][0])
    for az, *_ in CLIENTS:
        r = call(web, user, "get", f"/api/efiles/{az}")
        assert r.status_code == (200 if may_see_efile(user, az) else 404), (user, az)
        if r.status_code == 200:
            listed = {x["document_id"] for x in r.json()["documents"]}
            assert listed == {d.id for d in web["docs"].values()
                              if d.efile == az and may_read(user, d)}
    r = call(web, user, "get", "/api/efiles")
    assert {e["aktenzeichen"] for e in r.json()["efiles"]} == {
        az for az, *_ in CLIENTS if may_see_efile(user, az)}
    for method, path in sorted(ONCE - {("get", "/api/search")}):
        r = call(web, user, method, path)
        need = {"/api/inbox": {"inbox.read", "inbox.read_team"},
                "/api/figures": {"figures.read"}, "/api/audit": {"audit.read"},
                "/api/audit/verify": {"audit.read"}}.get(path)
        assert r.status_code == (403 if need and not need & perms else 200), (user, path)
        if path == "/api/inbox" and r.status_code == 200:  # the registry's or the team's
            assert {i["document_id"] for i in r.json()["items"]} == {
                d.id for d in web["docs"].values() if d.efile is None and may_read(user, d)}
        if not path.startswith("/api/audit"):  # the log holds what people typed: its purpose
            assert leaked(r.text, user, web["docs"]) == [], (user, path)


def test_changes_need_their_permission_and_a_readable_document(web):
    docs = web["docs"]
    for user in sorted(USERS):
        perms = load_policy().permissions(USERS[user][0])
        for d in docs.values():
            r = call(web, user, "post", f"/api/documents/{d.id}/type",
                     json={"doc_type": d.doc_type})
            want = 403 if "documents.reclassify" not in perms else (
                200 if may_read(user, d) else 404)
            assert r.status_code == want, (user, d.key, r.text)
            if d.efile is not None:  # assigning needs an inbox document the user can read
                r = call(web, user, "post", f"/api/inbox/{d.id}/assign",
                         json={"aktenzeichen": "ABH-2024-000101"})
                assert r.status_code in (403, 404, 409), (user, d.key, r.status_code)


def test_break_glass_opens_one_document_with_a_reason_and_is_flagged(web):
    d = web["docs"]["a_contract"]  # team A's; tl.b leads team B and holds break_glass
    assert call(web, "tl.b", "get", f"/api/documents/{d.id}").status_code == 404
    r = call(web, "tl.b", "get", f"/api/documents/{d.id}",
             headers={"X-Break-Glass-Reason": "kurz"})
    assert r.status_code == 403 and "at least" in r.json()["error"]
    r = call(web, "tl.b", "get", f"/api/documents/{d.id}",
             headers={"X-Break-Glass-Reason": "Eilfall: Abschiebungshaft, Richter fragt an"})
    assert r.status_code == 200 and r.json()["document_id"] == d.id
    r = call(web, "sb.b", "get", f"/api/documents/{d.id}",
             headers={"X-Break-Glass-Reason": "Eilfall: Abschiebungshaft, Richter fragt an"})
    assert r.status_code == 403  # no right to break the glass
    events = call(web, "dsb.1", "get", "/api/audit",
                  params={"object_id": d.id, "action": "access.break_glass"}).json()["events"]
    flagged = [e for e in events if e["outcome"] == "ok"]
    assert flagged and flagged[0]["user"] == "tl.b"
    assert "Richter" in flagged[0]["break_glass_reason"]


def test_every_read_and_refusal_is_audited_and_the_chain_verifies(web):
    d = web["docs"]["b_payslip"]
    call(web, "sb.a", "get", f"/api/documents/{d.id}/text")  # refused: team A
    call(web, "sb.b", "get", f"/api/documents/{d.id}/text")  # allowed
    events = call(web, "dsb.1", "get", "/api/audit", params={"object_id": d.id}).json()["events"]
    seen = {(e["user"], e["action"], e["outcome"]) for e in events}
    assert ("sb.a", "document.text", "not_found") in seen
    assert ("sb.b", "document.text", "ok") in seen
    searches = call(web, "dsb.1", "get", "/api/audit",
                    params={"user": "sb.b", "action": "search"}).json()["events"]
    assert any(e["details"].get("query") == MARKER for e in searches)
    assert call(web, "dsb.1", "get", "/api/audit/verify").json()["intact"]


@pytest.mark.parametrize("user", sorted(USERS))
def test_only_users_manage_manages_accounts(web, user):
    may = "users.manage" in load_policy().permissions(USERS[user][0])
    assert call(web, user, "get", "/api/admin/users").status_code == (200 if may else 403)
    assert call(web, user, "get", "/api/admin/users/sb.a/tokens").status_code == \
        (200 if may else 403)
    if not may:  # the changes are refused before anything happens
        assert call(web, user, "post", "/api/admin/users/sb.a/tokens/revoke",
                    json={}).status_code == 403
        assert call(web, user, "post", "/api/admin/users/sb.a/active",
                    json={"active": False}).status_code == 403
    assert call(web, "sb.a", "get", "/api/me").status_code == 200


@pytest.mark.parametrize("user", sorted(USERS))
def test_only_the_portal_may_upload_and_nobody_reads_uploads_by_id(web, user):
    r = call(web, user, "post", "/api/uploads", data={"reference": "ABH-2024-000101"},
             files=[("files", ("a.pdf", b"%PDF-1.4"))], headers={"Idempotency-Key": "k" * 10})
    assert r.status_code == 403, (user, r.text)
    assert call(web, user, "get", "/api/uploads/" + "0" * 32).status_code == 403


@pytest.mark.parametrize("bad", [
    {"headers": {"Authorization": "Bearer efile_forged"}},
    {"headers": {"Authorization": "Basic Zm9vOmJhcg=="}},
    {"headers": {}},
    {"cookies": {"efile_session": "made-up"}},
])
def test_no_or_tampered_credentials_are_refused(web, bad):
    d = DOCS[0]
    r = web["client"].get("/api/documents/x", **bad)
    assert r.status_code == 401 and d.secret not in r.text


def test_huge_or_malformed_queries_get_a_clear_400(web):
    for q in ("x" * 600, "az:", "geb:31.02.1990", "a " * 300, ""):
        r = call(web, "sb.a", "get", "/api/search", params={"q": q})
        assert r.status_code == 400, (q[:20], r.status_code, r.text[:200])
        assert r.json()["error"]
    r = call(web, "sb.a", "get", "/api/search", params={"q": "x", "limit": 10_000})
    assert r.status_code == 400
    # a NUL byte (PostgreSQL cannot even store one) in an id, a filter, a form or a login
    for path in ("/api/documents/%00", "/api/efiles/ABH%00", "/api/search?q=az:%00",
                 "/api/search?q=M%C3%BCller%00"):
        r = call(web, "sb.a", "get", path)
        assert r.status_code == 400 and "control characters" in r.json()["error"], path
    r = call(web, "reg.1", "post", f"/api/inbox/{web['docs']['inbox'].id}/assign",
             json={"aktenzeichen": "ABH-2024-000101\u0000"})
    assert r.status_code == 400, r.text
    r = web["client"].post("/api/auth/token", json={"username": "sb.a\u0000",
                                                    "password": "x" * 12})
    assert r.status_code == 400


# -- side doors (issue 12) ---------------------------------------------------------------------

def _give_numbers(web) -> None:
    """Team B's client holds a passport and an AZR number (the fixture's clients have none)."""
    from sqlalchemy import select

    from efile.context import get_context
    from efile.models import EFile, PersonIdentifier

    with get_context().db.session() as s:
        e = s.scalar(select(EFile).where(EFile.aktenzeichen == "ABH-2024-000202"))
        if not s.scalar(select(PersonIdentifier).where(PersonIdentifier.value == "C4B7N2K91")):
            s.add_all([PersonIdentifier(person_id=e.person_id, kind="passport", value="C4B7N2K91"),
                       PersonIdentifier(person_id=e.person_id, kind="azr", value="AZR55501234")])


def _answer_shape(body: dict) -> tuple:
    return (body["order"], body["total"], body["total_exact"], body["hits"],
            body["facets"], body["next_offset"])


@pytest.mark.parametrize("number, unknown", [("C4B7N2K91", "C4B7N2K92"),
                                             ("AZR55501234", "AZR55509999"),
                                             ("ABH-2024-000202", "ABH-2024-000999")])
def test_search_for_another_teams_number_answers_like_an_unknown_number(web, number, unknown):
    """A passport, AZR number or Aktenzeichen of team B's client, searched by team A's
    caseworker: the answer must be indistinguishable from a number nobody holds (the
    identifier lookup once ran before the access condition: `newest first` vs `relevance`)."""
    _give_numbers(web)
    theirs = call(web, "sb.a", "get", "/api/search", params={"q": number}).json()
    nobody = call(web, "sb.a", "get", "/api/search", params={"q": unknown}).json()
    assert _answer_shape(theirs) == _answer_shape(nobody)
    with_word = call(web, "sb.a", "get", "/api/search", params={"q": f"{number} {MARKER}"}).json()
    unknown_word = call(web, "sb.a", "get", "/api/search",
                        params={"q": f"{unknown} {MARKER}"}).json()
    assert _answer_shape(with_word) == _answer_shape(unknown_word)
    # the client's own team still finds the client's documents by the number
    own = call(web, "sb.b", "get", "/api/search", params={"q": number}).json()
    assert {h["document_id"] for h in own["hits"]} >= {web["docs"]["b_payslip"].id}


def test_batch_and_figure_reads_are_audited(web):
    for user, path in (("op.1", "/api/batches"), ("op.1", "/api/figures"),
                       ("op.1", "/api/batches/" + "0" * 32)):
        call(web, user, "get", path)
    events = call(web, "dsb.1", "get", "/api/audit", params={"user": "op.1"}).json()["events"]
    seen = {(e["object_type"], e["outcome"]) for e in events}
    assert {("batches", "ok"), ("figures", "ok"), ("batch", "not_found")} <= seen, seen
    login_ui(web, "op.1")
    assert web["client"].get("/stapel").status_code == 200
    web["client"].cookies.clear()
    events = call(web, "dsb.1", "get", "/api/audit", params={"user": "op.1"}).json()["events"]
    assert sum(e["object_type"] == "batches" for e in events) >= 2


def test_openapi_declares_how_callers_sign_in(web):
    spec = web["client"].get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"]["scheme"] == "bearer"
    assert (schemes["session"]["in"], schemes["session"]["name"]) == ("cookie", "efile_session")
    for p, ops in spec["paths"].items():
        for m, op in ops.items():
            public = op.get("x-scope") == "public"
            assert op["security"] == ([] if public else [{"bearer": []}, {"session": []}]), (m, p)


def test_unknown_addresses_answer_german_for_browsers_and_json_for_the_api(web):
    r = web["client"].get("/gibt-es-nicht", headers={"Accept": "text/html,application/xhtml+xml"})
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert "Nicht gefunden" in r.text and "Not Found" not in r.text
    r = web["client"].get("/api/gibt-es-nicht", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.json() == {"error": "not found"}
    r = web["client"].delete("/api/me")
    assert r.status_code == 405 and r.json()["error"]


# -- the UI's routes in the matrix ---------------------------------------------------------------

from webhome import PASSWORD  # noqa: E402


def login_ui(web, user: str) -> str:
    """Sign in through the form; returns the session's CSRF token (from a rendered form)."""
    import re

    c = web["client"]
    c.cookies.clear()
    r = c.post("/anmelden", data={"username": user, "password": PASSWORD, "weiter": "/"},
               headers={"Origin": "http://testserver"}, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    perms = load_policy().permissions(USERS[user][0])
    page = c.get("/eingang" if {"inbox.read", "inbox.read_team"} & perms else "/stapel")
    m = re.search(r'name="csrf" value="([^"]+)"', page.text)
    return m.group(1) if m else ""


UI_ROUTES = {("GET", "/"), ("GET", "/suche"), ("GET", "/akte/{aktenzeichen}"),
             ("GET", "/dokument/{doc_id}"), ("GET", "/dokument/{doc_id}/pdf"),
             ("GET", "/dokument/{doc_id}/archivkopie"), ("GET", "/dokument/{doc_id}/original"),
             ("GET", "/dokument/{doc_id}/druck"), ("GET", "/kennzahlen"),
             ("GET", "/protokoll/notzugriffe"),
             ("GET", "/docs"), ("GET", "/favicon.ico"),  # public: the API's docs, the icon
             # scan batches (issue 13): their role matrix is in test_qc_users.py and
             # test_batch_web.py
             ("POST", "/stapel"), ("GET", "/stapel/{batch_id}"), ("GET", "/stapel/deckblatt.pdf"),
             ("GET", "/stapel/trennblatt.pdf"), ("POST", "/stapel/{batch_id}/qk/{doc_id}"),
             ("POST", "/stapel/{batch_id}/freigabe"),
             ("POST", "/dokument/{doc_id}/vermerk"),  # notes: test_document_page.py
             ("GET", "/eingang"), ("GET", "/eingang/{doc_id}"),
             ("POST", "/eingang/{doc_id}/zuordnen"), ("GET", "/stapel"),
             ("GET", "/anmelden"), ("POST", "/anmelden"), ("POST", "/abmelden"),
             # corrections (issue 13): matrix in test_corrections.py
             ("POST", "/dokument/{doc_id}/verschieben"), ("POST", "/dokument/{doc_id}/typ"),
             ("POST", "/dokument/{doc_id}/rueckgaengig")}


def _ui_routes(web) -> set[tuple[str, str]]:
    """Every route outside the OpenAPI document, also inside included routers (FastAPI 0.150
    keeps those as _IncludedRouter entries: a walk over app.routes alone saw none of them)."""
    from fastapi.routing import APIRoute

    def walk(routes, prefix=""):
        for r in routes:
            if hasattr(r, "original_router"):
                yield from walk(r.original_router.routes,
                                prefix + (getattr(r.include_context, "prefix", "") or ""))
            elif isinstance(r, APIRoute):
                yield prefix, r

    found = {(m, prefix + r.path) for prefix, r in walk(web["client"].app.routes)
             if not r.include_in_schema for m in r.methods if m != "HEAD"}
    assert ("GET", "/eingang") in found  # the walk reaches the included routers
    return found


def test_the_matrix_knows_every_ui_route(web):
    known = _ui_routes(web)
    # the OIDC and admin pages are covered by their own tests (test_oidc.py, H2a's)
    known = {(m, p) for m, p in known if not p.startswith(("/oidc", "/anmelden/oidc", "/admin",
                                                           "/verwaltung"))}
    assert known <= UI_ROUTES | {(m, p) for m, p in known if p.startswith("/konto")}, \
        f"a new UI route needs a row in the matrix: {sorted(known - UI_ROUTES)}"


@pytest.mark.parametrize("user", sorted(USERS))
def test_ui_pages_open_only_for_those_who_may_read(web, user):
    c = web["client"]
    csrf = login_ui(web, user)
    try:
        for d in web["docs"].values():
            for path in (f"/dokument/{d.id}", f"/dokument/{d.id}/pdf",
                         f"/dokument/{d.id}/archivkopie", f"/dokument/{d.id}/original",
                         f"/dokument/{d.id}/druck"):
                r = c.get(path, follow_redirects=False)
                assert r.status_code == (200 if may_read(user, d) else 404), (user, path)
                if r.status_code == 404:
                    assert d.secret not in r.text
        for az, *_ in CLIENTS:
            r = c.get(f"/akte/{az}", follow_redirects=False)
            assert r.status_code == (200 if may_see_efile(user, az) else 404), (user, az)
        perms = load_policy().permissions(USERS[user][0])
        r = c.get("/suche", params={"q": MARKER}, follow_redirects=False)
        assert r.status_code == (200 if "search" in perms else 403), user
        assert leaked(r.text, user, web["docs"]) == []
        r = c.get("/eingang", follow_redirects=False)
        assert r.status_code == (200 if {"inbox.read", "inbox.read_team"} & perms else 403), user
        assert leaked(r.text, user, web["docs"]) == []
        for d in web["docs"].values():  # an inbox item's own page, with the client lookup
            r = c.get(f"/eingang/{d.id}", follow_redirects=False)
            want = 403 if not {"inbox.read", "inbox.read_team"} & perms else (
                200 if d.efile is None and may_read(user, d) else 404)  # filed: no item
            assert r.status_code == want, (user, d.key, r.status_code)
            assert leaked(r.text, user, web["docs"]) == []
        r = c.get("/stapel", follow_redirects=False)
        assert r.status_code == 200 and leaked(r.text, user, web["docs"]) == []
        for path, need in (("/kennzahlen", "figures.read"),
                           ("/protokoll/notzugriffe", "audit.read")):
            r = c.get(path, follow_redirects=False)
            assert r.status_code == (200 if need in perms else 403), (user, path)
            assert leaked(r.text, user, web["docs"]) == []
        r = c.get("/", follow_redirects=False)  # the start page lists only what one may read
        assert r.status_code == 200 and leaked(r.text, user, web["docs"]) == [], user
        # assigning through the form: the permission and a readable inbox document
        inbox_doc = web["docs"]["b_rent"]  # filed already: never assignable
        r = c.post(f"/eingang/{inbox_doc.id}/zuordnen",
                   data={"csrf": csrf, "aktenzeichen": "ABH-2024-000101"},
                   follow_redirects=False)
        assert r.status_code in (403, 404, 409), (user, r.status_code)
        # without the CSRF token nothing changes, whoever asks
        r = c.post(f"/eingang/{web['docs']['inbox'].id}/zuordnen",
                   data={"aktenzeichen": "ABH-2024-000101"}, follow_redirects=False)
        assert r.status_code == 403, (user, r.status_code)
        r = c.post("/abmelden", data={}, follow_redirects=False)
        assert r.status_code == 403  # no CSRF token: the session stays
        r = c.post("/abmelden", data={"csrf": csrf}, follow_redirects=False)
        assert r.status_code == 303
        assert c.get("/suche", follow_redirects=False).status_code == 303  # signed out
    finally:
        c.cookies.clear()


def test_ui_routes_without_a_session_go_to_the_sign_in_page(web):
    c = web["client"]
    c.cookies.clear()
    d = web["docs"]["a_contract"]
    for path in ("/", "/suche", f"/dokument/{d.id}", f"/dokument/{d.id}/pdf", "/eingang",
                 "/stapel", "/akte/ABH-2024-000101"):
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/anmelden"), path
    r = c.post(f"/eingang/{web['docs']['inbox'].id}/zuordnen",
               data={"aktenzeichen": "ABH-2024-000101"}, follow_redirects=False)
    assert r.status_code in (303, 403) and d.secret not in r.text
    assert c.get("/anmelden").status_code == 200
