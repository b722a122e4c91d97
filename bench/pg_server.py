"""A private PostgreSQL 15 server for a benchmark, configured as a server dedicated to the
search would be (bench/search_latency.py --own-server): started from Debian's binaries into
a temporary directory as the postgres user, on its own port, stopped and removed at the end.

The machine's shared server keeps PostgreSQL's defaults (shared_buffers 128 MB), which a
production database of a million documents would not run with; this one gets the memory to hold the
search's tables and indexes (a sixth of this machine, leaving its other users theirs), no
JIT compilation (it costs more than it saves on queries of milliseconds), and no
durability it does not need for a database thrown away after the run.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
SETTINGS = {
    # memory for the data (the planner's cost settings stay PostgreSQL's defaults)
    "shared_buffers": "4GB", "maintenance_work_mem": "2GB", "jit": "off",
    # a throw-away database: no write-ahead durability
    "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
    "wal_level": "minimal", "max_wal_senders": "0", "max_wal_size": "8GB",
}


class OwnServer:
    def __init__(self, port: int = 55432) -> None:
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="efile_bench_pg_"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"

    def _as_postgres(self, *cmd: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True,
                       stdout=subprocess.DEVNULL)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> OwnServer:
        self._as_postgres(str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                          "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        with open(self.data / "postgresql.conf", "a") as f:
            for k, v in SETTINGS.items():
                f.write(f"{k} = '{v}'\n")
            f.write(f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{self.dir}'\n")
        self._as_postgres(str(BIN / "pg_ctl"), "-D", str(self.data), "-l",
                          str(self.dir / "log"), "-w", "start")
        time.sleep(0.5)
        return self

    def stop(self) -> None:
        try:
            self._as_postgres(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w",
                              "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
