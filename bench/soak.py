"""Concurrency soak (issue #12): a real `efile serve` on a filled home, K clients at once for
N seconds — portal clients uploading small born-digital PDFs (no OCR; now and then the same
request again, or a file the office already has), caseworkers searching and opening documents
(API and UI pages). Counts requests, 5xx, connection errors and wrong answers, samples the
server's memory (its own peak and that of every process it started), and checks it is still
alive at the end. Exit status 1 on any 5xx, connection error, wrong answer or crash.

    python bench/soak.py [--seconds 300] [--clients 6] [--backend embedded|postgres-s3]
                         [--record]

Clients alternate roles: even-numbered ones are the portal, odd-numbered ones caseworkers.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live import AZ, CASEWORKER, Server, finish_backend, letter_pdf, make_home, percentile

OK_FILE = {"received"}  # the applicant's receipt (staff statuses: filed, inbox, duplicate)
STAFF_OK = {"filed", "inbox", "duplicate"}
WORDS = ["Nowak", "Arbeitgeberbescheinigung", "Sonnenblume", "Bruttomonatsgehalt",
         "Personalabteilung", "Mietvertrag"]


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: Counter = Counter()
        self.status: Counter = Counter()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []  # 5xx, connection errors, wrong answers: each one named
        self.server_errors = self.connection_errors = self.wrong = 0
        self.files: Counter = Counter()
        self.known: list[str] = []  # upload ids of known files re-sent: staff see duplicate

    def took(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.requests[kind] += 1
            self.status[status] += 1
            self.latency[kind].append(seconds)
            if status >= 500:
                self.server_errors += 1

    def error(self, what: str, *, connection: bool = False) -> None:
        with self.lock:
            if connection:
                self.connection_errors += 1
            else:
                self.wrong += 1
            if len(self.errors) < 50:
                self.errors.append(what)


def _call(t: Tally, client, kind: str, method: str, url: str, **kw):
    import httpx

    start = time.perf_counter()
    try:
        r = client.request(method, url, **kw)
    except httpx.TransportError as e:
        t.error(f"{kind} {url}: {type(e).__name__}: {e}", connection=True)
        return None
    t.took(kind, time.perf_counter() - start, r.status_code)
    if r.status_code >= 500:
        t.error(f"{kind} {url}: {r.status_code} {r.text[:300]}")
    return r


def portal(t: Tally, base: str, token: str, stop: threading.Event, tmp: Path, n: int) -> None:
    import httpx

    rng = random.Random(n)
    sent: list[tuple[str, list[tuple[str, bytes]], str]] = []  # key, files, upload id
    with httpx.Client(base_url=base, timeout=180,
                      headers={"Authorization": f"Bearer {token}"}) as c:
        while not stop.is_set():
            roll = rng.random()
            if roll < 0.1 and sent:  # the portal did not get the answer: the same request again
                key, files, want = rng.choice(sent)
                kind = "upload (again)"
            elif roll < 0.2 and sent:  # a file the office already has, in a new request
                key, files, want = f"soak-{uuid.uuid4().hex}", [rng.choice(sent)[1][0]], None
                kind = "upload (known file)"
            else:
                key, want, kind = f"soak-{uuid.uuid4().hex}", None, "upload"
                files = [(f"anlage-{i}.pdf", letter_pdf(tmp, f"c{n}-{uuid.uuid4().hex[:10]}"))
                         for i in range(rng.choice((1, 1, 2)))]
            r = _call(t, c, kind, "POST", "/api/uploads", data={"reference": AZ},
                      files=[("files", f) for f in files], headers={"Idempotency-Key": key})
            if r is None or r.status_code >= 500:
                continue
            if r.status_code != 201:
                t.error(f"{kind}: {r.status_code} {r.text[:300]}")
                continue
            receipt = r.json()
            statuses = [f["status"] for f in receipt["files"]]
            with t.lock:
                t.files.update(statuses)
                if kind == "upload (known file)":
                    t.known.append(receipt["upload_id"])
            if receipt["status"] != "done" or len(statuses) != len(files) or \
                    not set(statuses) <= OK_FILE:
                t.error(f"{kind}: receipt {receipt}")
            elif want is not None and receipt["upload_id"] != want:
                t.error(f"{kind}: the same request made another upload {receipt['upload_id']}")
            if kind == "upload":
                sent = [*sent[-50:], (key, files, receipt["upload_id"])]


def caseworker(t: Tally, base: str, token: str, stop: threading.Event, n: int) -> None:
    import httpx

    rng = random.Random(1000 + n)
    with httpx.Client(base_url=base, timeout=180,
                      headers={"Authorization": f"Bearer {token}"}) as c:
        while not stop.is_set():
            r = _call(t, c, "search", "GET", "/api/search",
                      params={"q": rng.choice(WORDS), "limit": 20})
            if r is None or r.status_code != 200:
                if r is not None and r.status_code < 500:
                    t.error(f"search: {r.status_code} {r.text[:300]}")
                continue
            ids = [h["document_id"] for h in r.json()["hits"]]
            if not ids:
                continue
            doc = rng.choice(ids)
            for kind, url in (("document (API)", f"/api/documents/{doc}"),
                              ("document page (UI)", f"/dokument/{doc}"),
                              *([("archive PDF", f"/api/documents/{doc}/archive")]
                                if rng.random() < 0.3 else []),
                              *([("e-file page (UI)", f"/akte/{AZ}")] if rng.random() < 0.2
                                else [])):
                r = _call(t, c, kind, "GET", url)
                if r is not None and r.status_code != 200 and r.status_code < 500:
                    t.error(f"{kind} {url}: {r.status_code} {r.text[:200]}")


def warm(server: Server, tokens: dict, tmp: Path) -> None:
    """One upload and one search before the clock starts (models load, first connections)."""
    import httpx

    r = httpx.post(server.url + "/api/uploads", data={"reference": AZ},
                   files=[("files", ("warm.pdf", letter_pdf(tmp, "warm")))], timeout=180,
                   headers={"Authorization": f"Bearer {tokens['portal']}",
                            "Idempotency-Key": f"warm-{uuid.uuid4().hex}"})
    assert r.status_code == 201, r.text
    httpx.get(server.url + "/api/search", params={"q": "Nowak"}, timeout=60,
              headers={"Authorization": f"Bearer {tokens[CASEWORKER]}"})


def soak(server: Server, tokens: dict, tmp: Path, *, seconds: float, clients: int,
         until: threading.Event | None = None, at_most: float = 900) -> dict:
    """Run the clients against a started server for `seconds`, and on until `until` is set
    (at most `at_most` seconds); returns the figures."""
    t = Tally()
    stop = threading.Event()
    threads = []
    for n in range(clients):
        if n % 2 == 0:
            th = threading.Thread(target=portal, args=(t, server.url, tokens["portal"], stop,
                                                       tmp, n), daemon=True)
        else:
            th = threading.Thread(target=caseworker, args=(t, server.url, tokens[CASEWORKER],
                                                           stop, n), daemon=True)
        threads.append(th)
    rss_start = server.sample()
    start = time.monotonic()
    for th in threads:
        th.start()
    died_at = None
    while (time.monotonic() - start < seconds or (until is not None and not until.is_set())) \
            and time.monotonic() - start < at_most:
        time.sleep(0.25)
        server.sample()
        if not server.alive():
            died_at = time.monotonic() - start
            break
    stop.set()
    for th in threads:
        th.join(240)  # the requests in flight finish; no new ones
    wall = time.monotonic() - start
    alive = server.alive()
    staff, known_wrong = staff_view(t.known)
    if known_wrong:
        t.error(f"known files not recognised as duplicates (staff view): {known_wrong[:5]}")
    stale = [s for s, n in staff.items() if s not in STAFF_OK for _ in range(n)]
    if stale:
        t.error(f"files with staff status {sorted(set(stale))}: {len(stale)}")
    out = {"seconds": wall, "clients": clients, "alive": alive, "died_at": died_at,
           "exit_code": None if alive else server.proc.returncode,
           "requests": dict(t.requests), "total": sum(t.requests.values()),
           "status": dict(t.status), "server_errors": t.server_errors,
           "connection_errors": t.connection_errors, "wrong": t.wrong, "errors": t.errors,
           "files": dict(t.files), "staff_files": dict(staff),
           "latency": {k: (percentile(v, 0.5), percentile(v, 0.95), max(v))
                       for k, v in t.latency.items()},
           "rss_start_mb": rss_start / 1024, "rss_end_mb": server.sample() / 1024,
           "peak_tree_mb": server.peak_tree_kb / 1024, "server_hwm_mb": server.hwm_kb() / 1024,
           "stuck": stuck_threads(threads)}
    out["ok"] = (alive and not t.server_errors and not t.connection_errors and not t.wrong
                 and not out["stuck"])
    return out


def staff_view(known: list[str]) -> tuple[Counter, list[str]]:
    """The staff's statuses of every file the soak sent (from the database: the portal's
    receipt no longer tells filed from duplicate), and the known-file uploads whose file was
    not recognised as a duplicate. An upload still `processing` counts as such."""
    from sqlalchemy import select

    from efile.context import get_context
    from efile.uploads_models import Upload

    statuses: Counter = Counter()
    wrong = []
    with get_context().db.session() as s:
        for u in s.scalars(select(Upload).where(Upload.idempotency_key.startswith("soak-"))):
            if u.status != "done":
                statuses[u.status] += 1
                continue
            statuses.update(f["status"] for f in u.files)
            if u.id in known and [f["status"] for f in u.files] != ["duplicate"]:
                wrong.append(u.id)
    return statuses, wrong


def stuck_threads(threads: list[threading.Thread]) -> int:
    return sum(th.is_alive() for th in threads)


def table(r: dict, backend: str) -> list[str]:
    alive = "yes" if r["alive"] else f"NO (exit {r['exit_code']} after {r['died_at'] or 0:.0f} s)"
    lines = [f"soak, {backend}: {r['clients']} clients ({(r['clients'] + 1) // 2} portal, "
             f"{r['clients'] // 2} caseworker) for {r['seconds']:.0f} s against one "
             "`efile serve`",
             f"  server alive at the end : {alive}",
             f"  requests                : {r['total']} ({r['total'] / r['seconds']:.1f}/s), "
             f"5xx {r['server_errors']}, connection errors {r['connection_errors']}, "
             f"wrong answers {r['wrong']}, clients still hanging {r['stuck']}",
             "  files, portal's receipt : " + ", ".join(f"{k} {v}" for k, v in
                                                       sorted(r["files"].items())),
             "  files, staff's view     : " + ", ".join(f"{k} {v}" for k, v in
                                                       sorted(r["staff_files"].items())),
             f"  server memory (RSS)     : {r['rss_start_mb']:.0f} MB after warm-up, "
             f"{r['rss_end_mb']:.0f} MB at the end; peak {r['server_hwm_mb']:.0f} MB (server "
             f"process), {r['peak_tree_mb']:.0f} MB (with its children)",
             f"  {'request':<22} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"]
    for kind in sorted(r["latency"]):
        p50, p95, mx = r["latency"][kind]
        lines.append(f"  {kind:<22} {r['requests'][kind]:>6} {p50 * 1000:>8.0f} "
                     f"{p95 * 1000:>8.0f} {mx * 1000:>8.0f}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--clients", type=int, default=6)
    ap.add_argument("--backend", default="embedded", choices=["embedded", "postgres-s3"])
    ap.add_argument("--record", action="store_true")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="efile-soak-"))
    server = None
    try:
        office = make_home(tmp, a.backend)
        server = Server(tmp / "serve.log").start()
        warm(server, office["tokens"], tmp)
        r = soak(server, office["tokens"], tmp, seconds=a.seconds, clients=a.clients)
        log = server.log_tail(80)
    finally:
        if server is not None:
            server.stop()
        finish_backend(a.backend)
    lines = table(r, a.backend)
    print("\n".join(lines))
    if r["errors"]:
        print("\nfirst errors:\n  " + "\n  ".join(r["errors"][:20]))
    if not r["ok"]:
        print("\nserver log (tail):\n" + log)
    if a.record:
        from live import record

        record("Concurrency soak", f"{a.backend}, {a.clients} clients",
               "```\n" + "\n".join(lines) + "\n```")
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if r["ok"] else 1)


if __name__ == "__main__":
    main()
