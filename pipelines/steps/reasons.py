"""Reasons in words: a library's message as staff may read it. qpdf names the Python object it
reads from in every message ("stream <_io.BytesIO object at 0x7f3a…>: …"): that goes; the
library's own words stay, in parentheses after ours, so a specialist can still look them up."""

from __future__ import annotations

import re

_OBJECT_TEXT = re.compile(r"(stream\s+)?<_?io\.\w+ object at 0x[0-9a-f]+>:?\s*|"
                          r"^(file|stream) [^:]*: ", re.I)


def library_words(e: BaseException, limit: int = 160) -> str:
    """The first line of `e`'s message without object text (its type's name if none)."""
    first = (str(e).strip().splitlines() or [""])[0]
    first = _OBJECT_TEXT.sub("", first).strip(" :")
    return (first or type(e).__name__)[:limit]
