"""Normalise: any accepted input becomes one PDF plus, per page, either the image to OCR or the
text the page already carries.

Images (PNG, JPEG, TIFF incl. multi-page) are wrapped losslessly: JPEG and PNG data are
embedded as they are (img2pdf), TIFF pages and images with transparency as exact pixels. PDFs are kept as they are; a page without
real text is rasterised (pypdfium2, 300 dpi) only to be read by the OCR engine, never to
replace the page.
"""

from __future__ import annotations

import io
import math
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from struct import error as struct_error

import img2pdf
import numpy as np
import pikepdf
from PIL import Image, UnidentifiedImageError

from efile.errors import EncryptedInput, InputRejected, TooLarge, UnsupportedType
from pipelines.tools import pdfium

from .reasons import library_words
from .sniff import Refused, sniff
from .text import real_page_text

OCR_DPI = 300
MAX_PAGES = 2000
# What one page is rendered at for the OCR engine at most: A2 at 300 dpi. A 30-inch plan at
# 300 dpi is 81 megapixels and took tesseract 17 s; its text is large enough at 200 dpi.
OCR_MAX_PIXELS = 36_000_000


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
    if img.mode in _GREY16:  # PIL clips 16-bit values to 255: stretch them for OCR instead
        img = _grey16_to_8(img)
    if img.mode not in ("1", "L", "RGB"):
        img = img.convert("RGB")
    buf = io.BytesIO()
    img.save(buf, format="PPM")
    return buf.getvalue()


_GREY16 = ("I;16", "I;16B", "I;16L", "I;16N")


def _grey16_to_8(img: Image.Image) -> Image.Image:
    """A 16-bit greyscale picture as 8 bits for the OCR engine, its range stretched (a 12-bit
    scan in 16-bit words would otherwise be nearly black)."""
    a = np.asarray(img).astype(np.uint32)
    top = max(1, int(a.max()))
    return Image.fromarray((a * 255 // top).astype(np.uint8), mode="L")


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


# what PIL raises for a file cut short or with a broken page directory
DAMAGED_IMAGE = (OSError, EOFError, TypeError, ValueError, SyntaxError, struct_error)


def normalise_image(data: bytes, media_type: str, max_pixels: int) -> Normalised:
    notes: list[str] = []
    Image.MAX_IMAGE_PIXELS = max_pixels  # PIL's own decompression-bomb guard as a backstop
    try:
        img = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as e:
        raise _bomb(e, max_pixels) from e
    except (UnidentifiedImageError, *DAMAGED_IMAGE) as e:  # e.g. a text chunk bomb in a PNG
        raise InputRejected(f"image cannot be read: {e}") from e
    try:
        n_frames = getattr(img, "n_frames", 1)
    except DAMAGED_IMAGE as e:
        raise InputRejected(f"image is damaged or truncated: its page directory cannot be "
                            f"read ({type(e).__name__}: {e})") from e
    if n_frames > MAX_PAGES:
        raise TooLarge(f"{n_frames} pages, more than the limit of {MAX_PAGES}")
    pages: list[PageJob] = []
    frames: list[tuple[Image.Image, float]] = []
    has_alpha = False
    for i in range(n_frames):
        try:
            img.seek(i)
        except DAMAGED_IMAGE as e:  # a multi-page TIFF cut short: say where it ends
            raise InputRejected(f"image is damaged or truncated: page {i + 1} of {n_frames} "
                                f"cannot be read ({type(e).__name__}: {e})") from e
        _check_pixels(img, max_pixels, i)
        dpi = _image_dpi(img)
        if dpi is None and not notes:
            notes.append(f"image carries no resolution; {OCR_DPI} dpi assumed")
        alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
        has_alpha = has_alpha or alpha
        try:
            frame = img.copy()
            frame.load()
        except Image.DecompressionBombError as e:
            raise _bomb(e, max_pixels) from e
        except OSError as e:
            raise InputRejected(f"image is damaged (page {i + 1}): {e}") from e
        if alpha:
            frame = _flatten(frame)
        if _reduced_depth(img, frame) and not any("bits per sample" in n for n in notes):
            notes.append(f"page {i + 1}: more than 8 bits per sample in the image, read as 8 "
                         "(the image decoder keeps no more)")
        if n_frames == 1 and media_type in ("image/jpeg", "image/png") and not alpha:
            # tesseract reads these directly: no decode/encode round trip
            image, suffix = data, (".jpg" if media_type == "image/jpeg" else ".png")
        else:
            image, suffix = _pnm(frame), ".pnm"
        pages.append(PageJob(i, image, suffix, dpi=round(dpi[0]) if dpi else OCR_DPI))
        frames.append((frame, dpi[0] if dpi else OCR_DPI))
    if has_alpha:
        # PDF/A-2 allows transparency, but a scan has none to keep: flatten onto white
        notes.append("transparency flattened onto white paper")
    if media_type in ("image/jpeg", "image/png") and not has_alpha:
        # img2pdf embeds JPEG and most PNG data as it is, without decoding
        options: dict = {"rotation": img2pdf.Rotation.ifvalid}
        if frames[0][1] == OCR_DPI and _image_dpi(img) is None:
            options["layout_fun"] = img2pdf.get_fixed_dpi_layout_fun((OCR_DPI, OCR_DPI))
        small = min(frames[0][0].size)
        if small * 72 / frames[0][1] < MIN_PAGE_SIDE:  # PDF/A and img2pdf want >= 3 pt
            dpi = small * 72 / MIN_PAGE_SIDE
            options["layout_fun"] = img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))
            notes.append(f"the image is only {small} px on its short side; its page is shown "
                         f"{MIN_PAGE_SIDE:.0f} pt wide (its pixels unchanged)")
        try:
            pdf = img2pdf.convert(data, **options)
        except Exception as e:  # img2pdf raises plain exceptions for odd images
            raise InputRejected(f"image cannot be converted to PDF: {e}") from e
    else:
        pdf = pixels_pdf(frames)
    pdf = fit_for_archive(pdf, img.info.get("icc_profile"), notes)
    return Normalised(media_type, pdf, pages, notes)


