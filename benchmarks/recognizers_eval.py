#!/usr/bin/env python3
"""Kibaru's number, currency, dimension and date recognisers against the French
Recognizers-Text specs in ../shared/eval/recognizers-text-fr (a benchmark, not a test; the test
tests/test_recognizers_specs.py guards the rates printed here).

Usage: python benchmarks/recognizers_eval.py [--failures] [--suite numbers|currency|dimension|dates]

Entries that every reference implementation (dotnet, javascript, python, java) marks
NotSupported are scored apart. An entry passes when Kibaru finds exactly the expected values
(numbers: each expected value found as a number; currency/dimension: value and unit; dates:
the resolved date equals the spec's past resolution, anchored on the spec's reference date).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

SPECS = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "recognizers-text-fr"
PLATFORMS = {"dotnet", "javascript", "python", "java"}
#: Recognizers-Text unit names → ISO 4217 / Kibaru units
CURRENCY = {"Dollar": "USD", "Dollar États-Unis": "USD", "Euro": "EUR", "Franc CFA": "XOF",
            "Franc CFA d'Afrique de l'Ouest": "XOF"}
DIMENSION = {"Tonne": "t", "Kilogramme": "t", "Tonne métrique": "t"}


def all_unsupported(entry: dict[str, Any]) -> bool:
    """True when every reference implementation marks ``entry`` NotSupported."""
    ns = {p.strip().lower() for p in str(entry.get("NotSupported") or "").split(",")}
    return PLATFORMS <= ns


def _value(v: Any) -> float | None:
    try:
        return float(str(v).replace(",", ".").replace(" ", ""))
    except ValueError:
        return None


def check_numbers(nlp: Any, entry: dict[str, Any]) -> bool:
    from kibaru.extract.quantities import find_numbers

    doc = nlp(entry["Input"])
    got = sorted(round(n.value, 6) for n in find_numbers(doc))
    want = sorted(round(v, 6) for r in entry["Results"] if (v := _value(
        r["Resolution"].get("value"))) is not None)
    return got == want


def _quantities(nlp: Any, entry: dict[str, Any]) -> list[tuple[float, str | None]]:
    from kibaru.extract.quantities import find_quantities

    doc = nlp(entry["Input"])
    return [(round(q.value, 6), q.unit) for q in find_quantities(doc) if q.unit]


def check_currency(nlp: Any, entry: dict[str, Any]) -> bool:
    want = []
    for r in entry["Results"]:
        unit = CURRENCY.get(r["Resolution"].get("unit"), r["Resolution"].get("unit"))
        value = _value(r["Resolution"].get("value"))
        want.append((round(value, 6) if value is not None else None, unit))
    return sorted(_quantities(nlp, entry), key=str) == sorted(want, key=str)


def check_dimension(nlp: Any, entry: dict[str, Any]) -> bool:
    want = []
    for r in entry["Results"]:
        unit = r["Resolution"].get("unit")
        value = _value(r["Resolution"].get("value"))
        if unit == "Kilogramme" and value is not None:
            value /= 1000
        want.append((round(value, 6) if value is not None else None,
                     DIMENSION.get(unit, unit)))
    return sorted(_quantities(nlp, entry), key=str) == sorted(want, key=str)


def check_dates(nlp: Any, entry: dict[str, Any]) -> bool:
    from kibaru.extract.dates import find_dates
    from kibaru.resolve.dates import resolve_date

    if "Context" not in entry:
        return False  # no reference date: nothing to anchor on (counted as a failure)
    ref = date.fromisoformat(entry["Context"]["ReferenceDateTime"][:10])
    doc = nlp(entry["Input"])
    got = [resolve_date(m, ref) for m in find_dates(doc)]
    want = [r["Value"].get("PastResolution", {}).get("date") for r in entry["Results"]]
    return [g[0] if g else None for g in got] == want


SUITES: dict[str, tuple[str, Callable[[Any, dict[str, Any]], bool]]] = {
    "numbers": ("Number_NumberModel.json", check_numbers),
    "currency": ("NumberWithUnit_CurrencyModel.json", check_currency),
    "dimension": ("NumberWithUnit_DimensionModel.json", check_dimension),
    "dates": ("DateTime_DateParser.json", check_dates),
}


def evaluate(nlp: Any, suite: str) -> dict[str, Any]:
    """Score one suite: counts for supported and all-NotSupported entries, failing inputs."""
    filename, check = SUITES[suite]
    entries = json.loads((SPECS / filename).read_text(encoding="utf-8-sig"))
    res: dict[str, Any] = {"suite": suite, "supported": [0, 0], "unsupported": [0, 0],
                           "failures": []}
    for entry in entries:
        key = "unsupported" if all_unsupported(entry) else "supported"
        ok = check(nlp, entry)
        res[key][1] += 1
        res[key][0] += int(ok)
        if not ok and key == "supported":
            res["failures"].append(entry["Input"])
    return res


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
