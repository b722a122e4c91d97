"""What kind of document is this? Three layers, each stating its reasons:

1. a valid MRZ decides identity documents (check digits leave no doubt);
2. rules: the heading, printed form identifiers, keywords (classifiers/rules.py);
3. the statistical text model with calibrated probabilities (classifiers/model.py).

When rules and model agree, each confirms the other; when they disagree, or the model alone is
unsure, the result is marked not sure and a person looks at it. A wrong type is less harmful
than a wrong e-file, but it still decides who may read a document (restricted categories).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from . import rules
from .model import TextModel
from .taxonomy import OTHER, Taxonomy, load
from .text import fold_words

SURE = 0.6  # below this the type is shown to a person as a question, not a fact
RULE_RELIABILITY = 0.8  # how often a heading verdict alone was right (see efile eval)
RULE_MARGIN = 1.0  # a heading verdict needs this lead over the next type's rule score
MIN_WORDS = 5
DOUBT = 0.10  # an alternative at least this likely is a real possibility, not noise


@dataclass
class Classification:
    type_id: str
    name: str
    confidence: float
    layer: str  # mrz | rules | model | rules+model | none
    reasons: list[str] = field(default_factory=list)
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    restricted: bool = False

    @property
    def sure(self) -> bool:
        return self.confidence >= SURE

    def to_dict(self) -> dict:
        return {**asdict(self), "sure": self.sure,
                "alternatives": [list(a) for a in self.alternatives]}


def _result(tax: Taxonomy, type_id: str, confidence: float, layer: str, reasons: list[str],
            alternatives: list[tuple[str, float]] | None = None) -> Classification:
    t = tax.get(type_id)
    return Classification(type_id, t.name, round(confidence, 4), layer, reasons,
                          alternatives or [], t.restricted)


def named(type_id: str, reason: str, taxonomy: Taxonomy | None = None) -> Classification:
    """A type a person named (a cover sheet): certain, whatever the text says."""
    return _result(taxonomy or load(), type_id, 1.0, "explicit", [reason])


# what lets a reading overrule a person's statement: evidence on the page a person can see
# (a valid MRZ; a heading the text model agrees with), not the model's guess alone, and
# surely: 0.9 is the heading (0.8) with the model at even odds at least (1 - 0.5 × 0.2)
CLEAR_LAYERS = ("mrz", "rules+model")
CLEAR = 0.9


def against_named(named_kind: Classification, read: Classification) -> Classification:
    """A type a person named (a cover sheet), weighed against what the page reads as. When
    the page clearly is another type (CLEAR_LAYERS, sure) the named type stays, with a
    reason naming both (the caller holds the document for a person). When the page may
    well be a restricted type (a medical attest), the named type is restricted too until a
    person confirms it: a cover sheet laid on the wrong paper must not show a diagnosis to
    a whole team."""
    if read.type_id == named_kind.type_id:
        return named_kind
    kind = named_kind
    if read.restricted and read.sure and not kind.restricted:
        kind = replace(kind, restricted=True, reasons=kind.reasons + [
            f"might be {read.name}: restricted until a person confirms the type"])
    if read.confidence >= CLEAR and read.layer in CLEAR_LAYERS:
        kind = replace(kind, reasons=kind.reasons + [
            f"the page reads as {read.name} ({read.confidence:.2f}; {'; '.join(read.reasons)})"])
    return kind


def named_type_contradicted(kind: Classification) -> str | None:
    """The hold reason when against_named found the page clearly another type."""
    said = next((r for r in kind.reasons if r.startswith("the page reads as ")), None)
    if kind.layer != "explicit" or said is None:
        return None
    return f"the type named ({kind.name}) is not what the page is: it {said[len('the page '):]}"


def guarded(kind: Classification, pages: list[str], tax: Taxonomy) -> Classification:
    """An unsure type that might be a restricted one (a medical attest) is treated as restricted
    until a person confirms the type: a guess must never show health data to a whole team.
    "Might be": a plausible alternative is restricted, or a restricted type's heading or
    keywords occur in the text at all."""
    if kind.sure or kind.restricted:
        return kind
    doubt = next((t for t, p in kind.alternatives if p >= DOUBT and tax.get(t).restricted), None)
    if doubt is None:
        doubt = next((s.type_id for s in rules.score(tax, pages[0] if pages else "",
                                                     "\n".join(pages))
                      if tax.get(s.type_id).restricted), None)
    if doubt is None:
        return kind
    return replace(kind, restricted=True, reasons=kind.reasons + [
        f"might be {tax.get(doubt).name}: restricted until a person confirms the type"])


def classify(pages: list[str], *, mrz: dict | None = None, model: TextModel | None = None,
             taxonomy: Taxonomy | None = None) -> Classification:
    tax = taxonomy or load()
    return guarded(_classify(pages, mrz, model, tax), pages, tax)


def _classify(pages: list[str], mrz: dict | None, model: TextModel | None,
              tax: Taxonomy) -> Classification:
    full = "\n".join(pages)
    mrz_type = rules.from_mrz(tax, mrz)
    if mrz_type:
        return _result(tax, mrz_type, 0.99, "mrz", [
            f"valid machine readable zone, document code {mrz.get('document_code')} "  # type: ignore[union-attr]
            f"({mrz.get('format')})"])  # type: ignore[union-attr]
    if len(fold_words(full)) < MIN_WORDS:
        return _result(tax, OTHER, 0.0, "none", ["no readable text on the document"])

    scores = rules.score(tax, pages[0] if pages else "", full)
    verdict = None
    if scores and scores[0].score >= rules.STRONG and (
            len(scores) == 1 or scores[0].score - scores[1].score >= RULE_MARGIN):
        verdict = scores[0]
    pred = model.predict(full) if model else None
    alternatives = pred.alternatives if pred else [(s.type_id, 0.0) for s in scores[1:4]]

    if pred is None:
        if verdict:
            return _result(tax, verdict.type_id, RULE_RELIABILITY, "rules", verdict.reasons,
                           alternatives)
        best = scores[0] if scores else None
        return _result(tax, best.type_id if best else OTHER, 0.3 if best else 0.0, "rules",
                       (best.reasons if best else []) + ["no model and no clear heading"],
                       alternatives)

    said = f"text model: {pred.probability:.2f}"
    if verdict and verdict.type_id == pred.type_id:
        conf = 1 - (1 - pred.probability) * (1 - RULE_RELIABILITY)
        return _result(tax, pred.type_id, conf, "rules+model", verdict.reasons + [said],
                       alternatives)
    if verdict:  # heading and model disagree: show both, decide nothing for sure
        model_name = tax.get(pred.type_id).name
        if pred.probability >= RULE_RELIABILITY:
            return _result(tax, pred.type_id, min(pred.probability, SURE - 0.01), "model",
                           [said, f"but the rules point to {tax.get(verdict.type_id).name} "
                                  f"({'; '.join(verdict.reasons)})"], alternatives)
        return _result(tax, verdict.type_id, min(RULE_RELIABILITY, SURE - 0.01), "rules",
                       verdict.reasons + [f"but the text model says {model_name} "
                                          f"({pred.probability:.2f})"], alternatives)
    reasons = [said]
    own = next((s for s in scores if s.type_id == pred.type_id), None)
    if own:
        reasons = own.reasons + reasons
    return _result(tax, pred.type_id, pred.probability, "model", reasons, alternatives)
