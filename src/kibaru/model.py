"""Typed hand-offs between stages, and their JSON form (``kibaru.document/1``, see CONTRACT.md).

Every ``start``/``end`` is a character offset into the cleaned ``Document.text`` (start
inclusive, end exclusive); ``None`` when a value was inferred rather than read at one place.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "SCHEMA",
    "Span",
    "Party",
    "Location",
    "DateValue",
    "Quantity",
    "Attribution",
    "Acled",
    "Event",
    "Removed",
    "Document",
    "Result",
]

SCHEMA = "kibaru.document/1"


@dataclass(frozen=True)
class Span:
    """A stretch of ``Document.text``: ``text == document.text[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Party:
    """An actor, recipient or associate: ISO 3166-1 alpha-3 (or PLOVER IGO/UNO/EUR/NGO/IMG...)
    ``country`` and PLOVER 2.0 ``sector`` code; either may be ``None`` when unknown."""

    text: str
    name: str | None
    country: str | None
    sector: str | None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Location:
    """An event place; ``geonames_id`` is None when the gazetteer lacks the name (unresolved).

    ``lat``/``lon`` in decimal degrees (WGS84); ``feature`` is ``"city"`` or ``"country"``.
    """

    text: str
    name: str
    geonames_id: int | None
    country: str | None
    lat: float | None
    lon: float | None
    feature: str | None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class DateValue:
    """An event date: ``value`` is an ISO 8601 date (``YYYY-MM-DD``), never after publication;
    ``precision`` is ``day``, ``week``, ``month`` or ``year``."""

    text: str
    value: str
    precision: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Quantity:
    """A number read with its meaning.

    ``value`` in the unit given: ``t`` (metric tonnes), an ISO 4217 code (``XOF``, ``USD``,
    ``EUR``...), or ``None`` for counts. ``kind`` is ``amount``, ``cumulative``, ``planned``,
    ``killed`` or ``injured``; ``bound`` is ``at_least``, ``at_most`` or ``None``.
    """

    text: str
    value: float
    unit: str | None
    item: str | None
    kind: str
    approximate: bool
    bound: str | None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Attribution:
    """The source an event is attributed to ("Selon X", "a indiqué X")."""

    text: str
    name: str | None
    country: str | None
    sector: str | None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Acled:
    """ACLED event type and sub-event type (ACLED codebook, see research-facts.md)."""

    event_type: str
    sub_event_type: str


@dataclass(frozen=True)
class Event:
    """One coded event (PLOVER 2.0 type/mode/context, ACLED types, arguments, provenance)."""

    id: str
    type: str | None
    mode: str | None
    context: tuple[str, ...]
    category: str | None
    actor: Party | None
    actor_associates: tuple[Party, ...]
    recipient: Party | None
    recipient_associates: tuple[Party, ...]
    location: Location | None
    date: DateValue | None
    quantities: tuple[Quantity, ...]
    attribution: Attribution | None
    status: str
    acled: Acled | None
    trigger: Span
    evidence: Span
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        """The CONTRACT.md JSON object of this event."""
        d = asdict(self)
        d["context"] = list(self.context)
        for key in ("actor_associates", "recipient_associates", "quantities"):
            d[key] = list(d[key])
        return d


@dataclass(frozen=True)
class Removed:
    """A block dropped from the text during cleaning, with the reason (``related-link``,
    ``share``, ``subscribe``, ``copyright``, ``navigation``, ``footer``...)."""

    text: str
    reason: str


@dataclass(frozen=True)
class Document:
    """A cleaned document; ``text`` is what every offset indexes."""

    id: str
    source: str
    title: str | None
    published: str | None
    language: str | None
    text: str
    removed: tuple[Removed, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The ``document`` object of CONTRACT.md."""
        d = asdict(self)
        d["removed"] = list(d["removed"])
        d["warnings"] = list(self.warnings)
        return d


@dataclass(frozen=True)
class Result:
    """One document and its events: the unit ``kibaru extract`` prints."""

    document: Document
    events: tuple[Event, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The full ``kibaru.document/1`` JSON object."""
        return {
            "schema": SCHEMA,
            "document": self.document.to_dict(),
            "events": [e.to_dict() for e in self.events],
        }
