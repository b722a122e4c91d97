"""The person registry import: create, update in place, never duplicate, refuse bad rows
with their line number and import the rest."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from efile.context import get_context
from efile.errors import InputRejected
from efile.models import EFile, Person, PersonIdentifier
from efile.services.persons import import_csv

PATTERN = r"\bABH-\d{4}-\d{6}\b"
HEADER = "aktenzeichen,surname,given_names,date_of_birth,nationality,azr_number,passport_numbers\n"


def run(data: str) -> dict:
    with get_context().db.session() as s:
        return import_csv(s, data.encode(), aktenzeichen_pattern=PATTERN).to_dict()


def count(model) -> int:
    with get_context().db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_import_then_reimport_updates_without_duplicates(fresh_home):
    first = HEADER + ("ABH-2020-000001,Yılmaz,Ayşe,1985-03-04,TUR,123456789012,U1234567;U7654321\n"
                      "ABH-2021-000002,Kowalski,Jan,1979-12-31,POL,,EA1234567\n")
    assert run(first) == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0, "errors": []}
    # the same file again: nothing changes; a new passport and a corrected name update
    assert run(first)["unchanged"] == 2
    second = HEADER + ("ABH-2020-000001,Yılmaz,Ayşe Nur,1985-03-04,TUR,123456789012,U9999999\n"
                       "ABH-2021-000002,Kowalski,Jan,1979-12-31,POL,,EA1234567\n")
    assert run(second) | {"errors": []} == {"created": 0, "updated": 1, "unchanged": 1,
                                            "rejected": 0, "errors": []}
    assert count(Person) == 2 and count(EFile) == 2
    # the caseload rules of the policy give each new e-file its team, nationality included
    run(HEADER + "ABH-2022-000003,Melnyk,Olena,1990-01-01,UKR,,\n")
    with get_context().db.session() as s:
        teams = dict(s.execute(select(EFile.aktenzeichen, EFile.team)).all())
    assert teams == {"ABH-2020-000001": "team-b", "ABH-2021-000002": "team-a",
                     "ABH-2022-000003": "team-ukr"}
    with get_context().db.session() as s:
        ayse = s.scalar(select(EFile).where(EFile.aktenzeichen == "ABH-2020-000001")).person
        assert ayse.given_names == "Ayşe Nur" and ayse.birth_date == date(1985, 3, 4)
        # passports are a history: the old ones still route documents to her
        assert ayse.passport_numbers == ["U1234567", "U7654321", "U9999999"]
        assert ayse.name_folded == "yilmaz ayse nur"
    assert count(PersonIdentifier) == 5  # four passports + one AZR number, none twice


def test_bad_rows_are_refused_with_their_line_and_the_rest_imported(fresh_home):
    data = HEADER + (
        "ABH-2020-000001,Haddad,Omar,1990-01-01,SYR,,N1111111\n"       # line 2: fine
        "ABH-2020-000002,,Leila,1991-01-01,SYR,,\n"                    # 3: no surname
        "ABH-2020-000003,Haddad,Sami,01.02.1992,SYR,,\n"               # 4: German date
        "XYZ-1,Haddad,Rami,1993-01-01,SYR,,\n"                          # 5: not a file number
        "ABH-2020-000004,Haddad,Nour,1994-01-01,SYR,12345,\n"           # 6: AZR too short
        "ABH-2020-000005,Haddad,Ali,1995-01-01,SYR,,N1111111\n"         # 7: Omar's passport
        "ABH-2020-000001,Haddad,Omar,1990-01-01,SYR,,\n"                # 8: twice in the file
        "ABH-2020-000006,Haddad,Zaid,1996-01-01,Syrien,,\n"             # 9: not ISO 3166
        "ABH-2020-000007,Haddad,Yara,1997-01-01,SYR,,\n")               # 10: fine
    report = run(data)
    assert report["created"] == 2 and report["rejected"] == 7
    errors = {e["line"]: e["error"] for e in report["errors"]}
    assert errors[3] == "surname is empty"
    assert "not an ISO date" in errors[4] and "does not match" in errors[5]
    assert "not 12 digits" in errors[6]
    assert errors[7] == "passport number N1111111 belongs to ABH-2020-000001"
    assert "already on line 2" in errors[8] and "alpha-3" in errors[9]


def test_a_file_without_the_header_is_refused_whole(fresh_home):
    with pytest.raises(InputRejected, match="lacks the column"):
        run("az;name\nABH-2020-000001;Haddad\n")
    with pytest.raises(InputRejected, match="not UTF-8"), get_context().db.session() as s:
        import_csv(s, "aktenzeichen\nM\xfcller".encode("latin-1"), aktenzeichen_pattern=PATTERN)


def test_every_nationality_code_family_is_stored_in_one_form_and_shown_by_name(fresh_home):
    # (the row's code, the stored form): ISO 3166-1 alpha-3, ICAO 9303 (D, XX*, UN*, GB*),
    # Destatis 3-digit keys; lower case and an MRZ's fillers as clerks copy them
    codes = [("TUR", "TUR"), ("tur", "TUR"), ("D", "DEU"), ("D<<", "DEU"), ("DEU", "DEU"),
             ("XXA", "XXA"), ("XXB", "XXB"), ("XXC", "XXC"), ("XXX", "XXX"), ("UNO", "UNO"),
             ("UNA", "UNA"), ("UNK", "UNK"), ("GBD", "GBD"), ("GBN", "GBN"), ("GBO", "GBO"),
             ("GBP", "GBP"), ("GBS", "GBS"), ("RKS", "RKS"), ("XKX", "RKS"), ("163", "TUR"),
             ("000", "DEU"), ("475", "SYR"), ("166", "UKR"), ("997", "XXA"), ("998", "XXX"),
             ("432", "VNM")]
    rows = "".join(f"ABH-2024-{i:06d},Nguyen,Thi Lan,1990-11-02,{code},,\n"
                   for i, (code, _) in enumerate(codes, 1))
    report = run(HEADER + rows)
    assert report["created"] == len(codes) and report["rejected"] == 0, report["errors"]
    with get_context().db.session() as s:
        stored = dict(s.execute(select(EFile.aktenzeichen, Person.nationality)
                                .join(Person)).all())
        teams = dict(s.execute(select(EFile.aktenzeichen, EFile.team)).all())
    assert [stored[f"ABH-2024-{i:06d}"] for i in range(1, len(codes) + 1)] == \
        [want for _, want in codes]
    # the caseload rules see the stored form: Destatis 166 is Ukraine's team
    assert teams[f"ABH-2024-{codes.index(('166', 'UKR')) + 1:06d}"] == "team-ukr"

    from efile.web.present import nationality
    assert nationality("DEU") == "Deutschland (DEU)" and nationality("TUR") == "Türkei (TUR)"
    assert nationality("XXA").startswith("staatenlos") and "(GBN)" in nationality("GBN")
    assert nationality(None) == "–"


def test_an_unknown_nationality_code_is_refused_with_its_line(fresh_home):
    data = HEADER + ("ABH-2024-000001,Kaya,Emre,1990-05-06,TUR,,\n"       # line 2: fine
                     "ABH-2024-000002,Kaya,Ali,1991-05-06,ZZZ,,\n"        # 3: no such code
                     "ABH-2024-000003,Kaya,Can,1992-05-06,910,,\n"        # 4: Destatis internal
                     "ABH-2024-000004,Kaya,Cem,1993-05-06,464,,\n"        # 5: no Destatis key
                     "ABH-2024-000005,Kaya,Ece,1994-05-06,Türkei,,\n"     # 6: a name, no code
                     "ABH-2024-000006,Kaya,Efe,1995-05-06,TR,,\n"         # 7: alpha-2
                     "ABH-2024-000007,Kaya,Eda,1996-05-06,,,\n")          # 8: none: fine
    report = run(data)
    assert report["created"] == 2 and report["rejected"] == 5
    errors = {e["line"]: e["error"] for e in report["errors"]}
    assert set(errors) == {3, 4, 5, 6, 7}
    assert "'ZZZ' is not an ISO 3166-1 alpha-3 code, an ICAO 9303 code" in errors[3]
    assert "'910' is not a Destatis nationality key" in errors[4]
    assert "'464'" in errors[5] and "'Türkei'" in errors[6] and "'TR'" in errors[7]
