"""Object storage: bytes under keys, nothing about documents.

`open_store(url)` picks the implementation from the configured URL.
"""

from .base import (
    IntegrityError,
    ObjectExists,
    ObjectInfo,
    ObjectLocked,
    ObjectNotFound,
    ObjectStore,
    StorageError,
    StorageUnavailable,
    canonical_json,
    sha256_bytes,
)
from .local import LocalStore


def open_store(url: str, *, check: bool = True) -> ObjectStore:
    """The store for a URL. With check, an S3 store verifies at once that the endpoint
    answers, the credentials are accepted and the bucket exists with its protection."""
    if url.startswith("file://"):
        return LocalStore(url.removeprefix("file://"))
    if url.startswith("s3://"):
        from .s3 import S3Store  # the minio SDK is loaded only when S3 is configured

        return S3Store(url, check=check)
    raise StorageError(f"unsupported storage URL {url!r}: expected file://PATH or s3://BUCKET")


__all__ = [
    "IntegrityError", "LocalStore", "ObjectExists", "ObjectInfo", "ObjectLocked", "ObjectNotFound",
    "ObjectStore", "StorageError", "StorageUnavailable", "canonical_json", "open_store",
    "sha256_bytes",
]
