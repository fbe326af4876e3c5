"""From drafts to CONTRACT.md events: places to GeoNames, dates to ISO, parties completed,
document-level merging, stable ids and confidence."""

from __future__ import annotations

import hashlib
import tomllib
from collections import Counter
from dataclasses import replace
from datetime import date
from functools import lru_cache
from importlib import resources

from ..extract.draft import (
    ARMED_NON_STATE_SECTORS,
    STATE_SECTORS,
    EventDraft,
    PartyDraft,
    PlaceDraft,
)
from ..extract.events import assault_acled
from ..model import (
    Acled,
    Attribution,
    DateValue,
    Event,
    Location,
    Party,
    Quantity,
    Span,
)
from ..nlp.lexicon import get_lexicon, norm, word_set
from .dates import resolve_date
from .merge import absorb, merge_references, merge_sentences
from .places import METROPOLIS_POPULATION, Gazetteer, get_gazetteer, normalize_name
from .places import Place as GeoPlace

__all__ = ["build_events", "event_id", "default_region"]


@lru_cache(maxsize=1)
def default_region() -> tuple[str, ...]:
    """ISO3 codes of ``data/region.toml`` (the ranking context when a document names no
    country)."""
    raw = resources.files("kibaru.data").joinpath("region.toml").read_text("utf-8")
    return tuple(tomllib.loads(raw)["countries"])

_INTL = frozenset({"UNO", "IGO", "EUR", "NGO", "IMG", "ISM", "MNC"})
#: PLOVER types whose state actor mostly acts on its own people when no place says otherwise
_AT_HOME = frozenset({"ASSAULT", "COERCE", "CONCEDE"})
#: PLOVER verbal cooperation and conflict types (statements addressed to someone)
_VERBAL = frozenset({"SUPPORT", "AGREE", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "CONSULT"})
#: PLOVER modes of acts only a state's authorities do, with the sector of the authority that
#: does them: an arrest, a trial, an investigation or an expulsion with no one named is by
#: the state where it happens
_STATE_POWERS = {"arrest": "COP", "convict": "JUD", "investigate": "GOV", "expel": "GOV",
                 "curfew": "GOV"}
#: PLOVER types of settling a conflict: signing, agreeing, negotiating
_SETTLEMENT = frozenset({"SUPPORT", "AGREE", "CONSULT"})
#: the inferred perpetrator of an attack the text does not attribute
_UNIDENTIFIED = "groupe armé non identifié"
#: PLOVER types whose untargeted events are coded against (for a concession: in favour of)
#: the country where they happen
_PLACE_TARGETED = frozenset({"ASSAULT", "COERCE", "CONCEDE"})


#: people a town outside the default region needs to be taken when the document names no
#: country (GeoNames' cities15000 threshold)
ABROAD_TOWN_POPULATION = 15_000
#: people a town of the default region needs to stand for the division named after it when
#: the document names no country ("la région de Kayes": Kayes, 127 000; "la province du Soum"
#: is no Senegalese village)
DIVISION_TOWN_POPULATION = 50_000

_COMPASS = word_set("compass_parts")


def compass_base(name: str) -> str | None:
    """``"Beyrouth"`` for ``"Beyrouth-Est"``, ``"Kivu"`` for ``"Nord-Kivu"``: the place a
    hyphenated name is a compass part of (``grammar.toml`` compass_parts), or None when the
    name has no such part."""
    parts = name.split("-")
    for k in (2, 1):  # the longest part first: "Sud-Ouest"
        for base, part in (("-".join(parts[:-k]), "-".join(parts[-k:])),
                           ("-".join(parts[k:]), "-".join(parts[:k]))):
            if len(parts) > k and norm(part) in _COMPASS:
                base = base.strip()
                # "Nord-Ouest" alone names no place: a region of a country not told
                return base if base and norm(base) not in _COMPASS else None
    return None


def event_id(content_hash: str, etype: str | None, start: int, end: int) -> str:
    """Stable id: a hash of the document's content hash, the type and the trigger span."""
    raw = f"{content_hash}|{etype}|{start}|{end}".encode()
    return hashlib.sha256(raw).hexdigest()[:16]


