"""Component suites of ``kibaru eval``: numbers and units, dates, boilerplate, NER.

Every suite returns the common keys (``suite``, ``n``, ``accuracy`` or F1 values,
``per_label``) so ``--format json`` has one shape. The gold folders are those of
``../shared/eval`` (see each SOURCE.txt there).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .events import read_gold_text
from .metrics import f1

__all__ = ["eval_numbers", "eval_dates", "eval_boilerplate", "eval_ner", "read_bio"]

Progress = Callable[[int], None]


def _specs(path: Path) -> Path:
    folder = path if path.is_dir() else path.parent
    if not (folder / "Number_NumberModel.json").exists() and \
            (folder / "recognizers-text-fr").is_dir():
        folder = folder / "recognizers-text-fr"
    return folder


def _recognizer_suites(path: Path, suites: tuple[str, ...], name: str,
                       progress: Progress | None) -> dict[str, Any]:
    from ..pipeline import get_pipeline
    from .recognizers import evaluate

    nlp = get_pipeline()
    folder = _specs(path)
    per_label: dict[str, Any] = {}
    passed = total = 0
    failures: list[dict[str, str]] = []
    for suite in suites:
        try:
            r = evaluate(nlp, suite, folder)
        except OSError as exc:
            raise UsageError(f"{folder}: Recognizers-Text spec file missing ({exc})",
                             code="K301") from exc
        (sp, sn), (up, un) = r["supported"], r["unsupported"]
        per_label[suite] = {"passed": sp, "supported": sn, "rate": round(sp / sn, 4) if sn else 0,
                            "unsupported_passed": up, "unsupported": un}
        passed += sp
        total += sn
        failures += [{"suite": suite, "text": t[:160]} for t in r["failures"]]
        if progress is not None:
            progress(1)
    return {"suite": name, "n": total, "accuracy": round(passed / total, 4) if total else 0.0,
            "per_label": per_label, "errors": failures[:200]}


def eval_numbers(path: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Numbers, currency and dimension specs (Recognizers-Text French): pass rate of the
    supported entries (every reference implementation's NotSupported entries apart)."""
    return _recognizer_suites(path, ("numbers", "currency", "dimension"), "numbers", progress)


