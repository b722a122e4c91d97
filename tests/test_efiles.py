"""E-files and name lookup with spelling variants, on the backend under test."""

from datetime import date

import pytest

from efile.context import get_context
from efile.services.efiles import AlreadyExists, add_efile, find_efiles, trigram_similarity


@pytest.fixture
def register(fresh_home):
    with get_context().db.session() as s:
        add_efile(s, "ABH-1", surname="Öztürk", given_names="Hüseyin", birth_date=date(1985, 7, 9))
        add_efile(s, "ABH-2", surname="Müller", given_names="Anna")
        add_efile(s, "ABH-3", surname="Kowalski", given_names="Zofia")
    return fresh_home


@pytest.mark.parametrize("spelling", ["Öztürk", "Oeztuerk", "OEZTUERK", "Öztürk Hüseyin", "Oztürk"])
def test_name_variants_find_the_client(register, spelling):
    with get_context().db.session() as s:
        hits = find_efiles(s, spelling)
        assert hits and hits[0][0].aktenzeichen == "ABH-1", [(e.aktenzeichen, v) for e, v in hits]


def test_unrelated_names_are_not_found(register):
    with get_context().db.session() as s:
        assert find_efiles(s, "Nguyen") == []


def test_aktenzeichen_is_unique(register):
    with get_context().db.session() as s, pytest.raises(AlreadyExists):
        add_efile(s, "ABH-1", surname="Someone")


def test_similarity_matches_pg_trgm_definition():
    assert trigram_similarity("word", "word") == 1.0
    # pg_trgm: similarity('word', 'two words') = 0.36363637
    assert round(trigram_similarity("word", "two words"), 4) == 0.3636


def test_nationality_stored_in_one_form_whichever_code_family(fresh_home):
    """`efile efiles add --nationality` as the registry import: ICAO D and Destatis 163 are
    stored as DEU and TUR; a code no list knows is refused in words."""
    from efile.errors import InvalidQuery
    from efile.models import EFile

    with get_context().db.session() as s:
        a = add_efile(s, "ABH-7", surname="Schmidt", nationality="D")
        b = add_efile(s, "ABH-8", surname="Yılmaz", nationality="163")
        assert (a.person.nationality, b.person.nationality) == ("DEU", "TUR")
        with pytest.raises(InvalidQuery, match="'ZZZ' is not an ISO 3166-1 alpha-3 code"):
            add_efile(s, "ABH-9", surname="Niemand", nationality="ZZZ")
        assert s.query(EFile).filter_by(aktenzeichen="ABH-9").first() is None
