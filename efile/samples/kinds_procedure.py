"""The procedure: lawyers' letters, court documents, the office's own decisions, medical
certificates. Lawyer letter, court document and decision share vocabulary (Antrag,
Begründung, Frist, Klage) and often the office's Aktenzeichen; who writes decides the type."""

from __future__ import annotations

from datetime import timedelta

from .common import Ctx, Org, kind
from .documents import SampleDocument, german_date
from .people import STREETS

_MATTERS = ["Erteilung einer Aufenthaltserlaubnis", "Verlängerung der Aufenthaltserlaubnis",
            "Erteilung einer Niederlassungserlaubnis", "Ausweisung", "Familiennachzug",
            "Erteilung einer Beschäftigungsduldung", "Aufenthaltserlaubnis nach § 25b AufenthG",
            "Einbürgerung"]


def _subject_person(c: Ctx) -> None:
    """How letters name the client in the subject: labelled, 'geb.' or just the name."""
    p, w = c.p, c.w
    if c.want("name_dob") and c.chance(0.6):
        c.person_fields(extra=False, gap=2)
    elif c.want("name_dob"):
        w.add(f"{c.name('rev')}, geb. {c.dob()}, {p['nationality_de']}", gap=2)
    elif c.named:
        w.add(f"{c.name('rev')}, {p['nationality_de']}e Staatsangehörigkeit", gap=2)
    if c.has_azr() and c.chance(0.6):
        w.add(f"AZR-Nummer: {c.azr()}")
    if c.want("passport") and c.chance(0.7):
        w.add(f"Reisepassnummer: {c.passport()}")


@kind("lawyer_letter", aktenzeichen=0.85, name=1.0, name_dob=0.55, azr=0.15, passport=0.1)
def lawyer_letter(c: Ctx) -> SampleDocument:
    """Letter of a law firm to the office: notice of representation, files, applications."""
    w = c.w
    female = c.chance(0.5)
    lawyer = c.german("F" if female else "M")
    title = "Rechtsanwältin" if female else "Rechtsanwalt"
    firm = c.pick([f"{title} {lawyer}", f"Kanzlei {lawyer.split()[1]} & Partner",
                   f"{lawyer.split()[1]} Rechtsanwälte PartGmbB", f"Anwaltskanzlei {lawyer}"])
    org = Org(firm, [f"{c.pick(STREETS)} {c.rng.randrange(1, 90)}", f"{c.abh_postcode[:2]}"
                     f"{c.rng.randrange(100, 999)} {c.pick([c.office_city, 'Düsseldorf', 'Köln', 'Essen'])}"],
              c.office_city, c.pick(["Fachanwältin für Migrationsrecht" if female else
                                     "Fachanwalt für Migrationsrecht", "Ausländer- und Asylrecht",
                                     "Tel. 0211 4711-0 · kanzlei@example.de"]))
    w.header = c.pick(["- {n} -", "Seite {n}"])
    c.letterhead(org)
    c.abh_address()
    c.refs(own=f"Unser Zeichen: {c.rng.randrange(10, 999)}/{c.today:%y} {lawyer.split()[1][:2].upper()}",
           gap=6)
    c.date_line(org.city, indent=110, gap=2)
    matter = c.pick(_MATTERS)
    w.add(c.pick(["In Sachen", "In der Ausländerangelegenheit", "Betreff:", "Ausländerrechtliche "
                  "Angelegenheit"]) + (f" {c.name('surname')}" if c.named and c.chance(0.5) else ""),
          bold=True, gap=8)
    _subject_person(c)
    w.add(f"wegen: {matter}", gap=2)
    w.add("Sehr geehrte Damen und Herren,", gap=6)
    client, client_acc = (("unsere Mandantschaft",) * 2 if c.chance(0.3) else
                           ("unsere Mandantin",) * 2 if c.p.get("sex") == "F" else
                           ("unser Mandant", "unseren Mandanten"))
    opening = c.pick([f"hiermit zeigen wir an, dass wir {client_acc} anwaltlich vertreten. Eine auf "
                      "uns lautende Vollmacht ist beigefügt.", f"in vorbezeichneter Angelegenheit "
                      f"vertreten wir {client_acc}; Vollmacht anbei.", f"unter Bezugnahme auf Ihr "
                      f"Schreiben vom {german_date(c.day(before=60))} nehmen wir für {client_acc} "
                      "wie folgt Stellung:"])
    body = [
        "Wir beantragen Akteneinsicht in die vollständige Ausländerakte und bitten um "
        "Übersendung in unsere Kanzlei; eine Rücksendung erfolgt umgehend.",
        f"{client.capitalize()} erfüllt sämtliche Voraussetzungen für die {matter}. Der "
        "Lebensunterhalt ist durch eine unbefristete Beschäftigung gesichert, ausreichender "
        "Wohnraum ist vorhanden.",
        f"Wir bitten um Mitteilung des Sachstands bis zum {german_date(c.day(after=30))}. Sollte "
        "bis dahin keine Entscheidung ergehen, werden wir Untätigkeitsklage gemäß § 75 VwGO "
        "erheben.",
        "Die in Ihrer Anhörung genannten Gründe tragen eine Ablehnung nicht. Insbesondere ist das "
        "Ausweisungsinteresse nicht mehr aktuell; die Verurteilung liegt über fünf Jahre zurück.",
        "Wir regen an, bis zur Entscheidung eine Fiktionsbescheinigung auszustellen, da die "
        "Mandantschaft für ihren Arbeitgeber ein gültiges Dokument benötigt.",
        "Ärztliche Unterlagen, aus denen sich die Reiseunfähigkeit ergibt, reichen wir nach.",
    ]
    w.para(opening, gap=3)
    for s in c.some(body, 2, 4):
        w.para(s, gap=3)
    w.para(c.pick(["Für Rückfragen stehen wir gerne zur Verfügung.", "Wir bitten, künftige "
                   "Korrespondenz ausschließlich über unsere Kanzlei zu führen.", "Eine Abschrift "
                   "dieses Schreibens erhält die Mandantschaft."]), gap=4)
    c.closing([lawyer, title])
    return c.finish(f"Anwaltsschreiben {c.p['surname']}", matter=matter)


