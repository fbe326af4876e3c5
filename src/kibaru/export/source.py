"""Selecting events from a store: the filters of ``kibaru events`` / ``kibaru export`` and the
rows every export is written from.

A *store* argument may be a path to a Kibaru DuckDB file (opened read-only for the call and
closed right after, so no lock is kept), an open :class:`~kibaru.store.Store`, a
:class:`~kibaru.store.Corpus` (what :func:`kibaru.open` returns) or a DuckDB connection.

Selection rules, shared by the DataFrame, the table and every export format:

- only the newest version of each document counts (the store's ``latest_events`` view);
- an event stored under several documents (the same article at two URLs: its rows are copied,
  with the same event id) counts once, under the first document that stored it;
- events come in document order, then text order;
- analysts' reviews (:mod:`kibaru.store.reviews`, made in ``kibaru serve``) are honoured: a
  corrected field replaces the extracted one (in the columns and in the event object, which
  gains a ``review`` object), a rejected event is left out (``include_rejected=True`` keeps
  it), and the rows end with ``review_status``, ``reviewed_by`` and ``reviewed_at``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

import duckdb

from ..store import Corpus, Store, connect
from ..store.migrations import apply_migrations
from ..store.query import event_filters
from ..store.records import utc_now
from ..store.reviews import REVIEWED_EVENTS, apply_patch, prepare_reviews

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["StoreLike", "FILTERS", "reading", "event_query", "events_frame", "iter_events",
           "count_events",
           "record_batches", "check_filters"]

#: What a ``store`` argument may be (see the module docstring).
StoreLike = str | os.PathLike[str] | Store | Corpus | duckdb.DuckDBPyConnection

#: The filter keywords every selecting function accepts.
FILTERS = ("country", "dyad", "type", "acled", "status", "since", "until", "directed", "q")

#: Columns of ``documents`` joined to every event row.
DOCUMENT_COLUMNS = ("source", "url", "doc_id", "title", "published", "language", "version",
                    "source_key", "processed_at")


@contextmanager
def reading(store: StoreLike) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to ``store`` for the duration of the ``with`` block.

    Paths and :class:`~kibaru.store.Corpus` objects are opened read-only and closed on exit;
    raises :class:`~kibaru.errors.StoreError` ``K402`` when the file does not exist, ``K401``
    when another process is writing it, ``K403``/``K404`` for a schema of another Kibaru.
    An open :class:`~kibaru.store.Store` or connection is used as it is and left open.
    The current reviews of the store are loaded into the connection's temporary
    ``current_reviews`` table (:func:`~kibaru.store.reviews.prepare_reviews`).
    """
    if isinstance(store, Store):
        prepare_reviews(store.con, store.path)
        yield store.con
        return
    if isinstance(store, duckdb.DuckDBPyConnection):
        prepare_reviews(store)
        yield store
        return
    path = store.path if isinstance(store, Corpus) else os.fspath(store)
    con = connect(path, read_only=True)
    try:
        apply_migrations(con, path=path, now=utc_now(), read_only=True)
        prepare_reviews(con, path)
        yield con
    finally:
        con.close()


def check_filters(*, country: str | None = None, dyad: str | None = None,
                  type: str | list[str] | None = None, acled: str | list[str] | None = None,
                  status: str | list[str] | None = None, since: str | date | None = None,
                  until: str | date | None = None, directed: bool = False,
                  q: str | None = None) -> tuple[list[str], list[Any]]:
    """SQL conditions (on ``e`` = events, ``d`` = documents) and parameters for the filters.

    - ``country``: ISO 3166-1 alpha-3 (or PLOVER IGO/UNO/EUR/NGO/IMG...) code of the actor or
      the recipient, case-insensitive;
    - ``dyad``: ``"RUS-MLI"``: Russia and Mali on the two sides of the event, in either
      direction (actor RUS and recipient MLI, or actor MLI and recipient RUS); with
      ``directed=True`` only actor RUS → recipient MLI;
    - ``type``: PLOVER types or Kibaru categories, one or a list (``"AID"``,
      ``["ASSAULT", "COERCE"]``);
    - ``acled``: ACLED event types or sub-event types, case-insensitive (``"Battles"``,
      ``"Armed clash"``);
    - ``status``: ``reported``, ``claimed``, ``denied``, ``planned``, ``hypothetical``,
      ``negated``, one or a list;
    - ``since`` / ``until``: ``YYYY-MM-DD`` bounds, inclusive, on the event's date, or on the
      document's publication date when the event has no date of its own;
    - ``q``: free text in the trigger, evidence, parties, place name or title, ignoring case
      and accents.

    Codes and dates are checked by :func:`kibaru.store.query.event_filters`; raises
    :class:`~kibaru.errors.UsageError` ``K310``–``K313`` naming the bad value.
    """
    return event_filters(country=country, dyad=dyad, type=type, acled=acled, status=status,
                         since=since, until=until, directed=directed, q=q)