def _reduced_depth(img: Image.Image, frame: Image.Image) -> bool:
    tags = getattr(img, "tag_v2", None)
    bits = tags.get(258) if tags is not None else None
    if isinstance(bits, int):
        bits = (bits,)
    return bool(bits) and max(bits) > 8 and frame.mode not in _GREY16


# A CMYK image says nothing of how its inks look; PDF/A wants a profile for them. Ghostscript
# (a dependency of the product, setup.sh) ships the CMYK profile it uses for the same purpose.
CMYK_PROFILES = ("/usr/share/color/icc/ghostscript/default_cmyk.icc",
                 "/usr/share/ghostscript/iccprofiles/default_cmyk.icc")
MIN_PAGE_SIDE = 3.0  # points: PDF/A (ISO 19005-2 6.1.13) allows no smaller page


def _cmyk_profile() -> bytes | None:
    return next((Path(p).read_bytes() for p in CMYK_PROFILES if Path(p).is_file()), None)


def fit_for_archive(pdf_bytes: bytes, icc: bytes | None, notes: list[str]) -> bytes:
    """What a PDF made from an image needs to be valid PDF/A, changing no pixel: CMYK images
    get a colour profile (their own, else Ghostscript's CMYK profile) instead of the bare
    device colour space, and a page smaller than PDF/A allows (a tiny image at its
    resolution) is shown larger, its image unchanged."""
    changed = False
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            for image in page.images.values():
                if image.get("/ColorSpace") != pikepdf.Name.DeviceCMYK:
                    continue
                own = icc is not None and _icc_colour_space(icc) == b"CMYK"
                profile = icc if own else _cmyk_profile()
                if profile is None:
                    continue  # left as it is: the archive step says why it is not PDF/A
                stream = pikepdf.Stream(pdf, profile)
                stream.N = 4
                image.ColorSpace = pikepdf.Array([pikepdf.Name.ICCBased, stream])
                changed = True
                if not own and not any("CMYK" in x for x in notes):
                    notes.append("CMYK image without a colour profile: described with "
                                 "Ghostscript's default CMYK profile")
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            side = min(x1 - x0, y1 - y0)
            if 0 < side < MIN_PAGE_SIDE:
                k = MIN_PAGE_SIDE / side
                page.contents_add(pikepdf.Stream(pdf, f"q {k:.6f} 0 0 {k:.6f} 0 0 cm\n".encode()),
                                  prepend=True)
                page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"))
                page.mediabox = [x0 * k, y0 * k, x1 * k, y1 * k]
                for box in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
                    if box in page.obj:
                        del page.obj[box]
                notes.append(f"page {n} is only {x1 - x0:.1f} x {y1 - y0:.1f} pt; shown "
                             f"{k:.2f} times larger (its pixels unchanged)")
                changed = True
        if not changed:
            return pdf_bytes
        buf = io.BytesIO()
        pdf.save(buf)
        return buf.getvalue()


