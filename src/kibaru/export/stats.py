"""Corpus statistics (``kibaru stats``): documents, and events by type, dyad and month.

Events are counted as the exports select them (newest version of each document, an event
stored under several documents once); the month is the event's own date's, else its
document's publication month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .source import StoreLike, event_query, reading

__all__ = ["Stats", "corpus_stats"]


@dataclass
class Stats:
    """Counts of one store.

    ``documents``: newest versions by status (``ok``, ``rejected``); ``rejected``: by reason;
    ``events``: total; ``by_type``: PLOVER type (or Kibaru category) → count; ``by_dyad``:
    ``(actor country, recipient country)`` → count, for events with both countries known
    (``undyadic`` counts the others); ``by_month``: ``YYYY-MM`` (or ``"unknown"``) → count;
    ``first`` / ``last``: the earliest and latest event dates (ISO) or None.
    """

    documents: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    events: int = 0
    by_type: list[tuple[str, int]] = field(default_factory=list)
    by_dyad: list[tuple[str, str, int]] = field(default_factory=list)
    undyadic: int = 0
    by_month: list[tuple[str, int]] = field(default_factory=list)
    first: str | None = None
    last: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The counts as JSON-ready values."""
        return {
            "documents": self.documents, "rejected": self.rejected, "events": self.events,
            "by_type": dict(self.by_type),
            "by_dyad": [{"actor": a, "recipient": r, "events": n} for a, r, n in self.by_dyad],
            "undyadic": self.undyadic, "by_month": dict(self.by_month),
            "first": self.first, "last": self.last,
        }


def corpus_stats(store: StoreLike, **filters: Any) -> Stats:
    """The :class:`Stats` of ``store`` (events matching ``filters``, see
    :func:`~kibaru.export.source.check_filters`)."""
    sql, params = event_query(include_json=False, **filters)
    sel = f"({sql}) sel"
    with reading(store) as con:
        docs = dict(con.execute("SELECT status, count(*) FROM latest_documents GROUP BY ALL "
                                "ORDER BY 1").fetchall())
        rejected = dict(con.execute(
            "SELECT coalesce(reason, 'unknown'), count(*) FROM latest_documents "
            "WHERE status = 'rejected' GROUP BY ALL ORDER BY 2 DESC, 1").fetchall())
        total = con.execute(f"SELECT count(*) FROM {sel}", params).fetchone()
        by_type = con.execute(
            f"SELECT coalesce(type, category, '?') AS t, count(*) AS n FROM {sel} "
            "GROUP BY ALL ORDER BY n DESC, t", params).fetchall()
        by_dyad = con.execute(
            f"SELECT actor_country, recipient_country, count(*) AS n FROM {sel} "
            "WHERE actor_country IS NOT NULL AND recipient_country IS NOT NULL "
            "GROUP BY ALL ORDER BY n DESC, 1, 2", params).fetchall()
        by_month = con.execute(
            f"SELECT coalesce(strftime(coalesce(date_value, published), '%Y-%m'), 'unknown') "
            f"AS m, count(*) FROM {sel} GROUP BY ALL ORDER BY m", params).fetchall()
        span = con.execute(f"SELECT min(date_value), max(date_value) FROM {sel}",
                           params).fetchone()
    n = int(total[0]) if total else 0
    dyads = [(str(a), str(r), int(c)) for a, r, c in by_dyad]
    return Stats(
        documents={str(k): int(v) for k, v in docs.items()},
        rejected={str(k): int(v) for k, v in rejected.items()},
        events=n,
        by_type=[(str(t), int(c)) for t, c in by_type],
        by_dyad=dyads,
        undyadic=n - sum(c for *_, c in dyads),
        by_month=[(str(m), int(c)) for m, c in by_month],
        first=span[0].isoformat() if span and span[0] else None,
        last=span[1].isoformat() if span and span[1] else None,
    )
