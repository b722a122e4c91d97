"""Accounts and their sign-ins: local users (the embedded default; with OpenID Connect the
city's identity provider vouches for them), web sessions, API tokens and login attempts.

Secrets are never stored: passwords as Argon2id hashes, session ids and API tokens as
SHA-256 of a random value the client holds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..models import Base, utcnow


class User(Base):
    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(200))  # None: OIDC only
    oidc_subject: Mapped[str | None] = mapped_column(String(200), unique=True)
    roles: Mapped[list] = mapped_column(default=list)
    teams: Mapped[list] = mapped_column(default=list)
    rights: Mapped[list] = mapped_column(default=list)  # restricted | break_glass
    # standing in for other teams for a time: [{"team": "team-b", "until": "2026-12-31"}]
    deputy_for: Mapped[list] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login: Mapped[datetime | None]


class WebSession(Base):
    __tablename__ = "web_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    client: Mapped[str | None] = mapped_column(String(100))


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]  # migration 0009: shown by `efile users tokens`


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    client: Mapped[str | None] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    # refused inside a pause without checking the password (migration 0009): not counted,
    # so attempts during a pause can never extend it
    throttled: Mapped[bool] = mapped_column(Boolean, default=False)


class BreakGlassGrant(Base):
    """One break-glass use: a person, a reason, ONE e-file (or one unfiled document) and a
    window. Further documents of that e-file open within the window; anything else needs a
    reason of its own. Every grant is listed for the data protection officer's review."""

    __tablename__ = "break_glass_grants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    efile_id: Mapped[int | None] = mapped_column(Integer, index=True)
    document_id: Mapped[str | None] = mapped_column(String(32))  # an unfiled document
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
