"""Every file of the hostile development set through both intake paths, one child process per
file and path, so a hang or a memory blow-up shows as a figure instead of taking the bench down.

    python bench/hostile.py [--only SUBSTRING] [--timeout 60] [--record]

Per file and path (scan: `efile ingest`'s process; upload: the portal's): the outcome (filed,
inbox, duplicate, refused with its code, failed), seconds, peak memory of the child, whether
the original was kept, whether the archive copy claims PDF/A without being PDF/A, and whether
the reason is words (no Python object text, no bare library message). The summary says how
many files broke each promise of #21; `--record` appends the table to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOSTILE = Path(os.environ.get("EFILE_HOSTILE_SET", "/work/shared/specimens/hostile"))
REFERENCE = "ABH-BENCH-000001"

# a reason that is not words: Python object text, a bare exception type, a raw library phrase
_NOT_WORDS = re.compile(r"<[\w.]+ object at 0x|^[A-Z]\w+(Error|Exception): |\bat 0x[0-9a-f]{6,}")


def _specimens(only: str | None) -> list[Path]:
    files = sorted(p for p in HOSTILE.iterdir() if p.suffix.lower() not in (".md", ".tsv"))
    return [p for p in files if not only or only in p.name]


def _claims_pdfa(pdf: bytes) -> bool:
    import io

    import pikepdf
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        xmp = bytes(doc.Root.Metadata.read_bytes()) if "/Metadata" in doc.Root else b""
        intents = [str(oi.get("/S", "")) for oi in doc.Root.get("/OutputIntents", [])]
    return b"pdfaid:part" in xmp or b"pdfaid/part" in xmp or any("PDFA" in s for s in intents)


def child(mode: str, path: str) -> None:
    """One file through one path; prints one JSON line."""
    from sqlalchemy import select

    from efile.context import get_context
    from efile.models import Document
    from pipelines.process import ingest_file, pooled_ocr

    ctx = get_context()
    ocr = pooled_ocr(ctx.settings.ocr_languages, 1)
    name = Path(path).name
    out: dict = {}
    started = time.monotonic()  # the file's own time, without the interpreter's start-up
    if mode == "scan":
        r = ingest_file(ctx, path, efile=None, source="scan", ocr_pages=ocr)
        out = {"status": r.status, "reason": r.error or "", "code": getattr(r, "code", None),
               "document_id": r.document_id, "original_key": r.original_key}
    else:
        from pipelines.upload import UploadFile, submit
        data = Path(path).read_bytes()
        rec = submit(ctx, [UploadFile(name, data)], reference=REFERENCE, submitted_by="bench",
                     idempotency_key=f"bench-{name}-{time.time_ns()}", declared_type=None,
                     ocr_pages=ocr)
        f = rec["files"][0]
        out = {"status": f["status"], "reason": f.get("reason") or "", "code": f.get("code"),
               "document_id": f.get("document_id"), "original_key": f.get("key")}
    out["work_s"] = round(time.monotonic() - started, 2)
    out["original_kept"] = _original_kept(ctx, Path(path).read_bytes(), out)
    out["false_pdfa"] = None
    if out["document_id"]:
        with ctx.db.session() as s:
            doc = s.scalar(select(Document).where(Document.id == out["document_id"]))
            if doc is not None:
                claims = _claims_pdfa(ctx.store.get(doc.archive_key))
                out["format"] = doc.archive_format
                out["false_pdfa"] = claims and doc.archive_format != "PDF/A-2b"
    out["peak_mb"] = _peak_mb()
    print("RESULT " + json.dumps(out))


def _peak_mb() -> int:
    """This process's peak resident memory (VmHWM: ru_maxrss carries a forking parent's peak
    across exec), or a waited-for child's (tesseract) if higher. The bounded intake child is
    the forkserver's, capped by its RLIMIT_AS (settings.parse_memory_mb + 3 × the file)."""
    status = Path("/proc/self/status").read_text().splitlines()
    own = next(ln for ln in status if ln.startswith("VmHWM:"))
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return max(int(own.split()[1]) // 1024, children)


def _original_kept(ctx, data: bytes, out: dict) -> bool:
    """The bytes as received are somewhere in the store: among the originals, or kept apart
    (refused, quarantined)."""
    import hashlib

    from storage.keys import original_key
    sha = hashlib.sha256(data).hexdigest()
    key = original_key(sha)
    candidates = [key, out.get("original_key"), "refused/" + key.removeprefix("originals/"),
                  "quarantine/" + key.removeprefix("originals/")]
    for k in filter(None, candidates):
        try:
            if ctx.store.get(k) == data:
                return True
        except Exception:  # noqa: BLE001 - not there
            continue
    return False


def _setup_home(home: Path) -> dict:
    env = {**os.environ, "EFILE_HOME": str(home), "OMP_THREAD_LIMIT": "1"}
    subprocess.run([str(Path(sys.executable).parent / "efile"), "efiles", "add", REFERENCE,
                    "--surname", "Bench", "--given-names", "Hostile", "--team", "team-a"],
                   env=env, check=True, capture_output=True, cwd=ROOT)
    return env


def run_one(env: dict, mode: str, path: Path, timeout: float) -> dict:
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, __file__, "--child", mode, str(path)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        hung = True
    seconds = time.monotonic() - started
    line = next((ln for ln in stdout.decode(errors="replace").splitlines()
                 if ln.startswith("RESULT ")), None)
    res = json.loads(line[7:]) if line else {
        "status": "hang" if hung else "crash",
        "reason": stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]}
    if isinstance(res.get("reason"), list):
        res["reason"] = res["reason"][0] if res["reason"] else ""
    res.update(file=path.name, mode=mode, seconds=round(seconds, 2))
    res["words"] = not _NOT_WORDS.search(res.get("reason") or "")
    return res


