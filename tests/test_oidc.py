"""Sign-in through the city's identity provider (OpenID Connect), end to end and without mocks:
a real provider (tests/oidc_idp.py, its own HTTP server and RSA key) and the efile app, the
browser's part played by hand — every redirect between the two followed explicitly, cookies
kept per browser.

A person in a mapped group gets a session with the roles and teams of the policy's
[oidc.groups] and finds exactly their team's documents; a person in no mapped group, an ID
token that is forged, expired, for another client or another sign-in, a replayed or foreign
callback: refused, in German, with no session. The target after sign-in survives the trip;
a target off this site never does."""

from __future__ import annotations

import base64
import html
import json
import os
import re
import secrets
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import use_home
from fastapi.testclient import TestClient
from oidc_idp import Person, Provider
from sqlalchemy import func, select
from webhome import PASSWORD, build

from efile.access import oidc
from efile.access.models import User, WebSession
from efile.access.policy import DEFAULT, parse
from efile.context import get_context, reset_contexts
from efile.errors import ConfigError
from efile.models import AuditEvent
from efile.web.oidc import safe_target

CLIENT_ID = "efile-abh"
SECRET = secrets.token_urlsafe(32)
REDIRECT = "http://testserver/anmelden/oidc/rueckkehr"
TEAM_A_FILE = "ABH-2024-000101"  # Albers: team-a's caseload (tests/webhome.py)
MAPPING = """
[oidc]
roles_claim = "groups"

[oidc.groups]
"abh-sachbearbeitung-team-a" = { roles = ["caseworker"], teams = ["team-a"] }
"abh-sachbearbeitung-team-b" = { roles = ["caseworker"], teams = ["team-b"] }
"abh-gesundheitsdaten" = { rights = ["restricted"] }
"""
CHROMIUM = "/usr/bin/chromium"
ENV = ("EFILE_POLICY", "EFILE_OIDC_ISSUER", "EFILE_OIDC_CLIENT_ID", "EFILE_OIDC_CLIENT_SECRET",
       "EFILE_OIDC_REDIRECT_URL")


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The provider, and an efile home (three clients of three teams, local accounts, team
    documents) configured to sign people in through it."""
    tmp = tmp_path_factory.mktemp("oidc")
    policy = tmp / "policy.toml"
    policy.write_text(DEFAULT.read_text(encoding="utf-8") + MAPPING, encoding="utf-8")
    saved = {k: os.environ.get(k) for k in ENV}
    with Provider(CLIENT_ID, SECRET, REDIRECT) as idp:
        os.environ.update({"EFILE_POLICY": str(policy), "EFILE_OIDC_ISSUER": idp.issuer,
                           "EFILE_OIDC_CLIENT_ID": CLIENT_ID, "EFILE_OIDC_CLIENT_SECRET": SECRET,
                           "EFILE_OIDC_REDIRECT_URL": REDIRECT})
        try:
            use_home(tmp / "home")
            built = build(tmp)
            from efile.web.app import create_app

            yield {"idp": idp, "app": create_app(), **built}
        finally:
            for k, v in saved.items():
                os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
            reset_contexts()


@pytest.fixture
def idp(office) -> Provider:
    p = office["idp"]
    p.people.clear()
    p.signed_in, p.tamper, p.client_secret = None, None, SECRET
    p.redirect_uri, p.consent_page = REDIRECT, False
    return p


def browser(office) -> TestClient:
    """A fresh browser: its own cookies, redirects followed by the test."""
    return TestClient(office["app"], base_url="http://testserver", follow_redirects=False)


def person(idp: Provider, username: str, groups: list[str], **kw) -> Person:
    p = Person(sub=f"sub-{username}", username=username,  # the same person in every test
               name=username.replace(".", " ").title(), groups=groups, **kw)
    idp.people[username] = p
    idp.signed_in = username
    return p


def through_provider(b: TestClient, weiter: str | None = None) -> tuple[httpx.Response, str]:
    """Start at efile, consent at the provider, come back: the callback's answer and URL."""
    r = b.get("/anmelden/oidc", params={"weiter": weiter} if weiter is not None else None)
    assert r.status_code == 303, r.text[:300]
    at_provider = httpx.get(r.headers["location"], follow_redirects=False)
    assert at_provider.status_code == 302, at_provider.text
    back = at_provider.headers["location"]
    assert back.startswith(REDIRECT + "?")
    return b.get(back), back


