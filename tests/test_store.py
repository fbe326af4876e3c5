"""The DuckDB store (kibaru.store): migrations, idempotent ingest, versions, rejected inputs,
reprocess, DataFrame filters, the one-writer lock, and (slow) a kill -9 during a real
``kibaru ingest`` followed by the same command again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import kibaru
from conftest import ROOT, held_by_another_process
from kibaru.cli import app
from kibaru.errors import StoreError, UsageError
from kibaru.ingest import iter_inputs
from kibaru.store import LATEST, Corpus, Store, extractor_version, ingest, reprocess

# -- corpora ---------------------------------------------------------------------------------

#: Sentences in the wordings of tests/test_coding_kinds.py; ``{n}`` and ``{m}`` vary per
#: document so each document has its own content.
SENTENCES = [
    "Selon un porte-parole du ministère turc des Affaires étrangères, Ankara a livré {n} 000 "
    "tonnes de riz au Niger.",
    "La Chine a livré au Tchad {m} hélicoptères de combat et des munitions.",
    "Le FMI a décaissé {n} millions de dollars en faveur du Niger.",
    "Les Forces armées maliennes ont repris mardi le contrôle de Tessalit.",
    "Des jihadistes se sont emparés de la localité de Djibo, selon des habitants.",
    "Pékin a livré à Niamey {n} camions, selon des sources diplomatiques.",
    "La Banque africaine de développement a octroyé un prêt de {n} milliards de francs CFA au "
    "Burkina Faso.",
    "Washington a suspendu son assistance militaire au Niger.",
    "La CEDEAO a levé les sanctions imposées au Niger.",
    "Ouagadougou a reçu de Moscou {n} 000 tonnes de blé.",
    "Le marché central de Bamako a rouvert ses portes après {m} jours de travaux.",
]


def write_corpus(folder: Path, count: int) -> list[Path]:
    """``count`` small French articles (a headline and two or three sentences each; some
    without any event) in ``folder``, named ``doc-00.txt``..."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        picks = [SENTENCES[(i + k * 4) % len(SENTENCES)] for k in range(2 + i % 2)]
        if i % 7 == 0:
            picks = [SENTENCES[-1]]  # an article without events
        body = " ".join(s.format(n=10 + i, m=2 + i % 9) for s in picks)
        path = folder / f"doc-{i:02d}.txt"
        path.write_text(f"Dépêche numéro {i} de la rédaction\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("small")


def fresh_corpus(tmp_path: Path, count: int = 5) -> Path:
    folder = tmp_path / "corpus"
    write_corpus(folder, count)
    return folder


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                for t in ("documents", "events", "quantities", "removed")}
    finally:
        con.close()


