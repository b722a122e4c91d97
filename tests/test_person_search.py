"""Finding clients the way a caseworker types them: a name in any spelling or script, a birth
date as written, a number, an Aktenzeichen, or several at once; only among the e-files the
reader may see, with nothing told about the others (efile.services.person_search)."""

from __future__ import annotations

from datetime import date

import pytest

from efile.access.policy import load as load_policy
from efile.access.rules import principal, readable_efiles
from efile.context import get_context
from efile.search.names import name_key, word_key
from efile.services.efiles import add_efile
from efile.services.person_search import ClientMatch, find_clients
from efile.services.persons import import_csv

# (Aktenzeichen, surname, given names, born, nationality, team, passport, AZR)
CLIENTS = [
    ("ABH-2020-000001", "Öztürk", "Ayşe", date(1979, 5, 2), "TUR", "team-b", "U1234567",
     "123456789012"),
    ("ABH-2020-000002", "Ivanova", "Olena", date(1990, 1, 1), "RUS", "team-a", "754321987", None),
    ("ABH-2020-000003", "Иванов", "Сергей", date(1988, 7, 9), "RUS", "team-a", None, None),
    ("ABH-2020-000004", "Nguyễn", "Thị Lan", date(1985, 3, 4), "VNM", "team-b", None, None),
    ("ABH-2020-000005", "Müller", "Jan", date(1979, 5, 2), "DEU", "team-b", None, None),
    ("ABH-2020-000006", "Ševčenko", "Taras", date(1970, 12, 31), "UKR", "team-ukr", None, None),
    ("ABH-2020-000007", "Yılmaz", "Mehmet", date(1979, 5, 2), "TUR", "team-b", None, None),
    ("ABH-2020-000008", "Yildiz", "Emre", None, "TUR", "team-b", None, None),
    ("ABH-2020-000009", "Schmidt", "Ivanova", date(2001, 2, 3), "DEU", "team-b", None, None),
]


@pytest.fixture
def clients(fresh_home):
    with get_context().db.session() as s:
        for az, sur, given, born, nat, team, passport, azr in CLIENTS:
            add_efile(s, az, surname=sur, given_names=given, birth_date=born, nationality=nat,
                      team=team, passports=[passport] if passport else [], azr_number=azr)
    return fresh_home


def who(role: str, teams: list[str]):
    policy = load_policy()
    return readable_efiles(principal("u", roles=[role], teams=teams, rights=[], deputy_for=[],
                                     policy=policy), policy)


def find(query: str, *, role: str = "registry", teams: list[str] | None = None,
         limit: int = 10) -> list[ClientMatch]:
    with get_context().db.session() as s:
        return find_clients(s, query, allowed=who(role, teams or []), limit=limit)


def azs(query: str, **kw) -> list[str]:
    return [m.aktenzeichen for m in find(query, **kw)]


# -- the key: which spellings meet, and which must not ------------------------------------

@pytest.mark.parametrize("spellings", [
    ["Öztürk", "Ozturk", "Oeztuerk", "OZTURK", "öztürk"],
    ["Iwanowa", "Ivanova", "Иванова", "IVANOVA"],
    ["Nguyen", "Nguyễn"],
    ["Müller", "Mueller", "Muller", "MÜLLER"],
    ["Schewtschenko", "Shevchenko", "Ševčenko", "Шевченко"],
    ["Sergej", "Sergey", "Sergei", "Сергей"],
    ["Marija", "Mariya", "Maria", "Мария"],
    ["Jelena", "Yelena", "Elena", "Елена"],
    ["Jewgeni", "Yevgeniy", "Evgeniy", "Евгений"],
    ["Michail", "Mikhail", "Михаил"],
    ["Tschaikowski", "Chaykovskiy", "Чайковский"],
    ["Natalija", "Nataliya", "Natalia", "Наталья"],
    ["Schukow", "Zhukov", "Жуков"],
    ["Ayşe", "Ayse"],
    ["Yılmaz", "Yilmaz", "YILMAZ"],
])
def test_spellings_of_one_name_share_a_key(spellings):
    assert len({word_key(s) for s in spellings}) == 1, {s: word_key(s) for s in spellings}


