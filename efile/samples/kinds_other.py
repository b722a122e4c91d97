"""'other': what reaches the office and fits no type. Cover letters without a clear subject,
advertising, invoices, handwritten notes, and documents of other authorities that look like
typed ones (a Kindergeld or Jobcenter Bescheid, a school certificate) but are none of them."""

from __future__ import annotations

from datetime import timedelta

from .common import Ctx, Org, eur, kind
from .documents import SampleDocument, german_date
from .people import STREETS, company


def _cover_letter(c: Ctx) -> str:
    p, w = c.p, c.w
    if c.named:
        w.add(c.name())
        w.add(f"{p['street']}, {p['city']}")
    c.abh_address(gap=8)
    c.date_line(c.office_city, indent=110)
    c.refs(gap=2, labels=("Aktenzeichen", "Az.", "Mein Aktenzeichen", "Ihr Zeichen"))
    if c.want("name_dob"):
        c.person_fields(extra=False, gap=2)
    w.add(c.pick(["Unterlagen", "Nachreichung von Unterlagen", "Betreff: Ihr Schreiben",
                  "Meine Angelegenheit", ""]), bold=True, gap=6)
    w.add("Sehr geehrte Damen und Herren,", gap=6)
    for s in c.some(["anbei übersende ich Ihnen die angeforderten Unterlagen.", "wie telefonisch "
                     "besprochen, reiche ich die fehlenden Nachweise nach.", "leider konnte ich den "
                     "Termin am Dienstag nicht wahrnehmen, weil mein Kind krank war.", "bitte "
                     "teilen Sie mir mit, ob noch etwas fehlt.", "ich habe eine neue Telefonnummer: "
                     f"01{c.rng.randrange(51, 79)} {c.rng.randrange(1000000, 9999999)}.",
                     "Ich bitte um einen neuen Termin."], 2, 4):
        w.para(s if w.pages[-1][-1].text.endswith(",") else s[0].upper() + s[1:], gap=2)
    c.closing([c.name() if c.named else "(Unterschrift)"])
    return "Begleitschreiben"


def _advert(c: Ctx) -> str:
    w = c.w
    shop = c.pick([f"Umzüge {c.german().split()[1]}", f"Sprachschule {c.pick(['Lingua', 'Babel', 'Polyglott'])}",
                   f"Pizzeria {c.pick(['Bella Napoli', 'Da Mario', 'Roma'])}", "Fahrschule Grünes Licht",
                   f"Übersetzungsbüro {c.german().split()[1]}", "Handyshop & Internetcafé"])
    w.add(shop.upper(), c.pick([20, 22, 24]), bold=True)
    w.add(c.pick(["Jetzt NEU in Ihrer Nähe!", "Nur diesen Monat!", "Ihr Partner vor Ort"]), 14, gap=4)
    offers = {"Umz": ["Umzüge zum Festpreis", "Entrümpelung und Renovierung", "Halteverbotszone inklusive"],
              "Spr": ["Deutschkurse A1 bis C1", "Prüfungsvorbereitung", "Abendkurse und Onlinekurse"],
              "Piz": ["Pizza ab 5,90 €", "Mittagsmenü mit Getränk", "Lieferung bis 23 Uhr"],
              "Fah": ["Führerschein Klasse B", "Intensivkurse in den Ferien", "Unterricht auch auf "
                      "Türkisch und Arabisch"],
              "Übe": ["Übersetzungen aller Sprachen", "Eilservice", "Beglaubigungen"],
              "Han": ["Handyreparatur in 30 Minuten", "Geldtransfer weltweit", "Prepaid-Karten"]}
    for line in offers[shop[:3]]:
        w.add(f"✓ {line}", 13, gap=4)
    w.add(f"{c.pick(STREETS)} {c.rng.randrange(1, 90)} · {c.abh_postcode} {c.office_city}", 11, gap=10)
    w.add(f"Tel. 0{c.rng.randrange(200, 999)} {c.rng.randrange(100000, 999999)} · Mo–Sa 9–20 Uhr", 11)
    if c.chance(0.5):
        w.add(f"Gutschein: {c.pick(['10 %', '5 €', '1 Getränk gratis'])} bei Vorlage dieses Flyers", 10, gap=8)
    return "Werbung"


