"""The web UI's sessions and sign-in, against the real app (no browser): CSRF tokens on
forms, idle and overlong sessions, sign-out, login throttling, no hint whether an account
exists, no open redirect after sign-in, the session cookie's flags and the security headers.

Throttling counts failures per account and per address, so every test signs in from an
address of its own (TestClient's `client`), and the throttling tests use accounts no other
test signs in with."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from conftest import use_home
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from webhome import PASSWORD, build

from efile.access.models import LoginAttempt, WebSession
from efile.access.policy import load as load_policy
from efile.context import get_context
from efile.models import Document, InboxItem, utcnow

WRONG = "Benutzername oder Passwort ist falsch."
AZ = "ABH-2024-000202"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    home = tmp_path_factory.mktemp("sessionhome")
    use_home(home / "home")
    data = build(home)
    from efile.web.app import create_app

    return {"home": home / "home", "app": create_app(), **data}


@pytest.fixture
def web(built):
    use_home(built["home"])  # this module's home again, whatever ran before
    return built


def client(web, address: str, *, https: bool = False) -> TestClient:
    return TestClient(web["app"], client=(address, 50000), follow_redirects=False,
                      base_url="https://testserver" if https else "http://testserver")


def login(c: TestClient, user: str, password: str = PASSWORD, weiter: str = "/"):
    return c.post("/anmelden", data={"username": user, "password": password, "weiter": weiter})


def signed_in(web, address: str, user: str) -> TestClient:
    c = client(web, address)
    r = login(c, user)
    assert r.status_code == 303, r.text
    return c


def csrf_of(c: TestClient) -> str:
    """The token the server put into the page's forms (the sign-out form is on every page)."""
    r = c.get("/suche")
    return re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)


def alert(html: str) -> str:
    m = re.search(r'role="alert">([^<]*)<', html)
    return m.group(1).strip() if m else ""


def session_row(sid: str) -> WebSession:
    with get_context().db.session() as s:
        ws = s.get(WebSession, hashlib.sha256(sid.encode()).hexdigest())
        s.expunge(ws)
        return ws


def move_session(c: TestClient, **ago: timedelta) -> None:
    sid_hash = hashlib.sha256(c.cookies.get("efile_session").encode()).hexdigest()
    with get_context().db.session() as s:
        s.execute(update(WebSession).where(WebSession.id_hash == sid_hash)
                  .values({k: utcnow() - v for k, v in ago.items()}))


def inbox_state(doc_id: str) -> tuple[str, str | None]:
    with get_context().db.session() as s:
        item = s.scalar(select(InboxItem).where(InboxItem.document_id == doc_id))
        doc = s.get(Document, doc_id)
        return item.state, doc.efile.aktenzeichen if doc.efile else None


# -- CSRF --------------------------------------------------------------------------------------

def test_an_inbox_assignment_without_the_sessions_token_is_refused_and_changes_nothing(web):
    doc = web["docs"]["inbox"].id
    # another (earlier) session of the same user: signing in again ends it, its token stays
    # foreign to this session
    other_session_token = csrf_of(signed_in(web, "10.1.0.2", "reg.1"))
    reg = signed_in(web, "10.1.0.1", "reg.1")
    token = csrf_of(reg)
    for extra in ({}, {"csrf": ""}, {"csrf": "falsch"}, {"csrf": token[:-1] + "x"},
                  {"csrf": other_session_token}):
        r = reg.post(f"/eingang/{doc}/zuordnen", data={"aktenzeichen": AZ, **extra})
        assert r.status_code == 403, (extra, r.status_code)
        assert "Das Formular ist abgelaufen" in r.text
        assert inbox_state(doc) == ("open", None)
    r = reg.post(f"/eingang/{doc}/zuordnen", data={"aktenzeichen": AZ},
                 headers={"X-CSRF-Token": other_session_token})
    assert r.status_code == 403 and inbox_state(doc) == ("open", None)

    # the same form with this session's token goes through
    r = reg.post(f"/eingang/{doc}/zuordnen", data={"aktenzeichen": AZ, "csrf": token})
    assert r.status_code == 200 and "Zuordnung bestätigen" in r.text  # whose file: step one
    assert inbox_state(doc) == ("open", None)
    r = reg.post(f"/eingang/{doc}/zuordnen", data={"aktenzeichen": AZ, "csrf": token,
                                                    "bestaetigt": "ja"})
    assert r.status_code == 303 and r.headers["location"].startswith("/eingang?zugeordnet=")
    assert inbox_state(doc) == ("resolved", AZ)
    assert f"Dokument der Akte {AZ} (" in reg.get(r.headers["location"]).text


