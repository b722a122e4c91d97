"""Append a benchmark's figures to bench/RESULTS.md with the command and the machine."""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def record(name: str, what: str, body: str) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "python " + " ".join(["bench/" + Path(sys.argv[0]).name, *sys.argv[1:]])
    with open(RESULTS, "a") as f:
        f.write(f"\n### {name} · {stamp} · {platform.node() or 'host'} · {os.cpu_count()} cores\n\n"
                f"`{command}` ({what})\n\n{body}\n")
