"""People as letters, forms and foreign documents write them: a name and a date of birth.

Real post writes a person in many ways: "Nguyen, Thi Lan, geboren am 02.11.1990",
"Herr Carlos RAMÍREZ ORTEGA (* 2.11.90)", "Mieter/in: Al-Hassan, Omar", "Jan van der Berg,
date of birth 1990-11-02", a form whose label "Geburtsdatum" stands above its value or in the
next table cell. This module reads them into mentions: the surname readings a name allows,
its given names and the birth date written with it.

What counts (and what deliberately does not):
- a birth date only next to a birth marker: "geb.", "geb. am", "geboren (am)", "*",
  "Geburtsdatum", "Geb.-Datum", "date of birth", "born (on)", "DOB"; on the same line, the next
  line or the next table cell. An unmarked date (the letter's, a move-in date) is no birth date.
- a name as a surname only where the document says it is a person of the case: a name label
  (Familienname, Nachname, "Name, Vorname", Mieter/in, Arbeitnehmer/in, Mandant/in,
  Antragsteller/in ...) or a name written right before a birth marker ("Herr/Frau ..." too).
  A bare "Name:" (a landlord, an employer's contact) or "Sehr geehrte Frau Schmidt" is not:
  those are other people, and naming them would only confuse the router's misfile guard.
- the order of a name: "Surname, Given" with a comma; upper-case words among mixed-case ones
  are the surname (NGUYEN Thi Lan, Carlos RAMÍREZ ORTEGA); otherwise every split is a reading
  (Thi Lan Nguyen, and from three words on the native order Nguyen Thi Lan too; two words
  are "Given Surname"), particles (van der, de, bin, al)
  staying with the surname. The router compares readings with the registry; it files only
  when the given names are on the page too, so a reading that is no one's costs nothing.

Pure text in, data out: nothing of efile or pipelines is imported here (house rule).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

# -- dates ------------------------------------------------------------------------------------

_MONTHS = {
    "januar": 1, "jänner": 1, "jan": 1, "january": 1, "februar": 2, "feb": 2, "february": 2,
    "märz": 3, "maerz": 3, "marz": 3, "mär": 3, "mrz": 3, "march": 3, "mar": 3, "april": 4,
    "apr": 4,
    "mai": 5, "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "dezember": 12, "dez": 12,
    "december": 12, "dec": 12,
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
DATE = (r"(?:(?P<d1>\d{1,2})\s?\.\s?(?P<m1>\d{1,2})\s?\.\s?(?P<y1>\d{4}|\d{2})(?!\d)"
        r"|(?P<d2>\d{1,2})\.?\s*(?P<m2>" + _MONTH + r")\s*(?P<y2>\d{4})"
        r"|(?P<y3>\d{4})-(?P<m3>\d{1,2})-(?P<d3>\d{1,2})"
        r"|(?P<d4>\d{1,2})/(?P<m4>\d{1,2})/(?P<y4>\d{4}|\d{2})(?!\d)"
        r"|(?P<m5>" + _MONTH + r")\s+(?P<d5>\d{1,2}),?\s+(?P<y5>\d{4}))")
_DATE_RE = re.compile(DATE, re.I)

# the birth markers; "geb." followed by a name is a birth name (née), not a marker
_MARKER = (r"(?:Geburtsdatum|Geb\.\s?-?\s?Datum|Geburtstag|Tag\s+der\s+Geburt|date\s*of\s*birth"
           r"|birth\s?date"
           r"|DOB|D\.O\.B\.|geboren(?:\s+am)?|geb\.(?:\s*am)?|born(?:\s+on)?|\*)")
# a label's tail before the value: "Geburtsdatum (TT.MM.JJJJ):", "Date of birth / Geburtsdatum:"
_TAIL = r"(?:[ \t]*\([^)\n]{0,20}\))?(?:[ \t]*/[ \t]*-?[^\W\d_][^\n\d:]{0,30})?[ \t]*:?"
BIRTH = re.compile(r"(?<![\w*])(?P<marker>" + _MARKER + r")" + _TAIL
                   + r"[ \t]*\n?[ \t]*(?:(?:am|den)[ \t]+)?(?:" + DATE + ")", re.I)


def _year(y: str) -> int:
    """A 2-digit year of a birth date: the latest century that does not put it in the future."""
    if len(y) == 4:
        return int(y)
    yy, now = int(y), date.today().year
    return 2000 + yy if 2000 + yy <= now else 1900 + yy


def iso(m: re.Match) -> str | None:
    g = m.groupdict()
    for i in "12345":
        if g.get(f"d{i}"):
            d, mo, y = g[f"d{i}"], g[f"m{i}"], g[f"y{i}"]
            month = int(mo) if mo.isdigit() else _MONTHS.get(mo.lower().rstrip("."))
            try:
                return date(_year(y), int(month or 0), int(d)).isoformat()
            except ValueError:
                return None
    return None


# -- labels -----------------------------------------------------------------------------------

_ROLE = (r"(?:Mieter|Untermieter|Arbeitnehmer|Mandant|Antragsteller|Patient|Schüler|"
         r"Beschäftigte|Auszubildende|Teilnehmer|Bewohner|Student|Studierende|Kunde|Kundin|"
         r"Mitglied|Kontoinhaber|Inhaber|Versicherte|Leistungsberechtigte|Bewerber|"
         r"Mitarbeiter|Pat\.)(?:/-?in|\(in\)|in|innen|/-?r|\(r\)|r)?")
# label → how its value orders a name: surname | given | sfirst (Surname Given) |
# gfirst (Given Surname) | full (either: commas, capitals or every split decide)
_LABELS: list[tuple[str, str]] = [
    (r"(?:Name|Nachname|Familienname|Zuname)\s*,\s*Vornamen?|Surname\s*,\s*(?:given|first)"
     r"\s+names?", "sfirst"),
    (r"Vornamen?\s*,?\s*(?:und\s+)?(?:Name|Nachname|Familienname|Zuname)|Vor-\s*und\s*"
     r"(?:Nach|Zu|Familien)name|(?:Given|First)\s+names?\s+and\s+surname", "gfirst"),
    (r"Familienname|Nachname|Zuname|Surname|Family\s+name|Last\s+name|Geburtsname", "surname"),
    (r"Vornamen?(?:\s?\(n\))?|Rufname|Given\s+names?|First\s+names?|Forenames?|Prénoms?",
     "given"),
    (r"(?:Name\s+(?:des|der)\s+)?" + _ROLE + r"|Vollständiger\s+Name|Full\s+name|"
     r"Name\s+of\s+(?:the\s+)?(?:applicant|employee|tenant|client|patient|pupil|student)|"
     r"Applicant|Employee|Tenant|Client", "full"),
]
# a numbered field ("1. Surname"), a bilingual one ("Surname / Nom:", "Name / Surname:")
_LABEL_RES = [(re.compile(r"^\s*(?:\d{1,2}\.\s*)?(?:" + p + r")(?:\s*/\s*[^\W\d_][^:\n\d]{0,30})?"
                          r"\s*(?::|$)\s*", re.I), kind) for p, kind in _LABELS]
# only in front of a birth date: "Name: X, geb. ...", a table's "Name" column
_WEAK_LABEL = re.compile(r"^\s*(?:Name|Person|Kind|Ehegatte|Ehegattin|Ehefrau|Ehemann)\s*(?::|$)"
                         r"\s*", re.I)
_ANY_LABEL = re.compile(r"^\s*[^\W\d_][\w./\- ()]{0,40}:\s*")

PARTICLES = {"van", "von", "vom", "zu", "zur", "der", "den", "de", "del", "della", "di", "da",
             "das", "dos", "du", "des", "la", "le", "lo", "ter", "ten", "bin", "binti", "bint",
             "ibn", "ben", "al", "el", "abu", "y", "e", "mac", "st"}
_SALUTATIONS = {"herr", "herrn", "frau", "hr", "fr", "mr", "mrs", "ms", "miss", "mister"}
# capitalised words that precede a name in German prose but are none
_STOP = {
    "sachen", "name", "person", "kind", "tochter", "sohn", "ehefrau", "ehemann", "ehegatte",
    "ehegattin", "partner", "partnerin", "wohnung", "firma", "betreff", "bescheinigung",
    "bestätigung", "die", "dem", "unser", "unsere", "unserem", "unseren", "unserer", "ihr",
    "ihre", "ihrem", "ihren", "ihrer", "wir", "hiermit", "dass", "und", "oder", "mit", "für",
    "bei", "in", "re", "the", "our", "your", "employee",
    "tenant", "client", "applicant", "pupil", "patient", "student", "dr", "prof", "mag", "ing",
    "sehr", "geehrte", "geehrter", "liebe", "lieber", "dear", "familie", "eheleute", "geschwister",
    "mieter", "mieterin", "arbeitnehmer", "arbeitnehmerin", "mandant", "mandantin",
    "antragsteller", "antragstellerin", "schüler", "schülerin", "mitarbeiter", "mitarbeiterin",
    "beschäftigte", "beschäftigter", "auszubildende", "auszubildender", "bewohner", "bewohnerin",
    "kunde", "kundin", "teilnehmer", "teilnehmerin", "herr", "herrn", "frau", "mr", "mrs", "ms",
}
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?|,|[^\s\w]|\d+", re.U)
_MAX_WORDS = 6
_NEE = re.compile(r"\s(?:geb\.|geborene|geborener|née|nee)\s+(?=[^\W\d_])", re.I)
# German articles and prepositions that are particles only inside a name (von der Leyen)
_NO_LEAD = {"der", "den", "des", "das", "dem", "zu", "zur", "vom", "e", "y", "la", "le", "lo"}


@dataclass
class Mention:
    """One person as the document writes them."""
    readings: list[str]  # surname readings, the most likely first
    given_names: str | None  # when the order is clear
    birth_date: str | None  # ISO
    source: str  # the words it came from
    labelled: bool = False


@dataclass
class People:
    mentions: list[Mention] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)

    @property
    def surnames(self) -> list[str]:
        return list(dict.fromkeys(r for m in self.mentions for r in m.readings))

    @property
    def given_names(self) -> list[str]:
        return list(dict.fromkeys(m.given_names for m in self.mentions if m.given_names))


# -- layout: OCR text as cells ----------------------------------------------------------------

_CELL_SPLIT = re.compile(r"\t|[ \t]*\|[ \t]*|[ \t]{2,}")


def _label_kind(cell: str) -> tuple[str, str] | None:
    """(kind, value) when the cell starts with a name label."""
    for rx, kind in _LABEL_RES:
        m = rx.match(cell)
        if m:
            return kind, cell[m.end():]
    m = _WEAK_LABEL.match(cell)
    if m:
        return "weak", cell[m.end():]
    return None


# a form printed as label and value without a colon ("Familienname   Tesfaye"), which OCR
# gives as one space: the value must be a name alone, so prose ("Familienname und Vorname
# sind …") and a table head ("Familienname Vorname Geburtsdatum") stay as they are
_LABEL_WORDS = {"name", "namen", "vorname", "vornamen", "nachname", "familienname", "zuname",
                "geburtsname", "geburtsdatum", "geburtsort", "surname", "given", "first", "names",
                "date", "birth", "place", "staatsangehörigkeit", "nationality", "anschrift"}
_STRONG_LABEL = re.compile(r"^\s*(?:\d{1,2}\.\s*)?(?:" + "|".join(p for p, _ in _LABELS) + r")"
                           r"[ \t]+", re.I)
_JUNK = " _—–-.·|'"


def _colonise(cell: str) -> str:
    """"Familienname Tesfaye" as "Familienname: Tesfaye" when the rest is a name alone."""
    m = _STRONG_LABEL.match(cell)
    if not m or ":" in cell:
        return cell
    value = cell[m.end():].lstrip(_JUNK)
    toks = _TOKEN.findall(value)
    words = [t for t in toks if t != ","]
    if not words or len(words) > _MAX_WORDS or toks.count(",") > 1 \
            or any(t.rstrip(".").lower() in _LABEL_WORDS for t in words) \
            or not all(_is_name_word(t) for t in words):
        return cell
    return f"{cell[:m.end()].rstrip()}: {value}"


def _is_bare_label(cell: str) -> bool:
    """A cell that is only a label (a form's field name, a table's column head)."""
    k = _label_kind(cell)
    if k and not k[1].strip(" :"):
        return True
    return bool(re.fullmatch(r"\s*" + _MARKER + _TAIL + r"\s*", cell, re.I)) and cell.strip() != "*"


def _is_head(cell: str) -> bool:
    """A table's column head: a label, or a few words without digits (Staatsangehörigkeit)."""
    return _is_bare_label(cell) or bool(re.fullmatch(r"[^\W\d_][^\d:]{0,40}", cell)) \
        and len(cell.split()) <= 4


