"""Turn a page's bytes into text when its declared charset is missing or wrong.

French pages show the classic failures: Latin-1 bytes served as UTF-8 (decoding errors) and
UTF-8 bytes declared as Latin-1 (mojibake such as "Ã©"). The declaration is trusted only when
the bytes agree with it; otherwise the encoding is detected.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_:.\-]+)", re.I)
_SNIFF_BYTES = 4096
_LATIN1_FAMILY = {"latin-1", "iso8859-1", "iso8859-15", "cp1252"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Decoded:
    """Text of a page and how its encoding was decided."""

    text: str
    encoding: str
    declared: str | None
    problem: str | None = None  # "charset_missing" | "charset_wrong" | None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    """The charset named in a Content-Type header, if any."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1) if match else None


def declared_charset(body: bytes, content_type: str | None = None) -> str | None:
    """The charset the server or the page itself declares (header wins over <meta>)."""
    named = header_charset(content_type)
    if named:
        return named
    match = _META_CHARSET.search(body[:_SNIFF_BYTES])
    return match.group(1).decode("ascii", "replace") if match else None


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_like_utf8(body: bytes) -> bool:
    """Valid UTF-8 holding multi-byte sequences: real Latin-1 text almost never is."""
    if body.isascii():
        return False
    return _strict(body, "utf-8") is not None


def decode_page(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page, trusting its declared charset only when the bytes agree."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return Decoded(body.decode(encoding, "replace"), encoding, encoding)

    declared_name = declared_charset(body, content_type)
    declared = _codec(declared_name)
    if declared is not None:
        if declared in _LATIN1_FAMILY and _looks_like_utf8(body):
            return Decoded(body.decode("utf-8"), "utf-8", declared_name, "charset_wrong")
        text = _strict(body, declared)
        if text is not None:
            return Decoded(text, declared, declared_name)
        problem = "charset_wrong"
    else:
        problem = "charset_missing" if declared_name is None else "charset_wrong"

    text = _strict(body, "utf-8")
    if text is not None:
        # Plain ASCII needs no declaration to be read right.
        return Decoded(text, "utf-8", declared_name, None if body.isascii() else problem)
    # Not UTF-8: on French sites that is Windows-1252 (a superset of Latin-1) nearly always;
    # other encodings are left to detection.
    text = _strict(body, "cp1252")
    if text is not None:
        return Decoded(text, "cp1252", declared_name, problem)
    best = from_bytes(body[:200_000]).best()
    encoding = _codec(best.encoding) if best is not None else None
    return Decoded(body.decode(encoding or "cp1252", "replace"), encoding or "cp1252",
                   declared_name, problem)
