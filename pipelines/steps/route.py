"""Route: read the identifiers off the document and decide its e-file. An explicit reference
(`--efile`, a cover sheet, the portal's reference) beats every guess, but not certain
evidence of another client (a valid MRZ or AZR number of someone else): that conflict goes
to the inbox. Otherwise the router files only when it is sure, and the inbox gets the
reasons and ranked suggestions.

A document whose type is unsure also waits for a person, even when its e-file is certain:
the type decides who may read it (a medical attest is restricted), so a guess could show
health data to the whole team. The certain e-file comes first among the suggestions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import select

from classifiers.doctype import Classification
from classifiers.identifiers import extract
from classifiers.router import explicit_conflict
from efile.context import Context
from efile.models import EFile
from efile.services.routing import _candidate, candidates, route, signals_for

from .classify import valid_mrz
from .ocr import PageResult


@dataclass
class Route:
    efile: str | None
    by: str  # explicit | automatic | inbox
    reasons: list[str] = field(default_factory=list)
    suggestions: list[dict] = field(default_factory=list)
    identifiers: dict = field(default_factory=dict)
    confidence: float | None = None


def route_document(ctx: Context, pages: list[PageResult], kind: Classification, *,
                   explicit: str | None, hold: str | None = None) -> Route:
    text = "\n".join(p.text for p in pages)
    ids = extract(text, aktenzeichen_pattern=ctx.settings.aktenzeichen_pattern)
    with ctx.db.session() as s:
        decision = route(s, ids, valid_mrz(pages), text)
    suggestions = [asdict(x) for x in decision.suggestions]
    found = ids.to_dict()
    if hold:  # the batch says a person must look, whatever the content suggests
        return Route(None, "inbox", [hold] + decision.reasons, suggestions, found,
                     decision.confidence)
    disputed = [p.mrz["disputed"] for p in pages if p.mrz and p.mrz.get("disputed")]
    if disputed:  # a valid checksum but a visual zone that disagrees: never file on it
        return Route(None, "inbox", [f"the MRZ disagrees with the visual zone ({disputed[0]}); "
                                     "a person decides"] + decision.reasons, suggestions,
                     found, decision.confidence)
    if explicit:
        conflict = _explicit_conflict(ctx, ids, pages, text, explicit)
        if conflict:  # both readings shown: the reference's e-file and what the page names
            return Route(None, "inbox", [f"the reference says {explicit}, but {conflict}; "
                                         "a person decides"], suggestions, found,
                         decision.confidence)
    if explicit and decision.efile and decision.efile != explicit:
        # the reference says one client, the document's own evidence surely another (a
        # wrong cover sheet, a mixed-up stack): that is for a person to decide
        return Route(None, "inbox", [f"the reference says {explicit}, but {decision.reasons[0]}"
                                     "; a person decides"], suggestions, found,
                     decision.confidence)
    target = explicit or decision.efile
    if target and not kind.sure:
        reason = (f"document type unsure: {kind.name} ({kind.confidence:.2f}; "
                  f"{'; '.join(kind.reasons)}); a person confirms type and e-file")
        if not any(x["aktenzeichen"] == target for x in suggestions):
            suggestions.insert(0, {"aktenzeichen": target, "score": 1.0 if explicit else
                                   decision.confidence, "evidence": ["explicit reference"]
                                   if explicit else []})
        return Route(None, "inbox", [reason], suggestions, found, decision.confidence)
    if explicit:
        return Route(explicit, "explicit", [f"explicit reference {explicit}"],
                     identifiers=found, confidence=1.0)
    return Route(decision.efile, "automatic" if decision.efile else "inbox", decision.reasons,
                 suggestions, found, decision.confidence)


def _explicit_conflict(ctx: Context, ids, pages: list[PageResult], text: str,  # noqa: ANN001
                       explicit: str) -> str | None:
    signals = signals_for(ids, valid_mrz(pages), text)
    with ctx.db.session() as s:
        efile = s.scalar(select(EFile).where(EFile.aktenzeichen == explicit))
        own = _candidate(efile) if efile is not None else None
        others = candidates(s, signals)
    return explicit_conflict(signals, own, others)
