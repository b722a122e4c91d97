"""Run by tests/test_native_threads.py in a subprocess (a segfault must fail the test, not kill
pytest): THREADS threads, ROUNDS rounds each, through the product's own PDFium paths on
6-page PDFs (normalise: text of born-digital pages and renderings of scanned ones; the
born-digital test; page pictures as the batch inspection and the previews make them).
Every result is compared with the one made by a single thread first.

    python tests/support/pdfium_threads.py WORKDIR [THREADS] [ROUNDS]
"""

from __future__ import annotations

import hashlib
import io
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import img2pdf  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from efile.samples.born_digital import write_text_pdf  # noqa: E402
from pipelines.steps.normalise import normalise  # noqa: E402
from pipelines.steps.record import preview_png  # noqa: E402
from pipelines.steps.text import has_real_text  # noqa: E402
from pipelines.tools.pages import page_images  # noqa: E402

MAX_PIXELS = 200_000_000
LINES = ["Arbeitgeberbescheinigung", "Herr Piotr Nowak, geboren am 06.05.1975,",
         "ist seit dem 01.02.2020 unbefristet in Vollzeit bei uns beschäftigt.",
         "Die wöchentliche Arbeitszeit beträgt 40 Stunden."]


def born_digital(folder: Path, n: int) -> bytes:
    path = write_text_pdf(folder / f"text-{n}.pdf",
                          [[*LINES * 8, f"Vorgang {n}", f"Seite {p} von 6"] for p in range(1, 7)])
    return path.read_bytes()


def scanned(n: int) -> bytes:
    """Six image-only pages (150 dpi A4 greyscale): what a scanner's PDF holds."""
    pages = []
    for p in range(6):
        img = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(img)
        for y in range(120, 1600, 60):
            draw.rectangle((100, y, 100 + (y * 7 + p * 131 + n * 17) % 1000, y + 20), fill=40)
        buf = io.BytesIO()
        img.save(buf, format="PNG", dpi=(150, 150))
        pages.append(buf.getvalue())
    return img2pdf.convert(pages)


def digest(pdf: bytes) -> str:
    norm = normalise(pdf, "upload.pdf", max_pixels=MAX_PIXELS)
    h = hashlib.sha256()
    for job in norm.pages:
        h.update(repr((job.index, job.dpi, job.rotation, job.text)).encode())
        h.update(job.image or b"")
    h.update(repr(has_real_text(pdf)).encode())
    for img in page_images(pdf, 100):
        h.update(img.tobytes())
    h.update(preview_png(pdf) or b"no preview")
    return h.hexdigest()


def main() -> int:
    folder = Path(sys.argv[1])
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    pdfs = [born_digital(folder, n) if n % 3 else scanned(n) for n in range(threads)]
    expected = [digest(pdf) for pdf in pdfs]  # one thread: the reference
    failures: list[str] = []

    def work(n: int) -> None:
        for r in range(rounds):
            try:
                got = digest(pdfs[n])
            except Exception as e:  # noqa: BLE001 - reported, then the exit code says so
                failures.append(f"thread {n} round {r}: {type(e).__name__}: {e}")
                return
            if got != expected[n]:
                failures.append(f"thread {n} round {r}: result differs from the serial run")

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print("\n".join(failures) or f"ok: {threads} threads x {rounds} rounds")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
