"""Repair OCR readings of an MRZ band, only as far as the ICAO 9303 format allows.

What OCR does to an MRZ, even with the MRZ alphabet as whitelist: fillers read as K, C, E, 6;
O/0, I/1, B/8, S/5, Z/2, G/6 swapped; a character inserted or dropped, shifting every field
after it. The format knows, for every position, which class of character it holds (letters,
digits, check digit, sex, alphanumeric), so a digit in a letter field and a letter in a
digit field can be mapped back, and a line one to three characters off its width can be
re-aligned. None of this is trusted on its own: a repaired reading counts only when every
check digit of the format holds, and when two alignments or two spellings both hold with
different data, the reading is refused. Text in, parse out: nothing of ours is imported.
"""

from __future__ import annotations

import itertools
import re
from datetime import date

from .mrz import _TO_DIGIT, _TO_LETTER, Mrz, check_digit, normalise_line, parse

FILLER = "<"
# what OCR reads a filler '<' as when only MRZ characters are allowed
FILLERISH = set("<KCEG6LRS")
WIDTH = {"TD1": 30, "TD2": 36, "TD3": 44, "MRVA": 44, "MRVB": 36}
LINES = {"TD1": 3, "TD2": 2, "TD3": 2, "MRVA": 2, "MRVB": 2}

# per line, the classes of its positions: A letters, N digits, C check digit, S sex,
# X alphanumeric (document numbers, optional data), P the document code's first letter
_L1 = "PA" + "AAA"
_CLASSES = {
    "TD3": (_L1 + "A" * 39, "X" * 9 + "C" + "AAA" + "N" * 6 + "C" + "S" + "N" * 6 + "C"
            + "X" * 14 + "CC"),
    "TD2": (_L1 + "A" * 31, "X" * 9 + "C" + "AAA" + "N" * 6 + "C" + "S" + "N" * 6 + "C"
            + "X" * 7 + "C"),
    "MRVA": (_L1 + "A" * 39, "X" * 9 + "C" + "AAA" + "N" * 6 + "C" + "S" + "N" * 6 + "C"
             + "X" * 16),
    "MRVB": (_L1 + "A" * 31, "X" * 9 + "C" + "AAA" + "N" * 6 + "C" + "S" + "N" * 6 + "C"
             + "X" * 8),
    "TD1": (_L1 + "X" * 9 + "C" + "X" * 15, "N" * 6 + "C" + "S" + "N" * 6 + "C" + "AAA"
            + "X" * 11 + "C", "A" * 30),
}
_SEX = str.maketrans({"H": "M", "N": "M", "P": "F", "E": "F", "K": FILLER})
_FIRST_LETTER = str.maketrans({"1": "I", "0": "O", "4": "A", "7": "V", "8": "B", "5": "S"})


def _coerce(line: str, classes: str) -> str:
    """Map every character to its position's class where OCR confuses them."""
    out = []
    for ch, cls in zip(line, classes, strict=True):
        if cls == "N":
            ch = ch.translate(_TO_DIGIT)
        elif cls == "C":
            ch = ch if ch == FILLER else ch.translate(_TO_DIGIT)
        elif cls == "A":
            ch = ch.translate(_TO_LETTER)
        elif cls == "P":
            ch = ch.translate(_FIRST_LETTER)
        elif cls == "S":
            ch = ch.translate(_SEX)
        out.append(ch)
    return "".join(out)


def _clean_name(line: str, start: int) -> str:
    """Names never hold three fillers in a row nor filler misreads after their end: past the
    first '<<<' (or a run of filler look-alikes ending the line) everything is filler."""
    head, tail = line[:start], line[start:]
    m = re.search(r"<<<", tail)
    if m:
        tail = tail[:m.start()] + FILLER * (len(tail) - m.start())
    parts = tail.split(FILLER)
    # trailing parts made only of filler look-alikes ("K", "KKEKK", "6<66") are fillers
    for i in range(len(parts) - 1, 0, -1):
        p = parts[i]
        if not p:
            continue
        if set(p) <= FILLERISH and (len(p) == 1 or p.count("K") >= 2 or "6" in p):
            parts[i] = FILLER * len(p)
        else:
            break
    tail = FILLER.join(parts)
    return head + tail


def _fillered(line: str, classes: str) -> str:
    """Alphanumeric optional fields that hold fillers read as look-alikes, turned back into
    fillers (the check digits decide whether that was right)."""
    out = list(line)
    for m in re.finditer(r"X+", classes):
        if m.start() == 0 or (classes.startswith("PA") and m.start() == 5):
            continue  # the document number itself: never guessed
        seg = line[m.start():m.end()]
        if FILLER in seg and set(seg) <= FILLERISH:
            out[m.start():m.end()] = FILLER * len(seg)
    return "".join(out)


def _alignments(line: str, width: int, limit: int = 3) -> list[tuple[str, int]]:
    """The line brought to its width, by dropping or adding fillers (or, one or two off, by
    dropping any character): each with its number of edits."""
    diff = len(line) - width
    if diff == 0:
        return [(line, 0)]
    if abs(diff) > limit:
        return []
    out = set()
    if diff > 0:
        positions = range(len(line)) if diff == 1 else [
            i for i, ch in enumerate(line) if ch in FILLERISH]
        for drop in itertools.combinations(positions, diff):
            out.add("".join(ch for i, ch in enumerate(line) if i not in drop))
    else:
        for ins in itertools.combinations_with_replacement(range(len(line) + 1), -diff):
            s = line
            for k, pos in enumerate(sorted(ins)):
                s = s[:pos + k] + FILLER + s[pos + k:]
            out.add(s)
    return [(s, abs(diff)) for s in sorted(out)]


