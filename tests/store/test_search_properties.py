"""Property tests: whatever a user types, search answers (hypothesis generates the strings)."""

from __future__ import annotations

import re
import sqlite3

import pytest
from pannes.store.fts import parse_query
from pannes.store.highlight import make_snippet

from pannes.records import SearchFilters, SearchQuery, SearchResult
from pannes.textnorm import fold, normalize_word
from tests.store.contract.corpus import ARTICLES

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis (dev extra) is not installed")
st = pytest.importorskip("hypothesis.strategies")
HealthCheck, given, settings = hypothesis.HealthCheck, hypothesis.given, hypothesis.settings

# Characters that mean something to the parser, FTS5 or SQL, plus French letters.
SYNTAX = '"«»“”()-−*|:^\'’;,.+{}[]\\/ \t\n\x00\x1b'
WORDS = st.sampled_from(["panne", "Orange", "OR", "OU", "AND", "NOT", "NEAR", "SAUF", "de",
                         "défaillance", "coupures", "é", "l'", "DROP", "TABLE", "--", "*"])
QUERIES = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(WORDS, st.text(alphabet=SYNTAX, min_size=1, max_size=3)),
             max_size=30).map(" ".join),
    st.lists(st.one_of(WORDS, st.text(alphabet=SYNTAX, min_size=1, max_size=2)),
             max_size=30).map("".join),
)
PROPERTY = settings(max_examples=500, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def store(contract_store):
    return contract_store[0]


@PROPERTY
@given(QUERIES)
def test_parsing_never_raises_and_fts5_accepts_the_result(text):
    parsed = parse_query(text)
    assert parsed.root is None or parsed.error is None
    if parsed.match is not None:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, body)")
        conn.execute("SELECT * FROM t WHERE t MATCH ?", (parsed.match,)).fetchall()


@PROPERTY
@given(text=QUERIES, kind=st.sampled_from(["articles", "incidents"]),
       sort=st.sampled_from(["relevance", "date", "date_asc"]),
       page=st.integers(-3, 100), per_page=st.integers(-5, 500),
       vendors=st.lists(st.text(max_size=10), max_size=3),
       min_hours=st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)))
def test_search_never_raises(store, text, kind, sort, page, per_page, vendors, min_hours):
    result = store.search(SearchQuery(
        text=text, kind=kind, sort=sort, page=page, per_page=per_page,
        filters=SearchFilters(vendors=vendors, min_hours=min_hours),
        facets=["vendor", "month", "source", "nonsense"]))
    assert isinstance(result, SearchResult)
    assert 0 <= len(result.hits) <= result.per_page <= 200 and result.page >= 1
    assert result.total >= len(result.hits)
    assert set(result.facets) == {"vendor", "month", "source"}


@PROPERTY
@given(st.text(alphabet="aàâäbcçdeéèêëfghiîïjklmnoôöpqrstuùûüvwxyÿzœæ", min_size=1,
               max_size=20))
def test_a_word_and_its_unaccented_spelling_are_one_index_term(word):
    assert normalize_word(word) == normalize_word(fold(word))
    assert normalize_word(word) == normalize_word(word.upper())


@PROPERTY
@given(text=st.sampled_from([a[3] for a in ARTICLES.values()]) | st.text(max_size=400),
       query=QUERIES)
def test_snippets_are_passages_of_the_text(text, query):
    snippet = make_snippet(text, parse_query(query).highlight)
    flat = re.sub(r"\s+", " ", text)
    body = snippet.text.removeprefix("… ").removesuffix(" …")
    assert body.strip() in flat
    assert all(seg for seg, _ in snippet.segments)
