"""Search latency on PostgreSQL at 100k and 1M generated documents, against the goal
p95 ≤ 100 ms.

    python bench/search_latency.py [--sizes 100000,1000000] [--per-kind 30] [--window N]
                                   [--record] [--keep]

For each size a database efile_bench_<size>_<pid> is created on EFILE_BENCH_PG (default the
test server, postgresql+psycopg://postgres@127.0.0.1:5432/postgres), migrated to the
product's schema, filled by bench/search_corpus.py, and dropped at the end (--keep: kept).
With --own-server the databases live on a private server configured for the job instead
(bench/pg_server.py: shared_buffers 4 GB ...), started and removed by the run.

Every query runs through efile.search.search() as the API runs it (a session per request,
ranked page of 20 with snippets, total, type and year facets) for a caseworker of one team:
the access condition is the policy's own readable_documents() for that team, whose caseload
is about 1/8 of the e-files. The mixed set, drawn from the generated office:
  rare      a client's given name and surname, or a word of one template (~N/4300 documents)
  common    one of the most frequent words of the office's letters (a fifth to most of them)
  phrase    three consecutive words of a letter, in quotes
  prefix    the first six letters of a mid-frequency word, with *
  filters   az:<Aktenzeichen> | geb:<date of birth> | pass:<passport number> alone
  az_words  az:<Aktenzeichen> and a common word
  typ_year  typ:<type, by id or German name> datum:<year>
The index, the tables' search columns and the date index are read into PostgreSQL's buffers
(pg_prewarm, as a server that has been answering searches for a while has them), a second
query set of the same kinds (another seed) runs once to warm the rest, then the measured
set runs once, shuffled, each query timed. Figures: p50/p95 per kind and over all, and p95
against the goal.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
from results import record  # noqa: E402
from search_corpus import Office, build, plan  # noqa: E402

from classifiers.taxonomy import load as load_taxonomy  # noqa: E402
from efile.search.fold import fold  # noqa: E402

GOAL_MS = 100.0
TEAM = "team-3"
KINDS = ["rare", "common", "phrase", "prefix", "filters", "az_words", "typ_year"]
# German function words: never a caseworker's search term, and the stemmer drops them
_STOP = frozenset(["aber", "alle", "als", "also", "am", "an", "auch", "auf", "aus", "bei", "bis",
                   "das", "dass", "dem", "den", "der", "des", "die", "dies", "ein", "eine",
                   "einem", "einen", "einer", "eines", "er", "es", "für", "hat", "hier", "ich",
                   "ihr", "ihre", "im", "in", "ist", "mit", "nach", "nicht", "noch", "nur",
                   "oder", "sich", "sie", "sind", "so", "über", "um", "und", "uns", "vom", "von",
                   "vor", "war", "wir", "wird", "zu", "zum", "zur"])
_WORD = re.compile(r"[^\W\d_]{4,}")


def _words(office: Office) -> tuple[Counter, dict[str, str]]:
    """Document frequency of the template words (folded), and a printed form of each."""
    df: Counter = Counter()
    printed: dict[str, str] = {}
    for page in office.template_texts:
        seen = set()
        for w in _WORD.findall(page):
            f = fold(w)
            if w.lower() in _STOP or f in seen:
                continue
            seen.add(f)
            printed.setdefault(f, w)
        df.update(seen)
    return df, printed


def queries(office: Office, per_kind: int, rng: random.Random) -> list[tuple[str, str]]:
    df, printed = _words(office)
    pages = len(office.template_texts)
    by_df = df.most_common()
    common = [printed[w] for w, n in by_df[:40] if n > pages * 0.15][:20]
    rare = [printed[w] for w, n in by_df if n == 1 and len(w) >= 7]
    middle = [w for w, n in by_df if pages * 0.02 <= n <= pages * 0.2 and len(w) >= 9]
    team = [c for c in office.clients if c["team"] == TEAM]
    types = load_taxonomy().types
    out: list[tuple[str, str]] = []
    for i in range(per_kind):
        c = rng.choice(team)
        out.append(("rare", f"{c['given_names'].split()[0]} {c['surname']}" if i % 2
                    else rng.choice(rare)))
        out.append(("common", rng.choice(common)))
        page = rng.choice([p for p in office.template_texts if len(_WORD.findall(p)) > 12])
        words = re.findall(r"[^\W\d_]{3,}", page)
        k = rng.randrange(0, len(words) - 3)
        out.append(("phrase", '"' + " ".join(words[k:k + 3]) + '"'))
        out.append(("prefix", printed[rng.choice(middle)][:6] + "*"))
        passports = [x for x in (c["passport"], c["passport_old"]) if x]
        out.append(("filters", [f"az:{c['aktenzeichen']}", f"geb:{c['birth_date']}",
                                f"pass:{rng.choice(passports)}"][i % 3]))
        out.append(("az_words", f"az:{c['aktenzeichen']} {rng.choice(common)}"))
        t = rng.choice(types)
        name = f'typ:"{t.name}"' if i % 2 else f"typ:{t.id}"
        out.append(("typ_year", f"{name} datum:{rng.randrange(2015, 2027)}"))
    return out


def caseload(team: str):
    from efile.access.policy import load
    from efile.access.rules import principal, readable_documents

    policy = load()
    p = principal("bench", roles=["caseworker"], teams=[team], rights=[], deputy_for=[],
                  policy=policy)
    return readable_documents(p, policy)


_HOT = ("search_documents", "ix_search_documents_tsv", "search_documents_pkey",
        "ix_documents_dated", "documents_pkey", "efiles", "ix_efiles_team_id", "persons",
        "person_identifiers")


def prewarm(db) -> None:
    from sqlalchemy import text

    with db.engine.begin() as c:
        c.execute(text("CREATE EXTENSION IF NOT EXISTS pg_prewarm"))
        for rel in _HOT:
            c.execute(text("SELECT pg_prewarm(:r)"), {"r": rel})
        c.execute(text("SELECT pg_prewarm(reltoastrelid) FROM pg_class "
                       "WHERE relname = 'search_documents'"))


def measure(db, warm: list[tuple[str, str]], qs: list[tuple[str, str]],
            allowed) -> dict[str, list[float]]:
    from efile.search import search

    times: dict[str, list[float]] = {k: [] for k in KINDS}
    totals: dict[str, list[int]] = {k: [] for k in KINDS}
    for rnd, batch in enumerate((warm, qs)):  # the first round warms the caches
        order = list(batch)
        random.Random(rnd).shuffle(order)
        for kind, q in order:
            t0 = time.perf_counter()
            with db.session() as s:
                r = search(s, q, allowed=allowed, limit=20)
            ms = (time.perf_counter() - t0) * 1000
            if rnd:
                times[kind].append(ms)
                totals[kind].append(r.total)
    return {"times": times, "totals": totals}  # type: ignore[return-value]


def _pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 \
        else values[0]


def table(size: int, m: dict) -> str:
    rows = ["| kind | queries | median hits | p50 ms | p95 ms | p95 / goal |", "|---|---|---|---|---|---|"]
    everything: list[float] = []
    for kind in KINDS:
        t = m["times"][kind]
        everything += t
        rows.append(f"| {kind} | {len(t)} | {int(statistics.median(m['totals'][kind]))} | "
                    f"{_pct(t, 50):.1f} | {_pct(t, 95):.1f} | {_pct(t, 95) / GOAL_MS:.2f} |")
    rows.append(f"| **all** | {len(everything)} | | {_pct(everything, 50):.1f} | "
                f"{_pct(everything, 95):.1f} | {_pct(everything, 95) / GOAL_MS:.2f} |")
    return f"{size:,} documents\n\n" + "\n".join(rows)


def run(size: int, per_kind: int, keep: bool, reuse: str | None = None,
        admin_url: str | None = None) -> tuple[str, str]:
    from sqlalchemy import create_engine, text

    from efile.db import Database

    admin_url = admin_url or os.environ.get(
        "EFILE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    name = reuse or f"efile_bench_{size}_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    if not reuse:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    db = None
    try:
        db = Database(admin_url.rsplit("/", 1)[0] + "/" + name)
        t0 = time.perf_counter()
        office = plan(size)[0] if reuse else build(db.engine, size)
        built = time.perf_counter() - t0
        with db.engine.connect() as c:
            mb = c.execute(text("SELECT pg_database_size(current_database()) / 1e6")).scalar()
        print(f"{size:,} documents built in {built:.0f} s "
              f"({', '.join(f'{k} {v:.0f} s' for k, v in office.seconds.items())}; {mb:,.0f} MB)",
              flush=True)
        prewarm(db)
        m = measure(db, queries(office, per_kind, random.Random(-size)),
                    queries(office, per_kind, random.Random(size)), caseload(TEAM))
        note = (f"built in {built:.0f} s, database {mb:,.0f} MB; caseload of {TEAM}: "
                f"{sum(c['team'] == TEAM for c in office.clients):,} of "
                f"{len(office.clients):,} e-files")
        return table(size, m), note
    finally:
        if db is not None:
            db.dispose()
        if not keep and not reuse:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--per-kind", type=int, default=30)
    ap.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    ap.add_argument("--keep", action="store_true", help="keep the generated databases")
    ap.add_argument("--window", type=int, help="the search's window (default: the product's)")
    ap.add_argument("--reuse", help="measure an existing database kept with --keep (one size)")
    ap.add_argument("--own-server", action="store_true",
                    help="on a private server configured for the job (bench/pg_server.py)")
    args = ap.parse_args()
    from efile.search import postgres

    if args.window:
        postgres.WINDOW = args.window
    server = None
    if args.own_server:
        from pg_server import SETTINGS, OwnServer

        server = OwnServer().start()
    parts = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            body, note = run(size, args.per_kind, args.keep, args.reuse,
                             server.url if server else None)
            print(body + "\n\n" + note + "\n", flush=True)
            parts.append(body + "\n\n" + note)
    finally:
        if server is not None:
            server.stop()
    where = ("a private server: " + ", ".join(f"{k}={v}" for k, v in SETTINGS.items())
             if server else "the machine's shared server, PostgreSQL's default settings")
    if args.record:
        record("search_latency", f"PostgreSQL 15 on {where}; {len(KINDS)} query kinds × "
               f"{args.per_kind}, caseload of one team of 8, window {postgres.WINDOW}",
               "\n\n".join(parts))


if __name__ == "__main__":
    main()
