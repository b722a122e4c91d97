"""Page layout for generated documents, exactly as `render.render_page` will draw them.

`Writer` breaks lines at the right margin and starts a new page before the bottom margin, so
no generated page runs off the A4 sheet, however long a name, an address or a sentence is.
Widths come from the DejaVu fonts the renderer uses (per-character advances, cached), which
keeps laying out thousands of training documents fast.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from .documents import Line
from .render import A4_PX, DPI, MARGIN_MM, FontMissing, _font, mm

RIGHT_MARGIN_MM = 18.0
BOTTOM_MARGIN_MM = 16.0
TEXT_RIGHT = A4_PX[0] - mm(RIGHT_MARGIN_MM)
TEXT_BOTTOM = A4_PX[1] - mm(BOTTOM_MARGIN_MM)


def line_height(size: int) -> int:
    """Vertical advance of one line, exactly as render.render_page computes it."""
    return round(size / 72 * DPI * 1.45)


@lru_cache(maxsize=64)
def _advances(size: int, bold: bool, mono: bool) -> dict[str, float]:
    return {}


def text_width(text: str, size: int = 11, bold: bool = False, mono: bool = False) -> float:
    """Width in pixels at 300 dpi. Per-character advances are cached, which keeps laying out
    thousands of training documents fast; kerning only ever makes real text narrower."""
    table = _advances(size, bold, mono)
    try:
        font = _font(size, bold, mono)
    except FontMissing:  # no fonts (text-only use): a generous estimate per character
        return len(text) * size / 72 * DPI * (0.61 if mono else 0.62)
    total = 0.0
    for ch in text:
        w = table.get(ch)
        if w is None:
            w = table[ch] = font.getlength(ch)
        total += w
    return total


def wrap(text: str, size: int, bold: bool, mono: bool, indent: float) -> list[str]:
    """Break text into lines that end left of the right margin (words stay whole unless a
    single word is too long, then it is cut)."""
    limit = TEXT_RIGHT - mm(MARGIN_MM + indent)
    if text_width(text, size, bold, mono) <= limit:
        return [text]
    out: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold, mono) <= limit:
            current = candidate
            continue
        if current:
            out.append(current)
        while text_width(word, size, bold, mono) > limit:  # a monster token: cut it
            cut = len(word)
            while cut > 1 and text_width(word[:cut], size, bold, mono) > limit:
                cut -= 1
            out.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        out.append(current)
    return out


class Writer:
    """Lines onto A4 pages, top-down like render.render_page; a line that would end below the
    bottom margin starts a new page. `header` formats continuation-page headers
    ("- {n} -", "Seite {n} von {total}"); `running` is repeated under it."""

    def __init__(self, header: str | None = None, running: str = "") -> None:
        self.pages: list[list[Line]] = [[]]
        self.y = mm(MARGIN_MM)
        self.header = header
        self.running = running
        self._pending = 0.0  # space asked for before the next line

    def add(self, text: str = "", size: int = 11, *, bold: bool = False, mono: bool = False,
            indent: float = 0.0, gap: float = 0.0) -> None:
        """One logical line; wrapped when too wide."""
        for i, part in enumerate(wrap(text, size, bold, mono, indent) if text else [""]):
            self._put(Line(part, size, bold, mono, indent, gap if i == 0 else 0.0))

    def para(self, text: str, size: int = 11, *, gap: float = 3.0, indent: float = 0.0) -> None:
        self.add(text, size, gap=gap, indent=indent)

    def space(self, millimetres: float) -> None:
        """Extra space before the next line (dropped at a page break)."""
        self._pending += millimetres

    def keep(self, n_lines: int, size: int = 11) -> None:
        """Start a new page unless the next n lines fit on this one (signature blocks)."""
        if self.y + n_lines * line_height(size) > TEXT_BOTTOM and self.pages[-1]:
            self.new_page()

    def new_page(self) -> None:
        self.pages.append([])
        self.y = mm(MARGIN_MM)
        self._pending = 0.0
        if self.header:
            self._put(Line(self.header.replace("{n}", str(len(self.pages))), 9,
                           indent=80 if self.header.startswith("-") else 0))
        if self.running:
            self._put(Line(self.running, 9))
        if self.header or self.running:
            self._pending = 4.0

    def _put(self, line: Line) -> None:
        if self._pending:
            line = replace(line, gap_before=line.gap_before + self._pending)
            self._pending = 0.0
        height = mm(line.gap_before) + line_height(line.size)
        if self.y + height > TEXT_BOTTOM and self.pages[-1]:
            self.new_page()
            line = replace(line, gap_before=self._pending)
            self._pending = 0.0
            height = mm(line.gap_before) + line_height(line.size)
        self.pages[-1].append(line)
        self.y += height

    def finish(self) -> list[list[Line]]:
        """The pages, with "{total}" in headers replaced by the page count."""
        total = str(len(self.pages))
        return [[replace(ln, text=ln.text.replace("{total}", total)) if "{total}" in ln.text
                 else ln for ln in page] for page in self.pages if page]