def _outcome(r: dict) -> str:
    if r["status"] == "refused":
        return f"refused:{r.get('code')}"
    if r["status"] == "failed":
        return f"failed:{r.get('code') or '?'}"
    return r["status"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", nargs=2, metavar=("MODE", "PATH"))
    ap.add_argument("--only")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--record", action="store_true")
    ap.add_argument("--json", action="store_true", help="print every row as JSON")
    args = ap.parse_args()
    if args.child:
        return child(*args.child)
    rows = []
    with tempfile.TemporaryDirectory(prefix="efile-hostile-") as tmp:
        # one home per path: a file the scan path filed must not be a mere duplicate upload
        envs = {mode: _setup_home(Path(tmp) / mode) for mode in ("scan", "upload")}
        for path in _specimens(args.only):
            pair = [run_one(envs[mode], mode, path, args.timeout) for mode in ("scan", "upload")]
            rows.append(pair)
            s, u = pair
            print(f"{path.name[:48]:48} {_outcome(s)[:28]:28} {s.get('work_s', -1):5.1f}s "
                  f"| {_outcome(u)[:28]:28} {u.get('work_s', -1):5.1f}s", flush=True)
            if args.json:
                print(json.dumps(pair))
    flat = [r for pair in rows for r in pair]
    summary = {
        "peak MB": max((r.get("peak_mb") or 0 for r in flat), default=0),
        "files": len(rows),
        "hangs": sum(r["status"] == "hang" for r in flat),
        "crashes": sum(r["status"] == "crash" for r in flat),
        "originals lost": sum(not r.get("original_kept") for r in flat),
        "reasons not in words": sum(not r["words"] for r in flat),
        "false PDF/A claims": sum(bool(r.get("false_pdfa")) for r in flat),
        "verdicts differ (scan vs upload)": sum(_differ(s, u) for s, u in rows),
        "documented policy differences": sum(_klass(s) != _klass(u) and not _differ(s, u)
                                             for s, u in rows),
        "slowest s (the file's work)": max((r.get("work_s", 0) for r in flat), default=0),
        "files over 10 s": sum(r.get("work_s", 0) > 10 for r in flat),
        "slowest s (with interpreter start)": max((r["seconds"] for r in flat), default=0),
    }
    print(json.dumps(summary, indent=1))
    for s, u in rows:
        if _klass(s) != _klass(u):
            print("  policy:" if not _differ(s, u) else "  DIFFERS:", end="")
            print(f" {s['file']}: scan {_outcome(s)} ({s['reason'][:70]}) / upload "
                  f"{_outcome(u)} ({u['reason'][:70]})")
    for r in flat:
        if not r["words"]:
            print(f"  not words: {r['file']} {r['mode']}: {r['reason'][:120]}")
    if args.record:
        from bench.results import record
        body = "| promise | count |\n|---|---|\n" + "\n".join(
            f"| {k} | {v} |" for k, v in summary.items())
        record("hostile", f"{len(rows)} files of the development set, both paths", body)


def _klass(r: dict) -> str:
    """The verdict class: filed or inbox count as accepted; a refusal by its code, whichever
    path's word for it (the portal says refused, `efile ingest` failed with the code)."""
    if r["status"] in ("filed", "inbox", "duplicate"):
        return "accepted"
    return f"refused:{r.get('code')}" if r.get("code") else _outcome(r)


# The portal refuses what the applicant can simply send again (README, "One check for every
# path"); staff paths repair such a file and hold it for a person, or refuse it otherwise.
PORTAL_ONLY = {"refused:truncated", "refused:polyglot"}


def _differ(scan: dict, upload: dict) -> bool:
    return _klass(scan) != _klass(upload) and _klass(upload) not in PORTAL_ONLY


if __name__ == "__main__":
    main()
