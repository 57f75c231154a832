"""Extraction of one page, in memory: text, metadata, canonical URL, charset, language."""

from __future__ import annotations

from datetime import date

import pytest
from localsite import article_page, article_text
from pannes.crawler.charset import decode_page
from pannes.crawler.extract import clean_url, extract_page

from pannes.records import RawPage

URL = "https://www.veilleur.test/actu/panne-orbitel"


def page(body: str | bytes, content_type: str = "text/html; charset=utf-8", url: str = URL) -> RawPage:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return RawPage(url=url, body=data, headers={"Content-Type": content_type})


def test_article_text_and_metadata_without_boilerplate():
    result = extract_page(page(article_page(0)), source="Le Veilleur")
    article = result.article
    title, paragraphs = article_text(0)
    assert article.title == title
    assert article.text.startswith(paragraphs[0][:60])  # no headline repeated in the text
    assert paragraphs[2][:50] in article.text
    for boilerplate in ("cookies", "À lire aussi", "Commentaires", "troisième cette année"):
        assert boilerplate not in article.text
    assert article.published == date(2024, 3, 12)
    assert article.author == "Claire Martin"
    assert article.language == "fr"
    assert article.source == "Le Veilleur"
    assert result.warnings == []


def test_canonical_link_wins_and_loses_its_tracking_parameters():
    html = article_page(1, canonical="/actu/panne-propre?utm_source=twitter&id=4#haut")
    result = extract_page(page(html, url=URL + "?xtor=RSS-3"), source="S",
                          requested_url=URL + "?xtor=RSS-3")
    assert result.article.url == "https://www.veilleur.test/actu/panne-propre?id=4"
    assert result.article.fetched_url == URL + "?xtor=RSS-3"


def test_canonical_pointing_at_the_home_page_is_ignored():
    result = extract_page(page(article_page(1, canonical="https://www.veilleur.test/")), source="S")
    assert result.article.url == URL


def test_clean_url_strips_trackers_and_fragments():
    assert clean_url("https://ex.fr/a/b?utm_medium=rss&p=2&fbclid=x#top") == "https://ex.fr/a/b?p=2"


def test_feed_date_is_the_last_resort():
    html = article_page(2).replace('<meta property="article:published_time"', "<meta ")
    html = html.replace("publié le 2024-03-12", "")
    result = extract_page(page(html), source="S", announced=date(2024, 5, 1))
    assert result.article.published in {date(2024, 5, 1), date(2024, 3, 12)}


def test_charset_repairs():
    text = "Les abonnés privés de réseau à Besançon"
    latin = f"<html><body><p>{text}</p></body></html>".encode("cp1252")
    missing = decode_page(latin, "text/html")
    assert missing.text.count("privés") == 1 and missing.problem == "charset_missing"
    wrong = decode_page(latin, "text/html; charset=utf-8")
    assert "Besançon" in wrong.text and wrong.problem == "charset_wrong"
    mojibake = decode_page(text.encode("utf-8"), "text/html; charset=ISO-8859-1")
    assert mojibake.text == text and mojibake.problem == "charset_wrong"
    meta = decode_page(b'<meta charset="windows-1252"><p>' + "é".encode("cp1252"), None)
    assert "é" in meta.text and meta.problem is None


def test_pages_that_are_not_articles_say_why():
    assert extract_page(page(b"%PDF-1.4", "application/pdf"), source="S").problem == "non_html"
    assert extract_page(page(b"  "), source="S").problem == "empty_body"
    short = extract_page(page("<html><body><p>Vidéo.</p></body></html>"), source="S")
    assert short.problem == "no_text" and short.article is None
    # No Content-Type at all: sniffed as HTML from its first bytes.
    sniffed = extract_page(RawPage(url=URL, body=article_page(3).encode()), source="S")
    assert sniffed.article is not None


# A standfirst (chapô) as news layouts set it: in the article header, apart from the body.
STANDFIRST = ("Depuis lundi soir, les abonnés d'Orbitel ne peuvent plus consulter leur messagerie : "
              "l'opérateur évoque une panne de ses serveurs à Lyon et promet un retour rapide.")


def _text_of(html: str) -> str:
    return extract_page(page(html), source="Le Veilleur").article.text


@pytest.mark.parametrize("marked", ['<div class="chapeau"><b>{}</b></div>',
                                    '<div class="ArticleHeader_lead">{}</div>',
                                    '<p class="story__desc">{}</p>',
                                    '<div itemprop="description">{}</div>'])
def test_the_standfirst_left_out_by_trafilatura_opens_the_text(marked):
    # The headline and the standfirst in a header block before the <article> of the body.
    html = article_page(0).replace("<article>\n<h1>", "<header><h1>", 1).replace(
        "</h1>", "</h1>" + marked.format(STANDFIRST) + "</header><article>", 1)
    text = _text_of(html)
    assert text.startswith(STANDFIRST)
    assert text.count(STANDFIRST) == 1
    assert article_text(0)[1][0][:60] in text


def test_the_page_description_is_the_standfirst_when_nothing_is_marked():
    html = article_page(0).replace(f'content="{article_text(0)[0]}"',
                                   f'content="{STANDFIRST}"', 1)
    assert _text_of(html).startswith(STANDFIRST)


def test_no_site_wide_description_or_teaser_is_taken_for_a_standfirst():
    html = article_page(0).replace(
        f'content="{article_text(0)[0]}"',
        'content="Le Veilleur : toute l\'actualité des télécoms, du cloud et du numérique, '
        'chaque jour, par la rédaction."', 1)
    # A teaser of another story of the same operator, below the article, shares its words.
    teaser = ('<p class="card__desc">Orbitel : les abonnés de Lyon privés de messagerie et de '
              'téléphonie pendant trois heures, l\'opérateur évoque une panne de serveurs.</p>')
    html = html.replace("<h3>À lire aussi</h3>", "<h3>À lire aussi</h3>" + teaser, 1)
    assert _text_of(html).startswith(article_text(0)[1][0][:60])
