"""tesseract, the OCR engine: one page image in, a text-only PDF page, text and confidence out.

Called once per page with OMP_THREAD_LIMIT=1: on this hardware tesseract's own OpenMP
threads fight each other (5.5 s/page vs 1.0 s/page/core), so parallelism comes from running
pages side by side instead (see DESIGN.md, measured facts).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from efile.errors import ConfigError, ToolFailed

if TYPE_CHECKING:
    from PIL import Image

_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


@dataclass(frozen=True)
class PageOcr:
    text_pdf: bytes  # one page, invisible text only (textonly_pdf=1), sized like the image
    text: str
    confidence: float | None  # mean word confidence 0..100, None if no words
    words: int
    mrz_box: tuple[int, int, int, int] | None = None  # pixels around lines full of '<'


@dataclass(frozen=True)
class Orientation:
    rotate: int  # degrees clockwise that make the page upright: 0, 90, 180, 270
    confidence: float


@lru_cache(maxsize=1)
def version() -> str:
    exe = shutil.which("tesseract")
    if not exe:
        raise ConfigError("tesseract is not installed (Debian: apt-get install tesseract-ocr "
                          "tesseract-ocr-deu tesseract-ocr-eng)")
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).splitlines()[0].removeprefix("tesseract ").strip()


@lru_cache(maxsize=8)
def check_languages(languages: str) -> None:
    version()
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
    have = set(out.stdout.split())
    missing = [lang for lang in languages.split("+") if lang not in have]
    if missing:
        raise ConfigError(f"tesseract language data missing: {', '.join(missing)} "
                          f"(Debian: apt-get install tesseract-ocr-{missing[0]})")


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        res = subprocess.run(["tesseract", *args], capture_output=True, text=True,
                             env=_ENV, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as e:
        raise ToolFailed(f"tesseract took longer than {timeout:.0f} s on one page") from e
    if res.returncode != 0:
        lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
        raise ToolFailed(f"tesseract failed: {lines[-1] if lines else 'exit ' + str(res.returncode)}")
    return res


def _read_tsv(tsv: str) -> tuple[float | None, int, tuple[int, int, int, int] | None]:
    """Mean word confidence, word count, and the box around words that look like MRZ
    lines (long runs with '<' fillers), from tesseract's TSV output."""
    confs = []
    boxes = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            continue
        text = (row.get("text") or "").strip()
        if conf >= 0 and text:
            confs.append(conf)
            if len(text) >= 10 and text.count("<") >= 2:
                x, y = int(row["left"]), int(row["top"])
                boxes.append((x, y, x + int(row["width"]), y + int(row["height"])))
    box = None
    if boxes:
        box = (min(b[0] for b in boxes), min(b[1] for b in boxes),
               max(b[2] for b in boxes), max(b[3] for b in boxes))
    return (round(sum(confs) / len(confs), 1) if confs else None), len(confs), box


@contextmanager
def _page_file(image: bytes, suffix: str) -> Iterator[Path]:
    """The page image as a file in a private temporary folder, for tesseract to read."""
    with tempfile.TemporaryDirectory(prefix="efile-tess-") as tmp:
        src = Path(tmp) / f"page{suffix}"
        src.write_bytes(image)
        yield src


def ocr_page(image: bytes, suffix: str, *, languages: str = "deu+eng", dpi: int | None = None,
             timeout: float = 300) -> PageOcr:
    """OCR one page image (PNG, JPEG, TIFF or PNM bytes)."""
    check_languages(languages)
    with _page_file(image, suffix) as src:
        out = src.with_name("out")
        args = [str(src), str(out), "-l", languages, "-c", "textonly_pdf=1"]
        if dpi:
            args += ["--dpi", str(dpi)]
        _run([*args, "pdf", "txt", "tsv"], timeout)
        conf, words, mrz_box = _read_tsv(out.with_suffix(".tsv").read_text(errors="replace"))
        return PageOcr(out.with_suffix(".pdf").read_bytes(),
                       out.with_suffix(".txt").read_text(errors="replace"), conf, words, mrz_box)


MRZ_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


