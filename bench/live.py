"""A real `efile serve` for the soak and the kill -9 campaign (issue #12): a filled home (the
web tests' office: three clients in three teams, a user per role, and the portal's service
account), the server as its own process on a free loopback port, its memory from /proc, and
small born-digital PDFs (no OCR) to upload."""

from __future__ import annotations

import contextlib
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parent.parent
for _p in (ROOT / "deploy", ROOT / "tests", ROOT / "bench", ROOT):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

EFILE_BIN = str(Path(sys.executable).with_name("efile"))
RESULTS = Path("/tmp/efile-helpers/RESULTS-soak.md")
AZ = "ABH-2024-000202"  # Nowak, team-b (tests/webhome.py)
CASEWORKER = "sb.b"
LETTER = ["Arbeitgeberbescheinigung", "Herr Piotr Nowak, geboren am 06.05.1975,",
          "ist seit dem 01.02.2020 unbefristet in Vollzeit bei uns beschäftigt.",
          "Bruttomonatsgehalt 3.400,00 EUR", "Beispiel GmbH, Personalabteilung"]


def make_home(tmp: Path, backend: str = "embedded") -> dict:
    """Fill a home under `tmp` (its settings go into os.environ, which the server inherits);
    returns the office's documents and a token per user, the portal's among them."""
    import conftest

    conftest.BACKEND = backend
    conftest.use_home(tmp / "home")
    from webhome import build

    from efile.access.accounts import add_user, issue_token
    from efile.access.policy import load as load_policy
    from efile.context import get_context

    built = build(tmp)
    with get_context().db.session() as s:
        add_user(s, load_policy(), "portal", password=None, roles=["portal"])
        built["tokens"]["portal"] = issue_token(s, "portal", label="portal")
    return built


def finish_backend(backend: str) -> None:
    """Drop the PostgreSQL databases and stop SeaweedFS the home used (postgres-s3)."""
    if backend == "postgres-s3":
        import conftest

        conftest.pytest_sessionfinish(None, 0)


def letter_pdf(folder: Path, tag: str, pages: int = 2) -> bytes:
    """A small born-digital letter about Nowak whose content no other call repeats."""
    from efile.samples.born_digital import write_text_pdf

    path = folder / f"{tag}-{uuid.uuid4().hex[:8]}.pdf"
    data = write_text_pdf(path, [[*LETTER, f"Vorgang {tag}", f"Seite {p + 1} von {pages}"]
                                 for p in range(pages)]).read_bytes()
    path.unlink()
    return data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


def group_members(pgid: int) -> list[int]:
    """The live (not zombie) processes of a process group."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            out.append(int(d))
    return out


def status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Server:
    """`efile serve` in its own process group (so whatever it starts can be cleaned up)."""

    def __init__(self, log: Path, port: int | None = None,
                 env: dict[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.env = env or {}
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self.proc: subprocess.Popen | None = None
        self.peak_tree_kb = 0

    def start(self, timeout: float = 60) -> Server:
        import httpx

        log = self.log_path.open("a")
        log.write(f"\n--- start {datetime.now(UTC).isoformat()} ---\n")
        log.flush()
        self.proc = subprocess.Popen([EFILE_BIN, "serve", "--port", str(self.port)],
                                     env={**os.environ, **self.env}, stdout=log, stderr=log,
                                     start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("efile serve did not come up:\n" + self.log_tail())
            try:
                if httpx.get(self.url + "/anmelden", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def sample(self) -> int:
        """The resident memory of the server and every process it started, now (kB)."""
        kb = sum(status_kb(p, "VmRSS") for p in tree(self.pid)) if self.alive() else 0
        self.peak_tree_kb = max(self.peak_tree_kb, kb)
        return kb

    def rss_kb(self) -> int:
        return status_kb(self.pid, "VmRSS") if self.alive() else 0

    def hwm_kb(self) -> int:
        """The server process's own peak resident memory (VmHWM)."""
        return status_kb(self.pid, "VmHWM") if self.alive() else 0

    def kill9(self) -> None:
        """SIGKILL the server, as a crash would, and at once every process it started (its
        parsing workers), as the OOM killer of a container or systemd's control group would."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self._reap_group()

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reap_group()

    def _reap_group(self) -> None:
        """Children the server started (its forkserver, parsing workers) die with it or are
        killed here: only this server's own process group, never anything else."""
        assert self.proc is not None
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if not group_members(self.proc.pid):
                return
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def percentile(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def record(name: str, what: str, body: str) -> None:
    """Append figures to /tmp/efile-helpers/RESULTS-soak.md, in bench/RESULTS.md's format."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "python " + " ".join(["bench/" + Path(sys.argv[0]).name, *sys.argv[1:]])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with open(RESULTS, "a") as f:
        f.write(f"\n### {name} · {stamp} · {platform.node() or 'host'} · {os.cpu_count()} cores\n\n"
                f"`{command}` ({what})\n\n{body}\n")
