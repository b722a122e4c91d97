"""Shared fixtures. OCR costs about a second a page here, so the sample scans are generated and
ingested once per session and many tests assert on that one result."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from efile.context import get_context, reset_contexts  # noqa: E402
from efile.samples import SampleFile, write_samples  # noqa: E402
from efile.services.efiles import add_efile  # noqa: E402

EFILE_BIN = str(Path(sys.executable).with_name("efile"))


def use_home(home: Path) -> None:
    """Point the product at `home` (embedded default) for the code under test."""
    os.environ["EFILE_HOME"] = str(home)
    os.environ.pop("EFILE_DATABASE_URL", None)
    os.environ.pop("EFILE_STORAGE_URL", None)
    reset_contexts()


def create_efiles(samples: list[SampleFile]) -> dict[str, dict]:
    persons = {s.doc.person["aktenzeichen"]: s.doc.person for s in samples}
    with get_context().db.session() as s:
        for az, p in persons.items():
            add_efile(s, az, surname=p["surname"], given_names=p["given_names"],
                      birth_date=date.fromisoformat(p["birth_iso"]), nationality=p["nationality"])
    return persons


@pytest.fixture(scope="session")
def samples(tmp_path_factory) -> list[SampleFile]:
    """Ten documents of two clients (12 pages): JPEG, PNG (fed upside down), TIFF (one of
    them two pages), and image-only scanner PDFs."""
    return write_samples(tmp_path_factory.mktemp("scans"), upside_down={"landlord_confirmation"})


@pytest.fixture(scope="session")
def ingested(samples, tmp_path_factory):
    """All samples ingested through the real Prefect flow into one home, each client's
    documents with its Aktenzeichen."""
    from pipelines.flows import run_ingest

    home = tmp_path_factory.mktemp("home")
    use_home(home)
    persons = create_efiles(samples)
    results = []
    for az in persons:
        paths = [str(s.path) for s in samples if s.doc.person["aktenzeichen"] == az]
        results += run_ingest(paths, efile=az)
    by_path = {r["path"]: r for r in results}
    return {"home": home, "results": results, "by_path": by_path, "persons": persons}


@pytest.fixture
def home(ingested):
    """The session's ingested home, made current again for this test."""
    use_home(ingested["home"])
    return ingested["home"]


@pytest.fixture
def fresh_home(tmp_path):
    use_home(tmp_path / "home")
    yield tmp_path / "home"
    reset_contexts()
