"""Name and birth date as real post writes them (#20): every wording finds its client, and
the same wording about a namesake (same name, another birth date) never files to her.

Text in, no OCR: each case is the text an OCR engine renders of a letter or form line. The
signals are built the way the pipeline builds them (extract → signals_for → decide)."""

from __future__ import annotations

from datetime import date

import pytest

from classifiers.identifiers import extract
from classifiers.names import find
from classifiers.router import Candidate, decide, explicit_conflict
from efile.services.routing import signals_for

FORMATS = {  # how the birth date is written
    "de": lambda d: d.strftime("%d.%m.%Y"),
    "short": lambda d: f"{d.day}.{d.month}.{d.strftime('%y')}",
    "long": lambda d: f"{d.day:02d}. " + ["Januar", "Februar", "März", "April", "Mai", "Juni",
                                          "Juli", "August", "September", "Oktober",
                                          "November", "Dezember"][d.month - 1] + f" {d.year}",
    "iso": lambda d: d.isoformat(),
    "slash": lambda d: d.strftime("%d/%m/%Y"),
    "en": lambda d: f"{d.day} " + d.strftime("%B") + f" {d.year}",
}
BORN, OTHER = date(1990, 11, 2), date(1985, 4, 7)


def client(surname: str, given: str, n: int = 1) -> Candidate:
    return Candidate(f"ABH-2024-{n:06d}", surname, given, BORN)


def namesake(c: Candidate) -> Candidate:  # same name, another birth date, another e-file
    return Candidate("ABH-2024-999999", c.surname, c.given_names, OTHER)


