"""A real clamd (Debian clamav-daemon) for the tests, with a signature database the tests
write themselves: no signature download is possible here, and none is needed to prove that
a file clamd flags is quarantined.

Two signatures: the EICAR anti-virus test file by its MD5 (.hdb), and a custom byte pattern
anywhere in a file (.ndb), so a "virus" can be hidden inside a real PDF or image.
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from pipelines.tools import clamav

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
TEST_PATTERN = b"EFILE-TEST-MALWARE-PATTERN-7f3a9c"
EICAR_NAME, PATTERN_NAME = "Efile.Test.EICAR", "Efile.Test.Pattern"


def available() -> bool:
    return shutil.which("clamd") is not None or Path("/usr/sbin/clamd").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Clamd:
    """clamd in the foreground with its own config, database, UNIX socket and TCP port."""

    def __init__(self, root: Path | None = None) -> None:
        # a short path: a UNIX socket's path must fit in 108 bytes
        self.root = root or Path(tempfile.mkdtemp(prefix="efile-clamd-"))
        self.socket = self.root / "clamd.sock"
        self.port = _free_port()
        self.proc: subprocess.Popen | None = None
        self.start_seconds: float | None = None

    @property
    def unix_address(self) -> str:
        return f"unix:{self.socket}"

    @property
    def tcp_address(self) -> str:
        return f"tcp:127.0.0.1:{self.port}"

    def _write_config(self) -> Path:
        db = self.root / "db"
        db.mkdir(parents=True, exist_ok=True)
        (db / "efile-test.hdb").write_text(
            f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:{EICAR_NAME}\n")
        (db / "efile-test.ndb").write_text(f"{PATTERN_NAME}:0:*:{TEST_PATTERN.hex()}\n")
        conf = self.root / "clamd.conf"
        conf.write_text("\n".join([
            "Foreground yes",
            f"LocalSocket {self.socket}",
            f"TCPSocket {self.port}",
            "TCPAddr 127.0.0.1",
            f"DatabaseDirectory {db}",
            f"LogFile {self.root / 'clamd.log'}",
            f"PidFile {self.root / 'clamd.pid'}",
            "StreamMaxLength 100M",  # above the upload limit (50 MB by default)
            "MaxFileSize 100M",
            "MaxScanSize 400M",
            "SelfCheck 0",
            "",
        ]))
        return conf

    def start(self, timeout: float = 60) -> Clamd:
        clamd = shutil.which("clamd") or "/usr/sbin/clamd"
        conf = self._write_config()
        began = time.perf_counter()
        self.proc = subprocess.Popen([clamd, "-c", str(conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        while time.perf_counter() - began < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"clamd exited ({self.proc.returncode}): "
                                   f"{self.proc.stderr.read().decode(errors='replace')[-500:]}")
            if self.socket.exists() and clamav.ping(self.unix_address, 1.0) \
                    and clamav.ping(self.tcp_address, 1.0):
                self.start_seconds = time.perf_counter() - began
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"clamd did not answer PING within {timeout:g} s")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc.stderr.close()
        self.proc = None
        shutil.rmtree(self.root, ignore_errors=True)
