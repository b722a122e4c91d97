"""ClamAV: scan a file's bytes with clamd over its socket (the INSTREAM command, through the
clamdpy client), so clamd never needs to see our disk or object store.

`EFILE_CLAMD` names the daemon as `unix:/run/clamav/clamd.ctl` or `tcp:host:3310`. Unset, no
scan happens and the result says so; set but unreachable, the scan fails with ToolFailed:
a file is never passed as clean because the scanner was away.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

from clamdpy import ClamdNetworkSocket, ClamdUnixSocket
from clamdpy.exceptions import BufferTooLongError, ClamdException

from efile.errors import ConfigError, Quarantined, ToolFailed

CHUNK = 256 * 1024  # INSTREAM chunk; clamdpy's default of 1 KiB costs a syscall per KiB


@dataclass(frozen=True)
class MalwareScan:
    status: str  # clean | infected | skipped
    signature: str | None = None  # what clamd found, e.g. Win.Test.EICAR_HDB-1
    seconds: float = 0.0
    note: str = ""

    @property
    def infected(self) -> bool:
        return self.status == "infected"

    def error(self) -> Quarantined:
        return Quarantined(f"malware found ({self.signature}): file quarantined, not filed")


SKIPPED = MalwareScan("skipped", note="malware scan skipped: no clamd configured (EFILE_CLAMD)")


def client(address: str, timeout: float) -> ClamdNetworkSocket:
    """A clamd client for `unix:/path` or `tcp:host:port`; the timeout bounds connecting and
    every read, so also how long one scan may take."""
    kind, _, where = address.partition(":")
    if kind == "unix" and where:
        return ClamdUnixSocket(where, timeout=timeout, max_chunk_size=CHUNK)
    host, _, port = where.rpartition(":")
    if kind == "tcp" and host and port.isdigit():
        return ClamdNetworkSocket(host.strip("[]"), int(port), timeout=timeout,
                                  max_chunk_size=CHUNK)
    raise ConfigError(f"EFILE_CLAMD must be unix:/path/to/socket or tcp:host:port, not {address!r}")


def ping(address: str, timeout: float = 2.0) -> bool:
    try:
        return client(address, timeout).ping() == "PONG"
    except (ClamdException, OSError):
        return False


def scan_bytes(data: bytes, address: str | None, *, timeout: float = 60.0) -> MalwareScan:
    """Scan `data` with the clamd at `address`; None means no scanner is configured."""
    if not address:
        return SKIPPED
    start = time.perf_counter()
    try:
        result = client(address, timeout).instream(io.BytesIO(data))
    except BufferTooLongError as e:
        raise ToolFailed(f"clamd at {address} refused a {len(data):,}-byte file as larger than "
                         f"its StreamMaxLength: raise it above the upload limit") from e
    except (ClamdException, OSError) as e:  # clamdpy wraps connect/read errors, not writes
        if isinstance(e, TimeoutError) or isinstance(e.__context__, TimeoutError):
            raise ToolFailed(f"clamd at {address} did not answer within {timeout:g} s") from e
        detail = getattr(e, "msg", None) or e
        raise ToolFailed(f"clamd at {address} unreachable: {detail}") from e
    seconds = time.perf_counter() - start
    if result.status == "FOUND":
        return MalwareScan("infected", result.reason, seconds,
                           f"malware found by ClamAV: {result.reason}")
    if result.status == "OK":
        return MalwareScan("clean", None, seconds, "no malware found by ClamAV")
    raise ToolFailed(f"clamd at {address} could not scan the file: {result.reason}")