def target_of(r: httpx.Response) -> str:
    """Where the page after a sign-in moves on to (its meta refresh), and the link agrees."""
    m = re.search(r'http-equiv="refresh" content="0; url=([^"]*)"', r.text)
    assert m, r.text[:500]
    target = html.unescape(m.group(1))
    assert f'href="{m.group(1)}"' in r.text
    return target


def user_of(sub: str) -> User | None:
    with get_context().db.session() as s:
        return s.scalar(select(User).where(User.oidc_subject == sub))


def sessions_of(username: str) -> int:
    with get_context().db.session() as s:
        return s.scalar(select(func.count()).select_from(WebSession)
                        .where(WebSession.username == username))


def assert_refused(r: httpx.Response, b: TestClient, status: int, german: str) -> None:
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert german in html.unescape(r.text)
    assert "efile_session" not in r.headers.get("set-cookie", "")
    assert b.cookies.get("efile_session") is None
    assert b.get("/api/me").status_code == 401


# -- a mapped person --------------------------------------------------------------------------

def test_a_mapped_caseworker_signs_in_and_lands_on_the_search_page(office, idp):
    p = person(idp, "mueller.a", ["abh-sachbearbeitung-team-a", "kantine"])
    b = browser(office)
    r = b.get("/anmelden/oidc")
    authorize = httpx.URL(r.headers["location"])
    q = dict(authorize.params)  # what efile asks the provider for
    assert str(authorize).startswith(idp.issuer + "/authorize?")
    assert q["response_type"] == "code" and q["client_id"] == CLIENT_ID
    assert q["redirect_uri"] == REDIRECT and q["scope"].split()[0] == "openid"
    assert q["code_challenge_method"] == "S256" and len(q["code_challenge"]) == 43
    assert len(q["state"]) >= 43 and len(q["nonce"]) >= 43 and q["state"] != q["nonce"]
    pending = r.headers["set-cookie"]
    assert "efile_oidc=" in pending and "HttpOnly" in pending and "Path=/anmelden/oidc" in pending
    assert "samesite=lax" in pending.lower()

    r, _ = through_provider(b)
    assert r.status_code == 200, r.text[:500]
    cookie = r.headers.get_list("set-cookie")
    assert any(c.startswith("efile_session=") and "HttpOnly" in c and
               "samesite=strict" in c.lower() for c in cookie)
    assert any(c.startswith("efile_oidc=") and "Max-Age=0" in c for c in cookie)
    assert target_of(r) == "/"

    home = b.get("/")
    assert home.status_code == 200 and "Suchbegriffe" in home.text  # the start page
    page = b.get("/suche")
    assert page.status_code == 200 and "Suche in den E-Akten" in page.text
    readable = {k for k, d in office["docs"].items()
                if b.get(f"/api/documents/{d.id}/text").status_code == 200}
    assert readable == {"a_contract"}  # team-a's caseload; not restricted, not other teams
    me = b.get("/api/me").json()
    assert me["username"] == "mueller.a" and me["display_name"] == "Mueller A"
    assert me["roles"] == ["caseworker"] and me["teams"] == ["team-a"] and me["rights"] == []

    u = user_of(p.sub)
    assert u.username == "mueller.a" and u.password_hash is None  # no password to guess
    assert u.last_login is not None


def test_groups_are_renewed_at_every_sign_in_and_losing_them_ends_access(office, idp):
    p = person(idp, "schmidt.b", ["abh-sachbearbeitung-team-a"])
    first = browser(office)
    through_provider(first)
    assert first.get("/api/me").json()["teams"] == ["team-a"]

    p.groups = ["abh-sachbearbeitung-team-b", "abh-gesundheitsdaten"]  # moved to team B
    second = browser(office)
    r, _ = through_provider(second)
    assert r.status_code == 200
    me = second.get("/api/me").json()
    assert second.get(f"/api/documents/{office['docs']['b_payslip'].id}").status_code == 200
    assert (me["roles"], me["teams"], me["rights"]) == (["caseworker"], ["team-b"],
                                                       ["restricted"])
    # signing in again ended the earlier session (issue 12: no stale second session)
    assert first.get("/api/me").status_code == 401

    p.groups = ["kantine"]  # left the office
    third = browser(office)
    r, _ = through_provider(third)
    assert_refused(r, third, 403, "keiner Aufgabe in der E-Akte zugeordnet")
    assert second.get("/suche").status_code == 403  # the open session reads nothing now
    assert all(second.get(f"/api/documents/{d.id}").status_code == 404
               for d in office["docs"].values())
    with get_context().db.session() as s:
        changes = s.scalars(select(AuditEvent).where(AuditEvent.action == "access.grants",
                                                     AuditEvent.object_id == "schmidt.b")
                            .order_by(AuditEvent.seq)).all()
        assert [(c.details["before"] or {}).get("teams") for c in changes] == \
               [None, ["team-a"], ["team-b"]]
        assert changes[-1].details["after"] == {"roles": [], "teams": [], "rights": []}
        assert changes[1].details["groups"] == ["abh-sachbearbeitung-team-b",
                                                "abh-gesundheitsdaten"]


