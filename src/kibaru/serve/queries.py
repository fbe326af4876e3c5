"""The queries behind the pages and the JSON API of ``kibaru serve``.

Every function takes an open DuckDB connection prepared by
:func:`kibaru.export.source.reading` (reviews loaded) and returns plain JSON-ready values,
so a page and its ``/api`` twin show the same thing. Event selection goes through
:func:`kibaru.export.source.event_query` (the filters of ``kibaru events``), with the
browser's extra filters (mode, review, free text, map box) on top. All SQL is parametrized;
sort keys come from a fixed list.
"""

from __future__ import annotations

import os
import threading
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

import duckdb

from ..errors import UsageError
from ..export.source import event_query
from ..store.reviews import (
    apply_patch,
    install_reviews,
    read_current_reviews,
    reviewed_events,
    reviews_path,
)

__all__ = ["EventQuery", "StoreCache", "prepare_hidden", "SORTS", "quad_classes", "quad_of",
           "search_events", "iter_search", "event_detail", "article", "highlight_segments",
           "dyad_summary", "map_clusters", "EVENT_FIELDS", "document_countries"]

#: Sort keys of the events table → SQL on the selection ``s``.
SORTS: dict[str, str] = {
    "date": "coalesce(s.date_value, s.published)",
    "published": "s.published",
    "type": "coalesce(s.type, s.category)",
    "actor": "s.actor_country",
    "recipient": "s.recipient_country",
    "place": "s.location_name",
    "status": "s.status",
    "confidence": "s.confidence",
    "document": "s.document_pk",
}

#: The columns of one event in the table, the API and the CSV download.
EVENT_FIELDS = (
    "event_id", "document_pk", "event_no", "type", "mode", "category", "actor_text",
    "actor_name", "actor_country", "actor_sector", "recipient_text", "recipient_name",
    "recipient_country", "recipient_sector", "location_name", "location_country",
    "geonames_id", "lat", "lon", "date_value", "date_precision", "status",
    "acled_event_type", "acled_sub_event_type", "confidence", "trigger_text",
    "evidence_text", "review_status", "reviewed_by", "reviewed_at", "title", "published",
    "url", "source", "doc_id",
)

#: Fields of :data:`EVENT_FIELDS` that come from the document.
_DOC_FIELDS = frozenset({"title", "published", "url", "source", "doc_id"})

#: Review filter values of the events table.
REVIEW_FILTERS = ("", "all", "unreviewed", "confirm", "reject", "correct")


@dataclass
class EventQuery:
    """The events table's filters, sort and page (all optional).

    ``country``, ``dyad``, ``type``, ``acled``, ``status``, ``since``, ``until``: as
    ``kibaru events``; ``mode``: a PLOVER mode; ``review``: ``""`` (all but rejected, as the
    exports), ``all``, ``unreviewed``, ``confirm``, ``reject``, ``correct``; ``q``: free text
    (trigger, evidence, parties, place, title; case- and accent-insensitive); ``bbox``:
    ``(west, south, east, north)`` in degrees; ``sort``: a key of :data:`SORTS`;
    ``order``: ``asc``/``desc``.
    """

    country: str | None = None
    dyad: str | None = None
    type: list[str] = field(default_factory=list)
    mode: str | None = None
    acled: str | None = None
    status: list[str] = field(default_factory=list)
    review: str = ""
    since: str | None = None
    until: str | None = None
    q: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    sort: str = "date"
    order: str = "desc"
    page: int = 1
    per_page: int = 50

    def filters(self) -> dict[str, Any]:
        """The keywords of :func:`~kibaru.export.source.event_query`."""
        return {"country": self.country or None, "dyad": self.dyad or None,
                "type": self.type or None, "acled": self.acled or None,
                "status": self.status or None, "since": self.since or None,
                "until": self.until or None}

    def params(self, **change: Any) -> dict[str, Any]:
        """The non-empty values as URL query parameters (with ``change`` applied)."""
        values: dict[str, Any] = {
            "country": self.country, "dyad": self.dyad, "type": self.type, "mode": self.mode,
            "acled": self.acled, "status": self.status, "review": self.review,
            "since": self.since, "until": self.until, "q": self.q,
            "bbox": ",".join(f"{v:g}" for v in self.bbox) if self.bbox else None,
            "sort": self.sort, "order": self.order, "page": self.page,
            "per_page": self.per_page,
        } | change
        return {k: v for k, v in values.items() if v not in (None, "", [])}


