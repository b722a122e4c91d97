"""Accounts that can be closed (issue 12), against the real app: password change and
deactivation end every session and token, logout revokes the token, a bounded number of live
tokens, signing in again ends the earlier session, throttling an attacker cannot extend or use
to lock out an address, login CSRF refused, /api/auth/token public in OpenAPI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import use_home
from fastapi.testclient import TestClient
from sqlalchemy import update
from webhome import PASSWORD, build

from efile.access import accounts
from efile.access.models import LoginAttempt
from efile.access.policy import load as load_policy
from efile.context import get_context
from efile.models import utcnow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    home = tmp_path_factory.mktemp("lifecycle")
    use_home(home / "home")
    data = build(home)
    from efile.web.app import create_app

    return {"home": home / "home", "app": create_app(), **data}


@pytest.fixture
def web(built):
    use_home(built["home"])
    return built


def client(web, address: str) -> TestClient:
    return TestClient(web["app"], client=(address, 50000), follow_redirects=False)


def login(c: TestClient, user: str, password: str = PASSWORD, **headers):
    return c.post("/anmelden", data={"username": user, "password": password, "weiter": "/"},
                  headers=headers)


def token(c: TestClient, user: str, password: str = PASSWORD) -> str:
    r = c.post("/api/auth/token", json={"username": user, "password": password})
    assert r.status_code == 200, r.text
    return r.json()["token"]


def me(c: TestClient, tok: str) -> int:
    return c.get("/api/me", headers={"Authorization": f"Bearer {tok}"}).status_code


def test_a_password_change_ends_every_session_and_token(web):
    c = client(web, "10.9.0.1")
    assert login(c, "sb.b").status_code == 303
    tok = token(c, "sb.b")
    assert c.get("/api/me").status_code == 200 and me(c, tok) == 200
    with get_context().db.session() as s:
        accounts.set_password(s, "sb.b", "Ein-ganz-neues-Passwort-2")
    assert c.get("/api/me").status_code == 401
    assert me(c, tok) == 401 and me(c, web["tokens"]["sb.b"]) == 401
    assert login(client(web, "10.9.0.2"), "sb.b").status_code == 401  # the old password
    assert login(client(web, "10.9.0.2"), "sb.b", "Ein-ganz-neues-Passwort-2").status_code == 303


def test_deactivation_ends_everything_and_signs_in_no_more(web):
    c = client(web, "10.9.1.1")
    assert login(c, "op.1").status_code == 303
    tok = token(c, "op.1")
    with get_context().db.session() as s:
        accounts.set_active(s, "op.1", False)
    assert c.get("/api/me").status_code == 401 and me(c, tok) == 401
    assert login(client(web, "10.9.1.2"), "op.1").status_code == 401
    with get_context().db.session() as s:  # reactivated: old sessions and tokens stay dead
        accounts.set_active(s, "op.1", True)
        assert accounts.live_tokens(s, "op.1") == []
    assert me(c, tok) == 401


def test_logout_revokes_the_token_and_tokens_are_bounded_named_and_used(web):
    c = client(web, "10.9.2.1")
    tok = token(c, "scan.1")
    r = c.post("/api/auth/logout", headers={"Authorization": f"Bearer {tok}"})
    assert r.status_code == 200 and me(c, tok) == 401
    limit = load_policy().max_tokens
    minted = [token(c, "scan.1") for _ in range(limit + 3)]
    with get_context().db.session() as s:
        live = accounts.live_tokens(s, "scan.1")
        assert len(live) == limit
    assert [me(c, t) for t in minted[-limit:]] == [200] * limit
    assert me(c, minted[0]) == 401  # the oldest were retired
    with get_context().db.session() as s:
        info = [accounts.token_dict(t) for t in accounts.live_tokens(s, "scan.1")]
    assert all(i["label"] == "api" and i["expires_at"] and i["last_used_at"] for i in info)


def test_signing_in_again_ends_the_earlier_session(web):
    first, second = client(web, "10.9.3.1"), client(web, "10.9.3.2")
    assert login(first, "dsb.1").status_code == 303
    assert first.get("/api/me").status_code == 200
    assert login(second, "dsb.1").status_code == 303
    assert second.get("/api/me").status_code == 200
    assert first.get("/api/me").status_code == 401


def test_attempts_during_a_pause_do_not_extend_it(web):
    pol = load_policy()
    c = client(web, "10.9.4.1")
    for _ in range(pol.login_max_failures):
        assert login(c, "sb.a.med", "falsches-Passwort-1").status_code == 401
    with get_context().db.session() as s:  # the failures lie just past the pause …
        s.execute(update(LoginAttempt).where(LoginAttempt.username == "sb.a.med").values(
            at=utcnow() - timedelta(minutes=pol.login_pause_minutes, seconds=-5)))
    for _ in range(10):  # … while the attacker keeps knocking inside it
        assert login(c, "sb.a.med", "falsches-Passwort-1").status_code == 429
    with get_context().db.session() as s:
        s.execute(update(LoginAttempt).where(LoginAttempt.username == "sb.a.med",
                                             LoginAttempt.throttled.is_(False)).values(
            at=utcnow() - timedelta(minutes=pol.login_pause_minutes, seconds=1)))
    assert login(client(web, "10.9.4.2"), "sb.a.med").status_code == 303


def test_one_accounts_failures_do_not_pause_the_whole_address(web):
    pol = load_policy()
    office = client(web, "10.9.5.1")  # one NAT address for the whole office
    for _ in range(pol.login_max_failures):
        login(office, "eb.1", "falsches-Passwort-1")
    assert login(office, "eb.1").status_code == 429  # that account pauses …
    assert login(office, "reg.1").status_code == 303  # … a colleague behind it signs in


def test_a_cross_site_sign_in_is_refused(web):
    c = client(web, "10.9.6.1")
    r = login(c, "sb.a", Origin="https://evil.example")
    assert r.status_code == 403 and "set-cookie" not in r.headers
    r = login(c, "sb.a", Referer="https://evil.example/login")
    assert r.status_code == 403
    r = c.post("/api/auth/token", json={"username": "sb.a", "password": PASSWORD},
               headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    assert login(c, "sb.a", Origin="http://testserver").status_code == 303
    assert c.post("/api/auth/token", json={"username": "sb.a",
                                           "password": PASSWORD}).status_code == 200


def test_the_token_endpoint_is_public_in_openapi(web):
    spec = client(web, "10.9.7.1").get("/openapi.json").json()
    assert spec["paths"]["/api/auth/token"]["post"]["x-permission"] == "public"


def test_the_admin_api_deactivates_and_revokes_with_users_manage(web):
    c = client(web, "10.9.8.1")
    adm = {"Authorization": f"Bearer {web['tokens']['adm.1']}"}
    sb = {"Authorization": f"Bearer {web['tokens']['sb.a']}"}
    tok = token(c, "reg.1")
    assert c.post("/api/admin/users/reg.1/active", json={"active": False},
                  headers=sb).status_code == 403
    listed = c.get("/api/admin/users/reg.1/tokens", headers=adm).json()["tokens"]
    assert listed and all("token" not in t for t in listed)
    r = c.post("/api/admin/users/reg.1/tokens/revoke", json={"token_id": listed[-1]["id"]},
               headers=adm)
    assert r.status_code == 200 and r.json()["revoked"] == 1 and me(c, tok) == 401
    r = c.post("/api/admin/users/reg.1/active", json={"active": False}, headers=adm)
    assert r.status_code == 200 and r.json()["active"] is False
    assert me(c, web["tokens"]["reg.1"]) == 401
    c.post("/api/admin/users/reg.1/active", json={"active": True}, headers=adm)


def test_the_users_commands_list_revoke_passwd_and_deactivate(web):
    import json
    import subprocess

    from conftest import EFILE_BIN

    def efile(*args: str, stdin: str | None = None) -> str:
        r = subprocess.run([EFILE_BIN, "users", *args], capture_output=True, text=True,
                           input=stdin)
        assert r.returncode == 0, r.stderr
        return r.stdout

    tok = efile("token", "sb.a.med", "--label", "skript").strip()
    c = client(web, "10.9.9.1")
    assert me(c, tok) == 200
    rows = json.loads(efile("tokens", "sb.a.med", "--json"))
    mine = [t for t in rows if t["label"] == "skript"]
    assert mine and mine[0]["last_used_at"] and mine[0]["expires_at"]
    efile("revoke", "sb.a.med", "--token", str(mine[0]["id"]))
    assert me(c, tok) == 401
    tok = efile("token", "sb.a.med").strip()
    efile("passwd", "sb.a.med", "--password-stdin", stdin="Noch-ein-neues-Passwort-3\n")
    assert me(c, tok) == 401
    tok = efile("token", "sb.a.med").strip()
    efile("deactivate", "sb.a.med")
    assert me(c, tok) == 401
    assert not [u for u in json.loads(efile("list", "--json"))
                if u["username"] == "sb.a.med"][0]["active"]
