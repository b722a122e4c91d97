"""The caseworker's query language, parsed into plain terms every backend can translate.

    Müller Arbeitgeber          both words (AND)
    "unbefristet in Vollzeit"   a phrase
    Arbeitsver*                 a prefix
    -Kündigung                  without this word
    Bescheid OR Bescheinigung   either word

Terms are folded (see fold.py). Raw user input never reaches a backend's query syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import InvalidQuery
from .fold import fold_words, raw_words

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # folded; more than one word = phrase
    prefix: bool = False
    negated: bool = False
    raw: tuple[str, ...] = ()  # the same words lower-cased but unfolded, for stemmers


@dataclass(frozen=True)
class Query:
    groups: tuple[tuple[Term, ...], ...]  # AND of groups; the terms in a group are OR'ed

    @property
    def positive_terms(self) -> list[Term]:
        return [t for g in self.groups for t in g if not t.negated]


def parse(text: str) -> Query:
    groups: list[list[Term]] = []
    join_next = False
    for m in _TOKEN.finditer(text):
        neg, phrase, word = m.group(1) == "-", m.group(2), m.group(3)
        if word is not None and word == "OR":
            join_next = bool(groups)
            continue
        if word is not None:
            neg = word.startswith("-") and len(word) > 1
            raw = word[1:] if neg else word
            prefix = raw.endswith("*")
            source = raw.rstrip("*")
        else:
            prefix = False
            source = phrase
        words = tuple(fold_words(source))
        if not words:
            continue
        term = Term(words, prefix=prefix, negated=neg, raw=tuple(raw_words(source)))
        if join_next and not neg:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if not groups or all(t.negated for g in groups for t in g):
        raise InvalidQuery("the query needs at least one word to look for")
    return Query(tuple(tuple(g) for g in groups))
