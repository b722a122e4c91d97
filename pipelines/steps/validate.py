"""The intake check every path shares (scan, batch, hot folder, upload, mail): what a file is
by its content (never by its name), within the size, page, pixel and inflated-bytes limits,
a sound structure, not locked by a password, and nothing else hiding in it (polyglots).

One verdict per file whichever path it came by; where the paths differ on purpose, the
difference is a field of `Policy` (the table is in the README, "One check for every path"):
the portal refuses what a person can simply send again (a file cut short, bytes before the
PDF header), staff paths take such a file, repaired by qpdf, and hold it for a person.

The verdict is plain data: an English reason for staff and logs, a German message for the
applicant, and a stable code that says which refusal it is. Images are judged by their
headers and PDFs by their dictionaries: a decompression bomb is refused before a single pixel
or an inflated byte is allocated.
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

from .inflate import InflateBomb, check_inflation
from .normalise import DAMAGED_IMAGE, MAX_PAGES
from .reasons import library_words
from .sanitise import MAX_OBJECTS
from .sniff import HTML, Refused, detect, pillow_heif


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 300
    max_pixels: int = 180_000_000  # per image or page
    # what the streams of a PDF other than images may inflate to, together: content streams,
    # fonts, metadata. A real 300-page letter has ~5 MB; a Flate bomb packs 1 GB into 1 MB.
    max_inflated: int = 256 * 1024 * 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The portal's limits (configurable: EFILE_UPLOAD_MAX_*)."""
        return cls(settings.upload_max_bytes, settings.upload_max_pages,
                   settings.max_image_pixels)

    @classmethod
    def for_staff(cls, settings: Settings) -> Limits:
        """Scan stacks and deliveries: a backfilled file runs to a thousand pages and more."""
        return cls(STAFF_MAX_BYTES, MAX_PAGES, settings.max_image_pixels)


UploadLimits = Limits  # the name it had when only uploads were checked
STAFF_MAX_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class Policy:
    """What an intake path tolerates beyond the rules every path shares."""

    name: str
    # bytes before the PDF header (readers accept it up to 1 KiB in): refused as a polyglot,
    # or the PDF read from its header (never when the bytes are a program, archive or page)
    header_offset: bool
    # no end-of-file marker: the file was cut short (an interrupted upload), or written by a
    # careless tool; refused, or repaired by qpdf and held for a person to check it is whole
    missing_eof: bool


PORTAL = Policy("portal", header_offset=False, missing_eof=False)
STAFF = Policy("staff", header_offset=True, missing_eof=True)


def policy_for(source: str) -> Policy:
    """The portal's upload is the applicant's to send again; paper and mail are not."""
    return PORTAL if source == "upload" else STAFF


def limits_for(source: str, settings: Settings) -> Limits:
    return Limits.from_settings(settings) if source == "upload" else Limits.for_staff(settings)


# each refusal code, the error type the CLI and the API report it as, and what the applicant
# is told (German: the portal shows it to the person who uploaded the file)
_DAMAGED = ("Die Datei ist beschädigt und kann nicht gelesen werden. Bitte erzeugen Sie sie "
            "neu und laden Sie sie erneut hoch.")
_REFUSALS: dict[str, tuple[type[InputRejected], str]] = {
    "empty": (InputRejected, "Die Datei ist leer. Bitte laden Sie sie erneut hoch."),
    "too_big": (TooLarge, "Die Datei ist zu groß. Bitte laden Sie eine kleinere Datei hoch "
                          "(höchstens {max_size})."),
    "too_many_pages": (TooLarge, "Das Dokument hat zu viele Seiten (höchstens {max_pages}). "
                                 "Bitte teilen Sie es in mehrere Dateien auf."),
    "too_many_pixels": (TooLarge, "Das Bild ist zu groß. Bitte laden Sie ein Foto oder einen "
                                  "Scan in normaler Auflösung hoch."),
    "too_many_objects": (TooLarge, "Das PDF ist ungewöhnlich aufgebaut und kann nicht "
                                   "angenommen werden. Bitte speichern oder drucken Sie es neu "
                                   "als PDF und laden Sie es erneut hoch."),
    "inflation_bomb": (TooLarge, "Die Datei enthält ungewöhnlich stark gepackte Daten und "
                                 "kann nicht angenommen werden. Bitte speichern oder drucken "
                                 "Sie das Dokument neu als PDF und laden Sie es erneut hoch."),
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
    "corrupt": (InputRejected, _DAMAGED),
    "no_pages": (InputRejected, "Das PDF enthält keine Seiten."),
    # from the sanitiser and the bounded worker (their codes, the same words for the applicant)
    "damaged_pdf": (InputRejected, _DAMAGED),
    "unreadable_pdf": (InputRejected, _DAMAGED),
    "form_loop": (InputRejected, _DAMAGED),
    "parse_timeout": (InputRejected, _DAMAGED),
    "parse_crashed": (InputRejected, _DAMAGED),
    "parse_memory": (TooLarge, "Die Datei ist zu aufwendig aufgebaut, um sie sicher zu öffnen. "
                               "Bitte speichern oder drucken Sie sie neu als PDF und laden Sie "
                               "sie erneut hoch."),
}
REFUSAL_CODES = frozenset(_REFUSALS)


