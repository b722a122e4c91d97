"""The values of the query language's filters: dates as a caseworker writes them, document
types by id or German name, Aktenzeichen, passport and AZR numbers. A value that is not one
is refused with what was expected (InvalidQuery: exit code 2, HTTP 400)."""

from __future__ import annotations

import calendar
import re
from datetime import date

from classifiers.taxonomy import load as load_taxonomy

from ..errors import InvalidQuery
from .fold import fold, fold_words
from .terms import Filter

EXAMPLES = {"az": "az:ABH-2024-000123", "typ": "typ:arbeitsvertrag", "geb": "geb:14.03.1990",
            "von": "von:2024-03", "bis": "bis:31.12.2024", "datum": "datum:2024",
            "pass": "pass:C01X00T47", "azr": "azr:123456789012"}

_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_GERMAN = re.compile(r"(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})")
_AKTENZEICHEN = re.compile(r"[\w./ -]{1,64}")
_PASSPORT = re.compile(r"[A-Z0-9]{5,20}")


def date_range(key: str, value: str) -> tuple[date, date]:
    """The first and last day of a year (2024), a month (2024-03, 03.2024) or a day
    (2024-03-14, 14.03.2024)."""
    iso, german = _ISO.fullmatch(value), _GERMAN.fullmatch(value)
    if iso:
        year, month, day = iso.groups()
    elif german:
        day, month, year = german.groups()
    else:
        raise InvalidQuery(f"{key}:{value} is not a date; write a year (2024), a month "
                           "(2024-03 or 03.2024) or a day (2024-03-14 or 14.03.2024)")
    y = int(year)
    try:
        if month is None:
            return date(y, 1, 1), date(y, 12, 31)
        m = int(month)
        if day is None:
            return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
        d = date(y, m, int(day))
        return d, d
    except (ValueError, calendar.IllegalMonthError):
        raise InvalidQuery(f"{key}:{value} is not a date of the calendar") from None


def _resolve_type(value: str) -> str:
    """A taxonomy id, or the one type whose German name is, begins with or contains as a
    word what was typed (typ:arbeitsvertrag, typ:Duldung, typ:Personalausweis)."""
    tax = load_taxonomy()
    if value in tax:
        return value
    wanted = fold(value).strip()
    if wanted in tax:
        return wanted
    wanted_words = fold_words(value)

    def parts(name: str) -> list[list[str]]:
        return [fold_words(p) for p in re.split(r"\s/\s|\(|\)", name) if p.strip()]

    for rule in (lambda t: fold_words(t.name) == wanted_words,
                 lambda t: wanted_words in parts(t.name),
                 lambda t: all(w in fold_words(t.name) for w in wanted_words)):
        found = [t for t in tax.types if rule(t)]
        if len(found) == 1:
            return found[0].id
        if found:
            names = "; ".join(f"{t.id} ({t.name})" for t in found)
            raise InvalidQuery(f"typ:{value} fits several document types: {names}")
    raise InvalidQuery(f"typ:{value} is no document type; `efile types` lists them")


def _aktenzeichen(value: str) -> str:
    if not _AKTENZEICHEN.fullmatch(value):
        raise InvalidQuery(f"az:{value} is not an Aktenzeichen (e.g. {EXAMPLES['az']})")
    return value


def normal_identifier(kind: str, value: str) -> str:
    if kind == "azr":
        digits = value.replace(" ", "")
        if not (digits.isdigit() and len(digits) == 12):
            raise InvalidQuery(f"azr:{value} is not an AZR number (12 digits)")
        return digits
    if kind == "passport":
        number = value.upper()
        if not _PASSPORT.fullmatch(number):
            raise InvalidQuery(f"pass:{value} is not a passport number (5 to 20 letters and "
                               f"digits, e.g. {EXAMPLES['pass']})")
        return number
    return _aktenzeichen(value)


def filter_for(key: str, field: str, value: str, negated: bool) -> Filter:
    if field == "birth":
        start, end = date_range(key, value)
        return Filter(field, start=start, end=end, negated=negated)
    if field == "type":
        return Filter(field, (_resolve_type(value),), negated=negated)
    kind = {"efile": "efile", "passport": "passport", "azr": "azr"}[field]
    return Filter(field, (normal_identifier(kind, value),), negated=negated)


def dated_filter(given: dict[str, tuple[date, date]]) -> Filter:
    """von:, bis: and datum: as one range: from the start of von's period (or datum's) to
    the end of bis's (or datum's)."""
    starts = [given[k][0] for k in ("von", "datum") if k in given]
    ends = [given[k][1] for k in ("bis", "datum") if k in given]
    start, end = (max(starts) if starts else None), (min(ends) if ends else None)
    if start and end and start > end:
        raise InvalidQuery(f"the dates exclude each other: from {start:%d.%m.%Y} "
                           f"until {end:%d.%m.%Y}")
    return Filter("dated", start=start, end=end)
