"""Ingest stage: turn command-line inputs into raw documents (bytes or text plus metadata).

Reads ``.txt``, ``.html``/``.htm``, ``.jsonl`` files, folders of these, and ``-`` (stdin, plain
text). Nothing here parses HTML or detects language; that is the clean stage.
"""

from __future__ import annotations

from .decode import MAX_BYTES, decode_bytes
from .readers import RawDoc, iter_inputs

__all__ = ["RawDoc", "iter_inputs", "decode_bytes", "MAX_BYTES"]
