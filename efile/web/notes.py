"""Notes (Vermerke) on a document: `GET/POST /api/documents/{id}/notes` and the document
page's form. Thin handlers over efile.services.notes, which decides who may write; reading
notes is reading the document (audited as that read), writing one is audited as
Action.NOTE with its outcome, refusals included."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..access.rules import Principal
from ..services import casework, notes
from ..services.audit import Action, Actor, audited
from .api import Me, needs
from .deps import caller, ctx, policy
from .ui_files import render_document

api_router = APIRouter(prefix="/api")
ui_router = APIRouter(include_in_schema=False)
WRITERS = " or ".join(notes.WRITERS)


class NoteBody(BaseModel):
    # control characters are refused by the service (with a message), line breaks allowed
    text: str = Field(max_length=notes.MAX_TEXT + 100)


@api_router.get("/documents/{doc_id}/notes", openapi_extra=needs(None, "document"))
def list_notes(doc_id: str, request: Request, me: Me) -> dict:
    """The document's notes, oldest first, each with its author's login and display name."""
    c = ctx()
    with casework.open_document(c.db, me.actor, me.principal, policy(), doc_id,
                                Action.READ) as (doc, s):
        return {"document_id": doc.id,
                "notes": [n.to_dict() for n in notes.list_notes(s, doc)]}


@api_router.post("/documents/{doc_id}/notes", status_code=201,
                 openapi_extra=needs(WRITERS, "document"))
def add_note(doc_id: str, body: NoteBody, request: Request, me: Me) -> dict:
    """Write a note (1–2000 characters) on a document one may read and works on."""
    return _write(me.actor, me.principal, doc_id, body.text)


def _write(actor: Actor, principal: Principal, doc_id: str, text: str) -> dict:
    c = ctx()
    with audited(c.db, actor, Action.NOTE, object_type="document", object_id=doc_id[:64],
                 details={"length": len(text or "")}) as ev, c.db.session() as s:
        note = notes.add_note(s, c.store, principal, policy(), doc_id, text)
        ev.object_id, ev.details["note_id"] = note.document_id, note.id
        return note.to_dict()


# -- the document page's form ------------------------------------------------------------------

@ui_router.post("/dokument/{doc_id}/vermerk", response_class=HTMLResponse)
async def note_form(request: Request, doc_id: str) -> Response:
    form = await request.form()
    request.state.form_csrf = form.get("csrf")
    text = form.get("text")
    return await run_in_threadpool(_note_form, request, doc_id,
                                   text if isinstance(text, str) else "")


def _note_form(request: Request, doc_id: str, text: str) -> Response:
    me = caller(request)
    try:
        _write(me.actor, me.principal, doc_id, text[:notes.MAX_TEXT + 100])
    except notes.NoteInvalid as e:
        # the page again, the text kept, the message beside the field
        return render_document(request, doc_id, status=400, note_error=e.de, note_text=text)
    return RedirectResponse(f"/dokument/{quote(doc_id)}?vermerk=gespeichert#vermerke",
                            status_code=303)


# one router for the app to include: the API's (in the OpenAPI document) and the form's
router = APIRouter()
router.include_router(api_router)
router.include_router(ui_router)
