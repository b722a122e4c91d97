"""The PDF sanitiser on hostile input (#21): every real hostile PDF and a few crafted ones
(objects that refer to each other in loops, a form whose fields are their own ancestors,
millions of tiny objects, deep nesting) end within seconds and bounded memory, either with
an archive copy or with a refusal of an efile error type whose reason is words and whose
`code` is stable. Never a hang, never a raw library exception.

A hang cannot be caught inside the process that hangs (qpdf's C++ does not see Python's
signals), so every file goes through one child process that reports per file; the parent
gives each file a deadline and names the file that missed it. The feature tests of the
sanitiser (what is removed, what stays) are in test_upload_checks.py."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

pytestmark = pytest.mark.backend_free  # embedded pass only (conftest)

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(os.environ.get("EFILE_HOSTILE_SET", "/work/shared/specimens/hostile"))
PER_FILE_SECONDS = 10
MAX_RSS_MB = 600  # the child's peak: Python with pikepdf and PIL is ~35 MB, qpdf's file copies
AS_LIMIT = 2 << 30  # a blow-up in the child ends as MemoryError (reported) before it hurts CI

# The child: sanitises each file of a folder, one JSON line per file, after a "start" line so
# the parent knows which file a hang belongs to. Changed output is written for the asserts.
CHILD = r"""
import json, resource, sys, time
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), int(sys.argv[3])))
from efile.errors import EfileError
from pipelines.steps.sanitise import sanitise
out = Path(sys.argv[2])
for f in sorted(Path(sys.argv[1]).glob("*.pdf")):
    print(json.dumps({"start": f.name}), flush=True)
    data = f.read_bytes()
    t = time.monotonic()
    res = {"file": f.name}
    try:
        clean = sanitise(data, "application/pdf")
        res.update(outcome="ok", removed=clean.removed)
        if clean.changed:
            (out / f.name).write_bytes(clean.data)
    except EfileError as e:
        res.update(outcome="refused", type=type(e).__name__, code=getattr(e, "code", None),
                   reason=str(e))
    except BaseException as e:
        res.update(outcome="raw", type=f"{type(e).__module__}.{type(e).__name__}",
                   reason=str(e)[:300])
    res["seconds"] = round(time.monotonic() - t, 3)
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across execve, so a child forked from a
    # 1 GB pytest would report the parent's peak; VmHWM belongs to this process image only
    hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    res["rss_mb"] = int(hwm.split()[1]) // 1024
    print(json.dumps(res), flush=True)