class _Resolver:
    def __init__(self, gazetteer: Gazetteer, doc_countries: list[str],
                 dominant: str | None = None) -> None:
        self.gaz = gazetteer
        self.doc_countries = doc_countries
        self.dominant = dominant
        self._capital_ids: set[int] | None = None
        self.cache: dict[tuple[int, int, tuple[str, ...]], Location | None] = {}

    def place(self, p: PlaceDraft, context: list[str]) -> Location:
        """GeoNames location of ``p`` ranked by ``context`` countries (cached per span)."""
        key = (p.start, p.end, tuple(context))
        if key in self.cache:
            loc = self.cache[key]
            assert loc is not None
            return loc
        hit = None
        if p.is_country and p.country:
            hit = self.gaz.country(p.country)
        elif p.country:
            hit = self.gaz.resolve(p.text, country_context=[p.country])
        elif p.admin:
            hit = self._division(p.text, context)
        elif context:
            hit = self.gaz.resolve(p.text, country_context=context)
        else:
            hit = self._without_context(p.text)
        if hit is not None:
            loc = Location(p.text, hit.name, hit.geonames_id, hit.country, hit.lat, hit.lon,
                           hit.feature, p.start, p.end)
        else:
            loc = Location(p.text, p.text, None, p.country or self._part_country(p, context),
                           None, None, "country" if p.is_country else None, p.start, p.end)
        self.cache[key] = loc
        return loc

    def _part_country(self, p: PlaceDraft, context: list[str]) -> str | None:
        """The country of a place named as a compass part of another ("Beyrouth-Est",
        "Liban-Sud", "Nord-Kivu"; ``grammar.toml`` compass_parts) that the gazetteer lacks:
        the country of the place it is a part of, or None. The part itself stays unresolved
        (no GeoNames id, no coordinates)."""
        base = compass_base(p.text)
        if base is None:
            return None
        entry = get_lexicon().names.get(norm(base))
        if entry is not None and entry.kind in ("COUNTRY", "CAPITAL"):
            return entry.country
        hit = self.gaz.resolve(base, country_context=context) if context \
            else self._without_context(base)
        return hit.country if hit is not None else None

    def _division(self, name: str, context: list[str]) -> GeoPlace | None:
        """An administrative division named as such ("la province du Soum"): the gazetteer
        holds towns, so only a town of that name in one of the document's countries, else a
        sizeable one in the default region (it then usually gives the division its name:
        "la région de Kayes" in a story about Chinese nationals); never a namesake
        elsewhere."""
        hit = self.gaz.resolve(name, country_context=context) if context else None
        if hit is not None and hit.country in context:
            return hit
        hit = self._in_region(name)
        return hit if hit is not None and hit.population >= DIVISION_TOWN_POPULATION else None

    def _in_region(self, name: str) -> GeoPlace | None:
        """The most populated place called ``name`` in the default region
        (``data/region.toml``), whatever the region's country order ("Goma": the Congolese
        city, not an Ivorian hamlet of a country listed first), or None."""
        region = default_region()
        local = next((p for p in self.gaz.candidates(name) if p.country in region), None)
        return self.gaz.resolve(name, country_context=[local.country]) if local else None

    def _without_context(self, name: str) -> GeoPlace | None:
        """A document naming no country: the most populated place of that name in the default
        region (``data/region.toml``) first; else a place whose main GeoNames name is the name
        read, if it has 15 000 people or is a capital; a variant name alone ("Boni" for Bonn)
        only for a capital or a city of a million people."""
        hit = self._in_region(name)
        if hit is not None:
            return hit
        hit = self.gaz.resolve(name)
        if hit is not None and normalize_name(hit.name) == normalize_name(name):
            # a town abroad the press would name without its country ("Moura" in a story
            # naming no country is no Portuguese town of 9 000 people)
            return hit if hit.population >= ABROAD_TOWN_POPULATION \
                or hit.feature == "country" or hit.geonames_id in self._capitals() else None
        if hit is None:
            return None
        if hit.feature == "country" or hit.population >= METROPOLIS_POPULATION or \
                hit.geonames_id in self._capitals():
            return hit
        return None

    def _capitals(self) -> set[int]:
        if self._capital_ids is None:
            self._capital_ids = self.gaz.capital_ids()
        return self._capital_ids

    def context_for(self, d: EventDraft) -> list[str]:
        """Country context for the gazetteer: the event's parties first, then the document's."""
        out = []
        for p in (d.actor, d.recipient, d.attribution):
            if p is not None and p.country and p.country not in _INTL and p.country not in out:
                out.append(p.country)
        for c in self.doc_countries:
            if c not in out:
                out.append(c)
        return out

    def party(self, p: PartyDraft | None, location: Location | None,
              context: list[str], source: PartyDraft | None = None,
              other_side: Party | None = None) -> Party | None:
        """Freeze a party; a state body named without its country ("l'armée", "la police")
        takes the country of the source quoted, else of the event's place, else the country
        the document is mostly about."""
        if p is None:
            return None
        country = p.country
        if country is None and p.sector in STATE_SECTORS and p.place is None:
            for cand in ((source.country if source else None),
                         location.country if location else None,
                         self.dominant):
                if other_side is not None and cand == other_side.country \
                        and cand == self.dominant and other_side.sector in STATE_SECTORS | {None}:
                    # the document is about the other state ("offerts par la Chine"); a
                    # dissident group's government is its own ("les rebelles fidjiens
                    # libéreraient le Premier ministre")
                    continue
                if cand and cand not in _INTL:
                    country = cand
                    break
        if country is None and p.place is not None:
            country = self.place(p.place, context).country
            if country is None and p.name is None and p.text == p.place.text:
                return None  # a place standing for a party, but not found in the gazetteer
        if country is None and p.local and location is not None:
            country = location.country
        name = p.name
        if name is None and country:
            name = get_lexicon().country_names.get(country, country)
        return Party(p.text, name, country, p.sector, p.start, p.end)


