"""Page layout the parser cannot see: line breaks end sentences, the title line is known."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

TITLE_MAX_WORDS = 25


@Language.component("pannes_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after each line break (headings, captions, menu lines)."""
    text = doc.text
    if "\n" not in text:
        return doc
    starts = {}
    for i, token in enumerate(doc):
        starts[token.idx] = i
    position = text.find("\n")
    while position != -1:
        # the first token starting after this run of line breaks and spaces
        nxt = position
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        if nxt in starts and starts[nxt] > 0:
            doc[starts[nxt]].is_sent_start = True
        position = text.find("\n", nxt)
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
