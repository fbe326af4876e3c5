"""The bundled demo corpus: every document reads, every offset points at its text."""

from __future__ import annotations

from conftest import ROOT
from kibaru.ingest import iter_inputs
from kibaru.model import Result
from kibaru.pipeline import process


def test_demo_corpus(nlp):
    results = [r for r in process(iter_inputs([str(ROOT / "examples")]))]
    assert all(isinstance(r, Result) for r in results), results
    assert len(results) >= 12
    html = [r for r in results if r.document.source.endswith(".html")]
    assert len(html) >= 3
    for r in html:
        reasons = {x.reason for x in r.document.removed}
        assert "related-link" in reasons, r.document.source
        assert r.document.published is not None
    total = 0
    for r in results:
        text = r.document.text
        assert r.events, f"no event in {r.document.id}"
        for e in r.events:
            total += 1
            assert text[e.trigger.start:e.trigger.end] == e.trigger.text
            assert text[e.evidence.start:e.evidence.end] == e.evidence.text
            if e.date and r.document.published:
                assert e.date.value <= r.document.published
    assert total >= 30