def test_sign_out_needs_the_token_and_ends_the_session_for_good(web):
    c = signed_in(web, "10.1.1.1", "sb.a")
    token = csrf_of(c)
    for extra in ({}, {"csrf": "falsch"}):
        r = c.post("/abmelden", data=extra)
        assert r.status_code == 403
        assert c.get("/suche").status_code == 200  # still signed in: nothing changed
    old_cookie = c.cookies.get("efile_session")

    r = c.post("/abmelden", data={"csrf": token})
    assert r.status_code == 303 and r.headers["location"] == "/anmelden"
    assert 'efile_session=""' in r.headers["set-cookie"] or "Max-Age=0" in r.headers["set-cookie"]
    assert session_row(old_cookie).ended_at is not None

    stale = client(web, "10.1.1.1")
    stale.cookies.set("efile_session", old_cookie)
    r = stale.get("/suche?q=Sonnenblume")
    # back to the search after signing in again, query included
    assert r.status_code == 303 and r.headers["location"] == (
        "/anmelden?weiter=/suche%3Fq%3DSonnenblume")
    assert stale.get("/api/me").status_code == 401
    assert stale.post("/abmelden", data={"csrf": token}).status_code == 303  # to the login
    assert stale.get("/eingang").headers["location"].startswith("/anmelden")


# -- expiry ------------------------------------------------------------------------------------

def test_an_idle_session_ends_after_the_policys_minutes(web):
    idle = load_policy().session_idle_minutes
    c = signed_in(web, "10.1.2.1", "sb.a")
    move_session(c, last_seen=timedelta(minutes=idle - 1))
    assert c.get("/suche").status_code == 200  # a request keeps it alive …
    assert utcnow() - session_row(c.cookies.get("efile_session")).last_seen.replace(tzinfo=utcnow().tzinfo) \
        < timedelta(minutes=1)
    move_session(c, last_seen=timedelta(minutes=idle + 1))  # … idleness ends it
    r = c.get("/akte/ABH-2024-000101")
    assert r.status_code == 303 and r.headers["location"] == "/anmelden?weiter=/akte/ABH-2024-000101"
    assert c.get("/api/me").status_code == 401


def test_a_session_ends_after_a_working_day_however_busy(web):
    hours = load_policy().session_max_hours
    c = signed_in(web, "10.1.3.1", "sb.a")
    move_session(c, created_at=timedelta(hours=hours, minutes=1))
    r = c.get("/suche")
    assert r.status_code == 303 and r.headers["location"].startswith("/anmelden")


# -- sign-in -----------------------------------------------------------------------------------

def test_after_too_many_failures_the_account_pauses_right_password_too(web):
    pol = load_policy()
    c = client(web, "10.2.0.1")
    for _ in range(pol.login_max_failures):
        r = login(c, "eb.1", "falsches-Passwort-1")
        assert r.status_code == 401 and alert(r.text) == WRONG
    r = login(c, "eb.1")  # the right password, inside the pause
    assert r.status_code == 429
    assert alert(r.text) == ("Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie "
                             f"{pol.login_pause_minutes} Minuten.")
    assert "set-cookie" not in r.headers
    r = login(client(web, "10.2.0.2"), "eb.1")  # from another address as well
    assert r.status_code == 429 and "set-cookie" not in r.headers

    with get_context().db.session() as s:  # the pause has passed
        s.execute(update(LoginAttempt).where(LoginAttempt.username == "eb.1").values(
            at=utcnow() - timedelta(minutes=pol.login_pause_minutes, seconds=1)))
    r = login(c, "eb.1")
    assert r.status_code == 303 and "efile_session=" in r.headers["set-cookie"]


def test_guessing_across_accounts_from_one_address_pauses_that_address(web):
    pol = load_policy()
    c = client(web, "10.2.1.1")
    # per address the cap is much higher than per account (one NAT serves a whole office)
    for i in range(pol.login_address_max_failures):
        assert login(c, f"rate.{i}", "irgendein-Passwort-1").status_code == 401
    r = login(c, "tl.b")
    assert r.status_code == 429 and "set-cookie" not in r.headers
    assert login(client(web, "10.2.1.2"), "tl.b").status_code == 303  # the account is fine


