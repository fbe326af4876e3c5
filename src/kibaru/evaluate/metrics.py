"""Classification scores: per-label precision, recall, F1 and support; micro, macro and
weighted F1 (the definitions of scikit-learn's ``precision_recall_fscore_support``: a label's
F1 is 0 when it has no true positive; macro averages over the gold labels and the predicted
ones; weighted averages by gold support)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

__all__ = ["classification_scores", "f1"]


def f1(p: float, r: float) -> float:
    """The harmonic mean of precision ``p`` and recall ``r`` (0 when both are 0)."""
    return 2 * p * r / (p + r) if p + r else 0.0


def classification_scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Scores of single-label predictions ``pred`` against ``gold`` (same length).

    Returns ``{"n", "accuracy", "micro_f1", "macro_f1", "weighted_f1", "per_label"}``;
    ``per_label`` maps each label to ``{"precision", "recall", "f1", "support",
    "predicted"}``. Raises ``ValueError`` when the lengths differ.
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    n = len(gold)
    tp: Counter[str] = Counter(g for g, p in zip(gold, pred, strict=True) if g == p)
    support = Counter(gold)
    predicted = Counter(pred)
    labels = sorted(set(gold) | set(pred))
    per_label: dict[str, dict[str, float | int]] = {}
    for label in labels:
        p = tp[label] / predicted[label] if predicted[label] else 0.0
        r = tp[label] / support[label] if support[label] else 0.0
        per_label[label] = {"precision": round(p, 4), "recall": round(r, 4),
                            "f1": round(f1(p, r), 4), "support": support[label],
                            "predicted": predicted[label]}
    correct = sum(tp.values())
    accuracy = correct / n if n else 0.0
    macro = sum(float(v["f1"]) for v in per_label.values()) / len(labels) if labels else 0.0
    weighted = (sum(float(v["f1"]) * support[k] for k, v in per_label.items()) / n) if n else 0.0
    return {"n": n, "accuracy": round(accuracy, 4), "micro_f1": round(accuracy, 4),
            "macro_f1": round(macro, 4), "weighted_f1": round(weighted, 4),
            "per_label": per_label}
