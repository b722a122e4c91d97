"""Object store on a local folder: the embedded default.

Each object is a file; its SHA-256 and size sit in a sidecar `<file>.meta.json`. Writes go to a
temporary file in the same folder, are fsynced and renamed into place, so a reader never sees
half an object and a crash leaves at most a stray temporary file. Write-once objects are made
read-only and are never replaced.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

from .base import (
    IntegrityError,
    ObjectExists,
    ObjectInfo,
    ObjectLocked,
    ObjectNotFound,
    StorageError,
    sha256_bytes,
)

_META = ".meta.json"


class LocalStore:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.url = f"file://{self.root}"

    # -- paths -------------------------------------------------------------------------------
    def _path(self, key: str) -> Path:
        if not key or key.startswith("/") or ".." in key.split("/") or key.endswith(_META):
            raise StorageError(f"invalid object key {key!r}")
        return self.root / key

    @staticmethod
    def _write_atomic(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    # -- protocol ----------------------------------------------------------------------------
    def put(self, key: str, data: bytes, *, write_once: bool = False,
            content_type: str = "application/octet-stream") -> ObjectInfo:
        path = self._path(key)
        digest = sha256_bytes(data)
        if path.exists() and (write_once or self._is_write_once(path)):
            existing = self.head(key)
            if existing.sha256 != digest:
                raise ObjectExists(f"{key} exists with other content and is write-once")
            return ObjectInfo(key, existing.size, digest, created=False)
        meta = {"sha256": digest, "size": len(data), "content_type": content_type,
                "write_once": write_once}
        # metadata first: an object file never exists without the hash that verifies it
        self._write_atomic(path.with_name(path.name + _META), json.dumps(meta).encode())
        self._write_atomic(path, data)
        if write_once:
            path.chmod(0o444)
        return ObjectInfo(key, len(data), digest)

    def _meta(self, path: Path) -> dict:
        try:
            return json.loads(path.with_name(path.name + _META).read_bytes())
        except FileNotFoundError as e:
            raise IntegrityError(f"{path.relative_to(self.root)} has no recorded hash") from e

    def _is_write_once(self, path: Path) -> bool:
        try:
            return bool(self._meta(path).get("write_once"))
        except IntegrityError:
            return False

    def head(self, key: str) -> ObjectInfo:
        path = self._path(key)
        if not path.exists():
            raise ObjectNotFound(key)
        meta = self._meta(path)
        return ObjectInfo(key, int(meta["size"]), meta["sha256"], created=False)

    def get(self, key: str, *, expected_sha256: str | None = None) -> bytes:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError as e:
            raise ObjectNotFound(key) from e
        recorded = self._meta(path)["sha256"]
        actual = sha256_bytes(data)
        if actual != recorded or (expected_sha256 and actual != expected_sha256):
            raise IntegrityError(
                f"{key}: content hash {actual[:12]}… does not match the recorded "
                f"{(expected_sha256 or recorded)[:12]}…")
        return data

    def open(self, key: str, *, expected_sha256: str | None = None) -> io.BytesIO:
        return io.BytesIO(self.get(key, expected_sha256=expected_sha256))

    def download(self, key: str, dest: str | os.PathLike[str], *,
                 expected_sha256: str | None = None) -> int:
        data = self.get(key, expected_sha256=expected_sha256)
        self._write_atomic(Path(dest).resolve(), data)
        return len(data)

    def delete(self, key: str) -> None:
        path = self._path(key)
        if self._is_write_once(path):
            raise ObjectLocked(f"{key} is write-once and cannot be deleted")
        path.unlink(missing_ok=True)
        path.with_name(path.name + _META).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def list(self, prefix: str = "") -> list[str]:
        out = []
        for p in self.root.rglob("*"):
            if p.is_file() and not p.name.endswith(_META) and not p.name.startswith(".tmp-"):
                key = p.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    out.append(key)
        return sorted(out)
