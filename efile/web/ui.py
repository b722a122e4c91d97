"""The German web UI: server-rendered pages over the same services and access guard as the
API. Sign-in starts a server-side session (cookie: HttpOnly, SameSite=Strict); every form
carries the session's CSRF token. Reads are audited exactly as in the API."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ..access import accounts, guard
from ..errors import AuthFailed, EfileError, Throttled
from ..services.audit import Action, audited
from ..services.efiles import aktenzeichen_by_id
from ..services.figures import operator_figures
from ..services.home import home_for, reads_inbox
from . import present
from .deps import (
    SESSION_COOKIE,
    caller,
    client_of,
    ctx,
    policy,
    safe_target,
    same_origin,
)

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
present.install(templates.env)
router = APIRouter(include_in_schema=False)


def mount_static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")


def page(request: Request, name: str, status: int = 200, **data) -> HTMLResponse:  # noqa: ANN003
    me = getattr(request.state, "caller", None)
    resp = templates.TemplateResponse(request, name, {
        "me": me.principal if me else None, "csrf": me.csrf if me else None, **data},
        status_code=status)
    # pages show client data: no copy in the browser's cache or history after signing out
    resp.headers["Cache-Control"] = "no-store"
    return resp


ERRORS = {
    400: ("Ungültige Anfrage", "Die Eingabe konnte nicht verarbeitet werden."),
    403: ("Keine Berechtigung", "Dafür haben Sie keine Berechtigung."),
    404: ("Nicht gefunden", "Diese Seite, Akte oder dieses Dokument gibt es nicht, oder Sie "
                            "sind nicht berechtigt, es zu sehen."),
    409: ("Nicht möglich", "Das ist im jetzigen Zustand nicht möglich."),
    429: ("Zu viele Versuche", "Bitte warten Sie einige Minuten."),
    500: ("Interner Fehler", "Bei uns ist ein Fehler aufgetreten. Bitte versuchen Sie es "
                             "später noch einmal; geschieht es wieder, melden Sie es bitte "
                             "dem Betrieb."),
}


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    title, text = ERRORS.get(status, ("Fehler", "Ein Fehler ist aufgetreten."))
    if status == 403 and "CSRF" in message:
        text = ("Das Formular ist abgelaufen oder stammt nicht von dieser Seite. Bitte laden "
                "Sie die Seite neu und versuchen Sie es noch einmal.")
    # back to the inbox only from an inbox page that may be opened (a refused one loops)
    back = "/eingang" if request.url.path.startswith("/eingang") and status != 403 else "/"
    # the product's own message is English, for logs and the API; a person reads German:
    # which right is missing is worth showing (to ask for it), the rest stays in the log
    missing = _PERMISSION.search(message) if status == 403 else None
    return page(request, "error.html", status, title=title, text=text,
                permission=missing.group(1) if missing else None, back=back)


_PERMISSION = re.compile(r"may not do this \(([a-z_.]+(?: or [a-z_.]+)*)\)")


@router.get("/anmelden", response_class=HTMLResponse)
def login_form(request: Request, weiter: str = "/") -> HTMLResponse:
    return page(request, "login.html", weiter=safe_target(weiter), error=None, username="",
                oidc=oidc_enabled())


@router.post("/anmelden")
def login(request: Request, username: str = Form(max_length=100),
          password: str = Form(max_length=500), weiter: str = Form("/")) -> Response:
    same_origin(request)  # login CSRF: no signing a victim into the attacker's account
    c = ctx()
    try:
        name = accounts.sign_in(c.db, policy(), username, password, client=client_of(request))
    except AuthFailed as e:
        msg = ("Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie "
               f"{policy().login_pause_minutes} Minuten." if isinstance(e, Throttled)
               else "Benutzername oder Passwort ist falsch.")
        return page(request, "login.html", e.http_status, weiter=safe_target(weiter),
                    error=msg, username=username, oidc=oidc_enabled())
    with c.db.session() as s:
        sid, _csrf = accounts.start_session(s, accounts.get_user(s, name),
                                            client=client_of(request))
    resp = RedirectResponse(safe_target(weiter), status_code=303)
    resp.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="strict",
                    secure=request.url.scheme == "https", path="/")
    return resp


@router.post("/abmelden")
async def logout(request: Request) -> Response:
    await form_csrf(request)
    caller(request)
    with ctx().db.session() as s:
        accounts.end_session(s, request.cookies.get(SESSION_COOKIE, ""))
    resp = RedirectResponse("/anmelden", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


async def form_csrf(request: Request) -> None:
    form = await request.form()
    request.state.form_csrf = form.get("csrf")


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """The start page per role (efile.services.home): what is new in one's e-files, what
    waits in the inbox, one's open batches, or links to figures, audit and accounts."""
    me = caller(request)
    c = ctx()
    with audited(c.db, me.actor, Action.READ, object_type="home") as ev, c.db.session() as s:
        start = home_for(s, me.principal, policy())
        ev.details.update(start.counts)
        return page(request, "home.html", home=start, inbox_link=reads_inbox(me.principal))


@router.get("/kennzahlen", response_class=HTMLResponse)
def figures_page(request: Request) -> HTMLResponse:
    """Kennzahlen (the operators' figures): counts only, no client names or content."""
    me = caller(request)
    guard.need(me.principal, "figures.read")
    c = ctx()
    with audited(c.db, me.actor, Action.READ, object_type="figures"), c.db.session() as s:
        return page(request, "kennzahlen.html", f=operator_figures(s))


@router.get("/protokoll/notzugriffe", response_class=HTMLResponse)
def break_glass_page(request: Request) -> HTMLResponse:
    """Every break-glass use, for the data protection officer's review (audit.read)."""
    me = caller(request)
    guard.need(me.principal, "audit.read")
    c = ctx()
    with audited(c.db, me.actor, Action.AUDIT_READ, object_type="break_glass"), \
            c.db.session() as s:
        files = aktenzeichen_by_id(s)
        grants = [{"created_at": f"{g.created_at:%Y-%m-%d %H:%M}", "username": g.username,
                   "reason": g.reason, "aktenzeichen": files.get(g.efile_id),
                   "document_id": g.document_id, "expires_at": f"{g.expires_at:%H:%M}"}
                  for g in guard.break_glass_grants(s)]
        return page(request, "notzugriffe.html", grants=grants)


def oidc_enabled() -> bool:
    from ..access.oidc import client_from

    return client_from(ctx().settings) is not None


__all__ = ["EfileError", "error_page", "mount_static", "router"]
