"""Analysts' reviews of events: confirm, reject or correct, kept in their own DuckDB file.

DuckDB lets one process write a file at a time, so reviews never go into the main store (which
``kibaru ingest`` and ``kibaru reprocess`` write): they live in ``<store>.reviews.duckdb`` next
to it (:func:`reviews_path`), written only by ``kibaru serve`` (open, insert, close for each
review), read by everyone.

A review attaches to the event's ``event_id``, which CONTRACT.md defines as a hash of the
document's content hash, the event type and the trigger span: it survives ``kibaru reprocess``
and re-ingests of the same content, and follows the same text stored under another URL. The
review also keeps the document's ``source_key`` and raw ``content_hash``, the trigger span and
the extracted type and event object, for provenance and training data.

Reviews are append-only: the newest review of an event is its current one (the history stays).
``action``: ``confirm``, ``reject`` (the event is dropped from ``kibaru events`` and
``kibaru export``) or ``correct`` (``patch`` maps the corrected columns to their values:
:data:`PATCHABLE`).

Readers call :func:`prepare_reviews` on their connection: it copies the current reviews into a
temporary table ``current_reviews`` and detaches the file at once, so a long export never
blocks the server's next review. :data:`REVIEWED_EVENTS` is the SQL of the events with the
corrections applied.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from ..errors import StoreError, UsageError
from .records import utc_now

__all__ = ["ACTIONS", "PATCHABLE", "REVIEWED_EVENTS", "REVIEW_COLUMNS", "Review",
           "ReviewStore", "apply_patch", "install_reviews", "prepare_reviews",
           "read_current_reviews", "reviewed_events", "reviews_path"]

#: What a review does to an event.
ACTIONS = ("confirm", "reject", "correct")

#: Columns a correction may set, with their DuckDB types.
PATCHABLE: dict[str, str] = {
    "type": "VARCHAR", "mode": "VARCHAR",
    "actor_country": "VARCHAR", "actor_name": "VARCHAR", "actor_sector": "VARCHAR",
    "recipient_country": "VARCHAR", "recipient_name": "VARCHAR", "recipient_sector": "VARCHAR",
    "location_name": "VARCHAR", "location_country": "VARCHAR", "geonames_id": "BIGINT",
    "lat": "DOUBLE", "lon": "DOUBLE", "date_value": "DATE", "date_precision": "VARCHAR",
}

#: Columns a reviewed-events relation adds after the event's own columns.
REVIEW_COLUMNS = ("review_status", "reviewed_by", "reviewed_at", "review_patch")

_SCHEMA = """
CREATE SEQUENCE IF NOT EXISTS review_pk_seq START 1;
CREATE TABLE IF NOT EXISTS reviews (
    review_pk      BIGINT PRIMARY KEY DEFAULT nextval('review_pk_seq'),
    event_id       VARCHAR NOT NULL,
    source_key     VARCHAR,
    content_hash   VARCHAR,
    trigger_start  INTEGER,
    trigger_end    INTEGER,
    extracted_type VARCHAR,
    action         VARCHAR NOT NULL CHECK (action IN ('confirm', 'reject', 'correct')),
    patch          JSON,
    note           VARCHAR,
    reviewer       VARCHAR NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    original       JSON
);
CREATE INDEX IF NOT EXISTS reviews_event ON reviews (event_id);
"""

_CURRENT = ("SELECT event_id, action, reviewer, created_at, patch FROM {src} "
            "QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY review_pk DESC) = 1")

#: ``current_reviews``: the newest review of each event, with each correctable column
#: unpacked from the patch once (``p_<column>`` its value, ``h_<column>`` whether it is set),
#: so applying reviews to a million events costs a join, not a JSON lookup per row.
_EMPTY = ("CREATE OR REPLACE TEMP TABLE current_reviews (event_id VARCHAR, action VARCHAR, "
          "reviewer VARCHAR, created_at TIMESTAMP, patch JSON, "
          + ", ".join(f"p_{c} {t}, h_{c} BOOLEAN" for c, t in PATCHABLE.items()) + ")")


def _unpacked(src: str) -> str:
    cols = ", ".join(
        f"TRY_CAST(patch->>'$.{c}' AS {t}) AS p_{c}, "
        f"(action = 'correct' AND coalesce(json_exists(patch, '$.{c}'), false)) AS h_{c}"
        for c, t in PATCHABLE.items())
    return f"SELECT event_id, action, reviewer, created_at, patch, {cols} FROM ({src})"


def reviews_path(db: str | os.PathLike[str]) -> Path:
    """The reviews file of store ``db``: ``kibaru.duckdb`` → ``kibaru.reviews.duckdb``."""
    path = Path(db)
    stem = path.name[:-len(".duckdb")] if path.name.endswith(".duckdb") else path.name
    return path.with_name(f"{stem}.reviews.duckdb")


def _retry(action: Callable[[], Any], *, wait: float, what: str) -> Any:
    """Run ``action``, retrying while DuckDB reports a lock, up to ``wait`` seconds."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return action()
        except duckdb.Error as exc:
            if "lock" not in str(exc).lower():
                raise StoreError(f"{what}: {str(exc).splitlines()[0]}", code="K402") from None
            if time.monotonic() >= deadline:
                raise StoreError(f"{what} is locked by another process; try again in a "
                                 "moment", code="K401") from None
            time.sleep(0.05)


