"""The object-store protocol every backend implements, and its errors."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from os import PathLike
from typing import BinaryIO, Protocol, runtime_checkable


class StorageError(Exception):
    """Anything the object store could not do."""


class StorageUnavailable(StorageError):
    """The store cannot be reached right now; the same call may succeed later."""


class ObjectNotFound(StorageError):
    pass


class ObjectExists(StorageError):
    """A write-once object already exists with different content: never overwritten."""


class ObjectLocked(StorageError):
    """The object is protected (write-once / object lock) and cannot be deleted."""


class IntegrityError(StorageError):
    """The bytes read do not match the SHA-256 recorded when they were written."""


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    sha256: str
    created: bool = True  # False when an identical write-once object was already there


def canonical_json(obj: dict) -> bytes:
    """The one serialisation every stored hash of a JSON record is taken over (transfer
    notes, metadata records, batch hash trees): sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@runtime_checkable
class ObjectStore(Protocol):
    url: str

    def put(self, key: str, data: bytes, *, write_once: bool = False,
            content_type: str = "application/octet-stream") -> ObjectInfo:
        """Store bytes atomically. With write_once, an existing object is never replaced:
        identical content is accepted (created=False), different content raises ObjectExists."""
        ...

    def get(self, key: str, *, expected_sha256: str | None = None) -> bytes:
        """Read an object, verifying it against the SHA-256 recorded at write time
        (and the caller's expectation, if given). Raises IntegrityError on mismatch."""
        ...

    def open(self, key: str, *, expected_sha256: str | None = None) -> BinaryIO:
        """A readable stream; reading it to the end verifies the hash."""
        ...

    def download(self, key: str, dest: str | PathLike[str], *,
                 expected_sha256: str | None = None) -> int:
        """Write the object to a file, which appears only once its hash is verified."""
        ...

    def delete(self, key: str) -> None:
        """Remove an object that is not write-once (ObjectLocked otherwise)."""
        ...

    def head(self, key: str) -> ObjectInfo:
        ...

    def exists(self, key: str) -> bool:
        ...

    def list(self, prefix: str = "") -> list[str]:
        ...
