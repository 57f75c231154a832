"""The query language: how a user's string is read, and the FTS5 expression it becomes."""

from __future__ import annotations

import re
import sqlite3

import pytest
from pannes.store.fts import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    All,
    Any,
    Not,
    Phrase,
    Prefix,
    Word,
    describe,
    parse_query,
    prefix_terms,
)


@pytest.mark.parametrize("text, read_as", [
    ("panne orange", "panne orange"),
    ('"panne de courant" sfr', '"panne de courant" sfr'),
    ("« panne de courant »", '"panne de courant"'),
    ("“panne de courant”", '"panne de courant"'),
    ("orange OR sfr panne", "(orange OR sfr) panne"),
    ("orange OU sfr", "(orange OR sfr)"),
    ("orange | sfr", "(orange OR sfr)"),
    ("panne -électricité", "panne -électricité"),
    ("panne NOT sfr", "panne -sfr"),
    ("panne SAUF sfr", "panne -sfr"),
    ("panne AND orange", "panne orange"),
    ("défaill*", "défaill*"),
    ("(orange OR sfr) fibre", "(orange OR sfr) fibre"),
    ("l'opérateur", "opérateur"),
    ("d’Orange", "Orange"),
    ("Île-de-France", '"Île de France"'),
    ("free.fr", '"free fr"'),
    ("title:panne", "title panne"),
    ("SFR/Orange", "SFR Orange"),
    ("NEAR(panne orange)", "NEAR panne orange"),
    ("panne^2", "panne 2"),
    ("'; DROP TABLE articles; --", "DROP TABLE articles"),
    ("la panne de l'opérateur", "panne opérateur"),
    ("panne panne", "panne"),
    ("pan-européen", '"pan européen"'),
])
def test_how_queries_are_read(text, read_as):
    parsed = parse_query(text)
    assert describe(parsed.root) == read_as


def test_tree_shapes():
    assert parse_query("panne").root == Word("panne")
    assert parse_query('"coupure de courant"').root == Phrase(("coupure", "de", "courant"))
    assert parse_query("défaill*").root == Prefix("défaill")
    assert parse_query("a1 OR b2 c3").root == All((Any((Word("a1"), Word("b2"))), Word("c3")))
    assert parse_query("c3 -d4").root == All((Word("c3"), Not(Word("d4"))))


@pytest.mark.parametrize("text, fts", [
    ("panne", '"pann"'),
    ("Pannes DÉFAILLANCE", '("pann" AND "defaill")'),
    ('"coupure de courant"', '"coupur de cour"'),
    ("orange OR sfr", '("orang" OR "sfr")'),
    ("panne -sfr", '(("pann") NOT "sfr")'),
    ("panne -sfr -orange", '((("pann") NOT "sfr") NOT "orang")'),
    ("défaill*", '"defaill"*'),
    ("panne*", '("panne"* OR "pann")'),
])
def test_fts5_expressions(text, fts):
    assert parse_query(text).match == fts


def test_every_term_is_quoted_in_fts5():
    match = parse_query('NEAR(a b) x:y "z OR w" AND ^q col:* -"x" {}').match
    # Outside string literals only parentheses, operators and prefix stars remain.
    bare = re.sub(r'"(?:[^"]|"")*"', "", match)
    assert set(bare.split()) <= {"(", ")", "AND", "OR", "NOT", "*", "()"} | {
        t for t in bare.split() if set(t) <= set("()*")}


def test_prefix_of_a_stemmed_word_also_finds_its_stem():
    folded, stems = prefix_terms("informatiq")
    assert folded == "informatiq" and "informat" in stems
    assert prefix_terms("panne") == ("panne", ("pann",))
    assert prefix_terms("coupur") == ("coupur", ())


def test_short_prefix_is_a_word_with_a_note():
    parsed = parse_query("ab* panne")
    assert parsed.root == All((Word("ab"), Word("panne")))
    assert "Préfixe trop court" in parsed.message


