#!/usr/bin/env python3
"""Recognizers-Text French specs: thin wrapper over :mod:`kibaru.evaluate.recognizers`
(the same scores as ``kibaru eval DIR --suite numbers|dates``).

Usage: python benchmarks/recognizers_eval.py [--failures] [--suite numbers|currency|dimension|dates]
"""

from __future__ import annotations

import argparse

from kibaru.evaluate.recognizers import SUITES, evaluate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--suite", choices=sorted(SUITES), action="append")
    ap.add_argument("--failures", action="store_true")
    args = ap.parse_args()
    from kibaru.pipeline import get_pipeline

    nlp = get_pipeline()
    print(f"{'suite':<10} {'supported':>16} {'all NotSupported':>18}")
    for suite in args.suite or list(SUITES):
        r = evaluate(nlp, suite)
        (sp, sn), (up, un) = r["supported"], r["unsupported"]
        print(f"{suite:<10} {sp:>5}/{sn:<4} {100 * sp / max(sn, 1):5.1f}% "
              f"{up:>7}/{un:<4} {100 * up / max(un, 1):5.1f}%")
        if args.failures:
            for text in r["failures"]:
                print(f"    FAIL {text[:100]}")


if __name__ == "__main__":
    main()
