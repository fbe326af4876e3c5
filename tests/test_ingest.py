"""Tests for the ingest stage: byte decoding (kibaru.ingest.decode) and input expansion
(kibaru.ingest.readers). Every input is generated here; no network, no spaCy model."""

from __future__ import annotations

import codecs
import json
import random
from pathlib import Path

import pytest

from kibaru.errors import InputError, KibaruError
from kibaru.ingest import MAX_BYTES, RawDoc, decode_bytes, iter_inputs
from kibaru.ingest.decode import looks_binary

# French texts written for these tests: accents, ligatures, typographic apostrophe and quotes,
# the euro sign; short ones are where charset-normalizer used to pick cp1250 for cp1252 bytes.
SHORT_FRENCH = [
    "Déjà à Gao.",
    "L’œuvre coûte 5 €.",
    "« Non », a-t-il dit.",
    "Le cœur de Ségou",
    "Ménaka, l’été",
    "Leçon d’État",
    "Noël à Kidal",
    "Où est la Côte d’Ivoire ?",
    "“Oui” — dit-il…",
    "Un bœuf, 50 m² et ça",
    "à",
    "é",
    "€",
    "’",
]
LONG_FRENCH = (
    "Bamako, le 3 mars – Le gouvernement de transition a annoncé mardi l’arrivée de 25 000 "
    "tonnes de blé à Ménaka, où la Croix-Rouge soigne des blessés à l’hôpital régional. "
    "« Nous avons reçu l’aide promise », a déclaré le ministre, précisant que le coût de "
    "l’opération dépassait 2 millions d’euros (1,3 milliard de FCFA, soit environ 3 M€). "
    "Les élèves de l’école française ont été évacués ; la main-d’œuvre locale reste mobilisée "
    "jusqu’à Noël, selon un communiqué cité par l’AFP. Ça va mieux, a-t-il conclu.\n"
) * 4


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


# --- decode_bytes: encodings ---------------------------------------------------------------

@pytest.mark.parametrize("text", SHORT_FRENCH + [LONG_FRENCH])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
def test_unicode_encodings_round_trip(text: str, encoding: str) -> None:
    # Python's utf-8-sig, utf-16 and utf-32 codecs write a byte-order mark.
    decoded, name = decode_bytes(text.encode(encoding), "t.txt")
    assert decoded == text
    assert name == encoding


def test_utf8_bom_is_stripped_and_named() -> None:
    decoded, name = decode_bytes(codecs.BOM_UTF8 + "Été à Gao".encode(), "t.txt")
    assert decoded == "Été à Gao"
    assert name == "utf-8-sig"


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_utf16_with_either_bom(bom: bytes) -> None:
    codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    data = bom + "Le cœur de Ségou, l’été".encode(codec)
    decoded, name = decode_bytes(data, "t.txt")
    assert decoded == "Le cœur de Ségou, l’été"
    assert name == "utf-16"


def test_utf16_without_bom_is_text_not_binary() -> None:
    text = "Le ministre a annoncé l'arrivée de vivres à Gao mardi."
    data = text.encode("utf-16-le")
    assert not looks_binary(data)
    assert decode_bytes(data, "t.txt")[0] == text


@pytest.mark.parametrize("text", SHORT_FRENCH + [LONG_FRENCH])
def test_windows_1252_french(text: str) -> None:
    data = text.encode("cp1252")
    decoded, name = decode_bytes(data, "t.txt")
    assert decoded == text, f"{text!r} decoded as {decoded!r} ({name})"


@pytest.mark.parametrize("text", [t for t in SHORT_FRENCH + [LONG_FRENCH]
                                  if _encodable(t, "iso-8859-1")])
def test_iso_8859_1_french(text: str) -> None:
    decoded, name = decode_bytes(text.encode("iso-8859-1"), "t.txt")
    assert decoded == text, f"{text!r} decoded as {decoded!r} ({name})"


@pytest.mark.parametrize("text", ["Le cœur coûte 5 €.", "Œuvre et main-d’œuvre à Gao"])
def test_iso_8859_15_french(text: str) -> None:
    plain = text.replace("’", "'")
    decoded, _ = decode_bytes(plain.encode("iso-8859-15"), "t.txt")
    assert decoded == plain


@pytest.mark.parametrize("short", [t for t in SHORT_FRENCH if len(t) > 1])
def test_short_cp1252_is_not_read_as_cp1250_or_dos(short: str) -> None:
    _, name = decode_bytes(short.encode("cp1252"), "t.txt")
    assert name not in ("cp1250", "cp437", "cp850", "mac-roman")


def test_declared_charset_wins_when_it_decodes_cleanly() -> None:
    text = "Le cœur de Ségou"
    decoded, name = decode_bytes(text.encode("iso-8859-15"), "p.html", declared="iso-8859-15")
    assert (decoded, name) == (text, "iso8859-15")


