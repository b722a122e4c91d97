"""PDFium is not thread-safe (#12: six parallel portal uploads segfaulted `efile serve`).
The product's PDFium paths run in a subprocess, so a crash fails the test instead of killing
pytest: 6 threads x 6 rounds over 6-page PDFs (born-digital and scanned), every result equal
to the single-threaded one. The same run with the lock switched off (an environment switch
that exists only for this test) crashes or corrupts results: that is what the lock prevents.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.backend_free  # embedded pass only (conftest)

SCRIPT = Path(__file__).parent / "support" / "pdfium_threads.py"


def _run(tmp_path: Path, *, unlocked: bool) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    env.pop("EFILE_TEST_PDFIUM_UNLOCKED", None)
    if unlocked:
        env["EFILE_TEST_PDFIUM_UNLOCKED"] = "1"
    return subprocess.run([sys.executable, str(SCRIPT), str(tmp_path), "6", "6"],
                          capture_output=True, text=True, env=env, timeout=300)


def test_pdfium_paths_survive_six_threads(tmp_path):
    done = _run(tmp_path, unlocked=False)
    assert done.returncode == 0, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    assert "ok: 6 threads x 6 rounds" in done.stdout


# a proof by chance (about one unlocked run in two breaks): kept out of the default run so a
# lucky PDFium never turns CI red; run it with EFILE_PROVE_PDFIUM_UNSAFE=1
@pytest.mark.skipif(not os.environ.get("EFILE_PROVE_PDFIUM_UNSAFE"),
                    reason="set EFILE_PROVE_PDFIUM_UNSAFE=1 to show the unlocked crash")
def test_without_the_lock_the_same_work_breaks(tmp_path):
    """Shows the test above means something: without the lock PDFium crashes the process
    (abort, segfault) or fails to read a valid PDF. Measured: about one run in two breaks;
    five attempts make a false pass of this test unlikely (~3 %)."""
    outcomes = []
    for _ in range(5):
        done = _run(tmp_path, unlocked=True)
        outcomes.append((done.returncode, done.stdout[-300:]))
        if done.returncode != 0:
            return
    raise AssertionError(f"PDFium without the lock never broke: {outcomes}")
