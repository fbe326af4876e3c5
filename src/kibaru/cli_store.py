"""Store commands of the CLI (``kibaru ingest``, ``kibaru reprocess``, ``kibaru migrate``):
a thin shell over :mod:`kibaru.store`, added to the Typer app of :mod:`kibaru.cli` by
:func:`register`. This module does not import :mod:`kibaru.cli`, so ``python -m kibaru.cli``
(where that module runs as ``__main__``) gets the commands too.

Exit status: 0 when the run finished (bad inputs are stored as rejected and counted, they do
not fail the run), 1 when the store cannot be used (locked by another process, unreadable, newer
schema) or the model is missing, 2 for bad usage. The summary goes to stdout (``--json``: one
JSON object); the progress bar, shown only when stderr is a terminal, and the ``--verbose``
per-document lines go to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from .errors import InputError, KibaruError, UsageError
from .ingest import RawDoc, iter_inputs
from .model import Result
from .store import DEFAULT_DB, LATEST, IngestSummary, ReprocessSummary, Store, ingest, reprocess
from .store.query import parse_date

__all__ = ["register", "ingest_command", "reprocess_command", "migrate_command",
           "format_ingest_summary", "format_reprocess_summary"]

DbOption = Annotated[str, typer.Option(
    "--db", envvar="KIBARU_DB", metavar="FILE",
    help="The DuckDB store file (created when missing).")]
JsonOption = Annotated[bool, typer.Option(
    "--json", help="Print the summary as one JSON object instead of text.")]
VerboseOption = Annotated[bool, typer.Option(
    "--verbose", "-v", help="One line per document on stderr (new, unchanged, rejected...).")]


class _RateColumn(ProgressColumn):
    """Documents per second since the start of the run."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:.1f} documents/s", style="progress.data.speed")


def _progress(console: Console) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"),
                    TextColumn("[bold]{task.completed}[/bold] documents"), _RateColumn(),
                    TextColumn("{task.fields[events]} events"), TimeElapsedColumn(),
                    console=console, disable=not console.is_terminal, transient=False)


def _lock_wait() -> float:
    """Seconds a writer waits for a reader's lock to go (``KIBARU_LOCK_WAIT``, default 5):
    ``kibaru serve`` and ``kibaru events`` hold the store only for one request or query."""
    try:
        return max(0.0, float(os.environ.get("KIBARU_LOCK_WAIT", "5")))
    except ValueError:
        return 5.0


def _fail(exc: KibaruError) -> typer.Exit:
    typer.echo(f"kibaru: error: {exc}", err=True)
    return typer.Exit(1)


def _counts(counter: dict[str, int]) -> str:
    return ", ".join(f"{reason} {n}" for reason, n in sorted(counter.items()))


def format_ingest_summary(s: IngestSummary, db: str) -> str:
    """The text summary of ``kibaru ingest``: one ``label  value`` line per count."""
    rejected = sum(s.rejected.values())
    rate = s.read / s.seconds if s.seconds > 0 else 0.0
    lines = [
        ("read", f"{s.read}"),
        ("new", f"{s.new}"),
        ("new versions", f"{s.new_versions}"),
        ("unchanged", f"{s.unchanged}"),
        ("rejected", f"{rejected}" + (f"  ({_counts(s.rejected)})" if rejected else "")),
        ("events", f"{s.events}"),
        ("store", f"{db}  ({s.seconds:.1f} s, {rate:.1f} documents/s"
                  + (f", {s.reused} reused from identical content" if s.reused else "") + ")"),
    ]
    return "\n".join(f"{label:<13}{value}" for label, value in lines)


def format_reprocess_summary(s: ReprocessSummary, db: str) -> str:
    """The text summary of ``kibaru reprocess``."""
    rejected = sum(s.rejected.values())
    lines = [
        ("reprocessed", f"{s.documents}"),
        ("skipped", f"{s.skipped}  (never read: nothing to re-extract)" if s.skipped else "0"),
        ("events", f"{s.events_before} → {s.events_after}"),
        ("status changed", f"{s.status_changed}"),
        ("rejected", f"{rejected}" + (f"  ({_counts(s.rejected)})" if rejected else "")),
        ("store", f"{db}  ({s.seconds:.1f} s)"),
    ]
    return "\n".join(f"{label:<15}{value}" for label, value in lines)


def _emit(payload: dict[str, Any] | None, text: str) -> None:
    if payload is not None:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(text + "\n")
    sys.stdout.flush()