class StoreCache:
    """What the server keeps about one version of a store (the sizes and modification times
    of the store file, its write-ahead log and its reviews file): the copies of events stored
    under several documents, to hide, and the number of events of each filter asked.

    An event stored under several documents (the same text at two URLs) counts once, under
    the first document, as in the exports; finding the copies needs a pass over every event,
    so it is done once per store version instead of in every query. Thread-safe."""

    def __init__(self, db: str | os.PathLike[str], *, max_counts: int = 512) -> None:
        self.db = os.fspath(db)
        self.max_counts = max_counts
        self._lock = threading.Lock()
        self._version: tuple[Any, ...] | None = None
        self._hidden: list[tuple[int, int]] = []
        self._counts: dict[Any, int] = {}
        self._reviews: Any = None
        self._reviews_version: tuple[Any, ...] | None = None
        self._writes = 0

    def reviews_changed(self) -> None:
        """Forget the cached reviews (called after this process writes one)."""
        with self._lock:
            self._writes += 1
            self._reviews_version = None

    def _stat(self, *paths: str) -> tuple[Any, ...]:
        out: list[Any] = []
        for path in paths or (self.db, self.db + ".wal", str(reviews_path(self.db)),
                              str(reviews_path(self.db)) + ".wal"):
            try:
                st = os.stat(path)
                out.append((st.st_size, st.st_mtime_ns))
            except OSError:
                out.append(None)
        return tuple(out)

    def prepare_reviews(self, con: duckdb.DuckDBPyConnection, *, wait: float) -> None:
        """Make ``con``'s ``current_reviews`` from the reviews file, read again only when it
        changed (its size or time, or a write by this process)."""
        rpath = str(reviews_path(self.db))
        with self._lock:
            version = (self._writes, *self._stat(rpath, rpath + ".wal"))
            table = self._reviews if version == self._reviews_version else None
            fresh = version == self._reviews_version
        if not fresh:
            table = read_current_reviews(self.db, wait=wait)
            with self._lock:
                if version[0] == self._writes:
                    self._reviews, self._reviews_version = table, version
        install_reviews(con, table)

    def prepare(self, con: duckdb.DuckDBPyConnection) -> None:
        """Put the copies to hide in ``con``'s temporary table ``hidden_events``
        (``document_pk``, ``event_no``), computing them when the store changed."""
        with self._lock:
            version = (self._writes, *self._stat())
            if version != self._version:
                rows = con.execute(
                    "SELECT document_pk, event_no FROM latest_events QUALIFY row_number() "
                    "OVER (PARTITION BY event_id ORDER BY document_pk, event_no) > 1"
                ).fetchall()
                self._hidden = [(int(a), int(b)) for a, b in rows]
                self._counts = {}
                self._version = version
            hidden = list(self._hidden)
        prepare_hidden(con, hidden)

    def count(self, key: Any, compute: Callable[[], int]) -> int:
        """The cached count for ``key`` in this store version, else ``compute()``."""
        with self._lock:
            if key in self._counts:
                return self._counts[key]
        value = compute()
        with self._lock:
            if len(self._counts) >= self.max_counts:
                self._counts.pop(next(iter(self._counts)))
            self._counts[key] = value
        return value


def prepare_hidden(con: duckdb.DuckDBPyConnection,
                   hidden: list[tuple[int, int]] | None = None) -> None:
    """Create ``con``'s temporary table ``hidden_events`` (events the selections leave out:
    copies of an event under later documents). Without ``hidden``, computes them."""
    con.execute("CREATE OR REPLACE TEMP TABLE hidden_events (document_pk BIGINT, "
                "event_no INTEGER)")
    if hidden is None:
        con.execute("INSERT INTO hidden_events SELECT document_pk, event_no FROM latest_events "
                    "QUALIFY row_number() OVER (PARTITION BY event_id "
                    "ORDER BY document_pk, event_no) > 1")
    elif hidden:
        con.execute("INSERT INTO hidden_events SELECT unnest(?::BIGINT[]), "
                    "unnest(?::INTEGER[])", [[h[0] for h in hidden], [h[1] for h in hidden]])


