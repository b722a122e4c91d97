"""Upload throughput: born-digital 3-page PDFs per second, end to end through the upload
intake (malware scan when clamd is configured, validation, sanitising, original stored,
no OCR, PDF/A archive copy, classification, routing by the portal's reference, metadata
record, search index, receipt), on the embedded default and on PostgreSQL + S3.

    python bench/upload_throughput.py [--docs N] [--workers W] [--backend embedded|postgres-s3]
                                      [--record]

bound: the same PDFs only read and hashed (what any intake must do at least);
peer:  `ocrmypdf --skip-text --output-type pdf` per file, the usual way a born-digital PDF
       is passed through an OCR pipeline without OCR (what paperless-ngx does on consume)
goal:  >= 20 documents/s on 2 cores
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests"), str(ROOT / "deploy")]
from results import record  # noqa: E402

LINES = ["Arbeitgeberbescheinigung", "Herr Piotr Nowak, geboren am 06.05.1975,",
         "ist seit dem 01.02.2020 unbefristet in Vollzeit bei uns beschäftigt.",
         "Die wöchentliche Arbeitszeit beträgt 40 Stunden; das Arbeitsverhältnis ist nicht",
         "gekündigt und besteht ungekündigt fort. Der Urlaubsanspruch beträgt 30 Tage.",
         "Diese Bescheinigung wird zur Vorlage bei der Ausländerbehörde ausgestellt."]


def make_pdfs(folder: Path, n: int) -> list[Path]:
    from efile.samples.born_digital import write_text_pdf

    return [write_text_pdf(folder / f"doc-{i:04d}.pdf",
                           [[*LINES, f"Vorgang {folder.name}-{i}", f"Seite {p} von 3"]
                            for p in (1, 2, 3)])
            for i in range(n)]


def setup_home(home: Path, backend: str) -> None:
    os.environ["EFILE_HOME"] = str(home)
    if backend == "postgres-s3":
        import conftest

        conftest.BACKEND = "postgres-s3"
        conftest.use_home(home)
    from datetime import date

    from efile.context import get_context
    from efile.services.efiles import add_efile

    with get_context().db.session() as s:
        add_efile(s, "ABH-2024-000202", surname="Nowak", given_names="Piotr",
                  birth_date=date(1975, 5, 6), nationality="POL")


def one(p: Path) -> str:
    from efile.context import get_context
    from pipelines.process import pooled_ocr
    from pipelines.upload import UploadFile, submit

    ctx = get_context()
    out = submit(ctx, [UploadFile(p.name, p.read_bytes())], reference="ABH-2024-000202",
                 submitted_by="bench", idempotency_key=p.name + "-" + str(time.time_ns()),
                 declared_type=None,
                 ocr_pages=pooled_ocr(ctx.settings.ocr_languages, ctx.settings.ocr_workers))
    return out["files"][0]["status"]


def _warm(env: dict[str, str], first: Path) -> None:
    os.environ.update(env)
    one(first)  # model load, first connections: once per worker process


def run_efile(pdfs: list[Path], workers: int, processes: bool) -> float:
    """Threads in one process (as one `efile serve` worker), or one process per worker (as
    `efile serve --workers N`: the Python parts of the intake hold the GIL)."""
    if processes:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        env = {k: v for k, v in os.environ.items() if k.startswith("EFILE_")}
        warm = pdfs[:workers]
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"),
                                 initializer=_warm, initargs=(env, warm[0])) as pool:
            list(pool.map(one, warm[1:]))  # start and warm every worker
            start = time.perf_counter()
            statuses = list(pool.map(one, pdfs[workers:], chunksize=4))
            took = time.perf_counter() - start
        n = len(pdfs) - workers
    else:
        one(pdfs[0])  # warm-up: model load, first connections
        start = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            statuses = list(pool.map(one, pdfs[1:]))
        took = time.perf_counter() - start
        n = len(pdfs) - 1
    assert all(s in ("filed", "inbox") for s in statuses), set(statuses)
    return n / took


def run_bound(pdfs: list[Path]) -> float:
    start = time.perf_counter()
    for p in pdfs:
        hashlib.sha256(p.read_bytes()).hexdigest()
    return len(pdfs) / (time.perf_counter() - start)


def run_peer(pdfs: list[Path], out: Path, workers: int) -> float:
    if not shutil.which("ocrmypdf") and not (Path(sys.executable).parent / "ocrmypdf").exists():
        return float("nan")
    exe = shutil.which("ocrmypdf") or str(Path(sys.executable).parent / "ocrmypdf")
    sample = pdfs[:20]

    def one(p: Path) -> None:
        subprocess.run([exe, "--skip-text", "--output-type", "pdf", "-q", str(p),
                        str(out / p.name)], check=True, capture_output=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, sample))
    return len(sample) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=101)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--backend", default="embedded", choices=["embedded", "postgres-s3"])
    ap.add_argument("--processes", action="store_true",
                    help="one process per worker (efile serve --workers N) instead of threads")
    ap.add_argument("--record", action="store_true")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="efile-bench-upload-"))
    try:
        pdfs = make_pdfs(tmp / "in", a.docs)
        setup_home(tmp / "home", a.backend)
        efile = run_efile(pdfs, a.workers, a.processes)
        bound = run_bound(pdfs)
        (tmp / "peer").mkdir()
        peer = run_peer(pdfs, tmp / "peer", a.workers)
    finally:
        if a.backend == "postgres-s3":
            import conftest

            conftest.pytest_sessionfinish(None, 0)
        shutil.rmtree(tmp, ignore_errors=True)
    how = "processes" if a.processes else "threads in one process"
    lines = [f"upload throughput, born-digital 3-page PDFs, {a.backend}, {a.workers} workers "
             f"({how}), {a.docs} documents (after warm-up)",
             f"  efile upload intake : {efile:6.1f} docs/s  (goal >= 20: {efile / 20:.2f}x)",
             f"  bound (read + hash) : {bound:6.0f} docs/s  (efile at {efile / bound:.3%} of it: the cost is PDF/A, classification, records)",
             f"  peer (ocrmypdf --skip-text, per file) : {peer:6.1f} docs/s  "
             f"(efile {efile / peer:.1f}x the peer)"]
    print("\n".join(lines))
    if a.record:
        record("Upload throughput", f"born-digital 3-page PDFs, {a.backend}",
               "```\n" + "\n".join(lines) + "\n```")


if __name__ == "__main__":
    main()
