"""The running product's handles: settings, database, object store. One per configuration and
process, shared by CLI commands, flow tasks and (later) web requests."""

from __future__ import annotations

import threading
from dataclasses import dataclass

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
            ctx = Context(settings, Database(settings.database_url), store)
            _contexts[key] = ctx
        return ctx


def reset_contexts() -> None:
    """Forget cached handles (tests switch EFILE_HOME between cases)."""
    with _lock:
        for ctx in _contexts.values():
            ctx.db.dispose()
        _contexts.clear()
