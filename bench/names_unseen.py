"""An independent set of one-page letters and forms that name a person the way real post to a
German Ausländerbehörde does (name + date of birth only: no Aktenzeichen, AZR or passport
number), rendered as scans, for measuring routing by name and birth date on wordings written
without looking at how the product reads them.

    python bench/names_unseen.py write OUT/

writes OUT/letter_NNN.png, OUT/labels.csv (file,doc_type,aktenzeichen,identifiers,case) and
OUT/persons.csv (the registry: 21 clients and 4 registered namesakes). 64 letters name a
registered client with that client's birth date; 12 name an unregistered namesake of a client
(same name, a birth date no one in the registry has): they belong to nobody. Then

    efile eval OUT/ --json

Everything is drawn from fixed seeds: the same command writes the same set.
"""

from __future__ import annotations

import csv
import dataclasses
import random
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from efile.samples.documents import Line  # noqa: E402
from efile.samples.render import _font, degrade, mm, render_page, save_scan  # noqa: E402

SEED = 61_2026
TEXT_WIDTH_MM = 210 - 2 * 22.0

MONTHS_DE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
             "September", "Oktober", "November", "Dezember"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]


@dataclass
class Person:
    az: str
    sn: str  # surname as written in the passport
    gn: str  # given names
    dob: date
    nat: str
    sex: str  # "f" / "m"
    birthplace: str
    street: str
    city: str


P = Person
CLIENTS = [
    P("ABH-2022-610001", "Nguyen", "Thi Lan", date(1990, 11, 2), "VNM", "f", "Hanoi",
      "Weserstraße 14", "34125 Kassel"),
    P("ABH-2022-610002", "Tran", "Van Minh", date(1985, 3, 17), "VNM", "m", "Hai Phong",
      "Holländische Straße 201", "34127 Kassel"),
    P("ABH-2022-610003", "Al-Hassan", "Omar", date(1988, 7, 9), "SYR", "m", "Aleppo",
      "Friedrich-Ebert-Straße 88", "34119 Kassel"),
    P("ABH-2022-610004", "Yılmaz", "Ayşe", date(1979, 1, 23), "TUR", "f", "Kayseri",
      "Leipziger Straße 47", "34123 Kassel"),
    P("ABH-2022-610005", "Çelik", "Mehmet Emre", date(1993, 5, 30), "TUR", "m", "Gaziantep",
      "Wolfhager Straße 12", "34117 Kassel"),
    P("ABH-2022-610006", "Wiśniewska", "Agnieszka", date(1991, 9, 14), "POL", "f", "Łódź",
      "Kölnische Straße 103", "34119 Kassel"),
    P("ABH-2022-610007", "Jovanović", "Miloš", date(1984, 12, 5), "SRB", "m", "Niš",
      "Ihringshäuser Straße 9", "34125 Kassel"),
    P("ABH-2022-610008", "Ramírez Ortega", "María José", date(1995, 4, 11), "COL", "f",
      "Medellín", "Goethestraße 31", "34119 Kassel"),
    P("ABH-2022-610009", "van der Berg", "Johannes Pieter", date(1976, 8, 28), "NLD", "m",
      "Utrecht", "Wilhelmshöher Allee 250", "34131 Kassel"),
    P("ABH-2022-610010", "Okonkwo", "Chinedu Emmanuel", date(1987, 2, 19), "NGA", "m", "Enugu",
      "Mönchebergstraße 19", "34125 Kassel"),
    P("ABH-2022-610011", "Ahmadi", "Farhad", date(1998, 6, 1), "AFG", "m", "Herat",
      "Am Rathaus 3", "34233 Fuldatal"),
    P("ABH-2022-610012", "Kovalenko", "Olena", date(1982, 10, 27), "UKR", "f", "Charkiw",
      "Frankfurter Straße 160", "34121 Kassel"),
    P("ABH-2022-610013", "Tesfaye", "Yohannes", date(1996, 3, 8), "ERI", "m", "Asmara",
      "Sandershäuser Straße 41", "34123 Kassel"),
    P("ABH-2022-610014", "Haddad", "Rania", date(1990, 12, 15), "SYR", "f", "Homs",
      "Bergmannstraße 7", "34121 Kassel"),
    P("ABH-2022-610015", "Müller", "Elena", date(1972, 4, 3), "KAZ", "f", "Karaganda",
      "Tannenkuppenweg 5", "34132 Kassel"),
    P("ABH-2022-610016", "bin Abdullah", "Ahmad Faiz", date(1992, 1, 26), "MYS", "m",
      "Kuala Lumpur", "Heinrich-Plett-Straße 40", "34132 Kassel"),
    P("ABH-2022-610017", "El Amrani", "Youssef", date(1989, 3, 4), "MAR", "m", "Casablanca",
      "Kirchweg 22", "34119 Kassel"),
    P("ABH-2022-610018", "de Oliveira Santos", "Lucas", date(1994, 9, 21), "BRA", "m",
      "Belo Horizonte", "Königstor 58", "34117 Kassel"),
    P("ABH-2022-610019", "Petrović", "Jelena", date(1986, 6, 18), "BIH", "f", "Banja Luka",
      "Hupfeldstraße 2", "34121 Kassel"),
    P("ABH-2022-610020", "Hosseini", "Zahra", date(2000, 2, 29), "AFG", "f", "Kabul",
      "Eisenschmiede 71", "34127 Kassel"),
    P("ABH-2022-610021", "Adeyemi", "Oluwaseun Grace", date(1997, 7, 23), "NGA", "f", "Ibadan",
      "Schillerstraße 16", "34117 Kassel"),
]
# registered namesakes: same surname and given names as a client, another birth date
NAMESAKES = [
    P("ABH-2023-610101", "Nguyen", "Thi Lan", date(1988, 4, 20), "VNM", "f", "Hue",
      "Ludwig-Mond-Straße 120", "34121 Kassel"),
    P("ABH-2023-610102", "Al-Hassan", "Omar", date(1991, 1, 5), "SYR", "m", "Damaskus",
      "Quellhofstraße 60", "34127 Kassel"),
    P("ABH-2023-610103", "Yılmaz", "Ayşe", date(1985, 6, 12), "TUR", "f", "Konya",
      "Fünffensterstraße 4", "34117 Kassel"),
    P("ABH-2023-610104", "Ahmadi", "Farhad", date(2001, 11, 30), "AFG", "m", "Masar-e Scharif",
      "Brüder-Grimm-Platz 1", "34117 Kassel"),
]


def _unregistered() -> list[Person]:
    """Namesakes nobody registered: a client's name, a birth date no one in the registry has."""
    picks = [(0, date(1993, 7, 14)), (1, date(1979, 9, 2)), (2, date(1995, 3, 21)),
             (3, date(1990, 10, 8)), (6, date(1991, 2, 11)), (10, date(1996, 8, 17)),
             (11, date(1987, 5, 5)), (14, date(1969, 12, 1)), (7, date(1998, 1, 30)),
             (12, date(1993, 11, 9)), (16, date(1984, 6, 27)), (4, date(1989, 10, 13))]
    taken = {(p.sn, p.gn, p.dob) for p in CLIENTS + NAMESAKES}
    out = []
    for i, d in picks:
        c = CLIENTS[i]
        assert (c.sn, c.gn, d) not in taken and all(d != p.dob for p in CLIENTS + NAMESAKES)
        out.append(P("", c.sn, c.gn, d, c.nat, c.sex, c.birthplace, "Marbachshöhe 9",
                     "34131 Kassel"))
    return out


# ---------------------------------------------------------------- formatting helpers

def d_num(d: date) -> str:
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def fmt_date(d: date, style: str) -> str:
    return {"num": d_num(d),
            "short": f"{d.day}.{d.month}.{d.year % 100:02d}",
            "long": f"{d.day:02d}. {MONTHS_DE[d.month - 1]} {d.year}",
            "longnz": f"{d.day}. {MONTHS_DE[d.month - 1]} {d.year}",
            "iso": d.isoformat(),
            "slash": f"{d.day:02d}/{d.month:02d}/{d.year}",
            "en": f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}",
            "en0": f"{d.day:02d} {MONTHS_EN[d.month - 1]} {d.year}"}[style]


DE_DATES = ["num", "num", "num", "short", "long", "longnz", "iso", "slash"]
EN_DATES = ["en", "en0", "slash", "iso", "num"]


def up(sn: str) -> str:
    return sn.upper()


def name(p: Person, style: str) -> str:
    return {"fl": f"{p.gn} {p.sn}",
            "lf": f"{p.sn}, {p.gn}",
            "LF": f"{up(p.sn)}, {p.gn}",
            "fL": f"{p.gn} {up(p.sn)}",
            "L f": f"{up(p.sn)} {p.gn}"}[style]


def herr(p: Person, dative: bool = False) -> str:
    return ("Frau" if p.sex == "f" else ("Herrn" if dative else "Herr"))


def mr(p: Person) -> str:
    return "Ms" if p.sex == "f" else "Mr"


def wrap(text: str, size: int = 11, indent: float = 0.0, bold: bool = False,
         mono: bool = False) -> list[Line]:
    font = _font(size, bold, mono)
    width = mm(TEXT_WIDTH_MM - indent)
    out, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if cur and font.getlength(trial) > width:
            out.append(Line(cur, size=size, bold=bold, mono=mono, indent=indent))
            cur = word
        else:
            cur = trial
    if cur:
        out.append(Line(cur, size=size, bold=bold, mono=mono, indent=indent))
    return out


def para(text: str, size: int = 11, gap: float = 3.0, **kw) -> list[Line]:
    lines = wrap(text, size=size, **kw)
    if lines:  # Line is frozen: the first line is replaced, not changed
        lines[0] = dataclasses.replace(lines[0], gap_before=gap)
    return lines


