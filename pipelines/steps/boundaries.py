"""Where does one document end and the next begin, when nobody laid a sheet between them?
(The backfill of whole paper files: a stack of many documents, no cover sheets.)

Every page gives evidence from its own OCR text: a page number ("Seite 2 von 3", "- 2 -"),
a title line at its top that names a document type, a letter's first page (address block or
sender line, salutation, date line), a closing or signature at its end, a machine readable
zone (a passport or ID card copy is a document of its own), its document type
(classifiers.doctype on the page alone), how well it reads like the type of the document
before it (the text model's probability: a later page of a contract still reads like a
contract, a payslip does not), and the file, AZR, passport numbers and birth dates on it.

Each gap between two pages is weighed: the evidence adds up in log-odds from a prior of
"the page continues the document" (a page that says nothing new belongs to the one before),
and the sum decides. |score| >= SURE is a sure decision; less is a doubt, and so is strong
evidence on both sides (a "Seite 2 von 2" that reads like no part of the document before
it). The split of a stack is sure only when every gap is; otherwise all its documents go to a
person (the inbox) with the doubtful gaps and their reasons, never as a guess into an e-file.
A wrong cut inside one client's paper file seldom moves a page to another person (each
document is still routed by its identifiers), but it gives documents wrong types and page
ranges, and the type decides who may read a document.

Which scans are split this way: a scan profile says so (`SPLIT_PROFILES`: `--profile akte`
for whole paper files). The daily post is separated by cover sheets and PATCH-T sheets, and
a stretch without one there stays one document as scanned.

Cost: OCR runs once per page (the documents reuse it: steps/ocr_reuse.py); the evidence and
decisions take ~30 ms a page (bench/split_boundaries.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from classifiers.doctype import Classification, classify
from classifiers.identifiers import extract
from classifiers.model import TextModel
from classifiers.taxonomy import OTHER, Taxonomy, load
from classifiers.text import fold

from .ocr import PageResult

SPLIT_PROFILES = frozenset({"akte"})  # whole paper files: split by content

PRIOR = -3.0  # nothing new on a page: it continues the document before it
SURE = 3.0  # |score| from here on is a decision a person need not confirm (p ≈ 0.95)
CONFLICT = 2.5  # evidence this strong on both sides of a gap makes it a doubt
W_MRZ = 8.0
W_FIRST_PAGE_NO = 7.0  # "Seite 1 von N"
W_LATER_PAGE_NO = -6.0  # "Seite 3 von 4"
W_NEXT_PAGE_NO = -9.0  # "Seite 2 von 3" right after "Seite 1 von 3"
W_LAST_BEFORE = 4.0  # the page before said "Seite 3 von 3"
W_MORE_TO_COME = -3.0  # the page before said "Seite 1 von 3" and this page has no number
W_HEADING = 4.0
W_SALUTATION = 4.0
W_DATE_LINE = 1.0
W_ADDRESS = 2.5  # a postal address block or sender line at the top: a letter's first page
W_CLOSING_BEFORE = 1.0
W_MISFIT = 2.5  # the page does not read like the document's type at all (model < LOW_FIT)
LOW_FIT = 0.02  # later pages of a document score well above this for their own type, other
# documents' first pages below it (bench/split_boundaries.py prints both)
W_TYPE_CHANGE = 1.0  # the page's own type is surely another, but the document's is possible
W_TYPE_CHANGE_WEAK = 0.5  # without a model: the page's type unsure and another
W_SAME_TYPE = -1.0
W_OTHER_PERSON = 3.0  # file, AZR or passport numbers on both sides, none shared
W_OTHER_BIRTH_DATE = 2.0

HEAD_LINES = 10  # a title sits in the first lines (after a letterhead at most)
HEAD_WORDS = 12  # a title line is short (bilingual ones less so)

_PAGE_OF = re.compile(r"\b(?:Seite|Page|Blatt)\s*(\d{1,3})\s*(?:von|/|aus|of)\s*(\d{1,3})\b",
                      re.I)
# "- 2 -" alone on its line, or a short line ending in "Seite 2" ("Einbürgerungsantrag – Seite 2")
_PAGE_ALONE = re.compile(r"^\s*[-–—]\s*(\d{1,3})\s*[-–—]\s*$|^.{0,50}\b(?:Seite|Blatt)\s+(\d{1,3})\s*$",
                         re.I | re.M)
_SALUTATION = re.compile(r"^\s*(?:Sehr geehrte|Guten Tag|Liebe[rs]?\s|Dear\s|Hallo\s)", re.I)
_DATE_LINE = re.compile(r"^\s*(?:[A-ZÄÖÜ][\wäöüß.-]+,\s*(?:den\s+)?|Datum:\s*)"
                        r"\d{1,2}\.\s?(?:\d{1,2}\.|[A-Za-zäöü]+)\s?\d{4}\s*$")
_ADDRESS = re.compile(r"^\s*\d{5}\s+[A-ZÄÖÜ]|·.*\b\d{5}\s+[A-ZÄÖÜ]")
_CLOSING = re.compile(r"^\s*(?:Mit freundlichen Grü|Mit freundlichem Gru|Freundliche Grü|"
                      r"Hochachtungsvoll|Unterschrift|_{8,})", re.I)


@dataclass
class PageEvidence:
    index: int  # page of the scan file, 0-based
    kind: Classification
    page_no: tuple[int, int | None] | None = None  # (k, N) of "Seite k von N"; N unknown: None
    page_no_text: str = ""
    heading: str | None = None  # the words of a heading that names a type, at the page's top
    heading_type: str | None = None
    salutation: bool = False
    date_line: bool = False
    address: bool = False
    closing: bool = False
    mrz: bool = False
    numbers: set[str] = field(default_factory=set)  # Aktenzeichen, AZR and passport numbers
    birth_dates: set[str] = field(default_factory=set)
    fit: dict[str, float] = field(default_factory=dict)  # the text model's probability per type


@dataclass
class Decision:
    after: int  # the page before the gap (0-based in the scan file)
    before: int  # the page after it
    score: float
    reasons: list[str]

    @property
    def boundary(self) -> bool:
        return self.score > 0

    @property
    def sure(self) -> bool:
        return abs(self.score) >= SURE

    @property
    def confidence(self) -> float:
        """How likely the decision taken is right (logistic in the score)."""
        return round(1 / (1 + math.exp(-abs(self.score))), 3)

    def to_dict(self) -> dict:
        return {"between": [self.after + 1, self.before + 1], "boundary": self.boundary,
                "sure": self.sure, "confidence": self.confidence, "score": round(self.score, 2),
                "reasons": self.reasons}


@dataclass
class ContentSplit:
    starts: list[int]  # first page (0-based in the scan file) of each document found
    decisions: list[Decision]

    @property
    def sure(self) -> bool:
        return all(d.sure for d in self.decisions)

    def doubts(self) -> str | None:
        """The hold reason when any decision is unsure, naming the gaps and why."""
        unsure = [d for d in self.decisions if not d.sure]
        if not unsure:
            return None
        parts = [f"split between pages {d.after + 1} and {d.before + 1} unsure "
                 f"({'; '.join(d.reasons) or 'nothing on the page says'}; "
                 f"{'cut' if d.boundary else 'kept together'} at {d.confidence:.2f})"
                 for d in unsure]
        return "; ".join(parts) + "; a person confirms"


def _lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()]


def _page_no(text: str) -> tuple[tuple[int, int | None] | None, str]:
    m = _PAGE_OF.search(text)
    if m and 1 <= int(m.group(1)) <= int(m.group(2)) <= 999:
        return (int(m.group(1)), int(m.group(2))), m.group(0)
    m = _PAGE_ALONE.search(text)
    if m:
        return (int(m.group(1) or m.group(2)), None), m.group(0).strip()
    return None, ""


def _heading(lines: list[str], taxonomy: Taxonomy) -> tuple[str | None, str | None]:
    """A title line near the top that names a type ("Arbeitsvertrag", "Verdienstabrechnung
    März 2025"): short, the title at its start. Stricter than the classifier's heading rule,
    which also reads a sentence that happens to start with a title word as a heading."""
    for line in lines[:HEAD_LINES]:
        if len(line.split()) > HEAD_WORDS or line.rstrip().endswith((".", ",", ";")):
            continue  # a sentence, not a title
        folded = fold(line)
        for t in taxonomy.types:
            for p in t.titles:
                m = p.search(folded)
                if m and len(folded[:m.start()].split()) <= 1:  # "Befristeter Arbeitsvertrag"
                    return m.group(0), t.id
    return None, None


def fits(model: TextModel | None, texts: list[str]) -> list[dict[str, float]]:
    """Per page, how well it reads like each type (the model's calibrated probabilities):
    a later page of a contract still reads like a contract, a payslip does not."""
    if model is None or not texts:
        return [{} for _ in texts]
    rows = model.probabilities(texts)
    return [dict(zip(model.classes, map(float, row), strict=True)) for row in rows]


def page_evidence(page: PageResult, index: int, *, model: TextModel | None,
                  taxonomy: Taxonomy, fit: dict[str, float] | None = None) -> PageEvidence:
    text = page.text or ""
    mrz = page.mrz if page.mrz and page.mrz.get("valid") else None
    ev = PageEvidence(index, classify([text], mrz=mrz, model=model, taxonomy=taxonomy),
                      fit=fit or {})
    ev.page_no, ev.page_no_text = _page_no(text)
    ev.mrz = page.mrz is not None  # a zone with a failed check digit is still an ID copy
    lines = _lines(text)
    ev.heading, ev.heading_type = _heading(lines, taxonomy)
    n = max(1, len(lines))
    ev.salutation = any(_SALUTATION.match(ln) for ln in lines[: max(1, int(n * 0.6))])
    # a letter's date line has the letter below it; a signature page's date line has not
    ev.date_line = any(_DATE_LINE.match(ln) and n - i > 6
                       for i, ln in enumerate(lines[: max(1, int(n * 0.5))]))
    ev.address = any(_ADDRESS.search(ln) for ln in lines[: max(1, int(n * 0.35))])
    ev.closing = any(_CLOSING.match(ln) for ln in lines[int(n * 0.6):])
    ids = extract(text)
    ev.numbers = set(ids.aktenzeichen) | set(ids.azr_numbers) | set(ids.passport_numbers)
    ev.birth_dates = set(ids.birth_dates)
    if page.mrz:
        if page.mrz.get("document_number"):
            ev.numbers.add(page.mrz["document_number"].replace("<", ""))
        if page.mrz.get("birth_date"):
            ev.birth_dates.add(page.mrz["birth_date"])
    return ev


def _name(c: Classification) -> str:
    return c.name if c.type_id != OTHER else "other"


def _weigh(prev: PageEvidence, cur: PageEvidence, doc: list[PageEvidence]) -> Decision:
    """The gap between `prev` and `cur`; `doc`: the pages of the document `prev` ends so far."""
    score, why = PRIOR, []
    for_new, against = 0.0, 0.0

    def add(weight: float, reason: str) -> None:
        nonlocal score, for_new, against
        score += weight
        for_new, against = for_new + max(weight, 0), against + min(weight, 0)
        why.append(reason)

    p, c = prev.index + 1, cur.index + 1
    if cur.mrz:
        add(W_MRZ, f"machine readable zone on page {c}: an identity document stands alone")
    elif prev.mrz:
        add(W_MRZ, f"page {p} is an identity document (machine readable zone)")
    if cur.page_no:
        k, total = cur.page_no
        if k == 1:
            add(W_FIRST_PAGE_NO, f"page {c} says '{cur.page_no_text}'")
        elif prev.page_no and prev.page_no[0] == k - 1 and (
                total is None or prev.page_no[1] in (None, total)):
            add(W_NEXT_PAGE_NO, f"'{cur.page_no_text}' on page {c} follows "
                                f"'{prev.page_no_text}' on page {p}")
        else:
            add(W_LATER_PAGE_NO, f"page {c} says '{cur.page_no_text}': a later page")
    if prev.page_no and prev.page_no[1] is not None:
        k, total = prev.page_no
        if k == total:
            add(W_LAST_BEFORE, f"page {p} is the last ('{prev.page_no_text}')")
        elif cur.page_no is None:
            add(W_MORE_TO_COME, f"page {p} says '{prev.page_no_text}': more pages follow")
    if cur.heading and not (cur.page_no and cur.page_no[0] > 1):
        add(W_HEADING, f"heading '{cur.heading}' at the top of page {c}")
    if cur.salutation:
        add(W_SALUTATION, f"a letter's salutation near the top of page {c}")
    if cur.address:
        add(W_ADDRESS, f"an address block or sender line at the top of page {c}")
    if cur.date_line:
        add(W_DATE_LINE, f"a date line near the top of page {c}")
    if prev.closing:
        add(W_CLOSING_BEFORE, f"page {p} ends with a closing or signature")

    ref = doc[0].kind if doc[0].kind.sure else prev.kind
    now = cur.kind
    fit = cur.fit.get(ref.type_id)
    changed = now.type_id != ref.type_id and now.layer != "none"
    if ref.sure and fit is not None and fit < LOW_FIT:
        add(W_MISFIT, f"type change {_name(ref)} → {_name(now)}"
                      f"{'' if now.sure else ' at low confidence'} ({now.confidence:.2f}; "
                      f"reads like {_name(ref)}: {fit:.3f})")
    elif changed and now.sure:
        add(W_TYPE_CHANGE, f"page {c} reads as {_name(now)}"
                           + (f", yet could be {_name(ref)} ({fit:.2f})" if fit else ""))
    elif changed and ref.sure and not cur.fit:
        add(W_TYPE_CHANGE_WEAK, f"type change {_name(ref)} → {_name(now)} at low "
                                f"confidence ({now.confidence:.2f})")
    elif ref.sure and now.sure and not changed:
        add(W_SAME_TYPE, f"same type ({_name(now)})")

    numbers = set().union(*(d.numbers for d in doc))
    births = set().union(*(d.birth_dates for d in doc))
    if numbers and cur.numbers and not numbers & cur.numbers:
        add(W_OTHER_PERSON, f"page {c} names {', '.join(sorted(cur.numbers))}, the document "
                            f"before {', '.join(sorted(numbers))}")
    elif births and cur.birth_dates and not births & cur.birth_dates:
        add(W_OTHER_BIRTH_DATE, f"another date of birth on page {c}")
    if for_new >= CONFLICT and against <= -CONFLICT and abs(score) >= SURE:
        # strong evidence both ways (a page 2 of 2 that is clearly another document): the
        # larger side decides, but not for sure
        why.append("the evidence conflicts")
        score = math.copysign(SURE - 0.5, score)
    return Decision(prev.index, cur.index, score, why)


def split_by_content(pages: list[PageResult], indices: list[int], *,
                     model: TextModel | None, taxonomy: Taxonomy | None = None) -> ContentSplit:
    """Documents in a run of content pages (`indices`: their pages in the scan file, in
    order; `pages`: their OCR results, in the same order)."""
    tax = taxonomy or load()
    evidence = [page_evidence(pg, i, model=model, taxonomy=tax, fit=f) for pg, i, f in
                zip(pages, indices, fits(model, [pg.text or "" for pg in pages]), strict=True)]
    starts, decisions = [indices[0]], []
    doc = evidence[:1]
    for prev, cur in zip(evidence, evidence[1:], strict=False):
        d = _weigh(prev, cur, doc)
        decisions.append(d)
        if d.boundary:
            starts.append(cur.index)
            doc = [cur]
        else:
            doc.append(cur)
    return ContentSplit(starts, decisions)

