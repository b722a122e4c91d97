"""Paper documents the immigration office issues about a stay: Zusatzblatt to the eAT,
Fiktionsbescheinigung, Duldung. They share the office's stamp, personal data fields and
Nebenbestimmungen, and differ in legal basis and status (confusable on purpose)."""

from __future__ import annotations

from datetime import timedelta

from .common import Ctx, kind
from .documents import SampleDocument, german_date

_CONDITIONS = [
    "Erwerbstätigkeit gestattet.",
    "Beschäftigung nur als {job} bei der {employer} gestattet.",
    "Beschäftigung bei jedem Arbeitgeber erlaubt. Selbständige Tätigkeit nicht gestattet.",
    "Wohnsitzauflage: Wohnsitznahme in {city} erforderlich (§ 12a AufenthG).",
    "Selbständige Tätigkeit nur nach Erlaubnis der Ausländerbehörde gestattet.",
    "Der Titel erlischt mit Beendigung der Beschäftigung bei der {employer}.",
    "Beschäftigung bis zu 140 volle Tage oder 280 halbe Tage im Jahr sowie studentische "
    "Nebentätigkeit erlaubt.",
    "Teilnahme am Integrationskurs ist verpflichtend (§ 44a AufenthG).",
    "Die Aufenthaltserlaubnis berechtigt nicht zur Ausübung einer Erwerbstätigkeit, die nicht "
    "im Zusammenhang mit der Anerkennung der Berufsqualifikation steht.",
    "Wechsel des Arbeitgebers ist der Ausländerbehörde innerhalb von zwei Wochen anzuzeigen.",
]


def _fill(c: Ctx, text: str) -> str:
    return text.format(job=c.p["job"], employer=c.p["employer"], city=c.office_city)


def _stamp(c: Ctx) -> None:
    """Place, date, issuing office, signature: the bottom of every paper the office issues."""
    w = c.w
    w.keep(6)
    w.add(f"{c.office_city}, {german_date(c.today)}", gap=c.pick([8, 12]))
    w.add(c.pick([f"Stadt {c.office_city} – Ausländerbehörde", f"Der Oberbürgermeister der Stadt "
                  f"{c.office_city} – Ausländerbehörde –", f"Ausländeramt {c.office_city}"]), 10)
    w.add(c.pick(["Im Auftrag", "i. A.", ""]), 10, gap=8)
    w.add(c.german(), 10)
    if c.chance(0.6):
        w.add("(Dienstsiegel)", 8, indent=100)


def _personal(c: Ctx, numbered: bool) -> None:
    p, w = c.p, c.w
    n = iter(range(1, 20))
    pre = (lambda: f"{next(n)}. ") if numbered else (lambda: "")
    if c.want("name_dob"):
        w.add(pre() + c.surname_label(), gap=4)
        w.add(pre() + f"Vorname(n): {p['given_names']}")
        w.add(pre() + f"Geburtsdatum: {c.dob()}")
    elif c.named:
        w.add(pre() + f"Name, Vorname: {c.name('rev')}", gap=4)
    w.add(pre() + f"Geburtsort: {p['birth_place']}" if c.named else pre() + "Geburtsort: —")
    w.add(pre() + f"Staatsangehörigkeit: {p['nationality_de']}")
    if c.named and c.chance(0.7):
        w.add(pre() + f"Anschrift: {p['street']}, {p['city']}")
    if c.want("passport"):
        w.add(pre() + f"{c.pick(['Pass-Nr.', 'Passnummer'])}: {c.passport()}")
    if c.has_azr():
        w.add(pre() + f"AZR-Nummer: {c.azr()}")


@kind("residence_permit_supplement", aktenzeichen=0.7, name_dob=0.8, name=0.95, azr=0.2,
      passport=0.1)
