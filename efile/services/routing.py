"""Routing, the database half: collect the candidate persons the document's signals point
to (indexed exact lookups, then name + date of birth), and let classifiers.router decide."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from classifiers.identifiers import Identifiers
from classifiers.router import Candidate, Decision, Signals, decide
from classifiers.text import fold_words

from ..models import EFile, Person, PersonIdentifier


def signals_for(ids: Identifiers, mrz: dict | None, text: str = "") -> Signals:
    valid_mrz = mrz if mrz and mrz.get("valid") else None
    births = {date.fromisoformat(d) for d in ids.birth_dates}
    surnames = list(ids.surnames)
    if valid_mrz:
        if valid_mrz.get("birth_date"):
            births.add(date.fromisoformat(valid_mrz["birth_date"]))
        surnames.append(valid_mrz["surname"])
    return Signals(aktenzeichen=tuple(ids.aktenzeichen), azr_numbers=tuple(ids.azr_numbers),
                   passport_numbers=tuple(ids.passport_numbers), birth_dates=tuple(births),
                   surnames=tuple(surnames), mrz=valid_mrz, words=frozenset(fold_words(text)))


def _candidate(e: EFile) -> Candidate:
    p = e.person
    return Candidate(e.aktenzeichen, p.surname, p.given_names, p.birth_date,
                     tuple(p.passport_numbers or ()), p.azr_number)


def candidates(session: Session, s: Signals) -> list[Candidate]:
    person_ids: set[int] = set()
    numbers = [("passport", n) for n in s.passport_numbers] + [("azr", n) for n in s.azr_numbers]
    if s.mrz:
        numbers.append(("passport", s.mrz["document_number"]))
    if numbers:
        conds = [(PersonIdentifier.kind == k) & (PersonIdentifier.value == v) for k, v in numbers]
        person_ids |= set(session.scalars(select(PersonIdentifier.person_id).where(or_(*conds))))
    if s.birth_dates:  # name + date of birth: the date narrows 95,000 clients to a handful
        person_ids |= set(session.scalars(select(Person.id).where(
            Person.birth_date.in_(list(s.birth_dates)))))
    query = select(EFile).join(Person)
    conds = []
    if person_ids:
        conds.append(EFile.person_id.in_(person_ids))
    if s.aktenzeichen:
        conds.append(EFile.aktenzeichen.in_(list(s.aktenzeichen)))
    if not conds:
        return []
    return [_candidate(e) for e in session.scalars(query.where(or_(*conds)))]


def route(session: Session, ids: Identifiers, mrz: dict | None, text: str = "") -> Decision:
    signals = signals_for(ids, mrz, text)
    return decide(signals, candidates(session, signals))
