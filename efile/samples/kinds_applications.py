"""What clients (and their hosts or representatives) sign: residence application,
naturalisation application, commitment declaration, power of attorney. Forms with labelled
fields and checkboxes, or letters in the client's own words."""

from __future__ import annotations

from datetime import timedelta

from .common import Ctx, kind
from .documents import SampleDocument, german_date
from .people import ORIGINS, foreign_name

_PURPOSES = ["§ 18a AufenthG (Fachkräfte mit Berufsausbildung)", "§ 18b AufenthG (Fachkräfte mit "
             "akademischer Ausbildung)", "§ 18g AufenthG (Blaue Karte EU)", "§ 9 AufenthG "
             "(Niederlassungserlaubnis)", "§ 28 AufenthG (Familiennachzug zu Deutschen)",
             "§ 30 AufenthG (Ehegattennachzug)", "§ 16b AufenthG (Studium)", "§ 25 Abs. 2 AufenthG",
             "§ 9a AufenthG (Daueraufenthalt-EU)", "§ 81a AufenthG (beschleunigtes Fachkräfteverfahren)"]


def _yes_no(c: Ctx, question: str, yes: bool = False) -> None:
    c.w.para(f"{question}  {'[X] ja  [ ] nein' if yes else '[ ] ja  [X] nein'}", 10, gap=1)


@kind("residence_application", aktenzeichen=0.7, name_dob=0.9, name=1.0, passport=0.6, azr=0.2)
def residence_application(c: Ctx) -> SampleDocument:
    """Application for a residence title: the office's form (2-3 pages) or a short letter."""
    p, w = c.p, c.w
    purpose = c.pick(_PURPOSES)
    if c.chance(0.25) and c.named:  # the client's own letter
        w.add(c.name(), gap=0)
        w.add(p["street"])
        w.add(p["city"])
        c.abh_address()
        c.date_line(c.office_city, indent=110)
        w.add(c.pick(["Antrag auf Verlängerung meiner Aufenthaltserlaubnis", "Antrag auf Erteilung "
                      "einer Niederlassungserlaubnis", "Antrag auf Verlängerung des Aufenthaltstitels"]),
              12, bold=True, gap=8)
        c.refs(gap=2, labels=("Aktenzeichen", "Az.", "Mein Aktenzeichen"))
        c.person_fields(extra=False, gap=3)
        w.add("Sehr geehrte Damen und Herren,", gap=6)
        w.para(f"hiermit beantrage ich die {c.pick(['Verlängerung', 'Erteilung'])} meines "
               f"Aufenthaltstitels nach {purpose}. Mein jetziger Titel ist gültig bis "
               f"{german_date(c.day(after=90))}.", gap=3)
        w.para(c.pick(["Die erforderlichen Unterlagen (Arbeitsvertrag, Gehaltsabrechnungen, "
                       "Mietvertrag) füge ich bei.", "Bitte teilen Sie mir einen Termin zur "
                       "Vorsprache mit.", "Ich bitte um Ausstellung einer Fiktionsbescheinigung, "
                       "da mein Titel bald abläuft."]), gap=3)
        c.closing([c.name()])
        return c.finish(f"Antrag Aufenthaltstitel {p['surname']}", purpose=purpose)
    w.header = c.pick(["Seite {n} von {total}", "- {n} -"])
    w.add(c.pick(["Antrag auf Erteilung eines Aufenthaltstitels", "Antrag auf Erteilung oder "
                  "Verlängerung eines Aufenthaltstitels", "Antrag auf Verlängerung der "
                  "Aufenthaltserlaubnis", "Antrag auf Erteilung einer Niederlassungserlaubnis",
                  "Antrag auf Erteilung einer Blauen Karte EU"]), c.pick([14, 15]), bold=True)
    w.add(f"Stadt {c.office_city} – Ausländerbehörde – {c.abh_street} – {c.abh_postcode} "
          f"{c.office_city}", 9, gap=2)
    c.refs(gap=6, labels=("Aktenzeichen", "Az.", "Aktenzeichen (falls bekannt)"))
    w.add("1. Angaben zur Person", 12, bold=True, gap=6)
    c.person_fields(extra=True, gap=2)
    if c.chance(0.5):
        w.add(f"Familienstand: {c.pick(['ledig', 'verheiratet', 'geschieden', 'verwitwet'])}")
        w.add(f"Größe: {c.rng.randrange(150, 195)} cm   Augenfarbe: {c.pick(['braun', 'grün', 'blau'])}")
    w.add("2. Anschrift", 12, bold=True, gap=6)
    w.add(f"{p['street']}, {p['city']}", gap=2)
    w.add(f"Wohnhaft in Deutschland seit: {german_date(c.day(before=4000) - timedelta(days=400))}")
    w.add("3. Beantragter Aufenthaltszweck", 12, bold=True, gap=6)
    w.para(purpose, gap=2)
    w.add("4. Lebensunterhalt und Krankenversicherung", 12, bold=True, gap=6)
    w.add(f"Arbeitgeber: {p['employer']}", gap=2)
    w.add(f"Monatliches Nettoeinkommen: {round(int(p['salary']) * 0.66)} EUR")
    w.add(f"Krankenversicherung: {c.pick(['AOK', 'TK', 'BARMER', 'DAK', 'privat versichert'])}")
    if c.chance(0.5):  # the printed form runs over two sheets
        w.new_page()
    w.add("5. Sicherheitsbefragung", 12, bold=True, gap=6)
    _yes_no(c, "Wurden Sie im In- oder Ausland wegen einer Straftat verurteilt?")
    _yes_no(c, "Wurden Sie schon einmal aus Deutschland ausgewiesen oder abgeschoben?")
    _yes_no(c, "Beziehen Sie Leistungen nach dem SGB II oder SGB XII?", c.chance(0.1))
    w.add("6. Erklärungen", 12, bold=True, gap=6)
    w.para("Ich versichere, dass ich die vorstehenden Angaben nach bestem Wissen und Gewissen "
           "richtig und vollständig gemacht habe. Mir ist bekannt, dass falsche oder unvollständige "
           "Angaben zur Versagung des Aufenthaltstitels führen können (§ 55 Abs. 2 Nr. 1 AufenthG).",
           10, gap=2)
    w.para("Die Hinweise zum Datenschutz nach Art. 13 DSGVO habe ich erhalten.", 10, gap=3)
    w.keep(3)
    w.add(f"{c.office_city}, {german_date(c.today)}", gap=12)
    w.add(f"Unterschrift Antragsteller/in: {c.name() if c.named else '_______________'}", gap=6)
    return c.finish(f"Antrag Aufenthaltstitel {p['surname']}", purpose=purpose)


