"""From a fetched page to an `Article`: the one place that calls trafilatura.

Main text, title, author and date through trafilatura (boilerplate, comments, related links
and cookie banners dropped), the standfirst trafilatura leaves out put back in front
(crawler.standfirst), htmldate when trafilatura finds no date, the canonical URL from
`<link rel=canonical>` cleaned by courlan, and the language of the text. A page that is not
an article comes back with the reason, never as an exception.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import courlan
import lxml.html
from lxml import etree
from pannes.crawler.charset import decode_page
from pannes.crawler.feeds import Entry
from pannes.crawler.language import detect_language
from pannes.crawler.standfirst import standfirst

from pannes.records import Article, RawPage

log = logging.getLogger(__name__)

# Shorter main texts are navigation pages, video pages or errors, not articles.
MIN_TEXT_CHARS = 200
HTML_TYPES = ("text/html", "application/xhtml+xml")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_HTML_SNIFF = re.compile(rb"<(!doctype html|html|head|body|article|p)\b", re.I)
# libxml2 errors that mean the markup itself is broken (not merely unknown to libxml2).
_MALFORMED_ERRORS = {"ERR_TAG_NAME_MISMATCH", "ERR_TAG_NOT_FINISHED", "ERR_LT_IN_ATTRIBUTE",
                     "ERR_ATTRIBUTE_WITHOUT_VALUE", "ERR_GT_REQUIRED", "ERR_NAME_REQUIRED"}


@dataclass
class Extraction:
    """What came out of one page: an article, or the reason there is none."""

    raw: RawPage
    article: Article | None = None
    problem: str | None = None  # error kind: non_html, empty_body, no_text, extraction_failed
    reason: str = ""
    warnings: list[str] = field(default_factory=list)  # charset_missing, charset_wrong, malformed_html
    warning_reasons: dict[str, str] = field(default_factory=dict)
    canonical_url: str | None = None


def clean_url(url: str) -> str:
    """An URL without tracking parameters or fragment, normalised by courlan."""
    try:
        normalized = courlan.normalize_url(url)
    except (ValueError, AttributeError):
        normalized = url
    parts = urlsplit(normalized)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def is_html(headers: dict[str, str], body: bytes) -> bool:
    """An HTML page by its Content-Type, or by its first bytes when the type is missing."""
    content_type = (_header(headers, "content-type") or "").split(";")[0].strip().lower()
    if content_type:
        return content_type in HTML_TYPES
    return bool(_HTML_SNIFF.search(body[:2048]))


def canonical_url(tree: lxml.html.HtmlElement, page_url: str) -> str:
    """The page's `<link rel=canonical>` when it is a usable article address, else the page URL."""
    for link in tree.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" not in rels or not href:
            continue
        candidate = urljoin(page_url, href)
        parts = urlsplit(candidate)
        # A canonical pointing at a home page is a CMS mistake, not the article's address.
        if parts.scheme in {"http", "https"} and parts.hostname and parts.path.strip("/"):
            return clean_url(candidate)
        break
    return clean_url(page_url)


def _parse(text: str) -> tuple[lxml.html.HtmlElement | None, int]:
    """The page tree and the number of markup errors libxml2 had to repair."""
    parser = lxml.html.HTMLParser(recover=True, remove_comments=True)
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1), parser=parser)
    except (etree.ParserError, ValueError):
        return None, 0
    errors = sum(1 for e in parser.error_log if e.type_name in _MALFORMED_ERRORS)
    return tree, errors


def _to_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _htmldate(text: str, url: str) -> date | None:
    from htmldate import find_date

    try:
        found = find_date(text, url=url, extensive_search=True, original_date=True,
                          outputformat="%Y-%m-%d")
    except Exception as exc:  # htmldate raises on odd inputs; a missing date is not fatal
        log.debug("htmldate failed on %s: %s", url, exc)
        return None
    return _to_date(found)


def warm_up() -> None:
    """Load what extraction loads lazily (trafilatura, the language model) ahead of time."""
    import trafilatura  # noqa: F401

    detect_language("Ceci est une phrase en français pour charger le modèle de langue. " * 2)


def _without_title(text: str, title: str) -> str:
    """The body without the headline trafilatura keeps as its first line (copies differ there)."""
    first, _, rest = text.partition("\n")
    if title and rest and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.strip()
    return text


