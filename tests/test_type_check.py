"""A certain e-file with an unsure type (#20): filed with a type to check, never waiting in the
inbox for a type; restricted while it might be a medical attest; opening nothing to the
naturalisation team until the type is sure or a person confirmed it."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import select

from classifiers.doctype import Classification, classify, guarded
from classifiers.taxonomy import load
from efile.access.policy import load as load_policy
from efile.access.rules import principal, readable_documents, readable_efiles
from efile.context import get_context
from efile.models import Document, EFile
from efile.services.corrections import retype
from efile.services.documents import DocumentDraft, PageRecord, document_dict, file_document
from efile.services.efiles import add_efile
from pipelines.steps.ocr import PageResult
from pipelines.steps.route import route_document

TAX = load()
LETTER = ("Sehr geehrte Damen und Herren,\nanbei die gewünschten Unterlagen für Frau Nguyen, "
          "Thi Lan, geboren am 02.11.1990, Weserstraße 14, 34125 Kassel.\nMit freundlichen "
          "Grüßen")


def _unsure(type_id: str, *alternatives: tuple[str, float]) -> Classification:
    t = TAX.get(type_id)
    return Classification(type_id, t.name, 0.41, "model", ["text model: 0.41"],
                          list(alternatives), t.restricted)


@pytest.mark.backend_free
def test_an_unsure_type_that_might_be_a_medical_attest_is_restricted():
    # a plausible alternative is the restricted type
    kind = guarded(_unsure("other", ("medical_attest", 0.22)), [LETTER], TAX)
    assert kind.restricted and kind.type_id == "other" and kind.confidence == 0.41
    assert kind.reasons[-1] == ("might be Ärztliches Attest: restricted until a person "
                                "confirms the type")
    # no alternative, but the words of one: a diagnosis is health data, whatever the guess
    kind = guarded(_unsure("employer_certificate", ("medical_attest", 0.03)),
                   [LETTER + "\nDiagnose: F43.1, in Behandlung seit März"], TAX)
    assert kind.restricted
    # nothing points to health data: the type stays open to the team
    assert not guarded(_unsure("employer_certificate", ("payslip", 0.3)), [LETTER], TAX).restricted
    # a sure type is a fact, not a guess: it keeps its own category
    sure = Classification("payslip", "Gehaltsabrechnung", 0.93, "rules+model", [],
                          [("medical_attest", 0.2)], False)
    assert guarded(sure, [LETTER + "\nDiagnose"], TAX) is sure
    # and classify applies the guard itself: an unsure guess on an attest's words
    c = classify(["Bescheinigung\nDie Patientin ist in unserer Praxis in Behandlung."])
    assert not c.sure and c.restricted


def _nguyen(s, team: str = "team-b") -> EFile:
    return add_efile(s, "ABH-2022-610001", surname="Nguyen", given_names="Thi Lan",
                     birth_date=date(1990, 11, 2), nationality="VNM", team=team)


def test_a_certain_efile_files_an_unsure_type_with_a_type_to_check(fresh_home):
    ctx = get_context()
    with ctx.db.session() as s:
        _nguyen(s)
    pages = [PageResult(0, LETTER, "born-digital")]
    kind = _unsure("landlord_confirmation", ("rental_contract", 0.3))
    by_name = route_document(ctx, pages, kind, explicit=None)
    assert (by_name.efile, by_name.by) == ("ABH-2022-610001", "automatic")
    assert by_name.type_check and by_name.type_check.startswith(
        "document type unsure: Wohnungsgeberbestätigung (0.41; text model: 0.41)")
    by_reference = route_document(ctx, pages, kind, explicit="ABH-2022-610001")
    assert (by_reference.efile, by_reference.by) == ("ABH-2022-610001", "explicit")
    assert by_reference.type_check == by_name.type_check
    # a sure type has nothing to check; an unknown person still goes to the inbox
    sure = Classification("landlord_confirmation", "Wohnungsgeberbestätigung", 0.9, "rules",
                          [], [], False)
    assert route_document(ctx, pages, sure, explicit=None).type_check is None
    nobody = [PageResult(0, LETTER.replace("02.11.1990", "03.11.1991"), "born-digital")]
    held = route_document(ctx, nobody, kind, explicit=None)
    assert (held.efile, held.by) == (None, "inbox") and held.type_check is None


def _file(s, efile: EFile, doc_type: str, confidence: float, source: str = "scan") -> Document:
    sha = hashlib.sha256(f"{doc_type}{confidence}".encode()).hexdigest()
    return file_document(s, DocumentDraft(
        id=sha[:32], title=doc_type, source=source, source_name=f"{doc_type}.pdf",
        media_type="application/pdf", original_sha256=sha, original_key=f"originals/{sha}",
        original_size=10, archive_sha256=sha, archive_key=f"archive/{sha}",
        archive_format="PDF/A-2b", text_key=None, doc_type=doc_type,
        type_confidence=confidence, efile=efile.aktenzeichen,
        pages=[PageRecord(1, "Antrag auf Einbürgerung", "ocr")], fields={}))


def test_an_unsure_type_opens_nothing_to_the_naturalisation_team(fresh_home):
    ctx = get_context()
    policy = load_policy()
    eb = principal("eb.1", roles=["naturalisation"], teams=["einbuergerung"], rights=[],
                   deputy_for=[], policy=policy)
    lead = principal("tl.1", roles=["team_lead"], teams=["team-b"], rights=[], deputy_for=[],
                     policy=policy)
    with ctx.db.session() as s:
        efile = _nguyen(s)
        guess = _file(s, efile, "naturalisation_application", 0.45)
        payslip = _file(s, efile, "payslip", 0.52)
        assert document_dict(guess)["type_to_check"] and document_dict(payslip)["type_to_check"]
        s.flush()
        assert s.scalar(select(EFile.id).where(readable_efiles(eb, policy))) is None
        assert s.scalars(select(Document.id).where(readable_documents(eb, policy))).all() == []
        guess_id = guess.id
    with ctx.db.session() as s:  # the team lead confirms the type: now it is a fact
        done = retype(s, ctx.store, lead, policy, guess_id, "naturalisation_application",
                      reason="Typ geprüft: Einbürgerungsantrag")
        assert done
    with ctx.db.session() as s:
        assert not document_dict(s.get(Document, guess_id))["type_to_check"]
        assert s.scalar(select(EFile.aktenzeichen).where(readable_efiles(eb, policy))) == \
            "ABH-2022-610001"
        # the team reads the confirmed application; the payslip still only a guess
        assert s.scalars(select(Document.id).where(readable_documents(eb, policy))).all() == \
            [guess_id]
