"""An e-file's page, a document's page and its PDF: each read through the same access check
and audit as the API (efile.services.casework)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..access.rules import readable_efiles
from ..services import casework
from ..services.audit import Action
from ..services.documents import document_dict, read_file, type_name
from ..services.efiles import efile_readable
from .deps import caller, ctx, policy
from .ui import page

router = APIRouter(include_in_schema=False)


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
            note = json.loads(c.store.get(tn["key"]))["note"]
        person = None  # the client's name only to those who may see the e-file itself
        if doc.efile_id is not None and efile_readable(
                s, doc.efile_id, readable_efiles(me.principal, policy())):
            person = doc.efile.person
        return page(request, "document.html", doc=info, pages=pages, note=note, person=person)


@router.get("/dokument/{doc_id}/pdf")
def document_pdf(request: Request, doc_id: str) -> Response:
    me = caller(request)
    c = ctx()
    with casework.open_document(c.db, me.actor, me.principal, policy(), doc_id,
                                Action.READ_FILE) as (doc, _s):
        data = read_file(c.store, doc)
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": "inline", "Cache-Control": "no-store"})
