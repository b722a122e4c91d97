"""Highlighted snippets built from the stored page text (not the folded index), so the
caseworker sees the words as printed: "… Frau <mark>Müller</mark> ist seit …".

The snippet is safe HTML: the text is escaped, only <mark> tags are added.
"""

from __future__ import annotations

import html
import re

from .fold import fold
from .query import Term

_WORD_SPAN = re.compile(r"\w+", re.UNICODE)


def _matchers(terms: list[Term]) -> list[tuple[tuple[str, ...], bool]]:
    return [(t.words, t.prefix) for t in terms]


def highlight_spans(text: str, terms: list[Term]) -> list[tuple[int, int]]:
    """Character spans in `text` of the words and phrases that match the terms."""
    words = [(m.start(), m.end(), fold(m.group())) for m in _WORD_SPAN.finditer(text)]
    # a printed word can fold into several index words ("Müller-Lüdenscheidt"); compare the
    # folded forms word by word, consecutive words for phrases
    spans: list[tuple[int, int]] = []
    for seq, prefix in _matchers(terms):
        n = len(seq)
        for i in range(len(words) - n + 1):
            ok = True
            for j, w in enumerate(seq):
                cand = words[i + j][2]
                last = j == n - 1
                if not (cand == w or (prefix and last and cand.startswith(w))):
                    ok = False
                    break
            if ok:
                spans.append((words[i][0], words[i + n - 1][1]))
    return sorted(set(spans))


def make_snippet(text: str, terms: list[Term], width: int = 180) -> str:
    spans = highlight_spans(text, terms)
    flat = text
    if not spans:
        cut = flat[:width]
        return html.escape(" ".join(cut.split())) + ("…" if len(flat) > width else "")
    # the window of `width` characters that holds the most matches
    best_start, best_count = spans[0][0], 0
    for s, _ in spans:
        count = sum(1 for a, b in spans if s <= a and b <= s + width)
        if count > best_count:
            best_start, best_count = s, count
    start = max(0, best_start - width // 4)
    start = flat.rfind(" ", 0, start) + 1 if start > 0 else 0
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", start, end)
        end = space if space > best_start else end
    out, pos = [], start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(html.escape(flat[pos:a]))
        out.append(f"<mark>{html.escape(flat[a:b])}</mark>")
        pos = b
    out.append(html.escape(flat[pos:end]))
    body = " ".join("".join(out).split())
    return ("…" if start > 0 else "") + body + ("…" if end < len(flat) else "")
