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
    dropping any character): each with its number of edits. Fillers added or dropped in the
    line's runs of fillers come first (a row of identical '<' is what OCR counts worst), and
    so mend lines up to RUN_LIMIT off."""
    diff = len(line) - width
    if diff == 0:
        return [(line, 0)]
    out = dict.fromkeys(_run_alignments(line, diff))
    if abs(diff) <= limit:
        out.update(dict.fromkeys(_any_alignments(line, diff)))
    return [(s, abs(diff)) for s in out]


RUN_LIMIT = 6  # characters a line may be off its width when only its filler runs are mended


def _run_alignments(line: str, diff: int) -> list[str]:
    """Fillers added to or dropped from the line's runs of two or more fillers (and its end),
    spread over at most two runs."""
    if not diff or abs(diff) > RUN_LIMIT:
        return []
    runs = [(m.start(), m.end()) for m in re.finditer(r"<{2,}", line)]
    if not runs and diff < 0:
        runs = [(len(line), len(line))]
    out = []
    for k in range(len(runs)):
        for j in range(k, len(runs)):
            parts = [abs(diff)] if j == k else [(abs(diff) + 1) // 2, abs(diff) // 2]
            for split in ({tuple(parts), tuple(reversed(parts))} if j != k else {tuple(parts)}):
                s, shift = line, 0
                for (a, b), n in zip((runs[k], runs[j]) if j != k else (runs[k],), split,
                                     strict=True):
                    if diff > 0 and b - a < n:
                        break
                    a, b = a + shift, b + shift
                    s = s[:a] + FILLER * (b - a - n if diff > 0 else b - a + n) + s[b:]
                    shift += -n if diff > 0 else n
                else:
                    out.append(s)
    return out


def _any_alignments(line: str, diff: int) -> list[str]:
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
            if len(out) >= MAX_CANDIDATES:
                break  # no more are tried (repair_group)
    return sorted(out)


def _name_alignment(line: str, width: int) -> list[tuple[str, int]]:
    """A line that holds names only (no check digit covers it): cut or filled with fillers
    at its end to its width. Its names are taken as read; the check digits of the other
    lines decide whether the zone holds."""
    diff = len(line) - width
    return [(line[:width].ljust(width, FILLER), abs(diff))]


def _formats(lines: list[str]) -> list[str]:
    """The formats these lines may be, by the width of their lines with check digits (a
    name line's width says little: OCR drops or adds its trailing fillers)."""
    n = len(lines)
    out = []
    if n == 3 and abs((len(lines[0]) + len(lines[1])) / 2 - 30) <= RUN_LIMIT:
        out.append("TD1")
    if n == 2:
        if abs(len(lines[1]) - 44) <= RUN_LIMIT:
            out += ["MRVA", "TD3"] if lines[0][:1] == "V" else ["TD3", "MRVA"]
        if abs(len(lines[1]) - 36) <= RUN_LIMIT:
            out += ["MRVB", "TD2"] if lines[0][:1] == "V" else ["TD2", "MRVB"]
    if lines and lines[0][:1] == "P":
        # a passport is no visa: a visa's fewer check digits must not pass a misread passport
        out = [f for f in out if not f.startswith("MRV")]
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
        name_line = 2 if fmt == "TD1" else 0
        per_line = [_name_alignment(x, width) if i == name_line else _alignments(x, width)
                    for i, x in enumerate(lines)]
        if not all(per_line):
            continue
        # every alignment mapped to its positions' classes once, not once per combination
        per_line = [[(_coerce(_clean_name(a, 0 if fmt == "TD1" else 5) if i == name_line
                              else a, classes[i]), e) for a, e in alignments[:MAX_CANDIDATES]]
                    for i, alignments in enumerate(per_line)]
        valid: dict[tuple, tuple[int, Mrz]] = {}
        for n, combo in enumerate(itertools.product(*per_line)):
            if n >= MAX_CANDIDATES:
                break
            edits = sum(e for _, e in combo)
            group = [s for s, _ in combo]
            if n and not _dates_hold(fmt, group):
                continue  # no repair can make it valid: not worth parsing
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


_DATES = {"TD1": ((0, 6), (8, 14))}


def _dates_hold(fmt: str, group: list[str]) -> bool:
    """Whether the birth and expiry dates of a candidate hold their check digits (what
    parsing would find, at a fraction of its cost)."""
    line = group[1]
    return all(check_digit_ok(line[a:b], line[b])
               for a, b in _DATES.get(fmt, ((13, 19), (21, 27))))


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


# look-alikes a document number's characters may have been read for (and the reverse)
_ALIKE = {"0": "ODQ", "O": "0DQ", "D": "0O", "Q": "0O", "1": "I", "I": "1", "8": "B",
          "B": "8", "5": "S", "S": "5", "2": "Z", "Z": "2", "6": "G", "G": "6"}
MAX_SPELLINGS = 20_000


def _turns(number: str) -> tuple[int, int]:
    """How often the number changes between letters and digits, in all and after its first
    digit (fillers aside)."""
    kinds = [ch.isdigit() for ch in number if ch != FILLER]
    after = kinds[kinds.index(True):] if True in kinds else []
    return (sum(a != b for a, b in itertools.pairwise(kinds)),
            sum(a != b for a, b in itertools.pairwise(after)))


def simpler_spellings(m: Mrz) -> list[str]:
    """Other spellings of the reading's document number, by look-alike characters (O/0/D/Q,
    I/1, B/8, S/5, Z/2, G/6), that its check digit accepts just as well and that change
    between letters and digits less often, in all and after the first digit, than the
    number as read, and that only turn letters read into digits (OCR reads a block of digits as look-alike letters: ZE00DSO9 for
    ZE000509; O8CDS033B for France's 08CD50338, its first character too: O, S and B
    at weights 7, 3 and 1 add 240). A reading with such a simpler rival may be a
    misreading that the 7-3-1 check digit cannot see, so it confirms nothing on its own. Digits are never turned into
    letters: numbers that mix letters and digits throughout are ordinary (the German
    C01X00T47 has C0IXDOT47 as a rival by look-alikes, which a German number cannot be;
    a third of numbers in the German document alphabet would be doubted)."""
    row, start = (0, 5) if m.format == "TD1" else (1, 0)
    line = m.lines[row]
    number, digit = line[start:start + 9], line[start + 9]
    if not digit.isdigit():
        return []  # a long TD1 number: its check digit stands elsewhere
    options = [ch + _ALIKE.get(ch, "") for ch in number]
    total = 1
    for o in options:
        total *= len(o)
    if total > MAX_SPELLINGS:
        return []
    turns = _turns(number)
    out = []
    for spelling in itertools.product(*options):
        cand = "".join(spelling)
        t = _turns(cand)
        if (t[0] < turns[0] and t[1] < turns[1]
                and all(a == b or (a.isalpha() and b.isdigit())
                        for a, b in zip(number, cand, strict=True))
                and check_digit(cand) == digit):
            out.append(cand.rstrip(FILLER))
    return out