def applicant_message(code: str, limits: Limits) -> str:
    """What the portal tells the applicant about a refusal (German)."""
    template = _REFUSALS.get(code, (InputRejected, _DAMAGED))[1]
    return template.format(max_size=_size(limits.max_bytes), max_pages=limits.max_pages)


def refusal(code: str, reason: str) -> InputRejected:
    """The refusal as the product's error type (exit code, HTTP status), carrying its code."""
    e = _REFUSALS.get(code, (InputRejected, ""))[0](reason)
    e.code = code  # type: ignore[attr-defined]
    return e


@dataclass
class Verdict:
    accepted: bool
    media_type: str | None = None  # what the content is; set when accepted
    code: str = "ok"  # a key of _REFUSALS when refused
    reason: str = ""  # English, for staff and logs
    applicant_message: str = ""  # German, for the applicant
    pages: int | None = None
    notes: list[str] = field(default_factory=list)
    # accepted, but the bytes must be rewritten by qpdf before use (bytes before the header,
    # no end-of-file marker, encryption that only the owner password guards)
    repair: bool = False
    # accepted, but a person should look: the document goes to the inbox with these reasons
    doubts: list[str] = field(default_factory=list)

    def error(self) -> InputRejected:
        """The refusal as the product's error type (exit code, HTTP status)."""
        if self.accepted:
            raise ValueError("an accepted upload has no error")
        return refusal(self.code, self.reason)


def _size(n: int) -> str:
    return f"{n / 2**20:.3g} MB" if n >= 2**20 else f"{n / 2**10:.3g} KB"


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
            raise Refused("polyglot", f"polyglot: {media_type} that is also a ZIP archive "
                                      f"({len(names)} entries: {shown})")
    if HTML.search(data[:1024]):
        raise Refused("polyglot", f"polyglot: {media_type} with HTML in its first bytes")


def _check_pdf(data: bytes, limits: Limits, policy: Policy, verdict: Verdict) -> int:
    # qpdf silently rebuilds a file cut short; the missing end-of-file marker says it was cut
    if b"%%EOF" not in data[-1024:]:
        if not policy.missing_eof:
            raise Refused("truncated", "truncated PDF: no end-of-file marker (%%EOF) at its end")
        verdict.repair = True
        verdict.doubts.append("the PDF has no end-of-file marker: it may have been cut short; "
                              "check that every page is there")
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as e:
        raise Refused("encrypted", "PDF is protected by a password and cannot be opened") from e
    except pikepdf.PdfError as e:
        words = library_words(e, 200)
        if "encrypt" in words.lower():  # a security handler qpdf cannot open (certificates, DRM)
            raise Refused("encrypted", f"PDF is encrypted in a way that cannot be opened "
                                       f"({words})") from e
        raise Refused("corrupt", f"corrupt PDF: its structure cannot be read ({words})") from e
    with pdf:
        if pdf.is_encrypted:  # opened without a password: only the owner password guards it
            verdict.notes.append("owner-password restrictions removed in the archive copy")
            verdict.repair = True  # PDFium refuses some of these; the decrypted copy it reads
        try:
            n_pages = len(pdf.pages)
            if n_pages == 0:
                raise Refused("no_pages", "PDF has no pages")
            if n_pages > limits.max_pages:
                raise Refused("too_many_pages", f"PDF has {n_pages:,} pages, more than the "
                                                f"limit of {limits.max_pages:,}")
            for i, page in enumerate(pdf.pages):
                _check_page(page, i, limits.max_pixels)
            check_inflation(pdf, max_objects=MAX_OBJECTS, max_inflated=limits.max_inflated)
        except InflateBomb as e:
            raise Refused(e.code, str(e)) from e
        except (pikepdf.PdfError, ValueError, TypeError, AttributeError,
                RecursionError) as e:
            raise Refused("corrupt", f"corrupt PDF: its page tree cannot be read "
                                     f"({library_words(e)})") from e
        if any("damaged" in w or "reconstruct" in w for w in pdf.get_warnings()):
            verdict.notes.append("PDF structure damaged; repaired when read")
    return n_pages