@pytest.mark.parametrize("a,b", [
    ("Iwanowa", "Iwanow"),  # wife and husband: different people (names.py says why)
    ("Ivanova", "Ivanov"),
    ("Иванова", "Иванов"),
    ("Yilmaz", "Yildiz"),
    ("Müller", "Möller"),
    ("Schmidt", "Schmitt"),
    ("Sacharow", "Zakharov"),  # z/s kept apart on purpose
    ("Nguyen", "Ngo"),
])
def test_different_names_keep_different_keys(a, b):
    assert word_key(a) != word_key(b)


def test_the_stored_key_separates_surname_from_given_names():
    assert name_key("Öztürk", "Ayşe Nur") == " ozturk | aise nur "
    assert name_key("Müller-Lüdenscheidt", "") == " muler ludensheidt |  "


# -- names -------------------------------------------------------------------------------

def test_a_name_finds_its_client_in_every_spelling(clients):
    for q in ("Ozturk", "Öztürk", "Oeztuerk", "OZTURK", "ozturk ayse"):
        assert azs(q) == ["ABH-2020-000001"], q
    for q in ("Mueller", "Muller", "Müller"):
        assert azs(q) == ["ABH-2020-000005"], q
    assert azs("Nguyen") == ["ABH-2020-000004"]
    assert azs("Schewtschenko") == azs("Shevchenko") == ["ABH-2020-000006"]
    # the register holds Иванов in Cyrillic: the German and English spellings find him
    assert azs("Iwanow Sergej") == azs("Ivanov Sergey") == ["ABH-2020-000003"]


def test_the_surname_comes_before_a_given_name_that_sounds_alike(clients):
    # Olena Ivanova (surname) first, then Ivanova Schmidt (a given name); Ivanov never
    assert azs("Iwanowa") == ["ABH-2020-000002", "ABH-2020-000009"]
    found = find("Iwanowa")[0]
    assert (found.surname, found.given_names, found.matched) == ("Ivanova", "Olena", "name")
    assert found.birth_date == date(1990, 1, 1) and found.nationality == "RUS"
    assert found.team == "team-a"


def test_every_word_must_hold(clients):
    assert azs("Yilmaz") == ["ABH-2020-000007"]
    assert azs("Yilmaz Emre") == []
    assert azs("Yildiz") == ["ABH-2020-000008"]
    assert azs("Iwanow") == ["ABH-2020-000003"]  # not his namesake's wife Ivanova
    assert azs("Öztürk Jan") == []
    assert azs("") == azs("   ") == azs("-- !") == []


# -- dates, numbers, Aktenzeichen ----------------------------------------------------------

def test_a_birth_date_as_written_finds_the_clients_born_that_day(clients):
    born_then = ["ABH-2020-000005", "ABH-2020-000001", "ABH-2020-000007"]  # Müller, Öztürk, Yılmaz
    for q in ("1979-05-02", "02.05.1979", "2.5.1979"):
        assert azs(q) == born_then, q
        assert {m.matched for m in find(q)} == {"birth_date"}
    assert azs("Öztürk 02.05.1979") == ["ABH-2020-000001"]
    assert find("Öztürk 02.05.1979")[0].matched == "name"
    assert azs("Öztürk 03.05.1979") == []  # both must hold
    assert azs("31.02.1979") == []  # no such day: nobody, no error
    assert azs("1970") == ["ABH-2020-000006"]  # a year alone: born that year


def test_numbers_and_aktenzeichen_find_their_client(clients):
    assert [(m.aktenzeichen, m.matched) for m in find("U1234567")] == [
        ("ABH-2020-000001", "number")]
    assert azs("u1234567") == azs("123456789012") == ["ABH-2020-000001"]
    assert [(m.aktenzeichen, m.matched) for m in find("abh-2020-000004")] == [
        ("ABH-2020-000004", "aktenzeichen")]
    assert azs("Öztürk U1234567") == ["ABH-2020-000001"]
    assert azs("Müller U1234567") == []
    assert azs("X9999999") == []


