"""Realistic German immigration-office (ABH) documents as text, with their ground truth.

Each builder returns a `SampleDocument`: pages of laid-out lines plus the facts printed on
them (person, Aktenzeichen, ...). Rendering to a noisy 300-dpi scan happens in `render.py`.
Everything is deterministic for a given seed, so tests and the demo see the same documents.

The five builders here keep their fixed layout for the demo and the end-to-end tests; called
with `ids`, they hand over to the varied builders of the labelled corpus (`corpus.py`,
`kinds_*.py`), which cover every type of classifiers/taxonomy.toml.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from classifiers.mrz import td3_lines


@dataclass(frozen=True)
class Line:
    text: str
    size: int = 11  # points
    bold: bool = False
    mono: bool = False
    indent: float = 0.0  # millimetres from the left margin
    gap_before: float = 0.0  # extra millimetres of space above


@dataclass
class SampleDocument:
    kind: str
    title: str
    pages: list[list[Line]]
    person: dict[str, str]
    facts: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(self.page_text(i) for i in range(len(self.pages)))

    def page_text(self, index: int) -> str:
        return "\n".join(line.text for line in self.pages[index] if line.text)


SURNAMES = ["Müller", "Yılmaz", "Öztürk", "Kowalski", "Nguyen", "Haddad", "Schäfer",
            "Popescu", "Ivanova", "Al-Hassan", "Weiß", "Okafor", "Fernández", "Kaya", "Jäger"]
GIVEN = ["Ayşe", "Mehmet", "Anna", "Jürgen", "Fatima", "Olena", "Tran", "Ahmad", "Maria",
         "Björn", "Chinedu", "Lucía", "Emre", "Zofia", "Hüseyin"]
NATIONALITIES = [("TUR", "türkisch"), ("POL", "polnisch"), ("VNM", "vietnamesisch"),
                 ("SYR", "syrisch"), ("UKR", "ukrainisch"), ("NGA", "nigerianisch"),
                 ("ROU", "rumänisch"), ("ESP", "spanisch")]
STREETS = ["Friedrich-Ebert-Straße", "Hofaue", "Kasinostraße", "Wall", "Neumarkt",
           "Laurentiusstraße", "Gathe", "Hünefeldstraße", "Uellendahler Straße"]
EMPLOYERS = ["Bergische Präzisionstechnik GmbH", "Stadtwerke Wuppertal Service GmbH",
             "Klinikum Nordstadt gGmbH", "Müller & Söhne Logistik KG",
             "Schwebebahn Gastronomie GmbH", "Wupper Software AG"]
JOBS = ["Softwareentwicklerin", "Pflegefachkraft", "Lagerlogistiker", "Elektroniker",
        "Koch", "Ingenieur für Maschinenbau", "Buchhalterin"]

_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"]


def german_date(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def long_date(d: date) -> str:
    return f"{d.day}. {_MONTHS[d.month - 1]} {d.year}"


def make_person(rng: random.Random) -> dict[str, str]:
    code, adjective = rng.choice(NATIONALITIES)
    birth = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 365 * 38))
    return {
        "surname": rng.choice(SURNAMES),
        "given_names": rng.choice(GIVEN),
        "birth_date": german_date(birth),
        "birth_iso": birth.isoformat(),
        "nationality": code,
        "nationality_de": adjective,
        "sex": rng.choice("MF"),
        "street": f"{rng.choice(STREETS)} {rng.randrange(1, 140)}",
        "city": f"{rng.choice(['42103', '42105', '42107', '42275', '42283'])} Wuppertal",
        "passport": "".join(rng.choice("CFGHJKLMNPRTVWXYZ0123456789") for _ in range(9)),
        "aktenzeichen": f"ABH-{rng.randrange(2015, 2026)}-{rng.randrange(0, 999999):06d}",
    }


def _corpus_builder(kind: str) -> Callable[..., SampleDocument]:
    """The builder of the labelled corpus for a taxonomy id (imported late: those modules
    import this one)."""
    from .corpus import BUILDERS as ALL

    return ALL[kind]


def _letter_head(sender: list[str], person: dict[str, str], when: date) -> list[Line]:
    lines = [Line(sender[0], 15, bold=True)]
    lines += [Line(s, 9) for s in sender[1:]]
    lines += [
        Line(f"{sender[0]} · {sender[1]}", 7, gap_before=14),
        Line("Stadt Wuppertal", gap_before=2),
        Line("Ausländerbehörde"),
        Line("Steinweg 20"),
        Line("42275 Wuppertal"),
        Line(f"Wuppertal, den {long_date(when)}", indent=110, gap_before=8),
    ]
    return lines


def employer_letter(rng: random.Random, person: dict[str, str],
                    ids: Iterable[str] | None = None) -> SampleDocument:
    if ids is not None:  # the corpus decides what is printed: use the varied builder
        return _corpus_builder("employer_certificate")(rng, person, ids)
    employer = rng.choice(EMPLOYERS)
    job = rng.choice(JOBS)
    start = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 1800))
    when = date(2026, 1, 1) + timedelta(days=rng.randrange(0, 300))
    salary = rng.randrange(2800, 6900)
    name = f"{person['given_names']} {person['surname']}"
    body = [
        Line(f"Arbeitgeberbescheinigung für {name}", 12, bold=True, gap_before=10),
        Line(f"Ihr Zeichen: {person['aktenzeichen']}", gap_before=3),
        Line("Sehr geehrte Damen und Herren,", gap_before=6),
        Line(f"hiermit bestätigen wir, dass {name}, geboren am {person['birth_date']},",
             gap_before=3),
        Line(f"seit dem {german_date(start)} als {job} in unserem Unternehmen"),
        Line("unbefristet in Vollzeit mit 40 Wochenstunden beschäftigt ist."),
        Line(f"Das monatliche Bruttogehalt beträgt {salary:,} Euro.".replace(",", "."),
             gap_before=3),
        Line("Das Arbeitsverhältnis ist ungekündigt. Eine Beendigung ist nicht beabsichtigt."),
        Line("Für Rückfragen steht Ihnen unsere Personalabteilung gerne zur Verfügung.",
             gap_before=3),
        Line("Mit freundlichen Grüßen", gap_before=8),
        Line(employer, gap_before=14),
        Line("Personalabteilung"),
    ]
    sender = [employer, f"{rng.choice(STREETS)} {rng.randrange(1, 90)} · 42103 Wuppertal",
              "Telefon 0202 563-0 · personal@example.de"]
    return SampleDocument(
        "employer_certificate", f"Arbeitgeberbescheinigung {name}",
        [_letter_head(sender, person, when) + body], person,
        {"employer": employer, "salary": str(salary), "letter_date": when.isoformat()},
    )


def landlord_confirmation(rng: random.Random, person: dict[str, str],
                          ids: Iterable[str] | None = None) -> SampleDocument:
    if ids is not None:  # the corpus decides what is printed: use the varied builder
        return _corpus_builder("landlord_confirmation")(rng, person, ids)
    landlord = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"
    moved = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 600))
    name = f"{person['given_names']} {person['surname']}"
    lines = [
        Line("Wohnungsgeberbestätigung", 16, bold=True),
        Line("nach § 19 des Bundesmeldegesetzes (BMG)", 10),
        Line("Angaben zum Wohnungsgeber", 12, bold=True, gap_before=10),
        Line(f"Name: {landlord}", gap_before=2),
        Line(f"Anschrift: {rng.choice(STREETS)} {rng.randrange(1, 90)}, 42119 Wuppertal"),
        Line("Der Wohnungsgeber ist gleichzeitig Eigentümer der Wohnung."),
        Line("Angaben zur Wohnung", 12, bold=True, gap_before=8),
        Line(f"Anschrift: {person['street']}, {person['city']}", gap_before=2),
        Line(f"Einzug am: {german_date(moved)}"),
        Line("Folgende Person ist in die oben genannte Wohnung eingezogen:", 12, bold=True,
             gap_before=8),
        Line(f"Familienname: {person['surname']}", gap_before=2),
        Line(f"Vorname: {person['given_names']}"),
        Line(f"Geburtsdatum: {person['birth_date']}"),
        Line("Ich bestätige mit meiner Unterschrift den Ein- bzw. Auszug der oben genannten",
             gap_before=8),
        Line("Person. Es ist verboten, eine Wohnungsanschrift anzubieten, wenn ein tatsächlicher"),
        Line("Bezug der Wohnung weder stattfindet noch beabsichtigt ist. Ein Verstoß wird als"),
        Line("Ordnungswidrigkeit mit einer Geldbuße bis zu 50.000 Euro geahndet."),
        Line(f"Wuppertal, {german_date(moved + timedelta(days=3))}", gap_before=12),
        Line(f"Unterschrift Wohnungsgeber: {landlord}", gap_before=6),
    ]
    return SampleDocument("landlord_confirmation", f"Wohnungsgeberbestätigung {name}",
                          [lines], person, {"landlord": landlord})


def payslip(rng: random.Random, person: dict[str, str],
            ids: Iterable[str] | None = None) -> SampleDocument:
    if ids is not None:  # the corpus decides what is printed: use the varied builder
        return _corpus_builder("payslip")(rng, person, ids)
    employer = rng.choice(EMPLOYERS)
    month = rng.randrange(1, 11)
    gross = rng.randrange(2800, 6900)
    tax = round(gross * 0.14)
    soc = round(gross * 0.205)
    net = gross - tax - soc
    name = f"{person['given_names']} {person['surname']}"

    def row(label: str, amount: int) -> Line:
        return Line(f"{label:<34}{amount:>10,} EUR".replace(",", "."), mono=True)

    lines = [
        Line(employer, 14, bold=True),
        Line(f"Verdienstabrechnung {_MONTHS[month - 1]} 2026", 13, bold=True, gap_before=8),
        Line(f"Personalnummer: {rng.randrange(10000, 99999)}", gap_before=4),
        Line(f"Name: {name}"),
        Line(f"Anschrift: {person['street']}, {person['city']}"),
        Line("Steuerklasse: 1   Kinderfreibetrag: 0,0   Konfession: keine"),
        Line("Bezüge", 12, bold=True, gap_before=8),
        row("Grundgehalt", gross),
        row("Gesamtbrutto", gross),
        Line("Abzüge", 12, bold=True, gap_before=6),
        row("Lohnsteuer", tax),
        row("Sozialversicherung Arbeitnehmer", soc),
        row("Nettoverdienst", net),
        Line(f"Die Auszahlung erfolgt auf das Konto DE{rng.randrange(10**19, 10**20)}.",
             gap_before=8),
    ]
    return SampleDocument("payslip", f"Verdienstabrechnung {name}", [lines], person,
                          {"employer": employer, "gross": str(gross)})


def application_form(rng: random.Random, person: dict[str, str],
                     ids: Iterable[str] | None = None) -> SampleDocument:
    if ids is not None:  # the corpus decides what is printed: use the varied builder
        return _corpus_builder("residence_application")(rng, person, ids)
    name = f"{person['given_names']} {person['surname']}"
    purpose = rng.choice(["§ 18b AufenthG (Fachkräfte mit akademischer Ausbildung)",
                          "§ 9 AufenthG (Niederlassungserlaubnis)",
                          "§ 28 AufenthG (Familiennachzug zu Deutschen)"])
    page1 = [
        Line("Antrag auf Erteilung oder Verlängerung", 15, bold=True),
        Line("eines Aufenthaltstitels", 15, bold=True),
        Line("Stadt Wuppertal – Ausländerbehörde – Steinweg 20 – 42275 Wuppertal", 9,
             gap_before=2),
        Line(f"Aktenzeichen: {person['aktenzeichen']}", gap_before=8),
        Line("1. Angaben zur Person", 12, bold=True, gap_before=6),
        Line(f"Familienname: {person['surname']}", gap_before=2),
        Line(f"Vornamen: {person['given_names']}"),
        Line(f"Geburtsdatum: {person['birth_date']}"),
        Line(f"Staatsangehörigkeit: {person['nationality_de']}"),
        Line(f"Geschlecht: {'weiblich' if person['sex'] == 'F' else 'männlich'}"),
        Line(f"Reisepassnummer: {person['passport']}"),
        Line("2. Anschrift", 12, bold=True, gap_before=6),
        Line(f"{person['street']}, {person['city']}", gap_before=2),
        Line("3. Beantragter Aufenthaltszweck", 12, bold=True, gap_before=6),
        Line(purpose, gap_before=2),
    ]
    page2 = [
        Line("4. Erklärungen", 12, bold=True),
        Line("Ich versichere, dass ich die vorstehenden Angaben nach bestem Wissen und",
             gap_before=2),
        Line("Gewissen richtig und vollständig gemacht habe. Mir ist bekannt, dass falsche"),
        Line("oder unvollständige Angaben zur Versagung des Aufenthaltstitels führen können."),
        Line("Die Hinweise zum Datenschutz nach Artikel 13 der Datenschutz-Grundverordnung",
             gap_before=4),
        Line("habe ich erhalten und zur Kenntnis genommen."),
        Line(f"Wuppertal, {german_date(date(2026, rng.randrange(1, 11), rng.randrange(1, 28)))}",
             gap_before=14),
        Line(f"Unterschrift: {name}", gap_before=6),
    ]
    return SampleDocument("residence_application", f"Antrag Aufenthaltstitel {name}",
                          [page1, page2], person, {"purpose": purpose})


def passport_page(rng: random.Random, person: dict[str, str],
                  ids: Iterable[str] | None = None) -> SampleDocument:
    if ids is not None:  # the corpus decides what is printed: use the varied builder
        return _corpus_builder("passport")(rng, person, ids)
    birth = date.fromisoformat(person["birth_iso"])
    expiry = date(2027, 1, 1) + timedelta(days=rng.randrange(0, 3000))
    mrz = td3_lines(
        doc_code="P", issuer=person["nationality"], surname=person["surname"],
        given_names=person["given_names"], number=person["passport"],
        nationality=person["nationality"], birth_date=birth.strftime("%y%m%d"),
        sex=person["sex"], expiry_date=expiry.strftime("%y%m%d"),
    )
    lines = [
        Line("REISEPASS / PASSPORT / PASSEPORT", 13, bold=True),
        Line(f"Typ / Type: P    Code: {person['nationality']}", gap_before=6),
        Line(f"Pass-Nr. / Passport No.: {person['passport']}"),
        Line(f"Name / Surname: {person['surname'].upper()}", gap_before=4),
        Line(f"Vornamen / Given names: {person['given_names'].upper()}"),
        Line(f"Staatsangehörigkeit / Nationality: {person['nationality']}"),
        Line(f"Geburtsdatum / Date of birth: {person['birth_date']}"),
        Line(f"Geschlecht / Sex: {person['sex']}"),
        Line(f"Gültig bis / Date of expiry: {german_date(expiry)}"),
        Line(mrz[0], 12, mono=True, gap_before=30),
        Line(mrz[1], 12, mono=True, gap_before=1),
    ]
    return SampleDocument("passport", f"Reisepass {person['surname']}", [lines], person,
                          {"mrz": "\n".join(mrz), "expiry": expiry.isoformat()})


BUILDERS = {
    "employer_certificate": employer_letter,
    "landlord_confirmation": landlord_confirmation,
    "payslip": payslip,
    "residence_application": application_form,
    "passport": passport_page,
}


def sample_set(seed: int = 2026, persons: int = 2) -> list[SampleDocument]:
    """One of each document kind per person, deterministic for the seed."""
    rng = random.Random(seed)
    docs: list[SampleDocument] = []
    for _ in range(persons):
        person = make_person(rng)
        for build in BUILDERS.values():
            docs.append(build(rng, person))
    return docs