def test_declared_latin1_reads_cp1252_punctuation() -> None:
    # Pages labelled ISO-8859-1 routinely hold cp1252 bytes (’ “ ” €): browsers read them as
    # cp1252, and so do we.
    text = "L’armée a reçu 5 € « d’aide »"
    decoded, name = decode_bytes(text.encode("cp1252"), "p.html", declared="iso-8859-1")
    assert decoded == text
    assert name == "cp1252"


@pytest.mark.parametrize("declared", ["utf-8", "no-such-charset", "x"])
def test_wrong_or_unknown_declared_charset_falls_back_to_detection(declared: str) -> None:
    text = "Déjà l’été à Gao"
    assert decode_bytes(text.encode("cp1252"), "p.html", declared=declared)[0] == text


# --- decode_bytes: refusals ------------------------------------------------------------------

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06"


def _random_bytes() -> bytes:
    rng = random.Random(1234)
    data = bytearray(rng.randrange(256) for _ in range(4096))
    data[100] = 0
    return bytes(data)


@pytest.mark.parametrize("data", [
    PNG_HEADER + b"\x00" * 64,
    _random_bytes(),
    b"%PDF-1.7\n\x00\x01\x02\x03binary stream",
    b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(1, 32)) * 4,
    bytes(range(1, 9)) * 200,
], ids=["png", "random-with-nul", "pdf-like", "gzip", "control-chars"])
def test_binary_data_is_K102(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, "photo.txt")
    assert info.value.code == "K102"
    assert info.value.source == "photo.txt"
    assert "photo.txt" in str(info.value)


@pytest.mark.parametrize("data", [
    b"",
    b"   ",
    b"\n\n\t \r\n",
    codecs.BOM_UTF8,
    codecs.BOM_UTF8 + b"  \n",
    "  \n ".encode("utf-16"),
    b"\xa0\xa0 \n",  # non-breaking spaces only (cp1252)
], ids=["empty", "spaces", "newlines", "bom-only", "bom-blank", "utf16-blank", "nbsp"])
def test_empty_or_whitespace_is_K101(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, "vide.txt")
    assert info.value.code == "K101"


def test_too_large_is_K103() -> None:
    data = b"a" * (MAX_BYTES + 1)
    with pytest.raises(InputError) as info:
        decode_bytes(data, "gros.txt")
    assert info.value.code == "K103"
    assert str(MAX_BYTES) in str(info.value)


def test_exactly_max_bytes_is_accepted() -> None:
    text, _ = decode_bytes(b"a" * MAX_BYTES, "juste.txt")
    assert len(text) == MAX_BYTES


def test_input_error_is_a_kibaru_error_with_code_in_message() -> None:
    with pytest.raises(KibaruError, match=r"^\[K101\] vide\.txt: "):
        decode_bytes(b"", "vide.txt")


# --- iter_inputs -----------------------------------------------------------------------------

def _items(inputs: list[str], **kw: bytes) -> list[RawDoc | InputError]:
    return list(iter_inputs(inputs, **kw))


def _docs(items: list[RawDoc | InputError]) -> list[RawDoc]:
    return [i for i in items if isinstance(i, RawDoc)]


def _errors(items: list[RawDoc | InputError]) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def test_folder_is_expanded_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Le président est arrivé à Niamey.", "utf-8")
    (tmp_path / "c.html").write_text("<html><body><p>Texte</p></body></html>", "utf-8")
    (tmp_path / "a.txt").write_text("L'armée a repris Kidal.", "utf-8")
    (tmp_path / "d.HTM").write_text("<html><body><p>Autre</p></body></html>", "utf-8")
    (tmp_path / "notes.md").write_text("à ignorer", "utf-8")
    (tmp_path / "image.png").write_bytes(PNG_HEADER)
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "old.txt").write_text("caché", "utf-8")
    (tmp_path / ".brouillon.txt").write_text("caché", "utf-8")
    items = _items([str(tmp_path)])
    assert _errors(items) == []
    docs = _docs(items)
    assert [Path(d.source).relative_to(tmp_path).as_posix() for d in docs] == [
        "a.txt", "b/z.txt", "c.html", "d.HTM"]
    assert [d.kind for d in docs] == ["text", "text", "html", "html"]
    assert [d.id for d in docs] == ["a", "z", "c", "d"]
    assert docs[0].data == "L'armée a repris Kidal.".encode()


def test_folder_order_is_independent_of_creation_order(tmp_path: Path) -> None:
    for name in ["3.txt", "1.txt", "2.txt"]:
        (tmp_path / name).write_text(f"Article {name}", "utf-8")
    assert [d.id for d in _docs(_items([str(tmp_path)]))] == ["1", "2", "3"]


