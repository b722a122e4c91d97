"""Under traffic and attack, against a real `efile serve` process (issue #12), bounded for CI:
a short concurrency soak (bench/soak.py), two rounds of the kill -9 campaign (bench/kill9.py), then
bodies of 200 MB before authentication, a pixel bomb and a Flate bomb through the portal
against the server the campaign restarted last.
Each bomb must be refused clearly for < 5 s and < 200 MB of extra server memory (the server
and every process it started), and an unauthenticated body must not be spooled to disk.

The full campaigns: `python bench/soak.py --seconds 300`, `python bench/kill9.py --rounds 20`."""

from __future__ import annotations

import io
import random
import socket
import struct
import sys
import threading
import time
import zlib
from pathlib import Path

import pikepdf
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import conftest
import kill9
import soak
from live import AZ, Server, make_home

from efile.context import reset_contexts

MB = 1 << 20
BIG = 200 * MB
LIMIT_S, LIMIT_MB = 5.0, 200


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    office = make_home(tmp, conftest.BACKEND)
    spool = tmp / "spool"  # the server's TMPDIR: where a read body would be spooled
    spool.mkdir()
    server = Server(tmp / "serve.log", env={"TMPDIR": str(spool)}).start()  # cold: the soak
    # pays its first upload's start-up (imports, the parsing workers' forkserver)
    state = {"office": office, "tmp": tmp, "server": server, "spool": spool}
    yield state
    state["server"].stop()
    reset_contexts()


def test_the_server_stays_up_without_a_5xx_under_concurrent_uploads_and_reads(live):
    r = soak.soak(live["server"], live["office"]["tokens"], live["tmp"], seconds=4, clients=3)
    table = "\n".join(soak.table(r, conftest.BACKEND))
    assert r["ok"], table + "\n" + "\n".join(r["errors"]) + "\n" + live["server"].log_tail()
    assert r["requests"].get("upload", 0) >= 2 and r["requests"].get("search", 0) >= 2, table
    assert r["files"].get("received", 0) >= 2 and r["staff_files"].get("filed", 0) >= 2, table


def test_a_kill_9_during_uploads_loses_and_doubles_nothing_and_leaves_nothing_stuck(live):
    # the warm server is killed in round 1; the last one restarted serves the tests below
    r = kill9.upload_campaign(live["office"], live["tmp"], rounds=2, files=3, pages=2,
                              rng=random.Random(), server=live["server"], window=0.6,
                              keep=True, log=lambda _: None)
    live["server"] = r.pop("server")
    assert r["ok"], r
    assert set(r["outcomes"]) <= {"filed", "inbox", "duplicate"} and \
        sum(r["outcomes"].values()) == 6, r


# -- what an attacker's request costs the server ----------------------------------------------

class Cost:
    """Peak extra resident memory of the server's process tree and the most its TMPDIR held,
    sampled while the block runs."""

    def __init__(self, server: Server, spool: Path) -> None:
        self.server, self.spool = server, spool

    def __enter__(self) -> Cost:
        self.base = self.server.sample()
        self.peak, self.spooled, self.stop = self.base, 0, threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        self.start = time.monotonic()
        return self

    def _watch(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, self.server.sample())
            self.spooled = max(self.spooled, sum(p.stat().st_size for p in
                                                 self.spool.rglob("*") if p.is_file()))
            time.sleep(0.01)

    def __exit__(self, *exc) -> None:
        self.seconds = time.monotonic() - self.start
        self.stop.set()
        self.thread.join()
        self.extra_mb = (self.peak - self.base) / 1024

    def check(self) -> None:
        assert self.seconds < LIMIT_S, f"took {self.seconds:.1f} s"
        assert self.extra_mb < LIMIT_MB, f"cost {self.extra_mb:.0f} MB of server memory"


def push(server: Server, head: str, size: int, *, chunked: bool) -> tuple[int | None, int]:
    """Send a request with a `size`-byte body over a raw socket, as fast as the server takes
    it, until it answers; returns the status (None: no answer) and the bytes sent."""
    s = socket.create_connection(("127.0.0.1", server.port), timeout=LIMIT_S)
    got = bytearray()

    def read() -> None:
        try:
            while b"\r\n\r\n" not in got:
                data = s.recv(65536)
                if not data:
                    return
                got.extend(data)
        except OSError:
            return

    reader = threading.Thread(target=read, daemon=True)
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
    s.sendall(f"{head}{framing}\r\nConnection: close\r\n\r\n".encode())
    reader.start()
    chunk, sent, deadline = b"A" * MB, 0, time.monotonic() + LIMIT_S
    try:
        while sent < size and not got and time.monotonic() < deadline:
            s.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            sent += len(chunk)
        if chunked and sent >= size:
            s.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server answered and closed: what it should do
    reader.join(LIMIT_S)
    s.close()
    line = bytes(got).split(b"\r\n", 1)[0].split()
    return (int(line[1]) if len(line) > 1 and line[1].isdigit() else None), sent


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_an_unauthenticated_200_mb_upload_is_refused_before_its_body_is_read(live, chunked):
    head = ("POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nIdempotency-Key: bomb-0001\r\n"
            "Content-Type: multipart/form-data; boundary=xyz\r\n")
    with Cost(live["server"], live["spool"]) as cost:
        status, sent = push(live["server"], head, BIG, chunked=chunked)
    assert status == 401, (status, sent)
    cost.check()
    assert cost.spooled < MB, f"{cost.spooled:,} bytes spooled to disk before the 401"
    assert live["server"].alive()


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_200_mb_json_body_to_the_token_endpoint_is_refused_at_once(live, chunked):
    head = ("POST /api/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\n")
    with Cost(live["server"], live["spool"]) as cost:
        status, sent = push(live["server"], head, BIG, chunked=chunked)
    assert status == 413, (status, sent)
    cost.check()
    assert sent < 16 * MB, f"{sent:,} bytes taken in before the refusal"
    assert live["server"].alive()


