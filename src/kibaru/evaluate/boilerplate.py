"""Boilerplate removal on trafilatura's French evaluation pages: Kibaru vs trafilatura's default.

The pages and their gold strings are in ``../shared/eval/trafilatura-fr`` (see SOURCE.txt there):
for each page, ``with`` strings must appear in the extracted main text and ``without`` strings
must not. A check passes on a case-sensitive substring test after whitespace is normalised on
both sides (as in trafilatura's own evaluation, plus the normalisation). Kibaru runs its whole
clean stage (``kibaru.clean.clean``: trafilatura with Kibaru's options, then the line rules);
trafilatura runs ``trafilatura.extract(html)`` with default options on the same bytes.

    kibaru eval ../shared/eval/trafilatura-fr --suite boilerplate

tests/test_boilerplate_eval.py asserts Kibaru's rate >= trafilatura's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from kibaru.clean import clean
from kibaru.errors import InputError
from kibaru.ingest import RawDoc

#: The shared folder of a development checkout (the repository's sibling).
SHARED = Path(__file__).resolve().parents[4] / "shared"
EVAL_DIR = ("eval", "trafilatura-fr")


@dataclass(frozen=True)
class Page:
    """One evaluation page: ``file`` under ``html/``, its URL and gold strings."""

    url: str
    file: str
    data: bytes
    with_: tuple[str, ...]
    without: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.with_) + len(self.without)


@dataclass(frozen=True)
class PageScore:
    """Checks passed on one page by each extractor, and the checks each one failed."""

    page: Page
    kibaru: int
    trafilatura: int
    kibaru_failed: tuple[str, ...]
    trafilatura_failed: tuple[str, ...]


def load_pages(shared: Path = SHARED) -> list[Page]:
    """The pages of ``evaldata_fr.json`` in file order; ``shared`` is the shared folder or
    the ``trafilatura-fr`` folder itself. Raises FileNotFoundError."""
    folder = shared if (shared / "evaldata_fr.json").exists() else shared.joinpath(*EVAL_DIR)
    gold = json.loads((folder / "evaldata_fr.json").read_text("utf-8"))
    return [
        Page(url=url, file=entry["file"], data=(folder / "html" / entry["file"]).read_bytes(),
             with_=tuple(entry.get("with", ())), without=tuple(entry.get("without", ())))
        for url, entry in gold.items()
    ]


def normalise(text: str | None) -> str:
    """Whitespace runs (newlines, NBSPs included) → one space."""
    return " ".join((text or "").split())


def check(text: str | None, page: Page) -> tuple[int, tuple[str, ...]]:
    """``(passed, failed checks)``; a failed check reads ``+string`` (missing) or ``-string``
    (boilerplate left in)."""
    body = normalise(text)
    failed = [f"+{s}" for s in page.with_ if normalise(s) not in body]
    failed += [f"-{s}" for s in page.without if normalise(s) in body]
    return page.total - len(failed), tuple(failed)


def kibaru_text(page: Page) -> str:
    """Kibaru's cleaned text for ``page`` ("" when Kibaru finds no article text)."""
    try:
        return clean(RawDoc(id=page.file, source=page.url, kind="html", data=page.data)).text
    except InputError:
        return ""


def trafilatura_text(page: Page) -> str:
    """``trafilatura.extract`` with default options ("" when it returns None)."""
    return trafilatura.extract(page.data) or ""


def evaluate(pages: list[Page]) -> list[PageScore]:
    """Score both extractors on every page."""
    scores = []
    for page in pages:
        k, k_failed = check(kibaru_text(page), page)
        t, t_failed = check(trafilatura_text(page), page)
        scores.append(PageScore(page, k, t, k_failed, t_failed))
    return scores


def totals(scores: list[PageScore]) -> tuple[int, int, int]:
    """``(kibaru passed, trafilatura passed, total checks)``."""
    return (sum(s.kibaru for s in scores), sum(s.trafilatura for s in scores),
            sum(s.page.total for s in scores))


def table(scores: list[PageScore], *, failures: bool = False) -> str:
    """A plain-text table: per page, Kibaru and trafilatura passed/total, then the totals."""
    width = max([len(s.page.file) for s in scores] + [len("page")])
    rows = [f"{'page':<{width}}  {'kibaru':>8}  {'trafilatura':>11}",
            "-" * (width + 23)]
    for s in scores:
        n = s.page.total
        rows.append(f"{s.page.file:<{width}}  {f'{s.kibaru}/{n}':>8}  "
                    f"{f'{s.trafilatura}/{n}':>11}")
        if failures:
            rows.extend(f"{'':<{width}}    kibaru misses {f[:70]!r}" for f in s.kibaru_failed)
            rows.extend(f"{'':<{width}}    trafilatura misses {f[:70]!r}"
                        for f in s.trafilatura_failed)
    k, t, n = totals(scores)
    rows.append("-" * (width + 23))
    rows.append(f"{f'total ({len(scores)} pages)':<{width}}  {f'{k}/{n}':>8}  {f'{t}/{n}':>11}")
    rows.append(f"{'pass rate':<{width}}  {k / n:>8.1%}  {t / n:>11.1%}")
    return "\n".join(rows)