def _selection(query: EventQuery) -> tuple[str, list[Any]]:
    """The SQL of the events ``query`` selects (on a connection prepared by
    :func:`prepare_hidden`), unordered, and its parameters."""
    if query.review not in REVIEW_FILTERS:
        raise UsageError(f"review={query.review!r}: use one of "
                         f"{', '.join(r for r in REVIEW_FILTERS if r)}", code="K321")
    sql, params = event_query(include_json=False, ordered=False, dedupe=False,
                              include_rejected=query.review in ("all", "reject"),
                              **query.filters())
    sql = f"SELECT * FROM ({sql}) x ANTI JOIN hidden_events USING (document_pk, event_no)"
    where: list[str] = []
    if query.mode:
        where.append("lower(s.mode) = lower(?)")
        params.append(query.mode)
    if query.review == "unreviewed":
        where.append("s.review_status IS NULL")
    elif query.review in ("confirm", "reject", "correct"):
        where.append("s.review_status = ?")
        params.append(query.review)
    if query.q:
        cols = ("trigger_text", "evidence_text", "actor_text", "actor_name", "recipient_text",
                "recipient_name", "location_name", "title")
        pattern = "%" + (query.q.replace("\\", "\\\\").replace("%", "\\%")
                         .replace("_", "\\_")) + "%"
        # accents and case ignored both ways: "Tinzaouatene" finds "Tinzaouatène"
        where.append("(" + " OR ".join(f"strip_accents(lower(s.{c})) LIKE "
                                       "strip_accents(lower(?)) ESCAPE '\\'" for c in cols)
                     + ")")
        params += [pattern] * len(cols)
    if query.bbox:
        west, south, east, north = query.bbox
        where.append("s.lon BETWEEN ? AND ? AND s.lat BETWEEN ? AND ?")
        params += [west, east, south, north]
    sel = f"SELECT * FROM ({sql}) s" + (" WHERE " + " AND ".join(where) if where else "")
    return sel, params


def _order(query: EventQuery) -> str:
    if query.sort not in SORTS:
        raise UsageError(f"sort={query.sort!r}: use one of {', '.join(SORTS)}", code="K321")
    direction = "ASC" if query.order == "asc" else "DESC"
    return (f" ORDER BY {SORTS[query.sort]} {direction} NULLS LAST, s.document_pk, "
            "s.event_no")


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description or []]
    return [{k: _json_value(v) for k, v in zip(names, row, strict=True)}
            for row in cur.fetchall()]


def search_events(con: duckdb.DuckDBPyConnection, query: EventQuery,
                  cache: StoreCache | None = None) -> tuple[list[dict[str, Any]], int]:
    """One page of the events matching ``query`` (dicts of :data:`EVENT_FIELDS`, plus
    ``quad``) and the number of matching events (kept in ``cache`` for the next page).

    Two steps, so a large store stays fast: the page's keys (``document_pk``, ``event_no``)
    are chosen on the narrow selection, then only those rows are read in full."""
    sel, params = _selection(query)
    offset = (query.page - 1) * query.per_page
    keys = con.execute(f"SELECT s.document_pk, s.event_no FROM ({sel}) s" + _order(query)
                       + " LIMIT ? OFFSET ?", [*params, query.per_page, offset]).fetchall()
    def count() -> int:
        got = con.execute(f"SELECT count(*) FROM ({sel}) s", params).fetchone()
        return int(got[0]) if got else 0

    if len(keys) < query.per_page and (keys or query.page == 1):
        total = offset + len(keys)
    elif cache is not None:
        total = cache.count((sel, tuple(map(repr, params))), count)
    else:
        total = count()
    return _full_rows(con, keys), total


