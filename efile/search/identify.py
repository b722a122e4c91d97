"""Numbers typed as plain words: a word that is a client's passport or AZR number or an
Aktenzeichen becomes "this client's documents, or any document that prints it" (a letter in
the inbox quoting the number is found too). Whether it is one is looked up, not guessed from
its shape: passport numbers of many countries look like any other code, and a code that is
nobody's number stays a word to look for.

The lookup runs only inside what the user may read: a number counts as a client's when that
client's e-file holds a document the user may read. Otherwise it stays a plain word, exactly
like a number nobody holds: the answer (order, scores, count) must not tell a caseworker
that another team's client holds this passport, AZR number or Aktenzeichen."""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from ..models import Document, EFile, PersonIdentifier
from .terms import Filter, Query, Term

# a code: letters, digits and the separators of file numbers, at least one digit
_CODE = re.compile(r"(?=[^\d]*\d)[A-Za-z0-9./-]{5,64}")


def _candidate(group: tuple[Term, ...]) -> Term | None:
    if len(group) != 1:
        return None
    t = group[0]
    return t if t.token and not t.prefix and _CODE.fullmatch(t.token) else None


def _readable_efile(allowed: ColumnElement[bool] | None) -> ColumnElement[bool] | None:
    """EFile rows holding at least one document `allowed` lets the user read."""
    if allowed is None:
        return None
    return exists(select(Document.id).where(Document.efile_id == EFile.id, allowed))


def identify(session: Session, q: Query,
             allowed: ColumnElement[bool] | None = None) -> Query:
    tokens = {c.token for g in q.groups if (c := _candidate(g))}
    if not tokens:
        return q
    variants = {v for t in tokens for v in (t, t.upper())}  # a code has no spaces (_CODE)
    known: dict[str, tuple[str, str]] = {}
    # the kind first: the unique index (kind, value) answers it without a table scan
    readable = _readable_efile(allowed)
    holders = select(PersonIdentifier.kind, PersonIdentifier.value).where(
        PersonIdentifier.kind.in_(("passport", "azr")), PersonIdentifier.value.in_(variants))
    if readable is not None:
        holders = holders.where(PersonIdentifier.person_id.in_(
            select(EFile.person_id).where(readable)))
    for kind, value in session.execute(holders):
        known[value.upper()] = (kind, value)
    files = select(EFile.aktenzeichen).where(EFile.aktenzeichen.in_(variants))
    if readable is not None:
        files = files.where(readable)
    for az in session.scalars(files):
        known.setdefault(az.upper(), ("efile", az))
    if not known:
        return q
    groups, filters = [], list(q.filters)
    for g in q.groups:
        c = _candidate(g)
        if c is not None and c.token.upper() in known:
            filters.append(Filter("identifier", known[c.token.upper()], negated=c.negated,
                                  text=Term(c.words, raw=c.raw, token=c.token)))
        else:
            groups.append(g)
    return Query(tuple(groups), tuple(filters))