# (case id, registry surname, registry given names, the text with {d} for the birth date, format)
CASES = [
    ("surname-first comma, geboren am", "Nguyen", "Thi Lan",
     "hiermit bestätigen wir, dass Nguyen, Thi Lan, geboren am {d}, seit dem 1. März 2024 in "
     "unserem Haus wohnt.", "de"),
    ("upper-case surname first, geb.", "Nguyen", "Thi Lan",
     "Frau NGUYEN Thi Lan, geb. {d}, ist bei uns seit 2021 beschäftigt.", "de"),
    ("upper-case surname last, *", "Nguyen", "Thi Lan",
     "Betreff: Thi Lan NGUYEN (* {d})", "de"),
    ("native order without marks (three words)", "Nguyen", "Thi Lan",
     "Wir bescheinigen, dass Nguyen Thi Lan, geboren am {d}, unsere Schule besucht.", "de"),
    ("given-first, 2-digit year", "Kaya", "Emre",
     "Herr Emre Kaya, geb. am {d}, hat am 12. Mai bei uns vorgesprochen.", "short"),
    ("multi-part surname", "Ramírez Ortega", "Carlos",
     "Sehr geehrte Damen und Herren,\nunser Mandant Carlos Ramírez Ortega, geboren am {d}, "
     "beantragt …", "long"),
    ("multi-part surname, surname first in capitals", "Ramírez Ortega", "Carlos",
     "RAMÍREZ ORTEGA, Carlos * {d}", "de"),
    ("hyphenated surname", "Al-Hassan", "Omar",
     "Arbeitsbescheinigung für Herrn Omar Al-Hassan, geboren am {d}.", "de"),
    ("hyphenated surname in capitals, registry without hyphen", "Al Hassan", "Omar",
     "Name, Vorname: AL-HASSAN, Omar\nGeburtsdatum: {d}", "de"),
    ("particle van der", "van der Berg", "Jan",
     "This is to confirm that Jan van der Berg, date of birth {d}, is employed by us.", "iso"),
    ("particle de", "de Souza", "Maria Clara",
     "Frau Maria Clara de Souza, geb. {d}, wohnt zur Miete.", "de"),
    ("particle bin", "bin Rashid", "Ahmad",
     "Mandant/in: Ahmad bin Rashid, * {d}", "de"),
    ("label Familienname / Vorname / Geburtsdatum", "Nguyen", "Thi Lan",
     "Familienname: Nguyen\nVornamen: Thi Lan\nGeburtsdatum: {d}", "de"),
    ("label Name, Vorname with the date in the next table cell", "Nguyen", "Thi Lan",
     "Name, Vorname: Nguyen, Thi Lan | Geburtsdatum | {d}", "de"),
    ("label Mieter/in", "Haddad", "Leila",
     "Wohnungsgeberbestätigung\nMieter/in: Haddad, Leila\nGeburtsdatum: {d}\nEinzug: 01.03.2024",
     "de"),
    ("label Arbeitnehmer/in, date on the next line", "Nguyen", "Thi Lan",
     "Arbeitsbescheinigung\nArbeitnehmer/in: Frau Thi Lan Nguyen\ngeb. am\n{d}", "de"),
    ("label Mandant/in", "Öztürk", "Hüseyin",
     "Mandant/in: Öztürk, Hüseyin, geb. {d}\nAz. unseres Büros: 123/24", "long"),
    ("label Antragsteller/in", "Kowalski", "Jan",
     "Antragsteller/in: Jan KOWALSKI   Geburtsdatum: {d}", "de"),
    ("Herr, name on one line, birth date on the next", "Kaya", "Emre",
     "Herr Emre Kaya\ngeboren am {d}\nwohnhaft in Wuppertal", "de"),
    ("Frau, surname only with given names elsewhere", "Ivanova", "Maria",
     "Frau Ivanova, geb. {d}, (Vorname Maria) hat ihre Stelle angetreten.", "de"),
    ("Geburtsdatum with a format hint, ISO date", "Nguyen", "Thi Lan",
     "Nachname: Nguyen\nVorname: Thi Lan\nGeburtsdatum (JJJJ-MM-TT): {d}", "iso"),
    ("English form, date of birth day first with slashes", "Nguyen", "Thi Lan",
     "Surname: NGUYEN\nGiven names: THI LAN\nDate of birth: {d}", "slash"),
    ("English letter, date of birth written out", "Haddad", "Leila",
     "We confirm that Ms Leila Haddad, born on {d}, has been our tenant since 2022.", "en"),
    ("form table: head row over the value row", "Nguyen", "Thi Lan",
     "Name, Vorname            Geburtsdatum        Staatsangehörigkeit\n"
     "Nguyen, Thi Lan          {d}          vietnamesisch", "de"),
    ("form: each label above its value", "Nguyen", "Thi Lan",
     "Familienname\nNguyen\nVorname\nThi Lan\nGeburtsdatum\n{d}", "de"),
    ("née: the birth name beside the married name", "Schmidt", "Anna",
     "Frau Anna Schmidt geb. Müller, geboren am {d}, ist Mitglied.", "long"),
    # wordings of the second letter set (bench/names_letters.py, set B)
    ("geboren den, in brackets", "Petrović", "Milica",
     "dass unser(e) Mitarbeiter(in)\nMilica Petrovic (geboren den {d})\nbei uns tätig ist", "de"),
    ("prose running into a surname-first name, * with a 2-digit year", "Okafor", "Chukwuemeka",
     "In der Ausländerangelegenheit Okafor, Chukwuemeka, * {d}", "short"),
    ("a label alone on its line, Geburtsdatum/-ort", "bin Rashid", "Ahmad",
     "Mitglied:\nBIN RASHID, Ahmad\nGeburtsdatum/-ort: {d} in Hanoi", "de"),
    ("a role label with the surname first and no comma", "Öztürk", "Hüseyin",
     "Schüler/in: Öztürk Hüseyin\nGeb.: {d}", "de"),
    ("Kundin/Kunde, Geburtsdatum without a colon", "Ahmadi", "Farid",
     "Kundin/Kunde: Farid Ahmadi\nGeburtsdatum {d}", "de"),
    ("Pat., Kontoinhaber, Versicherte/r", "Tran", "Van Minh",
     "Pat.: Tran, Van Minh\nKontoinhaber: TRAN VAN MINH\nVersicherte/r: Tran, Van Minh\n"
     "geb. {d}", "de"),
    ("closed-up table head (OCR joined the columns)", "de Souza", "Maria Clara",
     "Familienname Vorname(n) Geburtsdatum\nde Souza Maria Clara {d}", "de"),
    ("an umlaut lost by OCR", "Öztürk", "Hüseyin",
     "Arbeitnehmer/in: Ozturk, Hüseyin\nGeburtsdatum: {d}", "iso"),
    # wordings of the unseen set (bench/names_unseen.py, written without reading this code)
    ("a form's label and value without a colon (OCR: one space)", "Tesfaye", "Yohannes",
     "In die Wohnung ist / sind folgende Person(en) eingezogen:\nFamilienname Tesfaye\n"
     "Vorname (n) Yohannes\nGeburtsdatum {d}", "long"),
    ("upper-case surname without colon, Tag der Geburt", "bin Abdullah", "Ahmad Faiz",
     "Familienname BIN ABDULLAH\nVornamen Ahmad Faiz\nTag der Geburt {d}\nOrt der Geburt "
     "Kuala Lumpur", "long"),
    ("English form without colons, OCR junk and a closed-up 'ofbirth'", "Petrović", "Jelena",
     "Surname PETROVIC\nGiven names _ Jelena\nDate ofbirth {d}\nCountry of birth Banja Luka",
     "slash"),
    ("a role label without colon, surname first, date on the next line", "El Amrani", "Youssef",
     "Kontoinhaber/in El Amrani, Youssef\ngeboren am {d}\nIBAN DE99 5205 0353 7229 7961 98",
     "long"),
]


def _route(text: str, candidates: list[Candidate]):
    return decide(signals_for(extract(text), None, text), candidates)


