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


def read(path: Path) -> tuple[dict | None, float]:
    from pipelines.steps.normalise import normalise
    from pipelines.steps.ocr import ocr_page

    t = time.monotonic()
    norm = normalise(path.read_bytes(), path.name, max_pixels=180_000_000)
    found = None
    for job in norm.pages:
        res = ocr_page(job, "deu+eng")
        if res.mrz:
            found = res.mrz
            break
    return found, time.monotonic() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only")
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    rows = list(csv.DictReader((SPECIMENS / "truth.tsv").open(), delimiter="\t"))
    rows = [r for r in rows if not args.only or args.only in r["file"]]
    counts = {"right": 0, "wrong, disputed": 0, "wrong, NOT disputed": 0, "not valid": 0,
              "right but disputed": 0}
    for r in rows:
        m, took = read(SPECIMENS / r["file"])
        valid = bool(m and m["valid"])
        number_ok = valid and m["document_number"] == r["doc_number"].strip("<")
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
              f" {took:5.1f}s", flush=True)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()), f"(of {len(rows)})")
    if args.record:
        from bench.results import record
        body = "| outcome | images |\n|---|---|\n" + "\n".join(
            f"| {k} | {v} |" for k, v in counts.items())
        record("MRZ on real specimens", f"{len(rows)} images of truth.tsv", body)


if __name__ == "__main__":
    main()