def _main_path(con: duckdb.DuckDBPyConnection) -> str | None:
    for row in con.execute("PRAGMA database_list").fetchall():
        if row[1] == "main":
            return str(row[2]) if row[2] else None
    return None


#: One lock per reviews file, for the threads of this process: DuckDB refuses to open a file
#: read-only in a process that has it open for writing, so the server's reads and writes of
#: its reviews file take turns (each lasts milliseconds).
_FILE_LOCKS: dict[str, threading.Lock] = {}
_FILE_LOCKS_GUARD = threading.Lock()


@contextmanager
def _in_process(path: Path) -> Iterator[None]:
    with _FILE_LOCKS_GUARD:
        lock = _FILE_LOCKS.setdefault(str(path.resolve()), threading.Lock())
    with lock:
        yield


def read_current_reviews(db: str | os.PathLike[str], *, wait: float = 5.0) -> Any:
    """The newest review of each event in the reviews file of store ``db``, as a pyarrow
    table (None when there is no reviews file). The file is opened read-only on its own
    connection and closed right away, retrying up to ``wait`` seconds while the server
    writes it."""
    rpath = reviews_path(db)
    if not rpath.exists():
        return None

    def read() -> Any:
        with _in_process(rpath):
            rcon = duckdb.connect(str(rpath), read_only=True)
            try:
                return rcon.sql(_CURRENT.format(src="reviews")).to_arrow_table()
            finally:
                rcon.close()

    return _retry(read, wait=wait, what=str(rpath))


def install_reviews(con: duckdb.DuckDBPyConnection, table: Any) -> int:
    """Make ``con``'s temporary table ``current_reviews`` from ``table`` (what
    :func:`read_current_reviews` returned; None for none); return its number of rows."""
    con.execute(_EMPTY)
    if table is None or table.num_rows == 0:
        return 0
    name = f"kibaru_reviews_{uuid.uuid4().hex}"
    con.register(name, table)
    try:
        con.execute("INSERT INTO current_reviews " + _unpacked(f"SELECT * FROM {name}"))
    finally:
        con.unregister(name)
    return int(table.num_rows)


def prepare_reviews(con: duckdb.DuckDBPyConnection, db: str | os.PathLike[str] | None = None,
                    *, wait: float = 5.0) -> int:
    """Make the temporary table ``current_reviews`` (the newest review of each event) on
    ``con``, read from the reviews file of store ``db`` (default: the file ``con`` has open),
    or empty when there is none; return its number of rows
    (:func:`read_current_reviews` then :func:`install_reviews`)."""
    path = os.fspath(db) if db is not None else _main_path(con)
    return install_reviews(con, read_current_reviews(path, wait=wait) if path else None)


def _override(column: str) -> str:
    if column.endswith("_sector"):
        # a corrected country without a sector leaves the sector unknown: the old one
        # belonged to the old party ("Civilians (Mali)" must not carry out an air strike)
        side = column[:-len("_sector")]
        return (f"CASE WHEN r.h_{column} THEN r.p_{column} WHEN r.h_{side}_country AND "
                f"r.p_{side}_country IS DISTINCT FROM e.{side}_country THEN NULL "
                f"ELSE e.{column} END AS {column}")
    return f"CASE WHEN r.h_{column} THEN r.p_{column} ELSE e.{column} END AS {column}"


def reviewed_events(table: str = "latest_events") -> str:
    """SQL of the events of ``table`` (``latest_events`` or ``events``) with their current
    review applied: corrected columns replaced, plus ``review_status`` (confirm, reject,
    correct or NULL), ``reviewed_by``, ``reviewed_at`` and ``review_patch``. Needs
    :func:`prepare_reviews` on the connection."""
    if table not in ("latest_events", "events"):
        raise ValueError(table)
    return ("SELECT e.* REPLACE (" + ", ".join(_override(c) for c in PATCHABLE)
            + "), r.action AS review_status, r.reviewer AS reviewed_by, "
            f"r.created_at AS reviewed_at, r.patch AS review_patch FROM {table} e "
            "LEFT JOIN current_reviews r USING (event_id)")


