"""Audit log: what one appended event costs (its own transaction, the chain's lock, the hash),
beside a plain insert of the same row without lock or hash; the same with several writer
processes at once; and how fast `verify` walks the chain. SQLite and PostgreSQL.

    python bench/audit_append.py [--events N] [--writers P] [--backends sqlite,postgresql] [--record]

PostgreSQL: a throw-away database on EFILE_BENCH_PG (default the test server, trust auth).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import MetaData, create_engine, insert, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
PG_ADMIN = os.environ.get("EFILE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _actor():
    from efile.services.audit import Actor

    return Actor("sb.keller", "caseworker", client="10.20.30.41")


def append(url: str, n: int, name: str = "bench") -> float:
    """Seconds for n events, each in its own transaction, as a web request writes them."""
    from efile.db import Database
    from efile.services.audit import Action, record

    db, actor = Database(url, auto_migrate=False), _actor()
    t = time.perf_counter()
    for i in range(n):
        with db.session() as s:
            record(s, actor, Action.SEARCH, details={"query": "Öztürk Meldebescheinigung",
                                                     "results": 3, "writer": name, "i": i})
    elapsed = time.perf_counter() - t
    db.dispose()
    return elapsed


def plain_insert(url: str, n: int) -> float:
    """The same rows without lock or hash (seq from a counter): the floor the chain adds to."""
    from efile.db import Database
    from efile.models import AuditEvent, utcnow

    db = Database(url, auto_migrate=False)
    table = AuditEvent.__table__.to_metadata(MetaData(), name="audit_plain")  # same indexes
    table.create(db.engine)
    t = time.perf_counter()
    for i in range(n):
        with db.session() as s:
            s.execute(insert(table).values(
                seq=i + 1, at=utcnow(), user_name="sb.keller", role="caseworker",
                action="search", outcome="ok", client="10.20.30.41", prev_hash="0" * 64,
                hash="0" * 64, details={"query": "Öztürk Meldebescheinigung", "results": 3,
                                        "writer": "bench", "i": i}))
    elapsed = time.perf_counter() - t
    db.dispose()
    return elapsed


def _writer(args: tuple[str, int, str]) -> float:
    return append(*args)


def verify_seconds(url: str) -> tuple[float, int, bool]:
    from efile.db import Database
    from efile.services.audit import verify

    db = Database(url, auto_migrate=False)
    t = time.perf_counter()
    with db.session() as s:
        report = verify(s)
    db.dispose()
    return time.perf_counter() - t, report.events, report.intact


def new_database(backend: str, tmp: Path) -> str:
    from efile.db import Database

    if backend == "sqlite":
        url = f"sqlite:///{tmp / f'audit-{uuid.uuid4().hex[:6]}.db'}"
    else:
        name = f"efile_bench_{uuid.uuid4().hex[:8]}"
        with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    Database(url).dispose()  # migrated
    return url


def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        name = url.rsplit("/", 1)[1]
        with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=2000)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    n, p = args.events, args.writers
    rows = ["| backend | plain insert ms/event | chained append ms/event | "
            f"{p} writers: events/s (ms/event/writer) | verify events/s | chain intact |",
            "|---|---|---|---|---|---|"]
    pool = multiprocessing.get_context("spawn").Pool(p)
    with tempfile.TemporaryDirectory(prefix="efile-audit-bench-") as tmp:
        for backend in args.backends.split(","):
            url = new_database(backend, Path(tmp))
            try:
                plain = plain_insert(url, n) / n * 1000
                chained = append(url, n) / n * 1000
                t = time.perf_counter()
                per_writer = pool.map(_writer, [(url, n // p, f"w{k}") for k in range(p)])
                wall = time.perf_counter() - t
                rate = (n // p) * p / wall
                seconds, events, intact = verify_seconds(url)
                rows.append(f"| {backend} | {plain:.2f} | {chained:.2f} | {rate:,.0f} "
                            f"({max(per_writer) / (n // p) * 1000:.2f}) | "
                            f"{events / seconds:,.0f} | {intact} ({events} events) |")
            finally:
                drop_database(url)
    pool.close()
    table = "\n".join(rows)
    print(table)
    if args.record:
        from results import record

        record("Audit log append", f"{n} events per backend, {p} writer processes", table)


if __name__ == "__main__":
    main()
