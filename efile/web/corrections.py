"""Corrections in the API and on the document page: move a document to another e-file (or back
to the inbox), change its type, undo the last assignment or move. Thin handlers over
efile.services.corrections, which checks who may; every attempt is audited with its outcome.

The web forms go in two steps where a person must see whose file it is: the first POST shows
the target client's name and date of birth, the second (`bestaetigt`) changes. A wrong
Aktenzeichen or a missing reason shows the form again, with the input kept."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..access import guard
from ..access.rules import readable_documents
from ..errors import EfileError, NotFound
from ..services import corrections
from ..services.audit import Action, audited
from ..services.documents import readable_document_ids, readable_title, type_choices, type_name
from . import ui
from .api import NO_CONTROL, Me, needs
from .deps import caller, ctx, plain, policy

api_router = APIRouter(prefix="/api")
ui_router = APIRouter(include_in_schema=False)
MOVERS = "documents.reclassify or inbox.assign"


# the document page asks what to offer; the services check again on every request
ui.templates.env.globals.update(corrections=corrections.corrections_view,
                                correction_types=type_choices)


# -- API -------------------------------------------------------------------------------------

class MoveBody(BaseModel):
    aktenzeichen: str | None = Field(None, max_length=64, pattern=NO_CONTROL,
                                     description="the target e-file; null: back to the inbox")
    reason: str = Field(max_length=500, pattern=NO_CONTROL)
    dry_run: bool = Field(False, description="only show the target client, change nothing")


class RetypeBody(BaseModel):
    doc_type: str = Field(max_length=64, pattern=NO_CONTROL)
    reason: str = Field(max_length=500, pattern=NO_CONTROL)


class UndoBody(BaseModel):
    reason: str = Field("", max_length=500, pattern=NO_CONTROL)
    dry_run: bool = False


@api_router.post("/documents/{doc_id}/move", openapi_extra=needs(MOVERS, "document"))
def move(doc_id: str, body: MoveBody, request: Request, me: Me) -> dict:
    """Move a document to another e-file (or, with aktenzeichen null, back to the inbox),
    with a reason. `dry_run` answers whose file the target is (name, date of birth)."""
    c = ctx()
    action = Action.READ if body.dry_run else corrections.MOVE
    with audited(c.db, me.actor, action, object_type="document", object_id=doc_id[:64],
                 details={"aktenzeichen": body.aktenzeichen, "reason": body.reason,
                          "dry_run": body.dry_run}), c.db.session() as s:
        if body.dry_run:
            return corrections.preview_move(s, me.principal, policy(), doc_id,
                                            body.aktenzeichen)
        return corrections.move(s, c.store, me.principal, policy(), doc_id, body.aktenzeichen,
                                reason=body.reason)


@api_router.post("/documents/{doc_id}/retype", openapi_extra=needs("documents.reclassify",
                                                                    "document"))
def retype(doc_id: str, body: RetypeBody, request: Request, me: Me) -> dict:
    """Change a document's type, with a reason."""
    c = ctx()
    with audited(c.db, me.actor, corrections.RETYPE, object_type="document",
                 object_id=doc_id[:64], details={"doc_type": body.doc_type,
                                                 "reason": body.reason}), c.db.session() as s:
        return corrections.retype(s, c.store, me.principal, policy(), doc_id, body.doc_type,
                                  reason=body.reason)


@api_router.post("/documents/{doc_id}/undo-move", openapi_extra=needs(MOVERS, "document"))
def undo_move(doc_id: str, body: UndoBody, request: Request, me: Me) -> dict:
    """Undo the newest assignment or move: back to the e-file before it, or the inbox."""
    c = ctx()
    action = Action.READ if body.dry_run else corrections.UNDO
    with audited(c.db, me.actor, action, object_type="document", object_id=doc_id[:64],
                 details={"reason": body.reason, "dry_run": body.dry_run}), \
            c.db.session() as s:
        if body.dry_run:
            return corrections.undo_preview(s, me.principal, policy(), doc_id)
        return corrections.undo(s, c.store, me.principal, policy(), doc_id, reason=body.reason)


# -- the document page's forms -------------------------------------------------------------------

def _german(e: EfileError, az: str | None = None) -> str:
    if hasattr(e, "de"):
        return e.de
    if isinstance(e, NotFound) and az:
        return (f"Keine Akte mit dem Aktenzeichen {az} gefunden, oder Sie dürfen sie nicht "
                "sehen. Bitte prüfen Sie die Eingabe.")
    return "Das ist nicht möglich."


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    request.state.form_csrf = form.get("csrf")
    return {k: str(v) for k, v in form.items() if isinstance(v, str)}


def _after(request: Request, doc_id: str, done: str, place: str | None) -> str:
    """Where to go once it is done: the document, if the person may still read it, else the
    place it went to (the registry keeps the register, not the content)."""
    me = caller(request)
    with ctx().db.session() as s:
        readable = readable_document_ids(s, [doc_id], readable_documents(me.principal, policy()))
    if readable:
        return f"/dokument/{quote(doc_id)}?korrigiert={done}"
    if place:
        return f"/akte/{quote(place)}"
    return "/eingang" if me.principal.can("inbox.read") else "/"


def _doc_summary(request: Request, doc_id: str) -> dict:
    """The document as the person may see it (raises NotFound/Forbidden for the error page)."""
    me = caller(request)
    with ctx().db.session() as s:
        doc = corrections.document_to_correct(s, me.principal, policy(), doc_id)
        return {"document_id": doc.id, "type_name": type_name(doc.doc_type),
                "doc_type": doc.doc_type, "title": readable_title(doc),
                "efile": doc.efile.aktenzeichen if doc.efile else None}


