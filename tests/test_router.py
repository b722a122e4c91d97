"""The routing decision, pure: files only when independent evidence agrees on one client."""

from datetime import date

import pytest

from classifiers.identifiers import extract
from classifiers.router import Candidate, Signals, decide

pytestmark = pytest.mark.backend_free  # embedded pass only (conftest)

ANNA = Candidate("ABH-2020-000001", "Müller", "Anna", date(1980, 1, 2), ("C01X00T47",), "123456789012")
ANNA_NAMESAKE = Candidate("ABH-2021-000002", "Mueller", "Anna", date(1980, 1, 2), ("F99999999",))
EMRE = Candidate("ABH-2022-000003", "Kaya", "Emre", date(1990, 5, 6), ("U12345678",))
MRZ = {"valid": True, "document_number": "C01X00T47", "birth_date": "1980-01-02",
       "surname": "MUELLER"}


def test_valid_mrz_matching_passport_and_birth_date_files():
    d = decide(Signals(mrz=MRZ, birth_dates=(date(1980, 1, 2),)), [ANNA, EMRE])
    assert d.efile == "ABH-2020-000001" and d.confidence >= 0.99
    assert d.reasons[0].startswith("the MRZ (passport number and date of birth) identify")


def test_mrz_with_another_birth_date_does_not_file():
    d = decide(Signals(mrz={**MRZ, "birth_date": "1981-01-02"}), [ANNA])
    assert d.efile is None


def test_azr_number_alone_files():
    assert decide(Signals(azr_numbers=("123456789012",)), [ANNA, EMRE]).efile == "ABH-2020-000001"


def test_a_single_medium_signal_goes_to_the_inbox_with_a_suggestion():
    d = decide(Signals(aktenzeichen=("ABH-2022-000003",)), [EMRE])
    assert d.efile is None and d.suggestions[0].aktenzeichen == "ABH-2022-000003"
    assert "a person confirms" in d.reasons[0]


def test_two_independent_medium_signals_file():
    d = decide(Signals(aktenzeichen=("ABH-2022-000003",), birth_dates=(date(1990, 5, 6),),
                       surnames=("KAYA",)), [EMRE])
    assert d.efile == "ABH-2022-000003" and d.confidence >= 0.97


def test_namesakes_with_the_same_birth_date_go_to_the_inbox():
    d = decide(Signals(birth_dates=(date(1980, 1, 2),), surnames=("Müller",),
                       aktenzeichen=("ABH-2020-000001",)), [ANNA, ANNA_NAMESAKE])
    assert d.efile is None and "several clients match" in d.reasons[0]
    assert [s.aktenzeichen for s in d.suggestions] == ["ABH-2020-000001", "ABH-2021-000002"]


def test_conflicting_strong_signals_go_to_the_inbox():
    d = decide(Signals(mrz=MRZ, azr_numbers=("999999999999",), aktenzeichen=("ABH-2022-000003",),
                       birth_dates=(date(1990, 5, 6),), surnames=("Kaya",)), [ANNA, EMRE])
    assert d.efile is None and "several clients match" in d.reasons[0]


def test_nothing_found():
    d = decide(Signals(), [])
    assert d.efile is None and "no identifier found" in d.reasons[0]


def test_identifiers_from_a_letter():
    ids = extract("Wuppertal, den 26. Februar 2026\nIhr Zeichen: ABH-2022-251589\n"
                  "hiermit bestätigen wir, dass Maria Ivanova, geboren am 02.05.1979, seit\n"
                  "Reisepassnummer: 09677Y771\nAZR-Nummer: 123 456 789 012\n"
                  "Familienname: Ivanova\nDas monatliche Bruttogehalt beträgt 5.153 Euro.")
    assert ids.aktenzeichen == ["ABH-2022-251589"] and ids.passport_numbers == ["09677Y771"]
    assert ids.birth_dates == ["1979-05-02"] and ids.azr_numbers == ["123456789012"]
    assert ids.surnames == ["Ivanova"] and ids.letter_date == "2026-02-26"
    assert ids.gross_salary_eur == 5153.0


def _words(text: str) -> frozenset[str]:
    from classifiers.text import fold_words

    return frozenset(fold_words(text))


def test_file_number_confirmed_by_the_name_in_the_text_files():
    text = "Sehr geehrte Damen und Herren, in Sachen Emre Kaya (Az. ABH-2022-000003) ..."
    d = decide(Signals(aktenzeichen=("ABH-2022-000003",), words=_words(text)), [EMRE])
    assert d.efile == "ABH-2022-000003"
    assert d.reasons[0].startswith("the Aktenzeichen and the name in the text identify")


def test_a_misread_file_number_of_another_client_without_her_name_waits():
    # OCR read 000003 for 000008: the letter is Anna's, the number Emre's
    text = "Frau Anna Müller, Az. ABH-2022-000003"
    d = decide(Signals(aktenzeichen=("ABH-2022-000003",), words=_words(text)), [EMRE])
    assert d.efile is None


def test_name_spelled_by_ocr_or_transliterated_still_confirms():
    d = decide(Signals(aktenzeichen=("ABH-2020-000001",), words=_words("MUELLER, ANNA")), [ANNA])
    assert d.efile == "ABH-2020-000001"
    d = decide(Signals(aktenzeichen=("ABH-2020-000001",), words=_words("Hr. Kovvalski")),
               [Candidate("ABH-2020-000001", "Kowalski", "Jan", None)])
    assert d.efile == "ABH-2020-000001"


def test_name_and_birth_date_with_given_names_file_and_without_wait():
    sig = dict(birth_dates=(date(1990, 5, 6),), surnames=("Kaya",))
    assert decide(Signals(**sig, words=_words("Kaya Emre")), [EMRE]).efile == "ABH-2022-000003"
    assert decide(Signals(**sig, words=_words("Kaya")), [EMRE]).efile is None


def test_a_document_naming_someone_else_is_not_filed_by_its_file_number():
    text = "Familienname: Haddad  Vorname: Omar  Az. ABH-2022-000003 Kaya"
    d = decide(Signals(aktenzeichen=("ABH-2022-000003",), surnames=("Haddad",),
                       words=_words(text)), [EMRE])
    assert d.efile is None and "the document names Haddad" in d.reasons[0]


def test_sender_and_employer_of_a_letter():
    ids = extract("Wupper Software AG\nHofaue 1 · 42103 Wuppertal\nWuppertal, den 3. März 2026\n"
                  "Sehr geehrte Damen und Herren,\nFrau Kaya ist bei uns beschäftigt.")
    assert ids.sender == "Wupper Software AG" and ids.employer == "Wupper Software AG"
    assert ids.letter_date == "2026-03-03"
    ids = extract("Erklärung zum Beschäftigungsverhältnis\nArbeitgeber: Klinikum Nordstadt gGmbH\n")
    assert ids.employer == "Klinikum Nordstadt gGmbH" and ids.sender is None


def test_an_ocr_slip_in_the_labelled_surname_is_no_conflict():
    text = "Familienname: Kava  Az. ABH-2022-000003 Kaya"
    d = decide(Signals(aktenzeichen=("ABH-2022-000003",), surnames=("Kava",),
                       words=_words(text)), [EMRE])
    assert d.efile == "ABH-2022-000003"
