"""What a file is, judged by its first bytes, never by its name."""

from __future__ import annotations

from efile.errors import InputRejected, UnsupportedType

ACCEPTED = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
}

# a few common things people feed by mistake, to name them in the refusal
_KNOWN = [
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "a Linux executable"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"Rar!", "a RAR archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
]


def _describe(head: bytes) -> str:
    for magic, what in _KNOWN:
        if head.startswith(magic):
            return what
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "a HEIC image"
    probe = head[:512].lstrip().lower()
    if probe.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    try:
        head[:512].decode("utf-8")
        return "plain text"
    except UnicodeDecodeError:
        return "unknown binary data"


def sniff(data: bytes, name: str = "") -> str:
    """The accepted media type of `data`, or InputRejected naming what it is instead."""
    if not data:
        raise InputRejected("empty file (0 bytes)")
    head = data[:2048]
    # PDF readers accept the header within the first 1024 bytes
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    what = _describe(head)
    if name.lower().endswith(".pdf"):
        raise UnsupportedType(f"named .pdf but is not a PDF: content is {what}")
    raise UnsupportedType(f"unsupported file type: {what} (accepted: PDF, PNG, JPEG, TIFF)")
