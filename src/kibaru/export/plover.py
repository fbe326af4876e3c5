"""PLOVER JSON records (the field names of the PLOVER specification's JSON chapter, v0.5/0.6:
openeventdata/PLOVER, ``PLOVER_Manual.tex``, tables "PLOVER JSON", "Information object for
actors", "Information object for text", "Location object").

One record per event with a PLOVER type (Kibaru's ``category`` events, outside PLOVER, are not
written):

============ =====================================================================================
field        value
============ =====================================================================================
id           Kibaru's event id (stable across runs of one extractor version on one text)
date         the event's date (YYYY-MM-DD), else the document's publication date
source       list of actor objects: the actor, then its associates
target       list of actor objects: the recipient, then its associates (empty when none)
             actor object: ``code`` (ISO3 or PLOVER international code), ``sector``,
             ``actorText`` (the words read), ``identifier`` (canonical name, when known)
event        the PLOVER 2.0 type
eventText    the trigger's text
mode         the PLOVER mode or null
context      list of PLOVER contexts
dead         sum of the ``killed`` quantities, null when none
injured      sum of the ``injured`` quantities, null when none
size         the first ``amount`` quantity's value (tonnes, money or a count), null when none
eventLoc     GeoNames location object: ``geonameid``, ``name``, ``latitude``, ``longitude``,
             ``country code`` (alpha-2), ``cc3`` (alpha-3), ``feature class`` (P town, A
             country); null when the place is unknown or unresolved
text         the sentence(s) the event was read from (French, as published)
textInfo     ``sentence`` (that text), ``start`` / ``end`` (its character offsets in the cleaned
             document text)
url, language, publication (the URL's host), citation (the document's source)
coder        ``kibaru <version>``
version      the extractor version that coded the event (code + data + model hash)
codebook     ``PLOVER 2.0``; ``dateCoded`` when the document was coded
comment      the English one-sentence summary (:func:`kibaru.export.english.summary`)
============ =====================================================================================

Kibaru's own fields are added under names the specification does not use (it allows extra
fields): ``status``, ``datePrecision``, ``acled``, ``attribution``, ``quantities``,
``confidence``, ``documentId``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

from .. import __version__
from .acled import publication
from .english import canonical_names, country_info, summary
from .source import StoreLike, iter_events

__all__ = ["PLOVER_FIELDS", "plover_record", "plover_records"]

#: The PLOVER fields every record carries (values may be null), in the order written.
PLOVER_FIELDS = ("id", "date", "source", "target", "event", "eventText", "mode", "context",
                 "dead", "injured", "size", "eventLoc", "text", "textInfo", "url", "language",
                 "publication", "citation", "coder", "version", "codebook", "dateCoded",
                 "comment")


def _actor(party: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"code": party.get("country"), "sector": party.get("sector"),
                           "actorText": party.get("text")}
    name = party.get("name")
    if name and name in canonical_names():
        out["identifier"] = name
    return out


def _side(event: Mapping[str, Any], main: str) -> list[dict[str, Any]]:
    parties = [event.get(main), *(event.get(f"{main}_associates") or [])]
    return [_actor(p) for p in parties if p]


def _location(loc: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not loc or loc.get("geonames_id") is None:
        return None
    info = country_info(loc.get("country"))
    return {"geonameid": loc["geonames_id"], "name": loc.get("name"),
            "latitude": loc.get("lat"), "longitude": loc.get("lon"),
            "country code": info["iso2"] if info else None, "cc3": loc.get("country"),
            "feature class": "A" if loc.get("feature") == "country" else "P"}


def _total(event: Mapping[str, Any], kind: str) -> float | int | None:
    values = [float(q["value"]) for q in event.get("quantities") or [] if q.get("kind") == kind]
    if not values:
        return None
    total = float(sum(values))
    return int(total) if total.is_integer() else total


def _day(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)[:10]


def plover_record(item: Mapping[str, Any]) -> dict[str, Any]:
    """The PLOVER record of one event from :func:`~kibaru.export.source.iter_events`."""
    e = item["event"]
    amount = next((q for q in e.get("quantities") or [] if q.get("kind") == "amount"), None)
    size = None
    if amount is not None:
        value = float(amount["value"])
        size = int(value) if value.is_integer() else value
    date_obj = e.get("date") or {}
    evidence = e.get("evidence") or {}
    return {
        "id": e["id"],
        "date": _day(date_obj.get("value")) or _day(item.get("published")),
        "source": _side(e, "actor"),
        "target": _side(e, "recipient"),
        "event": e.get("type"),
        "eventText": (e.get("trigger") or {}).get("text"),
        "mode": e.get("mode"),
        "context": list(e.get("context") or []),
        "dead": _total(e, "killed"),
        "injured": _total(e, "injured"),
        "size": size,
        "eventLoc": _location(e.get("location")),
        "text": evidence.get("text"),
        "textInfo": {"sentence": evidence.get("text"), "start": evidence.get("start"),
                     "end": evidence.get("end")},
        "url": item.get("url"),
        "language": item.get("language"),
        "publication": publication(item.get("url")) or None,
        "citation": item.get("source"),
        "coder": f"kibaru {__version__}",
        "version": item.get("extractor_version"),
        "codebook": "PLOVER 2.0",
        "dateCoded": _day(item.get("processed_at")),
        "comment": summary(e),
        # Kibaru's own fields
        "status": e.get("status"),
        "datePrecision": date_obj.get("precision") if date_obj.get("value") else "publication",
        "acled": e.get("acled"),
        "attribution": e.get("attribution"),
        "quantities": e.get("quantities") or [],
        "confidence": e.get("confidence"),
        "documentId": item.get("doc_id"),
    }


def plover_records(store: StoreLike, **filters: Any) -> Iterator[dict[str, Any]]:
    """PLOVER records for the events of ``store`` matching ``filters``
    (:func:`~kibaru.export.source.check_filters`) that have a PLOVER type."""
    for item in iter_events(store, extra_where="e.type IS NOT NULL", **filters):
        yield plover_record(item)
