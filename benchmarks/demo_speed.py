#!/usr/bin/env python3
"""Seconds per article on the bundled demo corpus (a benchmark, not a test).

Usage: python benchmarks/demo_speed.py [--repeat 3] [FOLDER]

Loads the pipeline once (timed apart), then codes every document of FOLDER (default:
examples/) ``--repeat`` times in this process and prints the best and median wall time per
document, the words per second and the events found.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from kibaru.ingest import iter_inputs
from kibaru.model import Result
from kibaru.pipeline import get_pipeline, process


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", default=str(Path(__file__).parents[1] / "examples"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    t0 = time.perf_counter()
    get_pipeline()
    load = time.perf_counter() - t0
    runs = []
    results: list[Result] = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        results = [r for r in process(iter_inputs([args.folder])) if isinstance(r, Result)]
        runs.append(time.perf_counter() - t)
    n = len(results)
    words = sum(len(r.document.text.split()) for r in results)
    events = sum(len(r.events) for r in results)
    best, median = min(runs), statistics.median(runs)
    print(f"model load: {load:.2f} s (once per process)")
    print(f"{n} documents, {words} words, {events} events")
    print(f"per document: best {best / n:.3f} s, median {median / n:.3f} s "
          f"({words / best:.0f} words/s) over {args.repeat} runs")


if __name__ == "__main__":
    main()
