"""Building blocks shared by the document builders (``kinds_*.py``).

* `Ctx` is what a builder writes with. It hands out the client's identifiers only through
  methods that record them, so the identifiers a `SampleDocument` claims to carry are the
  ones really printed: a corpus whose labels lie would teach and measure the wrong thing.
* `Writer` (layout.py) keeps every page on the A4 sheet.
* `kind` registers a builder for a taxonomy id with the identifiers its documents may carry.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .documents import SampleDocument, german_date, long_date
from .layout import Writer
from .people import GERMAN_FEMALE, GERMAN_MALE, GERMAN_SURNAMES, new_person, office_of

# What a document can carry that leads to its client. name_dob: a labelled surname
# ("Familienname:", "Name / Surname:") and a labelled birth date; dob: a labelled birth date
# without a labelled surname; name: the name in any form. Only the STRONG ones identify.
IDENTIFIERS = ("mrz", "aktenzeichen", "azr", "passport", "name_dob", "dob", "name")
STRONG = frozenset(IDENTIFIERS) - {"name", "dob"}

@dataclass
class Org:
    """A sender: name, address lines, contact line, city for the date line."""
    name: str
    address: list[str]
    city: str
    contact: str = ""


def eur(amount: float, unit: str = "€") -> str:
    """German money format: 3.450,00 €."""
    s = f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{s} {unit}" if unit else s


def postcode_city(person: dict[str, str]) -> tuple[str, str]:
    code, _, city = person["city"].partition(" ")
    return code, city


class Ctx:
    """What a builder writes with: randomness, the client, the identifiers it may print, a
    `Writer` and a record of what was printed."""

    def __init__(self, rng: random.Random, person: dict[str, str], ids: frozenset[str],
                 kind: str) -> None:
        self.rng = rng
        self.p = person
        self.ids = ids
        self.kind = kind
        self.w = Writer()
        self.printed: set[str] = set()
        self.today = date(2024, 9, 1) + timedelta(days=rng.randrange(0, 760))
        off = office_of(person)
        self.office_city, self.abh_street, self.abh_postcode = off[0], off[2], off[3]
        self.court_city, self.finanzamt = off[4], rng.choice(off[5])

    # -- randomness ------------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, seq: Sequence) -> Any:  # whatever the sequence holds
        return seq[self.rng.randrange(len(seq))]

    def some(self, seq: Sequence, low: int, high: int | None = None) -> list:
        """A random selection (in random order) of between low and high items."""
        k = self.rng.randint(low, min(high if high is not None else len(seq), len(seq)))
        return self.rng.sample(list(seq), k)

    def shuffled(self, seq: Iterable) -> list:
        out = list(seq)
        self.rng.shuffle(out)
        return out

    def day(self, before: int = 0, after: int = 0) -> date:
        """A date around the document date (negative: in the past)."""
        return self.today + timedelta(days=self.rng.randint(-before, after))

    def german(self, sex: str | None = None) -> str:
        """A German contact person: caseworker, landlord, doctor."""
        sex = sex or self.pick("MF")
        return f"{self.pick(GERMAN_MALE if sex == 'M' else GERMAN_FEMALE)} {self.pick(GERMAN_SURNAMES)}"

    # -- identifiers, recorded when handed out ---------------------------------------------
    def want(self, ident: str) -> bool:
        return ident in self.ids

    @property
    def named(self) -> bool:
        """May the client's name appear at all?"""
        return bool(self.ids & {"name", "name_dob", "mrz"})

    def name(self, style: str = "full") -> str:
        """full: Ayşe Yılmaz · formal: Frau Ayşe Yılmaz · dative: Herrn Ali Kaya · rev: YILMAZ,
        Ayşe · short: Frau Yılmaz · surname: Yılmaz."""
        self.printed.add("name")
        p = self.p
        if style == "rev":
            return f"{p['surname'].upper()}, {p['given_names']}"
        if style == "surname":
            return p["surname"]
        if style == "formal":
            return f"{self.mr()} {p['given_names']} {p['surname']}"
        if style == "dative":
            return f"{self.mr(dative=True)} {p['given_names']} {p['surname']}"
        if style == "short":
            return f"{self.mr()} {p['surname']}"
        return f"{p['given_names']} {p['surname']}"

    def mr(self, dative: bool = False) -> str:
        if self.p.get("sex") == "F":
            return "Frau"
        return "Herrn" if dative else "Herr"

    def az(self) -> str:
        self.printed.add("aktenzeichen")
        return self.p["aktenzeichen"]

    def azr(self) -> str:
        self.printed.add("azr")
        return self.p["azr"]

    def passport(self) -> str:
        self.printed.add("passport")
        return self.p["passport"]

    def dob(self) -> str:
        self.printed.add("dob")
        return self.p["birth_date"]

    def surname_label(self, label: str = "Familienname", upper: bool = False) -> str:
        """A line the product reads as the surname ("Familienname: Yılmaz")."""
        self.printed.update({"name", "surname_label"})
        surname = self.p["surname"]
        return f"{label}: {surname.upper() if upper else surname}"

    def has_azr(self) -> bool:
        return self.want("azr") and bool(self.p.get("azr"))

    # -- frequent blocks -------------------------------------------------------------------
    def person_fields(self, *, gap: float = 2.0, size: int = 11, indent: float = 0.0,
                      extra: bool = True, given_label: str | None = None) -> None:
        """Labelled personal data as forms print it, limited to the identifiers allowed."""
        w = self.w
        if self.want("name_dob"):
            w.add(self.surname_label(), size, gap=gap, indent=indent)
            w.add(f"{given_label or self.pick(['Vorname', 'Vornamen', 'Vorname(n)'])}: "
                  f"{self.p['given_names']}", size, indent=indent)
            w.add(f"Geburtsdatum: {self.dob()}", size, indent=indent)
            if extra and self.chance(0.6):
                w.add(f"Geburtsort: {self.p['birth_place']}", size, indent=indent)
        elif self.named:
            w.add(f"Name, Vorname: {self.name('rev')}", size, gap=gap, indent=indent)
        if extra and self.named and self.chance(0.5):
            w.add(f"Staatsangehörigkeit: {self.p['nationality_de']}", size, indent=indent)
        if self.want("passport"):
            label = self.pick(["Reisepassnummer", "Pass-Nr.", "Passnummer"])
            w.add(f"{label}: {self.passport()}", size, indent=indent)
        if self.has_azr():
            w.add(f"AZR-Nummer: {self.azr()}", size, indent=indent)

    def refs(self, *, own: str | None = None, labels: Sequence[str] = ("Ihr Zeichen", "Ihr Az.",
             "Aktenzeichen", "Ihr Aktenzeichen"), gap: float = 6.0, indent: float = 0.0) -> None:
        """Reference lines of a letter: the office's Aktenzeichen if allowed, the sender's own."""
        first = True
        if self.want("aktenzeichen"):
            self.w.add(f"{self.pick(labels)}: {self.az()}", 10, gap=gap, indent=indent)
            first = False
        if own:
            self.w.add(own, 10, gap=gap if first else 0.0, indent=indent)
            first = False
        if self.has_azr() and self.chance(0.5):
            self.w.add(f"AZR-Nummer: {self.azr()}", 10, gap=gap if first else 0.0, indent=indent)

    def client_address(self, gap: float = 10.0) -> None:
        """The client as the addressee (or 'An die Bewohner' when no name may appear)."""
        w = self.w
        if self.named:
            w.add(self.mr(dative=True), gap=gap)
            w.add(self.name())
        else:
            w.add(self.pick(["An die Bewohnerinnen und Bewohner", "An den Haushalt"]), gap=gap)
        w.add(self.p["street"])
        w.add(self.p["city"])

    def abh_address(self, gap: float = 10.0) -> None:
        w = self.w
        w.add(f"Stadt {self.office_city}", gap=gap)
        w.add(self.pick(["Ausländerbehörde", "Ausländeramt", "Ausländerbehörde – Team Aufenthalt",
                         "Ressort Zuwanderung und Integration", "Amt für Migration und Integration"]))
        w.add(self.abh_street)
        w.add(f"{self.abh_postcode} {self.office_city}")

    def letterhead(self, org: Org, style: int | None = None) -> None:
        """Three common letterheads: bold name left, sender block right, capitals with rule."""
        w = self.w
        style = self.rng.randrange(3) if style is None else style
        if style == 0:
            w.add(org.name, self.pick([14, 15, 16]), bold=True)
            for a in org.address:
                w.add(a, 9)
            if org.contact:
                w.add(org.contact, 9)
        elif style == 1:
            w.add(org.name, 12, bold=True, indent=105)
            for a in org.address:
                w.add(a, 9, indent=105)
            if org.contact:
                w.add(org.contact, 8, indent=105)
        else:
            w.add(org.name.upper(), 13, bold=True)
            w.add(" · ".join(org.address + ([org.contact] if org.contact else [])), 8)
            w.add("_" * 60, 9)
        w.add(f"{org.name} · {' · '.join(org.address)}", 7, gap=self.pick([8, 10, 12]))

    def date_line(self, city: str, when: date | None = None, *, indent: float | None = None,
                  gap: float = 6.0) -> None:
        when = when or self.today
        text = self.pick([f"{city}, {german_date(when)}", f"{city}, den {german_date(when)}",
                          f"{city}, {long_date(when)}", f"Datum: {german_date(when)}"])
        self.w.add(text, gap=gap, indent=self.pick([0, 110]) if indent is None else indent)

    def paragraphs(self, items: Iterable[str], gap: float = 3.0, size: int = 11) -> None:
        for text in items:
            self.w.para(text, size, gap=gap)

    def closing(self, signer: Sequence[str], greeting: str | None = None) -> None:
        w = self.w
        w.keep(3 + len(signer))
        if greeting is None:
            greeting = self.pick(["Mit freundlichen Grüßen", "Mit freundlichem Gruß",
                                  "Freundliche Grüße", "Hochachtungsvoll"])
        if greeting:
            w.add(greeting, gap=8)
        for i, s in enumerate(signer):
            w.add(s, gap=14 if i == 0 else 0.0)

    def finish(self, title: str, **facts: str) -> SampleDocument:
        """The document, its facts and the identifiers really printed."""
        printed = set(self.printed)
        if {"surname_label", "dob"} <= printed:
            printed = (printed | {"name_dob"}) - {"dob"}
        printed.discard("surname_label")
        facts["identifiers"] = ";".join(i for i in IDENTIFIERS if i in printed)
        facts.setdefault("date", self.today.isoformat())
        return SampleDocument(self.kind, title, self.w.finish(), self.p, facts)