def _same_party(a: Party | None, b: Party | None) -> bool:
    return a is None or b is None or a.country is None or b.country is None \
        or a.country == b.country


def _merge_document(events: list[tuple[EventDraft, Event]]) -> list[tuple[EventDraft, Event]]:
    """Pass 3 of :mod:`kibaru.resolve.merge`: same type, ACLED type, parties, and the same
    place or date (a headline and its body), or a headline event that names neither."""
    out: list[tuple[EventDraft, Event]] = []
    for d, e in events:
        twin = None
        for i, (d0, e0) in enumerate(out):
            if e0.type != e.type or e0.acled != e.acled or e0.status != e.status:
                continue
            if not (_same_party(e0.actor, e.actor) and _same_party(e0.recipient, e.recipient)):
                continue
            same_place = (e0.location is not None and e.location is not None
                          and (e0.location.geonames_id or e0.location.name)
                          == (e.location.geonames_id or e.location.name))
            if e0.location is not None and e.location is not None and not same_place:
                continue
            if e0.date and e.date and e0.date.value != e.date.value:
                continue
            amounts0 = {q.value for q in e0.quantities if q.kind == "amount"}
            amounts = {q.value for q in e.quantities if q.kind == "amount"}
            if amounts0 and amounts and not amounts0 & amounts:
                continue
            if e0.context and e.context and not set(e0.context) & set(e.context):
                continue
            same_date = bool(e0.date and e.date)
            # a headline (first line) that names neither place nor date ("l'armée reprend le
            # contrôle de la ville") tells the event the body then details
            headline = d0.block == 0 and d.block > 0 and e0.location is None and e0.date is None
            if same_place or same_date or (amounts0 & amounts) or headline:
                twin = i
                break
        if twin is None:
            out.append((d, e))
            continue
        d0, e0 = out[twin]
        # keep the better-documented one as the base
        score0 = sum(x is not None for x in (e0.actor, e0.recipient, e0.location, e0.date))
        score = sum(x is not None for x in (e.actor, e.recipient, e.location, e.date))
        keep_d, drop_d = (d, d0) if score > score0 else (d0, d)
        keep_e = e if score > score0 else e0
        drop_e = e0 if score > score0 else e
        fields = {f: getattr(keep_e, f) or getattr(drop_e, f)
                  for f in ("actor", "recipient", "location", "date", "attribution", "acled")}
        # the headline's "22 morts" and the body's "22 personnes tuées" are one figure
        seen = {(q.value, q.unit, q.kind) for q in keep_e.quantities}
        quantities = keep_e.quantities + tuple(q for q in drop_e.quantities
                                               if (q.value, q.unit, q.kind) not in seen)
        merged = Event(
            id=keep_e.id, type=keep_e.type, mode=keep_e.mode or drop_e.mode,
            context=tuple(dict.fromkeys(keep_e.context + drop_e.context)),
            category=keep_e.category, actor=fields["actor"],
            actor_associates=keep_e.actor_associates or drop_e.actor_associates,
            recipient=fields["recipient"],
            recipient_associates=keep_e.recipient_associates or drop_e.recipient_associates,
            location=fields["location"], date=fields["date"], quantities=quantities,
            attribution=fields["attribution"], status=keep_e.status, acled=fields["acled"],
            trigger=keep_e.trigger, evidence=keep_e.evidence,
            confidence=max(keep_e.confidence, drop_e.confidence),
        )
        absorb(keep_d, drop_d)
        out[twin] = (keep_d, merged)
    return out


