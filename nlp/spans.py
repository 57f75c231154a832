"""Text of token ranges cut from the Doc's text: `Span.text` builds every Token to join them."""

from __future__ import annotations

import math
from bisect import bisect_right

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span, Token


def doc_text(doc: Doc) -> str:
    """The Doc's text, joined once and kept (`Doc.text` joins its tokens on every call)."""
    text = doc.user_data.get("pannes_text")
    if text is None:
        text = doc.user_data["pannes_text"] = doc.text
    return text


def remember_text(doc: Doc, text: str) -> None:
    """Keep the text a Doc was made from (the tokenizer keeps every character: it is `doc.text`)."""
    doc.user_data["pannes_text"] = text


def span_text(doc: Doc, start: int, end: int) -> str:
    """The text of tokens start..end, as `doc[start:end].text` gives it."""
    span = doc[start:end]
    return doc_text(doc)[span.start_char:span.end_char]


def sent_text(sent: Span) -> str:
    """The text of a sentence (or any span), as `span.text` gives it."""
    return doc_text(sent.doc)[sent.start_char:sent.end_char]


def sentence_of(token: Token) -> Span:
    """The sentence holding a token, as `token.sent` gives it, from a kept table of sentence
    starts (`token.sent` walks the Doc each time)."""
    doc = token.doc
    starts = doc.user_data.get("pannes_sent_starts")
    if starts is None:
        starts = numpy.flatnonzero(doc.to_array(SENT_START) == 1).tolist()
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        doc.user_data["pannes_sent_starts"] = starts
    i = bisect_right(starts, token.i) - 1
    end = starts[i + 1] if i + 1 < len(starts) else len(doc)
    return doc[starts[i]:end]


def open_parenthesis(doc: Doc, start: int) -> int | None:
    """The index of the "(" still open at token `start` in its sentence, if any."""
    depth = 0
    for tok in reversed(doc[sentence_of(doc[start]).start:start]):
        if tok.text == ")":
            depth += 1
        elif tok.text == "(":
            if depth == 0:
                return tok.i
            depth -= 1
    return None


def restates_name(doc: Doc, start: int) -> bool:
    """The mention at `start` sits in parentheses opened right after a name: it spells that
    name out ("EMEA (Europe, Moyen-Orient, Afrique)")."""
    opened = open_parenthesis(doc, start)
    return opened is not None and opened > 0 and doc[opened - 1].pos_ == "PROPN"


# Words that join the names of an enumeration: "X, Y et Z", "X ou encore Y", "X ainsi que Y".
LIST_JOINS = frozenset({",", "et", "ou", "encore", "ainsi", "que", "/", "&"})


def enumerations(doc: Doc, spans: list[tuple[int, int]], also_between: frozenset[str] = frozenset()
                 ) -> list[list[int]]:
    """The spans (in text order) named in one enumeration, as groups of their indexes: two
    neighbours of one sentence are listed together when at most three tokens part them, among
    them a join word, the others join words, determiners or `also_between` ("à Liège, à Huy")."""
    groups: list[list[int]] = []
    for k, (start, _) in enumerate(spans):
        if groups:
            prev_start, prev_end = spans[groups[-1][-1]]
            gap = doc[prev_end:start]
            if start >= prev_end and len(gap) <= 3 and any(t.lower_ in LIST_JOINS for t in gap) \
                    and all(t.lower_ in LIST_JOINS or t.lower_ in also_between or t.pos_ == "DET" for t in gap) \
                    and doc[prev_start].sent.start == doc[start].sent.start:
                groups[-1].append(k)
                continue
        groups.append([k])
    return groups


def list_size(members: int) -> float:
    """The size feature of an enumeration of `members` names: 0 for two, growing slowly."""
    return math.log1p(members) - math.log1p(2)

