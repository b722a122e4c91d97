"""The view copy of a heavy scan (pipelines/steps/view.py): how much lighter the viewer's PDF
is than the archive copy, and what making it costs.

    python bench/view_copy.py [--record]

Two generated A4 pages of a scanned application at 300 dpi (the corpus renderer's paper
grain and blur), once in grey and once with a colour tint, through the real normalise step
(the archive copy's pages are those of the normalised PDF) and then view_copy().
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from results import record  # noqa: E402

from efile.samples.documents import Line  # noqa: E402
from efile.samples.render import DPI, degrade, render_page  # noqa: E402
from pipelines.steps.normalise import normalise  # noqa: E402
from pipelines.steps.view import VIEW_DPI, VIEW_QUALITY, view_copy  # noqa: E402


def _tinted(img: Image.Image) -> Image.Image:
    a = np.asarray(img, dtype=np.float32)
    noise = np.random.default_rng(1).standard_normal(a.shape + (3,)) * 5
    rgb = np.stack([a * 0.99, a * 0.97, a * 0.93], -1) + noise
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    rng = random.Random(7)
    lines = [Line(text=f"Zeile {i}: Antrag auf Erteilung eines Aufenthaltstitels, Angaben zur "
                       "Person und zum Aufenthalt", size=11) for i in range(45)]
    grey = [degrade(render_page(lines), rng) for _ in range(2)]
    rows = ["| scan (2 pages, 300 dpi) | archive copy | view copy | lighter | time |",
            "|---|---|---|---|---|"]
    for label, pages in (("grey", grey), ("colour tint", [_tinted(p) for p in grey])):
        buf = io.BytesIO()
        pages[0].save(buf, format="TIFF", save_all=True, append_images=pages[1:],
                      compression="tiff_adobe_deflate", dpi=(DPI, DPI))
        norm = normalise(buf.getvalue(), "scan.tif", max_pixels=200_000_000)
        t0 = time.perf_counter()
        view = view_copy(norm.pdf)
        took = time.perf_counter() - t0
        assert view is not None
        rows.append(f"| {label} | {len(norm.pdf) / 1e6:.1f} MB | {len(view) / 1e6:.2f} MB | "
                    f"{len(norm.pdf) / len(view):.0f}× | {took:.2f} s |")
    body = "\n".join(rows) + f"\n\nView copy: {VIEW_DPI} dpi JPEG, quality {VIEW_QUALITY}."
    print(body)
    if args.record:
        record("View copy of a heavy scan", "generated pages, normalise + view_copy", body)


if __name__ == "__main__":
    main()
