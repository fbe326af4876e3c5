"""Expand command-line inputs into raw documents, reporting unreadable ones without stopping."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from .decode import MAX_BYTES, looks_binary
from .feeds import FEED_SUFFIXES, iter_feed
from .fetch import Fetcher, is_web_url
from .rawdoc import RawDoc
from .sniff import looks_like_feed, sniff_kind
from .warc import WARC_SUFFIXES, iter_warc

__all__ = ["RawDoc", "iter_inputs", "iter_url", "SUFFIXES"]

#: File name endings read from folders, mapped to their kind (compared lower-cased; the
#: longest ending wins, so ``.warc.gz`` is a WARC). ``.xml`` is read only when named on the
#: command line (a feed when its root element is ``rss``, ``feed`` or ``rdf:RDF``).
SUFFIXES = {
    ".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl",
    **dict.fromkeys(WARC_SUFFIXES, "warc"), **dict.fromkeys(FEED_SUFFIXES, "feed"),
    ".urls": "urls",
}


_KNOWN = ", ".join(SUFFIXES)


def _suffix_kind(name: str) -> str | None:
    """The kind :data:`SUFFIXES` gives a file name (``.xml`` → ``"xml"``), or None."""
    lower = name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix):
            return SUFFIXES[suffix]
    return "xml" if lower.endswith(".xml") else None


class _Web:
    """The run's :class:`Fetcher`: the caller's, or one created on first use and closed by
    :meth:`close` (so a run without web inputs never opens a client)."""

    def __init__(self, fetcher: Fetcher | None) -> None:
        self._given = fetcher
        self._own: Fetcher | None = None

    def __call__(self) -> Fetcher:
        if self._given is not None:
            return self._given
        if self._own is None:
            self._own = Fetcher()
        return self._own

    def close(self) -> None:
        if self._own is not None:
            self._own.close()
            self._own = None


def _label(path: str | Path) -> str:
    """``path`` as printable text: bytes of a file name that are not UTF-8 (held as lone
    surrogates) become U+FFFD, so JSON output and messages can always be encoded."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _text(value: object) -> str:
    """A JSONL field as text: a lone surrogate (``"\\ud800"`` is valid JSON, but no UTF-8
    text) becomes U+FFFD, so the document can be coded and printed."""
    return _LONE_SURROGATE.sub("\ufffd", str(value))


def _doc_id(path: Path) -> str:
    return _label(path.stem)


def _iter_jsonl(path: Path, lines: Iterable[bytes]) -> Iterator[RawDoc | InputError]:
    """One document per line of ``lines`` (raw bytes split on ``\\n`` only: a JSON string may
    hold U+2028 or U+0085, which ``str.splitlines`` would cut). Each line is decoded on its
    own, so one line that is not UTF-8 costs that line only."""
    for lineno, raw in enumerate(lines, start=1):
        if lineno == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        where = f"{_label(path)}:{lineno}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield InputError(where, f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column "
                             f"{exc.start + 1}); JSONL must be UTF-8", code="K105")
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            # (json's "Invalid control character at" names its column itself)
            yield InputError(where, f"malformed JSON line ({exc.msg.removesuffix(' at')}, "
                             f"column {exc.colno})", code="K106")
            continue
        except (RecursionError, ValueError) as exc:  # nesting too deep, huge integers
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            yield InputError(where, f"malformed JSON line ({reason})", code="K106")
            continue
        if not isinstance(rec, dict):
            yield InputError(where, "a JSONL line must be an object", code="K106")
            continue
        body_html, body_text = rec.get("html"), rec.get("text")
        if not isinstance(body_html, str) and not isinstance(body_text, str):
            yield InputError(where, 'a JSONL document needs a "text" or "html" string', code="K107")
            continue
        published = rec.get("published")
        url, title = rec.get("url"), rec.get("title")
        yield RawDoc(
            id=_text(rec.get("id") or f"{_doc_id(path)}-{lineno}"),
            source=_text(url or where),
            kind="html" if isinstance(body_html, str) else "text",
            data=_text(body_html if isinstance(body_html, str) else body_text),
            published=_text(published)[:10] if published else None,
            title=_text(title) if isinstance(title, str) else None,
            url=_text(url) if isinstance(url, str) else None,
        )


