"""The view copy (issue 13, "a lighter PDF for viewing if the archive copy is heavy"): a heavy
scan is shown from a light copy, downloaded, exported and verified from its archive copy; a
light document has no view copy at all."""

from __future__ import annotations

import io

import pikepdf
import pytest
from PIL import Image

from pipelines.steps.view import HEAVY, view_copy


def _heavy_scan(path, pages: int = 2) -> bytes:  # noqa: ANN001
    """A colour A4 scan at 300 dpi that compresses badly (paper grain, a coloured stamp), as
    PNG pages embedded losslessly by img2pdf: tens of MB like a real colour scan."""
    import img2pdf

    pngs = []
    for n in range(pages):
        img = Image.effect_noise((2480, 3508), 40).convert("RGB")
        img.paste((200, 30, 30), (1800 + n * 10, 400, 2200, 700))  # the stamp
        buf = io.BytesIO()
        img.save(buf, format="PNG", dpi=(300, 300))
        pngs.append(buf.getvalue())
    data = img2pdf.convert(pngs)
    path.write_bytes(data)
    return data


def _sizes(pdf: bytes) -> list[tuple[float, float]]:
    with pikepdf.open(io.BytesIO(pdf)) as p:
        return [(round(float(pg.mediabox[2])), round(float(pg.mediabox[3]))) for pg in p.pages]


@pytest.mark.backend_free
def test_a_light_document_has_no_view_copy():
    assert view_copy(b"%PDF-1.4 " + b"x" * (HEAVY - 100)) is None


@pytest.mark.backend_free
def test_a_heavy_scan_gets_a_light_copy_of_the_same_pages(tmp_path):
    heavy = _heavy_scan(tmp_path / "scan.pdf")
    assert len(heavy) > 10 * HEAVY
    view = view_copy(heavy)
    assert view is not None and len(view) < len(heavy) / 5, (len(heavy), len(view or b""))
    # same pages, same paper size (to the point: 110 dpi pixels round)
    assert len(_sizes(view)) == len(_sizes(heavy))
    assert all(abs(a - c) <= 1 and abs(b - d) <= 1
               for (a, b), (c, d) in zip(_sizes(view), _sizes(heavy), strict=True))
    with pikepdf.open(io.BytesIO(view)) as p:  # the stamp's colour is kept
        image = next(iter(p.pages[0].images.values()))
        assert pikepdf.PdfImage(image).mode == "RGB"


def test_the_viewer_shows_the_light_copy_and_the_download_is_the_archive_copy(fresh_home,
                                                                           tmp_path):
    from fastapi.testclient import TestClient
    from webhome import PASSWORD

    from efile.access.accounts import add_user, issue_token
    from efile.access.policy import load as load_policy
    from efile.context import get_context
    from efile.models import Document
    from efile.services.efiles import add_efile
    from efile.web.app import create_app
    from pipelines.process import ingest_file
    from pipelines.steps.ocr import PageResult

    ctx = get_context()
    az = "ABH-2024-000101"
    with ctx.db.session() as s:
        add_efile(s, az, surname="Albers", given_names="Karin", nationality="TUR")
        add_user(s, load_policy(), "sb.a", password=PASSWORD, roles=["caseworker"],
                 teams=["team-a"], rights=[])
        token = issue_token(s, "sb.a", label="test")
    scan = tmp_path / "scan.pdf"
    _heavy_scan(scan, pages=1)
    # OCR of paper grain reads nothing: the page's text is not what this test is about
    r = ingest_file(ctx, str(scan), efile=az, source="scan", doc_type="payslip",
                    ocr_pages=lambda jobs: [PageResult(j.index, "", "none") for j in jobs])
    assert r.status == "filed", r
    with ctx.db.session() as s:
        doc = s.get(Document, r.document_id)
        view, archive_key = doc.fields["view"], doc.archive_key
    assert ctx.store.head(view["key"]).size == view["size"]
    client = TestClient(create_app())
    auth = {"Authorization": f"Bearer {token}"}
    archive = client.get(f"/api/documents/{r.document_id}/archive", headers=auth)
    assert archive.status_code == 200 and len(archive.content) == ctx.store.head(archive_key).size
    client.post("/anmelden", data={"username": "sb.a", "password": PASSWORD, "weiter": "/"},
                headers={"Origin": "http://testserver"})
    shown = client.get(f"/dokument/{r.document_id}/pdf")
    assert shown.status_code == 200 and len(shown.content) == view["size"]
    assert len(shown.content) < len(archive.content) / 5
    download = client.get(f"/dokument/{r.document_id}/archivkopie")
    assert download.content == archive.content  # the record is the archive copy
    page = client.get(f"/dokument/{r.document_id}")
    assert "leichtere Kopie" in page.text and " statt " in page.text  # and both sizes
