"""Numbers typed as plain words: a word that is a client's passport or AZR number or an
Aktenzeichen becomes "this client's documents, or any document that prints it" (a letter in
the inbox quoting the number is found too). Whether it is one is looked up, not guessed from
its shape: passport numbers of many countries look like any other code, and a code that is
nobody's number stays a word to look for. The lookup reveals nothing by itself: the filter
is ANDed with what the user may read like every other."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import EFile, PersonIdentifier
from .terms import Filter, Query, Term

# a code: letters, digits and the separators of file numbers, at least one digit
_CODE = re.compile(r"(?=[^\d]*\d)[A-Za-z0-9./-]{5,64}")


def _candidate(group: tuple[Term, ...]) -> Term | None:
    if len(group) != 1:
        return None
    t = group[0]
    return t if t.token and not t.prefix and _CODE.fullmatch(t.token) else None


def identify(session: Session, q: Query) -> Query:
    tokens = {c.token for g in q.groups if (c := _candidate(g))}
    if not tokens:
        return q
    variants = {v for t in tokens for v in (t, t.upper())}  # a code has no spaces (_CODE)
    known: dict[str, tuple[str, str]] = {}
    # the kind first: the unique index (kind, value) answers it without a table scan
    for kind, value in session.execute(select(PersonIdentifier.kind, PersonIdentifier.value)
                                       .where(PersonIdentifier.kind.in_(("passport", "azr")),
                                              PersonIdentifier.value.in_(variants))):
        known[value.upper()] = (kind, value)
    for az in session.scalars(select(EFile.aktenzeichen).where(EFile.aktenzeichen.in_(variants))):
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