@kind("naturalisation_application", aktenzeichen=0.65, name_dob=0.95, name=1.0, azr=0.15,
      passport=0.3)
def naturalisation_application(c: Ctx) -> SampleDocument:
    """Application for naturalisation (§ 10 StAG) with declaration of loyalty."""
    p, w = c.p, c.w
    w.header = c.pick(["Seite {n} von {total}", "- {n} -", "Einbürgerungsantrag – Seite {n}"])
    w.add(c.pick(["Antrag auf Einbürgerung", "Einbürgerungsantrag", "Antrag auf Einbürgerung in den "
                  "deutschen Staatsverband", "ANTRAG AUF EINBÜRGERUNG"]), c.pick([15, 16]), bold=True)
    w.add(c.pick(["nach § 10 Staatsangehörigkeitsgesetz (StAG)", "(Anspruchseinbürgerung § 10 StAG)",
                  "für Personen ab 16 Jahren"]), 10)
    w.add(f"Einbürgerungsbehörde der Stadt {c.office_city}", 9, gap=2)
    c.refs(gap=6, labels=("Aktenzeichen", "Az."))
    w.add("A. Angaben zur Person", 12, bold=True, gap=6)
    c.person_fields(extra=True, gap=2)
    w.add(f"Bisherige Staatsangehörigkeit(en): {p['nationality_de']}")
    w.add(f"In Deutschland seit: {german_date(c.day(before=5000) - timedelta(days=2000))}")
    w.add("B. Voraussetzungen", 12, bold=True, gap=6)
    for q, yes in c.shuffled([("Sprachnachweis Deutsch B1 liegt bei", True), ("Test „Leben in "
                              "Deutschland“ bestanden", True), ("Lebensunterhalt ohne Leistungen "
                              "nach SGB II/XII gesichert", True), ("Verurteilungen wegen einer "
                              "Straftat", False), ("Anhängige Ermittlungsverfahren", False)]):
        _yes_no(c, q, yes)
    if c.chance(0.6):
        w.new_page()
    w.add("C. Bekenntnis- und Loyalitätserklärung", 12, bold=True, gap=6)
    w.para("Ich bekenne mich zur freiheitlichen demokratischen Grundordnung des Grundgesetzes für "
           "die Bundesrepublik Deutschland. Ich erkläre, dass ich keine Bestrebungen verfolge oder "
           "unterstütze, die gegen diese Grundordnung gerichtet sind.", 10, gap=2)
    if c.chance(0.6):
        w.para("Ich bekenne mich zur besonderen historischen Verantwortung Deutschlands für die "
               "nationalsozialistische Unrechtsherrschaft und ihre Folgen, insbesondere für den "
               "Schutz jüdischen Lebens.", 10, gap=2)
    w.add("D. Anlagen", 12, bold=True, gap=6)
    for a in c.some(["Lebenslauf", "Geburtsurkunde", "Sprachzertifikat B1", "Bescheinigung "
                     "Einbürgerungstest", "Verdienstabrechnungen der letzten 6 Monate",
                     "Mietvertrag", "Rentenversicherungsverlauf", "Kopie des Reisepasses"], 3, 6):
        w.add(f"– {a}", 10, indent=4)
    w.keep(3)
    w.add(f"{c.office_city}, {german_date(c.today)}", gap=12)
    w.add(f"Unterschrift: {c.name() if c.named else '______________'}", gap=6)
    return c.finish(f"Einbürgerungsantrag {p['surname']}")