def test_groups_only_in_the_userinfo_answer_are_used(office, idp):
    p = person(idp, "yilmaz.c", ["abh-sachbearbeitung-team-b"], groups_in_token=False)
    b = browser(office)
    r, _ = through_provider(b)
    assert r.status_code == 200, r.text[:500]
    assert b.get("/api/me").json()["teams"] == ["team-b"]
    assert any(path == "/userinfo" for path, _ in idp.requests)
    assert user_of(p.sub).roles == ["caseworker"]


# -- refused people ---------------------------------------------------------------------------

def test_a_person_in_no_mapped_group_is_refused_in_german(office, idp):
    p = person(idp, "kantine.d", ["kantine", "abh-gesundheitsdaten"])  # a right, but no role
    b = browser(office)
    r, _ = through_provider(b)
    assert_refused(r, b, 403, "Ihr Konto beim Identitätsanbieter der Stadt ist keiner Aufgabe "
                              "in der E-Akte zugeordnet")
    assert "Anmeldung nicht möglich" in r.text
    assert user_of(p.sub) is None  # no account is created for nobody


def test_a_provider_account_named_like_a_local_one_does_not_take_it_over(office, idp):
    p = person(idp, "adm.1", ["abh-sachbearbeitung-team-a"])
    b = browser(office)
    r, _ = through_provider(b)
    assert_refused(r, b, 403, "Der Benutzername adm.1 ist in der E-Akte bereits")
    assert user_of(p.sub) is None
    # the local administrator still signs in with a password (break-glass when the provider
    # is down), and stays an administrator
    r = b.post("/anmelden", data={"username": "adm.1", "password": PASSWORD, "weiter": "/"})
    assert r.status_code == 303 and b.get("/api/me").json()["roles"] == ["admin"]


def test_a_person_who_declines_at_the_provider_is_refused(office, idp):
    idp.signed_in = None
    b = browser(office)
    r, back = through_provider(b)
    assert "error=access_denied" in back
    assert_refused(r, b, 403, "abgebrochen oder nicht bestätigt")


# -- forged and replayed answers --------------------------------------------------------------

@pytest.mark.parametrize(("tamper", "reason"), [
    ("foreign_key", "BadSignatureError"), ("audience", "Invalid claim: 'aud'"),
    ("expired", "ExpiredTokenError"), ("nonce", "Invalid claim: 'nonce'"),
    ("no_nonce", "Missing claim: 'nonce'"), ("issuer", "Invalid claim: 'iss'"),
    ("alg_none", "Algorithm of 'none' is not allowed"),
    ("hs256", "Algorithm of 'HS256' is not allowed"), ("at_hash", "Invalid claim: 'at_hash'")])
def test_a_tampered_id_token_is_refused(office, idp, caplog, tamper, reason):
    p = person(idp, f"t.{tamper.replace('_', '-')}", ["abh-sachbearbeitung-team-a"])
    idp.tamper = tamper
    b = browser(office)
    r, _ = through_provider(b)
    assert_refused(r, b, 400, "konnte nicht sicher abgeschlossen werden")
    assert reason in caplog.text  # refused for this reason, logged, never shown
    assert reason not in r.text
    assert user_of(p.sub) is None


def test_a_rotated_signing_key_is_fetched_and_accepted(office, idp):
    person(idp, "rotation.e", ["abh-sachbearbeitung-team-a"])
    b = browser(office)
    assert through_provider(b)[0].status_code == 200  # efile now holds the first key
    idp.rotate_key()
    fetched = sum(path == "/jwks" for path, _ in idp.requests)
    b = browser(office)
    r, _ = through_provider(b)
    assert r.status_code == 200, r.text[:500]
    assert sum(path == "/jwks" for path, _ in idp.requests) == fetched + 1


