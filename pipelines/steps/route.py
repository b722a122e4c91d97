"""Route: read the identifiers off the document and decide its e-file. An explicit reference
(`--efile`, a cover sheet, the portal's reference) beats every guess, but not certain
evidence of another client (a valid MRZ or AZR number of someone else): that conflict goes
to the inbox. Otherwise the router files only when it is sure, and the inbox gets the
reasons and ranked suggestions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from classifiers.identifiers import extract
from efile.context import Context
from efile.services.routing import route

from .ocr import PageResult


@dataclass
class Route:
    efile: str | None
    by: str  # explicit | automatic | inbox
    reasons: list[str] = field(default_factory=list)
    suggestions: list[dict] = field(default_factory=list)
    identifiers: dict = field(default_factory=dict)
    confidence: float | None = None


def route_document(ctx: Context, pages: list[PageResult], *, explicit: str | None) -> Route:
    ids = extract("\n".join(p.text for p in pages),
                  aktenzeichen_pattern=ctx.settings.aktenzeichen_pattern)
    zones = [p.mrz for p in pages if p.mrz and p.mrz.get("valid")]
    with ctx.db.session() as s:
        decision = route(s, ids, zones[0] if zones else None)
    suggestions = [asdict(x) for x in decision.suggestions]
    if explicit and decision.efile and decision.efile != explicit:
        # the reference says one client, the document's own evidence surely another (a
        # wrong cover sheet, a mixed-up stack): that is for a person to decide
        return Route(None, "inbox", [f"the reference says {explicit}, but {decision.reasons[0]}"
                                     "; a person decides"], suggestions, ids.to_dict(),
                     decision.confidence)
    if explicit:
        return Route(explicit, "explicit", [f"explicit reference {explicit}"],
                     identifiers=ids.to_dict(), confidence=1.0)
    return Route(decision.efile, "automatic" if decision.efile else "inbox", decision.reasons,
                 suggestions, ids.to_dict(), decision.confidence)
