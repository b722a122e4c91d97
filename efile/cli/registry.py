"""The client registry: e-files and persons."""

from __future__ import annotations

from datetime import date
from typing import Any

import click
from rich.markup import escape

from .base import _ctx, _print_json, handled, main, new_table, out


@main.group()
def efiles() -> None:
    """E-files (Akten): one per client."""


@efiles.command("add")
@click.argument("aktenzeichen")
@click.option("--surname", required=True)
@click.option("--given-names", default="")
@click.option("--birth-date", type=click.DateTime(["%Y-%m-%d", "%d.%m.%Y"]))
@click.option("--nationality", help="ISO 3166-1 alpha-3 (TUR), ICAO (D, XXA) or Destatis key (163)")
@click.option("--team")
@click.option("--passport", "passports", multiple=True, help="Passport number (repeatable).")
@click.option("--azr", help="AZR number (Ausländerzentralregister, 12 digits).")
@click.option("--json", "as_json", is_flag=True)
@handled
def efiles_add(aktenzeichen: str, surname: str, given_names: str, birth_date: Any,
               nationality: str | None, team: str | None, passports: tuple[str, ...],
               azr: str | None, as_json: bool) -> None:
    """Create an e-file for a client."""
    from ..services.efiles import add_efile, efile_dict

    bd: date | None = birth_date.date() if birth_date else None
    with _ctx().db.session() as s:
        info = efile_dict(add_efile(s, aktenzeichen, surname=surname, given_names=given_names,
                                    birth_date=bd, nationality=nationality, team=team,
                                    passports=passports, azr_number=azr))
    _print_json(info) if as_json else out.print(f"e-file {aktenzeichen} created")


@efiles.command("find")
@click.argument("name")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True)
@handled
def efiles_find(name: str, limit: int, as_json: bool) -> None:
    """E-files by the client's name, spelling variants included (Öztürk = Oeztuerk ≈ Ozturk)."""
    from ..services.efiles import efile_dict, find_efiles

    with _ctx().db.session() as s:
        data = [{**efile_dict(e), "similarity": sim} for e, sim in find_efiles(s, name, limit=limit)]
    if as_json:
        _print_json(data)
        return
    for e in data:
        p = e["person"]
        out.print(f"{e['aktenzeichen']}  {escape(p['surname'])}, {escape(p['given_names'])}  "
                  f"[dim]born {p['birth_date'] or '?'} · similarity {e['similarity']}[/]")
    if not data:
        out.print("no e-file found")


@efiles.command("list")
@click.option("--json", "as_json", is_flag=True)
@handled
def efiles_list(as_json: bool) -> None:
    """All e-files with their client and number of documents."""
    from ..services.efiles import efile_dict, list_efiles

    with _ctx().db.session() as s:
        data = [efile_dict(e) for e in list_efiles(s)]
    if as_json:
        _print_json(data)
        return
    table = new_table("Aktenzeichen", "client", "born", "documents")
    for e in data:
        p = e["person"]
        table.add_row(e["aktenzeichen"], escape(f"{p['surname']}, {p['given_names']}"),
                      p["birth_date"] or "", str(e["documents"]))
    out.print(table)




@main.group()
def persons() -> None:
    """The person registry (the office's client list)."""


@persons.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True)
@handled
def persons_import(csv_file: str, as_json: bool) -> None:
    """Import or update clients from a CSV file with the header
    aktenzeichen,surname,given_names,date_of_birth,nationality,azr_number,passport_numbers
    (ISO dates; passport numbers separated by ";"). Re-importing updates, never duplicates;
    a bad row is reported with its line number and the others are imported."""
    import sys
    from pathlib import Path

    from ..services.persons import import_csv

    ctx = _ctx()
    with ctx.db.session() as s:
        report = import_csv(s, Path(csv_file).read_bytes(),
                            aktenzeichen_pattern=ctx.settings.aktenzeichen_pattern).to_dict()
    if as_json:
        _print_json(report)
    else:
        out.print(f"{report['created']} created · {report['updated']} updated · "
                  f"{report['unchanged']} unchanged · {report['rejected']} rejected")
        for e in report["errors"]:
            out.print(f"[red]line {e['line']}[/] {escape(e['aktenzeichen'])}: {escape(e['error'])}")
    if report["errors"]:
        sys.exit(1)
