"""What a file is, judged by its content, never by its name: one of the accepted types, or a
refusal that names what it is instead (a program, an archive, a web page, plain text ...).

Used by the intake check of every path (steps/validate.py); the policy decides whether bytes
before a PDF header are tolerated (staff paths) or refused as a polyglot (the portal).
"""

from __future__ import annotations

import re

try:  # HEIC (iPhone photos): decoded by libheif, shipped in the pillow-heif wheel
    import pillow_heif
except ImportError:  # pragma: no cover - optional decoder
    pillow_heif = None

ACCEPTED = "PDF, JPEG, PNG, TIFF" + (", HEIC" if pillow_heif else "")


class Refused(Exception):
    """A verdict against a file: `code` is stable (receipts, tests, figures), `reason` is in
    staff words."""

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
    (b"II+\x00", "unsupported", "a BigTIFF image"),
    (b"MM\x00+", "unsupported", "a BigTIFF image"),
]
HTML = re.compile(rb"<\s*(!doctype\s+html|html|head|body|script|iframe|svg)\b", re.I)
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}

# accepted types by their first bytes; strictly at byte 0 (a PDF header later: see detect)
_ACCEPTED_MAGIC = [(b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"),
                   (b"\xff\xd8\xff", "image/jpeg"), (b"II*\x00", "image/tiff"),
                   (b"MM\x00*", "image/tiff")]


def what_it_is(head: bytes) -> tuple[str, str]:
    """(refusal code, description) for content that is none of the accepted types."""
    for magic, code, what in _OTHER:
        if head.startswith(magic):
            return code, what
    if head[257:262] == b"ustar":
        return "archive", "a tar archive"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "unsupported", "a WebP image"
    text = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if HTML.match(text) or (text[:5] == b"<?xml" and HTML.search(text)):
        return "html", "an HTML page" if b"svg" not in text[:200].lower() else "an SVG image"
    try:
        head[:1024].decode("utf-8")
        return "unsupported", "plain text"
    except UnicodeDecodeError:
        return "unsupported", "unknown binary data"


def _media_type(head: bytes) -> str | None:
    for magic, media_type in _ACCEPTED_MAGIC:
        if head.startswith(magic):
            return media_type
    if head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return "image/heic"
    return None


def detect(data: bytes, name: str, *, header_offset_ok: bool) -> tuple[str, int]:
    """(media type, offset of the PDF header) or Refused. Readers accept a PDF header up to
    1 KiB in; `header_offset_ok` says whether bytes before it are tolerated (they are never
    tolerated when they are a program, an archive or a web page: a file that is two things)."""
    head = data[:2048]
    media_type = _media_type(head)
    if media_type == "image/heic" and pillow_heif is None:
        raise Refused("unsupported", "a HEIC image, and no HEIC decoder is installed")
    if media_type:
        return media_type, 0
    code, what = what_it_is(head)
    pdf_at = head[:1024].find(b"%PDF-")
    if pdf_at > 0:
        if header_offset_ok and code not in ("archive", "executable", "html"):
            return "application/pdf", pdf_at
        # an archive holding a PDF uncompressed is refused as the archive the applicant made
        code = code if code in ("archive", "executable", "html") else "polyglot"
        raise Refused(code, f"polyglot: {what} with a PDF header at byte {pdf_at}")
    if name.lower().endswith(".pdf"):
        raise Refused(code, f"named .pdf but is not a PDF: content is {what}")
    raise Refused(code, f"unsupported file type: {what} (accepted: {ACCEPTED})")


def sniff(data: bytes, name: str = "") -> str:
    """The accepted media type of `data` (bytes before a PDF header tolerated)."""
    if not data:
        raise Refused("empty", "empty file (0 bytes)")
    return detect(data, name, header_offset_ok=True)[0]
