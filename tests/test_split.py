"""Cutting a scanned stack into documents: at cover sheets and PATCH-T separators (the page
verdicts, pure), and by content where nobody laid a sheet (whole paper files, profile akte):
a realistic paper file is split exactly right and filed, an ambiguous one goes to a person,
and every page is OCR'd once."""

from __future__ import annotations

import random
from datetime import date

import pytest

from efile.context import get_context
from efile.coversheet import CoverSheet, render_pdf
from efile.samples.corpus import BUILDERS
from efile.samples.documents import Line, SampleDocument
from efile.samples.people import new_person
from efile.samples.render import blank_page, save_scan, scan_pages, scan_pdf_page
from pipelines.steps.split import PageVerdict, cut, split

# -- cutting at sheets (verdicts in, segments out) ---------------------------------------------


def verdicts(kinds: str) -> list[PageVerdict]:
    """c = cover sheet, T = PATCH-T, b = blank, x = content, 2 = content with patch 2."""
    out = []
    for i, k in enumerate(kinds):
        if k == "c":
            out.append(PageVerdict(i, "cover", 0.1, cover=CoverSheet(f"ABH-2026-{i:06d}")))
        elif k == "T":
            out.append(PageVerdict(i, "separator", 0.05, patch="T"))
        elif k == "b":
            out.append(PageVerdict(i, "blank", 0.0))
        else:
            out.append(PageVerdict(i, "content", 0.05, patch="2" if k == "2" else None))
    return out


def shape(segments) -> list[tuple]:
    return [(s.pages, s.cover_page, s.separators, s.blanks, s.patches) for s in segments]


def test_separators_end_documents_and_are_recorded_never_kept():
    # 0 1 2 3 4 5 6 7 8 9 10 11 12
    # T x b T x x T b c x  T  T  b
    segs = split(verdicts("TxbTxxTbcxTTb"))
    assert shape(segs) == [
        ([1], None, [0], [2], {}),  # a separator first: recorded with the first document
        ([4, 5], None, [3], [], {}),
        ([9], 8, [6, 10, 11], [7, 12], {}),  # separator + its blank back before a cover sheet,
    ]  # and trailing separators with their backs: all recorded with the last document
    assert [s.problems for s in segs] == [[], [], []]


def test_other_patch_codes_are_reported_not_cut_at():
    segs = split(verdicts("cx2x"))
    assert shape(segs) == [([1, 2, 3], 0, [], [], {2: "2"})]


def test_a_segment_cut_by_content_keeps_its_sheets_with_the_first_document():
    (seg,) = split(verdicts("Tbxxbxx"))
    parts = cut(seg, [2, 5])
    assert shape(parts) == [([2, 3], None, [0], [1, 4], {}), ([5, 6], None, [], [], {})]


# -- splitting by content -----------------------------------------------------------------------

CLIENT = new_person(random.Random("akte-1"))


def build(kind: str, seed: int) -> SampleDocument:
    return BUILDERS[kind](random.Random(f"{kind}:{seed}"), CLIENT, None)


@pytest.fixture(scope="module")
def paper_file() -> dict:
    """A client's paper file as the generators make it: a two-page employment contract
    ("Seite 2 von 2" on its second page), a passport copy, a payslip and a two-page decision
    ("Seite 1 von 2" at the foot of its first page). Rendered once per module."""
    contract, passport = build("employment_contract", 0), build("passport", 0)
    payslip, decision = build("payslip", 0), build("decision", 1)
    decision.pages[0].append(Line("Seite 1 von 2", 9, gap_before=6))
    assert [len(d.pages) for d in (contract, passport, payslip, decision)] == [2, 1, 1, 2]
    assert "Seite 2 von 2" in contract.page_text(1)
    return {k: scan_pages(d, seed=1) for k, d in
            {"contract": contract, "passport": passport, "payslip": payslip,
             "decision": decision}.items()}


def register_client() -> None:
    from efile.services.efiles import add_efile

    with get_context().db.session() as s:
        add_efile(s, CLIENT["aktenzeichen"], surname=CLIENT["surname"],
                  given_names=CLIENT["given_names"],
                  birth_date=date.fromisoformat(CLIENT["birth_iso"]),
                  nationality=CLIENT["nationality"], passports=[CLIENT["passport"]])


def counted_ocr():
    """The batch's OCR function, counting the pages it reads."""
    from pipelines.process import pooled_ocr

    ctx = get_context()
    real = pooled_ocr(ctx.settings.ocr_languages, ctx.settings.ocr_workers)
    seen: list[int] = []

    def run(jobs):
        seen.append(len(jobs))
        return real(jobs)

    return run, seen


