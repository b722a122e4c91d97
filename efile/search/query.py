"""The caseworker's query language, parsed into plain terms and filters every backend can
translate.

    Müller Arbeitgeber          both words (AND), anywhere in the document
    "unbefristet in Vollzeit"   a phrase
    Arbeitsver*                 a prefix (at least three letters)
    -Kündigung                  without this word
    Bescheid OR Bescheinigung   either word
    az:ABH-2024-000123          documents of this e-file (Aktenzeichen)
    typ:arbeitsvertrag          of this type: its id or German name (typ:"Ärztliches Attest")
    geb:14.03.1990              of a client born on that day (geb:1990-03-14, geb:1990)
    von:2024-03  bis:14.03.2024 dated from / until (a year, a month or a day)
    datum:2024                  dated within that year (month, day)
    pass:C01X00T47  azr:…       of the client holding that passport / AZR number
    02.05.1979                  a day, found printed as 02.05.1979, 2.5.1979 or 1979-05-02

A filter repeated (typ:payslip typ:bank_statement) accepts either value; a leading minus
excludes (-typ:passport). A client's passport or AZR number or an Aktenzeichen typed as a
plain word finds the client's documents and any document that prints it (identify.py,
looked up when searching). Other `word:…`
tokens are searched as words (Az.: 123). Filters alone are a query: `az:… typ:…` lists the
documents, newest first. Terms are folded (see fold.py); raw input never reaches a backend's
query syntax.
"""

from __future__ import annotations

import re
from datetime import date

from ..errors import InvalidQuery
from . import values
from .fold import fold_words, raw_words
from .terms import Filter, Query, Term

MAX_CHARS = 500
MAX_TERMS = 30  # words (each word of a phrase counts) and filters
MIN_PREFIX = 3

_TOKEN = re.compile(
    r'(?P<neg>-?)(?:(?P<key>[^\W\d_]+):(?:"(?P<qval>[^"]*)"?|(?P<val>[^\s"]*))'
    r'|"(?P<phrase>[^"]*)"|(?P<word>\S+))')


_DAY = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}")


def _day(word: str) -> date | None:
    """The day a word writes as a date (ISO or German); None for any other word or for a
    day no calendar has (31.02.1979 stays a word)."""
    if not _DAY.fullmatch(word):
        return None
    try:
        start, end = values.date_range("datum", word)
    except InvalidQuery:
        return None
    return start if start == end else None


_FIELD = {"az": "efile", "typ": "type", "geb": "birth", "pass": "passport", "azr": "azr",
          "von": "dated", "bis": "dated", "datum": "dated"}


class _Builder:
    def __init__(self) -> None:
        self.groups: list[list[Term]] = []
        self.last_group: list[Term] | None = None  # what a following OR joins
        self.filters: dict[tuple[str, bool], Filter] = {}
        self.dated: dict[str, tuple[date, date]] = {}
        self.terms = 0

    def count(self, n: int) -> None:
        self.terms += n
        if self.terms > MAX_TERMS:
            raise InvalidQuery(f"the query has too many terms (at most {MAX_TERMS} words and "
                               "filters)")

    def add_filter(self, key: str, value: str, negated: bool) -> None:
        self.last_group = None
        field = _FIELD[key]
        value = value.strip()
        if not value:
            raise InvalidQuery(f"{key}: needs a value, e.g. {values.EXAMPLES[key]}")
        self.count(1)
        if key in self.dated or (key == "geb" and ("birth", negated) in self.filters):
            raise InvalidQuery(f"{key}: is given twice")
        if field == "dated":
            if negated:
                raise InvalidQuery(f"-{key}: cannot be negated; use von: and bis:")
            self.dated[key] = values.date_range(key, value)
            return
        new = values.filter_for(key, field, value, negated)
        old = self.filters.get((field, negated))
        if old is not None and new.values:  # the same filter again: either value
            new = Filter(field, old.values + tuple(v for v in new.values if v not in old.values),
                         negated=negated)
        self.filters[(field, negated)] = new

    def add_words(self, source: str, *, negated: bool, prefix: bool, join: bool,
                  token: str = "") -> None:
        words = tuple(fold_words(source))
        if not words:
            return
        self.count(len(words))
        if prefix and len(words[-1]) < MIN_PREFIX:
            raise InvalidQuery(f"a prefix needs at least {MIN_PREFIX} letters: {source}*")
        term = Term(words, prefix=prefix, negated=negated, raw=tuple(raw_words(source)),
                    token=token)
        if join and not negated and self.last_group is not None:
            self.last_group.append(term)
        else:
            self.groups.append([term])
            self.last_group = None if negated else self.groups[-1]

    def add_date(self, day: date, *, negated: bool, join: bool) -> None:
        """A day typed as a word (1979-05-02, 02.05.1979, 2.5.1979) finds it printed in any
        of these ways: one group of phrases. `raw` is the date as one token, which is how
        PostgreSQL's parser indexes 02.05.1979 (SQLite's splits it into three words)."""
        spellings = [(f"{day:%d}", f"{day:%m}", f"{day:%Y}"),
                     (str(day.day), str(day.month), f"{day:%Y}"),
                     (f"{day:%Y}", f"{day:%m}", f"{day:%d}")]
        self.count(3)
        terms = [Term(w, negated=negated, raw=(("-" if len(w[0]) == 4 else ".").join(w),))
                 for w in dict.fromkeys(spellings)]
        if join and not negated and self.last_group is not None:
            self.last_group.extend(terms)
        else:
            self.groups.append(terms)
            self.last_group = None if negated else self.groups[-1]

    def query(self) -> Query:
        filters = list(self.filters.values())
        if self.dated:
            filters.append(values.dated_filter(self.dated))
        if not any(not t.negated for g in self.groups for t in g) and \
                not any(not f.negated for f in filters):
            raise InvalidQuery("the query needs at least one word or filter to look for "
                               "(az:, typ:, geb:, von:, bis:, pass:, azr:)")
        return Query(tuple(tuple(g) for g in self.groups), tuple(filters))


def parse(text: str) -> Query:
    if len(text) > MAX_CHARS:
        raise InvalidQuery(f"the query is too long ({len(text)} characters; at most {MAX_CHARS})")
    b = _Builder()
    join_next = False
    for m in _TOKEN.finditer(text):
        neg = m.group("neg") == "-"
        key = (m.group("key") or "").lower()
        if key in _FIELD:
            qval = m.group("qval")
            b.add_filter(key, qval if qval is not None else m.group("val"), neg)
        elif m.group("phrase") is not None:
            b.add_words(m.group("phrase"), negated=neg, prefix=False, join=join_next)
        else:
            # a word, or `other:thing` searched as words (Az.: 123)
            word = m.group(0)[len(m.group("neg")):]
            if word == "OR" and not neg:
                join_next = b.last_group is not None
                continue
            day = _day(word)
            if day is not None:
                b.add_date(day, negated=neg, join=join_next)
            else:
                b.add_words(word.rstrip("*"), negated=neg, prefix=word.endswith("*"),
                            join=join_next, token=word)
        join_next = False
    return b.query()
