"""Identity and residence documents: passport, national ID card, eAT card, Zusatzblatt, visa,
Fiktionsbescheinigung, Duldung.

Card documents arrive as photocopies on A4: the visual zone transcribed line by line, the
machine readable zone at the bottom. Labels follow the documents (bilingual, sometimes
in the issuing state's language), so only some of them are labels the product can read.
"""

from __future__ import annotations

from datetime import date, timedelta

from classifiers.mrz import mrv_lines, td1_lines, td3_lines

from .common import Ctx, kind
from .documents import SampleDocument, german_date

COUNTRY = {"TUR": "REPUBLIC OF TÜRKİYE", "POL": "RZECZPOSPOLITA POLSKA", "UKR": "UKRAINE",
           "SYR": "SYRIAN ARAB REPUBLIC", "IRQ": "REPUBLIC OF IRAQ", "AFG": "ISLAMIC REPUBLIC OF "
           "AFGHANISTAN", "IRN": "ISLAMIC REPUBLIC OF IRAN", "RUS": "RUSSIAN FEDERATION",
           "KAZ": "REPUBLIC OF KAZAKHSTAN", "VNM": "SOCIALIST REPUBLIC OF VIET NAM",
           "NGA": "FEDERAL REPUBLIC OF NIGERIA", "GHA": "REPUBLIC OF GHANA",
           "CMR": "RÉPUBLIQUE DU CAMEROUN", "ESP": "REINO DE ESPAÑA", "COL": "REPÚBLICA DE "
           "COLOMBIA", "BRA": "REPÚBLICA FEDERATIVA DO BRASIL", "IND": "REPUBLIC OF INDIA",
           "CHN": "PEOPLE'S REPUBLIC OF CHINA", "RKS": "REPUBLIKA E KOSOVËS",
           "SRB": "REPUBLIC OF SERBIA", "ROU": "ROMÂNIA", "ERI": "STATE OF ERITREA",
           "PHL": "REPUBLIC OF THE PHILIPPINES"}
PASSPORT_WORD = {"TUR": "PASAPORT", "POL": "PASZPORT", "ESP": "PASAPORTE", "COL": "PASAPORTE",
                 "BRA": "PASSAPORTE", "ROU": "PAȘAPORT", "RKS": "PASAPORTA", "SRB": "PASOŠ",
                 "CMR": "PASSEPORT"}
_MRZ_SAFE = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i"})
_CHECKS = {"TD3": [(1, 9), (1, 19), (1, 27), (1, 43)], "TD1": [(0, 14), (1, 6), (1, 14), (1, 29)],
           "MRV": [(1, 9), (1, 19), (1, 27)]}


def _yymmdd(d: date) -> str:
    return d.strftime("%y%m%d")


def _mrz_name(s: str) -> str:
    """Letters transliterate() leaves out (Ł, Đ) mapped as ICAO 9303 part 3 recommends."""
    return s.translate(_MRZ_SAFE)


def _emit_mrz(c: Ctx, lines: tuple[str, ...], fmt: str, size: int = 12) -> dict[str, str]:
    """Print an MRZ; with 'broken_mrz' requested, one check digit is wrong (a misprint or a
    forgery), and the zone is not counted as an identifier."""
    lines = list(lines)
    facts = {"mrz": "\n".join(lines)}
    if c.want("broken_mrz"):
        spots = [(r, k) for r, k in _CHECKS[fmt] if lines[r][k].isdigit()]
        r, k = c.pick(spots)
        wrong = str((int(lines[r][k]) + c.rng.randint(1, 9)) % 10)
        lines[r] = lines[r][:k] + wrong + lines[r][k + 1:]
        facts = {"mrz": "\n".join(lines), "broken_mrz": f"line {r + 1} column {k + 1}"}
    else:
        c.printed.add("mrz")
    gap = c.pick([10, 18, 26])
    for i, ln in enumerate(lines):
        c.w.add(ln, size, mono=True, gap=gap if i == 0 else 1.0)
    return facts


