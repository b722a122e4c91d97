"""Money and insurance: tax assessment, bank statement / blocked account, pension record,
health insurance certificate. Letters of institutions to the client, who hands them in;
they rarely carry the office's file number, often only the name and address."""

from __future__ import annotations

from datetime import timedelta

from .common import Ctx, Org, eur, kind
from .documents import SampleDocument, german_date
from .people import STREETS

_INSURERS = ["AOK Rheinland/Hamburg", "AOK NordWest", "Techniker Krankenkasse", "BARMER",
             "DAK-Gesundheit", "IKK classic", "KKH Kaufmännische Krankenkasse", "BKK firmus",
             "hkk Krankenkasse", "Mobil Krankenkasse"]
_PRIVATE = ["Rheinische Private Krankenversicherung AG", "Nordstern Krankenversicherung a. G.",
            "Expat Care Krankenversicherung AG", "Westfälische Krankenversicherung a. G."]


_POSTCODE = {"Düsseldorf": "40", "Münster": "48", "Berlin": "10", "Bochum": "44"}


def _org(c: Ctx, name: str, city: str | None = None) -> Org:
    city = city or c.office_city
    prefix = _POSTCODE.get(city, c.abh_postcode[:2])
    return Org(name, [f"{c.pick(STREETS)} {c.rng.randrange(1, 90)}", f"{prefix}"
                      f"{c.rng.randrange(100, 999)} {city}"], city,
               f"Telefon 0{c.rng.randrange(200, 999)} {c.rng.randrange(1000, 9999)}-{c.rng.randrange(0, 99)}")


