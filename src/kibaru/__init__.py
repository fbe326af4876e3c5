"""Kibaru: French-language news → structured, sourced event data (PLOVER 2.0 / ACLED).

Python API::

    import kibaru
    result = kibaru.extract("Moscou a livré 25 000 tonnes de blé au Mali.", published="2024-01-22")
    for event in result.events:
        print(event.type, event.actor.country, event.recipient.country)
"""

from __future__ import annotations

# The extract *stage* is imported before the ``extract`` *function* below is defined, so the
# function is what ``kibaru.extract`` names (a later ``import kibaru.extract.x`` does not rebind
# the attribute once the package is loaded).
from . import extract as _extract_stage  # noqa: F401
from .errors import InputError, KibaruError, ModelError, UsageError
from .model import Document, Event, Result

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "extract",
    "Document",
    "Event",
    "Result",
    "KibaruError",
    "InputError",
    "ModelError",
    "UsageError",
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
