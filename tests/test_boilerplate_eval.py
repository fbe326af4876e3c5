"""Kibaru's HTML cleaning vs trafilatura's default on trafilatura's French evaluation pages.

The scoring lives in kibaru.evaluate.boilerplate (``kibaru eval --suite boilerplate``;
benchmarks/boilerplate_eval.py prints the per-page table); the data in the shared folder
beside the repository. Without that folder the tests are skipped, or fail when the CI
environment variable is set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import kibaru.evaluate.boilerplate as bench

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = SHARED / "eval" / "trafilatura-fr"




@pytest.fixture(scope="module")
def pages() -> list:
    if not (DATA / "evaldata_fr.json").exists():
        message = (f"trafilatura French evaluation data not found in {DATA} "
                   "(the shared folder beside the repository)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return bench.load_pages(SHARED)


@pytest.fixture(scope="module")
def scores(pages: list) -> list:
    return bench.evaluate(pages)


def test_eval_data_is_complete(pages: list) -> None:
    assert len(pages) == 26
    assert sum(p.total for p in pages) > 100
    for page in pages:
        assert page.data, page.file
        assert page.with_ and page.without, page.file


def test_kibaru_pass_rate_at_least_trafilatura_default(scores: list,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    k, t, n = bench.totals(scores)
    line = (f"boilerplate eval (trafilatura-fr, {len(scores)} pages): "
            f"Kibaru {k}/{n} = {k / n:.1%}, trafilatura default {t}/{n} = {t / n:.1%}")
    with capsys.disabled():
        print("\n" + line)
    assert k >= t, line + "\n" + bench.table(scores, failures=True)


def test_kibaru_reads_every_page(pages: list) -> None:
    for page in pages:
        assert bench.kibaru_text(page).strip(), page.file


def test_kibaru_keeps_most_story_strings(scores: list) -> None:
    missing = sum(1 for s in scores for f in s.kibaru_failed if f.startswith("+"))
    wanted = sum(len(s.page.with_) for s in scores)
    assert missing / wanted <= 0.1, [f for s in scores for f in s.kibaru_failed]


@pytest.mark.parametrize(("text", "passed"), [
    ("Le texte principal, puis   la suite\u00a0!", 2),
    ("Le texte principal. Menu Accueil", 0),
    ("", 1),
    (None, 1),
])
def test_check_normalises_whitespace_and_is_case_sensitive(text: str | None, passed: int
                                                            ) -> None:
    page = bench.Page(url="u", file="f", data=b"", with_=("texte principal, puis la suite !",),
                      without=("Menu Accueil",))
    got, failed = bench.check(text, page)
    assert got == passed
    assert len(failed) == 2 - passed
    assert bench.check("LE TEXTE PRINCIPAL, PUIS LA SUITE !", page)[0] == 1


def test_table_lists_every_page_and_the_totals(scores: list) -> None:
    out = bench.table(scores)
    for s in scores:
        assert s.page.file in out
    k, t, n = bench.totals(scores)
    assert f"{k}/{n}" in out and f"{t}/{n}" in out
