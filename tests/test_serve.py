"""kibaru serve: the JSON API, the pages, escaping, CSP, the token, reviews honoured by events
and exports, and the 503 while another process writes the store (in-process, TestClient)."""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
import warnings

import duckdb
import pytest
from typer.testing import CliRunner

import kibaru
from conftest import ROOT, SHARED, held_by_another_process
from kibaru.cli import app as cli_app
from kibaru.export import count_events, write_acled_csv, write_jsonl, write_plover_jsonl

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from kibaru.serve import CSP, ServeConfig, create_app, serving
from kibaru.serve.queries import highlight_segments, quad_classes, quad_of
from kibaru.store.reviews import ReviewStore, reviews_path

TOKEN = "correct-horse-battery"


@pytest.fixture
def client(serve_db):
    """A client of a server on a private copy of the session store (no token)."""
    return TestClient(create_app(ServeConfig(db=str(serve_db))))


def _plain(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text.lower())
                   if not unicodedata.combining(c))


def first_event(client: TestClient, **params) -> dict:
    got = client.get("/api/events", params={"per_page": 1, **params})
    assert got.status_code == 200, got.text
    return got.json()["events"][0]


# -- API and events table ----------------------------------------------------------------------

def test_events_api_filters_sorts_and_pages(client, serve_db):
    everything = client.get("/api/events", params={"per_page": 500}).json()
    assert everything["total"] == count_events(serve_db) > 20
    assert len(everything["events"]) == everything["total"]
    mali = client.get("/api/events", params={"country": "mli", "per_page": 500}).json()
    assert mali["total"] == count_events(serve_db, country="MLI") > 0
    assert all("MLI" in (e["actor_country"], e["recipient_country"]) for e in mali["events"])
    aid = client.get("/api/events", params={"type": "AID", "sort": "date",
                                            "order": "asc", "per_page": 500}).json()
    assert aid["total"] == count_events(serve_db, type="AID") > 0
    dates = [e["date_value"] or e["published"] for e in aid["events"]]
    assert dates == sorted(dates)
    assert {e["quad"] for e in aid["events"]} == {"material_cooperation"}
    page1 = client.get("/api/events", params={"per_page": 5, "page": 1}).json()
    page2 = client.get("/api/events", params={"per_page": 5, "page": 2}).json()
    assert len(page1["events"]) == len(page2["events"]) == 5
    assert not {e["event_id"] for e in page1["events"]} & {e["event_id"]
                                                            for e in page2["events"]}
    text = client.get("/api/events", params={"q": "BLÉ", "per_page": 500}).json()
    assert text["total"] > 0
    assert all("ble" in _plain(json.dumps(e, ensure_ascii=False)) for e in text["events"])
    for wildcard in ("_", "%"):  # searched as text, not as SQL patterns
        found = client.get("/api/events", params={"q": wildcard, "per_page": 500}).json()
        assert all(wildcard in json.dumps(e, ensure_ascii=False) for e in found["events"])
        assert found["total"] < everything["total"]
    since = client.get("/api/events", params={"since": "2024-06-01", "until": "2024-12-31",
                                              "per_page": 500}).json()
    assert since["total"] == count_events(serve_db, since="2024-06-01", until="2024-12-31")
    mode = client.get("/api/events", params={"mode": "visit", "per_page": 500}).json()
    assert mode["total"] > 0 and {e["type"] for e in mode["events"]} == {"CONSULT"}


def test_events_page_and_csv_of_the_current_filter(client, serve_db):
    page = client.get("/events", params={"country": "MLI", "sort": "type", "order": "asc"})
    assert page.status_code == 200
    total = count_events(serve_db, country="MLI")
    assert f'<span id="total">{total}</span>' in page.text
    assert page.text.count('class="event-row') == min(total, 50)
    assert "/api/events.csv?country=MLI" in page.text
    got = client.get("/api/events.csv", params={"country": "MLI", "type": "ASSAULT"})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert len(rows) == count_events(serve_db, country="MLI", type="ASSAULT") > 0
    assert {r["type"] for r in rows} == {"ASSAULT"}


def test_bad_input_is_a_clear_4xx(client):
    for url, status in [("/api/events?country=XX", 422), ("/api/events?dyad=RUS_MLI", 422),
                        ("/api/events?since=2024-13-45", 400), ("/api/events?per_page=0", 422),
                        ("/api/events?sort=evil;drop", 422), ("/api/events?status=sure", 400),
                        ("/api/events?bbox=10,0,5,5", 400), ("/api/events/zzz", 422),
                        ("/api/events/0123456789abcdef", 404), ("/api/documents/999999", 404),
                        ("/events?since=2024-02-30", 400), ("/documents/abc", 400)]:
        got = client.get(url)
        assert got.status_code == status, (url, got.text)
        if url.startswith("/api"):
            assert got.json()["error"]
        else:
            assert "text/html" in got.headers["content-type"] and "Error" in got.text


