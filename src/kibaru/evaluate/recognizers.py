"""Kibaru's number, currency, dimension and date recognisers against the French
Recognizers-Text specs (``../shared/eval/recognizers-text-fr``; ``kibaru eval DIR --suite
numbers|dates``; tests/test_recognizers_specs.py guards the rates as floors).

Entries that every reference implementation (dotnet, javascript, python, java) marks
NotSupported are scored apart. An entry passes when Kibaru finds exactly the expected values
(numbers: each expected value found as a number; currency/dimension: value and unit, leaving
out temperatures, which Recognizers-Text reads with a model of its own; dates:
the resolved date equals the spec's past resolution, anchored on the spec's reference date).

Dates: Kibaru's event dates are never after publication (CONTRACT.md), but the recogniser can
resolve explicitly future expressions (``resolve_date(..., allow_future=True)``). An entry is
scored with ``allow_future=True`` when one of its expected resolutions ("demain", "dimanche
prochain", "12 Janvier, 2018") falls after its reference date — the spec itself says the
expression is ahead — and with the event policy (``allow_future=False``) otherwise.
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
#: Recognizers-Text unit names → (Kibaru unit, factor from the spec's unit to Kibaru's): ISO
#: 4217 codes for money ("Pence" are hundredths of GBP), "cent" for a hundredth of an unnamed
#: currency. A name missing here ("Franc", "Roupie": no one currency) keeps the spec's name,
#: which Kibaru never outputs, so such entries count as failures. Recognizers-Text's French
#: unit lists give a bare "francs" its generic unit "Franc", apart from Franc CFA, Franc
#: suisse, Franc belge...: no ISO code, the spec does not say which franc is meant either.
CURRENCY: dict[str, tuple[str, float]] = {
    "Dollar": ("USD", 1.0), "Dollar États-Unis": ("USD", 1.0), "Euro": ("EUR", 1.0),
    "Franc CFA": ("XOF", 1.0), "Franc CFA d'Afrique de l'Ouest": ("XOF", 1.0),
    "Dollar Canadien": ("CAD", 1.0), "Dollar Australien": ("AUD", 1.0),
    "Dollar de Hong Kong": ("HKD", 1.0), "Dollar néo-zélandais": ("NZD", 1.0),
    "Mexican peso": ("MXN", 1.0), "Livre": ("GBP", 1.0), "Yen Japonais": ("JPY", 1.0),
    "Yuan Chinois": ("CNY", 1.0), "Franc Suisse": ("CHF", 1.0),
    "Roupie indienne": ("INR", 1.0), "Mark Finlandais": ("FIM", 1.0),
    "Florins Néerlandais": ("NLG", 1.0), "Pence": ("GBP", 0.01), "Penny": ("GBP", 0.01),
    "Pesewa": ("GHS", 0.01), "Cent": ("cent", 1.0), "Centimes": ("cent", 1.0),
}
#: the same for measures: Kibaru gives every mass in tonnes, other measures in the unit written
DIMENSION: dict[str, tuple[str, float]] = {
    "Tonne": ("t", 1.0), "Tonne métrique": ("t", 1.0), "Kilogramme": ("t", 0.001),
    "Microgramme": ("t", 1e-12), "Onces": ("t", 2.8349523125e-5), "Livre": ("t", 0.00045359237),
    "Kilomètres": ("km", 1.0), "Mètres": ("m", 1.0), "Décimètres": ("dm", 1.0),
    "Centimètres": ("cm", 1.0), "Millimètres": ("mm", 1.0), "Hectomètre": ("hm", 1.0),
    "Mile": ("mi", 1.0), "Pied": ("ft", 1.0), "Pouce": ("in", 1.0),
    "Mètre carré": ("m2", 1.0), "Kilomètre carré": ("km2", 1.0), "Acre": ("acre", 1.0),
    "Litre": ("L", 1.0), "Millilitre": ("mL", 1.0), "Gallon": ("gal", 1.0),
    "Baril": ("bbl", 1.0), "Pieds cube": ("ft3", 1.0), "Miles par heure": ("mph", 1.0),
    "Bit": ("bit", 1.0), "Degree": ("deg", 1.0), "Radian": ("rad", 1.0),
}
_MONEY_KINDS = ("money", "money_fraction")
#: unit kinds that Recognizers-Text reads with a model of their own, not scored here
_OTHER_MODELS = ("temperature",)


def all_unsupported(entry: dict[str, Any]) -> bool:
    """True when every reference implementation marks ``entry`` NotSupported."""
    ns = {p.strip().lower() for p in str(entry.get("NotSupported") or "").split(",")}
    return PLATFORMS <= ns


def _value(v: Any) -> float | None:
    try:
        return float(str(v).replace(",", ".").replace(" ", ""))
    except ValueError:
        return None


def _same(v: float | None) -> float | None:
    """``v`` to 12 significant digits: the specs print 15, and a mass in tonnes can be tiny
    (150 µg = 1.5e-10 t), so a fixed number of decimals would not do."""
    return None if v is None else float(f"{v:.12g}")


def check_numbers(nlp: Any, entry: dict[str, Any]) -> bool:
    from kibaru.extract.quantities import find_numbers

    doc = nlp(entry["Input"])
    got = sorted(_same(n.value) or 0.0 for n in find_numbers(doc))
    want = sorted(_same(v) or 0.0 for r in entry["Results"] if (v := _value(
        r["Resolution"].get("value"))) is not None)
    return got == want


def _quantities(nlp: Any, entry: dict[str, Any], money: bool) -> list[tuple[Any, str | None]]:
    """Kibaru's quantities with a unit: money ones (``money``) or the other measures (a
    currency spec lists no lengths, a dimension spec no amounts of money). Temperatures are
    left out of both: Recognizers-Text reads them with its own TemperatureModel, and its
    DimensionModel spec expects nothing from "la température est de 24 degrés"."""
    from kibaru.extract.quantities import find_quantities, unit_kind

    doc = nlp(entry["Input"])
    return [(_same(q.value), q.unit) for q in find_quantities(doc)
            if q.unit and unit_kind(q.unit) not in _OTHER_MODELS
            and (unit_kind(q.unit) in _MONEY_KINDS) == money]


def _wanted(entry: dict[str, Any], table: dict[str, tuple[str, float]]) -> list[tuple[Any, Any]]:
    want = []
    for r in entry["Results"]:
        name = r["Resolution"].get("unit")
        unit, factor = table.get(name, (name, 1.0))
        value = _value(r["Resolution"].get("value"))
        want.append((_same(value * factor) if value is not None else None, unit))
    return want


def check_currency(nlp: Any, entry: dict[str, Any]) -> bool:
    return sorted(_quantities(nlp, entry, True), key=str) == sorted(
        _wanted(entry, CURRENCY), key=str)


def check_dimension(nlp: Any, entry: dict[str, Any]) -> bool:
    return sorted(_quantities(nlp, entry, False), key=str) == sorted(
        _wanted(entry, DIMENSION), key=str)


def check_dates(nlp: Any, entry: dict[str, Any]) -> bool:
    from kibaru.extract.dates import find_dates
    from kibaru.resolve.dates import resolve_date

    if "Context" not in entry:
        return False  # no reference date: nothing to anchor on (counted as a failure)
    ref = date.fromisoformat(entry["Context"]["ReferenceDateTime"][:10])
    doc = nlp(entry["Input"])
    want = [r["Value"].get("PastResolution", {}).get("date") for r in entry["Results"]]
    ahead = any(w is not None and date.fromisoformat(w) > ref for w in want)
    got = [resolve_date(m, ref, allow_future=ahead) for m in find_dates(doc)]
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
