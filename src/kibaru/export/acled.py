"""ACLED-format rows for events that carry an ACLED event type.

Columns are exactly ACLED's (:data:`ACLED_COLUMNS`, in ACLED's order; ACLED codebook 2023 and
"Guide to 2023 ACLED column changes", acleddata.com). Kibaru fills what it knows and leaves the
rest empty:

=================== ===============================================================================
column              value
=================== ===============================================================================
event_id_cnty       ISO3 of the event's country (``XXX`` when unknown) + ``-`` + Kibaru event id
event_date          the event's date (YYYY-MM-DD), else the document's publication date
time_precision      1 day, 2 week, 3 month or year; 3 when the publication date stands in
disorder_type       from the event type, as ACLED assigns it (:data:`DISORDER`)
event_type, sub...  Kibaru's ACLED types
actor1, actor2      ACLED-style names from country and sector (:func:`acled_actor`)
assoc_actor_1/2     the associates on each side, ``; ``-separated
inter1, inter2      ACLED actor-type codes from PLOVER sectors (:func:`inter_code`)
interaction         the two codes, lower first (``17``), ``<inter1>0`` for a sole actor, else
                    empty
civilian_targeting  ``Civilian targeting`` for violence against civilians, and for political
                    violence whose actor2 has inter code 7
iso, country        ISO 3166 numeric code and English name of the place's country
region              ACLED region, for the African countries listed in :data:`REGIONS`
admin1/2/3          empty (Kibaru does not resolve administrative units)
location, lat, lon  the GeoNames place; empty when unresolved
geo_precision       1 for a town, 3 for a country-level place
source              the publication (the URL's host), else the file name of the document
source_scale        empty
notes               one English sentence generated from the event's fields (:mod:`.english`)
fatalities          the sum of the event's ``killed`` quantities (0 when none)
tags                ACLED-style ``crowd size=`` for protests and riots, and Kibaru notes
timestamp           when the document was coded (Unix seconds)
=================== ===============================================================================

**Inter codes** (ACLED codebook, "Actor Names, Types and 'Inter' Codes"): 1 State forces,
2 Rebel groups, 3 Political militias, 4 Identity militias, 5 Rioters, 6 Protesters,
7 Civilians, 8 External/Other forces. From PLOVER sectors:

- GOV, MIL, COP, JUD, LEG, SPY → 1 (state forces), or 8 when the party's country is not the
  place's (ACLED codes state forces acting outside their own country as external forces);
- REB → 2;
- PRM, UAF, CRM → 3 (ACLED codes unidentified armed groups and pro-government militias as
  political militias), 4 when the event's context has ``religion_ethnicity`` (communal and
  ethnic militias are ACLED's identity militias);
- CVL and the other civilian sectors (AGR, BUS, EDU, ELI, JRN, LAB, MED, OPP, PTY, REF, REL,
  SOC) → 5 in Riots, 6 in Protests (or a PLOVER PROTEST), else 7;
- international codes IGO, UNO, EUR, NGO (whatever the sector) → 8;
- no sector, UNK or PRE → empty.

Only events that happened are ACLED events: by default, rows are written for the statuses
``reported`` and ``claimed`` (a claim is noted in ``tags``); pass ``status`` to choose others.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from ..extract.draft import STATE_SECTORS
from .english import country_info, party_phrase, summary
from .source import StoreLike, iter_events

__all__ = ["ACLED_COLUMNS", "DISORDER", "REGIONS", "ACLED_STATUSES", "inter_code",
           "acled_actor", "acled_row", "acled_rows", "publication"]

#: ACLED's columns, in ACLED's order (research-facts.md, "Output records of the anchors").
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)

#: Statuses written when no ``status`` filter is given: events that happened.
ACLED_STATUSES = ("reported", "claimed")

#: ACLED event type (or ``event/sub-event`` for the exceptions) → ``disorder_type``.
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Protests/Excessive force against protesters": "Political violence; Demonstrations",
    "Riots": "Demonstrations",
    "Riots/Mob violence": "Political violence",
    "Strategic developments": "Strategic developments",
}

#: ACLED regions of the African countries (Kibaru's coverage) whose region is unambiguous;
#: other countries leave ``region`` empty rather than guess.
REGIONS = {
    **dict.fromkeys(("BEN", "BFA", "CPV", "CIV", "GMB", "GHA", "GIN", "GNB", "LBR", "MLI",
                     "MRT", "NER", "NGA", "SEN", "SLE", "TGO"), "Western Africa"),
    **dict.fromkeys(("CMR", "CAF", "TCD", "COG", "COD", "GNQ", "GAB", "STP"), "Middle Africa"),
    **dict.fromkeys(("DZA", "EGY", "LBY", "MAR", "TUN"), "Northern Africa"),
    **dict.fromkeys(("BDI", "DJI", "ERI", "ETH", "KEN", "RWA", "SOM", "SSD", "TZA", "UGA"),
                    "Eastern Africa"),
    **dict.fromkeys(("BWA", "LSO", "MOZ", "NAM", "SWZ", "ZAF", "ZMB", "ZWE", "MWI"),
                    "Southern Africa"),
}

_MILITIA = frozenset({"PRM", "UAF", "CRM"})
_CIVILIAN = frozenset({"CVL", "AGR", "BUS", "EDU", "ELI", "JRN", "LAB", "MED", "OPP", "PTY",
                       "REF", "REL", "SOC"})
_EXTERNAL = frozenset({"IGO", "UNO", "EUR", "NGO"})
_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}


def _is_state_code(code: str | None) -> bool:
    return country_info(code) is not None


def inter_code(party: Mapping[str, Any] | None, *, event_type: str | None,
               plover_type: str | None, place_country: str | None,
               context: list[str] | tuple[str, ...] = ()) -> int | None:
    """ACLED's actor-type code for a CONTRACT party (see the module docstring), or None."""
    if not party:
        return None
    code, sector = party.get("country"), party.get("sector")
    if code in _EXTERNAL:
        return 8
    if sector in STATE_SECTORS:
        if place_country and _is_state_code(code) and code != place_country:
            return 8
        return 1
    if sector == "REB":
        return 2
    if sector in _MILITIA:
        return 4 if "religion_ethnicity" in context else 3
    if sector in _CIVILIAN:
        if event_type == "Riots":
            return 5
        if event_type == "Protests" or plover_type == "PROTEST":
            return 6
        return 7
    return None


