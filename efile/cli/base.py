"""The `efile` command line: the group, output helpers and error handling. Commands are thin:
they parse, call a service or flow, and print (one module per command group).

Every reporting command takes --json. Exit code 0 only when everything went well; otherwise a
one-line error on stderr and the exit code of the error type (efile/errors.py).
"""

from __future__ import annotations

import json
import os
import sys
from functools import wraps
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

# Prefect's settings stay Prefect's own; these only change defaults for interactive use.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# The CLI reports on the terminal; warnings (a refused file, a retry) go to the Prefect API, so
# the Prefect UI keeps the details, but not to the terminal's console handler.
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


from storage import StorageError

from ..errors import EfileError

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _fail(message: str, code: int) -> None:
    first = message.strip().splitlines()[0] if message.strip() else "failed"
    click.echo(f"efile: error: {first}", err=True)
    sys.exit(code)


def handled(fn):  # noqa: ANN001, ANN201
    """Turn product errors into one clear line and the right exit code."""

    @wraps(fn)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        try:
            return fn(*args, **kwargs)
        except EfileError as e:
            _fail(str(e), e.exit_code)
        except StorageError as e:
            _fail(f"object storage: {e}", 74)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Exception as e:
            if os.environ.get("EFILE_DEBUG"):
                raise
            _fail(f"unexpected {type(e).__name__}: {e} (set EFILE_DEBUG=1 for details)", 70)

    return wrapper


def _ctx():  # noqa: ANN202
    from ..context import get_context

    return get_context()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="efile")
def main() -> None:
    """efile: scanned paper and uploads in, searchable PDF/A in the right e-file.

    Configuration comes from EFILE_HOME (default ./var), EFILE_DATABASE_URL and
    EFILE_STORAGE_URL.
    """


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@handled
def init(as_json: bool) -> None:
    """Create or upgrade the database schema and the object store (idempotent)."""
    from storage import open_store

    from ..config import Settings
    from ..context import redact_url

    settings = Settings.from_env()
    settings.home.mkdir(parents=True, exist_ok=True)
    # the bucket first: opening the context checks its protection
    store = open_store(settings.storage_url, check=False)
    created = store.create_bucket() if hasattr(store, "create_bucket") else False
    ctx = _ctx()  # connects and migrates, or names the database it could not reach
    before, after = ctx.db.migrated
    info = {"home": str(settings.home), "database": redact_url(settings.database_url),
            "storage": ctx.store.url, "bucket_created": created, "schema_before": before,
            "schema": after, "upgraded": before != after, "revision": after}
    if as_json:
        _print_json(info)
    else:
        state = "created" if before is None else ("upgraded" if before != after else "up to date")
        out.print(f"database schema {state} (revision {after}) · objects in {ctx.store.url}")


# -- demo --------------------------------------------------------------------------------------

@main.command()
@click.option("--home", type=click.Path(file_okay=False), default="./var/demo", show_default=True,
              help="A fresh home for the demo (replaced if it holds an earlier demo).")
@handled
def demo(home: str) -> None:
    """Generate sample scans, ingest them into a fresh home and search them."""
    from ..demo import run_demo

    run_demo(Path(home), out)




def new_table(*columns: str, **kwargs: Any) -> Table:
    """A table in the CLI's one style, with these column headings."""
    table = Table(show_edge=False, header_style="bold", **kwargs)
    for col in columns:
        table.add_column(col)
    return table


class DocTypeParam(click.ParamType):
    """A document type as a person names it: its id (`landlord_confirmation`) or its German
    name (`Wohnungsgeberbestätigung`, any case, umlauts or not). An unknown one passes on
    unchanged: the service refuses it with the message and exit code of an unknown type."""

    name = "TYPE"

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201
        from classifiers.taxonomy import load

        from ..search.fold import fold

        if value is None or value in load():
            return value
        by_name = {fold(load().get(t).name): t for t in load().ids}
        return by_name.get(fold(str(value).strip()), value)


DOC_TYPE = DocTypeParam()
