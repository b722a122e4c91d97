"""Flate bombs: a PDF stream of a few kilobytes that inflates to gigabytes (zlib packs runs
at ~1000:1, twice applied at a million to one). A content stream is inflated whole by every
reader and then parsed operator by operator: 1 GB of it cost 1.5 GB of memory and 77 s (#12).

So before a reader sees the file, each stream that is not an image is inflated here, in
chunks (never more than a few MB held), counting what comes out against one budget for the
whole file. Images are left out: their pixels are checked against the pixel limit by their
declared size, and their decoders stop at that size. Only Flate is counted (the filter of
nearly every stream written since PDF 1.2); other filters expand by small factors at most.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

import pikepdf
from pikepdf import Name

CHUNK = 4 << 20
FLATE = {"/FlateDecode", "/Fl"}
MAX_CHAIN = 4  # [/FlateDecode /FlateDecode ...]: each level multiplies the bomb


class InflateBomb(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code


def _flate_chain(filters: object) -> int:
    """How many Flate filters the stream's filter list starts with."""
    names = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
    n = 0
    for f in names:
        if str(f) not in FLATE or n == MAX_CHAIN:
            break
        n += 1
    return n


def _inflate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Inflate a stream of chunks, yielding at most CHUNK bytes at a time; damaged data ends
    the stream where it breaks (a reader would stop there too)."""
    d = zlib.decompressobj()
    try:
        for chunk in chunks:
            buf = chunk
            while True:
                out = d.decompress(buf, CHUNK)
                if out:
                    yield out
                buf = d.unconsumed_tail
                if d.eof or (not buf and len(out) < CHUNK):
                    break
            if d.eof:
                return
    except zlib.error:
        return


def inflated_size(raw: bytes, levels: int, budget: int) -> int:
    """What `levels` rounds of inflating `raw` yield, counted up to just past `budget`."""
    stream: Iterable[bytes] = [raw]
    for _ in range(levels):
        stream = _inflate(stream)
    total = 0
    for out in stream:
        total += len(out)
        if total > budget:
            break
    return total


def check_inflation(pdf: pikepdf.Pdf, *, max_objects: int, max_inflated: int) -> int:
    """The inflated size of every non-image Flate stream of `pdf`, or InflateBomb."""
    total = 0
    for count, obj in enumerate(pdf.objects, start=1):
        if count > max_objects:
            raise InflateBomb("too_many_objects", f"PDF has more than {max_objects:,} objects "
                                                  "(real documents have far fewer)")
        if not isinstance(obj, pikepdf.Stream) or obj.get(Name.Subtype) == Name.Image:
            continue
        levels = _flate_chain(obj.get(Name.Filter))
        if not levels:
            continue
        total += inflated_size(obj.read_raw_bytes(), levels, max_inflated - total)
        if total > max_inflated:
            raise InflateBomb("inflation_bomb", f"PDF streams inflate to more than "
                                                f"{max_inflated / 2**20:,.0f} MB (object "
                                                f"{obj.objgen[0]}): a decompression bomb")
    return total
