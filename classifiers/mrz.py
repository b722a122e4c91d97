"""ICAO Doc 9303 machine readable zones (MRZ): find, parse and validate.

Formats: TD1 (ID cards, residence permit cards such as the German eAT: 3 × 30), TD2 (2 × 36),
TD3 (passports: 2 × 44), and machine readable visas MRV-A (2 × 44) and MRV-B (2 × 36).
Every check digit is verified; a zone with a wrong check digit is never reported as valid.
OCR confusions (O/0, I/1 …) are repaired only in fields that must be digits, and only the
check digit can make such a repair count. Written here because the public Python MRZ
packages are GPL/AGPL or unreliable.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

_WEIGHTS = (7, 3, 1)
_FILLER = "<"


_VALUES = {**{str(d): d for d in range(10)},
           **{chr(ord("A") + k): k + 10 for k in range(26)}, _FILLER: 0}


def _char_value(ch: str) -> int:
    try:
        return _VALUES[ch]
    except KeyError:
        raise ValueError(f"character {ch!r} is not allowed in an MRZ") from None


def check_digit(field_: str) -> str:
    """ICAO 9303 part 3 check digit: weights 7,3,1 repeating, sum mod 10. (A table lookup:
    the repair of an OCR reading tries thousands of candidate lines.)"""
    try:
        total = sum(_VALUES[ch] * w for ch, w in zip(field_, _WEIGHTS * (len(field_) // 3 + 1),
                                                       strict=False))
    except KeyError as e:
        raise ValueError(f"character {e.args[0]!r} is not allowed in an MRZ") from None
    return str(total % 10)


# ICAO 9303 part 3, section 6: recommended transliterations of Latin characters.
_TRANSLIT = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "Å": "AA", "Æ": "AE", "Ø": "OE",
             "Ĳ": "IJ", "Œ": "OE", "Þ": "TH", "Ð": "D",
             # letters without a Unicode decomposition: the stroke is part of the glyph
             "Ł": "L", "Đ": "D", "Ħ": "H", "İ": "I", "I": "I"}


def transliterate(name: str) -> str:
    """Upper-case a name and map it to the MRZ alphabet (A-Z, '<' as filler)."""
    out = []
    for ch in name.upper():
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
            continue
        base = unicodedata.normalize("NFKD", ch)[0]
        if "A" <= base <= "Z":
            out.append(base)
        else:  # spaces, hyphens, apostrophes become fillers
            out.append(_FILLER)
    return "".join(out)


def td3_lines(*, doc_code: str, issuer: str, surname: str, given_names: str, number: str,
              nationality: str, birth_date: str, sex: str, expiry_date: str,
              optional: str = "") -> tuple[str, str]:
    """Compose the two 44-character lines of a passport data page (TD3)."""
    name = f"{transliterate(surname)}<<{transliterate(given_names)}"
    line1 = f"{doc_code:<2}{issuer:<3}{name}".replace(" ", _FILLER)[:44].ljust(44, _FILLER)
    num = number.ljust(9, _FILLER)
    opt = optional.ljust(14, _FILLER)
    opt_cd = check_digit(opt) if optional else _FILLER
    body = (f"{num}{check_digit(num)}{nationality:<3}".replace(" ", _FILLER)
            + f"{birth_date}{check_digit(birth_date)}{sex}{expiry_date}{check_digit(expiry_date)}"
            + f"{opt}{opt_cd}")
    composite = body[0:10] + body[13:20] + body[21:43]
    return line1, body + check_digit(composite)


def td1_lines(*, doc_code: str, issuer: str, surname: str, given_names: str, number: str,
              nationality: str, birth_date: str, sex: str, expiry_date: str,
              optional1: str = "", optional2: str = "") -> tuple[str, str, str]:
    """Compose the three 30-character lines of an ID card or residence permit card (TD1).
    A document number longer than 9 characters continues in the optional field after a
    filler, followed by its check digit (Doc 9303 part 5, 4.2.4)."""
    if len(number) > 9:
        first = number[:9] + _FILLER
        optional1 = number[9:] + check_digit(number) + optional1
    else:
        num = number.ljust(9, _FILLER)
        first = num + check_digit(num)
    line1 = f"{doc_code:<2}{issuer:<3}".replace(" ", _FILLER) + first + optional1
    line1 = line1[:30].ljust(30, _FILLER)
    head = (f"{birth_date}{check_digit(birth_date)}{sex}{expiry_date}{check_digit(expiry_date)}"
            + f"{nationality:<3}".replace(" ", _FILLER))
    line2 = (head + optional2)[:29].ljust(29, _FILLER)
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    name = f"{transliterate(surname)}<<{transliterate(given_names)}"
    return line1, line2, name[:30].ljust(30, _FILLER)


def mrv_lines(*, surname: str, given_names: str, number: str, issuer: str, nationality: str,
              birth_date: str, sex: str, expiry_date: str, optional: str = "",
              doc_code: str = "V", variant: str = "A") -> tuple[str, str]:
    """Compose the two lines of a machine readable visa: MRV-A (2 × 44) or MRV-B (2 × 36).
    Visas carry no composite check digit; the rest of line 2 is optional data."""
    width = {"A": 44, "B": 36}[variant]
    name = f"{transliterate(surname)}<<{transliterate(given_names)}"
    line1 = f"{doc_code:<2}{issuer:<3}".replace(" ", _FILLER) + name
    num = number.ljust(9, _FILLER)
    line2 = (f"{num}{check_digit(num)}{nationality:<3}".replace(" ", _FILLER)
             + f"{birth_date}{check_digit(birth_date)}{sex}{expiry_date}{check_digit(expiry_date)}"
             + optional)
    return line1[:width].ljust(width, _FILLER), line2[:width].ljust(width, _FILLER)


# -- parsing ---------------------------------------------------------------------------------

_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2",
                           "S": "5", "G": "6", "B": "8", "T": "7"})


@dataclass
class Mrz:
    format: str  # TD1 | TD2 | TD3 | MRVA | MRVB
    lines: tuple[str, ...]
    document_code: str
    issuer: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: date | None
    sex: str  # M | F | X
    expiry_date: date | None
    optional: str = ""
    checks: dict[str, bool] = field(default_factory=dict)
    repaired: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """Every check digit of the format holds."""
        return bool(self.checks) and all(self.checks.values())

    @property
    def failed_checks(self) -> list[str]:
        return [k for k, ok in self.checks.items() if not ok]

    def to_dict(self) -> dict:
        return {"format": self.format, "valid": self.valid, "failed_checks": self.failed_checks,
                "kind": self.kind, "document_code": self.document_code, "issuer": self.issuer,
                "document_number": self.document_number, "surname": self.surname,
                "given_names": self.given_names, "nationality": self.nationality,
                "birth_date": self.birth_date.isoformat() if self.birth_date else None,
                "sex": self.sex,
                "expiry_date": self.expiry_date.isoformat() if self.expiry_date else None,
                "optional": self.optional, "lines": list(self.lines)}

    @property
    def kind(self) -> str:
        """passport | id_card | residence_permit | visa | other, from the document code."""
        code = self.document_code.rstrip(_FILLER)
        if self.format in ("MRVA", "MRVB") or code.startswith("V"):
            return "visa"
        if code.startswith("P"):
            return "passport"
        if code in ("AR", "RP", "AT") or (code.startswith("A") and self.format == "TD1"):
            return "residence_permit"
        if code.startswith(("I", "A", "C")):
            return "id_card"
        return "other"


_TO_LETTER = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"})


def _digits(s: str) -> str:
    return s.translate(_TO_DIGIT)


def _date(yymmdd: str, *, past: bool, today: date) -> date | None:
    """Century inference: birth dates lie in the past; expiry dates within about 50 years of
    today (documents run 10 years, records keep expired ones)."""
    if not yymmdd.isdigit():
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if past:
        year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    else:
        year = 2000 + yy if 2000 + yy <= today.year + 50 else 1900 + yy
    try:
        d = date(year, mm, dd)
    except ValueError:
        return None
    if past and d > today:
        d = date(year - 100, mm, dd)
    return d


def _names(field_: str) -> tuple[str, str]:
    primary, _, secondary = field_.strip(_FILLER).partition("<<")
    def clean(s: str) -> str:
        return " ".join(p for p in s.split(_FILLER) if p)
    return clean(primary), clean(secondary)


def _country(code: str) -> str:
    """'D<<' is Germany; other codes lose their fillers. Country codes are letters only, so
    a digit there is an OCR confusion (P0L is POL)."""
    code = code.translate(_TO_LETTER)
    return "D" if code.startswith("D<") else code.rstrip(_FILLER)


class _Checker:
    def __init__(self) -> None:
        self.checks: dict[str, bool] = {}
        self.repaired: list[str] = []

    def numeric(self, name: str, value: str, digit: str) -> tuple[str, str]:
        """A digits-only field and its check digit, repairing OCR confusions if needed."""
        fixed, fixed_cd = _digits(value), _digits(digit)
        if (fixed, fixed_cd) != (value, digit):
            self.repaired.append(name)
        ok = fixed.isdigit() and fixed_cd.isdigit() and check_digit(fixed) == fixed_cd
        self.checks[name] = ok
        return fixed, fixed_cd

    def field(self, name: str, value: str, digit: str, *, optional: bool = False) -> str:
        """An alphanumeric field: no repairs, the check digit must hold as read. An empty
        optional field may carry '<' or '0' as its check digit."""
        digit = _digits(digit) if digit != _FILLER else digit
        if optional and set(value) <= {_FILLER}:
            self.checks[name] = digit in (_FILLER, "0")
        else:
            try:
                # a number is written from the field's start, fillers only after it
                # ("<<<<<Y00R" is a line read out of step, whatever its check digit says)
                self.checks[name] = check_digit(value) == digit and (
                    optional or not value.startswith(_FILLER))
            except ValueError:
                self.checks[name] = False
        return value

    def composite(self, text: str, digit: str) -> None:
        try:
            self.checks["composite"] = check_digit(text) == _digits(digit)
        except ValueError:
            self.checks["composite"] = False


def _td1(l1: str, l2: str, l3: str, today: date) -> Mrz:
    c = _Checker()
    number, number_cd, opt1 = l1[5:14], l1[14], l1[15:30]
    rest = opt1.split(_FILLER, 1)[0]
    if number_cd == _FILLER and rest:
        # long document number: continues in the optional field, check digit after it
        number, number_cd = number + rest[:-1], rest[-1]
    c.field("document_number", number, number_cd)
    birth, birth_cd = c.numeric("birth_date", l2[0:6], l2[6])
    expiry, expiry_cd = c.numeric("expiry_date", l2[8:14], l2[14])
    c.composite(l1[5:30] + birth + birth_cd + expiry + expiry_cd + l2[18:29], l2[29])
    surname, given = _names(l3)
    return Mrz("TD1", (l1, l2, l3), l1[0:2].rstrip(_FILLER), _country(l1[2:5]),
               number.rstrip(_FILLER), surname, given, _country(l2[15:18]),
               _date(birth, past=True, today=today), l2[7], _date(expiry, past=False, today=today),
               optional=(l1[15:30] + l2[18:29]).strip(_FILLER), checks=c.checks,
               repaired=c.repaired)


def _two_line(fmt: str, l1: str, l2: str, today: date) -> Mrz:
    width = len(l1)
    c = _Checker()
    number = c.field("document_number", l2[0:9], l2[9])
    birth, birth_cd = c.numeric("birth_date", l2[13:19], l2[19])
    expiry, expiry_cd = c.numeric("expiry_date", l2[21:27], l2[27])
    optional = l2[28:]
    if fmt == "TD3":
        optional = c.field("personal_number", l2[28:42], l2[42], optional=True)
        c.composite(l2[0:10] + birth + birth_cd + expiry + expiry_cd + l2[28:43], l2[43])
    elif fmt == "TD2":
        optional = l2[28:35]
        c.composite(l2[0:10] + birth + birth_cd + expiry + expiry_cd + optional, l2[35])
    surname, given = _names(l1[5:width])
    return Mrz(fmt, (l1, l2), l1[0:2].rstrip(_FILLER), _country(l1[2:5]),
               number.rstrip(_FILLER), surname, given, _country(l2[10:13]),
               _date(birth, past=True, today=today), l2[20],
               _date(expiry, past=False, today=today), optional=optional.strip(_FILLER),
               checks=c.checks, repaired=c.repaired)


def parse(lines: list[str] | tuple[str, ...] | str, *, today: date | None = None) -> Mrz:
    """Parse an MRZ given as its lines (or one string with newlines). Raises ValueError when
    the shape is not an MRZ; a well-shaped zone with failing check digits parses, with
    `valid` False and `failed_checks` naming them."""
    today = today or date.today()
    if isinstance(lines, str):
        lines = [ln for ln in lines.splitlines() if ln.strip()]
    ls = [normalise_line(ln) for ln in lines]
    shape = tuple(len(x) for x in ls)
    if shape == (30, 30, 30):
        return _td1(*ls, today)
    if shape == (44, 44):
        return _two_line("MRVA" if ls[0][0] == "V" else "TD3", ls[0], ls[1], today)
    if shape == (36, 36):
        return _two_line("MRVB" if ls[0][0] == "V" else "TD2", ls[0], ls[1], today)
    raise ValueError(f"not an MRZ: lines of length {shape}")


_OCR_FIX = str.maketrans({"«": "<<", "‹": "<", "<": "<", "＜": "<", "|": "<", "{": "<", "(": "<"})


_LOWER_BESIDE_FILLER = re.compile(r"(?<=<)[a-z]+|[a-z]+(?=<)")


def normalise_line(line: str) -> str:
    """Undo what OCR does to MRZ lines: spaces inserted, fillers read as « or ‹, and runs of
    fillers read as "ccccce" (the MRZ has no lower-case letters, so lower case next to a
    filler is a filler)."""
    line = re.sub(r"\s+", "", line.translate(_OCR_FIX))
    line = _LOWER_BESIDE_FILLER.sub(lambda m: _FILLER * len(m.group(0)), line)
    return line.upper()


def _fit(line: str, width: int) -> str | None:
    """A line one or two characters off its format's width, mended where OCR miscounts: in
    its longest run of fillers (a row of identical '<' is what OCR counts worst). Check
    digits then decide whether the mended line is right."""
    diff = len(line) - width
    if diff == 0:
        return line
    if abs(diff) > 2:
        return None
    runs = [(m.end() - m.start(), m.start(), m.end()) for m in re.finditer(r"<{3,}", line)]
    if not runs:
        return None
    length, start, end = max(runs)
    return line[:start] + _FILLER * (length - diff) + line[end:]


_LINE = re.compile(r"^[A-Z0-9<]{30,44}$")


def find(text: str, *, today: date | None = None) -> list[Mrz]:
    """Every MRZ in a page's text, best (valid) first. Lines are tried in consecutive groups
    of the lengths the formats define."""
    lines = [normalise_line(ln) for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    found: list[Mrz] = []
    i = 0
    while i < len(lines):
        for n, width in ((3, 30), (2, 44), (2, 36)):
            group = [_fit(g, width) for g in lines[i:i + n]]
            if len(group) == n and all(g and _LINE.match(g) for g in group):
                try:
                    found.append(parse(group, today=today))
                except ValueError:
                    continue
                i += n - 1
                break
        i += 1
    return sorted(found, key=lambda m: not m.valid)
