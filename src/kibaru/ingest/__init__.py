"""Ingest stage: turn command-line inputs into raw documents (bytes or text plus metadata).

Reads ``.txt``, ``.html``/``.htm``, ``.jsonl`` files, folders of these, ``-`` (stdin: plain
text, or an HTML page when it starts like one), web archives (``.warc``, ``.warc.gz``:
:mod:`kibaru.ingest.warc`), RSS/Atom feeds (``.rss``, ``.atom``, feed ``.xml``, or feed URLs:
:mod:`kibaru.ingest.feeds`), and web pages (``http(s)://`` arguments and ``.urls`` files),
fetched politely by :class:`Fetcher` (:mod:`kibaru.ingest.fetch`: robots.txt, per-host rate
limit, timeouts, retries).

:func:`iter_inputs` yields a :class:`RawDoc` per document and an
:class:`~kibaru.errors.InputError` (K103, K105–K109, K120–K125) per unreadable input, never
raising; :func:`decode_bytes` turns bytes into text (K101–K104), French-aware. Nothing here
parses HTML or detects language; that is the clean stage.
"""

from __future__ import annotations

from .decode import MAX_BYTES, MIXED_UTF8, decode_bytes
from .fetch import Fetcher
from .rawdoc import RawDoc
from .readers import iter_inputs, iter_url

__all__ = ["RawDoc", "iter_inputs", "iter_url", "Fetcher", "decode_bytes", "MAX_BYTES",
           "MIXED_UTF8"]
