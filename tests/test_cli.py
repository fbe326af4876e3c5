"""`kibaru extract` end to end in a subprocess, as users and the acceptance checker run it
(CONTRACT.md: formats, exit status, bad inputs named on stderr while the others still print)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, shared_dir

pytestmark = pytest.mark.slow

KIBARU = [sys.executable, "-m", "kibaru.cli"]
GOOD = "Le Japon a octroyé 2,3 millions de dollars et 12 500 tonnes de riz au Tchad."


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.run([*KIBARU, *args], input=stdin.decode() if stdin else None,
                          capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A folder with one good document of each kind and one bad input of each kind."""
    d = tmp_path_factory.mktemp("corpus")
    (d / "a_good.txt").write_text(GOOD, encoding="utf-8")
    (d / "b_cp1252.txt").write_bytes(
        "Les autorités de Ménaka ont reçu 50 tonnes de riz de la Croix-Rouge, a annoncé le "
        "gouverneur ; la main-d’œuvre est payée 2 € par jour.".encode("cp1252"))
    (d / "c_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (d / "d_empty.txt").write_bytes(b"")
    (d / "e_truncated.html").write_text("<html><head><title>Coupé</title></head><body><nav>",
                                        encoding="utf-8")
    (d / "f_english.txt").write_text("The army said on Monday it had retaken the town after "
                                     "two days of heavy fighting in the north.", encoding="utf-8")
    lines = [json.dumps({"id": "j1", "text": GOOD, "published": "2024-02-01"}),
             "{not json",
             json.dumps({"id": "j3", "html": "<html><body><article><p>Le Programme alimentaire "
                         "mondial a acheminé 300 tonnes de vivres à Gao.</p></article></body>"
                         "</html>"})]
    (d / "g_docs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


def test_folder_with_bad_inputs(corpus):
    p = run("extract", "--format", "jsonl", str(corpus))
    assert p.returncode == 1, p.stderr
    docs = [json.loads(line) for line in p.stdout.splitlines()]
    ids = [d["document"]["id"] for d in docs]
    assert ids == ["a_good", "b_cp1252", "f_english", "j1", "j3"]
    for name, reason in (("c_binary.txt", "binary"), ("d_empty.txt", "empty"),
                         ("e_truncated.html", "no article text"), ("g_docs.jsonl:2", "malformed")):
        line = next((ln for ln in p.stderr.splitlines() if name in ln), "")
        assert reason in line, p.stderr
    assert "Traceback" not in p.stderr
    by_id = {d["document"]["id"]: d for d in docs}
    assert by_id["f_english"]["document"]["language"] == "en"
    assert by_id["f_english"]["events"] == []
    assert "œuvre" in by_id["b_cp1252"]["document"]["text"]
    assert "€" in by_id["b_cp1252"]["document"]["text"]
    assert by_id["j1"]["document"]["published"] == "2024-02-01"
    assert any(e["type"] == "AID" for e in by_id["j3"]["events"])


def test_json_single_object_and_list(corpus):
    one = run("extract", "--format", "json", str(corpus / "a_good.txt"))
    assert one.returncode == 0
    doc = json.loads(one.stdout)
    assert doc["schema"] == "kibaru.document/1"
    (event,) = [e for e in doc["events"] if e["type"] == "AID"]
    assert {q["unit"] for q in event["quantities"]} == {"USD", "t"}
    two = run("extract", "--format", "json", str(corpus / "a_good.txt"),
              str(corpus / "b_cp1252.txt"))
    assert isinstance(json.loads(two.stdout), list)


def test_stdin_and_published():
    p = run("extract", "--format", "jsonl", "--published", "2024-05-16", "-",
            stdin="Mardi dernier, des hommes armés ont attaqué le poste de gendarmerie de Djibo, "
                  "tuant cinq gendarmes.".encode())
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["document"]["source"] == "-"
    (event,) = doc["events"]
    assert event["date"]["value"] == "2024-05-14"


def test_table_and_summary(corpus):
    p = run("extract", "--format", "table", str(corpus / "a_good.txt"))
    assert p.returncode == 0
    assert "AID" in p.stdout and "1 document, 1 event (AID 1)" in p.stdout


@pytest.mark.parametrize("args", [
    ["extract", "--format", "xml", "x.txt"],
    ["extract", "--published", "16/05/2024", "x.txt"],
    ["extract"],
    ["nonsense"],
])
def test_bad_usage_exits_2(args):
    p = run(*args)
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert "Traceback" not in p.stderr


def test_missing_file_exits_1():
    p = run("extract", "--format", "jsonl", "does-not-exist.txt")
    assert p.returncode == 1
    assert "does-not-exist.txt" in p.stderr and "no such file" in p.stderr


def test_help_has_examples():
    p = run("extract", "--help")
    assert p.returncode == 0
    assert "kibaru extract article.txt" in p.stdout


def test_seed_article():
    seed = shared_dir("seed", "000_0bbe2dc6f523829c.txt")
    p = run("extract", "--format", "json", str(seed))
    assert p.returncode == 0
    doc = json.loads(p.stdout)
    assert "LIRE AUSSI" not in doc["document"]["text"]
    assert doc["document"]["removed"][0]["reason"] == "related-link"
    aid = [e for e in doc["events"] if e["type"] == "AID" and e["quantities"]]
    assert len(aid) == 1
    kinds = sorted((q["value"], q["kind"]) for q in aid[0]["quantities"])
    assert kinds == [(22000, "cumulative"), (25000, "amount"), (50000, "cumulative")]
    assert aid[0]["attribution"]["name"] == "Maria Zakharova"