def acled_actor(party: Mapping[str, Any] | None, *, inter: int | None,
                place_country: str | None) -> str:
    """An ACLED-style actor name: ``Military Forces of Mali``, ``Police Forces of Senegal``,
    ``Government of Niger``, ``Unidentified Armed Group (Mali)``, ``Civilians (Burkina Faso)``,
    ``Protesters (Senegal)``, ``Rioters (...)``, else the party's canonical English name
    (``MINUSMA``, ``Jama'at Nusrat al-Islam wal-Muslimin``) or ``""``."""
    if not party:
        return ""
    code, sector = party.get("country"), party.get("sector")
    own = country_info(code)
    where = own or country_info(place_country)
    suffix = f" ({where['name']})" if where else ""
    if own and sector in STATE_SECTORS:
        kind = {"MIL": "Military Forces of", "COP": "Police Forces of"}.get(str(sector),
                                                                          "Government of")
        return f"{kind} {own['name']}"
    if inter in (5, 6, 7) and sector in _CIVILIAN:
        return {5: "Rioters", 6: "Protesters", 7: "Civilians"}[inter] + suffix
    if sector == "UAF":
        return "Unidentified Armed Group" + suffix
    name = party_phrase(party)
    if name is None:
        return ""
    return name[4:] if name.startswith("the ") else name


def publication(url: str | None, source: str | None = None) -> str:
    """The publication an article came from: the URL's host without ``www.`` (also when the
    source is itself a URL), else the file name of the document's source (``articles.jsonl:3``,
    without the local folders), else ``""``."""
    for candidate in (url, source):
        if candidate and "://" in candidate:
            host = urlsplit(candidate).hostname or ""
            if host:
                return host.removeprefix("www.")
    if source and source != "-":
        return os.path.basename(source)
    return ""


