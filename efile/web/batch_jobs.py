"""Scan batches handed in through the web (the page /stapel and POST /api/batches): the batch
is registered at once (the answer names its address), its scan files are processed off the
request in a background thread, the way `efile batch submit` processes them, and the batch
page shows how far it got.

Progress lives in this process only (which scan file is being read); the batch's state is in
the database. A server stopped mid-batch leaves it "in Arbeit" (processing): that batch is
submitted again, and the duplicate check refuses nothing twice.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..access import guard
from ..access.rules import Principal
from ..context import Context
from ..errors import InvalidQuery
from ..services.audit import Action, Actor, audited

MAX_STACK_FILES = 20
PROFILES = {"default": "Posteingang", "akte": "Ganze Papierakte"}  # efile batch submit --profile
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Progress:
    files: int
    done: int = 0
    current: str = ""


_progress: dict[str, Progress] = {}
_lock = threading.Lock()


def progress(batch_id: str) -> Progress | None:
    with _lock:
        return _progress.get(batch_id)


def _safe(name: str | None, i: int, taken: set[str]) -> str:
    """The scan file's name as stored (the register keeps it): no path, no odd characters,
    numbered only where two files of the batch share a name."""
    base = _SAFE_NAME.sub("_", Path(name or "").name).strip("._") or f"stapel-{i + 1}.pdf"
    out = base if base not in taken else f"{i + 1:02d}-{base}"
    taken.add(out)
    return out


def need_submit(ctx: Context, actor: Actor, principal: Principal) -> None:
    """The permission to hand in batches (batches.submit); a refusal is audited too."""
    if not principal.can("batches.submit"):
        with audited(ctx.db, actor, Action.BATCH_SUBMIT, object_type="batch"):
            guard.need(principal, "batches.submit")


def submit(ctx: Context, actor: Actor, files: list[tuple[str | None, BinaryIO]], *,
           profile: str, expected_pages: int | None) -> str:
    """Register a batch for the signed-in user (audited as batch.submit) and process its scan
    files in the background; returns the batch id at once. The caller checked need_submit.
    `files`: (name, readable file) pairs, copied to disk in chunks (a stack of a whole paper
    file is hundreds of MB: never held in memory)."""
    from pipelines.batch import start_batch

    if len(files) > MAX_STACK_FILES:
        raise InvalidQuery(f"at most {MAX_STACK_FILES} scan files per batch")
    if profile not in PROFILES:
        raise InvalidQuery(f"unknown scan profile {profile!r}")
    tmp = Path(tempfile.mkdtemp(prefix="efile-stapel-"))
    try:
        paths: list[str] = []
        taken: set[str] = set()
        for i, (name, data) in enumerate(files):
            path = tmp / _safe(name, i, taken)
            with path.open("wb") as out:
                shutil.copyfileobj(data, out, 4 * 1024 * 1024)
            if path.stat().st_size:  # an empty file field is no scan
                paths.append(str(path))
        if not paths:
            raise InvalidQuery("no scan file was sent")
        with audited(ctx.db, actor, Action.BATCH_SUBMIT, object_type="batch",
                     details={"files": [Path(p).name for p in paths], "profile": profile,
                              "expected_pages": expected_pages}) as ev:
            batch_id = start_batch(ctx, operator=actor.user, profile=profile,
                                   expected_pages=expected_pages)
            ev.object_id = batch_id
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    with _lock:
        _progress[batch_id] = Progress(len(paths))
    threading.Thread(target=_run, args=(ctx, batch_id, paths, tmp, actor.user, profile,
                                        expected_pages),
                     name=f"stapel-{batch_id[:8]}", daemon=True).start()
    return batch_id


def _run(ctx: Context, batch_id: str, paths: list[str], tmp: Path, operator: str,
         profile: str, expected_pages: int | None) -> None:
    from pipelines.batch import run_batch
    from pipelines.process import pooled_ocr, reason

    from ..services.batches import mark_broken

    def on_file(done: int, total: int, name: str) -> None:
        with _lock:
            _progress[batch_id] = Progress(total, done, name)

    try:
        run_batch(ctx, paths, operator=operator, profile=profile,
                  expected_pages=expected_pages, batch_id=batch_id, on_file=on_file,
                  ocr_pages=pooled_ocr(ctx.settings.ocr_languages, ctx.settings.ocr_workers))
    except Exception as e:  # noqa: BLE001 - recorded on the batch, for a person to see
        with ctx.db.session() as s:
            mark_broken(s, batch_id, reason(e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        with _lock:
            _progress.pop(batch_id, None)
