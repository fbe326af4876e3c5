"""``kibaru eval``: Kibaru measured on gold data, one command per suite.

Suites (``SUITES``): ``case2021`` (CASE 2021 Task 2 labels), ``plover`` (PLOVER types and
dyads), ``cases`` (the acceptance-case format), ``numbers`` and ``dates`` (Recognizers-Text
French specs), ``boilerplate`` (trafilatura's French pages, with trafilatura's own default
scored in the same run) and ``ner`` (Europeana French newspapers). Every suite returns a dict
with ``suite``, ``n`` and its scores (``accuracy``, ``micro_f1``, ``macro_f1``,
``weighted_f1``, ``dyad_accuracy`` where they apply) and ``per_label``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .components import eval_boilerplate, eval_dates, eval_ner, eval_numbers
from .events import case2021_label, eval_case2021, eval_cases, eval_plover
from .metrics import classification_scores

__all__ = ["SUITES", "evaluate", "case2021_label", "classification_scores"]

SUITES: dict[str, Callable[..., dict[str, Any]]] = {
    "case2021": eval_case2021,
    "plover": eval_plover,
    "cases": eval_cases,
    "numbers": eval_numbers,
    "dates": eval_dates,
    "boilerplate": eval_boilerplate,
    "ner": eval_ner,
}

_KEYS = ("suite", "n", "micro_f1", "macro_f1", "weighted_f1", "accuracy", "dyad_accuracy",
         "per_label")


def evaluate(gold: str | Path, suite: str,
             progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Run ``suite`` on the gold file or folder ``gold``.

    Returns a dict whose first keys are always ``suite``, ``n``, ``micro_f1``, ``macro_f1``,
    ``weighted_f1``, ``accuracy``, ``dyad_accuracy`` and ``per_label`` (None where a score
    does not apply), then suite-specific ones (``errors``...). Raises
    :class:`~kibaru.errors.UsageError` (``K301``) for an unknown suite or unreadable gold.
    """
    if suite not in SUITES:
        raise UsageError(f"unknown suite {suite!r} (one of {', '.join(SUITES)})", code="K301")
    path = Path(gold)
    if not path.exists():
        raise UsageError(f"{path}: no such gold file or folder", code="K301")
    result = SUITES[suite](path, progress)
    return {k: result.get(k) for k in _KEYS} | {k: v for k, v in result.items()
                                                 if k not in _KEYS}
