"""The office's own decisions (Bescheid, Anhörung, Ordnungsverfügung) and medical
certificates. Decisions nearly always carry the Aktenzeichen; attests carry name and date of
birth and are health data (restricted), so the type matters beyond routing."""

from __future__ import annotations

from datetime import timedelta

from .common import Ctx, Org, eur, kind
from .documents import SampleDocument, german_date
from .people import STREETS


@kind("decision", aktenzeichen=0.92, name=1.0, name_dob=0.45, azr=0.15, passport=0.05)
def decision(c: Ctx) -> SampleDocument:
    """Bescheid, Anhörung or Ordnungsverfügung of the immigration office, 1-3 pages."""
    p, w = c.p, c.w
    kind_ = c.pick(["ablehnung", "ablehnung", "anhoerung", "ausweisung", "erteilung", "gebuehr"])
    w.header = c.pick(["- {n} -", "Seite {n} von {total}"])
    if c.want("aktenzeichen"):
        w.running = f"Aktenzeichen: {c.p['aktenzeichen']}"
    org = Org(f"Stadt {c.office_city}", [c.pick(["Der Oberbürgermeister", "Die Oberbürgermeisterin"]),
                                          c.pick(["Ausländerbehörde", "Ressort Zuwanderung und "
                                                  "Integration", "Ausländeramt"]),
                                          f"{c.abh_street}, {c.abh_postcode} {c.office_city}"],
              c.office_city, f"Sachbearbeitung: {c.german()}, Zimmer {c.rng.randrange(100, 450)}")
    c.letterhead(org)
    if c.chance(0.5):
        w.add(c.pick(["Mit Postzustellungsurkunde", "Gegen Empfangsbekenntnis", "Per Einschreiben"]),
              9, gap=4)
    c.client_address(gap=4)
    c.refs(gap=6, labels=("Aktenzeichen", "Az.", "Mein Zeichen", "Geschäftszeichen"))
    c.date_line(org.city, indent=110, gap=2)
    applied = german_date(c.day(before=200))
    heading = {"ablehnung": c.pick(["Bescheid", "Ablehnungsbescheid", "Ablehnung Ihres Antrags auf "
                                    "Verlängerung der Aufenthaltserlaubnis"]),
               "anhoerung": c.pick(["Anhörung", "Anhörung gemäß § 28 VwVfG NRW", "Anhörung vor "
                                    "Erlass einer Ordnungsverfügung"]),
               "ausweisung": c.pick(["Ordnungsverfügung", "Ordnungsverfügung – Ausweisung"]),
               "erteilung": c.pick(["Bescheid", "Bescheid über die Erteilung einer "
                                    "Niederlassungserlaubnis"]),
               "gebuehr": c.pick(["Gebührenbescheid", "Bescheid – Gebührenfestsetzung"])}[kind_]
    w.add(heading, 13, bold=True, gap=8)
    if c.want("name_dob") or c.has_azr() or c.want("passport"):
        c.person_fields(extra=False, gap=2)
    w.add(c.pick([f"Sehr geehrte{'' if p['sex'] == 'F' else 'r'} {c.name('short')},"
                  if c.named else "Sehr geehrte Damen und Herren,", "Sehr geehrte Damen und Herren,"]),
          gap=6)
    if kind_ == "anhoerung":
        w.para(f"ich beabsichtige, Ihren Antrag vom {applied} auf Verlängerung Ihrer "
               "Aufenthaltserlaubnis abzulehnen und Ihnen die Abschiebung anzudrohen.", gap=3)
        w.para(c.pick(["Nach Aktenlage ist Ihr Lebensunterhalt nicht gesichert (§ 5 Abs. 1 Nr. 1 "
                       "AufenthG).", "Sie haben trotz Aufforderung keinen gültigen Pass vorgelegt "
                       "(§ 5 Abs. 1 Nr. 4 AufenthG).", "Die eheliche Lebensgemeinschaft besteht "
                       "nach meinen Ermittlungen nicht mehr."]), gap=3)
        w.para(f"Sie erhalten Gelegenheit, sich bis zum {german_date(c.day(after=28) + timedelta(days=14))} "
               "schriftlich oder zur Niederschrift zu äußern. Nach Ablauf der Frist werde ich nach "
               "Aktenlage entscheiden.", gap=3)
        c.closing(["Im Auftrag", c.german()])
        return c.finish(f"Anhörung {p['surname']}", decision=kind_)
    tenor = {
        "ablehnung": [f"Ihr Antrag vom {applied} auf Verlängerung der Aufenthaltserlaubnis wird "
                      "abgelehnt.", "Sie werden aufgefordert, die Bundesrepublik Deutschland "
                      "innerhalb von 30 Tagen nach Bekanntgabe dieses Bescheides zu verlassen.",
                      "Für den Fall, dass Sie nicht fristgerecht ausreisen, wird Ihnen die "
                      "Abschiebung in Ihr Herkunftsland angedroht."],
        "ausweisung": ["Sie werden aus der Bundesrepublik Deutschland ausgewiesen.",
                       "Das Einreise- und Aufenthaltsverbot wird auf drei Jahre ab Ausreise "
                       "befristet.", "Die sofortige Vollziehung der Nr. 1 wird angeordnet."],
        "erteilung": [f"Auf Ihren Antrag vom {applied} wird Ihnen eine Niederlassungserlaubnis nach "
                      "§ 9 AufenthG erteilt.", "Der Aufenthaltstitel wird als elektronischer "
                      "Aufenthaltstitel ausgestellt und kann nach Benachrichtigung abgeholt werden."],
        "gebuehr": ["Für die Erteilung des Aufenthaltstitels wird eine Gebühr festgesetzt."],
    }[kind_]
    w.add(c.pick(["Tenor", "Entscheidung", "hiermit ergeht folgender Bescheid:",
                  "ich erlasse folgenden Bescheid:"]), bold=True, gap=6)
    for i, t in enumerate(tenor, 1):
        w.para(f"{i}. {t}", gap=2, indent=4)
    fee = c.pick([93, 100, 113, 124, 147])
    w.para(f"{len(tenor) + 1}. Die Gebühr für diese Entscheidung wird auf {eur(fee)} festgesetzt "
           "(§ 69 AufenthG i. V. m. § 45 AufenthV).", gap=2, indent=4)
    w.add("Begründung", 12, bold=True, gap=8)
    w.add("I. Sachverhalt", bold=True, gap=3)
    facts = [f"Sie reisten am {german_date(c.day(before=3000) - timedelta(days=400))} in das "
             "Bundesgebiet ein.", f"Zuletzt waren Sie im Besitz einer Aufenthaltserlaubnis, gültig "
             f"bis {german_date(c.day(before=60))}.", "Mit Schreiben vom "
             f"{german_date(c.day(before=90))} wurden Sie angehört; eine Stellungnahme ging nicht ein.",
             f"Sie sind seit {german_date(c.day(before=1000))} bei der {p['employer']} beschäftigt."]
    for f in c.some(facts, 2):
        w.para(f, gap=2)
    w.add("II. Rechtliche Würdigung", bold=True, gap=4)
    negative = ["Nach § 8 Abs. 1 AufenthG finden auf die Verlängerung der Aufenthaltserlaubnis "
                "dieselben Vorschriften Anwendung wie auf die Erteilung.", "Die allgemeinen "
                "Erteilungsvoraussetzungen des § 5 Abs. 1 AufenthG liegen nicht vor.", "Das "
                "Ausweisungsinteresse wiegt nach Abwägung aller Umstände des Einzelfalls schwer "
                "(§ 54 AufenthG).", "Ermessensfehler sind nicht ersichtlich; Ihre familiären "
                "Bindungen wurden berücksichtigt (Art. 6 GG)."]
    positive = ["Die Voraussetzungen des § 9 Abs. 2 AufenthG liegen vor; insbesondere wurden 60 "
                "Monate Pflichtbeiträge zur Rentenversicherung nachgewiesen.", "Ausreichende "
                "Kenntnisse der deutschen Sprache wurden durch ein Zertifikat nachgewiesen.",
                "Der Lebensunterhalt ist gesichert; ausreichender Wohnraum ist vorhanden.",
                "Die Gebühr bemisst sich nach § 44 Nr. 1 AufenthV."]
    for s in c.some(positive if kind_ in ("erteilung", "gebuehr") else negative, 2, 4):
        w.para(s, gap=2)
    w.add("Rechtsbehelfsbelehrung", 12, bold=True, gap=8)
    w.para(f"Gegen diesen Bescheid können Sie innerhalb eines Monats nach Bekanntgabe Klage beim "
           f"Verwaltungsgericht {c.court_city} erheben. Die Klage ist schriftlich oder zur "
           "Niederschrift des Urkundsbeamten der Geschäftsstelle zu erheben.", 10, gap=2)
    if c.chance(0.4):
        w.para("Hinweis: Die Klage hat keine aufschiebende Wirkung (§ 84 Abs. 1 AufenthG).", 10, gap=3)
    c.closing(["Im Auftrag", c.german()])
    if c.chance(0.45):  # leaflet pages that follow the decision
        w.new_page()
        w.add(c.pick(["Hinweise", "Wichtige Hinweise", "Merkblatt zu diesem Bescheid"]), 13, bold=True)
        notes = [f"Die Gebühr ist innerhalb von zwei Wochen unter Angabe des Kassenzeichens "
                 f"{c.rng.randrange(10**9, 10**10)} an die Stadtkasse {c.office_city} zu überweisen.",
                 "Eine Beratung zur freiwilligen Rückkehr bieten die Rückkehrberatungsstellen der "
                 "Wohlfahrtsverbände kostenlos an.", "Bitte bringen Sie zu jeder Vorsprache Ihren "
                 "Pass und diesen Bescheid mit.", "Änderungen Ihrer Anschrift teilen Sie bitte "
                 "unverzüglich mit.", "Die Einreichung der Klage hindert nicht die Vollziehung, "
                 "soweit nicht das Gericht die aufschiebende Wirkung anordnet.",
                 "Termine vereinbaren Sie bitte online; ohne Termin ist keine Vorsprache möglich.",
                 "Für Übersetzungen, die Sie vorlegen, werden nur Übersetzungen durch gerichtlich "
                 "ermächtigte Übersetzer anerkannt.", "Datenschutzhinweise nach Art. 13 DSGVO "
                 "finden Sie auf der Internetseite der Stadt."]
        for n in c.some(notes, 4, 8):
            w.para(n, gap=4)
    return c.finish(f"Bescheid ABH {p['surname']}", decision=kind_)