def _confidence(e: Event) -> float:
    score = 0.35
    # a party inferred rather than read (no offsets: the country of the place, a protest's
    # government) adds no evidence
    score += 0.15 if e.actor and e.actor.start is not None else 0.0
    score += 0.15 if e.recipient and e.recipient.start is not None else 0.0
    score += 0.1 if e.location else 0.0
    score += 0.05 if e.date else 0.0
    score += 0.05 if e.quantities else 0.0
    score += 0.05 if e.attribution else 0.0
    if e.status in ("hypothetical", "claimed"):
        score -= 0.1
    return round(max(0.05, min(0.95, score)), 2)


def build_events(drafts: list[EventDraft], *, text: str, published: str | None,
                 doc_countries: list[str], gazetteer: Gazetteer | None = None,
                 dominant: str | None = None) -> list[Event]:
    """Merge, resolve and freeze the drafts of one document into CONTRACT.md events.

    ``doc_countries`` are the document's countries, most mentioned first (context for
    GeoNames ranking); ``dominant`` is the country the document is clearly about (see
    :func:`dominant_country`), if any. ``published`` (ISO date or None) anchors relative
    dates.
    """
    gaz = gazetteer or get_gazetteer()
    content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    pub = date.fromisoformat(published) if published else None
    drafts = merge_references(merge_sentences(drafts))
    r = _Resolver(gaz, doc_countries, dominant)
    built: list[tuple[EventDraft, Event]] = []
    for d in drafts:
        ctx = r.context_for(d)
        location = r.place(d.location, ctx) if d.location is not None else None
        for alt in d.location_alternatives:
            if location is None or location.geonames_id is not None:
                break
            candidate = r.place(alt, ctx)
            if candidate.geonames_id is not None:
                location = candidate  # the first place of the clause the gazetteer knows
        told_recipient = None
        if d.recipient is not None and d.recipient.country:
            # "Le président a menacé la Russie": the unnamed president is not Russia's
            told_recipient = Party(d.recipient.text, None, d.recipient.country,
                                   d.recipient.sector, None, None)
        actor = r.party(d.actor, location, ctx, d.attribution, other_side=told_recipient)
        recipient = r.party(d.recipient, location, ctx, other_side=actor)
        if actor is None and d.frame == "take" and location is not None and location.country:
            actor = Party(location.text, get_lexicon().country_names.get(
                location.country, location.country), location.country, "MIL", None, None)
        if recipient is None and (d.type in ("AID", "AGREE") or d.mode == "visit") \
                and location is not None \
                and location.country and (actor is None or actor.country != location.country):
            # aid taken to a town goes to that town's country (read from the place name)
            recipient = Party(location.text, get_lexicon().country_names.get(
                location.country, location.country), location.country, "GOV",
                location.start, location.end)
        actor, recipient = _nationalities(d, actor, recipient, location)
        if actor is None and recipient is None and location is None and not d.quantities \
                and d.category is None and not (d.acled_fixed and d.acled is not None):
            # too vague to be a record ("des tirs ont été entendus"), unless the trigger alone
            # names a specific kind (a lynching, a shipwreck, a grenade attack)
            continue
        acled = d.acled
        if d.type == "ASSAULT" and not d.acled_fixed and acled \
                and acled[1] in ("Armed clash", "Attack"):
            # the sides are final only now (merged mentions, resolved countries)
            acled = assault_acled(actor.sector if actor else None,
                                  recipient.sector if recipient else None)
        actor, recipient = _untold_sides(d, actor, recipient, location)
        dv = None
        if d.date is not None:
            # an event's date is never after publication (CONTRACT.md)
            resolved = resolve_date(d.date.mention, pub, allow_future=False)
            future = d.type in ("AGREE", "CONCEDE") or d.status in ("planned", "hypothetical")
            m = d.date.mention
            if future and resolved is not None and m.kind == "absolute" and m.year is None \
                    and pub is not None and resolved[0][:4] != str(pub.year):
                resolved = None  # "d'ici le 14 septembre" is ahead, not a year back
            if resolved is not None:
                dv = DateValue(d.date.text, resolved[0], resolved[1], d.date.start, d.date.end)
        att = None
        if d.attribution is not None:
            a = d.attribution
            a_country = a.country
            att = Attribution(a.text, a.name, a_country, a.sector, a.start, a.end)
        quantities = tuple(Quantity(q.text, q.value, q.unit, q.item, q.kind, q.approximate,
                                    q.bound, q.start, q.end) for q in d.quantities)
        ev = Event(
            id=event_id(content_hash, d.type, d.trigger[1], d.trigger[2]),
            type=d.type, mode=d.mode, context=tuple(d.context), category=d.category,
            actor=actor,
            actor_associates=tuple(p for p in (r.party(x, location, ctx)
                                               for x in d.actor_associates) if p),
            recipient=recipient,
            recipient_associates=tuple(p for p in (r.party(x, location, ctx)
                                                   for x in d.recipient_associates) if p),
            location=location, date=dv, quantities=quantities, attribution=att,
            status=d.status, acled=Acled(*acled) if acled else None,
            trigger=Span(*d.trigger), evidence=Span(*d.evidence), confidence=0.0,
        )
        built.append((d, ev))
    merged = _merge_document(built)
    out = []
    for d, e in merged:
        out.append(_with_confidence(e, subordinate=d.subordinate))
    return out


