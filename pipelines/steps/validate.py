"""Validate an applicant's upload before anything else touches it: what it is by its content
(never by its name), within the size, page and pixel limits, a sound structure, not locked
by a password, and nothing else hiding in it (polyglots).

The verdict is plain data: an English reason for staff and logs, a German message for the
applicant, and a code that says which refusal it is. Images are judged by their headers:
a decompression bomb is refused before a single pixel is allocated.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

import pikepdf
from PIL import Image, UnidentifiedImageError

from efile.config import Settings
from efile.errors import EncryptedInput, InputRejected, TooLarge, UnsupportedType

from .normalise import DAMAGED_IMAGE

try:  # HEIC (iPhone photos): decoded by libheif, shipped in the pillow-heif wheel
    import pillow_heif
except ImportError:  # pragma: no cover - optional decoder
    pillow_heif = None

ACCEPTED = "PDF, JPEG, PNG, TIFF" + (", HEIC" if pillow_heif else "")


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 300
    max_pixels: int = 180_000_000  # per image or page

    @classmethod
    def from_settings(cls, settings: Settings) -> UploadLimits:
        return cls(settings.upload_max_bytes, settings.upload_max_pages,
                   settings.max_image_pixels)


# each refusal code, the error type the CLI and the API report it as, and what the applicant
# is told (German: the portal shows it to the person who uploaded the file)
_REFUSALS: dict[str, tuple[type[InputRejected], str]] = {
    "empty": (InputRejected, "Die Datei ist leer. Bitte laden Sie sie erneut hoch."),
    "too_big": (TooLarge, "Die Datei ist zu groß. Bitte laden Sie eine kleinere Datei hoch "
                          "(höchstens {max_size})."),
    "too_many_pages": (TooLarge, "Das Dokument hat zu viele Seiten (höchstens {max_pages}). "
                                 "Bitte teilen Sie es in mehrere Dateien auf."),
    "too_many_pixels": (TooLarge, "Das Bild ist zu groß. Bitte laden Sie ein Foto oder einen "
                                  "Scan in normaler Auflösung hoch."),
    "executable": (UnsupportedType, "Programme können nicht angenommen werden. Bitte laden Sie "
                                    "ein Dokument als PDF, JPEG oder PNG hoch."),
    "archive": (UnsupportedType, "Archive (z. B. ZIP) können nicht angenommen werden. Bitte "
                                 "laden Sie jedes Dokument einzeln als PDF, JPEG oder PNG hoch."),
    "html": (UnsupportedType, "Die Datei ist eine Webseite, kein Dokument. Bitte laden Sie das "
                              "Dokument als PDF, JPEG oder PNG hoch."),
    "polyglot": (UnsupportedType, "Die Datei enthält neben dem Dokument weitere Daten und kann "
                                  "daher nicht angenommen werden. Bitte speichern Sie das "
                                  "Dokument neu als PDF und laden Sie es erneut hoch."),
    "unsupported": (UnsupportedType, "Dieses Dateiformat wird nicht angenommen. Bitte laden Sie "
                                     "das Dokument als PDF, JPEG oder PNG hoch."),
    "encrypted": (EncryptedInput, "Das PDF ist mit einem Passwort geschützt und kann nicht "
                                  "geöffnet werden. Bitte laden Sie es ohne Passwort hoch."),
    "truncated": (InputRejected, "Die Datei ist unvollständig, vermutlich wurde der Upload "
                                 "unterbrochen. Bitte laden Sie sie erneut hoch."),
    "corrupt": (InputRejected, "Die Datei ist beschädigt und kann nicht gelesen werden. Bitte "
                               "erzeugen Sie sie neu und laden Sie sie erneut hoch."),
    "no_pages": (InputRejected, "Das PDF enthält keine Seiten."),
}


@dataclass
class Verdict:
    accepted: bool
    media_type: str | None = None  # what the content is; set when accepted
    code: str = "ok"  # a key of _REFUSALS when refused
    reason: str = ""  # English, for staff and logs
    applicant_message: str = ""  # German, for the applicant
    pages: int | None = None
    notes: list[str] = field(default_factory=list)

    def error(self) -> InputRejected:
        """The refusal as the product's error type (exit code, HTTP status)."""
        if self.accepted:
            raise ValueError("an accepted upload has no error")
        return _REFUSALS[self.code][0](self.reason)


