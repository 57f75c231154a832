"""Web text shown as text: markdown escaping, clickable links, plotly labels."""

from __future__ import annotations

import string

import pytest
from pannes.dashboard.render import (
    escape_markdown,
    markdown_link,
    plotly_text,
    safe_url,
    segments_markdown,
)


def unescape(markdown: str) -> str:
    """What a CommonMark renderer displays for backslash-escaped text."""
    out, i = [], 0
    while i < len(markdown):
        if markdown[i] == "\\" and i + 1 < len(markdown) and markdown[i + 1] in string.punctuation:
            out.append(markdown[i + 1])
            i += 2
        else:
            out.append(markdown[i])
            i += 1
    return "".join(out)


@pytest.mark.parametrize("text", [
    "<script>alert('x')</script> Panne chez Scriptix",
    "**gras** _italique_ [lien](javascript:alert(1)) `code`",
    ":red[rouge] $x^2$ &lt;b&gt; # titre",
    "<img src=x onerror=alert(1)>",
])
def test_every_markup_character_is_escaped_and_reads_back(text):
    escaped = escape_markdown(text)
    assert unescape(escaped) == text
    # No markup character is left bare: each is preceded by a backslash.
    for i, char in enumerate(escaped):
        if char in "<>[]()*_`$:&#!":
            assert escaped[i - 1] == "\\", (escaped, i)


def test_script_tag_becomes_literal_text():
    assert escape_markdown("<script>") == "\\<script\\>"


def test_whitespace_collapses_to_one_line():
    assert escape_markdown("un\n\n    deux\ttrois") == "un deux trois"


@pytest.mark.parametrize("url", [
    "http://exemple.fr/article", "https://exemple.fr/a?b=c#d", "HTTPS://EXEMPLE.FR/",
])
def test_http_urls_are_clickable(url):
    assert safe_url(url) == url


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>",
    "vbscript:x", "file:///etc/passwd", "mailto:a@b.fr", "/relative/path", "//exemple.fr/x",
    "http://", "https://exemple.fr/\nx", "", None,
])
def test_other_urls_are_not(url):
    assert safe_url(url) is None


def test_link_markdown_escapes_label_and_quotes_target():
    md = markdown_link("Titre [avec] crochets", "https://exemple.fr/a (b)")
    assert md == "[Titre \\[avec\\] crochets](https://exemple.fr/a%20%28b%29)"


def test_unsafe_link_is_plain_text():
    md = markdown_link("Cliquez", "javascript:alert(1)")
    assert md == "Cliquez"
    assert "](" not in md


def test_highlighted_segments():
    md = segments_markdown([("La panne de ", False), ("Nébulor", True), (" <b>", False)])
    assert md == "La panne de :orange-background[Nébulor] \\<b\\>"


def test_plotly_labels_are_escaped_and_shortened():
    assert plotly_text("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert plotly_text("a" * 50, 10) == "a" * 9 + "…"