_HEAD_WORD = re.compile(r"\s*(?:" + "|".join(f"(?P<k{i}>{p})" for i, (p, _) in enumerate(_LABELS))
                        + r"|(?P<name>Name)|(?P<birth>" + _MARKER + r")|(?P<other>(?-i:[A-ZÄÖÜ])[\w.()/-]*))"
                        r"\s*", re.I)  # other heads: capitalised words (Geburtsort)


def _head_order(line: str) -> str | None:
    """A table head whose gaps OCR closed ("Familienname Vorname(n) Geburtsdatum"): the
    order of its name columns (sfirst | gfirst | full), or None when it is no such head."""
    pos, kinds = 0, []
    while pos < len(line):
        m = _HEAD_WORD.match(line, pos)
        if not m or m.end() == pos:
            return None
        kind = next((k for k, v in m.groupdict().items() if v), "other")
        kinds.append(_LABELS[int(kind[1:])][1] if kind.startswith("k") else kind)
        pos = m.end()
    names = [k for k in kinds if k in ("surname", "given", "sfirst", "gfirst", "name", "full")]
    if "birth" not in kinds or not names or kinds.count("other") > len(kinds) - 2:
        return None
    if names[0] in ("sfirst", "surname") or names == ["name", "given"]:
        return "sfirst"
    if names[0] in ("gfirst", "given"):
        return "gfirst"
    return "full"