def _page(request: Request, mode: str, doc: dict, status: int = 200, **data) -> HTMLResponse:  # noqa: ANN003
    return ui.page(request, "korrektur.html", status, mode=mode, doc=doc, types=type_choices(),
                   **data)


@ui_router.post("/dokument/{doc_id}/verschieben", response_class=HTMLResponse)
async def move_form(request: Request, doc_id: str) -> Response:
    form = await _form(request)
    return await run_in_threadpool(_move_form, request, doc_id, form)


def _move_form(request: Request, doc_id: str, form: dict[str, str]) -> Response:
    me = caller(request)
    c = ctx()
    to_inbox = form.get("ziel") == "eingang"
    az = None if to_inbox else plain(form.get("aktenzeichen", "")[:64].strip(), "Aktenzeichen")
    reason = plain(form.get("grund", "")[:500].strip(), "Grund") or ""
    doc = _doc_summary(request, doc_id)
    keep = {"aktenzeichen": az or "", "grund": reason, "ziel": "eingang" if to_inbox else "akte"}
    if not to_inbox and not az:
        return _page(request, "move", doc, 400, form=keep,
                     error="Bitte ein Aktenzeichen angeben oder „in den Posteingang“ wählen.")
    try:
        corrections.check_reason(reason)
        if form.get("bestaetigt") != "ja":
            with audited(c.db, me.actor, Action.READ, object_type="efile",
                         object_id=(az or "inbox")[:64],
                         details={"purpose": "confirm move", "document_id": doc["document_id"]}), \
                    c.db.session() as s:
                preview = corrections.preview_move(s, me.principal, policy(), doc_id, az)
            return _page(request, "move-confirm", doc, form=keep, preview=preview)
        with audited(c.db, me.actor, corrections.MOVE, object_type="document",
                     object_id=doc_id[:64], details={"aktenzeichen": az, "reason": reason}), \
                c.db.session() as s:
            done = corrections.move(s, c.store, me.principal, policy(), doc_id, az,
                                    reason=reason)
    except EfileError as e:
        if e.http_status not in (400, 404, 409):
            raise
        return _page(request, "move", doc, e.http_status, form=keep, error=_german(e, az))
    return RedirectResponse(_after(request, doc_id, "verschoben", done["efile"]),
                            status_code=303)


@ui_router.post("/dokument/{doc_id}/typ", response_class=HTMLResponse)
async def retype_form(request: Request, doc_id: str) -> Response:
    form = await _form(request)
    return await run_in_threadpool(_retype_form, request, doc_id, form)


def _retype_form(request: Request, doc_id: str, form: dict[str, str]) -> Response:
    me = caller(request)
    guard.need(me.principal, "documents.reclassify")
    c = ctx()
    doc_type = plain(form.get("doc_type", "")[:64].strip(), "Dokumenttyp") or ""
    reason = plain(form.get("grund", "")[:500].strip(), "Grund") or ""
    doc = _doc_summary(request, doc_id)
    keep = {"doc_type": doc_type, "grund": reason}
    try:
        corrections.check_reason(reason)
        with audited(c.db, me.actor, corrections.RETYPE, object_type="document",
                     object_id=doc_id[:64], details={"doc_type": doc_type, "reason": reason}), \
                c.db.session() as s:
            done = corrections.retype(s, c.store, me.principal, policy(), doc_id, doc_type,
                                      reason=reason)
    except EfileError as e:
        if e.http_status not in (400, 409):
            raise
        msg = "Bitte einen Dokumenttyp aus der Liste wählen." \
            if type(e).__name__ == "UnknownType" else _german(e)
        return _page(request, "retype", doc, e.http_status, form=keep, error=msg)
    return RedirectResponse(_after(request, doc_id, "typ", done["efile"]), status_code=303)


@ui_router.post("/dokument/{doc_id}/rueckgaengig", response_class=HTMLResponse)
async def undo_form(request: Request, doc_id: str) -> Response:
    form = await _form(request)
    return await run_in_threadpool(_undo_form, request, doc_id, form)


def _undo_form(request: Request, doc_id: str, form: dict[str, str]) -> Response:
    me = caller(request)
    c = ctx()
    reason = plain(form.get("grund", "")[:500].strip(), "Grund") or ""
    doc = _doc_summary(request, doc_id)
    keep, preview = {"grund": reason}, None
    try:
        if form.get("bestaetigt") != "ja":  # the client's data shown: a read, audited
            with audited(c.db, me.actor, Action.READ, object_type="document",
                         object_id=doc_id[:64], details={"purpose": "confirm undo"}), \
                    c.db.session() as s:
                preview = corrections.undo_preview(s, me.principal, policy(), doc_id)
            corrections.check_reason(reason)
            return _page(request, "undo-confirm", doc, form=keep, preview=preview)
        with c.db.session() as s:
            preview = corrections.undo_preview(s, me.principal, policy(), doc_id)
        corrections.check_reason(reason)
        with audited(c.db, me.actor, corrections.UNDO, object_type="document",
                     object_id=doc_id[:64], details={"reason": reason}), c.db.session() as s:
            done = corrections.undo(s, c.store, me.principal, policy(), doc_id, reason=reason)
    except EfileError as e:
        if e.http_status not in (400, 404, 409):
            raise
        return _page(request, "undo-confirm", doc, e.http_status, form=keep, preview=preview,
                     error=_german(e))
    return RedirectResponse(_after(request, doc_id, "rueckgaengig", done["efile"]),
                            status_code=303)
