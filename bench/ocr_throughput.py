"""OCR throughput of the ingest flow against the bound and the peer, on the same pages.

    python bench/ocr_throughput.py [--persons N] [--record]

bound: raw `tesseract IMG OUT -l deu+eng pdf`, one process per page, OMP_THREAD_LIMIT=1,
       as many at a time as there are cores
peer:  `ocrmypdf --jobs $(nproc) -l deu+eng` on the same pages as one image PDF
       (its defaults: PDF/A output), and again with --rotate-pages
efile: the `ingest` Prefect flow in this process (store, normalise, OCR, PDF/A archive copy,
       file, index) on the original scan files, after one warm-up flow run so the
       ephemeral Prefect server's start-up (~10 s, once per process) is not counted

With --record the table is appended to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from results import record  # noqa: E402

ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def page_images(files: list[Path], out: Path) -> list[Path]:
    """Every page of every scan as its own image file, as the bound and the peer see them."""
    from PIL import Image

    pages = []
    for f in files:
        if f.suffix == ".pdf":
            import pypdfium2 as pdfium

            doc = pdfium.PdfDocument(f.read_bytes())
            for i in range(len(doc)):
                p = out / f"{f.stem}-{i}.png"
                doc[i].render(scale=300 / 72, grayscale=True).to_pil().save(p, dpi=(300, 300),
                                                                            compress_level=1)
                pages.append(p)
            continue
        img = Image.open(f)
        for i in range(getattr(img, "n_frames", 1)):
            img.seek(i)
            if f.suffix in (".jpg", ".png") and getattr(img, "n_frames", 1) == 1:
                pages.append(f)
            else:
                p = out / f"{f.stem}-{i}.png"
                img.copy().save(p, dpi=(300, 300), compress_level=1)
                pages.append(p)
    return pages


def bound(pages: list[Path], out: Path, cores: int) -> float:
    def one(p: Path) -> None:
        subprocess.run(["tesseract", str(p), str(out / p.stem), "-l", "deu+eng", "pdf"],
                       env=ENV, check=True, capture_output=True)

    t = time.perf_counter()
    with ThreadPoolExecutor(cores) as ex:
        list(ex.map(one, pages))
    return time.perf_counter() - t


def peer(pages: list[Path], out: Path, cores: int, *extra: str) -> float:
    import img2pdf

    src = out / "peer-input.pdf"
    src.write_bytes(img2pdf.convert([str(p) for p in pages]))
    exe = shutil.which("ocrmypdf") or str(Path(sys.executable).with_name("ocrmypdf"))
    t = time.perf_counter()
    subprocess.run([exe, "-q", "--jobs", str(cores), "-l", "deu+eng", *extra, str(src),
                    str(out / "peer-output.pdf")], env=ENV, check=True)
    return time.perf_counter() - t


def ours(files: list[Path], home: Path) -> tuple[float, list[dict]]:
    os.environ["EFILE_HOME"] = str(home)
    os.environ.pop("EFILE_DATABASE_URL", None)
    os.environ.pop("EFILE_STORAGE_URL", None)
    from efile.samples.born_digital import write_text_pdf
    from pipelines.flows import run_ingest

    warm = write_text_pdf(home.parent / "warmup.pdf", [["Aufwärmen des Prefect-Servers"]])
    run_ingest([str(warm)])
    t = time.perf_counter()
    results = run_ingest([str(f) for f in files])
    return time.perf_counter() - t, results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=4, help="clients' document sets (6 pages each)")
    ap.add_argument("--record", action="store_true", help="append the results to bench/RESULTS.md")
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    from efile.samples import write_samples

    with tempfile.TemporaryDirectory(prefix="efile-bench-") as tmp:
        tmp_path = Path(tmp)
        files = [s.path for s in write_samples(tmp_path / "scans", seed=7, persons=args.persons)]
        (tmp_path / "work").mkdir()
        pages = page_images(files, tmp_path / "work")
        n = len(pages)
        print(f"{len(files)} scans, {n} pages, {cores} cores")
        rows = []
        t_bound = bound(pages, tmp_path / "work", cores)
        rows.append(("raw tesseract per page (bound)", t_bound))
        t_peer = peer(pages, tmp_path / "work", cores)
        rows.append(("ocrmypdf CLI --jobs N (PDF/A)", t_peer))
        t_peer_rot = peer(pages, tmp_path / "work", cores, "--rotate-pages")
        rows.append(("ocrmypdf CLI --jobs N --rotate-pages", t_peer_rot))
        t_ours, results = ours(files, tmp_path / "home")
        failed = [r for r in results if r["status"] == "failed"]
        if failed:
            raise SystemExit(f"ingest failed: {failed}")
        rows.append(("efile ingest flow (PDF/A, filed, indexed)", t_ours))

    lines = [f"| {'pipeline':<44} | {'seconds':>7} | {'pages/s':>7} | {'× bound':>7} |",
             f"|{'-' * 46}|{'-' * 9}|{'-' * 9}|{'-' * 9}|"]
    for name, secs in rows:
        lines.append(f"| {name:<44} | {secs:7.1f} | {n / secs:7.2f} | {t_bound / secs:7.2f} |")
    table = "\n".join(lines)
    print(table)
    print(f"efile vs ocrmypdf CLI: {t_peer / t_ours:.2f}× faster")
    if args.record:
        record("ocr_throughput", f"{len(files)} scans, {n} pages at 300 dpi",
               f"{table}\n\nefile vs ocrmypdf CLI: {t_peer / t_ours:.2f}× faster")


if __name__ == "__main__":
    main()
