"""Read a page's machine readable zone (MRZ): found on the image, read several times, and
believed only when two independent readings agree.

Where the band is: tesseract's page pass marks MRZ-like lines (words full of '<'), but on
photos, small images and patterned security paper it often reads the fillers as c, e, K or
S and marks nothing, so the band is also looked for on the image itself
(tools/mrzband.py: wide blobs of dense print near an edge, upright or turned by 90°).
That costs about 0.1 s, and runs only on pages that may be identity documents (see
`may_hold_mrz`): a letter read well by the page pass pays nothing.

How it is read: first line by line (tools/mrzlines.py): each line of the band cut out by
its rows of ink, scaled to about 34 px of ink, read with `--psm 7` in three preparations,
and tesseract's characters put into the line's fixed-pitch cells counted on the image, so
that a filler run read short or as K no longer shifts the fields after it; the check
digits after filler runs are read once more on their own. All of that is one tesseract
run. Where that does not settle it, the whole band is prepared in several ways (scaled to
three widths, grey or thresholded globally or locally) and each copy read with the MRZ
alphabet (`--psm 6`). A single
reading is not believed, however valid its check digits: the 7-3-1 check digit cannot see
every substitution (a real specimen read "valid" as ZS0ODD177 for ZS0000177, O and D
weighing 24 and 13), and repairs (fillers, look-alikes, a dropped character) can land on a
wrong number that still passes. So a reading counts when a second, independently prepared
reading gives the same number and dates, or when the per-character vote of all readings,
with at least two readings behind every character of the number and the dates, does. A
valid reading that nothing confirms, or that another valid reading contradicts, is kept
but disputed: the router then sends the document to the inbox and names why. A valid
reading whose number has a simpler spelling by look-alikes that the check digit accepts as
well (ZE00DSO9 for ZE000509: mrz_repair.simpler_spellings) confirms nothing and is a rival
to every other number.
"""

from __future__ import annotations

import io
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from PIL import Image

from classifiers import mrz, mrz_repair
from classifiers.mrz import Mrz
from pipelines.tools import mrzband, mrzlines, tesseract

# the band's preparations (scale, threshold). The first three, one run of tesseract, are the
# three that most often gave two agreeing valid readings with the right number on the 38
# real specimens (../shared/specimens/mrz); the rest are read only where still unsettled
VARIANTS = (
    (1100, "local"), (700, "grey"), (1500, "local"), (1100, "grey"), (1500, "grey"),
    (700, "otsu"), (700, "local"), (1500, "otsu"), (1100, "otsu"),
)
# the preparations of a band's single lines (tools/mrzlines.py), all read in one tesseract run
LINE_VARIANTS = ("grey", "local", "otsu")
# Reading line by line is OFF until one fault is mended (issue 14): on the 37 valid real
# specimens it reads 30 right where the band readings alone read 23, no wrong number
# undisputed (`python bench/mrz_specimens.py --lines`), but on a generated passport every
# line preparation reads XWGV10YHW as XWGVL0YHW (L and 1 weigh alike in the check digit) and
# the line readings, all from one cutting of the band into cells, outvote the band's right
# reading; the visual zone then disputes it, so nothing is misfiled, but the passport waits
# in the inbox (tests/test_ingest.py). Next: the line readings of one cutting count as one.
READ_LINES = False
FIRST_BATCH = 3  # preparations read in the first tesseract run; the rest only if unsettled
MAX_BANDS = 2
SMALL_IMAGE = 1500  # pixels wide: a photo or crop of a card rather than an A4 scan
_MRZ_LINE = re.compile(r"[A-Z0-9<]{25,50}")
_ID_WORDS = re.compile(r"PASS|AUSWEIS|IDENTIT|RESIDEN|AUFENTHALT|VISA|VISUM|CARD|KARTE|CARTE",
                       re.I)


