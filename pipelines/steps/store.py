"""Store the original first: before anything can fail, the bytes as received are safe,
content-addressed by SHA-256 and write-once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from efile.errors import InputRejected
from storage import ObjectStore, sha256_bytes
from storage.keys import original_key


@dataclass(frozen=True)
class Received:
    path: str
    name: str
    data: bytes
    sha256: str
    key: str
    size: int


def read_input(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise InputRejected(f"cannot read file: {e.strerror or e}") from e


def store_original(store: ObjectStore, path: str, data: bytes) -> Received:
    digest = sha256_bytes(data)
    key = original_key(digest)
    store.put(key, data, write_once=True)
    return Received(path, Path(path).name, data, digest, key, len(data))
