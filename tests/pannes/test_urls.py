"""Only absolute http(s) URLs from the web are linked to, in the dashboard and in the feed."""

from __future__ import annotations

import pytest

from pannes.urls import web_url


@pytest.mark.parametrize("url, expected", [
    ("https://exemple.fr/panne", "https://exemple.fr/panne"),
    ("  http://exemple.fr/a?b=1  ", "http://exemple.fr/a?b=1"),
    ("https://exemple.fr/a b", "https://exemple.fr/a%20b"),
    ("javascript:alert(1)", None), ("data:text/html,<script>x</script>", None),
    ("ftp://exemple.fr/f", None), ("//exemple.fr/sans-schema", None), ("/relatif", None),
    ("https://exemple.fr/\nSet-Cookie", None), ("https:///sans-hote", None), ("", None), (None, None),
])
def test_only_absolute_web_urls_pass(url, expected):
    assert web_url(url) == expected
