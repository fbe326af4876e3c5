"""Query and export commands of the CLI (``kibaru events``, ``kibaru export``,
``kibaru stats``): a thin shell over :mod:`kibaru.export`, added to the Typer app of
:mod:`kibaru.cli` by :func:`register`. Like :mod:`kibaru.cli_store`, this module does not import
:mod:`kibaru.cli`, so ``python -m kibaru.cli`` gets the commands too.

The store is opened read-only, so these commands never take the lock a running
``kibaru ingest`` needs (but fail while one is writing: DuckDB allows one writing process).

Exit status: 0 on success (also when no event matches), 1 when the store cannot be read
(missing file, locked, another schema), 2 for bad usage (a malformed filter value, an unknown
format, Parquet without an output file).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .errors import KibaruError, UsageError
from .store import DEFAULT_DB
from .tables import excerpt, kind_cell, party_cell, quantities_cell, status_cell, where_cell

__all__ = ["register", "events_command", "export_command", "stats_command", "print_events",
           "print_stats"]

DbOption = Annotated[str, typer.Option(
    "--db", envvar="KIBARU_DB", metavar="FILE", help="The DuckDB store to read.")]
CountryOption = Annotated[str | None, typer.Option(
    "--country", metavar="ISO3", help="Events whose actor or recipient is this country "
    "(ISO 3166-1 alpha-3, or IGO, UNO, EUR, NGO...).", show_default=False)]
DyadOption = Annotated[str | None, typer.Option(
    "--dyad", metavar="A-B", help="Events between two parties, in either direction "
    "(RUS-MLI: Russia → Mali or Mali → Russia).", show_default=False)]
DirectedOption = Annotated[bool, typer.Option(
    "--directed", help="With --dyad: only actor A → recipient B.")]
TypeOption = Annotated[list[str] | None, typer.Option(
    "--type", metavar="TYPE", help="PLOVER type (AID, ASSAULT...) or Kibaru category; "
    "repeat or comma-separate for several.", show_default=False)]
AcledOption = Annotated[list[str] | None, typer.Option(
    "--acled", metavar="TYPE", help="ACLED event type or sub-event type (\"Armed clash\", "
    "Battles); repeat for several.", show_default=False)]
StatusOption = Annotated[list[str] | None, typer.Option(
    "--status", metavar="STATUS", help="reported, claimed, denied, planned, hypothetical, "
    "negated; repeat or comma-separate for several.", show_default=False)]
SinceOption = Annotated[str | None, typer.Option(
    "--since", metavar="YYYY-MM-DD", help="Events dated on or after this day (the "
    "publication date stands in for undated events).", show_default=False)]
UntilOption = Annotated[str | None, typer.Option(
    "--until", metavar="YYYY-MM-DD", help="Events dated on or before this day.",
    show_default=False)]

QOption = Annotated[str | None, typer.Option(
    "--q", metavar="TEXT", help="Free text in the trigger, evidence, actor, recipient, place "
    "or title, ignoring case and accents (as the browser view's search box).",
    show_default=False)]


class EventsFormat(StrEnum):
    """Output formats of ``kibaru events``."""

    table = "table"
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


class ExportFormat(StrEnum):
    """Output formats of ``kibaru export``."""

    acled_csv = "acled-csv"
    plover_jsonl = "plover-jsonl"
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"


def _split(values: list[str] | None, *, commas: bool = True) -> list[str] | None:
    if not values:
        return None
    out = [v.strip() for value in values for v in (value.split(",") if commas else [value])]
    return [v for v in out if v] or None


def _filters(country: str | None, dyad: str | None, directed: bool, types: list[str] | None,
             acled: list[str] | None, status: list[str] | None, since: str | None,
             until: str | None, q: str | None = None) -> dict[str, Any]:
    """The filter keywords of :mod:`kibaru.export`, checked (bad values exit with status 2)."""
    from .export import check_filters

    filters: dict[str, Any] = {
        "country": country, "dyad": dyad, "directed": directed, "type": _split(types),
        "acled": _split(acled, commas=False), "status": _split(status), "since": since,
        "until": until, "q": q,
    }
    try:
        check_filters(**filters)
    except UsageError as exc:
        raise _usage(str(exc)) from None
    return filters


def _usage(message: str) -> typer.Exit:
    typer.echo(f"kibaru: error: {message}", err=True)
    return typer.Exit(2)


def _fail(exc: KibaruError) -> typer.Exit:
    typer.echo(f"kibaru: error: {exc}", err=True)
    return typer.Exit(2 if isinstance(exc, UsageError) else 1)


def _console() -> Console:
    """Rich output on stdout: the terminal's width, else 120 columns (piped or redirected)."""
    if sys.stdout.isatty() or os.environ.get("COLUMNS"):
        return Console()
    return Console(width=120)


# -- rendering ---------------------------------------------------------------------------------

