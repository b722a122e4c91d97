"""The hostile development set (../shared/specimens/hostile: real problem files from pdf.js,
qpdf, pypdf, pikepdf, pdfminer.six, OCRmyPDF and Pillow's test suites) through the intake
check of both policies, in the bounded child as in production (#21): each file's verdict as
expected, the same on both paths but for the portal's documented strictness, every refusal
with a stable code and a reason in words, each answered within seconds.

The whole process (OCR, archive copy, filing) over the same files is bench/hostile.py; the
archive copies' PDF/A truth is tests/test_archive_truth.py."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from efile.config import Settings
from pipelines.steps.intake import examine_bounded
from pipelines.steps.validate import PORTAL, REFUSAL_CODES, STAFF, Limits

pytestmark = pytest.mark.backend_free  # embedded pass only (conftest)

HOSTILE = Path(os.environ.get("EFILE_HOSTILE_SET", "/work/shared/specimens/hostile"))
SECONDS = 10

# refused on every path, with this code
REFUSED = {
    "ocrmypdf__invalid.pdf": "corrupt",
    "pdfjs__Brotli-Prototype-FileA.pdf": "corrupt",
    "pdfjs__REDHAT-1531897-0.pdf": "corrupt",
    "pdfjs__bug1782186.pdf": "encrypted",
    "pdfjs__issue15893_reduced.pdf": "encrypted",
    "pdfjs__issue3371.pdf": "encrypted",
    "pdfjs__poppler-395-0-fuzzed.pdf": "corrupt",
    "pdfjs__poppler-742-0-fuzzed.pdf": "corrupt",
    "pdfminer__rc4-40.pdf": "encrypted",
    "pikepdf__graph-encrypted.pdf": "encrypted",
    "pil__broken.png": "corrupt",
    "pil__crash-2020-10-test.tif": "truncated",
    "pil__libtiff_segfault.tif": "corrupt",
    "pil__oom-225817ca0f8c663be7ab4b9e717b02c661e66834.tif": "corrupt",
    "pil__png_decompression_dos.png": "inflation_bomb",
    "pil__seek_too_large.tif": "unsupported",  # a BigTIFF
    "pil__syntax_num_frames_zero.png": "truncated",
    "pil__truncated_end_chunk.png": "truncated",
    "pil__truncated_jpeg.jpg": "truncated",
    "pypdf__crazyones-encrypted-256.pdf": "encrypted",
    "pypdf__libreoffice-writer-password.pdf": "encrypted",
    "qpdf__bad1.pdf": "unsupported",
    "qpdf__encrypted-40-bit-R3.pdf": "encrypted",
    "qpdf__issue-141a.pdf": "unsupported",
    "qpdf__issue-147.pdf": "unsupported",
    "qpdf__issue-335b.pdf": "unsupported",
    "qpdf__issue-99.pdf": "corrupt",
}
# the portal's strictness (README, "One check for every path"): (portal, staff)
PORTAL_STRICTER = {
    "pdfjs__bug1020226.pdf": ("truncated", "corrupt"),
    "pdfjs__scan-bad.pdf": ("truncated", "accepted"),
    "pikepdf__378014596.pdf": ("truncated", "corrupt"),
    "qpdf__issue-117.pdf": ("truncated", "accepted"),
    "qpdf__leading-junk.pdf": ("polyglot", "accepted"),
}
# every other file of the set is accepted on both paths (filed or held for the inbox later)

_NOT_WORDS = re.compile(r"<[\w.]+ object at 0x|\bat 0x[0-9a-f]{6,}|^[A-Z]\w+(Error|Exception)\b")


def _files() -> list[Path]:
    if not HOSTILE.is_dir():
        return []
    return sorted(p for p in HOSTILE.iterdir() if p.suffix.lower() not in (".md", ".tsv"))


@pytest.fixture(scope="module")
def verdicts() -> dict[str, dict[str, tuple[str, str, float]]]:
    """Every file under both policies: (class, reason, seconds), class = accepted or code."""
    if not _files():
        pytest.skip(f"hostile development set not at {HOSTILE}")
    settings = Settings.from_env({"EFILE_HOME": "/tmp/efile-unused"})
    out: dict[str, dict[str, tuple[str, str, float]]] = {}
    for path in _files():
        data = path.read_bytes()
        out[path.name] = {}
        for policy, limits in ((PORTAL, Limits.from_settings(settings)),
                               (STAFF, Limits.for_staff(settings))):
            t = time.monotonic()
            v = examine_bounded(data, path.name, limits, policy, settings).verdict
            out[path.name][policy.name] = ("accepted" if v.accepted else v.code, v.reason,
                                           time.monotonic() - t)
    return out


def test_each_file_gets_its_expected_verdict_on_both_paths(verdicts):
    wrong = {}
    for name, got in verdicts.items():
        if name in REFUSED:
            want = (REFUSED[name], REFUSED[name])
        else:
            want = PORTAL_STRICTER.get(name, ("accepted", "accepted"))
        have = (got["portal"][0], got["staff"][0])
        if have != want:
            wrong[name] = {"want": want, "have": have, "reasons": (got["portal"][1],
                                                                   got["staff"][1])}
    assert not wrong, wrong


def test_the_paths_differ_only_where_the_portal_is_stricter(verdicts):
    for name, got in verdicts.items():
        portal, staff = got["portal"][0], got["staff"][0]
        if portal != staff:
            assert portal in ("truncated", "polyglot"), (name, portal, staff)


def test_every_refusal_has_a_code_and_a_reason_in_words(verdicts):
    for name, got in verdicts.items():
        for policy, (klass, reason, _) in got.items():
            if klass == "accepted":
                continue
            assert klass in REFUSAL_CODES, (name, policy, klass)
            assert reason and "\n" not in reason, (name, policy)
            assert not _NOT_WORDS.search(reason), (name, policy, reason)


def test_each_file_answered_within_seconds(verdicts):
    slow = {n: round(t, 2) for n, got in verdicts.items() for _, _, t in got.values()
            if t > SECONDS}
    assert not slow, slow
