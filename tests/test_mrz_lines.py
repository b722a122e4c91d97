"""An MRZ line read in its fixed-pitch cells (pipelines/tools/mrzlines.py): the cells are
counted on the image, the fillers recognised by their shape, and tesseract's characters put
into the cells, so that a filler run read short or as K no longer shifts the fields."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from classifiers.mrz import parse
from pipelines.tools import mrzlines
from pipelines.tools.mrzlines import Line, cells, fitted, place

SPECIMENS = Path(__file__).resolve().parents[2] / "shared" / "specimens" / "mrz"
MONO = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
pytestmark = pytest.mark.backend_free

UTO2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def _rendered(text: str, size: int = 40) -> np.ndarray:
    font = ImageFont.truetype(str(MONO), size)
    img = Image.new("L", (int(size * 0.7 * len(text)) + 40, size + 30), 255)
    ImageDraw.Draw(img).text((20, 10), text, font=font, fill=0)
    return np.asarray(img) < 128


@pytest.mark.skipif(not MONO.exists(), reason="DejaVu Sans Mono not installed")
def test_the_cells_of_a_printed_line_are_counted_and_its_fillers_told_by_their_shape():
    for text in (UTO2, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                 "IDD<<T220001293<<<<<<<<<<<<<<<"):
        centres, fillers = cells(_rendered(text))
        assert len(centres) == len(text)
        assert "".join("<" if f else "x" for f in fillers) == "".join(
            "<" if c == "<" else "x" for c in text)


def test_a_filler_run_read_short_and_as_k_is_put_back_into_its_cells():
    # the Swiss ID card's second line (100_id-che.jpg) as tesseract read it, with the boxes
    # it gave: 11 fillers read as five '<' and one wide K, an 8 read as "B8"
    boxes = [("B", 21, 44), ("8", 37, 54), ("1", 53, 67), ("0", 81, 104), ("2", 112, 131),
             ("2", 142, 162), ("8", 172, 194), ("7", 202, 222), ("F", 236, 252),
             ("1", 264, 278), ("S", 292, 312), ("0", 323, 344), ("1", 355, 368),
             ("0", 383, 404), ("1", 415, 428), ("4", 444, 464), ("C", 475, 492),
             ("H", 504, 523), ("E", 536, 553), ("<", 564, 584), ("<", 594, 615),
             ("<", 624, 644), ("<", 654, 675), ("<", 684, 705), ("K", 715, 765),
             ("K", 775, 916)]
    centres = [32, 60, 92, 121, 152, 183, 212, 244, 271, 302, 333, 361, 393, 422, 454, 484,
               513, 544, 574, 605, 634, 665, 694, 725, 754, 785, 815, 845, 876, 906]
    fillers = [False] * 18 + [True] * 11 + [False]
    line = Line(Image.new("L", (940, 60), 255), centres, fillers)
    placed = place(boxes, line)
    assert len(placed) == 30
    assert placed[:18] in ("B102287F1S01014CHE", "8102287F1S01014CHE")  # B/8: the digit field
    assert placed[18:29] == "<" * 11  # decides (classifiers/mrz_repair.py)
    assert placed[29] in "?K"  # the check digit is not made up: no check digit accepts it


def test_a_line_without_countable_cells_is_read_as_tesseract_read_it():
    line = Line(Image.new("L", (10, 10), 255), [], [])
    assert place([("A", 0, 3), ("<", 4, 8)], line) == "A<"


def test_empty_cells_at_the_ends_of_a_line_too_wide_are_dropped_and_nothing_else():
    assert fitted("?" + UTO2) == UTO2
    assert fitted(UTO2 + "?") == UTO2
    assert fitted("??" + UTO2[:-1]) == "?" + UTO2[:-1]  # down to the width, not further
    assert fitted(UTO2[:20] + "?" + UTO2[20:]) == UTO2[:20] + "?" + UTO2[20:]  # not inside
    assert fitted("X" + UTO2) == "X" + UTO2  # a character read is never dropped


needs_specimens = pytest.mark.skipif(not SPECIMENS.is_dir(), reason="real MRZ specimens absent")


@needs_specimens
@pytest.mark.parametrize("name,number,birth", [
    ("53_id-d.jpg", "T22000129", "1964-08-12"),      # the German nPA, 250 px wide
    ("100_id-rou.jpg", "HD198025", "1985-05-09"),    # TD2: its names without K fillers
    ("100_pass-bdr.jpg", "CA000000", "1964-08-12"),  # the German 2007 passport
    ("100_pass-lux.jpg", "S998527", "1978-06-20"),   # a photo on a dark ground, slanted
])
def test_real_bands_read_line_by_line_agree_with_the_truth(name, number, birth):
    from pipelines.steps.mrz_read import _crops, _read_lines, _Tally

    tally = _Tally()
    _read_lines(_crops(Image.open(SPECIMENS / f"passporteye__{name}"), None), tally)
    settled = tally.settled()
    assert settled is not None and settled.valid
    assert (settled.document_number, settled.birth_date.isoformat()) == (number, birth)
    assert "K" not in settled.lines[0][-10:]  # the name line's filler run read as fillers


@needs_specimens
def test_a_specimen_whose_own_check_digits_fail_is_not_made_valid_by_its_cells():
    from pipelines.steps.mrz_read import _crops, _read_lines, _Tally

    tally = _Tally()
    _read_lines(_crops(Image.open(SPECIMENS / "passporteye__0_id-esp.png"), None), tally)
    assert not any(m.valid for m in tally.readings)


def test_a_number_read_with_look_alikes_from_its_first_character_on_confirms_nothing():
    # France's 08CD50338 read as O8CDS033B from a band's lines: O, S and B at weights 7, 3
    # and 1 add 240, so it holds every check digit; it must not outvote two right readings
    from classifiers.mrz_repair import simpler_spellings
    from pipelines.steps.mrz_read import _Tally

    line1 = "P<FRAULYSSE<<CHRISTOPHE<<<<<<<<<<<<<<<<<<<<<"
    wrong = parse([line1, "O8CDS033B0FRA6004103M1806058<<<<<<<<<<<<<<06"])
    right = parse([line1, "08CD503380FRA6004103M1806058<<<<<<<<<<<<<<06"])
    assert wrong.valid and right.valid
    assert simpler_spellings(wrong) == ["08CD50338"] and not simpler_spellings(right)
    settled = _Tally([right, wrong, parse([line1, right.lines[1]])]).settled()
    assert settled is not None and settled.document_number == "08CD50338"


def test_a_placed_line_is_the_printed_line_when_tesseract_reads_fillers_as_k_and_drops_some():
    line = Line(Image.new("L", (10, 10), 255), [10.0 * i for i in range(44)],
                [c == "<" for c in UTO2])
    # the run of five fillers before the check digits read as "KK", the rest as printed
    read = [(c, 10 * i - 4, 10 * i + 4) for i, c in enumerate(UTO2[:37])]
    read += [("K", 366, 374), ("K", 376, 384), ("1", 416, 424), ("0", 426, 434)]
    placed = place(read, line)
    assert placed == UTO2
    assert parse(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", placed]).valid
    assert mrzlines.WIDTHS == (30, 36, 44)


def test_a_letter_prefix_that_ends_in_d_is_no_zero_read_as_a_letter():
    # Hungary's specimen BD0002028, printed so: its D ends the letter prefix; a D or O among
    # the zeros, or a run that begins with the digit, stays in doubt when nothing is printed
    from classifiers.mrz_viz import visual_dispute

    assert visual_dispute("BD0002028", "MAGYARORSZAG / HUNGARY") is None
    for number in ("BD0OO2028", "A0QOOO00", "ZE00DSO9"):
        assert "mixed in one run" in visual_dispute(number, "PASSPORT"), number
