"""Cost of the upload intake checks: clamd start-up and scan time per MB (a real clamd with
the tests' two-signature database), and validate + sanitise + has_real_text per born-digital
PDF and per phone photo.

    python bench/upload_checks.py [--repeat 5]

With the official signature database (millions of signatures, not downloadable here) clamd
starts far slower and scans slower per MB: these figures are the floor (socket transfer and
ClamAV's file-type parsers), not a production forecast.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from clamd_server import Clamd  # noqa: E402
from PIL import Image  # noqa: E402

from efile.samples.born_digital import write_text_pdf  # noqa: E402
from pipelines.steps.sanitise import sanitise  # noqa: E402
from pipelines.steps.text import has_real_text  # noqa: E402
from pipelines.steps.validate import validate_upload  # noqa: E402
from pipelines.tools import clamav  # noqa: E402


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rows: list[tuple[str, str]] = []

    starts = []
    for _ in range(3):
        c = Clamd().start()
        starts.append(c.start_seconds)
        c.stop()
    rows.append(("clamd start until PING answers (median of 3)", f"{statistics.median(starts):.3f} s"))

    server = Clamd().start()
    try:
        for mb in (1, 10, 40):
            data = os.urandom(mb * 2**20)
            for label, address in (("unix", server.unix_address), ("tcp", server.tcp_address)):
                s = timed(lambda d=data, a=address: clamav.scan_bytes(d, a), args.repeat)
                rows.append((f"scan {mb} MB random bytes over {label}", f"{s / mb * 1000:.1f} ms/MB"))
        with tempfile.TemporaryDirectory() as tmp:
            pdf = write_text_pdf(Path(tmp) / "a.pdf", [[f"Seite {p} Arbeitsvertrag Zeile {i}"
                                                         for i in range(30)] for p in range(3)])
            letter = pdf.read_bytes()
        s = timed(lambda: clamav.scan_bytes(letter, server.unix_address), args.repeat * 4)
        rows.append((f"scan a 3-page born-digital PDF ({len(letter) // 1024} KB)", f"{s * 1000:.1f} ms"))
    finally:
        server.stop()

    rows.append(("validate_upload, 3-page born-digital PDF",
                 f"{timed(lambda: validate_upload(letter, 'a.pdf'), args.repeat * 4) * 1000:.1f} ms"))
    rows.append(("sanitise, same PDF (nothing to remove)",
                 f"{timed(lambda: sanitise(letter, 'application/pdf'), args.repeat * 4) * 1000:.1f} ms"))
    rows.append(("has_real_text, same PDF",
                 f"{timed(lambda: has_real_text(letter), args.repeat * 4) * 1000:.1f} ms"))

    photo = Image.effect_noise((4032, 3024), 30).convert("RGB")
    exif = Image.Exif()
    exif[0x0112], exif[0x010F] = 6, "PhoneMaker"
    buf = io.BytesIO()
    photo.save(buf, format="JPEG", quality=90, exif=exif)
    jpeg = buf.getvalue()
    rows.append((f"validate_upload, 12 MP phone JPEG ({len(jpeg) // 2**20} MB)",
                 f"{timed(lambda: validate_upload(jpeg, 'p.jpg'), args.repeat) * 1000:.1f} ms"))
    rows.append(("sanitise, same photo (jpegtran turn + strip)",
                 f"{timed(lambda: sanitise(jpeg, 'image/jpeg'), args.repeat) * 1000:.1f} ms"))

    width = max(len(r[0]) for r in rows)
    print(f"| {'what'.ljust(width)} | figure |\n|{'-' * (width + 2)}|--------|")
    for what, figure in rows:
        print(f"| {what.ljust(width)} | {figure} |")


if __name__ == "__main__":
    main()
