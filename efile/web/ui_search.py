"""The search page: one box, the matching clients (Akten) above the document hits with
snippets and facets, paging; every search audited.

Facet filters travel as their own parameters (typ=, jahr=), shown as removable chips, so the
box keeps what the person typed and never a machine id."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..access import guard
from ..access.rules import readable_documents, readable_efiles
from ..errors import InvalidQuery
from ..search.clients import client_query
from ..search.spellings import spellings_of
from ..services.audit import Action, audited
from ..services.person_search import find_clients, readable_aktenzeichen
from . import present
from . import search_present as sp
from .deps import caller, ctx, policy
from .ui import page

router = APIRouter(include_in_schema=False)
MAX_QUERY = 500


@router.get("/suche", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", seite: str = "1", typ: str = "",
                jahr: str = "") -> HTMLResponse:
    from .. import search as search_mod

    me = caller(request)
    guard.need(me.principal, "search")
    result, error, persons, linked = None, None, [], set()
    page_no = max(1, min(int(seite), 500)) if seite.isdigit() and len(seite) < 6 else 1
    filters = sp.clean_filters(typ, jahr)
    query = filters.query(q)
    if len(q) > MAX_QUERY:
        error = sp.german_error("the query is too long")
    elif query:
        per_page = present.PER_PAGE
        c, pol = ctx(), policy()
        try:
            with audited(c.db, me.actor, Action.SEARCH, object_type="search",
                         details={"query": query, "page": page_no}) as ev, c.db.session() as s:
                efiles_allowed = readable_efiles(me.principal, pol)
                persons = find_clients(s, client_query(q), allowed=efiles_allowed)
                found = search_mod.search(s, query, limit=per_page,
                                          offset=(page_no - 1) * per_page,
                                          allowed=readable_documents(me.principal, pol),
                                          spellings=spellings_of(m.name for m in persons))
                linked = readable_aktenzeichen(s, {h.efile for h in found.hits if h.efile},
                                               efiles_allowed)
                result = found.to_dict()
                ev.details["total"] = result.get("total")
                ev.details["persons"] = len(persons)
        except InvalidQuery as e:
            error = sp.german_error(str(e))
    href = lambda q_, n=1: sp.search_href(q_, n, filters)  # noqa: E731 - the pager's links
    return page(request, "search.html", q=q, result=result, error=error, seite=page_no,
                href=href, chips=sp.chips(q, filters), filters=filters,
                persons=sp.person_rows(persons), linked=linked,
                facets=sp.facet_groups(q, result["facets"], filters) if result else [],
                pages=present.pages(result["total"]) if result else 0)
