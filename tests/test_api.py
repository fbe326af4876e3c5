"""The public Python API and the documentation of every command."""

from __future__ import annotations

import kibaru
from kibaru.cli import app


def test_public_api():
    assert set(kibaru.__all__) == {"__version__", "extract", "open", "Document", "Event",
                                   "Result", "KibaruError", "InputError", "ModelError",
                                   "UsageError", "StoreError"}
    for name in kibaru.__all__:
        assert getattr(kibaru, name) is not None
    assert callable(kibaru.extract)


def test_extract_returns_contract_document():
    r = kibaru.extract("Le Kremlin a salué la décision des autorités nigériennes.",
                       published="2024-01-02")
    d = r.to_dict()
    assert d["schema"] == "kibaru.document/1"
    assert d["document"]["published"] == "2024-01-02"
    assert d["events"][0]["type"] == "SUPPORT"


def test_html_string():
    r = kibaru.extract("<html><body><article><p>Le Japon a octroyé 12 500 tonnes de riz au "
                       "Tchad.</p></article></body></html>")
    assert r.events and r.events[0].type == "AID"


def test_errors_have_codes():
    try:
        kibaru.extract("   ")
    except kibaru.InputError as exc:
        assert exc.code == "K101" and "empty" in str(exc)
    else:
        raise AssertionError("empty input must raise InputError")


def test_every_command_is_documented():
    for cmd in app.registered_commands:
        doc = cmd.callback.__doc__ or ""
        assert "Examples" in doc and "kibaru " in doc, cmd.name
