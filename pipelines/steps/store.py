"""Receive an input: store the original first, so that before anything can fail the bytes as
received are safe, content-addressed by SHA-256 and write-once.

An input is a local path, or a reference `stored:<sha256>/<name>` to an original already in
the object store (put there by the client that submitted it, or kept from a failed run), so a
worker on another machine never needs to see the submitter's disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from efile.errors import InputRejected
from storage import ObjectNotFound, ObjectStore, sha256_bytes
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


STORED = "stored:"


def stored_ref(sha256: str, name: str) -> str:
    return f"{STORED}{sha256}/{Path(name).name}"


def receive(store: ObjectStore, source: str) -> Received:
    if source.startswith(STORED):
        sha, _, name = source.removeprefix(STORED).partition("/")
        try:
            key = original_key(sha)
            data = store.get(key, expected_sha256=sha)
        except ValueError as e:
            raise InputRejected(f"not a stored original: {source}") from e
        except ObjectNotFound as e:
            raise InputRejected(f"stored original {sha[:12]}… not found in the object store") from e
        return Received(source, name or sha[:12], data, sha, key, len(data))
    return store_original(store, source, read_input(source))


def store_original(store: ObjectStore, path: str, data: bytes) -> Received:
    digest = sha256_bytes(data)
    key = original_key(digest)
    store.put(key, data, write_once=True)
    return Received(path, Path(path).name, data, digest, key, len(data))
