"""The DuckDB store: one file, opened by one writing process (DESIGN.md "Known pitfalls").

:class:`Store` applies the schema migrations on open, decides what an input needs
(:meth:`Store.plan`: unchanged, reuse of identical content already coded, or processing) and
writes each document with its events, quantities and removed blocks in one transaction
(:meth:`Store.write`, :meth:`Store.replace`), so a crash at any moment leaves every document
either fully stored or absent. It is not thread-safe: use it from one thread.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import duckdb

from ..errors import InputError, StoreError
from ..ingest import RawDoc
from .migrations import LATEST, applied_versions, apply_migrations
from .records import (
    DOCUMENT_INPUT_COLUMNS,
    DOCUMENT_RESULT_COLUMNS,
    EVENT_COLUMNS,
    QUANTITY_COLUMNS,
    REMOVED_COLUMNS,
    DocumentRecord,
    content_hash,
    error_hash,
    input_columns,
    source_key,
    utc_now,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Store", "Plan", "Written", "DEFAULT_DB", "connect"]

#: Default store file, in the current folder (``--db`` / ``KIBARU_DB`` change it).
DEFAULT_DB = "kibaru.duckdb"


def _fix_for_lock(path: str, message: str) -> StoreError:
    pid = re.search(r"PID (\d+)", message)
    who = f"process {pid[1]}" if pid else "another process"
    return StoreError(
        f"{path} is locked by {who}: DuckDB lets one process write a store file at a time. "
        f"Wait for that run to finish (or stop it), or give another file with --db",
        code="K401")


def readers_waiting(path: str | os.PathLike[str]) -> str:
    """The flag file a reader creates next to store ``path`` while it waits for a writer's
    lock (:meth:`Store.yield_to_readers` lets it in)."""
    return os.fspath(path) + ".readers-waiting"


def mark_reader_waiting(path: str | os.PathLike[str], waiting: bool = True) -> None:
    """Create (``waiting``) or remove the :func:`readers_waiting` flag of store ``path``;
    errors (a read-only folder) are ignored: the reader then just waits for the writer."""
    flag = readers_waiting(path)
    with contextlib.suppress(OSError):
        if waiting:
            open(flag, "a", encoding="utf-8").close()
        else:
            os.remove(flag)


def _is_duckdb_file(path: str) -> bool:
    """True when ``path`` starts like a DuckDB database file (the magic bytes ``DUCK`` at
    offset 8 of its header); False for other files or when it cannot be read."""
    try:
        with open(path, "rb") as fh:
            return fh.read(12)[8:12] == b"DUCK"
    except OSError:
        return False


def connect(path: str | os.PathLike[str], *, read_only: bool = False, wait: float = 0.0
            ) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to ``path`` with DuckDB's errors turned into
    :class:`~kibaru.errors.StoreError`: ``K401`` locked by another process, ``K402`` missing
    (read-only), unreadable or not a DuckDB file.

    ``wait``: seconds to keep retrying while another process holds the file (a reader such as
    ``kibaru serve`` keeps it only for one request), before ``K401``.
    Inside one process, a read-only open of a file this process already writes falls back to
    sharing the writer's database (DuckDB refuses two configurations for one file).
    """
    where = os.fspath(path)
    if read_only and not os.path.exists(where):
        raise StoreError(f"no store at {where}: create one with 'kibaru ingest INPUT --db "
                         f"{where}'", code="K402")
    if os.path.isfile(where) and os.path.getsize(where) > 0 and not _is_duckdb_file(where):
        raise StoreError(f"cannot open store {where}: not a DuckDB file (a store is the "
                         "file 'kibaru ingest --db' writes; inputs go to 'kibaru ingest')",
                         code="K402")
    deadline = time.monotonic() + wait
    flagged = False
    try:
        while True:
            try:
                return duckdb.connect(where, read_only=read_only)
            except duckdb.Error as exc:
                if "lock" in str(exc).lower() and time.monotonic() < deadline:
                    if read_only and not flagged:
                        mark_reader_waiting(where)  # ask the writer to let us in
                        flagged = True
                    time.sleep(0.05)
                    continue
                message = str(exc)
                break
    finally:
        if flagged:
            mark_reader_waiting(where, waiting=False)
    if "lock" in message.lower():
        raise _fix_for_lock(where, message)
    if read_only and "different configuration" in message:
        try:
            return duckdb.connect(where)
        except duckdb.Error:
            pass
    raise StoreError(f"cannot open store {where}: {message.splitlines()[0]}; check the "
                     "path and its permissions, and that it is a Kibaru DuckDB file",
                     code="K402")


