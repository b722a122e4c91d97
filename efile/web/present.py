"""How the web UI says things in German: dates in Berlin time, nationalities by name, names of
states, layers and evidence, the facet links of a search. Plain functions, registered as
Jinja filters and globals; no access decisions are made here."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from math import ceil
from zoneinfo import ZoneInfo

from jinja2 import Environment
from markupsafe import Markup, escape

from ..access.policy import load as load_policy
from ..nationalities import name as nationality_name
from ..services.documents import type_name, type_to_check
from ..services.home import reads_inbox

BERLIN = ZoneInfo("Europe/Berlin")

LAYERS = {"explicit": "vorgegeben (Deckblatt oder Person)", "mrz": "maschinenlesbare Zone (MRZ)",
          "rules": "Regeln", "model": "Textmodell", "rules+model": "Regeln und Textmodell",
          "none": "nicht erkannt"}
EVIDENCE = {"mrz": "MRZ", "azr": "AZR-Nummer", "aktenzeichen": "Aktenzeichen",
            "name_dob": "Name und Geburtsdatum", "passport": "Passnummer",
            "given_names": "Vorname", "name": "Name", "explicit reference": "Vorgabe"}
# the product's fixed reasons, as a German office reads them; every other reason the
# classifiers and the router give is translated by pattern (REASON_PATTERNS below)
_FIXED = {"named on the cover sheet": "auf dem Deckblatt oder von einer Person angegeben",
          "no e-file reference": "ohne Aktenzeichen eingegangen",
          "no identifier found on the document (no MRZ, Aktenzeichen, AZR or passport "
          "number, no name with date of birth)":
              "keine Kennung auf dem Dokument (keine MRZ, kein Aktenzeichen, keine AZR- oder "
              "Passnummer, kein Name mit Geburtsdatum)",
          "no identifier on the document matches a known client":
              "keine Kennung auf dem Dokument passt zu einer bekannten Person"}


class _Reasons(dict):
    """REASONS.get(r, r) in the templates: the fixed wording, else the pattern translation,
    so every page that lists reasons this way (document, inbox) shows them in German."""

    def get(self, key: object, default: str | None = None) -> str | None:  # dict.get's
        return reason_de(key) if isinstance(key, str) else default


REASONS = _Reasons(_FIXED)

# -- the machine's reasons in German ------------------------------------------------------------
# The classifiers (classifiers/doctype.py, rules.py, router.py), the router step
# (pipelines/steps/route.py), the MRZ reader (pipelines/steps/ocr.py, mrz_read.py), the batch
# splitter (pipelines/steps/boundaries.py, pipelines/batch.py) and the upload check
# (pipelines/process.py) state their reasons in English: eval and the API read them as they
# are. The page translates them when it shows them: quoted text from the document is set
# aside first (it is the document's, shown as it is, marked translate="no"), then each
# phrase is replaced by its German; what no pattern knows is shown as it is.

_Sub = str | Callable[[re.Match], str]


def _pct(value: str) -> str:
    return percent(float(value))


_LABELS = [  # classifiers/router.py LABELS: what points to a client
    ("the MRZ (passport number and date of birth)", "die MRZ (Passnummer und Geburtsdatum)"),
    ("the AZR number", "die AZR-Nummer"), ("the Aktenzeichen", "das Aktenzeichen"),
    ("name and date of birth", "Name und Geburtsdatum"), ("a passport number", "eine Passnummer"),
    ("the name in the text", "der Name im Text"), ("the given names", "die Vornamen"),
]
_NUM = r"(\d+(?:\.\d+)?)"
_LABEL = "(?:" + "|".join(re.escape(en) for en, _ in _LABELS) + ")"
_SAID = rf"{_LABEL}(?: and {_LABEL})*"


def _verb(said: str, one: str, several: str) -> str:
    return several if " and " in said else one


REASON_PATTERNS: list[tuple[str, _Sub]] = [
    # classifiers/doctype.py
    (r"valid machine readable zone, document code (\S+) \(([^)]*)\)",
     r"gültige maschinenlesbare Zone (MRZ), Dokumentcode \1 (\2)"),
    (r"no readable text on the document", "kein lesbarer Text auf dem Dokument"),
    (r"no model and no clear heading", "kein Textmodell und keine eindeutige Überschrift"),
    (r"but the rules point to ", "die Regeln sprechen aber für "),
    (rf"but the text model says (.+?) \({_NUM}\)",
     lambda m: f"das Textmodell sagt aber {m[1]} ({_pct(m[2])})"),
    (rf"text model: {_NUM}", lambda m: f"Textmodell: {_pct(m[1])}"),
    (rf"the type named \((.+?)\) is not what the page is: it reads as (.+?) \({_NUM}; ",
     lambda m: f"der angegebene Typ ({m[1]}) passt nicht zur Seite: sie liest sich als {m[2]} "
               f"({_pct(m[3])}; "),
    (rf"the page reads as (.+?) \({_NUM}; ",
     lambda m: f"die Seite liest sich als {m[1]} ({_pct(m[2])}; "),
    (r"might be (.+?): restricted until a person confirms the type",
     r"könnte \1 sein: besonders geschützt, bis eine Person den Typ bestätigt"),
    # classifiers/rules.py
    (r"form identifier (\x02\d+\x03) in the heading", r"Formularkennung \1 in der Überschrift"),
    (r"heading (\x02\d+\x03) at the top of page (\d+)", r"Überschrift \1 oben auf Seite \2"),
    (r"heading (\x02\d+\x03)", r"Überschrift \1"),
    (r"mentions (\x02\d+\x03)", r"erwähnt \1"),
    (r"keywords (?=\x02)", "Stichwörter "),
    # pipelines/steps/route.py
    (rf"document type unsure: (.+?) \({_NUM}; ",
     lambda m: f"Dokumenttyp unsicher: {m[1]} ({_pct(m[2])}; "),
    (r"explicit reference (\S+)", r"Aktenzeichen \1 vorgegeben (Deckblatt oder Angabe beim Eingang)"),
    (r"the reference says (\S+), but ", r"die Vorgabe nennt \1, aber "),
    (r"the MRZ is in doubt \(", "die MRZ ist zweifelhaft ("),
    # pipelines/steps/ocr.py, mrz_read.py, classifiers/mrz_viz.py
    (r"document number (\S+) in the MRZ, (\S+) printed on the page",
     r"Dokumentnummer \1 in der MRZ, auf der Seite gedruckt: \2"),
    (r"readings of the band disagree: ", "die Lesungen der MRZ weichen voneinander ab: "),
    (r"\(look-alike\)", "(ähnliche Zeichen)"),
    (r"(\S+) read once, no second reading confirms it",
     r"\1 nur einmal gelesen, keine zweite Lesung bestätigt es"),
    (r"(\S+) could be a misreading of (.+?): look-alike characters the check digit cannot "
     r"tell apart",
     r"\1 könnte eine Fehllesung von \2 sein: ähnliche Zeichen, die die Prüfziffer nicht "
     r"unterscheidet"),
    # classifiers/router.py decide() and explicit_conflict()
    (r"several clients match: (\S+) and ", r"mehrere Personen passen: \1 und "),
    # `said` is labels joined by " and ": the German verb follows their number
    (rf"only ({_SAID}) point to (\S+) \(confidence {_NUM} < {_NUM}\)",
     lambda m: f"nur {m[1]} {_verb(m[1], 'verweist', 'verweisen')} auf {m[2]} (Sicherheit "
               f"{_pct(m[3])}, nötig {_pct(m[4])})"),
    (rf"({_SAID}) identify (\S+) \(confidence {_NUM}\)",
     lambda m: f"{m[1]} {_verb(m[1], 'bestimmt', 'bestimmen')} {m[2]} (Sicherheit "
               f"{_pct(m[3])})"),
    (rf"({_SAID}) point to ", lambda m: f"{m[1]} {_verb(m[1], 'verweist', 'verweisen')} auf "),
    (r", but the document gives the birth date (.+?), not the client's",
     r", das Dokument nennt aber das Geburtsdatum \1, nicht das der Person"),
    (r", but the document names ", ", das Dokument nennt aber "),
    (r"the page names another client: (.+?) of (\S+) \(",
     r"die Seite nennt eine andere Person: \1 der Akte \2 ("),
    (r"the page gives the birth date (.+?), but (\S+) \((.*?)\) was born (\S+)",
     r"die Seite nennt das Geburtsdatum \1, aber \2 (\3) ist am \4 geboren"),
    # pipelines/batch.py (a cover sheet that cannot be followed)
    (r"the cover sheet names the unknown type ", "das Deckblatt nennt den unbekannten Typ "),
    (r"the cover sheet names (\S+), which is no known e-file",
     r"das Deckblatt nennt \1, aber das ist keine bekannte Akte"),
    # pipelines/process.py (what the sender declared)
    (rf"declared as (\w+), but the document reads as (\w+) \({_NUM}\): check the type",
     lambda m: f"angegeben als {type_name(m[1])}, das Dokument liest sich aber als "
               f"{type_name(m[2])} ({_pct(m[3])}): bitte den Typ prüfen"),
    # pipelines/steps/boundaries.py (where a stack was cut)
    (r"split between pages (\d+) and (\d+) unsure \(",
     r"Trennung zwischen Seite \1 und \2 unsicher ("),
    (rf"; cut at {_NUM}\)", lambda m: f"; getrennt bei {_pct(m[1])})"),
    (rf"; kept together at {_NUM}\)", lambda m: f"; zusammengelassen bei {_pct(m[1])})"),
    (r"nothing on the page says", "nichts auf der Seite spricht dafür"),
    (r"machine readable zone on page (\d+): an identity document stands alone",
     r"maschinenlesbare Zone auf Seite \1: ein Ausweisdokument steht für sich"),
    (r"page (\d+) is an identity document \(machine readable zone\)",
     r"Seite \1 ist ein Ausweisdokument (maschinenlesbare Zone)"),
    (r"page (\d+) says (\x02\d+\x03): a later page", r"Seite \1 sagt \2: eine spätere Seite"),
    (r"page (\d+) says (\x02\d+\x03): more pages follow",
     r"Seite \1 sagt \2: weitere Seiten folgen"),
    (r"page (\d+) says (\x02\d+\x03)", r"Seite \1 sagt \2"),
    (r"(\x02\d+\x03) on page (\d+) follows (\x02\d+\x03) on page (\d+)",
     r"\1 auf Seite \2 folgt auf \3 auf Seite \4"),
    (r"page (\d+) is the last \((\x02\d+\x03)\)", r"Seite \1 ist die letzte (\2)"),
    (r"a letter's salutation near the top of page (\d+)", r"eine Briefanrede oben auf Seite \1"),
    (r"an address block or sender line at the top of page (\d+)",
     r"ein Anschriftenfeld oder eine Absenderzeile oben auf Seite \1"),
    (r"a date line near the top of page (\d+)", r"eine Datumszeile oben auf Seite \1"),
    (r"page (\d+) ends with a closing or signature",
     r"Seite \1 endet mit Grußformel oder Unterschrift"),
    (r"page (\d+) reads as ", r"Seite \1 liest sich als "),
    (r", yet could be ", ", könnte aber auch "),
    (r"type change ", "Typwechsel "),
    (r" at low confidence", " bei geringer Sicherheit"),
    (r"; reads like ", "; liest sich wie "),
    (r"same type \(", "gleicher Typ ("),
    (r"page (\d+) names (.+?), the document before ", r"Seite \1 nennt \2, das Dokument davor "),
    (r"another date of birth on page (\d+)", r"ein anderes Geburtsdatum auf Seite \1"),
    (r"the evidence conflicts", "die Hinweise widersprechen sich"),
    # the endings every router and splitter reason shares
    (r"; a person confirms the type", "; eine Person bestätigt den Typ"),
    (r"; a person decides", "; eine Person entscheidet"),
    (r"; a person confirms", "; eine Person bestätigt"),
    *((re.escape(en), de) for en, de in _LABELS),
]
# only in a reason one of the patterns above knew: a person's own words (a correction's
# reason, shown in the inbox) keep their "and", numbers and dates
_GENERIC: list[tuple[str, _Sub]] = [
    (r" and ", " und "),
    # numbers and dates the German way: 0.91 → 0,91; 1980-01-02 → 02.01.1980
    (r"(?<![\d.])(\d)\.(\d{1,4})(?![\d.])", r"\1,\2"),
    (r"\b(\d{4})-(\d{2})-(\d{2})\b", r"\3.\2.\1"),
]
_COMPILED = [(re.compile(p), r) for p, r in REASON_PATTERNS]
_COMPILED_GENERIC = [(re.compile(p), r) for p, r in _GENERIC]
_QUOTED = re.compile(r"'([^']*)'")  # the document's own words, as the rules quote them
_HOLE = re.compile(r"\x02(\d+)\x03")


def reason_german(reason: str) -> tuple[str, list[str]]:
    """(the reason in German with holes \\x02n\\x03 where the document's quoted words go, those
    words). `reason_de` renders it; tests read the German part."""
    if reason in _FIXED:
        return _FIXED[reason], []
    quoted: list[str] = []

    def hole(m: re.Match) -> str:
        quoted.append(m[1])
        return f"\x02{len(quoted) - 1}\x03"

    text = _QUOTED.sub(hole, reason)
    known = False
    for pattern, repl in _COMPILED:
        text, n = pattern.subn(repl, text)
        known = known or n > 0
    if not known:  # not the machine's: exactly as written (its apostrophes too)
        return reason, []
    for pattern, repl in _COMPILED_GENERIC:
        text = pattern.sub(repl, text)
    return text, quoted


def reason_de(reason: str) -> Markup:
    """A machine's reason in German, as HTML: the document's quoted words in „…“ inside
    translate="no" (they are the document's, in whatever language it speaks)."""
    text, quoted = reason_german(str(reason))
    out, last = [], 0
    for m in _HOLE.finditer(text):
        out.append(escape(text[last:m.start()]))
        word = quoted[int(m[1])] if int(m[1]) < len(quoted) else ""
        out.append(Markup('„<span translate="no">{}</span>“').format(word))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


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


def file_size(size: int | None) -> str:
    """12 KB, 11,8 MB: a size as the office reads it."""
    if size is None:
        return "–"
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


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
                       PER_PAGE=PER_PAGE, type_to_check=type_to_check, reads_inbox=reads_inbox)
    env.filters.update(de_date=de_date, de_datetime=de_datetime, percent=percent,
                       nationality=nationality, reason=reason_de,
                       file_size=file_size)


# -- the search page (its facets and links: search_present.py) -------------------------------

def pages(total: int) -> int:
    return max(1, ceil(total / PER_PAGE))
