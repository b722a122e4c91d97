"""Kodak patch codes on page images: the four parallel black bars production scanners use as
separator and control sheets (zxing-cpp reads barcodes, not patches).

The geometry (Kodak A-61599, "Patch Code Information"): bars and the spaces between them are
narrow, 0.08 in (2.03 mm), or wide, 0.20 in (5.08 mm), each ±0.01 in; two wide and two narrow
bars with three narrow spaces make a symbol 0.80 in (20.3 mm) across; bars are at least 2 in
(50 mm) long on scanners with a patch reader, 0.75 in (19 mm) on the others; they run parallel
to the leading edge (end-fed patches: perpendicular), at least 0.25 in from the edges and from
other printing, within 3.75 in of the leading edge. Read from the leading edge:

    Patch 1 WWNN · Patch 2 WNNW · Patch 3 WNWN · Patch 4 (toggle) NWWN · Patch 6 NNWW ·
    Patch T (transfer, the document separator) NWNW

T and 3 are each other read backwards, so a sheet fed the wrong way round must still read T:
the bars are read from the nearer page edge inwards (a patch near the leading edge of a sheet
turned by 180° sits near the other edge, read from there it is the same symbol).

Finding them, at 100 dpi (~30 ms a page): dark pixels; an erosion with a 1.3 mm square wipes
out text strokes, ruled lines and scanner specks, which are all thinner than a narrow bar;
what remains is cut into connected parts, and a part is a bar when it is a long, straight,
solid stripe of a bar's thickness (measured along its principal axes, so a skewed bar measures
as well as a straight one, and given back what the erosion took). Four parallel
bars side by side, spaced like a patch, two wide and two narrow, with no fifth bar next to
them, are a patch: text, tables, forms, QR codes and passports never make that.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

MM_PER_INCH = 25.4
NARROW_MM = 0.08 * MM_PER_INCH
WIDE_MM = 0.20 * MM_PER_INCH
SYMBOL_MM = 0.80 * MM_PER_INCH
MIN_BAR_MM = 0.75 * MM_PER_INCH  # the shortest bars any Kodak scanner reads
SYMBOLS = {"WWNN": "1", "WNNW": "2", "WNWN": "3", "NWWN": "4", "NNWW": "6", "NWNW": "T"}

WORK_DPI = 100  # a narrow bar is 8 pixels thick: enough to tell it from a wide one (20)
# tolerances are wider than the printing spec: toner spread, scanner blur and skew add to it
NARROW_RANGE = (1.2, 3.4)  # mm
WIDE_RANGE = (3.9, 6.8)
GAP_RANGE = (1.0, 3.4)
SPAN_RANGE = (17.0, 24.0)
QUIET_MM = 4.0  # another bar closer than this: a stripe pattern, not a patch
MAX_ANGLE_SPREAD = 2.0  # degrees between the bars of one symbol (they were printed parallel)


@dataclass(frozen=True)
class Bar:
    cx: float  # centre, pixels
    cy: float
    angle: float  # direction of the long axis, degrees in [-90, 90): 0 = horizontal
    length: float  # mm
    thickness: float  # mm
    along: tuple[float, float]  # extent along the long axis, pixels from the centre projection


@dataclass(frozen=True)
class PatchCode:
    symbol: str  # 1 2 3 4 6 T
    pattern: str  # N/W read from the nearer page edge
    edge: str  # top | bottom | left | right: the edge it was read from
    angle: float  # skew of the bars, degrees
    widths_mm: tuple[float, ...]
    centre: tuple[int, int]  # pixels in the image as given

    @property
    def separator(self) -> bool:
        return self.symbol == "T"


def _dark(grey: np.ndarray) -> np.ndarray:
    """Ink: much darker than the page's own paper tone (grey and recycled paper included)."""
    paper = float(np.percentile(grey[::4, ::4], 90))
    return grey < paper * 0.5


def _bars(mask: np.ndarray, px_per_mm: float, grow: int) -> list[Bar]:
    """Bars in an eroded mask; `grow`: the pixels the erosion took off each extent."""
    labels, n = ndimage.label(mask, structure=np.ones((3, 3)))
    if n == 0:
        return []
    min_len = MIN_BAR_MM * px_per_mm * 0.9
    bars = []
    for k, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None:
            continue
        h, w = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        if max(h, w) < min_len or min(h, w) > max(h, w) * 0.6:
            continue  # short, or as wide as long: not a bar even when skewed
        ys, xs = np.nonzero(labels[sl] == k)
        ys = ys + sl[0].start
        xs = xs + sl[1].start
        cy, cx = ys.mean(), xs.mean()
        cov = np.cov(np.vstack([xs - cx, ys - cy]))
        evals, evecs = np.linalg.eigh(cov)
        ux, uy = evecs[:, 1]  # the long axis
        u = (xs - cx) * ux + (ys - cy) * uy
        v = (ys - cy) * ux - (xs - cx) * uy
        core = float(np.ptp(u)) + 1
        core_thickness = len(xs) / core  # area over length: robust against ragged edges
        length, thickness = core + grow, core_thickness + grow
        if length < min_len or length < 3.5 * thickness:
            continue
        if float(np.ptp(v)) + 1 > core_thickness * 1.35 + 3:  # not a solid straight stripe
            continue
        angle = float(np.degrees(np.arctan2(uy, ux)))
        angle = (angle + 90) % 180 - 90
        bars.append(Bar(float(cx), float(cy), angle, length / px_per_mm, thickness / px_per_mm,
                        (float(u.min()) - grow / 2, float(u.max()) + grow / 2)))
    return bars