def _iter_file(path: Path, kind: str | None, web: _Web) -> Iterator[RawDoc | InputError]:
    """The documents of one file. A text or HTML file larger than :data:`MAX_BYTES` is refused
    before it is read (K103), and at most ``MAX_BYTES + 1`` bytes are ever read from a pipe or
    device; a JSONL file is read line by line, a WARC record by record; a feed or ``.urls``
    file (at most :data:`MAX_BYTES`) yields one document per entry or URL, fetched with
    ``web()``."""
    if kind is None:
        kind = _suffix_kind(path.name)
    if kind == "warc":
        yield from iter_warc(path, label=_label(path))
        return
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if kind == "jsonl":
                head = f.read(8192)
                if b"\x00" in head and not looks_binary(head):
                    yield InputError(_label(path), "JSONL must be UTF-8 (this file looks like "
                                     "UTF-16)", code="K105")
                    return
                if looks_binary(head):
                    yield InputError(_label(path), "binary data, not JSONL", code="K102")
                    return
                f.seek(0)
                yield from _iter_jsonl(path, f)
                return
            if size > MAX_BYTES:
                yield InputError(_label(path), f"too large: {size} bytes (limit {MAX_BYTES}); "
                                 "split the file", code="K103")
                return
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        yield InputError(_label(path), f"cannot read file ({exc.strerror or exc})", code="K108")
        return
    if kind == "xml":
        kind = "feed" if looks_like_feed(data) else None
    if kind == "feed":
        if len(data) > MAX_BYTES:
            yield InputError(_label(path), f"too large: more than {MAX_BYTES} bytes (limit "
                             f"{MAX_BYTES}); split the file", code="K103")
            return
        yield from iter_feed(data, _label(path), web)
        return
    if kind == "urls":
        yield from _iter_urls(path, data, web)
        return
    if kind is None:
        kind = sniff_kind(data)
    yield RawDoc(id=_doc_id(path), source=_label(path), kind=kind, data=data)


def _iter_urls(path: Path, data: bytes, web: _Web) -> Iterator[RawDoc | InputError]:
    """The pages listed in a ``.urls`` file: one URL per line; blank lines and lines starting
    with ``#`` are skipped. A line that is not an http(s) URL is ``K125`` (``path:line``)."""
    if len(data) > MAX_BYTES:
        yield InputError(_label(path), f"too large: more than {MAX_BYTES} bytes (limit "
                         f"{MAX_BYTES}); split the file", code="K103")
        return
    if looks_binary(data):
        yield InputError(_label(path), "binary data, not a list of URLs", code="K102")
        return
    text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    found = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        found = True
        if not is_web_url(url) or any(c.isspace() for c in url):
            yield InputError(f"{_label(path)}:{lineno}", f"not an http(s) URL: {url[:200]!r}",
                             code="K125")
            continue
        yield from iter_url(url, web)
    if not found:
        yield InputError(_label(path), "no URL in the file (one http(s) URL per line; "
                         "# starts a comment)", code="K125")


def iter_url(url: str, fetcher: Fetcher | Callable[[], Fetcher]) -> Iterator[RawDoc | InputError]:
    """The document(s) at ``url``: one page (HTML or text), or every entry of an RSS/Atom
    feed (see :func:`~kibaru.ingest.feeds.iter_feed`). ``fetcher`` is a
    :class:`~kibaru.ingest.fetch.Fetcher` or a function returning one. Errors are yielded:
    ``K120``/``K121``/``K103`` from fetching, ``K122`` neither HTML, text nor a feed."""
    get: Callable[[], Fetcher] = (lambda: fetcher) if isinstance(fetcher, Fetcher) else fetcher
    try:
        page = get().fetch(url)
    except InputError as exc:
        yield exc
        return
    if page.kind == "feed":
        content_type = page.media_type + (f"; charset={page.charset}" if page.charset else "")
        yield from iter_feed(page.data, url, get, base_url=page.url, content_type=content_type)
        return
    try:
        yield page.to_rawdoc()
    except InputError as exc:
        yield exc


def _path_error(item: str, exc: OSError) -> InputError:
    """K108 for a path that cannot be opened, saying why (missing, link loop, permission)."""
    if exc.errno == errno.ELOOP:
        reason = "symbolic link loop"
    elif exc.errno in (errno.ENOENT, errno.ENOTDIR):
        reason = ("broken symbolic link (its target is missing)" if os.path.islink(item)
                  else "no such file or folder")
    else:
        reason = f"cannot access ({exc.strerror or exc})"
    return InputError(_label(item), reason, code="K108")


