"""Work: employer certificate, employer declaration (BA form), employment contract, payslip,
approval of the Federal Employment Agency. They talk about the same job, salary and hours,
so they are close neighbours; what differs is who writes, to whom and in what form."""

from __future__ import annotations

from datetime import date, timedelta

from .common import Ctx, Org, eur, kind
from .documents import SampleDocument, german_date, long_date
from .people import STREETS

_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"]


def employer_org(c: Ctx) -> Org:
    domain = "".join(ch for ch in c.p["employer"].split()[0].lower() if ch.isalpha())[:12] or "firma"
    return Org(c.p["employer"], [f"{c.pick(STREETS)} {c.rng.randrange(1, 120)}",
                                 f"{c.p['city'].split()[0][:3]}{c.rng.randrange(10, 99)} {c.office_city}"],
               c.office_city, c.pick([f"Tel. 0{c.rng.randrange(200, 999)} {c.rng.randrange(10000, 99999)}-0",
                                      f"www.{domain}.de", f"personal@{domain}.de"]))


def start_date(c: Ctx) -> date:
    return c.today - timedelta(days=c.rng.randrange(60, 3000))


def hours(c: Ctx) -> int:
    return c.pick([40, 40, 39, 38.5, 35, 30, 20]) if c.chance(0.9) else 25


@kind("employer_certificate", aktenzeichen=0.6, name=0.95, name_dob=0.45, azr=0.05,
      passport=0.05)
def employer_certificate(c: Ctx) -> SampleDocument:
    """Letter in which the employer confirms an existing employment."""
    p, w = c.p, c.w
    org = employer_org(c)
    begin, h, salary = start_date(c), hours(c), int(p["salary"])
    c.letterhead(org)
    to_office = c.chance(0.6)
    if to_office:
        c.abh_address()
    c.date_line(org.city, indent=110)
    heading = c.pick(["Arbeitgeberbescheinigung", "Bescheinigung des Arbeitgebers",
                      "Beschäftigungsnachweis", "Arbeitsbescheinigung", "Bestätigung des "
                      "Arbeitsverhältnisses", "Bescheinigung zur Vorlage bei der Ausländerbehörde"])
    if c.named and c.chance(0.5):
        heading += f" für {c.name('formal')}"
    w.add(heading, 12, bold=True, gap=8)
    c.refs(gap=2)
    if c.want("name_dob") and c.chance(0.6):
        c.person_fields(extra=False, gap=4)
    w.add(c.pick(["Sehr geehrte Damen und Herren,", "Zur Vorlage bei Behörden:",
                  "Sehr geehrte Damen und Herren,"]), gap=6)
    who = c.name("formal") if c.named else "unser Mitarbeiter / unsere Mitarbeiterin"
    if c.want("name_dob") and c.chance(0.6):
        who += f", geboren am {c.dob()},"
    first = c.pick(["hiermit bestätigen wir, dass {who} seit dem {d} in unserem Unternehmen als "
                    "{job} beschäftigt ist.", "wir bescheinigen, dass {who} seit dem {d} bei uns als "
                    "{job} tätig ist.", "{who} ist seit dem {d} als {job} bei uns angestellt."])
    sentences = [
        c.pick(["Das Arbeitsverhältnis ist unbefristet und ungekündigt.", f"Das Arbeitsverhältnis "
                f"ist bis zum {german_date(c.day(after=700) + timedelta(days=200))} befristet; eine "
                "Verlängerung ist beabsichtigt.", "Die Probezeit wurde erfolgreich beendet. Das "
                "Arbeitsverhältnis besteht ungekündigt fort."]),
        f"Die regelmäßige wöchentliche Arbeitszeit beträgt {h} Stunden.".replace(".5 ", ",5 "),
        c.pick([f"Das monatliche Bruttogehalt beträgt {eur(salary, 'Euro')}.",
                f"Die Vergütung beläuft sich auf {eur(salary)} brutto monatlich.",
                f"Der Bruttoarbeitslohn beträgt derzeit {eur(salary * 12, 'Euro')} jährlich."]),
        c.pick(["Eine Kündigung ist nicht beabsichtigt.", "Wir sind mit den Leistungen sehr "
                "zufrieden und planen eine langfristige Zusammenarbeit.", "Der Arbeitsplatz ist "
                "sozialversicherungspflichtig."]),
    ]
    w.para(first.format(who=who, d=german_date(begin), job=p["job"]), gap=3)
    for s in c.some(sentences, 2):
        w.para(s, gap=2)
    w.para(c.pick(["Für Rückfragen steht Ihnen unsere Personalabteilung gerne zur Verfügung.",
                   "Diese Bescheinigung wird auf Wunsch des Mitarbeiters zur Vorlage bei der "
                   "Ausländerbehörde ausgestellt.", "Bei Fragen erreichen Sie uns unter der oben "
                   "genannten Telefonnummer."]), gap=4)
    c.closing([org.name, c.pick(["Personalabteilung", f"{c.german()}, Personalleitung",
                                 f"{c.german()}, Geschäftsführer"])])
    return c.finish(f"Arbeitgeberbescheinigung {p['surname']}", employer=org.name,
                    salary=str(salary))


