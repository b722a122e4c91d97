"""What a parsed query is made of: words and phrases to look for (terms) and conditions on the
document (filters). Plain data every backend translates; see query.py for the language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # folded; more than one word = phrase
    prefix: bool = False
    negated: bool = False
    raw: tuple[str, ...] = ()  # the same words lower-cased but unfolded, for stemmers
    token: str = ""  # a single word as typed (C01X00T47, ABH-2024-000123): maybe a number


@dataclass(frozen=True)
class Filter:
    """A condition on the document rather than its words.

    field: efile (Aktenzeichen) | type | birth (client's date of birth) | dated (the
    document's date) | passport | azr | identifier (a number typed as a word: the client's
    documents or any that prints it)."""

    field: str
    values: tuple[str, ...] = ()
    start: date | None = None  # date ranges, both ends inclusive
    end: date | None = None
    negated: bool = False
    text: Term | None = None  # identifier: the number as words, to find it printed


@dataclass(frozen=True)
class Query:
    groups: tuple[tuple[Term, ...], ...]  # AND of groups; the terms in a group are OR'ed
    filters: tuple[Filter, ...] = ()

    @property
    def positive_terms(self) -> list[Term]:
        """The terms whose words a hit shows highlighted (numbers typed as words too)."""
        terms = [t for g in self.groups for t in g if not t.negated]
        return terms + [f.text for f in self.filters if f.text is not None and not f.negated]

    @property
    def ranked_groups(self) -> tuple[tuple[Term, ...], ...]:
        """The groups with at least one word to look for (a group of negations only is a
        filter: the document must contain none of them)."""
        return tuple(g for g in self.groups if any(not t.negated for t in g))

    @property
    def excluded(self) -> list[Term]:
        return [t for g in self.groups for t in g if t.negated]
