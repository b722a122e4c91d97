"""The register of accounts, for the administrator (web admin API and `efile users`); signing
in, sessions and tokens themselves are efile/access/accounts.py."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..access.accounts import live_tokens
from ..access.models import ApiToken, User


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def user_tokens(session: Session, username: str, *, show_all: bool = False) -> list[ApiToken]:
    """The user's live API tokens; with show_all the revoked and expired ones too, by id."""
    if not show_all:
        return live_tokens(session, username)
    return list(session.scalars(select(ApiToken).where(ApiToken.username == username)
                                .order_by(ApiToken.id)))


def people_names(session: Session, logins: set[str]) -> dict[str, str]:
    """Login → the person's display name, for those accounts that have one (pages name
    people, not logins)."""
    if not logins:
        return {}
    rows = session.execute(select(User.username, User.display_name)
                           .where(User.username.in_(logins)))
    return {u: n for u, n in rows if n}
