"""The extractor version stamped on every stored document and event.

``"<kibaru version>+<12 hex digits>"``: the digits are a SHA-256 over the source and data files
of the stages that decide what is coded (ingest, clean, nlp, extract, resolve, the data files,
``pipeline.py``, ``model.py``) and the name and version of the spaCy model. Any edit to a
lexicon or to the coder therefore gives a new version, so ``kibaru reprocess --outdated`` knows
which documents were coded by older code, even between releases.
"""

from __future__ import annotations

from functools import lru_cache
from hashlib import sha256
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..nlp import DEFAULT_MODEL

__all__ = ["extractor_version"]

_PACKAGE = Path(__file__).resolve().parents[1]
_PARTS = ("ingest", "clean", "nlp", "extract", "resolve", "data", "pipeline.py", "model.py")
_SUFFIXES = {".py", ".toml", ".tsv", ".json"}


@lru_cache(maxsize=4)
def extractor_version(model: str = DEFAULT_MODEL) -> str:
    """The version string of the code and data that code documents with ``model``."""
    h = sha256()
    for part in _PARTS:
        root = _PACKAGE / part
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for f in files:
            if f.is_file() and f.suffix in _SUFFIXES and "__pycache__" not in f.parts:
                h.update(f.relative_to(_PACKAGE).as_posix().encode() + b"\x00")
                h.update(f.read_bytes() + b"\x00")
    try:
        model_version = metadata.version(model)
    except metadata.PackageNotFoundError:
        model_version = "unknown"
    h.update(f"{model}=={model_version}".encode())
    return f"{__version__}+{h.hexdigest()[:12]}"