@dataclass(frozen=True)
class Plan:
    """What an input needs, decided before any processing.

    ``action``: ``unchanged`` (the newest stored version under ``source_key`` has this
    ``content_hash``: nothing to do), ``reuse`` (the same content, with the same default
    publication date, was already coded by the current extractor under another key or an older
    version: its rows are copied from document ``reuse_pk``), or ``process`` (run the pipeline).
    """

    action: Literal["unchanged", "reuse", "process"]
    source_key: str
    content_hash: str
    reuse_pk: int | None = None


@dataclass(frozen=True)
class Written:
    """What :meth:`Store.write` did: ``outcome`` ``new`` (first version under its key),
    ``new_version``, or ``unchanged`` (nothing written); the document's ``document_pk`` and
    ``version``, its ``status``, ``reason`` and number of events."""

    outcome: Literal["new", "new_version", "unchanged"]
    document_pk: int
    version: int
    status: str
    reason: str | None
    n_events: int


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str],
            rows: list[dict[str, Any]], document_pk: int) -> None:
    if not rows:
        return
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    con.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                    [[document_pk if c == "document_pk" else r.get(c) for c in columns]
                     for r in rows])


class Store:
    """A Kibaru DuckDB store, opened for writing (or ``read_only``); a context manager.

    ``Store(path)`` creates the file if needed and applies pending migrations
    (:mod:`kibaru.store.migrations`). ``now`` is the clock for ``ingested_at`` /
    ``processed_at`` (UTC, injected in tests). Raises :class:`~kibaru.errors.StoreError`:
    ``K401`` another process has the file open, ``K402`` it cannot be opened or is a DuckDB
    file of something else (tables but no Kibaru schema; an empty one is initialised),
    ``K403`` its schema is newer than this Kibaru, ``K404`` its schema is older and
    ``read_only`` is set.

    Example::

        with Store("kibaru.duckdb") as store:
            summary = ingest(store, iter_inputs(["corpus/"]))
            frame = store.events(country="MLI")
    """

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_DB, *, read_only: bool = False,
                 now: Callable[[], datetime] = utc_now, lock_wait: float = 0.0) -> None:
        self.path = os.fspath(path)
        self.read_only = read_only
        self.now = now
        self.con = connect(self.path, read_only=read_only, wait=lock_wait)
        self.lock_wait = lock_wait
        self._opened = time.monotonic()
        self._latest: dict[str, tuple[int, int, str]] | None = None
        try:
            self.migrations_applied = apply_migrations(self.con, path=self.path, now=now(),
                                                       read_only=read_only)
        except BaseException:
            self.con.close()
            raise

    # -- life cycle ------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (DuckDB checkpoints the write-ahead log into the file)."""
        self.con.close()

    def yield_to_readers(self, every: float = 1.0) -> bool:
        """Between two committed documents, let readers in: when the connection has been
        open for ``every`` seconds or more and a reader waits (:func:`readers_waiting`),
        close it (DuckDB releases the file lock a
        writer holds for as long as it is open) and open it again, waiting up to
        ``lock_wait`` seconds for a reader (``kibaru serve`` keeps the file only for one
        request). Returns True when it did. Raises :class:`~kibaru.errors.StoreError`
        ``K401`` when a reader holds the file longer than ``lock_wait`` (at least 5 s)."""
        if self.read_only or time.monotonic() - self._opened < every:
            return False
        if not os.path.exists(readers_waiting(self.path)):
            self._opened = time.monotonic()  # nobody waits: keep the connection
            return False
        self.con.close()
        time.sleep(0.2)  # the reader polls every 0.05 s
        self.con = connect(self.path, wait=max(self.lock_wait, 5.0))
        self._opened = time.monotonic()
        return True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The newest migration recorded in ``schema_migrations`` (:data:`LATEST` once open)."""
        done = applied_versions(self.con)
        return done[-1] if done else 0

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """``BEGIN`` … ``COMMIT``, rolled back on any exception (which is re-raised)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # -- deciding --------------------------------------------------------------------------

    def latest(self, key: str) -> tuple[int, int, str] | None:
        """``(document_pk, version, content_hash)`` of the newest version under ``key``.

        Read from an in-memory table of every key's newest version, loaded with one query on
        first use and kept up to date by this writer (the only one: DuckDB allows one writing
        process per file), so a re-ingest costs no query per document."""
        if self._latest is None:
            rows = self.con.execute(
                "SELECT source_key, document_pk, version, content_hash FROM documents "
                "QUALIFY row_number() OVER (PARTITION BY source_key ORDER BY version DESC) = 1"
            ).fetchall()
            self._latest = {str(r[0]): (int(r[1]), int(r[2]), str(r[3])) for r in rows}
        return self._latest.get(key)

    def _remember(self, key: str, pk: int, version: int, digest: str) -> None:
        if self._latest is not None:
            self._latest[key] = (pk, version, digest)

    def plan(self, item: RawDoc | InputError, *, default_published: str | None,
             extractor_version: str) -> Plan:
        """Decide what ``item`` needs (see :class:`Plan`) from its key and content hash."""
        digest = content_hash(item) if isinstance(item, RawDoc) else error_hash(item)
        key = source_key(item, digest=digest)
        latest = self.latest(key)
        if latest is not None and latest[2] == digest:
            return Plan("unchanged", key, digest)
        if isinstance(item, RawDoc):
            row = self.con.execute(
                "SELECT document_pk FROM documents WHERE content_hash = ? "
                "AND default_published IS NOT DISTINCT FROM ? AND extractor_version = ? "
                "AND raw IS NOT NULL AND coalesce(error_code, '') NOT IN ('K111', 'K405') "
                "ORDER BY document_pk LIMIT 1",
                [digest, default_published, extractor_version]).fetchone()
            if row is not None:
                return Plan("reuse", key, digest, int(row[0]))
        return Plan("process", key, digest)

    # -- writing ---------------------------------------------------------------------------

    def _next_version(self, key: str, digest: str) -> tuple[int, int] | None:
        latest = self.latest(key)
        if latest is not None and latest[2] == digest:
            return None
        pk_row = self.con.execute("SELECT nextval('document_pk_seq')").fetchone()
        assert pk_row is not None
        return int(pk_row[0]), (latest[1] + 1 if latest else 1)

    def write(self, record: DocumentRecord) -> Written:
        """Store ``record`` as a new document, or a new version of its ``source_key``, with
        its events, quantities and removed blocks in one transaction.

        Nothing is written (``unchanged``) when the newest version under the key already has
        this content hash. Raises :class:`~kibaru.errors.StoreError` ``K405`` when DuckDB
        refuses the rows (the transaction is rolled back; nothing of the document is kept).
        """
        doc = record.document
        try:
            with self.transaction() as con:
                slot = self._next_version(record.source_key, record.content_hash)
                if slot is None:
                    row = self.latest(record.source_key)
                    assert row is not None
                    return Written("unchanged", row[0], row[1], str(doc["status"]),
                                   doc["reason"], 0)
                pk, version = slot
                now = self.now()
                columns = ("document_pk", "version", *DOCUMENT_INPUT_COLUMNS,
                           *DOCUMENT_RESULT_COLUMNS, "ingested_at", "processed_at")
                values = {**doc, "version": version, "ingested_at": now, "processed_at": now}
                _insert(con, "documents", columns, [values], pk)
                _insert(con, "events", EVENT_COLUMNS, record.events, pk)
                _insert(con, "quantities", QUANTITY_COLUMNS, record.quantities, pk)
                _insert(con, "removed", REMOVED_COLUMNS, record.removed, pk)
        except duckdb.Error as exc:
            raise StoreError(f"{doc['source']}: could not be stored ({type(exc).__name__}: "
                             f"{str(exc)[:200]}); please report it", code="K405") from exc
        self._remember(record.source_key, pk, version, record.content_hash)
        return Written("new" if version == 1 else "new_version", pk, version,
                       str(doc["status"]), doc["reason"], len(record.events))

    def write_reuse(self, item: RawDoc, plan: Plan, *, default_published: str | None) -> Written:
        """Store ``item`` under its own key and version with the coded rows (text, events,
        quantities, removed blocks) copied from document ``plan.reuse_pk``, which holds the same
        content coded by the current extractor, in one transaction; ``copied_from`` records the
        origin. Same outcomes and errors as :meth:`write`."""
        assert plan.reuse_pk is not None
        inputs = input_columns(item, default_published=default_published)
        src = plan.reuse_pk
        try:
            with self.transaction() as con:
                slot = self._next_version(plan.source_key, plan.content_hash)
                if slot is None:
                    row = self.latest(plan.source_key)
                    assert row is not None
                    return Written("unchanged", row[0], row[1], "ok", None, 0)
                pk, version = slot
                now = self.now()
                in_cols = ", ".join(DOCUMENT_INPUT_COLUMNS)
                res_cols = ", ".join(DOCUMENT_RESULT_COLUMNS)
                marks = ", ".join("?" for _ in DOCUMENT_INPUT_COLUMNS)
                con.execute(
                    f"INSERT INTO documents (document_pk, version, {in_cols}, {res_cols}, "
                    f"copied_from, ingested_at, processed_at) "
                    f"SELECT ?, ?, {marks}, {res_cols}, document_pk, ?, processed_at "
                    f"FROM documents WHERE document_pk = ?",
                    [pk, version, *(inputs[c] for c in DOCUMENT_INPUT_COLUMNS), now, src])
                for table, cols in (("events", EVENT_COLUMNS), ("quantities", QUANTITY_COLUMNS),
                                    ("removed", REMOVED_COLUMNS)):
                    rest = ", ".join(c for c in cols if c != "document_pk")
                    con.execute(f"INSERT INTO {table} (document_pk, {rest}) "
                                f"SELECT ?, {rest} FROM {table} WHERE document_pk = ?", [pk, src])
                got = con.execute("SELECT status, reason, n_events FROM documents "
                                  "WHERE document_pk = ?", [pk]).fetchone()
                assert got is not None
        except duckdb.Error as exc:
            raise StoreError(f"{item.source}: could not be stored ({type(exc).__name__}: "
                             f"{str(exc)[:200]}); please report it", code="K405") from exc
        self._remember(plan.source_key, pk, version, plan.content_hash)
        return Written("new" if version == 1 else "new_version", pk, version, str(got[0]),
                       got[1], int(got[2]))

    def replace(self, document_pk: int, record: DocumentRecord) -> None:
        """Replace what the pipeline produced for stored document ``document_pk`` (its
        result columns, events, quantities and removed blocks) by ``record``'s, in one
        transaction; the input columns, key, version and ``ingested_at`` stay. Used by
        ``kibaru reprocess``. Raises :class:`~kibaru.errors.StoreError` ``K405``."""
        sets = ", ".join(f"{c} = ?" for c in DOCUMENT_RESULT_COLUMNS)
        try:
            with self.transaction() as con:
                con.execute(f"UPDATE documents SET {sets}, copied_from = NULL, "
                            f"processed_at = ? WHERE document_pk = ?",
                            [*(record.document[c] for c in DOCUMENT_RESULT_COLUMNS),
                             self.now(), document_pk])
                for table in ("events", "quantities", "removed"):
                    con.execute(f"DELETE FROM {table} WHERE document_pk = ?", [document_pk])
                _insert(con, "events", EVENT_COLUMNS, record.events, document_pk)
                _insert(con, "quantities", QUANTITY_COLUMNS, record.quantities, document_pk)
                _insert(con, "removed", REMOVED_COLUMNS, record.removed, document_pk)
        except duckdb.Error as exc:
            raise StoreError(f"document {document_pk}: could not be replaced "
                             f"({type(exc).__name__}: {str(exc)[:200]}); please report it",
                             code="K405") from exc

    # -- reading ---------------------------------------------------------------------------

    def document_row(self, document_pk: int) -> dict[str, Any] | None:
        """Every column of one ``documents`` row as a dict (``raw`` still compressed)."""
        cur = self.con.execute("SELECT * FROM documents WHERE document_pk = ?", [document_pk])
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def document_pks(self, *, outdated_for: str | None = None) -> list[int]:
        """Every stored ``document_pk`` in order; with ``outdated_for``, only those whose
        ``extractor_version`` differs from it."""
        if outdated_for is None:
            rows = self.con.execute("SELECT document_pk FROM documents ORDER BY document_pk")
        else:
            rows = self.con.execute("SELECT document_pk FROM documents WHERE extractor_version "
                                    "<> ? ORDER BY document_pk", [outdated_for])
        return [int(r[0]) for r in rows.fetchall()]

    def events(self, **filters: Any) -> pd.DataFrame:
        """Events as a DataFrame; filters as :meth:`kibaru.store.Corpus.events`."""
        from .query import events_frame

        return events_frame(self.con, **filters)

    def documents(self, **filters: Any) -> pd.DataFrame:
        """Documents as a DataFrame; filters as :meth:`kibaru.store.Corpus.documents`."""
        from .query import documents_frame

        return documents_frame(self.con, **filters)

    def quantities(self, **filters: Any) -> pd.DataFrame:
        """Quantities as a DataFrame; filters as :meth:`kibaru.store.Corpus.quantities`."""
        from .query import quantities_frame

        return quantities_frame(self.con, **filters)

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"Store({self.path!r}, {mode}, schema {LATEST})"
