"""The part of a search that can name a client: what the search page and the API hand to the
person search (efile.services.person_search) to show the matching e-files above the
document hits.

Plain words and phrases are the name; geb: is the birth date; az:, pass: and azr: the
numbers; a date, a passport number or an Aktenzeichen typed as a word stays in as it is.
What only narrows documents (typ:, von:, bis:, datum:), excluded words, prefixes, OR and
other `key:` words say nothing about the person and are left out. Nothing left: no lookup.
"""

from __future__ import annotations

from .query import _TOKEN

_CLIENT_FILTERS = {"geb", "az", "pass", "azr"}


def client_query(text: str) -> str:
    parts: list[str] = []
    for m in _TOKEN.finditer(text[:500]):
        if m.group("neg"):
            continue
        key = (m.group("key") or "").lower()
        if key:
            value = m.group("qval") if m.group("qval") is not None else m.group("val")
            if key in _CLIENT_FILTERS and value and " " not in value.strip():
                parts.append(value.strip())
            continue
        if m.group("phrase") is not None:
            parts.append(m.group("phrase"))
            continue
        word = m.group("word")
        if word == "OR" or word.endswith("*"):
            continue
        parts.append(word)
    return " ".join(p for p in parts if p.strip())
