"""Writing selected events to files: CSV, JSONL, Parquet, ACLED CSV and PLOVER JSONL.

Every writer takes a store (see :mod:`kibaru.export.source`), a target and the event filters,
streams the events (a corpus never has to fit in memory) and returns the number of rows
written. A target is a path, ``"-"`` for standard output (text formats only), or an open text
stream. A path is written under a temporary name in the same folder and renamed when complete,
so an interrupted export never leaves a half-written file under the requested name.

CSV files (:func:`write_csv`, :func:`write_acled_csv`) are protected against spreadsheet
formula injection (CSV injection): evidence, titles and names come from untrusted web pages, and
a spreadsheet runs a cell such as ``=HYPERLINK(...)`` as a formula. A text cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return and is not a number gets a leading
apostrophe (``'=HYPERLINK(...)``), which spreadsheets show as text (:func:`csv_safe`). Numbers,
negative ones included, and the header stay as they are.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from itertools import chain
from pathlib import Path
from typing import IO, Any

from ..errors import UsageError
from .acled import ACLED_COLUMNS, acled_rows
from .plover import plover_records
from .source import StoreLike, iter_events, record_batches

__all__ = ["Target", "FORMATS", "output_error", "text_output", "writable_path", "write_csv",
           "write_jsonl", "write_parquet", "write_acled_csv", "write_plover_jsonl",
           "event_object", "write", "csv_safe"]

#: Where a writer writes: a path, ``"-"`` (stdout) or an open text stream.
Target = str | os.PathLike[str] | IO[str]

#: Columns whose values are lists or JSON in the store; CSV joins lists with ``;``.
_LIST_COLUMNS = ("context",)


@contextmanager
def text_output(target: Target, *, newline: str = "") -> Iterator[IO[str]]:
    """A UTF-8 text stream to ``target``: an open stream as is, ``"-"`` for stdout, else a
    file written atomically (a temporary file beside it, renamed at the end, removed on
    failure).

    Raises:
        UsageError: K315 when the file cannot be written (see :func:`writable_path`).
    """
    if not isinstance(target, str | os.PathLike):
        yield target
        return
    if os.fspath(target) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path = writable_path(target)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        try:
            fh = open(tmp, "w", encoding="utf-8", newline=newline)  # noqa: SIM115
        except OSError as exc:
            raise output_error(path, exc) from None
        with fh:
            yield fh
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise output_error(path, exc) from None
    finally:
        tmp.unlink(missing_ok=True)


def output_error(path: str | os.PathLike[str], exc: OSError) -> UsageError:
    """A :class:`~kibaru.errors.UsageError` (code K315) naming the output ``path`` that
    could not be written and why (the OS reason, without a traceback)."""
    reason = exc.strerror or type(exc).__name__
    return UsageError(f"cannot write {os.fspath(path)}: {reason.lower()}", code="K315")


def writable_path(target: str | os.PathLike[str]) -> Path:
    """``target`` as a :class:`~pathlib.Path` after checking it can be written: not a
    folder, and its folder exists.

    Raises:
        UsageError: K315, naming the path and the reason.
    """
    path = Path(target)
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a folder, give a file name", code="K315")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"cannot write {path}: no such folder {parent}", code="K315")
    return path


#: First characters that make a spreadsheet read a cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def csv_safe(value: Any) -> Any:
    """``value`` for a CSV cell that a spreadsheet will not run as a formula: a string
    starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return that is not a number
    (``-12.5`` stays) gets a leading apostrophe (``'=HYPERLINK(...)``); anything else, numbers
    included, is returned unchanged. For any CSV written from stored text."""
    if (isinstance(value, str) and value.startswith(_FORMULA_START)
            and not _NUMBER.fullmatch(value)):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return csv_safe(";".join(str(v) for v in value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return csv_safe(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def write_csv(store: StoreLike, target: Target, **filters: Any) -> int:
    """The columns of :func:`~kibaru.export.source.events_frame` as CSV (UTF-8, header
    line; lists such as ``context`` joined with ``;``, missing values empty; text cells that
    a spreadsheet would run as a formula start with an apostrophe, see :func:`csv_safe`)."""
    n = 0
    with text_output(target) as out:
        writer: Any = None
        for item in iter_events(store, **filters):
            item.pop("event")
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(item), lineterminator="\n")
                writer.writeheader()
            writer.writerow({k: _cell(v) for k, v in item.items()})
            n += 1
        if writer is None:  # no events: still a header, so the file reads as a table
            from ..store.records import EVENT_COLUMNS
            from .source import DOCUMENT_COLUMNS

            names = [c for c in EVENT_COLUMNS if c != "event_json"] + list(DOCUMENT_COLUMNS)
            csv.writer(out, lineterminator="\n").writerow(names)
    return n


def event_object(item: dict[str, Any]) -> dict[str, Any]:
    """The JSONL object of one event: the CONTRACT.md event object, with ``document`` (the
    document's ``id``, ``source``, ``url``, ``title``, ``published``, ``language`` and stored
    ``version``) and the ``extractor_version`` that coded it."""
    doc = {"id": item.get("doc_id"), "source": item.get("source"), "url": item.get("url"),
           "title": item.get("title"), "published": _cell(item.get("published")) or None,
           "language": item.get("language"), "version": item.get("version")}
    return {**item["event"], "document": doc, "extractor_version": item.get("extractor_version")}


def _write_json_lines(objects: Iterator[dict[str, Any]], target: Target) -> int:
    n = 0
    with text_output(target, newline="\n") as out:
        for obj in objects:
            out.write(json.dumps(obj, ensure_ascii=False, default=_json_default) + "\n")
            n += 1
    return n


def write_jsonl(store: StoreLike, target: Target, **filters: Any) -> int:
    """One JSON object per line and event (:func:`event_object`)."""
    return _write_json_lines((event_object(i) for i in iter_events(store, **filters)), target)


def write_parquet(store: StoreLike, target: str | os.PathLike[str], **filters: Any) -> int:
    """The columns of :func:`~kibaru.export.source.events_frame` as one Parquet file (pyarrow,
    zstd; dates as ``date32``, ``context`` as a list of strings). ``target`` must be a path."""
    import pyarrow.parquet as pq

    if not isinstance(target, str | os.PathLike) or os.fspath(target) == "-":
        raise UsageError("Parquet is a binary format: give an output file (--out FILE)",
                         code="K314")
    path = writable_path(target)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    n = 0
    try:
        writer: pq.ParquetWriter | None = None
        batches = record_batches(store, **filters)
        try:
            for batch in batches:
                if writer is None:
                    writer = pq.ParquetWriter(tmp, batch.schema, compression="zstd")
                writer.write_batch(batch)
                n += batch.num_rows
        finally:
            if writer is not None:
                writer.close()
        if writer is None:  # no events: an empty file with the right schema
            import pyarrow as pa

            schema = _empty_schema(store, **filters)
            pq.write_table(pa.Table.from_batches([], schema=schema), tmp, compression="zstd")
        os.replace(tmp, path)
    except OSError as exc:
        raise output_error(path, exc) from None
    finally:
        tmp.unlink(missing_ok=True)
    return n


def _empty_schema(store: StoreLike, **filters: Any) -> Any:
    from .source import event_query, reading

    sql, params = event_query(include_json=False, **filters)
    with reading(store) as con:
        return con.sql(f"SELECT * FROM ({sql}) LIMIT 0", params=params).to_arrow_table().schema


def write_acled_csv(store: StoreLike, target: Target, **filters: Any) -> int:
    """ACLED's columns, exactly (:data:`~kibaru.export.acled.ACLED_COLUMNS`), one row per
    event with an ACLED type (:mod:`kibaru.export.acled`). Numeric columns stay numbers; text
    cells that a spreadsheet would run as a formula (an actor, place or source name from a web
    page starting with ``=``, ``+``, ``-``, ``@``...) start with an apostrophe
    (:func:`csv_safe`)."""
    n = 0
    with text_output(target) as out:
        writer = csv.DictWriter(out, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
        rows = acled_rows(store, **filters)
        first = next(rows, None)  # opens the store: a bad one fails before the header
        writer.writeheader()
        for row in chain([first] if first is not None else [], rows):
            writer.writerow({k: _cell(v) for k, v in row.items()})
            n += 1
    return n


def write_plover_jsonl(store: StoreLike, target: Target, **filters: Any) -> int:
    """One PLOVER JSON record per line (:mod:`kibaru.export.plover`)."""
    return _write_json_lines(plover_records(store, **filters), target)


#: ``kibaru events --format`` / ``kibaru export --format`` → writer.
FORMATS: dict[str, Callable[..., int]] = {
    "csv": write_csv,
    "jsonl": write_jsonl,
    "parquet": write_parquet,
    "acled-csv": write_acled_csv,
    "plover-jsonl": write_plover_jsonl,
}


def write(fmt: str, store: StoreLike, target: Target, **filters: Any) -> int:
    """Write the events of ``store`` matching ``filters`` to ``target`` in format ``fmt``
    (a key of :data:`FORMATS`); returns the number of rows written."""
    try:
        writer = FORMATS[fmt]
    except KeyError:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}",
                         code="K314") from None
    return writer(store, target, **filters)
