"""The hot folder: the scanner writes into a folder, efile takes each file in as a scan batch
once the scanner has finished writing it.

Finished means: its size and modification time have not changed for `settle` seconds, and it
is not hidden or a temporary file (`.tmp`, `~…`). Scanners write slowly, in bursts; reading
a half-written TIFF would cut a stack short. A taken file moves to `done/` (its bytes are
stored as the batch original before that), or to `failed/` with a `.error.txt` beside it, so
nothing is taken twice and nothing is lost.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SKIP_SUFFIXES = (".tmp", ".part", ".crdownload")


@dataclass
class Watcher:
    folder: Path
    settle: float = 5.0
    seen: dict[Path, tuple[int, float, float]] = field(default_factory=dict)  # size, mtime, since

    def candidates(self) -> list[Path]:
        return sorted(p for p in self.folder.iterdir() if p.is_file()
                      and not p.name.startswith((".", "~")) and p.suffix.lower() not in SKIP_SUFFIXES)

    def ready(self, now: float | None = None) -> list[Path]:
        """Files unchanged for `settle` seconds since first seen in this state."""
        now = time.monotonic() if now is None else now
        out = []
        current = set()
        for p in self.candidates():
            try:
                st = p.stat()
            except FileNotFoundError:
                continue
            current.add(p)
            state = (st.st_size, st.st_mtime)
            prev = self.seen.get(p)
            if prev is None or prev[:2] != state:
                self.seen[p] = (*state, now)
            elif now - prev[2] >= self.settle and st.st_size > 0:
                out.append(p)
        for gone in set(self.seen) - current:
            del self.seen[gone]
        return out

    def take(self, path: Path, handle: Callable[[Path], dict]) -> dict:
        """Run `handle` on a ready file, then move it out of the way."""
        try:
            result = handle(path)
            target = self.folder / "done"
        except Exception as e:  # noqa: BLE001 - a bad file never stops the folder
            result = {"path": str(path), "error": f"{type(e).__name__}: {e}"}
            target = self.folder / "failed"
        target.mkdir(exist_ok=True)
        dest = target / path.name
        n = 1
        while dest.exists():  # never overwrite an earlier file of the same name
            dest = target / f"{path.stem}-{n}{path.suffix}"
            n += 1
        shutil.move(str(path), dest)
        if "error" in result:
            dest.with_name(dest.name + ".error.txt").write_text(result["error"] + "\n")
        self.seen.pop(path, None)
        return {**result, "moved_to": str(dest)}

    def run_once(self, handle: Callable[[Path], dict], *, poll: float = 1.0) -> list[dict]:
        """Take what is ready now: look, wait until files could have settled, look again."""
        self.ready()
        time.sleep(self.settle + poll)
        return [self.take(p, handle) for p in self.ready()]

    def run_forever(self, handle: Callable[[Path], dict], *, poll: float = 2.0,
                    on_result: Callable[[dict], None] | None = None) -> None:
        while True:
            for p in self.ready():
                r = self.take(p, handle)
                if on_result:
                    on_result(r)
            time.sleep(poll)