"""


def _sanitise_all(folder: Path, out: Path) -> dict[str, dict]:
    """Every PDF of `folder` through sanitise() in one child process, each with a deadline."""
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), str(out), str(AS_LIMIT)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results: dict[str, dict] = {}
    current = "(start-up)"
    try:
        while True:
            # start-up imports pikepdf and PIL: give the first line more time than a file
            ready, _, _ = select.select([proc.stdout], [], [],
                                        PER_FILE_SECONDS + (10 if not results else 0))
            if not ready:
                pytest.fail(f"{current}: no result within {PER_FILE_SECONDS} s (hangs)")
            line = proc.stdout.readline()
            if not line:
                break
            msg = json.loads(line)
            if "start" in msg:
                current = msg["start"]
            else:
                results[msg["file"]] = msg
    finally:
        proc.kill()
        proc.wait()
    if proc.returncode not in (0, -9) or current not in results and current != "(start-up)":
        pytest.fail(f"{current}: the child died ({proc.returncode}): {proc.stderr.read()[-500:]}")
    return results


def _opens(path: Path) -> bool:
    try:
        with pikepdf.open(path):
            return True
    except pikepdf.PasswordError:
        return True  # opens, asks for a password: sanitise must say so in words
    except pikepdf.PdfError:
        return False


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[dict[str, dict], Path]:
    if not HOSTILE.is_dir():
        pytest.skip(f"hostile development set not at {HOSTILE}")
    out = tmp_path_factory.mktemp("sanitised")
    return _sanitise_all(HOSTILE, out), out


def _assert_bounded(res: dict) -> None:
    assert res["outcome"] != "raw", f"{res['file']}: raw {res['type']}: {res['reason']}"
    assert res["seconds"] < PER_FILE_SECONDS, res
    assert res["rss_mb"] < MAX_RSS_MB, res
    if res["outcome"] == "refused":  # a reason in words, with a stable code for the receipt
        assert res["code"] and res["reason"].startswith("PDF cannot be sanitised: "), res
        assert "<_io." not in res["reason"] and " at 0x" not in res["reason"], res


def test_every_hostile_pdf_ends_quickly_with_a_copy_or_a_refusal_in_words(hostile):
    results, _ = hostile
    pdfs = sorted(p.name for p in HOSTILE.glob("*.pdf") if _opens(p))
    assert len(pdfs) > 50 and set(pdfs) <= set(results)
    for name in pdfs:
        _assert_bounded(results[name])


@pytest.mark.parametrize("name", ["pikepdf__cyclic-toc.pdf", "pdfminer__issue-1113-evil-xobjects.pdf",
                                  "pil__trailer_loop.pdf", "qpdf__append-xref-loop.pdf",
                                  "qpdf__issue-117.pdf"])
def test_files_with_reference_loops_come_back_as_they_were(hostile, name):
    # nothing active in them: the loops are walked once, and the original is the copy
    res = hostile[0][name]
    assert (res["outcome"], res["removed"]) == ("ok", []), res


def test_forms_are_flattened_and_their_scripts_removed(hostile):
    results, out = hostile
    assert results["pikepdf__form.pdf"]["removed"] == [
        "form flattened into the page (5 fields)", "form fields without appearance removed (1)"]
    assert results["pdfjs__xfa_issue14315.pdf"]["removed"] == [
        "JavaScript removed (3×)", "XFA form removed (its AcroForm fields kept and flattened)"]
    assert "JavaScript removed (14×)" in results["pdfjs__js-buttons.pdf"]["removed"]
    for name in ("pikepdf__form.pdf", "pdfjs__xfa_issue14315.pdf", "pdfjs__js-buttons.pdf"):
        data = (out / name).read_bytes()
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert Name.AcroForm not in pdf.Root
            for obj in pdf.objects:
                d = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
                if isinstance(d, Dictionary):
                    assert d.get(Name.S) != Name.JavaScript and Name.JS not in d, name
                    assert Name.AA not in d, name
            names = pdf.Root.get(Name.Names)
            assert not isinstance(names, Dictionary) or Name.JavaScript not in names


def test_encrypted_and_broken_pdfs_refused_with_their_codes(hostile):
    results, _ = hostile
    assert results["pypdf__libreoffice-writer-password.pdf"]["code"] == "encrypted"
    assert results["pypdf__libreoffice-writer-password.pdf"]["type"] == "EncryptedInput"
    broken = results["pdfjs__REDHAT-1531897-0.pdf"]
    assert (broken["code"], broken["reason"]) == (
        "damaged_pdf", "PDF cannot be sanitised: the file is damaged and cannot be read "
                       "(qpdf: unable to find /Root dictionary)")


# -- crafted files -------------------------------------------------------------------------------

def _raw_pdf(evil: bytes) -> bytes:
    """A one-page PDF whose catalogue carries object `evil` under /Evil, xref exact: qpdf
    reads it as written, without a repair that could change the attack."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R /Evil 4 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>", evil]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _looping_form(field_loop: bool) -> bytes:
    """Two text fields whose appearance streams draw each other (a cycle through stream
    dictionaries: the old walk's endless loop) and, with `field_loop`, who are each other's
    /Parent and /Kids (a field tree that is not a tree)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0].obj
    helv = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1,
                                        BaseFont=Name.Helvetica))
    ap_a = pdf.make_stream(b"q 0 g BT /Helv 12 Tf 2 5 Td (Anna) Tj ET /X Do Q")
    ap_b = pdf.make_stream(b"q 0 g BT /Helv 12 Tf 2 5 Td (Berg) Tj ET /X Do Q")
    for ap, other in ((ap_a, ap_b), (ap_b, ap_a)):
        ap.stream_dict.update(Dictionary(
            Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 200, 20],
            Resources=Dictionary(XObject=Dictionary(X=other), Font=Dictionary(Helv=helv))))
    fields = []
    for name, ap, y in (("vorname", ap_a, 700), ("nachname", ap_b, 650)):
        fields.append(pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String(name), F=4,
            V=String(name), Rect=[50, y, 250, y + 20], P=page, AP=Dictionary(N=ap),
            DA=String("/Helv 12 Tf 0 g"),
            AA=Dictionary(K=Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))))))
    a, b = fields
    if field_loop:
        a.Kids, b.Parent, b.Kids, a.Parent = Array([b]), a, Array([a]), b
    page.Annots = pdf.make_indirect(Array(fields))
    pdf.Root.AcroForm = Dictionary(Fields=Array([a] if field_loop else fields),
                                   DR=Dictionary(Font=Dictionary(Helv=helv)))
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _nested(depth: int) -> bytes:
    # an action hidden at the bottom of a deep nest: the walk must reach it
    return (b"[" * depth + b"<< /AA << /O << /S /JavaScript /JS (app.alert(1)) >> >> >>"
            + b"]" * depth)


CRAFTED = {
    "form-loop.pdf": lambda: _looping_form(field_loop=True),
    "appearance-loop.pdf": lambda: _looping_form(field_loop=False),
    "million-arrays.pdf": lambda: _raw_pdf(b"[" + b"[]" * 1_000_000 + b"]"),
    "nested-400.pdf": lambda: _raw_pdf(_nested(400)),
    "nested-100000.pdf": lambda: _raw_pdf(_nested(100_000)),
}


@pytest.fixture(scope="module")
def crafted(tmp_path_factory) -> tuple[dict[str, dict], Path]:
    src, out = tmp_path_factory.mktemp("crafted"), tmp_path_factory.mktemp("crafted-out")
    for name, make in CRAFTED.items():
        (src / name).write_bytes(make())
    return _sanitise_all(src, out), out


def test_crafted_files_end_quickly(crafted):
    results, _ = crafted
    assert set(results) == set(CRAFTED)
    for res in results.values():
        _assert_bounded(res)
        assert res["seconds"] < 3, res


def test_form_whose_fields_are_their_own_parents_refused_in_words(crafted):
    res = crafted[0]["form-loop.pdf"]
    assert (res["type"], res["code"], res["reason"]) == (
        "InputRejected", "form_loop",
        "PDF cannot be sanitised: its form fields refer to each other in a loop")


def test_appearance_streams_that_draw_each_other_walked_once_and_flattened(crafted):
    results, out = crafted
    assert results["appearance-loop.pdf"]["removed"] == [
        "JavaScript removed (2×)", "form flattened into the page (2 fields)"]
    data = (out / "appearance-loop.pdf").read_bytes()
    assert b"app.alert" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert Name.AcroForm not in pdf.Root and not pdf.pages[0].obj.get(Name.Annots)


def test_millions_of_tiny_objects_refused_as_too_many(crafted):
    res = crafted[0]["million-arrays.pdf"]
    assert (res["type"], res["code"]) == ("TooLarge", "too_many_objects")
    assert "more than 200,000 objects" in res["reason"]


def test_deep_nesting_walked_to_the_bottom_or_dropped_by_the_parser(crafted):
    results, out = crafted
    assert results["nested-400.pdf"]["removed"] == ["JavaScript removed (1×)"]
    assert b"app.alert" not in (out / "nested-400.pdf").read_bytes()
    # qpdf will not build an object nested 100,000 deep: it reads as null, nothing to remove
    assert results["nested-100000.pdf"]["removed"] == []


def test_budget_is_per_call_and_names_its_limit():
    from efile.errors import TooLarge
    from pipelines.steps.sanitise import sanitise_pdf

    data = _raw_pdf(b"[" + b"[]" * 500 + b"]")
    with pytest.raises(TooLarge, match=r"more than 100 objects \(limit 100;") as e:
        sanitise_pdf(data, max_objects=100)
    assert e.value.code == "too_many_objects"
    started = time.monotonic()
    assert sanitise_pdf(data).removed == []  # the default budget: far above 500
    assert time.monotonic() - started < 1