@kind("employer_declaration", aktenzeichen=0.5, name_dob=0.95, name=1.0, passport=0.2, azr=0.1)
def employer_declaration(c: Ctx) -> SampleDocument:
    """BA form 'Erklärung zum Beschäftigungsverhältnis', filled in by the employer."""
    p, w = c.p, c.w
    org = employer_org(c)
    begin = c.day(after=120)
    h, salary = hours(c), int(p["salary"])
    w.add(c.pick(["Erklärung zum Beschäftigungsverhältnis", "ERKLÄRUNG ZUM BESCHÄFTIGUNGSVERHÄLTNIS",
                  "Anlage zum Antrag: Erklärung zum Beschäftigungsverhältnis"]), c.pick([14, 15]),
          bold=True)
    w.add(c.pick(["Bundesagentur für Arbeit", "vom Arbeitgeber auszufüllen", "Bitte vollständig "
                  "ausfüllen und unterschreiben"]), 9)
    if c.want("aktenzeichen"):
        w.add(f"Aktenzeichen der Ausländerbehörde: {c.az()}", 10, gap=4)
    sec = iter("ABCDEFG") if c.chance(0.5) else iter("1234567")
    w.add(f"{next(sec)}. Angaben zum Arbeitgeber", 12, bold=True, gap=6)
    w.add(f"Name / Firma: {org.name}", gap=2)
    w.add(f"Anschrift: {', '.join(org.address)}")
    w.add(f"Betriebsnummer: {c.rng.randrange(10000000, 99999999)}")
    w.add(f"Ansprechpartner/in: {c.german()}, Telefon 0{c.rng.randrange(200, 999)} "
          f"{c.rng.randrange(100000, 999999)}")
    if c.chance(0.5):
        w.add(f"Anzahl der Beschäftigten: {c.rng.randrange(6, 2400)}")
    w.add(f"{next(sec)}. Angaben zur ausländischen Arbeitnehmerin / zum Arbeitnehmer", 12,
          bold=True, gap=6)
    c.person_fields(extra=True, gap=2)
    w.add(f"{next(sec)}. Angaben zur Beschäftigung", 12, bold=True, gap=6)
    rows = [f"Berufsbezeichnung: {p['job']}",
            f"Beginn der Beschäftigung: {german_date(begin)}",
            c.pick(["Befristung: unbefristet", f"Befristet bis: {german_date(begin + timedelta(days=730))}"]),
            f"Wöchentliche Arbeitszeit: {h} Stunden".replace(".5 ", ",5 "),
            f"Arbeitsentgelt (brutto): {eur(salary)} monatlich",
            f"Urlaubsanspruch: {c.pick([24, 26, 28, 30])} Arbeitstage",
            c.pick(["Tarifvertrag: ja, " + c.pick(["TVöD", "TV-L", "Tarifvertrag Metall- und "
                    "Elektroindustrie NRW", "Tarifvertrag DEHOGA NRW"]), "Tarifvertrag: nein, "
                    "ortsübliche Vergütung"]),
            f"Ort der Beschäftigung: {c.office_city}"]
    for r in rows if c.chance(0.5) else c.shuffled(rows):
        w.add(r)
    w.para("Beschreibung der Tätigkeit: " + c.pick([
        "Planung, Durchführung und Dokumentation der Pflege von Patientinnen und Patienten.",
        "Entwicklung und Wartung von Webanwendungen im agilen Team.",
        "Warenannahme, Kommissionierung und Versand, Bedienung von Flurförderzeugen.",
        "Konstruktion und Berechnung von Baugruppen mit CAD-Systemen.",
        "Zubereitung von Speisen nach Rezeptur, Einhaltung der Hygienevorschriften.",
        "Wartung und Instandsetzung elektrischer Anlagen bei Kunden vor Ort."]), gap=3)
    w.add(f"{next(sec)}. Erklärung", 12, bold=True, gap=6)
    w.para(c.pick(["Der Arbeitgeber versichert, dass die Angaben richtig und vollständig sind. Ihm "
                   "ist bekannt, dass er nach § 39 Abs. 4 AufenthG der Bundesagentur für Arbeit "
                   "Auskunft über Arbeitsentgelt, Arbeitszeiten und sonstige Arbeitsbedingungen zu "
                   "erteilen hat.", "Ich bestätige als Arbeitgeber die Richtigkeit der Angaben. Die "
                   "Beschäftigung erfolgt nicht zu ungünstigeren Arbeitsbedingungen als bei "
                   "vergleichbaren inländischen Beschäftigten."]), gap=2)
    w.keep(4)
    w.add(f"{org.city}, {german_date(c.today)}", gap=10)
    w.add(f"Unterschrift und Firmenstempel: {c.german()} für {org.name}", gap=6)
    return c.finish(f"Erklärung zum Beschäftigungsverhältnis {p['surname']}", employer=org.name,
                    salary=str(salary))


