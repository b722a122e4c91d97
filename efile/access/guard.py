"""Fetching one object for a person: found only if the policy lets them read it. An object
that exists but is not theirs to read answers exactly like one that does not exist (404), so
ids cannot be probed. Break-glass opens one document outside the rules, with a reason."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ..errors import Forbidden, NotFound
from ..models import Document, EFile, ScanBatch, utcnow
from .models import BreakGlassGrant
from .policy import Policy
from .rules import Principal, readable_batches, readable_documents, readable_efiles


def need(p: Principal, permission: str, *alternatives: str) -> None:
    """`p` holds `permission` or one of the `alternatives`, else Forbidden."""
    if not any(p.can(x) for x in (permission, *alternatives)):
        raise Forbidden(f"{p.username} may not do this ({' or '.join((permission, *alternatives))})")


def reason_text(header: str | None) -> str | None:
    """The break-glass reason as the person typed it. HTTP headers reach us decoded as
    Latin-1; a browser or client sends UTF-8, so 'Anhörung' arrives as 'AnhÃ¶rung': undo that
    (a value that is not UTF-8 stays as it came)."""
    if header is None:
        return None
    try:
        return header.encode("latin-1").decode("utf-8").strip()
    except (UnicodeEncodeError, UnicodeDecodeError):
        return header.strip()


_WORD = re.compile(r"[^\W\d_]{2,}")  # two or more letters, any script


def check_reason(reason: str, policy: Policy) -> None:
    """A reason of real words: enough characters (not bytes), enough words of letters, not
    one character repeated."""
    words = _WORD.findall(reason)
    if len(reason) < policy.break_glass_min_reason or \
            len(words) < policy.break_glass_min_words or \
            len(set(reason.casefold()) - {" "}) < 5:
        raise Forbidden(f"break-glass access needs a reason of at least "
                        f"{policy.break_glass_min_reason} characters and "
                        f"{policy.break_glass_min_words} words")


def _break_glass(session: Session, p: Principal, policy: Policy, doc: Document,
                 reason: str) -> None:
    """Allow `doc` by break-glass, or raise Forbidden. A reason opens ONE e-file (an unfiled
    document: that document) for `break_glass.window_minutes`; the same words cannot open a
    second one. Restricted categories only if the policy includes them."""
    if doc.restricted and "restricted" not in p.rights and not policy.break_glass_restricted:
        raise Forbidden("break-glass access does not open restricted categories (health data): "
                        "ask someone with the right 'restricted'")
    now = utcnow()
    scope = BreakGlassGrant.efile_id == doc.efile_id if doc.efile_id is not None else \
        and_(BreakGlassGrant.efile_id.is_(None), BreakGlassGrant.document_id == doc.id)
    live = session.scalar(select(BreakGlassGrant).where(
        BreakGlassGrant.username == p.username, scope, BreakGlassGrant.expires_at > now)
        .limit(1))
    if live is not None:
        return
    elsewhere = session.scalar(select(BreakGlassGrant.id).where(
        BreakGlassGrant.username == p.username, BreakGlassGrant.reason == reason,
        ~scope).limit(1))
    if elsewhere is not None:
        raise Forbidden("this break-glass reason was given for another e-file: one reason "
                        "opens one e-file; state the reason for this one")
    session.add(BreakGlassGrant(
        username=p.username, reason=reason[:500], efile_id=doc.efile_id,
        document_id=doc.id if doc.efile_id is None else None, created_at=now,
        expires_at=now + timedelta(minutes=policy.break_glass_window_minutes)))
    session.flush()


def document_for(session: Session, p: Principal, policy: Policy, ref: str, *,
                 break_glass: str | None = None) -> Document:
    """The document `ref` if `p` may read it; with a break-glass reason also outside the
    rules (right `break_glass`, a real reason, inside that reason's e-file and window; the
    caller records it as break-glass in the audit log)."""
    doc = session.scalar(select(Document).where(Document.id == ref,
                                                readable_documents(p, policy)))
    if doc is not None:
        return doc
    if break_glass is not None:
        if "break_glass" not in p.rights:
            raise Forbidden(f"{p.username} has no right to break-glass access")
        check_reason(break_glass, policy)
        doc = session.get(Document, ref)
        if doc is not None:
            _break_glass(session, p, policy, doc, break_glass)
            return doc
    raise NotFound(f"no document {ref}")


def break_glass_grants(session: Session, limit: int = 500) -> list[BreakGlassGrant]:
    """Every break-glass use, newest first: the data protection officer's review list."""
    return list(session.scalars(select(BreakGlassGrant)
                                .order_by(BreakGlassGrant.id.desc()).limit(limit)))


def efile_for(session: Session, p: Principal, policy: Policy, aktenzeichen: str) -> EFile:
    efile = session.scalar(select(EFile).where(EFile.aktenzeichen == aktenzeichen,
                                               readable_efiles(p, policy)))
    if efile is None:
        raise NotFound(f"no e-file with Aktenzeichen {aktenzeichen}")
    return efile


def batch_for(session: Session, p: Principal, batch_id: str) -> ScanBatch:
    """By its whole id only: a prefix search would tell which ids exist."""
    batch = session.scalar(select(ScanBatch).where(ScanBatch.id == batch_id,
                                                   readable_batches(p)))
    if batch is None:
        raise NotFound(f"no scan batch {batch_id}")
    return batch


def readable_in_efile(session: Session, p: Principal, policy: Policy,
                      efile: EFile) -> list[Document]:
    """The documents of an e-file that `p` may read, newest first."""
    return list(session.scalars(select(Document).where(
        Document.efile_id == efile.id, readable_documents(p, policy))
        .order_by(Document.created_at.desc())))
