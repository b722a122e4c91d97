"""`efile demo`: what a new user should see in two minutes.

Sample scans of two clients are generated, the client list imported, the scans ingested (one
upside down, one multi-page TIFF, one scanner PDF), each classified into one of the 36
document types. The second client's post arrives without a reference: the passport is filed
by its machine readable zone, the application and the employer's letter by their Aktenzeichen,
name and date of birth; the payslip, naming the client without any number or birth date,
waits in the inbox with the reason. A broken file fails on its own without stopping the
batch, a re-scan is recognised as a duplicate, and a few searches show German folding,
phrases and prefixes at work.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from rich.console import Console
from rich.markup import escape

_MARKER = ".efile-demo"


def _fresh_home(home: Path) -> None:
    if home.exists():
        if not (home / _MARKER).exists() and any(home.iterdir()):
            raise SystemExit(f"efile: error: {home} is not empty and not an earlier demo; "
                             "choose another --home")
        shutil.rmtree(home)
    home.mkdir(parents=True)
    (home / _MARKER).write_text("created by efile demo\n")


def run_demo(home: Path, out: Console) -> None:
    from efile.cli.base import new_table
    from efile.cli.batch import _print_batch
    from efile.cli.read import _marks_to_rich
    from efile.context import get_context, reset_contexts
    from efile.samples import write_samples
    from efile.search import search
    from efile.services.persons import import_csv
    from pipelines.flows import run_ingest

    home = home.resolve()
    _fresh_home(home)
    os.environ["EFILE_HOME"] = str(home)  # the embedded default, whatever else is configured
    os.environ.pop("EFILE_DATABASE_URL", None)
    os.environ.pop("EFILE_STORAGE_URL", None)
    reset_contexts()
    ctx = get_context()

    out.rule("[bold]efile demo")
    out.print(f"home: {home}  (SQLite database, local object folder, Prefect in local mode)")
    out.print("1. generating sample scans (300 dpi, noise, skew) …")
    samples = write_samples(home / "scans", persons=3, upside_down={"landlord_confirmation"})
    by_person: dict[str, list] = {}
    for s in samples:
        by_person.setdefault(s.doc.person["aktenzeichen"], []).append(s)

    out.print("2. importing the office's client list (efile persons import) …")
    registry = home / "persons.csv"
    rows = ["aktenzeichen,surname,given_names,date_of_birth,nationality,azr_number,"
            "passport_numbers"]
    for az, files in by_person.items():
        p = files[0].doc.person
        rows.append(f"{az},{p['surname']},{p['given_names']},{p['birth_iso']},"
                    f"{p['nationality']},,{p['passport']}")
        out.print(f"   {az}: {escape(p['surname'])}, {escape(p['given_names'])}, "
                  f"born {p['birth_date']}")
    registry.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with ctx.db.session() as s:
        import_csv(s, registry.read_bytes(), aktenzeichen_pattern=ctx.settings.aktenzeichen_pattern)

    results = []
    (first_az, first_files), (_, second_files) = list(by_person.items())[:2]
    broken = home / "scans" / "kaputt.pdf"
    broken.write_bytes(b"this is not a PDF, just a file with the wrong name\n")
    out.print(f"3. ingesting {sum(len(f) for f in list(by_person.values())[:2]) + 1} files "
              "(OCR on all cores) …")
    out.print(f"   {first_az}'s documents with their Aktenzeichen (efile ingest --efile)")
    results += run_ingest([str(f.path) for f in first_files], efile=first_az)
    out.print("   the second client's post without any reference (automatic routing)")
    results += run_ingest([str(f.path) for f in second_files] + [str(broken)])
    out.print("4. the same letter scanned again …")
    results += run_ingest([str(first_files[0].path)], efile=first_az)

    table = new_table("file", "status", "type", "pages", "e-file / reason")
    colours = {"filed": "green", "inbox": "yellow", "duplicate": "cyan", "failed": "red"}
    for r in results:
        note = r["error"] or r["efile"] or (r["notes"][-1] if r["notes"] else "")
        if r["status"] == "duplicate":
            note = f"already filed as {r['document_id'][:12]}"
        table.add_row(escape(Path(r["path"]).name), f"[{colours[r['status']]}]{r['status']}[/]",
                      r.get("doc_type") or "", str(r["pages"] or ""), escape(note))
    out.print(table)

    # a name with umlauts shows the folding best: Öztürk = OEZTUERK = Oeztuerk
    names = [s.doc.person["surname"] for s in samples]
    surname = next((n for n in names if n != _ascii(n)), names[0])
    queries = [surname, surname.upper(), _ascii(surname), '"unbefristet in Vollzeit"',
               "Wohnungsgeber*", "Bruttogehalt OR Gesamtbrutto"]
    out.print("5. a scan batch: the third client's post, each letter under a cover sheet "
              "(efile coversheet), duplex backs blank, one with a pencil note …")
    batch = _demo_batch(home, *list(by_person.items())[2])
    _print_batch(batch)
    out.print("   every document carries a transfer note (TR-03138); `efile verify <id>` checks "
              "it; `efile qc list` shows the sample to compare with the paper")

    out.print("6. searching …")
    with ctx.db.session() as s:
        for q in dict.fromkeys(queries):
            hits = search(s, q, limit=3).hits
            out.print(f"[bold]efile search {escape(q)!s}[/]  → {len(hits)} hit(s)")
            for h in hits:
                out.print(f"   {escape(h.title)} [dim]({h.efile or 'inbox'}, page {h.page})[/]")
                out.print(f"     {_marks_to_rich(h.snippet)}")
    out.rule()
    out.print(f"Try: export EFILE_HOME={home}; efile inbox  ·  efile assign <item> <Aktenzeichen>"
              f"  ·  efile search 'Arbeitgeberbescheinigung'  ·  efile show <id>  ·  "
              f"efile get <id> -o copy.pdf  ·  efile types  ·  efile runs --failed")


def _demo_batch(home: Path, az: str, files: list) -> dict:
    import random

    from efile.coversheet import CoverSheet, render_pdf
    from efile.samples import scan_pages
    from efile.samples.render import blank_page, save_scan, scan_pdf_page
    from pipelines.flows import run_scan_batch

    rng = random.Random(11)
    person = files[0].doc.person
    pages = []
    for n, f in enumerate(files[:3]):
        sheet = CoverSheet(az, f.doc.kind)
        pages.append(scan_pdf_page(render_pdf(sheet, client=person["surname"], type_name=None),
                                   rng))
        pages += scan_pages(f.doc, seed=11)
        pages.append(blank_page(rng, "Eingang geprüft" if n == 1 else None))
    stack = save_scan(pages, home / "scans" / "stapel-0001.tif")
    return run_scan_batch([str(stack)], operator="scan.demo", expected_pages=len(pages))


def _ascii(name: str) -> str:
    return name.translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss",
                                         "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}))