#: :func:`reviewed_events` of the newest version of every document.
REVIEWED_EVENTS = reviewed_events()


def _party_patch(obj: dict[str, Any], side: str, patch: dict[str, Any]) -> None:
    keys = {k[len(side) + 1:]: v for k, v in patch.items() if k.startswith(side + "_")}
    if not keys:
        return
    party = dict(obj.get(side) or {"text": None, "name": None, "country": None,
                                   "sector": None, "start": None, "end": None})
    if "country" in keys and "sector" not in keys and party.get("country") != keys["country"]:
        party["sector"] = None  # the old sector belonged to the old party
    party.update(keys)
    obj[side] = party if party.get("country") or party.get("name") else None


def apply_patch(event: dict[str, Any], status: str | None, patch: Any, *,
                reviewer: str | None = None, at: Any = None) -> dict[str, Any]:
    """The CONTRACT event object ``event`` with a review applied: corrected fields set from
    ``patch`` (a dict of :data:`PATCHABLE` columns, or its JSON text) and a ``review`` object
    (``status``, ``reviewer``, ``at``) added; ``event`` itself unchanged when ``status`` is
    None."""
    if status is None:
        return event
    out = dict(event)
    values = json.loads(patch) if isinstance(patch, str) else dict(patch or {})
    if status == "correct" and values:
        for key in ("type", "mode"):
            if key in values:
                out[key] = values[key]
        _party_patch(out, "actor", values)
        _party_patch(out, "recipient", values)
        loc_keys = {"location_name": "name", "location_country": "country",
                    "geonames_id": "geonames_id", "lat": "lat", "lon": "lon"}
        if any(k in values for k in loc_keys):
            loc = dict(out.get("location") or {"text": None, "name": None, "geonames_id": None,
                                               "country": None, "lat": None, "lon": None,
                                               "feature": None})
            for k, target in loc_keys.items():
                if k in values:
                    loc[target] = values[k]
            out["location"] = loc if loc.get("name") else None
        if "date_value" in values:
            date = dict(out.get("date") or {"text": None, "value": None, "precision": None})
            date["value"] = values["date_value"]
            date["precision"] = values.get("date_precision") or date.get("precision") or "day"
            out["date"] = date if date["value"] else None
    when = at.isoformat(sep=" ") if isinstance(at, datetime) else at
    out["review"] = {"status": status, "reviewer": reviewer, "at": when}
    return out


@dataclass(frozen=True)
class Review:
    """One stored review (a row of the ``reviews`` table)."""

    review_pk: int
    event_id: str
    action: str
    patch: dict[str, Any]
    note: str | None
    reviewer: str
    created_at: datetime
    source_key: str | None
    content_hash: str | None
    trigger_start: int | None
    trigger_end: int | None
    extracted_type: str | None
    original: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "review_pk": self.review_pk, "event_id": self.event_id, "action": self.action,
            "patch": self.patch, "note": self.note, "reviewer": self.reviewer,
            "created_at": self.created_at.isoformat(sep=" "), "source_key": self.source_key,
            "content_hash": self.content_hash, "trigger_start": self.trigger_start,
            "trigger_end": self.trigger_end, "extracted_type": self.extracted_type,
        }


_FIELDS = ("review_pk", "event_id", "action", "patch", "note", "reviewer", "created_at",
           "source_key", "content_hash", "trigger_start", "trigger_end", "extracted_type",
           "original")


def _review(row: tuple[Any, ...]) -> Review:
    values = dict(zip(_FIELDS, row, strict=True))
    values["patch"] = json.loads(values["patch"]) if values["patch"] else {}
    values["original"] = json.loads(values["original"]) if values["original"] else None
    return Review(**values)


