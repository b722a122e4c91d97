"""Finding clients (persons and their e-files) by what a caseworker types: a name in any
spelling or script (Ozturk for Öztürk, Iwanowa for Иванова: efile.search.names), a birth
date (1979-05-02, 02.05.1979, 2.5.1979, or a year), a passport or AZR number, an
Aktenzeichen, or several of these ("Öztürk 02.05.1979": every part must hold).

Access is a condition of the query itself (`allowed`, over EFile: readable_efiles): a client
the reader may not see is never read, ranked or counted, so asking for another team's client
answers exactly what a name nobody has answers. Callers audit the lookup (Action.SEARCH or
Action.PERSON_LOOKUP); this module only reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Integer, case, literal, or_, select
from sqlalchemy.orm import Session

from ..errors import InvalidQuery
from ..models import EFile, Person, PersonIdentifier
from ..search.fold import fold
from ..search.names import SEPARATOR, word_key, words
from ..search.values import date_range

# a date as a caseworker writes a birth date: ISO, German with or without leading zeros, or
# a year alone
_DATE = re.compile(r"\d{4}(?:-\d{1,2}-\d{1,2})?|\d{1,2}\.\d{1,2}\.\d{4}")
# a number or file number: letters, digits and the separators of file numbers, one digit at
# least (as efile.search.identify)
_CODE = re.compile(r"(?=[^\d]*\d)[A-Za-z0-9./-]{5,64}")
_STRENGTH = ("aktenzeichen", "number", "name", "birth_date")  # what `matched` names first


@dataclass(frozen=True)
class ClientMatch:
    aktenzeichen: str
    surname: str
    given_names: str
    birth_date: date | None
    nationality: str | None  # ISO 3166-1 alpha-3
    team: str | None
    matched: str  # name | birth_date | number | aktenzeichen

    @property
    def name(self) -> str:
        return f"{self.surname} {self.given_names}".strip()

    def to_dict(self) -> dict:
        return {"aktenzeichen": self.aktenzeichen, "surname": self.surname,
                "given_names": self.given_names,
                "birth_date": self.birth_date.isoformat() if self.birth_date else None,
                "nationality": self.nationality, "team": self.team, "matched": self.matched}


@dataclass(frozen=True)
class ClientQuery:
    """A query split into what it asks of the client."""

    name_keys: tuple[str, ...] = ()
    name_words: tuple[str, ...] = ()  # folded, as typed: an exact spelling ranks first
    born: tuple[tuple[date, date], ...] = ()
    codes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.name_keys or self.born or self.codes)


def parse_client_query(query: str) -> ClientQuery | None:
    """The parts of `query`; None when it cannot match anyone (a date no calendar has)."""
    keys: list[str] = []
    folded: list[str] = []
    born: list[tuple[date, date]] = []
    codes: list[str] = []
    for token in query.split()[:20]:  # a name with more than 20 words is not a name
        if _DATE.fullmatch(token):
            try:
                born.append(date_range("geb", token))
            except InvalidQuery:
                return None
        elif _CODE.fullmatch(token):
            codes.append(token)
        else:
            for w in words(token):
                k = word_key(w)
                if k and k not in keys:
                    keys.append(k)
                    folded.append(fold(w))
    return ClientQuery(tuple(keys), tuple(folded), tuple(born), tuple(codes))


def _variants(code: str) -> set[str]:
    return {code, code.upper()}


def _code_condition(code: str) -> ColumnElement[bool]:
    holders = select(PersonIdentifier.person_id).where(
        PersonIdentifier.kind.in_(("passport", "azr")),
        PersonIdentifier.value.in_(_variants(code)))
    return or_(EFile.aktenzeichen.in_(_variants(code)), EFile.person_id.in_(holders))


def _word(key: str) -> str:
    # keys are letters and digits only (names.word_key): nothing to escape for LIKE
    return f"% {key} %"


def find_clients(session: Session, query: str, *, allowed: ColumnElement[bool],
                 limit: int = 10) -> list[ClientMatch]:
    """The clients (one row per e-file) matching every part of `query` among the e-files
    `allowed` (a condition over EFile: efile.access.rules.readable_efiles), best first: more
    of the words in the surname, then the spelling as typed, then by name as the phone book
    sorts it (Öztürk as Oeztuerk: the folded name, the same on every backend's collation)
    and Aktenzeichen."""
    q = parse_client_query(query)
    if q is None or q.empty or limit <= 0:
        return []
    conds: list[ColumnElement[bool]] = [allowed]
    conds += [Person.name_key.like(_word(k)) for k in q.name_keys]
    conds += [Person.birth_date.between(start, end) for start, end in q.born]
    conds += [_code_condition(c) for c in q.codes]
    in_surname = sum((case((Person.name_key.like(f"% {k} %{SEPARATOR}%"), 1), else_=0)
                      for k in q.name_keys), literal(0, Integer))
    as_typed = sum((case((Person.name_folded.like(f"%{w}%"), 1), else_=0)
                    for w in q.name_words if "%" not in w and "_" not in w),
                   literal(0, Integer))
    rows = session.execute(
        select(EFile.aktenzeichen, Person.surname, Person.given_names, Person.birth_date,
               Person.nationality, EFile.team)
        .join(Person, EFile.person_id == Person.id)
        .where(*conds)
        .order_by(in_surname.desc(), as_typed.desc(), Person.name_folded, EFile.aktenzeichen)
        .limit(limit)).all()
    akten = {a for c in q.codes for a in _variants(c)}
    kinds = [*(["name"] if q.name_keys else []), *(["birth_date"] if q.born else [])]
    out = []
    for az, surname, given, birth, nationality, team in rows:
        found = list(kinds)
        if q.codes:
            found.append("aktenzeichen" if az in akten else "number")
        matched = min(found, key=_STRENGTH.index)
        out.append(ClientMatch(az, surname, given or "", birth, nationality, team, matched))
    return out


def readable_aktenzeichen(session: Session, aktenzeichen: set[str],
                          allowed: ColumnElement[bool]) -> set[str]:
    """Those of these e-files `allowed` (over EFile) lets the reader open: a document hit
    links its e-file only then."""
    if not aktenzeichen:
        return set()
    return set(session.scalars(select(EFile.aktenzeichen).where(
        EFile.aktenzeichen.in_(aktenzeichen), allowed)))
