"""Folding, the query language and snippets, without a database."""

import pytest

from efile.errors import InvalidQuery
from efile.search.fold import fold
from efile.search.query import parse
from efile.search.snippet import make_snippet
from efile.search.sqlite import to_fts5


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
    assert to_fts5(q) == ('(("mueller") AND ("unbefristet in vollzeit") AND ("arbeitsver"*) AND '
                          '("bescheid" OR "bescheinigung")) NOT "kuendigung"')


@pytest.mark.parametrize("hostile", ['title:x', 'a NEAR(b c)', '"unclosed', "x) OR (y", "^start"])
def test_query_syntax_never_reaches_fts(hostile):
    expr = to_fts5(parse(hostile))
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
