"""Object store on S3 (MinIO in production, any S3 server) through the minio SDK.

URL: s3://BUCKET[/PREFIX]?endpoint=HOST:PORT&secure=false&region=eu-central-1
         &lock=governance|compliance|off&retention_days=3650
Credentials: EFILE_S3_ACCESS_KEY / EFILE_S3_SECRET_KEY (never in the URL, never in the repo).

Write-once objects (originals, archive copies) are protected by the server where it can:
bucket versioning plus object lock with a retention period, so neither the product nor
anyone with S3 credentials can delete or overwrite them before the period ends. When the
configured protection is missing on the bucket the store refuses to start.
SHA-256 travels as object metadata and is verified on every read.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE, ENABLED, GOVERNANCE
from minio.error import S3Error
from minio.retention import Retention
from minio.versioningconfig import VersioningConfig

from .base import (
    IntegrityError,
    ObjectExists,
    ObjectInfo,
    ObjectLocked,
    ObjectNotFound,
    StorageError,
    StorageUnavailable,
    sha256_bytes,
)

_META_SHA = "sha256"
PART_SIZE = 16 * 1024 * 1024  # multipart above this; parts of this size


@dataclass(frozen=True)
class S3Config:
    bucket: str
    prefix: str
    endpoint: str
    secure: bool
    region: str | None
    access_key: str
    secret_key: str
    lock: str  # governance | compliance | off
    retention_days: int

    @classmethod
    def from_url(cls, url: str, env: dict[str, str] | None = None) -> S3Config:
        env = dict(os.environ if env is None else env)
        u = urlparse(url)
        if u.scheme != "s3" or not u.netloc:
            raise StorageError(f"not an S3 URL: {url!r} (expected s3://BUCKET?endpoint=HOST:PORT)")
        q = {k: v[-1] for k, v in parse_qs(u.query).items()}
        endpoint = q.get("endpoint")
        if not endpoint:
            raise StorageError("S3 URL needs ?endpoint=HOST:PORT")
        access, secret = env.get("EFILE_S3_ACCESS_KEY"), env.get("EFILE_S3_SECRET_KEY")
        if not access or not secret:
            raise StorageError("S3 credentials missing: set EFILE_S3_ACCESS_KEY and "
                               "EFILE_S3_SECRET_KEY")
        lock = q.get("lock", "governance").lower()
        if lock not in ("governance", "compliance", "off"):
            raise StorageError(f"lock={lock}: expected governance, compliance or off")
        return cls(
            bucket=u.netloc, prefix=u.path.strip("/"), endpoint=endpoint,
            secure=q.get("secure", "true").lower() not in ("false", "0", "no"),
            region=q.get("region"), access_key=access, secret_key=secret, lock=lock,
            retention_days=int(q.get("retention_days", 3650)),
        )


class _VerifyingReader(io.RawIOBase):
    """Streams an object and checks its SHA-256 when the last byte has been read."""

    def __init__(self, response, expected: str, key: str) -> None:  # noqa: ANN001
        self._r, self._expected, self._key = response, expected, key
        self._h = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # noqa: ANN001
        data = self._r.read(len(b))
        if not data:
            if self._h.hexdigest() != self._expected:
                raise IntegrityError(f"{self._key}: content hash {self._h.hexdigest()[:12]}… does "
                                     f"not match the recorded {self._expected[:12]}…")
            return 0
        self._h.update(data)
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._r.close()
            self._r.release_conn()
        finally:
            super().close()


class S3Store:
    def __init__(self, url: str, *, env: dict[str, str] | None = None, check: bool = True) -> None:
        self.config = c = S3Config.from_url(url, env)
        self.url = f"s3://{c.bucket}/{c.prefix}".rstrip("/") + f"?endpoint={c.endpoint}"
        # retries with backoff on connection errors and 5xx answers; short timeouts so an
        # unreachable endpoint is reported in seconds, not minutes
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=5, read=120), maxsize=16,
            retries=urllib3.Retry(total=4, backoff_factor=0.5,
                                  status_forcelist=[500, 502, 503, 504]),
        )
        self.client = Minio(c.endpoint, access_key=c.access_key, secret_key=c.secret_key,
                            secure=c.secure, region=c.region, http_client=http)
        if check:
            self.check()

    # -- set-up and checks ---------------------------------------------------------------------
    def _call(self, what: str, fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        try:
            return fn(*args, **kwargs)
        except S3Error as e:
            if e.code in ("NoSuchKey", "NoSuchObject"):
                raise ObjectNotFound(what) from e
            if e.code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"):
                raise StorageError(f"S3 refused the credentials for {self.config.endpoint} "
                                   f"({e.code}) while trying to {what}") from e
            if e.code == "NoSuchBucket":
                raise StorageError(f"bucket {self.config.bucket} does not exist on "
                                   f"{self.config.endpoint}: run `efile init`") from e
            raise StorageError(f"S3 {what}: {e.code}: {e.message}") from e
        except (urllib3.exceptions.HTTPError, OSError) as e:
            raise StorageUnavailable(f"S3 endpoint {self.config.endpoint} unreachable while "
                                     f"trying to {what}: {type(e).__name__}") from e
        except ValueError as e:  # the SDK's own validation, e.g. of bucket names
            raise StorageError(f"S3 {what}: {e}") from e

    def check(self) -> None:
        """At start-up: reachable, credentials accepted, bucket present and protected as
        configured. Raises a StorageError naming what is wrong."""
        c = self.config
        if not self._call("check the bucket", self.client.bucket_exists, c.bucket):
            raise StorageError(f"bucket {c.bucket} does not exist on {c.endpoint}: run `efile init`")
        if c.lock == "off":
            return
        try:
            cfg = self.client.get_object_lock_config(c.bucket)
        except S3Error as e:
            raise StorageError(f"bucket {c.bucket} has no object lock, but lock={c.lock} is "
                               "configured: originals would not be protected. Create the bucket "
                               "with object lock (efile init does) or set lock=off") from e
        if cfg is None:
            raise StorageError(f"bucket {c.bucket} has no object lock configuration")

    def create_bucket(self) -> bool:
        """Create the bucket with versioning and object lock (efile init). False if it existed."""
        c = self.config
        if self._call("check the bucket", self.client.bucket_exists, c.bucket):
            return False
        self._call("create the bucket", self.client.make_bucket, c.bucket,
                   object_lock=c.lock != "off")
        self._call("enable versioning", self.client.set_bucket_versioning, c.bucket,
                   VersioningConfig(ENABLED))
        # no bucket-wide default retention: each write-once object carries its own retention
        # (mode and period from the URL), so the lock says exactly what the product promised
        return True

    # -- protocol ------------------------------------------------------------------------------
    def _key(self, key: str) -> str:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise StorageError(f"invalid object key {key!r}")
        return f"{self.config.prefix}/{key}" if self.config.prefix else key

    def _retention(self) -> Retention | None:
        c = self.config
        if c.lock == "off":
            return None
        until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=c.retention_days)
        return Retention(GOVERNANCE if c.lock == "governance" else COMPLIANCE, until)

    def put(self, key: str, data: bytes, *, write_once: bool = False,
            content_type: str = "application/octet-stream") -> ObjectInfo:
        return self._put(key, io.BytesIO(data), len(data), sha256_bytes(data),
                         write_once=write_once, content_type=content_type)

    def put_file(self, key: str, path: str | Path, *, write_once: bool = False,
                 content_type: str = "application/octet-stream") -> ObjectInfo:
        """Stream a (large) file up in parts; it is never held in memory whole."""
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        size = Path(path).stat().st_size
        with open(path, "rb") as f:
            return self._put(key, f, size, h.hexdigest(), write_once=write_once,
                             content_type=content_type)

    def _put(self, key: str, stream, size: int, digest: str, *, write_once: bool,  # noqa: ANN001
             content_type: str) -> ObjectInfo:
        if write_once:
            try:
                existing = self.head(key)
            except ObjectNotFound:
                existing = None
            if existing is not None:
                if existing.sha256 != digest:
                    raise ObjectExists(f"{key} exists with other content and is write-once")
                return ObjectInfo(key, existing.size, digest, created=False)
        self._call(f"store {key}", self.client.put_object, self.config.bucket, self._key(key),
                   stream, size, content_type=content_type, metadata={_META_SHA: digest},
                   part_size=PART_SIZE, retention=self._retention() if write_once else None)
        return ObjectInfo(key, size, digest)

    def head(self, key: str) -> ObjectInfo:
        st = self._call(f"look up {key}", self.client.stat_object, self.config.bucket,
                        self._key(key))
        digest = (st.metadata or {}).get(f"x-amz-meta-{_META_SHA}") or \
            (st.metadata or {}).get(_META_SHA)
        if not digest:
            raise IntegrityError(f"{key} has no recorded hash")
        return ObjectInfo(key, int(st.size or 0), digest, created=False)

    def open(self, key: str, *, expected_sha256: str | None = None) -> io.BufferedReader:
        """A stream of the object; reading it to the end verifies the hash."""
        recorded = self.head(key).sha256
        if expected_sha256 and expected_sha256 != recorded:
            raise IntegrityError(f"{key}: recorded hash {recorded[:12]}… is not the expected "
                                 f"{expected_sha256[:12]}…")
        resp = self._call(f"read {key}", self.client.get_object, self.config.bucket,
                          self._key(key))
        return io.BufferedReader(_VerifyingReader(resp, recorded, key), buffer_size=1 << 20)

    def get(self, key: str, *, expected_sha256: str | None = None) -> bytes:
        with self.open(key, expected_sha256=expected_sha256) as f:
            try:
                return f.read()
            except (urllib3.exceptions.HTTPError, OSError) as e:
                if isinstance(e, IntegrityError):
                    raise
                raise StorageUnavailable(f"S3 read of {key} interrupted: {e}") from e

    def download(self, key: str, dest: str | Path, *, expected_sha256: str | None = None) -> int:
        """Stream to a file; the file appears only once its hash is verified."""
        dest = Path(dest)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".part-")
        size = 0
        try:
            with os.fdopen(fd, "wb") as out, self.open(key, expected_sha256=expected_sha256) as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    out.write(chunk)
                    size += len(chunk)
            os.replace(tmp, dest)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return size

    def exists(self, key: str) -> bool:
        try:
            self._call(f"look up {key}", self.client.stat_object, self.config.bucket,
                       self._key(key))
            return True
        except ObjectNotFound:
            return False

    def list(self, prefix: str = "") -> list[str]:
        strip = len(self.config.prefix) + 1 if self.config.prefix else 0
        objs: Iterator = self._call("list objects", self.client.list_objects, self.config.bucket,
                                    prefix=self._key(prefix) if prefix else self.config.prefix,
                                    recursive=True)
        try:
            return sorted(o.object_name[strip:] for o in objs)
        except S3Error as e:
            raise StorageError(f"S3 list: {e.code}") from e

    def presigned_url(self, key: str, expires: timedelta = timedelta(minutes=5)) -> str:
        return self._call(f"sign {key}", self.client.presigned_get_object, self.config.bucket,
                          self._key(key), expires=expires)

    def delete(self, key: str) -> None:
        """Remove an object that is not under retention. The product never deletes what it
        stored write-once; under object lock the server would refuse anyway."""
        try:
            st = self.client.stat_object(self.config.bucket, self._key(key))
        except S3Error as e:
            if e.code in ("NoSuchKey", "NoSuchObject"):
                return
            raise StorageError(f"S3 delete {key}: {e.code}") from e
        if st.metadata and (st.metadata.get("x-amz-object-lock-mode")
                            or st.metadata.get("X-Amz-Object-Lock-Mode")):
            raise ObjectLocked(f"{key} is under object lock and cannot be deleted")
        self._call(f"delete {key}", self.client.remove_object, self.config.bucket,
                   self._key(key), version_id=st.version_id)
