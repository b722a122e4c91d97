"""What the search page shows beside the hits: the matching clients (Akten) as lines a
caseworker recognises, the facets as German type names that filter without writing machine
ids into the search box (the filter travels as its own URL parameter, shown as a removable
chip), and the query language's errors in German."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup, escape

from ..search.hits import type_name
from ..services.person_search import ClientMatch
from .present import PER_PAGE, de_date, nationality, team_label

__all__ = ["PER_PAGE", "Chip", "FacetGroup", "clean_filters", "facet_groups", "german_error",
           "person_rows", "search_href"]

_TYPE_ID = re.compile(r"[a-z0-9_]{1,64}")
_YEAR = re.compile(r"(19|20)\d{2}")


@dataclass(frozen=True)
class Filters:
    """The facet filters of the page, outside the typed query: typ= (a type id), jahr=."""

    typ: str = ""
    jahr: str = ""

    def query(self, q: str) -> str:
        """The query the search runs: what was typed, and the chosen facets."""
        extra = [f"typ:{self.typ}" if self.typ else "", f"datum:{self.jahr}" if self.jahr else ""]
        return " ".join(p for p in (q.strip(), *extra) if p)


def clean_filters(typ: str, jahr: str) -> Filters:
    """Only values a facet link writes: a type id, a year; anything else is dropped, so a
    URL cannot smuggle more of the query language in."""
    return Filters(typ if _TYPE_ID.fullmatch(typ) else "", jahr if _YEAR.fullmatch(jahr) else "")


def search_href(q: str, page: int = 1, filters: Filters = Filters()) -> str:
    params: dict[str, str | int] = {"q": q}
    if filters.typ:
        params["typ"] = filters.typ
    if filters.jahr:
        params["jahr"] = filters.jahr
    if page > 1:
        params["seite"] = page
    return "/suche?" + urlencode(params)


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    href: str
    active: bool


@dataclass(frozen=True)
class FacetGroup:
    title: str
    links: list[FacetLink]
    clear_href: str | None  # set while one of its values filters the results


@dataclass(frozen=True)
class Chip:
    label: str  # "Dokumenttyp: Mietvertrag"
    href: str  # the same search without it


def _typed(q: str, token: str) -> bool:
    return token in q.split()


def _without(q: str, token: str) -> str:
    return " ".join(t for t in q.split() if t != token)


def facet_groups(q: str, facets: dict[str, list[dict]], f: Filters) -> list[FacetGroup]:
    """Each facet value as a link setting that filter (one value per group: a click on
    another type replaces it); the chosen one marked, its group offering to remove it."""
    out = []
    for name, title, attr, key in (("type", "Dokumenttyp", "typ", "typ"),
                                   ("year", "Jahr", "jahr", "datum")):
        values = facets.get(name) or []
        if not values:
            continue
        links, clear = [], None
        for v in values:
            value = str(v["value"])
            token = f"{key}:{value}"
            active = getattr(f, attr) == value or _typed(q, token)
            if active:
                clear = search_href(_without(q, token), filters=Filters(
                    **{**f.__dict__, attr: ""}))
            href = search_href(q, filters=Filters(**{**f.__dict__, attr: value}))
            links.append(FacetLink(v["label"], v["count"], href, active))
        out.append(FacetGroup(title, links, clear))
    return out


def chips(q: str, f: Filters) -> list[Chip]:
    out = []
    if f.typ:
        out.append(Chip(f"Dokumenttyp: {type_name(f.typ)}",
                        search_href(q, filters=Filters(jahr=f.jahr))))
    if f.jahr:
        out.append(Chip(f"Jahr: {f.jahr}", search_href(q, filters=Filters(typ=f.typ))))
    return out


@dataclass(frozen=True)
class PersonRow:
    href: str
    name: str  # "Öztürk, Ayşe": the person's own name (translate="no")
    born: str  # "geb. 02.05.1979", or ""
    nationality: str
    team: str
    aktenzeichen: str


def person_rows(matches: list[ClientMatch]) -> list[PersonRow]:
    return [PersonRow(f"/akte/{m.aktenzeichen}",
                      f"{m.surname}, {m.given_names}".strip(", "),
                      f"geb. {de_date(m.birth_date)}" if m.birth_date else "",
                      nationality(m.nationality) if m.nationality else "",
                      team_label(m.team) if m.team else "", m.aktenzeichen)
            for m in matches]


# -- the query language's errors in German -----------------------------------------------------
# The API keeps its English messages (a contract); the page shows these. What the person typed
# is shown as typed, marked translate="no" (it is theirs, not the page's words).

def _typed_value(text: str) -> Markup:
    return Markup('<code translate="no">{}</code>').format(text)


_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"the query is too long"), "Die Suchanfrage ist zu lang (höchstens 500 Zeichen)."),
    (re.compile(r"the query has too many terms \(at most (\d+)"),
     "Die Suchanfrage hat zu viele Begriffe (höchstens {0} Wörter und Filter)."),
    (re.compile(r"the query needs at least one word or filter"),
     "Geben Sie mindestens ein Wort oder einen Filter ein, nach dem gesucht werden soll."),
    (re.compile(r"a prefix needs at least (\d+) letters: (.*)$"),
     "Ein Präfix braucht mindestens {0} Buchstaben: {1}."),
    (re.compile(r"^(-?\w+:) needs a value, e\.g\. (.*)$"),
     "Der Filter {0} braucht einen Wert, z. B. {1}."),
    (re.compile(r"^(\w+:) is given twice"), "Der Filter {0} steht zweimal in der Suche."),
    (re.compile(r"^(-\w+:) cannot be negated"),
     "Der Filter {0} kann nicht ausgeschlossen werden; grenzen Sie mit von: und bis: ein."),
    (re.compile(r"^(\w+:.*) is not a date of the calendar"), "{0} ist kein Kalenderdatum."),
    (re.compile(r"^(\w+:.*) is not a date;"),
     "{0} ist kein Datum. Schreiben Sie ein Jahr (2024), einen Monat (2024-03 oder 03.2024) "
     "oder einen Tag (2024-03-14 oder 14.03.2024)."),
    (re.compile(r"^(typ:.*) is no document type"),
     "{0} ist kein Dokumenttyp. Schreiben Sie den deutschen Namen des Typs, z. B. "
     "typ:Mietvertrag, oder wählen Sie ihn unter „Dokumenttyp“ neben den Treffern."),
    (re.compile(r"^(az:.*) is not an Aktenzeichen"),
     "{0} ist kein Aktenzeichen (z. B. az:ABH-2024-000123)."),
    (re.compile(r"^(azr:.*) is not an AZR number"), "{0} ist keine AZR-Nummer (12 Ziffern)."),
    (re.compile(r"^(pass:.*) is not a passport number"),
     "{0} ist keine Passnummer (5 bis 20 Buchstaben und Ziffern, z. B. pass:C01X00T47)."),
    (re.compile(r"the dates exclude each other: from (\S+) until (\S+)"),
     "Die Daten schließen sich aus: von {0} bis {1}."),
]
_SEVERAL = re.compile(r"^(typ:.*) fits several document types: (.*)$")
_GENERIC = ("Die Suchanfrage ist ungültig. Prüfen Sie die Filter az:, typ:, geb:, von:, bis:, "
            "pass: und azr:.")
def german_error(message: str) -> Markup:
    """The German text of an InvalidQuery message (escaped; typed values as code)."""
    m = _SEVERAL.match(message)
    if m:
        # "id (Name); id (Name)": the German names only
        names = [item.split(" (", 1)[1][:-1] for item in m.group(2).split("; ") if " (" in item]
        return Markup("{} passt zu mehreren Dokumenttypen: {}. Schreiben Sie den Namen "
                      "genauer.").format(_typed_value(m.group(1)), ", ".join(names))
    for pattern, german in _RULES:
        m = pattern.search(message)
        if m:
            # numbers are the rule's (at most 30), everything else quotes what was typed
            parts = [escape(g) if g.isdigit() else _typed_value(g) for g in m.groups()]
            return Markup(escape(german)).format(*parts)
    return Markup(escape(_GENERIC))
