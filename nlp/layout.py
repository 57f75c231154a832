"""Page layout the parser cannot see: line breaks end sentences, the title line is known."""

from __future__ import annotations

import re

import numpy
from pannes.nlp.spans import doc_text
from spacy.attrs import IDX, IS_SPACE, POS
from spacy.language import Language
from spacy.symbols import SPACE
from spacy.tokens import Doc

TITLE_MAX_WORDS = 25
LINE_OPENING = 6  # words at the start of a line kept with it
CLOCK_TOKEN = re.compile(r"^\d{1,2}[h:]\d{2}$", re.I)
SENTENCE_STOPS = frozenset({".", "!", "?", "…"})


@Language.component("pannes_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after each line break (headings, captions, menu lines)."""
    text = doc_text(doc)
    if "\n" not in text:
        return doc
    starts = {idx: i for i, idx in enumerate(doc.to_array(IDX).tolist())}
    position = text.find("\n")
    while position != -1:
        # the first token starting after this run of line breaks and spaces
        nxt = position
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        if nxt in starts and starts[nxt] > 0:
            doc[starts[nxt]].is_sent_start = True
        if nxt in starts and _clock_stamp(doc, starts[nxt]):
            _keep_line_opening(doc, starts[nxt])
        position = text.find("\n", nxt)
    return doc


def _clock_stamp(doc: Doc, first: int) -> bool:
    """A live-blog entry opens its line with the time: "17 h 40 : ...", "14h30 - ..."."""
    token = doc[first]
    if CLOCK_TOKEN.match(token.text):
        return True
    return token.text.isdigit() and first + 1 < len(doc) and doc[first + 1].lower_ == "h"


def _keep_line_opening(doc: Doc, first: int) -> None:
    """The parser cuts a live-blog stamp off its entry ("17 | h | 40 : Free annonce..."): the
    words after the stamp stay in the line's sentence up to a stop."""
    for j in range(first + 1, min(first + 1 + LINE_OPENING, len(doc))):
        prev = doc[j - 1]
        if doc[j].is_space or prev.is_space or prev.text in SENTENCE_STOPS:
            break
        doc[j].is_sent_start = False


@Language.component("pannes_spaces")
def space_tokens(doc: Doc) -> Doc:
    """What fr_core_news_md's attribute_ruler does that matters here, without its Matcher pass:
    whitespace tokens are SPACE with no morphology (and a plain `dep`), a SPACE guessed on a
    word becomes X. Its other rules only copy POS into TAG, which nothing here reads."""
    spaces = doc.to_array(IS_SPACE)
    for i in numpy.flatnonzero(spaces).tolist():
        token = doc[i]
        if token.dep_:
            token.dep_ = "dep"
        token.pos_ = "SPACE"
        token.set_morph(None)
    for i in numpy.flatnonzero((doc.to_array(POS) == SPACE) & (spaces == 0)).tolist():
        token = doc[i]
        token.pos_ = "X"
        token.set_morph(None)
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
