"""What every request needs: the product's handles, the person behind it (API token or web
session), and the audit actor built from both. Handlers stay thin: they call services."""

from __future__ import annotations

import re
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import Request

from ..access import accounts
from ..access.policy import Policy
from ..access.policy import load as load_policy
from ..access.rules import Principal
from ..context import Context, get_context
from ..errors import AuthFailed, Forbidden, InvalidQuery
from ..services.audit import Actor

SESSION_COOKIE = "efile_session"
# a plain path on this site: no scheme, no //host or /\host (browsers read \ as /), no
# control characters (browsers drop tabs and newlines inside a URL)
_SAFE_TARGET = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass
class Caller:
    principal: Principal
    actor: Actor
    csrf: str | None = None  # set for a web session: forms must carry it


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain(value: str | None, field: str) -> str | None:
    """A text field as sent, refused (400) when it carries control characters: a NUL byte
    cannot even be stored in PostgreSQL, and no name, number or reference has one."""
    if value is not None and _CONTROL.search(value):
        raise InvalidQuery(f"{field}: control characters are not allowed")
    return value


def safe_target(target: str | None) -> str:
    """Where to go after signing in: `target` when it is a plain path on this site, else /.
    An open redirect would make a phishing link look like ours."""
    return target if target and len(target) <= 2000 and _SAFE_TARGET.fullmatch(target) else "/"


def same_origin(request: Request) -> None:
    """Login CSRF: a sign-in posted from another site is refused. A browser names the page's
    origin in Origin (or at least Referer); a client that sends neither (curl, a script for
    the token endpoint) is not a browser and cannot be made to post for someone."""
    own = f"{request.url.scheme}://{request.url.netloc}".lower()
    origin = request.headers.get("origin")
    if origin is None and request.headers.get("referer"):
        parts = urlsplit(request.headers["referer"])
        origin = f"{parts.scheme}://{parts.netloc}"
    if origin is not None and origin.lower() != own:
        raise Forbidden("sign-in from another site refused (Origin/Referer)")


def ctx() -> Context:
    return get_context()


def policy() -> Policy:
    return load_policy()


def client_of(request: Request) -> str | None:
    return request.client.host if request.client else None


def actor_for(p: Principal, request: Request, *, break_glass: str | None = None) -> Actor:
    return Actor(user=p.username, role=p.role or "none", break_glass_reason=break_glass,
                 client=client_of(request) or socket.gethostname())


def caller(request: Request) -> Caller:
    """The signed-in person: a bearer token (API clients), else the session cookie (the web
    UI), whose state-changing requests must carry the session's CSRF token."""
    cached = getattr(request.state, "caller", None)
    if cached is not None:
        return cached
    c, pol = ctx(), policy()
    auth = request.headers.get("authorization", "")
    with c.db.session() as s:
        if auth:
            scheme, _, token = auth.partition(" ")
            if scheme.lower() != "bearer" or not token:
                raise AuthFailed("use Authorization: Bearer TOKEN")
            user, csrf = accounts.user_for_token(s, token.strip()), None
        else:
            user, ws = accounts.resume_session(s, pol, request.cookies.get(SESSION_COOKIE, ""))
            csrf = ws.csrf
        p = accounts.principal_of(user, pol)
    if csrf is not None and request.method not in SAFE_METHODS:
        sent = request.headers.get("x-csrf-token") or getattr(request.state, "form_csrf", None)
        if not sent or not secrets.compare_digest(sent, csrf):
            raise Forbidden("the request lacks this session's CSRF token")
    request.state.caller = Caller(p, actor_for(p, request), csrf)
    return request.state.caller


def disposition(kind: str, name: str) -> str:
    """Content-Disposition with the name twice (RFC 6266): `filename*` in UTF-8 for every
    current browser, `filename` in ASCII for the rest (Ä → Ae)."""
    from urllib.parse import quote

    from ..services.documents import ascii_name

    return f"{kind}; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
