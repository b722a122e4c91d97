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
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from ..db import Database
from ..errors import AlreadyExists, AuthFailed, InvalidQuery, NotFound, Throttled
from ..models import as_utc, utcnow
from .models import ApiToken, LoginAttempt, User, WebSession
from .policy import RIGHTS, Policy
from .policy import load as load_policy
from .rules import Principal, principal

_hasher = PasswordHasher()
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 12


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


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


def _paused(session: Session, policy: Policy, *, username: str, client: str | None) -> bool:
    """Paused when the account had `login.max_failures` failures, or the address
    `login.address_max_failures` (across accounts), within the pause. Attempts refused during
    a pause are recorded as `throttled` and not counted: they never extend it."""
    since = utcnow() - timedelta(minutes=policy.login_pause_minutes)
    failed = and_(LoginAttempt.ok.is_(False), LoginAttempt.throttled.is_(False),
                  LoginAttempt.at >= since)
    by_user = session.scalar(select(func.count()).select_from(LoginAttempt).where(
        failed, LoginAttempt.username == username)) or 0
    by_client = session.scalar(select(func.count()).select_from(LoginAttempt).where(
        failed, LoginAttempt.client == client)) or 0 if client else 0
    return by_user >= policy.login_max_failures or \
        by_client >= policy.login_address_max_failures


def authenticate(session: Session, policy: Policy, username: str, password: str, *,
                 client: str | None) -> User:
    """The user for a correct password; AuthFailed (one message for every cause) or
    Throttled. Every attempt is recorded."""
    username = username.strip().lower()
    if not _NAME.match(username):  # no account has such a name; record it escaped (NUL!)
        username = username.encode("unicode_escape").decode()[:100]
    if _paused(session, policy, username=username, client=client):
        session.add(LoginAttempt(username=username, client=client, ok=False, throttled=True))
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
    end_sessions(session, user.username)  # signing in again ends the earlier session
    session.add(WebSession(id_hash=_sha(sid), username=user.username, csrf=csrf, client=client))
    return sid, csrf


def resume_session(session: Session, policy: Policy, sid: str) -> tuple[User, WebSession]:
    """The session's user; AuthFailed when it is unknown, ended, idle too long or too old."""
    ws = session.get(WebSession, _sha(sid)) if sid else None
    if ws is None or ws.ended_at is not None:
        raise AuthFailed("not signed in")
    now = utcnow()
    if now - as_utc(ws.last_seen) > timedelta(minutes=policy.session_idle_minutes) or \
            now - as_utc(ws.created_at) > timedelta(hours=policy.session_max_hours):
        ws.ended_at = now
        raise AuthFailed("the session has expired: please sign in again")
    user = session.get(User, ws.username)
    if user is None or not user.active:
        ws.ended_at = now
        raise AuthFailed("not signed in")
    ws.last_seen = now
    return user, ws


def end_sessions(session: Session, username: str) -> int:
    """End every open web session of a user (password change, deactivation, new sign-in)."""
    return session.execute(update(WebSession).where(
        WebSession.username == username, WebSession.ended_at.is_(None))
        .values(ended_at=utcnow())).rowcount


def end_session(session: Session, sid: str) -> None:
    ws = session.get(WebSession, _sha(sid)) if sid else None
    if ws is not None and ws.ended_at is None:
        ws.ended_at = utcnow()


# -- API tokens ------------------------------------------------------------------------------

def issue_token(session: Session, username: str, *, label: str = "", days: int = 90,
                policy: Policy | None = None) -> str:
    """A new token; when the user already holds `tokens.max_per_user` live ones, the oldest
    are revoked, so a stolen password cannot mint an unbounded number of them."""
    get_user(session, username)
    limit = (policy or load_policy()).max_tokens
    if not 1 <= days <= 365:
        raise InvalidQuery("a token lives 1 to 365 days")
    live = live_tokens(session, username)
    for old in live[:max(0, len(live) - limit + 1)]:
        old.revoked_at = utcnow()
    token = "efile_" + secrets.token_urlsafe(32)
    session.add(ApiToken(token_hash=_sha(token), username=username, label=label,
                         expires_at=utcnow() + timedelta(days=days)))
    session.flush()
    return token


def live_tokens(session: Session, username: str) -> list[ApiToken]:
    """Not revoked, not expired, oldest first."""
    return list(session.scalars(select(ApiToken).where(
        ApiToken.username == username, ApiToken.revoked_at.is_(None),
        ApiToken.expires_at > utcnow()).order_by(ApiToken.created_at, ApiToken.id)))


def token_dict(t: ApiToken) -> dict:
    return {"id": t.id, "label": t.label, "created_at": _iso(t.created_at),
            "expires_at": _iso(t.expires_at), "last_used_at": _iso(t.last_used_at),
            "revoked_at": _iso(t.revoked_at)}


def _iso(t: datetime | None) -> str | None:
    return as_utc(t).isoformat() if t else None


def revoke_tokens(session: Session, username: str, token_id: int | None = None) -> int:
    """Revoke one token of the user (by id) or all of them; the number revoked."""
    q = update(ApiToken).where(ApiToken.username == username, ApiToken.revoked_at.is_(None))
    if token_id is not None:
        if session.scalar(select(ApiToken.id).where(ApiToken.id == token_id,
                                                    ApiToken.username == username)) is None:
            raise NotFound(f"no token {token_id} of {username}")
        q = q.where(ApiToken.id == token_id)
    return session.execute(q.values(revoked_at=utcnow())).rowcount


def revoke_token_value(session: Session, token: str) -> None:
    """Revoke the token presented (logout of an API client)."""
    session.execute(update(ApiToken).where(ApiToken.token_hash == _sha(token),
                                           ApiToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


def set_password(session: Session, username: str, password: str) -> None:
    """A new password ends every session and token of the user: whoever held the old one
    is out."""
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    end_sessions(session, username)
    revoke_tokens(session, username)


def set_active(session: Session, username: str, active: bool) -> None:
    user = get_user(session, username)
    user.active = active
    if not active:
        end_sessions(session, username)
        revoke_tokens(session, username)


def user_dict(u: User) -> dict:
    return {"username": u.username, "name": u.display_name, "roles": u.roles, "teams": u.teams,
            "rights": u.rights, "deputy_for": u.deputy_for, "active": u.active,
            "last_login": _iso(u.last_login)}


def user_for_token(session: Session, token: str) -> User:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _sha(token))) \
        if token else None
    if row is None or row.revoked_at is not None:
        raise AuthFailed("invalid token")
    if as_utc(row.expires_at) < utcnow():
        raise AuthFailed("the token has expired")
    user = session.get(User, row.username)
    if user is None or not user.active:
        raise AuthFailed("invalid token")
    now = utcnow()  # written at most once a minute: no write per request
    if row.last_used_at is None or now - as_utc(row.last_used_at) > timedelta(minutes=1):
        row.last_used_at = now
    return user