def documents(result) -> list[tuple]:
    from efile.models import Document

    with get_context().db.session() as s:
        return [(d["pages"], d["blanks"], d["status"], d["efile"],
                 s.get(Document, d["document_id"]).doc_type,
                 s.get(Document, d["document_id"]).page_count) for d in result.documents]


def test_a_whole_paper_file_is_split_by_content_and_filed(fresh_home, paper_file, tmp_path):
    """The paper file's cover sheet names only the e-file (profile akte: it covers the whole
    file); between the documents there is no sheet at all."""
    from pipelines.batch import run_batch

    register_client()
    rng = random.Random(5)
    folder_cover = scan_pdf_page(render_pdf(CoverSheet(CLIENT["aktenzeichen"]),
                                            client="Akte", type_name=None), rng)
    pages = [folder_cover, *paper_file["contract"], *paper_file["passport"], blank_page(rng),
             *paper_file["payslip"], *paper_file["decision"]]
    stack = save_scan(pages, tmp_path / "akte-0001.tif")
    ocr, seen = counted_ocr()
    result = run_batch(get_context(), [str(stack)], operator="scan.backfill", profile="akte",
                       ocr_pages=ocr)
    az = CLIENT["aktenzeichen"]
    assert documents(result) == [
        ([2, 3], [], "filed", az, "employment_contract", 2),
        ([4], [5], "filed", az, "passport", 1),  # the copy's blank back dropped
        ([6], [], "filed", az, "payslip", 1),
        ([7, 8], [], "filed", az, "decision", 2),
    ]
    assert sum(seen) == 6  # every content page read once, by the split; the documents reuse it
    assert result.status == "done" and result.pages_found == 8
    first, passport, payslip, decision = result.documents
    assert first["cover_page"] == 1 and all(d["cover_page"] is None for d in result.documents[1:])
    gaps = {tuple(d["between"]): d for d in first["split"]}
    assert [(g, d["boundary"], d["sure"]) for g, d in gaps.items()] == [
        ((2, 3), False, True), ((3, 4), True, True), ((4, 6), True, True), ((6, 7), True, True),
        ((7, 8), False, True)]
    assert any("'Seite 2 von 2'" in r for r in gaps[(2, 3)]["reasons"])
    assert any("machine readable zone on page 4" in r for r in passport["boundary"]["reasons"])
    assert any("'Seite 1 von 2'" in r for r in decision["boundary"]["reasons"])
    assert any("'Seite 2 von 2' on page 8 follows 'Seite 1 von 2'" in r
               for r in gaps[(7, 8)]["reasons"])


def test_an_unsure_split_goes_to_a_person(fresh_home, paper_file, tmp_path):
    """A passport copy, a payslip, then the second page of a contract whose first page is
    missing: "Seite 2 von 2" says it continues, its text says it is no payslip."""
    from efile.models import InboxItem
    from pipelines.batch import run_batch

    register_client()
    stack = save_scan([*paper_file["passport"], *paper_file["payslip"],
                       paper_file["contract"][1]], tmp_path / "akte-0002.tif")
    ocr, seen = counted_ocr()
    result = run_batch(get_context(), [str(stack)], operator="scan.backfill", profile="akte",
                       ocr_pages=ocr)
    assert sum(seen) == 3
    docs = result.documents
    assert [(d["pages"], d["status"], d["efile"]) for d in docs] == [
        ([1], "inbox", None), ([2, 3], "inbox", None)]  # the sure cut made, nothing filed
    doubt = docs[0]["problems"][-1]
    assert doubt.startswith("split between pages 2 and 3 unsure (page 3 says 'Seite 2 von 2'")
    assert "type change Verdienstabrechnung → Arbeitsvertrag" in doubt
    assert doubt.endswith("a person confirms") and docs[1]["problems"][-1] == doubt
    assert result.status == "attention"
    with get_context().db.session() as s:
        for d in docs:
            item = s.query(InboxItem).filter_by(document_id=d["document_id"]).one()
            assert item.reasons[0] == doubt


def test_the_daily_post_profile_keeps_a_stretch_without_sheets_whole():
    from pipelines.batch import _splits_by_content

    (seg,) = split(verdicts("xxx"))
    assert not _splits_by_content({"profile": "default"}, seg)
    assert _splits_by_content({"profile": "akte"}, seg)
    typed = split(verdicts("cxx"))[0]
    typed.cover = CoverSheet("ABH-2026-000001", "payslip")  # a type declares one document
    assert not _splits_by_content({"profile": "akte"}, typed)
