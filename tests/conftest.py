"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    """The full Kibaru spaCy pipeline (fr_core_news_md + Kibaru components), loaded once."""
    from kibaru.pipeline import get_pipeline

    return get_pipeline()


@pytest.fixture(scope="session")
def code(nlp):
    """``code(text, published=None) -> Result``: run the whole job on one text."""
    import kibaru

    def _code(text: str, published: str | None = None):
        return kibaru.extract(text, published=published)

    return _code


def shared_dir(*parts: str) -> Path:
    """A path under ../shared; fails in CI and skips elsewhere when it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must provide ../shared beside the clone")
        pytest.skip(f"{path} not found (the shared folder lives beside the repository)")
    return path


# -- kibaru serve: one coded store per test session --------------------------------------------

#: An article whose text carries markup that must stay inert in the browser view.
HOSTILE_TEXT = (
    "Le Mali reçoit du blé russe <script>alert('xss')</script>\n\n"
    "Bamako, 3 juin 2024. La Russie a livré 3 000 tonnes de blé au Mali, a annoncé le "
    "gouvernement malien <img src=x onerror=alert('xss')> lundi à Bamako.\n"
)


@pytest.fixture(scope="session")
def serve_store(tmp_path_factory) -> Path:
    """A store coded once per session by ``kibaru ingest`` (a subprocess, so this test process
    never loads the spaCy model for it) from the bundled examples/ plus one hostile article
    (``hostile.txt``, see :data:`HOSTILE_TEXT`). Tests that write copy it first
    (``serve_db``)."""
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("serve-store")
    hostile = folder / "hostile.txt"
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    db = folder / "kibaru.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "kibaru.cli", "ingest", str(ROOT / "examples"), str(hostile),
         "--db", str(db), "--published", "2024-06-03", "--json"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
        env=dict(os.environ, PYTHONWARNINGS="ignore"))
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture
def serve_db(serve_store, tmp_path) -> Path:
    """A private copy of :func:`serve_store` (no reviews yet) for one test."""
    import shutil

    db = tmp_path / "kibaru.duckdb"
    shutil.copyfile(serve_store, db)
    return db


@contextmanager
def held_by_another_process(db: Path) -> Iterator[subprocess.Popen[str]]:
    """A second process that opens the DuckDB file ``db`` for writing (and so holds its
    lock) until the block ends; yields it once the file is open."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time, duckdb; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        yield holder
    finally:
        holder.kill()
        holder.wait()
