"""Route: read the identifiers off the document and decide its e-file. An explicit reference
(`--efile`, a cover sheet, the portal's reference) beats every guess, but not certain
evidence of another client (a valid MRZ or AZR number of someone else): that conflict goes
to the inbox. Otherwise the router files only when it is sure, and the inbox gets the
reasons and ranked suggestions.

A document whose e-file is certain but whose type is unsure is filed into that e-file with a
type to check (`type_check`): the client's documents must not wait in the inbox for a type,
and the type is confirmed where the e-file is worked. The classifier has already marked it
restricted if it might be a restricted type (classifiers/doctype.py `guarded`), so a guess
never shows health data to a team.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from classifiers.doctype import Classification
from classifiers.identifiers import extract
from classifiers.router import explicit_conflict
from efile.context import Context
from efile.services.efiles import efile_by_aktenzeichen
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
    type_check: str | None = None  # filed, but a person confirms the unsure type


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
    if disputed:  # valid check digits, but the visual zone or the band's readings doubt it
        return Route(None, "inbox", [f"the MRZ is in doubt ({disputed[0]}); a person decides"]
                     + decision.reasons, suggestions,
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
    check = None if kind.sure else (
        f"document type unsure: {kind.name} ({kind.confidence:.2f}; {'; '.join(kind.reasons)})"
        "; a person confirms the type")
    if explicit:
        return Route(explicit, "explicit", [f"explicit reference {explicit}"],
                     identifiers=found, confidence=1.0, type_check=check)
    if decision.efile:
        return Route(decision.efile, "automatic", decision.reasons, identifiers=found,
                     confidence=decision.confidence, type_check=check)
    return Route(None, "inbox", decision.reasons, suggestions, found, decision.confidence)


def _explicit_conflict(ctx: Context, ids, pages: list[PageResult], text: str,  # noqa: ANN001
                       explicit: str) -> str | None:
    signals = signals_for(ids, valid_mrz(pages), text)
    with ctx.db.session() as s:
        efile = efile_by_aktenzeichen(s, explicit)
        own = _candidate(efile) if efile is not None else None
        others = candidates(s, signals)
    return explicit_conflict(signals, own, others)
