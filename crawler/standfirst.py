"""The standfirst (chapô) of an article page, which trafilatura often leaves out.

News pages set the standfirst apart from the body, in the article header: trafilatura
keeps the body and drops it on many layouts, although it is the densest part of the
story (who failed, since when, for whom). `standfirst` finds it in the page, in this order:
1. an element after the headline marked as the story's description (`itemprop=description`)
   or whose class names a standfirst in the newsroom vocabularies (chapo, chapeau,
   standfirst, lead, desc, intro, accroche...);
2. the page's description (`<meta name=description>` / `og:description`, as trafilatura read
   it).
It is kept only when it reads as this story's: 40 to 800 characters, not the title, not
already in the extracted text, and sharing at least three content words with the title and
text (a site-wide "Toute l'actualité de..." does not).
"""

from __future__ import annotations

import re
import unicodedata

import lxml.html

MIN_CHARS = 40
MAX_CHARS = 800
MIN_SHARED_WORDS = 3
# Class-name parts (split on "-", "_", spaces and case changes) that name a standfirst.
CLASS_WORDS = frozenset({"chapo", "chapeau", "standfirst", "lead", "lede", "leadin", "desc",
                         "description", "intro", "introduction", "accroche", "sapo",
                         "subheadline", "subtitle", "deck", "kicker", "excerpt"})
_CLASS_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_WORD = re.compile(r"\w{4,}")


def _class_words(value: str) -> set[str]:
    return {part.lower() for part in _CLASS_PART.findall(value)}


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    return " ".join(text.split()).casefold().rstrip(" .…")


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(_norm(text)) if not w.isdigit()}


def _is_marked(node: lxml.html.HtmlElement) -> bool:
    return node.get("itemprop") == "description" or bool(
        _class_words(node.get("class") or "") & CLASS_WORDS)


def _marked(tree: lxml.html.HtmlElement, body_start: str) -> str | None:
    """The text of the first element marked as a standfirst between the headline and the
    start of the body (`body_start`, the body's first words): never a teaser further down."""
    headline = next(tree.iter("h1"), None)
    if headline is None:
        return None
    for node in headline.xpath("following::*"):
        if node.tag in {"meta", "script", "style", "a"}:
            continue
        own = _norm(node.text or "")
        if body_start and own and own.startswith(body_start):
            return None
        if _is_marked(node):
            return " ".join(node.text_content().split())
    return None


def standfirst(tree: lxml.html.HtmlElement, description: str | None, title: str,
               text: str) -> str | None:
    """The page's standfirst when it is this story's and missing from `text`, else None."""
    known = _norm(text)
    story = _content_words(f"{title} {text}")
    body_start = _norm(text.split("\n", 1)[0])[:40]
    for candidate in [_marked(tree, body_start) or "", description or ""]:
        candidate = " ".join(candidate.split())
        if not MIN_CHARS <= len(candidate) <= MAX_CHARS:
            continue
        norm = _norm(candidate)
        if norm == _norm(title) or norm in known:
            continue
        if len(_content_words(candidate) & story) < MIN_SHARED_WORDS:
            continue
        return candidate
    return None
