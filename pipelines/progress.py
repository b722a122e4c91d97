"""Progress events from a running flow to whoever shows them (the CLI's progress bar).

A process-local listener rather than a flow parameter: flow parameters are recorded by
Prefect and must stay plain data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Listener = Callable[[str, dict[str, Any]], None]
_listener: Listener | None = None


def set_listener(listener: Listener | None) -> None:
    global _listener
    _listener = listener


def emit(event: str, **data: Any) -> None:
    if _listener is not None:
        _listener(event, data)