_CLAUSES = {
    "Beginn und Tätigkeit": ["Das Arbeitsverhältnis beginnt am {begin}. Der Arbeitnehmer wird als "
                             "{job} eingestellt.", "Die Einstellung erfolgt zum {begin} als {job}. "
                             "Der Arbeitgeber kann andere zumutbare Tätigkeiten zuweisen."],
    "Probezeit": ["Die ersten sechs Monate gelten als Probezeit. Während der Probezeit kann das "
                  "Arbeitsverhältnis mit einer Frist von zwei Wochen gekündigt werden.",
                  "Es wird eine Probezeit von {probe} Monaten vereinbart."],
    "Arbeitszeit": ["Die regelmäßige wöchentliche Arbeitszeit beträgt {hours} Stunden. Beginn und "
                    "Ende der täglichen Arbeitszeit richten sich nach den betrieblichen Regelungen.",
                    "Die Arbeitszeit beträgt {hours} Stunden pro Woche; Schichtarbeit ist möglich."],
    "Vergütung": ["Der Arbeitnehmer erhält ein monatliches Bruttogehalt von {salary}, zahlbar "
                  "jeweils zum Monatsende auf ein vom Arbeitnehmer benanntes Konto.",
                  "Die Vergütung beträgt {salary} brutto im Monat. Überstunden sind mit dem Gehalt "
                  "bis zu zehn Stunden im Monat abgegolten."],
    "Urlaub": ["Der Urlaubsanspruch beträgt {leave} Arbeitstage im Kalenderjahr.",
               "Der Arbeitnehmer hat Anspruch auf einen jährlichen Erholungsurlaub von {leave} "
               "Arbeitstagen bei einer Fünf-Tage-Woche."],
    "Arbeitsverhinderung": ["Der Arbeitnehmer ist verpflichtet, jede Arbeitsverhinderung und ihre "
                            "voraussichtliche Dauer unverzüglich anzuzeigen. Bei Arbeitsunfähigkeit "
                            "ist spätestens am dritten Tag eine ärztliche Bescheinigung vorzulegen."],
    "Kündigung": ["Nach der Probezeit gelten die gesetzlichen Kündigungsfristen. Die Kündigung "
                  "bedarf der Schriftform.", "Das Arbeitsverhältnis kann von beiden Seiten mit den "
                  "gesetzlichen Fristen gekündigt werden; es endet spätestens mit Erreichen der "
                  "Regelaltersgrenze."],
    "Verschwiegenheit": ["Der Arbeitnehmer verpflichtet sich, über Betriebs- und "
                         "Geschäftsgeheimnisse auch nach dem Ausscheiden Stillschweigen zu bewahren."],
    "Nebentätigkeit": ["Jede Nebentätigkeit bedarf der vorherigen Zustimmung des Arbeitgebers."],
    "Ausschlussfristen": ["Ansprüche aus dem Arbeitsverhältnis verfallen, wenn sie nicht innerhalb "
                          "von drei Monaten nach Fälligkeit schriftlich geltend gemacht werden."],
    "Aufenthaltsrechtliche Voraussetzungen": ["Der Vertrag steht unter der aufschiebenden "
                                              "Bedingung, dass der erforderliche Aufenthaltstitel "
                                              "erteilt wird."],
    "Schlussbestimmungen": ["Änderungen und Ergänzungen dieses Vertrages bedürfen der Schriftform. "
                            "Sollte eine Bestimmung unwirksam sein, bleibt der Vertrag im Übrigen "
                            "wirksam."],
}


