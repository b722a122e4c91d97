"""Bad input: each file fails on its own with a clear reason, its original kept and findable,
and the rest of the batch is filed."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pikepdf
import pytest

from efile.context import get_context
from efile.models import Document, IngestItem
from efile.samples.born_digital import write_text_pdf


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width × height pixels: a decompression bomb's calling card."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    good = write_text_pdf(d / "good.pdf", [["Bescheinigung über die Anmeldung einer Wohnung",
                                             "Frau Zofia Kowalski wohnt seit dem 1. März 2026 hier."]])
    files = {
        "zero.pdf": b"",
        "not-a-pdf.pdf": b"<html><body>Sorry, this is a web page</body></html>",
        "corrupt.pdf": b"%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
                       + bytes(range(256)) * 8 + b"\n%%EOF",
        "huge.png": _png_header_only(50_000, 50_000),
        "archive.zip": b"PK\x03\x04" + b"\x00" * 100,
    }
    for name, data in files.items():
        (d / name).write_bytes(data)
    locked = d / "locked.pdf"
    with pikepdf.open(good) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="geheim", owner="geheim2"))
    owner_only = d / "owner-only.pdf"
    with pikepdf.open(good) as pdf:
        pdf.save(owner_only, encryption=pikepdf.Encryption(user="", owner="geheim2",
                                                           allow=pikepdf.Permissions(extract=False)))
    return d, good, locked, owner_only


@pytest.fixture(scope="module")
def bad_results(bad_batch, tmp_path_factory):
    from conftest import use_home

    from pipelines.flows import run_ingest

    d, *_ = bad_batch
    use_home(tmp_path_factory.mktemp("badhome"))
    results = run_ingest([str(d), str(d / "does-not-exist.pdf")])
    return {Path(r["path"]).name: r for r in results}


EXPECTED = {
    "zero.pdf": "empty file (0 bytes)",
    "not-a-pdf.pdf": "named .pdf but is not a PDF: content is an HTML page",
    "corrupt.pdf": "corrupt PDF",
    "huge.png": "image too large to decode safely: 2,500 megapixels, limit 180",
    "archive.zip": "unsupported file type: a ZIP archive",
    "locked.pdf": "PDF is protected by a password",
    "does-not-exist.pdf": "cannot read file: No such file or directory",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_fails_with_a_specific_reason(bad_results, name):
    r = bad_results[name]
    assert r["status"] == "failed"
    assert r["document_id"] is None
    assert EXPECTED[name] in r["error"], r["error"]
    assert "\n" not in r["error"]


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - {"does-not-exist.pdf"}))
def test_the_original_of_a_failed_file_is_kept_and_findable(bad_results, bad_batch, name):
    d, *_ = bad_batch
    r = bad_results[name]
    ctx = get_context()
    assert ctx.store.get(r["original_key"], expected_sha256=r["original_sha256"]) == \
        (d / name).read_bytes()
    with ctx.db.session() as s:
        item = s.query(IngestItem).filter_by(original_sha256=r["original_sha256"]).one()
        assert item.status == "failed" and item.error == r["error"]


def test_the_rest_of_the_batch_is_filed(bad_results):
    assert bad_results["good.pdf"]["status"] == "inbox"
    owner_only = bad_results["owner-only.pdf"]
    assert owner_only["status"] == "inbox", owner_only
    ctx = get_context()
    with ctx.db.session() as s:
        doc = s.get(Document, owner_only["document_id"])
        assert "owner-password restrictions removed in the archive copy" in \
            doc.fields["processing_notes"]
        with pikepdf.open(io.BytesIO(ctx.store.get(doc.archive_key))) as pdf:
            assert not pdf.is_encrypted
        # nothing half-filed: only the two good files became documents
        assert s.query(Document).count() == 2


def test_prefect_shows_each_file_by_name_the_failed_ones_failed_with_their_reason(bad_results):
    """What an operator sees in the Prefect UI, read from Prefect's own API: one task run per
    file named after it, a refused file's run Failed with the reason, the run's table."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        FlowRunFilter,
        FlowRunFilterId,
    )

    from efile.models import IngestRun

    with get_context().db.session() as s:
        (flow_run_id,) = s.query(IngestRun.flow_run_id).order_by(IngestRun.started_at.desc()
                                                                  ).first()
    with get_client(sync_client=True) as client:
        runs = {t.name: t for t in client.read_task_runs(flow_run_filter=FlowRunFilter(
            id=FlowRunFilterId(any_=[flow_run_id])))}
        (table,) = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
    assert set(runs) == set(bad_results)
    assert runs["good.pdf"].state.is_completed() and runs["owner-only.pdf"].state.is_completed()
    for name, why in EXPECTED.items():
        assert runs[name].state.is_failed(), name
        assert why in runs[name].state.message, (name, runs[name].state.message)
    rows = {r["file"]: r for r in json.loads(table.data)}  # stored as JSON text
    assert rows["zero.pdf"] == {"file": "zero.pdf", "status": "failed", "efile": "",
                                "reason": "empty file (0 bytes)"}
    assert rows["good.pdf"]["status"] == "inbox" and set(rows) == set(bad_results)


def test_original_is_stored_even_when_ocr_fails(fresh_home, monkeypatch, tmp_path):
    """A real OCR failure (language data that is not installed): the document fails, the
    original stays in the store under its hash."""
    from efile.context import reset_contexts
    from efile.samples import write_samples
    from pipelines.flows import run_ingest

    monkeypatch.setenv("EFILE_OCR_LANGUAGES", "deu+xyz")
    reset_contexts()
    scan = write_samples(tmp_path / "one", persons=1)[0].path
    (r,) = run_ingest([str(scan)])
    assert r["status"] == "failed"
    assert "tesseract language data missing: xyz" in r["error"]
    assert get_context().store.get(r["original_key"]) == scan.read_bytes()