def _full_rows(con: duckdb.DuckDBPyConnection, keys: list[tuple[Any, ...]]
               ) -> list[dict[str, Any]]:
    """The :data:`EVENT_FIELDS` of the events ``keys`` (``(document_pk, event_no)``), in
    that order, reviews applied."""
    if not keys:
        return []
    fields = ", ".join(f"d.{f}" if f in _DOC_FIELDS else f"e.{f}" for f in EVENT_FIELDS)
    rows = _rows(con.execute(
        f"SELECT {fields} FROM ({reviewed_events('events')}) e "
        "JOIN (SELECT unnest(?::BIGINT[]) AS document_pk, unnest(?::INTEGER[]) AS event_no) k "
        "USING (document_pk, event_no) JOIN documents d USING (document_pk)",
        [[int(k[0]) for k in keys], [int(k[1]) for k in keys]]))
    by_key = {(r["document_pk"], r["event_no"]): r for r in rows}
    out = [by_key[(int(k[0]), int(k[1]))] for k in keys if (int(k[0]), int(k[1])) in by_key]
    for r in out:
        r["quad"] = quad_of(r["type"])
    return out


def iter_search(con: duckdb.DuckDBPyConnection, query: EventQuery, *, batch: int = 5000
                ) -> Iterator[tuple[Any, ...]]:
    """Every event matching ``query`` (no paging), as tuples of :data:`EVENT_FIELDS`, in the
    table's order: the CSV download. The query runs now (bad filters raise here); the rows
    are fetched as the iterator is read."""
    sel, params = _selection(query)
    fields = ", ".join(f"s.{f}" for f in EVENT_FIELDS)
    cur = con.execute(f"SELECT {fields} FROM ({sel}) s" + _order(query), params)

    def rows() -> Iterator[tuple[Any, ...]]:
        while chunk := cur.fetchmany(batch):
            yield from chunk

    return rows()


# -- quad classes ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def quad_classes() -> list[dict[str, Any]]:
    """The quad classes of ``data/quad_classes.toml``: ``key``, ``label``, ``types``."""
    text = resources.files("kibaru.data").joinpath("quad_classes.toml").read_text("utf-8")
    return list(tomllib.loads(text)["quad"])


@lru_cache(maxsize=64)
def quad_of(event_type: str | None) -> str | None:
    """The quad class key of a PLOVER type (``AID`` → ``material_cooperation``), else None."""
    for quad in quad_classes():
        if event_type in quad["types"]:
            return str(quad["key"])
    return None


# -- one event, one article --------------------------------------------------------------------

def document_countries(con: duckdb.DuckDBPyConnection, document_pk: int) -> list[str]:
    """The countries the events of a document name (places, actors, recipients), most
    named first: the context a corrected place name is looked up in."""
    rows = con.execute(
        "SELECT c, count(*) FROM (SELECT unnest([location_country, actor_country, "
        "recipient_country]) AS c FROM events WHERE document_pk = ?) WHERE c IS NOT NULL "
        "AND length(c) = 3 GROUP BY c ORDER BY 2 DESC, 1", [document_pk]).fetchall()
    return [str(r[0]) for r in rows]


def event_detail(con: duckdb.DuckDBPyConnection, event_id: str) -> dict[str, Any] | None:
    """One event by id (reviews applied, rejected events included): the row's columns, the
    CONTRACT ``event`` object and the document's ``content_hash`` and ``source_key``."""
    cur = con.execute(
        f"SELECT e.*, d.content_hash, d.source_key, d.title, d.published, d.url, d.source "
        f"FROM ({reviewed_events('events')}) e JOIN documents d USING (document_pk) "
        "WHERE e.event_id = ? ORDER BY d.version DESC, e.document_pk LIMIT 1", [event_id])
    names = [d[0] for d in cur.description or []]
    row = cur.fetchone()
    if row is None:
        return None
    import json

    item = dict(zip(names, row, strict=True))
    original = json.loads(item.pop("event_json"))
    item["event"] = apply_patch(original, item["review_status"], item.pop("review_patch"),
                                reviewer=item["reviewed_by"], at=item["reviewed_at"])
    item["original"] = original
    item["quad"] = quad_of(item["type"])
    return {k: _json_value(v) if not isinstance(v, dict) else v for k, v in item.items()}