def supplement(c: Ctx) -> SampleDocument:
    """Zusatzblatt with conditions (Nebenbestimmungen) belonging to an eAT card."""
    p, w = c.p, c.w
    w.add(c.pick(["Zusatzblatt zum Aufenthaltstitel", "Zusatzblatt zum elektronischen "
                  "Aufenthaltstitel (eAT)", "ZUSATZBLATT", "Zusatzblatt – Nebenbestimmungen und "
                  "Auflagen"]), c.pick([14, 15, 16]), bold=True)
    w.add(c.pick(["Bundesrepublik Deutschland", f"Stadt {c.office_city} – Ausländerbehörde",
                  "gilt nur in Verbindung mit dem elektronischen Aufenthaltstitel"]), 9)
    w.add(f"{c.pick(['Seriennummer des Aufenthaltstitels', 'Seriennummer eAT', 'Kartennummer'])}: "
          f"{p['eat_number']}", gap=6)
    if c.want("aktenzeichen"):
        w.add(f"{c.pick(['Aktenzeichen', 'Az.'])}: {c.az()}")
    _personal(c, numbered=c.chance(0.4))
    w.add(c.pick(["Nebenbestimmungen:", "Nebenbestimmungen und Auflagen:", "Auflagen / Bedingungen:",
                  "Anmerkungen:"]), 12, bold=True, gap=8)
    for cond in c.some(_CONDITIONS, 2, 4):
        w.para(f"– {_fill(c, cond)}", gap=2, indent=4)
    if c.chance(0.5):
        w.para(c.pick(["Dieses Zusatzblatt ist Bestandteil des Aufenthaltstitels und stets mit "
                       "diesem mitzuführen.", "Änderungen der Nebenbestimmungen werden auf einem "
                       "neuen Zusatzblatt vermerkt; frühere Zusatzblätter verlieren ihre Gültigkeit."]),
               10, gap=6)
    _stamp(c)
    return c.finish(f"Zusatzblatt {p['surname']}")


_FIKTION = [("Der Aufenthalt gilt als erlaubt (§ 81 Abs. 3 Satz 1 AufenthG).", "erlaubt"),
            ("Die Abschiebung gilt als ausgesetzt (§ 81 Abs. 3 Satz 2 AufenthG).", "ausgesetzt"),
            ("Der bisherige Aufenthaltstitel gilt mit allen Nebenbestimmungen als fortbestehend "
             "(§ 81 Abs. 4 Satz 1 AufenthG).", "fortbestehend")]


@kind("fiktionsbescheinigung", aktenzeichen=0.75, name_dob=0.85, name=0.95, azr=0.2, passport=0.2)
def fiktionsbescheinigung(c: Ctx) -> SampleDocument:
    """Certificate that a stay counts as lawful while an application is pending (§ 81 (5))."""
    p, w = c.p, c.w
    until = c.today + timedelta(days=c.pick([90, 120, 180, 182]))
    heading = c.pick(["Fiktionsbescheinigung", "FIKTIONSBESCHEINIGUNG",
                      "Bescheinigung nach § 81 Abs. 5 AufenthG", "Fiktionsbescheinigung – Verlängerung"])
    w.add(heading, c.pick([15, 16]), bold=True)
    if not heading.startswith("Bescheinigung"):
        w.add(c.pick(["nach § 81 Abs. 5 des Aufenthaltsgesetzes", "(§ 81 Abs. 5 AufenthG)"]), 10)
    w.add(c.pick(["vorläufiges Dokument – kein Aufenthaltstitel", "Diese Bescheinigung ist kein "
                  "Aufenthaltstitel und kein Passersatz.", ""]), 9, gap=2)
    w.add(f"Seriennummer: {c.pick('ABCDEFGH')}{c.rng.randrange(1000000, 9999999)}", 10, gap=4)
    if c.want("aktenzeichen"):
        w.add(f"{c.pick(['Aktenzeichen', 'Az.', 'Geschäftszeichen'])}: {c.az()}", 10)
    _personal(c, numbered=c.chance(0.3))
    w.add(c.pick(["Der Inhaber / die Inhaberin hat am {d} die Erteilung/Verlängerung eines "
                  "Aufenthaltstitels beantragt.", "Antrag auf Verlängerung des Aufenthaltstitels "
                  "gestellt am {d}."]).format(d=german_date(c.day(before=120))), gap=8)
    chosen = c.pick(_FIKTION)
    for text, tag in _FIKTION if c.chance(0.6) else [chosen]:
        mark = "[X]" if tag == chosen[1] else "[  ]"
        w.para(f"{mark} {text}", gap=2, indent=2)
    w.add(f"Gültig bis: {german_date(until)}", bold=True, gap=6)
    if c.chance(0.7):
        w.add("Nebenbestimmungen:", gap=4)
        w.para(_fill(c, c.pick(_CONDITIONS)), gap=1, indent=4)
    if c.chance(0.5):
        w.para("Die Bescheinigung verliert ihre Gültigkeit mit der Entscheidung über den Antrag. "
               "Sie ist bei Abholung des Aufenthaltstitels zurückzugeben.", 10, gap=6)
    _stamp(c)
    if c.chance(0.3):  # extension notes on a second sheet
        w.new_page()
        w.add("Verlängerungsvermerke", 12, bold=True)
        for _ in range(c.rng.randint(1, 3)):
            until += timedelta(days=c.pick([60, 90]))
            w.add(f"Verlängert bis {german_date(until)} – {c.office_city}, Im Auftrag {c.german()}",
                  10, gap=6)
    return c.finish(f"Fiktionsbescheinigung {p['surname']}", valid_until=until.isoformat())