def test_a_callback_is_used_once(office, idp, caplog):
    p = person(idp, "replay.f", ["abh-sachbearbeitung-team-a"])
    b = browser(office)
    r = b.get("/anmelden/oidc")
    pending = b.cookies.get("efile_oidc")
    back = httpx.get(r.headers["location"], follow_redirects=False).headers["location"]
    assert b.get(back).status_code == 200
    assert sessions_of("replay.f") == 1

    again = browser(office)  # the same answer again, in another browser: no sign-in waits there
    assert_refused(again.get(back), again, 400, "unbekannt, abgelaufen oder wurde bereits")
    same = browser(office)  # with the sign-in's cookie copied too: the provider's code is spent
    r = same.get(back, headers={"Cookie": f"efile_oidc={pending}"})
    assert_refused(r, same, 400, "konnte nicht sicher abgeschlossen werden")
    assert "invalid_grant unknown or used code" in caplog.text
    assert b.get(back).status_code == 400  # and the first browser has used its sign-in
    assert sessions_of("replay.f") == 1
    assert user_of(p.sub) is not None


def test_a_callback_for_another_sign_in_is_refused(office, idp):
    person(idp, "victim.g", ["abh-sachbearbeitung-team-a"])
    attacker = browser(office)  # starts a sign-in and hands its callback to the victim
    r = attacker.get("/anmelden/oidc")
    back = httpx.get(r.headers["location"], follow_redirects=False).headers["location"]
    victim = browser(office)
    victim.get("/anmelden/oidc")  # a sign-in of the victim's own is under way
    assert_refused(victim.get(back), victim, 400, "unbekannt, abgelaufen")
    state = dict(httpx.URL(back).params)["state"]  # and a state changed by one character
    forged = back.replace(state, state[:-1] + ("A" if state[-1] != "A" else "B"))
    assert_refused(attacker.get(forged), attacker, 400, "unbekannt, abgelaufen")


def test_a_changed_pkce_verifier_is_refused_by_the_provider(office, idp, caplog):
    person(idp, "pkce.h", ["abh-sachbearbeitung-team-a"])
    b = browser(office)
    r = b.get("/anmelden/oidc")
    pending = json.loads(base64.urlsafe_b64decode(b.cookies.get("efile_oidc")))
    pending["verifier"] = secrets.token_urlsafe(48)
    changed = base64.urlsafe_b64encode(json.dumps(pending).encode()).decode()
    back = httpx.get(r.headers["location"], follow_redirects=False).headers["location"]
    c = browser(office)
    r = c.get(back, headers={"Cookie": f"efile_oidc={changed}"})
    assert_refused(r, c, 400, "konnte nicht sicher abgeschlossen werden")
    assert "invalid_grant PKCE verifier" in caplog.text  # PKCE binds the code to its browser


def test_a_wrong_client_secret_is_refused_by_the_provider(office, idp, caplog):
    person(idp, "secret.i", ["abh-sachbearbeitung-team-a"])
    idp.client_secret = secrets.token_urlsafe(32)  # the provider expects another secret now
    b = browser(office)
    r, _ = through_provider(b)
    assert_refused(r, b, 400, "konnte nicht sicher abgeschlossen werden")
    assert "refused the code: invalid_client" in caplog.text


# -- where the person goes afterwards --------------------------------------------------------

def test_the_target_survives_the_trip_through_the_provider(office, idp):
    person(idp, "ziel.j", ["abh-sachbearbeitung-team-a"])
    b = browser(office)
    start = b.get(f"/akte/{TEAM_A_FILE}")  # not signed in: off to the sign-in, target kept
    assert start.status_code == 303
    assert start.headers["location"] == f"/anmelden?weiter=/akte/{TEAM_A_FILE}"
    r, _ = through_provider(b, weiter=f"/akte/{TEAM_A_FILE}")
    assert target_of(r) == f"/akte/{TEAM_A_FILE}"
    page = b.get(target_of(r))
    assert page.status_code == 200 and TEAM_A_FILE in page.text


@pytest.mark.parametrize("weiter", ["https://evil.example/", "//evil.example/anmelden",
                                    "/\\evil.example", "/\t/evil.example", "javascript:alert(1)",
                                    "/suche\"><script>alert(1)</script>", "", "suche"])
def test_a_target_off_this_site_is_never_followed(office, idp, weiter):
    person(idp, "ziel.k", ["abh-sachbearbeitung-team-a"])
    b = browser(office)
    r, _ = through_provider(b, weiter=weiter)
    assert r.status_code == 200 and target_of(r) == "/"
    assert "evil" not in r.text and "<script>" not in r.text