def _parallel_groups(bars: list[Bar]) -> list[list[Bar]]:
    """Bars side by side: nearly the same direction and overlapping along their length."""
    groups: list[list[Bar]] = []
    for b in sorted(bars, key=lambda b: b.angle):
        for g in groups:
            a = g[0]
            if abs(b.angle - a.angle) > MAX_ANGLE_SPREAD:
                continue
            t = np.radians(a.angle)
            ux, uy = np.cos(t), np.sin(t)
            shift = (b.cx - a.cx) * ux + (b.cy - a.cy) * uy
            lo = max(a.along[0], b.along[0] + shift)
            hi = min(a.along[1], b.along[1] + shift)
            shorter = min(a.along[1] - a.along[0], b.along[1] - b.along[0])
            if hi - lo >= 0.6 * shorter:
                g.append(b)
                break
        else:
            groups.append([b])
    return [g for g in groups if len(g) >= 4]


def _width_class(mm: float) -> str | None:
    if NARROW_RANGE[0] <= mm <= NARROW_RANGE[1]:
        return "N"
    if WIDE_RANGE[0] <= mm <= WIDE_RANGE[1]:
        return "W"
    return None


def _read_group(group: list[Bar], size: tuple[int, int], scale: float,
                px_per_mm: float) -> list[PatchCode]:
    a = group[0]
    t = np.radians(np.mean([b.angle for b in group]))
    nx, ny = -np.sin(t), np.cos(t)  # across the bars
    across = sorted(group, key=lambda b: b.cx * nx + b.cy * ny)
    pos = [(b.cx * nx + b.cy * ny) / px_per_mm for b in across]
    found = []
    for i in range(len(across) - 3):
        four = across[i:i + 4]
        gaps = [pos[i + j + 1] - pos[i + j] - (four[j].thickness + four[j + 1].thickness) / 2
                for j in range(3)]
        if not all(GAP_RANGE[0] <= g <= GAP_RANGE[1] for g in gaps):
            continue
        span = pos[i + 3] - pos[i] + (four[0].thickness + four[3].thickness) / 2
        if not SPAN_RANGE[0] <= span <= SPAN_RANGE[1]:
            continue
        before = pos[i] - pos[i - 1] - (across[i - 1].thickness + four[0].thickness) / 2 \
            if i > 0 else np.inf
        after = pos[i + 4] - pos[i + 3] - (four[3].thickness + across[i + 4].thickness) / 2 \
            if i + 4 < len(across) else np.inf
        if before < QUIET_MM or after < QUIET_MM:
            continue
        lengths = [b.length for b in four]
        if min(lengths) < 0.75 * max(lengths):  # a patch's bars are printed equally long
            continue
        classes = [_width_class(b.thickness) for b in four]
        if None in classes or classes.count("W") != 2:
            continue
        cx = float(np.mean([b.cx for b in four]))
        cy = float(np.mean([b.cy for b in four]))
        w, h = size
        if abs(a.angle) < 30:  # bars across the page: read from the top or the bottom edge
            edge = "top" if cy < h / 2 else "bottom"
            forward = ny > 0  # sorted top-down
            from_edge = forward == (edge == "top")
        elif abs(a.angle) > 60:  # end-fed, or a page turned by 90°
            edge = "left" if cx < w / 2 else "right"
            forward = nx > 0  # sorted left to right
            from_edge = forward == (edge == "left")
        else:
            continue
        pattern = "".join(classes if from_edge else reversed(classes))  # type: ignore[arg-type]
        widths = tuple(round(b.thickness, 2) for b in (four if from_edge else reversed(four)))
        found.append(PatchCode(SYMBOLS[pattern], pattern, edge, round(a.angle, 2), widths,
                               (round(cx * scale), round(cy * scale))))
    return found


def find_patch_codes(image: Image.Image, dpi: float | None = None) -> list[PatchCode]:
    """Every patch code on the page. `dpi`: the image's resolution; without it the page is
    taken to be A4 wide (an inspection rendering of a scan)."""
    grey = image.convert("L")
    if dpi is None:
        dpi = grey.width / (210 / MM_PER_INCH)
    scale = 1.0
    if dpi > WORK_DPI * 1.2:  # fewer pixels, a narrow bar still WORK_DPI / 12.5 pixels thick
        f = dpi / WORK_DPI
        grey = grey.resize((round(grey.width / f), round(grey.height / f)), Image.BOX)
        scale, dpi = f, dpi / f
    px_per_mm = dpi / MM_PER_INCH
    dark = _dark(np.asarray(grey, dtype=np.int16)).astype(np.uint8)
    k = max(3, round(px_per_mm)) | 1  # about 1 mm (odd: centred): thicker than any text stroke
    # an erosion (a separable minimum filter) leaves only what is thicker than that; the bars
    # are measured on what is left and given back the k - 1 pixels it took
    mask = ndimage.minimum_filter(dark, size=k).astype(bool)
    found: list[PatchCode] = []
    for group in _parallel_groups(_bars(mask, px_per_mm, k - 1)):
        found += _read_group(group, grey.size, scale, px_per_mm)
    return found