@kind("employment_contract", name=1.0, name_dob=0.4, aktenzeichen=0.05, passport=0.05)
def employment_contract(c: Ctx) -> SampleDocument:
    """Employment contract, 2-3 pages of numbered clauses."""
    p, w = c.p, c.w
    org = employer_org(c)
    begin = c.day(before=900, after=90)
    w.header = c.pick(["- {n} -", "Seite {n} von {total}", None])
    if c.chance(0.5):
        w.add(org.name, 10, bold=True)
        w.add(", ".join(org.address), 8)
    w.add(c.pick(["Arbeitsvertrag", "Anstellungsvertrag", "Arbeitsvertrag für Angestellte",
                  "Befristeter Arbeitsvertrag", "Dienstvertrag", "ARBEITSVERTRAG"]),
          c.pick([15, 16, 18]), bold=True, gap=6)
    w.add("zwischen", gap=6)
    w.add(f"{org.name}, {', '.join(org.address)}", gap=2)
    w.add(f"vertreten durch {c.german()} – nachfolgend „Arbeitgeber“ –", 10)
    w.add("und", gap=4)
    who = c.name("dative") if c.named else "dem Arbeitnehmer"
    if c.want("name_dob") and c.chance(0.5):
        who += f", geboren am {c.dob()}"
    w.add(f"{who}, wohnhaft {p['street']}, {p['city']}", gap=2)
    w.add("– nachfolgend „Arbeitnehmer“ –", 10)
    if c.want("name_dob") and c.chance(0.6):
        w.add("Personalien", 11, bold=True, gap=4)
        c.person_fields(extra=False, gap=1, size=10)
    w.add("wird folgender Vertrag geschlossen:", gap=4)
    values = {"begin": german_date(begin), "job": p["job"], "probe": c.pick([3, 6]),
              "hours": hours(c), "salary": eur(int(p["salary"]), "EUR"), "leave": c.pick([25, 28, 30])}
    must = ["Beginn und Tätigkeit", "Arbeitszeit", "Vergütung", "Urlaub", "Kündigung"]
    optional = [k for k in _CLAUSES if k not in must]
    titles = must[:1] + c.shuffled(must[1:]) + c.some(optional, 3)
    for i, title in enumerate(titles, 1):
        w.keep(3)
        w.add(f"§ {i} {title}", bold=True, gap=5)
        w.para(c.pick(_CLAUSES[title]).format(**values).replace(".5 Stunden", ",5 Stunden"), gap=1)
    w.keep(6)
    w.add(f"{org.city}, den {german_date(begin - timedelta(days=c.rng.randrange(10, 60)))}", gap=10)
    w.add("_______________________          _______________________", gap=14)
    w.add("Arbeitgeber                                 Arbeitnehmer", 9)
    if c.chance(0.3):
        w.new_page()
        w.add("Anlage 1 zum Arbeitsvertrag – Stellenbeschreibung", 13, bold=True)
        w.add(f"Stelle: {p['job']}", gap=6)
        w.add(f"Abteilung: {c.pick(['Produktion', 'Pflege Station 3', 'IT', 'Logistik', 'Technik'])}")
        w.add("Aufgaben:", bold=True, gap=6)
        for task in c.some(["Selbständige Bearbeitung der übertragenen Aufgaben nach Weisung",
                            "Dokumentation der Arbeitsergebnisse im betrieblichen System",
                            "Zusammenarbeit mit anderen Abteilungen und externen Partnern",
                            "Einhaltung der Arbeitsschutz- und Hygienevorschriften",
                            "Einarbeitung neuer Kolleginnen und Kollegen",
                            "Teilnahme an Schulungen und Fortbildungen"], 3):
            w.para(f"– {task}", gap=2, indent=4)
        w.add("Erforderliche Qualifikation:", bold=True, gap=6)
        w.para(c.pick(["abgeschlossene Berufsausbildung oder vergleichbare Qualifikation",
                       "abgeschlossenes Hochschulstudium in einem einschlägigen Fach",
                       "anerkannte Berufsqualifikation und Deutschkenntnisse B1"]), gap=2)
    return c.finish(f"Arbeitsvertrag {p['surname']}", employer=org.name, salary=p["salary"])


