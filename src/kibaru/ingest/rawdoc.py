"""The ingest stage's hand-off to the clean stage: :class:`RawDoc`, and stable ids for web
documents (:func:`url_id`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = ["RawDoc", "url_id"]


@dataclass(frozen=True)
class RawDoc:
    """One document before cleaning.

    ``kind`` is ``"text"`` or ``"html"``; ``data`` is raw bytes (files, stdin, web pages, WARC
    records) or already decoded ``str`` (JSONL fields, feed entries with full content).

    ``id`` is the file stem, ``"stdin"``, a JSONL line's ``id`` (else ``<stem>-<line>``), or
    for web documents a short stable hash of the URL (:func:`url_id`). ``source`` is the path,
    ``"-"``, a JSONL line's ``url`` (else ``path:line``), the URL as given (a command-line or
    ``.urls`` URL, a feed entry's link) or a WARC record's target URI.

    ``published`` (the first 10 characters of a JSONL field, or a feed entry's date; checked
    as an ISO date by the clean stage), ``title`` and ``url`` (after redirects, for fetched
    pages) come from the input's metadata, else None. ``charset`` is the encoding named by the
    transport (an HTTP or WARC ``Content-Type`` header); the clean stage prefers it to the
    page's ``<meta charset>`` when it decodes cleanly.
    """

    id: str
    source: str
    kind: str
    data: bytes | str
    published: str | None = None
    title: str | None = None
    url: str | None = None
    charset: str | None = None


def url_id(url: str, *parts: str) -> str:
    """A short stable id (16 hex digits of SHA-256) for ``url`` and optional ``parts`` (a WARC
    record's date): the same URL always gets the same id, across runs and machines."""
    key = "\x00".join((url, *parts))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
