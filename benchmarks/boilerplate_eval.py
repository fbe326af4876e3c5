#!/usr/bin/env python3
"""Boilerplate removal on trafilatura's French evaluation pages, Kibaru vs trafilatura's
default: thin wrapper over :mod:`kibaru.evaluate.boilerplate` (the same scores as
``kibaru eval ../shared/eval/trafilatura-fr --suite boilerplate``), printing the per-page table.

    python benchmarks/boilerplate_eval.py [--shared PATH] [--failures]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import trafilatura

from kibaru.evaluate.boilerplate import SHARED, evaluate, load_pages, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=SHARED,
                        help=f"the shared folder (default: {SHARED})")
    parser.add_argument("--failures", action="store_true", help="list every failed check")
    args = parser.parse_args(argv)
    try:
        pages = load_pages(args.shared)
    except FileNotFoundError as exc:
        print(f"boilerplate_eval: evaluation data not found: {exc}", file=sys.stderr)
        return 2
    print(f"trafilatura {trafilatura.__version__}; checks: 'with' strings present, "
          "'without' strings absent (whitespace normalised)")
    print(table(evaluate(pages), failures=args.failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