@dataclass
class _Tally:
    """The readings so far and what each parsed to."""
    readings: list[Mrz] = field(default_factory=list)
    text: Mrz | None = None  # the page pass's own reading
    _rivals: dict[int, list[tuple]] = field(default_factory=dict)  # id(reading): simpler keys

    def add(self, m: Mrz | None) -> None:
        if m is not None:
            self.readings.append(m)

    def simpler(self, m: Mrz) -> list[tuple]:
        """The keys of simpler spellings of a valid reading's number that its check digit
        accepts as well (mrz_repair.simpler_spellings): such a reading confirms nothing."""
        if id(m) not in self._rivals:
            self._rivals[id(m)] = [(m.format, n, *_key(m)[2:])
                                   for n in mrz_repair.simpler_spellings(m)]
        return self._rivals[id(m)]

    def valid_keys(self) -> Counter:
        """The valid readings that confirm their number, by what they read."""
        return Counter(_key(m) for m in self.readings if m.valid and not self.simpler(m))

    def doubtful(self) -> list[Mrz]:
        """Valid readings whose number may be a look-alike misreading of a simpler one."""
        return [m for m in self.readings if m.valid and self.simpler(m)]

    def settled(self) -> Mrz | None:
        """A reading two readings give and no other valid reading contradicts. (Not one
        reading alone, even one without repairs: a real specimen's page pass read PC for
        the document code P< and still passed every check digit.) A doubtful reading
        contradicts every number but the simpler spellings it may stand for."""
        keys = self.valid_keys().most_common()
        if not keys or keys[0][1] < 2:
            return None
        top, n = keys[0]
        against = Counter({k: c for k, c in keys[1:]})
        for m in self.doubtful():
            if top not in self.simpler(m):
                against[_key(m)] += 1
        if against and n < max(against.values()) + 2:
            return None
        return self.first(top)

    def first(self, key: tuple) -> Mrz:
        return next(m for m in self.readings if m.valid and _key(m) == key)


def _key(m: Mrz) -> tuple:
    return (m.format, m.document_number, m.birth_date, m.expiry_date, m.nationality)


def may_hold_mrz(page: tesseract.PageOcr, width: int) -> bool:
    """Whether the page could be an identity document: the page pass saw MRZ-like lines or
    words of identity documents, read it badly (a photo, a card), or it is a small image."""
    if page.mrz_box is not None or width < SMALL_IMAGE:
        return True
    return bool(any(_looks_like_mrz(line) for line in page.text.splitlines())
                or _ID_WORDS.search(page.text) or page.words < 15
                or (page.confidence or 0) < 60)


def _looks_like_mrz(line: str) -> bool:
    """A line of MRZ characters only, once OCR's spaces and lower-case fillers are undone,
    with digits or fillers in it (an upper-case heading has neither)."""
    if line.count(" ") > 4:
        return False
    norm = mrz.normalise_line(line)
    return bool(_MRZ_LINE.fullmatch(norm)) and (norm.count("<") + sum(map(str.isdigit, norm))) >= 3


def parse_reading(text: str) -> Mrz | None:
    """One OCR reading of a band: an MRZ as read, else as the format lets it be repaired
    (classifiers/mrz_repair.py), else the best-shaped invalid one; zero runs of its number
    read as digits where the check digits allow (mrz_repair.zero_digits)."""
    m = _parse_reading(text)
    return mrz_repair.zero_digits(m) if m is not None else None


def _parse_reading(text: str) -> Mrz | None:
    found = mrz.find(text)
    if found and found[0].valid:
        return found[0]
    lines = [mrz.normalise_line(ln) for ln in text.splitlines()]
    lines = [ln for ln in lines if len(ln) >= 20]
    for n in (3, 2):  # the MRZ is the band's last lines: print above it is dropped
        if len(lines) >= n:
            repaired = mrz_repair.repair_group(lines[-n:])
            if repaired is not None and repaired.valid:
                return repaired
    if found:
        return found[0]
    return mrz_repair.repair_group(lines[-3:]) if len(lines) in (2, 3) else None