def pixel_bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A complete, valid 1-bit PNG of 400 megapixels (decoded, 400 MB in mode '1', 1.2 GB as
    RGB): all zeros, ~60 kB on the wire."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    row = b"\x00" * (1 + (width + 7) // 8)
    z = zlib.compressobj(9)
    block = row * 1000
    idat = b"".join(z.compress(block) for _ in range(height // 1000)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


def flate_bomb_pdf(inflated_mb: int = 1024) -> bytes:
    """A one-page PDF whose content stream (NUL bytes: PDF whitespace) is ~1 MB Flate that
    inflates to `inflated_mb` MB. Built block by block: each fully flushed 1 MB block of
    zeros deflates to the same bytes, so it is repeated instead of compressed again."""
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = b"\0" * MB
    first = z.compress(zeros) + z.flush(zlib.Z_FULL_FLUSH)
    again = z.compress(zeros) + z.flush(zlib.Z_FULL_FLUSH)
    total = inflated_mb * MB
    adler = ((total % 65521) << 16) | 1  # Adler-32 of zeros: A stays 1, B counts the bytes
    data = (b"\x78\xda" + first + again * (inflated_mb - 1) + z.flush()
            + struct.pack(">I", adler))
    pdf = pikepdf.new()
    pdf.add_blank_page()
    content = pikepdf.Stream(pdf, b"")
    content.write(data, filter=pikepdf.Name.FlateDecode)
    pdf.pages[0].Contents = pdf.make_indirect(content)
    buf = io.BytesIO()
    pdf.save(buf, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return buf.getvalue()


def _upload_bomb(live, name: str, data: bytes) -> dict:
    import httpx

    with Cost(live["server"], live["spool"]) as cost:
        r = httpx.post(live["server"].url + "/api/uploads", data={"reference": AZ},
                       files=[("files", (name, data))], timeout=LIMIT_S + 1,
                       headers={"Authorization": f"Bearer {live['office']['tokens']['portal']}",
                                "Idempotency-Key": f"bomb-{name}-{time.time_ns()}"})
    assert r.status_code == 201, r.text
    (f,) = r.json()["files"]
    assert f["status"] == "refused" and f["message"], f
    cost.check()
    assert live["server"].alive()
    return f


def test_a_pixel_bomb_png_is_refused_by_its_header_before_decoding(live):
    f = _upload_bomb(live, "foto.png", pixel_bomb_png())
    assert f["code"] == "too_many_pixels", f


def test_a_flate_bomb_pdf_is_refused_before_a_reader_inflates_it(live):
    bomb = flate_bomb_pdf()
    assert len(bomb) < 2 * MB
    f = _upload_bomb(live, "antrag.pdf", bomb)
    assert f["code"] == "inflation_bomb", f


def test_a_forged_forwarded_for_is_not_believed_from_an_untrusted_peer(live):
    """#12: uvicorn trusted X-Forwarded-For from any local process: a sign-in attempt could
    name any address (past the per-address pause, into the audit log). Without
    EFILE_TRUSTED_PROXIES the peer's own address is what counts."""
    import httpx
    from sqlalchemy import select

    from efile.access.models import LoginAttempt
    from efile.context import get_context

    forged = "203.0.113.77"
    for _ in range(3):
        r = httpx.post(live["server"].url + "/api/auth/token", timeout=10,
                       json={"username": "sb.a", "password": "falsch-falsch"},
                       headers={"X-Forwarded-For": forged, "X-Real-IP": forged})
        assert r.status_code in (401, 429), r.text
    with get_context().db.session() as s:
        clients = set(s.scalars(select(LoginAttempt.client).where(
            LoginAttempt.username == "sb.a")))
    assert clients and forged not in clients and clients <= {"127.0.0.1"}, clients


def test_odd_file_names_are_stored_and_answered_without_internals(live):
    """#12: a file named `..` was an IsADirectoryError and a 300-character name 'File name too
    long' in the receipt, and the file was lost; now each is received under a safe name."""
    import httpx

    from efile.samples.born_digital import write_text_pdf

    names = ["..", "ä" * 300 + ".pdf", "\u202efdp.exe.pdf", "C:\\Users\\x\\brief.pdf"]
    files = []
    for i, name in enumerate(names):
        pdf = write_text_pdf(live["tmp"] / f"odd{i}.pdf", [[
            "Arbeitgeberbescheinigung", f"Laufende Nummer {i} {time.time_ns()}",
            "Herr Piotr Nowak ist bei uns beschäftigt."]]).read_bytes()
        files.append(("files", (name, pdf)))
    r = httpx.post(live["server"].url + "/api/uploads", data={"reference": AZ}, files=files,
                   timeout=60, headers={
                       "Authorization": f"Bearer {live['office']['tokens']['portal']}",
                       "Idempotency-Key": f"odd-names-{time.time_ns()}"})
    assert r.status_code == 201, r.text
    assert [f["status"] for f in r.json()["files"]] == ["received"] * len(names), r.text
    for leak in ("Error", "too long", "/tmp", "Traceback", "<_io"):
        assert leak not in r.text, leak
