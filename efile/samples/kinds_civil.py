"""Civil status: birth, marriage and divorce certificates, German originals and certified
translations of foreign ones. The divorce judgement is deliberately close to a court
document (both come from a court, with reasons and instructions on remedies)."""

from __future__ import annotations

from datetime import date, timedelta

from .common import Ctx, kind
from .documents import SampleDocument, german_date, long_date
from .people import ORIGINS, foreign_name

_LANG = {"TUR": "Türkischen", "SYR": "Arabischen", "IRQ": "Arabischen", "AFG": "Dari",
         "IRN": "Persischen", "POL": "Polnischen", "UKR": "Ukrainischen", "RUS": "Russischen",
         "KAZ": "Russischen", "VNM": "Vietnamesischen", "ESP": "Spanischen", "COL": "Spanischen",
         "BRA": "Portugiesischen", "CHN": "Chinesischen", "RKS": "Albanischen",
         "SRB": "Serbischen", "ROU": "Rumänischen", "ERI": "Tigrinya", "CMR": "Französischen"}


def _born(c: Ctx) -> date:
    return date.fromisoformat(c.p["birth_iso"])


def _translation_head(c: Ctx) -> bool:
    """Foreign certificates arrive as certified translations; True if this one does."""
    lang = _LANG.get(c.p["nationality"], "Englischen")
    if c.chance(0.35):
        return False
    c.w.add(c.pick([f"Beglaubigte Übersetzung aus dem {lang}", f"Übersetzung aus dem {lang}",
                    f"– Übersetzung aus dem {lang} –"]), 10, bold=True)
    return True


def _translator(c: Ctx) -> None:
    lang = _LANG.get(c.p["nationality"], "Englischen")
    w = c.w
    w.keep(4)
    w.para(f"Die Richtigkeit und Vollständigkeit der vorstehenden Übersetzung aus dem {lang} wird "
           "bescheinigt.", 9, gap=10)
    w.add(f"{c.german('F')}, {c.pick(['öffentlich bestellte und allgemein beeidigte', 'ermächtigte'])} "
          f"Übersetzerin, {c.office_city}, {german_date(c.today)}", 9)


def _spouse(c: Ctx) -> tuple[str, str, str, str]:
    """(given names, surname, birth date, birth place) of the spouse: same origin or German."""
    sex = "M" if c.p.get("sex") == "F" else "F"
    origin = c.p["origin"] if c.p.get("origin") in ORIGINS else "tr"
    if c.chance(0.3):
        given, surname = c.german(sex).split(" ", 1)
        place = c.pick(["Essen", "Köln", "Wuppertal", "Dortmund", "Hamburg", "Leipzig"])
    else:
        given, surname = foreign_name(c.rng, origin, sex)
        place = c.pick(ORIGINS[origin][5])
    birth = _born(c) + timedelta(days=c.rng.randrange(-2500, 2500))
    return given, surname, german_date(birth), place


def _identity_rows(c: Ctx, numbered: bool = False) -> None:
    """The certificate's own person: labelled when name_dob is allowed, otherwise by name. The
    multilingual extract numbers its fields (date and place of birth before the names)."""
    p, w = c.p, c.w
    sex = f"Geschlecht: {'weiblich' if p['sex'] == 'F' else 'männlich'}"
    rows: list[str] = []
    if c.want("name_dob"):
        names = [c.surname_label(), f"Vornamen: {p['given_names']}"]
        rows = [f"Geburtsdatum: {c.dob()}", f"Geburtsort: {p['birth_place']}", sex, *names] \
            if numbered else [*names, f"Geburtsdatum: {c.dob()}", f"Geburtsort: {p['birth_place']}", sex]
    else:
        rows = ([f"Name: {c.name()}"] if c.named else []) + [f"Geburtsort: {p['birth_place']}", sex]
    for i, r in enumerate(rows, 2):
        w.add(f"{i}. {r}" if numbered else r, gap=3 if i == 2 else 0.0)


