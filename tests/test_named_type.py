"""A type a person named against what the page is (issue 13, the misfile guard's type half):
a cover sheet laid on the wrong paper names a type the page clearly is not. The named type
stays (it is a person's statement), but the document waits in the inbox with both readings;
a page that may well be a medical attest is restricted whatever the cover sheet says.

"Clearly" is evidence a person can see on the page: a valid MRZ, or a heading the text model
agrees with. The model's guess alone never overrules a person."""

from __future__ import annotations

import io
from datetime import date

import pytest
from webhome import _no_ocr

from classifiers.doctype import Classification, against_named, named, named_type_contradicted

ALBERS = "ABH-2024-000101"


def _reading(type_id: str, name: str, confidence: float, layer: str,
             restricted: bool = False) -> Classification:
    return Classification(type_id, name, confidence, layer, ["heading 'X'", "text model: 0.97"],
                          [], restricted)


def test_a_clear_reading_of_another_type_holds_the_named_type_naming_both():
    kind = against_named(named("rental_contract", "named on the cover sheet"),
                         _reading("landlord_confirmation", "Wohnungsgeberbestätigung", 0.97,
                                  "rules+model"))
    assert kind.type_id == "rental_contract" and kind.confidence == 1.0  # the person's, kept
    why = named_type_contradicted(kind)
    assert why and "Mietvertrag" in why and "Wohnungsgeberbestätigung" in why, why


@pytest.mark.parametrize("read", [
    _reading("landlord_confirmation", "Wohnungsgeberbestätigung", 0.97, "model"),  # a guess
    _reading("landlord_confirmation", "Wohnungsgeberbestätigung", 0.55, "rules+model"),  # unsure
    # the heading, with the model at long odds: 1 - (1 - 0.11) × 0.2
    _reading("landlord_confirmation", "Wohnungsgeberbestätigung", 0.82, "rules+model"),
    _reading("rental_contract", "Mietvertrag", 0.99, "rules+model"),  # the same type
])
def test_a_guess_an_unsure_reading_or_the_same_type_leave_the_named_type_alone(read):
    kind = against_named(named("rental_contract", "named on the cover sheet"), read)
    assert named_type_contradicted(kind) is None and not kind.restricted


def test_a_page_that_may_be_a_medical_attest_is_restricted_whatever_the_cover_says():
    kind = against_named(named("payslip", "named on the cover sheet"),
                         _reading("medical_attest", "Ärztliches Attest", 0.8, "model",
                                  restricted=True))
    assert kind.restricted and kind.type_id == "payslip"
    assert named_type_contradicted(kind) is None  # a guess: restricted, not held


def _stack(tmp, cover_type: str, lines: list[str], name: str):  # noqa: ANN001, ANN202
    import pikepdf

    from efile.coversheet import CoverSheet, render_pdf
    from efile.samples.born_digital import write_text_pdf

    cover = render_pdf(CoverSheet(ALBERS, cover_type), client="Albers, Karin", type_name=None)
    body = write_text_pdf(tmp / f"{name}-body.pdf", [lines])
    stack = tmp / f"{name}.pdf"
    with pikepdf.open(io.BytesIO(cover)) as pdf, pikepdf.open(body) as content:
        pdf.pages.extend(content.pages)
        pdf.save(stack)
    return stack


def test_through_a_real_cover_sheet_batch(fresh_home, tmp_path):
    from efile.context import get_context
    from efile.services.efiles import add_efile
    from pipelines.batch import run_batch

    ctx = get_context()
    with ctx.db.session() as s:
        add_efile(s, ALBERS, surname="Albers", given_names="Karin", birth_date=date(1980, 1, 2),
                  nationality="TUR")
    wrong = _stack(tmp_path, "rental_contract", [
        "Wohnungsgeberbestätigung nach § 19 Bundesmeldegesetz",
        "Hiermit bestätige ich als Wohnungsgeber den Einzug von Frau Karin Albers",
        "in die Wohnung Lindenstraße 4, 3. OG links, am 01.03.2026.",
        "Name und Anschrift des Wohnungsgebers: Hausverwaltung Nord GmbH",
        "Die meldepflichtige Person ist in die Wohnung eingezogen."], "falsch")
    right = _stack(tmp_path, "landlord_confirmation", [
        "Wohnungsgeberbestätigung nach § 19 Bundesmeldegesetz",
        "Hiermit bestätige ich als Wohnungsgeber den Einzug von Frau Karin Albers",
        "in die Wohnung Lindenstraße 4, 3. OG links, am 15.04.2026.",
        "Name und Anschrift des Wohnungsgebers: Hausverwaltung Nord GmbH",
        "Die meldepflichtige Person ist in die Wohnung eingezogen."], "richtig")
    held = run_batch(ctx, [str(wrong)], operator="scan.1", expected_pages=2,
                     ocr_pages=_no_ocr).documents[0]
    filed = run_batch(ctx, [str(right)], operator="scan.1", expected_pages=2,
                      ocr_pages=_no_ocr).documents[0]
    assert filed["status"] == "filed", filed
    assert held["status"] == "inbox", held
    from efile.models import InboxItem

    with ctx.db.session() as s:
        item = s.query(InboxItem).filter_by(document_id=held["document_id"]).one()
        why = " ".join(item.reasons)
    assert "Mietvertrag" in why and "Wohnungsgeberbestätigung" in why, why
