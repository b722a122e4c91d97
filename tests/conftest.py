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

from efile.context import get_context, reset_contexts
from efile.samples import SampleFile, write_samples
from efile.services.efiles import add_efile

ROOT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT_DIR / "deploy"))
from seaweed import ACCESS_KEY, SECRET_KEY, SeaweedS3  # noqa: E402

EFILE_BIN = str(Path(sys.executable).with_name("efile"))

# EFILE_TEST_BACKEND=embedded (default): SQLite + local folder.
# EFILE_TEST_BACKEND=postgres-s3: PostgreSQL on 127.0.0.1:5432 (a fresh database per home) and
# SeaweedFS S3 (one server per session, a prefix per home). .ci/run runs the suite both ways.
BACKEND = os.environ.get("EFILE_TEST_BACKEND", "embedded")
PG_ADMIN_URL = os.environ.get("EFILE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
S3_BUCKET = "efile-test"
_created_dbs: list[str] = []
_s3: SeaweedS3 | None = None


def s3_server(tmp_root: Path | None = None) -> SeaweedS3:
    """The session's SeaweedFS, started on first use, with the test bucket created."""
    global _s3
    if _s3 is None:
        import tempfile

        from storage.s3 import S3Store

        root = tmp_root or Path(tempfile.mkdtemp(prefix="efile-seaweed-"))
        _s3 = SeaweedS3(root).start()
        S3Store(_s3.url(S3_BUCKET, lock="governance", retention_days="1"),
                env=s3_env(), check=False).create_bucket()
    return _s3


def s3_env() -> dict[str, str]:
    return {"EFILE_S3_ACCESS_KEY": ACCESS_KEY, "EFILE_S3_SECRET_KEY": SECRET_KEY}


def new_pg_database() -> str:
    import uuid

    from sqlalchemy import create_engine, text

    name = f"efile_t_{uuid.uuid4().hex[:10]}"
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    _created_dbs.append(name)
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


_homes: dict[Path, dict[str, str]] = {}


def use_home(home: Path) -> None:
    """Point the product at `home` for the code under test, on the backend under test. The
    same home always gets the same database and object prefix."""
    if home not in _homes:
        settings = {"EFILE_HOME": str(home)}
        if BACKEND == "postgres-s3":
            import uuid

            settings["EFILE_DATABASE_URL"] = new_pg_database()
            settings["EFILE_STORAGE_URL"] = s3_server().url(
                S3_BUCKET, prefix=f"t-{uuid.uuid4().hex[:10]}", lock="governance",
                retention_days="1")
            settings.update(s3_env())
        elif BACKEND != "embedded":
            raise RuntimeError(f"EFILE_TEST_BACKEND={BACKEND}: expected embedded or postgres-s3")
        _homes[home] = settings
    for key in ("EFILE_DATABASE_URL", "EFILE_STORAGE_URL"):
        os.environ.pop(key, None)
    os.environ.update(_homes[home])
    reset_contexts()


def pytest_report_header(config) -> str:
    return f"efile backend: {BACKEND}"


def pytest_collection_modifyitems(config, items) -> None:
    """The PostgreSQL + S3 pass runs what touches a database or an object store: a module
    marked `backend_free` (parsing, OCR, classifiers, sealing) ran in the embedded pass and
    would only run again."""
    if BACKEND != "postgres-s3":
        return
    free = [i for i in items if i.get_closest_marker("backend_free")]
    if free:
        config.hook.pytest_deselected(items=free)
        items[:] = [i for i in items if not i.get_closest_marker("backend_free")]


def pytest_sessionfinish(session, exitstatus) -> None:
    reset_contexts()
    if _s3 is not None:
        _s3.stop()
    if _created_dbs:
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as c:
            for name in _created_dbs:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def create_efiles(samples: list[SampleFile]) -> dict[str, dict]:
    persons = {s.doc.person["aktenzeichen"]: s.doc.person for s in samples}
    with get_context().db.session() as s:
        for az, p in persons.items():
            add_efile(s, az, surname=p["surname"], given_names=p["given_names"],
                      birth_date=date.fromisoformat(p["birth_iso"]), nationality=p["nationality"],
                      passports=[p["passport"]])
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


# -- the browser tests' fixtures (tests/browsing.py has the rest) ---------------------------

@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # it only ever opens this test's own server; as root, or in a container without
        # user namespaces, Chromium's sandbox cannot start at all
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shots(request, tmp_path_factory) -> Path:
    folder = Path(os.environ.get("EFILE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    saved = ", ".join(sorted(p.name for p in folder.glob("*.png")))
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():  # shown however pytest captures output
        print(f"\nscreenshots of the web UI: {folder} ({saved})")
