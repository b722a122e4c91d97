"""The inbox (Posteingang): documents not filed with certainty, and the form that assigns one
to an e-file."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from classifiers.taxonomy import load as load_taxonomy

from ..access import guard
from ..access.rules import readable_documents, readable_efiles
from ..errors import InvalidQuery
from ..services import casework, inbox
from ..services.audit import Action, audited
from ..services.documents import type_name
from ..services.efiles import display_names
from .deps import caller, ctx, plain, policy
from .ui import form_csrf, page

router = APIRouter(include_in_schema=False)
INBOX_PAGE = 50  # the oldest first; each decided item makes room for the next


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
    await form_csrf(request)
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