def L(text: str = "", size: int = 11, bold: bool = False, mono: bool = False,  # noqa: N802
      indent: float = 0.0, gap: float = 0.0) -> Line:
    return Line(text, size=size, bold=bold, mono=mono, indent=indent, gap_before=gap)


def head(rng: random.Random, org: str, *rest: str) -> list[Line]:
    lines = [L(org, size=14, bold=True)]
    lines += [L(r, size=9) for r in rest]
    return lines


def abh(rng: random.Random) -> list[Line]:
    v = rng.choice([
        ["Stadt Kassel", "Ausländerbehörde", "Obere Königsstraße 8", "34117 Kassel"],
        ["Stadt Kassel – Ordnungsamt", "Ausländerangelegenheiten", "Postfach 10 26 60",
         "34117 Kassel"],
        ["An die", "Ausländerbehörde der Stadt Kassel", "Obere Königsstraße 8", "34117 Kassel"],
    ])
    out = [L(v[0], gap=12)] + [L(x) for x in v[1:]]
    return out


def to_person(p: Person) -> list[Line]:
    return [L(herr(p, dative=True), gap=12), L(f"{p.gn} {p.sn}"), L(p.street), L(p.city)]


def place_date(rng: random.Random, place: str = "Kassel", en: bool = False) -> tuple[str, date]:
    d = date(2026, rng.randint(1, 11), rng.randint(1, 28))
    if en:
        return f"{place}, {fmt_date(d, 'en')}", d
    return f"{place}, {rng.choice([d_num(d), fmt_date(d, 'longnz')])}", d


def sig(*lines: str, gap: float = 14.0) -> list[Line]:
    out = [L(lines[0], gap=gap)]
    out += [L(x) for x in lines[1:]]
    return out


def ref(rng: random.Random, prefix: str) -> str:
    return f"{prefix}{rng.randint(1000, 99999)}"


def other_date(rng: random.Random, y0: int, y1: int) -> date:
    return date(rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28))


def two_col(label: str, value: str, width: int = 26, mono: bool = True, size: int = 10,
            indent: float = 0.0) -> Line:
    if mono:
        return L(label.ljust(width) + value, size=size, mono=True, indent=indent)
    return L(f"{label}      {value}", size=size, indent=indent)


SIGNERS = ["Petra Schäfer", "Thomas Becker", "Dr. Sabine Hoffmann", "Jürgen Krause",
           "Katrin Wagner", "Michael Schulz", "Andrea Koch", "Stefan Richter",
           "Monika Lehmann", "Frank Zimmermann", "Claudia Braun", "Ralf Hartmann"]
SPOUSES_F = [("Leila", date(1992, 3, 14)), ("Fatma", date(1990, 8, 2)),
             ("Marta", date(1989, 5, 19)), ("Amina", date(1994, 12, 30))]
SPOUSES_M = [("Karim", date(1986, 10, 1)), ("Ali", date(1983, 2, 17)),
             ("Pavel", date(1980, 7, 7)), ("Daniel", date(1990, 9, 25))]
CHILDREN = [("Elif", date(2019, 4, 2)), ("Noah", date(2021, 1, 18)),
            ("Sara", date(2017, 11, 9)), ("Adam", date(2022, 6, 27)), ("Mia", date(2015, 3, 3))]


def spouse(rng: random.Random, p: Person) -> tuple[str, date]:
    g, d = rng.choice(SPOUSES_M if p.sex == "f" else SPOUSES_F)
    return g, d


# ---------------------------------------------------------------- the letters
# each template: (family, doc_type, function(p, rng) -> list[Line])

