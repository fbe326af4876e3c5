"""kibaru serve's JSON API against its own OpenAPI schema with schemathesis: generated
requests (valid and malformed) never get a 5xx. Bounded: a few dozen cases per operation.

Schemathesis's pytest plugin does not run under this pytest, so each operation's Hypothesis
strategy is driven directly."""

from __future__ import annotations

import warnings

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.generation.modes import GenerationMode  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from kibaru.serve import ServeConfig, create_app

#: Cases generated per operation, valid and malformed.
EXAMPLES = 30


def _operations(db: str) -> dict[str, object]:
    app = create_app(ServeConfig(db=db))
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    return {result.ok().label: result.ok() for result in schema.get_all_operations()}


# the routes do not open the store until a request comes, so the list needs none
OPERATIONS = sorted(_operations("unused.duckdb"))


def test_the_schema_lists_every_api_route():
    assert len(OPERATIONS) >= 9
    assert "POST /api/events/{event_id}/review" in OPERATIONS
    assert all(" /api/" in label for label in OPERATIONS)


@pytest.mark.slow
@pytest.mark.parametrize("label", OPERATIONS)
def test_api_never_answers_5xx(serve_db, label):
    operation = _operations(str(serve_db))[label]
    seen: list[int] = []

    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),  # type: ignore[attr-defined]
                      operation.as_strategy(GenerationMode.NEGATIVE))  # type: ignore[attr-defined]

    @given(case=cases)
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        response = case.call()
        seen.append(response.status_code)
        assert response.status_code < 500, (case.as_curl_command(), response.text[:500])

    run()
    assert seen
    if label != "GET /api/health" and label != "GET /api/reviews":
        assert any(400 <= code < 500 for code in seen), (label, seen)  # malformed cases ran