class _Refused(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


# things people (or attackers) send instead of documents, by their first bytes
_OTHER: list[tuple[bytes, str, str]] = [
    (b"\x7fELF", "executable", "a Linux executable (ELF)"),
    (b"MZ", "executable", "a Windows executable"),
    (b"\xcf\xfa\xed\xfe", "executable", "a macOS executable"),
    (b"\xca\xfe\xba\xbe", "executable", "a macOS executable or Java class"),
    (b"#!", "executable", "a script"),
    (b"PK\x03\x04", "archive", "a ZIP archive (or Office document)"),
    (b"PK\x05\x06", "archive", "an empty ZIP archive"),
    (b"Rar!", "archive", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive", "a 7-Zip archive"),
    (b"\x1f\x8b", "archive", "a gzip archive"),
    (b"BZh", "archive", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "archive", "an xz archive"),
    (b"\xd0\xcf\x11\xe0", "unsupported", "an old Microsoft Office document"),
    (b"{\\rtf", "unsupported", "an RTF document"),
    (b"GIF8", "unsupported", "a GIF image"),
    (b"BM", "unsupported", "a BMP image"),
]
_HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body|script|iframe|svg)\b", re.I)
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


def _size(n: int) -> str:
    return f"{n / 2**20:.3g} MB" if n >= 2**20 else f"{n / 2**10:.3g} KB"


def _what(head: bytes) -> tuple[str, str]:
    """(refusal code, description) for content that is none of the accepted types."""
    for magic, code, what in _OTHER:
        if head.startswith(magic):
            return code, what
    if head[257:262] == b"ustar":
        return "archive", "a tar archive"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "unsupported", "a WebP image"
    text = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML.match(text) or (text[:5] == b"<?xml" and _HTML.search(text)):
        return "html", "an HTML page" if b"svg" not in text[:200].lower() else "an SVG image"
    try:
        head[:1024].decode("utf-8")
        return "unsupported", "plain text"
    except UnicodeDecodeError:
        return "unsupported", "unknown binary data"


# accepted types by their first bytes; strictly at byte 0 (see _detect for a PDF header later)
_ACCEPTED_MAGIC = [(b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"),
                   (b"\xff\xd8\xff", "image/jpeg"), (b"II*\x00", "image/tiff"),
                   (b"MM\x00*", "image/tiff")]


def _media_type(head: bytes) -> str | None:
    for magic, media_type in _ACCEPTED_MAGIC:
        if head.startswith(magic):
            return media_type
    if head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return "image/heic"
    return None


def _detect(data: bytes, name: str) -> str:
    head = data[:2048]
    media_type = _media_type(head)
    if media_type == "image/heic" and pillow_heif is None:
        raise _Refused("unsupported", "a HEIC image, and no HEIC decoder is installed")
    if media_type:
        return media_type
    code, what = _what(head)
    pdf_at = head[:1024].find(b"%PDF-")
    if pdf_at > 0:  # readers accept a PDF header up to 1 KiB in: a file that is two things
        # an archive holding a PDF uncompressed is refused as the archive the applicant made
        code = code if code in ("archive", "executable", "html") else "polyglot"
        raise _Refused(code, f"polyglot: {what} with a PDF header at byte {pdf_at}")
    if name.lower().endswith(".pdf"):
        raise _Refused(code, f"named .pdf but is not a PDF: content is {what}")
    raise _Refused(code, f"unsupported file type: {what} (accepted: {ACCEPTED})")


def _check_not_polyglot(data: bytes, media_type: str) -> None:
    """A ZIP reader finds its directory from the end of a file, a browser sniffs HTML at the
    start: a document that is also one of those is refused, whatever it shows in a viewer."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            names = []
        if names:
            shown = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
            raise _Refused("polyglot", f"polyglot: {media_type} that is also a ZIP archive "
                                       f"({len(names)} entries: {shown})")
    if _HTML.search(data[:1024]):
        raise _Refused("polyglot", f"polyglot: {media_type} with HTML in its first bytes")


def _check_pdf(data: bytes, limits: UploadLimits, notes: list[str]) -> int:
    # qpdf silently rebuilds a file cut short; the missing end-of-file marker says it was cut
    if b"%%EOF" not in data[-1024:]:
        raise _Refused("truncated", "truncated PDF: no end-of-file marker (%%EOF) at its end")
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as e:
        raise _Refused("encrypted", "PDF is protected by a password and cannot be opened") from e
    except pikepdf.PdfError as e:
        first = str(e).splitlines()[0][:200]
        if "encrypt" in first.lower():  # a security handler qpdf cannot open (certificates, DRM)
            raise _Refused("encrypted", f"PDF is encrypted in a way that cannot be opened: "
                                        f"{first}") from e
        raise _Refused("corrupt", f"corrupt PDF: {first}") from e
    with pdf:
        if pdf.is_encrypted:
            notes.append("owner-password restrictions removed in the archive copy")
        try:
            n_pages = len(pdf.pages)
            if n_pages == 0:
                raise _Refused("no_pages", "PDF has no pages")
            if n_pages > limits.max_pages:
                raise _Refused("too_many_pages", f"PDF has {n_pages:,} pages, more than the "
                                                 f"limit of {limits.max_pages:,}")
            for i, page in enumerate(pdf.pages):
                _check_page(page, i, limits.max_pixels)
        except (pikepdf.PdfError, ValueError, TypeError, AttributeError) as e:
            raise _Refused("corrupt", f"corrupt PDF: its page tree cannot be read "
                                      f"({type(e).__name__}: {str(e)[:160]})") from e
        if any("damaged" in w or "reconstruct" in w for w in pdf.get_warnings()):
            notes.append("PDF structure damaged; repaired when read")
    return n_pages


def _check_page(page: pikepdf.Page, index: int, max_pixels: int) -> None:
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    if not 0 < abs(x1 - x0) <= 14_400 or not 0 < abs(y1 - y0) <= 14_400:  # PDF's 200-inch cap
        raise _Refused("corrupt", f"page {index + 1} has an impossible size "
                                  f"({abs(x1 - x0):.0f} × {abs(y1 - y0):.0f} pt)")
    for image in page.get_images().values():  # the image dictionaries only: nothing decoded
        w, h = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        if w * h > max_pixels:
            raise _Refused("too_many_pixels", f"page {index + 1} holds a {w:,} × {h:,} px image "
                           f"({w * h / 1e6:,.0f} megapixels, limit {max_pixels / 1e6:,.0f})")


def _too_many_pixels(w: int, h: int, limit: int, where: str = "") -> _Refused:
    return _Refused("too_many_pixels", f"image too large to decode safely: {where}{w:,} × {h:,} px "
                                       f"({w * h / 1e6:,.0f} megapixels, limit {limit / 1e6:,.0f})")


def _check_image(data: bytes, media_type: str, limits: UploadLimits) -> int:
    if media_type == "image/heic":
        return _check_heic(data, limits)
    try:
        img = Image.open(io.BytesIO(data))  # reads the header only
    except Image.DecompressionBombError as e:  # PIL's own guard, beyond twice its limit
        m = re.search(r"\((\d+) pixels\)", str(e))
        pixels = int(m.group(1)) if m else 0
        raise _Refused("too_many_pixels", f"image too large to decode safely: {pixels / 1e6:,.0f} "
                       f"megapixels, limit {limits.max_pixels / 1e6:,.0f}") from e
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise _Refused("corrupt", f"image cannot be read: {e}") from e
    with img:
        try:
            # a phone's JPEG may carry further images (MPO: depth map, preview): one photo
            frames = 1 if media_type == "image/jpeg" else getattr(img, "n_frames", 1)
            if frames > limits.max_pages:
                raise _Refused("too_many_pages", f"image has {frames:,} pages, more than the "
                                                 f"limit of {limits.max_pages:,}")
            for i in range(frames):
                img.seek(i)
                w, h = img.size
                if w * h > limits.max_pixels:
                    where = f"page {i + 1} is " if frames > 1 else ""
                    raise _too_many_pixels(w, h, limits.max_pixels, where)
        except DAMAGED_IMAGE as e:
            raise _Refused("truncated", f"image is damaged or truncated: its page directory "
                                        f"cannot be read ({e})") from e
    _check_image_data(data, media_type)
    return frames


def _check_image_data(data: bytes, media_type: str) -> None:
    """Read the compressed data through to its end, cheaply: PNG chunks by their checksums
    (nothing inflated), JPEG at 1/8 scale (the whole entropy-coded stream, hardly any pixels)."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            if media_type == "image/png":
                img.verify()
            elif media_type == "image/jpeg":
                img.draft("L", (max(1, img.width // 8), max(1, img.height // 8)))
                img.load()
    except DAMAGED_IMAGE as e:
        raise _Refused("truncated", f"image is damaged or truncated: {e}") from e


def _check_heic(data: bytes, limits: UploadLimits) -> int:
    try:
        heif = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)
        w, h = heif.size  # the primary image, from the header
        count = len(heif)
    except (ValueError, RuntimeError, OSError) as e:
        raise _Refused("corrupt", f"HEIC image cannot be read: {e}") from e
    if w * h > limits.max_pixels:
        raise _too_many_pixels(w, h, limits.max_pixels)
    return count


def validate_upload(data: bytes, name: str, limits: UploadLimits | None = None) -> Verdict:
    """The verdict on one uploaded file. Never raises for what the file contains."""
    limits = limits or UploadLimits()
    notes: list[str] = []
    try:
        if not data:
            raise _Refused("empty", "empty file (0 bytes)")
        if len(data) > limits.max_bytes:
            raise _Refused("too_big", f"file is {_size(len(data))}, more than the limit of "
                                      f"{_size(limits.max_bytes)}")
        media_type = _detect(data, name)
        _check_not_polyglot(data, media_type)
        if media_type == "application/pdf":
            pages = _check_pdf(data, limits, notes)
        else:
            pages = _check_image(data, media_type, limits)
    except _Refused as r:
        template = _REFUSALS[r.code][1]
        message = template.format(max_size=_size(limits.max_bytes), max_pages=limits.max_pages)
        return Verdict(False, code=r.code, reason=r.reason, applicant_message=message,
                       notes=notes)
    return Verdict(True, media_type, pages=pages, notes=notes)