def _iter_folder(item: str, web: _Web) -> Iterator[RawDoc | InputError]:
    """The documents of a folder, files sorted by path; unreadable subfolders and files, and
    broken links with a known suffix, are reported in their place (K108) and the walk goes
    on. Hidden names are skipped and links to folders are not followed."""
    found: list[tuple[Path, InputError | None]] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else Path(item)
        found.append((where, InputError(_label(where), f"cannot read folder "
                                        f"({exc.strerror or exc})", code="K108")))

    for dirpath, dirnames, filenames in os.walk(item, onerror=unreadable):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            p = Path(dirpath) / name
            if name.startswith(".") or _suffix_kind(name) in (None, "xml"):
                continue
            try:
                mode = p.stat().st_mode
            except OSError as exc:
                found.append((p, _path_error(str(p), exc)))
                continue
            if stat.S_ISREG(mode):
                found.append((p, None))
    if not found:
        yield InputError(_label(item), f"folder holds no {_KNOWN} file", code="K109")
    for p, error in sorted(found, key=lambda pair: pair[0]):
        if error is not None:
            yield error
        else:
            yield from _iter_file(p, _suffix_kind(p.name), web)


def iter_inputs(inputs: list[str], *, stdin: bytes | None = None,
                fetcher: Fetcher | None = None) -> Iterator[RawDoc | InputError]:
    """Yield a :class:`RawDoc` per document, or an :class:`InputError` per unreadable input.

    ``inputs`` are paths, ``http://``/``https://`` URLs, or ``-`` for stdin (plain text, or
    HTML when it starts like an HTML page, as from ``curl -s URL``; ``stdin`` bytes may be
    injected for tests). Files are read by suffix:

    - ``.txt``, ``.html``/``.htm``: one document (raw bytes); ``.jsonl``: one per line;
    - ``.warc``, ``.warc.gz``: one per HTML or text response with status 200
      (:func:`~kibaru.ingest.warc.iter_warc`);
    - ``.rss``, ``.atom``, and ``.xml`` whose root is ``rss``/``feed``/``rdf:RDF``: one per
      entry, its full content or its fetched link (:func:`~kibaru.ingest.feeds.iter_feed`);
    - ``.urls``: one URL per line (``#`` comments), each fetched;
    - any other file: HTML when it starts like an HTML page, else text.

    A URL is fetched (:class:`~kibaru.ingest.fetch.Fetcher`: robots.txt, a per-host rate
    limit, timeouts, retries); a feed URL yields its entries. ``fetcher`` is the run's
    fetcher; when None, one with the default settings is created on first use and closed
    when the iteration ends. A folder is read recursively, files sorted by path, keeping the
    suffixes of :data:`SUFFIXES` (not ``.xml``) and skipping hidden files and folders
    (names starting with ``.``).

    Nothing is decoded here except JSONL (UTF-8) and feeds: file, stdin, web and WARC
    documents carry raw bytes (web and WARC ones with the ``Content-Type`` charset) and the
    clean stage decodes them. Errors are yielded, never raised, so the caller reports them
    and goes on: ``K105`` JSONL not UTF-8, ``K106`` malformed JSONL line, ``K107`` JSONL line
    without a ``"text"`` or ``"html"`` string (these name ``path:line``), ``K108`` missing or
    unreadable path, ``K109`` folder without readable files, ``K103`` too large, ``K120``
    URL unreachable, timed out or an HTTP error, ``K121`` disallowed by robots.txt, ``K122``
    not HTML, text or a feed, ``K123`` damaged or empty WARC, ``K124`` unreadable feed or
    entry, ``K125`` bad line in a ``.urls`` file.
    """
    web = _Web(fetcher)
    try:
        for item in inputs:
            yield from _iter_item(item, stdin, web)
    finally:
        web.close()


def _iter_item(item: str, stdin: bytes | None, web: _Web) -> Iterator[RawDoc | InputError]:
    """The documents of one command-line input."""
    if item == "-":
        if stdin is not None:
            data = stdin
        else:
            try:
                data = sys.stdin.buffer.read(MAX_BYTES + 1)
            except (AttributeError, OSError, ValueError) as exc:  # closed or no stdin
                yield InputError("-", f"cannot read stdin ({type(exc).__name__})", code="K108")
                return
            if len(data) > MAX_BYTES:
                yield InputError("-", f"too large: more than {MAX_BYTES} bytes on stdin; "
                                 "split the input", code="K103")
                return
        yield RawDoc(id="stdin", source="-", kind=sniff_kind(data), data=data)
        return
    if item.lower().startswith(("http://", "https://")):
        yield from iter_url(item.strip(), web)
        return
    path = Path(item)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        yield _path_error(item, exc)
        return
    if stat.S_ISDIR(mode):
        yield from _iter_folder(item, web)
    else:
        yield from _iter_file(path, None, web)
