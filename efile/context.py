"""The running product's handles: settings, database, object store. One per configuration and
process, shared by CLI commands, flow tasks and (later) web requests."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError

from storage import ObjectStore, StorageError, open_store

from .config import Settings
from .db import Database
from .errors import ConfigError


@dataclass
class Context:
    settings: Settings
    db: Database
    store: ObjectStore


_lock = threading.Lock()
_contexts: dict[tuple[str, str], Context] = {}


def get_context(settings: Settings | None = None) -> Context:
    settings = settings or Settings.from_env()
    key = (settings.database_url, settings.storage_url)
    with _lock:
        ctx = _contexts.get(key)
        if ctx is None:
            settings.home.mkdir(parents=True, exist_ok=True)
            try:
                store = open_store(settings.storage_url)
            except StorageError as e:
                raise ConfigError(str(e)) from e
            ctx = Context(settings, open_database(settings.database_url), store)
            _contexts[key] = ctx
        return ctx


def open_database(url: str) -> Database:
    """Connect and migrate, or say clearly which database could not be reached and why."""
    try:
        return Database(url)
    except OperationalError as e:
        first = str(e.orig or e).strip().splitlines()[0]
        raise ConfigError(f"database {redact_url(url)} unreachable: {first}") from e


def redact_url(url: str) -> str:
    """A URL fit for messages and logs: no password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}" if ":" in creds else url
    return url


def reset_contexts() -> None:
    """Forget cached handles (tests switch EFILE_HOME between cases)."""
    with _lock:
        for ctx in _contexts.values():
            ctx.db.dispose()
        _contexts.clear()
