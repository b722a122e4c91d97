"""One contract for every object store: the local folder and a real S3 server (SeaweedFS)."""

from __future__ import annotations

import uuid

import pytest
from conftest import S3_BUCKET, s3_env, s3_server

from storage import (
    IntegrityError,
    LocalStore,
    ObjectExists,
    ObjectLocked,
    ObjectNotFound,
    StorageError,
    sha256_bytes,
)
from storage.keys import original_key
from storage.s3 import S3Store


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalStore(tmp_path / "objects")
    server = s3_server()
    return S3Store(server.url(S3_BUCKET, prefix=f"c-{uuid.uuid4().hex[:8]}",
                              lock="governance", retention_days="1"), env=s3_env())


def test_put_get_head_list(store):
    info = store.put("a/b/one.bin", b"hello world")
    assert info.sha256 == sha256_bytes(b"hello world") and info.size == 11 and info.created
    assert store.get("a/b/one.bin") == b"hello world"
    assert store.head("a/b/one.bin").sha256 == info.sha256
    store.put("a/two.bin", b"2")
    assert store.list("a/") == ["a/b/one.bin", "a/two.bin"]
    assert store.exists("a/two.bin") and not store.exists("a/three.bin")


def test_missing_object(store):
    with pytest.raises(ObjectNotFound):
        store.get("no/such/key")
    with pytest.raises(ObjectNotFound):
        store.head("no/such/key")


def test_write_once_is_never_replaced(store):
    key = original_key(sha256_bytes(b"original scan"))
    assert store.put(key, b"original scan", write_once=True).created
    assert not store.put(key, b"original scan", write_once=True).created
    with pytest.raises(ObjectExists):
        store.put(key, b"something else", write_once=True)
    assert store.get(key) == b"original scan"


def test_write_once_cannot_be_deleted_through_the_product(store):
    store.put("originals/x", b"kept", write_once=True)
    with pytest.raises(ObjectLocked):
        store.delete("originals/x")
    assert store.get("originals/x") == b"kept"
    store.put("scratch/y", b"not protected")
    store.delete("scratch/y")
    assert not store.exists("scratch/y")


def test_expected_hash_mismatch_is_refused(store):
    store.put("k", b"data")
    with pytest.raises(IntegrityError):
        store.get("k", expected_sha256=sha256_bytes(b"other"))


def test_streaming_read_and_download(store, tmp_path):
    data = bytes(range(256)) * 40_000  # 10 MB
    store.put("big.bin", data)
    with store.open("big.bin") as f:
        first = f.read(1000)
        rest = f.read()
    assert first + rest == data
    dest = tmp_path / "copy.bin"
    assert store.download("big.bin", dest) == len(data)
    assert dest.read_bytes() == data


def test_invalid_keys(store):
    for bad in ("../escape", "/abs", "a/../../b", ""):
        with pytest.raises(StorageError):
            store.put(bad, b"x")