def ingest_command(
    inputs: Annotated[list[str], typer.Argument(
        help="Files (.txt, .html, .htm, .jsonl, .warc, .warc.gz, .rss, .atom, .urls), folders of "
        "them, http(s) URLs, or - for stdin text.",
        show_default=False)],
    db: DbOption = DEFAULT_DB,
    published: Annotated[str | None, typer.Option(
        "--published", metavar="YYYY-MM-DD",
        help="Publication date for documents that carry none (anchors 'hier', 'mardi'...).",
    )] = None,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=0, help="Code on a local Dask cluster of N worker processes "
        "(0: in this process).")] = 0,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", metavar="tcp://HOST:PORT",
        help="Code on an existing Dask cluster.")] = None,
    out: Annotated[str | None, typer.Option(
        "--out", metavar="DIR", help="With --workers/--scheduler: also write Parquet shards "
        "(documents/, events/) that DuckDB, pandas or Spark read directly.")] = None,
) -> None:
    """Code articles into a DuckDB store, each input once.

    Unchanged inputs are skipped; changed ones become new versions (the old one is kept).
    Bad inputs are stored as rejected with the reason and counted; they never stop the run.
    Each document is committed with its events in one transaction: after an interruption
    (even kill -9), run the same command again to finish.
    The summary counts read, new, new versions, unchanged, rejected by reason, events.

    [bold]Examples[/bold]

      kibaru ingest examples/ --db kibaru.duckdb

      kibaru ingest corpus.jsonl --published 2024-05-16 --db news.duckdb --json

      kibaru ingest - --published 2024-01-22 < article.txt

      kibaru ingest corpus/ --workers 2 --out shards/ --db news.duckdb
    """
    try:
        parse_date("--published", published)
    except UsageError as exc:
        typer.echo(f"kibaru: error: {exc}", err=True)
        raise typer.Exit(2) from None
    if out is not None and not (workers or scheduler):
        typer.echo("kibaru: error: --out needs --workers N or --scheduler ADDRESS", err=True)
        raise typer.Exit(2)
    err = Console(stderr=True)
    client = None
    coder = None
    if workers or scheduler:
        from .scale import connect, process_distributed, start_local_cluster

        try:
            client = connect(scheduler) if scheduler else start_local_cluster(workers)
        except (OSError, TimeoutError) as exc:
            typer.echo(f"kibaru: error: cannot reach the Dask cluster ({exc})", err=True)
            raise typer.Exit(1) from None

        def coder(raws: Iterable[RawDoc]) -> Iterator[Result | InputError]:
            return process_distributed(raws, client=client, published=published, out_dir=out)
    try:
        with Store(db, lock_wait=_lock_wait()) as store, _progress(err) as bar:
            task = bar.add_task("ingesting", total=None, events=0)

            def step(summary: IngestSummary, note: str) -> None:
                bar.update(task, completed=summary.read, events=summary.events)
                if verbose:
                    if err.is_terminal:
                        bar.console.print(escape(note), highlight=False)
                    else:
                        print(f"kibaru: {note}", file=sys.stderr, flush=True)

            summary = ingest(store, iter_inputs(inputs), published=published,
                             on_document=step, coder=coder)
            bar.update(task, description="done")
    except KibaruError as exc:
        raise _fail(exc) from None
    finally:
        if client is not None:
            cluster = client.cluster if not scheduler else None
            client.close()
            if cluster is not None:
                cluster.close()
    _emit(summary.to_dict() | {"db": db} if as_json else None,
          format_ingest_summary(summary, db))


def reprocess_command(
    db: DbOption = DEFAULT_DB,
    outdated: Annotated[bool, typer.Option(
        "--outdated", help="Only documents coded by another extractor version.")] = False,
    as_json: JsonOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Re-extract stored documents from their stored raw input with the current code.

    Use it after a lexicon or coder change: each document's events are replaced in one
    transaction; nothing is fetched again; documents and versions stay as they are.

    [bold]Examples[/bold]

      kibaru reprocess --db kibaru.duckdb

      kibaru reprocess --db news.duckdb --outdated --json
    """
    if not os.path.exists(db):
        typer.echo(f"kibaru: error: no store at {db}: create one with 'kibaru ingest INPUT "
                   f"--db {db}'", err=True)
        raise typer.Exit(2)
    err = Console(stderr=True)
    try:
        with Store(db, lock_wait=_lock_wait()) as store, _progress(err) as bar:
            task = bar.add_task("reprocessing", total=None, events=0)

            def step(summary: ReprocessSummary, note: str) -> None:
                bar.update(task, completed=summary.documents + summary.skipped,
                           events=summary.events_after)
                if verbose:
                    if err.is_terminal:
                        bar.console.print(escape(note), highlight=False)
                    else:
                        print(f"kibaru: {note}", file=sys.stderr, flush=True)

            summary = reprocess(store, outdated_only=outdated, on_document=step)
            bar.update(task, description="done")
    except KibaruError as exc:
        raise _fail(exc) from None
    _emit(summary.to_dict() | {"db": db} if as_json else None,
          format_reprocess_summary(summary, db))


def migrate_command(db: DbOption = DEFAULT_DB) -> None:
    """Create a store, or bring its schema to this Kibaru's version, and print the version.

    ingest and reprocess do this by themselves; a read-only kibaru.open() does not.

    [bold]Examples[/bold]

      kibaru migrate --db kibaru.duckdb
    """
    try:
        with Store(db) as store:
            applied = store.migrations_applied
            version = store.schema_version
    except KibaruError as exc:
        raise _fail(exc) from None
    typer.echo(f"{db}: schema version {version}"
               + (f" ({applied} migration(s) applied)" if applied else " (up to date)")
               + ("" if version == LATEST else f"; this Kibaru expects {LATEST}"))


def register(app: typer.Typer) -> None:
    """Add ``ingest``, ``reprocess`` and ``migrate`` to ``app`` (the ``kibaru`` command)."""
    app.command("ingest")(ingest_command)
    app.command("reprocess")(reprocess_command)
    app.command("migrate")(migrate_command)
