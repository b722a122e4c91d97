"""The REST API (`/api/...`): thin handlers over the services. Every object is fetched through
the access guard (a document someone may not read answers 404, like one that does not
exist), and every read, search, download and change is written to the audit log with its
outcome, refusals included.

Each route names the permission it needs in its OpenAPI entry (`x-permission`), so the
authorisation matrix test covers every endpoint, including new ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ..access import accounts, guard
from ..access import policy as policy_mod
from ..access.rules import readable_documents, readable_efiles
from ..models import Document
from ..services import audit, batches, casework, efiles, inbox
from ..services.audit import Action, audited
from ..services.batches import batch_dict
from ..services.documents import document_dict, download_name, read_file
from ..services.efiles import efile_dict
from ..services.figures import operator_figures
from .deps import Caller, actor_for, caller, client_of, ctx, disposition, policy, same_origin

T = TypeVar("T")
router = APIRouter(prefix="/api")
Me = Annotated[Caller, Depends(caller)]
BreakGlass = Annotated[str | None, Header(alias="X-Break-Glass-Reason", max_length=500)]


NEEDS_INBOX_READ = " or ".join(policy_mod.INBOX_READERS)  # the registry's inbox, or the team's
NEEDS_INBOX_ASSIGN = " or ".join(policy_mod.INBOX_ASSIGNERS)


def needs(permission: str | None, scope: str = "") -> dict:
    """The OpenAPI note the matrix test reads: the permission, and how objects are scoped."""
    return {"x-permission": permission or "signed-in", "x-scope": scope}


NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"  # a NUL byte cannot even be stored in PostgreSQL


class LoginBody(BaseModel):
    username: str = Field(max_length=100, pattern=NO_CONTROL)
    password: str = Field(max_length=500)
    label: str = Field("", max_length=200, pattern=NO_CONTROL)


@router.post("/auth/token", openapi_extra={"x-permission": "public", "x-scope": "public"})
def login_token(body: LoginBody, request: Request) -> dict:
    """An API token for a local account (throttled like the web login). A user holds at most
    `tokens.max_per_user` live tokens: a new one retires the oldest."""
    same_origin(request)
    c = ctx()
    name = accounts.sign_in(c.db, policy(), body.username, body.password,
                            client=client_of(request))
    with c.db.session() as s:
        token = accounts.issue_token(s, name, label=body.label or "api", policy=policy())
    return {"token": token, "token_type": "bearer"}


@router.post("/auth/logout", openapi_extra=needs(None))
def logout_token(request: Request, me: Me) -> dict:
    """Revoke the bearer token of this request (a web session: end it)."""
    auth = request.headers.get("authorization", "")
    with ctx().db.session() as s:
        if auth:
            accounts.revoke_token_value(s, auth.partition(" ")[2].strip())
        else:
            accounts.end_session(s, request.cookies.get("efile_session", ""))
    return {"signed_out": me.principal.username}


@router.get("/me", openapi_extra=needs(None))
def me(me: Me) -> dict:
    p = me.principal
    return {"username": p.username, "display_name": p.display_name, "roles": list(p.roles),
            "teams": list(p.teams), "caseload_teams": p.caseload_teams(),
            "rights": list(p.rights), "permissions": sorted(p.permissions)}


# -- documents -------------------------------------------------------------------------------

def _open_document(me: Caller, request: Request, doc_id: str, action: Action,
                   break_glass: str | None, fn: Callable[[Document, Any], T]) -> T:  # fn(doc, session)
    break_glass = guard.reason_text(break_glass)
    actor = actor_for(me.principal, request, break_glass=break_glass) if break_glass \
        else me.actor
    with casework.open_document(ctx().db, actor, me.principal, policy(), doc_id, action,
                                break_glass=break_glass) as (doc, s):
        return fn(doc, s)


@router.get("/documents/{doc_id}", openapi_extra=needs(None, "document"))
def get_document(doc_id: str, request: Request, me: Me, break_glass: BreakGlass = None) -> dict:
    return _open_document(me, request, doc_id, Action.READ, break_glass,
                          lambda d, _s: document_dict(d))


@router.get("/documents/{doc_id}/text", openapi_extra=needs(None, "document"))
def get_text(doc_id: str, request: Request, me: Me, break_glass: BreakGlass = None) -> dict:
    return _open_document(me, request, doc_id, Action.READ_TEXT, break_glass, lambda d, _s: {
        "document_id": d.id, "pages": [{"page": p.page_no, "text": p.text,
                                        "source": p.text_source} for p in d.pages]})


@router.get("/documents/{doc_id}/archive", openapi_extra=needs(None, "document"),
            response_class=Response)
def get_archive(doc_id: str, request: Request, me: Me,
                break_glass: BreakGlass = None) -> Response:
    """The PDF/A archive copy, shown inline (the web viewer)."""
    data = _open_document(me, request, doc_id, Action.READ_FILE, break_glass,
                          lambda d, _s: read_file(ctx().store, d))
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": "inline", "Cache-Control": "no-store"})


@router.get("/documents/{doc_id}/original", openapi_extra=needs(None, "document"),
            response_class=Response)
def get_original(doc_id: str, request: Request, me: Me,
                 break_glass: BreakGlass = None) -> Response:
    """The file as received, as a download."""
    got = _open_document(me, request, doc_id, Action.DOWNLOAD, break_glass,
                         lambda d, _s: (read_file(ctx().store, d, original=True),
                                        d.media_type, download_name(d, original=True)))
    data, media, name = got
    return Response(data, media_type=media, headers={
        "Content-Disposition": disposition("attachment", name), "Cache-Control": "no-store"})


class TypeBody(BaseModel):
    doc_type: str = Field(max_length=64, pattern=NO_CONTROL)


@router.post("/documents/{doc_id}/type", openapi_extra=needs("documents.reclassify",
                                                              "document"))
def set_type(doc_id: str, body: TypeBody, request: Request, me: Me) -> dict:
    guard.need(me.principal, "documents.reclassify")
    c = ctx()
    with audited(c.db, me.actor, Action.CHANGE, object_type="document", object_id=doc_id[:64],
                 details={"doc_type": body.doc_type}), c.db.session() as s:
        doc = guard.document_for(s, me.principal, policy(), doc_id)
        return document_dict(inbox.reclassify(s, c.store, doc.id, body.doc_type,
                                              actor=me.principal.username))


# -- search ----------------------------------------------------------------------------------

@router.get("/search", openapi_extra=needs("search", "documents"))
def search(request: Request, me: Me, q: Annotated[str, Query(max_length=500)],
           limit: Annotated[int, Query(ge=1, le=100)] = 20,
           offset: Annotated[int, Query(ge=0, le=10_000)] = 0) -> dict:
    from .. import search as search_mod
    from ..search.clients import client_query
    from ..search.spellings import spellings_of
    from ..services.person_search import find_clients

    guard.need(me.principal, "search")
    c = ctx()
    with audited(c.db, me.actor, Action.SEARCH, object_type="search",
                 details={"query": q, "offset": offset}) as ev:
        with c.db.session() as s:
            # additive: the clients the query names, among the e-files the caller may see;
            # their names as the register spells them are looked for in the documents too
            persons = find_clients(s, client_query(q),
                                   allowed=readable_efiles(me.principal, policy()))
            result = search_mod.search(s, q, limit=limit, offset=offset,
                                       allowed=readable_documents(me.principal, policy()),
                                       spellings=spellings_of(m.name for m in persons))
            out = result.to_dict()
            out["persons"] = [m.to_dict() for m in persons]
        ev.details["total"] = out.get("total")
        ev.details["persons"] = len(out["persons"])
    return out


# -- e-files ---------------------------------------------------------------------------------

@router.get("/efiles", openapi_extra=needs(None, "efiles"))
def list_efiles(request: Request, me: Me, name: Annotated[str | None, Query(max_length=200)] = None,
                limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict:
    c = ctx()
    with audited(c.db, me.actor, Action.READ, object_type="efiles",
                 details={"name": name}) as ev, c.db.session() as s:
        rows = efiles.list_efiles(s, allowed=readable_efiles(me.principal, policy()),
                                  name=name, limit=limit)
        ev.details["count"] = len(rows)
        return {"efiles": [efile_dict(e, count_documents=False) for e in rows]}


@router.get("/efiles/{aktenzeichen}", openapi_extra=needs(None, "efile"))
def get_efile(aktenzeichen: str, request: Request, me: Me) -> dict:
    with casework.view_efile(ctx().db, me.actor, me.principal, policy(), aktenzeichen) as v:
        info = efile_dict(v.efile, count_documents=False)
        info["documents"] = [{"document_id": d.id, "title": d.title, "type": d.doc_type,
                              "pages": d.page_count, "source": d.source,
                              "created_at": d.created_at.isoformat()} for d in v.documents]
        return info


# -- inbox -----------------------------------------------------------------------------------

@router.get("/inbox", openapi_extra=needs(NEEDS_INBOX_READ, "documents"))
def list_inbox(request: Request, me: Me) -> dict:
    guard.need(me.principal, *policy_mod.INBOX_READERS)
    c = ctx()
    with audited(c.db, me.actor, Action.READ, object_type="inbox") as ev, c.db.session() as s:
        items = inbox.open_items(s, None, allowed=readable_documents(me.principal, policy()))
        ev.details["count"] = len(items)
        return {"items": [inbox.item_dict(i) for i in items]}


class AssignBody(BaseModel):
    aktenzeichen: str = Field(max_length=64, pattern=NO_CONTROL)
    doc_type: str | None = Field(None, max_length=64, pattern=NO_CONTROL)


@router.post("/inbox/{doc_id}/assign", openapi_extra=needs(NEEDS_INBOX_ASSIGN, "document"))
def assign(doc_id: str, body: AssignBody, request: Request, me: Me) -> dict:
    c = ctx()
    return casework.assign(c.db, c.store, me.actor, me.principal, policy(), doc_id,
                           body.aktenzeichen, body.doc_type)


# -- scan batches ----------------------------------------------------------------------------

@router.get("/batches", openapi_extra=needs(None, "batches"))
def list_batches(request: Request, me: Me) -> dict:
    from ..access.rules import readable_batches

    c = ctx()
    with audited(c.db, me.actor, Action.READ, object_type="batches") as ev, \
            c.db.session() as s:
        rows = batches.list_batches(s, allowed=readable_batches(me.principal))
        ev.details["count"] = len(rows)
        return {"batches": [batch_dict(b, documents=False) for b in rows]}


@router.get("/batches/{batch_id}", openapi_extra=needs(None, "batch"))
def get_batch(batch_id: str, request: Request, me: Me) -> dict:
    c = ctx()
    with audited(c.db, me.actor, Action.READ, object_type="batch",
                 object_id=batch_id[:64]), c.db.session() as s:
        return batch_dict(guard.batch_for(s, me.principal, batch_id))


# -- figures and audit -----------------------------------------------------------------------

@router.get("/figures", openapi_extra=needs("figures.read"))
def figures(me: Me) -> dict:
    """Counts for operators: no names, no content."""
    guard.need(me.principal, "figures.read")
    c = ctx()
    with audited(c.db, me.actor, Action.READ, object_type="figures"), c.db.session() as s:
        return operator_figures(s)


@router.get("/audit", openapi_extra=needs("audit.read"))
def audit_events(request: Request, me: Me, user: str | None = None,
                 object_id: str | None = None, action: str | None = None,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict:
    guard.need(me.principal, "audit.read")
    c = ctx()
    with audited(c.db, me.actor, Action.AUDIT_READ, object_type="audit",
                 details={"user": user, "object_id": object_id, "action": action}), \
            c.db.session() as s:
        rows = audit.query(s, user=user, object_id=object_id, action=action, limit=limit)
        return {"events": [audit.event_dict(e) for e in rows]}


@router.get("/audit/verify", openapi_extra=needs("audit.read"))
def audit_verify(request: Request, me: Me) -> dict:
    guard.need(me.principal, "audit.read")
    c = ctx()
    with audited(c.db, me.actor, Action.AUDIT_VERIFY, object_type="audit"), c.db.session() as s:
        return audit.verify(s).to_dict()
