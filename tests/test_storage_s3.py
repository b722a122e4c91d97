"""What only the S3 store does, against a real S3 server (SeaweedFS): object lock enforced by
the server, multipart, presigned URLs, and clear start-up errors."""

from __future__ import annotations

import uuid

import pytest
import urllib3
from conftest import S3_BUCKET, s3_env, s3_server
from minio.error import S3Error

from storage import IntegrityError, StorageError, StorageUnavailable
from storage.s3 import PART_SIZE, S3Store


@pytest.fixture
def s3():
    server = s3_server()
    return S3Store(server.url(S3_BUCKET, prefix=f"s-{uuid.uuid4().hex[:8]}", lock="governance",
                              retention_days="1"), env=s3_env())


def test_locked_original_cannot_be_deleted_through_the_s3_api(s3):
    s3.put("originals/locked", b"the original", write_once=True)
    key = s3._key("originals/locked")
    versions = list(s3.client.list_objects(S3_BUCKET, prefix=key, include_version=True))
    assert len(versions) == 1
    with pytest.raises(S3Error) as refused:  # a person with S3 credentials, not the product
        s3.client.remove_object(S3_BUCKET, key, version_id=versions[0].version_id)
    assert refused.value.code == "AccessDenied"
    assert s3.get("originals/locked") == b"the original"


def test_large_objects_go_up_in_parts_and_stream_back(s3, tmp_path):
    big = tmp_path / "backfill.tif"
    with open(big, "wb") as f:
        for i in range(PART_SIZE * 2 // (1 << 20) + 1):
            f.write(bytes([i % 256]) * (1 << 20))
    info = s3.put_file("originals/big", big, write_once=True)
    assert info.size == big.stat().st_size
    out = tmp_path / "back.tif"
    s3.download("originals/big", out)
    assert out.read_bytes() == big.read_bytes()


def test_tampered_object_is_detected(s3):
    s3.put("documents/d/archive-v1.pdf", b"%PDF archive")
    # overwrite the bytes behind the product's back, keeping the recorded hash
    import io
    s3.client.put_object(S3_BUCKET, s3._key("documents/d/archive-v1.pdf"), io.BytesIO(b"%PDF evil!!!"),
                         12, metadata={"sha256": s3.head("documents/d/archive-v1.pdf").sha256})
    with pytest.raises(IntegrityError):
        s3.get("documents/d/archive-v1.pdf")


def test_presigned_url_downloads_the_object(s3):
    s3.put("documents/d/text-v1.json", b'{"page": 1}')
    url = s3.presigned_url("documents/d/text-v1.json")
    resp = urllib3.request("GET", url)
    assert resp.status == 200 and resp.data == b'{"page": 1}'


def test_start_up_errors_name_the_problem():
    server = s3_server()
    env = s3_env()
    with pytest.raises(StorageError, match="refused the credentials"):
        S3Store(server.url(S3_BUCKET), env={**env, "EFILE_S3_SECRET_KEY": "wrong"})
    with pytest.raises(StorageError, match="does not exist.*efile init"):
        S3Store(server.url("no-such-bucket"), env=env)
    with pytest.raises(StorageUnavailable, match="unreachable"):
        S3Store("s3://efile-x?endpoint=127.0.0.1:9&secure=false", env=env)
    with pytest.raises(StorageError, match="credentials missing"):
        S3Store(server.url(S3_BUCKET), env={})


def test_missing_object_lock_refuses_to_start():
    server = s3_server()
    bucket = f"nolock-{uuid.uuid4().hex[:6]}"
    plain = S3Store(server.url(bucket, lock="off"), env=s3_env(), check=False)
    assert plain.create_bucket()
    with pytest.raises(StorageError, match="no object lock"):
        S3Store(server.url(bucket, lock="governance"), env=s3_env())


def test_efile_init_creates_the_bucket_with_object_lock(tmp_path):
    import json
    import os
    import subprocess

    from conftest import EFILE_BIN

    server = s3_server()
    bucket = f"init-{uuid.uuid4().hex[:6]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("EFILE_")} | s3_env() | {
        "EFILE_HOME": str(tmp_path), "EFILE_STORAGE_URL": server.url(bucket, lock="governance")}
    res = subprocess.run([EFILE_BIN, "init", "--json"], env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["bucket_created"] is True
    store = S3Store(server.url(bucket, lock="governance"), env=s3_env())  # passes its checks
    assert store.client.get_bucket_versioning(bucket).status == "Enabled"


def test_unreachable_database_is_one_clear_line(tmp_path):
    import os
    import subprocess

    from conftest import EFILE_BIN

    env = {k: v for k, v in os.environ.items() if not k.startswith("EFILE_")} | {
        "EFILE_HOME": str(tmp_path),
        "EFILE_DATABASE_URL": "postgresql+psycopg://efile@127.0.0.1:9/efile"}
    res = subprocess.run([EFILE_BIN, "search", "Müller"], env=env, capture_output=True, text=True)
    assert res.returncode == 78
    assert res.stderr.startswith("efile: error: database postgresql+psycopg://efile@127.0.0.1:9/efile "
                                 "unreachable:")
    assert res.stderr.count("\n") == 1
