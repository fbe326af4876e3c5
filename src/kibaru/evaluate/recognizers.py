"""Kibaru's number, currency, dimension and date recognisers against the French
Recognizers-Text specs (``../shared/eval/recognizers-text-fr``; ``kibaru eval DIR --suite
numbers|dates``; tests/test_recognizers_specs.py guards the rates as floors).

Entries that every reference implementation (dotnet, javascript, python, java) marks
NotSupported are scored apart. An entry passes when Kibaru finds exactly the expected values
(numbers: each expected value found as a number; currency/dimension: value and unit; dates:
the resolved date equals the spec's past resolution, anchored on the spec's reference date).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

#: the specs when the repository sits beside the shared folder (a development checkout)
SPECS = Path(__file__).resolve().parents[4] / "shared" / "eval" / "recognizers-text-fr"
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


def evaluate(nlp: Any, suite: str, specs: Path = SPECS) -> dict[str, Any]:
    """Score one spec file (``suite``: numbers, currency, dimension or dates) found in the
    folder ``specs``: ``{"suite", "supported": [passed, total], "unsupported": [passed,
    total], "failures": [inputs]}``. Raises ``OSError`` when the spec file is missing."""
    filename, check = SUITES[suite]
    entries = json.loads((specs / filename).read_text(encoding="utf-8-sig"))
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