def read_mrz(page: tesseract.PageOcr, image: bytes, *, budget_s: float | None = None
             ) -> dict | None:
    """The page's MRZ as a dict (classifiers.mrz.Mrz.to_dict plus `read_from`, `readings`
    and, where it is in doubt, `disputed`), or None when the page holds none.
    `budget_s`: no further tesseract run once this long was spent."""
    try:
        img = Image.open(io.BytesIO(image))
    except (OSError, ValueError):
        img = None  # no image to re-read (a text-only caller): the text layer alone
    if not may_hold_mrz(page, img.width if img else SMALL_IMAGE):
        return None
    tally = _Tally()
    text_reading = (mrz.find(page.text) or [None])[0] if page.mrz_box else None
    tally.text = mrz_repair.zero_digits(text_reading) if text_reading else None
    tally.add(tally.text)
    if img is None:
        return _text_only(tally)
    start = time.monotonic()
    crops = _crops(img, page.mrz_box) if img else []
    # the cheapest reading first: every band's lines read one by one and placed into their
    # fixed-pitch cells (tools/mrzlines.py), which mends what tesseract does to filler runs
    # (the band's first preparations below are read whatever this cost: the budget is for
    # the second run of preparations)
    count = _read_lines(crops, tally) if READ_LINES else 0
    settled = tally.settled()
    if (settled is not None and "document_number" not in settled.repaired
            and not _text_says_otherwise(tally, settled)):
        # the line readings share one cutting of the band into cells: their agreement
        # settles a number read as printed, not one a look-alike repair made (a generated
        # passport's XWGV10YHW came out of every line preparation as XWGVL0YHW, L and 1
        # weighing alike): for that the band's own readings are asked as well
        return _result(tally, count)
    # the first preparations of every candidate band in one tesseract run, then the rest of
    # the bands that read like an MRZ, where still unsettled
    first = [mrzband.prepare(crop, v, w) for crop in crops for w, v in VARIANTS[:FIRST_BATCH]]
    texts = tesseract.read_mrz_many(first) if first else []
    count += len(texts)
    shaped = []
    for i in range(len(crops)):
        readings = [parse_reading(t) for t in texts[i * FIRST_BATCH:(i + 1) * FIRST_BATCH]]
        for m in readings:
            tally.add(m)
        shaped.append(any(m and m.format for m in readings))
    if tally.settled():
        return _result(tally, count)
    if budget_s is not None and time.monotonic() - start > budget_s:
        return _result(tally, count)
    # a band with no MRZ-like reading is left out when another one has one; else it may be
    # upside down: its first two preparations are read turned by 180° as well
    rest = [(crop, False) for crop, ok in zip(crops, shaped, strict=True) if ok]
    if not rest:
        rest = [(crop, True) for crop in crops]
    batch = []
    for crop, turn in rest:
        if turn:
            batch += [mrzband.prepare(crop.rotate(180), v, w) for w, v in VARIANTS[:2]]
        batch += [mrzband.prepare(crop, v, w) for w, v in VARIANTS[FIRST_BATCH:]]
    if batch:
        for text in tesseract.read_mrz_many(batch):
            tally.add(parse_reading(text))
        count += len(batch)
    return _result(tally, count)


def _text_says_otherwise(tally: _Tally, settled: Mrz) -> bool:
    """The page pass read the band as printed, every check digit holding, and another number
    than the line readings agree on. The line readings share one cutting of the band into
    cells, so their agreement is not independent enough to overrule that: the band's own
    readings are asked as well (a generated passport's XWGV10YHW came out as XWGVL0YHW from
    every line preparation; L and 1 weigh alike in the check digit)."""
    text = tally.text
    return (text is not None and text.valid and not text.repaired
            and _key(text) != _key(settled))


def _read_lines(crops: list[Image.Image], tally: _Tally) -> int:
    """Each band cut into its lines, every line read in LINE_VARIANTS preparations in one
    tesseract run, each preparation's characters placed into the line's cells: one reading
    of the band per preparation. The number of readings made."""
    # a band none of whose lines stand at a regular pitch (a heading, a row of print that
    # is no MRZ) is left to the band readings: reading it here costs and gives nothing
    bands = [lines for lines in map(mrzlines.lines, crops) if any(ln.cells for ln in lines)]
    images = [mrzlines.prepared(line, v) for lines in bands for v in LINE_VARIANTS
              for line in lines]
    # and the check digits after filler runs on their own, in the same run
    lone = [(line, j) for lines in bands for line in lines for j in mrzlines.lone_cells(line)]
    images += [mrzlines.cell_image(line, j) for line, j in lone]
    if not images:
        return 0
    boxes = iter(tesseract.read_mrz_lines(images))
    placed = [[[mrzlines.place(next(boxes), line) for line in lines] for _ in LINE_VARIANTS]
              for lines in bands]
    alone = {(id(line), j): "".join(c for c, _, _ in next(boxes)) for line, j in lone}
    count = 0
    for lines, readings in zip(bands, placed, strict=True):
        for reading in readings:
            text = []
            for line, chars in zip(lines, reading, strict=True):
                chars = list(chars)
                for j in mrzlines.lone_cells(line):
                    own = alone.get((id(line), j), "")
                    if len(own) == 1 and own != "<":
                        chars[j] = own
                text.append(mrzlines.fitted("".join(chars)))
            tally.add(parse_reading("\n".join(text)))
            count += 1
    return count


