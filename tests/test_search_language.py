"""Folding, the query language and snippets, without a database."""

import pytest

from efile.errors import InvalidQuery
from efile.search.fold import fold
from efile.search.query import parse
from efile.search.snippet import make_snippet
from efile.search.sqlite import to_fts5

pytestmark = pytest.mark.backend_free  # embedded pass only (conftest)


@pytest.mark.parametrize("spelling", ["Müller", "Mueller", "MÜLLER", "MUELLER", "mu\u0308ller"])
def test_german_folding(spelling):
    assert fold(spelling) == "mueller"


@pytest.mark.parametrize(("raw", "folded"), [
    ("Straße", "strasse"), ("STRASSE", "strasse"), ("Weiß", "weiss"),
    ("Yılmaz", "yilmaz"), ("Ayşe", "ayse"), ("Fernández", "fernandez"),
    ("Łukasz", "lukasz"), ("Øster", "oester"), ("Nguyễn", "nguyen"),
])
def test_foreign_names_fold(raw, folded):
    assert fold(raw) == folded


def test_query_language():
    q = parse('Müller "unbefristet in Vollzeit" Arbeitsver* -Kündigung Bescheid OR Bescheinigung')
    groups = [[(t.words, t.prefix, t.negated) for t in g] for g in q.groups]
    assert groups == [
        [(("mueller",), False, False)],
        [(("unbefristet", "in", "vollzeit"), False, False)],
        [(("arbeitsver",), True, False)],
        [(("kuendigung",), False, True)],
        [(("bescheid",), False, False), (("bescheinigung",), False, False)],
    ]
    # a word to leave out is a condition on the whole document, not part of the ranked match
    assert to_fts5(q.ranked_groups) == ('("mueller") AND ("unbefristet in vollzeit") AND '
                                        '("arbeitsver"*) AND ("bescheid" OR "bescheinigung")')
    assert [t.words for t in q.excluded] == [("kuendigung",)]


@pytest.mark.parametrize("hostile", ['title:x', 'a NEAR(b c)', '"unclosed', "x) OR (y", "^start"])
def test_query_syntax_never_reaches_fts(hostile):
    expr = to_fts5(parse(hostile).ranked_groups)
    # every word sits inside quotes; no operator of the user's survives
    assert ":" not in expr and "NEAR" not in expr and "^" not in expr


def test_queries_without_words_are_refused():
    for q in ["", "   ", "-alles", '""', "*"]:
        with pytest.raises(InvalidQuery):
            parse(q)


def test_snippet_shows_printed_words_highlighted_and_escaped():
    text = ("Sehr geehrte Damen und Herren, hiermit bestätigen wir, dass Frau Müller <Ltd> "
            "seit dem 1. Januar unbefristet in Vollzeit beschäftigt ist.")
    snip = make_snippet(text, parse("mueller Vollzeit").positive_terms)
    assert "<mark>Müller</mark>" in snip and "<mark>Vollzeit</mark>" in snip
    assert "&lt;Ltd&gt;" in snip
    phrase = make_snippet(text, parse('"unbefristet in vollzeit"').positive_terms)
    assert "<mark>unbefristet in Vollzeit</mark>" in phrase
    prefix = make_snippet(text, parse("beschäft*").positive_terms)
    assert "<mark>beschäftigt</mark>" in prefix


def test_filters_are_parsed_out_of_the_words():
    from datetime import date

    q = parse('Gehalt az:ABH-2024-000123 typ:"Ärztliches Attest" typ:payslip -typ:passport '
              "geb:14.03.1990 von:2024-03 bis:2024 Az.:5")
    assert [t.words for g in q.groups for t in g] == [("gehalt",), ("az", "5")]
    by = {(f.field, f.negated): f for f in q.filters}
    assert by[("efile", False)].values == ("ABH-2024-000123",)
    assert by[("type", False)].values == ("medical_attest", "payslip")
    assert by[("type", True)].values == ("passport",)
    assert (by[("birth", False)].start, by[("birth", False)].end) == (date(1990, 3, 14),) * 2
    assert (by[("dated", False)].start, by[("dated", False)].end) == (date(2024, 3, 1),
                                                                      date(2024, 12, 31))
    # a number typed as a word stays a word for the parser; search() looks it up (identify.py)
    assert parse("C01X00T47").groups[0][0].token == "C01X00T47"
    assert parse("az:ABH-1 typ:payslip").groups == ()  # filters alone are a query