def print_events(items: list[dict[str, Any]], console: Console, *, total: int) -> None:
    """A table of events (from :func:`kibaru.export.iter_events`): date and document, event
    (type, mode, ACLED sub-event type), actor → recipient, place, quantities, status and
    source, evidence excerpt; then a summary line with the counts by type."""
    table = Table(show_lines=True, expand=True, pad_edge=False)
    table.add_column("when · doc", ratio=2)
    table.add_column("event", ratio=2)
    table.add_column("actor → recipient", ratio=3)
    table.add_column("where", ratio=2)
    table.add_column("how much", ratio=2)
    table.add_column("status · source", ratio=2)
    table.add_column("evidence", ratio=4)
    for item in items:
        e = item["event"]
        date_obj = e.get("date") or {}
        when = (f"{date_obj['value']}" if date_obj.get("value")
                else f"[dim]pub. {str(item.get('published') or '?')[:10]}[/dim]")
        when += f"\n[dim]{escape(str(item.get('doc_id') or item.get('source') or ''))}[/dim]"
        table.add_row(when, kind_cell(e), escape(f"{party_cell(e.get('actor'))}\n→ "
                                                  f"{party_cell(e.get('recipient'))}"),
                      where_cell(e), escape(quantities_cell(e)), status_cell(e),
                      escape(excerpt(e, 90)))
    if items:
        console.print(table)
    by_type = Counter(i["event"].get("type") or i["event"].get("category") or "?"
                      for i in items)
    types = ", ".join(f"{t} {n}" for t, n in by_type.most_common())
    shown = (f"{len(items)} of {total} events shown (--limit 0 shows all)"
             if len(items) < total else f"{total} event{'s' if total != 1 else ''}")
    console.print(f"{shown}" + (f" ({types})" if types else ""))


def _code_name(code: str) -> str:
    from .export.english import INTERNATIONAL, country_name

    name = country_name(code) or INTERNATIONAL.get(code, "").removeprefix("the ")
    return f"{code} [dim]{escape(name)}[/dim]" if name else code


def print_stats(stats: Any, console: Console, *, db: str, top: int) -> None:
    """``kibaru stats`` as rich tables: documents, events by type, by dyad and by month."""
    docs = stats.documents
    rejected = ", ".join(f"{r} {n}" for r, n in stats.rejected.items())
    span = f"{stats.first} → {stats.last}" if stats.first else "no dated event"
    console.print(f"[bold]{escape(db)}[/bold]: {docs.get('ok', 0)} documents coded, "
                  f"{docs.get('rejected', 0)} rejected" + (f" ({escape(rejected)})"
                                                          if rejected else "")
                  + f"; {stats.events} events; dates {span}")
    if not stats.events:
        return
    by_type = Table(title="events by type", title_justify="left")
    by_type.add_column("type")
    by_type.add_column("events", justify="right")
    by_type.add_column("share", justify="right")
    for t, n in stats.by_type:
        by_type.add_row(t, str(n), f"{100 * n / stats.events:.0f} %")
    console.print(by_type)
    dyads = Table(title=f"events by dyad (top {top})", title_justify="left")
    dyads.add_column("actor")
    dyads.add_column("→ recipient")
    dyads.add_column("events", justify="right")
    for actor, recipient, n in stats.by_dyad[:top]:
        dyads.add_row(_code_name(actor), _code_name(recipient), str(n))
    rest = len(stats.by_dyad) - top
    if rest > 0:
        dyads.add_row(f"[dim]{rest} more[/dim]", "", "")
    if stats.undyadic:
        dyads.add_row("[dim]one side unknown[/dim]", "", str(stats.undyadic))
    console.print(dyads)
    months = Table(title="events by month", title_justify="left",
                   caption="the event's date, else its publication date", caption_justify="left")
    months.add_column("month")
    months.add_column("events", justify="right")
    months.add_column("", ratio=1)
    peak = max(n for _, n in stats.by_month)
    for month, n in stats.by_month:
        months.add_row(month, str(n), "█" * max(1, round(40 * n / peak)))
    console.print(months)


# -- commands ----------------------------------------------------------------------------------