def _check_page(page: pikepdf.Page, index: int, max_pixels: int) -> None:
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    if not 0 < abs(x1 - x0) <= 14_400 or not 0 < abs(y1 - y0) <= 14_400:  # PDF's 200-inch cap
        raise Refused("corrupt", f"page {index + 1} has an impossible size "
                                 f"({abs(x1 - x0):.0f} × {abs(y1 - y0):.0f} pt)")
    for image in page.get_images().values():  # the image dictionaries only: nothing decoded
        w, h = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        if w * h > max_pixels:
            raise Refused("too_many_pixels", f"page {index + 1} holds a {w:,} × {h:,} px image "
                          f"({w * h / 1e6:,.0f} megapixels, limit {max_pixels / 1e6:,.0f})")


def _too_many_pixels(w: int, h: int, limit: int, where: str = "") -> Refused:
    return Refused("too_many_pixels", f"image too large to decode safely: {where}{w:,} × {h:,} px "
                                      f"({w * h / 1e6:,.0f} megapixels, limit {limit / 1e6:,.0f})")


def _check_image(data: bytes, media_type: str, limits: Limits) -> int:
    if media_type == "image/heic":
        return _check_heic(data, limits)
    try:
        img = Image.open(io.BytesIO(data))  # reads the header only
    except Image.DecompressionBombError as e:  # PIL's own guard, beyond twice its limit
        m = re.search(r"\((\d+) pixels\)", str(e))
        pixels = int(m.group(1)) if m else 0
        raise Refused("too_many_pixels", f"image too large to decode safely: {pixels / 1e6:,.0f} "
                      f"megapixels, limit {limits.max_pixels / 1e6:,.0f}") from e
    except (UnidentifiedImageError, *DAMAGED_IMAGE) as e:
        if "Decompressed data too large" in str(e):  # PIL's guard on PNG text chunks
            raise Refused("inflation_bomb", "image holds a text chunk that inflates beyond "
                                            "the safe limit: a decompression bomb") from e
        raise Refused("corrupt", f"image cannot be read ({library_words(e)})") from e
    with img:
        try:
            # a phone's JPEG may carry further images (MPO: depth map, preview): one photo
            frames = 1 if media_type == "image/jpeg" else getattr(img, "n_frames", 1)
            if frames > limits.max_pages:
                raise Refused("too_many_pages", f"image has {frames:,} pages, more than the "
                                                f"limit of {limits.max_pages:,}")
            for i in range(frames):
                img.seek(i)
                w, h = img.size
                if w * h > limits.max_pixels:
                    where = f"page {i + 1} is " if frames > 1 else ""
                    raise _too_many_pixels(w, h, limits.max_pixels, where)
        except (*DAMAGED_IMAGE, IndexError) as e:
            raise Refused("truncated", f"image is damaged or truncated: its page directory "
                                       f"cannot be read ({library_words(e)})") from e
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
    except (*DAMAGED_IMAGE, IndexError) as e:  # IndexError: an APNG with no frames
        raise Refused("truncated", f"image is damaged or truncated ({library_words(e)})") from e


def _check_heic(data: bytes, limits: Limits) -> int:
    try:
        heif = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)
        w, h = heif.size  # the primary image, from the header
        count = len(heif)
    except (ValueError, RuntimeError, OSError) as e:
        raise Refused("corrupt", f"HEIC image cannot be read ({library_words(e)})") from e
    if w * h > limits.max_pixels:
        raise _too_many_pixels(w, h, limits.max_pixels)
    return count


def check_input(data: bytes, name: str, limits: Limits | None = None,
                policy: Policy = PORTAL) -> Verdict:
    """The verdict on one incoming file. Never raises for what the file contains."""
    limits = limits or Limits()
    verdict = Verdict(True)
    try:
        if not data:
            raise Refused("empty", "empty file (0 bytes)")
        if len(data) > limits.max_bytes:
            raise Refused("too_big", f"file is {_size(len(data))}, more than the limit of "
                                     f"{_size(limits.max_bytes)}")
        media_type, offset = detect(data, name, header_offset_ok=policy.header_offset)
        if offset:
            verdict.repair = True
            verdict.notes.append(f"{offset} bytes before the PDF header ignored")
        _check_not_polyglot(data, media_type)
        if media_type == "application/pdf":
            verdict.pages = _check_pdf(data, limits, policy, verdict)
        else:
            verdict.pages = _check_image(data, media_type, limits)
    except Refused as r:
        return Verdict(False, code=r.code, reason=r.reason,
                       applicant_message=applicant_message(r.code, limits), notes=verdict.notes)
    verdict.media_type = media_type
    return verdict


def validate_upload(data: bytes, name: str, limits: Limits | None = None) -> Verdict:
    """The portal's verdict on one uploaded file."""
    return check_input(data, name, limits, PORTAL)