def t_wgb_form(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(DE_DATES)
    sp_g, sp_d = spouse(rng, p)
    einzug = other_date(rng, 2025, 2026)
    lines = [L("Wohnungsgeberbestätigung", size=15, bold=True),
             L("nach § 19 des Bundesmeldegesetzes (BMG)", size=10),
             L("Angaben zum Wohnungsgeber", size=11, bold=True, gap=6),
             two_col("Name / Firma", rng.choice(["GWG Kassel mbH", "Hausverwaltung Ritter & Söhne",
                                                 "Erika Vollmer (Privatvermieterin)"])),
             two_col("Anschrift", "Ständeplatz 17, 34117 Kassel"),
             two_col("Der Wohnungsgeber ist", "[X] Eigentümer  [ ] nicht Eigentümer"),
             L("Anschrift der Wohnung", size=11, bold=True, gap=5),
             two_col("Straße, Hausnummer", p.street),
             two_col("PLZ, Ort", p.city),
             two_col("Wohnungslage", rng.choice(["2. OG links", "EG rechts", "3. OG Mitte"])),
             two_col("[X] Einzug am", d_num(einzug)),
             L("In die Wohnung ist / sind folgende Person(en) eingezogen:", size=11, bold=True,
               gap=5)]
    if rng.random() < 0.5:
        lines += [L("Nr. Familienname            Vorname(n)          Geburtsdatum", size=10,
                    mono=True),
                  L(f"1   {up(p.sn):<22}{p.gn:<20}{fmt_date(p.dob, ds)}", size=10, mono=True)]
        if rng.random() < 0.6:
            lines.append(L(f"2   {up(p.sn):<22}{sp_g:<20}{fmt_date(sp_d, ds)}", size=10,
                           mono=True))
    else:
        lines += [two_col("Familienname", p.sn), two_col("Vorname(n)", p.gn),
                  two_col("Geburtsdatum", fmt_date(p.dob, ds))]
    pd, _ = place_date(rng)
    lines += para("Ich bestätige mit meiner Unterschrift den Ein- bzw. Auszug der oben genannten "
                  "Person(en) in die bezeichnete Wohnung. Mir ist bekannt, dass die Ausstellung "
                  "einer Wohnungsgeberbestätigung für eine Scheinanmeldung eine "
                  "Ordnungswidrigkeit darstellt (§ 54 BMG).", size=10, gap=6)
    lines += sig(pd, "Unterschrift des Wohnungsgebers: ____________________", gap=10)
    return lines


def t_wgb_letter(p: Person, rng: random.Random) -> list[Line]:
    hv = rng.choice([("Hausverwaltung Brandt GmbH", "Kurfürstenstraße 9 · 34117 Kassel"),
                     ("Immobilienverwaltung Nordhessen KG", "Garde-du-Corps-Straße 5 · "
                      "34117 Kassel")])
    pd, _ = place_date(rng)
    signer = rng.choice(SIGNERS)
    ds = rng.choice(DE_DATES)
    ns = rng.choice(["fl", "fL", "fl"])
    einzug = other_date(rng, 2024, 2026)
    lines = head(rng, hv[0], hv[1], "Tel. 0561 700 44-0 · info@hv-nordhessen.example")
    lines += abh(rng)
    lines += [L(pd, gap=8, indent=110), L(f"Unser Zeichen: {ref(rng, 'WE ')}/{rng.randint(1, 40)}")]
    lines += [L("Bestätigung des Wohnungsgebers gemäß § 19 BMG", bold=True, gap=6)]
    lines += para("Sehr geehrte Damen und Herren,", gap=5)
    lines += para(f"hiermit bestätigen wir als Verwalter im Auftrag der Eigentümerin, Frau "
                  f"Gisela Ritter, dass {herr(p)} {name(p, ns)}, geb. {fmt_date(p.dob, ds)}, "
                  f"am {d_num(einzug)} in die Wohnung {p.street}, {p.city}, "
                  f"{rng.choice(['1. OG rechts', 'Dachgeschoss', '2. OG'])}, eingezogen ist.")
    lines += para("Die Wohnung umfasst " + rng.choice(["2", "3", "2,5"]) + " Zimmer, Küche und Bad "
                  f"mit einer Wohnfläche von {rng.randint(42, 88)} m².")
    lines += para("Mit freundlichen Grüßen")
    lines += sig(signer, "Objektbetreuung")
    return lines


def t_mietbescheinigung(p: Person, rng: random.Random) -> list[Line]:
    pd, _ = place_date(rng)
    ds = rng.choice(DE_DATES)
    kalt = rng.randint(380, 720)
    nk = rng.randint(120, 260)
    lines = head(rng, "Wohnstätten-Genossenschaft Kassel eG",
                 "Mitgliederservice · Wolfsanger Straße 1 · 34125 Kassel",
                 "Telefon 0561 98 12-300")
    lines += to_person(p) if rng.random() < 0.5 else abh(rng)
    lines += [L(pd, gap=8, indent=110), L("Mietbescheinigung", size=13, bold=True, gap=6),
              L(f"Vertragsnummer {rng.randint(100, 999)}.{rng.randint(1000, 9999)}.01", size=10)]
    lines += [L("Mieter/in:", bold=True, gap=5), L(name(p, rng.choice(["lf", "fl", "LF"])))]
    if rng.random() < 0.5:
        lines += [L(f"geboren am {fmt_date(p.dob, ds)}")]
    else:
        lines += [L("Geburtsdatum:", bold=True, gap=2), L(fmt_date(p.dob, ds))]
    lines += [L("Mietobjekt:", bold=True, gap=3), L(f"{p.street}, {p.city}")]
    lines += para(f"Wir bescheinigen, dass die oben genannte Person seit dem "
                  f"{d_num(other_date(rng, 2019, 2025))} Mieter/in der genannten Wohnung ist. "
                  f"Die monatliche Grundmiete beträgt {kalt},00 EUR, die Vorauszahlungen für "
                  f"Betriebs- und Heizkosten betragen {nk},00 EUR, die Gesamtmiete somit "
                  f"{kalt + nk},00 EUR. Mietrückstände bestehen nicht.")
    lines += para("Diese Bescheinigung wurde maschinell erstellt und ist ohne Unterschrift "
                  "gültig.", size=9)
    return lines


def t_mietvertrag(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(DE_DATES)
    lord = rng.choice(["Herrn Klaus-Dieter Sommer, geb. 12.05.1958", "Frau Renate Oberländer",
                       "der Hessische Wohnbau GmbH, vertreten durch den Geschäftsführer"])
    start = other_date(rng, 2024, 2026).replace(day=1)
    lines = [L("Mietvertrag über Wohnraum", size=15, bold=True),
             L("(Auszug – Seite 1 von 6)", size=9),
             L("Zwischen", gap=6), L(lord, indent=10),
             L("Kirchditmolder Straße 3, 34130 Kassel", indent=10),
             L("– nachstehend „Vermieter“ genannt –", size=10, indent=10),
             L("und", gap=3)]
    if rng.random() < 0.5:
        lines += [L(f"{herr(p, dative=True)} {name(p, 'fl')}, geb. {fmt_date(p.dob, ds)}",
                    indent=10)]
    else:
        lines += [L(f"{herr(p, dative=True)} {name(p, rng.choice(['fl', 'fL']))}", indent=10),
                  L(f"geboren am {fmt_date(p.dob, ds)} in {p.birthplace}", indent=10)]
    lines += [L("bisher wohnhaft: Gemeinschaftsunterkunft Lilienthalstraße, 34123 Kassel",
                indent=10),
              L("– nachstehend „Mieter“ genannt –", size=10, indent=10),
              L("wird folgender Mietvertrag geschlossen:", gap=3),
              L("§ 1 Mieträume", bold=True, gap=5)]
    lines += para(f"Vermietet wird die Wohnung im Hause {p.street}, {p.city}, bestehend aus "
                  f"{rng.choice(['zwei', 'drei'])} Zimmern, einer Küche, einem Bad mit WC und "
                  "einem Kellerabteil Nr. 7.", gap=1)
    lines += [L("§ 2 Mietzeit", bold=True, gap=4)]
    lines += para(f"Das Mietverhältnis beginnt am {d_num(start)} und läuft auf unbestimmte Zeit.",
                  gap=1)
    lines += [L("§ 3 Miete", bold=True, gap=4)]
    lines += para(f"Die Grundmiete beträgt monatlich {rng.randint(400, 800)},00 EUR zuzüglich "
                  f"einer Vorauszahlung auf die Betriebskosten von {rng.randint(90, 220)},00 EUR.",
                  gap=1)
    return lines


def t_ag_bescheinigung(p: Person, rng: random.Random) -> list[Line]:
    firm = rng.choice([("Nordhessische Logistik GmbH", "Industriestraße 40 · 34260 Kaufungen"),
                       ("Bäckerei Fehling KG", "Friedrichsplatz 2 · 34117 Kassel"),
                       ("Klinikum Kassel GmbH – Personalabteilung", "Mönchebergstraße 41-43 · "
                        "34125 Kassel"),
                       ("Pflegedienst Sonnenschein GmbH", "Wilhelmsstraße 15 · 34117 Kassel")])
    pd, _ = place_date(rng)
    ds = rng.choice(DE_DATES)
    ns = rng.choice(["fl", "fL", "fl"])
    since = other_date(rng, 2018, 2025)
    lines = head(rng, firm[0], firm[1], f"Personalnummer {rng.randint(10000, 99999)}")
    lines += abh(rng)
    lines += [L(pd, gap=8, indent=110), L("Arbeitgeberbescheinigung", size=13, bold=True, gap=6)]
    lines += para("Sehr geehrte Damen und Herren,", gap=5)
    if rng.random() < 0.5:
        who = f"{herr(p)} {name(p, ns)}, geboren am {fmt_date(p.dob, ds)},"
    else:
        who = f"{herr(p)} {name(p, ns)} (geb. {fmt_date(p.dob, ds)})"
    lines += para(f"hiermit bestätigen wir, dass {who} seit dem {d_num(since)} in einem "
                  f"unbefristeten Arbeitsverhältnis als "
                  f"{rng.choice(['Lagerfachkraft', 'Pflegehelfer/in', 'Bäcker/in', 'Fahrer/in'])} "
                  f"bei uns beschäftigt ist. Die wöchentliche Arbeitszeit beträgt "
                  f"{rng.choice(['38,5', '40', '30'])} Stunden, das monatliche Bruttogehalt "
                  f"{rng.randint(2300, 3900)},00 EUR.")
    lines += para("Das Arbeitsverhältnis ist ungekündigt. Eine Beendigung ist nicht beabsichtigt.")
    lines += para("Mit freundlichen Grüßen")
    lines += sig(rng.choice(SIGNERS), "Leitung Personal")
    return lines


def t_arbeitsvertrag(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(DE_DATES)
    start = other_date(rng, 2025, 2026).replace(day=1)
    lines = [L("Arbeitsvertrag", size=16, bold=True), L("(Auszug)", size=9),
             L("zwischen", gap=5),
             L("Hessen Metallbau Schröder GmbH, Sandershäuser Str. 79, 34123 Kassel", indent=8),
             L("vertreten durch den Geschäftsführer Herrn Dirk Schröder", indent=8),
             L("– im Folgenden „Arbeitgeber“ –", size=10, indent=8),
             L("und", gap=3)]
    if rng.random() < 0.5:
        lines += [L("Arbeitnehmer/in:", bold=True, gap=2),
                  L(f"{name(p, rng.choice(['lf', 'LF']))}   * {fmt_date(p.dob, ds)}", indent=8)]
    else:
        lines += [L(f"{herr(p, dative=True)} {name(p, 'fl')}", indent=8),
                  L(f"* {fmt_date(p.dob, ds)} in {p.birthplace}", indent=8)]
    lines += [L(f"wohnhaft {p.street}, {p.city}", indent=8),
              L("– im Folgenden „Arbeitnehmer/in“ –", size=10, indent=8),
              L("§ 1 Beginn und Art der Tätigkeit", bold=True, gap=5)]
    lines += para(f"Das Arbeitsverhältnis beginnt am {d_num(start)}. Der/die Arbeitnehmer/in "
                  f"wird als {rng.choice(['Schweißer/in', 'Metallbauer/in', 'Lagerhelfer/in'])} "
                  "eingestellt. Die ersten sechs Monate gelten als Probezeit.", gap=1)
    lines += [L("§ 2 Arbeitszeit und Vergütung", bold=True, gap=4)]
    lines += para(f"Die regelmäßige wöchentliche Arbeitszeit beträgt 40 Stunden. Der/die "
                  f"Arbeitnehmer/in erhält ein monatliches Bruttogehalt von "
                  f"{rng.randint(2600, 4200)},00 EUR, zahlbar jeweils zum Monatsende.", gap=1)
    lines += [L("§ 3 Urlaub", bold=True, gap=4)]
    lines += para("Der Urlaubsanspruch beträgt 28 Arbeitstage im Kalenderjahr.", gap=1)
    return lines


def t_gehalt(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(["num", "num", "short", "iso"])
    month = rng.randint(1, 10)
    brutto = rng.randint(2400, 4100)
    s = 8
    lines = [L("Kasseler Verkehrs- und Dienstleistungs GmbH · Königstor 3-13 · 34117 Kassel", size=8),
             L(f"Abrechnung der Brutto/Netto-Bezüge für {MONTHS_DE[month - 1]} 2026", size=12,
               bold=True, gap=3),
             L(f"Pers.-Nr. {rng.randint(1000, 9999):<8} Abr.-Kreis 01   Kostenstelle 4410   "
               f"Eintritt {d_num(other_date(rng, 2016, 2024))}", size=s, mono=True, gap=3)]
    if rng.random() < 0.5:
        lines += [L(f"Name: {name(p, 'lf'):<34} Geb.-Datum: {fmt_date(p.dob, ds)}", size=s,
                    mono=True)]
    else:
        lines += [L(f"{herr(p, dative=True)}", size=s, mono=True),
                  L(f"{name(p, 'fl')}", size=s, mono=True),
                  L(f"{p.street}", size=s, mono=True), L(f"{p.city}", size=s, mono=True),
                  L(f"Geburtsdatum {fmt_date(p.dob, ds)}   StKl {rng.choice([1, 3, 4])}   "
                    f"Kinderfreib. {rng.choice(['0,0', '1,0'])}   Konf. --", size=s, mono=True,
                    gap=2)]
    lines += [L(f"SV-Nummer {rng.randint(10, 65)} {p.dob.day:02d}{p.dob.month:02d}"
                f"{p.dob.year % 100:02d} {p.sn[0].upper()} {rng.randint(100, 999)}   "
                f"Krankenkasse AOK Hessen   Beitragsgr. 1111", size=s, mono=True),
              L("-" * 86, size=s, mono=True, gap=2),
              L("Lohnart  Bezeichnung                     Menge      Faktor       Betrag",
                size=s, mono=True),
              L(f"1000     Gehalt                                               "
                f"{brutto:>6},00", size=s, mono=True),
              L(f"1210     Zuschlag Nacht 25%              {rng.randint(4, 30):>5},00    "
                f"   3,85      {rng.randint(20, 110):>6},50", size=s, mono=True),
              L("-" * 86, size=s, mono=True),
              L(f"Gesamt-Brutto {brutto + 60:>60},50", size=s, mono=True),
              L(f"Lohnsteuer    {int(brutto * 0.09):>60},12", size=s, mono=True),
              L(f"KV-Beitrag    {int(brutto * 0.085):>60},33", size=s, mono=True),
              L(f"RV-Beitrag    {int(brutto * 0.093):>60},00", size=s, mono=True),
              L(f"Netto-Betrag  {int(brutto * 0.66):>60},41", size=s, mono=True, bold=True),
              L(f"Überweisung an IBAN DE44 5205 0353 0001 {rng.randint(1000, 9999)} "
                f"{rng.randint(10, 99)}", size=s, mono=True, gap=3)]
    return lines


def t_ag_erklaerung(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(DE_DATES)
    lines = [L("Erklärung zum Beschäftigungsverhältnis", size=14, bold=True),
             L("(zur Vorlage bei der Ausländerbehörde)", size=9),
             L("1. Angaben zur Arbeitnehmerin / zum Arbeitnehmer", bold=True, gap=6)]
    if rng.random() < 0.5:
        lines += [L("Name, Vorname", size=9, gap=2), L(name(p, rng.choice(["lf", "LF"]))),
                  L("Geburtsdatum", size=9, gap=2), L(fmt_date(p.dob, ds)),
                  L("Staatsangehörigkeit", size=9, gap=2),
                  L(rng.choice(["laut Pass", "siehe Anlage"]))]
    else:
        lines += [two_col("Familienname", up(p.sn), mono=False, size=11),
                  two_col("Vorname(n)", p.gn, mono=False, size=11),
                  two_col("Geburtsdatum", fmt_date(p.dob, ds), mono=False, size=11),
                  two_col("Geburtsort", p.birthplace, mono=False, size=11)]
    lines += [L("2. Angaben zum Arbeitgeber", bold=True, gap=6),
              L("Firma: Rotkreuz-Seniorenzentrum Am Park gGmbH"),
              L("Anschrift: Wilhelmshöher Allee 105, 34121 Kassel"),
              L(f"Betriebsnummer: {rng.randint(10000000, 99999999)}"),
              L("Ansprechpartner: " + rng.choice(SIGNERS) + ", Tel. 0561 3102-0"),
              L("3. Angaben zur Beschäftigung", bold=True, gap=6),
              L(f"Berufsbezeichnung: {rng.choice(['Pflegefachkraft', 'Küchenhilfe', 'Hausmeister/in'])}"),
              L(f"Beginn der Beschäftigung: {d_num(other_date(rng, 2025, 2026))}"),
              L("Befristung: [ ] ja  [X] nein"),
              L(f"Wöchentliche Arbeitszeit: {rng.choice(['39', '40', '20'])} Stunden"),
              L(f"Bruttoarbeitsentgelt monatlich: {rng.randint(1500, 3800)},00 EUR"),
              L("Tarifvertrag: TVöD-P"),
              L("Ich versichere die Richtigkeit der Angaben.", gap=6)]
    pd, _ = place_date(rng)
    lines += sig(pd, "Stempel / Unterschrift Arbeitgeber", gap=10)
    return lines


LAWYERS = [("Rechtsanwältin Dr. Miriam Faust", "Fachanwältin für Migrationsrecht",
            "Obere Karlsstraße 4 · 34117 Kassel"),
           ("Kanzlei Demir & Wolff", "Rechtsanwälte · Ausländer- und Asylrecht",
            "Kölnische Straße 52 · 34117 Kassel"),
           ("Rechtsanwalt Henning Albers", "Migrations- und Sozialrecht",
            "Wilhelmshöher Allee 19 · 34117 Kassel")]


def t_vollmacht(p: Person, rng: random.Random) -> list[Line]:
    law = rng.choice(LAWYERS)
    ds = rng.choice(DE_DATES)
    lines = [L("VOLLMACHT", size=16, bold=True)]
    lines += para(f"Hiermit wird {law[0].replace('Rechtsanwältin ', 'Frau Rechtsanwältin ')}"
                  f", {law[2].replace(' · ', ', ')}, in der Ausländerangelegenheit", gap=5)
    lines += [L("Name, Vorname:", gap=4), L(name(p, rng.choice(["lf", "LF"])), indent=10, bold=True)]
    if rng.random() < 0.5:
        lines += [L("Geburtsdatum:", gap=2), L(fmt_date(p.dob, ds), indent=10, bold=True)]
    else:
        lines += [L(f"geb. am: {fmt_date(p.dob, ds)}        in: {p.birthplace}", gap=2)]
    lines += [L(f"wohnhaft: {p.street}, {p.city}", gap=2)]
    lines += para("Vollmacht erteilt zur außergerichtlichen und gerichtlichen Vertretung, "
                  "insbesondere gegenüber der Ausländerbehörde, dem Bundesamt für Migration und "
                  "Flüchtlinge und den Verwaltungsgerichten, zur Akteneinsicht, zur Stellung von "
                  "Anträgen sowie zur Entgegennahme von Zustellungen.")
    lines += para("Die Vollmacht erstreckt sich auch auf Neben- und Folgeverfahren. Untervollmacht "
                  "darf erteilt werden.")
    pd, _ = place_date(rng)
    lines += sig(pd, "_______________________________", "(Unterschrift Vollmachtgeber/in)",
                 gap=12)
    return lines


def t_schriftsatz(p: Person, rng: random.Random) -> list[Line]:
    law = rng.choice(LAWYERS)
    ds = rng.choice(DE_DATES)
    pd, _ = place_date(rng)
    mandant = "Mandantin" if p.sex == "f" else "Mandanten"
    lines = head(rng, law[0], law[1], law[2], "Tel. 0561 78 90 12 · Fax 0561 78 90 13")
    lines += abh(rng)
    lines += [L(pd, gap=6, indent=110),
              L(f"Unser Zeichen: {rng.randint(10, 999)}/26 {rng.choice(['MF', 'DW', 'HA'])}",
                size=10)]
    v = rng.randint(0, 2)
    if v == 0:
        lines += [L("In der Ausländerangelegenheit", bold=True, gap=6),
                  L(f"{name(p, 'LF')}, geb. {fmt_date(p.dob, ds)}", bold=True)]
    elif v == 1:
        lines += [L(f"Ausländerangelegenheit {name(p, rng.choice(['fl', 'fL']))}", bold=True,
                    gap=6),
                  L(f"geboren am {fmt_date(p.dob, ds)}, wohnhaft {p.street}, {p.city}",
                    bold=True),
                  L("hier: Antrag auf Verlängerung der Aufenthaltserlaubnis", gap=1)]
    else:
        lines += [L("Mandant/in:", bold=True, gap=6), L(name(p, "lf")),
                  L(f"* {fmt_date(p.dob, ds)}"),
                  L("wegen: Erteilung einer Niederlassungserlaubnis", gap=1)]
    lines += para("Sehr geehrte Damen und Herren,", gap=5)
    lines += para(f"hiermit zeigen wir an, dass wir die rechtlichen Interessen unserer {mandant} "
                  f"{'Frau' if p.sex == 'f' else 'Herrn'} {p.sn} vertreten. Eine auf uns lautende "
                  "Vollmacht ist beigefügt.")
    lines += para("Wir beantragen Akteneinsicht und bitten, die Verwaltungsvorgänge an unsere "
                  "Kanzlei zu übersenden. Zugleich bitten wir, bis zur Prüfung der Sach- und "
                  f"Rechtslage von Maßnahmen gegen unsere {mandant} abzusehen. Die erforderlichen "
                  "Nachweise über das Beschäftigungsverhältnis reichen wir nach.")
    lines += para("Mit freundlichen Grüßen")
    lines += sig(law[0].split(" ", 1)[1] if law[0].startswith("Rechts") else "Aylin Demir",
                 "Rechtsanwalt/Rechtsanwältin")
    return lines


def t_schule(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(DE_DATES)
    pd, _ = place_date(rng)
    lines = head(rng, "Max-Eyth-Schule Kassel", "Berufliche Schule des Landkreises · "
                 "Weserstraße 7a · 34125 Kassel", "Sekretariat: Tel. 0561 97 28 60")
    lines += [L(pd, gap=10, indent=110), L("Schulbescheinigung", size=14, bold=True, gap=8)]
    lines += para("zur Vorlage bei: Ausländerbehörde / Arbeitgeber / Krankenkasse", size=9, gap=1)
    if rng.random() < 0.5:
        lines += [L("Schüler/in:", gap=6), L(f"{name(p, rng.choice(['fl', 'lf']))}", indent=30,
                                             bold=True),
                  L(f"geboren am {fmt_date(p.dob, ds)} in {p.birthplace}", indent=30)]
        lines += para("besucht im Schuljahr 2025/2026 unsere Schule", gap=4)
    else:
        lines += para(f"Hiermit wird bescheinigt, dass {herr(p)} {name(p, 'fl')}, "
                      f"geb. {fmt_date(p.dob, ds)}, im Schuljahr 2025/2026 unsere Schule "
                      "besucht", gap=6)
    lines += [L(f"Schulform: Berufsschule, Fachklasse "
                f"{rng.choice(['Kfz-Mechatronik', 'Elektroniker/in', 'Pflegefachhilfe'])}",
                gap=3),
              L(f"Klasse: {rng.choice(['10BS', '11ME2', '12PF1'])}"),
              L("Ausbildungsbetrieb: Autohaus Glinicke GmbH & Co. KG"),
              L("Voraussichtliches Ende der Ausbildung: 31.07.2028")]
    lines += sig(rng.choice(SIGNERS), "Schulleitung (i. A.)", gap=18)
    return lines


def t_immatrikulation(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(DE_DATES)
    pd, _ = place_date(rng)
    matr = rng.randint(33000000, 35999999)
    lines = head(rng, "UNIVERSITÄT KASSEL", "Studierendenservice · Mönchebergstraße 19 · "
                 "34125 Kassel")
    lines += [L("Immatrikulationsbescheinigung", size=14, bold=True, gap=10),
              L("Studienbescheinigung für das Wintersemester 2026/27", size=10)]
    if rng.random() < 0.5:
        lines += [two_col("Name, Vorname", name(p, rng.choice(["lf", "LF"]))),
                  two_col("Geburtsdatum", fmt_date(p.dob, ds)),
                  two_col("Geburtsort", p.birthplace),
                  two_col("Matrikelnummer", str(matr))]
        lines[-4] = dataclasses.replace(lines[-4], gap_before=6)
    else:
        lines += [L("Name", size=9, gap=6), L(name(p, "fL")),
                  L("Geburtsdatum", size=9, gap=2), L(fmt_date(p.dob, ds)),
                  L("Matrikelnummer", size=9, gap=2), L(str(matr))]
    lines += [L("Studiengang:  Master Elektrotechnik (1. Fach)", gap=4),
              L("Fachsemester: 3     Hochschulsemester: 7"),
              L("Status: Ersteinschreibung  [ ] Beurlaubt  [ ] Gasthörer"),
              L("Semesterzeitraum: 01.10.2026 – 31.03.2027")]
    lines += para("Diese Bescheinigung wurde maschinell erstellt und ist ohne Unterschrift gültig. "
                  "Sie kann unter www.uni-kassel.de/verify mit dem Prüfcode überprüft werden.",
                  size=9, gap=6)
    lines += [L(f"Prüfcode: {rng.randint(100000, 999999)}-{rng.randint(1000, 9999)}", size=9),
              L(pd, size=9)]
    return lines


def t_attest(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(DE_DATES)
    pd, _ = place_date(rng)
    doc = rng.choice(["Dr. med. Ulrike Brenner", "Dr. med. Ahmet Kaya", "Dr. med. Jens Vogt"])
    lines = head(rng, doc, "Fachärztin/Facharzt für Allgemeinmedizin",
                 "Friedrich-Ebert-Straße 140 · 34119 Kassel · Tel. 0561 10 20 30")
    lines += [L(pd, gap=10, indent=110), L("Ärztliches Attest", size=14, bold=True, gap=6)]
    v = rng.randint(0, 2)
    if v == 0:
        lines += [L(f"Patient/in: {name(p, 'lf')}, * {fmt_date(p.dob, ds)}", gap=5)]
    elif v == 1:
        lines += [L("Patient/in:", gap=5), L(name(p, rng.choice(["lf", "fl"]))),
                  L(f"geb. {fmt_date(p.dob, ds)}")]
    else:
        lines += para(f"{herr(p)} {name(p, 'fl')}, geboren am {fmt_date(p.dob, ds)}, wohnhaft "
                      f"{p.street}, {p.city}, befindet sich seit "
                      f"{MONTHS_DE[rng.randint(0, 11)]} {rng.randint(2021, 2025)} in meiner "
                      "hausärztlichen Behandlung.", gap=5)
    lines += para("Aufgrund einer chronischen Erkrankung ist eine regelmäßige fachärztliche "
                  "Weiterbehandlung erforderlich. Eine Unterbrechung der Therapie wäre aus "
                  "ärztlicher Sicht mit einer erheblichen Verschlechterung des Gesundheitszustandes "
                  "verbunden. Reisefähigkeit ist derzeit nur eingeschränkt gegeben.")
    lines += para("Dieses Attest wird auf Wunsch des Patienten / der Patientin zur Vorlage bei der "
                  "Ausländerbehörde ausgestellt.")
    lines += sig(doc, "(Stempel und Unterschrift)")
    return lines


def t_jobcenter(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(["num", "num", "short"])
    pd, _ = place_date(rng)
    sp_g, sp_d = spouse(rng, p)
    ch_g, ch_d = rng.choice(CHILDREN)
    lines = head(rng, "Jobcenter Stadt Kassel", "Grüner Weg 46 · 34117 Kassel",
                 f"BG-Nummer: 34201//{rng.randint(1000000, 9999999)} · Ihr Zeichen: –")
    lines += to_person(p)
    lines += [L(pd, gap=8, indent=110),
              L("Bescheinigung über den Bezug von Bürgergeld (SGB II)", bold=True, gap=6)]
    lines += para(f"Hiermit wird bestätigt, dass die nachstehend aufgeführten Personen der "
                  f"Bedarfsgemeinschaft für den Zeitraum vom 01.{rng.randint(1, 6):02d}.2026 bis "
                  f"31.12.2026 Leistungen zur Sicherung des Lebensunterhalts erhalten:", gap=5)
    lines += [L("Name, Vorname                  geb. am      Rolle", size=10, mono=True, gap=4),
              L(f"{name(p, 'lf'):<31}{fmt_date(p.dob, ds):<13}Antragsteller/in", size=10,
                mono=True)]
    if rng.random() < 0.6:
        lines.append(L(f"{p.sn + ', ' + sp_g:<31}{fmt_date(sp_d, ds):<13}Partner/in", size=10,
                       mono=True))
    lines.append(L(f"{p.sn + ', ' + ch_g:<31}{fmt_date(ch_d, ds):<13}Kind", size=10, mono=True))
    lines += para(f"Der monatliche Gesamtanspruch beträgt {rng.randint(900, 2100)},{rng.randint(10, 99)} "
                  "EUR einschließlich der Bedarfe für Unterkunft und Heizung.", gap=4)
    lines += para("Diese Bescheinigung dient zur Vorlage bei anderen Behörden. Mit freundlichen "
                  "Grüßen")
    lines += sig("Im Auftrag", rng.choice(SIGNERS), gap=8)
    return lines


def t_standesamt(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(DE_DATES)
    pd, _ = place_date(rng)
    sp_g, sp_d = spouse(rng, p)
    sp_sn = rng.choice(["Schneider", "Karimi", "Popescu", "Weber"])
    lines = head(rng, "Stadt Kassel – Standesamt", "Rathaus, Obere Königsstraße 8 · "
                 "34117 Kassel", f"Unser Zeichen: E {rng.randint(100, 999)}/2026")
    lines += abh(rng)
    lines += [L(pd, gap=8, indent=110),
              L("Anmeldung zur Eheschließung – Bestätigung", bold=True, gap=6)]
    lines += para("Sehr geehrte Damen und Herren,", gap=5)
    pa = f"{herr(p)} {name(p, rng.choice(['fl', 'fL']))}, geboren am {fmt_date(p.dob, ds)} in {p.birthplace}"
    pb = (f"{'Herr' if p.sex == 'f' else 'Frau'} {sp_g} {sp_sn}, geboren am {fmt_date(sp_d, ds)}"
          " in Kassel")
    lines += para(f"hiermit wird bestätigt, dass {pa}, und {pb}, beim hiesigen Standesamt die "
                  f"Eheschließung angemeldet haben. Als Termin der Eheschließung ist der "
                  f"{d_num(date(2026, 12, rng.randint(1, 20)))} vorgesehen.")
    lines += para("Die erforderlichen Unterlagen liegen vollständig vor. Eine Befreiung von der "
                  "Beibringung des Ehefähigkeitszeugnisses wurde beim Oberlandesgericht Frankfurt "
                  "am Main beantragt.")
    lines += para("Mit freundlichen Grüßen")
    lines += sig("Im Auftrag", rng.choice(SIGNERS), "Standesbeamtin/Standesbeamter", gap=8)
    return lines


def t_melde(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(["num", "num", "num", "long"])
    pd, _ = place_date(rng)
    lines = [L("Stadt Kassel · Bürgeramt · Obere Königsstraße 8 · 34117 Kassel", size=8),
             L("Einfache Meldebescheinigung", size=14, bold=True, gap=6),
             L("nach § 18 Absatz 1 Bundesmeldegesetz", size=9)]
    cramped = rng.random() < 0.5
    if cramped:
        s = 9
        lines += [L(f"Familienname: {up(p.sn):<24} Vornamen: {p.gn}", size=s, mono=True, gap=4),
                  L(f"Doktorgrad: --                        Geburtsname: {up(p.sn)}", size=s,
                    mono=True),
                  L(f"Geburtsdatum: {fmt_date(p.dob, ds):<24} Geburtsort: {p.birthplace}",
                    size=s, mono=True),
                  L(f"Anschrift: {p.street}, {p.city}   Wohnung: alleinige", size=s, mono=True),
                  L(f"Einzugsdatum: {d_num(other_date(rng, 2020, 2025))}", size=s, mono=True)]
    else:
        lines += [L("Familienname", size=9, gap=5), L(up(p.sn)),
                  L("Vornamen", size=9, gap=1), L(p.gn),
                  L("Geburtsdatum", size=9, gap=1), L(fmt_date(p.dob, ds)),
                  L("Geburtsort", size=9, gap=1), L(p.birthplace),
                  L("Anschrift", size=9, gap=1), L(f"{p.street}, {p.city}"),
                  L("Art der Wohnung", size=9, gap=1), L("Hauptwohnung"),
                  L("Einzugsdatum", size=9, gap=1), L(d_num(other_date(rng, 2020, 2025)))]
    lines += para("Die Angaben entsprechen dem Melderegister zum Zeitpunkt der Ausstellung. "
                  "Gebühr: 10,00 EUR, bezahlt.", size=9, gap=6)
    lines += sig(pd, "Im Auftrag", rng.choice(SIGNERS), gap=8)
    return lines


def t_bzst(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(["num", "num", "long"])
    pd, _ = place_date(rng, place="Bonn")
    idnr = " ".join(str(rng.randint(10, 99)) + str(rng.randint(100, 999)) for _ in range(2)) + \
        f" {rng.randint(100, 999)}"
    lines = head(rng, "Bundeszentralamt für Steuern", "53221 Bonn · www.bzst.de")
    lines += to_person(p)
    lines += [L(pd, gap=6, indent=110),
              L("Mitteilung über Ihre steuerliche Identifikationsnummer", bold=True, gap=6)]
    lines += para(f"Sehr geehrte{'' if p.sex == 'f' else 'r'} {herr(p)} {p.sn},", gap=5)
    lines += para("Ihnen wurde folgende steuerliche Identifikationsnummer zugeteilt:")
    lines += [L(idnr, size=14, bold=True, indent=40, gap=3)]
    lines += para("Zu Ihrer Person sind beim Bundeszentralamt für Steuern folgende Daten "
                  "gespeichert:")
    lines += [two_col("Familienname", p.sn, mono=False),
              two_col("Vornamen", p.gn, mono=False),
              two_col("Tag der Geburt", fmt_date(p.dob, ds), mono=False),
              two_col("Ort der Geburt", p.birthplace, mono=False),
              two_col("Anschrift", f"{p.street}, {p.city}", mono=False)]
    lines += para("Bitte prüfen Sie diese Daten. Sollten sie unrichtig sein, wenden Sie sich "
                  "bitte an Ihre Meldebehörde. Die Identifikationsnummer gilt lebenslang.",
                  size=10)
    return lines


def t_bank_de(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(DE_DATES)
    pd, _ = place_date(rng)
    bank = rng.choice(["Kasseler Sparkasse", "Volksbank Kassel Göttingen eG"])
    lines = head(rng, bank, "Wolfsschlucht 9 · 34117 Kassel · BLZ 520 503 53")
    lines += to_person(p)
    lines += [L(pd, gap=8, indent=110), L("Kontobestätigung", bold=True, gap=6)]
    lines += para(f"Sehr geehrte{'' if p.sex == 'f' else 'r'} {herr(p)} {p.sn},", gap=5)
    lines += para("wie gewünscht bestätigen wir Ihnen folgende Kontoverbindung:")
    lines += [two_col("Kontoinhaber/in", name(p, rng.choice(["fl", "lf"])), mono=False),
              two_col("geboren am", fmt_date(p.dob, ds), mono=False),
              two_col("IBAN", f"DE{rng.randint(10, 99)} 5205 0353 {rng.randint(1000, 9999)} "
                      f"{rng.randint(1000, 9999)} {rng.randint(10, 99)}", mono=False),
              two_col("Kontoart", "Girokonto (Basiskonto)", mono=False),
              two_col("Kontoeröffnung", d_num(other_date(rng, 2017, 2025)), mono=False),
              two_col("Kontostand", f"{rng.randint(200, 9000)},{rng.randint(10, 99)} EUR "
                      f"(Stand {pd.split(', ')[1]})", mono=False)]
    lines += para("Diese Bestätigung wurde maschinell erstellt und trägt keine Unterschrift.",
                  size=9, gap=8)
    lines += sig("Ihre " + bank, "Kundenservice", gap=6)
    return lines


def t_bank_en(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(EN_DATES)
    pd, _ = place_date(rng, place="Berlin", en=True)
    lines = head(rng, "Fintiba Blocked Account Services", "c/o Sutor Bank · Hermannstraße 46 · "
                 "20095 Hamburg · support@blocked-account.example")
    lines += [L(pd, gap=10, indent=100),
              L("Confirmation of Blocked Account (Sperrkonto)", size=13, bold=True, gap=6),
              L(f"Our reference: FB-{rng.randint(100000, 999999)}", size=10)]
    lines += para("To whom it may concern,", gap=5)
    lines += para("We hereby confirm that the following person holds a blocked account with us "
                  "in accordance with the requirements of the German Foreign Office:")
    if rng.random() < 0.5:
        lines += [L("Account holder:", gap=4), L(f"{mr(p)} {name(p, rng.choice(['fL', 'fl']))}",
                                                 indent=35),
                  L(f"Date of birth: {fmt_date(p.dob, ds)}", gap=1)]
    else:
        lines += [two_col("Surname", up(p.sn), mono=False),
                  two_col("Given names", p.gn, mono=False),
                  two_col("Date of birth", fmt_date(p.dob, ds), mono=False)]
        lines[-3] = dataclasses.replace(lines[-3], gap_before=4)
    lines += [L(f"Place of birth: {p.birthplace}"),
              L(f"IBAN: DE{rng.randint(10, 99)} 2023 0800 0000 {rng.randint(1000, 9999)} "
                f"{rng.randint(10, 99)}", gap=2),
              L("Deposited amount: EUR 11,904.00"),
              L("Monthly disbursement: EUR 992.00")]
    lines += para("The account holder may not dispose of more than the monthly amount. This "
                  "confirmation was generated electronically and is valid without signature.",
                  size=10, gap=5)
    return lines


def t_kasse(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(DE_DATES)
    pd, _ = place_date(rng)
    kasse = rng.choice(["AOK Hessen", "Techniker Krankenkasse", "BARMER", "IKK classic"])
    kvnr = f"{p.sn[0].upper()}{rng.randint(100000000, 999999999)}"
    lines = head(rng, kasse, "Kundencenter Kassel · Kurt-Schumacher-Straße 2 · 34117 Kassel")
    lines += to_person(p)
    lines += [L(pd, gap=8, indent=110), L("Mitgliedsbescheinigung", bold=True, size=13, gap=6),
              L("zur Vorlage bei der Ausländerbehörde", size=10)]
    if rng.random() < 0.5:
        lines += [two_col("Versicherte/r", name(p, "lf"), mono=False, size=11),
                  two_col("Geburtsdatum", fmt_date(p.dob, ds), mono=False, size=11),
                  two_col("Versichertennummer", kvnr, mono=False, size=11)]
        lines[-3] = dataclasses.replace(lines[-3], gap_before=5)
        lines += para(f"Wir bestätigen, dass die oben genannte Person seit dem "
                      f"{d_num(other_date(rng, 2019, 2025))} bei der {kasse} "
                      "als Pflichtmitglied kranken- und pflegeversichert ist.")
    else:
        lines += para(f"Wir bestätigen, dass {herr(p)} {name(p, 'fl')}, geb. "
                      f"{fmt_date(p.dob, ds)}, Versichertennummer {kvnr}, seit dem "
                      f"{d_num(other_date(rng, 2019, 2025))} bei uns als Mitglied "
                      "kranken- und pflegeversichert ist.", gap=5)
    if rng.random() < 0.5:
        ch_g, ch_d = rng.choice(CHILDREN)
        lines += para(f"Familienversichert ist außerdem: {ch_g} {p.sn}, geb. {d_num(ch_d)}.")
    lines += para("Der Versicherungsschutz umfasst die Leistungen nach dem SGB V in vollem Umfang.")
    lines += sig("Mit freundlichen Grüßen", f"Ihre {kasse}", gap=6)
    return lines


def t_zertifikat(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(["num", "num", "iso", "slash"])
    lines = [L("telc Deutsch B1", size=18, bold=True),
             L("Zertifikat Deutsch · Zertifikat Integrationskurs", size=11),
             L("Name / Name", size=8, gap=8), L(name(p, rng.choice(["lf", "LF"])), size=13,
                                                bold=True),
             L("Geburtsdatum / Date of birth", size=8, gap=2),
             L(fmt_date(p.dob, ds), size=12),
             L("Geburtsort / Place of birth", size=8, gap=2), L(p.birthplace, size=12),
             L("Prüfungsergebnis / Exam results", size=11, bold=True, gap=8),
             L("Schriftliche Prüfung        Punkte      max.", size=10, mono=True),
             L(f"Leseverstehen               {rng.randint(50, 75):>5}        75", size=10,
               mono=True),
             L(f"Hörverstehen                {rng.randint(50, 75):>5}        75", size=10,
               mono=True),
             L(f"Schriftlicher Ausdruck      {rng.randint(25, 45):>5}        45", size=10,
               mono=True),
             L(f"Mündliche Prüfung           {rng.randint(50, 75):>5}        75", size=10,
               mono=True),
             L("Gesamtergebnis: bestanden / passed", bold=True, gap=4),
             L(f"Prüfungsdatum / Date of examination: {d_num(other_date(rng, 2024, 2026))}",
               gap=4),
             L("Prüfungszentrum: VHS Region Kassel, Wilhelmshöher Allee 19-21"),
             L(f"Teilnehmernummer: {rng.randint(1000000, 9999999)}"),
             L("telc gGmbH · Bleichstraße 1 · 60313 Frankfurt am Main", size=8, gap=12)]
    return lines


def t_kurs(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(DE_DATES)
    pd, _ = place_date(rng)
    lines = head(rng, "Sprachschule Lingua Nova Kassel", "Träger von Integrationskursen · "
                 "Kölnische Straße 38 · 34117 Kassel", "Trägernummer 4xx-2219")
    lines += [L(pd, gap=10, indent=110), L("Kursbestätigung", size=14, bold=True, gap=6)]
    if rng.random() < 0.5:
        lines += [L("Teilnehmer/in:", gap=4), L(name(p, rng.choice(["lf", "fl", "LF"])), bold=True),
                  L(f"geboren am: {fmt_date(p.dob, ds)}")]
        lines += para("nimmt seit dem " + d_num(other_date(rng, 2025, 2026)) + " regelmäßig an "
                      "unserem Integrationskurs (allgemeiner Integrationskurs, Modul 3 von 7) "
                      "teil.")
    else:
        lines += para(f"Hiermit bestätigen wir, dass {herr(p)} {name(p, 'fl')}, "
                      f"geb. {fmt_date(p.dob, ds)}, seit dem {d_num(other_date(rng, 2025, 2026))} "
                      "an unserem Integrationskurs teilnimmt (Modul 3 von 7, 25 Unterrichtsstunden "
                      "pro Woche).", gap=5)
    lines += [L(f"Kursnummer: {rng.randint(100, 999)}-{rng.randint(10000, 99999)}-IK", gap=4),
              L("Unterrichtszeiten: Mo–Fr 08:30–12:45 Uhr"),
              L(f"Fehlzeiten bisher: {rng.randint(0, 12)} UE (entschuldigt)"),
              L("Voraussichtliche Prüfung (DTZ): " + d_num(date(2027, rng.randint(1, 6), 15)))]
    lines += para("Mit freundlichen Grüßen")
    lines += sig(rng.choice(SIGNERS), "Kursleitung / Verwaltung")
    return lines


def t_employer_en(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(EN_DATES)
    pd, _ = place_date(rng, en=True)
    firm = rng.choice([("SMA Solar Technology AG", "Sonnenallee 1 · 34266 Niestetal"),
                       ("Northwind Software GmbH", "Ständeplatz 6 · 34117 Kassel")])
    lines = head(rng, firm[0], firm[1], "Human Resources · hr@company.example")
    lines += [L(pd, gap=12, indent=100), L("Employment Confirmation", size=13, bold=True, gap=6)]
    lines += para("To whom it may concern,", gap=5)
    since = other_date(rng, 2020, 2025)
    pronoun = "She" if p.sex == "f" else "He"
    if rng.random() < 0.5:
        lines += para(f"This is to confirm that {mr(p)} {name(p, rng.choice(['fl', 'fL']))}, born "
                      f"on {fmt_date(p.dob, ds)}, has been employed by {firm[0]} since "
                      f"{fmt_date(since, 'en')} as a {rng.choice(['Software Engineer', 'Data Analyst', 'Project Manager'])} on a "
                      f"permanent full-time contract.")
    else:
        lines += para("This is to confirm the employment of:")
        lines += [two_col("Name", name(p, "LF"), mono=False),
                  two_col("Date of birth", fmt_date(p.dob, ds), mono=False),
                  two_col("Position", "Senior Engineer, Power Electronics", mono=False),
                  two_col("Start date", fmt_date(since, "en"), mono=False)]
    lines += para(f"{pronoun} works 40 hours per week. The gross annual salary is EUR "
                  f"{rng.randint(52, 88)},{rng.randint(100, 999)}. The employment relationship "
                  "is not under notice.")
    lines += para("Kind regards,")
    lines += sig(rng.choice(["Laura Fischer", "Benjamin Hartwig"]), "HR Business Partner")
    return lines


def t_uni_en(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(EN_DATES)
    pd, _ = place_date(rng, en=True)
    lines = head(rng, "University of Kassel – International Office",
                 "Mönchebergstraße 19 · 34125 Kassel · Germany")
    lines += [L(pd, gap=10, indent=100), L("Letter of Admission", size=13, bold=True, gap=6),
              L(f"Application no. {rng.randint(2026000, 2026999)}", size=10)]
    lines += [two_col("Surname", up(p.sn), mono=False),
              two_col("Given names", p.gn, mono=False),
              two_col("Date of birth", fmt_date(p.dob, ds), mono=False)]
    lines[-3] = dataclasses.replace(lines[-3], gap_before=5)
    if rng.random() < 0.5:
        lines.append(two_col("Country of birth", p.birthplace, mono=False))
    lines += para(f"Dear {mr(p)} {p.sn},", gap=5)
    lines += para("We are pleased to inform you that you have been admitted to the Master's "
                  "programme in Sustainable Energy Systems for the winter semester 2026/27. "
                  "Lectures begin on 19 October 2026. Please complete your enrolment by "
                  "30 September 2026.")
    lines += para("Tuition is free of charge; the semester contribution is EUR 317.50. Please "
                  "present this letter to the immigration authority together with proof of "
                  "financial resources.")
    lines += para("Yours sincerely,")
    lines += sig("Dr. Helen Marsh", "Head of International Admissions")
    return lines


def t_familienkasse(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(DE_DATES)
    pd, _ = place_date(rng)
    ch_g, ch_d = rng.choice(CHILDREN)
    lines = head(rng, "Familienkasse Hessen", "Bundesagentur für Arbeit · 34105 Kassel",
                 f"Kindergeld-Nr. {rng.randint(100, 999)}FK{rng.randint(100000, 999999)}")
    lines += to_person(p)
    lines += [L(pd, gap=8, indent=110), L("Bescheid über Kindergeld", bold=True, gap=6)]
    lines += [L(f"Antragsteller/in: {name(p, rng.choice(['lf', 'LF']))}, geb. "
                f"{fmt_date(p.dob, ds)}", gap=4)]
    lines += para(f"Sehr geehrte{'' if p.sex == 'f' else 'r'} {herr(p)} {p.sn},", gap=4)
    lines += para(f"für Ihr Kind {ch_g} {p.sn}, geboren am {fmt_date(ch_d, ds)}, wird ab "
                  f"{MONTHS_DE[rng.randint(0, 11)]} 2026 Kindergeld in Höhe von monatlich "
                  "259,00 EUR festgesetzt.")
    lines += para("Begründung: Sie sind nach § 62 Abs. 2 EStG anspruchsberechtigt, da Sie eine "
                  "zur Ausübung einer Erwerbstätigkeit berechtigende Aufenthaltserlaubnis "
                  "besitzen.")
    lines += para("Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach "
                  "Bekanntgabe Einspruch eingelegt werden.", size=9)
    lines += sig("Ihre Familienkasse", gap=6)
    return lines


def t_anerkennung(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(DE_DATES)
    pd, _ = place_date(rng, place="Darmstadt")
    lines = head(rng, "Regierungspräsidium Darmstadt", "Dezernat II 25.2 – Anerkennung "
                 "ausländischer Berufsqualifikationen", "Luisenplatz 2 · 64283 Darmstadt")
    lines += to_person(p)
    lines += [L(pd, gap=8, indent=110),
              L(f"Geschäftszeichen: RPDA - II 25.2-{rng.randint(10000, 99999)}/2026", size=10),
              L("Bescheid über die Gleichwertigkeit der Berufsqualifikation", bold=True, gap=6)]
    lines += [L("Antragsteller/in:", gap=4),
              L(f"{herr(p)} {name(p, rng.choice(['fl', 'fL']))}, geboren am "
                f"{fmt_date(p.dob, ds)} in {p.birthplace}")]
    lines += para("Auf Ihren Antrag wird festgestellt, dass die von Ihnen im Ausland erworbene "
                  f"Berufsqualifikation als "
                  f"{rng.choice(['Elektroingenieur/in', 'Krankenpfleger/in', 'Erzieher/in'])} "
                  "gleichwertig ist mit dem deutschen Referenzberuf. Sie sind berechtigt, die "
                  "Berufsbezeichnung zu führen.")
    lines += para("Gebühr: 200,00 EUR. Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann "
                  "innerhalb eines Monats Klage beim Verwaltungsgericht Darmstadt erhoben werden.",
                  size=10)
    lines += sig("Im Auftrag", rng.choice(SIGNERS), gap=8)
    return lines


def t_rente(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(["num", "num", "long"])
    pd, _ = place_date(rng, place="Frankfurt am Main")
    vsnr = (f"{rng.randint(10, 65)} {p.dob.day:02d}{p.dob.month:02d}{p.dob.year % 100:02d} "
            f"{p.sn.replace('bin ', '').replace('van der ', '').replace('de ', '')[0].upper()} "
            f"{rng.randint(100, 999)}")
    lines = head(rng, "Deutsche Rentenversicherung Hessen", "Städelstraße 28 · 60596 Frankfurt "
                 "am Main")
    lines += to_person(p)
    lines += [L(pd, gap=6, indent=100), L(f"Versicherungsnummer {vsnr}", size=10),
              L("Versicherungsverlauf", size=13, bold=True, gap=6)]
    lines += [L(f"Name: {name(p, 'fl')}", gap=3),
              L(f"Geburtsdatum: {fmt_date(p.dob, ds)}")]
    lines += [L("Zeitraum                Art der Zeit                    Entgelt EUR", size=9,
                mono=True, gap=5)]
    y = rng.randint(2017, 2021)
    for k in range(rng.randint(4, 6)):
        lines.append(L(f"01.01.{y + k} - 31.12.{y + k}  Pflichtbeitragszeit Beschäftigung"
                       f"  {rng.randint(18000, 46000):>10}", size=9, mono=True))
    lines += para("Bitte prüfen Sie den Versicherungsverlauf auf Vollständigkeit. Fehlende Zeiten "
                  "können Sie uns mit dem beigefügten Formular V0100 melden.", size=10, gap=5)
    return lines


def t_cv(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(DE_DATES)
    lines = [L("Lebenslauf", size=18, bold=True),
             L("Persönliche Daten", size=12, bold=True, gap=6),
             two_col("Name:", name(p, rng.choice(["fl", "fL"])), mono=False),
             two_col("Geburtsdatum:", fmt_date(p.dob, ds), mono=False),
             two_col("Geburtsort:", p.birthplace, mono=False),
             two_col("Anschrift:", f"{p.street}, {p.city}", mono=False),
             two_col("Familienstand:", rng.choice(["ledig", "verheiratet, 1 Kind"]), mono=False),
             L("Berufserfahrung", size=12, bold=True, gap=6)]
    y = rng.randint(2012, 2018)
    lines += [L(f"{y} – {y + 3}     Produktionshelfer/in, Textilfabrik in {p.birthplace}"),
              L(f"{y + 4} – {y + 6}     Verkäufer/in im Einzelhandel"),
              L(f"seit {y + 7}        Lagermitarbeiter/in, DHL Hub Kassel"),
              L("Schulbildung", size=12, bold=True, gap=6),
              L(f"{p.dob.year + 6} – {p.dob.year + 18}     Schule in {p.birthplace}, "
                "Abschluss vergleichbar Abitur"),
              L("Sprachen", size=12, bold=True, gap=6),
              L("Deutsch (B1), Englisch (B2), Muttersprache"),
              L("Kassel, im " + rng.choice(MONTHS_DE) + " 2026", gap=12)]
    return lines


def t_zeugnis(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(["long", "longnz", "num"])
    lines = [L("Industrie- und Handelskammer Kassel-Marburg", size=11, bold=True),
             L("PRÜFUNGSZEUGNIS", size=18, bold=True, gap=10),
             L("nach § 37 Berufsbildungsgesetz", size=10),
             L(f"{herr(p)}", gap=10, indent=30), L(name(p, "fl"), size=14, bold=True, indent=30),
             L(f"geboren am {fmt_date(p.dob, ds)} in {p.birthplace}", indent=30)]
    lines += para(f"hat am {fmt_date(other_date(rng, 2023, 2026), 'longnz')} die Abschlussprüfung "
                  f"im Ausbildungsberuf "
                  f"{rng.choice(['Fachlagerist', 'Kaufmann im Einzelhandel', 'Mechatroniker'])} "
                  "bestanden.", gap=6)
    lines += [L("Prüfungsergebnisse", bold=True, gap=6),
              L(f"Teil 1 der Abschlussprüfung       {rng.randint(60, 95)} Punkte", mono=True,
                size=10),
              L(f"Teil 2 der Abschlussprüfung       {rng.randint(60, 95)} Punkte", mono=True,
                size=10),
              L("Gesamtnote                        befriedigend", mono=True, size=10)]
    lines += sig("Kassel, " + d_num(other_date(rng, 2023, 2026)), "Der Prüfungsausschuss",
                 "Die Industrie- und Handelskammer", gap=14)
    return lines


def t_elstam(p: Person, rng: random.Random) -> list[Line]:
    ds = rng.choice(["num", "num"])
    pd, _ = place_date(rng)
    lines = head(rng, "Finanzamt Kassel", "Altmarkt 1 · 34125 Kassel · Steuernummer –")
    lines += to_person(p)
    lines += [L(pd, gap=6, indent=110),
              L("Ausdruck der elektronischen Lohnsteuerabzugsmerkmale (ELStAM)", bold=True, gap=6),
              L("gültig ab 01.01.2026", size=10)]
    lines += [L(f"Identifikationsnummer   {rng.randint(10, 99)} {rng.randint(100, 999)} "
                f"{rng.randint(100, 999)} {rng.randint(100, 999)}", mono=True, size=10, gap=5),
              L(f"Name, Vorname           {name(p, 'lf')}", mono=True, size=10),
              L(f"Geburtsdatum            {fmt_date(p.dob, ds)}", mono=True, size=10),
              L(f"Steuerklasse            {rng.choice(['I', 'III', 'IV'])}", mono=True, size=10),
              L(f"Kinderfreibeträge       {rng.choice(['0,0', '0,5', '1,0'])}", mono=True,
                size=10),
              L("Kirchensteuermerkmal    --", mono=True, size=10)]
    if rng.random() < 0.5:
        sp_g, sp_d = spouse(rng, p)
        lines += [L(f"Ehegatte/Lebenspartner {p.sn}, {sp_g}, geb. {d_num(sp_d)}", mono=True,
                    size=10)]
    lines += para("Die Lohnsteuerabzugsmerkmale werden Ihrem Arbeitgeber elektronisch zur "
                  "Verfügung gestellt. Dieser Ausdruck dient nur Ihrer Information.", size=10,
                  gap=6)
    return lines


TEMPLATES = [
    ("Wohnungsgeberbestätigung (form)", "landlord_confirmation", t_wgb_form),
    ("Wohnungsgeberbestätigung (Hausverwaltung letter)", "landlord_confirmation", t_wgb_letter),
    ("Mietbescheinigung (Mieter/in)", "rental_contract", t_mietbescheinigung),
    ("Mietvertrag extract", "rental_contract", t_mietvertrag),
    ("Arbeitgeberbescheinigung (prose)", "employer_certificate", t_ag_bescheinigung),
    ("Arbeitsvertrag extract (Arbeitnehmer/in, *)", "employment_contract", t_arbeitsvertrag),
    ("Gehaltsabrechnung (cramped mono)", "payslip", t_gehalt),
    ("Erklärung zum Beschäftigungsverhältnis (form)", "employer_declaration", t_ag_erklaerung),
    ("Vollmacht (Name, Vorname)", "power_of_attorney", t_vollmacht),
    ("Schriftsatz Ausländerangelegenheit", "lawyer_letter", t_schriftsatz),
    ("Schulbescheinigung Berufsschule", "other", t_schule),
    ("Immatrikulationsbescheinigung", "other", t_immatrikulation),
    ("Ärztliches Attest", "medical_attest", t_attest),
    ("Jobcenter BG table (+spouse, child)", "other", t_jobcenter),
    ("Standesamt Eheschließung (+partner dob)", "other", t_standesamt),
    ("Meldebescheinigung Bürgeramt", "registration_certificate", t_melde),
    ("BZSt Steuer-ID Mitteilung", "other", t_bzst),
    ("Bank Kontobestätigung (DE)", "bank_statement", t_bank_de),
    ("Blocked account confirmation (EN)", "bank_statement", t_bank_en),
    ("Krankenkasse Mitgliedsbescheinigung", "health_insurance", t_kasse),
    ("telc Sprachzertifikat", "language_certificate", t_zertifikat),
    ("Integrationskurs Kursbestätigung", "language_certificate", t_kurs),
    ("Employment confirmation (EN)", "employer_certificate", t_employer_en),
    ("University admission letter (EN)", "other", t_uni_en),
    ("Familienkasse Kindergeld (Antragsteller/in, child)", "other", t_familienkasse),
    ("Anerkennungsbescheid (Antragsteller/in)", "recognition_notice", t_anerkennung),
    ("Rentenversicherung Versicherungsverlauf", "pension_record", t_rente),
    ("Lebenslauf", "cv", t_cv),
    ("IHK Prüfungszeugnis", "degree_certificate", t_zeugnis),
    ("Finanzamt ELStAM Ausdruck (+spouse)", "other", t_elstam),
]

N_CLIENT_LETTERS = 64


def plan() -> list[tuple[int, Person, str]]:
    """(template index, person, aktenzeichen truth) per letter."""
    people = CLIENTS + NAMESAKES
    order = random.Random(SEED).sample(range(len(people)), len(people))
    out = []
    for i in range(N_CLIENT_LETTERS):
        p = people[order[i % len(people)]]
        out.append((i % len(TEMPLATES), p, p.az))
    for j, p in enumerate(_unregistered()):
        out.append(((j * 7 + 3) % len(TEMPLATES), p, ""))
    return out


def build(index: int, tpl: int, p: Person) -> list[Line]:
    rng = random.Random(f"{SEED}:{index}")
    return TEMPLATES[tpl][2](p, rng)


def check_fits(lines: list[Line], file: str) -> None:
    """Every line inside the page: not wider than the text column, not below the bottom."""
    y = mm(22.0)
    for line in lines:
        y += mm(line.gap_before)
        if line.text:
            w = _font(line.size, line.bold, line.mono).getlength(line.text)
            if w > mm(TEXT_WIDTH_MM - line.indent) + mm(6):
                raise ValueError(f"{file}: line too wide: {line.text!r}")
        y += round(line.size / 72 * 300 * 1.45)
    if y > mm(297 - 12):
        raise ValueError(f"{file}: text runs off the page bottom")


def write(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    labels = []
    for i, (tpl, p, az) in enumerate(plan()):
        file = f"letter_{i:03d}.png"
        lines = build(i, tpl, p)
        check_fits(lines, file)
        rng = random.Random(f"{SEED}:scan:{i}")
        page = degrade(render_page(lines), rng, strength=rng.uniform(0.6, 1.2))
        save_scan([page], out / file)
        labels.append({"file": file, "doc_type": TEMPLATES[tpl][1], "aktenzeichen": az,
                       "identifiers": "name_dob", "case": "normal",
                       "_family": TEMPLATES[tpl][0]})
    with (out / "labels.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["file", "doc_type", "aktenzeichen", "identifiers",
                                          "case"], extrasaction="ignore")
        w.writeheader()
        w.writerows(labels)
    with (out / "families.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "family"])
        w.writerows([(lab["file"], lab["_family"]) for lab in labels])
    with (out / "persons.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["aktenzeichen", "surname", "given_names", "date_of_birth", "nationality",
                    "azr_number", "passport_numbers"])
        for p in CLIENTS + NAMESAKES:
            w.writerow([p.az, p.sn, p.gn, p.dob.isoformat(), p.nat, "", ""])
    print(f"wrote {len(labels)} letters to {out}")


def show(index: int) -> None:
    tpl, p, az = plan()[index]
    print(f"# {TEMPLATES[tpl][0]} · {p.sn}, {p.gn} {p.dob} · {az or 'nobody'}")
    for line in build(index, tpl, p):
        print(line.text)


def main(argv: list[str]) -> None:
    if len(argv) == 2 and argv[0] == "write":
        write(Path(argv[1]))
    elif len(argv) == 2 and argv[0] == "show":
        show(int(argv[1]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