@kind("court_document", aktenzeichen=0.6, name=1.0, name_dob=0.3)
def court_document(c: Ctx) -> SampleDocument:
    """Decision, judgement, summons or order of an administrative court."""
    p, w = c.p, c.w
    court = c.pick([f"Verwaltungsgericht {c.court_city}", f"Verwaltungsgericht {c.court_city}",
                    "Oberverwaltungsgericht für das Land Nordrhein-Westfalen"])
    urgent = c.chance(0.4)
    file_no = f"{c.rng.randrange(1, 28)} {'L' if urgent else 'K'} {c.rng.randrange(100, 9999)}/{c.today:%y}"
    doc = c.pick(["beschluss", "urteil", "ladung", "verfuegung"])
    w.header = c.pick(["- {n} -", "Seite {n} von {total}"])
    w.running = f"Az.: {file_no}"
    w.add(court, c.pick([13, 14]), bold=True)
    w.add(c.pick([f"Aktenzeichen: {file_no}", f"Az.: {file_no}", f"Geschäftszeichen {file_no}"]),
          10, gap=2)
    if doc in ("ladung", "verfuegung"):
        w.add(f"Stadt {c.office_city} – Ausländerbehörde – {c.abh_street}", 10, gap=8)
        c.date_line(c.court_city, indent=110, gap=6)
    heading = {"beschluss": c.pick(["Beschluss", "BESCHLUSS"]), "urteil": c.pick(["Urteil", "Im Namen "
               "des Volkes – Urteil"]), "ladung": c.pick(["Ladung zur mündlichen Verhandlung",
               "Ladung"]), "verfuegung": c.pick(["Verfügung", "Eingangsbestätigung und Verfügung"])}[doc]
    w.add(heading, 15, bold=True, gap=8)
    w.add("In der Verwaltungsrechtssache", gap=6)
    plaintiff = "Antragsteller" if urgent else "Kläger"
    if c.want("name_dob"):
        w.add(c.surname_label(), gap=2)
        w.add(f"Vorname: {p['given_names']}")
        w.add(f"Geburtsdatum: {c.dob()}")
        w.add(f"{p['street']}, {p['city']}, – {plaintiff}/in –")
    else:
        w.para(f"{c.name('full') if c.named else 'der Beteiligten'}, {p['street']}, {p['city']}, "
               f"– {plaintiff}/in –", gap=2)
    w.para(f"Prozessbevollmächtigte: Rechtsanwälte {c.german().split()[1]} & Partner, "
           f"{c.pick([c.office_city, 'Düsseldorf', 'Köln'])}", 10, gap=1)
    w.add("gegen", gap=3)
    defendant = "Antragsgegnerin" if urgent else "Beklagte"
    az = f", Az.: {c.az()}" if c.want("aktenzeichen") else ""
    w.para(f"die Stadt {c.office_city}, vertreten durch den Oberbürgermeister, Ausländerbehörde, "
           f"{c.abh_street}, {c.abh_postcode} {c.office_city}{az}, – {defendant} –", gap=2)
    w.add(f"wegen {c.pick(_MATTERS)}", gap=3)
    if doc == "ladung":
        when = c.day(after=90) + timedelta(days=20)
        w.para(f"werden Sie zur mündlichen Verhandlung am {german_date(when)}, "
               f"{c.pick(['9:30', '10:00', '11:15', '13:30'])} Uhr, Sitzungssaal "
               f"{c.rng.randrange(1, 40)}, geladen.", gap=6)
        w.para("Beim Ausbleiben eines Beteiligten kann auch ohne ihn verhandelt und entschieden "
               "werden. Das persönliche Erscheinen des Klägers wird angeordnet.", gap=3)
        w.add("Auf Anordnung", gap=8)
        w.add(f"{c.german()}, Justizbeschäftigte/r als Urkundsbeamtin/beamter der Geschäftsstelle", 10)
        return c.finish(f"Ladung VG {p['surname']}", court=court, file_no=file_no)
    if doc == "verfuegung":
        w.para("In vorbezeichneter Sache wird die Klageschrift mit der Bitte um Stellungnahme "
               f"binnen vier Wochen übersandt. Die Verwaltungsvorgänge sind bis zum "
               f"{german_date(c.day(after=30))} vorzulegen.", gap=6)
        w.para("Es wird angefragt, ob auf mündliche Verhandlung verzichtet wird (§ 101 Abs. 2 VwGO) "
               "und ob Einverständnis mit einer Entscheidung durch den Berichterstatter besteht.", gap=3)
        w.add(f"{c.german()}, Richter/in", gap=8)
        return c.finish(f"Verfügung VG {p['surname']}", court=court, file_no=file_no)
    chamber = c.rng.randrange(1, 28)
    judges = "als Einzelrichter" if c.chance(0.5) else "und weitere Richter"
    verdict = "beschlossen:" if doc == "beschluss" else "auf die mündliche Verhandlung für Recht erkannt:"
    w.para(f"hat die {chamber}. Kammer des {court.replace('gericht', 'gerichts', 1)} am "
           f"{german_date(c.today)} durch den Richter {c.german('M')} {judges} {verdict}", gap=6)
    granted = c.chance(0.4)
    if urgent:
        tenor = ("Die aufschiebende Wirkung der Klage wird angeordnet." if granted else
                 "Der Antrag auf Gewährung vorläufigen Rechtsschutzes wird abgelehnt.")
    else:
        tenor = ("Die Beklagte wird unter Aufhebung ihres Bescheides verpflichtet, dem Kläger eine "
                 "Aufenthaltserlaubnis zu erteilen." if granted else "Die Klage wird abgewiesen.")
    w.para(tenor, gap=3, indent=4)
    w.para(f"Die Kosten des Verfahrens trägt {'die ' + defendant if granted else 'der ' + plaintiff}.",
           gap=2, indent=4)
    w.para(f"Der Streitwert wird auf {c.pick(['2.500', '5.000', '10.000'])},00 Euro festgesetzt.",
           gap=2, indent=4)
    if doc == "urteil" or c.chance(0.4):
        w.add("Tatbestand" if doc == "urteil" else "I.", 12, bold=True, gap=8)
        story = [f"Der Kläger ist {p['nationality_de']}er Staatsangehöriger und reiste im Jahr "
                 f"{c.today.year - c.rng.randrange(3, 12)} in das Bundesgebiet ein.",
                 "Er war zuletzt im Besitz einer befristeten Aufenthaltserlaubnis, deren "
                 "Verlängerung er rechtzeitig beantragte.", "Mit Bescheid lehnte die Beklagte den "
                 "Antrag ab und drohte die Abschiebung an. Zur Begründung führte sie aus, der "
                 "Lebensunterhalt sei nicht gesichert.", "Hiergegen hat der Kläger rechtzeitig "
                 "Klage erhoben. Er trägt vor, er sei inzwischen unbefristet beschäftigt und "
                 "beziehe keine öffentlichen Leistungen mehr.", "Der Kläger beantragt, die "
                 "Beklagte unter Aufhebung des Bescheides zu verpflichten, ihm die beantragte "
                 "Aufenthaltserlaubnis zu erteilen.", "Die Beklagte beantragt, die Klage "
                 "abzuweisen. Sie verweist auf die Gründe des angefochtenen Bescheides.",
                 "Wegen der weiteren Einzelheiten wird auf die Gerichtsakte und die beigezogenen "
                 "Verwaltungsvorgänge Bezug genommen."]
        for s in story[:c.rng.randint(4, len(story))]:
            w.para(s, gap=3)
    w.add("Entscheidungsgründe" if doc == "urteil" else "Gründe", 12, bold=True, gap=8)
    reasons = ["Der zulässige Antrag ist " + ("begründet." if granted else "unbegründet."),
               "Die im Rahmen des § 80 Abs. 5 VwGO vorzunehmende Interessenabwägung fällt "
               + ("zugunsten" if granted else "zulasten") + " des Antragstellers aus.",
               "Der angefochtene Bescheid ist rechtmäßig und verletzt den Kläger nicht in seinen "
               "Rechten (§ 113 Abs. 5 VwGO).", "Die allgemeinen Erteilungsvoraussetzungen des § 5 "
               "AufenthG liegen vor; insbesondere ist der Lebensunterhalt gesichert.",
               "Der Kläger hat nicht glaubhaft gemacht, dass ihm eine Ausreise unmöglich ist.",
               "Die Kammer folgt der Begründung des angefochtenen Bescheides (§ 117 Abs. 5 VwGO).",
               "Ein Anspruch ergibt sich auch nicht aus Art. 8 EMRK, da keine hinreichende "
               "Verwurzelung im Bundesgebiet festzustellen ist."]
    for i, r in enumerate(c.some(reasons, 3, 6), 1):
        w.para(f"{'I' * min(i, 3) if i <= 3 else i}. {r}", gap=3)
    w.add("Rechtsmittelbelehrung", 12, bold=True, gap=8)
    w.para(("Gegen diesen Beschluss kann innerhalb von zwei Wochen nach Bekanntgabe Beschwerde "
            "eingelegt werden." if doc == "beschluss" else "Gegen dieses Urteil kann innerhalb "
            "eines Monats nach Zustellung die Zulassung der Berufung beantragt werden.")
           + " Vor dem Oberverwaltungsgericht müssen sich die Beteiligten durch Prozessbevollmächtigte "
           "vertreten lassen.", 10, gap=2)
    w.add(c.german(), gap=10)
    return c.finish(f"{heading} VG {p['surname']}", court=court, file_no=file_no)
