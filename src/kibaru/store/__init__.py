"""Store stage: the embedded DuckDB store of documents, events, quantities and removed blocks.

It comes after resolve (it may import every earlier stage) and before serving and exports.

- :class:`Store` (``with Store("kibaru.duckdb") as store``): the one writer of a file; applies
  the numbered migrations of :mod:`kibaru.store.migrations`; writes each document with its rows
  in one transaction.
- :func:`ingest` / :func:`reprocess`: corpus runs (``kibaru ingest``, ``kibaru reprocess``);
  idempotent by content hash, one version per changed content under the same URL or path.
- :func:`build_record` (:mod:`kibaru.store.records`): the rows of one input, computed without
  the database, so other processes (Dask workers) can code documents and hand the records to
  the one writing process (:meth:`Store.plan` decides, :meth:`Store.write` writes).
- :class:`Corpus` (what :func:`kibaru.open` returns): read-only pandas access with filters.

Errors: :class:`~kibaru.errors.StoreError` ``K401``–``K405`` (locked, cannot open, schema too
new, schema too old for a read-only open, write refused).
"""

from __future__ import annotations

from .db import DEFAULT_DB, Plan, Store, Written, connect
from .migrations import LATEST, MIGRATIONS, Migration
from .query import Corpus
from .records import (
    REJECT_REASONS,
    DocumentRecord,
    build_record,
    content_hash,
    raw_from_row,
    source_key,
)
from .run import IngestSummary, ReprocessSummary, ingest, reprocess
from .version import extractor_version

__all__ = [
    "DEFAULT_DB",
    "LATEST",
    "MIGRATIONS",
    "REJECT_REASONS",
    "Corpus",
    "DocumentRecord",
    "IngestSummary",
    "Migration",
    "Plan",
    "ReprocessSummary",
    "Store",
    "Written",
    "build_record",
    "connect",
    "content_hash",
    "extractor_version",
    "ingest",
    "raw_from_row",
    "reprocess",
    "source_key",
]
