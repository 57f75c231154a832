"""Render every page of a demo outlet (HTML, feed, sitemaps, robots.txt) into memory."""

from __future__ import annotations

import hashlib
import math
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pannes.demo import french_dates
from pannes.demo.content import Corpus, Outlet, parse_local_datetime
from pannes.demo.feeds import atom_feed, rss_feed
from pannes.demo.layouts import Layout
from pannes.demo.reader_comments import comments_for
from pannes.demo.sitemaps import DISALLOWED, robots_txt, sitemap_documents
from pannes.demo.views import ArticleView, build_views, section_names

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
DEMO_NOTICE = "Contenu de démonstration — site et événements fictifs"
HTML = "text/html; charset=utf-8"
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
    "text": "text/plain; charset=utf-8",
    "css": "text/css; charset=utf-8",
}
# A fixed date for pages that do not depend on articles (robots.txt, CSS, account page).
SITE_EPOCH = parse_local_datetime("2026-01-01T00:00")


@dataclass(frozen=True)
class Page:
    """One served document: its bytes, type and modification date (ETag is its hash)."""

    body: bytes
    content_type: str
    last_modified: datetime
    status: int = 200

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:20] + '"'


def make_environment() -> Environment:
    """The Jinja environment: autoescaping on, undefined variables are errors."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["iso"] = french_dates.iso
    env.filters["long_date"] = french_dates.long_date
    env.filters["short_date"] = french_dates.short_date
    env.filters["day_date"] = lambda moment: french_dates.long_date(moment, time=False)
    env.filters["visible_date"] = lambda moment: french_dates.long_date(moment, ordinal=False)
    env.filters["visible_date_short"] = lambda moment: f"{moment:%d/%m/%Y}"
    return env


def _newest(views: list[ArticleView]) -> datetime:
    return max((v.article.last_change for v in views), default=SITE_EPOCH)


class OutletRenderer:
    """Renders one outlet's site for a given base URL ("http://127.0.0.1:8401")."""

    def __init__(
        self,
        env: Environment,
        outlet: Outlet,
        layout: Layout,
        corpus: Corpus,
        base_url: str,
    ) -> None:
        self.env = env
        self.outlet = outlet
        self.layout = layout
        self.base_url = base_url
        originals = {article.id: article for article in corpus.articles}
        outlets = {o.key: o for o in corpus.outlets}
        self.views = build_views(
            outlet, layout, corpus.articles, base_url, originals=originals, outlets=outlets
        )
        self.feed_url = base_url + layout.feed_path(outlet)
        self.site = self._site_context()

    def _site_context(self) -> dict[str, Any]:
        layout = self.layout
        sections = [
            {"name": name, "url": self.base_url + layout.section_path(name)}
            for name in section_names(self.views)
        ]
        return {
            "outlet": self.outlet,
            "layout": layout,
            "base_url": self.base_url,
            "home_url": self.base_url + "/",
            "feed_url": self.feed_url,
            "feed_type": CONTENT_TYPES[self.outlet.feed].split(";")[0],
            "sections": sections,
            "archive_url": self.base_url + layout.archive_path(1),
            "search_url": self.base_url + DISALLOWED[0] + "?q=panne",
            "account_url": self.base_url + DISALLOWED[1] + "connexion/",
            "css_url": f"{self.base_url}/static/{layout.name}.css",
            "notice": DEMO_NOTICE,
        }

    def _html(
        self, template: str, lang: str = "fr", canonical_path: str | None = None, **context: Any
    ) -> bytes:
        name = f"{self.layout.name}/{template}"
        canonical_url = None
        if canonical_path is not None and self.layout.canonical:
            canonical_url = self.base_url + canonical_path
        context.setdefault("most_read", self.most_read(None))
        page = self.env.get_template(name).render(
            site=self.site, lang=lang, canonical_url=canonical_url, **context
        )
        return page.encode("utf-8")

    def _older(self, view: ArticleView) -> list[ArticleView]:
        """Articles published before this one, newest first.

        An article page links only to older articles, so publishing a new article leaves every
        existing article page (and its ETag) unchanged, as an incremental crawl expects.
        """
        return [v for v in self.views if (v.published, v.id) < (view.published, view.id)]

    def related(self, view: ArticleView, count: int = 3) -> list[ArticleView]:
        """Earlier articles of the outlet, same section first, newest first."""
        older = self._older(view)
        same = [v for v in older if v.article.section == view.article.section]
        rest = [v for v in older if v.article.section != view.article.section]
        return (same + rest)[:count]

    def most_read(self, view: ArticleView | None, count: int = 5) -> list[ArticleView]:
        """A stable pseudo-popularity ranking (of older articles only, on an article page)."""
        pool = self.views if view is None else self._older(view)
        return sorted(pool, key=lambda v: zlib.crc32(v.id.encode("utf-8")))[:count]

    def json_ld(self, view: ArticleView) -> dict[str, Any]:
        """schema.org NewsArticle, with the paywall markup Google documents for premium pages."""
        article = view.article
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": view.url},
            "headline": view.title,
            "datePublished": french_dates.iso(article.published),
            "dateModified": french_dates.iso(article.last_change),
            "articleSection": article.section,
            "inLanguage": article.language,
            "publisher": {"@type": "Organization", "name": self.outlet.name},
        }
        if article.standfirst:
            data["description"] = article.standfirst
        if article.author:
            data["author"] = [{"@type": "Person", "name": article.author}]
        if view.premium:
            data["isAccessibleForFree"] = False
            data["hasPart"] = {
                "@type": "WebPageElement",
                "isAccessibleForFree": False,
                "cssSelector": ".story__body",
            }
        return data

    def article_page(self, view: ArticleView) -> Page:
        """The article page, with its chrome: menus, ads, related links, comments."""
        blocks = view.blocks
        body = self._html(
            "article.html",
            lang=view.article.language,
            canonical_path=view.path,
            view=view,
            article=view.article,
            blocks=blocks,
            ad_after=2 if len(blocks) >= 4 else None,
            related=self.related(view),
            most_read=self.most_read(view),
            comments=comments_for(view.id),
            jsonld=self.json_ld(view),
            title=view.title,
        )
        return Page(body, HTML, view.article.last_change)

    def listing_page(
        self,
        views: list[ArticleView],
        *,
        title: str,
        heading: str,
        kind: str,
        path: str | None = None,
        prev_url: str | None = None,
        next_url: str | None = None,
        page_number: int = 1,
    ) -> Page:
        """A list of articles: home, section, archive page or search results."""
        body = self._html(
            "listing.html",
            canonical_path=path,
            items=views,
            title=title,
            heading=heading,
            kind=kind,
            prev_url=prev_url,
            next_url=next_url,
            page_number=page_number,
        )
        return Page(body, HTML, _newest(views))

    def simple_page(self, *, title: str, message: str, kind: str, status: int = 200) -> Page:
        """A page without articles (account login, 404)."""
        body = self._html("page.html", title=title, message=message, kind=kind)
        return Page(body, HTML, SITE_EPOCH, status=status)

    def not_found(self) -> Page:
        """The 404 page, in the outlet's own style."""
        return self.simple_page(
            title="Page introuvable",
            message="La page demandée n'existe pas ou a été déplacée.",
            kind="404",
            status=404,
        )

    def render(self) -> dict[str, Page]:
        """Every page of the site, by path (query strings included where they select a page)."""
        layout, views = self.layout, self.views
        pages: dict[str, Page] = {}
        pages["/"] = self.listing_page(
            views[: layout.home_count],
            title=f"{self.outlet.name} — {self.outlet.tagline}".rstrip(" —"),
            heading="À la une",
            kind="home",
            path="/",
        )
        for name in section_names(views):
            in_section = [v for v in views if v.article.section == name]
            pages[layout.section_path(name)] = self.listing_page(
                in_section,
                title=f"{name} — {self.outlet.name}",
                heading=name,
                kind="section",
                path=layout.section_path(name),
            )
        page_count = max(1, math.ceil(len(views) / layout.per_page))
        for number in range(1, page_count + 1):
            chunk = views[(number - 1) * layout.per_page : number * layout.per_page]
            pages[layout.archive_path(number)] = self.listing_page(
                chunk,
                title=f"Archives, page {number} — {self.outlet.name}",
                heading="Toutes les actualités",
                kind="archive",
                path=layout.archive_path(number),
                prev_url=self.base_url + layout.archive_path(number - 1) if number > 1 else None,
                next_url=self.base_url + layout.archive_path(number + 1)
                if number < page_count
                else None,
                page_number=number,
            )
        for view in views:
            pages[view.path] = self.article_page(view)
        pages[DISALLOWED[0]] = self.listing_page(
            views,
            title=f"Recherche — {self.outlet.name}",
            heading="Résultats de recherche",
            kind="search",
        )
        pages[DISALLOWED[1] + "connexion/"] = self.simple_page(
            title=f"Connexion — {self.outlet.name}",
            message="Connectez-vous pour gérer votre abonnement et vos lettres d'information.",
            kind="account",
        )
        feed_path = layout.feed_path(self.outlet)
        if self.outlet.feed == "atom":
            feed = atom_feed(self.outlet, self.base_url, self.feed_url, views)
        else:
            feed = rss_feed(self.outlet, self.base_url, self.feed_url, views)
        pages[feed_path] = Page(feed, CONTENT_TYPES[self.outlet.feed], _newest(views))
        for path, document in sitemap_documents(self.outlet, layout, self.base_url, views).items():
            pages[path] = Page(document, CONTENT_TYPES["xml"], _newest(views))
        robots = robots_txt(layout, self.base_url).encode("utf-8")
        pages["/robots.txt"] = Page(robots, CONTENT_TYPES["text"], SITE_EPOCH)
        css = STATIC_DIR / f"{layout.name}.css"
        if css.is_file():
            pages[f"/static/{layout.name}.css"] = Page(
                css.read_bytes(), CONTENT_TYPES["css"], SITE_EPOCH
            )
        return pages
