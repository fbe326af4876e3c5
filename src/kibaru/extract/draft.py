"""Draft events: what the extract stage hands to the resolve stage.

Offsets are document-level character offsets (already shifted by the block's offset). Places,
dates and codes still to be resolved keep the raw material the resolve stage needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import DateMention

__all__ = ["PartyDraft", "PlaceDraft", "DateDraft", "QuantityDraft", "EventDraft",
           "PROTEST_ACLED_RANK", "STATE_SECTORS", "ARMED_NON_STATE_SECTORS"]

#: PLOVER 2.0 sectors of the state's own bodies (government, military, police, intelligence,
#: judiciary, legislature)
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "JUD", "LEG"})
#: PLOVER 2.0 sectors of armed non-state parties (rebels, unidentified armed groups, militias)
ARMED_NON_STATE_SECTORS = frozenset({"REB", "UAF", "PRM"})


@dataclass
class PartyDraft:
    """A party read from the text. ``place`` is a place whose country the party takes when its
    own country is unknown ("les autorités de Ménaka"); ``local`` marks parties (civilians,
    police, local officials) that take the event location's country when they have none."""

    text: str
    start: int | None
    end: int | None
    name: str | None
    country: str | None
    sector: str | None
    place: PlaceDraft | None = None
    local: bool = False


@dataclass
class PlaceDraft:
    """A place mention: ``country`` is known when the mention is a country or a capital;
    ``is_country`` for country-level places; ``admin`` when the text names it as an
    administrative division ("la province du Soum"), which the city gazetteer may only match
    by a namesake town."""

    text: str
    start: int
    end: int
    country: str | None = None
    is_country: bool = False
    is_capital: bool = False
    admin: bool = False


@dataclass
class DateDraft:
    """A date mention to be resolved against the publication date."""

    text: str
    start: int
    end: int
    mention: DateMention


@dataclass
class QuantityDraft:
    """A quantity with its event-specific ``kind``."""

    text: str
    start: int
    end: int
    value: float
    unit: str | None
    item: str | None
    kind: str
    approximate: bool
    bound: str | None


@dataclass
class EventDraft:
    """An event before resolution; ``block``/``sent`` and ``token`` locate the trigger for
    merging, ``priority`` comes from the trigger lexicon."""

    type: str | None
    mode: str | None
    context: list[str]
    acled: tuple[str, str] | None
    actor: PartyDraft | None
    recipient: PartyDraft | None
    location: PlaceDraft | None
    date: DateDraft | None
    quantities: list[QuantityDraft]
    attribution: PartyDraft | None
    status: str
    trigger: tuple[str, int, int]
    evidence: tuple[str, int, int]
    block: int
    sent: int
    token: int
    priority: int
    frame: str
    nominal: bool
    anaphoric: bool = False
    ancestors: tuple[int, ...] = ()
    #: the preposition introducing a nominal trigger ("après une attaque" → "après"), or ""
    case: str = ""
    actor_associates: list[PartyDraft] = field(default_factory=list)
    recipient_associates: list[PartyDraft] = field(default_factory=list)
    trigger_id: str = ""
    acled_fixed: bool = False
    claimed_by: PartyDraft | None = None
    location_alternatives: list[PlaceDraft] = field(default_factory=list)
    subordinate: bool = False
    category: str | None = None


#: ACLED protest sub-event types, weakest first (ACLED codebook, research-facts.md): a protest
#: takes the strongest one told about it (protesters' violence makes it a riot whatever the
#: police did; force used on peaceful protesters beats a mere intervention)
PROTEST_ACLED_RANK = {"Peaceful protest": 0, "Protest with intervention": 1,
                      "Excessive force against protesters": 2, "Violent demonstration": 3}
