"""Numbered schema migrations of the DuckDB store.

Each :class:`Migration` is applied once, in order, in its own transaction, and recorded in the
``schema_migrations`` table (``version``, ``name``, ``applied_at`` UTC). A migration is never
edited once released: a schema change is a new migration appended to :data:`MIGRATIONS`.

Tables (version 1):

- ``documents``: one row per stored version of an input (see :mod:`kibaru.store.records` for
  every column); ``(source_key, version)`` is unique.
- ``events``: one row per event, ``(document_pk, event_no)``; CONTRACT.md fields flattened
  into columns, plus ``event_json`` (the exact ``kibaru.document/1`` event object).
- ``quantities``: one row per quantity, ``(document_pk, event_no, quantity_no)``.
- ``removed``: the boilerplate blocks cleaning dropped, ``(document_pk, block_no)``.
- views ``latest_documents`` / ``latest_events``: the newest version of each input only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from ..errors import StoreError

__all__ = ["Migration", "MIGRATIONS", "LATEST", "applied_versions", "apply_migrations",
           "foreign_tables"]


@dataclass(frozen=True)
class Migration:
    """One schema step: ``version`` (1, 2, ...), a short ``name`` and the SQL statements."""

    version: int
    name: str
    sql: str


_INITIAL = """
CREATE SEQUENCE document_pk_seq START 1;

CREATE TABLE documents (
    document_pk       BIGINT PRIMARY KEY,
    source_key        VARCHAR NOT NULL,
    version           INTEGER NOT NULL,
    doc_id            VARCHAR,
    source            VARCHAR NOT NULL,
    url               VARCHAR,
    kind              VARCHAR,
    content_hash      VARCHAR NOT NULL,
    raw               BLOB,
    raw_bytes         BIGINT,
    raw_is_text       BOOLEAN,
    input_title       VARCHAR,
    input_published   VARCHAR,
    input_charset     VARCHAR,
    default_published VARCHAR,
    text              VARCHAR,
    title             VARCHAR,
    published         DATE,
    language          VARCHAR,
    warnings          VARCHAR[],
    status            VARCHAR NOT NULL CHECK (status IN ('ok', 'rejected')),
    reason            VARCHAR,
    error_code        VARCHAR,
    message           VARCHAR,
    n_events          INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL,
    copied_from       BIGINT,
    ingested_at       TIMESTAMP NOT NULL,
    processed_at      TIMESTAMP NOT NULL,
    UNIQUE (source_key, version)
);
CREATE INDEX documents_source_key ON documents (source_key);
CREATE INDEX documents_content_hash ON documents (content_hash);

CREATE TABLE events (
    document_pk           BIGINT NOT NULL,
    event_no              INTEGER NOT NULL,
    event_id              VARCHAR NOT NULL,
    type                  VARCHAR,
    mode                  VARCHAR,
    context               VARCHAR[],
    category              VARCHAR,
    actor_text            VARCHAR,
    actor_name            VARCHAR,
    actor_country         VARCHAR,
    actor_sector          VARCHAR,
    actor_start           INTEGER,
    actor_end             INTEGER,
    actor_associates      JSON,
    recipient_text        VARCHAR,
    recipient_name        VARCHAR,
    recipient_country     VARCHAR,
    recipient_sector      VARCHAR,
    recipient_start       INTEGER,
    recipient_end         INTEGER,
    recipient_associates  JSON,
    location_text         VARCHAR,
    location_name         VARCHAR,
    geonames_id           BIGINT,
    location_country      VARCHAR,
    lat                   DOUBLE,
    lon                   DOUBLE,
    location_feature      VARCHAR,
    location_start        INTEGER,
    location_end          INTEGER,
    date_text             VARCHAR,
    date_value            DATE,
    date_precision        VARCHAR,
    date_start            INTEGER,
    date_end              INTEGER,
    attribution_text      VARCHAR,
    attribution_name      VARCHAR,
    attribution_country   VARCHAR,
    attribution_sector    VARCHAR,
    attribution_start     INTEGER,
    attribution_end       INTEGER,
    status                VARCHAR NOT NULL,
    acled_event_type      VARCHAR,
    acled_sub_event_type  VARCHAR,
    confidence            DOUBLE,
    trigger_text          VARCHAR NOT NULL,
    trigger_start         INTEGER NOT NULL,
    trigger_end           INTEGER NOT NULL,
    evidence_text         VARCHAR NOT NULL,
    evidence_start        INTEGER NOT NULL,
    evidence_end          INTEGER NOT NULL,
    n_quantities          INTEGER NOT NULL,
    extractor_version     VARCHAR NOT NULL,
    event_json            JSON NOT NULL
);
CREATE INDEX events_document ON events (document_pk);