def events_command(
    db: DbOption = DEFAULT_DB,
    country: CountryOption = None,
    dyad: DyadOption = None,
    directed: DirectedOption = False,
    type: TypeOption = None,
    acled: AcledOption = None,
    status: StatusOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    q: QOption = None,
    fmt: Annotated[EventsFormat | None, typer.Option(
        "--format", "-f", case_sensitive=False, help="table (default on a terminal), csv, "
        "jsonl (default when piped: one CONTRACT event object per line, with its document) "
        "or parquet (needs --out).", show_default=False)] = None,
    out: Annotated[str | None, typer.Option(
        "--out", "-o", metavar="FILE", help="Write csv, jsonl or parquet to FILE instead of "
        "stdout.", show_default=False)] = None,
    limit: Annotated[int | None, typer.Option(
        "--limit", min=0, help="At most this many events (table default 50; 0 = all).",
        show_default=False)] = None,
) -> None:
    """List the events of a store, filtered, as a table, CSV, JSONL or Parquet.

    Only the newest version of each document counts. Dates filter on the event's own date,
    or on the publication date when the text gives none.

    [bold]Examples[/bold]

      kibaru events --db kibaru.duckdb --dyad RUS-MLI --since 2024-01-01

      kibaru events --country NER --type AID --format csv > niger-aid.csv

      kibaru events --acled "Armed clash" --status reported --format jsonl

      kibaru events --q menaka --since 2024-05-01

      kibaru events --type ASSAULT,COERCE --format parquet --out violence.parquet
    """
    from .export import count_events, iter_events, write

    filters = _filters(country, dyad, directed, type, acled, status, since, until, q)
    out_format = fmt or (EventsFormat.table if sys.stdout.isatty() else EventsFormat.jsonl)
    if out_format == EventsFormat.parquet and not out:
        raise _usage("--format parquet writes a binary file: give --out FILE")
    if out_format == EventsFormat.table and out:
        raise _usage("the table is for the terminal: use --format csv, jsonl or parquet "
                     "with --out")
    try:
        if out_format == EventsFormat.table:
            cap = 50 if limit is None else limit
            items: list[dict[str, Any]] = []
            stream = iter_events(db, **filters)
            for item in stream:
                if cap and len(items) >= cap:
                    break
                items.append(item)
            stream.close()  # closes the store before it is counted
            total = count_events(db, **filters) if cap and len(items) >= cap else len(items)
            print_events(items, _console(), total=total)
            return
        if limit:
            raise _usage("--limit applies to the table; filter with --since/--until or "
                         "--type to export less")
        n = write(out_format.value, db, out or "-", **filters)
    except KibaruError as exc:
        raise _fail(exc) from None
    if out:
        typer.echo(f"kibaru: wrote {n} event(s) to {out}", err=True)


def export_command(
    fmt: Annotated[ExportFormat, typer.Option(
        "--format", "-f", case_sensitive=False, help="acled-csv (ACLED's columns, events "
        "with an ACLED type), plover-jsonl (PLOVER JSON records), parquet; also csv, jsonl.",
        show_default=False)],
    out: Annotated[str, typer.Argument(
        metavar="OUT", help="The file to write (- for stdout, text formats only).",
        show_default=False)],
    db: DbOption = DEFAULT_DB,
    country: CountryOption = None,
    dyad: DyadOption = None,
    directed: DirectedOption = False,
    type: TypeOption = None,
    acled: AcledOption = None,
    status: StatusOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    q: QOption = None,
) -> None:
    """Export the events of a store to ACLED CSV, PLOVER JSONL or Parquet.

    acled-csv has exactly ACLED's columns for events with an ACLED type, reported or claimed
    unless --status says otherwise; notes is a one-sentence English summary generated from the
    event's fields; fatalities the sum of its killed counts; inter codes come from PLOVER
    sectors. plover-jsonl writes one PLOVER JSON record per event. The file is written under
    a temporary name and renamed when complete.

    [bold]Examples[/bold]

      kibaru export --format acled-csv mali.csv --db kibaru.duckdb --country MLI

      kibaru export --format plover-jsonl events.jsonl --since 2024-01-01

      kibaru export --format parquet events.parquet --dyad RUS-MLI
    """
    from .export import write

    filters = _filters(country, dyad, directed, type, acled, status, since, until, q)
    if fmt == ExportFormat.parquet and out == "-":
        raise _usage("parquet is a binary format: give an output file, not -")
    try:
        n = write(fmt.value, db, out, **filters)
    except KibaruError as exc:
        raise _fail(exc) from None
    if out != "-":
        typer.echo(f"kibaru: wrote {n} row(s) to {out} ({fmt.value})", err=True)


def stats_command(
    db: DbOption = DEFAULT_DB,
    top: Annotated[int, typer.Option("--top", min=1, help="Dyads to list.")] = 20,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the counts as one JSON object.")] = False,
) -> None:
    """Count a store's documents, and its events by type, by dyad and by month.

    [bold]Examples[/bold]

      kibaru stats --db kibaru.duckdb

      kibaru stats --top 50 --json
    """
    import json

    from .export import corpus_stats

    try:
        stats = corpus_stats(db)
    except KibaruError as exc:
        raise _fail(exc) from None
    if as_json:
        sys.stdout.write(json.dumps({"db": db, **stats.to_dict()}, ensure_ascii=False) + "\n")
        return
    print_stats(stats, _console(), db=db, top=top)


def register(app: typer.Typer) -> None:
    """Add ``events``, ``export`` and ``stats`` to ``app`` (the ``kibaru`` command)."""
    app.command("events")(events_command)
    app.command("export")(export_command)
    app.command("stats")(stats_command)
