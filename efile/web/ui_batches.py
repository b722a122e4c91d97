"""The scan batches page (Stapel): what scanning staff scanned, for them and for operators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..access.rules import readable_batches, readable_documents
from ..services.audit import Action, audited
from ..services.batches import batch_dict, list_batches
from ..services.documents import readable_document_ids
from .deps import caller, ctx, policy
from .ui import page

router = APIRouter(include_in_schema=False)


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