_DIAGNOSES = [("F43.1", "Posttraumatische Belastungsstörung"), ("F32.1", "mittelgradige "
              "depressive Episode"), ("I10.90", "essentielle Hypertonie"), ("E11.9", "Diabetes "
              "mellitus Typ 2"), ("M54.5", "Kreuzschmerz"), ("J45.0", "allergisches Asthma "
              "bronchiale"), ("O09.9", "Schwangerschaft, 32. SSW"), ("C50.9", "Mammakarzinom, "
              "laufende Chemotherapie"), ("N18.4", "chronische Nierenkrankheit Stadium 4"),
              ("G40.9", "Epilepsie")]


@kind("medical_attest", name=1.0, name_dob=0.7, aktenzeichen=0.25)
def medical_attest(c: Ctx) -> SampleDocument:
    """Medical certificate or report (fitness to travel, treatment, diagnosis)."""
    p, w = c.p, c.w
    doctor = f"Dr. med. {c.german()}"
    field = c.pick(["Fachärztin für Allgemeinmedizin", "Facharzt für Innere Medizin",
                    "Fachärztin für Psychiatrie und Psychotherapie", "Facharzt für Neurologie",
                    "Fachärztin für Frauenheilkunde"])
    hospital = c.chance(0.25)
    name = (f"{c.pick(['Klinikum', 'St.-Josef-Krankenhaus', 'Evangelisches Krankenhaus'])} "
            f"{c.office_city}" if hospital else f"Praxis {doctor}")
    org = Org(name, [f"{c.pick(STREETS)} {c.rng.randrange(1, 90)}", f"{c.abh_postcode} {c.office_city}"],
              c.office_city, field if not hospital else "Klinik für Innere Medizin")
    c.letterhead(org)
    if hospital:
        w.add(f"Frau/Herrn Dr. med. {c.german()}, Hausarztpraxis", gap=6)
    c.date_line(c.office_city, indent=110)
    heading = (c.pick(["Arztbrief", "Entlassungsbericht", "Befundbericht"]) if hospital else
               c.pick(["Ärztliches Attest", "Ärztliche Bescheinigung", "Attest", "Attest zur Vorlage "
                       "bei der Ausländerbehörde", "Bescheinigung über die Reiseunfähigkeit"]))
    w.add(heading, 14, bold=True, gap=8)
    if c.want("aktenzeichen"):
        w.add(f"Az. der Ausländerbehörde: {c.az()}", 10, gap=2)
    if c.want("name_dob") and c.chance(0.6):
        w.add("Patient/in:", gap=4)
        c.person_fields(extra=False, gap=1)
    elif c.want("name_dob"):
        w.add(f"Patient/in: {c.name()}, geb. {c.dob()}", gap=4)
    elif c.named:
        w.add(f"Patient/in: {c.name()}", gap=4)
    code, text = c.pick(_DIAGNOSES)
    who = c.name("formal") if c.named else "Die Patientin / der Patient"
    if hospital:
        w.para(f"wir berichten über {'unsere Patientin, die' if p['sex'] == 'F' else 'unseren Patienten, der'}"
               f" sich vom {german_date(c.day(before=40))} bis {german_date(c.day(before=5))} "
               "in unserer stationären Behandlung befand.", gap=6)
    else:
        w.para(f"{who} befindet sich seit {german_date(c.day(before=900))} in meiner regelmäßigen "
               "ambulanten Behandlung.", gap=6)
    w.add(f"Diagnose: {text} (ICD-10: {code})", bold=True, gap=4)
    if c.chance(0.5):
        code2, text2 = c.pick(_DIAGNOSES)
        w.add(f"Nebendiagnose: {text2} ({code2})")
    findings = ["Aus ärztlicher Sicht besteht derzeit Reiseunfähigkeit; eine Flugreise ist "
                f"bis mindestens {german_date(c.day(after=120))} nicht zumutbar.", "Eine "
                "Unterbrechung der Behandlung würde zu einer wesentlichen Verschlechterung des "
                "Gesundheitszustands führen.", "Die medikamentöse Therapie muss dauerhaft "
                "fortgesetzt werden; die Medikamente sind im Herkunftsland nicht verlässlich "
                "verfügbar.", f"Arbeitsunfähig vom {german_date(c.day(before=10))} bis "
                f"{german_date(c.day(after=20))}.", "Regelmäßige Kontrollen in vierwöchigen Abständen "
                "sind erforderlich.", "Die Patientin / der Patient ist auf Unterstützung im Alltag "
                "durch Familienangehörige angewiesen."]
    for s in c.some(findings, 2, 4):
        w.para(s, gap=3)
    w.para(c.pick(["Die Bescheinigung wird auf Wunsch zur Vorlage bei Behörden ausgestellt.",
                   "Für Rückfragen stehe ich mit Einverständnis des Patienten gerne zur Verfügung.",
                   "Mit freundlichen kollegialen Grüßen"]), gap=6)
    c.closing([doctor, field], greeting="")
    return c.finish(f"Attest {p['surname']}", diagnosis=code)