@kind("commitment_declaration", aktenzeichen=0.5, name_dob=0.9, name=1.0, passport=0.5, azr=0.1)
def commitment_declaration(c: Ctx) -> SampleDocument:
    """Verpflichtungserklärung (§§ 66, 68 AufenthG): a host guarantees a guest's living costs."""
    p, w = c.p, c.w
    host_is_client = c.chance(0.6)
    origin = p.get("origin") if p.get("origin") in ORIGINS else "tr"
    g_given, g_surname = foreign_name(c.rng, origin, c.pick("MF"))
    guest_birth = german_date(c.day(before=20000) - timedelta(days=6000))
    w.add(c.pick(["Verpflichtungserklärung", "VERPFLICHTUNGSERKLÄRUNG / Formal obligation / "
                  "Déclaration de prise en charge", "Verpflichtungserklärung nach §§ 66, 68 AufenthG"]),
          c.pick([14, 15]), bold=True)
    w.add(c.pick(["Bundesdruckerei – amtlicher Vordruck", f"Ausländerbehörde {c.office_city}",
                  "zur Vorlage bei der deutschen Auslandsvertretung"]), 9)
    if c.want("aktenzeichen"):
        w.add(f"Aktenzeichen: {c.az()}", 10, gap=4)

    def client_block(title: str) -> None:
        w.add(title, 12, bold=True, gap=6)
        c.person_fields(extra=True, gap=2)

    def other_block(title: str) -> None:
        w.add(title, 12, bold=True, gap=6)
        w.add(f"Name, Vorname: {g_surname.upper()}, {g_given}", gap=2)
        w.add(f"geboren am {guest_birth}" if c.chance(0.5) else f"Geburtsdatum (Gast): {guest_birth}")
        w.add(f"Staatsangehörigkeit: {p['nationality_de']}")

    if host_is_client:
        client_block("Gastgeber / Verpflichtungsgeber")
        w.add(f"Anschrift: {p['street']}, {p['city']}")
        other_block("Eingeladene Person")
    else:
        other_block("Verpflichtungsgeber (Gastgeber)")
        w.add(f"Anschrift: {c.pick(['Hauptstraße', 'Ringstraße', 'Am Markt'])} {c.rng.randrange(1, 90)}, "
              f"{c.abh_postcode} {c.office_city}")
        client_block("Eingeladene Person")
    start = c.day(after=120)
    w.para(c.pick(["Ich verpflichte mich nach §§ 66 und 68 AufenthG gegenüber der "
                   "Ausländerbehörde und der Auslandsvertretung, die Kosten für den "
                   "Lebensunterhalt der eingeladenen Person zu tragen.", "Hiermit verpflichte ich "
                   "mich, für die Kosten des Lebensunterhalts einschließlich der Versorgung mit "
                   "Wohnraum und der Versorgung im Krankheitsfall aufzukommen."]), gap=8)
    w.para(f"Dauer des Aufenthalts: vom {german_date(start)} bis zum "
           f"{german_date(start + timedelta(days=c.pick([30, 60, 90])))}", gap=3)
    w.para("Die Verpflichtung umfasst auch die Kosten einer Abschiebung. Öffentliche Mittel, die "
           "für den Lebensunterhalt aufgewendet werden, sind zu erstatten.", 10, gap=3)
    w.add("Vermerk der Ausländerbehörde", 11, bold=True, gap=6)
    w.para(c.pick(["Die finanzielle Leistungsfähigkeit (Bonität) wurde nachgewiesen.",
                   "Bonität glaubhaft gemacht durch Verdienstabrechnungen der letzten drei Monate.",
                   "Die Unterschrift wurde vor der Behörde geleistet."]), 10, gap=1)
    w.keep(3)
    w.add(f"{c.office_city}, {german_date(c.today)}", gap=10)
    w.add(f"Unterschrift Verpflichtungsgeber · Siegel der Behörde, i. A. {c.german()}", 10, gap=6)
    return c.finish(f"Verpflichtungserklärung {p['surname']}", host_is_client=str(host_is_client))


