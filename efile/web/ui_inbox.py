"""The inbox (Posteingang, its items Klärfälle): documents not filed with certainty, and how a
person files one. The registry sees all of them; a caseworker the team's, those the router
proposed one of the team's e-files for.

A proposed e-file is assigned with one click (its button names the client). Any other
Aktenzeichen goes in two steps: the person looks the client up by name, birth date or
number, or types the Aktenzeichen, then sees whose file it is (name, date of birth, team)
and confirms. A wrong Aktenzeichen shows the item again with the input kept. After an
assignment the inbox offers to take it back (the corrections' undo, with a reason)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..access import guard
from ..access.policy import INBOX_ASSIGNERS, INBOX_READERS
from ..access.rules import readable_documents, readable_efiles
from ..errors import EfileError, NotFound
from ..services import casework, inbox
from ..services.audit import Action, audited
from ..services.documents import type_choices, type_name
from ..services.efiles import display_names
from .deps import caller, ctx, plain, policy
from .ui import form_csrf, page

router = APIRouter(include_in_schema=False)
INBOX_PAGE = 50  # the oldest first; each decided item makes room for the next



def _names(s, me, items: list[dict]) -> dict[str, str]:  # noqa: ANN001
    """The proposed clients' names, for the e-files the reader may see."""
    suggested = {x["aktenzeichen"] for i in items for x in i["suggestions"]}
    return display_names(s, suggested, readable_efiles(me.principal, policy()))


@router.get("/eingang", response_class=HTMLResponse)
def inbox_page(request: Request) -> HTMLResponse:
    me = caller(request)
    guard.need(me.principal, *INBOX_READERS)
    c = ctx()
    with audited(c.db, me.actor, Action.READ, object_type="inbox"), c.db.session() as s:
        readable = readable_documents(me.principal, policy())
        total = inbox.count_waiting(s, readable)
        items = [inbox.item_dict(i) for i in inbox.open_items(s, INBOX_PAGE, allowed=readable)]
        names = _names(s, me, items)
        assigned = None
        done = request.query_params.get("zugeordnet", "")[:64]
        if done:
            # the person's own decision a moment ago, nothing else: the id comes from the URL
            chosen = inbox.last_assignment(s, done, me.principal.username)
            if chosen:
                az = chosen["efile"]
                assigned = {"document_id": done, "aktenzeichen": az,
                            "name": display_names(s, [az], readable_efiles(
                                me.principal, policy())).get(az)}
        return page(request, "inbox.html", items=items, total=total, names=names,
                    types=type_choices(), assigned=assigned, team=not me.principal.can("inbox.read"))


@router.get("/eingang/{doc_id}", response_class=HTMLResponse)
def inbox_item_page(request: Request, doc_id: str, person: str = "") -> HTMLResponse:
    """One item, with the client lookup: `person` is a name, a birth date or a number."""
    query = plain(person[:200].strip(), "Suche")
    return _item_page(request, doc_id, query=query)


def _item_page(request: Request, doc_id: str, *, query: str = "", status: int = 200,
               error: str | None = None, form: dict | None = None) -> HTMLResponse:
    me = caller(request)
    guard.need(me.principal, *INBOX_READERS)
    c = ctx()
    with audited(c.db, me.actor, Action.READ, object_type="document",
                 object_id=doc_id[:64], details={"purpose": "inbox item"}), \
            c.db.session() as s:
        doc = guard.document_for(s, me.principal, policy(), doc_id)
        item = inbox.item_dict(inbox.find_item(s, doc.id))
        names = _names(s, me, [item])
    if item["state"] != "open":
        raise inbox.AlreadyResolved(f"document {doc_id} was already assigned to "
                                    f"{item['resolved_to']}")
    found = casework.look_up_clients(c.db, me.actor, me.principal, policy(), query) \
        if query else None
    return page(request, "inbox_item.html", status, it=item, names=names, types=type_choices(),
                query=query, found=found, error=error, form=form or {})


@router.post("/eingang/{doc_id}/zuordnen")
async def inbox_assign(request: Request, doc_id: str) -> Response:
    await form_csrf(request)
    form = await request.form()
    az = plain(str(form.get("aktenzeichen", ""))[:64].strip(), "Aktenzeichen")
    doc_type = plain(str(form.get("doc_type", ""))[:64].strip(), "Dokumenttyp") or None
    # one click on a proposal (its button names the client), or the second step of the form
    confirmed = form.get("bestaetigt") == "ja" or form.get("vorschlag") == "ja"
    return await run_in_threadpool(_assign, request, doc_id, az, doc_type, confirmed)


def _assign(request: Request, doc_id: str, az: str, doc_type: str | None,
            confirmed: bool) -> Response:
    me = caller(request)
    # refused before the form is judged, as ever
    guard.need(me.principal, *INBOX_ASSIGNERS)
    keep = {"aktenzeichen": az, "doc_type": doc_type or ""}
    if not az:
        return _item_page(request, doc_id, status=400, form=keep,
                          error="Bitte ein Aktenzeichen angeben oder die Person suchen.")
    c = ctx()
    try:
        if not confirmed:
            target = casework.assign_preview(c.db, me.actor, me.principal, policy(), doc_id, az)
            return page(request, "inbox_confirm.html", doc_id=doc_id, target=target,
                        doc_type=doc_type, type_label=type_name(doc_type) if doc_type else None)
        casework.assign(c.db, c.store, me.actor, me.principal, policy(), doc_id, az, doc_type)
    except NotFound as e:
        if f"Aktenzeichen {az}" not in str(e):
            raise  # the document itself: the 404 page, like any other
        return _item_page(request, doc_id, status=404, form=keep, error=(
            f"Keine Akte mit dem Aktenzeichen {az} gefunden, oder Sie dürfen sie nicht sehen. "
            "Bitte prüfen Sie die Eingabe oder suchen Sie die Person."))
    except EfileError as e:
        if type(e).__name__ != "UnknownType":
            raise
        return _item_page(request, doc_id, status=400, form=keep,
                          error="Bitte einen Dokumenttyp aus der Liste wählen.")
    return RedirectResponse(f"/eingang?zugeordnet={quote(doc_id)}", status_code=303)
