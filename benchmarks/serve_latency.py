"""Latency of `kibaru serve`: p50/p95 of its pages and API on synthetic stores.

Builds stores of 10 000 and 1 000 000 events (synthetic rows inserted with DuckDB SQL, ten
events per document, a quantity for every third event, some reviews), serves each with
uvicorn in this process and times sequential requests with httpx (a warm-up round first).
Targets: p95 < 100 ms at 10k events, < 500 ms at 1M.

    .venv/bin/python benchmarks/serve_latency.py                 # both sizes
    .venv/bin/python benchmarks/serve_latency.py --sizes 10000 --rounds 30
    .venv/bin/python benchmarks/serve_latency.py --json          # one JSON object
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import duckdb

warnings.simplefilter("ignore")

from kibaru.serve import ServeConfig, serving  # noqa: E402
from kibaru.store import Store  # noqa: E402
from kibaru.store.reviews import ReviewStore  # noqa: E402

TARGETS = {10_000: 0.100, 1_000_000: 0.500}

_TYPES = ("AID", "ASSAULT", "CONSULT", "AGREE", "ACCUSE", "COERCE", "PROTEST", "SUPPORT",
          "MOBILIZE", "RETREAT", "SANCTION", "REQUEST", "REJECT", "THREATEN", "COOPERATE",
          "CONCEDE")
_COUNTRIES = ("MLI", "RUS", "FRA", "NER", "BFA", "TCD", "SEN", "CIV", "USA", "TUR", "UNO", "EUR",
              "DZA", "GIN", "NGA", "MRT")
_PLACES = (("Bamako", 12.65, -8.0), ("Kidal", 18.44, 1.41), ("Niamey", 13.51, 2.11),
           ("Ouagadougou", 12.37, -1.53), ("Gao", 16.27, -0.04), ("Dakar", 14.69, -17.44),
           ("Abidjan", 5.36, -4.01), ("N'Djamena", 12.11, 15.04), ("Agadez", 16.97, 7.99),
           ("Tombouctou", 16.77, -3.01))

_TEXT = ("Bamako, le 3 juin. La Russie a livré 25 000 tonnes de blé au Mali, a annoncé le "
         "gouvernement. Le ministre s'est rendu à Kidal où des affrontements ont fait 12 morts "
         "selon l'armée. ")


def _list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def build_store(path: Path, n_events: int) -> None:
    """A store of ``n_events`` synthetic events (10 per document), built with SQL."""
    with Store(path):
        pass
    n_docs = max(1, n_events // 10)
    con = duckdb.connect(str(path))
    types, countries = _list(_TYPES), _list(_COUNTRIES)
    places = "[" + ", ".join(f"{{'name': '{n.replace(chr(39), chr(39) * 2)}', 'lat': {la}, "
                             f"'lon': {lo}}}" for n, la, lo in _PLACES) + "]"
    con.execute("BEGIN TRANSACTION")
    con.execute(f"""
        INSERT INTO documents (document_pk, source_key, version, doc_id, source, url, kind,
            content_hash, raw, raw_bytes, raw_is_text, text, title, published, language,
            warnings, status, n_events, extractor_version, ingested_at, processed_at)
        SELECT i + 1, 'https://example.org/a/' || i, 1, 'doc-' || i,
               'https://example.org/a/' || i, 'https://example.org/a/' || i, 'txt',
               sha256('doc' || i), NULL, 0, true, ? || ' (' || i || ')', 'Article ' || i,
               DATE '2020-01-01' + CAST(i % 1800 AS INTEGER), 'fr', [], 'ok', 10, 'bench',
               now()::TIMESTAMP, now()::TIMESTAMP
        FROM range({n_docs}) t(i)""", [_TEXT])
    con.execute(f"""
        INSERT INTO events
        SELECT doc + 1 AS document_pk, no AS event_no, substr(md5('ev' || i), 1, 16),
               {types}[1 + (hash(i) % 16)::INTEGER], NULL, ['military'], NULL,
               'la Russie', 'Russia', {countries}[1 + (hash(i + 1) % 16)::INTEGER], 'GOV', 13, 22,
               '[]', 'au Mali', 'Mali', {countries}[1 + (hash(i + 2) % 16)::INTEGER], 'GOV',
               62, 69, '[]',
               p.name, p.name, 1, 'MLI', p.lat + (hash(i + 3) % 100) / 100.0,
               p.lon + (hash(i + 4) % 100) / 100.0, 'city', 0, 6,
               'le 3 juin', DATE '2020-01-01' + CAST((hash(i + 5) % 1800) AS INTEGER), 'day',
               10, 19, NULL, NULL, NULL, NULL, NULL, NULL, 'reported', NULL, NULL, 0.8,
               'a livré', 23, 30, 'La Russie a livré 25 000 tonnes de blé au Mali', 10, 76,
               CASE WHEN i % 3 = 0 THEN 1 ELSE 0 END, 'bench',
               '{{"type": "AID", "trigger": {{"text": "a livré", "start": 23, "end": 30}}}}'
        FROM (SELECT i, i // 10 AS doc, i % 10 AS no,
                     {places}[1 + (hash(i + 6) % {len(_PLACES)})::INTEGER] AS p
              FROM range({n_events}) t(i))""")
    con.execute(f"""
        INSERT INTO quantities
        SELECT i // 10 + 1, i % 10, 0, substr(md5('ev' || i), 1, 16), '25 000 tonnes de blé',
               1000 + hash(i) % 50000, 't', 'blé',
               CASE WHEN i % 9 = 0 THEN 'cumulative' ELSE 'amount' END, false, NULL, 31, 51
        FROM range({n_events}) t(i) WHERE i % 3 = 0""")
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    ids = [r[0] for r in con.execute("SELECT event_id FROM events LIMIT 50").fetchall()]
    con.close()
    reviews = ReviewStore(path)
    for k, eid in enumerate(ids):
        reviews.add(event_id=eid, action=("confirm", "correct", "reject")[k % 3],
                    reviewer="bench", patch={"type": "COERCE"} if k % 3 == 1 else None)


def urls(db: Path) -> dict[str, str]:
    """What is timed: name → path."""
    con = duckdb.connect(str(db), read_only=True)
    eid, pk = con.execute("SELECT event_id, document_pk FROM events "
                          "ORDER BY document_pk DESC LIMIT 1").fetchone() or ("", 1)
    con.close()
    return {
        "page /events": "/events",
        "page /events filtered+sorted": "/events?country=MLI&type=AID&sort=type&order=asc",
        "page /events free text": "/events?q=kidal&since=2023-01-01",
        "page /events page 50": "/events?page=50",
        "page /documents/N": f"/documents/{pk}",
        "page /events/ID (review)": f"/events/{eid}",
        "page /dyads/RUS-MLI": "/dyads/RUS-MLI",
        "page /map": "/map",
        "api /api/events": "/api/events",
        "api /api/events dyad+dates": "/api/events?dyad=RUS-MLI&since=2022-01-01",
        "api /api/events/ID": f"/api/events/{eid}",
        "api /api/documents/N": f"/api/documents/{pk}",
        "api /api/dyads/RUS-MLI": "/api/dyads/RUS-MLI",
        "api /api/map zoom 3": "/api/map?zoom=3",
    }


def measure(db: Path, rounds: int) -> dict[str, dict[str, float]]:
    """p50 and p95 (seconds) of each URL over ``rounds`` sequential requests."""
    import httpx

    out: dict[str, dict[str, float]] = {}
    with serving(ServeConfig(db=str(db))) as base:
        with httpx.Client(base_url=base, timeout=120) as client:
            for name, path in urls(db).items():
                got = client.get(path)
                if got.status_code != 200:
                    raise SystemExit(f"{name}: HTTP {got.status_code}: {got.text[:300]}")
                times = []
                for _ in range(rounds):
                    start = time.perf_counter()
                    got = client.get(path)
                    times.append(time.perf_counter() - start)
                times.sort()
                p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
                out[name] = {"p50": statistics.median(times), "p95": p95}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report: dict[str, object] = {}
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            db = Path(tmp) / f"bench-{size}.duckdb"
            start = time.perf_counter()
            build_store(db, size)
            built = time.perf_counter() - start
            results = measure(db, args.rounds)
            worst = max(r["p95"] for r in results.values())
            target = TARGETS.get(size)
            passed = target is None or worst < target
            ok = ok and passed
            report[str(size)] = {"build_seconds": round(built, 2), "worst_p95": worst,
                                 "target": target, "passed": passed, "results": results}
            if not args.json:
                print(f"\n{size:,} events (store built in {built:.1f} s; target p95 < "
                      f"{target * 1000 if target else float('nan'):.0f} ms)")
                print(f"  {'what':<32}{'p50 ms':>9}{'p95 ms':>9}")
                for name, r in results.items():
                    print(f"  {name:<32}{r['p50'] * 1000:>9.1f}{r['p95'] * 1000:>9.1f}")
                print(f"  worst p95 {worst * 1000:.1f} ms: {'PASS' if passed else 'FAIL'}")
    if args.json:
        print(json.dumps(report, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