def test_empty_folder_is_K109(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("rien", "utf-8")
    errors = _errors(_items([str(tmp_path)]))
    assert [e.code for e in errors] == ["K109"]


def test_jsonl_malformed_line_names_path_and_line_and_others_still_come(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "Le Mali a reçu 300 tonnes de riz."}, ensure_ascii=False),
        '{"id": "a2", "text": "phrase sans fin',
        "",
        json.dumps({"id": "a3", "html": "<p>Le Niger a fermé sa frontière.</p>"}),
        "[1, 2]",
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    items = _items([str(path)])
    assert [type(i).__name__ for i in items] == ["RawDoc", "InputError", "RawDoc", "InputError"]
    bad = _errors(items)
    assert bad[0].source == f"{path}:2"
    assert bad[0].code == "K106"
    assert f"{path}:2" in str(bad[0])
    assert bad[1].source == f"{path}:5"
    docs = _docs(items)
    assert [(d.id, d.kind) for d in docs] == [("a1", "text"), ("a3", "html")]
    assert docs[0].data == "Le Mali a reçu 300 tonnes de riz."
    assert docs[1].data == "<p>Le Niger a fermé sa frontière.</p>"


@pytest.mark.parametrize("record", [
    {"id": "x"},
    {"id": "x", "text": None},
    {"id": "x", "text": 42},
    {"id": "x", "html": ["<p>liste</p>"]},
    {"id": "x", "body": "Le texte est sous une autre clé."},
])
def test_jsonl_line_without_text_or_html_is_K107(tmp_path: Path, record: dict[str, object]
                                                 ) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(record) + "\n" + json.dumps({"text": "Bon."}) + "\n", "utf-8")
    items = _items([str(path)])
    errors = _errors(items)
    assert [(e.code, e.source) for e in errors] == [("K107", f"{path}:1")]
    assert [d.id for d in _docs(items)] == ["c-2"]


def test_jsonl_metadata_fields(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    recs = [
        {"id": "d1", "text": "Texte.", "published": "2024-03-12",
         "url": "https://exemple.ml/a", "title": "Titre"},
        {"id": "d2", "text": "Texte.", "published": "2024-03-12T09:30:00+00:00"},
        {"id": "d3", "text": "Texte."},
        {"id": "d4", "text": "Texte.", "title": 7},
    ]
    path.write_text("\n".join(json.dumps(r) for r in recs), "utf-8")
    docs = _docs(_items([str(path)]))
    assert [d.published for d in docs] == ["2024-03-12", "2024-03-12", None, None]
    assert docs[0].url == "https://exemple.ml/a"
    assert docs[0].source == "https://exemple.ml/a"
    assert docs[0].title == "Titre"
    assert docs[1].source == f"{path}:2"
    assert docs[3].title is None


def test_jsonl_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    body = json.dumps({"id": "d1", "text": "Été"}, ensure_ascii=False) + "\r\n"
    path.write_bytes(codecs.BOM_UTF8 + body.encode("utf-8"))
    docs = _docs(_items([str(path)]))
    assert [(d.id, d.data) for d in docs] == [("d1", "Été")]


def test_jsonl_not_utf8_is_K105(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(json.dumps({"text": "Été"}, ensure_ascii=False).encode("cp1252"))
    errors = _errors(_items([str(path)]))
    assert [e.code for e in errors] == ["K105"]


def test_missing_path_is_K108_and_does_not_stop_the_others(tmp_path: Path) -> None:
    good = tmp_path / "ok.txt"
    good.write_text("Le convoi est arrivé.", "utf-8")
    missing = tmp_path / "absent.txt"
    items = _items([str(missing), str(good)])
    assert isinstance(items[0], InputError)
    assert items[0].code == "K108"
    assert items[0].source == str(missing)
    assert isinstance(items[1], RawDoc)
    assert items[1].id == "ok"


def test_stdin_is_injected_text() -> None:
    data = "Le Burkina Faso a rappelé son ambassadeur.".encode("cp1252")
    docs = _docs(_items(["-"], stdin=data))
    assert len(docs) == 1
    assert (docs[0].id, docs[0].source, docs[0].kind, docs[0].data) == ("stdin", "-", "text", data)


def test_stdin_html_page_is_read_as_html() -> None:
    page = b"<!DOCTYPE html>\n<html><body><p>Le Niger a ferm\xc3\xa9 sa fronti\xc3\xa8re.</p>"
    (doc,) = _docs(_items(["-"], stdin=page))
    assert (doc.kind, doc.source, doc.data) == ("html", "-", page)


@pytest.mark.parametrize(("head", "kind"), [
    (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
    (b"\xef\xbb\xbf  <html lang='fr'><body>x</body></html>", "html"),
    (b"Le texte brut d'une d\xe9p\xeache.", "text"),
])
def test_unknown_suffix_is_sniffed(tmp_path: Path, head: bytes, kind: str) -> None:
    path = tmp_path / "depeche.dat"
    path.write_bytes(head)
    docs = _docs(_items([str(path)]))
    assert [d.kind for d in docs] == [kind]
    assert docs[0].data == head


def test_files_carry_raw_bytes_undecoded(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    raw = "Déjà l’été".encode("cp1252")
    path.write_bytes(raw)
    (doc,) = _docs(_items([str(path)]))
    assert doc.data == raw
    assert doc.published is None