_DULDUNG_REASONS = ["Die Abschiebung ist aus tatsächlichen Gründen unmöglich (fehlende Reisedokumente).",
                    "Ausbildungsduldung nach § 60c AufenthG.", "Beschäftigungsduldung nach § 60d AufenthG.",
                    "Duldung für Personen mit ungeklärter Identität (§ 60b AufenthG).",
                    "Dringende persönliche Gründe (§ 60a Abs. 2 Satz 3 AufenthG).",
                    "Reiseunfähigkeit laut ärztlicher Bescheinigung."]


@kind("duldung", aktenzeichen=0.75, name_dob=0.85, name=0.95, azr=0.3)
def duldung(c: Ctx) -> SampleDocument:
    """Certificate of suspended deportation (§ 60a AufenthG)."""
    p, w = c.p, c.w
    until = c.today + timedelta(days=c.pick([30, 90, 180, 365]))
    if c.chance(0.5):
        w.add("Bescheinigung über die Aussetzung der Abschiebung", c.pick([14, 15]), bold=True)
        w.add("(Duldung)", 13, bold=True)
    else:
        w.add(c.pick(["DULDUNG", "Duldung nach § 60a AufenthG", "Aussetzung der Abschiebung"]),
              c.pick([15, 16]), bold=True)
    w.para(c.pick(["Diese Bescheinigung ist kein Aufenthaltstitel! Der Inhaber / die Inhaberin "
                   "ist ausreisepflichtig.", "Kein Aufenthaltstitel. Die Ausreisepflicht bleibt "
                   "unberührt.", "Die Bescheinigung dient nicht als Passersatz."]), 10, gap=2)
    if c.want("aktenzeichen"):
        w.add(f"{c.pick(['Aktenzeichen', 'Az.'])}: {c.az()}", 10, gap=4)
    _personal(c, numbered=c.chance(0.4))
    if c.chance(0.5):
        w.add("Die Angaben zur Person beruhen auf den eigenen Angaben des Inhabers.", 9, gap=2)
    w.add(f"Die Abschiebung wird ausgesetzt bis: {german_date(until)}", bold=True, gap=8)
    if c.chance(0.7):
        w.para(c.pick(_DULDUNG_REASONS), gap=3)
    w.add(c.pick(["Nebenbestimmungen:", "Auflagen:"]), gap=6)
    conds = ["Erwerbstätigkeit nicht gestattet.", "Beschäftigung nur mit Erlaubnis der "
             "Ausländerbehörde gestattet.", "Räumlich beschränkt auf das Land Nordrhein-Westfalen.",
             f"Wohnsitzauflage: {c.office_city}.", "Die Duldung erlischt mit dem Tag der Ausreise "
             "oder Abschiebung.", "Der Inhaber hat an der Beschaffung eines Passes mitzuwirken.",
             "Selbständige Tätigkeit nicht gestattet."]
    for cond in c.some(conds, 2, 4):
        w.para(f"– {cond}", gap=1, indent=4)
    _stamp(c)
    return c.finish(f"Duldung {p['surname']}", valid_until=until.isoformat())
