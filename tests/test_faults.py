"""Crashes in the middle of an upload (issue #12): a receipt left in `processing` by a worker
that died is finished by sending the same request again, and two identical requests at once
are processed once."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from collections import Counter

import pytest
from conftest import use_home
from webhome import CLIENTS, build

from efile.context import get_context
from efile.samples.born_digital import write_text_pdf

AZ = CLIENTS[1][0]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    home = tmp_path_factory.mktemp("faults")
    use_home(home / "home")
    build(home)
    return home


def _letter(office, name: str, pages: int = 6) -> bytes:
    return write_text_pdf(office / name, [[f"{name} Seite {i + 1} von {pages}",
                                           "Herr Piotr Nowak, Arbeitgeberbescheinigung"]
                                          for i in range(pages)]).read_bytes()


def _send(data: list[tuple[str, bytes]], key: str) -> dict:
    from pipelines.process import pooled_ocr
    from pipelines.upload import UploadFile, submit

    ctx = get_context()
    return submit(ctx, [UploadFile(n, b) for n, b in data], reference=AZ, submitted_by="portal",
                  idempotency_key=key, declared_type=None,
                  ocr_pages=pooled_ocr(ctx.settings.ocr_languages, 1))


def _documents(data: bytes) -> int:
    from efile.models import Document

    digest = hashlib.sha256(data).hexdigest()
    with get_context().db.session() as s:
        return Counter(d.original_sha256 for d in s.query(Document))[digest]


def _dead_worker() -> str:
    import socket

    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return f"{socket.gethostname()}:{p.pid}"


def test_an_upload_left_processing_by_a_dead_worker_is_finished_by_sending_it_again(office):
    from efile.uploads_models import Upload
    from pipelines.upload import UploadFile, request_digest

    first, second = _letter(office, "a.pdf"), _letter(office, "b.pdf")
    files = [("a.pdf", first), ("b.pdf", second)]
    # the state a kill -9 after the first file leaves behind (first filed, receipt recorded)
    done = _send([("a.pdf", first)], key="vorab")["files"]
    with get_context().db.session() as s:
        s.add(Upload(submitted_by="portal", idempotency_key="absturz", reference=AZ,
                     request_sha256=request_digest(AZ, None, [UploadFile(n, b) for n, b in files]),
                     declared_type=None, files=done, worker=_dead_worker()))
    out = _send(files, key="absturz")
    assert out["status"] == "done", out
    assert [f["name"] for f in out["files"]] == ["a.pdf", "b.pdf"]
    assert out["files"][1]["status"] in ("filed", "inbox"), out
    assert _documents(first) == 1 and _documents(second) == 1  # nothing doubled
    assert _send(files, key="absturz") == out  # done now: the same receipt


def test_two_identical_requests_at_once_are_processed_once(office):
    from efile.uploads_models import Upload

    data = [("c.pdf", _letter(office, "c.pdf"))]
    outs: list = []
    threads = [threading.Thread(target=lambda: outs.append(_send(data, key="doppelt")))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(outs) == 2 and {o["upload_id"] for o in outs} == {outs[0]["upload_id"]}
    assert sorted(o["status"] for o in outs) in (["done", "done"], ["done", "processing"])
    assert _documents(data[0][1]) == 1
    with get_context().db.session() as s:
        u = s.query(Upload).filter_by(idempotency_key="doppelt").one()
        assert u.status == "done" and len(u.files) == 1
