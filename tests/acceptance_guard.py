#!/usr/bin/env python3
"""Fail when an acceptance case listed in tests/acceptance_passing.txt stops passing.

Runs ``../shared/cases/check.py`` with this checkout's ``.venv/bin/kibaru`` and compares the
cases it reports as PASS with the list. New passes are printed so the list can grow.
Exit status: 0 when every listed case passes, 1 otherwise (or when the checker is missing).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT.parent / "shared" / "cases" / "check.py"
LIST = ROOT / "tests" / "acceptance_passing.txt"


def listed() -> set[str]:
    """Case ids in the list (one per line, ``#`` comments allowed)."""
    out = set()
    for line in LIST.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.add(line)
    return out


def main() -> int:
    if not CHECKER.exists():
        print(f"acceptance guard: checker not found at {CHECKER}", file=sys.stderr)
        return 1
    proc = subprocess.run(
        [sys.executable, str(CHECKER), "--cmd", str(ROOT / ".venv" / "bin" / "kibaru")],
        capture_output=True, text=True, cwd=ROOT,
    )
    print(proc.stdout.rstrip())
    passed = {ln.split()[1] for ln in proc.stdout.splitlines() if ln.startswith("PASS ")}
    want = listed()
    lost = sorted(want - passed)
    new = sorted(passed - want)
    if new:
        print(f"acceptance guard: newly passing (add to {LIST.name}): {', '.join(new)}")
    if lost:
        print(f"acceptance guard: FAILED — listed cases no longer pass: {', '.join(lost)}")
        return 1
    print(f"acceptance guard: all {len(want)} listed cases pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
