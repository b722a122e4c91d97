"""Sign-in through the city's identity provider (OpenID Connect) for the web UI.

GET /anmelden/oidc sends the browser to the provider; the provider sends it back to
GET /anmelden/oidc/rueckkehr, which starts the same server-side session as the password form.

The sign-in in progress (state, nonce, PKCE verifier, where to go afterwards) waits in a cookie
of the browser that started it: HttpOnly, SameSite=Lax (the provider's redirect back is a
cross-site navigation, which a Strict cookie would not survive), limited to these two paths and
to ten minutes, and deleted by the first answer from the callback, so a callback can be used
once. A replay with a copied cookie still fails: the provider redeems a code once and only
against the PKCE verifier, and the ID token must carry that sign-in's nonce.

The session cookie stays SameSite=Strict. A browser drops Strict cookies for the rest of a
redirect chain that started on another site, so the callback does not redirect: it answers
with a page that moves on by itself (meta refresh, a navigation from our own page) to the
target.
"""

from __future__ import annotations

import logging
import secrets

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ..access import oidc
from ..errors import NotFound
from .deps import SESSION_COOKIE, client_of, ctx, policy, safe_target
from .ui import page

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

PENDING_COOKIE = "efile_oidc"
PENDING_PATH = "/anmelden/oidc"

STALE = ("Dieser Anmeldevorgang ist unbekannt, abgelaufen oder wurde bereits verwendet. "
         "Bitte melden Sie sich erneut an.")
DECLINED = "Der Identitätsanbieter hat die Anmeldung abgebrochen oder nicht bestätigt."
FAILED = ("Die Anmeldung über den Identitätsanbieter konnte nicht sicher abgeschlossen werden. "
          "Bitte melden Sie sich erneut an; besteht das Problem fort, wenden Sie sich an die "
          "Administration.")
UNREACHABLE = ("Der Identitätsanbieter der Stadt ist zurzeit nicht erreichbar. Bitte versuchen "
               "Sie es später erneut.")


def _client() -> oidc.Client:
    client = oidc.client_from(ctx().settings)
    if client is None:
        raise NotFound("Die Anmeldung über den Identitätsanbieter ist nicht eingerichtet.")
    return client


def _redirect_url(request: Request, client: oidc.Client) -> str:
    # configured behind a proxy (the provider compares it exactly); derived for a quick start
    return client.redirect_url or str(request.url_for("oidc_return"))


def _refuse(request: Request, status: int, message: str) -> Response:
    resp = page(request, "anmeldung_abgelehnt.html", status, message=message)
    resp.delete_cookie(PENDING_COOKIE, path=PENDING_PATH)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@router.get("/anmelden/oidc")
def start(request: Request, weiter: str = "/") -> Response:
    client = _client()
    try:
        url, pending = oidc.begin(client, policy().oidc, redirect_url=_redirect_url(request, client),
                                  weiter=safe_target(weiter))
    except oidc.SignInFailed as e:
        log.error("OIDC sign-in cannot start: %s", e)
        return _refuse(request, e.http_status,
                       UNREACHABLE if isinstance(e, oidc.ProviderUnreachable) else FAILED)
    resp = RedirectResponse(url, status_code=303)
    resp.set_cookie(PENDING_COOKIE, pending.dump(), max_age=oidc.PENDING_TTL, path=PENDING_PATH,
                    httponly=True, samesite="lax", secure=request.url.scheme == "https")
    resp.headers["Cache-Control"] = "no-store"
    return resp


@router.get("/anmelden/oidc/rueckkehr", name="oidc_return")
def come_back(request: Request, state: str = "", code: str = "", error: str = "") -> Response:
    client = _client()
    pending = oidc.Pending.load(request.cookies.get(PENDING_COOKIE, ""))
    if pending is None or not state or not secrets.compare_digest(state.encode(),
                                                                  pending.state.encode()):
        log.warning("OIDC callback refused: no sign-in of this browser with this state")
        return _refuse(request, 400, STALE)
    if error:
        log.warning("OIDC callback: the provider answered %r", error[:100])
        return _refuse(request, 403, DECLINED)
    if not code or len(code) > 4096:
        return _refuse(request, 400, FAILED)
    try:
        claims = oidc.finish(client, policy().oidc, pending, code=code,
                             redirect_url=_redirect_url(request, client))
    except oidc.SignInFailed as e:
        log.warning("OIDC sign-in refused: %s", e)
        return _refuse(request, e.http_status,
                       UNREACHABLE if isinstance(e, oidc.ProviderUnreachable) else FAILED)
    with ctx().db.session() as s:
        decision = oidc.sign_in(s, policy(), claims, issuer=client.issuer,
                                client=client_of(request))
    if decision.refusal or not decision.session_id:
        return _refuse(request, 403, decision.refusal or FAILED)
    resp = page(request, "angemeldet.html", target=safe_target(pending.weiter))
    resp.set_cookie(SESSION_COOKIE, decision.session_id, httponly=True, samesite="strict",
                    secure=request.url.scheme == "https", path="/")
    resp.delete_cookie(PENDING_COOKIE, path=PENDING_PATH)
    resp.headers["Cache-Control"] = "no-store"
    return resp
