"""The person registry: the office's existing client list, imported from CSV so that routing
has someone to match documents against.

    aktenzeichen,surname,given_names,date_of_birth,nationality,azr_number,passport_numbers

ISO dates; several passport numbers separated by ";". Nationality as ISO 3166-1 alpha-3, ICAO
9303 code (D, XXA, GBN, UNO …) or Destatis 3-digit key (163), stored in one form
(efile.nationalities: ISO/ICAO alpha-3, D as DEU); a code none of them knows refuses the row. Re-importing updates a client in place
(found by Aktenzeichen) and never duplicates. Passport numbers are a history: a number once
known stays (a document showing the old passport still belongs to the client). A row that
would give another client's passport or AZR number to this one is refused with its line
number, and the rest of the file is imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..access.policy import load as load_policy
from ..errors import InputRejected
from ..models import EFile, Person, PersonIdentifier
from ..nationalities import UnknownNationality
from ..nationalities import normalise as normalise_nationality
from ..search.fold import fold

COLUMNS = ["aktenzeichen", "surname", "given_names", "date_of_birth", "nationality",
           "azr_number", "passport_numbers"]
_AZR = re.compile(r"^\d{12}$")
_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)  # {"line": n, "aktenzeichen", "error"}

    def to_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": len(self.errors), "errors": self.errors}


@dataclass
class Row:
    aktenzeichen: str
    surname: str
    given_names: str
    birth_date: date | None
    nationality: str | None
    azr_number: str | None
    passports: list[str]


class RowError(ValueError):
    pass


def parse_row(raw: dict[str, str], aktenzeichen_pattern: str) -> Row:
    def get(k: str) -> str:
        return (raw.get(k) or "").strip()

    az, surname = get("aktenzeichen"), get("surname")
    if not az:
        raise RowError("aktenzeichen is empty")
    m = re.search(aktenzeichen_pattern, az)
    if not m or m.group(0) != az:
        raise RowError(f"aktenzeichen {az!r} does not match the office's pattern")
    if not surname:
        raise RowError("surname is empty")
    birth = None
    if get("date_of_birth"):
        try:
            birth = date.fromisoformat(get("date_of_birth"))
        except ValueError:
            raise RowError(f"date_of_birth {get('date_of_birth')!r} is not an ISO date "
                           "(YYYY-MM-DD)") from None
    nat = None
    if get("nationality"):
        try:
            nat = normalise_nationality(get("nationality"))
        except UnknownNationality as e:
            raise RowError(str(e)) from None
    azr = get("azr_number").replace(" ", "") or None
    if azr and not _AZR.match(azr):
        raise RowError(f"azr_number {azr!r} is not 12 digits")
    passports = [p.strip().upper() for p in get("passport_numbers").split(";") if p.strip()]
    for p in passports:
        if not _PASSPORT.match(p):
            raise RowError(f"passport number {p!r} is not 5–20 letters and digits")
    return Row(az, surname, get("given_names"), birth, nat, azr, list(dict.fromkeys(passports)))


def import_csv(session: Session, data: bytes, *, aktenzeichen_pattern: str) -> ImportReport:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputRejected(f"the person list is not UTF-8 text: {e}") from e
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputRejected(f"the person list lacks the column(s) {', '.join(missing)}; "
                            f"expected header: {','.join(COLUMNS)}")
    efiles = {e.aktenzeichen: e for e in session.scalars(select(EFile))}
    owners = {(i.kind, i.value): i.person_id for i in session.scalars(select(PersonIdentifier))}
    report = ImportReport()
    seen: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        try:
            row = parse_row(raw, aktenzeichen_pattern)
            if row.aktenzeichen in seen:
                raise RowError(f"aktenzeichen {row.aktenzeichen} already on line "
                               f"{seen[row.aktenzeichen]}")
            seen[row.aktenzeichen] = line
            efile = efiles.get(row.aktenzeichen)
            person = efile.person if efile else None
            wanted = [("passport", p) for p in row.passports]
            if row.azr_number:
                wanted.append(("azr", row.azr_number))
            for key in wanted:
                owner = owners.get(key)
                if owner is not None and (person is None or owner != person.id):
                    other = session.get(Person, owner)
                    other_az = other.efiles[0].aktenzeichen if other and other.efiles else "?"
                    raise RowError(f"{key[0]} number {key[1]} belongs to {other_az}")
        except RowError as e:
            report.errors.append({"line": line, "aktenzeichen": (raw.get("aktenzeichen") or "")
                                  .strip(), "error": str(e)})
            continue
        is_new = person is None
        if person is None:
            person = Person(surname=row.surname)
            efile = EFile(aktenzeichen=row.aktenzeichen, person=person)
            session.add_all([person, efile])
            efiles[row.aktenzeichen] = efile
        changed = _apply(person, row)
        if is_new:  # once nationality and name are known: the caseload rules decide the team
            efiles[row.aktenzeichen].team = load_policy().team_for(person.surname,
                                                                   person.nationality)
        new_ids = [k for k in wanted if k not in owners]
        if new_ids and person.id is None:
            session.flush()
        for kind, value in new_ids:
            session.add(PersonIdentifier(person_id=person.id, kind=kind, value=value))
            owners[(kind, value)] = person.id
        if is_new:
            report.created += 1
        elif changed or new_ids:
            report.updated += 1
        else:
            report.unchanged += 1
    session.flush()
    return report


def _apply(person: Person, row: Row) -> bool:
    """Update the person from the row; True when anything changed. Passports accumulate."""
    passports = list(person.passport_numbers or [])
    passports += [p for p in row.passports if p not in passports]
    values = {"surname": row.surname, "given_names": row.given_names,
              "birth_date": row.birth_date, "nationality": row.nationality,
              "passport_numbers": passports,
              "name_folded": fold(f"{row.surname} {row.given_names}").strip()}
    if row.azr_number:
        values["azr_number"] = row.azr_number
    changed = False
    for k, v in values.items():
        if getattr(person, k) != v:
            setattr(person, k, v)
            changed = True
    return changed
