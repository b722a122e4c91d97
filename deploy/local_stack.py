"""The production topology from local processes, for machines without Docker (and for tests
and benchmarks): PostgreSQL (the machine's, a fresh database), SeaweedFS as S3 with object
lock, a Prefect server, a `process` work pool with the `ingest` deployment, and N workers,
each optionally pinned to its own core.

    python deploy/local_stack.py up --workers 2 [--dir ./var/stack] [--pin]

prints the environment a client needs (EFILE_*, PREFECT_API_URL), then runs until Ctrl+C.
The same topology in containers: deploy/compose.yaml.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seaweed import ACCESS_KEY, SECRET_KEY, SeaweedS3, free_port_block

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_ADMIN = os.environ.get("EFILE_STACK_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BUCKET = "efile"
POOL = "efile"


def _wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy in {timeout:.0f} s")


def _stop(proc: subprocess.Popen, grace: float = 8) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


@dataclass
class LocalStack:
    base: Path
    workers: int = 2
    pin: bool = False  # one core per worker (taskset), and one OCR slot each
    retention_days: int = 1
    database: str = ""
    s3: SeaweedS3 | None = None
    prefect_port: int = 0
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    # -- environment ----------------------------------------------------------------------------
    @property
    def prefect_env(self) -> dict[str, str]:
        return {"PREFECT_HOME": str(self.base / "prefect"),
                "PREFECT_API_URL": f"http://127.0.0.1:{self.prefect_port}/api",
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}

    @property
    def efile_env(self) -> dict[str, str]:
        assert self.s3 is not None
        return {"EFILE_HOME": str(self.base / "home"),
                "EFILE_DATABASE_URL": self.database,
                "EFILE_STORAGE_URL": self.s3.url(BUCKET, lock="governance",
                                                 retention_days=str(self.retention_days)),
                "EFILE_S3_ACCESS_KEY": ACCESS_KEY, "EFILE_S3_SECRET_KEY": SECRET_KEY}

    @property
    def env(self) -> dict[str, str]:
        """What a client (CLI, test, benchmark) needs to talk to this stack."""
        return {**self.prefect_env, **self.efile_env}

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.base / f"{name}.log", "ab")  # noqa: SIM115 - lives with the process
        proc = subprocess.Popen(args, env={**os.environ, **env}, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT)
        self.procs[name] = proc
        return proc

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> LocalStack:
        self.base.mkdir(parents=True, exist_ok=True)
        try:
            self._start_storage_and_database()
            self._start_prefect()
            for i in range(self.workers):
                self.start_worker(i)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_storage_and_database(self) -> None:
        from sqlalchemy import create_engine, text

        from efile.db import Database
        from storage.s3 import S3Store

        self.s3 = SeaweedS3(self.base / "seaweed").start()
        S3Store(self.efile_env["EFILE_STORAGE_URL"], env=self.efile_env, check=False).create_bucket()
        name = f"efile_stack_{uuid.uuid4().hex[:8]}"
        engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with engine.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        self.database = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        Database(self.database).dispose()  # schema migrated once, before workers race to it

    def _start_prefect(self) -> None:
        self.prefect_port = free_port_block(1, start=4300)
        proc = self._spawn("prefect-server", [str(BIN / "prefect"), "server", "start", "--host",
                                              "127.0.0.1", "--port", str(self.prefect_port)],
                           self.prefect_env)
        _wait_http(f"http://127.0.0.1:{self.prefect_port}/api/health", 90, proc)
        env = {**os.environ, **self.prefect_env}
        subprocess.run([str(BIN / "prefect"), "work-pool", "create", POOL, "--type", "process",
                        "--overwrite"], env=env, check=True, capture_output=True, cwd=ROOT)
        subprocess.run([sys.executable, "-m", "pipelines.deployments", "--pool", POOL,
                        "--source", str(ROOT)], env=env, check=True, capture_output=True, cwd=ROOT)

    def start_worker(self, i: int) -> None:
        # poll every second (Prefect's default is 10 s: fine for a daily batch, slow for tests)
        env = {**self.env, "OMP_THREAD_LIMIT": "1", "PREFECT_WORKER_QUERY_SECONDS": "1"}
        args = [str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--type", "process",
                "--name", f"worker-{i}", "--limit", "1"]
        if self.pin and shutil.which("taskset"):
            env["EFILE_OCR_WORKERS"] = "1"
            args = ["taskset", "-c", str(i % (os.cpu_count() or 1)), *args]
        self._spawn(f"worker-{i}", args, env)

    def stop(self) -> None:
        for name in [n for n in self.procs if n.startswith("worker")] + ["prefect-server"]:
            if name in self.procs:
                _stop(self.procs.pop(name))
        if self.s3 is not None:
            self.s3.stop()
        if self.database:
            from sqlalchemy import create_engine, text

            engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with engine.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{self.database.rsplit("/", 1)[1]}" '
                               "WITH (FORCE)"))
            engine.dispose()
            self.database = ""

    @contextmanager
    def client(self) -> Iterator[None]:
        """Make this process a client of the stack: environment for efile, and Prefect's
        settings (which Prefect reads once per process, so the environment alone is not
        enough once any flow has run here)."""
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from efile.context import reset_contexts

        saved = dict(os.environ)
        os.environ.update(self.env)
        reset_contexts()
        try:
            with temporary_settings(updates={PREFECT_API_URL: self.env["PREFECT_API_URL"]}):
                yield
        finally:
            os.environ.clear()
            os.environ.update(saved)
            reset_contexts()

    # -- waiting for work -----------------------------------------------------------------------
    def wait_for_flow_runs(self, ids: list[str], timeout: float = 600) -> dict[str, str]:
        """Block until every flow run is final; returns id → state name."""
        code = (
            "import json, sys, time\n"
            "from prefect.client.orchestration import get_client\n"
            "ids, deadline = json.loads(sys.argv[1]), time.monotonic() + float(sys.argv[2])\n"
            "with get_client(sync_client=True) as c:\n"
            "    while True:\n"
            "        runs = [c.read_flow_run(i) for i in ids]\n"
            "        if all(r.state and r.state.is_final() for r in runs) or time.monotonic() > deadline:\n"
            "            print(json.dumps({str(r.id): r.state.name for r in runs})); break\n"
            "        time.sleep(0.5)\n"
        )
        import json

        res = subprocess.run([sys.executable, "-c", code, json.dumps(ids), str(timeout)],
                             env={**os.environ, **self.prefect_env}, capture_output=True,
                             text=True, check=True, cwd=ROOT)
        return json.loads(res.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["up"])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=ROOT / "var" / "stack")
    ap.add_argument("--pin", action="store_true", help="pin each worker to one core")
    args = ap.parse_args()
    stack = LocalStack(args.dir.resolve(), workers=args.workers, pin=args.pin).start()
    print("# local stack is up; for a client:")
    for k, v in stack.env.items():
        print(f"export {k}={v}")
    print(f"# Prefect UI: http://127.0.0.1:{stack.prefect_port}   (Ctrl+C stops everything)")
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