def extract_page(
    raw: RawPage,
    *,
    source: str,
    requested_url: str | None = None,
    prune_xpath: list[str] | tuple[str, ...] = (),
    announced: date | datetime | None = None,
    min_text_chars: int = MIN_TEXT_CHARS,
) -> Extraction:
    """Extract the article of a fetched page; `announced` (feed/sitemap date) is the last resort."""
    import trafilatura

    result = Extraction(raw=raw)
    if not raw.body.strip():
        result.problem, result.reason = "empty_body", "the page is empty"
        return result
    if not is_html(raw.headers, raw.body):
        content_type = _header(raw.headers, "content-type") or "unknown"
        result.problem, result.reason = "non_html", f"content type {content_type}"
        return result

    decoded = decode_page(raw.body, _header(raw.headers, "content-type"))
    if decoded.problem:
        result.warnings.append(decoded.problem)
        declared = f"declared {decoded.declared!r}" if decoded.declared else "no charset declared"
        result.warning_reasons[decoded.problem] = f"{declared}; decoded as {decoded.encoding}"
    tree, markup_errors = _parse(decoded.text)
    if tree is None:
        result.problem, result.reason = "extraction_failed", "the page could not be parsed as HTML"
        return result
    if markup_errors:
        result.warnings.append("malformed_html")
        result.warning_reasons["malformed_html"] = f"{markup_errors} markup error(s) repaired"
    url = canonical_url(tree, raw.url)
    result.canonical_url = url
    declared_lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")

    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            prune_xpath=list(prune_xpath) or None,
        )
    except Exception as exc:  # trafilatura on hostile markup: count it, never stop the crawl
        result.problem, result.reason = "extraction_failed", f"trafilatura: {exc}"
        return result
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text) < min_text_chars:
        result.problem = "no_text"
        result.reason = f"main text has {len(text)} characters (< {min_text_chars}): not an article"
        return result

    title = (doc.title or "").strip()
    text = _without_title(text, title)
    lead = standfirst(tree, doc.description, title, text)
    if lead:
        text = f"{lead}\n{text}"
    published = _to_date(doc.date) or _htmldate(decoded.text, url)
    if published is None and announced is not None:
        published = announced.date() if isinstance(announced, datetime) else announced
    fetched = requested_url or raw.url
    result.article = Article(
        url=url,
        source=source,
        title=title,
        text=text,
        published=published,
        author=(doc.author or None),
        language=detect_language(text, declared=declared_lang),
        fetched_at=raw.fetched_at,
        fetched_url=fetched if fetched != url else None,
    )
    return result


# ----------------------------------------------------------------------------- feed items

_BLOCK_TAGS = {"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
               "section", "article", "figcaption", "ul", "ol", "table"}
# What feeds append to a summary and is not the article's (WordPress's footer, read-more links).
_FEED_FOOTERS = re.compile(r"^(L[’']article .{0,400} est apparu en premier sur .{0,200}|"
                           r"The post .{0,400} appeared first on .{0,200}|"
                           r"(Lire|Voir) la suite.{0,40}|Continuer la lecture.{0,80}|\[(…|\.\.\.)\])$",
                           re.I)


def summary_text(html: str) -> str:
    """The text of a feed item's summary or content (HTML or plain), paragraph by paragraph."""
    if "<" in html:
        try:
            root = lxml.html.fragment_fromstring(html, create_parent="div")
        except (etree.ParserError, ValueError):
            root = None
        if root is not None:
            for bad in root.xpath("//script|//style|//figure|//img"):
                bad.drop_tree()
            for element in root.iter():
                if element.tag == "br":
                    element.tail = "\n" + (element.tail or "")
                elif element.tag in _BLOCK_TAGS:
                    element.tail = "\n\n" + (element.tail or "")
            html = root.text_content()
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", html)]
    kept = [p for p in paragraphs if p and not _FEED_FOOTERS.match(p)]
    return "\n\n".join(kept)


def extract_feed_item(entry: Entry, *, source: str, fetched_at: datetime | None = None,
                      declared_language: str | None = None) -> Extraction:
    """A feed item kept as an article marked as a summary (for sites refusing crawlers on
    article pages): its title, summary, date, author and link; the item's XML is its raw page."""
    raw = RawPage(url=entry.url, body=entry.xml or b"", status=200,
                  headers={"Content-Type": "application/xml; charset=utf-8"},
                  fetched_at=fetched_at)
    result = Extraction(raw=raw)
    title = " ".join((entry.title or "").split())
    text = summary_text(entry.summary or "")
    if not title or not text:
        result.problem = "no_text"
        result.reason = "the feed item has no " + ("title" if not title else "summary")
        return result
    url = clean_url(entry.url)
    result.canonical_url = url
    result.article = Article(
        url=url,
        source=source,
        title=title,
        text=text,
        published=entry.date.date() if entry.date else None,
        author=" ".join(entry.author.split()) if entry.author else None,
        language=detect_language(f"{title}. {text}", declared=declared_language),
        fetched_at=fetched_at,
        is_summary=True,
    )
    return result
