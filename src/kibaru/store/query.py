"""Reading the store into pandas DataFrames: ``kibaru.open(path).events(country="MLI")``.

:class:`Corpus` opens the file read-only for each query and closes it right after, so an
analyst's notebook never keeps the lock that a later ``kibaru ingest`` needs. By default only
the newest version of each document counts (``all_versions=True`` includes the older ones).
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

import duckdb

from ..errors import UsageError
from .db import connect
from .migrations import apply_migrations
from .records import utc_now

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Corpus", "parse_date", "event_filters", "events_frame", "documents_frame",
           "quantities_frame", "TEXT_COLUMNS"]

Values = str | Iterable[str] | None

_CODE = re.compile(r"^[A-Z]{3}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: What the ``q`` filter searches (on ``e`` = events, ``d`` = documents), as the browser view.
TEXT_COLUMNS = ("e.trigger_text", "e.evidence_text", "e.actor_text", "e.actor_name",
                "e.recipient_text", "e.recipient_name", "e.location_name", "d.title")

#: Columns of ``documents`` joined to every event and quantity row.
_DOC_COLUMNS = ("source", "url", "doc_id", "title", "published", "language", "version",
                "source_key")


def _values(name: str, value: Values) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    if not items or not all(isinstance(v, str) and v.strip() for v in items):
        raise UsageError(f"filter {name}={value!r}: give a non-empty string or list of strings",
                         code="K310")
    return [v.strip() for v in items]


def _code(name: str, value: str) -> str:
    code = value.strip().upper()
    if not _CODE.match(code):
        raise UsageError(f"filter {name}={value!r}: give an ISO 3166-1 alpha-3 code or a "
                         "PLOVER international code, e.g. MLI, RUS, UNO", code="K311")
    return code


def parse_date(name: str, value: str | date | None) -> date | None:
    """``value`` (``YYYY-MM-DD`` or a :class:`datetime.date`) as a date, None for None.

    Raises :class:`~kibaru.errors.UsageError` ``K312`` naming ``name`` for anything else
    ("2024-13-45", "last week", "20240105").
    """
    if value is None or isinstance(value, date):
        return value
    text = str(value)
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{name} {value!r} is not a date (YYYY-MM-DD)", code="K312") from None


def event_filters(*, country: str | None = None, dyad: str | None = None, type: Values = None,
                  acled: Values = None, status: Values = None, since: str | date | None = None,
                  until: str | date | None = None, directed: bool = False,
                  q: str | None = None) -> tuple[list[str], list[Any]]:
    """SQL conditions (on ``e`` = events, ``d`` = documents) and their parameters: the one
    definition of the filters used by :meth:`Corpus.events`, ``kibaru events`` and
    ``kibaru export``.

    - ``country``: the actor's or the recipient's country (ISO 3166-1 alpha-3 or PLOVER's
      IGO/UNO/EUR/NGO/IMG... codes, case-insensitive);
    - ``dyad``: ``"RUS-MLI"``: Russia and Mali on the two sides, in either direction; with
      ``directed=True`` only actor RUS → recipient MLI;
    - ``type``: PLOVER types (``"AID"``) or categories (``"natural_disaster"``), one or a list;
    - ``acled``: ACLED event types or sub-event types, case-insensitive (``"Battles"``,
      ``"Armed clash"``);
    - ``status``: ``reported``, ``claimed``, ``denied``, ``planned``, ``hypothetical``,
      ``negated``, one or a list;
    - ``since`` / ``until``: inclusive bounds on the event's date, or on the document's
      publication date when the event has none (``YYYY-MM-DD`` or :class:`datetime.date`);
    - ``q``: free text found in the trigger, the evidence, the actor's or the recipient's text
      or name, the place name or the document's title (:data:`TEXT_COLUMNS`), ignoring case
      and accents (``"bamako"`` finds "BAMAKO", ``"menaka"`` finds "Ménaka"), as the browser
      view's search box.

    Raises :class:`~kibaru.errors.UsageError` ``K310``–``K313`` for malformed values.
    """
    where: list[str] = []
    params: list[Any] = []
    if country is not None:
        code = _code("country", country)
        where.append("(e.actor_country = ? OR e.recipient_country = ?)")
        params += [code, code]
    if dyad is not None:
        parts = dyad.split("-")
        if len(parts) != 2:
            raise UsageError(f"filter dyad={dyad!r}: give two codes joined by '-', e.g. "
                             "RUS-MLI", code="K313")
        first, second = _code("dyad", parts[0]), _code("dyad", parts[1])
        if directed:
            where.append("(e.actor_country = ? AND e.recipient_country = ?)")
            params += [first, second]
        else:
            where.append("((e.actor_country = ? AND e.recipient_country = ?) OR "
                         "(e.actor_country = ? AND e.recipient_country = ?))")
            params += [first, second, second, first]
    elif directed:
        raise UsageError("directed applies to a dyad: give dyad='RUS-MLI' with it", code="K313")
    types = _values("type", type)
    if types:
        marks = ", ".join("?" for _ in types)
        where.append(f"(upper(e.type) IN ({marks}) OR lower(e.category) IN ({marks}))")
        params += [t.upper() for t in types] + [t.lower() for t in types]
    acleds = _values("acled", acled)
    if acleds:
        marks = ", ".join("?" for _ in acleds)
        where.append(f"(lower(e.acled_event_type) IN ({marks}) "
                     f"OR lower(e.acled_sub_event_type) IN ({marks}))")
        params += [a.lower() for a in acleds] * 2
    statuses = _values("status", status)
    if statuses:
        where.append(f"e.status IN ({', '.join('?' for _ in statuses)})")
        params += [s.lower() for s in statuses]
    start, end = parse_date("since", since), parse_date("until", until)
    if start is not None:
        where.append("coalesce(e.date_value, d.published) >= ?")
        params.append(start)
    if end is not None:
        where.append("coalesce(e.date_value, d.published) <= ?")
        params.append(end)
    if q is not None:
        if not isinstance(q, str) or not q.strip():
            raise UsageError(f"filter q={q!r}: give some text to search for", code="K310")
        text = "concat_ws(chr(10), " + ", ".join(TEXT_COLUMNS) + ")"
        where.append(f"contains(lower(strip_accents({text})), lower(strip_accents(?)))")
        params.append(q.strip())
    return where, params


def events_frame(con: duckdb.DuckDBPyConnection, *, all_versions: bool = False,
                 include_json: bool = False, reviewed: bool = False,
                 include_rejected: bool = False, **filters: Any) -> pd.DataFrame:
    """One row per event (see :func:`event_filters` for ``filters``), in document then text
    order: every ``events`` column (``event_json`` only with ``include_json``) plus the
    document's ``source``, ``url``, ``doc_id``, ``title``, ``published``, ``language``,
    ``version`` and ``source_key``. With ``reviewed`` (the connection then needs
    :func:`~kibaru.store.reviews.prepare_reviews`), analysts' corrections replace the coded
    columns, ``review_status``, ``reviewed_by``, ``reviewed_at`` are added, and rejected
    events are left out unless ``include_rejected``."""
    from .reviews import reviewed_events

    where, params = event_filters(**filters)
    table = "events" if all_versions else "latest_events"
    drop = "" if include_json else " EXCLUDE (event_json)"
    if reviewed:
        table = f"({reviewed_events(table)})"
        drop = " EXCLUDE (review_patch)" if include_json else " EXCLUDE (event_json, review_patch)"
        if not include_rejected:
            where.append("e.review_status IS DISTINCT FROM 'reject'")
    docs = ", ".join(f"d.{c}" for c in _DOC_COLUMNS)
    sql = (f"SELECT e.*{drop}, {docs} FROM {table} e JOIN documents d USING (document_pk)"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY e.document_pk, e.event_no")
    return con.execute(sql, params).df()


def quantities_frame(con: duckdb.DuckDBPyConnection, *, all_versions: bool = False,
                     **filters: Any) -> pd.DataFrame:
    """One row per quantity of the events :func:`events_frame` selects with the same
    ``filters``: every ``quantities`` column plus the event's ``type``, ``actor_country``,
    ``recipient_country``, ``date_value``, ``status`` and the document's columns."""
    where, params = event_filters(**filters)
    table = "events" if all_versions else "latest_events"
    docs = ", ".join(f"d.{c}" for c in _DOC_COLUMNS)
    sql = ("SELECT q.*, e.type, e.actor_country, e.recipient_country, e.date_value, "
           f"e.status, {docs} FROM quantities q "
           f"JOIN {table} e USING (document_pk, event_no) JOIN documents d USING (document_pk)"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY q.document_pk, q.event_no, q.quantity_no")
    return con.execute(sql, params).df()


def documents_frame(con: duckdb.DuckDBPyConnection, *, status: str | None = None,
                    reason: str | None = None, all_versions: bool = False,
                    include_text: bool = True) -> pd.DataFrame:
    """One row per document (newest version of each input unless ``all_versions``), every
    ``documents`` column but the compressed ``raw`` input (``text`` only with
    ``include_text``), in storage order. ``status``: ``ok`` or ``rejected``; ``reason``: a
    rejection reason (``binary``, ``empty``, ``not-french``...)."""
    table = "documents" if all_versions else "latest_documents"
    drop = "raw" if include_text else "raw, text"
    where, params = [], []
    if status is not None:
        where.append("status = ?")
        params.append(status)
    if reason is not None:
        where.append("reason = ?")
        params.append(reason)
    sql = (f"SELECT * EXCLUDE ({drop}) FROM {table}"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY document_pk")
    return con.execute(sql, params).df()


class Corpus:
    """Read access to a Kibaru store file (what :func:`kibaru.open` returns).

    Each query opens the file read-only and closes it, so no lock is kept between queries;
    while a ``kibaru ingest`` writes to the file, queries fail with
    :class:`~kibaru.errors.StoreError` ``K401`` (DuckDB's one-writer rule). Opening checks that
    the file exists (:class:`~kibaru.errors.StoreError` ``K402``) and has this Kibaru's
    schema (``K403``/``K404``).

    Example::

        corpus = kibaru.open("kibaru.duckdb")
        aid = corpus.events(type="AID", dyad="RUS-MLI", since="2024-01-01")
        aid.groupby("recipient_country").size()
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        with self._connect():
            pass

    def _connect(self) -> duckdb.DuckDBPyConnection:
        con = connect(self.path, read_only=True)
        try:
            apply_migrations(con, path=self.path, now=utc_now(), read_only=True)
        except BaseException:
            con.close()
            raise
        return con

    def events(self, *, country: str | None = None, dyad: str | None = None,
               type: Values = None, acled: Values = None, status: Values = None,
               since: str | date | None = None, until: str | date | None = None,
               directed: bool = False, q: str | None = None, all_versions: bool = False,
               include_json: bool = False, reviews: bool = True,
               include_rejected: bool = False) -> pd.DataFrame:
        """Events as a DataFrame, one row per event (columns: :func:`events_frame`).

        Analysts' reviews made in ``kibaru serve`` apply (``reviews=True``, the default, as in
        ``kibaru events`` and ``kibaru export``): corrected fields replace the coded ones,
        ``review_status`` / ``reviewed_by`` / ``reviewed_at`` columns are added and rejected
        events are left out (``include_rejected=True`` keeps them); ``reviews=False`` gives
        the events as coded.

        Filters (all optional, combined with AND; see :func:`event_filters`): ``country="MLI"``
        (actor or recipient), ``dyad="RUS-MLI"`` (either direction; ``directed=True`` for
        actor → recipient only), ``type="AID"`` or a list, ``acled=
        "Battles"`` (event or sub-event type), ``status="reported"`` or a list, ``since`` /
        ``until`` (``YYYY-MM-DD``, inclusive, on the event date or else the publication date),
        ``q="menaka"`` (free text in the trigger, evidence, parties, place or title, ignoring
        case and accents). Raises :class:`~kibaru.errors.UsageError` (``K310``–``K313``) for
        a malformed filter.
        """
        with self._connect() as con:
            if reviews:
                from .reviews import prepare_reviews

                prepare_reviews(con, self.path)
            return events_frame(con, country=country, dyad=dyad, type=type, acled=acled,
                                status=status, since=since, until=until, directed=directed,
                                q=q, all_versions=all_versions, include_json=include_json,
                                reviewed=reviews, include_rejected=include_rejected)

    def quantities(self, *, all_versions: bool = False, **filters: Any) -> pd.DataFrame:
        """Quantities of the events :meth:`events` selects with the same filters, one row per
        quantity (value in ``unit``: ``t`` tonnes, ISO 4217 money, null for counts)."""
        with self._connect() as con:
            return quantities_frame(con, all_versions=all_versions, **filters)

    def documents(self, *, status: str | None = None, reason: str | None = None,
                  all_versions: bool = False, include_text: bool = True) -> pd.DataFrame:
        """Documents as a DataFrame (columns: :func:`documents_frame`), newest versions only
        unless ``all_versions``; ``status="rejected"`` with ``reason`` for the rejects."""
        with self._connect() as con:
            return documents_frame(con, status=status, reason=reason,
                                   all_versions=all_versions, include_text=include_text)

    def raw(self, document_pk: int) -> bytes | None:
        """The raw input of a document as it was read (bytes; UTF-8 for JSONL text), or None
        when it could not be read at all. Raises ``KeyError`` for an unknown document."""
        with self._connect() as con:
            row = con.execute("SELECT raw FROM documents WHERE document_pk = ?",
                              [document_pk]).fetchone()
        if row is None:
            raise KeyError(document_pk)
        return zlib.decompress(row[0]) if row[0] is not None else None

    def __repr__(self) -> str:
        return f"kibaru.Corpus({self.path!r})"
