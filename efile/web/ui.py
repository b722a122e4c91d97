"""The German web UI: server-rendered pages over the same services and access guard as the
API. Sign-in starts a server-side session (cookie: HttpOnly, SameSite=Strict); every form
carries the session's CSRF token. Reads are audited exactly as in the API."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from classifiers.taxonomy import load as load_taxonomy

from ..access import accounts, guard
from ..access.rules import readable_batches, readable_documents, readable_efiles
from ..errors import AuthFailed, EfileError, InvalidQuery, Throttled
from ..services import casework, inbox
from ..services.audit import Action, audited
from ..services.batches import batch_dict, list_batches
from ..services.documents import document_dict, readable_document_ids, type_name
from ..services.efiles import aktenzeichen_by_id, display_names, efile_readable
from . import present
from .deps import (
    SESSION_COOKIE,
    caller,
    client_of,
    ctx,
    plain,
    policy,
    safe_target,
    same_origin,
)

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
present.install(templates.env)
router = APIRouter(include_in_schema=False)
INBOX_PAGE = 50  # the oldest first; each decided item makes room for the next


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
}


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    title, text = ERRORS.get(status, ("Fehler", "Ein Fehler ist aufgetreten."))
    if status == 403 and "CSRF" in message:
        text = ("Das Formular ist abgelaufen oder stammt nicht von dieser Seite. Bitte laden "
                "Sie die Seite neu und versuchen Sie es noch einmal.")
    back = "/eingang" if request.url.path.startswith("/eingang") else "/"
    return page(request, "error.html", status, title=title, text=text, detail=message,
                back=back)


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
    await _form_csrf(request)
    caller(request)
    with ctx().db.session() as s:
        accounts.end_session(s, request.cookies.get(SESSION_COOKIE, ""))
    resp = RedirectResponse("/anmelden", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


async def _form_csrf(request: Request) -> None:
    form = await request.form()
    request.state.form_csrf = form.get("csrf")


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    me = caller(request)
    if me.principal.can("search"):
        return RedirectResponse("/suche", status_code=303)
    if me.principal.can("batches.read_own") or me.principal.can("batches.read"):
        return RedirectResponse("/stapel", status_code=303)
    return page(request, "home.html")


@router.get("/suche", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", seite: str = "1") -> HTMLResponse:
    from .. import search as search_mod

    me = caller(request)
    guard.need(me.principal, "search")
    result, error = None, None
    page_no = max(1, min(int(seite), 500)) if seite.isdigit() and len(seite) < 6 else 1
    if q.strip():
        if len(q) > 500:
            raise InvalidQuery("the query is too long (at most 500 characters)")
        per_page = present.PER_PAGE
        c = ctx()
        try:
            with audited(c.db, me.actor, Action.SEARCH, object_type="search",
                         details={"query": q, "page": page_no}) as ev, c.db.session() as s:
                result = search_mod.search(s, q, limit=per_page, offset=(page_no - 1) * per_page,
                                           allowed=readable_documents(me.principal, policy()))
                result = result.to_dict()
                ev.details["total"] = result.get("total")
        except InvalidQuery as e:
            error = str(e)
    return page(request, "search.html", q=q, result=result, error=error, seite=page_no,
                href=present.search_href,
                facets=present.facet_groups(q, result["facets"]) if result else [],
                pages=present.pages(result["total"]) if result else 0)


@router.get("/akte/{aktenzeichen}", response_class=HTMLResponse)
def efile_page(request: Request, aktenzeichen: str) -> HTMLResponse:
    me = caller(request)
    with casework.view_efile(ctx().db, me.actor, me.principal, policy(), aktenzeichen) as v:
        groups: dict[str, list] = {}
        for d in v.documents:
            groups.setdefault(type_name(d.doc_type), []).append(d)
        return page(request, "efile.html", efile=v.efile, person=v.efile.person, groups=groups,
                    docs=v.documents)


@router.get("/dokument/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str) -> HTMLResponse:
    me = caller(request)
    c = ctx()
    with casework.open_document(c.db, me.actor, me.principal, policy(), doc_id,
                                Action.READ) as (doc, s):
        info = document_dict(doc)
        pages = [(p.page_no, p.text) for p in doc.pages]
        note = None
        # the note completed after quality control when there is one, else the first
        tn = doc.fields.get("transfer_note_final") or doc.fields.get("transfer_note")
        if tn:
            import json

            note = json.loads(c.store.get(tn["key"]))["note"]
        person = None  # the client's name only to those who may see the e-file itself
        if doc.efile_id is not None and efile_readable(
                s, doc.efile_id, readable_efiles(me.principal, policy())):
            person = doc.efile.person
        return page(request, "document.html", doc=info, pages=pages, note=note, person=person)


@router.get("/eingang", response_class=HTMLResponse)
def inbox_page(request: Request) -> HTMLResponse:
    me = caller(request)
    guard.need(me.principal, "inbox.read")
    c = ctx()
    with audited(c.db, me.actor, Action.READ, object_type="inbox"), c.db.session() as s:
        readable = readable_documents(me.principal, policy())
        total = inbox.count_waiting(s, readable)
        items = [inbox.item_dict(i) for i in inbox.open_items(s, INBOX_PAGE, allowed=readable)]
        suggested = {x["aktenzeichen"] for i in items for x in i["suggestions"]}
        names = display_names(s, suggested, readable_efiles(me.principal, policy()))
        assigned = None
        if request.query_params.get("zugeordnet"):
            # the person's own decision a moment ago, nothing else: the id comes from the URL
            assigned = inbox.last_assignment(s, request.query_params["zugeordnet"][:64],
                                             me.principal.username)
        types = sorted(((t, type_name(t)) for t in load_taxonomy().ids), key=lambda t: t[1])
        return page(request, "inbox.html", items=items, total=total, names=names, types=types,
                    assigned=(assigned or {}).get("efile"))


@router.post("/eingang/{doc_id}/zuordnen")
async def inbox_assign(request: Request, doc_id: str) -> Response:
    await _form_csrf(request)
    form = await request.form()
    az = plain(str(form.get("aktenzeichen", ""))[:64].strip(), "Aktenzeichen")
    doc_type = plain(str(form.get("doc_type", ""))[:64].strip(), "Dokumenttyp") or None
    await run_in_threadpool(_assign, request, doc_id, az, doc_type)  # blocking: off the loop
    return RedirectResponse(f"/eingang?zugeordnet={quote(doc_id)}", status_code=303)


def _assign(request: Request, doc_id: str, az: str, doc_type: str | None) -> None:
    me = caller(request)
    guard.need(me.principal, "inbox.assign")  # refused before the form is judged, as ever
    if not az:
        raise InvalidQuery("Bitte ein Aktenzeichen angeben.")
    c = ctx()
    casework.assign(c.db, c.store, me.actor, me.principal, policy(), doc_id, az, doc_type)


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


@router.get("/stapel", response_class=HTMLResponse)
def batches_page(request: Request) -> HTMLResponse:
    me = caller(request)
    c = ctx()
    with audited(c.db, me.actor, Action.READ, object_type="batches") as ev, \
            c.db.session() as s:
        rows = list_batches(s, allowed=readable_batches(me.principal))
        ev.details["count"] = len(rows)
        batches = [batch_dict(b, documents=True) for b in rows]
        ids = [d["document_id"] for b in batches for d in b["documents"] if d["document_id"]]
        # a link only where it opens: operators see the batches, not what was scanned
        readable = readable_document_ids(s, ids, readable_documents(me.principal, policy())) \
            if ids else set()
        return page(request, "batches.html", batches=batches, readable=readable)


@router.get("/dokument/{doc_id}/pdf")
def document_pdf(request: Request, doc_id: str) -> Response:
    from ..services.documents import read_file

    me = caller(request)
    c = ctx()
    with casework.open_document(c.db, me.actor, me.principal, policy(), doc_id,
                                Action.READ_FILE) as (doc, _s):
        data = read_file(c.store, doc)
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": "inline", "Cache-Control": "no-store"})


__all__ = ["EfileError", "error_page", "mount_static", "router"]
