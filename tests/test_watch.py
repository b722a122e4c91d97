"""The hot folder takes a file only once the scanner has finished writing it, and never
twice."""

from __future__ import annotations

import json
import os
import random
import subprocess
import threading
import time

from conftest import EFILE_BIN, create_efiles
from test_batch import scanned_cover

from efile.coversheet import CoverSheet
from efile.samples import scan_pages
from efile.samples.render import save_scan
from pipelines.watch import Watcher


def test_a_slowly_written_file_is_taken_only_when_complete(tmp_path):
    folder = tmp_path / "scanner"
    folder.mkdir()
    (folder / ".hidden").write_bytes(b"x")
    (folder / "scan.tmp").write_bytes(b"x")
    data = os.urandom(200_000)
    taken: list[tuple[str, int]] = []

    def slow_scanner() -> None:
        with open(folder / "stapel.tif", "wb") as f:
            for i in range(0, len(data), 20_000):
                f.write(data[i:i + 20_000])
                f.flush()
                time.sleep(0.25)

    writer = threading.Thread(target=slow_scanner)
    writer.start()
    w = Watcher(folder, settle=1.0)
    deadline = time.monotonic() + 20
    while not taken and time.monotonic() < deadline:
        for p in w.ready():
            taken.append((p.name, p.stat().st_size))
            w.take(p, lambda q: {"path": str(q)})
        time.sleep(0.2)
    writer.join()
    assert taken == [("stapel.tif", len(data))]  # whole, and once
    assert (folder / "done" / "stapel.tif").read_bytes() == data
    assert w.ready() == [] and sorted(p.name for p in folder.iterdir()) == [
        ".hidden", "done", "scan.tmp"]


def test_a_failing_file_moves_aside_with_its_reason(tmp_path):
    (tmp_path / "kaputt.tif").write_bytes(b"not a tiff")
    w = Watcher(tmp_path, settle=0.5)

    def handle(_):
        raise ValueError("cannot read the scan")

    (r,) = w.run_once(handle, poll=0.1)
    assert r["error"] == "ValueError: cannot read the scan"
    assert (tmp_path / "failed" / "kaputt.tif.error.txt").read_text().startswith("ValueError")


def test_efile_watch_once_files_a_finished_stack(fresh_home, samples, tmp_path):
    create_efiles(samples)
    letter = next(s for s in samples if s.doc.kind == "landlord_confirmation")
    az = letter.doc.person["aktenzeichen"]
    folder = tmp_path / "hot"
    save_scan([scanned_cover(CoverSheet(az, "landlord_confirmation"), random.Random(4)),
               scan_pages(letter.doc, seed=9)[0]], folder / "stapel-7.tif")
    res = subprocess.run([EFILE_BIN, "watch", str(folder), "--operator", "scan.b", "--settle",
                          "0.5", "--once", "--json"], capture_output=True, text=True,
                         env=dict(os.environ), timeout=300)
    assert res.returncode == 0, res.stderr
    (batch,) = json.loads(res.stdout)
    (doc,) = batch["documents"]
    assert (doc["status"], doc["efile"], doc["pages"]) == ("filed", az, [2])
    assert batch["moved_to"].endswith("done/stapel-7.tif")
