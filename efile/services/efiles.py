"""E-files (Akten) and the persons they belong to."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import EfileError, NotFound
from ..models import EFile, Person


class AlreadyExists(EfileError):
    exit_code = 2
    http_status = 409


def add_efile(session: Session, aktenzeichen: str, *, surname: str, given_names: str = "",
              birth_date: date | None = None, nationality: str | None = None,
              team: str | None = None) -> EFile:
    aktenzeichen = aktenzeichen.strip()
    if session.scalar(select(EFile).where(EFile.aktenzeichen == aktenzeichen)):
        raise AlreadyExists(f"e-file {aktenzeichen} exists already")
    person = Person(surname=surname, given_names=given_names, birth_date=birth_date,
                    nationality=nationality, passport_numbers=[])
    efile = EFile(aktenzeichen=aktenzeichen, person=person, team=team)
    session.add_all([person, efile])
    session.flush()
    return efile


def get_efile(session: Session, aktenzeichen: str) -> EFile:
    efile = session.scalar(select(EFile).where(EFile.aktenzeichen == aktenzeichen.strip()))
    if efile is None:
        raise NotFound(f"no e-file with Aktenzeichen {aktenzeichen}")
    return efile


def list_efiles(session: Session) -> list[EFile]:
    return list(session.scalars(select(EFile).order_by(EFile.aktenzeichen)))


def efile_dict(e: EFile) -> dict:
    p = e.person
    return {
        "aktenzeichen": e.aktenzeichen, "status": e.status, "team": e.team,
        "person": {"surname": p.surname, "given_names": p.given_names,
                   "birth_date": p.birth_date.isoformat() if p.birth_date else None,
                   "nationality": p.nationality},
        "documents": len(e.documents),
    }