@kind("tax_assessment", name=1.0, aktenzeichen=0.08)
def tax_assessment(c: Ctx) -> SampleDocument:
    """Income tax assessment of the Finanzamt, 2-3 pages with calculation and legal remedy."""
    p, w = c.p, c.w
    year = c.today.year - c.pick([1, 1, 2])
    org = _org(c, f"Finanzamt {c.finanzamt}", c.office_city)
    w.header = c.pick(["Seite {n}", "- {n} -", "Seite {n} von {total}"])
    steuernr = f"{c.rng.randrange(100, 399)}/{c.rng.randrange(1000, 9999)}/{c.rng.randrange(1000, 9999)}"
    w.running = f"Steuernummer {steuernr}"
    c.letterhead(org, style=c.pick([0, 1]))
    c.client_address()
    w.add(f"Steuernummer: {steuernr}", 10, gap=6)
    w.add(f"Identifikationsnummer: {c.rng.randrange(10, 99)} {c.rng.randrange(100, 999)} "
          f"{c.rng.randrange(100, 999)} {c.rng.randrange(100, 999)}", 10)
    if c.want("aktenzeichen"):  # noted by the client before handing it in
        w.add(f"(für Ausländerbehörde, Az. {c.az()})", 9)
    c.date_line(org.city, indent=110, gap=2)
    changed = c.chance(0.2)
    heading = c.pick([f"Bescheid für {year} über Einkommensteuer und Solidaritätszuschlag",
                      f"Bescheid für {year} über Einkommensteuer, Kirchensteuer und "
                      "Solidaritätszuschlag", f"Einkommensteuerbescheid {year}"])
    w.add(("Geänderter " + heading[0].lower() + heading[1:]) if changed else heading, 13, bold=True,
          gap=8)
    w.add(c.pick(["Festsetzung", "Festgesetzt werden:"]), 11, bold=True, gap=6)
    gross = int(p["salary"]) * 12
    income = round(gross - 1230 - gross * 0.21, 0)
    tax = round(income * c.rng.uniform(0.12, 0.2), 0)
    paid = round(tax * c.rng.uniform(0.95, 1.15), 2)
    rows = [("Einkommensteuer festgesetzt", tax), ("Solidaritätszuschlag", 0.0),
            ("abzüglich Steuerabzug vom Lohn", -paid), ("verbleibende Beträge", tax - paid)]
    for label, v in rows:
        w.add(f"{label:<36}{eur(v, ''):>14} €", 10, mono=True)
    if paid > tax:
        w.para(f"Die Erstattung in Höhe von {eur(paid - tax)} wird auf das Konto "
               f"DE{c.rng.randrange(10, 99)}...{c.rng.randrange(1000, 9999)} überwiesen.", gap=4)
    else:
        w.para(f"Bitte zahlen Sie {eur(tax - paid)} bis zum "
               f"{german_date(c.today + timedelta(days=30))}.", gap=4)
    w.add("Berechnungsgrundlagen", 12, bold=True, gap=8)
    items = [("Bruttoarbeitslohn", gross), ("Werbungskosten", -max(1230, round(gross * 0.03))),
             ("Einkünfte aus nichtselbständiger Arbeit", gross - max(1230, round(gross * 0.03))),
             ("Vorsorgeaufwendungen", -round(gross * 0.2)), ("Sonderausgaben", -36),
             ("zu versteuerndes Einkommen", income)]
    for label, v in items:
        w.add(f"{label:<40}{eur(v, ''):>14} €", 10, mono=True)
    w.add("Erläuterungen", 12, bold=True, gap=8)
    notes = ["Bei der Festsetzung wurden die elektronisch übermittelten Daten Ihres Arbeitgebers "
             "berücksichtigt.", "Die Aufwendungen für Fahrten zwischen Wohnung und erster "
             "Tätigkeitsstätte wurden mit der Entfernungspauschale angesetzt.", "Der Bescheid ist "
             "nach § 165 Abs. 1 Satz 2 AO teilweise vorläufig.", "Die Festsetzung des "
             "Solidaritätszuschlags unterbleibt, da die Freigrenze nicht überschritten ist.",
             "Aufwendungen für haushaltsnahe Dienstleistungen konnten mangels Nachweis nicht "
             "berücksichtigt werden."]
    for n in c.some(notes, 2, 4):
        w.para(n, 10, gap=2)
    w.add("Rechtsbehelfsbelehrung", 12, bold=True, gap=8)
    w.para(f"Der Bescheid kann mit dem Einspruch angefochten werden. Der Einspruch ist beim "
           f"Finanzamt {c.finanzamt} schriftlich einzureichen, diesem elektronisch zu übermitteln "
           "oder dort zur Niederschrift zu erklären. Die Frist für die Einlegung des Einspruchs "
           "beträgt einen Monat. Sie beginnt mit Ablauf des Tages, an dem Ihnen der Bescheid "
           "bekannt gegeben worden ist.", 10, gap=2)
    w.para("Dieser Bescheid wurde maschinell erstellt und ist ohne Unterschrift gültig.", 9, gap=6)
    return c.finish(f"Einkommensteuerbescheid {year} {p['surname']}", year=str(year))


def _iban(c: Ctx) -> str:
    return (f"DE{c.rng.randrange(10, 99)} {c.rng.randrange(1000, 9999)} {c.rng.randrange(1000, 9999)} "
            f"{c.rng.randrange(1000, 9999)} {c.rng.randrange(1000, 9999)} {c.rng.randrange(10, 99)}")


