"""A labelled corpus of every document type in classifiers/taxonomy.toml.

Two uses: training a text classifier (`training_texts`: texts only, thousands per second) and
an evaluation set of noisy 300-dpi scans that the real OCR pipeline reads (`write_corpus`:
scans plus labels.csv and persons.csv, the client register the router matches against).

Everything is deterministic for the seed, and different seeds draw different clients,
offices, senders and wording, so a classifier trained on one seed and evaluated on another
is measured on documents it has not memorised. Besides normal documents the corpus holds a
few percent of the hard cases the product must get right: clients unknown to the register,
namesakes (same surname, given names and birth date, different files) identified only by
name and birth date, ID documents with a broken MRZ check digit, and documents that carry
no identifier at all.
"""

from __future__ import annotations

import csv
import random
import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import (  # noqa: F401  (importing registers the builders)
    kinds_applications,
    kinds_civil,
    kinds_decision,
    kinds_education,
    kinds_housing,
    kinds_identity,
    kinds_money,
    kinds_other,
    kinds_procedure,
    kinds_residence,
    kinds_work,
)
from .common import REGISTRY, STRONG
from .documents import SampleDocument
from .people import OFFICES, aktenzeichen, new_person
from .render import save_scan, scan_pages

TAXONOMY = Path(__file__).resolve().parents[2] / "classifiers" / "taxonomy.toml"
KINDS: list[str] = [t["id"] for t in tomllib.loads(TAXONOMY.read_text("utf-8"))["type"]]
_missing = sorted(set(KINDS) - set(REGISTRY))
assert not _missing, f"no builder for taxonomy ids {_missing}"
BUILDERS = {k: REGISTRY[k].build for k in KINDS}

ID_DOCUMENTS = ("passport", "id_card", "residence_permit", "visa")
# types whose documents reliably print a labelled surname and birth date (namesake tests)
NAME_DOB_KINDS = ("registration_certificate", "residence_permit_supplement",
                  "fiktionsbescheinigung", "duldung", "employer_declaration",
                  "naturalisation_application", "residence_application", "language_certificate",
                  "naturalisation_test", "birth_certificate", "marriage_certificate",
                  "health_insurance", "landlord_confirmation", "pension_record",
                  "recognition_notice", "commitment_declaration", "power_of_attorney")
CASES = ("normal", "unknown_person", "namesake", "broken_mrz", "no_identifier")
RATES = {"unknown_person": 0.04, "namesake": 0.03, "broken_mrz": 0.03, "no_identifier": 0.04}
PERSON_FIELDS = ["aktenzeichen", "surname", "given_names", "date_of_birth", "nationality",
                 "azr_number", "passport_numbers"]
LABEL_FIELDS = ["file", "doc_type", "aktenzeichen", "identifiers", "case"]


@dataclass
class CorpusDocument:
    """One document of the corpus and its truth."""
    doc: SampleDocument
    file: str  # relative file name of the scan
    expected_efile: str | None  # the client's Aktenzeichen if the client is in the register
    identifiers: list[str]  # what is printed: mrz, aktenzeichen, azr, passport, name_dob, dob, name
    case: str  # one of CASES


def registry_row(person: dict[str, str]) -> dict[str, str]:
    """A person as a row of persons.csv."""
    passports = [x for x in (person["passport"], person.get("passport_old", "")) if x]
    return {"aktenzeichen": person["aktenzeichen"], "surname": person["surname"],
            "given_names": person["given_names"], "date_of_birth": person["birth_iso"],
            "nationality": person["nationality"], "azr_number": person.get("azr", ""),
            "passport_numbers": ";".join(passports)}


