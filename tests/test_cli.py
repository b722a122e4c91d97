"""The `efile` command as a user runs it: real subprocesses, JSON contracts, exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess

import pytest
from conftest import EFILE_BIN, use_home

from efile.samples.born_digital import write_text_pdf


def efile(*args: str, home, check_rc: int | None = 0) -> subprocess.CompletedProcess:
    """Run the CLI against `home` (a dict of EFILE_* settings from the cli_home fixture)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EFILE_")} | home
    res = subprocess.run([EFILE_BIN, *args], capture_output=True, text=True, env=env, timeout=300)
    if check_rc is not None:
        assert res.returncode == check_rc, res.stderr
    return res


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory):
    use_home(tmp_path_factory.mktemp("clihome"))  # on the backend under test
    home = {k: v for k, v in os.environ.items() if k.startswith("EFILE_")}
    d = tmp_path_factory.mktemp("cliin")
    write_text_pdf(d / "meldebescheinigung.pdf",
                   [["Meldebescheinigung", "Herr Jürgen Weiß ist mit Hauptwohnung gemeldet.",
                     "Anschrift: Friedrich-Ebert-Straße 12, 42103 Wuppertal"]])
    (d / "leer.pdf").write_bytes(b"")
    return home, d


def test_init_is_idempotent(cli_home):
    home, _ = cli_home
    first = json.loads(efile("init", "--json", home=home).stdout)
    second = json.loads(efile("init", "--json", home=home).stdout)
    assert first["schema"] == second["schema"] and not second["upgraded"]
    assert second["storage"].startswith(("file://", "s3://"))


def test_ingest_search_show_get(cli_home, tmp_path):
    home, d = cli_home
    efile("efiles", "add", "ABH-2026-000001", "--surname", "Weiß", "--given-names", "Jürgen",
          "--birth-date", "1980-04-01", home=home)
    res = efile("ingest", str(d), "--efile", "ABH-2026-000001", "--json", home=home, check_rc=1)
    items = {os.path.basename(i["path"]): i for i in json.loads(res.stdout)}
    assert set(items) == {"meldebescheinigung.pdf", "leer.pdf"}
    for item in items.values():
        assert {"path", "status", "document_id", "pages", "error"} <= set(item)
    good, bad = items["meldebescheinigung.pdf"], items["leer.pdf"]
    assert (good["status"], good["pages"], good["error"]) == ("filed", 1, None)
    assert (bad["status"], bad["error"]) == ("failed", "empty file (0 bytes)")

    hits = json.loads(efile("search", "WEISS Hauptwohnung", "--json", home=home).stdout)["hits"]
    assert len(hits) == 1
    hit = hits[0]
    assert {"document_id", "score", "snippet", "title", "efile"} <= set(hit)
    assert hit["document_id"] == good["document_id"] and hit["efile"] == "ABH-2026-000001"
    assert "<mark>Weiß</mark>" in hit["snippet"]

    meta = json.loads(efile("show", good["document_id"][:8], "--json", home=home).stdout)
    assert meta["efile"] == "ABH-2026-000001" and meta["pages"] == 1
    assert meta["status"] == "filed" and meta["source"] == "scan"
    assert meta["archive"]["format"] == "PDF/A-2b"
    assert meta["original"]["key"].endswith(meta["original"]["sha256"])

    out = tmp_path / "copy.pdf"
    efile("get", good["document_id"], "-o", str(out), home=home)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == meta["archive"]["sha256"]
    efile("get", good["document_id"], "--original", "-o", str(out), home=home)
    assert out.read_bytes() == (d / "meldebescheinigung.pdf").read_bytes()

    failed = json.loads(efile("runs", "--failed", "--json", home=home).stdout)
    assert failed[0]["original_key"] == bad["original_key"]


