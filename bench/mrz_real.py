"""efile's MRZ reader and PassportEye side by side on the real specimen images (truth.tsv
in ../shared/specimens/mrz, or EFILE_MRZ_SET): per format (TD1, TD2, TD3, MRV-A, MRV-B),
how many images each reads valid with the right number and birth date, valid with a WRONG
number (the misfile risk; efile's count says how many of those it disputes, which sends the
document to the inbox), found but not valid, not found.

PassportEye 2.2.2 is no dependency of efile: the bench installs it into a throw-away
virtualenv of its own (under /tmp, kept for the next run) and runs it there as a
subprocess. Without network, or when the install fails, it says so and reports efile alone.

    python bench/mrz_real.py [--only SUBSTRING] [--no-passporteye] [--record]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import venv
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SPECIMENS = Path(os.environ.get("EFILE_MRZ_SET", ROOT.parent / "shared" / "specimens" / "mrz"))
PE_VENV = Path(os.environ.get("EFILE_PASSPORTEYE_VENV", "/tmp/efile-passporteye-venv"))
PE_VERSION = "2.2.2"
PE_OUTCOMES = ("right", "right, other checks fail", "wrong", "found, invalid", "not found")
FORMATS = ("TD1", "TD2", "TD3", "MRVA", "MRVB")
OUTCOMES = ("right", "right, disputed", "wrong", "found, invalid", "not found")

# run inside PassportEye's virtualenv: one JSON line per image
_PE_SCRIPT = r"""
import json, sys
from passporteye import read_mrz
for path in sys.argv[1:]:
    try:
        m = read_mrz(path)
    except Exception as e:  # one bad image must not end the comparison
        print(json.dumps({"file": path, "error": repr(e)}), flush=True)
        continue
    d = m.to_dict() if m is not None else None
    print(json.dumps({"file": path, "mrz": d and {k: d.get(k) for k in (
        "mrz_type", "valid_score", "number", "date_of_birth", "valid_number",
        "valid_date_of_birth", "valid_composite", "valid_expiration_date")}}), flush=True)
"""


def passporteye_python() -> Path | None:
    """The throw-away virtualenv's python with PassportEye installed, or None (said why)."""
    py = PE_VENV / "bin" / "python"
    check = [str(py), "-c", f"import passporteye, sys; sys.exit(passporteye.__version__ != "
             f"'{PE_VERSION}')"]
    if py.exists() and subprocess.run(check, capture_output=True, check=False).returncode == 0:
        return py
    print(f"installing PassportEye {PE_VERSION} into {PE_VENV} (throw-away, not efile's)",
          flush=True)
    try:
        venv.create(PE_VENV, with_pip=True, clear=True)
        res = subprocess.run([str(py), "-m", "pip", "install", "-q", f"passporteye=={PE_VERSION}"],
                             capture_output=True, text=True, timeout=900, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"PassportEye could not be installed ({e}): efile alone")
        return None
    if res.returncode != 0:
        tail = (res.stderr.strip().splitlines() or ["pip failed"])[-1]
        print(f"PassportEye could not be installed ({tail}): efile alone")
        return None
    return py