def _country_party(code: str, sector: str | None) -> Party:
    """A party inferred as a whole country (no offsets: read from no particular words)."""
    name = get_lexicon().country_names.get(code, code)
    return Party(name, name, code, sector, None, None)


def _nationalities(d: EventDraft, actor: Party | None, recipient: Party | None,
                   location: Location | None) -> tuple[Party | None, Party | None]:
    """``(actor, recipient)`` with the protest target and the nationalities the text leaves
    untold but PLOVER practice infers from the other side (each rule below says which)."""
    if recipient is None and d.type == "PROTEST" and (actor is None
                                                      or actor.sector not in STATE_SECTORS):
        # PLOVER/CAMEO: a protest is addressed to the government of the country where it
        # happens (else the protesters' own), unless the text names a target
        target = (location.country if location is not None else None) or (
            actor.country if actor is not None else None)
        if target and target not in _INTL:
            recipient = _country_party(target, "GOV")
    if recipient is not None and recipient.country is None and actor is not None \
            and actor.sector in STATE_SECTORS and actor.country and actor.country not in _INTL:
        # a state body using force on, conceding to or releasing people whose nationality
        # is not told, at home: its own people ("la police égyptienne a ouvert le feu sur des
        # manifestants"); aid and deals are often for foreigners ("Paris dément avoir
        # fourni des armes aux rebelles touareg")
        at_home = (d.type in _AT_HOME or (d.type, d.mode) == ("RETREAT", "release")) \
            and recipient.sector not in STATE_SECTORS and recipient.sector is not None \
            and (location is None or location.country == actor.country)
        # a government signing, agreeing or negotiating with rebels of no told nationality,
        # wherever: its own rebels ("le gouvernement tchadien et le groupe rebelle FACT")
        settling = d.type in _SETTLEMENT and recipient.sector in ARMED_NON_STATE_SECTORS
        if at_home or settling:
            recipient = replace(recipient, country=actor.country)
    if actor is None or actor.country is not None or actor.sector in STATE_SECTORS \
            or recipient is None or not recipient.country or recipient.country in _INTL:
        return actor, recipient
    if d.type in _VERBAL and actor.sector is not None \
            and recipient.sector in STATE_SECTORS \
            and (location is None or location.country == recipient.country):
        # a group of no told nationality addressing a government, and nowhere else: that
        # government's people ("des dirigeants yoruba … pardonner au président nigérian")
        actor = replace(actor, country=recipient.country)
    elif d.type == "PROTEST" \
            and (location is None or location.country in (None, recipient.country)):
        # protesters whose nationality is not told are people of the country whose
        # government they address ("des fondamentalistes … pour réclamer la démission du
        # président algérien")
        actor = replace(actor, country=recipient.country)
    return actor, recipient


