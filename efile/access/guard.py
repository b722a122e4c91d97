"""Fetching one object for a person: found only if the policy lets them read it. An object
that exists but is not theirs to read answers exactly like one that does not exist (404), so
ids cannot be probed. Break-glass opens one document outside the rules, with a reason."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Forbidden, NotFound
from ..models import Document, EFile, ScanBatch
from .policy import Policy
from .rules import Principal, readable_batches, readable_documents, readable_efiles


def need(p: Principal, permission: str) -> None:
    if not p.can(permission):
        raise Forbidden(f"{p.username} may not do this ({permission})")


def document_for(session: Session, p: Principal, policy: Policy, ref: str, *,
                 break_glass: str | None = None) -> Document:
    """The document `ref` if `p` may read it; with a break-glass reason also outside the
    rules (right `break_glass`; the caller records it as break-glass in the audit log)."""
    doc = session.scalar(select(Document).where(Document.id == ref,
                                                readable_documents(p, policy)))
    if doc is not None:
        return doc
    if break_glass is not None:
        if "break_glass" not in p.rights:
            raise Forbidden(f"{p.username} has no right to break-glass access")
        if len(break_glass.strip()) < policy.break_glass_min_reason:
            raise Forbidden(f"break-glass access needs a reason of at least "
                            f"{policy.break_glass_min_reason} characters")
        doc = session.get(Document, ref)
        if doc is not None:
            return doc
    raise NotFound(f"no document {ref}")


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
