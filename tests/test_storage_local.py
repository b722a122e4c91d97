import pytest

from storage import (
    IntegrityError,
    LocalStore,
    ObjectExists,
    ObjectNotFound,
    StorageError,
    sha256_bytes,
)
from storage.keys import original_key

pytestmark = pytest.mark.backend_free  # embedded pass only (conftest)


@pytest.fixture
def store(tmp_path):
    return LocalStore(tmp_path / "objects")


def test_roundtrip_records_and_verifies_hash(store):
    info = store.put("a/b/c.bin", b"hello")
    assert info.sha256 == sha256_bytes(b"hello") and info.size == 5
    assert store.get("a/b/c.bin") == b"hello"
    assert store.head("a/b/c.bin").sha256 == info.sha256
    assert store.list("a/") == ["a/b/c.bin"]


def test_write_once_never_overwritten(store):
    key = original_key(sha256_bytes(b"original"))
    assert store.put(key, b"original", write_once=True).created
    again = store.put(key, b"original", write_once=True)
    assert not again.created  # identical content is accepted as the same object
    with pytest.raises(ObjectExists):
        store.put(key, b"tampered", write_once=True)
    with pytest.raises(ObjectExists):  # a later plain write cannot replace it either
        store.put(key, b"tampered")
    assert store.get(key) == b"original"


def test_changed_bytes_are_detected_on_read(store):
    store.put("doc.pdf", b"%PDF-1.7 archive copy")
    path = store.root / "doc.pdf"
    path.write_bytes(b"%PDF-1.7 archive copY")
    with pytest.raises(IntegrityError, match="does not match"):
        store.get("doc.pdf")


def test_expected_hash_is_checked_too(store):
    store.put("x", b"data")
    with pytest.raises(IntegrityError):
        store.get("x", expected_sha256=sha256_bytes(b"other"))


def test_missing_and_invalid_keys(store):
    with pytest.raises(ObjectNotFound):
        store.get("nope")
    for bad in ("../escape", "/abs", "a/../../b", ""):
        with pytest.raises(StorageError):
            store.put(bad, b"x")


def test_no_temporary_files_left(store):
    for i in range(5):
        store.put(f"k{i}", b"x" * 1000)
    assert not [p for p in store.root.rglob(".tmp-*")]


def test_original_key_layout():
    digest = sha256_bytes(b"x")
    assert original_key(digest) == f"originals/sha256/{digest[:2]}/{digest[2:4]}/{digest}"
    with pytest.raises(ValueError):
        original_key("not-a-hash")
