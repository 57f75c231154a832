"""What a page shows of an article on its outlet: URLs, blocks, credit, paywall flag.

Built once per outlet and shared by the HTML templates, the feeds and the sitemaps, so the
three always agree on each article's URL and dates.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import quote, unquote

from pannes.demo.content import DemoArticle, Outlet, slugify
from pannes.demo.layouts import Layout


@dataclass(frozen=True)
class Block:
    """One block of an article body: a paragraph or an intertitle."""

    kind: str  # "p" or "h2"
    text: str


@dataclass(frozen=True)
class ArticleView:
    """An article as published on its outlet."""

    article: DemoArticle
    path: str
    url: str
    feed_link: str
    section_url: str
    number: int
    premium: bool
    credit: str | None

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def title(self) -> str:
        return self.article.title

    @property
    def published(self) -> datetime:
        return self.article.published

    @property
    def updated(self) -> datetime | None:
        return self.article.updated

    @property
    def blocks(self) -> list[Block]:
        """Body blocks; paragraphs starting with "## " become intertitles."""
        blocks = []
        for paragraph in self.article.paragraphs:
            if paragraph.startswith("## "):
                blocks.append(Block("h2", paragraph[3:].strip()))
            else:
                blocks.append(Block("p", paragraph))
        return blocks


def url_path(path: str) -> str:
    """A path as it appears in URLs: percent-encoded UTF-8, one spelling for every input.

    Corpus slugs may carry accents ("liens-saturés"); the site serves them percent-encoded,
    as real French sites do, and the server normalises request paths the same way.
    """
    return quote(unquote(path), safe="/")


def article_number(article_id: str, taken: set[int]) -> int:
    """A stable five-digit number for numbered URLs ("/article/48213-slug")."""
    number = 10000 + zlib.crc32(article_id.encode("utf-8")) % 90000
    while number in taken:
        number = 10000 + (number - 10000 + 1) % 90000
    taken.add(number)
    return number


def with_query(url: str, query: str) -> str:
    """`url` with `query` appended (for tracking parameters on feed links)."""
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


def build_views(
    outlet: Outlet,
    layout: Layout,
    articles: list[DemoArticle],
    base_url: str,
    *,
    originals: dict[str, DemoArticle],
    outlets: dict[str, Outlet],
) -> list[ArticleView]:
    """Views of an outlet's articles, newest first.

    `originals` maps every corpus id to its article (to credit syndicated copies) and
    `outlets` every outlet key to its outlet.
    """
    mine = sorted(
        (a for a in articles if a.outlet == outlet.key), key=lambda a: (a.published, a.id)
    )
    taken: set[int] = set()
    paths: set[str] = set()
    views = []
    for position, article in enumerate(mine):
        number = article_number(article.id, taken)
        path = url_path(layout.article_path(article, number))
        if path in paths:  # two articles with the same slug: the later one gets a suffix
            path = url_path(
                layout.article_path(replace(article, slug=f"{article.slug}-{number}"), number)
            )
        paths.add(path)
        url = base_url + path
        credit = None
        original = originals.get(article.syndicated_from or "")
        if original is not None:
            source = outlets.get(original.outlet)
            credit = f"Avec {source.name}" if source is not None else "Avec agence"
        views.append(
            ArticleView(
                article=article,
                path=path,
                url=url,
                feed_link=with_query(url, layout.feed_tracking),
                section_url=base_url + layout.section_path(article.section),
                number=number,
                premium=layout.paywall and position % 3 == 1,
                credit=credit,
            )
        )
    views.reverse()
    return views


def section_names(views: list[ArticleView]) -> list[str]:
    """Distinct sections of an outlet, most used first, then alphabetically."""
    counts: dict[str, int] = {}
    for view in views:
        counts[view.article.section] = counts.get(view.article.section, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], slugify(name)))
