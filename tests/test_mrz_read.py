"""Reading an MRZ band several times and believing it only when two readings agree
(pipelines/steps/mrz_read.py), on real specimens (../shared/specimens/mrz) and on readings
tesseract made of them, kept verbatim."""

from pathlib import Path

import pytest

from classifiers.mrz import parse
from classifiers.mrz_repair import zero_digits
from pipelines.steps.mrz_read import _result, _Tally, may_hold_mrz, parse_reading
from pipelines.tools.tesseract import PageOcr

SPECIMENS = Path(__file__).resolve().parents[2] / "shared" / "specimens" / "mrz"
pytestmark = pytest.mark.backend_free

UTO = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


def test_zero_runs_of_a_number_read_as_letters_become_zeros_when_every_check_digit_holds():
    # the Taiwan specimen as tesseract read it: O for 0; OO0000000 passes the check digit too
    # (O weighs 24: at weights 7 and 3 two of them add 240)
    lines = ["P<TWNLIN<<MEI<HUA<<<<<<<<<<<<<<<<<<<<<<<<<<<",
             "OO00000000TWN7601015F1404018A234567893<<<<18"]
    m = parse(lines)
    assert m.valid and m.document_number == "OO0000000"
    z = zero_digits(m)
    assert z.valid and z.document_number == "000000000" and "zeros" in z.repaired
    # a number whose letters are not zero runs is left as read
    assert zero_digits(parse(UTO)).document_number == "L898902C3"
    # a fold the check digits refuse is not made (HUN: BD0002028, its D is a letter)
    hun = parse(["P<HUNHANDRA<<ANDREA<<<<<<<<<<<<<<<<<<<<<<<<<",
                 "BD00020280HUN7802229F1505314<<<<<<<<<<<<<<08"])
    assert zero_digits(hun).document_number == hun.document_number


def test_one_reading_is_disputed_two_agreeing_readings_are_believed():
    # a reading of Utopia's specimen band with a filler read as C and K; valid as it stands
    repaired = parse_reading("PCUTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<KKKKK\n"
                             "L898902C36UT07408122F1204159ZE184226B<<<<<10")
    assert repaired.valid
    once = _Tally([repaired])
    assert once.settled() is None
    assert "read once" in _result(once, 1)["disputed"]
    twice = _Tally([repaired, parse_reading("\n".join(UTO))])
    assert twice.settled() is not None and "disputed" not in _result(twice, 2)


def test_two_valid_readings_that_disagree_are_disputed_never_guessed():
    # Poland's specimen: ZS0000177 and (O weighing 24, D 13, at weights 7, 3, 1) ZS0ODD177
    # both hold every check digit
    a = parse(["P<POLKOWALSKA<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<",
               "ZS00001774POL7203305F1607130<<<<<<<<<<<<<<08"])
    b = parse(["P<POLKOWALSKA<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<",
               "ZS0ODD1774POL7203305F1607130<<<<<<<<<<<<<<08"])
    assert a.valid and b.valid
    tally = _Tally([a, b])
    assert tally.settled() is None
    assert "disagree" in _result(tally, 2)["disputed"]


def test_a_letter_read_well_is_not_searched_for_an_mrz():
    letter = PageOcr(b"", "Sehr geehrte Damen und Herren,\n" + "wir bestätigen hiermit " * 20,
                     93.0, 120)
    assert not may_hold_mrz(letter, 2480)
    assert may_hold_mrz(PageOcr(b"", "REISEPASS PASSPORT", 91.0, 40), 2480)
    assert may_hold_mrz(letter, 600)  # a small image: a photo or a card


needs_specimens = pytest.mark.skipif(not SPECIMENS.is_dir(), reason="real MRZ specimens absent")


@needs_specimens
@pytest.mark.parametrize("name,number,birth", [
    ("passport-td3.png", "L898902C3", "1974-08-12"),   # the ICAO specimen, as printed
    ("100_pass-chn.jpg", "000000000", "1976-01-01"),   # zeros read as O by the page pass
    ("0_pass-lva.jpg", "LT0000000", "1986-05-10"),     # photographed sideways: band at 90°
    # filler runs miscounted, name lines off their width (classifiers/mrz_repair.py)
    ("100_id-mac.jpg", "12281507", "1961-06-22"),
    ("43_pass-fra.jpg", "08CD50338", "1960-04-10"),    # letters amid digits, as printed
    ("62_pass-aus.png", "PA0940409", "1984-06-07"),    # a skewed phone photo
    ("62_pass-pol.png", "ZS0000177", "1972-03-30"),
    ("98_pass-nld.jpg", "XA0000014", "1971-10-19"),
])
def test_real_specimens_read_valid_with_the_right_number(name, number, birth):
    from pipelines.steps.normalise import normalise
    from pipelines.steps.ocr import ocr_page

    path = SPECIMENS / f"passporteye__{name}"
    job = normalise(path.read_bytes(), path.name, max_pixels=180_000_000).pages[0]
    m = ocr_page(job, "deu+eng").mrz
    assert m["valid"] and not m.get("disputed")
    assert (m["document_number"], m["birth_date"]) == (number, birth)


