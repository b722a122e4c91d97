"""Register the flows as Prefect deployments on a work pool, for workers to run.

    python -m pipelines.deployments [--pool efile] [--source DIR]

`--source` is where the code lies on the workers (the image's /app, or the clone the local
stack runs from); the process work pool runs each flow run there.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_POOL = "efile"
ROOT = Path(__file__).resolve().parent.parent


def register(pool: str = DEFAULT_POOL, source: Path = ROOT) -> str:
    from .flows import ingest

    deployment = ingest.from_source(source=str(source), entrypoint="pipelines/flows.py:ingest")
    return str(deployment.deploy(name="ingest", work_pool_name=pool, build=False, push=False,
                                 print_next_steps=False))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pool", default=DEFAULT_POOL)
    ap.add_argument("--source", type=Path, default=ROOT)
    args = ap.parse_args()
    print(f"deployment ingest/ingest on pool {args.pool}: {register(args.pool, args.source)}")


if __name__ == "__main__":
    main()