def _untold_sides(d: EventDraft, actor: Party | None, recipient: Party | None,
                  location: Location | None) -> tuple[Party | None, Party | None]:
    """``(actor, recipient)`` with the side of an attack, a coercive measure, a concession
    or a deployment that the text does not name, inferred as PLOVER/CAMEO and ACLED code it
    (a whole country or an unidentified armed group: no offsets, no ACLED actor 2). A town
    taken was held by someone the text does not name, not by its country."""
    if d.frame == "take":
        return actor, recipient
    # (a place whose country is known: resolved, or a compass part of a known place)
    resolved = location is not None and bool(location.country) and location.country not in _INTL
    abroad = d.type == "MOBILIZE" and location is not None and actor is not None \
        and actor.country != location.country
    if recipient is None and resolved and (d.type in _PLACE_TARGETED or abroad):
        # an attack or coercive measure with no named target is against the country where
        # it happens; forces sent abroad are sent towards the country they go to
        assert location is not None and location.country
        recipient = _country_party(location.country, None)
    unresolved = location is None or not location.country
    if recipient is None and unresolved and d.type in ("ASSAULT", "COERCE") \
            and actor is not None and actor.country and actor.country not in _INTL \
            and actor.sector is not None and actor.sector not in STATE_SECTORS:
        # insurgents of a country striking with no named target and no place found: their
        # own country ("des guérilleros afghans ont fait sauter trois lignes électriques")
        recipient = _country_party(actor.country, None)
    if actor is None and resolved and d.mode in _STATE_POWERS \
            and d.type in ("COERCE", "ACCUSE", "SANCTION"):
        # arrested, tried, investigated, expelled by authorities the text does not name:
        # the state where it happens (PLOVER codes the state whose powers these are)
        assert location is not None and location.country
        actor = _country_party(location.country, _STATE_POWERS[d.mode])
    if actor is None and resolved and d.type == "ASSAULT" and d.mode != "crowd-control":
        # an attack whose perpetrator the text does not name: ACLED's "Unidentified Armed
        # Group (country)", PLOVER's actor of the country where it happens
        assert location is not None and location.country
        actor = Party(_UNIDENTIFIED, _UNIDENTIFIED, location.country, "UAF", None, None)
    return actor, recipient


def _with_confidence(e: Event, *, subordinate: bool = False) -> Event:
    """``e`` with its confidence; an event told as the purpose of another ("manifester pour
    exiger…") is less sure to be a record of its own (0.1 less)."""
    c = _confidence(e)
    if subordinate:
        c = round(max(0.05, c - 0.1), 2)
    return replace(e, confidence=c)


def dominant_country(countries: list[str]) -> str | None:
    """The country named at least twice as often as any other (None when no country is)."""
    counts = Counter(c for c in countries if c not in _INTL).most_common(2)
    if not counts:
        return None
    if len(counts) == 1 or counts[0][1] >= 2 * counts[1][1]:
        return counts[0][0]
    return None


def doc_country_ranking(countries: list[str]) -> list[str]:
    """Countries by number of mentions, most first (ties: first mentioned first)."""
    countries = [c for c in countries if c not in _INTL]
    counts = Counter(countries)
    order = {c: i for i, c in reversed(list(enumerate(countries)))}
    return sorted(counts, key=lambda c: (-counts[c], order[c]))