@needs_specimens
def test_a_specimen_whose_own_check_digits_fail_is_never_read_as_valid():
    from pipelines.steps.normalise import normalise
    from pipelines.steps.ocr import ocr_page

    path = SPECIMENS / "passporteye__0_id-esp.png"
    job = normalise(path.read_bytes(), path.name, max_pixels=180_000_000).pages[0]
    m = ocr_page(job, "deu+eng").mrz
    assert m is None or not m["valid"]


def test_a_d_that_is_a_letter_stays_a_letter_while_the_zeros_beside_it_are_folded():
    # Hungary's specimen read BD0OO2028: folding D too gives B00002028, which fails
    m = parse(["P<HUNHANDRA<<ANDREA<<<<<<<<<<<<<<<<<<<<<<<<<",
               "BD0OO20280HUN7802229F1505314<<<<<<<<<<<<<<08"])
    if m.valid:  # O and O at weights 1 and 7 add 24 + 168: the check digit may let it pass
        assert zero_digits(m).document_number == "BD0002028"
    else:
        assert zero_digits(m).document_number == "BD0OO2028"


def test_the_visual_zone_decides_between_readings_the_check_digit_cannot_tell_apart():
    from classifiers.mrz_viz import printed_as_encoded

    page = "REISEPASS  Pass-Nr. XWGV10YHW\nP<UKROEZTUERK<<HUESEYIN<<<<<<<<<<<<<<<<<<<<<\n"
    assert printed_as_encoded("XWGV10YHW", page)
    assert not printed_as_encoded("XWGVL0YHW", page)  # L and 1 weigh the same (21 and 1)


def test_a_number_the_check_digit_cannot_tell_from_a_simpler_spelling_confirms_nothing():
    # Canada's specimen (ZE000509) read twice as ZE00DSO9: D, S and O at weights 3, 1, 7
    # add 230, so both spellings hold every check digit; letters among the digits make the
    # reading doubtful, and two of them do not settle it
    from classifiers.mrz_repair import simpler_spellings
    line1 = "P<CANMARTIN<<SARAH<<<<<<<<<<<<<<<<<<<<<<<<<<"
    wrong = parse([line1, "ZE00DSO9<9CAN8501019F2301147<<<<<<<<<<<<<<08"])
    right = parse([line1, "ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08"])
    assert wrong.valid and right.valid
    assert "ZE000509" in simpler_spellings(wrong) and not simpler_spellings(right)
    twice = _Tally([wrong, parse([line1, wrong.lines[1]])])
    assert twice.settled() is None
    result = _result(twice, 2)
    assert result["disputed"] and "ZE000509" in result["disputed"]
    # the right reading twice settles, the doubtful one does not contradict it
    assert _Tally([right, parse([line1, right.lines[1]]), wrong]).settled() is not None
    # numbers of real specimens as printed are not doubted
    for l2 in ("ZS00001774POL7203305F1607130<<<<<<<<<<<<<<08", UTO[1],
               "08CD503389FRA6004101M2201013<<<<<<<<<<<<<<02",
               "BD00020282HUN7802225F2203012<<<<<<<<<<<<<<06"):
        m = parse([line1, l2])
        assert not simpler_spellings(m), m.document_number


def test_numbers_that_mix_letters_and_digits_throughout_are_not_doubted():
    """German numbers mix consonants and digits (C01X00T47, the nPA specimen; eAT numbers like
    Y00RL3ZXL): turning their digits into look-alike letters gives rivals that pass the check
    digit (C0IXDOT47), but OCR turns digits into letters, not the reverse, and a German number
    has no O, D, Q or I. Doubting them would send a third of German documents to the inbox."""
    from types import SimpleNamespace

    from classifiers.mrz import check_digit
    from classifiers.mrz_repair import simpler_spellings

    for number in ("C01X00T47", "L01X00T47", "Y00RL3ZXL", "HG6YP6823"):
        m = SimpleNamespace(format="TD3", lines=["P<D", number + check_digit(number) + "D<<"])
        assert not simpler_spellings(m), number
