"""Export stage: the events of a store as pandas DataFrames, CSV, JSONL, Parquet, ACLED CSV and
PLOVER JSONL, and corpus statistics (``kibaru events``, ``kibaru export``, ``kibaru stats``).

It comes after the store, which it only reads (a path is opened read-only for each call).

- :func:`events_frame` (``events_frame("kibaru.duckdb", dyad="RUS-MLI")``): one row per
  event; filters ``country``, ``dyad`` (either direction, or ``directed=True``), ``type``,
  ``acled``, ``status``, ``since``, ``until`` (:func:`~kibaru.export.source.check_filters`);
- writers (:mod:`kibaru.export.writers`): :func:`write_csv`, :func:`write_jsonl`,
  :func:`write_parquet`, :func:`write_acled_csv` (:mod:`kibaru.export.acled`: ACLED's columns,
  inter codes from PLOVER sectors, English ``notes``), :func:`write_plover_jsonl`
  (:mod:`kibaru.export.plover`: PLOVER JSON fields);
- :func:`summary` (:mod:`kibaru.export.english`): one English sentence per event;
- :func:`corpus_stats`: counts by type, dyad and month.

Errors: :class:`~kibaru.errors.UsageError` ``K310``–``K314`` (a malformed filter, a format
that needs a file), :class:`~kibaru.errors.StoreError` ``K401``–``K404`` (the store cannot be
read).

Example::

    from kibaru.export import events_frame, write_acled_csv
    frame = events_frame("kibaru.duckdb", country="MLI", since="2024-01-01")
    write_acled_csv("kibaru.duckdb", "mali-acled.csv", country="MLI")
"""

from __future__ import annotations

from .acled import ACLED_COLUMNS, acled_rows, inter_code
from .english import summary
from .plover import PLOVER_FIELDS, plover_records
from .source import check_filters, count_events, events_frame, iter_events
from .stats import Stats, corpus_stats
from .writers import (
    FORMATS,
    write,
    write_acled_csv,
    write_csv,
    write_jsonl,
    write_parquet,
    write_plover_jsonl,
)

__all__ = [
    "ACLED_COLUMNS",
    "FORMATS",
    "PLOVER_FIELDS",
    "Stats",
    "acled_rows",
    "check_filters",
    "corpus_stats",
    "count_events",
    "events_frame",
    "inter_code",
    "iter_events",
    "plover_records",
    "summary",
    "write",
    "write_acled_csv",
    "write_csv",
    "write_jsonl",
    "write_parquet",
    "write_plover_jsonl",
]