#: Highlight kinds, in the order they take precedence for a character's colour.
HIGHLIGHT_KINDS = ("trigger", "actor", "recipient", "location", "date", "quantity")


def highlight_segments(text: str, spans: list[tuple[int, int, str, int]]
                       ) -> list[dict[str, Any]]:
    """``text`` cut at every span boundary: a list of ``{"text", "kinds", "events"}`` pieces
    (kinds and event numbers of the spans covering the piece). ``spans`` are ``(start, end,
    kind, event_no)`` character offsets; spans outside the text are ignored. The pieces join
    back to ``text``; the template escapes them."""
    n = len(text)
    good = [(s, e, k, no) for s, e, k, no in spans
            if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= n]
    cuts = sorted({0, n, *(s for s, *_ in good), *(e for _, e, *_ in good)})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [(k, no) for s, e, k, no in good if s <= a and b <= e]
        kinds = sorted({k for k, _ in covering}, key=HIGHLIGHT_KINDS.index)
        pieces.append({"text": text[a:b], "kinds": kinds,
                       "events": sorted({no for _, no in covering})})
    return pieces


def article(con: duckdb.DuckDBPyConnection, document_pk: int) -> dict[str, Any] | None:
    """A stored document for the article page: its columns (no raw input), ``removed``
    boilerplate blocks, ``events`` (reviews applied, with their ``quantities``), the
    highlight ``segments`` of its text and ``newest`` (the pk of the newest version)."""
    cur = con.execute("SELECT * EXCLUDE (raw) FROM documents WHERE document_pk = ?",
                      [document_pk])
    names = [d[0] for d in cur.description or []]
    row = cur.fetchone()
    if row is None:
        return None
    doc = {k: _json_value(v) for k, v in zip(names, row, strict=True)}
    newest = con.execute("SELECT document_pk FROM documents WHERE source_key = ? "
                         "ORDER BY version DESC LIMIT 1", [doc["source_key"]]).fetchone()
    doc["newest"] = int(newest[0]) if newest else document_pk
    doc["removed"] = _rows(con.execute(
        "SELECT block_no, text, reason FROM removed WHERE document_pk = ? ORDER BY block_no",
        [document_pk]))
    events = _rows(con.execute(
        f"SELECT * EXCLUDE (event_json, review_patch) FROM ({reviewed_events('events')}) e "
        "WHERE document_pk = ? ORDER BY event_no", [document_pk]))
    quantities = _rows(con.execute(
        "SELECT * FROM quantities WHERE document_pk = ? ORDER BY event_no, quantity_no",
        [document_pk]))
    by_event: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for q in quantities:
        by_event[int(q["event_no"])].append(q)
    spans: list[tuple[int, int, str, int]] = []
    for e in events:
        no = int(e["event_no"])
        e["quantities"] = by_event.get(no, [])
        e["quad"] = quad_of(e["type"])
        spans.append((e["trigger_start"], e["trigger_end"], "trigger", no))
        for kind in ("actor", "recipient", "location", "date"):
            spans.append((e[f"{kind}_start"], e[f"{kind}_end"], kind, no))
        for q in e["quantities"]:
            spans.append((q["span_start"], q["span_end"], "quantity", no))
    doc["events"] = events
    doc["segments"] = highlight_segments(doc.get("text") or "", spans)
    return doc


# -- dyads -------------------------------------------------------------------------------------

def _quantity_group(q: dict[str, Any]) -> tuple[str, str | None]:
    if q["kind"] in ("killed", "injured"):
        return str(q["kind"]), None
    return str(q["item"] or "(no item)"), q["unit"]