@kind("birth_certificate", name_dob=0.85, name=1.0, aktenzeichen=0.05)
def birth_certificate(c: Ctx) -> SampleDocument:
    """Birth certificate: German register extract, multilingual extract or translation."""
    p, w = c.p, c.w
    translated = _translation_head(c)
    style = c.rng.randrange(3)
    if style == 2 and not translated:
        w.add("Auszug aus dem Geburtseintrag / Extract from the register of births / Extrait de "
              "l'acte de naissance", 12, bold=True, gap=4)
        w.add("(Internationales Übereinkommen vom 8. September 1976)", 8)
        w.add(f"1. Staat: {ORIGINS.get(p.get('origin', 'tr'), ORIGINS['tr'])[1].capitalize()}er "
              f"Staat · Standesamt {p['birth_place']}", 10, gap=4)
        _identity_rows(c, numbered=True)
    else:
        w.add(c.pick(["Geburtsurkunde", "GEBURTSURKUNDE", "Auszug aus dem Geburtenregister",
                      "Birth Certificate / Geburtsurkunde"]), c.pick([15, 16]), bold=True, gap=4)
        w.add(f"Standesamt {p['birth_place']}" + (f" · Nr. G {c.rng.randrange(1, 3000)}/"
                                                  f"{_born(c).year}" if c.chance(0.6) else ""), 10)
        _identity_rows(c)
        if not c.want("name_dob"):
            w.add(f"Geburtstag: {long_date(_born(c))}")
    father_given, _ = foreign_name(c.rng, p.get("origin", "tr"), "M")
    mother_given, mother_surname = foreign_name(c.rng, p.get("origin", "tr"), "F")
    w.add(c.pick(["Eltern", "Angaben zu den Eltern"]), 12, bold=True, gap=6)
    w.add(f"Vater: {father_given} {p['surname'] if c.named else ''}".rstrip())
    maiden = foreign_name(c.rng, p.get("origin", "tr"), "F")[1]
    w.add(f"Mutter: {mother_given} {mother_surname}, geborene {maiden}"
          if c.chance(0.3) and maiden != mother_surname else f"Mutter: {mother_given} {mother_surname}")
    if c.chance(0.5):
        w.para(c.pick(["Änderungen des Geburtseintrags: keine", "Hinweis: Der Eintrag wurde "
                       "nachträglich beurkundet.", "Folgebeurkundungen: keine"]), 10, gap=6)
    w.add(f"{p['birth_place']}, {german_date(_born(c) + timedelta(days=c.rng.randrange(3, 4000)))}",
          gap=8)
    w.add(c.pick(["Der Standesbeamte", "Die Standesbeamtin", "Registerbehörde (Siegel)"]), 10)
    if translated:
        _translator(c)
    if c.want("aktenzeichen"):
        w.add(f"Az. {c.az()}", 9, gap=6)
    return c.finish(f"Geburtsurkunde {p['surname']}", translated=str(translated))


@kind("marriage_certificate", name_dob=0.8, name=1.0, aktenzeichen=0.08)
def marriage_certificate(c: Ctx) -> SampleDocument:
    """Marriage certificate (German Eheurkunde or translation): both spouses, date, place."""
    p, w = c.p, c.w
    translated = _translation_head(c)
    s_given, s_surname, s_birth, s_place = _spouse(c)
    married = c.today - timedelta(days=c.rng.randrange(60, 6000))
    place = c.pick([c.office_city, p["birth_place"]])
    w.add(c.pick(["Eheurkunde", "Heiratsurkunde", "Auszug aus dem Eheregister",
                  "Marriage Certificate / Eheurkunde", "EHEURKUNDE"]), c.pick([15, 16]), bold=True,
          gap=4)
    w.add(f"Standesamt {place}" + (f" · Nr. E {c.rng.randrange(1, 900)}/{married.year}"
                                   if c.chance(0.6) else ""), 10)
    blocks = []
    if c.want("name_dob"):
        blocks.append([c.surname_label(), f"Vornamen: {p['given_names']}", f"Geburtsdatum: {c.dob()}",
                       f"Geburtsort: {p['birth_place']}"])
    elif c.named:
        blocks.append([f"Name: {c.name()}", f"Geburtsort: {p['birth_place']}"])
    else:
        blocks.append(["Name: (unleserlich)"])
    blocks.append([f"Name: {s_given} {s_surname}", f"geboren am {s_birth} in {s_place}"])
    if c.chance(0.5):
        blocks.reverse()
    for i, rows in enumerate(blocks, 1):
        w.add(f"Ehegatte {i}" if c.chance(0.6) else ("Ehefrau" if (i == 1) == (p["sex"] == "F")
                                                     else "Ehemann"), 12, bold=True, gap=6)
        for r in rows:
            w.add(r)
    w.para(c.pick([f"Die Ehe wurde am {german_date(married)} vor dem Standesamt {place} geschlossen.",
                   f"Tag der Eheschließung: {german_date(married)}; Ort der Eheschließung: {place}.",
                   f"Die Eheschließung erfolgte am {long_date(married)} in {place}."]), gap=8)
    if c.chance(0.6):
        w.add(f"Ehename: {c.pick([p['surname'], s_surname]) if c.named else s_surname}", gap=3)
    if c.chance(0.4):
        w.para("Die Ehegatten haben erklärt, keinen gemeinsamen Ehenamen zu führen.", 10, gap=3)
    w.add(f"{place}, {german_date(married + timedelta(days=c.rng.randrange(0, 2000)))}", gap=8)
    w.add(c.pick(["Der Standesbeamte", "Die Standesbeamtin"]), 10)
    if translated:
        _translator(c)
    if c.want("aktenzeichen"):
        w.add(f"zu Az. {c.az()}", 9, gap=6)
    return c.finish(f"Eheurkunde {p['surname']}", married=married.isoformat())