def _text_only(tally: _Tally) -> dict | None:
    """With no image to read again, the page pass's reading is taken when it holds as
    printed, without any repair (callers that have only text: a second reading cannot be
    had); a repaired one stays disputed."""
    m = tally.readings[0] if tally.readings else None
    if m is not None and m.valid and not m.repaired:
        return _as_dict(m, 0, "text")
    return _result(tally, 0, "text")


def _crops(img: Image.Image, box: tuple[int, int, int, int] | None) -> list[Image.Image]:
    crops = []
    if box is not None:
        left, top, right, bottom = box
        pad = max(20, (bottom - top) // 4)
        crops.append(img.crop((max(0, left - pad), max(0, top - pad),
                               min(img.width, right + pad), min(img.height, bottom + pad))))
    for band in mrzband.find_bands_any_angle(img, limit=MAX_BANDS):
        if len(crops) >= MAX_BANDS:
            break
        crops.append(band.crop(img))
    return crops


def _result(tally: _Tally, count: int, how: str = "image") -> dict | None:
    """The settled reading; else the vote's; else the best valid or invalid one, disputed
    when it is valid but unconfirmed or contradicted."""
    if not tally.readings:
        return None
    settled = tally.settled()
    if settled is not None:
        return _as_dict(settled, count, how)
    keys = tally.valid_keys()
    text = tally.text
    doubtful = tally.doubtful()
    if (text is not None and text.valid and not text.repaired and len(keys) == 1
            and not doubtful):
        # the page pass read it as printed, with every check digit, and no reading of the
        # band says otherwise (a clean A4 scan, whose band re-reads may come out worse)
        return _as_dict(text, count, "text")
    voted, support = _vote(tally.readings)
    keys = keys.most_common()
    if (voted is not None and voted.valid and support >= 2 and not tally.simpler(voted)
            and all(k == _key(voted) for k, _ in keys)
            and all(_key(voted) in tally.simpler(m) for m in doubtful)):
        return _as_dict(voted, count, "vote")
    if keys:
        best = tally.first(keys[0][0])
        rival_keys = [k for k, _ in keys[1:3]] + list(dict.fromkeys(_key(m) for m in doubtful))
        if rival_keys:
            why = "readings of the band disagree: " + ", ".join(
                [f"{k[1]} ({n}×)" for k, n in keys[:3]]
                + [f"{k[1]} (look-alike)" for k in rival_keys if k not in dict(keys)])
            rivals = [_as_dict(tally.first(k), count) for k in [keys[0][0], *rival_keys][:3]]
            return {**_as_dict(best, count), "disputed": why, "rivals": rivals}
        why = f"{best.document_number} read once, no second reading confirms it"
        return {**_as_dict(best, count), "disputed": why}
    if doubtful:
        best = doubtful[0]
        why = (f"{best.document_number} could be a misreading of "
               f"{', '.join(k[1] for k in tally.simpler(best)[:3])}: look-alike characters "
               "the check digit cannot tell apart")
        return {**_as_dict(best, count), "disputed": why}
    best = min((m for m in tally.readings), key=lambda m: len(m.failed_checks))
    if len(best.failed_checks) == len(best.checks):
        # not one check digit holds: text on a letter mended to an MRZ's widths, not a zone
        # (it would tell the splitter the page is an identity document)
        return None
    return _as_dict(best, count)


def _as_dict(m: Mrz, count: int, how: str = "image") -> dict:
    return {**m.to_dict(), "read_from": how, "readings": count}


# positions of the number, the birth date and the expiry date with their check digits
_FIELDS = {
    "TD1": [(0, range(5, 15)), (1, range(0, 7)), (1, range(8, 15))],
    **{f: [(1, range(0, 10)), (1, range(13, 20)), (1, range(21, 28))]
       for f in ("TD2", "TD3", "MRVA", "MRVB")},
}


def _vote(readings: list[Mrz]) -> tuple[Mrz | None, int]:
    """The per-character majority of the readings of the most-read format, parsed, and the
    fewest readings behind any character of its number and dates."""
    formats = Counter(m.format for m in readings)
    if not formats:
        return None, 0
    fmt = formats.most_common(1)[0][0]
    same = [m.lines for m in readings if m.format == fmt]
    if len(same) < 2:
        return None, 0
    voted = ["".join(Counter(chars).most_common(1)[0][0] for chars in zip(*rows, strict=True))
             for rows in zip(*same, strict=True)]
    support = min(sum(lines[row][i] == voted[row][i] for lines in same)
                  for row, cols in _FIELDS[fmt] for i in cols)
    return parse_reading("\n".join(voted)), support
