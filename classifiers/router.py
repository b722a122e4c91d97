"""Where does a document belong? A pure decision over signals and candidate persons.

A misfile into another person's immigration file is the worst thing this product can do, so
the router files automatically only when independent evidence agrees on one person and no
other person comes close; everything else goes to the inbox with ranked suggestions.

Evidence and its weight (probability that a match means "this person"):
    mrz          a valid MRZ (every check digit) whose document number is one of the
                 person's passports and whose birth date is the person's       0.99
    azr          the AZR number (unique federal register number)               0.98
    aktenzeichen the person's file number printed on the document              0.85
    name_dob     surname (spelling variants) and date of birth both printed    0.85
    passport     a passport number printed outside an MRZ                      0.85
    name         the surname appears in the text (corroboration only)          0.80
    given_names  the given names appear too, beside name_dob (corroboration)    0.80
Independent pieces combine as 1 - Π(1 - w). "name" and "given_names" never make a candidate:
they only confirm one that a number or the date of birth brought, so an OCR misread of one
digit of a file number cannot put a letter into another client's file unless that client's
name is on the letter too.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, process

from .text import fold_words

WEIGHTS = {"mrz": 0.99, "azr": 0.98, "aktenzeichen": 0.85, "name_dob": 0.85, "passport": 0.85,
           "name": 0.80, "given_names": 0.80}
LABELS = {"mrz": "the MRZ (passport number and date of birth)", "azr": "the AZR number",
          "aktenzeichen": "the Aktenzeichen", "name_dob": "name and date of birth",
          "passport": "a passport number", "name": "the name in the text",
          "given_names": "the given names"}
AUTO_FILE = 0.97  # only MRZ or AZR alone, or two independent medium signals, reach it
RIVAL = 0.5  # a second candidate this strong makes any decision a person's


@dataclass(frozen=True)
class Candidate:
    aktenzeichen: str
    surname: str
    given_names: str
    birth_date: date | None
    passport_numbers: tuple[str, ...] = ()
    azr_number: str | None = None


@dataclass(frozen=True)
class Signals:
    aktenzeichen: tuple[str, ...] = ()
    azr_numbers: tuple[str, ...] = ()
    passport_numbers: tuple[str, ...] = ()
    birth_dates: tuple[date, ...] = ()
    surnames: tuple[str, ...] = ()
    mrz: dict | None = None  # classifiers.mrz.Mrz.to_dict(), only when valid
    words: frozenset[str] = frozenset()  # every folded word of the text


@dataclass
class Suggestion:
    aktenzeichen: str
    score: float
    evidence: list[str]


@dataclass
class Decision:
    efile: str | None  # set only when filing automatically
    confidence: float
    reasons: list[str] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)


def _key(name: str) -> str:
    """A name as compared: folded, hyphens and spaces alike (Al-Hassan, AL HASSAN)."""
    return " ".join(fold_words(name))


def _bare(name: str) -> str:
    """Folded without the German digraphs: what OCR leaves of Öztürk when it drops the
    dots (Ozturk), so that a lost umlaut costs nothing (ö is oe in _key, o here)."""
    return _key(unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode())


def _similarity(a: str, b: str) -> float:
    return max(fuzz.ratio(_key(a), _key(b)), fuzz.ratio(_bare(a), _bare(b)))


def _same_name(a: str, b: str) -> bool:
    return _similarity(a, b) >= 88


def _in_text(name: str, words: frozenset[str]) -> bool:
    """Every part of the name (Al-Hassan: al, hassan) is a word of the text, allowing one
    OCR slip in longer parts."""
    parts = [p for p in fold_words(name) if len(p) >= 2]
    if not parts or not words:
        return False
    for p in parts:
        if p in words:
            continue
        if len(p) < 5 or not process.extractOne(p, words, scorer=fuzz.ratio, score_cutoff=80):
            return False
    return True


def evidence(signals: Signals, c: Candidate) -> list[str]:
    found = []
    mrz = signals.mrz
    if mrz and mrz.get("valid") and mrz.get("document_number") in c.passport_numbers \
            and c.birth_date and mrz.get("birth_date") == c.birth_date.isoformat():
        found.append("mrz")
    if c.azr_number and c.azr_number in signals.azr_numbers:
        found.append("azr")
    if c.aktenzeichen in signals.aktenzeichen:
        found.append("aktenzeichen")
    if c.birth_date in signals.birth_dates and any(_same_name(s, c.surname)
                                                   for s in signals.surnames):
        found.append("name_dob")
    if "mrz" not in found and set(signals.passport_numbers) & set(c.passport_numbers):
        found.append("passport")
    if "name_dob" in found:
        if c.given_names and _in_text(c.given_names, signals.words):
            found.append("given_names")
    elif found and _in_text(c.surname, signals.words):
        found.append("name")
    return found


def score(kinds: list[str]) -> float:
    miss = 1.0
    for k in kinds:
        miss *= 1 - WEIGHTS[k]
    return round(1 - miss, 4)


def decide(signals: Signals, candidates: list[Candidate]) -> Decision:
    ranked = sorted(((score(ev), c, ev) for c in candidates if (ev := evidence(signals, c))),
                    key=lambda t: (-t[0], t[1].aktenzeichen))
    suggestions = [Suggestion(c.aktenzeichen, s, ev) for s, c, ev in ranked[:5]]
    if not ranked:
        reason = ("no identifier on the document matches a known client" if _any(signals)
                  else "no identifier found on the document (no MRZ, Aktenzeichen, AZR or "
                       "passport number, no name with date of birth)")
        return Decision(None, 0.0, [reason], suggestions)
    best_score, best, best_ev = ranked[0]
    rivals = [(s, c) for s, c, _ in ranked[1:] if s >= RIVAL]
    if rivals:
        names = ", ".join(c.aktenzeichen for _, c in rivals)
        return Decision(None, best_score, [f"several clients match: {best.aktenzeichen} and "
                                           f"{names}; a person decides"], suggestions)
    said = " and ".join(LABELS[e] for e in best_ev)
    # a namesake: the document gives the client's surname with a birth date, but not the
    # client's own (a child, a relative, another person of that name): a file number or a
    # passport number on it does not make it the client's document
    if "mrz" not in best_ev and "azr" not in best_ev and best.birth_date \
            and signals.birth_dates and best.birth_date not in signals.birth_dates \
            and any(_same_name(s, best.surname) for s in signals.surnames):
        dates = ", ".join(sorted(d.isoformat() for d in signals.birth_dates))
        return Decision(None, best_score, [
            f"{said} point to {best.aktenzeichen} ({best.surname}), but the document gives "
            f"the birth date {dates}, not the client's; a person decides"], suggestions)
    # a labelled surname that is clearly someone else's (not an OCR slip: Zegiri for Zeqiri)
    named = [n for n in signals.surnames if _similarity(n, best.surname) < 75]
    if named and len(named) == len(signals.surnames) and "mrz" not in best_ev \
            and "azr" not in best_ev:
        return Decision(None, best_score, [
            f"{said} point to {best.aktenzeichen} ({best.surname}), but the document names "
            f"{', '.join(named)}; a person decides"], suggestions)
    if best_score < AUTO_FILE:
        return Decision(None, best_score, [
            f"only {said} point to {best.aktenzeichen} (confidence {best_score:.2f} < "
            f"{AUTO_FILE}); a person confirms"], suggestions)
    return Decision(best.aktenzeichen, best_score,
                    [f"{said} identify {best.aktenzeichen} (confidence {best_score:.2f})"],
                    suggestions)


def _any(s: Signals) -> bool:
    return bool(s.aktenzeichen or s.azr_numbers or s.passport_numbers or s.mrz
                or (s.surnames and s.birth_dates))


def explicit_conflict(signals: Signals, explicit: Candidate | None,
                      candidates: list[Candidate]) -> str | None:
    """Why the page contradicts an explicit reference (cover sheet, upload reference,
    `--efile`), or None. Contradictions count only when they are confident: a number of
    another client (MRZ, AZR, passport), another client's surname with birth date and given
    names, or a birth date on the page that is not the referenced client's while the page
    names that client's surname (a namesake). A page that merely mentions another person
    (a lawyer, an employer's manager) brings no birth date of theirs and no number, so it
    does not count."""
    if explicit is None:
        return None
    own = set(evidence(signals, explicit))
    for c in candidates:
        if c.aktenzeichen == explicit.aktenzeichen:
            continue
        ev = evidence(signals, c)
        strong = [e for e in ev if e in ("mrz", "azr", "passport")]
        if "name_dob" in ev and "given_names" in ev:
            strong.append("name_dob")
        if strong and not own & {"mrz", "azr", "passport"}:
            return (f"the page names another client: {' and '.join(LABELS[e] for e in strong)} "
                    f"of {c.aktenzeichen} ({c.given_names} {c.surname}"
                    f"{', geb. ' + c.birth_date.isoformat() if c.birth_date else ''})")
    if explicit.birth_date and signals.birth_dates \
            and explicit.birth_date not in signals.birth_dates \
            and any(_same_name(s, explicit.surname) for s in signals.surnames) \
            and not own & {"mrz", "azr", "passport"}:
        dates = ", ".join(sorted(d.isoformat() for d in signals.birth_dates))
        return (f"the page gives the birth date {dates}, but {explicit.aktenzeichen} "
                f"({explicit.given_names} {explicit.surname}) was born "
                f"{explicit.birth_date.isoformat()}")
    return None
