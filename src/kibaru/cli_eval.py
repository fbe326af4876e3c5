"""``kibaru eval``: measure Kibaru on gold data (a thin shell over :mod:`kibaru.evaluate`),
added to the Typer app of :mod:`kibaru.cli` by :func:`register`.

Exit status: 0 when the suite ran, 1 when the gold data cannot be read, 2 for bad usage.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from .errors import KibaruError, UsageError

__all__ = ["register", "eval_command", "print_report"]


class Suite(StrEnum):
    """The suites of :data:`kibaru.evaluate.SUITES`."""

    case2021 = "case2021"
    plover = "plover"
    cases = "cases"
    numbers = "numbers"
    dates = "dates"
    boilerplate = "boilerplate"
    ner = "ner"


class EvalFormat(StrEnum):
    """Output formats of ``kibaru eval``."""

    table = "table"
    json = "json"


def _pct(v: Any) -> str:
    return "—" if v is None else f"{100 * float(v):.1f} %"


def print_report(res: dict[str, Any], console: Console, *, errors: int = 10) -> None:
    """Print one suite's result as rich tables: the scores, the per-label rows, then up to
    ``errors`` misses."""
    head = Table(title=f"kibaru eval — {res['suite']} (n = {res['n']})", show_header=False)
    for key in ("accuracy", "micro_f1", "macro_f1", "weighted_f1", "dyad_accuracy"):
        if res.get(key) is not None:
            extra = f"  (over {res['dyad_n']} lines with gold countries)" \
                if key == "dyad_accuracy" and res.get("dyad_n") is not None else ""
            head.add_row(key, _pct(res[key]) + extra)
    console.print(head)
    per = res.get("per_label") or {}
    rows = [(k, v) for k, v in per.items() if isinstance(v, dict)]
    if rows:
        cols = list(rows[0][1].keys())
        t = Table("label", *cols)
        for label, values in rows:
            t.add_row(escape(label), *(f"{values.get(c):.3f}" if isinstance(values.get(c), float)
                                       else str(values.get(c)) for c in cols))
        console.print(t)
    elif per:
        failed = [k for k, v in per.items() if not v]
        console.print(f"failed: {', '.join(failed) or 'none'}")
    for err in (res.get("errors") or [])[:errors]:
        console.print(f"  [dim]miss[/dim] {escape(json.dumps(err, ensure_ascii=False)[:220])}")


def eval_command(
    gold: Annotated[str, typer.Argument(
        metavar="GOLD", help="The gold file or folder: a JSONL file (case2021, plover), a "
        "cases folder with its check.py (cases), the recognizers-text-fr folder (numbers, "
        "dates), the trafilatura-fr folder (boilerplate), a BIO file or folder (ner).")],
    suite: Annotated[Suite, typer.Option("--suite", "-s", help="What to measure.")],
    fmt: Annotated[EvalFormat, typer.Option(
        "--format", "-f", help="table (human) or json (one object: suite, n, micro_f1, "
        "macro_f1, weighted_f1, accuracy, dyad_accuracy, per_label, ...).")] = EvalFormat.table,
    errors: Annotated[int, typer.Option(
        "--errors", metavar="N", help="Misses listed under the table.")] = 10,
) -> None:
    """Measure Kibaru on gold data and print the scores.

    The event suites code every text with the full pipeline; the CASE 2021 label of a
    document is the ACLED sub-event type of its most confident event, else its category,
    else DIPLO for diplomatic PLOVER events, else OTHER (data/case2021.toml).

    Examples:

      kibaru eval ../shared/eval/case2021-fr/dev.jsonl --suite case2021

      kibaru eval ../shared/eval/plover-fr/dev.jsonl --suite plover --format json

      kibaru eval ../shared/cases --suite cases

      kibaru eval ../shared/eval/recognizers-text-fr --suite numbers

      kibaru eval ../shared/eval/trafilatura-fr --suite boilerplate

      kibaru eval ../shared/eval/europeana-ner-fr --suite ner
    """
    from .evaluate import evaluate

    err = Console(stderr=True)
    try:
        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                      transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task(f"eval {suite.value}", total=None)
            result = evaluate(gold, suite.value, progress=lambda k: bar.advance(task, k))
    except UsageError as exc:
        typer.echo(f"kibaru: error: {exc.args[0]}", err=True)
        raise typer.Exit(1) from None
    except KibaruError as exc:
        typer.echo(f"kibaru: error: {exc}", err=True)
        raise typer.Exit(1) from None
    if fmt == EvalFormat.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return
    print_report(result, Console(), errors=errors)


def register(app: typer.Typer) -> None:
    """Add ``eval`` to ``app``."""
    app.command("eval")(eval_command)
