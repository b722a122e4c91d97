"""The README's first command ends in `efile demo`: it must keep working as a new user sees
it (a fresh home, the embedded default, real OCR)."""

from __future__ import annotations

import os
import subprocess

import pytest
from conftest import BACKEND, EFILE_BIN


@pytest.mark.skipif(BACKEND != "embedded", reason="the demo runs on the embedded default")
def test_demo_runs_from_nothing(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EFILE_")}
    res = subprocess.run([EFILE_BIN, "demo", "--home", str(tmp_path / "demo")], env=env,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "importing the office's client list" in out
    assert "the document names" not in out  # no routing conflict among the demo's own post
    assert "a scan batch" in out and "9 pages (expected 9)" in out
    assert out.count("stapel-0001.tif") >= 3 and "done" in out
    assert "no identifier" in out  # the payslip waits in the inbox, with its reason
    assert "not a PDF" in out and "duplicate" in out
