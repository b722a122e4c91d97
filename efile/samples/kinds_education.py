"""Education and integration: degree certificates, recognition notices (ZAB, Bezirksregierung,
IHK FOSA), language certificates, the naturalisation test, CVs. Certificates of very
different issuers look alike (name, date of birth, result, seal); the recognition notice
is a Bescheid with instructions on remedies, like the office's own decisions."""

from __future__ import annotations

from datetime import timedelta

from .common import Ctx, Org, kind
from .documents import SampleDocument, german_date, long_date
from .people import ORIGINS

_MOTHER_TONGUE = {"TUR": "Türkisch", "SYR": "Arabisch", "IRQ": "Arabisch", "AFG": "Dari",
                  "IRN": "Persisch", "POL": "Polnisch", "UKR": "Ukrainisch", "RUS": "Russisch",
                  "KAZ": "Russisch", "VNM": "Vietnamesisch", "NGA": "Yoruba", "GHA": "Twi",
                  "CMR": "Französisch", "ESP": "Spanisch", "COL": "Spanisch", "BRA": "Portugiesisch",
                  "IND": "Tamil", "CHN": "Chinesisch", "RKS": "Albanisch", "SRB": "Serbisch",
                  "ROU": "Rumänisch", "ERI": "Tigrinya", "PHL": "Tagalog"}

_UNIS = {"TUR": ["İstanbul Teknik Üniversitesi", "Orta Doğu Teknik Üniversitesi", "Ege Üniversitesi"],
         "UKR": ["Taras Shevchenko National University of Kyiv", "Kharkiv Polytechnic Institute"],
         "IND": ["Anna University, Chennai", "University of Pune", "Visvesvaraya Technological "
                 "University"], "SYR": ["Universität Damaskus", "Universität Aleppo"],
         "IRN": ["Sharif University of Technology", "University of Tehran"],
         "VNM": ["Hanoi University of Science and Technology"], "NGA": ["University of Lagos"],
         "COL": ["Universidad Nacional de Colombia"], "BRA": ["Universidade de São Paulo"],
         "CHN": ["Tongji University", "Wuhan University"]}
_SUBJECTS = ["Informatik", "Maschinenbau", "Elektrotechnik", "Bauingenieurwesen",
             "Betriebswirtschaftslehre", "Pflegewissenschaft", "Humanmedizin", "Chemie",
             "Wirtschaftsinformatik", "Architektur", "Pharmazie", "Mathematik"]


def _exam_person(c: Ctx) -> None:
    """Certificate style personal lines ("Name: … geboren am … in …")."""
    p, w = c.p, c.w
    if c.want("name_dob"):
        w.add(c.surname_label(c.pick(["Familienname", "Name / Surname"])), gap=6)
        w.add(f"Vorname(n): {p['given_names']}")
        w.add(f"Geburtsdatum: {c.dob()}")
        w.add(f"Geburtsort: {p['birth_place']}")
    elif c.named:
        w.add(f"{c.pick(['Name', 'Teilnehmer/in', 'Familienname, Vorname'])}: {c.name('rev')}", gap=6)
        w.add(f"Geburtsort: {p['birth_place']}")


