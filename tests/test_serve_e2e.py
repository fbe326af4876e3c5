"""kibaru serve beside real writers: a review made while a `kibaru ingest` subprocess holds the
store, then kept across `kibaru reprocess` (slow: each subprocess loads the spaCy model)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import warnings

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from kibaru.cli import app as cli_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from kibaru.serve import ServeConfig, create_app

KIBARU = [sys.executable, "-m", "kibaru.cli"]

NEW_ARTICLE = ("Niamey, 4 juin 2024. La Turquie a livré 12 drones au Niger, a annoncé "
               "mardi le ministère nigérien de la Défense.\n")


def _kibaru(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*KIBARU, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, env=dict(os.environ, PYTHONWARNINGS="ignore"))


def _cli_event(db, eid: str) -> dict:
    result = CliRunner().invoke(cli_app, ["events", "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    found = [json.loads(line) for line in result.output.splitlines()
             if line.startswith("{") and json.loads(line)["id"] == eid]
    assert len(found) == 1
    return found[0]


@pytest.mark.slow
def test_a_review_made_while_an_ingest_runs_is_kept_and_survives_reprocess(serve_db,
                                                                            tmp_path):
    client = TestClient(create_app(ServeConfig(db=str(serve_db), lock_wait=0.1)))
    before = client.get("/api/events", params={"per_page": 500}).json()
    event = next(e for e in before["events"] if e["type"] == "ASSAULT")
    eid = event["event_id"]
    article = tmp_path / "drones-niger.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")

    ingest = _kibaru("ingest", str(article), "--db", str(serve_db), "--published",
                     "2024-06-04", "--json")
    try:
        deadline = time.monotonic() + 120
        while client.get("/api/health").json()["store"] != "busy":
            assert ingest.poll() is None, "the ingest ended before the store was seen busy"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        # the ingest holds the store: pages say so, reviews still go to their own file
        page = client.get("/events")
        assert page.status_code == 503 and page.headers["retry-after"] == "5"
        got = client.post(f"/api/events/{eid}/review", json={
            "action": "correct", "reviewer": "Awa", "type": "COERCE", "actor": "NER"})
        assert got.status_code == 201, got.text
        assert got.json()["verified"] is False
        assert ingest.poll() is None, "the review must be made while the ingest runs"
        out, err = ingest.communicate(timeout=300)
    finally:
        if ingest.poll() is None:
            ingest.kill()
    assert ingest.returncode == 0, err
    assert json.loads(out)["new"] == 1

    after = client.get("/api/events", params={"per_page": 500}).json()
    assert after["total"] > before["total"]  # the ingest's events are there
    now = client.get(f"/api/events/{eid}").json()
    assert (now["type"], now["actor_country"], now["review_status"]) == (
        "COERCE", "NER", "correct")
    assert _cli_event(serve_db, eid)["type"] == "COERCE"

    # reprocess rebuilds every event row; the correction follows the event id
    reprocess = _kibaru("reprocess", "--db", str(serve_db), "--json")
    out, err = reprocess.communicate(timeout=600)
    assert reprocess.returncode == 0, err
    summary = json.loads(out)
    assert summary["documents"] >= 13
    again = client.get(f"/api/events/{eid}").json()
    assert (again["type"], again["actor_country"], again["reviewed_by"]) == (
        "COERCE", "NER", "Awa")
    assert again["original"]["type"] == "ASSAULT"
    cli = _cli_event(serve_db, eid)
    assert cli["type"] == "COERCE" and cli["actor"]["country"] == "NER"
    result = CliRunner().invoke(cli_app, ["export", "--format", "plover-jsonl", "-",
                                          "--db", str(serve_db), "--type", "COERCE",
                                          "--country", "NER"])
    assert result.exit_code == 0 and eid in result.output
    # the review was made without the store: the training export reads the event from it
    result = CliRunner().invoke(cli_app, ["reviews", "export", "-", "--db", str(serve_db)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output.splitlines()[0])
    assert record["event_id"] == eid and record["extracted"]["type"] == "ASSAULT"
    assert record["label"]["type"] == "COERCE" and record["label"]["actor"]["country"] == "NER"
    assert record["content_hash"] and record["trigger"]["start"] is not None


@pytest.mark.slow
def test_pages_answer_between_the_documents_of_a_running_ingest(serve_db, tmp_path):
    # a long ingest lets a waiting reader in between two committed documents
    # (Store.yield_to_readers), so the browser view is not locked out for the whole run
    corpus = tmp_path / "many.jsonl"
    with corpus.open("w", encoding="utf-8") as f:
        for i in range(60):
            f.write(json.dumps({"id": f"n{i}", "published": "2024-06-04",
                                "text": NEW_ARTICLE.replace("12 drones", f"{i + 2} drones")},
                               ensure_ascii=False) + "\n")
    client = TestClient(create_app(ServeConfig(db=str(serve_db), lock_wait=2.5)))
    ingest = _kibaru("ingest", str(corpus), "--db", str(serve_db), "--json")
    before = client.get("/api/events", params={"per_page": 1}).json()["total"]
    seen: list[int] = []  # event totals served while the ingest was writing
    try:
        deadline = time.monotonic() + 180
        while ingest.poll() is None and time.monotonic() < deadline:
            got = client.get("/api/events", params={"per_page": 1})
            if got.status_code == 200 and ingest.poll() is None:
                seen.append(got.json()["total"])
            time.sleep(0.1)
        out, err = ingest.communicate(timeout=300)
    finally:
        if ingest.poll() is None:
            ingest.kill()
    assert ingest.returncode == 0, err
    assert json.loads(out)["new"] == 60
    after = client.get("/api/events", params={"per_page": 1}).json()["total"]
    # served in the middle of the run: some documents in, not all of them yet
    assert any(before < total < after for total in seen), (before, seen, after)
