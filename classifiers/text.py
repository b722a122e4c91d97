"""Text folding: the one rule that makes Müller, Mueller and MÜLLER the same word.

Used for search (indexed text and queries alike, on every backend), name lookups and
routing's name comparison. German digraphs first
(ä→ae, ö→oe, ü→ue, ß→ss), then other diacritics are stripped (é→e, ş→s), and a few letters
without a decomposition are mapped (ı→i, ø→oe, ł→l), so names from the client register
(Turkish, Polish, Vietnamese ...) match however a scan or a caseworker spells them.
"""

from __future__ import annotations

import re
import unicodedata

_DIGRAPHS = str.maketrans({
    "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss",
    "æ": "ae", "ø": "oe", "œ": "oe", "å": "aa",
    "ı": "i", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ħ": "h",
})
_COMBINING = re.compile(r"[\u0300-\u036f]")
WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    # NFC first so a decomposed "u + ¨" is folded like "ü"
    text = unicodedata.normalize("NFC", text).lower().translate(_DIGRAPHS)
    return _COMBINING.sub("", unicodedata.normalize("NFD", text))


def fold_words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def raw_words(text: str) -> list[str]:
    """Words lower-cased but not folded (ü stays ü), for a stemmer that knows German."""
    return WORD.findall(unicodedata.normalize("NFC", text).lower())