# -- article page, escaping, CSP ---------------------------------------------------------------

def _article(client: TestClient, source_end: str) -> tuple[dict, str]:
    docs = client.get("/api/events", params={"per_page": 500}).json()["events"]
    pk = next(e["document_pk"] for e in docs if e["source"].endswith(source_end))
    return client.get(f"/api/documents/{pk}").json(), client.get(f"/documents/{pk}").text


def test_article_page_highlights_every_part_of_each_event(client):
    doc, html = _article(client, "tchad-refugies-aide.html")
    assert doc["events"] and doc["removed"]
    assert "".join(p["text"] for p in doc["segments"]) == doc["text"]
    kinds = {k for p in doc["segments"] for k in p["kinds"]}
    assert {"trigger", "actor", "location", "date", "quantity"} <= kinds
    for e in doc["events"]:
        assert f'id="event-{e["event_no"]}"' in html
    trigger = doc["events"][0]["trigger_text"]
    assert re.search(r'<mark class="hl hl-trigger[^"]*"[^>]*>' + re.escape(trigger), html)
    removed = html.split('id="removed"', 1)[1]
    assert doc["removed"][0]["text"][:30].replace("'", "&#39;").replace('"', "&#34;") in removed
    assert 'id="article-text"' not in removed  # boilerplate shown apart, after the text