Builder = Callable[..., SampleDocument]


@dataclass(frozen=True)
class KindSpec:
    """A taxonomy id, its builder and how often its documents carry each identifier."""
    kind: str
    build: Builder
    ids: dict[str, float]

    def draw_ids(self, rng: random.Random) -> frozenset[str]:
        return frozenset(i for i, p in self.ids.items() if rng.random() < p)


REGISTRY: dict[str, KindSpec] = {}


def complete_person(person: dict[str, str]) -> dict[str, str]:
    """Fill fields an older person dict (make_person) lacks, deterministically from its name,
    so every builder also works for the persons of `sample_set`."""
    needed = new_person(random.Random(f"{person.get('surname')}|{person.get('birth_date')}"))
    missing = {k: v for k, v in needed.items() if k not in person}
    if not missing:
        return person
    merged = {**missing, **person}
    if "birth_iso" not in person and "birth_date" in person:
        d, m, y = person["birth_date"].split(".")
        merged["birth_iso"] = f"{y}-{m}-{d}"
    return merged


def kind(kind_id: str, **ids: float) -> Callable[[Callable[[Ctx], SampleDocument]], Builder]:
    """Register `fn(ctx)` as the builder of `kind_id`. The public builder has the signature
    ``build(rng, person, ids=None)``; ids=None draws them with the given probabilities."""

    def decorate(fn: Callable[[Ctx], SampleDocument]) -> Builder:
        def build(rng: random.Random, person: dict[str, str],
                  ids: Iterable[str] | None = None) -> SampleDocument:
            chosen = REGISTRY[kind_id].draw_ids(rng) if ids is None else frozenset(ids)
            return fn(Ctx(rng, complete_person(person), chosen, kind_id))

        build.__name__ = fn.__name__
        build.__qualname__ = fn.__qualname__
        build.__doc__ = fn.__doc__
        REGISTRY[kind_id] = KindSpec(kind_id, build, dict(ids))
        return build

    return decorate
