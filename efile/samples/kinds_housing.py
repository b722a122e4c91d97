"""Housing: rental contract, landlord's confirmation of moving in (§ 19 BMG), registration
certificate of the Bürgeramt. All three name the address and the tenant; the contract is
long and private, the confirmation a short form, the certificate an official printout."""

from __future__ import annotations

from datetime import timedelta

from .common import Ctx, eur, kind
from .documents import SampleDocument, german_date
from .people import STREETS, foreign_name


def _landlord(c: Ctx) -> tuple[str, str]:
    if c.chance(0.4):
        name = c.pick(["Wohnungsbaugesellschaft", "Gemeinnützige Wohnungsgenossenschaft",
                       "Immobilienverwaltung", "Bauverein"]) + f" {c.office_city} " + \
            c.pick(["eG", "GmbH", "mbH"])
    else:
        name = c.german()
    return name, f"{c.pick(STREETS)} {c.rng.randrange(1, 90)}, {c.abh_postcode[:2]}" \
                 f"{c.rng.randrange(100, 999)} {c.office_city}"


_RENT_CLAUSES = {
    "Mietsache": "Vermietet wird die Wohnung im {floor} des Hauses {street}, {city}, bestehend aus "
                 "{rooms} Zimmern, Küche, Bad/WC und Flur. Die Wohnfläche beträgt ca. {area} m². "
                 "Mitvermietet ist ein Kellerraum.",
    "Mietzeit": "Das Mietverhältnis beginnt am {begin} und läuft auf unbestimmte Zeit.",
    "Miete und Nebenkosten": "Die Nettokaltmiete beträgt monatlich {rent}. Daneben zahlt der Mieter "
                             "eine Vorauszahlung auf die Betriebskosten von {extra} und auf die "
                             "Heizkosten von {heat}. Die Gesamtmiete beträgt {total}.",
    "Zahlung": "Die Miete ist monatlich im Voraus, spätestens am dritten Werktag, auf das Konto "
               "des Vermieters zu zahlen.",
    "Kaution": "Der Mieter leistet eine Mietsicherheit in Höhe von {deposit}. Sie kann in drei "
               "gleichen monatlichen Teilzahlungen erbracht werden.",
    "Schönheitsreparaturen": "Die Wohnung wird renoviert übergeben. Schönheitsreparaturen während "
                             "der Mietzeit übernimmt der Mieter im üblichen Umfang.",
    "Tierhaltung": "Die Haltung von Kleintieren ist gestattet; andere Tiere bedürfen der Zustimmung "
                   "des Vermieters.",
    "Hausordnung": "Die beigefügte Hausordnung ist Bestandteil dieses Vertrages.",
    "Untervermietung": "Eine Untervermietung ist nur mit schriftlicher Erlaubnis des Vermieters "
                       "zulässig.",
    "Kündigung": "Die Kündigung richtet sich nach den gesetzlichen Vorschriften und bedarf der "
                 "Schriftform.",
    "Sonstige Vereinbarungen": "Die Anzahl der in die Wohnung einziehenden Personen beträgt {persons}.",
}


