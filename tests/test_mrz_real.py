"""MRZ on real specimen images (../shared/specimens/mrz, PassportEye's test data, MIT):
the band is found on the image itself, and OCR readings are repaired only as far as the
format and every check digit allow. Partial: see bench/RESULTS.md (H5) for what is open."""

from pathlib import Path

import pytest
from PIL import Image

from classifiers.mrz_repair import repair_group

SPECIMENS = Path(__file__).resolve().parents[2] / "shared" / "specimens" / "mrz"
pytestmark = [pytest.mark.backend_free, pytest.mark.skipif(not SPECIMENS.is_dir(), reason="real MRZ specimens not present")]


# readings tesseract made of real bands (MRZ whitelist, --psm 6), kept verbatim
def test_filler_misreads_and_look_alikes_are_repaired_and_confirmed_by_every_check_digit():
    m = repair_group(["P<CZESPECIMEN<<VZOR<<<<<<KKKKKKKKKKKKKKKKKKK",
                      "99009054<4CZE6906229F16072996956220612<<<<74"])
    assert m is not None and m.valid and m.document_number == "99009054"
    assert m.birth_date.isoformat() == "1969-06-22" and m.surname == "SPECIMEN"
    m = repair_group(["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
                      "D231458907UT07408122F1204159<<<<<<<6"])  # UT0: a digit in a country
    assert m.valid and m.document_number == "D23145890" and m.issuer == "UTO"


def test_a_specimen_whose_own_check_digits_fail_is_never_read_as_valid():
    m = repair_group(["IDESPAAA1000014<00000023T<<<<<", "7212018F11012356ESP<<<<<<<<<<<8",
                      "ESPANOLA<ESPANOLA<CARMEN<<<<<<"])
    assert m is None or not m.valid


def test_fillers_never_end_up_inside_a_name():
    m = repair_group(["IDROUSAVA<<SUPERMANK<<<<<<<<<<KKKKKKK<",
                      "HD198025<51328505095M130509012049941"])
    assert m.valid and m.surname == "SAVA" and m.given_names == "SUPERMANK"  # no "KKKKKKK"
    # (the K right after the name is a filler too, but a name may end in K: left as read)


@pytest.mark.parametrize("name,turn", [("passport-td3.png", 0), ("0_pass-lva.jpg", 90),
                                       ("25_pass-uto.jpg", 0), ("53_id-d.jpg", 0)])
def test_the_band_is_found_on_the_image(name, turn):
    from pipelines.tools.mrzband import find_bands_any_angle
    bands = find_bands_any_angle(Image.open(SPECIMENS / f"passporteye__{name}"))
    assert bands and bands[0].turn == turn


def test_the_icao_specimen_reads_valid_from_its_band():
    from classifiers import mrz
    from pipelines.tools import mrzband, tesseract
    im = Image.open(SPECIMENS / "passporteye__passport-td3.png")
    band = mrzband.find_bands_any_angle(im)[0]
    text = tesseract.read_mrz(mrzband.prepare(band.crop(im), "grey"), psm=6)
    lines = [ln for ln in text.splitlines() if len(ln.strip()) >= 20]
    m = (mrz.find(text) or [None])[0]
    if m is None or not m.valid:
        m = repair_group(lines)
    assert m is not None and m.valid and m.document_number == "L898902C3"


def test_miscounted_filler_runs_and_a_name_line_off_its_width_are_mended():
    # Germany's 2007 passport (BDR): both lines too long, the name line's trailing fillers
    # read as K; with its zero run read as zeros every check digit holds
    from classifiers.mrz_repair import zero_digits
    m = zero_digits(repair_group(["P<BDRMUSTERMANNK<X<ERIKAK<K<<<<<<<<<KKKKKKK<<<<<",
                                  "CADD0000<4D<<6408125F1802212<<<<<K<<<<<<<<<<6"]))
    assert m.valid and m.document_number == "CA000000"
    assert m.birth_date.isoformat() == "1964-08-12"  # (its names: as read, K<X< and all)
    # Macao's ID card (TD1): line 2 one short in its filler run, the name line two long
    m = repair_group(["1<MAC12281507<0<<<<<<<<0212300", "6106225M1212307<<<KKKKEKKEKKG",
                      "CHONG<<KAKKEONG<<<KKKKKEKEKEK"])
    assert m is not None and m.valid and m.document_number == "12281507"
    assert m.birth_date.isoformat() == "1961-06-22"


def test_a_line_too_far_off_its_width_is_not_forced_into_a_format():
    # a data line seven characters short: no alignment is tried, nothing is made valid
    m = repair_group(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                      "L898902C36UTO7408122F1204159ZE184226B10"])
    assert m is None or not m.valid