def dyad_summary(con: duckdb.DuckDBPyConnection, dyad: str, *, since: str | None = None,
                 until: str | None = None) -> dict[str, Any]:
    """What happened between the two parties of ``dyad`` (``"RUS-MLI"``, either direction):

    - ``months``: one entry per month (the event's date, else its publication date) with the
      number of events of each quad class (``counts``) and ``total``;
    - ``quantities``: per item and unit (``killed``/``injured`` on their own), the figures in
      date order with the ``running`` total of the amounts; a ``cumulative`` figure (a running
      total the article reports) or a ``planned`` one is listed but never added;
    - ``events``: the newest 500 events (as :func:`search_events`), and ``total``.
    """
    sel, params = _selection(EventQuery(dyad=dyad, since=since, until=until))
    # one pass over the events: the dyad's events, narrow, for the four views below
    con.execute("CREATE OR REPLACE TEMP TABLE dyad_events AS SELECT s.document_pk, s.event_no, "
                "s.event_id, s.type, coalesce(s.date_value, s.published) AS day "
                f"FROM ({sel}) s", params)
    month_rows = con.execute(
        "SELECT strftime(day, '%Y-%m') AS month, type, count(*) FROM dyad_events "
        "GROUP BY ALL ORDER BY 1").fetchall()
    quads = [q["key"] for q in quad_classes()]
    months: dict[str, dict[str, int]] = {}
    for month, etype, n in month_rows:
        if month is None:
            continue
        counts = months.setdefault(month, dict.fromkeys(quads, 0) | {"other": 0})
        counts[quad_of(etype) or "other"] += int(n)
    timeline = [{"month": m, "counts": c, "total": sum(c.values())}
                for m, c in sorted(months.items())]
    q_rows = _rows(con.execute(
        "SELECT q.value, q.unit, q.item, q.kind, q.approximate, q.bound, q.text, s.event_id, "
        "s.document_pk, s.type, s.day FROM quantities q JOIN dyad_events s "
        "USING (document_pk, event_no) "
        "ORDER BY s.day NULLS LAST, s.document_pk, q.event_no, q.quantity_no"))
    groups: dict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
    for q in q_rows:
        groups[_quantity_group(q)].append(q)
    quantities = []
    for (item, unit), rows in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        running = 0.0
        for r in rows:
            if r["kind"] in ("amount", "killed", "injured"):
                running += float(r["value"])
            r["running"] = running
            r["added"] = r["kind"] in ("amount", "killed", "injured")
        quantities.append({"item": item, "unit": unit, "rows": rows, "total": running})
    newest = con.execute("SELECT document_pk, event_no FROM dyad_events ORDER BY day DESC "
                         "NULLS LAST, document_pk, event_no LIMIT 500").fetchall()
    got = con.execute("SELECT count(*) FROM dyad_events").fetchone()
    events, total = _full_rows(con, newest), int(got[0]) if got else 0
    first, _, second = dyad.upper().partition("-")
    return {"dyad": dyad.upper(), "first": first, "second": second, "months": timeline,
            "quads": quad_classes(), "quantities": quantities, "events": events,
            "total": total}


# -- map ---------------------------------------------------------------------------------------

def map_clusters(con: duckdb.DuckDBPyConnection, query: EventQuery, *, zoom: int = 0
                 ) -> list[dict[str, Any]]:
    """The located events matching ``query`` grouped on a grid of ``20 / 2**zoom`` degrees:
    per cell the number of events ``n``, their mean ``lat``/``lon``, their bounding ``bbox``
    (west, south, east, north) and up to three place names."""
    cell = 20.0 / (2 ** max(0, min(zoom, 8)))
    sel, params = _selection(query)
    rows = con.execute(
        "SELECT count(*), avg(s.lat), avg(s.lon), min(s.lon), min(s.lat), max(s.lon), "
        "max(s.lat), list(DISTINCT s.location_name)[1:3] "
        f"FROM ({sel}) s WHERE s.lat IS NOT NULL AND s.lon IS NOT NULL "
        "GROUP BY floor(s.lon / ?), floor(s.lat / ?) ORDER BY 1 DESC",
        [*params, cell, cell]).fetchall()
    return [{"n": int(n), "lat": round(lat, 4), "lon": round(lon, 4),
             "bbox": [round(w, 4), round(s, 4), round(e, 4), round(nn, 4)],
             "places": [p for p in places if p]}
            for n, lat, lon, w, s, e, nn, places in rows]
