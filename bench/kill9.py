"""The kill -9 campaign (issue #12): nothing lost, nothing filed twice, nothing stuck.

Uploads: R rounds against a real `efile serve`. Each round sends one portal upload of
several born-digital PDFs, SIGKILLs the server at a random moment while it works on it
(uniformly within the time an uninterrupted upload of that shape takes), starts the server
again and re-sends the same request (same Idempotency-Key), as the portal would. The
restarted server carries the next round.

Ingest (--ingest-rounds): `efile ingest` of a few PDFs SIGKILLed at a random point (before
the first document, or just after the k-th is filed), then the same command again.

Checked after every round and over the whole home at the end: every file sent has exactly
one document (by the original's SHA-256) or a refusal in its receipt; the receipt's document
is that document; original and archive copy are in the store (the original byte for byte);
a caseworker finds the document by a word only it carries; no upload is left `processing`.

    python bench/kill9.py [--rounds 20] [--files 4] [--ingest-rounds 3]
                          [--backend embedded|postgres-s3] [--record] [--seed N]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from live import (
    AZ,
    CASEWORKER,
    EFILE_BIN,
    Server,
    finish_backend,
    letter_pdf,
    make_home,
)

OK_FILE = {"filed", "inbox", "duplicate"}  # the staff's statuses (the database's receipt)


def _tagged_files(tmp: Path, n: int, pages: int) -> list[tuple[str, bytes, str]]:
    """(name, bytes, a search word only this file carries)"""
    out = []
    for i in range(n):
        tag = "kneun" + uuid.uuid4().hex[:10]
        out.append((f"anlage-{i + 1}.pdf", letter_pdf(tmp, tag, pages), tag))
    return out


def _post(url: str, token: str, key: str, files: list[tuple[str, bytes, str]],
          timeout: float = 180):
    import httpx

    return httpx.post(url + "/api/uploads", data={"reference": AZ}, timeout=timeout,
                      files=[("files", (n, b)) for n, b, _ in files],
                      headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key})


def staff_receipt(key: str) -> dict | None:
    """The full receipt staff see (the portal's says only `received`): document ids."""
    from sqlalchemy import select

    from efile.context import get_context
    from efile.uploads_models import Upload
    from pipelines.upload import receipt

    with get_context().db.session() as s:
        u = s.scalar(select(Upload).where(Upload.idempotency_key == key))
        return receipt(u) if u is not None else None


def _upload_state(key: str) -> str:
    """Where the killed server left the upload: absent, processing k/n, done."""
    from sqlalchemy import select

    from efile.context import get_context
    from efile.uploads_models import Upload

    with get_context().db.session() as s:
        u = s.scalar(select(Upload).where(Upload.idempotency_key == key))
        if u is None:
            return "no upload yet"
        if u.status == "processing":
            return f"processing, {len(u.files or [])} file(s) recorded"
        return u.status


def check_files(files: list[tuple[str, bytes, str]], receipt_files: list[dict] | None,
                search) -> list[str]:
    """Every file: exactly one document, the one the receipt names, original and archive
    in the store, found by its word. Returns the problems (empty: all well)."""
    from sqlalchemy import func, select

    from efile.context import get_context
    from efile.models import Document

    ctx = get_context()
    problems = []
    for i, (name, data, tag) in enumerate(files):
        sha = hashlib.sha256(data).hexdigest()
        rf = (receipt_files or [])[i] if receipt_files and i < len(receipt_files) else None
        with ctx.db.session() as s:
            n = s.scalar(select(func.count()).select_from(Document)
                         .where(Document.original_sha256 == sha))
            doc = s.scalar(select(Document).where(Document.original_sha256 == sha))
            keys = (doc.id, doc.original_key, doc.archive_key) if doc else None
        if rf is not None and rf.get("status") not in OK_FILE:
            if n == 0 and rf.get("status") == "refused":
                continue  # refused, with its reason: accounted for
            problems.append(f"{name}: receipt status {rf.get('status')} ({rf.get('reason')})")
        if n != 1:
            problems.append(f"{name}: {n} documents for its content (want exactly 1)")
            continue
        doc_id, original_key, archive_key = keys
        if rf is not None and rf.get("document_id") != doc_id:
            problems.append(f"{name}: the receipt names {rf.get('document_id')}, the document "
                            f"is {doc_id}")
        try:
            if ctx.store.get(original_key) != data:
                problems.append(f"{name}: the stored original differs from what was sent")
            if not ctx.store.get(archive_key):
                problems.append(f"{name}: empty archive copy")
        except Exception as e:  # noqa: BLE001 - a missing object is the finding
            problems.append(f"{name}: object missing: {type(e).__name__}: {e}")
        if search is not None and doc_id not in search(tag):
            problems.append(f"{name}: a caseworker's search for {tag!r} does not find it")
    return problems


def stuck_uploads(prefix: str = "") -> list[str]:
    """Uploads left `processing` (whose key starts with `prefix`: the campaign's own, when
    other clients are at work on the same home)."""
    from sqlalchemy import select

    from efile.context import get_context
    from efile.uploads_models import Upload

    with get_context().db.session() as s:
        return [f"{u.idempotency_key} ({len(u.files or [])} files recorded, worker {u.worker})"
                for u in s.scalars(select(Upload).where(
                    Upload.status == "processing", Upload.idempotency_key.startswith(prefix)))]


def searcher(server: Server, token: str):
    import httpx

    def search(word: str) -> set[str]:
        r = httpx.get(server.url + "/api/search", params={"q": word}, timeout=60,
                      headers={"Authorization": f"Bearer {token}"})
        r.raise_for_status()
        return {h["document_id"] for h in r.json()["hits"]}

    return search


def upload_campaign(office: dict, tmp: Path, *, rounds: int, files: int, pages: int,
                    rng: random.Random, server: Server | None = None,
                    window: float | None = None, alone: bool = True, keep: bool = False,
                    log=print) -> dict:
    """R kill -9 rounds; returns the figures. A started, warm `server` may be passed in (it
    is the one killed in round 1), and the kill `window` in seconds; the server left running
    at the end is stopped, or with `keep` returned as "server". `alone`: no other server
    works on the home (then no upload at all may be left processing; else only the
    campaign's own are checked)."""
    token = office["tokens"]["portal"]
    if server is None:
        server = Server(tmp / "serve-kill9.log").start()
    if window is None:
        # how long an uninterrupted upload of this shape takes on a warm server
        _post(server.url, token, f"warm-{uuid.uuid4().hex}", _tagged_files(tmp, 1, pages))
        start = time.monotonic()
        r = _post(server.url, token, f"measure-{uuid.uuid4().hex}",
                  _tagged_files(tmp, files, pages))
        window = time.monotonic() - start
        assert r.status_code == 201, r.text
    states, outcomes, problems, restarts = Counter(), Counter(), [], []
    sent_all: list[tuple[str, bytes, str]] = []
    for n in range(1, rounds + 1):
        batch = _tagged_files(tmp, files, pages)
        sent_all += batch
        key = f"kill9-{n}-{uuid.uuid4().hex[:12]}"
        answer: dict = {}

        def send(url=server.url, batch=batch, key=key, answer=answer) -> None:
            try:
                answer["r"] = _post(url, token, key, batch)
            except Exception as e:  # noqa: BLE001 - the server died under it: expected
                answer["e"] = e

        th = threading.Thread(target=send, daemon=True)
        delay = rng.uniform(0, window)
        th.start()
        time.sleep(delay)
        server.kill9()
        th.join(30)
        state = _upload_state(key)
        if "r" in answer:
            state += " (answered before the kill)"
        states[state] += 1
        t0 = time.monotonic()
        server = Server(server.log_path, port=server.port, env=server.env).start()
        restarts.append(time.monotonic() - t0)
        again = _post(server.url, token, key, batch)
        if again.status_code != 201:
            problems.append(f"round {n}: re-sent: {again.status_code} {again.text[:300]}")
            continue
        answered = again.json()  # the applicant's view
        round_problems = []
        if answered["status"] != "done":
            round_problems.append(f"the re-sent request answered {answered['status']}")
        if [f["status"] for f in answered["files"]] != ["received"] * files:
            round_problems.append(f"the portal's receipt: {answered['files']}")
        receipt = staff_receipt(key) or {"files": []}
        outcomes.update(f["status"] for f in receipt["files"])
        if len(receipt["files"]) != files:
            round_problems.append(f"{len(receipt['files'])} files in the receipt, {files} sent")
        round_problems += check_files(batch, receipt["files"],
                                      searcher(server, office["tokens"][CASEWORKER]))
        problems += [f"round {n} (killed at {delay:.2f} s, {state}): {p}"
                     for p in round_problems]
        log(f"round {n:2d}: killed at {delay:5.2f} s of {window:.2f} s: {state:45s} → "
            f"{', '.join(f['status'] for f in receipt['files'])}"
            f"{'  PROBLEMS: ' + '; '.join(round_problems) if round_problems else ''}")
    # the whole home at the end: each file of every round still exactly once, none stuck
    final = check_files(sent_all, None, searcher(server, office["tokens"][CASEWORKER]))
    stuck = stuck_uploads("" if alone else "kill9-")
    if not keep:
        server.stop()
    return {"rounds": rounds, "files": files, "pages": pages, "window": window,
            "states": dict(states), "outcomes": dict(outcomes), "problems": problems,
            "final_problems": final, "stuck": stuck, "files_sent": len(sent_all),
            "restart_s": sum(restarts) / len(restarts) if restarts else 0.0,
            "ok": not problems and not final and not stuck,
            **({"server": server} if keep else {})}


def _documents_now() -> int:
    from sqlalchemy import func, select

    from efile.context import get_context
    from efile.models import Document

    with get_context().db.session() as s:
        return s.scalar(select(func.count()).select_from(Document))


def _stored(shas: list[str]) -> int:
    from efile.context import get_context
    from storage.keys import original_key

    store = get_context().store
    return sum(store.exists(original_key(sha)) for sha in shas)


def _watch_ingest(cmd: list[str], shas: list[str], kill: tuple[str, float] | None
                  ) -> tuple[str, float | None, float | None]:
    """Run `efile ingest`, watching for its first original stored and its documents; SIGKILL
    it per `kill`: ("start-up", t) t seconds after it started, ("work", t) t seconds after
    its first original was stored (None: let it finish). Returns where it was, when the
    first original was stored and when the last document appeared (from its start)."""
    before = _documents_now()
    proc = subprocess.Popen(cmd, env=os.environ.copy(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    start, first, last = time.monotonic(), None, None
    while proc.poll() is None and time.monotonic() - start < 600:
        now = time.monotonic() - start
        if kill is not None and (kill[0] == "start-up" and now >= kill[1] or
                                 kill[0] == "work" and first is not None and
                                 now >= first + kill[1]):
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            break
        if first is None and _stored(shas):
            first = now
        if last is None and _documents_now() - before >= len(shas):
            last = now
        time.sleep(0.01)
    n, stored = _documents_now() - before, _stored(shas)
    _reap(proc.pid)  # Prefect's ephemeral server it started, if any
    if kill is not None and proc.returncode == -signal.SIGKILL:
        return (f"killed with {stored} originals stored, {n} of {len(shas)} filed", first,
                last)
    return "finished before the kill" if kill is not None else "not killed", first, last


def ingest_campaign(office: dict, tmp: Path, *, rounds: int, files: int, pages: int,
                    rng: random.Random, log=print) -> dict:
    """`efile ingest` SIGKILLed at a random moment of its work, then the same command again;
    each file must end with exactly one document. One run in five is killed during start-up
    (before its first original is stored), the others uniformly between its first original
    stored and its last document, as long as that took in one run left alone."""
    import json

    problems, states, outcomes = [], Counter(), Counter()
    window = None
    for n in range(0, rounds + 1):
        batch = _tagged_files(tmp, files, pages)
        shas = [hashlib.sha256(data).hexdigest() for _, data, _ in batch]
        paths = []
        for name, data, _ in batch:
            p = tmp / f"ingest-{n}-{name}"
            p.write_bytes(data)
            paths.append(str(p))
        cmd = [EFILE_BIN, "ingest", *paths, "--efile", AZ, "--json"]
        if window is None:  # round 0: the timeline of an uninterrupted run
            _, first, last = _watch_ingest(cmd, shas, None)
            if first is None or last is None:
                problems.append(f"an uninterrupted ingest did not file its {files} files")
                break
            window = (first, last - first + 0.05)
            log(f"ingest: uninterrupted, first original at {first:.1f} s, last document at "
                f"{last:.1f} s")
            continue
        kill = ("start-up", rng.uniform(0, window[0])) if rng.random() < 0.2 else \
            ("work", rng.uniform(0, window[1]))
        state, _, _ = _watch_ingest(cmd, shas, kill)
        states[state] += 1
        state = f"{state} ({kill[0]} + {kill[1]:.2f} s)"
        again = subprocess.run(cmd, env=os.environ.copy(), capture_output=True, text=True,
                               timeout=600, start_new_session=True)
        round_problems = []
        try:
            results = json.loads(again.stdout)
        except ValueError:
            results = None
            round_problems.append(f"re-run exit {again.returncode}: {again.stderr[-500:]}")
        if results is not None:
            outcomes.update(r["status"] for r in results)
            receipt = [{"status": r["status"], "document_id": r["document_id"],
                        "reason": r.get("error")} for r in results]
            round_problems += check_files(batch, receipt, None)
        problems += [f"ingest round {n} ({state}): {p}" for p in round_problems]
        log(f"ingest round {n}: {state:60s} → "
            f"{', '.join(r['status'] for r in results) if results else 'no results'}"
            f"{'  PROBLEMS: ' + '; '.join(round_problems) if round_problems else ''}")
    return {"rounds": rounds, "states": dict(states), "outcomes": dict(outcomes),
            "window": window, "problems": problems, "ok": not problems}


def _reap(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--files", type=int, default=4, help="files per upload")
    ap.add_argument("--pages", type=int, default=3, help="pages per file")
    ap.add_argument("--ingest-rounds", type=int, default=3)
    ap.add_argument("--backend", default="embedded", choices=["embedded", "postgres-s3"])
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--record", action="store_true")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="efile-kill9-"))
    try:
        office = make_home(tmp, a.backend)
        up = upload_campaign(office, tmp, rounds=a.rounds, files=a.files, pages=a.pages,
                             rng=rng)
        ing = ingest_campaign(office, tmp, rounds=a.ingest_rounds, files=3, pages=a.pages,
                              rng=rng) if a.ingest_rounds else None
        log = (tmp / "serve-kill9.log").read_text(errors="replace")
    finally:
        finish_backend(a.backend)
    lines = [f"kill -9 campaign, {a.backend}, seed {seed}",
             f"  uploads: {up['rounds']} rounds of {up['files']} files × {up['pages']} pages "
             f"(killed uniformly within {up['window']:.2f} s, an uninterrupted upload's time; "
             f"restart {up['restart_s']:.1f} s)",
             "    where the kill left the upload : " + "; ".join(
                 f"{k} ×{v}" for k, v in sorted(up["states"].items())),
             "    files after re-sending (staff) : " + ", ".join(
                 f"{k} {v}" for k, v in sorted(up["outcomes"].items())),
             f"    lost or duplicated or wrong    : {len(up['problems'])} in the rounds, "
             f"{len(up['final_problems'])} of {up['files_sent']} files at the end; uploads "
             f"left processing: {len(up['stuck'])}"]
    if ing:
        w = ing["window"] or (0, 0)
        lines += [f"  efile ingest: {ing['rounds']} rounds of 3 files (1 in 5 killed in start-up, "
                  f"< {w[0]:.1f} s; the others within {w[1]:.2f} s after the first original is "
                  "stored: an uninterrupted run's time from it to the last document)",
                  "    where the kill came            : " + "; ".join(
                      f"{k} ×{v}" for k, v in sorted(ing["states"].items())),
                  "    files after running it again   : " + ", ".join(
                      f"{k} {v}" for k, v in sorted(ing["outcomes"].items())),
                  f"    lost or duplicated or wrong    : {len(ing['problems'])}"]
    print("\n".join(lines))
    bad = up["problems"] + up["final_problems"] + up["stuck"] + (ing["problems"] if ing else [])
    if bad:
        print("\nproblems:\n  " + "\n  ".join(bad[:40]))
        tracebacks = [b for b in log.split("\n--- start") if "Traceback" in b]
        if tracebacks:
            print("\nserver log with a traceback:\n" + tracebacks[-1][-4000:])
    if a.record:
        from live import record

        record("kill -9 campaign", f"{a.backend}, {a.rounds} upload rounds, "
               f"{a.ingest_rounds} ingest rounds", "```\n" + "\n".join(lines) + "\n```")
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if up["ok"] and (ing is None or ing["ok"]) else 1)


if __name__ == "__main__":
    main()
