"""Barcodes and QR codes on page images, read with zxing-cpp (the maintained C++ port of
ZXing: QR, Data Matrix, Code 128 and the other formats office scanners meet)."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image


@dataclass(frozen=True)
class Code:
    format: str
    text: str
    valid: bool  # zxing decoded it with its error correction satisfied


def read_codes(image: Image.Image) -> list[Code]:
    import zxingcpp

    # a 300-dpi A4 page is 8.7 megapixels; codes on cover sheets are large, so half the
    # resolution finds them four times faster
    grey = image.convert("L")
    halved = grey.width > 1400
    found = zxingcpp.read_barcodes(grey.resize((grey.width // 2, grey.height // 2))
                                   if halved else grey)
    if not found and halved:  # a small code: once more at full resolution
        found = zxingcpp.read_barcodes(grey)
    return [Code(r.format.name, r.text, r.valid) for r in found]
