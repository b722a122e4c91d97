"""Layers 1 and 2 of document-type classification: what the page says about itself.

Layer 1 (deterministic): a machine readable zone whose check digits all hold names the kind of
identity document (passport, ID card, residence permit, visa) beyond doubt.
Layer 2 (rules): the heading of the first page (where every document names itself: the first
lines), printed form identifiers and legal bases, then body keywords. Rules give a score per
type and the words that earned it, so a caseworker sees why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .taxonomy import Taxonomy
from .text import fold

HEAD_LINES = 12  # letters put the sender first, then the subject; forms start with the title
FORM_SCORE = 4.0  # a form identifier or legal basis in the heading
TITLE_SCORE = 3.0  # a heading that names the type
TITLE_BODY_SCORE = 0.75  # the same words further down: a mention, not a heading
KEYWORD_SCORE = 0.4
KEYWORD_CAP = 2.0  # many keywords never outweigh a heading
STRONG = TITLE_SCORE  # a rule verdict worth stating on its own


@dataclass
class RuleScore:
    type_id: str
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def _heading_match(pattern: re.Pattern, head: str) -> re.Match | None:
    """A match that starts its line (at most two words before it: "Betreff:", "Ihre
    Arbeitgeberbescheinigung"): a heading, not a word in a sentence ("durch Urteil des ...")."""
    for m in pattern.finditer(head):
        line_start = head.rfind("\n", 0, m.start()) + 1
        if len(head[line_start:m.start()].split()) <= 2:
            return m
    return None


def head_of(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return "\n".join(lines[:HEAD_LINES])


def from_mrz(taxonomy: Taxonomy, mrz: dict | None) -> str | None:
    """The type a valid MRZ decides, or None."""
    if not mrz or not mrz.get("valid"):
        return None
    for t in taxonomy.types:
        if mrz.get("kind") in t.mrz_kinds:
            return t.id
    return None


def score(taxonomy: Taxonomy, first_page: str, full_text: str) -> list[RuleScore]:
    """Rule scores for every type that earned any, best first."""
    head, body = fold(head_of(first_page)), fold(full_text)
    results = []
    for t in taxonomy.types:
        r = RuleScore(t.id)
        for p in t.forms:
            if m := p.search(head):  # a legal basis may sit anywhere in the heading lines
                r.score += FORM_SCORE
                r.reasons.append(f"form identifier '{m.group(0)}' in the heading")
                break
        for p in t.titles:
            if m := _heading_match(p, head):
                r.score += TITLE_SCORE
                r.reasons.append(f"heading '{m.group(0)}'")
                break
        else:
            for p in t.titles:
                if m := p.search(body):
                    r.score += TITLE_BODY_SCORE
                    r.reasons.append(f"mentions '{m.group(0)}'")
                    break
        hits = [m.group(0) for p in t.keywords if (m := p.search(body))]
        if hits:
            r.score += min(KEYWORD_CAP, KEYWORD_SCORE * len(hits))
            r.reasons.append("keywords " + ", ".join(f"'{h}'" for h in hits[:5]))
        if r.score:
            results.append(r)
    return sorted(results, key=lambda r: -r.score)
