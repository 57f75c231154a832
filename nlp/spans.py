"""Text of token ranges cut from the Doc's text: `Span.text` builds every Token to join them."""

from __future__ import annotations

from spacy.tokens import Doc, Span


def doc_text(doc: Doc) -> str:
    """The Doc's text, joined once and kept (`Doc.text` joins its tokens on every call)."""
    text = doc.user_data.get("pannes_text")
    if text is None:
        text = doc.user_data["pannes_text"] = doc.text
    return text


def span_text(doc: Doc, start: int, end: int) -> str:
    """The text of tokens start..end, as `doc[start:end].text` gives it."""
    span = doc[start:end]
    return doc_text(doc)[span.start_char:span.end_char]


def sent_text(sent: Span) -> str:
    """The text of a sentence (or any span), as `span.text` gives it."""
    return doc_text(sent.doc)[sent.start_char:sent.end_char]
