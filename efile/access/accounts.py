"""Local accounts, sign-in with throttling, web sessions and API tokens.

Passwords are hashed with Argon2id (argon2-cffi's defaults follow RFC 9106's second
recommendation). A failed login never says whether the account exists. After
`login.max_failures` failures for an account or from an address within `login.pause_minutes`,
further attempts are refused for that pause, right password or not: online guessing costs
hours, not seconds. Session ids and API tokens are 256-bit random values; only their SHA-256
is stored, so a copy of the database opens nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db import Database
from ..errors import AlreadyExists, AuthFailed, InvalidQuery, NotFound, Throttled
from ..models import utcnow
from .models import ApiToken, LoginAttempt, User, WebSession
from .policy import RIGHTS, Policy
from .rules import Principal, principal

_hasher = PasswordHasher()
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 12


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)  # SQLite hands back naive times


def check_roles(policy: Policy, roles: list[str], teams: list[str], rights: list[str]) -> None:
    unknown = [r for r in roles if r not in policy.roles]
    if unknown:
        raise InvalidQuery(f"unknown role(s) {unknown}; the policy knows {sorted(policy.roles)}")
    unknown = [t for t in teams if t not in policy.teams]
    if unknown:
        raise InvalidQuery(f"unknown team(s) {unknown}; the policy knows {sorted(policy.teams)}")
    unknown = [r for r in rights if r not in RIGHTS]
    if unknown:
        raise InvalidQuery(f"unknown right(s) {unknown}; known: {sorted(RIGHTS)}")


def add_user(session: Session, policy: Policy, username: str, *, password: str | None,
             roles: list[str], teams: list[str] = (), rights: list[str] = (),
             display_name: str = "", oidc_subject: str | None = None) -> User:
    if not _NAME.match(username):
        raise InvalidQuery(f"user name {username!r}: 2–64 characters a–z, 0–9, . _ -")
    check_roles(policy, list(roles), list(teams), list(rights))
    if session.get(User, username) is not None:
        raise AlreadyExists(f"user {username} exists already")
    user = User(username=username, display_name=display_name or username, roles=list(roles),
                teams=list(teams), rights=list(rights), deputy_for=[], oidc_subject=oidc_subject,
                password_hash=hash_password(password) if password else None)
    session.add(user)
    session.flush()
    return user


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidQuery(f"a password needs at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def get_user(session: Session, username: str) -> User:
    user = session.get(User, username)
    if user is None:
        raise NotFound(f"no user {username}")
    return user


def principal_of(user: User, policy: Policy) -> Principal:
    return principal(user.username, roles=user.roles, teams=user.teams, rights=user.rights,
                     deputy_for=user.deputy_for, policy=policy, display_name=user.display_name)


def _recent_failures(session: Session, policy: Policy, *, username: str,
                     client: str | None) -> int:
    since = utcnow() - timedelta(minutes=policy.login_pause_minutes)
    by_user = session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.username == username, LoginAttempt.ok.is_(False), LoginAttempt.at >= since))
    by_client = session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.client == client, LoginAttempt.ok.is_(False),
        LoginAttempt.at >= since)) if client else 0
    return max(by_user or 0, by_client or 0)


def authenticate(session: Session, policy: Policy, username: str, password: str, *,
                 client: str | None) -> User:
    """The user for a correct password; AuthFailed (one message for every cause) or
    Throttled. Every attempt is recorded."""
    username = username.strip().lower()
    if not _NAME.match(username):  # no account has such a name; record it escaped (NUL!)
        username = username.encode("unicode_escape").decode()[:100]
    if _recent_failures(session, policy, username=username, client=client) \
            >= policy.login_max_failures:
        session.add(LoginAttempt(username=username, client=client, ok=False))
        raise Throttled(f"too many failed sign-ins: try again in {policy.login_pause_minutes} "
                        "minutes")
    user = session.get(User, username) if _NAME.match(username) else None
    ok = False
    if user is not None and user.active and user.password_hash:
        try:
            ok = _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password or "x")  # same cost whether or not the account exists
    session.add(LoginAttempt(username=username, client=client, ok=ok))
    if not ok:
        raise AuthFailed("user name or password is wrong")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login = utcnow()
    return user


def sign_in(db: Database, policy: Policy, username: str, password: str, *,
            client: str | None) -> str:
    """`authenticate` in a transaction of its own, committed also when the sign-in fails:
    a failed attempt always counts towards the pause. Returns the user's name."""
    with db.session() as s:
        try:
            return authenticate(s, policy, username, password, client=client).username
        except AuthFailed:
            s.commit()
            raise


# -- web sessions ----------------------------------------------------------------------------

def start_session(session: Session, user: User, *, client: str | None) -> tuple[str, str]:
    """(session id for the cookie, CSRF token for the forms)."""
    sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(WebSession(id_hash=_sha(sid), username=user.username, csrf=csrf, client=client))
    return sid, csrf


def resume_session(session: Session, policy: Policy, sid: str) -> tuple[User, WebSession]:
    """The session's user; AuthFailed when it is unknown, ended, idle too long or too old."""
    ws = session.get(WebSession, _sha(sid)) if sid else None
    if ws is None or ws.ended_at is not None:
        raise AuthFailed("not signed in")
    now = utcnow()
    if now - _aware(ws.last_seen) > timedelta(minutes=policy.session_idle_minutes) or \
            now - _aware(ws.created_at) > timedelta(hours=policy.session_max_hours):
        ws.ended_at = now
        raise AuthFailed("the session has expired: please sign in again")
    user = session.get(User, ws.username)
    if user is None or not user.active:
        ws.ended_at = now
        raise AuthFailed("not signed in")
    ws.last_seen = now
    return user, ws


def end_session(session: Session, sid: str) -> None:
    ws = session.get(WebSession, _sha(sid)) if sid else None
    if ws is not None and ws.ended_at is None:
        ws.ended_at = utcnow()


# -- API tokens ------------------------------------------------------------------------------

def issue_token(session: Session, username: str, *, label: str = "", days: int = 90) -> str:
    get_user(session, username)
    token = "efile_" + secrets.token_urlsafe(32)
    session.add(ApiToken(token_hash=_sha(token), username=username, label=label,
                         expires_at=utcnow() + timedelta(days=days)))
    return token


def user_for_token(session: Session, token: str) -> User:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _sha(token))) \
        if token else None
    if row is None or row.revoked_at is not None:
        raise AuthFailed("invalid token")
    if _aware(row.expires_at) < utcnow():
        raise AuthFailed("the token has expired")
    user = session.get(User, row.username)
    if user is None or not user.active:
        raise AuthFailed("invalid token")
    return user
