"""Deliver an event to the office's webhook (a team's mailbox robot, the procedure system):
JSON, signed with HMAC-SHA256 over the body when a secret is configured
(`X-Efile-Signature: sha256=<hex>`), a short timeout; the error, if any, is returned for the
event's record, never raised: a slow receiver must not hold up an upload."""

from __future__ import annotations

import hashlib
import hmac

import httpx


def signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(url: str, body: bytes, *, secret: str | None, timeout: float = 5.0) -> str | None:
    headers = {"Content-Type": "application/json"}
    if secret:
        headers["X-Efile-Signature"] = signature(body, secret)
    try:
        r = httpx.post(url, content=body, headers=headers, timeout=timeout)
    except httpx.HTTPError as e:
        return f"webhook {url} unreachable: {e}"
    return None if r.is_success else f"webhook {url} answered {r.status_code}"
