"""The misfile guard for explicit references (#13): a cover sheet, upload reference or
--efile that the page contradicts with confidence is not followed."""

from datetime import date

import pytest

from classifiers.identifiers import extract
from classifiers.router import Candidate, Signals, explicit_conflict
from classifiers.text import fold_words

pytestmark = pytest.mark.backend_free  # embedded pass only (conftest)

HUESEYIN = Candidate("ABH-2023-000010", "Öztürk", "Hüseyin", date(1975, 3, 14), ("U11111111",))
AHMAD = Candidate("ABH-2023-000011", "Öztürk", "Ahmad", date(1998, 9, 2), ("U22222222",))
EMRE = Candidate("ABH-2022-000003", "Kaya", "Emre", date(1990, 5, 6), ("U12345678",))


def _signals(text: str) -> Signals:
    ids = extract(text)
    return Signals(aktenzeichen=tuple(ids.aktenzeichen), azr_numbers=tuple(ids.azr_numbers),
                   passport_numbers=tuple(ids.passport_numbers),
                   birth_dates=tuple(date.fromisoformat(d) for d in ids.birth_dates),
                   surnames=tuple(ids.surnames), words=frozenset(fold_words(text)))


WGB = ("Wohnungsgeberbestätigung nach § 19 BMG\nFamilienname: Öztürk\nVornamen: Ahmad\n"
       "Geburtsdatum: 02.09.1998\nEinzug am 01.03.2026")


def test_huseyins_cover_sheet_on_ahmads_page_is_held_naming_both():
    why = explicit_conflict(_signals(WGB), HUESEYIN, [HUESEYIN, AHMAD])
    assert why and "ABH-2023-000011" in why and "Ahmad" in why


def test_a_namesakes_birth_date_contradicts_even_when_the_other_is_no_client():
    why = explicit_conflict(_signals(WGB), HUESEYIN, [HUESEYIN])
    assert why and "1998-09-02" in why and "1975-03-14" in why


def test_the_right_client_passes():
    text = WGB.replace("Ahmad", "Hüseyin").replace("02.09.1998", "14.03.1975")
    assert explicit_conflict(_signals(text), HUESEYIN, [HUESEYIN, AHMAD]) is None


def test_another_clients_passport_number_is_held():
    text = "Bescheinigung\nReisepassnummer: U12345678\n"
    why = explicit_conflict(_signals(text), HUESEYIN, [HUESEYIN, EMRE])
    assert why and "ABH-2022-000003" in why


def test_a_letter_that_merely_mentions_other_people_is_not_held():
    text = ("Kanzlei Dr. Emre Kaya\nSehr geehrte Damen und Herren,\nin Sachen Hüseyin Öztürk, "
            "geb. 14.03.1975, ... Ihr Ansprechpartner bei der Firma: Herr Ahmad Öztürk")
    assert explicit_conflict(_signals(text), HUESEYIN, [HUESEYIN, AHMAD, EMRE]) is None
