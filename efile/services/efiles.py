"""E-files (Akten) and the persons they belong to."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, select, text
from sqlalchemy.orm import Session

from .. import nationalities
from ..access.policy import load as load_policy
from ..errors import AlreadyExists, InvalidQuery, NotFound
from ..models import EFile, Person, PersonIdentifier
from ..search.fold import fold


def add_efile(session: Session, aktenzeichen: str, *, surname: str, given_names: str = "",
              birth_date: date | None = None, nationality: str | None = None,
              team: str | None = None, passports: list[str] | tuple[str, ...] = (),
              azr_number: str | None = None) -> EFile:
    aktenzeichen = aktenzeichen.strip()
    if efile_by_aktenzeichen(session, aktenzeichen):
        raise AlreadyExists(f"e-file {aktenzeichen} exists already")
    passports = [p.strip().upper() for p in passports if p.strip()]
    if nationality:  # one stored form, as the registry import keeps it (D → DEU, 163 → TUR)
        try:
            nationality = nationalities.normalise(nationality)
        except nationalities.UnknownNationality as e:
            raise InvalidQuery(str(e)) from e
    person = Person(surname=surname, given_names=given_names, birth_date=birth_date,
                    nationality=nationality, passport_numbers=passports, azr_number=azr_number,
                    name_folded=fold(f"{surname} {given_names}").strip())
    # the caseload rules of the policy decide the team unless one is named
    team = team or load_policy().team_for(surname, nationality)
    efile = EFile(aktenzeichen=aktenzeichen, person=person, team=team)
    session.add_all([person, efile])
    session.add_all([PersonIdentifier(person=person, kind="passport", value=p) for p in passports])
    if azr_number:
        session.add(PersonIdentifier(person=person, kind="azr", value=azr_number))
    session.flush()
    return efile


def efile_by_aktenzeichen(session: Session, aktenzeichen: str) -> EFile | None:
    """The e-file with exactly this Aktenzeichen (as given: the caller strips), or None. Every
    reader of the register, access checks aside (those: guard.efile_for), comes here."""
    return session.scalar(select(EFile).where(EFile.aktenzeichen == aktenzeichen))


def team_of(session: Session, aktenzeichen: str) -> str | None:
    """The team responsible for the e-file; None for an Aktenzeichen that is no e-file."""
    efile = efile_by_aktenzeichen(session, aktenzeichen)
    return efile.team if efile is not None else None


def get_efile(session: Session, aktenzeichen: str) -> EFile:
    efile = efile_by_aktenzeichen(session, aktenzeichen.strip())
    if efile is None:
        raise NotFound(f"no e-file with Aktenzeichen {aktenzeichen}")
    return efile


def find_efiles(session: Session, name: str, *, limit: int = 10) -> list[tuple[EFile, float]]:
    """E-files whose client's name is like `name`, spelling variants included (Oeztürk,
    Öztürk, Ozturk), best first, with a similarity 0..1. Trigram similarity on PostgreSQL
    (pg_trgm, indexed); the same measure in Python on the embedded default."""
    q = fold(name).strip()
    if not q:
        return []
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            text("SELECT e.id, similarity(p.name_folded, :q) AS sim FROM persons p "
                 "JOIN efiles e ON e.person_id = p.id WHERE p.name_folded % :q "
                 "ORDER BY sim DESC, e.aktenzeichen LIMIT :limit"), {"q": q, "limit": limit}).all()
        return [(session.get(EFile, r[0]), round(float(r[1]), 3)) for r in rows]
    scored = []
    for e in session.scalars(select(EFile).join(Person)):
        sim = trigram_similarity(e.person.name_folded, q)
        if sim >= 0.3:  # pg_trgm's default threshold
            scored.append((e, round(sim, 3)))
    scored.sort(key=lambda t: (-t[1], t[0].aktenzeichen))
    return scored[:limit]


def _trigrams(s: str) -> set[str]:
    grams = set()
    for word in s.split():
        padded = f"  {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of both strings."""
    ta, tb = _trigrams(a), _trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


def list_efiles(session: Session, *, allowed: ColumnElement[bool] | None = None,
                name: str | None = None, limit: int | None = None) -> list[EFile]:
    """By Aktenzeichen; `allowed`: the access policy's condition over EFile (None: all, for
    the administrator's CLI); `name`: the client's folded name contains it."""
    q = select(EFile)
    if allowed is not None:
        q = q.where(allowed)
    if name:
        q = q.join(Person).where(Person.name_folded.like(f"%{fold(name).strip()}%"))
    return list(session.scalars(q.order_by(EFile.aktenzeichen).limit(limit)))


def efile_readable(session: Session, efile_id: int, allowed: ColumnElement[bool]) -> bool:
    """Whether the e-file with this id passes `allowed` (the access policy's condition)."""
    return session.scalar(select(EFile.id).where(EFile.id == efile_id, allowed)) is not None


def display_names(session: Session, aktenzeichen: set[str] | list[str],
                  allowed: ColumnElement[bool]) -> dict[str, str]:
    """Aktenzeichen → the client's display name, for those of these e-files `allowed` lets
    the reader see."""
    return {e.aktenzeichen: e.person.display_name for e in session.scalars(
        select(EFile).where(EFile.aktenzeichen.in_(aktenzeichen), allowed))}


def aktenzeichen_by_id(session: Session) -> dict[int, str]:
    """Every e-file's id → its Aktenzeichen."""
    return dict(session.execute(select(EFile.id, EFile.aktenzeichen)).all())


def efile_dict(e: EFile, *, count_documents: bool = True) -> dict:
    """Without count_documents: the register entry only (a reader's list counts only the
    documents that reader may see, and loading them all to count is wasted)."""
    p = e.person
    out = {
        "aktenzeichen": e.aktenzeichen, "status": e.status, "team": e.team,
        "person": {"surname": p.surname, "given_names": p.given_names,
                   "birth_date": p.birth_date.isoformat() if p.birth_date else None,
                   "nationality": p.nationality, "passports": list(p.passport_numbers or []),
                   "azr_number": p.azr_number},
    }
    if count_documents:
        out["documents"] = len(e.documents)
    return out