@kind("degree_certificate", name=1.0, name_dob=0.5, aktenzeichen=0.05)
def degree_certificate(c: Ctx) -> SampleDocument:
    """University or vocational degree certificate, often a translation, sometimes with grades."""
    p, w = c.p, c.w
    subject = c.pick(_SUBJECTS)
    uni = c.pick(_UNIS.get(p["nationality"], []) + ["Bergische Universität Wuppertal",
                                                    "Hochschule Bochum", "Universität Bielefeld"])
    degree = c.pick(["Bachelor of Science", "Bachelor of Engineering", "Master of Science",
                     "Bachelor of Arts", "Diplom-Ingenieur", "Master of Business Administration"])
    year = c.today.year - c.rng.randrange(1, 15)
    if c.chance(0.4):
        w.add(c.pick(["Beglaubigte Übersetzung aus dem Englischen", "Übersetzung – Diplom"]), 10,
              bold=True)
    vocational = c.chance(0.2)
    if vocational:
        uni = c.pick([f"Industrie- und Handelskammer {c.office_city}", f"Berufskolleg {c.office_city}",
                      f"Handwerkskammer {c.office_city}"])
    w.add(uni, c.pick([13, 14]), bold=True, gap=4)
    if vocational:
        w.add(c.pick(["Abschlusszeugnis", "Zeugnis über die Abschlussprüfung", "Berufsabschlusszeugnis"]),
              16, bold=True, gap=8)
        _exam_person(c)
        w.para(f"hat die Abschlussprüfung im Ausbildungsberuf {p['job']} am "
               f"{german_date(c.today - timedelta(days=400 * (c.today.year - year)))} bestanden.", gap=6)
    else:
        w.add(c.pick(["Urkunde", "Bachelorurkunde", "Masterurkunde", "Diplom", "Zeugnis",
                      f"{degree} – Urkunde"]), 16, bold=True, gap=8)
        _exam_person(c)
        w.para(c.pick([f"hat im Studiengang {subject} die Abschlussprüfung bestanden. Es wird der "
                       f"akademische Grad {degree} verliehen.", f"Die Universität verleiht den "
                       f"akademischen Grad {degree} im Studiengang {subject}.", f"hat das Studium "
                       f"der Fachrichtung {subject} mit Erfolg abgeschlossen."]), gap=6)
    grade = round(c.rng.uniform(1.0, 3.3), 1)
    w.add(f"{c.pick(['Gesamtnote', 'Abschlussnote', 'Gesamtprädikat'])}: "
          f"{c.pick(['sehr gut', 'gut', 'befriedigend']) if grade < 3 else 'befriedigend'} "
          f"({str(grade).replace('.', ',')})", bold=True, gap=4)
    if c.chance(0.5):
        w.add("Einzelleistungen", 12, bold=True, gap=8)
        for module in c.some(["Mathematik I", "Mathematik II", "Physik", "Programmierung",
                              "Technische Mechanik", "Werkstoffkunde", "Projektmanagement",
                              "Statistik", "Englisch", "Abschlussarbeit", "Regelungstechnik",
                              "Datenbanken", "Anatomie", "Pflegepraxis"], 5, 10):
            w.add(f"{module:<34}{str(round(c.rng.uniform(1, 4), 1)).replace('.', ','):>6}", 10,
                  mono=True)
    w.add(f"{c.pick([uni.split(',')[0], c.office_city])}, {long_date(c.today.replace(year=year))}",
          gap=10)
    w.add(c.pick(["Der Rektor", "Dekan/in", "Vorsitzende/r des Prüfungsausschusses"]), 10)
    if c.want("aktenzeichen"):
        w.add(f"Az. {c.az()}", 9, gap=6)
    return c.finish(f"Abschlusszeugnis {p['surname']}", degree=degree)