def test_limit_keeps_the_best(clients):
    assert azs("1979-05-02", limit=1) == ["ABH-2020-000005"]
    assert azs("1979-05-02", limit=0) == []


# -- access: nothing about the e-files the reader may not see --------------------------------

def test_a_caseworker_finds_only_the_clients_of_their_team(clients):
    a = {"role": "caseworker", "teams": ["team-a"]}
    assert azs("Iwanowa", **a) == ["ABH-2020-000002"]  # Schmidt, Ivanova is team B's
    # team B's Öztürk: by name, date, passport, AZR number, Aktenzeichen: exactly what an
    # unknown name gives
    for q in ("Öztürk", "Ozturk", "02.05.1979", "Öztürk 02.05.1979", "U1234567",
              "123456789012", "ABH-2020-000001"):
        assert find(q, **a) == find("Niemand", **a) == [], q
    assert azs("Öztürk", role="caseworker", teams=["team-b"]) == ["ABH-2020-000001"]
    assert find("Öztürk", role="scanning", teams=[]) == []


# -- the key is kept by every writer ---------------------------------------------------------

def test_the_register_import_and_a_rename_keep_the_key(fresh_home):
    header = ("aktenzeichen,surname,given_names,date_of_birth,nationality,azr_number,"
              "passport_numbers\n")
    with get_context().db.session() as s:
        import_csv(s, (header + "ABH-2021-000001,Шевченко,Тарас,1970-01-01,UKR,,\n").encode(),
                   aktenzeichen_pattern=r"\bABH-\d{4}-\d{6}\b")
    assert azs("Schewtschenko Taras") == ["ABH-2021-000001"]
    with get_context().db.session() as s:
        import_csv(s, (header + "ABH-2021-000001,Petrenko,Taras,1970-01-01,UKR,,\n").encode(),
                   aktenzeichen_pattern=r"\bABH-\d{4}-\d{6}\b")
    assert azs("Schewtschenko") == []
    assert azs("Petrenko") == ["ABH-2021-000001"]


# -- what the search box hands to the person search ------------------------------------------

@pytest.mark.parametrize("typed,asked", [
    ("Öztürk", "Öztürk"),
    ("Öztürk typ:payslip von:2024", "Öztürk"),
    ('"Ayşe Öztürk" geb:02.05.1979', "Ayşe Öztürk 02.05.1979"),
    ("az:ABH-2020-000001 -Müller Arbeits* OR", "ABH-2020-000001"),
    ("pass:U1234567 azr:123456789012", "U1234567 123456789012"),
    ("typ:payslip -typ:passport", ""),
])
def test_the_client_part_of_a_search(typed, asked):
    from efile.search.clients import client_query

    assert client_query(typed) == asked


def test_a_typed_day_is_looked_for_in_its_printed_spellings():
    from efile.search import parse

    (group,) = parse("2.5.1979").groups
    assert [t.words for t in group] == [("02", "05", "1979"), ("2", "5", "1979"),
                                        ("1979", "05", "02")]
    # PostgreSQL's parser keeps 02.05.1979 as one token: the raw form carries it
    assert [t.raw for t in group] == [("02.05.1979",), ("2.5.1979",), ("1979-05-02",)]
    assert parse("31.02.1979").groups[0][0].words == ("31", "02", "1979")  # no day: words


def test_a_search_word_is_widened_only_by_the_clients_found():
    from efile.search import parse
    from efile.search.spellings import spellings_of, widen

    q = parse("Ozturk Vertrag -Yildiz")
    assert widen(q, {}) == q  # no client found (or none the reader may see): unchanged
    wide = widen(q, spellings_of(["Öztürk Ayşe", "Yılmaz Mehmet"]))
    assert [t.words for t in wide.groups[0]] == [("ozturk",), ("oeztuerk",)]
    assert wide.groups[0][1].raw == ("öztürk",)  # the German stemmer's form
    assert wide.groups[1:] == q.groups[1:]  # other words, and excluded ones, as typed
