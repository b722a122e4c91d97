"""Sanitise an incoming file for its archive copy, on every path (steps/intake.py): what could
act when the file is opened in a browser or viewer goes, what the sender sees stays. The original is never touched: the caller keeps the bytes as
received and gets new bytes back, with a list of what was removed in staff words.

PDFs: JavaScript, launch/submit/import and other active actions (document, page, annotation
and form-field actions), embedded and associated files, file attachments and multimedia
annotations are removed; form fields are burnt into the page with their appearances and the
form (also an XFA form) removed. Links within the document and to web addresses stay.

Photos: turned upright as their EXIF orientation says and stripped of EXIF (GPS position,
camera, time), losslessly where the format allows; HEIC becomes JPEG for the archive.
"""

from __future__ import annotations

import io
import struct
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name
from PIL import Image, ImageOps

from efile.errors import EncryptedInput, InputRejected, TooLarge
from pipelines.tools import jpegtran

from .reasons import library_words

try:
    import pillow_heif
except ImportError:  # pragma: no cover - optional decoder, validate refuses HEIC without it
    pillow_heif = None

# actions that only move the reader within the document or to a web address
SAFE_ACTIONS = {"/GoTo", "/URI", "/Named", "/Thread"}
WEB_SCHEMES = {"http", "https", "mailto"}
# annotations that carry files or play media rather than mark up the page
ACTIVE_ANNOTATIONS = {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
ORIENTATION, GPS_IFD = 0x0112, 0x8825
JPEG_QUALITY = 95  # only where a lossless way does not exist (HEIC, odd-sized photos)
# How many PDF objects (dictionaries, arrays, streams) one walk of the object graph may meet.
# Measured (#21): the 300-page text PDF of efile.samples meets 3,020, a 300-page img2pdf scan
# 1,806, the biggest real file of the hostile set 1,639 (pdf.js tracemonkey); about 15 µs
# each. 200,000 leaves room for a real document within the 300-page limit, also a tagged one
# (estimated: a structure element per line, 300 × 40 lines × ~5 objects = 60,000), and stops
# a crafted one (a million tiny arrays fit in 2 MB) within a second.
MAX_OBJECTS = 200_000


def _rejected(kind: type[InputRejected], code: str, reason: str) -> InputRejected:
    """A refusal with a stable `code` for the caller's receipt and a reason in staff words."""
    e = kind(reason)
    e.code = code  # type: ignore[attr-defined]
    return e


def _too_many_objects(limit: int) -> InputRejected:
    return _rejected(TooLarge, "too_many_objects",
                     f"PDF cannot be sanitised: it has more than {limit:,} objects (limit "
                     f"{limit:,}; real documents have far fewer), so it is refused as a "
                     "likely attack on the archive")


def _form_loop() -> InputRejected:
    return _rejected(InputRejected, "form_loop",
                     "PDF cannot be sanitised: its form fields refer to each other in a loop")


class _Budget:
    """Objects met across every walk of one sanitise run, refused beyond `limit`."""

    def __init__(self, limit: int) -> None:
        self.limit, self.used = limit, 0

    def spend(self, n: int = 1) -> None:
        self.used += n
        if self.used > self.limit:
            raise _too_many_objects(self.limit)


@dataclass
class Sanitised:
    data: bytes  # the bytes to build the archive copy from
    media_type: str
    removed: list[str] = field(default_factory=list)  # what was taken out or changed

    @property
    def changed(self) -> bool:
        return bool(self.removed)


def sanitise(data: bytes, media_type: str) -> Sanitised:
    if media_type == "application/pdf":
        return sanitise_pdf(data)
    return sanitise_image(data, media_type)


# -- PDF ---------------------------------------------------------------------------------------

def _action_types(action: object, budget: _Budget) -> list[str]:
    """The /S of an action and of every action chained to it through /Next."""
    found: list[str] = []
    stack, seen = [action], set()
    while stack:
        a = stack.pop()
        if not isinstance(a, Dictionary | Array):
            continue
        if a.is_indirect:  # an array in /Next can hold itself as well as a dictionary can
            if a.objgen in seen:
                continue
            seen.add(a.objgen)
        budget.spend()
        if isinstance(a, Array):
            stack.extend(a)
            continue
        kind = str(a.get(Name.S, "/?"))
        if kind == "/URI":  # a "link" to javascript: or file: runs or opens something local
            scheme = str(a.get(Name.URI, "")).partition(":")[0].strip().lower()
            kind = kind if scheme in WEB_SCHEMES else f"/URI ({scheme}:)"
        found.append(kind)
        if Name.Next in a:
            stack.append(a.Next)
    return found


def _filespec_name(spec: object) -> str:
    if isinstance(spec, Dictionary):
        for key in (Name.UF, Name.F):
            if key in spec:
                return str(spec[key])
    return "unnamed"


class _Report:
    def __init__(self) -> None:
        self.actions: Counter[str] = Counter()
        self.lines: list[str] = []

    def action(self, types: list[str]) -> None:
        for t in types:
            if t not in SAFE_ACTIONS:
                self.actions[t.lstrip("/")] += 1

    def summary(self) -> list[str]:
        out = [f"{kind} action removed ({n}×)" if kind != "JavaScript"
               else f"JavaScript removed ({n}×)" for kind, n in sorted(self.actions.items())]
        return out + list(dict.fromkeys(self.lines))  # a file reached twice, said once


def _strip_dictionary(d: Dictionary, report: _Report, budget: _Budget) -> None:
    if Name.AA in d:  # additional actions: on open/close/print, key strokes, mouse events
        aa = d.AA
        report.action([t for v in (aa.values() if isinstance(aa, Dictionary) else [])
                       for t in _action_types(v, budget)] or ["/AA"])
        del d[Name.AA]
    for key in (Name.A, Name.OpenAction):
        if key in d and isinstance(d[key], Dictionary):
            types = _action_types(d[key], budget)
            if any(t not in SAFE_ACTIONS for t in types):
                report.action(types)
                del d[key]
    if Name.EF in d:  # a file specification carrying the file itself
        report.lines.append(f"embedded file removed: {_filespec_name(d)}")
        del d[Name.EF]
    if Name.AF in d:
        del d[Name.AF]  # associated files (PDF 2.0 / PDF/A-3): their specs lost /EF above


def _walk(pdf: pikepdf.Pdf, budget: _Budget) -> list[Dictionary]:
    """Every dictionary reachable from the trailer (stream dictionaries included), each once.

    Iterative, so a 100,000-level nested array costs a list, not the Python stack. An indirect
    object (stream or not) is marked seen by its object number when it is first met, before
    anything inside it is looked at: a stream is seen as itself, not as its dictionary, which
    is direct and has no number (marking that instead let stream cycles walk forever, #21).
    Back-links (/Parent, /P) are followed as well: a crafted file can hang an action on a
    dictionary that only a back-link reaches and the archive copy would keep it, and a
    back-link to an object already met costs one set lookup. Every container met is spent
    from `budget`, so no file walks longer than the budget allows."""
    found: list[Dictionary] = []
    seen: set[tuple[int, int]] = set()
    stack: list[object] = []

    def push(obj: object) -> None:
        if not isinstance(obj, Dictionary | Array | pikepdf.Stream):
            return  # names, numbers, strings: nothing can hide inside them
        if obj.is_indirect:
            if obj.objgen in seen:
                return
            seen.add(obj.objgen)
        budget.spend()
        stack.append(obj)

    push(pdf.trailer)
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict  # the stream itself is already marked seen above
        if isinstance(obj, Dictionary):
            found.append(obj)
            for value in obj.values():
                push(value)
        else:
            for value in obj:
                push(value)
    return found


def _check_form_tree(pdf: pikepdf.Pdf, form: Dictionary, budget: _Budget) -> None:
    """Refuse a form whose fields refer to each other in a loop, before qpdf builds or
    flattens appearances (its field code assumes a tree). Down: /Fields and /Kids must reach
    every field once. Up: no /Parent chain of a field or a page's widget may come back to
    itself."""
    nodes: list[Dictionary] = []
    seen: set[tuple[int, int]] = set()
    stack = [form.get(Name.Fields)]
    while stack:
        obj = stack.pop()
        if isinstance(obj, Array):
            budget.spend()
            stack.extend(obj)
            continue
        if not isinstance(obj, Dictionary):
            continue
        if obj.is_indirect:
            if obj.objgen in seen:
                raise _form_loop()  # a field reached twice: a loop, or one kid of two parents
            seen.add(obj.objgen)
        budget.spend()
        nodes.append(obj)
        stack.append(obj.get(Name.Kids))
    for page in pdf.pages:
        annots = page.obj.get(Name.Annots)
        if isinstance(annots, Array):
            nodes.extend(a for a in annots
                         if isinstance(a, Dictionary) and a.get(Name.Subtype) == Name.Widget)
    done: set[tuple[int, int]] = set()  # chains already followed to their top: O(n) in all
    for start in nodes:
        path: set[tuple[int, int]] = set()
        node: object = start
        while isinstance(node, Dictionary) and node.is_indirect and node.objgen not in done:
            if node.objgen in path:
                raise _form_loop()
            path.add(node.objgen)
            budget.spend()
            node = node.get(Name.Parent)
        done |= path


def _strip_names(pdf: pikepdf.Pdf, report: _Report) -> None:
    names = pdf.Root.get(Name.Names)
    if not isinstance(names, Dictionary):
        return
    if Name.JavaScript in names:
        report.actions["JavaScript"] += max(1, len(pikepdf.NameTree(names.JavaScript).keys()))
        del names[Name.JavaScript]
    if Name.EmbeddedFiles in names:
        tree = pikepdf.NameTree(names.EmbeddedFiles)
        for key, spec in tree.items():
            report.lines.append(f"embedded file removed: {_filespec_name(spec) or key}")
        del names[Name.EmbeddedFiles]


def _strip_annotations(pdf: pikepdf.Pdf, report: _Report) -> None:
    for page in pdf.pages:
        annots = page.obj.get(Name.Annots)
        if not isinstance(annots, Array):
            continue
        keep = []
        for annot in annots:
            subtype = str(annot.get(Name.Subtype, "")) if isinstance(annot, Dictionary) else ""
            if subtype in ACTIVE_ANNOTATIONS:
                what = _filespec_name(annot.get(Name.FS)) if subtype == "/FileAttachment" else ""
                report.lines.append(f"{subtype.lstrip('/')} annotation removed"
                                    + (f": {what}" if what else ""))
            else:
                keep.append(annot)
        if len(keep) != len(annots):
            page.obj[Name.Annots] = pdf.make_indirect(Array(keep))


def _flatten_form(pdf: pikepdf.Pdf, report: _Report, budget: _Budget) -> None:
    form = pdf.Root.get(Name.AcroForm)
    if not isinstance(form, Dictionary):
        return
    _check_form_tree(pdf, form, budget)
    if Name.XFA in form:
        del form[Name.XFA]
        report.lines.append("XFA form removed (its AcroForm fields kept and flattened)")
    fields = len(pdf.acroform.fields) if Name.Fields in form else 0
    pdf.generate_appearance_streams()  # fields filled without an appearance (NeedAppearances)
    pdf.flatten_annotations("all")
    leftover = 0
    for page in pdf.pages:  # widgets without any appearance show nothing: drop them
        annots = page.obj.get(Name.Annots)
        if isinstance(annots, Array):
            keep = [a for a in annots if a.get(Name.Subtype) != Name.Widget]
            if len(keep) != len(annots):
                leftover += len(annots) - len(keep)
                page.obj[Name.Annots] = Array(keep)
    if Name.AcroForm in pdf.Root:
        del pdf.Root[Name.AcroForm]
    if fields:
        report.lines.append(f"form flattened into the page ({fields} field"
                            f"{'s' if fields != 1 else ''})")
    if leftover:
        report.lines.append(f"form fields without appearance removed ({leftover})")


def sanitise_pdf(data: bytes, max_objects: int = MAX_OBJECTS) -> Sanitised:
    report = _Report()
    budget = _Budget(max_objects)
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            _strip_names(pdf, report)
            _strip_annotations(pdf, report)
            for d in _walk(pdf, budget):
                _strip_dictionary(d, report, budget)
            if Name.Collection in pdf.Root:
                del pdf.Root[Name.Collection]
                report.lines.append("PDF portfolio view removed")
            _flatten_form(pdf, report, budget)
            removed = report.summary()
            if not removed:
                return Sanitised(data, "application/pdf")
            buf = io.BytesIO()
            pdf.save(buf)  # unreachable objects (scripts, embedded files) are not written
    except pikepdf.PasswordError as e:
        raise _rejected(EncryptedInput, "encrypted",
                        "PDF cannot be sanitised: it is protected by a password") from e
    except pikepdf.PdfError as e:
        detail = library_words(e, 200)
        raise _rejected(InputRejected, "damaged_pdf",
                        "PDF cannot be sanitised: the file is damaged and cannot be read"
                        + (f" (qpdf: {detail})" if detail else "")) from e
    except (pikepdf.PikepdfError, RuntimeError, RecursionError) as e:
        # qpdf's C++ errors arrive as RuntimeError; recursion inside the library on a deeply
        # nested file as RecursionError: both mean this file, not our service, is broken
        detail = library_words(e, 200)
        raise _rejected(InputRejected, "unreadable_pdf",
                        "PDF cannot be sanitised: its structure cannot be processed"
                        + (f" ({detail})" if detail else "")) from e
    return Sanitised(buf.getvalue(), "application/pdf", removed)


# -- photos ------------------------------------------------------------------------------------

def _exif_facts(img: Image.Image) -> tuple[int, bool]:
    exif = img.getexif()
    orientation = exif.get(ORIENTATION, 1)
    return (orientation if orientation in jpegtran.TRANSFORMS else 1), GPS_IFD in exif


def _metadata_lines(orientation: int, gps: bool, had_metadata: bool) -> list[str]:
    lines = []
    if orientation != 1:
        lines.append(f"photo turned upright (EXIF orientation {orientation})")
    if gps:
        lines.append("EXIF metadata removed, including the GPS position")
    elif had_metadata:
        lines.append("EXIF and other metadata removed")
    return lines


def _pillow_upright(img: Image.Image, fmt: str, **options: object) -> bytes:
    upright = ImageOps.exif_transpose(img)
    buf = io.BytesIO()
    icc = img.info.get("icc_profile")
    upright.save(buf, format=fmt, **({"icc_profile": icc} if icc else {}), **options)
    return buf.getvalue()


def _sanitise_jpeg(data: bytes) -> Sanitised:
    with Image.open(io.BytesIO(data)) as img:
        orientation, gps = _exif_facts(img)
        # JFIF (APP0), the ICC profile (APP2) and Adobe (APP14) describe the pixels; the rest
        # is metadata: EXIF and XMP (APP1), maker notes, comments, MPF (further images: depth
        # maps, previews) - jpegtran keeps the main image only
        meta = [m for m, d in img.applist if m not in ("APP0", "APP2", "APP14")
                or (m == "APP2" and not d.startswith(b"ICC_PROFILE"))]
        if orientation == 1 and not meta:
            return Sanitised(data, "image/jpeg")
        lines = _metadata_lines(orientation, gps, bool(meta))
        try:
            out = _drop_foreign_app2(jpegtran.upright_without_metadata(data, orientation))
        except jpegtran.NotPerfect:
            if img.mode not in ("L", "RGB", "CMYK"):
                img = img.convert("RGB")
            out = _pillow_upright(img, "JPEG", quality=JPEG_QUALITY)
            lines.append(f"re-encoded as JPEG (quality {JPEG_QUALITY}): its size does not "
                         "allow a lossless turn")
    return Sanitised(out, "image/jpeg", lines)


def _drop_foreign_app2(jpeg: bytes) -> bytes:
    """jpegtran's `-copy icc` keeps every APP2 segment, also an MPF index of further images
    it has already dropped: keep only the ICC profile's, so no reader looks for them."""
    out, pos = [jpeg[:2]], 2
    while pos + 4 <= len(jpeg) and jpeg[pos] == 0xFF:
        marker = jpeg[pos + 1]
        if marker == 0xDA:  # start of scan: the image data follows, no more segments
            break
        end = pos + 2 + struct.unpack(">H", jpeg[pos + 2:pos + 4])[0]
        if not (marker == 0xE2 and not jpeg[pos + 4:end].startswith(b"ICC_PROFILE")):
            out.append(jpeg[pos:end])
        pos = end
    return b"".join(out) + jpeg[pos:]


_PNG_METADATA = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + length
        yield kind, data[pos:end]
        pos = end
        if kind == b"IEND":
            break


def _sanitise_png(data: bytes) -> Sanitised:
    with Image.open(io.BytesIO(data)) as img:
        orientation, gps = _exif_facts(img)
        chunks = list(_png_chunks(data))
        meta = [k for k, _ in chunks if k in _PNG_METADATA]
        if orientation != 1:  # PNG is lossless: turning the pixels costs nothing in quality
            out = _pillow_upright(img, "PNG")
        elif meta:  # drop the metadata chunks, every pixel byte as it was
            out = data[:8] + b"".join(c for k, c in chunks if k not in _PNG_METADATA)
        else:
            return Sanitised(data, "image/png")
    return Sanitised(out, "image/png", _metadata_lines(orientation, gps, bool(meta)))


def _heic_to_jpeg(data: bytes) -> Sanitised:
    if pillow_heif is None:  # pragma: no cover
        raise InputRejected("HEIC image cannot be read: no HEIC decoder installed")
    try:
        # libheif applies the HEIF rotation/mirror boxes, which HEIF makes authoritative over
        # the EXIF orientation tag: the decoded image is already upright
        img = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True).to_pillow()
    except (ValueError, RuntimeError, OSError) as e:
        raise InputRejected(f"HEIC image cannot be decoded: {e}") from e
    buf = io.BytesIO()
    icc = img.info.get("icc_profile")
    img.convert("RGB").save(buf, format="JPEG", quality=JPEG_QUALITY,
                            **({"icc_profile": icc} if icc else {}))
    return Sanitised(buf.getvalue(), "image/jpeg",
                     [f"HEIC photo converted to JPEG (quality {JPEG_QUALITY}), "
                      "EXIF metadata removed"])


def sanitise_image(data: bytes, media_type: str) -> Sanitised:
    if media_type == "image/jpeg":
        return _sanitise_jpeg(data)
    if media_type == "image/png":
        return _sanitise_png(data)
    if media_type == "image/heic":
        return _heic_to_jpeg(data)
    return Sanitised(data, media_type)  # TIFF: scanner output, kept as it is