def _mrz_config(psm: int) -> str:
    return (f"--psm {psm} -c tessedit_char_whitelist={MRZ_CHARSET} "
            "-c load_system_dawg=0 -c load_freq_dawg=0")


def read_mrz(band: Image.Image, *, psm: int = 6, timeout: float = 30) -> str:
    """Read a prepared MRZ band (a PIL image: the whole band with --psm 6, one line with
    --psm 7) with the MRZ alphabet as the only allowed characters and no dictionaries
    (an MRZ holds no words). Through pytesseract, the project's chosen binding."""
    return read_mrz_many([band], psm=psm, timeout=timeout)[0]


def _listed(images: list, what: str, read: Callable[[str], str], timeout: float) -> str:
    """`read(listing)` of pytesseract over a file listing `images` (PIL images): tesseract
    takes such a listing as one multi-page input, so its start and model load (0.2 s of a
    0.3 s band reading) are paid once. Its timeout and failure as ToolFailed naming `what`."""
    import pytesseract  # noqa: PLC0415 - only pages with an MRZ need it

    os.environ["OMP_THREAD_LIMIT"] = "1"  # see the module's docstring; pytesseract inherits it
    with tempfile.TemporaryDirectory(prefix="efile-mrz-") as tmp:
        paths = []
        for i, image in enumerate(images):
            paths.append(str(Path(tmp) / f"image{i}.png"))
            image.save(paths[-1])
        listing = Path(tmp) / "images.txt"
        listing.write_text("\n".join(paths) + "\n")
        try:
            return read(str(listing))
        except RuntimeError as e:  # pytesseract's timeout
            raise ToolFailed(f"tesseract took longer than {timeout:.0f} s on {what}") from e
        except pytesseract.TesseractError as e:
            raise ToolFailed(f"tesseract failed on {what} (exit {e.status})") from e


def read_mrz_many(bands: list, *, psm: int = 6, timeout: float = 30) -> list[str]:
    """read_mrz for several prepared copies of a band in one tesseract run. One text per
    band, in order."""
    import pytesseract  # noqa: PLC0415 - only pages with an MRZ need it

    out = _listed(bands, "an MRZ band", lambda listing: pytesseract.image_to_string(
        listing, lang="eng", config=_mrz_config(psm), timeout=timeout * len(bands)), timeout)
    pages = out.split("\f")
    return (pages + [""] * len(bands))[:len(bands)]


def read_mrz_lines(lines: list, *, timeout: float = 10) -> list[list[tuple[str, int, int]]]:
    """Read prepared single MRZ lines (PIL images) with --psm 7 and the MRZ alphabet, in one
    tesseract run: per line, its characters left to right with the left and right pixel
    column of each (tesseract's box output), so that the reader can place every character
    in its own cell of the fixed-pitch line (tools/mrzlines.py) instead of trusting the
    count of fillers, which the LSTM model gets wrong in long runs of '<'."""
    import pytesseract  # noqa: PLC0415 - only pages with an MRZ need it

    out: list[list[tuple[str, int, int]]] = [[] for _ in lines]
    if not lines:
        return out
    boxes = _listed(lines, "MRZ lines", lambda listing: pytesseract.image_to_boxes(
        listing, lang="eng", config=_mrz_config(7), timeout=timeout * len(lines)), timeout)
    for row in boxes.splitlines():
        parts = row.split()
        if len(parts) != 6 or not parts[5].isdigit() or int(parts[5]) >= len(lines):
            continue
        out[int(parts[5])].append((parts[0], int(parts[1]), int(parts[3])))
    return out


_OSD = re.compile(r"Rotate:\s*(\d+).*?Orientation confidence:\s*([\d.]+)", re.S)


def detect_orientation(image: bytes, suffix: str, *, timeout: float = 120) -> Orientation | None:
    """Orientation and script detection (--psm 0). None when tesseract finds too little text."""
    with _page_file(image, suffix) as src:
        try:
            res = _run([str(src), "-", "--psm", "0"], timeout)
        except ToolFailed:
            return None  # "Too few characters" and similar: no orientation to be had
        m = _OSD.search(res.stdout)
        if not m:
            return None
        return Orientation(int(m.group(1)) % 360, float(m.group(2)))