@kind("recognition_notice", aktenzeichen=0.15, name_dob=0.8, name=1.0)
def recognition_notice(c: Ctx) -> SampleDocument:
    """ZAB Zeugnisbewertung or a recognition Bescheid (Bezirksregierung, IHK FOSA)."""
    p, w = c.p, c.w
    kind_ = c.pick(["zab", "zab", "bezreg", "ihk"])
    subject = c.pick(_SUBJECTS)
    w.header = "Seite {n} von {total}"
    if kind_ == "zab":
        w.add("Zentralstelle für ausländisches Bildungswesen", 13, bold=True)
        w.add("im Sekretariat der Kultusministerkonferenz · Graurheindorfer Str. 157 · 53117 Bonn", 8)
        c.client_address()
        w.add(f"Aktenzeichen: {c.rng.randrange(1000000, 9999999)}-ZAB", 10, gap=6)
        c.date_line("Bonn", indent=110, gap=2)
        w.add(c.pick(["Zeugnisbewertung für ausländische Hochschulqualifikationen",
                      "Zeugnisbewertung", "Bewertung eines ausländischen Hochschulabschlusses"]),
              14, bold=True, gap=8)
        _exam_person(c)
        w.para(f"Abschluss: {c.pick(['Bachelor', 'Master', 'Diplom', 'Specialist'])} in {subject}, "
               f"erworben {c.today.year - c.rng.randrange(2, 15)}", gap=6)
        w.para(c.pick(["Der Abschluss entspricht einem deutschen Hochschulabschluss auf "
                       "Bachelorebene.", "Der ausländische Hochschulabschluss entspricht einem "
                       "deutschen Masterabschluss.", "Die Hochschule hat in der Datenbank anabin "
                       "den Status H+."]), gap=4)
        w.para("Die Zeugnisbewertung ist keine Anerkennung zum Zweck der Ausübung eines "
               "reglementierten Berufs.", 10, gap=4)
    else:
        issuer = (f"Bezirksregierung {c.pick(['Düsseldorf', 'Münster', 'Arnsberg', 'Detmold', 'Köln'])}"
                  if kind_ == "bezreg" else "IHK FOSA – Foreign Skills Approval, Nürnberg")
        job = c.pick(["Pflegefachfrau / Pflegefachmann", "Ärztin / Arzt", "Elektroniker/in für "
                      "Energie- und Gebäudetechnik", "Kauffrau / Kaufmann für Büromanagement"])
        c.letterhead(Org(issuer, [f"Postfach {c.rng.randrange(1000, 99999)}"], issuer.split()[-1]))
        c.client_address()
        c.refs(own=f"Geschäftszeichen: {c.rng.randrange(10, 99)}.{c.rng.randrange(10, 99)}-"
                   f"{c.rng.randrange(1000, 9999)}/{c.today:%y}")
        c.date_line(issuer.split()[-1], indent=110, gap=2)
        partial = c.chance(0.3)
        w.add(c.pick(["Anerkennungsbescheid", "Bescheid über die Anerkennung Ihrer "
                      "Berufsqualifikation", "Feststellung der Gleichwertigkeit – Bescheid"]), 14,
              bold=True, gap=8)
        _exam_person(c)
        w.add("Tenor", 12, bold=True, gap=6)
        w.para(f"Ihre im Ausland erworbene Berufsqualifikation ist {'teilweise ' if partial else ''}"
               f"gleichwertig mit dem deutschen Referenzberuf {job}.", gap=2)
        if partial:
            w.para("Es bestehen wesentliche Unterschiede, die durch einen Anpassungslehrgang oder "
                   "eine Kenntnisprüfung ausgeglichen werden können.", gap=2)
        w.add("Begründung", 12, bold=True, gap=6)
        w.para("Die Prüfung nach dem Berufsqualifikationsfeststellungsgesetz hat ergeben, dass "
               "Inhalt und Dauer der Ausbildung den Anforderungen im Wesentlichen entsprechen.", gap=2)
        w.add("Rechtsbehelfsbelehrung", 12, bold=True, gap=6)
        w.para("Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage beim "
               "zuständigen Verwaltungsgericht erhoben werden.", 10, gap=2)
    c.closing([c.german(), "Im Auftrag"] if c.chance(0.5) else [c.german()])
    return c.finish(f"Anerkennung {p['surname']}", issuer=kind_)


_LANG_EXAMS = [("telc Deutsch {lvl}", "telc gGmbH, Frankfurt am Main", "Zertifikat Deutsch"),
               ("Deutsch-Test für Zuwanderer", "telc gGmbH im Auftrag des Bundesamtes für "
                "Migration und Flüchtlinge", "Deutsch-Test für Zuwanderer (DTZ)"),
               ("Goethe-Zertifikat {lvl}", "Goethe-Institut", "Goethe-Zertifikat {lvl}"),
               ("TestDaF", "TestDaF-Institut, Bochum", "TestDaF-Zeugnis"),
               ("ÖSD Zertifikat {lvl}", "Österreichisches Sprachdiplom Deutsch", "Sprachzertifikat")]


