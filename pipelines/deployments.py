"""Register the flows as Prefect deployments on a work pool, for workers to run.

    python -m pipelines.deployments [--pool efile] [--source DIR]

ingest/ingest runs the files `efile submit` queues; train/nightly retrains the document-type
model every night from the day's decisions.

`--source` is where the code lies on the workers (the image's /app, or the clone the local
stack runs from); the process work pool runs each flow run there.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_POOL = "efile"
ROOT = Path(__file__).resolve().parent.parent


TRAIN_SCHEDULE = "0 2 * * *"  # nightly: the day's inbox decisions teach the next day's model


def register(pool: str = DEFAULT_POOL, source: Path = ROOT) -> str:
    from .flows import ingest, train

    deployment = ingest.from_source(source=str(source), entrypoint="pipelines/flows.py:ingest")
    ingest_id = str(deployment.deploy(name="ingest", work_pool_name=pool, build=False,
                                      push=False, print_next_steps=False))
    trainer = train.from_source(source=str(source), entrypoint="pipelines/flows.py:train")
    trainer.deploy(name="nightly", work_pool_name=pool, build=False, push=False,
                   print_next_steps=False, cron=TRAIN_SCHEDULE)
    return ingest_id


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pool", default=DEFAULT_POOL)
    ap.add_argument("--source", type=Path, default=ROOT)
    args = ap.parse_args()
    print(f"deployment ingest/ingest on pool {args.pool}: {register(args.pool, args.source)}; "
          f"train/nightly on the schedule {TRAIN_SCHEDULE!r}")


if __name__ == "__main__":
    main()
