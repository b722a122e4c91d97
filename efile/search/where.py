"""Filters as SQLAlchemy conditions over Document, the same on every backend; only "this
document's text contains …" comes from the backend (FTS5 or tsvector)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, and_, case, false, not_, or_, select, true

from ..models import Document, EFile, Person, PersonIdentifier
from .terms import Filter, Query, Term

Contains = Callable[[Term], ColumnElement[bool]]


def _in_efiles(efile_ids, negated: bool) -> ColumnElement[bool]:  # noqa: ANN001 - a Select
    if negated:  # documents in the inbox belong to no e-file: never excluded by one
        return or_(Document.efile_id.is_(None), Document.efile_id.not_in(efile_ids))
    return Document.efile_id.in_(efile_ids)


def _holders(kind: str, numbers: tuple[str, ...]):  # noqa: ANN202 - a Select of e-file ids
    persons = select(PersonIdentifier.person_id).where(
        PersonIdentifier.kind == kind, PersonIdentifier.value.in_(numbers))
    return select(EFile.id).where(EFile.person_id.in_(persons))


def _efiles(numbers: tuple[str, ...]):  # noqa: ANN202
    # Aktenzeichen are printed in capitals; accept them typed in small letters too
    return select(EFile.id).where(EFile.aktenzeichen.in_({*numbers, *(n.upper() for n in numbers)}))


def _condition(f: Filter, contains: Contains) -> ColumnElement[bool]:
    if f.field == "type":
        cond = Document.doc_type.in_(f.values)
        return not_(cond) if f.negated else cond
    if f.field == "dated":
        parts = []
        if f.start:
            parts.append(Document.document_date >= f.start)
        if f.end:
            parts.append(Document.document_date <= f.end)
        return and_(true(), *parts)
    if f.field == "efile":
        return _in_efiles(_efiles(f.values), f.negated)
    if f.field == "birth":
        born = select(EFile.id).join(Person, EFile.person_id == Person.id).where(
            Person.birth_date.between(f.start, f.end))
        return _in_efiles(born, f.negated)
    if f.field in ("passport", "azr"):
        return _in_efiles(_holders(f.field, f.values), f.negated)
    if f.field == "identifier":
        kind, number = f.values
        owner = _efiles((number,)) if kind == "efile" else _holders(kind, (number,))
        assert f.text is not None
        if f.negated:  # an inbox document (no e-file) is excluded only by the printed number
            return and_(_in_efiles(owner, True), not_(contains(f.text)))
        return or_(_in_efiles(owner, False), contains(f.text))
    raise ValueError(f"unknown filter {f.field}")


def conditions(q: Query, contains: Contains,
               allowed: ColumnElement[bool] | None) -> ColumnElement[bool]:
    """Everything a document must satisfy besides the ranked words: the filters, the words
    it must not contain (anywhere in it, not just on one page), and what the user may read."""
    parts = [_condition(f, contains) for f in q.filters]
    parts += [not_(contains(t)) for t in q.excluded]
    if allowed is not None:
        # evaluated row by row, its subqueries (a team's e-files ...) hashed once: planners
        # otherwise turn them into joins probed row by row through an index, ten times the
        # cost when the newest matches are read in date order (measured: bench/RESULTS.md)
        parts.append(case((allowed, true()), else_=false()))
    return and_(true(), *parts)


def newest(where: ColumnElement[bool]):  # noqa: ANN201 - a Select
    """(id, type, date) of the documents passing `where`, newest first (ties: by id, so the
    order is total and every page a slice of it)."""
    return select(Document.id, Document.doc_type, Document.document_date).where(where).order_by(
        Document.document_date.desc(), Document.id.desc())
