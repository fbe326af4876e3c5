"""Kibaru: French-language news → structured, sourced event data (PLOVER 2.0 / ACLED).

Python API::

    import kibaru
    result = kibaru.extract("Moscou a livré 25 000 tonnes de blé au Mali.", published="2024-01-22")
    for event in result.events:
        print(event.type, event.actor.country, event.recipient.country)

    corpus = kibaru.open("kibaru.duckdb")          # a store written by ``kibaru ingest``
    corpus.events(dyad="RUS-MLI", since="2024-01-01")  # a pandas DataFrame
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

# The extract *stage* is imported before the ``extract`` *function* below is defined, so the
# function is what ``kibaru.extract`` names (a later ``import kibaru.extract.x`` does not rebind
# the attribute once the package is loaded).
from . import extract as _extract_stage  # noqa: F401
from .errors import InputError, KibaruError, ModelError, StoreError, UsageError
from .model import Document, Event, Result

if TYPE_CHECKING:
    from .store import Corpus

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "extract",
    "open",
    "Document",
    "Event",
    "Result",
    "KibaruError",
    "InputError",
    "ModelError",
    "UsageError",
    "StoreError",
]


def extract(text_or_html: str, *, published: str | None = None, doc_id: str = "text") -> Result:
    """Code one article given as a string (HTML when it starts with ``<``).

    Returns a :class:`Result` (document + events). Raises :class:`InputError` when the input
    holds no readable text, :class:`ModelError` when the spaCy model is missing.
    """
    from .ingest import RawDoc
    from .pipeline import process

    kind = "html" if text_or_html.lstrip().startswith("<") else "text"
    (item,) = list(process([RawDoc(doc_id, doc_id, kind, text_or_html)], published=published))
    if isinstance(item, InputError):
        raise item
    return item


def open(path: str | os.PathLike[str]) -> Corpus:
    """Open a Kibaru store (a DuckDB file written by ``kibaru ingest``) for reading.

    Returns a :class:`kibaru.store.Corpus`: ``.events(**filters)``, ``.quantities(**filters)``
    and ``.documents()`` return pandas DataFrames. Event filters: ``country="MLI"`` (actor,
    recipient or place), ``dyad="RUS-MLI"`` (actor → recipient), ``type="AID"``,
    ``acled="Battles"`` (event or sub-event type), ``status="reported"``, ``since`` /
    ``until`` (``YYYY-MM-DD``, inclusive). The file is opened read-only for each query, so no
    lock is held in between. Raises :class:`StoreError`: ``K402`` no such store, ``K401``
    another process is writing it, ``K403``/``K404`` schema of another Kibaru version.

    Example::

        corpus = kibaru.open("kibaru.duckdb")
        frame = corpus.events(country="MLI", type=["AID", "ASSAULT"], since="2024-01-01")
    """
    from .store import Corpus

    return Corpus(path)