def _copy_note(c: Ctx) -> None:
    """What applicants and offices write on photocopies."""
    if c.want("aktenzeichen") and c.chance(0.7):
        c.w.add(c.pick([f"Az.: {c.az()}", f"zu Aktenzeichen {c.az()}", f"Aktenzeichen: {c.az()}"]),
                10, gap=c.pick([8, 14]))
    if c.chance(0.25):
        c.w.add(c.pick(["Kopie", "Fotokopie der Datenseite", "Die Übereinstimmung dieser Kopie mit "
                        "dem vorgelegten Original wird bestätigt.", "Original lag vor."]), 9, gap=6)


@kind("passport", mrz=1.0, passport=0.85, name_dob=0.9, name=1.0, aktenzeichen=0.12)
def passport(c: Ctx) -> SampleDocument:
    """Data page of a national passport (TD3)."""
    p, w = c.p, c.w
    code = p["nationality"]
    number = p["passport_old"] if p.get("passport_old") and c.chance(0.35) else p["passport"]
    issued = c.day(before=3000)
    expiry = issued + timedelta(days=365 * c.pick([5, 8, 10]) - 1)
    _copy_note(c)
    country = COUNTRY.get(code, code)
    word = PASSPORT_WORD.get(code, "")
    heading = c.pick([f"{word} / PASSPORT / PASSEPORT" if word else "PASSPORT / PASSEPORT",
                      f"{country}", "REISEPASS / PASSPORT"])
    w.add(heading, c.pick([12, 13, 14]), bold=True, gap=4)
    if heading != country:
        w.add(country, 10)
    layout = c.rng.randrange(3)
    w.add(f"Type / Typ: P    Code: {code}", 10, gap=6)
    if c.want("passport"):
        label = c.pick(["Passport No.", "Pass-Nr. / Passport No.", "Passport No. / N° du passeport"])
        c.printed.add("passport")
        w.add(f"{label}: {number}", 10)
    else:
        w.add(f"No. {number}" if c.chance(0.5) else "", 10)
    rows: list[str] = []
    if c.want("name_dob") and layout != 2:
        rows.append(c.surname_label("Name / Surname", upper=True))
        rows.append(f"Given names / Vornamen: {p['given_names'].upper()}")
    else:
        rows.append(f"1. Surname / Nom: {c.name('surname').upper()}")
        rows.append(f"2. Given names / Prénoms: {p['given_names'].upper()}")
    rows.append(f"Nationality / Staatsangehörigkeit: {country}")
    if c.want("name_dob") or c.chance(0.5):
        rows.append(f"Date of birth / Date de naissance: {c.dob()}")
    else:
        rows.append(f"Birth: {c.pick([p['birth_date'].replace('.', ' '), p['birth_iso']])}")
    rows.append(f"Sex / Sexe: {p['sex']}")
    rows.append(f"Place of birth / Lieu de naissance: {p['birth_place'].upper()}")
    rows.append(f"Date of issue / Date de délivrance: {german_date(issued)}")
    rows.append(f"Date of expiry / Date d'expiration: {german_date(expiry)}")
    rows.append(f"Authority / Autorité: {c.pick(['MINISTRY OF INTERIOR', 'GENERAL DIRECTORATE', 'CONSULATE GENERAL IN DÜSSELDORF', p['birth_place'].upper()])}")
    size, indent = c.pick([10, 11]), c.pick([0, 0, 45])  # right of the photo, or below it
    for i, r in enumerate(rows if layout == 0 else c.shuffled(rows[:2]) + rows[2:]):
        w.add(r, size, gap=4 if i == 0 else 1.0, indent=indent)
    mrz = td3_lines(doc_code="P", issuer=code, surname=_mrz_name(p["surname"]),
                    given_names=_mrz_name(p["given_names"]), number=number, nationality=code,
                    birth_date=_yymmdd(date.fromisoformat(p["birth_iso"])), sex=p["sex"],
                    expiry_date=_yymmdd(expiry))
    facts = _emit_mrz(c, mrz, "TD3")
    return c.finish(f"Reisepass {p['surname']}", document_number=number, **facts)