CREATE TABLE quantities (
    document_pk  BIGINT NOT NULL,
    event_no     INTEGER NOT NULL,
    quantity_no  INTEGER NOT NULL,
    event_id     VARCHAR NOT NULL,
    text         VARCHAR NOT NULL,
    value        DOUBLE NOT NULL,
    unit         VARCHAR,
    item         VARCHAR,
    kind         VARCHAR NOT NULL,
    approximate  BOOLEAN NOT NULL,
    bound        VARCHAR,
    span_start   INTEGER,
    span_end     INTEGER
);
CREATE INDEX quantities_document ON quantities (document_pk);

CREATE TABLE removed (
    document_pk  BIGINT NOT NULL,
    block_no     INTEGER NOT NULL,
    text         VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL
);
CREATE INDEX removed_document ON removed (document_pk);

CREATE VIEW latest_documents AS
    SELECT * FROM documents
    QUALIFY version = max(version) OVER (PARTITION BY source_key);

CREATE VIEW latest_events AS
    SELECT e.* FROM events e JOIN latest_documents d USING (document_pk);
"""

#: Every migration, in order. Append only.
MIGRATIONS: tuple[Migration, ...] = (Migration(1, "initial schema", _INITIAL),)

#: The schema version this Kibaru writes and reads.
LATEST = MIGRATIONS[-1].version

_BOOTSTRAP = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
)
"""


def applied_versions(con: duckdb.DuckDBPyConnection) -> list[int]:
    """The migration versions recorded in ``con`` (empty for a new file or no table).

    Only ``con``'s current database counts (``kibaru serve`` attaches stores to one host)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_name = 'schema_migrations' AND table_schema = 'main' "
        "AND table_catalog = current_database()").fetchone()
    if not exists or not exists[0]:
        return []
    return [int(v) for (v,) in con.execute(
        "SELECT version FROM schema_migrations ORDER BY version").fetchall()]


def foreign_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables and views of ``con``'s current database when it has no
    ``schema_migrations`` table (``schema.name`` outside ``main``): a DuckDB file made by
    something else, which Kibaru must not read nor add its tables to. Empty for a Kibaru store
    (even one whose first migration was interrupted) and for an empty file."""
    rows = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() ORDER BY table_schema, table_name").fetchall()
    if any(schema == "main" and name == "schema_migrations" for schema, name in rows):
        return []
    return [name if schema == "main" else f"{schema}.{name}" for schema, name in rows]


def apply_migrations(con: duckdb.DuckDBPyConnection, *, path: str, now: datetime,
                     read_only: bool = False) -> int:
    """Bring the store on ``con`` to :data:`LATEST`; return the number of migrations applied.

    Each pending migration runs with its ``schema_migrations`` row in one transaction, so a
    crash leaves the schema either before or after a step, never half-way. Raises
    :class:`~kibaru.errors.StoreError` ``K403`` when the store was written by a newer Kibaru
    (a version this code does not know), ``K404`` when ``read_only`` and migrations are
    pending (open it once for writing: ``kibaru migrate --db PATH``), ``K402`` when the file
    is not a Kibaru store (it has tables but no ``schema_migrations``: see
    :func:`foreign_tables`); an empty DuckDB file is initialised.
    """
    done = applied_versions(con)
    if not done:
        foreign = foreign_tables(con)
        if foreign:
            shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
            raise StoreError(f"{path} is not a Kibaru store (it holds other tables: {shown}); "
                             "give a Kibaru store with --db, or a new file name to create one",
                             code="K402")
    if done and done[-1] > LATEST:
        raise StoreError(f"{path}: schema version {done[-1]} was written by a newer Kibaru "
                         f"(this one knows up to {LATEST}); upgrade Kibaru", code="K403")
    pending = [m for m in MIGRATIONS if m.version not in done]
    if not pending:
        return 0
    if read_only:
        raise StoreError(f"{path}: schema version {done[-1] if done else 0} is older than "
                         f"{LATEST}; upgrade it once with: kibaru migrate --db {path}",
                         code="K404")
    con.execute(_BOOTSTRAP)
    for m in pending:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(m.sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                        [m.version, m.name, now])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return len(pending)
