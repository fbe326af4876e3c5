"""Hostile inputs: every bad input is named on stderr with its reason (no traceback), the run
goes on with the other documents, and the exit status follows CONTRACT.md (0 all read, 1 some
input unreadable, 2 bad usage). Fast tests run the CLI in-process and never load spaCy (the
documents they print are not French, or coding is stubbed)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kibaru import pipeline
from kibaru.cli import app
from kibaru.errors import InputError
from kibaru.ingest import MAX_BYTES, RawDoc, decode_bytes, iter_inputs
from kibaru.model import Result

EN = ("The army said on Monday it had retaken the town after two days of heavy fighting in "
      "the north, and the United States sent five hundred tons of wheat to the region.")
FR = ("Le Japon a octroyé 2,3 millions de dollars et 12 500 tonnes de riz au Tchad, a annoncé "
      "mardi l'ambassadeur à N'Djamena.")
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def cli(*args: str, stdin: bytes | None = None):
    result = CliRunner().invoke(app, ["extract", *args], input=stdin)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    return result


def ids(stdout: str) -> list[str]:
    return [json.loads(line)["document"]["id"] for line in stdout.splitlines()]


def err_line(stderr: str, name: str) -> str:
    return next((ln for ln in stderr.splitlines() if name in ln), "")


# --------------------------------------------------------------------------- usage (exit 2)
@pytest.mark.parametrize("value", ["2024-13-45", "2024-02-30", "hier", "2024-1-5"])
def test_bad_published_is_usage_error(tmp_path: Path, value: str) -> None:
    (tmp_path / "a.txt").write_text(EN, "utf-8")
    r = cli("--published", value, str(tmp_path / "a.txt"))
    assert r.exit_code == 2
    assert value in r.stderr and "YYYY-MM-DD" in r.stderr
    assert r.stdout == ""


def test_bad_format_and_no_argument_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(EN, "utf-8")
    assert cli("--format", "xml", str(tmp_path / "a.txt")).exit_code == 2
    assert cli().exit_code == 2


# --------------------------------------------------------------- bad files among good ones
def test_bad_files_are_named_and_the_others_still_print(tmp_path: Path) -> None:
    (tmp_path / "a_binary.txt").write_bytes(BINARY)
    (tmp_path / "b_binary.html").write_bytes(BINARY)
    (tmp_path / "c_binary.jsonl").write_bytes(BINARY)
    (tmp_path / "d_empty.txt").write_bytes(b"")
    (tmp_path / "e_blank.txt").write_text(" \n\t\u00a0\u3000\n", "utf-8")
    (tmp_path / "f_head_only.html").write_text("<html><head><title>Aide</title></head>", "utf-8")
    (tmp_path / "g_cut.html").write_text('<html><body><article><p class="intro', "utf-8")
    (tmp_path / "h_english.txt").write_text(EN, "utf-8")
    r = cli("--format", "jsonl", str(tmp_path))
    assert r.exit_code == 1
    assert ids(r.stdout) == ["h_english"]
    for name, reason in (("a_binary.txt", "binary"), ("b_binary.html", "binary"),
                         ("c_binary.jsonl", "binary"), ("d_empty.txt", "empty"),
                         ("e_blank.txt", "empty"), ("f_head_only.html", "no article text"),
                         ("g_cut.html", "no article text")):
        assert reason in err_line(r.stderr, name), r.stderr


def test_file_over_the_limit_is_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 10)  # sparse: nothing is written, nothing should be read
    (item,) = list(iter_inputs([str(big)]))
    assert isinstance(item, InputError) and item.code == "K103"
    assert str(MAX_BYTES + 10) in str(item) and str(big) in str(item)


def test_stdin_empty_binary_and_oversized() -> None:
    r = cli("-", stdin=b"")
    assert r.exit_code == 1 and "-: empty" in r.stderr
    r = cli("-", stdin=BINARY)
    assert r.exit_code == 1 and "-: binary" in r.stderr
    r = cli("-", stdin=b"a " * (MAX_BYTES // 2 + 10))
    assert r.exit_code == 1 and "too large" in r.stderr


# ------------------------------------------------------------------------------- JSONL
def test_jsonl_bad_lines_cost_one_line_each(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": EN}).encode(),
        b"{pas du json",
        json.dumps([1, 2, 3]).encode(),
        json.dumps({"id": "n", "text": 42}).encode(),
        b'{"id": "latin1", "text": "caf\xe9"}',  # not UTF-8: this line only
        b'{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",  # RecursionError in json
        b'{"id": "big", "n": 1' + b"0" * 5000 + b"}",  # int over the digit limit
        json.dumps({"id": "ok2", "text": EN, "published": "2024-13-45"}).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    r = cli("--format", "jsonl", str(path))
    assert r.exit_code == 1
    assert ids(r.stdout) == ["ok1", "ok2"]
    for line, reason in ((2, "malformed"), (3, "must be an object"), (4, '"text" or "html"'),
                         (5, "not UTF-8"), (6, "nested too deeply"), (7, "malformed")):
        assert reason in err_line(r.stderr, f"{path}:{line}:"), r.stderr
    assert f"{path}:8: published '2024-13-45' is not an ISO date" in r.stderr


def test_jsonl_line_separators_inside_strings_do_not_split_lines(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    text = "Le Mali a reçu\u2028 du riz\u0085 du Japon\x1c hier."
    path.write_text(json.dumps({"id": "a", "text": text}, ensure_ascii=False) + "\n", "utf-8")
    items = list(iter_inputs([str(path)]))
    assert [(type(i).__name__, getattr(i, "data", None)) for i in items] == [("RawDoc", text)]


def test_jsonl_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text('{"id": "a\\ud800", "text": "Le Japon \\udc00 a livré du riz."}\n', "utf-8")
    (doc,) = list(iter_inputs([str(path)]))
    assert isinstance(doc, RawDoc)
    assert (doc.id, doc.data) == ("a\ufffd", "Le Japon \ufffd a livré du riz.")
    doc.data.encode("utf-8")


def test_utf16_jsonl_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_bytes(json.dumps({"id": "a", "text": "Été"}, ensure_ascii=False).encode("utf-16"))
    (item,) = list(iter_inputs([str(path)]))
    assert isinstance(item, InputError) and item.code == "K105" and "UTF-16" in str(item)


# ------------------------------------------------------------------ encodings and charsets
def test_wrong_declared_utf16_charset_falls_back_to_detection() -> None:
    page = ("<html><head><meta charset='utf-16'></head><body><p>" + FR + "</p></body></html>"
            ).replace("’", "'").encode("cp1252")
    text, name = decode_bytes(page, "page.html", declared="utf-16")
    assert name == "cp1252" and "octroyé" in text


# --------------------------------------------------------------------- paths and folders
def test_symlink_loop_and_broken_link_are_named(tmp_path: Path) -> None:
    os.symlink(tmp_path / "b", tmp_path / "a")
    os.symlink(tmp_path / "a", tmp_path / "b")
    os.symlink(tmp_path / "absent", tmp_path / "broken.txt")
    items = list(iter_inputs([str(tmp_path / "a"), str(tmp_path / "broken.txt"),
                              str(tmp_path / "nothing.txt")]))
    assert [str(i) for i in items] == [
        f"[K108] {tmp_path / 'a'}: symbolic link loop",
        f"[K108] {tmp_path / 'broken.txt'}: broken symbolic link (its target is missing)",
        f"[K108] {tmp_path / 'nothing.txt'}: no such file or folder"]


def test_folder_reports_broken_links_and_does_not_follow_folder_links(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(EN, "utf-8")
    os.symlink(tmp_path / "absent", tmp_path / "b.txt")
    os.symlink(tmp_path, tmp_path / "self")
    items = list(iter_inputs([str(tmp_path)]))
    assert [type(i).__name__ for i in items] == ["RawDoc", "InputError"]
    assert "broken symbolic link" in str(items[1])


def _deny(monkeypatch, locked: Path) -> None:
    """Make ``locked`` (a folder or file) unreadable, as chmod 000 does for a non-root user."""
    real_scandir, real_open = os.scandir, Path.open

    def scandir(path=".", *a, **kw):
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path, *a, **kw)

    def open_(self, *a, **kw):
        if self == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *a, **kw)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "open", open_)


def test_unreadable_subfolder_is_named_and_the_walk_goes_on(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.txt").write_text(EN, "utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.txt").write_text(EN, "utf-8")
    (tmp_path / "z.txt").write_text(EN, "utf-8")
    _deny(monkeypatch, tmp_path / "locked")
    items = list(iter_inputs([str(tmp_path)]))
    assert [type(i).__name__ for i in items] == ["RawDoc", "InputError", "RawDoc"]
    assert str(items[1]) == f"[K108] {tmp_path / 'locked'}: cannot read folder (Permission denied)"


def test_unreadable_folder_and_file_say_permission_denied(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.txt").write_text(EN, "utf-8")
    (tmp_path / "secret.txt").write_text(EN, "utf-8")
    _deny(monkeypatch, tmp_path / "locked")
    (item,) = list(iter_inputs([str(tmp_path / "locked")]))
    assert "cannot read folder (Permission denied)" in str(item)
    monkeypatch.undo()
    _deny(monkeypatch, tmp_path / "secret.txt")
    (item,) = list(iter_inputs([str(tmp_path / "secret.txt")]))
    assert "cannot read file (Permission denied)" in str(item)


def test_path_with_spaces_accents_and_undecodable_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "dossier avec espaces é"
    folder.mkdir()
    (folder / "article été ñ.txt").write_text(EN, "utf-8")
    raw = os.fsencode(folder) + b"/caf\xe9.txt"
    with open(raw, "wb") as f:
        f.write(EN.encode())
    r = cli("--format", "jsonl", str(folder))
    assert r.exit_code == 0, r.stderr
    docs = [json.loads(line)["document"] for line in r.stdout.splitlines()]
    assert sorted(d["id"] for d in docs) == ["article été ñ", "caf\ufffd"]
    r.stdout.encode("utf-8")


# ------------------------------------------------------------------------------ pipeline
def test_overlong_lines_are_cut_into_blocks_spacy_accepts() -> None:
    sentence = "Le Japon a livré du riz au Tchad selon le ministre. "
    line = sentence * (1_050_000 // len(sentence))
    words = "riz " * 30_000  # no sentence end at all
    text = f"Titre\n{line}\n{words}"
    blocks = pipeline.blocks_of(text)
    assert all(len(b) <= pipeline.MAX_BLOCK < 1_000_000 for _, b in blocks)
    assert all(text[o:o + len(b)] == b for o, b in blocks)
    assert "".join(b for _, b in blocks) == text.replace("\n", "")
    assert all(b.endswith(". ") for _, b in pipeline.blocks_of(line))
    assert all(b.endswith("riz ") for _, b in pipeline.blocks_of(words))


def test_a_coding_crash_costs_one_document(monkeypatch) -> None:
    raws = [RawDoc("a", "a.txt", "text", FR), RawDoc("b", "b.txt", "text", FR),
            RawDoc("c", "c.txt", "text", FR)]

    def fake(cleaned, nlp):
        if cleaned.id == "b":
            raise ValueError("[E088] Text of length 1200000 exceeds maximum of 1000000")
        return Result(pipeline._document(cleaned), ())

    monkeypatch.setattr(pipeline, "get_pipeline", lambda model: object())
    monkeypatch.setattr(pipeline, "process_clean", fake)
    out = list(pipeline.process(raws))
    assert [type(o).__name__ for o in out] == ["Result", "InputError", "Result"]
    assert out[1].code == "K111" and "b.txt" in str(out[1]) and "E088" in str(out[1])
    assert isinstance(out[1].__cause__, ValueError)


@pytest.mark.slow
def test_long_line_without_breaks_is_coded_with_exact_offsets(code) -> None:
    sentence = ("Le Japon a octroyé 12 500 tonnes de riz au Tchad, a annoncé l'ambassadeur. "
                "Des soldats ont attaqué Kidal mardi. ")
    text = sentence * (2 * pipeline.MAX_BLOCK // len(sentence) + 5)
    result = code(text, published="2024-05-16")
    doc = result.document
    assert len(pipeline.blocks_of(doc.text)) >= 3
    assert result.events
    for e in result.events:
        for span in (e.trigger, e.evidence):
            assert doc.text[span.start:span.end] == span.text


# --------------------------------------------------------------------------- mixed encoding
def test_utf8_with_a_stray_latin1_byte_is_read_and_warned(tmp_path: Path) -> None:
    from kibaru.ingest import MIXED_UTF8

    data = "Des hommes armés ont attaqué ".encode() + b"l\xe9glise de Gao."
    text, name = decode_bytes(data, "mixed.txt")
    assert (name, text) == (MIXED_UTF8, "Des hommes armés ont attaqué léglise de Gao.")
    path = tmp_path / "mixed.txt"
    path.write_bytes(data)
    result = cli(str(path))
    assert result.exit_code == 0
    doc = json.loads(result.stdout.splitlines()[0])["document"]
    assert any("mixed encoding" in w for w in doc["warnings"])
    assert "mixed encoding" in err_line(result.stderr, "mixed.txt")
    # a whole Latin-1 file is still detected as such, with no warning
    text, name = decode_bytes("L'armée a repris Ménaka.".encode("latin-1"), "latin.txt")
    assert text == "L'armée a repris Ménaka." and name != MIXED_UTF8


# --------------------------------------------------------------------------- bad outputs
@pytest.mark.parametrize("command", [
    ["export", "--format", "acled-csv", "{missing}/x.csv"],
    ["export", "--format", "parquet", "{missing}/x.parquet"],
    ["events", "--format", "parquet", "--out", "{missing}/x.parquet"],
    ["reviews", "export", "{missing}/r.jsonl"],
    ["export", "--format", "plover-jsonl", "{folder}"],
])
def test_unwritable_output_is_one_clear_error(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "k.duckdb"
    src = tmp_path / "a.txt"
    src.write_text("Des hommes armés ont tué trois soldats près de Gao.", encoding="utf-8")
    assert CliRunner().invoke(app, ["ingest", str(src), "--db", str(db)]).exit_code == 0
    args = [a.format(missing=tmp_path / "no" / "such", folder=tmp_path) for a in command]
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exit_code != 0
    assert "K315" in result.stderr and "cannot write" in result.stderr, result.stderr
    assert not any(p.name.startswith(".") and ".tmp-" in p.name for p in tmp_path.iterdir())


def test_a_store_path_that_is_no_duckdb_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text('{"a": 1}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["events", "--db", str(path)])
    assert result.exit_code != 0 and "Traceback" not in result.stderr
    assert "K402" in result.stderr and "not a DuckDB file" in result.stderr, result.stderr
    assert path.read_text(encoding="utf-8") == '{"a": 1}\n'  # left as it was


def test_jsonl_control_character_message_reads_well(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"id": "a", "text": "deux\x01mots"}\n')
    result = cli(str(path))
    line = err_line(result.stderr, "bad.jsonl")
    assert "K106" in line and "Invalid control character, column" in line, line
