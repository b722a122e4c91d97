"""ICAO 9303 machine readable zone (MRZ): check digits and composition of TD3 lines.

Only what the sample generator and identity extraction need so far; the full
parser/validator (TD1/TD2/visas) builds on these primitives.
"""

from __future__ import annotations

import unicodedata

_WEIGHTS = (7, 3, 1)


def _char_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    if ch == "<":
        return 0
    raise ValueError(f"character {ch!r} is not allowed in an MRZ")


def check_digit(field: str) -> str:
    """ICAO 9303 part 3 check digit: weights 7,3,1 repeating, sum mod 10."""
    total = sum(_char_value(ch) * _WEIGHTS[i % 3] for i, ch in enumerate(field))
    return str(total % 10)


# ICAO 9303 part 3, section 6: recommended transliterations of Latin characters.
_TRANSLIT = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "Å": "AA", "Æ": "AE", "Ø": "OE",
             "Ĳ": "IJ", "Œ": "OE", "Þ": "TH", "Ð": "D"}


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
            out.append("<")
    return "".join(out)


def td3_lines(
    *,
    doc_code: str,
    issuer: str,
    surname: str,
    given_names: str,
    number: str,
    nationality: str,
    birth_date: str,  # YYMMDD
    sex: str,
    expiry_date: str,  # YYMMDD
    optional: str = "",
) -> tuple[str, str]:
    """Compose the two 44-character lines of a passport data page (TD3)."""
    name = f"{transliterate(surname)}<<{transliterate(given_names)}"
    line1 = f"{doc_code:<2}{issuer:<3}{name}".replace(" ", "<")[:44].ljust(44, "<")
    num = number.ljust(9, "<")
    opt = optional.ljust(14, "<")
    opt_cd = check_digit(opt) if optional else "<"
    body = (
        f"{num}{check_digit(num)}{nationality:<3}".replace(" ", "<")
        + f"{birth_date}{check_digit(birth_date)}{sex}{expiry_date}{check_digit(expiry_date)}"
        + f"{opt}{opt_cd}"
    )
    composite = body[0:10] + body[13:20] + body[21:43]
    line2 = body + check_digit(composite)
    assert len(line1) == 44 and len(line2) == 44, (line1, line2)
    return line1, line2