def passporteye(py: Path, files: list[Path]) -> dict[str, dict | None]:
    out = subprocess.run([str(py), "-c", _PE_SCRIPT, *map(str, files)], capture_output=True,
                         text=True, timeout=60 * len(files) + 60, check=False,
                         env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    found: dict[str, dict | None] = {}
    for line in out.stdout.splitlines():
        row = json.loads(line)
        found[Path(row["file"]).name] = row.get("mrz")
    return found


def pe_outcome(m: dict | None, want_number: str, want_birth: str) -> str:
    """PassportEye's reading in the same classes: valid means every check digit it reports
    holds (number, birth, expiry, composite)."""
    if not m or not m.get("mrz_type"):
        return "not found"
    number = (m.get("number") or "").strip("<")
    right = (number == want_number or want_number == "?") and m.get("date_of_birth") == want_birth
    keys = ["valid_number", "valid_date_of_birth", "valid_expiration_date"]
    if not str(m.get("mrz_type")).startswith("MRV"):  # a visa has no composite check digit
        keys.append("valid_composite")
    checks = [m.get(k) for k in keys]
    # (valid_score is no test: it takes points off for a line of the wrong width or a digit
    # in a country code even when every check digit holds, 98 for the ICAO specimen)
    if not all(checks):
        # what the first count took as PassportEye's: the number and birth date
        # right with their own check digits, another check digit failing
        fields = right and m.get("valid_number") and m.get("valid_date_of_birth")
        return "right, other checks fail" if fields else "found, invalid"
    return "right" if right else "wrong"


def efile_read(path: Path) -> tuple[dict | None, float, float]:
    from bench.mrz_specimens import read
    return read(path)


def efile_outcome(m: dict | None, want_number: str, want_birth: str) -> str:
    if not m:
        return "not found"
    if not m["valid"]:
        return "found, invalid"
    right = ((m["document_number"] == want_number or want_number == "?")
             and (m["birth_date"] or "").replace("-", "")[2:] == want_birth)
    if right:
        return "right, disputed" if m.get("disputed") else "right"
    return "wrong"


def table(title: str, counts: dict[str, Counter], outcomes: tuple[str, ...],
          disputed: Counter | None = None) -> str:
    head = "| format | " + " | ".join(outcomes) + " |\n|---|" + "---|" * len(outcomes) + "\n"
    rows = []
    for fmt in (*FORMATS, "all"):
        c = counts[fmt]
        cells = [str(c[o]) for o in outcomes]
        if disputed is not None and c["wrong"]:
            cells[outcomes.index("wrong")] += f" ({disputed[fmt]} disputed)"
        rows.append(f"| {fmt} | " + " | ".join(cells) + " |")
    return f"{title}\n\n{head}" + "\n".join(rows) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only")
    ap.add_argument("--no-passporteye", action="store_true")
    ap.add_argument("--record", action="store_true")
    ap.add_argument("--lines", action="store_true", help="read the band line by line first "
                    "(pipelines/steps/mrz_read.py READ_LINES, off in the product for now)")
    args = ap.parse_args()
    from bench.mrz_specimens import _timed
    from pipelines.steps import mrz_read, ocr
    mrz_read.READ_LINES = args.lines
    ocr.read_mrz = _timed(ocr.read_mrz)
    rows = list(csv.DictReader((SPECIMENS / "truth.tsv").open(), delimiter="\t"))
    rows = [r for r in rows if not args.only or args.only in r["file"]]
    py = None if args.no_passporteye else passporteye_python()
    pe = passporteye(py, [SPECIMENS / r["file"] for r in rows]) if py else None
    ours: dict[str, Counter] = {f: Counter() for f in (*FORMATS, "all")}
    theirs: dict[str, Counter] = {f: Counter() for f in (*FORMATS, "all")}
    disputed: Counter = Counter()
    invalid_read_valid = 0
    ratios = []
    for r in rows:
        want, birth = r["doc_number"].strip("<"), r["birth"]
        m, took, one_pass = efile_read(SPECIMENS / r["file"])
        ratios.append(took / one_pass)
        if r["expect"] == "invalid":  # a specimen whose own check digits fail
            invalid_read_valid += bool(m and m["valid"])
            print(f"{r['file'][:44]:44} {r['kind']:5} (invalid specimen) efile "
                  f"{'VALID' if m and m['valid'] else 'not valid'}", flush=True)
            continue
        mine = efile_outcome(m, want, birth)
        for key in (r["kind"], "all"):
            ours[key][mine] += 1
            if mine == "wrong" and m.get("disputed"):
                disputed[key] += 1
        line = f"{r['file'][:44]:44} {r['kind']:5} efile {mine:15}"
        if pe is not None:
            p = pe.get(r["file"])
            theirs_ = pe_outcome(p, want, birth)
            for key in (r["kind"], "all"):
                theirs[key][theirs_] += 1
            line += (f" PassportEye {theirs_:15} {(p or {}).get('number') or '-'}"
                     f" (score {(p or {}).get('valid_score', '-')})")
        print(line, flush=True)
    ratios.sort()
    valid_rows = sum(1 for r in rows if r["expect"] == "valid")
    out = table(f"efile ({valid_rows} images that are valid; right = valid with the right "
                "number and birth date, disputed: sent to the inbox)", ours, OUTCOMES, disputed)
    if pe is not None:
        out += "\n" + table(f"PassportEye {PE_VERSION}, same images (valid: every check digit it "
                            "reports holds)",
                            theirs, PE_OUTCOMES)
    else:
        out += "\nPassportEye: not run (see above)\n"
    out += (f"\ninvalid specimens read as valid by efile: {invalid_read_valid}\n"
            f"MRZ step / one tesseract pass: median {ratios[len(ratios) // 2]:.2f}x, "
            f"worst {ratios[-1]:.2f}x\n")
    print("\n" + out)
    if args.record:
        from bench.results import record
        record("MRZ on real specimens, efile and PassportEye", f"{len(rows)} images of truth.tsv",
               out)


if __name__ == "__main__":
    main()
