"""The search page: one box, hits with snippets and facets, paging; every search audited."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..access import guard
from ..access.rules import readable_documents
from ..errors import InvalidQuery
from ..services.audit import Action, audited
from . import present
from .deps import caller, ctx, policy
from .ui import page

router = APIRouter(include_in_schema=False)


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