def _head_rows(rows: list[list[str]], i: int, out: list[str]) -> int:
    """Rewrite the value rows under a closed-up table head as labelled cells; the next row
    index (i itself when rows[i] is no such head)."""
    if len(rows[i]) != 1:
        return i
    order = _head_order(rows[i][0])
    if order is None:
        return i
    label = {"sfirst": "Name, Vorname", "gfirst": "Vorname Name", "full": "Name"}[order]
    j = i + 1
    while j < len(rows) and len(rows[j]) == 1:
        m = _DATE_RE.search(rows[j][0])
        if not m or not rows[j][0][:m.start()].strip():
            break
        out.extend([f"{label}: {rows[j][0][:m.start()].strip()}", f"Geburtsdatum: {m.group(0)}",
                    ""])
        j += 1
    return j


def cells(text: str) -> list[str]:
    """The text as cells in reading order, a form's label joined with its value: a table
    head row over value rows becomes "head: value" cells, a label alone on its line takes the
    next cell as its value."""
    rows = [[_colonise(c.strip()) for c in _CELL_SPLIT.split(line) if c.strip()]
            for line in text.splitlines()]
    rows = [r for r in rows if r]
    out: list[str] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        j = _head_rows(rows, i, out)
        if j > i + 1:
            i = j
            continue
        if len(row) >= 2 and all(_is_head(c) for c in row) and any(_is_bare_label(c) for c in row):
            heads = [c.strip(" :") for c in row]
            j = i + 1
            while j < len(rows) and len(rows[j]) == len(heads) \
                    and not all(_is_bare_label(c) for c in rows[j]):
                out.extend(f"{h}: {v}" for h, v in zip(heads, rows[j], strict=True))
                out.append("")  # one person per row
                j += 1
            if j > i + 1:
                i = j
                continue
        out.extend(row)
        out.append("")  # a line ends
        i += 1
    joined: list[str] = []
    k = 0
    while k < len(out):
        c = out[k]
        if c and _is_bare_label(c):
            nxt = next((n for n in out[k + 1:k + 3] if n), None)
            at = out.index(nxt, k + 1) if nxt else None
            if nxt and not _is_bare_label(nxt) and not _ANY_LABEL.match(nxt):
                joined.append(f"{c.rstrip(' :')}: {nxt}")
                k = at + 1
                continue
        joined.append(c)
        k += 1
    return joined


