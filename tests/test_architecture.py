"""The house's doors (DEVELOPERS.md): classifiers/ and storage/ import nothing of ours, the
domain never reaches up into the pipelines or the web and CLI layers, and those two stay
apart. The contracts are in .importlinter; import-linter checks every import statement,
those inside functions too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.backend_free


def test_the_import_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is missing: deploy/setup.sh test installs it"
    r = subprocess.run([exe, "--config", str(ROOT / ".importlinter")], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "0 broken" in r.stdout.split("Contracts:")[-1], r.stdout[-3000:]