class ReviewStore:
    """The reviews file of a store (:func:`reviews_path`). Every call opens the file, does its
    work and closes it, so the server is its only writer only while it writes, and readers
    (``kibaru events``, ``kibaru export``) are never locked out for long.

    ``now`` is the clock (UTC) for ``created_at``; ``wait`` how long to retry while another
    process holds the file. Raises :class:`~kibaru.errors.StoreError` ``K401`` when the file
    stays locked, :class:`~kibaru.errors.UsageError` ``K320`` for a malformed review.
    """

    def __init__(self, db: str | os.PathLike[str], *, now: Callable[[], datetime] = utc_now,
                 wait: float = 3.0) -> None:
        self.path = reviews_path(db)
        self.now = now
        self.wait = wait

    def _open(self, *, write: bool) -> duckdb.DuckDBPyConnection:
        def go() -> duckdb.DuckDBPyConnection:
            con = duckdb.connect(str(self.path), read_only=not write)
            if write:
                con.execute(_SCHEMA)
            return con

        con: duckdb.DuckDBPyConnection = _retry(go, wait=self.wait, what=str(self.path))
        return con

    @contextmanager
    def _connection(self, *, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        with _in_process(self.path):
            con = self._open(write=write)
            try:
                yield con
            finally:
                con.close()

    def add(self, *, event_id: str, action: str, reviewer: str,
            patch: dict[str, Any] | None = None, note: str | None = None,
            source_key: str | None = None, content_hash: str | None = None,
            trigger_start: int | None = None, trigger_end: int | None = None,
            extracted_type: str | None = None,
            original: dict[str, Any] | None = None) -> Review:
        """Store one review (see the module docstring) and return it."""
        if action not in ACTIONS:
            raise UsageError(f"review action {action!r}: use one of {', '.join(ACTIONS)}",
                             code="K320")
        values = dict(patch or {})
        unknown = set(values) - set(PATCHABLE)
        if unknown:
            raise UsageError(f"cannot correct {', '.join(sorted(unknown))}: correctable "
                             f"fields are {', '.join(PATCHABLE)}", code="K320")
        if action == "correct" and not values:
            raise UsageError("a correction needs at least one corrected field", code="K320")
        if not reviewer.strip():
            raise UsageError("a review needs a reviewer name", code="K320")
        with self._connection(write=True) as con:
            row = con.execute(
                "INSERT INTO reviews (event_id, source_key, content_hash, trigger_start, "
                "trigger_end, extracted_type, action, patch, note, reviewer, created_at, "
                "original) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "
                + ", ".join(_FIELDS),
                [event_id, source_key, content_hash, trigger_start, trigger_end,
                 extracted_type, action, json.dumps(values if action == "correct" else {},
                                                    ensure_ascii=False),
                 note, reviewer.strip(), self.now(),
                 json.dumps(original, ensure_ascii=False, default=str) if original else None]
            ).fetchone()
        assert row is not None
        return _review(row)

    def history(self, event_id: str | None = None) -> list[Review]:
        """Every review (of ``event_id`` only, when given), oldest first."""
        if not self.path.exists():
            return []
        with self._connection(write=False) as con:
            sql = f"SELECT {', '.join(_FIELDS)} FROM reviews"
            params: list[Any] = []
            if event_id is not None:
                sql += " WHERE event_id = ?"
                params.append(event_id)
            rows = con.execute(sql + " ORDER BY review_pk", params).fetchall()
        return [_review(r) for r in rows]

    def current(self) -> list[Review]:
        """The newest review of each reviewed event, in review order."""
        latest: dict[str, Review] = {}
        for review in self.history():
            latest.pop(review.event_id, None)
            latest[review.event_id] = review
        return list(latest.values())

    def training_records(self, lookup: Callable[[str], dict[str, Any] | None] | None = None
                         ) -> Iterator[dict[str, Any]]:
        """One JSON-ready object per reviewed event (its current review): the extracted event
        (``extracted``, the CONTRACT object at review time), the ``label`` after review (the
        same object with the correction applied; None for a rejected event), the ``action``,
        ``reviewer``, ``reviewed_at`` and the anchor (``event_id``, ``source_key``,
        ``content_hash``, trigger span, extracted type).

        A review made while the store was busy has no copy of the event: ``lookup(event_id)``
        (e.g. a read of the store) may supply ``original``, ``source_key``, ``content_hash``,
        ``trigger_start``, ``trigger_end`` and ``extracted_type``."""
        for r in self.current():
            if r.original is None and lookup is not None:
                found = lookup(r.event_id)
                if found:
                    r = dataclasses.replace(r, **found)
            original = r.original or {}
            label = None if r.action == "reject" else apply_patch(
                original, r.action, r.patch, reviewer=r.reviewer, at=r.created_at)
            if label is not None:
                label = {k: v for k, v in label.items() if k != "review"}
            yield {
                "schema": "kibaru.review/1", "event_id": r.event_id, "action": r.action,
                "reviewer": r.reviewer, "reviewed_at": r.created_at.isoformat(sep=" "),
                "note": r.note, "source_key": r.source_key, "content_hash": r.content_hash,
                "trigger": {"start": r.trigger_start, "end": r.trigger_end,
                            "text": (original.get("trigger") or {}).get("text")},
                "extracted_type": r.extracted_type,
                "evidence": (original.get("evidence") or {}).get("text"),
                "extracted": r.original, "label": label,
            }
