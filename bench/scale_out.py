"""Scale-out: pages/second of the same batch with 1 and with 2 workers, each worker pinned to
one core (taskset) with one OCR slot, on the local production topology (PostgreSQL,
SeaweedFS S3, Prefect server, process work pool: deploy/local_stack.py).

    python bench/scale_out.py [--persons N] [--chunk FILES] [--record]

Timing starts when the originals are stored and the flow runs queued (`efile submit`) and
ends when the last flow run is final; each worker count gets a fresh stack.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT / "bench"))
from results import record  # noqa: E402


def run(workers: int, files: list[Path], chunk: int, base: Path) -> tuple[float, int, int]:
    """Seconds from submit to the last flow run final, pages filed, documents failed."""
    from local_stack import LocalStack

    stack = LocalStack(base / f"stack-{workers}", workers=workers, pin=True).start()
    try:
        with stack.client():
            from efile.context import get_context
            from efile.models import Document, IngestItem
            from pipelines.submit import submit

            t = time.perf_counter()
            res = submit([str(f) for f in files], chunk=chunk)
            states = stack.wait_for_flow_runs([r["flow_run_id"] for r in res["flow_runs"]], 3600)
            elapsed = time.perf_counter() - t
            if set(states.values()) != {"Completed"}:
                raise SystemExit(f"flow runs did not all complete: {states}")
            with get_context().db.session() as s:
                pages = sum(d.page_count for d in s.query(Document))
                failed = s.query(IngestItem).filter_by(status="failed").count()
            return elapsed, pages, failed
    finally:
        stack.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=6, help="document sets of 6 pages each")
    ap.add_argument("--chunk", type=int, default=5, help="files per flow run")
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    from efile.samples import write_samples

    with tempfile.TemporaryDirectory(prefix="efile-scale-") as tmp:
        base = Path(tmp)
        files = [s.path for s in write_samples(base / "scans", seed=11, persons=args.persons)]
        t1, pages, failed1 = run(1, files, args.chunk, base)
        t2, pages2, failed2 = run(2, files, args.chunk, base)
    if failed1 or failed2 or pages != pages2:
        raise SystemExit(f"failed documents: {failed1}, {failed2}; pages {pages} vs {pages2}")
    lines = ["| workers (1 core each) | seconds | pages/s | speed-up |", "|---|---|---|---|",
             f"| 1 | {t1:.1f} | {pages / t1:.2f} | 1.00 |",
             f"| 2 | {t2:.1f} | {pages / t2:.2f} | {t1 / t2:.2f} |"]
    table = "\n".join(lines)
    print(f"{len(files)} scans, {pages} pages, {args.chunk} files per flow run")
    print(table)
    if args.record:
        record("scale_out", f"{len(files)} scans, {pages} pages, {args.chunk} files per flow run",
               table)


if __name__ == "__main__":
    main()
