"""Functions tests/test_bounded.py runs in bounded children: they cross to the child by
reference, so they live in an importable module (as `support.bounded_fns`)."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from efile.errors import EncryptedInput


def add(a: int, b: int, *, times: int = 1) -> int:
    return (a + b) * times


def nothing() -> None:
    return None


def identify(n: int) -> tuple[int, int]:
    """n and the child's pid, after a moment, so concurrent calls overlap."""
    time.sleep(0.2)
    return n, os.getpid()


def refuse(message: str) -> None:
    raise EncryptedInput(message)


class Stubborn(Exception):
    def __init__(self, a: str, b: str) -> None:  # unpickles as Stubborn(msg): a TypeError
        super().__init__(f"{a}/{b}")


def raise_stubborn() -> None:
    raise Stubborn("x", "y")


def allocate(mb: int) -> int:
    """Touch `mb` MB, as a decompression bomb does."""
    chunks = [bytearray(1024 * 1024) for _ in range(mb)]
    return len(chunks)


def spin() -> None:
    while True:
        pass


def segfault() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)
    time.sleep(5)


def exit_quietly() -> None:
    os._exit(3)


def system_exit() -> None:
    sys.exit(2)


def open_pdf(path: str) -> dict[str, int]:
    """What an intake check reads of a hostile PDF with pikepdf: pages, outline, XObjects."""
    import pikepdf

    with pikepdf.open(Path(path)) as pdf:
        pages = len(pdf.pages)
        outline = 0
        with pdf.open_outline() as ol:
            seen: set[tuple[int, int]] = set()
            todo = list(ol.root)
            while todo and outline < 10_000:
                item = todo.pop()
                key = item.obj.objgen if item.obj is not None else (0, outline)
                if key in seen:
                    continue
                seen.add(key)
                outline += 1
                todo.extend(item.children)
        xobjects = sum(len(p.images) for p in pdf.pages)
    return {"pages": pages, "outline": outline, "images": xobjects}


def main_module_name() -> str:
    return getattr(sys.modules["__main__"], "__file__", None) or "-"