def test_inbox_list_and_assign(cli_home, tmp_path):
    home, _ = cli_home
    efile("efiles", "add", "ABH-2026-000002", "--surname", "Kowalski", "--given-names", "Zofia",
          home=home)
    letter = write_text_pdf(tmp_path / "brief.pdf", [["Sehr geehrte Frau Kowalski,",
                                                      "anbei die Unterlagen."]])
    (item,) = json.loads(efile("ingest", str(letter), "--json", home=home).stdout)
    assert item["status"] == "inbox"
    waiting = json.loads(efile("inbox", "--json", home=home).stdout)
    mine = next(i for i in waiting if i["document_id"] == item["document_id"])
    assert mine["state"] == "open" and "no identifier found" in mine["reasons"][0]
    assert mine["preview"] == ["Sehr geehrte Frau Kowalski,", "anbei die Unterlagen."]
    assert {"type", "type_name", "type_confidence", "item_id"} <= set(mine)
    res = efile("assign", str(mine["item_id"]), "ABH-2026-000002", "--type", "no_such_type",
                home=home, check_rc=2)
    assert "unknown document type 'no_such_type'" in res.stderr
    done = json.loads(efile("assign", str(mine["item_id"]), "ABH-2026-000002", "--type",
                            "lawyer_letter", "--user", "sb.kaya", "--json", home=home).stdout)
    assert done["state"] == "resolved" and done["resolved_to"] == "ABH-2026-000002"
    meta = json.loads(efile("show", item["document_id"], "--json", home=home).stdout)
    assert (meta["status"], meta["efile"], meta["type"]) == ("filed", "ABH-2026-000002",
                                                             "lawyer_letter")
    assert meta["fields"]["routing"]["by"] == "person"
    assert meta["fields"]["routing"]["assigned_by"] == "sb.kaya"
    (decision,) = meta["decisions"]
    assert decision["actor"] == "sb.kaya" and decision["kind"] == "assign"
    assert decision["chosen"] == {"efile": "ABH-2026-000002", "doc_type": "lawyer_letter"}
    assert decision["machine"]["doc_type"] == mine["type"] and decision["machine"]["efile"] is None
    again = efile("inbox", "assign", item["document_id"], "ABH-2026-000001", home=home, check_rc=2)
    assert "already assigned to ABH-2026-000002" in again.stderr

    # a person corrects the type later: recorded beside what was there before
    fixed = json.loads(efile("reclassify", item["document_id"][:12], "medical_attest", "--user",
                             "sb.weber", "--json", home=home).stdout)
    assert fixed["type"] == "medical_attest" and fixed["restricted"] is True
    assert fixed["type_name"] == "Ärztliches Attest"
    assert fixed["decisions"][-1]["machine"]["doc_type"] == "lawyer_letter"


def test_types_and_person_import(cli_home, tmp_path):
    home, _ = cli_home
    types = json.loads(efile("types", "--json", home=home).stdout)
    assert len(types) >= 30 and {"id", "name", "group", "restricted"} <= set(types[0])
    registry = tmp_path / "clients.csv"
    registry.write_text("aktenzeichen,surname,given_names,date_of_birth,nationality,azr_number,"
                        "passport_numbers\nABH-2019-000777,Öztürk,Emre,1988-02-29,TUR,,"
                        "U1;U23456789\nABH-2019-000778,Öztürk,Elif,1990-07-01,TUR,,\n",
                        encoding="utf-8")
    res = efile("persons", "import", str(registry), "--json", home=home, check_rc=1)
    report = json.loads(res.stdout)
    assert report["created"] == 1 and report["errors"][0]["line"] == 2
    assert "passport number 'U1'" in report["errors"][0]["error"]
    found = json.loads(efile("efiles", "find", "Oeztuerk Elif", "--json", home=home).stdout)
    assert found[0]["aktenzeichen"] == "ABH-2019-000778"


def test_errors_are_one_line_with_exit_codes(cli_home):
    home, d = cli_home
    res = efile("show", "0123456789abcdef", home=home, check_rc=4)
    assert res.stderr.strip() == "efile: error: no document 0123456789abcdef"
    res = efile("ingest", str(d), "--efile", "ABH-0000-UNKNOWN", home=home, check_rc=4)
    assert res.stderr.strip() == "efile: error: no e-file with Aktenzeichen ABH-0000-UNKNOWN"
    res = efile("search", "-nur -verneint", home=home, check_rc=2)
    assert res.stderr.count("\n") == 1 and "at least one word" in res.stderr


@pytest.mark.parametrize(("typed", "type_id"), [
    ("landlord_confirmation", "landlord_confirmation"),
    ("Wohnungsgeberbestätigung", "landlord_confirmation"),
    ("wohnungsgeberbestaetigung", "landlord_confirmation"),
    (" Mietvertrag ", "rental_contract"),
    ("Mietvertrack", "Mietvertrack"),  # unknown: the service refuses it with its message
])
def test_a_type_is_taken_by_its_id_or_its_german_name(typed, type_id):
    from efile.cli.base import DOC_TYPE

    assert DOC_TYPE.convert(typed, None, None) == type_id