def _icc_colour_space(icc: bytes) -> bytes:
    return icc[16:20] if len(icc) >= 20 else b""


_COLOUR = {"1": ("/DeviceGray", 1), "L": ("/DeviceGray", 8), "RGB": ("/DeviceRGB", 8),
           "CMYK": ("/DeviceCMYK", 8)}


def pixels_pdf(frames: list[tuple[Image.Image, float]]) -> bytes:
    """A PDF with each frame as one page, its pixels kept exactly (Flate, zlib level 1).

    For TIFF scans img2pdf re-encodes every page as PNG at full zlib effort: on a noisy
    300-dpi page that costs more CPU than reading it (profiled), so pages are written here."""
    pdf = pikepdf.new()
    for frame, dpi in frames:
        if frame.mode in _GREY16:  # PDF holds 16-bit samples (big-endian): keep every bit
            colour, bits, samples = "/DeviceGray", 16, frame.tobytes("raw", "I;16B")
        else:
            if frame.mode not in _COLOUR:
                frame = frame.convert("RGB")
            colour, bits = _COLOUR[frame.mode]
            samples = frame.tobytes()
        image = pikepdf.Stream(pdf, zlib.compress(samples, 1))
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height = frame.width, frame.height
        image.ColorSpace, image.BitsPerComponent = pikepdf.Name(colour), bits
        image.Filter = pikepdf.Name.FlateDecode
        w, h = frame.width * 72 / dpi, frame.height * 72 / dpi
        content = pikepdf.Stream(pdf, f"q {w:.4f} 0 0 {h:.4f} 0 0 cm /Im0 Do Q".encode())
        page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, w, h],
                                  Resources=pikepdf.Dictionary(
                                      XObject=pikepdf.Dictionary(Im0=image)),
                                  Contents=content)
        pdf.pages.append(pikepdf.Page(page))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _flatten(img: Image.Image) -> Image.Image:
    rgba = img.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("RGB")


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
        raise InputRejected(f"corrupt PDF: its structure cannot be read "
                            f"({library_words(e, 200)})") from e
    if n_pages == 0:
        raise InputRejected("PDF has no pages")
    if n_pages > MAX_PAGES:
        raise TooLarge(f"PDF has {n_pages} pages, more than the limit of {MAX_PAGES}")
    pages: list[PageJob] = []
    try:
        # PDFium work holds the process-wide PDFium lock (pipelines/tools/pdfium.py)
        with pdfium.document(data) as doc:
            for i in range(len(doc)):
                pages.append(_pdf_page_job(doc[i], i, max_pixels, notes))
    except pdfium.PdfiumError as e:
        raise InputRejected(f"corrupt PDF: PDFium cannot read it ({library_words(e)})") from e
    return Normalised("application/pdf", data, pages, notes)


def _pdf_page_job(page: pdfium.PdfPage, i: int, max_pixels: int, notes: list[str]) -> PageJob:
    rotation = page.get_rotation()
    text = real_page_text(page)  # the one test of "needs no OCR" (steps/text.py)
    if text is not None:
        return PageJob(i, None, rotation=rotation, text=text)
    w, h = page.get_size()  # points, unrotated
    scale = OCR_DPI / 72
    limit = min(max_pixels, OCR_MAX_PIXELS)
    if w * h * scale * scale > limit:  # plans and absurd page sizes: a lower resolution
        scale = math.sqrt(limit / (w * h))
        notes.append(f"page {i + 1} is oversized; read at {scale * 72:.0f} dpi")
    img = pdfium.render_page(page, scale=scale, grayscale=True, rotation=0, may_draw_forms=True)
    if rotation:  # OCR sees the page as it is displayed
        img = img.rotate(-rotation, expand=True)
    return PageJob(i, _pnm(img), ".pnm", dpi=round(scale * 72), rotation=rotation)


def normalise(data: bytes, name: str, *, max_pixels: int,
              media_type: str | None = None) -> Normalised:
    """`media_type`: as the intake check found it (steps/validate.py); judged again by the
    content when not given."""
    if media_type is None:
        try:
            media_type = sniff(data, name)
        except Refused as r:
            raise (InputRejected if r.code == "empty" else UnsupportedType)(r.reason) from r
    if media_type == "application/pdf":
        return normalise_pdf(data, max_pixels)
    return normalise_image(data, media_type, max_pixels)