# -- names ------------------------------------------------------------------------------------

def _is_name_word(tok: str) -> bool:
    w = tok.rstrip(".")
    if not w or not w[0].isalpha() or tok.endswith("."):
        return False
    return w[0].isupper() or w.lower() in PARTICLES


def _caps(w: str) -> bool:
    letters = [c for c in w if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _splits(words: list[str], *, suffix: bool = True, prefix: bool = True,
            native_from: int = 3) -> list[str]:
    """Surname readings of a name without a comma or capitals to say its order."""
    n = len(words)
    if n == 1:
        return [words[0]]
    out = []
    if suffix:  # Given … Surname: the surname starts after the first word
        for s in range(n - 1, 0, -1):
            if words[s - 1].lower() in PARTICLES:
                continue  # a particle belongs to the surname after it
            out.append(" ".join(words[s:]))
    # Surname Given …: the native order of Vietnamese, Chinese, Hungarian names, read only
    # from three words on ("Nguyen Thi Lan"): two words are Given Surname in German post
    if prefix and n >= native_from:
        for e in range(1, n):
            if words[e - 1].lower() in PARTICLES:
                continue
            out.append(" ".join(words[:e]))
    return list(dict.fromkeys(out))


def reading(tokens: list[str], order: str = "full") -> tuple[list[str], str | None]:
    """(surname readings, given names or None) of a name's tokens (words and commas)."""
    while tokens and tokens[-1] == ",":
        tokens = tokens[:-1]
    if "," in tokens:
        at = tokens.index(",")
        left = [t for t in tokens[:at] if t != ","]
        right = [t for t in tokens[at + 1:] if t != ","]
        if order == "gfirst" and left and right:  # "Vorname, Name: Thi Lan, Nguyen"
            left, right = right, left
        if left:
            # "In der Ausländerangelegenheit Okafor, Chukwuemeka": prose may run into the
            # surname; each tail of the left part is a reading, the longest first
            tails = [" ".join(left[k:]) for k in range(len(left))
                     if k == 0 or left[k - 1].lower() not in PARTICLES]
            return tails[:3] if len(left) <= 3 else tails[-3:], " ".join(right) or None
        tokens = right
    words = [t for t in tokens if t != ","]
    if not words:
        return [], None
    while words and words[-1].lower() in PARTICLES:
        words = words[:-1]
    if not words:
        return [], None
    caps = [i for i, w in enumerate(words) if _caps(w)]
    if caps and len(caps) < len(words):
        lo, hi = caps[0], caps[-1]
        if all(_caps(w) or w.lower() in PARTICLES for w in words[lo:hi + 1]):
            while lo > 0 and words[lo - 1].lower() in PARTICLES:
                lo -= 1
            given = words[:lo] + words[hi + 1:]
            return [" ".join(words[lo:hi + 1])], " ".join(given) or None
    if order == "sfirst":
        return _splits(words, suffix=False, native_from=2), None
    if order == "gfirst":
        return _splits(words, prefix=False), None
    if order == "surname":
        return [" ".join(words)], None
    if order == "labelled":  # a role label says this is a name: both orders from two words
        return _splits(words, native_from=2), None
    return _splits(words), None


def _name_before(cell: str) -> tuple[list[str], str] | None:
    """The name tokens that end a piece of text (the words before a birth marker)."""
    toks = _TOKEN.findall(cell)
    while toks and toks[-1] in {",", "(", "-", "–", "[", ";"}:
        toks.pop()
    got: list[str] = []
    words = 0
    for t in reversed(toks):
        low = t.rstrip(".").lower()
        if t == ",":
            if "," in got or not got:
                break
            got.insert(0, t)
            continue
        particle = low in PARTICLES and t[0].islower()
        if not particle and (low in _SALUTATIONS or low in _STOP or not _is_name_word(t)):
            break
        got.insert(0, t)
        words += 1
        if words >= _MAX_WORDS:
            break
    while got and (got[0] == "," or got[0] in _NO_LEAD):
        got.pop(0)
    if not got or all(t == "," for t in got):
        return None
    return got, " ".join(got).replace(" ,", ",")


def _value_name(value: str, kind: str) -> Mention | None:
    """A labelled value: "Nguyen, Thi Lan", "Herr Emre KAYA", up to a birth marker."""
    m = re.search(r"(?<![\w*])" + _MARKER, value, re.I)
    value = value[:m.start()] if m else value
    value = re.split(r"[;()\[\]]|\s[-–]\s|\d", value)[0]
    toks = [t for t in _TOKEN.findall(value)
            if t.rstrip(".").lower() not in _SALUTATIONS and t.rstrip(".").lower() not in
            {"dr", "prof"} and t != "."]
    toks = [t for t in toks if _is_name_word(t) or t == ","][:_MAX_WORDS + 1]
    if not any(t != "," for t in toks):
        return None
    readings, given = reading(toks, "labelled" if kind in ("weak", "full") else kind)
    if not readings:
        return None
    return Mention(readings, given, None, value.strip(" ,"), labelled=True)


def find(text: str) -> People:
    """Every person the text writes, with a birth date where one is written with them."""
    cs = cells(text)
    norm = "\n".join(cs)
    offsets, pos = [], 0
    for c in cs:
        offsets.append(pos)
        pos += len(c) + 1
    people = People()
    dated: dict[int, str] = {}  # cell index → the birth date of the person it names
    for m in BIRTH.finditer(norm):
        when = iso(m)
        if not when:
            continue
        people.birth_dates.append(when)
        at = bisect_right(offsets, m.start()) - 1
        dated.setdefault(at, when)
        before = norm[offsets[at]:m.start()]
        mention = _dated_mention(cs, at, before, when)
        if mention:
            people.mentions.append(mention)
    for i, c in enumerate(cs):
        k = _label_kind(c)
        if not k or k[0] == "given":
            continue
        kind, value = k
        if kind == "weak" and not _dated_near(dated, i):
            continue  # a bare "Name:" is a landlord, a contact: not the person of the case
        mention = _value_name(value, kind)
        if mention:
            mention.birth_date = dated.get(i) or _dated_near(dated, i)
            people.mentions.append(mention)
    people.birth_dates = list(dict.fromkeys(people.birth_dates))
    return people


def _dated_near(dated: dict[int, str], i: int) -> str | None:
    """The birth date of a labelled name's group: its own cell or the next two."""
    for j in (i, i + 1, i + 2):
        if j in dated:
            return dated[j]
    return None


def _unlabel(cell: str) -> str:
    """A cell without its label (Betreff:, Geburtsdatum:): the words a name may end."""
    if re.fullmatch(r"\s*" + _MARKER + _TAIL + r"\s*", cell, re.I):
        return ""
    m = _ANY_LABEL.match(cell)
    return cell[m.end():] if m else cell


def _dated_mention(cs: list[str], at: int, before: str, when: str) -> Mention | None:
    """The name written right before a birth marker: in its cell, else the cell before."""
    if _label_kind(before):
        return None  # a name label: the label loop reads it
    before = _unlabel(before)
    if not before.strip(" ,(-–"):
        # the line before, when it is a name alone ("Herr Emre Kaya" / "geboren am …"); a
        # labelled one (Staatsangehörigkeit: RUSSIAN FEDERATION) is another field
        prev = next((j for j in (at - 1, at - 2) if j >= 0 and cs[j]), None)
        if prev is None or _label_kind(cs[prev]) or _ANY_LABEL.match(cs[prev]):
            return None
        before = cs[prev]
    # "Anna Schmidt geb. Müller, geboren am …": the birth name, and the name she has now
    parts = _NEE.split(before)
    mention = None
    for part in reversed(parts[-2:]):
        found = _name_before(part)
        if not found:
            break
        toks, source = found
        readings, given = reading(toks)
        if not readings:
            break
        if mention is None:
            mention = Mention(readings, given, when, source)
        else:
            mention.readings = readings + [r for r in mention.readings if r not in readings]
            mention.given_names = mention.given_names or given
            mention.source = f"{source} geb. {mention.source}"
    return mention
