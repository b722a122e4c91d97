"""Object storage: bytes under keys, nothing about documents.

`open_store(url)` picks the implementation from the configured URL.
"""

from .base import (
    IntegrityError,
    ObjectExists,
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    StorageError,
    StorageUnavailable,
    sha256_bytes,
)
from .local import LocalStore


def open_store(url: str) -> ObjectStore:
    if url.startswith("file://"):
        return LocalStore(url.removeprefix("file://"))
    if url.startswith("s3://"):
        raise StorageError("S3 object storage is not available in this version (use file://)")
    raise StorageError(f"unsupported storage URL {url!r}: expected file://PATH or s3://BUCKET")


__all__ = [
    "IntegrityError", "LocalStore", "ObjectExists", "ObjectInfo", "ObjectNotFound",
    "ObjectStore", "StorageError", "StorageUnavailable", "open_store", "sha256_bytes",
]