@kind("rental_contract", name=1.0, name_dob=0.15, aktenzeichen=0.05)
def rental_contract(c: Ctx) -> SampleDocument:
    """Residential rental contract, 2-3 pages."""
    p, w = c.p, c.w
    landlord, address = _landlord(c)
    rent = c.rng.randrange(340, 980)
    extra, heat = c.rng.randrange(90, 240), c.rng.randrange(50, 140)
    values = {"floor": c.pick(["Erdgeschoss links", "1. Obergeschoss rechts", "2. OG Mitte",
                               "Dachgeschoss"]), "street": p["street"], "city": p["city"],
              "rooms": c.pick([1, 2, 2, 3, 3, 4]), "area": c.rng.randrange(32, 98),
              "begin": german_date(c.day(before=800)), "rent": eur(rent), "extra": eur(extra),
              "heat": eur(heat), "total": eur(rent + extra + heat), "deposit": eur(rent * 3),
              "persons": c.pick([1, 2, 3, 4, 5])}
    w.header = c.pick(["Seite {n} von {total}", "- {n} -", None])
    w.add(c.pick(["Mietvertrag", "Mietvertrag für Wohnraum", "Wohnungsmietvertrag",
                  "MIETVERTRAG über Wohnraum"]), c.pick([16, 18]), bold=True)
    w.add("Zwischen", gap=8)
    w.add(f"{landlord}, {address}", gap=2)
    w.add("– Vermieter –", 10)
    w.add("und", gap=4)
    tenant = c.name() if c.named else "der Mietpartei"
    if c.want("name_dob") and c.chance(0.5):
        tenant += f", geb. {c.dob()}"
    w.add(f"{tenant}, bisher wohnhaft {c.pick(STREETS)} {c.rng.randrange(1, 80)}, {p['city']}", gap=2)
    w.add("– Mieter –", 10)
    if c.want("name_dob") and "dob" not in c.printed:
        c.person_fields(extra=False, gap=3, size=10)
    w.add("wird folgender Mietvertrag geschlossen:", gap=4)
    must = ["Mietsache", "Mietzeit", "Miete und Nebenkosten", "Kaution"]
    optional = [k for k in _RENT_CLAUSES if k not in must]
    for i, title in enumerate(must + c.some(optional, 3), 1):
        w.keep(3)
        w.add(f"§ {i} {title}", bold=True, gap=5)
        w.para(_RENT_CLAUSES[title].format(**values), gap=1)
    w.keep(6)
    w.add(f"{c.office_city}, den {german_date(c.day(before=800))}", gap=10)
    w.add("______________________          ______________________", gap=14)
    w.add("Vermieter                                  Mieter", 9)
    if c.chance(0.35):  # the house rules travel with the contract
        w.new_page()
        w.add(c.pick(["Anlage 1: Hausordnung", "Hausordnung (Bestandteil des Mietvertrages)"]), 13,
              bold=True)
        for rule in c.some(["Ruhezeiten: werktags von 22 bis 6 Uhr sowie von 13 bis 15 Uhr.",
                            "Treppenhaus und Flure sind im wöchentlichen Wechsel zu reinigen.",
                            "Fahrräder und Kinderwagen dürfen nicht im Treppenhaus abgestellt werden.",
                            "Müll ist getrennt in den dafür vorgesehenen Behältern zu entsorgen.",
                            "Grillen auf Balkonen ist nur mit Elektrogrill gestattet.",
                            "Die Haustür ist zwischen 22 und 6 Uhr geschlossen zu halten.",
                            "Im Winter ist für ausreichende Beheizung und Lüftung zu sorgen.",
                            "Waschmaschinen dürfen nur in der Waschküche betrieben werden.",
                            "Der Winterdienst wird vom Vermieter beauftragt; die Kosten sind "
                            "umlagefähig."], 5):
            w.para(f"– {rule}", gap=3, indent=4)
    return c.finish(f"Mietvertrag {p['surname']}", rent=str(rent))


@kind("landlord_confirmation", name=1.0, name_dob=0.35, aktenzeichen=0.05)
def landlord_confirmation(c: Ctx) -> SampleDocument:
    """Wohnungsgeberbestätigung (§ 19 BMG): the landlord confirms who moved in, and when."""
    p, w = c.p, c.w
    landlord, address = _landlord(c)
    moved = c.day(before=300)
    w.add(c.pick(["Wohnungsgeberbestätigung", "Bestätigung des Wohnungsgebers",
                  "Einzugsbestätigung des Wohnungsgebers", "Wohnungsgeberbescheinigung"]),
          c.pick([15, 16]), bold=True)
    w.add(c.pick(["nach § 19 des Bundesmeldegesetzes (BMG)", "gemäß § 19 BMG",
                  "(§ 19 Bundesmeldegesetz)"]), 10)
    sections = []
    sections.append(("Angaben zum Wohnungsgeber", [f"Name: {landlord}", f"Anschrift: {address}",
                     c.pick(["Der Wohnungsgeber ist gleichzeitig Eigentümer der Wohnung.",
                             "Der Wohnungsgeber ist nicht Eigentümer. Name des Eigentümers: "
                             f"{c.german()}", "[X] Eigentümer  [ ] beauftragte Person"])]))
    sections.append(("Angaben zur Wohnung", [f"Anschrift: {p['street']}, {p['city']}",
                     f"{c.pick(['Einzug am', 'Datum des Einzugs'])}: {german_date(moved)}",
                     c.pick(["[X] Einzug   [ ] Auszug", "Art: Einzug"])]))
    order = sections if c.chance(0.6) else sections[::-1]
    for title, rows in order:
        w.add(title, 12, bold=True, gap=8)
        for r in rows:
            w.para(r, gap=1)
    w.add(c.pick(["Folgende Person(en) ist/sind in die Wohnung eingezogen:", "Meldepflichtige "
                  "Person(en):"]), 12, bold=True, gap=8)
    if c.want("name_dob"):
        w.add(c.surname_label(), gap=2)
        w.add(f"Vorname: {p['given_names']}")
        w.add(f"Geburtsdatum: {c.dob()}")
    elif c.named:
        w.add(f"1. {c.name('rev')}", gap=2)
    if c.named and c.chance(0.35):  # a family member moving in with the client
        given, _ = foreign_name(c.rng, p["origin"], c.pick("MF"))
        w.add(f"2. {p['surname'].upper()}, {given}")
    w.para(c.pick(["Ich bestätige mit meiner Unterschrift den Einzug der oben genannten Person(en).",
                   "Hiermit bestätige ich, dass die genannten Personen die Wohnung bezogen haben."]),
           gap=8)
    w.para("Es ist verboten, eine Wohnungsanschrift für eine Anmeldung anzubieten, wenn ein "
           "tatsächlicher Bezug der Wohnung weder stattfindet noch beabsichtigt ist. Ein Verstoß "
           "kann mit einer Geldbuße bis zu 50.000 Euro geahndet werden.", 9, gap=3)
    w.keep(3)
    w.add(f"{c.office_city}, {german_date(moved + timedelta(days=c.rng.randrange(0, 10)))}", gap=10)
    w.add(f"Unterschrift des Wohnungsgebers: {landlord}", gap=6)
    return c.finish(f"Wohnungsgeberbestätigung {p['surname']}", landlord=landlord)


