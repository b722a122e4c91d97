"""How the web UI says things in German: dates in Berlin time, nationalities by name, names of
states, layers and evidence, the facet links of a search. Plain functions, registered as
Jinja filters and globals; no access decisions are made here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from math import ceil
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment

from ..access.policy import load as load_policy
from ..nationalities import name as nationality_name
from ..services.documents import type_name, type_to_check

BERLIN = ZoneInfo("Europe/Berlin")

LAYERS = {"explicit": "vorgegeben (Deckblatt oder Person)", "mrz": "maschinenlesbare Zone (MRZ)",
          "rules": "Regeln", "model": "Textmodell", "rules+model": "Regeln und Textmodell",
          "none": "nicht erkannt"}
EVIDENCE = {"mrz": "MRZ", "azr": "AZR-Nummer", "aktenzeichen": "Aktenzeichen",
            "name_dob": "Name und Geburtsdatum", "passport": "Passnummer",
            "given_names": "Vorname", "name": "Name", "explicit reference": "Vorgabe"}
# the product's fixed reasons, as a German office reads them (others are shown as they are)
REASONS = {"named on the cover sheet": "auf dem Deckblatt oder von einer Person angegeben",
           "no e-file reference": "ohne Aktenzeichen eingegangen",
           "no identifier found on the document (no MRZ, Aktenzeichen, AZR or passport "
           "number, no name with date of birth)":
               "keine Kennung auf dem Dokument (keine MRZ, kein Aktenzeichen, keine AZR- oder "
               "Passnummer, kein Name mit Geburtsdatum)",
           "no identifier on the document matches a known client":
               "keine Kennung auf dem Dokument passt zu einer bekannten Person"}
BATCH_STATES = {"done": "fertig", "attention": "prüfen", "processing": "in Arbeit"}
ITEM_STATES = {"filed": "abgelegt", "inbox": "Posteingang", "duplicate": "Duplikat",
               "failed": "fehlgeschlagen"}
QC_STATES = {"pending": "offen", "passed": "bestanden", "failed": "nicht bestanden",
             "none": "–"}
SOURCES = {"scan": "Scan", "upload": "Upload", "import": "Import"}
PER_PAGE = 20


def _moment(value: str | datetime | date | None) -> datetime | date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value \
            else date.fromisoformat(value)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(BERLIN)
    return value


def de_date(value: str | datetime | date | None) -> str:
    v = _moment(value)
    return v.strftime("%d.%m.%Y") if v else "–"


def de_datetime(value: str | datetime | date | None) -> str:
    v = _moment(value)
    if not isinstance(v, datetime):
        return de_date(v)
    return v.strftime("%d.%m.%Y, %H:%M Uhr")


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def role_labels(roles: tuple[str, ...] | list[str]) -> str:
    policy = load_policy()
    return ", ".join(policy.roles[r].label if r in policy.roles else r for r in roles)


def team_label(team: str | None) -> str:
    teams = load_policy().teams
    return teams[team].label if team in teams else (team or "–")


def nationality(code: str | None) -> str:
    """A stored nationality by name, the code beside it: "Türkei (TUR)", "staatenlos … (XXA)"."""
    if not code:
        return "–"
    named = nationality_name(code)
    return named if named == code else f"{named} ({code})"


def install(env: Environment) -> None:
    env.globals.update(type_name=type_name, role_labels=role_labels, team_label=team_label,
                       LAYERS=LAYERS, EVIDENCE=EVIDENCE, REASONS=REASONS, BATCH_STATES=BATCH_STATES,
                       ITEM_STATES=ITEM_STATES, QC_STATES=QC_STATES, SOURCES=SOURCES,
                       PER_PAGE=PER_PAGE, type_to_check=type_to_check)
    env.filters.update(de_date=de_date, de_datetime=de_datetime, percent=percent,
                       nationality=nationality)


# -- the search page ---------------------------------------------------------------------------

def search_href(q: str, page: int = 1) -> str:
    return "/suche?" + urlencode({"q": q, **({"seite": page} if page > 1 else {})})


def _without(q: str, token: str) -> str:
    return " ".join(t for t in q.split() if t != token)


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


def facet_groups(q: str, facets: dict[str, list[dict]]) -> list[FacetGroup]:
    """Each facet value as a link narrowing the current query (typ:…, datum:…); a value
    already in the query is marked, and its group offers to remove it again."""
    out = []
    for name, title, key in (("type", "Dokumenttyp", "typ"), ("year", "Jahr", "datum")):
        values = facets.get(name) or []
        if not values:
            continue
        words = q.split()
        links, clear = [], None
        for f in values:
            token = f"{key}:{f['value']}"
            active = token in words
            if active:
                clear = search_href(_without(q, token))
            links.append(FacetLink(f["label"], f["count"], search_href(f"{q} {token}".strip()),
                                   active))
        out.append(FacetGroup(title, links, clear))
    return out


def pages(total: int) -> int:
    return max(1, ceil(total / PER_PAGE))
