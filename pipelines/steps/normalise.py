"""Normalise: any accepted input becomes one PDF plus, per page, either the image to OCR or the
text the page already carries.

Images (PNG, JPEG, TIFF incl. multi-page) are wrapped losslessly by img2pdf: JPEG bytes are
embedded as they are, other pixels are kept exactly. PDFs are kept as they are; a page without
real text is rasterised (pypdfium2, 300 dpi) only to be read by the OCR engine, never to
replace the page.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field

import img2pdf
import pikepdf
import pypdfium2 as pdfium
from PIL import Image, UnidentifiedImageError

from efile.errors import EncryptedInput, InputRejected, TooLarge

from .sniff import sniff
from .text import page_has_real_text

OCR_DPI = 300
MAX_PAGES = 2000


@dataclass
class PageJob:
    index: int  # 0-based
    image: bytes | None  # what the OCR engine reads; None when the page has real text
    image_suffix: str = ".pnm"
    dpi: int | None = None
    rotation: int = 0  # the page's existing /Rotate, clockwise
    text: str | None = None  # born-digital text


@dataclass
class Normalised:
    media_type: str
    pdf: bytes
    pages: list[PageJob]
    notes: list[str] = field(default_factory=list)


def _pnm(img: Image.Image) -> bytes:
    """Uncompressed PNM: written in milliseconds, read by tesseract (leptonica) directly.
    PNG would cost ~0.7 s per noisy 300-dpi page just for zlib."""
    if img.mode not in ("1", "L", "RGB"):
        img = img.convert("RGB")
    buf = io.BytesIO()
    img.save(buf, format="PPM")
    return buf.getvalue()


def _too_large(pixels: int, limit: int, where: str = "") -> TooLarge:
    return TooLarge(f"image too large to decode safely: {where}{pixels / 1e6:,.0f} megapixels, "
                    f"limit {limit / 1e6:,.0f}")


def _check_pixels(img: Image.Image, limit: int, frame: int) -> None:
    w, h = img.size
    if w * h > limit:
        raise _too_large(w * h, limit, f"page {frame + 1} is {w}×{h} px, ")


def _bomb(e: Exception, limit: int) -> TooLarge:
    # PIL refuses at open() beyond twice its limit; its message carries the pixel count
    m = re.search(r"\((\d+) pixels\)", str(e))
    return _too_large(int(m.group(1)), limit) if m else TooLarge(f"image too large: {e}")


def _image_dpi(img: Image.Image) -> tuple[float, float] | None:
    dpi = img.info.get("dpi")
    if dpi and dpi[0] and dpi[1] and dpi[0] > 10:
        return float(dpi[0]), float(dpi[1])
    return None


def normalise_image(data: bytes, media_type: str, max_pixels: int) -> Normalised:
    notes: list[str] = []
    Image.MAX_IMAGE_PIXELS = max_pixels  # PIL's own decompression-bomb guard as a backstop
    try:
        img = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as e:
        raise _bomb(e, max_pixels) from e
    except (UnidentifiedImageError, OSError) as e:
        raise InputRejected(f"image cannot be read: {e}") from e
    n_frames = getattr(img, "n_frames", 1)
    if n_frames > MAX_PAGES:
        raise TooLarge(f"{n_frames} pages, more than the limit of {MAX_PAGES}")
    pages: list[PageJob] = []
    has_alpha = False
    dpis = []
    for i in range(n_frames):
        img.seek(i)
        _check_pixels(img, max_pixels, i)
        dpi = _image_dpi(img)
        dpis.append(dpi)
        has_alpha = has_alpha or img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
        try:
            frame = img.copy()
            frame.load()
        except Image.DecompressionBombError as e:
            raise _bomb(e, max_pixels) from e
        except OSError as e:
            raise InputRejected(f"image is damaged (page {i + 1}): {e}") from e
        if n_frames == 1 and media_type in ("image/jpeg", "image/png") and not has_alpha:
            # tesseract reads these directly: no decode/encode round trip
            image, suffix = data, (".jpg" if media_type == "image/jpeg" else ".png")
        else:
            if has_alpha:
                frame = _flatten(frame)
            image, suffix = _pnm(frame), ".pnm"
        pages.append(PageJob(i, image, suffix, dpi=round(dpi[0]) if dpi else OCR_DPI))

    source: bytes | list[bytes] = data
    if has_alpha:
        # PDF/A-2 allows transparency but img2pdf refuses alpha channels: flatten onto white
        notes.append("transparency flattened onto white paper")
        source = [_png(_flatten(_frame(img, i))) for i in range(n_frames)]
    options: dict = {"rotation": img2pdf.Rotation.ifvalid}
    if any(d is None for d in dpis):
        notes.append(f"image carries no resolution; {OCR_DPI} dpi assumed")
        options["layout_fun"] = img2pdf.get_fixed_dpi_layout_fun((OCR_DPI, OCR_DPI))
    try:
        pdf = img2pdf.convert(source, **options)
    except Exception as e:  # img2pdf raises plain exceptions for odd images
        raise InputRejected(f"image cannot be converted to PDF: {e}") from e
    return Normalised(media_type, pdf, pages, notes)


def _frame(img: Image.Image, i: int) -> Image.Image:
    img.seek(i)
    return img.copy()


def _flatten(img: Image.Image) -> Image.Image:
    rgba = img.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("RGB")


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def normalise_pdf(data: bytes, max_pixels: int) -> Normalised:
    notes: list[str] = []
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                notes.append("owner-password restrictions removed in the archive copy")
            n_pages = len(pdf.pages)
    except pikepdf.PasswordError as e:
        raise EncryptedInput("PDF is protected by a password and cannot be opened; "
                             "please send it without a password") from e
    except pikepdf.PdfError as e:
        raise InputRejected(f"corrupt PDF: {str(e).splitlines()[0][:200]}") from e
    if n_pages == 0:
        raise InputRejected("PDF has no pages")
    if n_pages > MAX_PAGES:
        raise TooLarge(f"PDF has {n_pages} pages, more than the limit of {MAX_PAGES}")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise InputRejected(f"corrupt PDF: {e}") from e
    pages: list[PageJob] = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            rotation = page.get_rotation()
            textpage = page.get_textpage()
            text = textpage.get_text_bounded().replace("\r\n", "\n").replace("\r", "\n")
            if page_has_real_text(text):
                pages.append(PageJob(i, None, rotation=rotation, text=text))
                continue
            w, h = page.get_size()  # points, unrotated
            scale = OCR_DPI / 72
            if w * h * scale * scale > max_pixels:  # absurd page sizes: lower the resolution
                scale = math.sqrt(max_pixels / (w * h))
                notes.append(f"page {i + 1} is oversized; read at {scale * 72:.0f} dpi")
            bitmap = page.render(scale=scale, grayscale=True, rotation=0, may_draw_forms=True)
            img = bitmap.to_pil()
            if rotation:  # OCR sees the page as it is displayed
                img = img.rotate(-rotation, expand=True)
            pages.append(PageJob(i, _pnm(img), ".pnm", dpi=round(scale * 72), rotation=rotation))
    except pdfium.PdfiumError as e:
        raise InputRejected(f"corrupt PDF: {e}") from e
    finally:
        doc.close()
    return Normalised("application/pdf", data, pages, notes)


def normalise(data: bytes, name: str, *, max_pixels: int) -> Normalised:
    media_type = sniff(data, name)
    if media_type == "application/pdf":
        return normalise_pdf(data, max_pixels)
    return normalise_image(data, media_type, max_pixels)