def _persons(rng: random.Random, per_class: int) -> tuple[list[dict], list[dict], list[tuple]]:
    """The register (with namesake pairs) and clients unknown to it; identifiers unique."""
    office = rng.choice(OFFICES)
    seen_az: set[str] = set()
    seen_azr: set[str] = set()

    def fresh(off: tuple) -> dict[str, str]:
        while True:
            person = new_person(rng, off)
            if person["aktenzeichen"] in seen_az or (person["azr"] and person["azr"] in seen_azr):
                continue
            seen_az.add(person["aktenzeichen"])
            seen_azr.add(person["azr"])
            return person

    register = [fresh(office) for _ in range(per_class * 4 + 10)]
    pairs = []
    for i in range(max(1, per_class // 15)):
        a, b = register[2 * i], register[2 * i + 1]
        for key in ("surname", "given_names", "birth_date", "birth_iso", "birth_place", "sex",
                    "origin", "nationality", "nationality_de"):
            b[key] = a[key]
        pairs.append((a, b))
    unknown = [fresh(rng.choice(OFFICES)) for _ in range(max(2, per_class // 4))]
    rng.shuffle(register)  # namesakes not side by side in persons.csv
    return register, unknown, pairs


def _assign_cases(rng: random.Random, slots: list[str]) -> list[str]:
    """A case per slot (slot = the document type of one document), a few percent special."""
    total = len(slots)
    cases = ["normal"] * total
    order = list(range(total))
    rng.shuffle(order)
    eligible = {"broken_mrz": lambda k: k in ID_DOCUMENTS,
                "namesake": lambda k: k in NAME_DOB_KINDS,
                "no_identifier": lambda k: k not in ID_DOCUMENTS,
                "unknown_person": lambda k: True}
    for case, rate in RATES.items():
        want = max(1, round(rate * total))
        for i in order:
            if want and cases[i] == "normal" and eligible[case](slots[i]):
                cases[i] = case
                want -= 1
    return cases


def _ensure_strong(rng: random.Random, kind: str) -> frozenset[str]:
    """Draw the identifiers of a document; at least one that leads to the client."""
    spec = REGISTRY[kind]
    ids = set(spec.draw_ids(rng))
    if not ids & STRONG:
        strong = [(p, i) for i, p in spec.ids.items() if i in STRONG]
        if strong:
            ids.add(max(strong)[1])
    return frozenset(ids)


def _printed(doc: SampleDocument) -> list[str]:
    return [i for i in doc.facts.get("identifiers", "").split(";") if i]


def _build(rng: random.Random, kind: str, case: str, person: dict[str, str]) -> SampleDocument:
    build = REGISTRY[kind].build
    for _ in range(25):  # builders choose layouts at random; retry until the case holds
        if case == "namesake":
            doc = build(rng, person, {"name_dob", "name"})
            if set(_printed(doc)) & STRONG == {"name_dob"}:
                return doc
        elif case == "no_identifier":
            return build(rng, person, rng.choice([set(), {"name"}]))
        elif case == "broken_mrz":
            return build(rng, person, _ensure_strong(rng, kind) | {"broken_mrz"})
        else:
            doc = build(rng, person, _ensure_strong(rng, kind))
            if set(_printed(doc)) & STRONG:
                return doc
    return doc


def _file_name(rng: random.Random, index: int, pages: int) -> str:
    """Neutral names (no type, no client: the label must come from the content)."""
    ext = rng.choice([".tif", ".pdf"]) if pages > 1 else rng.choices(
        [".png", ".jpg", ".tif", ".pdf"], weights=[3, 3, 2, 2])[0]
    return f"scan_{index:05d}{ext}"


def generate(seed: int, per_class: int) -> tuple[list[CorpusDocument], list[dict]]:
    """`per_class` documents of every taxonomy type and the client register (persons.csv rows).
    Deterministic for the seed."""
    rng = random.Random(f"efile-corpus:{seed}")
    register, unknown, pairs = _persons(rng, per_class)
    namesakes = [p for pair in pairs for p in pair]
    twins = {p["aktenzeichen"] for p in namesakes}
    slots = [k for k in KINDS for _ in range(per_class)]
    cases = _assign_cases(rng, slots)
    docs: list[CorpusDocument] = []
    for index, (kind, case) in enumerate(zip(slots, cases, strict=True)):
        if case == "unknown_person":
            person = rng.choice(unknown)
        elif case == "namesake":
            person = rng.choice(namesakes)
        else:
            person = rng.choice(register)
        doc = _build(rng, kind, case, person)
        printed = _printed(doc)
        strong = set(printed) & STRONG
        if case == "normal" and not strong:
            case = "no_identifier"
        elif case == "normal" and strong == {"name_dob"} and person["aktenzeichen"] in twins:
            case = "namesake"
        expected = None if case == "unknown_person" else person["aktenzeichen"]
        docs.append(CorpusDocument(doc, _file_name(rng, index, len(doc.pages)), expected, printed,
                                   case))
    return docs, [registry_row(p) for p in register]


def training_texts(seed: int, per_class: int) -> list[tuple[str, str]]:
    """(text, taxonomy id) pairs for training a classifier; nothing is rendered."""
    return [(d.doc.text, d.doc.kind) for d in generate(seed, per_class)[0]]


def write_corpus(folder: Path, seed: int, per_class: int, *,
                 kinds: list[str] | None = None) -> Path:
    """Render every document as a noisy 300-dpi scan into `folder` (TIFF, PNG, JPEG or
    image-only PDF) with labels.csv and persons.csv. `kinds` limits which types are rendered
    (the register and labels stay those of the full corpus minus the skipped files)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    docs, persons = generate(seed, per_class)
    rng = random.Random(f"efile-corpus-scan:{seed}")
    rows = []
    for d in docs:
        strength = rng.uniform(0.6, 1.3)
        upside_down = {0} if rng.random() < 0.02 else None
        if kinds is not None and d.doc.kind not in kinds:
            continue
        pages = scan_pages(d.doc, seed=seed, strength=strength, rotate_180=upside_down)
        save_scan(pages, folder / d.file)
        rows.append({"file": d.file, "doc_type": d.doc.kind, "aktenzeichen": d.expected_efile or "",
                     "identifiers": ";".join(d.identifiers), "case": d.case})
    with (folder / "labels.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=LABEL_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    with (folder / "persons.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=PERSON_FIELDS)
        writer.writeheader()
        writer.writerows(persons)
    return folder


__all__ = ["BUILDERS", "CASES", "KINDS", "CorpusDocument", "aktenzeichen", "generate",
           "registry_row", "training_texts", "write_corpus"]