def _invoice(c: Ctx) -> str:
    w = c.w
    seller = c.pick([f"Übersetzungsbüro {c.german().split()[1]}", company(c.rng), "Foto Studio Express",
                     f"Elektro {c.german().split()[1]} GmbH"])
    c.letterhead(Org(seller, [f"{c.pick(STREETS)} {c.rng.randrange(1, 90)}", f"{c.abh_postcode} "
                              f"{c.office_city}"], c.office_city, f"USt-IdNr. DE{c.rng.randrange(10**8, 10**9)}"))
    c.client_address(gap=4)
    c.date_line(c.office_city, indent=110)
    w.add(f"Rechnung Nr. {c.today.year}-{c.rng.randrange(100, 9999)}", 13, bold=True, gap=6)
    items = c.some([("Übersetzung Geburtsurkunde", 45.0), ("Beglaubigung", 15.0),
                    ("Biometrische Passfotos (4 Stück)", 14.95), ("Anfahrt", 35.0),
                    ("Arbeitszeit 2 Std.", 118.0), ("Kopien", 3.5)], 2, 4)
    net = 0.0
    for label, amount in items:
        w.add(f"{label:<40}{eur(amount, ''):>12} €", 10, mono=True)
        net += amount
    w.add(f"{'Nettobetrag':<40}{eur(net, ''):>12} €", 10, mono=True, gap=2)
    w.add(f"{'zzgl. 19 % USt.':<40}{eur(net * 0.19, ''):>12} €", 10, mono=True)
    w.add(f"{'Rechnungsbetrag':<40}{eur(net * 1.19, ''):>12} €", 10, mono=True, bold=True)
    w.para(f"Bitte überweisen Sie den Betrag bis zum {german_date(c.today + timedelta(days=14))}.", gap=6)
    return "Rechnung"


def _note(c: Ctx) -> str:
    w = c.w
    lines = [c.pick(["Hallo,", "Liebe Frau " + c.german('F').split()[1] + ",", "Guten Tag,"])]
    lines += c.some(["bitte die Papiere an die Sachbearbeiterin weitergeben", "Pass kommt nächste Woche",
                     "ich war heute da aber niemand hat aufgemacht", "Danke!!", "Termin geht leider "
                     "nicht, bin bei der Arbeit", "Kopie vom Mietvertrag liegt bei"], 2, 4)
    if c.want("aktenzeichen"):
        lines.append(f"Az {c.az()}")
    if c.named:
        lines.append(c.pick([c.name(), c.name("surname"), c.name("short")]))
    for ln in lines:
        w.add(ln, c.pick([13, 14, 15]), indent=c.rng.uniform(0, 30), gap=c.rng.uniform(3, 9))
    return "Notiz"


def _other_authority(c: Ctx) -> str:
    p, w = c.p, c.w
    issuer, title, text = c.pick([
        ("Familienkasse Nordrhein-Westfalen Nord", "Bescheid über Kindergeld",
         "für Ihr Kind wird Kindergeld ab {d} in Höhe von 255,00 € monatlich festgesetzt."),
        (f"Jobcenter {c.office_city}", "Änderungsbescheid",
         "Ihre Leistungen zur Sicherung des Lebensunterhalts werden ab {d} neu festgesetzt."),
        (f"Städtische Gesamtschule {c.office_city}", "Schulbescheinigung",
         "Hiermit wird bescheinigt, dass das Kind die Klasse 7b unserer Schule seit {d} besucht."),
        ("Stadtwerke " + c.office_city, "Jahresabrechnung Strom",
         "für den Abrechnungszeitraum bis {d} ergibt sich eine Nachzahlung von 84,20 €."),
        ("Rundfunkbeitrag – ARD ZDF Deutschlandradio Beitragsservice", "Zahlungsaufforderung",
         "bitte zahlen Sie den fälligen Rundfunkbeitrag bis zum {d}."),
    ])
    c.letterhead(Org(issuer, [f"Postfach {c.rng.randrange(1000, 99999)}", f"{c.abh_postcode} {c.office_city}"],
                     c.office_city))
    c.client_address(gap=4)
    c.date_line(c.office_city, indent=110)
    w.add(title, 13, bold=True, gap=8)
    w.add(f"Sehr geehrte{'' if p['sex'] == 'F' else 'r'} {c.name('short')}," if c.named else
          "Sehr geehrte Damen und Herren,", gap=6)
    w.para(text.format(d=german_date(c.day(before=60))), gap=3)
    if c.chance(0.5):
        w.para("Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Einspruch bzw. "
               "Widerspruch eingelegt werden.", 10, gap=4)
    c.closing([c.pick([issuer, "Im Auftrag"])])
    return title


@kind("other", name=0.6, aktenzeichen=0.45, name_dob=0.05)
def other(c: Ctx) -> SampleDocument:
    """Something that belongs to no document type; a person looks at it."""
    variant = c.pick([_cover_letter, _cover_letter, _advert, _invoice, _note, _other_authority,
                      _other_authority])
    title = variant(c)
    return c.finish(f"{title} {c.p['surname']}", variant=variant.__name__.strip("_"))
