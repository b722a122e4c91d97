"""The name key: one spelling for the ways a client's name reaches the office.

A name arrives in the script of the passport (Иванова), in the German transliteration an
older German document used (Iwanowa), in the English one of a newer passport's MRZ or a
foreign letter (Ivanova), with or without its diacritics (Öztürk, Oeztuerk, Ozturk, OZTURK;
Nguyễn, Nguyen; Ševčenko, Schewtschenko, Shevchenko). The key of each word is what those
spellings share, so a lookup compares keys, never spellings.

1. Script: anyascii (a maintained Unicode-to-ASCII table, romanisation in the English style
   for Cyrillic, Greek, Arabic ...) turns every word into Latin letters; before it, the
   Slavic háček letters become the English digraphs (š→sh, č→ch, ž→zh) that the Cyrillic
   letters they stand for get, where anyascii would drop the háček (š→s).
2. German and English transliteration of Cyrillic, and German umlaut spellings, meet:
   tsch→ch, sch→sh, zh→sh (ж: German sh, English zh), kh→ch (х: German ch, English kh),
   w→v, y→j, a j not before a vowel or after a consonant → i (Sergej, Sergey, Sergei;
   -ij, -iy; Natal'ya, Natalija), "ij"/"ii"
   before a vowel → i (Marija, Mariya, Maria), a leading je→e (Jelena, Yelena, Elena),
   ae/oe/ue→a/o/u (Mueller, Müller, Muller), x→ks, doubled letters once (Wassili, Vasiliy).

Deliberately NOT equal (tested in tests/test_person_search.py):
  - Iwanowa ≠ Iwanow, Ivanova ≠ Ivanov: the feminine and the masculine form are different
    people of one family (wife, husband, son), a key that merged them would offer the
    husband's e-file for the wife's letter, the misfiling this office fears most;
  - Yilmaz ≠ Yildiz and in general no fuzzy distance: a key only removes a difference of
    spelling, never of letters that differ in every script;
  - z/s, ts/z (German Sacharow, English Zakharov) stay apart: merging them would join many
    unrelated German and Turkish names.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

from .fold import WORD

_HACEK = str.maketrans({"š": "sh", "Š": "Sh", "č": "ch", "Č": "Ch", "ž": "zh", "Ž": "Zh"})
_VOWEL = "aeiou"
# in this order: "tsch" before "sch" (Schewtschenko: tsch→ch first, then sch→sh)
_REWRITES = (("tsch", "ch"), ("sch", "sh"), ("zh", "sh"), ("kh", "ch"), ("w", "v"),
             ("y", "j"), ("x", "ks"), ("ae", "a"), ("oe", "o"), ("ue", "u"))
_J_NOT_BEFORE_VOWEL = re.compile(rf"j(?![{_VOWEL}])")
_J_AFTER_CONSONANT = re.compile(rf"(?<=[^{_VOWEL}])j")  # the soft sign: Natal'ya, Natalija
_I_BEFORE_VOWEL = re.compile(rf"i+(?=[{_VOWEL}])")
_DOUBLE = re.compile(r"(.)\1+")


def word_key(word: str) -> str:
    """The key of one word (letters only; digits pass through)."""
    w = anyascii(unicodedata.normalize("NFC", word).translate(_HACEK)).lower()
    w = "".join(c for c in w if c.isalnum())
    for a, b in _REWRITES:
        w = w.replace(a, b)
    if w.startswith("je"):
        w = w[1:]
    w = _J_AFTER_CONSONANT.sub("i", _J_NOT_BEFORE_VOWEL.sub("i", w))
    w = _DOUBLE.sub(r"\1", w)
    # i (from j, y or ii) before a vowel: Marija, Mariya, Maria → maria; Julija → julia
    w = _I_BEFORE_VOWEL.sub("i", w.replace("ij", "i")) if "i" in w else w
    return _DOUBLE.sub(r"\1", w)


def words(text: str) -> list[str]:
    """The name words of a text: letters of any script (Müller-Lüdenscheidt: two words)."""
    return WORD.findall(unicodedata.normalize("NFC", text))


def keys(text: str) -> list[str]:
    out = []
    for w in words(text):
        k = word_key(w)
        if k and k not in out:
            out.append(k)
    return out


SEPARATOR = "|"  # between the surname's keys and the given names' keys


def name_key(surname: str, given_names: str) -> str:
    """What is stored on the person (persons.name_key) and compared with LIKE: every word's
    key between spaces, the surname's before the separator, " ozturk | ajse nur ", so a word
    matches as "% key %" and a surname word as "% key % |%"."""
    return f" {' '.join(keys(surname))} {SEPARATOR} {' '.join(keys(given_names))} "