def test_safe_targets():
    for ok in ("/", "/suche?q=M%C3%BCller&seite=2", f"/akte/{TEAM_A_FILE}", "/dokument/ab12",
               "/%2F%2Fevil.example"):  # encoded: a path on this site, not another host
        assert safe_target(ok) == ok
    for bad in ("//evil.example", "/\\evil.example", "https://evil.example", "/a b",
                "/\n/evil.example", "/'x", "/" + "a" * 2001, None):
        assert safe_target(bad) == "/"


# -- in a real browser ------------------------------------------------------------------------

@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} missing")
def test_a_real_browser_comes_back_from_the_provider_signed_in(office, idp, monkeypatch):
    """Chromium, the provider on another site (127.0.0.1 against efile's localhost), its page
    sending the browser back: a navigation started on another site. A redirect onwards from the
    callback would carry no SameSite=Strict cookie and land on the sign-in form again; the
    page in between must bring the person to their target signed in."""
    import uvicorn
    from playwright.sync_api import sync_playwright

    monkeypatch.delenv("EFILE_OIDC_REDIRECT_URL")  # derived from the request this time
    reset_contexts()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    site = f"http://localhost:{port}"
    idp.redirect_uri, idp.consent_page = f"{site}/anmelden/oidc/rueckkehr", True
    person(idp, "browser.l", ["abh-sachbearbeitung-team-a"])
    server = uvicorn.Server(uvicorn.Config(office["app"], host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=["--no-sandbox"] if os.geteuid() == 0 else [])
            page = chromium.new_page()
            page.goto(f"{site}/anmelden/oidc?weiter=/akte/{TEAM_A_FILE}")
            assert page.url.startswith(idp.issuer + "/authorize?")
            page.click("#consent")
            page.wait_for_url(f"{site}/akte/{TEAM_A_FILE}", timeout=10_000)
            assert TEAM_A_FILE in page.content()
            cookies = {c["name"]: c for c in page.context.cookies()}
            assert cookies["efile_session"]["sameSite"] == "Strict"
            assert cookies["efile_session"]["httpOnly"] and "efile_oidc" not in cookies
            chromium.close()
    finally:
        server.should_exit = True
        thread.join(10)
        monkeypatch.undo()
        reset_contexts()


# -- configuration ----------------------------------------------------------------------------

def test_without_a_provider_there_is_no_provider_sign_in(office, monkeypatch):
    monkeypatch.delenv("EFILE_OIDC_ISSUER")
    reset_contexts()
    try:
        b = browser(office)
        assert b.get("/anmelden/oidc").status_code == 404
        assert b.get("/anmelden/oidc/rueckkehr?code=x&state=y").status_code == 404
    finally:
        monkeypatch.undo()
        reset_contexts()


def test_an_unreachable_provider_is_said_in_german(office, monkeypatch):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        monkeypatch.setenv("EFILE_OIDC_ISSUER", f"http://127.0.0.1:{s.getsockname()[1]}")
    reset_contexts()
    try:
        b = browser(office)
        assert_refused(b.get("/anmelden/oidc"), b, 502, "zurzeit nicht erreichbar")
    finally:
        monkeypatch.undo()
        reset_contexts()


def test_a_provider_naming_another_issuer_is_not_trusted(office):
    with pytest.raises(oidc.SignInFailed, match="names issuer"):
        oidc.provider(office["idp"].issuer + "/")  # the document names it without the slash


def test_the_group_mapping_is_checked_when_the_policy_loads():
    base = DEFAULT.read_text(encoding="utf-8")
    for bad, says in [('"g" = { roles = ["caseworkr"] }', "unknown roles"),
                      ('"g" = { roles = ["caseworker"], teams = ["team-x"] }', "unknown teams"),
                      ('"g" = { rights = ["everything"] }', "unknown rights"),
                      ('"g" = { role = ["caseworker"] }', "expected")]:
        with pytest.raises(ConfigError, match=says):
            parse(f"{base}\n[oidc]\n[oidc.groups]\n{bad}\n")
    with pytest.raises(ConfigError, match="unknown settings"):
        parse(f'{base}\n[oidc]\ngroup_claim = "groups"\n')
    with pytest.raises(ConfigError, match="openid"):
        parse(f'{base}\n[oidc]\nscopes = ["profile"]\n')
    mapping = parse(base + MAPPING).oidc
    grant, mapped = mapping.grant(["abh-gesundheitsdaten", "kantine",
                                   "abh-sachbearbeitung-team-a", "abh-gesundheitsdaten"])
    assert (grant.roles, grant.teams, grant.rights) == (("caseworker",), ("team-a",),
                                                        ("restricted",))
    assert mapped == ["abh-gesundheitsdaten", "abh-sachbearbeitung-team-a"]
