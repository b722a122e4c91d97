"""A small OpenID provider for tests: a real HTTP server on a free port of 127.0.0.1 with
discovery, /authorize (consents at once for whoever `signed_in` names and redirects back with
code and state), /token (checks the client's secret, the code — once only — the redirect URI and
the PKCE verifier; answers with an RS256-signed ID token), /jwks and /userinfo. Its RSA key is
generated when it starts. `tamper` makes the next ID tokens wrong in one way, as a broken or
hostile provider (or a man in the middle) would hand them out."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

TAMPERING = ("foreign_key", "audience", "expired", "nonce", "issuer", "alg_none", "hs256",
             "no_nonce", "at_hash")
NONE_HEADER = b'{"alg": "none"}'  # an unsigned token


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class Person:
    sub: str
    username: str
    name: str
    groups: list[str]
    groups_in_token: bool = True  # False: only /userinfo tells the groups


@dataclass
class Provider:
    client_id: str
    client_secret: str
    redirect_uri: str
    people: dict[str, Person] = field(default_factory=dict)
    signed_in: str | None = None  # whom /authorize consents for; None: the person declines
    tamper: str | None = None
    # a page with a button, as real providers show: the way back is then a navigation started
    # on the provider's site (a browser test needs that to see what SameSite does)
    consent_page: bool = False
    codes: dict[str, dict] = field(default_factory=dict)
    access_tokens: dict[str, str] = field(default_factory=dict)
    requests: list[tuple[str, dict]] = field(default_factory=list)  # (path, parameters)

    def __post_init__(self) -> None:
        self.keys = [RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig"})]
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Provider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def rotate_key(self) -> None:
        """A new signing key; the old one stays published, as providers do for a while."""
        self.keys.insert(0, RSAKey.generate_key(
            2048, parameters={"kid": f"key-{len(self.keys) + 1}", "use": "sig"}))

    # -- the protocol ---------------------------------------------------------------------------

    def discovery(self) -> dict:
        i = self.issuer
        return {"issuer": i, "authorization_endpoint": f"{i}/authorize",
                "token_endpoint": f"{i}/token", "jwks_uri": f"{i}/jwks",
                "userinfo_endpoint": f"{i}/userinfo", "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
                "code_challenge_methods_supported": ["S256"],
                "scopes_supported": ["openid", "profile", "email"]}

    def authorize(self, q: dict[str, str]) -> tuple[int, dict[str, str]]:
        if q.get("client_id") != self.client_id or q.get("redirect_uri") != self.redirect_uri:
            return 400, {}  # never redirect to an unregistered address
        back = {"state": q["state"]} if "state" in q else {}
        ok = (q.get("response_type") == "code" and "openid" in q.get("scope", "").split()
              and q.get("code_challenge_method") == "S256" and q.get("code_challenge"))
        if not ok:
            return 302, {**back, "error": "invalid_request"}
        if self.signed_in is None:
            return 302, {**back, "error": "access_denied"}
        code = secrets.token_urlsafe(24)
        self.codes[code] = {"person": self.signed_in, "challenge": q["code_challenge"],
                            "nonce": q.get("nonce"), "redirect_uri": q["redirect_uri"],
                            "used": False}
        return 302, {**back, "code": code}

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict]:
        scheme, _, creds = authorization.partition(" ")
        try:
            cid, _, secret = base64.b64decode(creds).decode().partition(":")
        except ValueError:
            cid, secret = "", ""
        if scheme != "Basic" or unquote(cid) != self.client_id or \
                not secrets.compare_digest(unquote(secret), self.client_secret):
            return 401, {"error": "invalid_client"}
        grant = self.codes.get(form.get("code", ""))
        if form.get("grant_type") != "authorization_code" or grant is None or grant["used"]:
            return 400, {"error": "invalid_grant", "error_description": "unknown or used code"}
        grant["used"] = True  # a code is redeemed once, even when the rest is wrong
        verifier = form.get("code_verifier", "")
        if _b64(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verifier"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
        person = self.people[grant["person"]]
        access = secrets.token_urlsafe(24)
        self.access_tokens[access] = person.username
        return 200, {"access_token": access, "token_type": "Bearer", "expires_in": 300,
                     "id_token": self.id_token(person, grant["nonce"], access)}

    def id_token(self, person: Person, nonce: str | None, access_token: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": person.sub, "aud": self.client_id,
                  "iat": now, "exp": now + 300, "auth_time": now, "nonce": nonce,
                  "preferred_username": person.username, "name": person.name,
                  "at_hash": _b64(hashlib.sha256(access_token.encode()).digest()[:16])}
        if person.groups_in_token:
            claims["groups"] = person.groups
        key, header = self.keys[0], {"alg": "RS256", "kid": self.keys[0].kid}
        t = self.tamper
        if t == "foreign_key":  # same key id, another key: the signature cannot verify
            key = RSAKey.generate_key(2048, parameters={"kid": self.keys[0].kid})
        elif t == "audience":
            claims["aud"] = "another-application"
        elif t == "expired":
            claims.update(iat=now - 7200, exp=now - 3600, auth_time=now - 7200)
        elif t == "nonce":
            claims["nonce"] = secrets.token_urlsafe(32)
        elif t == "no_nonce":
            del claims["nonce"]
        elif t == "issuer":
            claims["iss"] = "https://idp.evil.example"
        elif t == "at_hash":
            claims["at_hash"] = _b64(b"0" * 16)
        elif t == "alg_none":
            return f"{_b64(NONE_HEADER)}.{_b64(json.dumps(claims).encode())}."
        elif t == "hs256":  # signed with the client secret: anyone holding it could forge
            return jwt.encode({"alg": "HS256", "kid": self.keys[0].kid}, claims,
                              OctKey.import_key(self.client_secret.encode()))
        return jwt.encode(header, claims, key)

    def jwks(self) -> dict:
        return KeySet(self.keys).as_dict(private=False)

    def userinfo(self, authorization: str) -> tuple[int, dict]:
        scheme, _, token = authorization.partition(" ")
        username = self.access_tokens.get(token) if scheme == "Bearer" else None
        if username is None:
            return 401, {"error": "invalid_token"}
        p = self.people[username]
        return 200, {"sub": p.sub, "preferred_username": p.username, "groups": p.groups}


def _handler(idp: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet test output
            pass

        def _json(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            idp.requests.append((url.path, q))
            if url.path == "/.well-known/openid-configuration":
                self._json(200, idp.discovery())
            elif url.path == "/jwks":
                self._json(200, idp.jwks())
            elif url.path == "/userinfo":
                self._json(*idp.userinfo(self.headers.get("Authorization", "")))
            elif url.path == "/authorize":
                status, params = idp.authorize(q)
                back = f"{q.get('redirect_uri')}?{urlencode(params)}"
                body = b""
                if status == 302 and idp.consent_page:
                    status, body = 200, (f'<!doctype html><title>Stadt</title><a id="consent" '
                                         f'href="{html.escape(back)}">Weiter</a>').encode()
                self.send_response(status)
                if status == 302:
                    self.send_header("Location", back)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            idp.requests.append((self.path, form))
            if self.path == "/token":
                self._json(*idp.token(form, self.headers.get("Authorization", "")))
            else:
                self._json(404, {"error": "not_found"})

    return Handler
