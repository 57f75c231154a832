"""Parse feeds and sitemaps from the web without letting them attack the parser.

No entity expansion ("billion laughs"), no external entities or DTDs, no network, no huge
trees: the parser itself is safe, whatever the encoding or the size of the DTD. A declared
entity is left unexpanded (the entries around it are kept); a document whose entities would
expand past libxml2's limits is refused as an attack.
"""

from __future__ import annotations

import gzip
import io
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from lxml import etree

MAX_XML_BYTES = 50_000_000  # sitemaps may be 50 MB uncompressed (sitemaps.org limit)
# libxml2's messages when entities would expand too much (2.11+: amplification; older: loop).
_ENTITY_ATTACK = re.compile(r"amplification|entity reference loop|entity loop", re.I)


class UnsafeXML(ValueError):
    """The document declares entities (a possible entity-expansion attack)."""


class BrokenXML(ValueError):
    """The document is not usable XML."""


def _parser(*, recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


def maybe_gunzip(body: bytes, limit: int = MAX_XML_BYTES) -> bytes:
    """Uncompress a gzipped sitemap, refusing one that inflates past `limit`."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as fh:
            data = fh.read(limit + 1)
    except (OSError, EOFError) as exc:
        raise BrokenXML(f"bad gzip data: {exc}") from None
    if len(data) > limit:
        raise UnsafeXML(f"uncompresses to more than {limit} bytes")
    return data


def _refuse_entity_attack(error_log: etree._ListErrorLog) -> None:
    for entry in error_log:
        if _ENTITY_ATTACK.search(entry.message or ""):
            raise UnsafeXML("entity declarations refused: they expand past the parser's "
                            f"limits, an entity-expansion attack ({entry.message.strip()})")


def parse_xml(body: bytes) -> tuple[etree._Element, str | None]:
    """The root of a feed or sitemap, and what was wrong if it had to be repaired.

    Raises `UnsafeXML` or `BrokenXML` when the document is unusable.
    """
    body = maybe_gunzip(body)
    if not body.strip():
        raise BrokenXML("empty document")
    body = body.lstrip()
    # Each parser's own error log: the exception's log also holds earlier documents' errors.
    strict = _parser(recover=False)
    try:
        return etree.fromstring(body, parser=strict), None
    except etree.XMLSyntaxError as exc:
        _refuse_entity_attack(strict.error_log)
        problem = f"malformed XML ({exc})"
    lenient = _parser(recover=True)
    try:
        root = etree.fromstring(body, parser=lenient)
    except etree.XMLSyntaxError as exc:
        _refuse_entity_attack(lenient.error_log)
        raise BrokenXML(f"not XML: {exc}") from None
    _refuse_entity_attack(lenient.error_log)
    if root is None:
        raise BrokenXML(f"not XML: {problem}")
    return root, problem


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def child_text(element: etree._Element, *names: str) -> str | None:
    """Text of the first child (any namespace) among `names`, in the order given."""
    children = {}
    for child in element:
        children.setdefault(local_name(child), child)
    for name in names:
        child = children.get(name)
        # itertext: the text on both sides of an unexpanded entity reference.
        text = "".join(child.itertext()).strip() if child is not None else ""
        if text:
            return text
    return None


def parse_date(value: str | None) -> datetime | None:
    """An RFC 822 (RSS) or ISO 8601 (Atom, sitemaps) date as an aware UTC datetime."""
    if not value:
        return None
    value = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
