"""How each site template lays out its URLs, dates, feeds and sitemaps.

Every template differs on purpose, so a crawler that handles the demo handles the variety of
the real French press: article URLs shaped differently, dates in meta tags, JSON-LD, <time>
elements or only in visible French text, a sitemap index, a Google News sitemap, feeds with
tracking parameters, a paywall teaser.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Literal

from pannes.demo.content import DemoArticle, Outlet, slugify

logger = logging.getLogger(__name__)

DateStyle = Literal["meta", "jsonld", "time", "visible", "microdata"]
SitemapStyle = Literal["index", "news", "plain"]


@dataclass(frozen=True)
class Layout:
    """URL shapes and page features of one site template (its Jinja directory is `name`)."""

    name: str
    description: str
    date_style: DateStyle
    canonical: bool
    sitemap: SitemapStyle
    article_pattern: str
    section_pattern: str
    archive_first: str
    archive_next: str
    rss_path: str
    atom_path: str
    feed_tracking: str = ""
    paywall: bool = False
    per_page: int = 10
    home_count: int = 12
    aliases: tuple[str, ...] = ()  # template names of the packaged corpus meaning this layout

    def article_path(self, article: DemoArticle, number: int) -> str:
        """Path of an article page ("/cloud/2026/03/02/slug.html", "/article/12345-slug", ...)."""
        moment = article.published
        return self.article_pattern.format(
            section=slugify(article.section),
            yyyy=f"{moment.year:04d}",
            mm=f"{moment.month:02d}",
            dd=f"{moment.day:02d}",
            slug=article.slug,
            number=number,
        )

    def article_regex(self) -> str:
        """A regular expression matching this layout's article paths (and nothing else)."""
        fields = {
            "{section}": "[a-z0-9-]+",
            "{yyyy}": r"\d{4}",
            "{mm}": r"\d{2}",
            "{dd}": r"\d{2}",
            "{slug}": "[^/?#]+",
            "{number}": r"\d+",
        }
        parts = re.split(r"(\{\w+\})", self.article_pattern)
        return "".join(fields.get(part, re.escape(part)) for part in parts)

    def section_path(self, section: str) -> str:
        """Path of a section (rubric) page."""
        return self.section_pattern.format(section=slugify(section))

    def archive_path(self, page: int) -> str:
        """Path of page `page` (1-based) of the paginated archive."""
        return self.archive_first if page <= 1 else self.archive_next.format(page=page)

    def feed_path(self, outlet: Outlet) -> str:
        """Path of the outlet's main feed, RSS 2.0 or Atom 1.0 as outlets.json says."""
        return self.atom_path if outlet.feed == "atom" else self.rss_path

    def sitemap_entry_paths(self) -> list[str]:
        """Sitemaps a crawler should start from (those robots.txt announces)."""
        return {
            "index": ["/sitemap_index.xml"],
            "news": ["/sitemap-news.xml"],
            "plain": ["/sitemap.xml"],
        }[self.sitemap]


MAGAZINE = Layout(
    name="magazine",
    description="tech magazine: dated .html URLs, Open Graph article:published_time, sitemap index",
    date_style="meta",
    canonical=True,
    sitemap="index",
    article_pattern="/{section}/{yyyy}/{mm}/{dd}/{slug}.html",
    section_pattern="/{section}/",
    archive_first="/archives/",
    archive_next="/archives/page/{page}/",
    rss_path="/rss.xml",
    atom_path="/atom.xml",
    aliases=("octet",),
)

QUOTIDIEN = Layout(
    name="quotidien",
    description="daily paper: numbered URLs, JSON-LD NewsArticle, paywall teaser, Google News sitemap",
    date_style="jsonld",
    canonical=True,
    sitemap="news",
    article_pattern="/article/{number}-{slug}",
    section_pattern="/rubrique/{section}",
    archive_first="/archives",
    archive_next="/archives?page={page}",
    rss_path="/rss/une.xml",
    atom_path="/atom/une.xml",
    paywall=True,
    aliases=("courrier",),
)

PORTAIL = Layout(
    name="portail",
    description="WordPress-like portal: /actualites/slug/ URLs, <time datetime>, utm-tagged feed links",
    date_style="time",
    canonical=True,
    sitemap="plain",
    article_pattern="/actualites/{slug}/",
    section_pattern="/categorie/{section}/",
    archive_first="/actualites/",
    archive_next="/actualites/page/{page}/",
    rss_path="/feed/",
    atom_path="/feed/atom/",
    feed_tracking="utm_source=rss&utm_medium=flux&utm_campaign=actualites",
    aliases=("ecrans",),
)

DEPECHE = Layout(
    name="depeche",
    description="old-style news wire: .htm URLs, only a visible French date, no canonical link",
    date_style="visible",
    canonical=False,
    sitemap="plain",
    article_pattern="/nouvelles/{slug}.htm",
    section_pattern="/rubriques/{section}.htm",
    archive_first="/archives/index.htm",
    archive_next="/archives/{page}.htm",
    rss_path="/rss.php",
    atom_path="/atom.php",
    per_page=8,
    aliases=("horizon",),
)

HEBDO = Layout(
    name="hebdo",
    description="modern trade weekly: /actualites/lire-slug-12345.html URLs, schema.org microdata dates",
    date_style="microdata",
    canonical=True,
    sitemap="index",
    article_pattern="/actualites/lire-{slug}-{number}.html",
    section_pattern="/actualites/theme-{section}.html",
    archive_first="/actualites/",
    archive_next="/actualites/page-{page}.html",
    rss_path="/flux/rss.xml",
    atom_path="/flux/atom.xml",
    per_page=12,
    aliases=("reseaux",),
)

LAYOUTS: dict[str, Layout] = {
    layout.name: layout for layout in (MAGAZINE, QUOTIDIEN, PORTAIL, DEPECHE, HEBDO)
}


def assign_layouts(outlets: list[Outlet]) -> dict[str, Layout]:
    """Map each outlet key to a layout: the one its `template` names (or is an alias of).

    Unknown template names are given, in order of first appearance, the layouts no outlet
    asked for, so N distinct template values yield min(N, 5) distinct structures; extra values
    reuse layouts round-robin.
    """
    by_template: dict[str, str] = {}
    for layout in LAYOUTS.values():
        by_template[layout.name] = layout.name
        for alias in layout.aliases:
            by_template.setdefault(alias, layout.name)
    wanted = [outlet.template for outlet in outlets]
    unknown: list[str] = []
    for name in wanted:
        if name not in by_template and name not in unknown:
            unknown.append(name)
    taken = {by_template[name] for name in wanted if name in by_template}
    free = [name for name in LAYOUTS if name not in taken]
    pool = free + [name for name in LAYOUTS if name not in free]
    for index, name in enumerate(unknown):
        by_template[name] = pool[index % len(pool)]
        logger.debug("template %r rendered with layout %r", name, by_template[name])
    return {outlet.key: LAYOUTS[by_template[outlet.template]] for outlet in outlets}
