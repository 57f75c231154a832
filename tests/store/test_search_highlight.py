"""Snippets: the passage around the matches, matched words marked in the original text."""

from __future__ import annotations

from pannes.store.fts import parse_query
from pannes.store.highlight import highlight_all, make_snippet, match_spans

TEXT = ("Lundi matin, les abonnés ont signalé des pannes. Selon l'opérateur, la défaillance "
        "d'un routeur a provoqué une coupure de courant dans le centre de données. "
        + "Rien d'autre à signaler dans cette longue phrase de remplissage. " * 8
        + "En fin de journée, une nouvelle panne géante a touché la région.")


def marked(snippet):
    return [text for text, hl in snippet.segments if hl]


def spec(query):
    return parse_query(query).highlight


def test_inflected_and_accented_forms_are_marked():
    assert marked(make_snippet(TEXT, spec("defaillance"))) == ["défaillance"]
    assert "pannes" in marked(make_snippet(TEXT, spec("panne")))


def test_phrase_is_marked_as_one_passage():
    assert marked(make_snippet(TEXT, spec('"coupure de courant"'))) == ["coupure de courant"]


def test_phrase_words_apart_are_not_marked():
    assert marked(make_snippet(TEXT, spec('"courant coupure"'))) == []


def test_prefix_marks_completions():
    assert marked(make_snippet(TEXT, spec("défaill*"))) == ["défaillance"]
    assert marked(make_snippet(TEXT, spec("pann*"))) == ["pannes"] or \
        "panne" in marked(make_snippet(TEXT, spec("pann*")))


def test_excluded_words_are_not_marked():
    assert "routeur" not in marked(make_snippet(TEXT, spec("panne -routeur")))


def test_window_goes_where_the_matches_are():
    snippet = make_snippet(TEXT, spec("géante région"), width=120)
    assert snippet.segments[0] == ("… ", False)
    assert marked(snippet) == ["géante", "région"]
    assert snippet.text.endswith("région.")


def test_no_match_gives_the_beginning():
    snippet = make_snippet(TEXT, spec("tremblement"), width=60)
    assert snippet.text.startswith("Lundi matin")
    assert snippet.text.endswith(" …") and not marked(snippet)


def test_snippet_never_cuts_a_word():
    snippet = make_snippet(TEXT, spec("routeur"), width=50)
    inner = snippet.text.removeprefix("… ").removesuffix(" …")
    assert inner in TEXT and TEXT[TEXT.index(inner) + len(inner)] in " .,"


def test_whole_title_highlight():
    title = highlight_all("Pannes en série chez Orange", spec("panne orange"))
    assert title.segments == [("Pannes", True), (" en série chez ", False), ("Orange", True)]


def test_plain_term_collections_still_work():
    assert match_spans("Des pannes", {"pann"}) == [(4, 10)]