@pytest.mark.parametrize(("surname", "given", "template", "fmt"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_wording_files_its_client_and_never_her_namesake(surname: str, given: str,
                                                             template: str, fmt: str) -> None:
    me = client(surname, given)
    other = namesake(me)
    text = template.format(d=FORMATS[fmt](BORN))
    ids = extract(text)
    assert BORN.isoformat() in ids.birth_dates, ids
    # her letter is filed, also while a namesake with another birth date is a client too
    for candidates in ([me], [me, other]):
        d = _route(text, candidates)
        assert d.efile == me.aktenzeichen, (d.reasons, ids)
    # the same wording about the namesake: never hers
    about_other = template.format(d=FORMATS[fmt](OTHER))
    assert _route(about_other, [me]).efile is None
    assert _route(about_other, [me, other]).efile != me.aktenzeichen
    # … not even with her file number on it (a mixed-up reference), nor by her cover sheet
    with_her_number = f"Az.: {me.aktenzeichen}\n{about_other}"
    d = _route(with_her_number, [me])
    assert d.efile is None, d.reasons
    assert explicit_conflict(signals_for(extract(about_other), None, about_other), me, [me])


def test_a_namesake_who_is_a_client_with_her_file_number_on_the_page_waits():
    me = client("Nguyen", "Thi Lan")
    text = f"Az.: {me.aktenzeichen}\nNguyen, Thi Lan, geboren am 07.04.1985"
    d = _route(text, [me, namesake(me)])
    assert d.efile is None and "a person decides" in d.reasons[0]


def test_another_client_named_with_birth_date_is_never_filed_to_the_referenced_one():
    me, other = client("Nguyen", "Thi Lan"), Candidate("ABH-2024-000002", "Haddad", "Leila",
                                                       date(1992, 1, 5))
    text = f"Az.: {me.aktenzeichen}\nMieter/in: Haddad, Leila, geb. 05.01.1992"
    assert _route(text, [me]).efile is None  # the page names someone else
    assert _route(text, [me, other]).efile != me.aktenzeichen


def test_the_family_on_her_page_does_not_hold_it():
    # her own birth date beside her child's: the namesake guard is about a page without hers
    me = client("Kaya", "Emre")
    text = (f"Az.: {me.aktenzeichen}\nHerr Emre Kaya, geb. 02.11.1990, und sein Sohn "
            "Kaya, Ali, geb. 03.03.2015")
    assert _route(text, [me]).efile == me.aktenzeichen


def test_people_who_are_not_the_case_are_not_read_as_its_surname():
    # the addressee, a landlord's "Name:", an unmarked date: none is a person of the case
    text = ("Sehr geehrte Frau Schmidt,\nName: Peter Wagner\nAnschrift: Hauptstr. 1\n"
            "Einzug am 01.03.2024")
    assert find(text).mentions == [] and extract(text).birth_dates == []
    # a date that is not marked as a birth date is no birth date
    assert extract("Nguyen, Thi Lan, 02.11.1990").birth_dates == []


def test_impossible_dates_are_no_birth_dates():
    assert extract("geboren am 31.02.1990").birth_dates == []
    assert extract("Geburtsdatum: 1990-13-02").birth_dates == []


def test_two_digit_years_are_never_in_the_future():
    year = date.today().year % 100
    assert extract(f"geb. 1.1.{year:02d}").birth_dates == [f"{2000 + year}-01-01"]
    later = (year + 1) % 100
    assert extract(f"geb. 1.1.{later:02d}").birth_dates[0].startswith("19")


def test_a_passports_visual_zone_gives_the_surname_not_the_field_before_the_birth_date():
    # bilingual, numbered labels; the line before "Date of birth" is another field
    text = ("1. Surname / Nom: PETROV\n2. Given names / Prénoms: ANDREI\n"
            "Nationality / Staatsangehörigkeit: RUSSIAN FEDERATION\n"
            "Date of birth / Date de naissance: 04.09.1968")
    ids = extract(text)
    assert ids.surnames == ["PETROV"] and ids.birth_dates == ["1968-09-04"]
    # a form's given-name field before the birth date is no surname either (Kog, Volkan)
    ids = extract("Familienname: Kog\nVorname(n): Volkan\nGeburtsdatum: 14.01.1990")
    assert ids.surnames == ["Kog"]


def test_a_label_without_colon_takes_only_a_name_as_its_value():
    # prose after a label word, a closed-up table head, a month whose umlaut OCR lost
    assert find("Familienname und Vorname sind in Druckbuchstaben anzugeben.").mentions == []
    ids = extract("Familienname Vorname Geburtsdatum\nKaya Emre 02.11.1990")
    assert ids.birth_dates == ["1990-11-02"] and "Kaya" in ids.surnames
    assert extract("geboren am 04. Marz 1989").birth_dates == ["1989-03-04"]