@kind("registration_certificate", name=1.0, name_dob=0.9, aktenzeichen=0.05)
def registration_certificate(c: Ctx) -> SampleDocument:
    """Meldebescheinigung of the Bürgeramt (simple or extended) after registering an address."""
    p, w = c.p, c.w
    extended = c.chance(0.4)
    w.add(f"Stadt {c.office_city}", 13, bold=True)
    w.add(c.pick(["Bürgeramt", "Einwohnermeldeamt", "Bürgerbüro Mitte", "Meldebehörde"]), 10)
    w.add(f"{c.pick(STREETS)} {c.rng.randrange(1, 40)} · {c.abh_postcode} {c.office_city}", 8)
    if c.chance(0.5):
        c.client_address(gap=8)
    w.add(c.pick(["Erweiterte Meldebescheinigung", "Melderegisterauskunft"] if extended else
                 ["Meldebescheinigung", "Einfache Meldebescheinigung", "Bescheinigung über die "
                  "Anmeldung"]), 14, bold=True, gap=10)
    w.add(c.pick(["nach § 18 Abs. 1 Bundesmeldegesetz (BMG)", "gemäß § 18 BMG", ""]), 9)
    if c.named or c.want("name_dob"):
        if c.want("name_dob"):
            w.add(c.surname_label(), gap=6)
            w.add(f"Vornamen: {p['given_names']}")
            w.add(f"Geburtsdatum: {c.dob()}")
        else:
            w.add(f"Name, Vorname: {c.name('rev')}", gap=6)
        if c.chance(0.6):
            w.add(f"Geburtsort: {p['birth_place']}")
    rows = [f"Staatsangehörigkeit(en): {p['nationality_de']}",
            f"Anschrift: {p['street']}, {p['city']}", "Wohnungsstatus: Hauptwohnung",
            f"Einzugsdatum: {german_date(c.day(before=900))}"]
    if extended:
        rows += [f"Familienstand: {c.pick(['ledig', 'verheiratet', 'geschieden', 'verwitwet'])}",
                 f"Frühere Anschrift: {c.pick(STREETS)} {c.rng.randrange(1, 80)}, "
                 f"{c.pick(['Essen', 'Köln', 'Dortmund', 'Duisburg', 'Berlin', 'Hamburg'])}",
                 "Religionszugehörigkeit: keine Angabe"]
    for r in rows if c.chance(0.6) else c.shuffled(rows):
        w.add(r)
    w.para(c.pick(["Diese Bescheinigung wurde maschinell erstellt und ist ohne Unterschrift gültig.",
                   "Die Meldebescheinigung ist gebührenpflichtig; die Gebühr wurde entrichtet.",
                   "Die Richtigkeit der Angaben wird bestätigt."]), 9, gap=10)
    w.add(f"{c.office_city}, {german_date(c.today)}", 10, gap=4)
    if c.chance(0.5):
        w.add(f"Im Auftrag {c.german()}", 10, gap=6)
    return c.finish(f"Meldebescheinigung {p['surname']}", extended=str(extended))
