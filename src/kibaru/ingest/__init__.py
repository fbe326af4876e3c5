"""Ingest stage: turn command-line inputs into raw documents (bytes or text plus metadata).

Reads ``.txt``, ``.html``/``.htm``, ``.jsonl`` files, folders of these, and ``-`` (stdin: plain
text, or an HTML page when it starts like one). :func:`iter_inputs` yields a :class:`RawDoc` per
document and an :class:`~kibaru.errors.InputError` (K105–K109) per unreadable input;
:func:`decode_bytes` turns bytes into text (K101–K104), French-aware. Nothing here parses HTML
or detects language; that is the clean stage.
"""

from __future__ import annotations

from .decode import MAX_BYTES, decode_bytes
from .readers import RawDoc, iter_inputs

__all__ = ["RawDoc", "iter_inputs", "decode_bytes", "MAX_BYTES"]