def assert_consistent(db: Path) -> None:
    """No half-written document: each document's ``n_events`` is its number of event rows,
    each event's ``n_quantities`` its number of quantity rows, no orphan rows, no key stored
    twice at one version."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        bad_docs = con.execute(
            "SELECT d.document_pk, d.n_events, count(e.event_no) FROM documents d "
            "LEFT JOIN events e USING (document_pk) GROUP BY ALL "
            "HAVING d.n_events <> count(e.event_no)").fetchall()
        assert not bad_docs, bad_docs
        bad_events = con.execute(
            "SELECT e.document_pk, e.event_no, e.n_quantities FROM events e "
            "LEFT JOIN quantities q USING (document_pk, event_no) GROUP BY ALL "
            "HAVING e.n_quantities <> count(q.quantity_no)").fetchall()
        assert not bad_events, bad_events
        for table in ("events", "quantities", "removed"):
            orphans = con.execute(f"SELECT count(*) FROM {table} WHERE document_pk NOT IN "
                                  "(SELECT document_pk FROM documents)").fetchone()
            assert orphans == (0,), table
        dup = con.execute("SELECT source_key, version, count(*) FROM documents GROUP BY ALL "
                          "HAVING count(*) > 1").fetchall()
        assert not dup, dup
        dup_events = con.execute("SELECT document_pk, event_no FROM events GROUP BY ALL "
                                 "HAVING count(*) > 1").fetchall()
        assert not dup_events, dup_events
    finally:
        con.close()


# -- migrations ------------------------------------------------------------------------------

def test_migrations_apply_once_and_are_recorded(tmp_path):
    db = tmp_path / "k.duckdb"
    with Store(db) as store:
        assert store.migrations_applied == LATEST and store.schema_version == LATEST
    with Store(db) as store:
        assert store.migrations_applied == 0
        rows = store.con.execute("SELECT version, name FROM schema_migrations").fetchall()
        tables = {r[0] for r in store.con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
    assert [v for v, _ in rows] == list(range(1, LATEST + 1))
    assert {"documents", "events", "quantities", "removed", "latest_documents",
            "latest_events"} <= tables


def test_schema_of_another_version_is_refused(tmp_path):
    old = tmp_path / "old.duckdb"
    duckdb.connect(str(old)).close()  # an empty DuckDB file: schema version 0
    with pytest.raises(StoreError) as info:
        kibaru.open(old)
    assert info.value.code == "K404" and "kibaru migrate" in str(info.value)
    newer = tmp_path / "newer.duckdb"
    with Store(newer) as store:
        store.con.execute("INSERT INTO schema_migrations VALUES (999, 'future', now())")
    with pytest.raises(StoreError) as info:
        Store(newer)
    assert info.value.code == "K403"
    with pytest.raises(StoreError) as info:
        kibaru.open(tmp_path / "missing.duckdb")
    assert info.value.code == "K402" and "kibaru ingest" in str(info.value)


def test_duckdb_file_of_something_else_is_refused(tmp_path):
    """A DuckDB file with tables but no Kibaru schema is not a store of an old version: every
    command refuses it (exit 1, no traceback) and nothing is added to it."""
    foreign = tmp_path / "other.duckdb"
    with duckdb.connect(str(foreign)) as con:
        con.execute("CREATE TABLE t(x INT)")
    for opener in (kibaru.open, Store, lambda p: Store(p, read_only=True)):
        with pytest.raises(StoreError) as info:
            opener(foreign)
        assert info.value.code == "K402" and "not a Kibaru store" in str(info.value)
        assert "other tables: t" in str(info.value)
    (tmp_path / "in.txt").write_text(SENTENCES[2].format(n=1), encoding="utf-8")
    runner = CliRunner()
    for args in (["events"], ["events", "--format", "csv"], ["export", "--format", "acled-csv",
                 str(tmp_path / "out.csv")], ["stats"], ["migrate"], ["reprocess"],
                 ["ingest", str(tmp_path / "in.txt")]):
        r = runner.invoke(app, [*args, "--db", str(foreign)])
        assert r.exit_code == 1, (args, r.output)
        assert "not a Kibaru store (it holds other tables: t)" in r.output, args
        assert "Traceback" not in r.output and "older than" not in r.output
    assert not (tmp_path / "out.csv").exists()
    with duckdb.connect(str(foreign), read_only=True) as con:
        assert con.execute("SELECT table_name FROM information_schema.tables").fetchall() == [
            ("t",)]
    # an empty DuckDB file is still initialised; text files and folders are no DuckDB files
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    r = runner.invoke(app, ["migrate", "--db", str(empty)])
    assert r.exit_code == 0 and f"schema version {LATEST}" in r.output
    (tmp_path / "notes.txt").write_text("hello\n", encoding="utf-8")
    for bad in (tmp_path / "notes.txt", tmp_path):
        for args in (["events"], ["migrate"], ["stats"]):
            r = runner.invoke(app, [*args, "--db", str(bad)])
            assert r.exit_code == 1 and "K402" in r.output and "Traceback" not in r.output


# -- idempotence and versions ----------------------------------------------------------------

def test_reingest_adds_nothing(nlp, tmp_path):
    folder = fresh_corpus(tmp_path)
    db = tmp_path / "k.duckdb"
    with Store(db) as store:
        first = ingest(store, iter_inputs([str(folder)]), published="2024-02-01")
    before = counts(db)
    with Store(db) as store:
        again = ingest(store, iter_inputs([str(folder)]), published="2024-02-01")
    assert (first.read, first.new, first.unchanged) == (5, 5, 0)
    assert first.events == before["events"] > 0
    assert (again.read, again.new, again.new_versions, again.unchanged, again.events) == (
        5, 0, 0, 5, 0)
    assert counts(db) == before
    assert_consistent(db)


def test_changed_content_is_a_new_version_and_the_old_is_kept(nlp, tmp_path):
    folder = fresh_corpus(tmp_path, 3)
    db = tmp_path / "k.duckdb"
    with Store(db) as store:
        ingest(store, iter_inputs([str(folder)]))
    changed = folder / "doc-01.txt"
    changed.write_text("Le FMI a décaissé 99 millions de dollars en faveur du Niger.\n",
                       encoding="utf-8")
    with Store(db) as store:
        s = ingest(store, iter_inputs([str(folder)]))
    assert (s.read, s.new, s.new_versions, s.unchanged) == (3, 0, 1, 2)
    corpus = kibaru.open(db)
    every = corpus.documents(all_versions=True)
    versions = every[every.source_key == str(changed.resolve())].sort_values("version")
    assert list(versions.version) == [1, 2]
    assert "FMI" in versions.text.iloc[1] and "FMI" not in versions.text.iloc[0]
    latest = corpus.documents()
    assert len(latest) == 3 and set(latest.version) == {1, 2}
    new_events = corpus.events()
    assert new_events[new_events.source_key == str(changed.resolve())].type.tolist() == ["AID"]
    all_events = corpus.events(all_versions=True)
    assert len(all_events) > len(new_events)  # the old version's events are still stored
    assert_consistent(db)


def test_same_content_elsewhere_is_not_coded_twice(nlp, tmp_path):
    folder = fresh_corpus(tmp_path, 2)
    copy = tmp_path / "mirror" / "same.txt"
    copy.parent.mkdir()
    copy.write_bytes((folder / "doc-01.txt").read_bytes())
    db = tmp_path / "k.duckdb"
    with Store(db) as store:
        s = ingest(store, iter_inputs([str(folder), str(copy)]))
    assert (s.new, s.reused) == (3, 1)
    docs = kibaru.open(db).documents()
    original, mirrored = docs.iloc[1], docs.iloc[2]
    assert mirrored.copied_from == original.document_pk
    assert mirrored.n_events == original.n_events > 0
    events = kibaru.open(db).events()
    by_doc = events.groupby("document_pk").event_id.apply(list)
    assert by_doc[original.document_pk] == by_doc[mirrored.document_pk]
    assert_consistent(db)


def test_identity_rules(tmp_path, monkeypatch):
    import hashlib

    from kibaru.errors import InputError
    from kibaru.ingest import RawDoc
    from kibaru.store import content_hash, source_key

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_bytes(b"Le Mali.")
    (tmp_path / "w.jsonl").write_text("{}\n", encoding="utf-8")
    raw = RawDoc("a", "a.txt", "text", b"Le Mali.")
    assert source_key(raw) == str(tmp_path / "a.txt")  # absolute: cwd does not matter
    assert content_hash(raw) == hashlib.sha256(b"Le Mali.").hexdigest()  # as sha256sum
    line = RawDoc("x1", "w.jsonl:3", "text", "Le Mali.")
    assert source_key(line) == f"{tmp_path / 'w.jsonl'}#x1"  # by id, not by line number
    dated = RawDoc("x1", "w.jsonl:3", "text", "Le Mali.", published="2024-01-02")
    assert content_hash(dated) != content_hash(line)  # its own date changes what is coded
    web = RawDoc("u", "https://ex.org/a", "html", b"<p>x</p>", url="https://ex.org/a?x=1")
    assert source_key(web) == "https://ex.org/a"  # the URL as given, not after redirects
    piped = RawDoc("stdin", "-", "text", b"Le Mali.")
    assert source_key(piped) == f"stdin:{content_hash(piped)}"
    assert source_key(InputError("missing.txt", "no such file", code="K108")) == str(
        tmp_path / "missing.txt")


# -- rejected inputs -------------------------------------------------------------------------

def test_rejected_inputs_are_stored_with_their_reason(nlp, tmp_path, monkeypatch):
    import kibaru.ingest.readers as readers

    monkeypatch.setattr(readers, "MAX_BYTES", 2000)
    d = tmp_path / "bad"
    d.mkdir()
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    (d / "a_good.txt").write_text(SENTENCES[2].format(n=7), encoding="utf-8")
    (d / "b_binary.txt").write_bytes(png)
    (d / "c_empty.txt").write_bytes(b"  \n")
    (d / "d_english.txt").write_text("The army said on Monday it had retaken the town after "
                                     "two days of heavy fighting in the north.",
                                     encoding="utf-8")
    (d / "e_large.txt").write_text("Le Mali. " * 400, encoding="utf-8")
    (d / "f_nav.html").write_text("<html><head><title>x</title></head><body><nav>",
                                  encoding="utf-8")
    (d / "g_docs.jsonl").write_text('{not json\n' + json.dumps(
        {"id": "j2", "text": SENTENCES[3], "published": "2024-02-01"}) + "\n", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    with Store(db) as store:
        s = ingest(store, iter_inputs([str(d), str(tmp_path / "missing.txt")]))
    expected = {"binary": 1, "empty": 1, "not-french": 1, "too-large": 1, "no-text": 1,
                "malformed": 1, "unreadable": 1}
    assert dict(s.rejected) == expected
    assert (s.read, s.new) == (9, 9)
    corpus = kibaru.open(db)
    rejected = corpus.documents(status="rejected")
    assert rejected.reason.value_counts().to_dict() == expected
    assert set(rejected.error_code.dropna()) >= {"K101", "K102", "K103", "K106", "K108",
                                                  "K110"}
    binary = rejected[rejected.reason == "binary"].iloc[0]
    assert corpus.raw(int(binary.document_pk)) == png  # the raw input is kept
    english = rejected[rejected.reason == "not-french"].iloc[0]
    assert english.language == "en" and "retaken" in english.text
    ok = corpus.documents(status="ok")
    assert sorted(ok.doc_id) == ["a_good", "j2"]
    # a rejected input is not read twice either
    with Store(db) as store:
        again = ingest(store, iter_inputs([str(d), str(tmp_path / "missing.txt")]))
    assert (again.unchanged, again.new, sum(again.rejected.values())) == (9, 0, 0)


# -- reprocess -------------------------------------------------------------------------------

def test_reprocess_keeps_documents_and_rebuilds_events(nlp, tmp_path):
    folder = fresh_corpus(tmp_path, 4)
    (folder / "wire.jsonl").write_text(json.dumps(  # stored as text, with its own metadata
        {"id": "j1", "title": "Tessalit", "published": "2024-02-01", "text": SENTENCES[3]},
        ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    with Store(db) as store:
        ingest(store, iter_inputs([str(folder)]), published="2024-02-01")
    corpus = kibaru.open(db)
    before = corpus.events()[["document_pk", "event_no", "event_id", "type", "date_value"]]
    docs_before = corpus.documents()
    with Store(db) as store:  # as if an older coder had written the store
        store.con.execute("DELETE FROM events WHERE document_pk = 2")
        store.con.execute("DELETE FROM quantities WHERE document_pk = 2")
        store.con.execute("UPDATE documents SET extractor_version = 'old'")
        s = reprocess(store, outdated_only=True)
        assert reprocess(store, outdated_only=True).documents == 0  # nothing left outdated
    assert s.documents == 5 and s.status_changed == 0
    after = corpus.events()[["document_pk", "event_no", "event_id", "type", "date_value"]]
    assert after.equals(before)
    docs_after = corpus.documents()
    assert len(docs_after) == len(docs_before)
    assert list(docs_after.document_pk) == list(docs_before.document_pk)
    assert set(docs_after.extractor_version) == {extractor_version()}
    assert (docs_after.processed_at >= docs_before.processed_at).all()
    wire = corpus.events(all_versions=False)
    wire = wire[wire.doc_id == "j1"]
    assert [str(d)[:10] for d in wire.date_value] == ["2024-01-30"]  # the line's own date
    assert docs_after[docs_after.doc_id == "j1"].title.tolist() == ["Tessalit"]
    assert_consistent(db)


# -- queries ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def coded_db(nlp, tmp_path_factory) -> Path:
    """A store with four JSONL articles whose events the coder tests already pin."""
    d = tmp_path_factory.mktemp("coded")
    docs = [
        {"id": "tur", "published": "2023-06-01", "text":
         "Selon un porte-parole du ministère turc des Affaires étrangères, Ankara a livré "
         "12 000 tonnes de riz au Niger."},
        {"id": "fra", "published": "2023-09-15", "text":
         "Paris dément avoir fourni des armes aux rebelles touareg."},
        {"id": "mli", "published": "2024-02-01", "text":
         "Les Forces armées maliennes ont repris mardi le contrôle de Tessalit."},
        {"id": "imf", "published": "2024-03-10", "text":
         "Le FMI a décaissé 120 millions de dollars en faveur du Niger."},
    ]
    (d / "docs.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in docs)
                                  + "\n", encoding="utf-8")
    db = d / "k.duckdb"
    with Store(db) as store:
        ingest(store, iter_inputs([str(d / "docs.jsonl")]))
    return db


def test_events_dataframe_filters(coded_db):
    corpus = kibaru.open(coded_db)
    assert isinstance(corpus, Corpus)
    every = corpus.events()
    assert set(every.doc_id) == {"tur", "fra", "mli", "imf"}
    assert {"type", "actor_country", "recipient_country", "geonames_id", "lat", "lon",
            "date_value", "date_precision", "status", "acled_sub_event_type", "confidence",
            "trigger_start", "evidence_end", "extractor_version", "published",
            "source"} <= set(every.columns)

    def ids(**filters):
        return sorted(set(corpus.events(**filters).doc_id))

    assert ids(country="NER") == ["imf", "tur"]
    assert ids(country="mli") == ["mli"]  # actor or recipient; case-insensitive code
    assert ids(dyad="TUR-NER") == ["tur"] and ids(dyad="NER-TUR") == ["tur"]
    assert ids(dyad="NER-TUR", directed=True) == []
    assert ids(dyad="IGO-NER") == ["imf"]
    assert ids(type="AID") == ["fra", "imf", "tur"]
    assert ids(type=["AID", "COERCE"]) == ids(type="AID")
    assert ids(acled="Government regains territory") == ["mli"]
    assert ids(acled="battles") == ["mli"]  # the event type, case-insensitive
    assert ids(status="denied") == ["fra"]
    assert ids(status=["denied", "reported"]) == ["fra", "imf", "mli", "tur"]
    assert ids(since="2024-01-01") == ["imf", "mli"]
    assert ids(until="2023-12-31") == ["fra", "tur"]
    assert ids(since="2024-01-30", until="2024-01-30") == ["mli"]  # the event's own date
    assert ids(type="AID", country="NER", since="2024-01-01") == ["imf"]
    quantities = corpus.quantities(dyad="TUR-NER")
    assert quantities[["value", "unit", "kind"]].values.tolist() == [[12000.0, "t", "amount"]]
    with pytest.raises(UsageError) as info:
        corpus.events(dyad="Russie-Mali")
    assert info.value.code == "K311"
    with pytest.raises(UsageError):
        corpus.events(since="last week")


def test_documents_dataframe_and_store_queries(coded_db):
    docs = kibaru.open(coded_db).documents(include_text=False)
    assert "raw" not in docs.columns and "text" not in docs.columns
    assert list(docs.doc_id) == ["tur", "fra", "mli", "imf"]
    assert set(docs.status) == {"ok"} and (docs.n_events >= 1).all()
    assert str(docs.published.iloc[0])[:10] == "2023-06-01"
    with Store(coded_db) as store:  # the writer answers the same queries
        assert len(store.events(type="AID")) == 3
        assert len(kibaru.open(coded_db).events()) == len(store.events())  # same process


# -- the one-writer lock ---------------------------------------------------------------------

def test_a_store_locked_by_another_process_is_a_clear_error(tmp_path):
    db = tmp_path / "k.duckdb"
    Store(db).close()
    with held_by_another_process(db) as holder:
        with pytest.raises(StoreError) as info:
            Store(db)
        assert info.value.code == "K401"
        assert f"process {holder.pid}" in str(info.value) and "--db" in str(info.value)
        with pytest.raises(StoreError) as info:
            kibaru.open(db).events()
        assert info.value.code == "K401"
        result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--db", str(db)])
        assert result.exit_code == 1 and "K401" in result.output


def test_cli_usage_errors(tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "k.duckdb"),
                            "--published", "2024-13-45"])
    assert r.exit_code == 2 and "not a date" in r.output
    r = runner.invoke(app, ["reprocess", "--db", str(tmp_path / "none.duckdb")])
    assert r.exit_code == 2 and "no store" in r.output
    r = runner.invoke(app, ["migrate", "--db", str(tmp_path / "m.duckdb")])
    assert r.exit_code == 0 and f"schema version {LATEST}" in r.output


# -- end to end in subprocesses (slow) ---------------------------------------------------------

KIBARU = [sys.executable, "-m", "kibaru.cli"]


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONWARNINGS="ignore")


@pytest.mark.slow
def test_cli_ingest_prints_the_summary(tmp_path):
    folder = fresh_corpus(tmp_path, 3)
    (folder / "z_binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    db = tmp_path / "k.duckdb"
    p = subprocess.run([*KIBARU, "ingest", str(folder), "--db", str(db), "--published",
                        "2024-02-01"], capture_output=True, text=True, env=_env(),
                       timeout=300, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    lines = dict(line.split(None, 1) if not line.startswith("new versions") else
                 ("new versions", line[len("new versions"):].strip())
                 for line in p.stdout.splitlines())
    assert lines["read"].strip() == "4" and lines["new"].strip() == "4"
    assert lines["rejected"].strip() == "1  (binary 1)"
    assert lines["unchanged"].strip() == "0" and lines["new versions"] == "0"
    assert int(lines["events"]) > 0 and str(db) in lines["store"]
    assert "\x1b[" not in p.stderr  # no progress bar when stderr is not a terminal
    p = subprocess.run([*KIBARU, "ingest", str(folder), "--db", str(db), "--json"],
                       capture_output=True, text=True, env=_env(), timeout=300, cwd=ROOT)
    summary = json.loads(p.stdout)
    assert (summary["read"], summary["unchanged"], summary["events"]) == (4, 4, 0)


@pytest.mark.slow
def test_kill_9_during_ingest_then_the_same_command_again(nlp, tmp_path):
    total, kill_after = 40, 12
    folder = tmp_path / "corpus"
    write_corpus(folder, total)
    db = tmp_path / "k.duckdb"
    command = [*KIBARU, "ingest", str(folder), "--db", str(db), "--published", "2024-02-01",
               "--verbose"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env=_env(), cwd=ROOT)
    assert proc.stderr is not None
    stored = 0
    deadline = time.monotonic() + 240
    while stored < kill_after and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        stored += line.startswith("kibaru: new ")  # printed once the document is committed
    assert stored == kill_after, f"ingest ended early (rc={proc.poll()})"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    # what survived the kill: whole documents only
    assert_consistent(db)
    survived = counts(db)["documents"]
    assert kill_after <= survived < total

    again = subprocess.run([*command[:-1], "--json"], capture_output=True, text=True,
                           env=_env(), timeout=300, cwd=ROOT)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert summary["read"] == total
    assert (summary["unchanged"], summary["new"], summary["new_versions"]) == (
        survived, total - survived, 0)

    assert_consistent(db)
    corpus = kibaru.open(db)
    docs = corpus.documents(all_versions=True)
    assert len(docs) == total and docs.source_key.is_unique and set(docs.version) == {1}
    assert sorted(docs.doc_id) == [f"doc-{i:02d}" for i in range(total)]
    assert (docs.status == "ok").all()

    # nothing lost: the same events as one uninterrupted run
    clean_db = tmp_path / "clean.duckdb"
    with Store(clean_db) as store:
        ingest(store, iter_inputs([str(folder)]), published="2024-02-01")
    ref = kibaru.open(clean_db).events()
    got = corpus.events()
    key = ["doc_id", "event_no", "event_id", "type", "actor_country", "recipient_country"]
    assert len(got) == len(ref) > total // 2
    assert (got[key].sort_values(key).reset_index(drop=True)
            .equals(ref[key].sort_values(key).reset_index(drop=True)))
    with_events = docs[docs.n_events > 0]
    assert set(got.document_pk) == set(with_events.document_pk)