def event_query(*, include_json: bool = True, extra_where: str | None = None,
                include_rejected: bool = False, ordered: bool = True, dedupe: bool = True,
                **filters: Any) -> tuple[str, list[Any]]:
    """The SQL selecting the events that match ``filters`` (see :func:`check_filters`) and
    its parameters: every ``events`` column (``event_json`` and ``review_patch`` only with
    ``include_json``) with reviews applied, the review columns and the document's
    :data:`DOCUMENT_COLUMNS`, plus ``extra_where`` (SQL on ``e`` and ``d``). Events an
    analyst rejected are left out unless ``include_rejected``; ``ordered=False`` leaves out the
    document-and-text order (for a caller that sorts or counts); ``dedupe=False`` keeps every
    copy of an event stored under several documents (for a caller that hides the copies
    itself, as ``kibaru serve`` does). Run it on a connection from
    :func:`reading` (it needs the ``current_reviews`` table)."""
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise TypeError(f"unknown filter(s): {', '.join(sorted(unknown))}")
    where, params = check_filters(**filters)
    if extra_where:
        where.append(f"({extra_where})")
    if not include_rejected:
        where.append("e.review_status IS DISTINCT FROM 'reject'")
    drop = "" if include_json else " EXCLUDE (event_json, review_patch)"
    docs = ", ".join(f"d.{c}" for c in DOCUMENT_COLUMNS)
    sql = (f"SELECT e.*{drop}, {docs} FROM ({REVIEWED_EVENTS}) e "
           "JOIN documents d USING (document_pk)"
           + (" WHERE " + " AND ".join(where) if where else "")
           + (" QUALIFY row_number() OVER (PARTITION BY e.event_id "
              "ORDER BY e.document_pk, e.event_no) = 1" if dedupe else "")
           + (" ORDER BY e.document_pk, e.event_no" if ordered else ""))
    return sql, params


def events_frame(store: StoreLike, *, include_json: bool = False, **filters: Any
                 ) -> pd.DataFrame:
    """The events of ``store`` matching ``filters`` as a pandas DataFrame, one row per event.

    Columns: every column of the store's ``events`` table (CONTRACT.md fields flattened:
    ``type``, ``mode``, ``context``, ``actor_country``, ``recipient_sector``, ``geonames_id``,
    ``lat``, ``lon``, ``date_value``, ``status``, ``acled_sub_event_type``, offsets...;
    ``event_json``, the exact CONTRACT event object, only with ``include_json``) and the
    document's ``source``, ``url``, ``doc_id``, ``title``, ``published``, ``language``,
    ``version``, ``source_key`` and ``processed_at``. Filters: :func:`check_filters`.

    Example::

        from kibaru.export import events_frame
        frame = events_frame("kibaru.duckdb", dyad="RUS-MLI", since="2024-01-01")
        frame.groupby("type").size()
    """
    sql, params = event_query(include_json=include_json, **filters)
    with reading(store) as con:
        return con.execute(sql, params).df()


def iter_events(store: StoreLike, *, batch: int = 2000, extra_where: str | None = None,
                **filters: Any) -> Generator[dict[str, Any], None, None]:
    """The events matching ``filters``, one dict per event, streamed in batches of ``batch``
    rows: the row's columns (as :func:`events_frame`, dates as :class:`datetime.date`) plus
    ``event``, the CONTRACT event object parsed from ``event_json``."""
    sql, params = event_query(include_json=True, extra_where=extra_where, **filters)
    with reading(store) as con:
        cur = con.execute(sql, params)
        names = [d[0] for d in cur.description]
        while rows := cur.fetchmany(batch):
            for row in rows:
                item = dict(zip(names, row, strict=True))
                item["event"] = apply_patch(json.loads(item.pop("event_json")),
                                            item["review_status"], item.pop("review_patch"),
                                            reviewer=item["reviewed_by"],
                                            at=item["reviewed_at"])
                yield item


def record_batches(store: StoreLike, *, batch: int = 65536, **filters: Any
                   ) -> Iterator[pa.RecordBatch]:
    """The rows of :func:`events_frame` as Arrow record batches (dates as ``date32``,
    ``context`` as a list of strings), streamed so exports need not hold a whole corpus."""
    sql, params = event_query(include_json=False, **filters)
    with reading(store) as con:
        yield from con.sql(sql, params=params).to_arrow_reader(batch)


def count_events(store: StoreLike, **filters: Any) -> int:
    """The number of events :func:`events_frame` would return for ``filters``."""
    sql, params = event_query(include_json=False, **filters)
    with reading(store) as con:
        row = con.execute(f"SELECT count(*) FROM ({sql}) sel", params).fetchone()
    return int(row[0]) if row else 0