def _iso(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat()[:10] if isinstance(value, date | datetime) else str(value)[:10]


def acled_row(item: Mapping[str, Any]) -> dict[str, Any]:
    """The ACLED row of one event from :func:`~kibaru.export.source.iter_events`."""
    e = item["event"]
    acled = e.get("acled") or {}
    event_type, sub = acled.get("event_type", ""), acled.get("sub_event_type", "")
    rec = e.get("recipient")
    if rec and (rec.get("start") is None or sub == "Peaceful protest"):
        # a recipient PLOVER infers (the government of a protest's country, the country
        # where an untargeted attack happens) is no ACLED actor 2: ACLED names only the
        # actors the source names; and whom a peaceful protest addresses ("contre la
        # présence française") is no party to it (protesters alone: interaction 60)
        e = dict(e, recipient=None)
    loc = e.get("location") or {}
    resolved = loc.get("geonames_id") is not None
    place_country = loc.get("country") if resolved else None
    info = country_info(place_country)
    context = list(e.get("context") or [])
    inters = [inter_code(e.get(side), event_type=event_type, plover_type=e.get("type"),
                         place_country=place_country, context=context)
              for side in ("actor", "recipient")]
    inter1, inter2 = inters
    if inter1 is not None and inter2 is not None:
        interaction = f"{min(inter1, inter2)}{max(inter1, inter2)}"
    elif inter1 is not None and not e.get("recipient"):
        interaction = f"{inter1}0"  # a sole actor
    else:
        interaction = ""  # a side is there but its type is unknown
    disorder = DISORDER.get(f"{event_type}/{sub}") or DISORDER.get(event_type, "")
    date_value = (e.get("date") or {}).get("value")
    tags = []
    if event_type in ("Protests", "Riots"):
        size = [q for q in e.get("quantities") or [] if q.get("kind") == "amount"
                and not q.get("unit")]
        tags.append(f"crowd size={_crowd(size[0]) if size else 'no report'}")
    if not date_value:
        tags.append("kibaru: date of publication (no event date in the text)")
    if e.get("status") != "reported":
        tags.append(f"kibaru: status {e.get('status')}")
    killed = sum(float(q["value"]) for q in e.get("quantities") or []
                 if q.get("kind") == "killed")
    processed = item.get("processed_at")
    stamp = int(processed.replace(tzinfo=UTC).timestamp()) if isinstance(
        processed, datetime) else ""
    assoc = {side: "; ".join(n for n in (acled_actor(p, inter=None, place_country=place_country)
                                         for p in e.get(f"{side}_associates") or []) if n)
             for side in ("actor", "recipient")}
    return {
        "event_id_cnty": f"{place_country or 'XXX'}-{e['id']}",
        "event_date": _iso(date_value) if date_value else _iso(item.get("published")),
        "time_precision": _PRECISION.get(str((e.get("date") or {}).get("precision")), 3)
        if date_value else 3,
        "disorder_type": disorder,
        "event_type": event_type,
        "sub_event_type": sub,
        "actor1": acled_actor(e.get("actor"), inter=inter1, place_country=place_country),
        "assoc_actor_1": assoc["actor"],
        "inter1": "" if inter1 is None else inter1,
        "actor2": acled_actor(e.get("recipient"), inter=inter2, place_country=place_country),
        "assoc_actor_2": assoc["recipient"],
        "inter2": "" if inter2 is None else inter2,
        "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if event_type == "Violence against civilians"
        or (inter2 == 7 and "Political violence" in disorder) else "",
        "iso": info["numeric"] if info and info.get("numeric") is not None else "",
        "region": REGIONS.get(place_country or "", ""),
        "country": info["name"] if info else "",
        "admin1": "", "admin2": "", "admin3": "",
        "location": _location_name(loc, info) if resolved else "",
        "latitude": loc.get("lat") if resolved and loc.get("lat") is not None else "",
        "longitude": loc.get("lon") if resolved and loc.get("lon") is not None else "",
        "geo_precision": (3 if loc.get("feature") == "country" else 1) if resolved else "",
        "source": publication(item.get("url"), item.get("source")),
        "source_scale": "",
        "notes": summary(e),
        "fatalities": int(round(killed)),
        "tags": "; ".join(tags),
        "timestamp": stamp,
    }


def _location_name(loc: Mapping[str, Any], info: Mapping[str, Any] | None) -> str:
    if loc.get("feature") == "country" and info:
        return str(info["name"])
    return str(loc.get("name") or "")


def _crowd(q: Mapping[str, Any]) -> str:
    value = int(float(q["value"])) if float(q["value"]).is_integer() else q["value"]
    bound = {"at_least": "at least ", "at_most": "up to "}.get(q.get("bound") or "", "")
    return bound + ("around " if q.get("approximate") and not bound else "") + str(value)


def acled_rows(store: StoreLike, **filters: Any) -> Iterator[dict[str, Any]]:
    """ACLED rows (dicts keyed by :data:`ACLED_COLUMNS`) for the events of ``store`` that
    have an ACLED type and match ``filters`` (:func:`~kibaru.export.source.check_filters`);
    statuses :data:`ACLED_STATUSES` unless ``status`` is given."""
    if filters.get("status") is None:
        filters["status"] = list(ACLED_STATUSES)
    for item in iter_events(store, extra_where="e.acled_event_type IS NOT NULL", **filters):
        yield acled_row(item)
