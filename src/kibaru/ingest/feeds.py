"""Read RSS and Atom feeds (feedparser): one document per entry.

An entry that carries its full article (RSS ``content:encoded``, Atom ``<content>``) is read
from the feed itself, as HTML (or text for Atom ``type="text"``); content shorter than
:data:`MIN_CONTENT_CHARS` characters of text is taken for a teaser and, when the entry has a
link, the link is fetched instead. Every other entry's link is fetched with the run's
:class:`~kibaru.ingest.fetch.Fetcher` (robots.txt, rate limit, retries). ``<description>`` /
``<summary>`` teasers are never used as the article.

Each document gets the entry's title, and its date (``published``, else ``updated``) as an
ISO date, read as written in the feed (no shift to UTC); ``url`` and ``source`` are the
entry's link (``<feed>#<n>`` when there is none), and ``id`` a short hash of the link.

Errors (never raised; yielded in place): ``K124`` not a readable feed, a feed without
entries, an entry with neither full content nor a link; fetch errors for a link (``K120``,
``K121``, ``K122``, ``K103``) name that link.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser

from ..errors import InputError
from .fetch import Fetcher, is_web_url
from .rawdoc import RawDoc, url_id

__all__ = ["iter_feed", "entry_date", "MIN_CONTENT_CHARS", "FEED_SUFFIXES"]

#: File name endings read as feeds (``.xml`` too, when its root element is a feed's).
FEED_SUFFIXES = (".rss", ".atom")
#: Entry content with fewer characters of text than this is a teaser: its link is fetched.
MIN_CONTENT_CHARS = 200

_TAG = re.compile(r"<[^>]*>")
_ISO_DAY = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")


def _iso_day(value: str) -> str | None:
    """The calendar date of a feed date string, as written (RFC 822 or ISO 8601)."""
    value = value.strip()
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        pass
    m = _ISO_DAY.match(value)
    if m:
        try:
            return date.fromisoformat(m.group(1)).isoformat()
        except ValueError:
            return None
    return None


def entry_date(entry: Any) -> str | None:
    """A feed entry's date as ``YYYY-MM-DD``: ``published`` (RSS ``pubDate``, Atom
    ``published``, ``dc:date``), else ``updated``, as written in the feed; else feedparser's
    own parse of any date it understood (UTC); None when the entry has no date."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if isinstance(raw, str) and raw.strip():
            day = _iso_day(raw)
            if day:
                return day
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        st = entry.get(key)
        if st:
            return f"{st.tm_year:04d}-{st.tm_mon:02d}-{st.tm_mday:02d}"
    return None


def _full_content(entry: Any) -> tuple[str, str] | None:
    """``(body, kind)`` of the entry's longest non-empty content, or None."""
    best: tuple[str, str] | None = None
    for part in entry.get("content") or []:
        value = part.get("value") or ""
        if value.strip() and (best is None or len(value) > len(best[0])):
            kind = "text" if (part.get("type") or "") == "text/plain" else "html"
            best = (value, kind)
    return best


def _text_length(body: str, kind: str) -> int:
    text = _TAG.sub(" ", body) if kind == "html" else body
    return len(" ".join(html.unescape(text).split()))


def _page(body: str, title: str | None) -> str:
    """A content fragment as a whole page, so HTML extraction finds its main text."""
    head = f"<title>{html.escape(title)}</title>" if title else ""
    return (f'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">{head}</head>'
            f"<body><article>\n{body}\n</article></body></html>")


def iter_feed(data: bytes, source: str, fetcher: Callable[[], Fetcher], *,
              base_url: str | None = None,
              content_type: str | None = None) -> Iterator[RawDoc | InputError]:
    """Yield one document (or error) per entry of the feed in ``data``.

    ``source`` names the feed in errors (a path or URL); ``fetcher`` returns the run's
    :class:`~kibaru.ingest.fetch.Fetcher` (called only when a link must be fetched);
    ``base_url`` resolves relative links (the feed's URL); ``content_type`` is the HTTP
    header the feed came with (its charset is honoured).
    """
    headers = {"content-location": base_url} if base_url else {}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as exc:  # feedparser errors are wrapped where they enter
        yield InputError(source, f"not a readable RSS/Atom feed ({type(exc).__name__})",
                         code="K124")
        return
    entries = parsed.get("entries") or []
    if not entries:
        problem = parsed.get("bozo_exception")
        reason = (f"not a readable RSS/Atom feed ({' '.join(str(problem).split())[:120]})"
                  if parsed.get("bozo") and problem else "the feed holds no entry")
        yield InputError(source, reason, code="K124")
        return
    for n, entry in enumerate(entries, start=1):
        yield _entry(entry, n, source, fetcher)


def _entry(entry: Any, n: int, source: str,
           fetcher: Callable[[], Fetcher]) -> RawDoc | InputError:
    link = entry.get("link")
    link = link.strip() if isinstance(link, str) and link.strip() else None
    title = entry.get("title")
    title = " ".join(title.split()) if isinstance(title, str) and title.strip() else None
    published = entry_date(entry)
    content = _full_content(entry)
    web_link = link if link and is_web_url(link) else None
    if content is not None and (web_link is None
                                or _text_length(*content) >= MIN_CONTENT_CHARS):
        body, kind = content
        where = link or f"{source}#{n}"
        return RawDoc(id=url_id(where), source=where, kind=kind,
                      data=_page(body, title) if kind == "html" else body,
                      published=published, title=title, url=link)
    if web_link is None:
        why = f"its link {link!r} is not an http(s) URL" if link else "it has no link"
        return InputError(f"{source}#{n}", f"feed entry without full content, and {why}",
                          code="K124")
    try:
        return fetcher().fetch(web_link).to_rawdoc(title=title, published=published)
    except InputError as exc:
        return exc
