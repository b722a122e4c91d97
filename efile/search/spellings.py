"""A client's name as the register spells it, added to a search for that name in another
spelling: "Ozturk" also looks for "Öztürk" in the documents, "Ivanova" for "Iwanowa" and
"Иванова", where the text index alone (folding: ü→ue) keeps them apart.

The spellings come only from the clients the person search found for this query among the
e-files the reader may see (efile.services.person_search), so a name the reader may not see
adds nothing: the answer stays exactly what an unknown name gives. A word is widened only
when its key (names.py) is the key of one of those clients' name words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .fold import fold_words, raw_words
from .names import word_key, words
from .terms import Query, Term

Spellings = Mapping[str, frozenset[tuple[str, str]]]  # key → {(folded, raw)}


def spellings_of(names: Iterable[str]) -> dict[str, frozenset[tuple[str, str]]]:
    """key → the (folded, lower-cased) forms of every word of these names."""
    out: dict[str, set[tuple[str, str]]] = {}
    for name in names:
        for w in words(name):
            folded, raw = fold_words(w), raw_words(w)
            if len(folded) == 1 and len(raw) == 1:
                out.setdefault(word_key(w), set()).add((folded[0], raw[0]))
    return {k: frozenset(v) for k, v in out.items()}


def widen(q: Query, spellings: Spellings) -> Query:
    if not spellings:
        return q
    groups = []
    for g in q.groups:
        have = {t.words for t in g}
        extra: list[Term] = []
        for t in g:
            if t.negated or t.prefix or len(t.words) != 1:
                continue
            for folded, raw in sorted(spellings.get(word_key(t.raw[0] if t.raw else
                                                             t.words[0]), ())):
                if (folded,) not in have:
                    have.add((folded,))
                    extra.append(Term((folded,), raw=(raw,)))
        groups.append(g + tuple(extra))
    return Query(tuple(groups), q.filters)