@kind("divorce_certificate", name=1.0, name_dob=0.5, aktenzeichen=0.05)
def divorce(c: Ctx) -> SampleDocument:
    """Divorce: decision of a German family court, or a translated foreign divorce certificate."""
    p, w = c.p, c.w
    s_given, s_surname, _, _ = _spouse(c)
    decided = c.today - timedelta(days=c.rng.randrange(60, 2500))
    married = min(_born(c) + timedelta(days=365 * 22 + c.rng.randrange(0, 3000)),
                  decided - timedelta(days=c.rng.randrange(400, 3000)))
    client = c.name() if c.named else "der Beteiligten zu 1"
    if c.chance(0.35) and _translation_head(c):
        w.add(c.pick(["Scheidungsurkunde", "Divorce Certificate / Scheidungsurkunde",
                      "Bescheinigung über die Ehescheidung"]), 15, bold=True, gap=4)
        if c.want("name_dob"):
            w.add(c.surname_label(), gap=4)
            w.add(f"Geburtsdatum: {c.dob()}")
        w.para(f"Die am {german_date(married)} geschlossene Ehe zwischen {client} und {s_given} "
               f"{s_surname} wurde durch Urteil des Gerichts in {p['birth_place']} vom "
               f"{german_date(decided)} geschieden. Das Urteil ist rechtskräftig seit "
               f"{german_date(decided + timedelta(days=30))}.", gap=6)
        _translator(c)
        return c.finish(f"Scheidungsurkunde {p['surname']}")
    w.header = c.pick(["- {n} -", "Seite {n}"])
    court = f"Amtsgericht {c.pick([c.office_city, 'Essen', 'Köln', 'Dortmund', 'Düsseldorf'])}"
    w.add(court, 13, bold=True)
    w.add("– Familiengericht –", 11)
    w.add(f"Geschäftsnummer: {c.rng.randrange(10, 99)} F {c.rng.randrange(10, 999)}/"
          f"{decided:%y}", 10, gap=4)
    w.add(c.pick(["Beschluss", "Scheidungsbeschluss", "Im Namen des Volkes – Beschluss",
                  "Endbeschluss in der Familiensache"]), 15, bold=True, gap=8)
    w.add("In der Familiensache", gap=6)
    first, second = (client, f"{s_given} {s_surname}")
    if c.chance(0.5):
        first, second = second, first
    w.para(f"{first}, " + (f"geboren am {c.dob()}, " if c.want("name_dob") and first == client
                           else "") + "– Antragsteller/in –", gap=2)
    w.add("gegen", gap=2)
    w.para(f"{second}, " + (f"geboren am {c.dob()}, " if c.want("name_dob") and second == client
                            else "") + "– Antragsgegner/in –", gap=2)
    w.para(f"hat das {court} durch den Richter am Amtsgericht {c.german('M').split()[1]} auf die "
           f"mündliche Verhandlung vom {german_date(decided)} beschlossen:", gap=6)
    w.para(f"1. Die am {german_date(married)} vor dem Standesamt {c.pick([c.office_city, p['birth_place']])} "
           "geschlossene Ehe der Beteiligten wird geschieden.", gap=4, indent=4)
    w.para("2. Ein Versorgungsausgleich findet nicht statt.", gap=2, indent=4)
    w.para("3. Die Kosten des Verfahrens werden gegeneinander aufgehoben.", gap=2, indent=4)
    w.add("Gründe", 12, bold=True, gap=8)
    for s in c.some(["Die Beteiligten leben seit mehr als einem Jahr getrennt. Beide haben der "
                     "Scheidung zugestimmt.", "Die Ehe ist gescheitert (§ 1565 BGB); die "
                     "Lebensgemeinschaft besteht nicht mehr und ihre Wiederherstellung ist nicht zu "
                     "erwarten.", "Aus der Ehe sind keine gemeinsamen minderjährigen Kinder "
                     "hervorgegangen.", "Der Versorgungsausgleich war wegen kurzer Ehedauer nicht "
                     "durchzuführen (§ 3 Abs. 3 VersAusglG)."], 2):
        w.para(s, gap=3)
    w.add("Rechtsbehelfsbelehrung", 11, bold=True, gap=6)
    w.para("Gegen diesen Beschluss ist die Beschwerde statthaft. Sie ist binnen eines Monats nach "
           f"schriftlicher Bekanntgabe beim {court} einzulegen.", 10, gap=2)
    if c.chance(0.6):
        w.add(f"Rechtskräftig seit {german_date(decided + timedelta(days=35))}.", bold=True, gap=6)
    return c.finish(f"Scheidungsbeschluss {p['surname']}")
