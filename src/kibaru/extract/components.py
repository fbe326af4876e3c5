"""spaCy factories of the extract stage: ``kibaru_dates_v1`` and ``kibaru_quantities_v1``.

Each writes its mentions to a Doc extension (``doc._.kibaru_dates``,
``doc._.kibaru_quantities``: lists of :class:`DateMention` / :class:`QuantityMention`) and to
``doc.spans`` (keys ``kibaru_dates`` / ``kibaru_quantities``) so they show in displaCy.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .dates import find_dates
from .quantities import find_quantities

__all__ = ["DateRecognizer", "QuantityRecognizer"]

if not Doc.has_extension("kibaru_dates"):
    Doc.set_extension("kibaru_dates", default=None)
if not Doc.has_extension("kibaru_quantities"):
    Doc.set_extension("kibaru_quantities", default=None)


class DateRecognizer:
    """Finds French date expressions (see :mod:`kibaru.extract.dates`)."""

    def __call__(self, doc: Doc) -> Doc:
        found = find_dates(doc)
        doc._.kibaru_dates = found
        doc.spans["kibaru_dates"] = [Span(doc, d.start, d.end, label=d.kind) for d in found]
        return doc


class QuantityRecognizer:
    """Finds quantities, skipping date tokens (see :mod:`kibaru.extract.quantities`)."""

    def __call__(self, doc: Doc) -> Doc:
        dates = doc._.kibaru_dates if doc._.kibaru_dates is not None else find_dates(doc)
        skip = {i for d in dates for i in range(d.start, d.end)}
        found = find_quantities(doc, skip=skip)
        doc._.kibaru_quantities = found
        doc.spans["kibaru_quantities"] = [
            Span(doc, q.start, q.end, label=q.unit or "count") for q in found]
        return doc


@Language.factory("kibaru_dates_v1", requires=["token.pos"], assigns=["doc._.kibaru_dates"])
def make_dates(nlp: Language, name: str) -> DateRecognizer:
    """spaCy factory for :class:`DateRecognizer`."""
    return DateRecognizer()


@Language.factory("kibaru_quantities_v1", requires=["token.pos", "token.dep"],
                  assigns=["doc._.kibaru_quantities"])
def make_quantities(nlp: Language, name: str) -> QuantityRecognizer:
    """spaCy factory for :class:`QuantityRecognizer`."""
    return QuantityRecognizer()