@kind("language_certificate", name=1.0, name_dob=0.7, aktenzeichen=0.05)
def language_certificate(c: Ctx) -> SampleDocument:
    """Certificate of German language skills (telc, DTZ, Goethe, TestDaF, ÖSD)."""
    p, w = c.p, c.w
    lvl = c.pick(["A2", "B1", "B1", "B2", "C1"])
    exam, issuer, heading = c.pick(_LANG_EXAMS)
    w.add(issuer, 10, bold=True)
    w.add(heading.format(lvl=lvl) if c.chance(0.6) else c.pick(["Zertifikat", "ZERTIFIKAT",
                                                                 "Sprachzertifikat"]), 17, bold=True, gap=8)
    if c.chance(0.6):
        w.add(exam.format(lvl=lvl), 13, gap=2)
    _exam_person(c)
    centre = f"{c.pick(['VHS', 'Sprachschule Lingua', 'Bildungswerk', 'Goethe-Institut'])} {c.office_city}"
    w.add(f"Prüfungszentrum: {centre}", gap=4)
    exam_day = c.day(before=600)
    w.add(f"Prüfungsdatum: {german_date(exam_day)}")
    w.add(f"Teilnehmernummer: {c.rng.randrange(1000000, 9999999)}")
    w.add(c.pick(["Ergebnis", "Prüfungsergebnis", "Ergebnisse der Prüfungsteile"]), 12, bold=True, gap=8)
    total = 0
    for part in c.pick([["Hören", "Lesen", "Schreiben", "Sprechen"], ["Leseverstehen",
                        "Hörverstehen", "Schriftlicher Ausdruck", "Mündlicher Ausdruck"],
                        ["Hören und Lesen", "Schreiben", "Sprechen"]]):
        points = c.rng.randrange(55, 100)
        total += points
        w.add(f"{part:<26}{points:>4} / 100 Punkte", 10, mono=True)
    w.add(f"Gesamtergebnis: {c.pick(['bestanden', 'gut', 'befriedigend', 'sehr gut'])} – "
          f"Niveau {lvl}", bold=True, gap=4)
    w.para(c.pick([f"Das Niveau {lvl} entspricht der Stufe {lvl} des Gemeinsamen Europäischen "
                   "Referenzrahmens für Sprachen.", "Die Prüfung wurde nach den Vorgaben des "
                   "Gemeinsamen Europäischen Referenzrahmens (GER) durchgeführt.",
                   "Dieses Zertifikat bescheinigt Deutschkenntnisse auf dem angegebenen Niveau."]),
           10, gap=6)
    w.add(f"{c.office_city}, {german_date(exam_day + timedelta(days=c.rng.randrange(20, 60)))}", gap=8)
    w.add(f"Prüfer/in: {c.german()}", 10, gap=6)
    if c.want("aktenzeichen"):
        w.add(f"Az.: {c.az()}", 9, gap=4)
    return c.finish(f"Sprachzertifikat {p['surname']}", level=lvl)


@kind("naturalisation_test", name=1.0, name_dob=0.75, aktenzeichen=0.1)
def naturalisation_test(c: Ctx) -> SampleDocument:
    """BAMF certificate of the 'Leben in Deutschland' / naturalisation test."""
    p, w = c.p, c.w
    total = c.pick([33, 33, 33, 310])
    right = c.rng.randrange(17, 34) if total == 33 else c.rng.randrange(170, 300)
    test_day = c.day(before=500)
    w.add("Bundesamt für Migration und Flüchtlinge", c.pick([11, 12]), bold=True)
    w.add("Frankenstraße 210 · 90461 Nürnberg", 8)
    w.add(c.pick(["Bescheinigung Einbürgerungstest", "Test „Leben in Deutschland“",
                  "Bescheinigung über den Test „Leben in Deutschland“", "Ergebnis des "
                  "Einbürgerungstests"]), c.pick([14, 16]), bold=True, gap=10)
    _exam_person(c)
    who = c.name("formal") if c.named else "Die Teilnehmerin / der Teilnehmer"
    birth = f", geboren am {c.dob()}," if c.want("name_dob") and c.chance(0.5) else ""
    w.para(f"{who}{birth} hat am {german_date(test_day)} in {c.office_city} an dem "
           f"{c.pick(['Einbürgerungstest', 'Test „Leben in Deutschland“'])} teilgenommen.", gap=8)
    if total == 33:
        w.para(f"Es wurden {right} von 33 Fragen richtig beantwortet.", gap=3)
        passed = right >= 17
        w.para(c.pick(["Damit sind Kenntnisse der Rechts- und Gesellschaftsordnung und der "
                       "Lebensverhältnisse in der Bundesrepublik Deutschland nachgewiesen "
                       "(§ 10 Abs. 1 Satz 1 Nr. 7 StAG).", "Der Test ist bestanden."])
               if passed else "Der Test wurde nicht bestanden.", gap=3)
    else:
        w.para(f"Gesamtpunktzahl: {right} von 310 Punkten.", gap=3)
    w.add(f"Testnummer: {c.rng.randrange(10**8, 10**9)}", 10, gap=6)
    if c.want("aktenzeichen"):
        w.add(f"Vorgelegt zu Az. {c.az()}", 9)
    w.add(f"Nürnberg, {long_date(test_day + timedelta(days=c.rng.randrange(14, 40)))}", gap=8)
    w.add("Im Auftrag", 10, gap=4)
    return c.finish(f"Einbürgerungstest {p['surname']}", right=str(right))


