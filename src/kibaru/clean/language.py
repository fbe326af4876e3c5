"""Language identification with py3langid (langid.py's model, shipped inside the package)."""

from __future__ import annotations

import math

import py3langid

__all__ = ["detect_language", "MIN_CHARS"]

#: Below this many letters the language is not judged (too little evidence): French assumed.
MIN_CHARS = 25


def detect_language(text: str) -> tuple[str, str | None]:
    """Return ``(iso639_1_code, warning_or_None)`` for ``text``.

    Uses the first 3 000 characters. A non-French result needs a posterior probability of at
    least 0.9 over French (langid log-probabilities, normalised over the top two); otherwise
    the document is treated as French, since a wrongly dropped French article costs more than a
    wrongly coded foreign one. The warning says that no events are coded.
    """
    sample = text[:3000]
    if sum(c.isalpha() for c in sample) < MIN_CHARS:
        return "fr", None
    ranked = py3langid.rank(sample)
    scores = dict(ranked)
    top, top_score = ranked[0]
    if top == "fr":
        return "fr", None
    fr_score = scores.get("fr", -math.inf)
    diff = fr_score - top_score
    p_top = 1.0 / (1.0 + math.exp(max(-700.0, min(700.0, diff))))
    if p_top < 0.9:
        return "fr", None
    return top, f"language {top!r} is not supported: no events coded"