@kind("power_of_attorney", aktenzeichen=0.6, name_dob=0.5, name=1.0, azr=0.05)
def power_of_attorney(c: Ctx) -> SampleDocument:
    """Vollmacht for a lawyer, an advice centre or a relative in the residence procedure."""
    p, w = c.p, c.w
    agent = c.pick([f"Rechtsanwältin {c.german('F')}", f"Rechtsanwalt {c.german('M')}",
                    f"Rechtsanwälte {c.german().split()[1]} & {c.german().split()[1]}",
                    f"Migrationsberatung der {c.pick(['Caritas', 'Diakonie', 'AWO'])} {c.office_city}",
                    f"meinen Bruder / meine Schwester {foreign_name(c.rng, p.get('origin', 'tr'), 'M')[0]} "
                    f"{p['surname'] if c.named else ''}".rstrip()])
    w.add(c.pick(["Vollmacht", "VOLLMACHT", "Prozessvollmacht", "Vertretungsvollmacht",
                  "Vollmacht (ausländerrechtliches Verfahren)"]), c.pick([16, 18]), bold=True)
    if c.want("aktenzeichen"):
        w.add(f"{c.pick(['Az.', 'Aktenzeichen', 'In Sachen Az.'])}: {c.az()}", 10, gap=4)
    w.add("Vollmachtgeber/in:", bold=True, gap=6)
    c.person_fields(extra=False, gap=2)
    if c.named:
        w.add(f"wohnhaft {p['street']}, {p['city']}")
    w.para(c.pick([f"Hiermit bevollmächtige ich {agent},", f"Hiermit wird {agent} Vollmacht erteilt,",
                   f"Ich bevollmächtige {agent}"]) + " mich in meiner Aufenthaltsangelegenheit "
           f"gegenüber der Ausländerbehörde {c.office_city} und allen weiteren Behörden und "
           "Gerichten zu vertreten.", gap=8)
    powers = ["Akteneinsicht zu nehmen", "Anträge zu stellen und zurückzunehmen",
              "Zustellungen aller Art entgegenzunehmen", "Rechtsbehelfe einzulegen und "
              "zurückzunehmen", "Untervollmacht zu erteilen", "Auskünfte über meine Person einzuholen",
              "Gelder und Urkunden in Empfang zu nehmen"]
    w.add("Die Vollmacht umfasst insbesondere die Befugnis,", gap=4)
    for s in c.some(powers, 3, 6):
        w.add(f"– {s},", indent=4)
    w.para(c.pick(["Die Vollmacht gilt bis auf schriftlichen Widerruf.", "Die Vollmacht erlischt "
                   "nicht durch den Tod des Vollmachtgebers.", "Ich entbinde die Behörde insoweit "
                   "vom Datenschutz."]), gap=4)
    w.keep(3)
    w.add(f"{c.office_city}, {german_date(c.today)}", gap=12)
    w.add(f"Unterschrift: {c.name() if c.named else '_______________'}", gap=6)
    return c.finish(f"Vollmacht {p['surname']}", agent=agent)