_ID_TITLES = {"TUR": ["TÜRKİYE CUMHURİYETİ KİMLİK KARTI", "KİMLİK KARTI / IDENTITY CARD"],
              "POL": ["DOWÓD OSOBISTY / IDENTITY CARD", "RZECZPOSPOLITA POLSKA · DOWÓD OSOBISTY"],
              "ESP": ["DOCUMENTO NACIONAL DE IDENTIDAD", "DNI · IDENTITY CARD"],
              "ROU": ["CARTE DE IDENTITATE / IDENTITY CARD"],
              "UKR": ["ID-CARD OF THE CITIZEN OF UKRAINE", "UKRAINE · IDENTITY CARD"]}


@kind("id_card", mrz=1.0, name_dob=0.7, name=1.0, aktenzeichen=0.12)
def id_card(c: Ctx) -> SampleDocument:
    """National identity card of the country of origin, front and back on one copy (TD1)."""
    p, w = c.p, c.w
    code = p["nationality"]
    expiry = c.day(after=3600) + timedelta(days=200)
    number = p["id_card"]
    _copy_note(c)
    titles = _ID_TITLES.get(code, []) + ["IDENTITY CARD / CARTE D'IDENTITÉ",
                                         "NATIONAL IDENTITY CARD", "Personalausweis (Kopie)"]
    w.add(c.pick(titles), c.pick([12, 13]), bold=True, gap=4)
    w.add(COUNTRY.get(code, code), 9)
    if c.chance(0.5):
        w.add("Vorderseite / Front", 9, gap=4)
    if c.want("name_dob") and c.chance(0.8):
        w.add(c.surname_label(c.pick(["Name / Surname", "Familienname"]), upper=True), gap=4)
    else:
        lab = {"TUR": "Soyadı / Surname", "POL": "Nazwisko / Surname"}.get(code, "Surname / Nom")
        w.add(f"{lab}: {c.name('surname').upper()}", gap=4)
    w.add(f"{c.pick(['Given names', 'Given name(s) / Prénoms', 'Vornamen'])}: {p['given_names'].upper()}")
    if c.want("name_dob") or c.chance(0.6):
        w.add(f"{c.pick(['Date of birth', 'Geburtsdatum'])}: {c.dob()}")
    w.add(f"Sex: {p['sex']}    Nationality: {code}")
    w.add(f"{c.pick(['Document No.', 'Card No.', 'Seri No / Document No'])}: {number}")
    w.add(f"Date of expiry: {german_date(expiry)}")
    if c.chance(0.5):
        w.add(f"CAN: {c.rng.randrange(100000, 999999)}", 9)
    w.add(c.pick(["Rückseite / Back", "Back side", ""]), 9, gap=8)
    w.add(f"Place of birth: {p['birth_place'].upper()}")
    if c.chance(0.5):
        w.add(f"Date of issue: {german_date(expiry - timedelta(days=3652))}")
    mrz = td1_lines(doc_code=c.pick(["I", "ID", "I<"]).rstrip("<"), issuer=code,
                    surname=_mrz_name(p["surname"]), given_names=_mrz_name(p["given_names"]),
                    number=number, nationality=code,
                    birth_date=_yymmdd(date.fromisoformat(p["birth_iso"])), sex=p["sex"],
                    expiry_date=_yymmdd(expiry))
    facts = _emit_mrz(c, mrz, "TD1")
    return c.finish(f"Identitätskarte {p['surname']}", document_number=number, **facts)