@pytest.mark.parametrize("text, words", [
    ('"', "aucun mot"),
    ("---", "aucun mot"),
    ("🔥 💥", "aucun mot"),
    ("-orange", "seulement des exclusions"),
    ("-orange -sfr", "seulement des exclusions"),
    ("le la de", "mots trop courants"),
    ('"de la"', "mots trop courants"),
])
def test_queries_that_cannot_run(text, words):
    parsed = parse_query(text)
    assert parsed.root is None and parsed.match is None
    assert words in parsed.error


@pytest.mark.parametrize("text, note", [
    ('"panne géante', "Guillemet non fermé"),
    ("(panne OR orange", "Parenthèse non fermée"),
    ("panne) orange", "Parenthèse fermante"),
    ("OR panne", "« OR » sans terme"),
    ("panne OR", "« OR » sans terme"),
    ("panne OR -orange", "ne peut pas faire partie d'un OR"),
])
def test_odd_queries_run_with_a_note(text, note):
    parsed = parse_query(text)
    assert parsed.root is not None and parsed.error is None
    assert note in parsed.message


def test_empty_query_is_no_text_and_no_message():
    for text in ("", "   ", None):
        parsed = parse_query(text)
        assert parsed.root is None and parsed.message is None


def test_long_query_is_truncated_with_a_note():
    parsed = parse_query("panne " * 1000)
    assert "tronquée" in parsed.message
    assert parsed.root == Word("panne")
    many = parse_query(" ".join(f"mot{i}" for i in range(100)))
    assert len(many.root.children) == MAX_TERMS
    assert f"{MAX_TERMS} premiers termes" in many.message
    assert len(parse_query("x" * 10_000).root.text) == MAX_QUERY_CHARS


def test_deep_parentheses_do_not_recurse_forever():
    parsed = parse_query("(" * 400 + "panne" + ")" * 400)
    assert "imbriquées" in parsed.message


def test_control_characters_are_spaces():
    assert describe(parse_query("panne\x00orange\x1b[31m\u200bsfr").root) == "panne orange 31m sfr"


def test_highlight_spec_keeps_only_wanted_terms():
    spec = parse_query('panne "centre de données" défaill* -orange').highlight
    assert spec.words == {"pann"}
    assert spec.phrases == (("centr", "de", "don"),)
    assert spec.prefixes[0][0] == "defaill"


def _fts_accepts(match: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, body)")
    conn.execute("INSERT INTO t VALUES ('a', 'b')")
    conn.execute("SELECT * FROM t WHERE t MATCH ?", (match,)).fetchall()


@pytest.mark.parametrize("text, runs", [
    ("NEAR(a b, 3)", True), ("title : panne", True), ('"a" + "b"', True), ("^start", True),
    ("a AND (b OR", True), ("x* y**", True), ("'\"'\"", False), ('-"-"', False),
    ("(-a)", False), ("a OR -b OR c", False), ("((a)) OR ((b -c))", True), ("*a*", False),
])
def test_fts5_accepts_what_hostile_strings_become(text, runs):
    """A hostile string becomes a query FTS5 accepts, or no query and a French reason."""
    parsed = parse_query(text)
    assert (parsed.match is not None) is runs
    if runs:
        _fts_accepts(parsed.match)
    else:
        assert parsed.message and "recherche" in parsed.message


@pytest.mark.parametrize("text, fts", [
    ("0 OR(-0", '"0"'),  # found by hypothesis: "(-0)" as an option used to give "() NOT ..."
    ("panne OR (-coupure)", '"pann"'),
    ("panne OR (coupure -orange)", '("pann" OR (("coupur") NOT "orang"))'),
])
def test_a_group_of_exclusions_is_no_option_of_an_or(text, fts):
    match = parse_query(text).match
    assert match == fts
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, body)")
    conn.execute("SELECT * FROM t WHERE t MATCH ?", (match,)).fetchall()  # valid FTS5
