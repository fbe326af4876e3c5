"""The French Recognizers-Text specs (../shared/eval/recognizers-text-fr) as a regression
suite: the pass rates measured when this file was written are floors that must hold. Entries
that every reference implementation marks NotSupported are scored apart and not guarded.
Known failures are listed by ``python benchmarks/recognizers_eval.py --failures``."""

from __future__ import annotations

import pytest

from conftest import shared_dir
from kibaru.evaluate.recognizers import evaluate

#: supported-entry pass rates measured on 2026-11-29 (see the CHANGELOG for their history);
#: raised for issue 5 item 5 (numbers 126/129, currency 107/114, dimension 50/59, dates 50/65);
#: dates raised to 62/65 when the scorer let explicitly future entries resolve forward
FLOORS = {"numbers": 0.97, "currency": 0.93, "dimension": 0.84, "dates": 0.95}


@pytest.mark.parametrize("suite", sorted(FLOORS))
def test_spec_pass_rate(nlp, suite):
    shared_dir("eval", "recognizers-text-fr")
    result = evaluate(nlp, suite)
    passed, total = result["supported"]
    rate = passed / total
    print(f"{suite}: {passed}/{total} = {rate:.1%}")
    assert total > 0
    assert rate >= FLOORS[suite], f"{suite} fell to {rate:.1%} (floor {FLOORS[suite]:.0%})"