def test_article_markup_is_shown_inert(client):
    doc, html = _article(client, "hostile.txt")
    assert "<script>alert" in doc["text"] and "onerror=alert" in doc["text"]
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(&#39;xss&#39;)&gt;" in html
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>']


def test_every_page_has_the_csp_and_no_inline_script_or_style(client):
    event = first_event(client, type="AID")
    urls = ["/events", f"/documents/{event['document_pk']}", f"/events/{event['event_id']}",
            "/dyads", "/dyads/RUS-MLI", "/map", "/reviews", "/api/events", "/no-such-page"]
    for url in urls:
        got = client.get(url)
        assert got.headers["content-security-policy"] == CSP, url
        assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
        assert got.headers["x-content-type-options"] == "nosniff"
        if url.startswith("/api"):
            assert got.headers["content-type"] == "application/json"
            continue
        for tag in re.findall(r"<script[^>]*>", got.text):
            assert 'src="/static/' in tag, (url, tag)
        assert not re.search(r"<script[^>]*>\s*\S", got.text.replace(
            '<script src="/static/app.js" defer></script>', "")), url
        assert not re.search(r"<[a-zA-Z][^>]*\s(style|on[a-z]+)=", got.text), url
        assert "//cdn" not in got.text and "https://" not in got.text.replace(
            "https://www.", "").split("<main>")[0]
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/world-110m.svg").status_code == 200


def test_highlight_segments_cut_at_every_boundary():
    pieces = highlight_segments("abcdef", [(1, 4, "trigger", 0), (3, 5, "actor", 1),
                                           (9, 12, "date", 0), (None, 2, "date", 2)])
    assert [(p["text"], p["kinds"], p["events"]) for p in pieces] == [
        ("a", [], []), ("bc", ["trigger"], [0]), ("d", ["trigger", "actor"], [0, 1]),
        ("e", ["actor"], [1]), ("f", [], [])]


# -- dyads, quad classes, map ------------------------------------------------------------------

def test_quad_classes_cover_plover_types_once():
    types = [t for q in quad_classes() for t in q["types"]]
    assert len(types) == len(set(types)) == 16
    facts = SHARED / "research-facts.md"
    if facts.exists():
        text = facts.read_text(encoding="utf-8")
        for q in quad_classes():
            line = next(s for s in text.splitlines() if s.startswith(f"- {q['label']}:"))
            assert line.split(":", 1)[1].replace(" ", "").split(",") == q["types"]
    data = tomllib.loads((ROOT / "src/kibaru/data/quad_classes.toml").read_text("utf-8"))
    assert data["version"] == 1
    assert quad_of("ASSAULT") == "material_conflict" and quad_of("CONSULT") == (
        "verbal_cooperation") and quad_of(None) is None


def test_dyad_timeline_and_quantities_never_add_a_cumulative_figure(client, serve_db):
    first = client.get("/api/dyads/RUS-MLI").json()
    wheat = next(r for g in first["quantities"] for r in g["rows"] if r["unit"] == "t")
    event = client.get(f"/api/events/{wheat['event_id']}").json()
    con = duckdb.connect(str(serve_db))  # a private copy: add figures of every kind
    for no, (value, kind) in enumerate([(80000.0, "cumulative"), (1000.0, "amount"),
                                        (50000.0, "planned")], 90):
        con.execute("INSERT INTO quantities VALUES (?, ?, ?, ?, ?, ?, 't', ?, ?, false, NULL, "
                    "NULL, NULL)", [event["document_pk"], event["event_no"], no,
                                    event["event_id"], f"{value} t", value, wheat["item"],
                                    kind])
    con.close()
    d = client.get("/api/dyads/RUS-MLI").json()
    assert d["total"] > 0 and d["months"]
    assert sum(m["total"] for m in d["months"]) <= d["total"]
    assert all(set(m["counts"]) == {q["key"] for q in d["quads"]} | {"other"}
               for m in d["months"])
    rows = [r for g in d["quantities"] for r in g["rows"]]
    assert any(r["kind"] == "cumulative" for r in rows), rows
    for g in d["quantities"]:
        running = 0.0
        for r in g["rows"]:
            if r["kind"] in ("amount", "killed", "injured"):
                running += r["value"]
                assert r["added"]
            else:
                assert not r["added"]
            assert r["running"] == running
        assert g["total"] == running
    group = next(g for g in d["quantities"] if g["item"] == wheat["item"])
    assert group["total"] == sum(r["value"] for r in group["rows"]
                                 if r["kind"] == "amount") == wheat["value"] + 1000
    html = client.get("/dyads/RUS-MLI").text
    assert 'id="timeline"' in html and "(not added)" in html and "<rect class=\"bar" in html
    assert "RUS-MLI" in client.get("/dyads").text or "MLI-RUS" in client.get("/dyads").text


def test_map_clusters_count_every_located_event_and_click_through(client, serve_db):
    located = client.get("/api/events", params={"per_page": 500}).json()["events"]
    located = [e for e in located if e["lat"] is not None]
    assert located
    for zoom in (0, 3, 8):
        clusters = client.get("/api/map", params={"zoom": zoom}).json()["clusters"]
        assert sum(c["n"] for c in clusters) == len(located)
    biggest = client.get("/api/map", params={"zoom": 0}).json()["clusters"][0]
    box = ",".join(str(v) for v in biggest["bbox"])
    inside = client.get("/api/events", params={"bbox": box, "per_page": 500}).json()
    assert inside["total"] >= biggest["n"]
    page = client.get("/map")
    assert 'href="/static/world-110m.svg"' in page.text
    assert (ROOT / "src/kibaru/serve/static/world-110m.LICENSE.txt").exists()


# -- reviews: pages, events, exports -----------------------------------------------------------

def test_a_correction_is_stored_shown_and_honoured_by_events_and_exports(client, serve_db):
    event = first_event(client, type="ASSAULT", country="MLI")
    eid = event["event_id"]
    got = client.post(f"/api/events/{eid}/review", json={
        "action": "correct", "reviewer": "Awa", "type": "COERCE", "mode": "seize",
        "actor": "bfa", "place": "Ménaka", "lat": 15.92, "lon": 2.4, "date": "2024-05-01",
        "note": "wrong actor"})
    assert got.status_code == 201, got.text
    stored = got.json()
    assert stored["verified"] and stored["reviewer"] == "Awa"
    assert stored["patch"]["actor_country"] == "BFA" and stored["patch"]["type"] == "COERCE"
    now = client.get(f"/api/events/{eid}").json()
    assert (now["type"], now["mode"], now["actor_country"], now["location_name"]) == (
        "COERCE", "seize", "BFA", "Ménaka")
    assert now["event"]["review"]["reviewer"] == "Awa" and now["original"]["type"] == "ASSAULT"
    assert now["reviews"][0]["note"] == "wrong actor"
    page = client.get(f"/events/{eid}").text
    assert "Awa" in page and "corrected" in page and "wrong actor" in page
    table = client.get("/events", params={"type": "COERCE"}).text
    assert f'data-event-id="{eid}"' in table and "corrected" in table
    # kibaru events (CLI) and the exports read the same reviews
    result = CliRunner().invoke(cli_app, ["events", "--db", str(serve_db), "--format",
                                          "jsonl", "--country", "BFA", "--type", "COERCE"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    mine = [o for o in lines if o["id"] == eid]
    assert mine and mine[0]["type"] == "COERCE" and mine[0]["actor"]["country"] == "BFA"
    assert mine[0]["location"]["name"] == "Ménaka" and mine[0]["date"]["value"] == "2024-05-01"
    assert mine[0]["review"]["status"] == "correct"
    out = io.StringIO()
    write_plover_jsonl(serve_db, out, type="COERCE")
    assert any(json.loads(line)["id"] == eid if "id" in json.loads(line) else eid in line
               for line in out.getvalue().splitlines())
    assert count_events(serve_db, type="ASSAULT", country="MLI") == (
        client.get("/api/events", params={"type": "ASSAULT", "country": "MLI"}).json()["total"])
    # and the Python API: kibaru.open(db).events() applies it (reviews=False: as coded)
    frame = kibaru.open(serve_db).events(type="COERCE")
    row = frame[frame["event_id"] == eid]
    assert len(row) == 1 and row.iloc[0]["actor_country"] == "BFA"
    assert row.iloc[0]["review_status"] == "correct"
    coded = kibaru.open(serve_db).events(reviews=False)
    assert coded[coded["event_id"] == eid].iloc[0]["type"] == "ASSAULT"


def test_a_rejected_event_leaves_events_and_exports_and_training_data_is_exported(
        client, serve_db, tmp_path):
    event = first_event(client, type="ASSAULT")
    eid = event["event_id"]
    before = count_events(serve_db)
    assert client.post(f"/api/events/{eid}/review", json={
        "action": "reject", "reviewer": "Awa"}).status_code == 201
    assert count_events(serve_db) == before - 1
    assert eid not in set(kibaru.open(serve_db).events()["event_id"])
    assert eid in set(kibaru.open(serve_db).events(include_rejected=True)["event_id"])
    out = io.StringIO()
    write_jsonl(serve_db, out)
    assert eid not in out.getvalue()
    out = io.StringIO()
    write_acled_csv(serve_db, out)
    assert eid not in out.getvalue()
    listed = client.get("/api/events", params={"per_page": 500}).json()
    assert eid not in {e["event_id"] for e in listed["events"]}
    shown = client.get("/api/events", params={"review": "reject"}).json()
    assert [e["event_id"] for e in shown["events"]] == [eid]
    # confirm another, then the training data
    other = first_event(client, type="AID")
    assert client.post(f"/api/events/{other['event_id']}/review", json={
        "action": "confirm", "reviewer": "Moussa"}).status_code == 201
    target = tmp_path / "reviews.jsonl"
    result = CliRunner().invoke(cli_app, ["reviews", "export", str(target), "--db",
                                          str(serve_db)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert [(r["event_id"], r["action"]) for r in records] == [
        (eid, "reject"), (other["event_id"], "confirm")]
    assert records[0]["label"] is None and records[1]["label"]["type"] == "AID"
    assert records[1]["extracted"]["trigger"]["text"] == records[1]["trigger"]["text"]
    assert records[1]["evidence"] and records[1]["content_hash"]
    assert reviews_path(serve_db).exists()


def test_review_validation(client):
    eid = first_event(client)["event_id"]
    url = f"/api/events/{eid}/review"
    for body, status in [({"action": "approve", "reviewer": "x"}, 422),
                         ({"action": "correct", "reviewer": "x"}, 400),
                         ({"action": "correct", "reviewer": "x", "type": "HUG"}, 400),
                         ({"action": "correct", "reviewer": "x", "actor": "Russia"}, 422),
                         ({"action": "correct", "reviewer": "x", "date": "2024-02-30"}, 400),
                         ({"action": "correct", "reviewer": "x", "lat": 10}, 400),
                         ({"action": "confirm", "reviewer": ""}, 422),
                         ({"action": "confirm", "reviewer": "x", "sql": "drop"}, 422)]:
        got = client.post(url, json=body)
        assert got.status_code == status, (body, got.text)
    assert client.post("/api/events/0123456789abcdef/review", json={
        "action": "confirm", "reviewer": "x"}).status_code == 404
    assert client.get("/api/reviews").json()["total"] == 0


# -- token and origin --------------------------------------------------------------------------

def test_writes_need_the_token_and_the_same_origin(serve_db):
    client = TestClient(create_app(ServeConfig(db=str(serve_db), token=TOKEN)))
    eid = first_event(client)["event_id"]
    url = f"/api/events/{eid}/review"
    body = {"action": "confirm", "reviewer": "Awa"}
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers={"X-Kibaru-Token": "guess"}).status_code == 401
    assert client.post(url, json=body, headers={
        "X-Kibaru-Token": TOKEN, "Origin": "https://evil.example"}).status_code == 403
    assert client.post(url, json=body, headers={"X-Kibaru-Token": TOKEN}).status_code == 201
    assert client.post(url, json=body, headers={
        "Authorization": f"Bearer {TOKEN}"}).status_code == 201
    assert client.get("/events").status_code == 200  # reading needs no token
    open_client = TestClient(create_app(ServeConfig(db=str(serve_db))))
    assert open_client.post(url, json=body, headers={
        "Origin": "http://evil.example"}).status_code == 403
    assert open_client.post(url, content=json.dumps(body), headers={
        "Content-Type": "text/plain"}).status_code == 422


def test_a_loopback_server_answers_only_loopback_host_names(serve_db):
    client = TestClient(create_app(ServeConfig(db=str(serve_db),
                                               allowed_hosts=("127.0.0.1", "localhost"))),
                        base_url="http://127.0.0.1:8000")
    assert client.get("/api/health").status_code == 200
    rebound = client.get("/api/health", headers={"Host": "evil.example:8000"})
    assert rebound.status_code == 400  # DNS rebinding: another name for this address


def test_serve_refuses_a_public_address_without_a_token(serve_db, monkeypatch):
    monkeypatch.delenv("KIBARU_TOKEN", raising=False)
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(serve_db), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "--token" in result.output
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(serve_db), "--host", "0.0.0.0",
                                          "--token", "short"])
    assert result.exit_code == 2 and "8 characters" in result.output
    from kibaru.cli_serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")


# -- one writer --------------------------------------------------------------------------------

def test_a_store_written_by_another_process_gives_503_with_retry_after(serve_db):
    client = TestClient(create_app(ServeConfig(db=str(serve_db), lock_wait=0.1)))
    eid = first_event(client)["event_id"]
    with held_by_another_process(serve_db):
        page = client.get("/events")
        assert page.status_code == 503 and page.headers["retry-after"] == "5"
        assert "text/html" in page.headers["content-type"] and "try again" in page.text.lower()
        api = client.get("/api/events")
        assert api.status_code == 503 and api.json()["code"] == "K401"
        assert client.get("/api/health").json()["store"] == "busy"
        # a review still goes to its own file, keyed by the event id
        got = client.post(f"/api/events/{eid}/review", json={"action": "confirm",
                                                             "reviewer": "Awa"})
        assert got.status_code == 201 and got.json()["verified"] is False
    assert client.get(f"/api/events/{eid}").json()["review_status"] == "confirm"
    assert [r.action for r in ReviewStore(serve_db).history(eid)] == ["confirm"]


def test_an_event_stored_under_two_documents_counts_once_as_in_the_exports(client, serve_db):
    before = client.get("/api/events", params={"per_page": 500}).json()
    assert before["total"] == count_events(serve_db)
    pk = before["events"][0]["document_pk"]
    con = duckdb.connect(str(serve_db))  # the same text stored again under another key
    new_pk = con.execute("SELECT max(document_pk) + 1 FROM documents").fetchone()[0]
    con.execute("CREATE TEMP TABLE twin AS SELECT * FROM documents WHERE document_pk = ?", [pk])
    con.execute("UPDATE twin SET document_pk = ?, source_key = source_key || '#twin'", [new_pk])
    con.execute("INSERT INTO documents SELECT * FROM twin")
    con.execute("INSERT INTO events SELECT * REPLACE (? AS document_pk) FROM events "
                "WHERE document_pk = ?", [new_pk, pk])
    con.close()
    after = client.get("/api/events", params={"per_page": 500}).json()  # store changed
    assert after["total"] == before["total"] == count_events(serve_db)
    ids = [e["event_id"] for e in after["events"]]
    assert len(ids) == len(set(ids)) and new_pk not in {e["document_pk"] for e in after["events"]}
    assert client.get(f"/api/documents/{new_pk}").json()["events"]  # the twin still reads


def test_concurrent_pages_and_reviews_never_fail(serve_db):
    """Requests run in parallel threads: reads of the store and of the reviews file, and
    writes of reviews, must take turns inside the process without a 5xx."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    with serving(ServeConfig(db=str(serve_db))) as base:
        events = httpx.get(f"{base}/api/events", params={"per_page": 20}).json()["events"]

        def hit(i: int) -> int:
            e = events[i % len(events)]
            if i % 3 == 0:
                return httpx.post(f"{base}/api/events/{e['event_id']}/review", json={
                    "action": "confirm", "reviewer": f"r{i}"}, timeout=60).status_code
            url = ("/events", f"/documents/{e['document_pk']}", "/api/map")[i % 3]
            return httpx.get(base + url, timeout=60).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            codes = list(pool.map(hit, range(48)))
    assert sorted(set(codes)) == [200, 201], codes
    assert len(ReviewStore(serve_db).history()) == 16


# -- corrections: place lookup, sectors, dates, confirm with fields ------------------------------

def _acled_row(serve_db, eid: str) -> dict:
    out = io.StringIO()
    write_acled_csv(serve_db, out)
    rows = [r for r in csv.DictReader(io.StringIO(out.getvalue()))
            if r["event_id_cnty"].endswith(eid)]
    assert len(rows) == 1, rows
    return rows[0]


def _acled_event(client: TestClient, **params) -> dict:
    listed = client.get("/api/events", params={"per_page": 500, "status": "reported",
                                               **params}).json()["events"]
    return next(e for e in listed if e["acled_event_type"])


def test_a_corrected_place_name_is_looked_up_in_the_gazetteer(client, serve_db):
    event = _acled_event(client, country="MLI")
    eid = event["event_id"]
    url = f"/api/events/{eid}/review"
    got = client.post(url, json={"action": "correct", "reviewer": "Awa", "place": "Kidal"})
    assert got.status_code == 201, got.text
    patch = got.json()["patch"]
    assert patch["geonames_id"] and patch["location_country"] == "MLI"
    assert 17 < patch["lat"] < 20 and 0 < patch["lon"] < 2
    now = client.get(f"/api/events/{eid}").json()
    assert now["event"]["location"]["country"] == "MLI" and now["lat"] == patch["lat"]
    row = _acled_row(serve_db, eid)
    assert row["event_id_cnty"] == f"MLI-{eid}" and row["country"] == "Mali"
    assert row["location"] == "Kidal" and row["latitude"] and row["longitude"] and row["iso"]
    box = client.get("/api/events", params={"bbox": "0,17,2,20", "per_page": 500}).json()
    assert eid in {e["event_id"] for e in box["events"]}
    # explicit coordinates win over the gazetteer's
    got = client.post(url, json={"action": "correct", "reviewer": "Awa", "place": "Kidal",
                                 "lat": 18.5, "lon": 1.5})
    assert got.status_code == 201 and (got.json()["patch"]["lat"], got.json()["patch"]["lon"]
                                       ) == (18.5, 1.5)
    assert got.json()["patch"]["geonames_id"] == patch["geonames_id"]
    # an unknown name needs coordinates: no half place is stored
    unknown = client.post(url, json={"action": "correct", "reviewer": "Awa",
                                     "place": "Xqzwvillé"})
    assert unknown.status_code == 422
    assert unknown.json()["error"] == ("place 'Xqzwvillé' not found in the gazetteer: give lat "
                                       "and lon")
    got = client.post(url, json={"action": "correct", "reviewer": "Awa", "place": "Xqzwvillé",
                                 "place_country": "MLI", "lat": 16.1, "lon": 0.5})
    assert got.status_code == 201, got.text
    assert got.json()["patch"]["location_country"] == "MLI"
    now = client.get(f"/api/events/{eid}").json()
    assert (now["lat"], now["lon"], now["location_country"]) == (16.1, 0.5, "MLI")


def test_a_corrected_party_country_does_not_keep_the_old_sector(client, serve_db):
    con = duckdb.connect(str(serve_db), read_only=True)
    eid, side, sector = con.execute(
        "SELECT event_id, 'actor', actor_sector FROM events WHERE actor_sector IS NOT NULL "
        "AND acled_event_type IS NOT NULL ORDER BY document_pk, event_no LIMIT 1").fetchone()
    con.close()
    url = f"/api/events/{eid}/review"
    got = client.post(url, json={"action": "correct", "reviewer": "Awa", side: "FRA"})
    assert got.status_code == 201, got.text
    assert got.json()["patch"][f"{side}_sector"] is None
    now = client.get(f"/api/events/{eid}").json()
    assert now[f"{side}_country"] == "FRA" and now[f"{side}_sector"] is None
    assert now["event"][side]["sector"] is None
    assert "(" not in _acled_row(serve_db, eid)["actor1"] or "France" in _acled_row(
        serve_db, eid)["actor1"]
    got = client.post(url, json={"action": "correct", "reviewer": "Awa", side: "FRA",
                                 f"{side}_sector": "mil"})
    assert got.status_code == 201, got.text
    now = client.get(f"/api/events/{eid}").json()
    assert now[f"{side}_sector"] == "MIL" and now["event"][side]["sector"] == "MIL"
    assert _acled_row(serve_db, eid)["actor1"] == "Military Forces of France"
    bad = client.post(url, json={"action": "correct", "reviewer": "Awa", "actor_sector": "XYZ"})
    assert bad.status_code == 422 and "PLOVER sector" in bad.json()["error"]
    assert sector  # the event had one before


def test_a_corrected_date_is_never_after_the_publication(client):
    event = first_event(client)
    url = f"/api/events/{event['event_id']}/review"
    got = client.post(url, json={"action": "correct", "reviewer": "Awa", "date": "2099-01-01"})
    assert got.status_code == 422
    assert "after the document's publication" in got.json()["error"]
    day = str(event["published"])[:10]
    ok = client.post(url, json={"action": "correct", "reviewer": "Awa", "date": day})
    assert ok.status_code == 201, ok.text


def test_confirm_with_correction_fields_is_refused(client):
    eid = first_event(client)["event_id"]
    url = f"/api/events/{eid}/review"
    for action in ("confirm", "reject"):
        got = client.post(url, json={"action": action, "reviewer": "Awa", "actor": "FRA"})
        assert got.status_code == 422
        assert got.json()["error"] == (f"fields given with action {action} (actor): choose "
                                       "correct")
    assert client.get("/api/reviews").json()["total"] == 0
    page = client.get(f"/events/{eid}").text
    assert 'placeholder="RUS"' not in page and 'placeholder="MLI"' not in page


# -- a bad store, a port in use ----------------------------------------------------------------

def _bad_stores(tmp_path):
    text = tmp_path / "text.duckdb"
    text.write_text("not a database\n", encoding="utf-8")
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    folder = tmp_path / "folder.duckdb"
    folder.mkdir()
    return {"text": text, "empty": empty, "folder": folder}


def _never_serve(monkeypatch) -> None:
    """A regression must fail the test, not start a server that never returns."""
    import kibaru.serve

    def fail(*args, **kwargs):
        raise AssertionError("kibaru serve started serving")

    monkeypatch.setattr(kibaru.serve, "serve", fail)


def test_serve_refuses_a_bad_store_at_startup(tmp_path, monkeypatch):
    _never_serve(monkeypatch)
    for kind, path in _bad_stores(tmp_path).items():
        result = CliRunner().invoke(cli_app, ["serve", "--db", str(path), "--port", "1"])
        assert result.exit_code == 1, (kind, result.output)
        assert result.output.startswith("kibaru: error: ") and str(path) in result.output
        assert "Traceback" not in result.output and "serving" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_store_broken_while_serving_is_an_error_page_not_busy(tmp_path):
    for kind, path in _bad_stores(tmp_path).items():
        client = TestClient(create_app(ServeConfig(db=str(path))))
        page = client.get("/events")
        assert page.status_code == 503 and "retry-after" not in page.headers, kind
        assert "Busy" not in page.text and "cannot be read" in page.text
        api = client.get("/api/events")
        assert api.json()["code"] == "K402" and "retry-after" not in api.headers
        health = client.get("/api/health")
        assert health.status_code == 503 and health.json()["store"] == "error"


def test_serve_on_a_port_in_use_is_one_clear_error(serve_db, monkeypatch):
    import socket

    _never_serve(monkeypatch)

    from kibaru.cli_serve import bind_problem, server_url

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli_app, ["serve", "--db", str(serve_db), "--port",
                                              str(port)])
        assert result.exit_code == 1, result.output
        assert result.output == (f"kibaru: error: port {port} on 127.0.0.1 is in use; choose "
                                 "another with --port\n")
    assert bind_problem("127.0.0.1", port) is None
    assert "does not resolve" in (bind_problem("no-such-host.invalid", 8000) or "")
    assert server_url("::1", 8000) == "http://[::1]:8000/"
    assert server_url("[::1]", 8000) == "http://[::1]:8000/"
    assert server_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"


def test_token_errors_say_missing_or_wrong_before_the_body_is_read(serve_db):
    client = TestClient(create_app(ServeConfig(db=str(serve_db), token=TOKEN)))
    url = f"/api/events/{first_event(client)['event_id']}/review"
    missing = client.post(url, json={"action": "confirm", "reviewer": "Awa"})
    assert missing.status_code == 401 and "enter the server's token" in missing.json()["error"]
    wrong = client.post(url, json={"action": "confirm", "reviewer": "Awa"},
                        headers={"X-Kibaru-Token": "guess"})
    assert wrong.status_code == 401 and wrong.json()["error"].startswith("wrong token")
    for headers in ({}, {"X-Kibaru-Token": "guess"}):  # a bad body: auth first
        got = client.post(url, content=b"{not json", headers={
            "Content-Type": "application/json", **headers})
        assert got.status_code == 401, got.text
    assert client.post(url, content=b"{not json", headers={
        "Content-Type": "application/json", "X-Kibaru-Token": TOKEN}).status_code == 422


def test_free_text_search_ignores_accents_both_ways(client):
    plain = client.get("/api/events", params={"q": "Tinzaouatene", "per_page": 500}).json()
    accented = client.get("/api/events", params={"q": "TINZAOUATÈNE", "per_page": 500}).json()
    assert plain["total"] == accented["total"] > 0
    assert all("tinzaouatene" in _plain(json.dumps(e, ensure_ascii=False))
               for e in plain["events"])
    both = client.get("/api/events", params={"q": "mènaka", "per_page": 500}).json()
    assert both["total"] == client.get("/api/events", params={"q": "Menaka"}).json()["total"]


def test_csv_cells_that_look_like_formulas_are_defused(client):
    from kibaru.serve.app import csv_cell

    assert [csv_cell(v) for v in ("=HYPERLINK(\"x\")", "+1+1", "-cmd", "@SUM(A1)", "\tx",
                                  "\rx", "-3.5", "+2", -4, None, "Mali")] == [
        "'=HYPERLINK(\"x\")", "'+1+1", "'-cmd", "'@SUM(A1)", "'\tx", "'\rx", "-3.5", "+2",
        -4, "", "Mali"]
    eid = first_event(client)["event_id"]
    assert client.post(f"/api/events/{eid}/review", json={
        "action": "correct", "reviewer": "Awa", "place": "=cmd|'/c calc'!A1", "lat": 1,
        "lon": 2}).status_code == 201
    rows = list(csv.DictReader(io.StringIO(client.get("/api/events.csv").text)))
    mine = next(r for r in rows if r["event_id"] == eid)
    assert mine["location_name"] == "'=cmd|'/c calc'!A1" and mine["lat"] == "1.0"
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_head_is_answered_like_get_without_a_body(client):
    eid = first_event(client)["event_id"]
    for url in ("/events", f"/events/{eid}", "/api/health", "/api/events", "/map", "/dyads",
                "/reviews", "/api/events.csv", "/static/app.js"):
        got = client.head(url)
        assert got.status_code == 200, (url, got.status_code)
        assert got.content == b"" and got.headers["content-type"] == client.get(
            url).headers["content-type"]
        assert got.headers["content-security-policy"] == CSP
    assert client.head("/api/events/0123456789abcdef").status_code == 404


def test_past_the_last_page_and_an_unknown_type(client):
    total = client.get("/api/events", params={"per_page": 10}).json()["total"]
    last = -(-total // 10)
    past = client.get("/api/events", params={"per_page": 10, "page": last + 5})
    assert past.status_code == 404 and f"last page ({last})" in past.json()["error"]
    assert client.get("/api/events", params={"per_page": 10, "page": last}).status_code == 200
    page = client.get("/events", params={"per_page": 10, "page": last + 5})
    assert page.status_code == 200
    assert page.text.count('class="event-row') == total - (last - 1) * 10
    for url in ("/events?type=HUG", "/api/events?type=HUG", "/api/events.csv?type=HUG"):
        got = client.get(url)
        assert got.status_code == 400 and "PLOVER type" in got.text, url
    assert client.get("/api/events", params={"type": "natural_disaster"}).status_code == 200
    assert client.get("/api/events", params={"type": "aid"}).status_code == 200


def test_article_list_numbers_events_as_their_anchors(client):
    doc, html = _article(client, "tchad-refugies-aide.html")
    for e in doc["events"]:
        no = e["event_no"]
        assert f'<li id="event-{no}" value="{no}" class="doc-event' in html
    assert "location.hash" in client.get("/static/app.js").text


def test_serve_prints_an_ipv6_url_in_brackets(serve_db, monkeypatch):
    import socket

    import kibaru.serve

    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
            port = s.getsockname()[1]
    except OSError:
        pytest.skip("no IPv6 loopback here")
    started = {}
    monkeypatch.setattr(kibaru.serve, "serve", lambda config, host, port: started.update(
        host=host, port=port))
    for given in ("::1", "[::1]"):
        result = CliRunner().invoke(cli_app, ["serve", "--db", str(serve_db), "--host", given,
                                              "--port", str(port)])
        assert result.exit_code == 0, result.output
        assert f"on http://[::1]:{port}/ " in result.output
        assert started == {"host": "::1", "port": port}