@kind("bank_statement", name=0.95, name_dob=0.15, passport=0.1, aktenzeichen=0.05)
def bank_statement(c: Ctx) -> SampleDocument:
    """Account statement, or a confirmation of a blocked account (students, § 16b)."""
    p, w = c.p, c.w
    bank = c.pick([f"Stadtsparkasse {c.office_city}", f"Sparkasse {c.office_city}",
                   "Volksbank im Bergischen Land eG", "Rheinische Direktbank AG", "Postbank-Filiale "
                   f"{c.office_city}", "Westdeutsche Genossenschaftsbank eG", "Sperrkonto-Service "
                   "Expat Finance GmbH"])
    org = _org(c, bank)
    blocked = "Sperrkonto" in bank or c.chance(0.2)
    c.letterhead(org, style=c.pick([0, 2]))
    if blocked:
        c.client_address(gap=6)
        c.date_line(org.city, indent=110)
        w.add(c.pick(["Bestätigung über ein Sperrkonto", "Sperrkontobestätigung",
                      "Kontostandsbestätigung (Sperrkonto)"]), 13, bold=True, gap=8)
        c.person_fields(extra=False, gap=4)
        monthly = c.pick([934, 992, 1091])
        w.para(c.pick(["Wir bestätigen, dass für die oben genannte Person ein Sperrkonto eröffnet "
                       "wurde.", "Hiermit bestätigen wir die Einrichtung eines Sperrkontos zum "
                       "Nachweis der Finanzierung des Lebensunterhalts."]), gap=6)
        w.para(f"Auf dem Konto ist ein Betrag von {eur(monthly * 12)} eingegangen. Monatlich kann "
               f"höchstens ein Betrag von {eur(monthly)} verfügt werden.", gap=2)
        w.add(f"IBAN: {_iban(c)}", gap=4)
        w.add(f"BIC: {c.pick(['WUPSDE33XXX', 'GENODED1VBW', 'COBADEFFXXX', 'DEUTDEDBWUP'])}")
        c.closing([bank])
        return c.finish(f"Sperrkonto {p['surname']}", bank=bank)
    no = c.rng.randrange(1, 12)
    when = c.day(before=120)
    w.add(c.pick(["Kontoauszug", "KONTOAUSZUG", "Kontoauszug / Finanzstatus"]) +
          f" Nr. {no}/{when.year}", 13, bold=True, gap=6)
    if c.named:
        w.add(f"Kontoinhaber: {c.name(c.pick(['full', 'rev']))}", 10, gap=2)
    w.add(f"IBAN: {_iban(c)}   BIC: {c.pick(['WUPSDE33XXX', 'GENODED1VBW', 'PBNKDEFFXXX'])}", 10)
    if c.want("name_dob"):
        c.person_fields(extra=False, gap=2, size=10)
    balance = round(c.rng.uniform(-300, 6000), 2)
    w.add(f"Alter Kontostand vom {german_date(when - timedelta(days=30))}: {eur(balance)}", 10, gap=6)
    w.add(f"{'Buchung':<7}{'Wert':<7}{'Vorgang':<40}{'Betrag':>14}", 9, mono=True, gap=4)
    d = when - timedelta(days=30)
    employer = p["employer"][:30]
    moves = [(f"Gutschrift Lohn/Gehalt {employer}", int(p["salary"]) * 0.66),
             ("Lastschrift Miete " + c.german(), -c.rng.randrange(420, 1100)),
             ("Kartenzahlung REWE Markt", -round(c.rng.uniform(12, 130), 2)),
             ("Lastschrift Stadtwerke Strom/Gas", -c.rng.randrange(45, 160)),
             ("Dauerauftrag Sparplan", -c.rng.choice([25, 50, 100])),
             ("Bargeldauszahlung Geldautomat", -c.pick([50, 100, 200])),
             ("Lastschrift Mobilfunk", -round(c.rng.uniform(9, 45), 2)),
             ("Gutschrift Kindergeld Familienkasse", 255.0),
             ("Überweisung Rundfunkbeitrag", -55.08), ("Lastschrift Versicherung", -31.9)]
    for text, amount in c.some(moves, 5, 9):
        d += timedelta(days=c.rng.randrange(1, 5))
        w.add(f"{d:%d.%m.} {d:%d.%m.} {text[:38]:<40}{eur(amount, ''):>14}", 9, mono=True)
        balance += amount
    w.add(f"Neuer Kontostand vom {german_date(d)}: {eur(balance)}", 10, bold=True, gap=4)
    if c.chance(0.5):
        w.para("Bitte erheben Sie Einwendungen gegen einzelne Buchungen unverzüglich. Guthaben "
               "sind als Einlagen nach Maßgabe des Einlagensicherungsgesetzes entschädigungsfähig.",
               8, gap=8)
    return c.finish(f"Kontoauszug {p['surname']} {no}", bank=bank)


