"""The visual zone's word on the document number (ICAO 9303: the VIZ prints what the MRZ
encodes). The 7-3-1 check digit cannot see some substitutions at all: a letter and a digit
whose values differ by a multiple of ten (L/1, G/6, D/3, I/8) weigh the same in every
position, and two substitutions can cancel. Two real specimens came back "valid" with the
wrong number that way (1898902C3 for L898902C3, PLOOOQOO0 for PL0000000).

So a valid MRZ number is compared with the numbers the page prints elsewhere: a printed
token that is the same number once OCR's confusable characters are folded, but not the same
string, disputes it when the check digit cannot tell the two apart (the same check digit);
the router then never files on it (pipelines/steps/route.py). A printed variant with another
check digit is not a rival: the issuer computed the MRZ's check digit on the true number, so
that variant is the visual zone's own OCR error (Y00RL3ZXL printed, read YOORL3ZXL: O and 0
weigh 24 and 0)."""

from __future__ import annotations

import re

from .mrz import check_digit

# the characters OCR and the OCR-B font confuse, folded to one of each class
_FOLD = str.maketrans("OQDIL|SBZG", "0001115826")
_TOKEN = re.compile(r"[A-Z0-9]{6,12}")


def _viz_lines(text: str) -> list[str]:
    """The page's lines that are not the MRZ (which holds '<' fillers)."""
    return [ln for ln in text.upper().splitlines() if "<" not in ln and "«" not in ln]


_MIXED_ZEROS = re.compile(r"(?=[0OQD]*0)(?=[0OQD]*[OQD])[0OQD]{2,}")


def _mixes_zeros(number: str) -> bool:
    """A run of zero-likes that holds both the digit 0 and a letter O, Q or D (A0QOOO00),
    past the number's letter prefix (_after_prefix):
    OCR-B's 0 and O differ by a slant, and O and Q weigh 24 and 26 in the check sum, so a
    mixed run can pass the check digit in more ways than one."""
    return any(_MIXED_ZEROS.fullmatch(_after_prefix(number, m))
               for m in re.finditer(r"[0OQD]{2,}", number))


def _after_prefix(number: str, run: re.Match) -> str:
    """The run without the letters it begins with when a letter stands before it: those end
    the number's letter prefix (Hungary's BD0002028: BD, then the zeros), they are not zeros
    read as letters. A run that begins with a digit is taken whole."""
    text = run.group()
    if run.start() and number[run.start() - 1].isalpha():
        return text.lstrip("OQD")
    return text


def visual_dispute(number: str, page_text: str) -> str | None:
    """Why a valid MRZ `number` is in doubt: the visual zone prints it otherwise, or, with
    the visual zone silent, the number mixes 0 with O/Q/D in one run. None when the visual
    zone prints it as encoded, or nothing speaks against it."""
    number = number.strip("<").upper()
    if len(number) < 6:
        return None
    folded = number.translate(_FOLD)
    other = None
    for line in _viz_lines(page_text):
        for token in _TOKEN.findall(line.replace(" ", "")) + _TOKEN.findall(line):
            if token == number:
                return None  # printed as encoded
            if other is None and len(token) == len(number) and \
                    token.translate(_FOLD) == folded and check_digit(token) == check_digit(number):
                other = token
    if other:
        return f"{other} printed on the page"
    if _mixes_zeros(number):
        return "0 and O/Q/D mixed in one run, which the check digit cannot tell apart"
    return None


def printed_as_encoded(number: str, page_text: str) -> bool:
    """Whether the visual zone prints `number` character for character."""
    number = number.strip("<").upper()
    return len(number) >= 6 and any(
        number in (line.replace(" ", ""), *line.split()) or number in _TOKEN.findall(line)
        for line in _viz_lines(page_text))
