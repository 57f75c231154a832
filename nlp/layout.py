"""Page layout the parser cannot see: line breaks end sentences, the title line is known."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

TITLE_MAX_WORDS = 25


@Language.component("pannes_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after each line break (headings, captions, menu lines)."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws and not previous.is_space or previous.is_space and "\n" in previous.text:
            token.is_sent_start = True
    return doc


def guess_title_end(text: str) -> int:
    """Character offset where a title-like first line ends (0 when there is none)."""
    offset = 0
    seen = 0
    for line in text.split("\n"):
        stripped = line.strip()
        end = offset + len(line)
        offset = end + 1
        if not stripped:
            continue
        seen += 1
        if seen > 4:
            break
        words = len(stripped.split())
        if 3 <= words <= TITLE_MAX_WORDS and not re.search(r"[.;,:]$", stripped):
            return end
    return 0