@kind("cv", name=1.0, name_dob=0.55, aktenzeichen=0.03, passport=0.02)
def cv(c: Ctx) -> SampleDocument:
    """Tabular CV as applicants write it: personal data, work, education, languages."""
    p, w = c.p, c.w
    w.add(c.pick(["Lebenslauf", "LEBENSLAUF", "Tabellarischer Lebenslauf", "Curriculum Vitae"]),
          c.pick([16, 18, 20]), bold=True)
    if c.named and c.chance(0.5):
        w.add(c.name(), 13, gap=2)
    w.add(c.pick(["Persönliche Daten", "Angaben zur Person", "Zur Person"]), 12, bold=True, gap=8)
    if c.want("name_dob"):
        w.add(c.surname_label() if c.chance(0.5) else f"Name: {c.name()}", gap=2)
        if "surname_label" in c.printed:
            w.add(f"Vorname: {p['given_names']}")
        w.add(f"Geburtsdatum: {c.dob()}")
    elif c.named:
        w.add(f"Name: {c.name()}", gap=2)
    w.add(f"Geburtsort: {p['birth_place']}")
    rows = [f"Staatsangehörigkeit: {p['nationality_de']}", f"Familienstand: "
            f"{c.pick(['ledig', 'verheiratet, 2 Kinder', 'verheiratet', 'geschieden'])}",
            f"Anschrift: {p['street']}, {p['city']}", f"Telefon: 01{c.rng.randrange(51, 79)} "
            f"{c.rng.randrange(1000000, 9999999)}"]
    for r in c.some(rows, 2):
        w.add(r)
    year = c.today.year
    sections = {
        "Berufserfahrung": [f"seit {german_date(c.day(before=900))[3:]}   {p['job']}, {p['employer']}",
                            f"{year - 8} – {year - 3}   {c.pick(['Sachbearbeitung', 'Technikerstelle', 'Assistenz der Geschäftsführung', 'Praktikum'])}, "
                            f"{c.pick(ORIGINS.get(p.get('origin', ''), ORIGINS['tr'])[5])}",
                            f"{year - 10} – {year - 8}   Aushilfstätigkeit im Einzelhandel"],
        "Ausbildung / Studium": [f"{year - 14} – {year - 10}   Studium {c.pick(_SUBJECTS)}, "
                                 f"{c.pick(_UNIS.get(p['nationality'], ['Universität']))}",
                                 f"{year - 3} – {year - 2}   Integrationskurs und Sprachkurs B2"],
        "Schulbildung": [f"{year - 26} – {year - 14}   Schule in {p['birth_place']}, Abschluss: "
                         "Hochschulreife"],
        "Sprachkenntnisse": [f"Deutsch: {c.pick(['B1', 'B2', 'C1', 'gut', 'sehr gut'])}",
                             f"Englisch: {c.pick(['gut', 'sehr gut', 'Grundkenntnisse'])}",
                             "Muttersprache: " + _MOTHER_TONGUE.get(p["nationality"], "Englisch")],
        "EDV-Kenntnisse": ["MS Office, SAP, " + c.pick(["Python", "AutoCAD", "DATEV", "Excel"])],
        "Hobbys": [c.pick(["Fußball, Kochen, Lesen", "Schwimmen, Musik", "Ehrenamt im Sportverein"])],
    }
    order = ["Berufserfahrung", "Ausbildung / Studium", "Schulbildung"]
    if c.chance(0.4):
        order.reverse()
    for title in order + c.some(["Sprachkenntnisse", "EDV-Kenntnisse", "Hobbys"], 1):
        w.keep(3)
        w.add(title, 12, bold=True, gap=8)
        for r in sections[title]:
            w.add(r, gap=1)
    w.add(f"{c.office_city}, {german_date(c.today)}", gap=12)
    if c.named:
        w.add(c.name(), gap=6)
    return c.finish(f"Lebenslauf {p['surname']}")
