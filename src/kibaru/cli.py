"""Command-line interface: a thin shell over :mod:`kibaru.pipeline` (CONTRACT.md).

Exit status of ``kibaru extract``: 0 when every document was read, 1 when some input could not
be read (each named on stderr; every other document still printed), 2 for bad usage.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections import Counter
from datetime import date
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import __version__
from .errors import InputError, KibaruError
from .ingest import iter_inputs
from .model import Result
from .pipeline import process
from .tables import excerpt, kind_cell, party_cell, quantities_cell, status_cell, where_cell

__all__ = ["app", "main"]

app = typer.Typer(
    name="kibaru",
    help="Kibaru: French-language news → structured, sourced event data (PLOVER 2.0 / ACLED).",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="rich",
)


class Format(StrEnum):
    """Output formats of ``kibaru extract``."""

    table = "table"
    json = "json"
    jsonl = "jsonl"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kibaru {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Kibaru reads French news natively and codes who did what to whom, where, when, how
    much, and according to whom, keeping every field traceable to its characters."""


def print_table(results: list[Result], console: Console) -> None:
    """One table per document, one row per event: event (type, mode, ACLED sub-event type),
    actor → recipient, place and date, quantities, status and source, evidence excerpt. The
    evidence column gets the largest share of the width."""
    for r in results:
        d = r.document
        title = escape(d.title or d.id)
        meta = escape(f"{d.source} · published {d.published or 'unknown'} · language "
                      f"{d.language} · {len(r.events)} event(s)")
        console.rule(f"[bold]{title}[/bold]", align="left")
        console.print(f"[dim]{meta}[/dim]")
        for w in d.warnings:
            console.print(f"  [yellow]warning:[/yellow] {escape(w)}")
        if not r.events:
            console.print("  no events")
            continue
        table = Table(show_lines=True, expand=True, pad_edge=False)
        table.add_column("event", ratio=2)
        table.add_column("actor → recipient", ratio=3)
        table.add_column("where · when", ratio=2)
        table.add_column("how much", ratio=2)
        table.add_column("status · source", ratio=2)
        table.add_column("evidence", ratio=5)
        for e in (ev.to_dict() for ev in r.events):
            where = where_cell(e)
            if e["date"]:
                where += f"\n{e['date']['value']} [dim]{escape(e['date']['text'])}[/dim]"
            table.add_row(kind_cell(e), escape(f"{party_cell(e['actor'])}\n→ "
                                               f"{party_cell(e['recipient'])}"),
                          where, escape(quantities_cell(e)), status_cell(e), escape(excerpt(e)))
        console.print(table)


def summary_line(results: list[Result], failed: int, seconds: float) -> str:
    """One line: documents, events by type, unreadable inputs, time."""
    n_events = sum(len(r.events) for r in results)
    by_type = Counter(e.type or e.category or "?" for r in results for e in r.events)
    types = ", ".join(f"{t} {n}" for t, n in by_type.most_common())
    per_doc = seconds / len(results) if results else 0.0
    docs = f"{len(results)} document{'s' if len(results) != 1 else ''}"
    return (f"{docs}, {n_events} event{'s' if n_events != 1 else ''} ({types or 'none'}); "
            f"{failed} input(s) unreadable; {seconds:.1f} s including the model load "
            f"({per_doc:.2f} s/document)")


@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(
        help="Files (.txt, .html, .htm, .jsonl, .warc, .warc.gz, .rss, .atom, .urls), folders of "
        "them, http(s) URLs, or - for stdin text.",
        show_default=False)],
    fmt: Annotated[Format | None, typer.Option(
        "--format", "-f", help="table (default on a terminal), json, or jsonl (default "
        "when piped).", case_sensitive=False)] = None,
    published: Annotated[str | None, typer.Option(
        "--published", metavar="YYYY-MM-DD",
        help="Publication date for documents that carry none (anchors 'hier', 'mardi'...).",
    )] = None,
    summary: Annotated[bool, typer.Option(
        "--summary/--no-summary",
        help="With json/jsonl, also print the one-line summary on stderr (table output "
             "always ends with it).")] = False,
) -> None:
    """Code the events of French articles (output format: CONTRACT.md, schema
    kibaru.document/1).

    [bold]Examples[/bold]

      kibaru extract article.txt --published 2024-05-16

      kibaru extract examples/ --format table

      kibaru extract corpus.jsonl --format jsonl > events.jsonl

      curl -s URL | kibaru extract - --published 2024-01-22 --format json
    """
    if published is not None and not _is_date(published):
        typer.echo(f"kibaru: error: --published {published!r} is not a date (YYYY-MM-DD)",
                   err=True)
        raise typer.Exit(2)
    out_format = fmt or (Format.table if sys.stdout.isatty() else Format.jsonl)
    err = Console(stderr=True)
    results: list[Result] = []
    failed = 0
    started = time.perf_counter()
    try:
        with err.status("reading…", spinner="dots") if err.is_terminal else _Null() as status:
            for item in process(iter_inputs(inputs), published=published):
                if isinstance(item, InputError):
                    failed += 1
                    typer.echo(f"kibaru: error: {item}", err=True)
                    continue
                results.append(item)
                for w in item.document.warnings:
                    typer.echo(f"kibaru: warning: {item.document.source}: {w}", err=True)
                if out_format == Format.jsonl:
                    sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
                    sys.stdout.flush()
                if status is not None:
                    status.update(f"{len(results)} documents, "
                                  f"{sum(len(r.events) for r in results)} events…")
    except KibaruError as exc:
        typer.echo(f"kibaru: error: {exc}", err=True)
        raise typer.Exit(1) from None
    seconds = time.perf_counter() - started
    if out_format == Format.json:
        payload = [r.to_dict() for r in results]
        sys.stdout.write(json.dumps(payload[0] if len(payload) == 1 else payload,
                                    ensure_ascii=False, indent=2) + "\n")
    elif out_format == Format.table:
        # piped table output: a readable width, not rich's 80-column fallback
        console = Console() if sys.stdout.isatty() or os.environ.get("COLUMNS") else Console(
            width=140)
        print_table(results, console)
        console.print(summary_line(results, failed, seconds))
    if summary and out_format != Format.table:
        typer.echo(summary_line(results, failed, seconds), err=True)
    raise typer.Exit(1 if failed else 0)


def _is_date(value: str) -> bool:
    """True for a real calendar date written YYYY-MM-DD ("2024-13-45" is not one)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


class _Null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


from .cli_eval import register as _register_eval  # noqa: E402  (eval)
from .cli_export import register as _register_export  # noqa: E402  (events, export, stats)
from .cli_serve import register as _register_serve  # noqa: E402  (serve, reviews)
from .cli_store import register as _register_store  # noqa: E402  (ingest, reprocess, migrate)

_register_store(app)
_register_export(app)
_register_eval(app)
_register_serve(app)


def main() -> None:
    """Console-script entry point (``kibaru``)."""
    app()


if __name__ == "__main__":
    main()