_TITLE_TYPES = ["AUFENTHALTSERLAUBNIS", "NIEDERLASSUNGSERLAUBNIS", "BLAUE KARTE EU",
                "ERLAUBNIS ZUM DAUERAUFENTHALT-EU", "AUFENTHALTSERLAUBNIS", "ICT-KARTE"]
_REMARKS = ["Erwerbstätigkeit gestattet.", "Beschäftigung nur gemäß Zusatzblatt gestattet.",
            "Erwerbstätigkeit erlaubt. § 18b Abs. 1 AufenthG", "§ 9 AufenthG",
            "Wohnsitzauflage siehe Zusatzblatt.", "§ 28 Abs. 1 S. 1 Nr. 1 AufenthG",
            "Studium an der Bergischen Universität; Beschäftigung bis 140 Tage im Jahr erlaubt.",
            "Blaue Karte EU § 18g AufenthG", "§ 25 Abs. 2 AufenthG"]


@kind("residence_permit", mrz=1.0, name_dob=0.6, name=1.0, aktenzeichen=0.1)
def residence_permit(c: Ctx) -> SampleDocument:
    """Copy of the German electronic residence permit card (eAT), TD1 with code AR."""
    p, w = c.p, c.w
    title_type = c.pick(_TITLE_TYPES)
    expiry = c.day(after=1800) + timedelta(days=90)
    unlimited = title_type in ("NIEDERLASSUNGSERLAUBNIS", "ERLAUBNIS ZUM DAUERAUFENTHALT-EU")
    _copy_note(c)
    w.add(c.pick(["AUFENTHALTSTITEL", "AUFENTHALTSTITEL / RESIDENCE PERMIT",
                  "Elektronischer Aufenthaltstitel (Kopie Vorder- und Rückseite)"]),
          c.pick([12, 13, 14]), bold=True, gap=4)
    w.add("BUNDESREPUBLIK DEUTSCHLAND", 9)
    w.add(f"Seriennummer: {p['eat_number']}" if c.chance(0.6) else p["eat_number"], 10, gap=4)
    if c.want("name_dob") and c.chance(0.8):
        w.add(c.surname_label(c.pick(["Name / Surname", "Familienname"]), upper=True), gap=4)
    else:
        w.add(f"NAME: {c.name('surname').upper()}", gap=4)
    w.add(f"VORNAMEN: {p['given_names'].upper()}")
    w.add(f"ART DES TITELS: {title_type}")
    w.add(f"GÜLTIG BIS: {'unbefristet' if unlimited else german_date(expiry)}")
    w.add(f"ANMERKUNGEN: {c.pick(_REMARKS)}")
    w.add(c.pick(["Rückseite", "— Rückseite —", ""]), 9, gap=8)
    if c.want("name_dob") or c.chance(0.4):
        w.add(f"{c.pick(['Geburtsdatum', 'GEBURTSDATUM / DATE OF BIRTH'])}: {c.dob()}")
    w.add(f"GEBURTSORT: {p['birth_place'].upper()}")
    w.add(f"STAATSANGEHÖRIGKEIT: {p['nationality']}    GESCHLECHT: {p['sex']}")
    if c.chance(0.7):
        w.add(f"ANSCHRIFT: {p['street'].upper()}, {p['city'].upper()}")
    w.add(f"ZUGANGSNUMMER: {c.rng.randrange(100000, 999999)}", 10)
    mrz_expiry = expiry if not unlimited else c.day(after=3600) + timedelta(days=365)
    mrz = td1_lines(doc_code="AR", issuer="D", surname=_mrz_name(p["surname"]),
                    given_names=_mrz_name(p["given_names"]), number=p["eat_number"],
                    nationality=p["nationality"],
                    birth_date=_yymmdd(date.fromisoformat(p["birth_iso"])), sex=p["sex"],
                    expiry_date=_yymmdd(mrz_expiry))
    facts = _emit_mrz(c, mrz, "TD1")
    return c.finish(f"Aufenthaltstitel {p['surname']}", document_number=p["eat_number"],
                    title_type=title_type, **facts)


