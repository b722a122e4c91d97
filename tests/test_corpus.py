"""The labelled corpus: every taxonomy type, deterministic, honest labels, pages that fit A4."""

import csv
import random
import time
from collections import Counter

import pytest
from PIL import Image

from classifiers import mrz
from classifiers.identifiers import extract
from classifiers.text import fold
from efile.samples import documents
from efile.samples.common import STRONG
from efile.samples.corpus import (
    CASES,
    ID_DOCUMENTS,
    KINDS,
    LABEL_FIELDS,
    PERSON_FIELDS,
    generate,
    training_texts,
    write_corpus,
)
from efile.samples.layout import TEXT_BOTTOM, TEXT_RIGHT
from efile.samples.render import A4_PX, MARGIN_MM, _font, mm

pytestmark = pytest.mark.backend_free  # embedded pass only (conftest)


@pytest.fixture(scope="module")
def corpus():
    return generate(seed=11, per_class=4)


def _fingerprint(docs):
    return [(d.file, d.doc.kind, d.doc.text, d.expected_efile, d.identifiers, d.case) for d in docs]


def test_every_taxonomy_type_is_generated(corpus):
    docs, _ = corpus
    assert len(KINDS) == 36 and "other" in KINDS
    counts = Counter(d.doc.kind for d in docs)
    assert set(counts) == set(KINDS) and set(counts.values()) == {4}


def test_deterministic_for_the_seed():
    a_docs, a_persons = generate(seed=5, per_class=1)
    b_docs, b_persons = generate(seed=5, per_class=1)
    assert _fingerprint(a_docs) == _fingerprint(b_docs) and a_persons == b_persons
    c_docs, _ = generate(seed=6, per_class=1)
    assert _fingerprint(a_docs) != _fingerprint(c_docs)


def test_different_seeds_draw_different_people():
    _, one = generate(seed=1, per_class=5)
    _, two = generate(seed=2, per_class=5)
    key = lambda p: (p["surname"], p["given_names"], p["date_of_birth"])  # noqa: E731
    assert not {key(p) for p in one} & {key(p) for p in two}
    names_one = {(p["surname"], p["given_names"]) for p in one}
    names_two = {(p["surname"], p["given_names"]) for p in two}
    assert len(names_one & names_two) <= 0.1 * len(names_two)
    assert {p["aktenzeichen"] for p in one}.isdisjoint(p["aktenzeichen"] for p in two)


def test_register_and_special_cases(corpus):
    docs, persons = corpus
    assert len(persons) == 4 * 4 + 10
    assert len({p["aktenzeichen"] for p in persons}) == len(persons)
    assert any(";" in p["passport_numbers"] for p in persons), "nobody with an old passport"
    registered = {p["aktenzeichen"] for p in persons}
    cases = Counter(d.case for d in docs)
    assert set(cases) == set(CASES) and cases["normal"] > 0.75 * len(docs)
    by_person = Counter((p["surname"], p["given_names"], p["date_of_birth"]) for p in persons)
    twins = {k for k, n in by_person.items() if n > 1}
    assert twins, "no namesake pair in the register"
    for d in docs:
        strong = set(d.identifiers) & STRONG
        if d.case == "unknown_person":
            assert d.expected_efile is None
            assert d.doc.person["aktenzeichen"] not in registered
        else:
            assert d.expected_efile == d.doc.person["aktenzeichen"] in registered
        if d.case == "namesake":
            p = d.doc.person
            assert (p["surname"], p["given_names"], p["birth_iso"]) in twins
            assert strong == {"name_dob"}
        if d.case == "no_identifier":
            assert not strong and d.doc.kind not in ID_DOCUMENTS
        if d.case == "normal":
            assert strong
        if d.case == "broken_mrz":
            assert d.doc.kind in ID_DOCUMENTS and "mrz" not in d.identifiers


def test_every_case_even_in_the_smallest_corpus():
    docs, _ = generate(seed=3, per_class=1)
    assert {d.case for d in docs} == set(CASES)


def test_labels_tell_the_truth(corpus):
    """What the labels say is printed can be extracted from the text, and what they do not
    list cannot (for the person's own identifiers)."""
    docs, _ = corpus
    for d in docs:
        p, ids, text = d.doc.person, set(d.identifiers), d.doc.text
        found = extract(text)
        where = f"{d.file} {d.doc.kind} {sorted(ids)}"
        assert (p["aktenzeichen"] in found.aktenzeichen) == ("aktenzeichen" in ids), where
        assert (bool(p["azr"]) and p["azr"] in found.azr_numbers) == ("azr" in ids), where
        passports = {p["passport"], p["passport_old"]} - {""}
        assert bool(passports & set(found.passport_numbers)) == ("passport" in ids), where
        has_dob = p["birth_iso"] in found.birth_dates
        assert has_dob == bool(ids & {"dob", "name_dob"}), where
        if "name_dob" in ids:
            assert fold(p["surname"]) in {fold(s) for s in found.surnames}, where
        if ids & {"name", "name_dob"}:
            assert fold(p["surname"]) in fold(text), where


