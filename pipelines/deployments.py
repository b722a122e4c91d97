"""Register the flows as Prefect deployments on a work pool, for workers to run.

    python -m pipelines.deployments [--pool efile] [--source DIR]

ingest/ingest runs the files `efile submit` queues; train/nightly retrains the document-type
model every night from the day's decisions; with --hot-folder DIR, hot-folder/scanner takes
the scanner's finished files in every minute.

`--source` is where the code lies on the workers (the image's /app, or the clone the local
stack runs from); the process work pool runs each flow run there.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_POOL = "efile"
ROOT = Path(__file__).resolve().parent.parent


TRAIN_SCHEDULE = "0 2 * * *"  # nightly: the day's inbox decisions teach the next day's model


def register(pool: str = DEFAULT_POOL, source: Path = ROOT, hot_folder: str | None = None,
             operator: str | None = None) -> str:
    from .flows import hot_folder as hot_folder_flow
    from .flows import ingest, train

    deployment = ingest.from_source(source=str(source), entrypoint="pipelines/flows.py:ingest")
    ingest_id = str(deployment.deploy(name="ingest", work_pool_name=pool, build=False,
                                      push=False, print_next_steps=False))
    trainer = train.from_source(source=str(source), entrypoint="pipelines/flows.py:train")
    trainer.deploy(name="nightly", work_pool_name=pool, build=False, push=False,
                   print_next_steps=False, cron=TRAIN_SCHEDULE)
    if hot_folder:  # the scanner's folder, as the workers see it
        watcher = hot_folder_flow.from_source(source=str(source),
                                              entrypoint="pipelines/flows.py:hot_folder")
        watcher.deploy(name="scanner", work_pool_name=pool, build=False, push=False,
                       print_next_steps=False, interval=60,
                       parameters={"folder": hot_folder, "operator": operator or "scanner"})
    return ingest_id


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pool", default=DEFAULT_POOL)
    ap.add_argument("--source", type=Path, default=ROOT)
    ap.add_argument("--hot-folder", help="also watch this scanner folder (hot-folder/scanner)")
    ap.add_argument("--operator", help="who scans into the hot folder")
    args = ap.parse_args()
    deployment = register(args.pool, args.source, args.hot_folder, args.operator)
    print(f"deployment ingest/ingest on pool {args.pool}: {deployment}; "
          f"train/nightly on the schedule {TRAIN_SCHEDULE!r}")


if __name__ == "__main__":
    main()