@kind("payslip", name=1.0, name_dob=0.2, aktenzeichen=0.03)
def payslip(c: Ctx) -> SampleDocument:
    """Monthly pay statement: header fields and a monospaced table of earnings and deductions."""
    p, w = c.p, c.w
    org = employer_org(c)
    month = c.day(before=200)
    gross = int(p["salary"]) + c.pick([0, 0, 0, 85, 140, 212])
    tax = round(gross * c.rng.uniform(0.08, 0.19), 2)
    kv, rv, av, pv = (round(gross * r, 2) for r in (0.0855, 0.093, 0.013, 0.018))
    net = round(gross - tax - kv - rv - av - pv, 2)
    width = c.pick([34, 38])

    def row(label: str, amount: float) -> None:
        w.add(f"{label:<{width}}{eur(amount, ''):>12} EUR", 10, mono=True)

    w.add(org.name, c.pick([12, 14]), bold=True)
    w.add(", ".join(org.address), 8)
    heading = c.pick(["Verdienstabrechnung", "Abrechnung der Brutto/Netto-Bezüge",
                      "Gehaltsabrechnung", "Lohnabrechnung", "Entgeltabrechnung"])
    w.add(f"{heading} {_MONTHS[month.month - 1]} {month.year}", 13, bold=True, gap=6)
    if c.chance(0.5):
        c.client_address(gap=4)
    fields = [f"Personalnummer: {c.rng.randrange(1000, 99999)}",
              f"Steuerklasse: {c.pick(['1', '1', '3', '4', '5'])}",
              f"Steuer-ID: {c.rng.randrange(10**10, 10**11)}",
              f"SV-Nummer: {c.rng.randrange(10, 65)} {p['birth_date'][:2]}{p['birth_date'][3:5]}"
              f"{p['birth_date'][8:]} {p['surname'][0].upper()} {c.rng.randrange(100, 999)}",
              f"Krankenkasse: {c.pick(['AOK Rheinland/Hamburg', 'Techniker Krankenkasse', 'BARMER', 'DAK-Gesundheit', 'IKK classic', 'BKK firmus'])}",
              f"Eintritt: {german_date(start_date(c))}"]
    if c.named and not c.want("name_dob"):
        fields.insert(0, f"Name: {c.name()}")
    w.add("", gap=2)
    if c.want("name_dob"):
        if c.chance(0.5):
            w.add(c.surname_label(), 10)
            w.add(f"Vorname: {p['given_names']}", 10)
        else:
            w.add(f"Mitarbeiter: {c.name('rev')}", 10)
        w.add(f"Geburtsdatum: {c.dob()}", 10)
    for f in c.some(fields, 4):
        w.add(f, 10)
    w.add(c.pick(["Bezüge", "Brutto-Bezüge", "Verdienst"]), 11, bold=True, gap=5)
    row("Gehalt" if c.chance(0.6) else "Grundlohn", int(p["salary"]))
    if gross != int(p["salary"]):
        row(c.pick(["Zuschlag Nachtarbeit", "Sonntagszuschlag", "Fahrtkostenzuschuss"]),
            gross - int(p["salary"]))
    row("Gesamtbrutto", gross)
    w.add(c.pick(["Abzüge", "Gesetzliche Abzüge"]), 11, bold=True, gap=4)
    row("Lohnsteuer", tax)
    row("Solidaritätszuschlag", 0.0)
    for label, v in (("Krankenversicherung", kv), ("Rentenversicherung", rv),
                     ("Arbeitslosenversicherung", av), ("Pflegeversicherung", pv)):
        row(label, v)
    row("Nettoverdienst", net)
    row("Auszahlungsbetrag", net)
    w.add(f"Überweisung auf IBAN DE{c.rng.randrange(10, 99)} {c.rng.randrange(1000, 9999)} "
          f"{c.rng.randrange(1000, 9999)} {c.rng.randrange(1000, 9999)} {c.rng.randrange(1000, 9999)} "
          f"{c.rng.randrange(10, 99)}", 9, gap=6)
    if c.chance(0.4):
        w.add(f"Jahressumme Brutto: {eur(gross * month.month)}   Lohnsteuer: {eur(tax * month.month)}",
              9)
    return c.finish(f"Verdienstabrechnung {p['surname']} {month:%Y-%m}", employer=org.name,
                    gross=str(gross), month=long_date(month))