def test_id_documents_carry_a_valid_mrz_unless_broken(corpus):
    docs, _ = corpus
    seen = Counter()
    for d in (x for x in corpus[0] if x.doc.kind in ID_DOCUMENTS):
        zone = d.doc.facts["mrz"].splitlines()
        parsed = mrz.parse(zone)
        assert mrz.find(d.doc.text), d.file  # the printed zone is found in the page text
        if d.case == "broken_mrz":
            assert not parsed.valid and parsed.failed_checks, d.file
        else:
            assert parsed.valid and "mrz" in d.identifiers, (d.file, parsed.failed_checks)
            assert parsed.kind == d.doc.kind
            assert parsed.birth_date.isoformat() == d.doc.person["birth_iso"]
        seen[parsed.format] += 1
    assert {"TD3", "TD1"} <= set(seen) and seen.keys() & {"MRVA", "MRVB"}


def test_every_page_fits_on_a4():
    """Replays render.render_page's layout and measures every line's ink box."""
    docs, _ = generate(seed=13, per_class=3)
    right_limit, bottom_limit = A4_PX[0] - mm(12), A4_PX[1] - mm(12)
    worst_right = worst_bottom = 0
    for d in docs:
        assert 1 <= len(d.doc.pages) <= 3, (d.doc.kind, len(d.doc.pages))
        for lines in d.doc.pages:
            y = mm(MARGIN_MM)
            for line in lines:
                font = _font(line.size, line.bold, line.mono)
                y += mm(line.gap_before)
                if line.text:
                    x = mm(MARGIN_MM + line.indent)
                    left, top, right, bottom = font.getbbox(line.text)
                    worst_right = max(worst_right, x + right)
                    worst_bottom = max(worst_bottom, y + bottom)
                    assert x + right <= right_limit, (d.doc.kind, line.text)
                    assert y + bottom <= bottom_limit, (d.doc.kind, line.text)
                y += round(line.size / 72 * 300 * 1.45)
    assert worst_right <= TEXT_RIGHT + 5 and worst_bottom <= TEXT_BOTTOM


def test_training_texts_are_fast_and_cover_all_types():
    start = time.perf_counter()
    pairs = training_texts(seed=21, per_class=60)
    elapsed = time.perf_counter() - start
    assert len(pairs) == 60 * 36 and {k for _, k in pairs} == set(KINDS)
    assert elapsed < 15, f"{elapsed:.1f} s for {len(pairs)} texts"
    per_kind = Counter(k for _, k in pairs)
    assert len(set(pairs)) == len(pairs) and set(per_kind.values()) == {60}


def test_layouts_and_headings_vary_within_a_type():
    docs, _ = generate(seed=17, per_class=12)
    for kind in KINDS:
        texts = [d.doc.text for d in docs if d.doc.kind == kind]
        first_lines = {t.splitlines()[0] for t in texts}
        shapes = {len(t.splitlines()) for t in texts}
        assert len(first_lines) >= 3 or len(shapes) >= 4, kind


def test_write_corpus_scans_and_csvs(tmp_path):
    kinds = ["passport", "employment_contract", "payslip", "other"]
    folder = write_corpus(tmp_path / "c", seed=4, per_class=1, kinds=kinds)
    with (folder / "labels.csv").open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == LABEL_FIELDS
        rows = list(reader)
    with (folder / "persons.csv").open(encoding="utf-8") as f:
        header = f.readline().strip()
    assert header == "aktenzeichen,surname,given_names,date_of_birth,nationality,azr_number,passport_numbers"
    assert header.split(",") == PERSON_FIELDS
    assert sorted(r["doc_type"] for r in rows) == sorted(kinds)
    docs = {d.file: d for d in generate(seed=4, per_class=1)[0]}
    for r in rows:
        path = folder / r["file"]
        assert path.is_file() and path.stat().st_size > 10_000
        d = docs[r["file"]]
        assert r["aktenzeichen"] == (d.expected_efile or "") and r["case"] == d.case
        assert r["identifiers"] == ";".join(d.identifiers)
        if path.suffix in (".png", ".jpg"):
            assert len(d.doc.pages) == 1
            with Image.open(path) as im:
                assert im.size == A4_PX and round(im.info["dpi"][0]) == 300


def test_legacy_builders_accept_identifiers():
    rng = random.Random(1)
    person = documents.make_person(rng)
    doc = documents.employer_letter(rng, person, ids={"aktenzeichen"})
    assert doc.kind == "employer_certificate"
    assert person["aktenzeichen"] in doc.text and doc.facts["identifiers"].startswith("aktenzeichen")
    assert documents.passport_page(random.Random(2), person).kind == "passport"
