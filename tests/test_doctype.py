"""Document-type classification: the taxonomy, the three layers and their reasons."""

from __future__ import annotations

import pytest

from classifiers import model as text_model
from classifiers.doctype import SURE, classify
from classifiers.mrz import td3_lines
from classifiers.taxonomy import load, parse

pytestmark = pytest.mark.backend_free  # embedded pass only (conftest)

TAX = load()


def test_taxonomy_has_the_types_an_abh_needs_with_german_names():
    assert len(TAX.types) >= 30
    must = {"passport", "id_card", "residence_permit", "residence_permit_supplement", "visa",
            "fiktionsbescheinigung", "duldung", "residence_application",
            "naturalisation_application", "employer_declaration", "employment_contract",
            "payslip", "employer_certificate", "tax_assessment", "bank_statement",
            "pension_record", "health_insurance", "rental_contract", "landlord_confirmation",
            "registration_certificate", "birth_certificate", "marriage_certificate",
            "divorce_certificate", "degree_certificate", "recognition_notice",
            "language_certificate", "naturalisation_test", "ba_approval", "lawyer_letter",
            "court_document", "decision", "medical_attest", "commitment_declaration",
            "power_of_attorney", "cv", "other"}
    assert must <= set(TAX.ids)
    assert TAX.get("employer_declaration").name == "Erklärung zum Beschäftigungsverhältnis"
    assert all(t.name and t.description for t in TAX.types)
    assert [t.id for t in TAX.types if t.restricted] == ["medical_attest"]


def test_a_broken_taxonomy_is_refused_with_its_place():
    with pytest.raises(ValueError, match="x.titles: bad pattern"):
        parse(b'[[type]]\nid="x"\nname="X"\ntitles=["(unclosed"]\n'
              b'[[type]]\nid="other"\nname="Sonstiges"\n')
    with pytest.raises(ValueError, match="'other' is missing"):
        parse(b'[[type]]\nid="x"\nname="X"\n')


def test_a_valid_mrz_decides_identity_documents():
    mrz = {"valid": True, "kind": "residence_permit", "document_code": "AR", "format": "TD1"}
    c = classify(["irgendein Text auf der Karte"], mrz=mrz)
    assert (c.type_id, c.layer, c.confidence) == ("residence_permit", "mrz", 0.99)
    assert "document code AR" in c.reasons[0]
    # a zone with a broken check digit decides nothing
    c = classify(["irgendein Text auf der Karte"], mrz={**mrz, "valid": False})
    assert c.layer != "mrz"


def test_no_text_is_other_and_unsure():
    c = classify(["", " \n "])
    assert c.type_id == "other" and not c.sure and c.reasons == ["no readable text on the document"]


LETTER = """Bergische Präzisionstechnik GmbH
Hofaue 12 · 42103 Wuppertal
Stadt Wuppertal
Ausländerbehörde
Wuppertal, den 3. März 2026
Arbeitgeberbescheinigung für Ayşe Yılmaz
Sehr geehrte Damen und Herren,
hiermit bestätigen wir, dass Frau Yılmaz seit dem 01.04.2021 in unserem Unternehmen
unbefristet beschäftigt ist. Das Arbeitsverhältnis ist ungekündigt.
Mit freundlichen Grüßen
Personalabteilung"""


def test_rules_alone_read_the_heading_and_say_so():
    c = classify([LETTER])
    assert c.type_id == "employer_certificate" and c.layer == "rules"
    assert c.reasons[0] == "heading 'arbeitgeberbescheinigung'"
    assert any("keywords" in r for r in c.reasons)


def test_a_heading_deep_in_the_text_is_a_mention_not_a_title():
    text = "\n".join(["Sehr geehrte Frau Kaya,"] + ["Text ohne Bezug."] * 20
                     + ["Bitte legen Sie eine Arbeitgeberbescheinigung vor."])
    c = classify([text])
    assert c.type_id != "employer_certificate" or not c.sure


def test_identity_page_rules_when_the_mrz_is_unreadable():
    lines = td3_lines(doc_code="P", issuer="TUR", surname="Yılmaz", given_names="Ayşe",
                      number="U12345678", nationality="TUR", birth_date="850304", sex="F",
                      expiry_date="300101")
    c = classify(["REISEPASS / PASSPORT\nPass-Nr. / Passport No.: U12345678\n" + lines[0]])
    assert c.type_id == "passport"


def test_ocr_noise_changes_text_like_tesseract_does():
    import random

    noisy = text_model.ocr_noise("Verdienstabrechnung Lohnsteuer " * 20, random.Random(1),
                                 rate=0.05)
    assert noisy != "Verdienstabrechnung Lohnsteuer " * 20
    assert noisy.count("Lohn") > 5  # mostly intact


def test_prepare_collapses_digits_and_folds():
    assert text_model.prepare("Gehalt März 2026: 3.450,00 €") == "gehalt maerz 0000: 0.000,00 €"


def test_sure_threshold_is_between_guess_and_fact():
    assert 0.5 <= SURE <= 0.8