@kind("ba_approval", aktenzeichen=0.8, name_dob=0.85, name=1.0, azr=0.1, passport=0.1)
def ba_approval(c: Ctx) -> SampleDocument:
    """Approval (rarely refusal) of employment by the Federal Employment Agency, to the office."""
    p, w = c.p, c.w
    agency = c.pick([f"Agentur für Arbeit {c.office_city}", "Bundesagentur für Arbeit – Zentrale "
                     "Auslands- und Fachvermittlung (ZAV)", "Bundesagentur für Arbeit – "
                     "Arbeitsmarktzulassung", "Bundesagentur für Arbeit, Team Arbeitsmarktzulassung"])
    address = c.pick(["Villemombler Straße 76, 53123 Bonn", "Regensburger Straße 104, 90478 Nürnberg",
                      f"{c.pick(STREETS)} {c.rng.randrange(1, 60)}, {c.abh_postcode} {c.office_city}"])
    org = Org(agency, [address], address.rsplit(" ", 1)[-1], "arbeitsmarktzulassung@arbeitsagentur.de")
    refused = c.chance(0.12)
    months = c.pick([12, 24, 36, 48])
    c.letterhead(org)
    c.abh_address()
    c.refs(own=f"Unser Zeichen: {c.rng.randrange(100, 999)}-{c.pick('ABCDEF')}-"
               f"{c.rng.randrange(10000, 99999)}", gap=6)
    c.date_line(org.city, indent=110, gap=2)
    heading = c.pick(["Zustimmung zur Beschäftigung", "Zustimmung der Bundesagentur für Arbeit",
                      "Vorabzustimmung (§ 36 Abs. 3 BeschV)", "Mitteilung über die Zustimmung zur "
                      "Beschäftigung"]) if not refused else "Versagung der Zustimmung zur Beschäftigung"
    w.add(heading, 12, bold=True, gap=8)
    c.person_fields(extra=False, gap=2)
    w.add(c.pick(["Sehr geehrte Damen und Herren,", "Sehr geehrte Damen und Herren,", ""]), gap=6)
    law = c.pick(["§ 39 Abs. 2 AufenthG", "§ 39 Abs. 3 AufenthG", "§ 18a AufenthG i. V. m. "
                  "§ 39 Abs. 2 AufenthG", "§ 8 BeschV", "§ 26 Abs. 2 BeschV (Westbalkanregelung)"])
    if refused:
        w.para(f"die Zustimmung zur Beschäftigung als {p['job']} bei der {p['employer']} nach {law} "
               "wird versagt.", gap=2)
        w.para("Begründung: " + c.pick(["Die Arbeitsbedingungen entsprechen nicht denen "
               "vergleichbarer inländischer Beschäftigter; das angebotene Entgelt liegt unter dem "
               "ortsüblichen Niveau.", "Die Vorrangprüfung hat ergeben, dass bevorrechtigte "
               "Arbeitsuchende zur Verfügung stehen."]), gap=3)
    else:
        w.para(c.pick(["die Zustimmung wird erteilt gemäß {law} für eine Beschäftigung als {job} "
                       "bei der {emp}.", "zu der beabsichtigten Beschäftigung als {job} bei der "
                       "{emp} wird nach {law} die Zustimmung erteilt."]).format(
                           law=law, job=p["job"], emp=p["employer"]), gap=2)
        conds = [f"Die Zustimmung ist befristet auf {months} Monate.",
                 f"Arbeitszeit: {hours(c)} Stunden wöchentlich.".replace(".5 ", ",5 "),
                 f"Arbeitsentgelt: mindestens {eur(int(p['salary']))} brutto monatlich.",
                 "Die Zustimmung gilt nur für die Beschäftigung bei dem genannten Arbeitgeber.",
                 "Die Beschäftigung erfolgt nicht zu ungünstigeren Arbeitsbedingungen als bei "
                 "vergleichbaren deutschen Arbeitnehmern."]
        w.add("Nebenbestimmungen:" if c.chance(0.5) else "Die Zustimmung ist wie folgt beschränkt:",
              gap=4)
        for s in c.some(conds, 2, 4):
            w.para(f"– {s}", gap=1, indent=4)
    w.para(c.pick(["Bitte beachten Sie, dass die Zustimmung nur im Verfahren gegenüber der "
                   "Ausländerbehörde wirkt; dem Arbeitgeber ist sie nicht gesondert mitzuteilen.",
                   "Diese Mitteilung ist ein verwaltungsinternes Schreiben und kein Bescheid.",
                   "Bei Änderungen der Beschäftigungsbedingungen ist eine erneute Zustimmung "
                   "erforderlich."]), 10, gap=5)
    c.closing([c.german(), "Bundesagentur für Arbeit"], greeting=c.pick(["Mit freundlichen Grüßen",
                                                                         "Im Auftrag"]))
    return c.finish(f"Zustimmung BA {p['surname']}", refused=str(refused))
