"""The `efile` command line (see base.py); importing the command modules registers them."""

from . import audit, batch, classify, corrections, inbox, ingest, read, registry, web  # noqa: F401
from .base import main

__all__ = ["main"]