def test_a_failed_sign_in_never_tells_whether_the_account_exists(web):
    pol = load_policy()
    c = client(web, "10.2.2.1")
    unknown = login(c, "niemand.da", "falsches-Passwort-1")
    known = login(c, "sb.a.med", "falsches-Passwort-1")
    assert unknown.status_code == known.status_code == 401
    assert alert(unknown.text) == alert(known.text) == WRONG
    assert unknown.text.replace("niemand.da", "X") == known.text.replace("sb.a.med", "X")
    # and the pause comes the same way for a name that does not exist
    d = client(web, "10.2.2.2")
    for _ in range(pol.login_max_failures):
        login(d, "niemand.da", "falsches-Passwort-1")
    assert login(client(web, "10.2.2.3"), "niemand.da", "falsch").status_code == 429


@pytest.mark.parametrize("weiter", ["//evil.example/x", "https://evil.example/", "/\\evil.example",
                                    "/\\/evil.example", "/\t/evil.example", "/\n/evil.example",
                                    "javascript:alert(1)", "evil.example", ""])
def test_after_sign_in_only_a_path_on_this_site(web, weiter):
    c = client(web, "10.3.0.1")
    r = login(c, "sb.a", weiter=weiter)
    assert r.status_code == 303 and r.headers["location"] == "/", weiter
    form = c.get("/anmelden", params={"weiter": weiter}).text
    assert 'name="weiter" value="/"' in form


def test_after_sign_in_back_to_the_page_asked_for(web):
    c = client(web, "10.3.0.2")
    r = c.get("/akte/ABH-2024-000101")
    assert r.status_code == 303
    assert r.headers["location"] == "/anmelden?weiter=/akte/ABH-2024-000101"
    r = login(c, "sb.a", weiter="/akte/ABH-2024-000101")
    assert r.headers["location"] == "/akte/ABH-2024-000101"
    assert c.get(r.headers["location"]).status_code == 200


# -- cookie and headers ------------------------------------------------------------------------

def test_the_session_cookie_is_httponly_strict_and_only_its_hash_is_stored(web):
    for https in (False, True):
        c = client(web, "10.4.0.1", https=https)
        cookie = login(c, "sb.a").headers["set-cookie"]
        flags = [f.strip().lower() for f in cookie.split(";")]
        assert "httponly" in flags and "samesite=strict" in flags and "path=/" in flags
        assert ("secure" in flags) == https  # sent only over TLS when served over TLS
        sid = c.cookies.get("efile_session")
        assert len(sid) >= 43  # 256 random bits
        with get_context().db.session() as s:
            assert s.get(WebSession, sid) is None
            assert s.get(WebSession, hashlib.sha256(sid.encode()).hexdigest()) is not None


def test_security_headers_on_every_kind_of_answer(web):
    c = signed_in(web, "10.4.1.1", "sb.b")
    doc = web["docs"]["b_payslip"].id
    answers = {p: c.get(p) for p in ("/suche?q=Sonnenblume", f"/dokument/{doc}",
                                      f"/dokument/{doc}/pdf", "/dokument/0000", "/static/efile.css",
                                      "/api/me")}
    answers["/anmelden"] = client(web, "10.4.1.2").get("/anmelden")
    for path, r in answers.items():
        h = r.headers
        assert h["x-content-type-options"] == "nosniff", path
        assert h["x-frame-options"] == "SAMEORIGIN", path
        assert h["referrer-policy"] == "same-origin", path  # nothing to other sites
        csp = h["content-security-policy"]
        for rule in ("default-src 'self'", "frame-ancestors 'self'", "form-action 'self'",
                     "base-uri 'none'"):
            assert rule in csp, (path, csp)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert answers["/dokument/0000"].status_code == 404
    for path in ("/suche?q=Sonnenblume", f"/dokument/{doc}", f"/dokument/{doc}/pdf",
                 "/dokument/0000", "/anmelden"):
        assert answers[path].headers["cache-control"] == "no-store", path
    for path in ("/suche?q=Sonnenblume", f"/dokument/{doc}", "/anmelden"):
        html = answers[path].text  # nothing the policy would have to allow inline
        assert "<script" not in html and ' style="' not in html and " on" + "click=" not in html
