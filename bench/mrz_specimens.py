"""MRZ on the real specimen images (../shared/specimens/mrz, truth.tsv): each image through
the product's own page path (normalise → OCR with the MRZ re-read → the visual-zone check),
counted against the truth: read valid with the right number and birth date; read valid with
a WRONG number (the misfile risk), and of those how many the visual zone disputes (the
router never files on a disputed MRZ); not read valid.

    python bench/mrz_specimens.py [--only SUBSTRING] [--record]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SPECIMENS = Path(os.environ.get("EFILE_MRZ_SET", ROOT.parent / "shared" / "specimens" / "mrz"))


def read(path: Path) -> tuple[dict | None, float, float]:
    """The MRZ the product's page path reads, the time that path took for the page, and
    the time of one plain tesseract pass of the same page (the issue's yardstick)."""
    from pipelines.steps.normalise import normalise
    from pipelines.steps.ocr import ocr_page
    from pipelines.tools import tesseract

    norm = normalise(path.read_bytes(), path.name, max_pixels=180_000_000)
    job = norm.pages[0]
    t = time.monotonic()
    tesseract.ocr_page(job.image, job.image_suffix, languages="deu+eng", dpi=job.dpi)
    one_pass = time.monotonic() - t
    res = ocr_page(job, "deu+eng")
    return res.mrz, MRZ_SECONDS.pop(), one_pass


MRZ_SECONDS: list[float] = []


def _timed(read_mrz):  # noqa: ANN001, ANN202 - the MRZ step's own time, apart from OSD
    def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        t = time.monotonic()
        try:
            return read_mrz(*args, **kwargs)
        finally:
            MRZ_SECONDS.append(time.monotonic() - t)
    return timed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only")
    ap.add_argument("--record", action="store_true")
    ap.add_argument("--budget", type=float, help="MRZ re-reading budget, share of the page "
                    "pass (the product's: pipelines/steps/ocr.py MRZ_BUDGET)")
    ap.add_argument("--lines", action="store_true", help="read the band line by line first "
                    "(pipelines/steps/mrz_read.py READ_LINES, off in the product for now)")
    args = ap.parse_args()
    from pipelines.steps import mrz_read, ocr
    mrz_read.READ_LINES = args.lines
    ocr.read_mrz = _timed(ocr.read_mrz)
    if args.budget is not None:
        ocr.MRZ_BUDGET = args.budget
    rows = list(csv.DictReader((SPECIMENS / "truth.tsv").open(), delimiter="\t"))
    rows = [r for r in rows if not args.only or args.only in r["file"]]
    counts = {"right": 0, "wrong, disputed": 0, "wrong, NOT disputed": 0, "not valid": 0,
              "right but disputed": 0}
    ratios: list[float] = []
    for r in rows:
        m, took, one_pass = read(SPECIMENS / r["file"])
        ratios.append(took / one_pass)
        valid = bool(m and m["valid"])
        want = r["doc_number"].strip("<")
        number_ok = valid and (m["document_number"] == want or want == "?")  # "?": not known
        birth_ok = valid and (m["birth_date"] or "").replace("-", "")[2:] == r["birth"]
        if not valid:
            klass = "not valid"
        elif number_ok and birth_ok:
            klass = "right but disputed" if m.get("disputed") else "right"
        else:
            klass = "wrong, disputed" if m.get("disputed") else "wrong, NOT disputed"
        counts[klass] += 1
        got = m["document_number"] if m else "-"
        print(f"{r['file'][:44]:44} {r['kind']:5} {klass:20} {got:12} want {r['doc_number']:12}"
              f" {took:5.1f}s {took / one_pass:4.1f}x {m.get('readings', '') if m else ''}"
              f" {(m or {}).get('disputed', '')[:60]}", flush=True)
    ratios.sort()
    print(", ".join(f"{k}: {v}" for k, v in counts.items()), f"(of {len(rows)})")
    print(f"MRZ step / one tesseract pass: median {ratios[len(ratios) // 2]:.2f}x, "
          f"worst {ratios[-1]:.2f}x")
    if args.record:
        from bench.results import record
        body = "| outcome | images |\n|---|---|\n" + "\n".join(
            f"| {k} | {v} |" for k, v in counts.items()) + (
            f"\n| MRZ step / one tesseract pass, median | {ratios[len(ratios) // 2]:.2f}× |"
            f"\n| MRZ step / one tesseract pass, worst | {ratios[-1]:.2f}× |")
        record("MRZ on real specimens", f"{len(rows)} images of truth.tsv", body)


if __name__ == "__main__":
    main()
