"""What a byte string or a ``Content-Type`` header says a document is: HTML, text, a feed.

Shared by the file readers, the fetcher, the WARC reader and the feed reader, so a page is
classified the same way wherever it comes from.
"""

from __future__ import annotations

import re
from email.message import Message

from .decode import looks_binary

__all__ = ["sniff_kind", "looks_like_feed", "parse_content_type", "media_kind",
           "HTML_TYPES", "TEXT_TYPES", "FEED_TYPES", "XML_TYPES"]

#: Media types read as HTML.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: Media types read as plain text.
TEXT_TYPES = frozenset({"text/plain"})
#: Media types that are always feeds.
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
#: Generic XML media types: a feed when the root element is ``rss``, ``feed`` or ``rdf:RDF``.
XML_TYPES = frozenset({"application/xml", "text/xml"})

_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.S | re.I)
_ROOT = re.compile(rb"\s*<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def sniff_kind(data: bytes) -> str:
    """``"html"`` when ``data`` starts like an HTML page (after a BOM and blanks), else
    ``"text"``."""
    head = data[:512].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return "html" if head.startswith((b"<!doctype html", b"<html")) else "text"


def looks_like_feed(data: bytes) -> bool:
    """True when the root element of the XML in ``data`` is ``rss``, ``feed`` (Atom) or
    ``rdf:RDF`` (RSS 1.0); the XML declaration, comments and a doctype are skipped. Only the
    first 4 KiB are looked at; UTF-16 XML is not recognised."""
    head = data[:4096].removeprefix(b"\xef\xbb\xbf")
    pos = 0
    while True:
        m = _PROLOG.match(head, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
    root = _ROOT.match(head, pos)
    if root is None:
        return False
    return root.group(2).lower() in (b"rss", b"feed", b"rdf")


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """``(media_type, charset)`` from a ``Content-Type`` header value, both lower-cased
    (``""`` and None when the header is missing): ``"text/html; charset=ISO-8859-1"`` →
    ``("text/html", "iso-8859-1")``."""
    if not value:
        return "", None
    msg = Message()
    msg["content-type"] = value
    media = msg.get_content_type().lower() if "/" in value.split(";")[0] else ""
    charset = msg.get_param("charset")
    if isinstance(charset, tuple):  # RFC 2231 form: (charset, language, value)
        charset = charset[2]
    charset = str(charset).strip().strip("'\"").lower() if charset else None
    return media, charset or None


def media_kind(media_type: str, data: bytes, *, feeds: bool = True) -> str | None:
    """How to read a body served as ``media_type`` (from :func:`parse_content_type`):
    ``"html"``, ``"text"``, ``"feed"`` (only when ``feeds``), or None when it is not a
    document Kibaru reads (an image, a PDF, binary data).

    Generic XML is a feed when its root says so, else None. A missing or generic type
    (``application/octet-stream``) is sniffed: a feed root, an HTML start, else text unless
    the bytes look binary.
    """
    if media_type in HTML_TYPES:
        return "html"
    if media_type in TEXT_TYPES:
        return "text"
    if media_type in FEED_TYPES:
        return "feed" if feeds else None
    if media_type in XML_TYPES:
        return "feed" if feeds and looks_like_feed(data) else None
    if media_type in ("", "application/octet-stream", "binary/octet-stream"):
        if looks_like_feed(data):
            return "feed" if feeds else None
        if looks_binary(data):
            return None
        return sniff_kind(data)
    return None