def eval_dates(path: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Date parser specs (Recognizers-Text French), resolved against each entry's reference
    date: pass rate of the supported entries."""
    return _recognizer_suites(path, ("dates",), "dates", progress)


def eval_boilerplate(path: Path, progress: Progress | None = None) -> dict[str, Any]:
    """trafilatura's French evaluation pages: share of must-have / must-not-have strings
    Kibaru gets right, and trafilatura's default extraction on the same pages in the same run
    (``per_label``: ``kibaru`` and ``trafilatura``)."""
    from .boilerplate import evaluate, load_pages, totals

    try:
        pages = load_pages(path)
    except OSError as exc:
        raise UsageError(f"{path}: trafilatura evaluation pages not found ({exc})",
                         code="K301") from exc
    scores = evaluate(pages)
    if progress is not None:
        progress(len(pages))
    k, t, n = totals(scores)
    errors = [{"page": s.page.file, "missed": list(s.kibaru_failed)} for s in scores
              if s.kibaru_failed]
    return {"suite": "boilerplate", "n": n, "accuracy": round(k / n, 4),
            "per_label": {"kibaru": {"passed": k, "rate": round(k / n, 4)},
                          "trafilatura": {"passed": t, "rate": round(t / n, 4)}},
            "pages": len(pages), "errors": errors}


def read_bio(path: Path) -> list[tuple[str, str]]:
    """``(token, tag)`` pairs of a token-per-line BIO file (``TOKEN TAG``, blank lines
    skipped). Raises :class:`UsageError` when the file is missing or a line has no tag."""
    if path.is_dir():
        found = sorted(path.glob("*.bio"))
        if not found:
            raise UsageError(f"{path}: no .bio file in this folder", code="K301")
        path = found[0]
    lines = read_gold_text(path, "the NER gold")
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        parts = line.rsplit(" ", 1)
        if len(parts) != 2:
            raise UsageError(f"{path}:{number}: expected 'TOKEN TAG'", code="K301")
        out.append((parts[0], parts[1]))
    return out


def _entities(tags: list[str]) -> list[tuple[int, int, str]]:
    """Token spans ``(start, end, label)`` of IOB1/IOB2 tags (``B-`` opens, a run of the same
    ``I-`` type continues)."""
    spans = []
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        kind = tag[2:] if tag[:2] in ("B-", "I-") else None
        if label is not None and (kind != label or tag.startswith("B-")):
            spans.append((start or 0, i, label))
            start, label = None, None
        if kind is not None and label is None:
            start, label = i, kind
    return spans


def eval_ner(path: Path, progress: Progress | None = None, *, limit: int | None = None,
             chunk: int = 300) -> dict[str, Any]:
    """Named entities (PER, LOC, ORG) of the spaCy French model inside Kibaru's pipeline
    against a BIO gold (Europeana French newspapers): exact-span precision, recall and F1 per
    label, micro and macro F1. The gold tokens are joined with single spaces and cut into
    chunks of about ``chunk`` tokens at sentence ends; ``limit`` caps the tokens read."""
    from ..pipeline import get_pipeline

    pairs = read_bio(path)[:limit] if limit else read_bio(path)
    texts: list[str] = []
    gold_spans: list[set[tuple[int, int, str]]] = []
    i = 0
    while i < len(pairs):
        j = min(len(pairs), i + chunk)
        while j < len(pairs) and j < i + 2 * chunk and pairs[j - 1][0] not in (".", "!", "?"):
            j += 1
        toks = pairs[i:j]
        starts, pos = [], 0
        for tok, _ in toks:
            starts.append(pos)
            pos += len(tok) + 1
        text = " ".join(t for t, _ in toks)
        spans = {(starts[s], starts[e - 1] + len(toks[e - 1][0]), lab)
                 for s, e, lab in _entities([t for _, t in toks]) if lab in ("PER", "LOC", "ORG")}
        texts.append(text)
        gold_spans.append(spans)
        i = j
    nlp = get_pipeline()
    off = [n for n in nlp.pipe_names if n.startswith("kibaru_")]
    tp: dict[str, int] = {"PER": 0, "LOC": 0, "ORG": 0}
    fp, fn = dict(tp), dict(tp)
    for doc, gold in zip(nlp.pipe(texts, disable=off), gold_spans, strict=True):
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents
                if e.label_ in ("PER", "LOC", "ORG")}
        for _, _, lab in pred & gold:
            tp[lab] += 1
        for _, _, lab in pred - gold:
            fp[lab] += 1
        for _, _, lab in gold - pred:
            fn[lab] += 1
        if progress is not None:
            progress(1)
    per_label = {}
    for lab in tp:
        p = tp[lab] / (tp[lab] + fp[lab]) if tp[lab] + fp[lab] else 0.0
        r = tp[lab] / (tp[lab] + fn[lab]) if tp[lab] + fn[lab] else 0.0
        per_label[lab] = {"precision": round(p, 4), "recall": round(r, 4),
                          "f1": round(f1(p, r), 4), "support": tp[lab] + fn[lab]}
    stp, sfp, sfn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    mp = stp / (stp + sfp) if stp + sfp else 0.0
    mr = stp / (stp + sfn) if stp + sfn else 0.0
    support = stp + sfn
    return {"suite": "ner", "n": support, "tokens": len(pairs), "micro_f1": round(f1(mp, mr), 4),
            "macro_f1": round(sum(float(v["f1"]) for v in per_label.values()) / 3, 4),
            "weighted_f1": round(sum(float(v["f1"]) * int(v["support"])
                                     for v in per_label.values()) / support, 4) if support else 0,
            "per_label": per_label}