@kind("pension_record", name=1.0, name_dob=0.7, aktenzeichen=0.08)
def pension_record(c: Ctx) -> SampleDocument:
    """Insurance history or pension information of the Deutsche Rentenversicherung."""
    p, w = c.p, c.w
    carrier = c.pick(["Deutsche Rentenversicherung Rheinland", "Deutsche Rentenversicherung "
                      "Westfalen", "Deutsche Rentenversicherung Bund", "Deutsche Rentenversicherung "
                      "Knappschaft-Bahn-See"])
    org = _org(c, carrier, c.pick(["Düsseldorf", "Münster", "Berlin", "Bochum"]))
    vnr = (f"{c.rng.randrange(10, 65)} {p['birth_date'][:2]}{p['birth_date'][3:5]}"
           f"{p['birth_date'][8:]} {p['surname'][0].upper()} {c.rng.randrange(100, 999)}")
    w.header = c.pick(["Seite {n} von {total}", "- {n} -"])
    w.running = f"Versicherungsnummer {vnr}"
    c.letterhead(org, style=c.pick([0, 1]))
    c.client_address()
    c.date_line(org.city, indent=110)
    info = c.chance(0.35)
    w.add(c.pick(["Renteninformation", "Ihre Renteninformation"] if info else
                 ["Versicherungsverlauf", "Versicherungsverlauf – Auszug", "Ihr Versicherungskonto: "
                  "Versicherungsverlauf"]), 14, bold=True, gap=8)
    w.add(f"Versicherungsnummer: {vnr}", gap=4)
    if c.want("name_dob"):
        w.add(c.surname_label(c.pick(["Familienname", "Name / Surname"])))
        w.add(f"Vorname: {p['given_names']}")
        w.add(f"Geburtsdatum: {c.dob()}")
    if c.want("aktenzeichen"):
        w.add(f"Zur Vorlage bei der Ausländerbehörde, Az.: {c.az()}", 10)
    start = c.today - timedelta(days=c.rng.randrange(400, 4000))
    months = (c.today - start).days // 30
    if info:
        pension = round(months * c.rng.uniform(9, 22), 2)
        w.para(f"Ihre bisher erreichte Rentenanwartschaft entspräche einer monatlichen Rente von "
               f"{eur(pension)}.", gap=6)
        w.para(f"Bisher haben Sie {months} Monate mit Pflichtbeiträgen belegt. Die Beiträge wurden "
               "von Ihrem Arbeitgeber gezahlt.", gap=3)
        w.para("Die Renteninformation beruht auf den derzeit gespeicherten Daten. Änderungen "
               "können sich auf die Höhe der späteren Rente auswirken.", gap=3)
    else:
        w.para("Der Versicherungsverlauf enthält die bei uns gespeicherten Zeiten. Bitte prüfen Sie "
               "die Angaben auf Vollständigkeit.", gap=6)
        w.add(f"{'von':<11}{'bis':<11}{'Art der Zeit':<34}{'Entgelt':>12}", 9, mono=True, gap=4)
        d = start
        while d < c.today - timedelta(days=40):
            end = min(d + timedelta(days=c.pick([90, 181, 365])), c.today - timedelta(days=31))
            kind_ = c.pick(["Pflichtbeitragszeit", "Pflichtbeitragszeit", "Pflichtbeitragszeit",
                            "Arbeitslosigkeit (ALG I)", "Kindererziehung", "Minijob (Pflicht)"])
            pay = int(p["salary"]) * max(1, (end - d).days // 30) if kind_.startswith("Pf") else 0
            w.add(f"{german_date(d):<11}{german_date(end):<11}{kind_:<34}{eur(pay, ''):>12}", 9,
                  mono=True)
            d = end + timedelta(days=1)
        w.add(f"Beitragsmonate insgesamt: {months}", bold=True, gap=4)
    w.para(c.pick(["Dieses Schreiben wurde maschinell erstellt und ist ohne Unterschrift gültig.",
                   "Bei Fragen wenden Sie sich an unser kostenloses Servicetelefon."]), 9, gap=8)
    return c.finish(f"Versicherungsverlauf {p['surname']}", months=str(months))


@kind("health_insurance", name=1.0, name_dob=0.6, aktenzeichen=0.25, passport=0.05)
def health_insurance(c: Ctx) -> SampleDocument:
    """Membership certificate of a statutory fund or confirmation of a private insurer."""
    p, w = c.p, c.w
    private = c.chance(0.25)
    insurer = c.pick(_PRIVATE if private else _INSURERS)
    org = _org(c, insurer)
    since = c.today - timedelta(days=c.rng.randrange(30, 3000))
    c.letterhead(org)
    if c.chance(0.6):
        c.client_address()
    c.date_line(org.city, indent=110)
    w.add(c.pick(["Versicherungsbestätigung", "Bescheinigung über den Krankenversicherungsschutz",
                  "Krankenversicherungsnachweis"] if private else
                 ["Mitgliedsbescheinigung", "Mitgliedsbescheinigung zur Vorlage bei der "
                  "Ausländerbehörde", "Versicherungsbescheinigung", "Bescheinigung über die "
                  "Mitgliedschaft"]), 13, bold=True, gap=8)
    c.refs(gap=2, labels=("Ihr Zeichen", "Aktenzeichen", "Az. Ausländerbehörde"))
    c.person_fields(extra=False, gap=4)
    w.add(f"{'Versicherungsscheinnummer' if private else 'Versichertennummer'}: "
          f"{c.pick('ABCDEFGHKLMNRSTWZ')}{c.rng.randrange(100000000, 999999999)}", gap=0)
    who = c.name("formal") if c.named else "die oben genannte Person"
    if private:
        w.para(f"Wir bestätigen, dass {who} seit dem {german_date(since)} im Tarif "
               f"{c.pick(['KV-Komfort', 'Expat Plus', 'Basis 2000', 'PROTECT'])} krankenversichert "
               "ist.", gap=6)
        w.para(c.pick(["Der Versicherungsschutz umfasst ambulante, stationäre und zahnärztliche "
                       "Behandlung ohne Leistungsausschluss.", f"Die jährliche Selbstbeteiligung "
                       f"beträgt {eur(c.pick([0, 300, 500]))}. Eine Pflegepflichtversicherung "
                       "besteht."]), gap=2)
    else:
        status = c.pick(["als versicherungspflichtiges Mitglied", "als freiwilliges Mitglied",
                         "im Rahmen der Familienversicherung", "als Pflichtmitglied (Beschäftigte)"])
        w.para(c.pick([f"hiermit bestätigen wir, dass {who} seit dem {german_date(since)} {status} "
                       f"bei der {insurer} versichert ist.", f"{who} ist seit {german_date(since)} "
                       f"{status} bei uns kranken- und pflegeversichert."]), gap=6)
        w.para(c.pick(["Die Mitgliedschaft besteht ununterbrochen fort.", "Der Versicherungsschutz "
                       "umfasst auch die soziale Pflegeversicherung.", "Es bestehen keine "
                       "Beitragsrückstände."]), gap=2)
    if c.chance(0.4):
        w.para("Diese Bescheinigung gilt nur in Verbindung mit einem amtlichen Lichtbildausweis.",
               9, gap=4)
    c.closing([c.pick([f"Ihre {insurer}", insurer, c.german()])])
    return c.finish(f"Krankenversicherung {p['surname']}", insurer=insurer, private=str(private))

