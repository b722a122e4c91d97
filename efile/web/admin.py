"""The admin API (`/api/admin/...`): the accounts' lifecycle, as `efile users` does it on the
command line. Every route needs `users.manage`; every change is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from ..access import accounts, guard
from ..services import users
from ..services.audit import Action, audited
from .api import needs
from .deps import Caller, caller, ctx

router = APIRouter(prefix="/api/admin")
Me = Annotated[Caller, Depends(caller)]


@router.get("/users", openapi_extra=needs("users.manage"))
def list_users(me: Me) -> dict:
    guard.need(me.principal, "users.manage")
    with ctx().db.session() as s:
        return {"users": [accounts.user_dict(u) for u in users.list_users(s)]}


@router.get("/users/{username}/tokens", openapi_extra=needs("users.manage", "user"))
def list_tokens(username: str, me: Me) -> dict:
    guard.need(me.principal, "users.manage")
    with ctx().db.session() as s:
        accounts.get_user(s, username)
        return {"tokens": [accounts.token_dict(t) for t in accounts.live_tokens(s, username)]}


class RevokeBody(BaseModel):
    token_id: int | None = None  # None: every token of the user


@router.post("/users/{username}/tokens/revoke", openapi_extra=needs("users.manage", "user"))
def revoke(username: str, body: RevokeBody, request: Request, me: Me) -> dict:
    guard.need(me.principal, "users.manage")
    c = ctx()
    with audited(c.db, me.actor, Action.CHANGE, object_type="user", object_id=username[:64],
                 details={"revoke_token": body.token_id or "all"}), c.db.session() as s:
        return {"revoked": accounts.revoke_tokens(s, username, body.token_id)}


class ActiveBody(BaseModel):
    active: bool


@router.post("/users/{username}/active", openapi_extra=needs("users.manage", "user"))
def set_active(username: str, body: ActiveBody, request: Request, me: Me) -> dict:
    """Deactivate (every session and token ends) or reactivate an account."""
    guard.need(me.principal, "users.manage")
    c = ctx()
    with audited(c.db, me.actor, Action.CHANGE, object_type="user", object_id=username[:64],
                 details={"active": body.active}), c.db.session() as s:
        accounts.set_active(s, username, body.active)
        return accounts.user_dict(accounts.get_user(s, username))
