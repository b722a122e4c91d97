"""Letters and forms from outside the project, naming clients the way real post does (#20).

    python bench/names_letters.py write OUT/        # 64 + 10 letters as 300-dpi scans,
                                                    # labels.csv, persons.csv
    efile eval OUT/ --json > eval.json              # end to end (OCR, type, routing)
    python bench/names_letters.py route OUT/        # OCR + the router alone, per letter
    python bench/names_letters.py write-b OUT-B/    # set B: other writers, other wordings

Landlords, employers, lawyers, schools, doctors, other authorities, banks; German and a few
English. None carries an Aktenzeichen, AZR or passport number: only the name and the birth
date can find the client. Ten more name a namesake of a client (same name, another birth
date, not registered): they belong to nobody, filing one is a misfile. The registry
(persons.csv) writes nationalities in every code family (ISO, ICAO D/XX*/GB*, Destatis keys).

Honest limit: the letters were written by the author of classifiers/names.py, from the
wording list of issue #20, not by someone who never read the extraction. Not run in CI.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from efile.samples.documents import Line
from efile.samples.render import degrade, render_page, save_scan

MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]

# aktenzeichen, surname, given names, birth date, nationality as the registry writes it
CLIENTS = [
    ("ABH-2019-410001", "Nguyen", "Thi Lan", date(1990, 11, 2), "VNM"),
    ("ABH-2019-410002", "Ramírez Ortega", "Carlos Andrés", date(1984, 6, 17), "COL"),
    ("ABH-2019-410003", "Al-Hassan", "Omar", date(1993, 1, 9), "475"),
    ("ABH-2019-410004", "van der Berg", "Jan Pieter", date(1979, 3, 30), "NLD"),
    ("ABH-2019-410005", "Öztürk", "Hüseyin", date(1975, 3, 14), "163"),
    ("ABH-2019-410006", "de Souza", "Maria Clara", date(1988, 12, 24), "BRA"),
    ("ABH-2019-410007", "bin Rashid", "Ahmad", date(1991, 7, 5), "MYS"),
    ("ABH-2019-410008", "Kowalska", "Agnieszka", date(1986, 2, 28), "POL"),
    ("ABH-2019-410009", "Haddad", "Leila", date(1997, 9, 1), "XXA"),
    ("ABH-2019-410010", "Melnyk", "Olena", date(1982, 4, 11), "166"),
    ("ABH-2019-410011", "Okafor", "Chukwuemeka", date(1995, 10, 20), "NGA"),
    ("ABH-2019-410012", "Petrović", "Milica", date(2001, 5, 3), "SRB"),
    ("ABH-2019-410013", "Schmidt", "Anna", date(1969, 8, 8), "D"),
    ("ABH-2019-410014", "Ahmadi", "Farid", date(2004, 1, 15), "423"),
    ("ABH-2019-410015", "Tran", "Van Minh", date(1978, 11, 30), "VNM"),
    ("ABH-2019-410016", "El Amrani", "Youssef", date(1999, 2, 2), "MAR"),
]
# registered namesakes of clients (same name, another birth date): a letter about one of the
# clients must not go to them, and the reverse
NAMESAKES = [
    ("ABH-2021-520001", "Nguyen", "Thi Lan", date(1985, 4, 7), "XXX"),
    ("ABH-2021-520002", "Öztürk", "Hüseyin", date(1998, 9, 2), "TUR"),
    ("ABH-2021-520003", "Haddad", "Leila", date(1992, 1, 5), "XXB"),
    ("ABH-2021-520004", "Kowalska", "Agnieszka", date(1960, 6, 6), "152"),
]
# unregistered namesakes (the letters about them belong to nobody)
STRANGERS = [
    ("Nguyen", "Thi Lan", date(1979, 5, 19)), ("Öztürk", "Hüseyin", date(2003, 12, 1)),
    ("Haddad", "Leila", date(1970, 3, 3)), ("Melnyk", "Olena", date(1999, 9, 9)),
    ("Schmidt", "Anna", date(1990, 2, 14)), ("Ahmadi", "Farid", date(1988, 8, 18)),
    ("Tran", "Van Minh", date(2000, 7, 7)), ("de Souza", "Maria Clara", date(1972, 10, 10)),
    ("Al-Hassan", "Omar", date(1980, 4, 4)), ("van der Berg", "Jan Pieter", date(1995, 6, 1)),
]


def d_de(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def d_short(d: date) -> str:
    return f"{d.day}.{d.month}.{d.strftime('%y')}"


def d_long(d: date) -> str:
    return f"{d.day:02d}. {MONTHS[d.month - 1]} {d.year}"


def d_long1(d: date) -> str:
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def d_iso(d: date) -> str:
    return d.isoformat()


def d_slash(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def d_en(d: date) -> str:
    return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"


def up(s: str) -> str:
    return s.upper()


# each letter: (doc_type, writer(surname, given, born, rng) -> lines of text)
def landlord_1(s, g, b, r):
    return ["Hausverwaltung Kessler & Partner GmbH", "Friedrich-Ebert-Str. 112 · 42103 Wuppertal",
            "", "Wuppertal, den 14.10.2025", "", "Mietbescheinigung", "",
            "Sehr geehrte Damen und Herren,",
            f"hiermit bestätigen wir, dass {s}, {g}, geboren am {d_de(b)}, seit dem 01.04.2022",
            "Mieterin der Wohnung Hünefeldstraße 8, 2. OG links, ist. Die Miete wird",
            "regelmäßig und pünktlich gezahlt. Mietrückstände bestehen nicht.", "",
            "Mit freundlichen Grüßen", "i. A. Petra Kessler"]


def landlord_2(s, g, b, r):
    return ["Wohnungsgeberbestätigung nach § 19 Bundesmeldegesetz", "",
            "Angaben zum Wohnungsgeber", "Name: Gerd Vollmer", "Anschrift: Am Brill 3, 42105 Wuppertal",
            "", "Einzug am: 01.09.2025", "Anschrift der Wohnung: Zur Scheuren 17, 42277 Wuppertal",
            "", "Folgende Person ist in die Wohnung eingezogen:",
            "Familienname          Vorname(n)          Geburtsdatum",
            f"{s}          {g}          {d_de(b)}", "",
            "Ich bestätige mit meiner Unterschrift die Richtigkeit dieser Angaben.",
            "Wuppertal, 02.09.2025        Gerd Vollmer"]


def landlord_3(s, g, b, r):
    return ["GWG Wohnungsgesellschaft mbH", "", "Bestätigung über das Mietverhältnis", "",
            f"Mieter/in: {g} {up(s)}", f"geb. am: {d_short(b)}",
            "Mietobjekt: Wichlinghauser Str. 40, 42277 Wuppertal", "Mietbeginn: 15.05.2021",
            "Kaltmiete: 480,00 EUR   Nebenkosten: 190,00 EUR", "",
            "Das Mietverhältnis besteht ungekündigt fort.", "", "GWG Kundenservice"]


def employer_1(s, g, b, r):
    return ["Bergische Logistik GmbH", "Personalabteilung", "Otto-Hahn-Str. 4, 42369 Wuppertal",
            "", "Arbeitsbescheinigung", "",
            f"Herr/Frau {g} {s}, geboren am {d_long(b)}, ist seit dem 01.02.2023 in unserem",
            "Unternehmen als Lagerfachkraft in Vollzeit (40 Std./Woche) beschäftigt.",
            "Das Arbeitsverhältnis ist unbefristet und ungekündigt.", "",
            "Wuppertal, 03.11.2025", "Sabine Roth, Personalleiterin"]


def employer_2(s, g, b, r):
    return ["Klinikum Nordstadt gGmbH", "", "Erklärung zum Beschäftigungsverhältnis", "",
            f"Arbeitnehmer/in: {s}, {g}", f"Geburtsdatum: {d_iso(b)}",
            "Tätigkeit: Pflegefachkraft", "Beginn der Beschäftigung: 01.10.2024",
            "Bruttoarbeitsentgelt monatlich: 3.412,00 EUR", "", "Ort, Datum: Wuppertal, 20.10.2025",
            "Stempel / Unterschrift des Arbeitgebers"]


def employer_3(s, g, b, r):
    return ["Rheinwerk Software AG · Human Resources", "", "To whom it may concern", "",
            "Employment confirmation", "",
            f"We hereby confirm that {g} {s}, date of birth {d_slash(b)}, has been employed",
            "by Rheinwerk Software AG as a Senior Developer since 1 March 2023 on a permanent",
            "full-time contract. The gross annual salary is EUR 68,000.", "",
            "Düsseldorf, 5 November 2025", "Thomas Becker, Head of HR"]


def employer_4(s, g, b, r):
    return ["Bäckerei Hoffmann e. K.", "", "Bescheinigung", "",
            f"Frau {up(s)}, {g} (* {d_de(b)}) arbeitet bei uns seit Juni 2024 als Verkäuferin",
            "auf Minijob-Basis, 10 Stunden pro Woche.", "", "Solingen, 28.10.2025",
            "Martin Hoffmann, Inhaber"]


def lawyer_1(s, g, b, r):
    return ["Rechtsanwältin Dr. Julia Wenzel", "Fachanwältin für Migrationsrecht",
            "Kasinostr. 21 · 42103 Wuppertal", "", "Stadt Wuppertal – Ausländerbehörde", "",
            "Wuppertal, den 12. November 2025", "", f"Mandant/in: {s}, {g}, geb. {d_de(b)}",
            "Unser Zeichen: 214/25 JW", "", "Sehr geehrte Damen und Herren,",
            "in der oben genannten Angelegenheit zeigen wir an, dass uns die Mandantschaft mit",
            "der Wahrnehmung ihrer Interessen beauftragt hat. Vollmacht anbei.",
            "Wir beantragen Akteneinsicht.", "", "Mit freundlichen Grüßen", "Dr. Julia Wenzel"]


def lawyer_2(s, g, b, r):
    return ["Kanzlei Yilmaz & Braun", "", "An die Ausländerbehörde", "",
            f"Betreff: Ihr Schreiben vom 20.10.2025 – {g} {s}, geboren {d_long1(b)}", "",
            "Sehr geehrte Frau Schneider,",
            "wir nehmen Bezug auf Ihre Anhörung und beantragen Fristverlängerung bis zum",
            "30.12.2025, da die Unterlagen aus dem Herkunftsland noch nicht vorliegen.", "",
            "Mit freundlichen Grüßen", "RA Deniz Yilmaz"]


def school_1(s, g, b, r):
    return ["Gesamtschule Barmen", "Sekretariat", "", "Schulbescheinigung", "",
            f"Name, Vorname: {s}, {g}", f"Geburtsdatum: {d_de(b)}",
            "Klasse: 10b      Schuljahr: 2025/2026",
            "besucht die oben genannte Schule als ordentliche Schülerin / ordentlicher Schüler.",
            "", "Wuppertal, 08.09.2025", "Schulleitung"]


def school_2(s, g, b, r):
    return ["Bergische Universität Wuppertal", "Studierendensekretariat", "",
            "Immatrikulationsbescheinigung Wintersemester 2025/26", "",
            f"Frau/Herr {g} {s}", f"geboren am {d_de(b)} in Hanoi",
            "ist im Studiengang Maschinenbau (B.Sc.) im 3. Fachsemester eingeschrieben.", "",
            "Matrikelnummer: 1923387"]


def doctor_1(s, g, b, r):
    return ["Praxis Dr. med. Klaus Arendt", "Facharzt für Allgemeinmedizin", "",
            "Ärztliche Bescheinigung", "",
            f"Patient: {g} {s}    geb.: {d_short(b)}", "",
            "Der o. g. Patient befindet sich seit dem 02.10.2025 in meiner Behandlung.",
            "Er ist bis auf Weiteres nicht reisefähig.", "",
            "Wuppertal, 04.11.2025", "Dr. med. K. Arendt"]


def doctor_2(s, g, b, r):
    return ["Helios Klinikum Wuppertal", "Klinik für Gynäkologie", "", "Attest", "",
            "Name        Vorname        Geb.-Datum",
            f"{up(s)}        {g}        {d_de(b)}", "",
            "Es besteht eine Schwangerschaft, errechneter Entbindungstermin 15.03.2026.",
            "", "Wuppertal, 30.10.2025", "Oberärztin Dr. S. Klein"]


def authority_1(s, g, b, r):
    return ["Jobcenter Wuppertal", "Bachstr. 2, 42275 Wuppertal", "", "Bescheinigung", "",
            "Hiermit wird bescheinigt, dass", f"Frau {g} {s}", f"geboren am {d_de(b)}",
            "seit dem 01.01.2025 keine Leistungen nach dem SGB II bezieht.", "",
            "Wuppertal, 11.11.2025", "Im Auftrag", "Becker"]


def authority_2(s, g, b, r):
    return ["Stadt Solingen – Bürgerbüro", "", "Meldebescheinigung (einfach)", "",
            f"Familienname: {s}", f"Vornamen: {g}", f"Geburtsdatum: {d_de(b)}",
            "Anschrift: Konrad-Adenauer-Str. 9, 42651 Solingen", "Einzugsdatum: 01.07.2023",
            "", "Solingen, 21.10.2025"]


def authority_3(s, g, b, r):
    return ["Familienkasse Nordrhein-Westfalen West", "", "Bescheid über Kindergeld", "",
            f"Antragsteller/in: {up(s)} {g}", f"Geburtsdatum {d_long(b)}", "",
            "Für das Kind wird Kindergeld ab Januar 2025 festgesetzt. Monatlicher Betrag:",
            "255,00 EUR.", "", "Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann Einspruch",
            "eingelegt werden."]


def authority_4(s, g, b, r):
    return ["Embassy of the Republic", "Consular Section", "", "CERTIFICATE", "",
            "This is to certify that", f"Surname: {up(s)}", f"Given names: {up(g)}",
            f"Date of birth: {d_en(b)}",
            "is a citizen of the Republic and holds passport application no. 2025/8812.", "",
            "Berlin, 3 November 2025", "Consul"]


def bank_1(s, g, b, r):
    return ["Stadtsparkasse Wuppertal", "", "Kontobestätigung", "",
            f"Kontoinhaber/in: {g} {s}, geb. am {d_de(b)}",
            "IBAN: DE12 3305 0000 0001 2345 67",
            "Das Konto wird auf Guthabenbasis geführt. Kontostand am 31.10.2025: 1.284,11 EUR.",
            "", "Wuppertal, 03.11.2025"]


WRITERS = [("landlord_confirmation", landlord_1), ("landlord_confirmation", landlord_2),
           ("landlord_confirmation", landlord_3), ("employer_certificate", employer_1),
           ("employer_declaration", employer_2), ("employer_certificate", employer_3),
           ("employer_certificate", employer_4), ("lawyer_letter", lawyer_1),
           ("lawyer_letter", lawyer_2), ("other", school_1), ("other", school_2),
           ("medical_attest", doctor_1), ("medical_attest", doctor_2), ("other", authority_1),
           ("registration_certificate", authority_2), ("decision", authority_3),
           ("other", authority_4), ("bank_statement", bank_1)]


# set B: written after set A's figures, never tuned to (run once, as it came out)
def b_landlord(s, g, b, r):
    return ["Vermietung Ilse Brandt", "", "Bestätigung", "",
            f"Ich bestätige, dass {'Frau' if r.random() < .5 else 'Herr'} {g} {s}, geb. am "
            f"{d_long(b).replace('.', '', 1)},", "seit 2019 meine Mieterin/mein Mieter in der "
            "Wohnung Bahnstr. 4 ist.", "", "Ilse Brandt"]


def b_landlord2(s, g, b, r):
    return ["Wohnungsbaugenossenschaft Rhein-Wupper eG", "", "Mitgliedsbescheinigung", "",
            "Mitglied:", f"{up(s)}, {g}", f"Geburtsdatum/-ort: {d_de(b)} in Hanoi", "",
            "Mitgliedsnummer 44812, Geschäftsanteile: 3"]


def b_employer(s, g, b, r):
    return ["Müller Gebäudereinigung GmbH & Co. KG", "", "Arbeitgeberbescheinigung", "",
            "Wir bestätigen hiermit, dass unser(e) Mitarbeiter(in)",
            f"{g} {s} (geboren den {d_de(b)})",
            "bei uns seit 01.03.2020 als Reinigungskraft tätig ist. Wochenarbeitszeit 30 h.",
            "", "Remscheid, 30.10.2025", "Geschäftsführung"]


def b_employer2(s, g, b, r):
    return ["ACME Engineering Ltd.", "", "Letter of employment", "",
            f"Employee: {g} {up(s)}", f"DOB: {d_iso(b)}", "Position: Project Engineer",
            "Start date: 1 April 2024", "", "Yours faithfully,", "J. Smith, HR Manager"]


def b_employer3(s, g, b, r):
    return ["Pflegedienst Sonnenschein", "", "Beschäftigungsnachweis", "",
            "Name, Vorname          Geb.-Datum          Eintritt",
            f"{s}, {g}          {d_de(b)}          01.08.2023", "",
            "Wir beschäftigen die o. g. Person in Teilzeit."]


def b_lawyer(s, g, b, r):
    return ["Anwaltskanzlei Schröder", "", "Ausländerbehörde Wuppertal", "",
            f"In der Ausländerangelegenheit {s}, {g}, * {d_short(b)}", "",
            "Sehr geehrte Damen und Herren,",
            "namens und in Vollmacht unseres Mandanten beantragen wir die Verlängerung der",
            "Aufenthaltserlaubnis. Die Unterlagen reichen wir nach.", "", "Schröder, Rechtsanwalt"]


def b_lawyer2(s, g, b, r):
    return ["Refugee Law Clinic Köln e.V.", "", "Re: our client", "",
            f"{g} {s}, born {d_en(b)}", "",
            "Dear Sir or Madam,", "we write on behalf of the above-named client, who has",
            "authorised us to request information about the status of the application.",
            "", "Kind regards", "A. Fischer"]


def b_school(s, g, b, r):
    return ["Berufskolleg am Haspel", "", "Bescheinigung über den Schulbesuch", "",
            f"Schüler/in: {s} {g}", f"Geb.: {d_de(b)}", "Bildungsgang: Ausbildungsvorbereitung",
            "", "Der Unterricht findet an fünf Tagen pro Woche statt."]


def b_school2(s, g, b, r):
    return ["Volkshochschule Wuppertal", "", "Teilnahmebescheinigung Integrationskurs", "",
            f"Teilnehmer/in: {g} {s}", f"geboren am: {d_slash(b)}",
            "Kursnummer: IK-25-117, Modul 4 bis 6, regelmäßige Teilnahme."]


def b_doctor(s, g, b, r):
    return ["Zahnarztpraxis Dr. Oliveira", "", "Behandlungsbestätigung", "",
            f"Pat.: {s}, {g}", f"Geburtsdatum: {d_de(b)}",
            "war am 22.10.2025 in unserer Praxis in Behandlung."]


def b_doctor2(s, g, b, r):
    return ["Ev. Krankenhaus Bethesda", "", "Entlassungsbericht (Auszug)", "",
            f"Wir berichten über Frau/Herrn {g} {up(s)}, geb. {d_de(b)}, die/der sich vom",
            "03.10. bis 09.10.2025 in stationärer Behandlung befand.", "", "Mit kollegialen Grüßen"]


def b_authority(s, g, b, r):
    return ["Standesamt Wuppertal", "", "Auszug aus dem Eheregister", "",
            "Ehegatte 1", f"Familienname: {s}", f"Vornamen: {g}", f"Geburtstag: {d_de(b)}",
            "", "Tag der Eheschließung: 12.06.2025"]


def b_authority2(s, g, b, r):
    return ["Bundesagentur für Arbeit", "Agentur für Arbeit Solingen-Wuppertal", "",
            "Bescheinigung über Arbeitslosigkeit", "",
            f"Kundin/Kunde: {g} {s}", f"Geburtsdatum {d_de(b)}", "Kundennummer: 345D612345",
            "ist seit dem 01.09.2025 arbeitslos gemeldet."]


def b_authority3(s, g, b, r):
    return ["Landesamt für Finanzen", "", "Bescheinigung", "",
            "Personalien", f"Nachname: {s}", f"Vorname: {g}", "Geburtsdatum:", d_de(b), "",
            "Die oben genannte Person ist steuerlich erfasst."]


def b_bank(s, g, b, r):
    return ["Volksbank im Bergischen Land", "", "Bestätigung Sperrkonto", "",
            f"Kontoinhaber: {up(s)} {up(g)}", f"Geburtsdatum: {d_de(b)}",
            "Auf dem Sperrkonto ist ein Betrag von 11.904,00 EUR eingegangen."]


def b_insurance(s, g, b, r):
    return ["AOK Rheinland/Hamburg", "", "Mitgliedsbescheinigung", "",
            f"Versicherte/r: {s}, {g}", f"geb. {d_de(b)}", "Versichertennummer: A123456789",
            "ist bei uns seit 01.01.2024 pflichtversichert."]


WRITERS_B = [("landlord_confirmation", b_landlord), ("other", b_landlord2),
             ("employer_certificate", b_employer), ("employer_certificate", b_employer2),
             ("employer_certificate", b_employer3), ("lawyer_letter", b_lawyer),
             ("lawyer_letter", b_lawyer2), ("other", b_school), ("language_certificate", b_school2),
             ("medical_attest", b_doctor), ("medical_attest", b_doctor2),
             ("marriage_certificate", b_authority), ("other", b_authority2),
             ("other", b_authority3), ("bank_statement", b_bank), ("health_insurance", b_insurance)]


def write(out: Path, writers: list | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    writers = writers or WRITERS
    rng = random.Random(2020)
    rows = []
    n = 0
    # 64 letters about clients: every writer, persons in turn
    for i in range(64):
        kind, writer = writers[i % len(writers)]
        az, s, g, b, _ = CLIENTS[(i * 5 + (1 if writers is WRITERS_B else 0)) % len(CLIENTS)]
        rows.append(_render(out, n, writer(s, g, b, rng), kind, az, "name_dob", rng))
        n += 1
    for j, (s, g, b) in enumerate(STRANGERS):  # about unregistered namesakes: nobody's
        kind, writer = writers[(j * 7 + 3) % len(writers)]
        rows.append(_render(out, n, writer(s, g, b, rng), kind, "", "name_dob", rng))
        n += 1
    with (out / "labels.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["file", "doc_type", "aktenzeichen", "identifiers",
                                          "case"])
        w.writeheader()
        w.writerows(rows)
    with (out / "persons.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["aktenzeichen", "surname", "given_names", "date_of_birth", "nationality",
                    "azr_number", "passport_numbers"])
        for az, s, g, b, nat in CLIENTS + NAMESAKES:
            w.writerow([az, s, g, b.isoformat(), nat, "", ""])
    print(f"wrote {n} letters to {out}")


def _render(out: Path, n: int, text: list[str], kind: str, az: str, ids: str,
            rng: random.Random) -> dict:
    lines = [Line(t, size=13 if k == 0 else 11, bold=k == 0, gap_before=2 if not t else 0)
             for k, t in enumerate(text)]
    page = degrade(render_page(lines), rng, strength=rng.uniform(0.6, 1.2))
    name = f"letter_{n:03d}.png"
    save_scan([page], out / name)
    return {"file": name, "doc_type": kind, "aktenzeichen": az, "identifiers": ids,
            "case": "normal"}


def route(folder: Path) -> None:
    """OCR each letter (as the pipeline does) and let the router decide over the registry."""
    from classifiers.identifiers import extract
    from classifiers.router import Candidate, decide
    from efile.services.routing import signals_for
    from pipelines.tools import tesseract

    reg = list(csv.DictReader((folder / "persons.csv").open(encoding="utf-8")))
    try:  # (absent before #20: the baseline run skips it)
        from efile.nationalities import normalise
    except ImportError:
        normalise = str
    for p in reg:
        normalise(p["nationality"])  # every code family the import takes
    cands = [Candidate(p["aktenzeichen"], p["surname"], p["given_names"],
                       date.fromisoformat(p["date_of_birth"])) for p in reg]
    labels = list(csv.DictReader((folder / "labels.csv").open(encoding="utf-8")))
    filed = known = misfiled = 0
    misses = []
    for lab in labels:
        text = tesseract.ocr_page((folder / lab["file"]).read_bytes(), ".png", dpi=300).text
        d = decide(signals_for(extract(text), None, text), cands)
        if lab["aktenzeichen"]:
            known += 1
        if d.efile and d.efile == lab["aktenzeichen"]:
            filed += 1
        elif d.efile:
            misfiled += 1
            misses.append({"file": lab["file"], "misfiled_to": d.efile})
        elif lab["aktenzeichen"]:
            misses.append({"file": lab["file"], "reason": d.reasons[0][:160]})
    print(json.dumps({"letters": len(labels), "naming_a_client": known, "auto_filed": filed,
                      "auto_file_rate": round(filed / known, 4) if known else None,
                      "misfiles": misfiled, "not_filed": misses}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    cmd, folder = sys.argv[1], Path(sys.argv[2])
    if cmd == "write":
        write(folder)
    elif cmd == "write-b":
        write(folder, WRITERS_B)
    else:
        route(folder)
