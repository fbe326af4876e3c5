"""Read web archives: ``.warc`` and ``.warc.gz`` files (warcio), streamed record by record.

One :class:`~kibaru.ingest.RawDoc` per ``response`` record with HTTP status 200 and an HTML
(``text/html``, ``application/xhtml+xml``) or text (``text/plain``) content type, or no content
type and a body that looks like HTML or text. Every other record (``request``, ``warcinfo``,
``metadata``, ``revisit``, DNS, images, redirects, 404s) is skipped without a word.

The document's ``url`` and ``source`` are the record's ``WARC-Target-URI``; its ``id`` is a
short hash of that URI and the ``WARC-Date`` (two captures of one page are two documents);
``charset`` comes from the HTTP ``Content-Type``; ``published`` stays None (the capture date is
not the publication date; the clean stage reads the page's own metadata). Transfer and content
encodings (chunked, gzip) are removed.

Damage never stops a run: the documents read before it are kept and one
:class:`~kibaru.errors.InputError` names the file (``K123``: truncated or corrupt archive, not
a WARC file, no HTML or text response in it). A record body larger than
:data:`~kibaru.ingest.decode.MAX_BYTES` is ``K103`` for that record only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from ..errors import InputError
from .decode import MAX_BYTES
from .rawdoc import RawDoc, url_id
from .sniff import media_kind, parse_content_type

__all__ = ["iter_warc", "WARC_SUFFIXES"]

#: File name endings read as WARC (compared lower-cased).
WARC_SUFFIXES = (".warc", ".warc.gz")

_CHUNK = 64 * 1024


class _Iterator(ArchiveIterator):
    """warcio's iterator, noting whether the last gzip member ended early (warcio stops
    silently at a cut gzip member)."""

    gzip_cut = False

    def close(self) -> None:
        reader = self.reader
        decompressor = getattr(reader, "decompressor", None) if reader is not None else None
        if decompressor is not None and not getattr(decompressor, "eof", True):
            self.gzip_cut = True
        super().close()


def _drain(record: Any) -> bool:
    """Read the rest of ``record``'s block; True when it was complete (its WARC
    ``Content-Length`` was all there)."""
    raw = record.raw_stream
    while raw.read(_CHUNK):
        pass
    return getattr(raw, "limit", 0) <= 0


def iter_warc(path: Path, *, label: str | None = None,
              max_bytes: int = MAX_BYTES) -> Iterator[RawDoc | InputError]:
    """Yield the HTML and text pages archived in the WARC file ``path`` (gzipped or not;
    warcio detects it), then an :class:`~kibaru.errors.InputError` if the file is damaged.

    ``label`` names the file in errors (default: ``str(path)``); ``max_bytes`` bounds one
    record's body. Errors: ``K108`` unreadable file, ``K101`` empty file, ``K103`` one record
    too large, ``K123`` truncated or corrupt (after the documents read before the damage),
    not a WARC file, or no HTML/text response with status 200.
    """
    name = label or str(path)
    try:
        f = path.open("rb")
    except OSError as exc:
        yield InputError(name, f"cannot read file ({exc.strerror or exc})", code="K108")
        return
    with f:
        try:
            size = os.fstat(f.fileno()).st_size
        except OSError:
            size = -1
        if size == 0:
            yield InputError(name, "empty input: nothing to read", code="K101")
            return
        it = _Iterator(f)
        records = docs = 0
        damage: str | None = None
        try:
            for record in it:
                if record.format != "warc":
                    damage = ("not a WARC file" if records == 0 else
                              f"record {records + 1} is not a WARC record")
                    break
                records += 1
                doc = _document(record, name, max_bytes)
                if not _drain(record):
                    damage = f"truncated inside record {records}"
                    break
                if doc is not None:
                    if isinstance(doc, RawDoc):
                        docs += 1
                    yield doc
        except Exception as exc:  # warcio/zlib errors are wrapped where they enter
            detail = " ".join(str(exc).split())[:120]
            damage = (f"corrupt after record {records} ({type(exc).__name__}"
                      f"{': ' + detail if detail else ''})")
            if records == 0:
                damage = f"not a readable WARC file ({type(exc).__name__}: {detail})"
        else:
            if damage is None and it.gzip_cut:
                damage = f"truncated after record {records} (the gzip data ends early)"
            elif damage is None and size > 0 and it.offset < size:
                damage = f"truncated after record {records} (the file ends inside a record)"
        finally:
            it.close()
    if damage is not None:
        kept = f"; the {docs} document{'s' if docs != 1 else ''} before it were read" if docs \
            else ""
        yield InputError(name, f"damaged WARC: {damage}{kept}", code="K123")
    elif docs == 0:
        yield InputError(name, f"WARC holds no HTML or text response with status 200 "
                         f"({records} records)", code="K123")


def _document(record: Any, name: str, max_bytes: int) -> RawDoc | InputError | None:
    """The page in one WARC record, an error for a too large one, or None to skip it."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ")
    if not uri.lower().startswith(("http://", "https://")):
        return None
    date = record.rec_headers.get_header("WARC-Date") or ""
    media, charset = parse_content_type(record.http_headers.get_header("Content-Type"))
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return InputError(uri, f"too large: more than {max_bytes} bytes (limit {max_bytes}) "
                          f"in {name}", code="K103")
    kind = media_kind(media, body, feeds=False)
    if kind is None or not body.strip():
        return None
    return RawDoc(id=url_id(uri, date), source=uri, kind=kind, data=body, url=uri,
                  charset=charset)