@kind("visa", mrz=1.0, passport=0.6, name=1.0, name_dob=0.3, aktenzeichen=0.1)
def visa(c: Ctx) -> SampleDocument:
    """Visa sticker in a passport (national D visa or Schengen C visa), MRV-A or MRV-B."""
    p, w = c.p, c.w
    national = c.chance(0.7)
    start = c.day(before=500)
    days = c.pick([90, 180, 365]) if national else c.pick([15, 30, 90])
    end = start + timedelta(days=days - 1)
    post = c.pick(["ISTANBUL", "ANKARA", "NEU-DELHI", "MUMBAI", "BEIRUT", "ERBIL", "HANOI", "LAGOS",
                   "ACCRA", "BOGOTA", "PRISTINA", "BELGRAD", "ISLAMABAD", "TEHERAN", "KIEW"])
    _copy_note(c)
    w.add(c.pick(["VISUM", "VISA", "VISUM / VISA", "Visum (Kopie der Visumseite)"]),
          c.pick([13, 14]), bold=True, gap=4)
    rows = [f"GÜLTIG FÜR / VALID FOR: {'DEUTSCHLAND' if national else 'SCHENGENER STAATEN'}",
            f"VOM / FROM: {german_date(start)}   BIS / UNTIL: {german_date(end)}",
            f"TYP / TYPE: {'D' if national else 'C'}",
            f"ANZAHL DER EINREISEN / NUMBER OF ENTRIES: {c.pick(['MULT', '01', '02'])}",
            f"DAUER DES AUFENTHALTS / DURATION OF STAY: {days} TAGE",
            f"AUSGESTELLT IN / ISSUED IN: {post}   AM / ON: {german_date(start - timedelta(days=c.rng.randint(5, 60)))}"]
    for i, r in enumerate(rows if c.chance(0.6) else c.shuffled(rows)):
        w.add(r, 10, gap=4 if i == 0 else 1.0)
    if c.want("passport"):
        w.add(f"{c.pick(['Pass-Nr. / Passport No.', 'Passport No.'])}: {c.passport()}", 10)
    else:
        w.add(f"NUMMER DES REISEPASSES / NUMBER OF PASSPORT: {p['passport']}", 10)
    if c.want("name_dob"):
        w.add(c.surname_label("Name / Surname", upper=True), 10)
        w.add(f"Vorname / Given name: {p['given_names'].upper()}", 10)
        w.add(f"Geburtsdatum / Date of birth: {c.dob()}", 10)
    else:
        w.add(f"NAME, VORNAME / SURNAME, NAME: {c.name('rev')}", 10)
    remark = c.pick(["BESCHÄFTIGUNG NUR ALS PFLEGEFACHKRAFT GESTATTET", "FAMILIENNACHZUG § 30 AUFENTHG",
                     "ERWERBSTÄTIGKEIT GESTATTET", "STUDIUM § 16B AUFENTHG", "BLAUE KARTE EU",
                     "SPRACHKURS", "BESUCH / TOURISMUS", "§ 18A AUFENTHG FACHKRAFT"])
    w.add(f"ANMERKUNGEN / REMARKS: {remark}", 10)
    code = p["nationality"]
    mrz = mrv_lines(doc_code="VD" if national else "VC", issuer="D",
                    surname=_mrz_name(p["surname"]), given_names=_mrz_name(p["given_names"]),
                    number=p["passport"], nationality=code,
                    birth_date=_yymmdd(date.fromisoformat(p["birth_iso"])), sex=p["sex"],
                    expiry_date=_yymmdd(end), variant=c.pick("AB"))
    facts = _emit_mrz(c, mrz, "MRV", size=11)
    return c.finish(f"Visum {p['surname']}", document_number=p["passport"], **facts)
