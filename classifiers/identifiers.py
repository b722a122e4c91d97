"""Identifiers and facts printed on ABH documents, found in page text.

Aktenzeichen (file number, pattern configurable), AZR number (Ausländerzentralregister, the
federal register of foreigners: 12 digits), passport numbers, names and dates of birth next
to their labels, the letter date, the sender (a letter's letterhead), the employer, gross
salary. Every finding keeps the words it came from,
so a person deciding an inbox item sees why.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import asdict, dataclass, field
from datetime import date

from . import names

DEFAULT_AKTENZEICHEN = r"\bABH-\d{4}-\d{6}\b"

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
     "oktober", "november", "dezember"])}
_NUM_DATE = r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})"
_LONG_DATE = r"(\d{1,2})\.\s?(" + "|".join(_MONTHS) + r")\s(\d{4})"

_BIRTH = re.compile(r"(?:geboren\s+am|Geburtsdatum|Date\s+of\s+birth|geb\.(?:\s*am)?)\s*[:/]?\s*"
                    r"(?:[A-Za-z ]*:\s*)?" + _NUM_DATE, re.I)
_PASSPORT = re.compile(r"(?:Reisepassnummer|Pass-?Nr\.?|Passport\s+No\.?|Passnummer)"
                       r"[^:\n]{0,25}:\s*([A-Z0-9]{6,9})\b", re.I)
_AZR = re.compile(r"AZR(?:-Nummer|-Nr\.?|\s*Nr\.?)?\s*:?\s*(\d{3}\s?\d{3}\s?\d{3}\s?\d{3})\b", re.I)
_SURNAME = re.compile(r"(?:Familienname|(?:Soyad[ıi]\s*/\s*)?(?:Name\s*/\s*)?Surname)\s*:\s*"
                      r"([^\n]+)|^Name,\s*Vornamen?\s*:\s*([^,\n]+),", re.I | re.M)
_GIVEN = re.compile(r"(?<!, )(?:Vornamen?|Given\s+names)\s*:\s*([^\n]+)", re.I)
_LETTER_DATE = re.compile(r"^[A-ZÄÖÜ][\wäöüß.-]+,\s*(?:den\s+)?(?:" + _NUM_DATE + "|"
                          + _LONG_DATE + r")\s*$", re.M | re.I)
_EMPLOYER = re.compile(r"^(?:Arbeitgeber(?:in)?|Name des Arbeitgebers|Firma|Unternehmen)\s*:\s*"
                       r"([^\n]{3,80})$", re.I | re.M)
_LEGAL_FORM = re.compile(r"\b(?:GmbH|gGmbH|AG|KG|OHG|e\.\s?V\.|GmbH & Co\. KG|UG|SE)\b")
_SALUTATION = re.compile(r"^Sehr geehrte", re.M)
_GROSS = re.compile(r"(?:Bruttogehalt|Gesamtbrutto|Bruttolohn)[^\d\n]{0,30}([\d.]+(?:,\d{2})?)"
                    r"\s*(?:Euro|EUR|€)", re.I)


@dataclass
class Identifiers:
    aktenzeichen: list[str] = field(default_factory=list)
    azr_numbers: list[str] = field(default_factory=list)
    passport_numbers: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)  # ISO
    surnames: list[str] = field(default_factory=list)
    given_names: list[str] = field(default_factory=list)
    letter_date: str | None = None
    sender: str | None = None  # a letter's first line (letterhead), when it is a letter
    employer: str | None = None
    gross_salary_eur: float | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v}

    @property
    def empty(self) -> bool:
        return not self.to_dict()


def _iso(d: str, m: str, y: str) -> str | None:
    month = int(m) if m.isdigit() else _MONTHS.get(m.lower())
    try:
        return date(int(y), int(month or 0), int(d)).isoformat()
    except ValueError:
        return None


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _clean_name(s: str) -> str:
    return " ".join(s.replace("/", " ").split()).strip(" ,;")


def extract(text: str, *, aktenzeichen_pattern: str = DEFAULT_AKTENZEICHEN) -> Identifiers:
    ids = Identifiers()
    ids.aktenzeichen = _unique(re.findall(aktenzeichen_pattern, text))
    ids.azr_numbers = _unique([m.replace(" ", "") for m in _AZR.findall(text)])
    ids.passport_numbers = _unique([m.upper() for m in _PASSPORT.findall(text)])
    people = names.find(text)  # the ways letters and forms write a person (#20)
    ids.birth_dates = _unique([_iso(*m) for m in _BIRTH.findall(text)] + people.birth_dates)
    ids.surnames = _unique([_clean_name(a or b) for a, b in _SURNAME.findall(text)]
                           + people.surnames)
    ids.given_names = _unique([_clean_name(m) for m in _GIVEN.findall(text)]
                              + people.given_names)
    m = _LETTER_DATE.search(text)
    if m:
        g = m.groups()
        ids.letter_date = _iso(*g[0:3]) if g[0] else _iso(*g[3:6])
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if lines and _SALUTATION.search(text):
        ids.sender = lines[0][:120]
    m = _EMPLOYER.search(text)
    if m:
        ids.employer = _clean_name(m.group(1))
    elif ids.sender and _LEGAL_FORM.search(ids.sender):
        ids.employer = ids.sender  # a company's letter about a client: usually the employer
    g = _GROSS.search(text)
    if g:
        with contextlib.suppress(ValueError):
            ids.gross_salary_eur = float(g.group(1).replace(".", "").replace(",", "."))
    return ids