def _formats(lines: list[str]) -> list[str]:
    n = len(lines)
    mean = sum(len(x) for x in lines) / max(1, n)
    out = []
    if n == 3 and abs(mean - 30) <= 3:
        out.append("TD1")
    if n == 2:
        if abs(mean - 44) <= 3:
            out += ["MRVA", "TD3"] if lines[0][:1] == "V" else ["TD3", "MRVA"]
        if abs(mean - 36) <= 3:
            out += ["MRVB", "TD2"] if lines[0][:1] == "V" else ["TD2", "MRVB"]
    return out


def _key(m: Mrz) -> tuple:
    return (m.format, m.document_number, m.birth_date, m.expiry_date, m.nationality)


MAX_CANDIDATES = 600  # alignments tried per format: bounds the time one reading costs


def repair_group(raw: list[str], *, today: date | None = None) -> Mrz | None:
    """The one reading of these lines that the format and every check digit confirm, or
    the best-shaped invalid reading when none does, or None when the lines are no MRZ.
    Two different readings that both hold make it None too (no guessing)."""
    lines = [normalise_line(x) for x in raw]
    best_invalid: Mrz | None = None
    for fmt in _formats(lines):
        width, classes = WIDTH[fmt], _CLASSES[fmt]
        per_line = [_alignments(x, width) for x in lines]
        if not all(per_line):
            continue
        valid: dict[tuple, tuple[int, Mrz]] = {}
        for n, combo in enumerate(itertools.product(*per_line)):
            if n >= MAX_CANDIDATES:
                break
            edits = sum(e for _, e in combo)
            group = [s for s, _ in combo]
            name_line = 2 if fmt == "TD1" else 0
            group[name_line] = _clean_name(group[name_line], 0 if fmt == "TD1" else 5)
            group = [_coerce(g, c) for g, c in zip(group, classes, strict=True)]
            for variant in (group, [_fillered(g, c) for g, c in zip(group, classes, strict=True)]):
                m = _parse(variant, today)
                if m is None:
                    continue
                if m.valid:
                    changed = edits + sum(a != b for a, b in zip("".join(variant), "".join(lines),
                                                                  strict=False))
                    k = _key(m)
                    if k not in valid or changed < valid[k][0]:
                        valid[k] = (changed, m)
                elif best_invalid is None or len(m.failed_checks) < len(best_invalid.failed_checks):
                    best_invalid = m
            if edits == 0 and valid:
                break  # as wide as the format: no re-alignment to try
        if valid:
            if len(valid) > 1:
                return None if best_invalid is None else best_invalid
            changed, m = next(iter(valid.values()))
            if combo_changed(lines, m):
                m.repaired.append("reading")
            return m
    return best_invalid


def combo_changed(raw: list[str], m: Mrz) -> bool:
    return list(m.lines) != raw


def _parse(group: list[str], today: date | None) -> Mrz | None:
    try:
        m = parse(group, today=today)
    except ValueError:
        return None
    if not m.valid:
        _repair_number(m, group, today)
    return m


_SWAP = {"O": "0", "0": "O", "Q": "0", "D": "0", "I": "1", "1": "I", "B": "8", "8": "B",
         "S": "5", "5": "S", "Z": "2", "2": "Z", "G": "6", "6": "G"}


def _repair_number(m: Mrz, group: list[str], today: date | None) -> None:
    """A document number failing its check digit: one look-alike swapped may make it hold;
    counted only when exactly one swap does and every other check holds."""
    if m.failed_checks != ["document_number"] and set(m.failed_checks) != {
            "document_number", "composite"}:
        return
    row, start = (0, 5) if m.format == "TD1" else (1, 0)
    line = group[row]
    fixes = []
    for i in range(start, start + 9):
        alt = _SWAP.get(line[i])
        if alt:
            cand = [*group]
            cand[row] = line[:i] + alt + line[i + 1:]
            try:
                other = parse(cand, today=today)
            except ValueError:
                continue
            if other.valid:
                fixes.append(other)
    if len({f.document_number for f in fixes}) == 1:
        fixed = fixes[0]
        m.__dict__.update(fixed.__dict__)
        m.repaired.append("document_number")


def check_digit_ok(field_: str, digit: str) -> bool:
    try:
        return check_digit(field_) == digit
    except ValueError:
        return False


_ZERO_RUN = re.compile(r"[0OQD]*[0O][0OQD]*")
_ROUND_RUN = re.compile(r"[0OQ]*[0O][0OQ]*")


def zero_digits(m: Mrz, *, today: date | None = None) -> Mrz:
    """The reading with the round characters of its document number's zero runs read as
    the digit 0, when every check digit then holds. OCR-B's 0 and O differ only by a slant
    that tesseract's general model does not see, and O, Q and D weigh 24, 26 and 13 in the
    7-3-1 sum, so pairs of them can pass as zeros do (OO0000000 for 000000000, at weights
    7 and 3). Issuing states avoid the letter O among zeros; a number printed with one is
    caught by the visual zone's check (classifiers/mrz_viz.py)."""
    row, start = (0, 5) if m.format == "TD1" else (1, 0)
    line = m.lines[row]
    number = line[start:start + 9]
    for run in (_ZERO_RUN, _ROUND_RUN):  # with D (ZEDOD509), or D kept as a letter (BD0OO2028)
        folded = run.sub(lambda r: "0" * len(r.group()) if len(r.group()) >= 2 else r.group(),
                         number)
        if folded == number:
            continue
        lines = list(m.lines)
        lines[row] = line[:start] + folded + line[start + 9:]
        try:
            zeroed = parse(lines, today=today)
        except ValueError:
            continue
        if zeroed.valid:
            zeroed.repaired = [*m.repaired, "zeros"]
            return zeroed
    return m
