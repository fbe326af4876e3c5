"""Quantity recognition over spaCy tokens, keeping every quantity's character span.

Numbers are read by :mod:`kibaru.extract.numbers` (digits in French typography, words through
text2num, fractions, scale words: "1,5 milliard"); here come approximate nouns ("une dizaine
de"), units and currencies (``data/units.toml``: tonnes, ISO 4217 money, lengths, areas,
volumes...; a bare "degrés" is a temperature when its sentence speaks of heat), the item ("de
blé") and bounds ("au moins"). Only counts, tonnes and money are event quantities
(:func:`is_event_unit`). The *kind* of a quantity (amount, cumulative,
planned...) depends on the event and is decided in :mod:`kibaru.extract.events`; here only
casualty items are marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from ..nlp.lexicon import norm
from .numbers import NumberReader, Reading, parse_number, units_table

__all__ = ["QuantityMention", "NumberMention", "find_quantities", "find_numbers", "units_table",
           "parse_number", "unit_kind", "is_event_unit", "money_units"]

_MONEY_SIGN = re.compile(r"[$€£¥₦]")
#: counted nouns that name the parties themselves ("les deux pays"), not an event quantity
_PARTY_COUNTS = frozenset({"pays", "nation", "nations", "dirigeant", "dirigeants", "partie",
                           "parties", "camp", "camps", "capitale", "capitales", "chef", "chefs",
                           "president", "presidents", "gouvernement", "gouvernements", "hommes",
                           "femmes", "responsables"})
_STOP_ITEM = {"à", "au", "aux", "pour", "par", "en", "dans", "sur", "vers", "selon", "contre",
              "avec", "et", "ou", "de", "d'", "d’", "des", "du", "qui", "que", "dont"}


@dataclass(frozen=True)
class QuantityMention:
    """A quantity found in one parsed block.

    ``start``/``end`` are token indices of the whole mention (bound words included) in the
    block's Doc; ``head`` is the token index the quantity hangs on in the parse (the unit or
    counted noun, else the number). ``value`` is already scaled and converted (kg → t).
    ``casualty`` is ``killed``/``injured`` when the counted item says so, else None.
    """

    start: int
    end: int
    value: float
    unit: str | None
    item: str | None
    approximate: bool
    bound: str | None
    head: int
    casualty: str | None


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    table = units_table()["unit_kinds"]
    return {u: kind for kind, units in table.items() if kind != "event_kinds" for u in units}


def unit_kind(unit: str | None) -> str | None:
    """What ``unit`` measures, from ``data/units.toml`` [unit_kinds]: ``"mass"`` ("t"),
    ``"money"`` (ISO 4217 codes), ``"money_fraction"`` ("cent"), ``"length"``, ``"area"``,
    ``"volume"``, ``"speed"``, ``"information"``, ``"angle"``, ``"temperature"``; None for
    a count (``unit`` None) or an unknown unit."""
    return _kinds().get(unit) if unit else None


def is_event_unit(unit: str | None) -> bool:
    """True when a quantity in ``unit`` may be an event quantity (CONTRACT.md: counts, tonnes,
    ISO 4217 money); lengths, volumes, angles... are recognised but never coded."""
    return unit is None or unit_kind(unit) in units_table()["unit_kinds"]["event_kinds"]


@lru_cache(maxsize=1)
def money_units() -> frozenset[str]:
    """The ISO 4217 codes of ``data/units.toml``."""
    return frozenset(units_table()["unit_kinds"]["money"])


def _nominal(tok: Token) -> bool:
    """A noun, or an adjective used as one ("vingt-deux civils" is often tagged ADJ)."""
    return tok.pos_ == "NOUN" or (tok.pos_ == "ADJ" and tok.dep_ in (
        "obj", "nsubj", "nsubj:pass", "nmod", "obl", "obl:arg", "obl:mod", "conj", "appos"))


def _match_phrase(doc: Doc, i: int, table: dict[str, Any], max_words: int = 4) -> tuple[int, Any]:
    """Longest phrase of ``table`` starting at token ``i``: ``(end_token, value)`` or (i, None)."""
    for j in range(min(len(doc), i + max_words), i, -1):
        if doc[j - 1].is_punct and not norm(doc[j - 1].text):
            continue  # norm() makes "$ -" look like "$"
        key = norm(doc[i:j].text)
        if key in table:
            return j, table[key]
    return i, None


def _glued_prefix(tok: Token, prefixes: set[str]) -> int | None:
    """Length of a money prefix glued to digits ("nzd$15", "€1000"), else None."""
    low = tok.text.lower()
    for k in range(min(len(low) - 1, 4), 0, -1):
        if low[:k] in prefixes and low[k].isdigit():
            return k
    return None


def _item(doc: Doc, i: int) -> tuple[str | None, int]:
    """Item noun phrase starting at token ``i`` (after an optional "de"): text and end index."""
    if i >= len(doc):
        return None, i
    j = i
    if norm(doc[j].text) in ("de", "d'") and j + 1 < len(doc):
        j += 1
    if not _nominal(doc[j]) or doc[j].lower_ in _STOP_ITEM:
        return None, i
    start = j
    j += 1
    while j < len(doc) and doc[j].pos_ == "ADJ":
        j += 1
    # "drones de combat", "produits de première nécessité": one de-complement without article
    if (j + 1 < len(doc) and doc[j].lower_ == "de" and doc[j + 1].pos_ == "NOUN"
            and doc[j + 1].head.i in (j - 1, start)):
        j += 2
    return doc[start:j].text, j


def _speaks_of(tok: Token, words: frozenset[str]) -> bool:
    """True when the sentence of ``tok`` (the whole Doc if it has no sentences) holds one of
    ``words`` (lower case, accent-free), as a form or as a lemma."""
    doc = tok.doc
    span = tok.sent if doc.has_annotation("SENT_START") else doc[:]
    return any(norm(t.text) in words or (t.lemma_ and norm(t.lemma_) in words) for t in span)


def find_quantities(doc: Doc, *, skip: set[int] | None = None) -> list[QuantityMention]:
    """All quantities in ``doc`` (one parsed block), left to right.

    ``skip`` holds token indices already used by date expressions (so "14 septembre 2024"
    is not a quantity). Durations and percentages are left out; lengths, areas, volumes...
    are found with their unit (see :func:`is_event_unit` for those that events keep).
    Fractions and a lone "un" count only with a unit ("un demi-litre", "un dollar"). In a
    range written with one unit ("8 à 10 tonnes", "entre 200 et 300 tonnes") only the number
    with the unit is kept: the lower end is not yet read as a bound.
    """
    table = units_table()
    units, scales = table["units"], table["scales"]
    prefixes = set(table["prefix_units"]["words"])
    approx_nouns, bounds = table["approximate_nouns"], table["bounds"]
    approximators = set(table["approximators"]["words"])
    not_q = set(table["not_quantities"]["words"])
    casualties = table["casualty_items"]
    heat = table["temperature_context"]
    heat_words = frozenset(heat["words"])
    skip = skip or set()
    reader = NumberReader(doc)
    out: list[QuantityMention] = []
    i = 0
    n = len(doc)
    while i < n:
        if i in skip:
            i += 1
            continue
        start = i
        approximate = False
        value: float | None = None
        j = i
        key = norm(doc[i].text)
        # "une dizaine de", "des centaines de", "plusieurs dizaines de"
        if key in ("une", "un", "des", "plusieurs", "quelques") and i + 1 < n:
            base = norm(doc[i + 1].lemma_) if doc[i + 1].lemma_ else norm(doc[i + 1].text)
            if base.rstrip("s") in approx_nouns or base in approx_nouns:
                value = float(approx_nouns.get(base, approx_nouns.get(base.rstrip("s"), 0)))
                approximate = True
                j = i + 2
        elif key.rstrip("s") in approx_nouns and doc[i].pos_ == "NOUN":
            value = float(approx_nouns[key.rstrip("s")])
            approximate = True
            j = i + 1
        reading: Reading | None = None
        glued: int | None = None
        if value is None:
            glued = _glued_prefix(doc[i], prefixes)
            reading = reader.read(i, doc[i].idx + glued if glued else None)
            if reading is None or reading.ordinal or (
                    reading.end == i + 1 and scales.get(key, 0) >= 1_000_000):
                # "des millions de personnes": a scale word alone is no count
                i = max(reading.end if reading else i, i + 1)
                continue
            j, value = reading.end, float(reading.value)
            approximate = reading.approximate
        plural_approx = norm(doc[i].text) in ("des", "plusieurs", "quelques")
        # unit ("tonnes", "de FCFA", "francs CFA", "$", "75ml"), possibly after "de"
        unit: str | None = None
        uval: Any = None
        if reading is not None and reading.glued:
            uval = units.get(norm(reading.glued.lstrip("-")))
            if uval is None:
                i = reader.token_end(reading.char_end + len(reading.glued))
                continue  # glued to a word that is no unit: "3e", "14h30"
            j = reader.token_end(reading.char_end + len(reading.glued))
        else:
            k = j + 1 if j < n and norm(doc[j].text) in ("de", "d'") else j
            uend, uval = _match_phrase(doc, k, units)
            if uval is not None:
                j = uend
        if uval is not None:
            unit, factor = uval[0], float(uval[1])
            value = float(Fraction(value) * Fraction(str(factor)))
            if unit in heat["angle_units"] and _speaks_of(doc[i], heat_words):
                unit = heat["unit"]  # "45 degrés à l'ombre": a temperature, not an angle
        elif reading is not None and glued:
            unit, factor = units[doc[i].text.lower()[:glued]]
            value *= float(factor)
        else:
            for width in (3, 2, 1):  # "£ 50 millions", "EUR 1000", "usd$ 15"
                phrase = norm(doc[max(0, start - width):start].text)
                if start - width >= 0 and phrase in prefixes and phrase in units:
                    unit, factor = units[phrase]
                    value *= float(factor)
                    start -= width
                    break
        if reading is not None and uval is None and (reading.lone_un or reading.share):
            i = max(reading.end, i + 1)
            continue  # "un" alone is an article; "trois quarts" alone a share
        if reading is not None and unit_kind(unit) == "money" and not reading.scaled:
            j, value = _with_cents(doc, reader, j, value, units)
        item, iend = _item(doc, j)
        item_key = norm(item.split()[0]) if item else ""
        if item_key in not_q or (j < n and norm(doc[j].text) in not_q) \
                or item_key in _PARTY_COUNTS:
            i = j
            continue
        if unit is None and start > 0 and doc[start - 1].pos_ in ("NOUN", "PROPN") \
                and doc[start].like_num and not item:
            i = j  # an identifier, not a count: "la base 201", "la résolution 2719"
            continue
        if unit is None and item is None:
            # bare number: keep only if it hangs on a noun in the parse ("cinq gendarmes")
            # ("huit à dix tonnes": a unit or scale word further on is no counted item; the
            # number is the lower end of a range written with one unit, and is left out)
            head = doc[j - 1].head
            if doc[j - 1].dep_ == "nummod" and head.i >= j and _nominal(head) \
                    and norm(head.text) not in not_q and norm(head.text) not in units \
                    and norm(head.text) not in scales:
                item, iend = head.text, head.i + 1
                item_key = norm(head.text)
            else:
                i = j
                continue
        if value >= 1900 and value <= 2100 and unit is None and float(value).is_integer() \
                and not item:
            i = j
            continue
        # bounds and approximators before the number
        bound: str | None = None
        for width in (3, 2, 1):
            if start - width >= 0:
                phrase = norm(doc[start - width:start].text)
                if phrase in bounds:
                    bound = bounds[phrase]
                    start -= width
                    break
                if phrase in approximators and phrase not in ("une", "un", "des"):
                    approximate = True
                    start -= width
                    break
        if plural_approx and bound is None:
            bound = "at_least"
        end = iend if item else j
        head_tok = doc[j - 1] if unit is None and item is None else doc[max(j, iend) - 1]
        if item:
            head_tok = doc[iend - 1]
            while head_tok.dep_ == "amod" and head_tok.head.i >= j:
                head_tok = head_tok.head
            if head_tok.i >= iend or head_tok.i < j - 1:
                head_tok = doc[iend - 1]
        out.append(QuantityMention(
            start=start, end=end, value=value, unit=unit, item=item,
            approximate=approximate, bound=bound, head=head_tok.i,
            casualty=casualties.get(item_key) if item_key else None,
        ))
        i = max(end, i + 1)
    return out


@dataclass(frozen=True)
class NumberMention:
    """A bare number: token span ``start``..``end`` and its value (scale words applied)."""

    start: int
    end: int
    value: float


def _with_cents(doc: Doc, reader: NumberReader, j: int, value: float,
                units: dict[str, Any]) -> tuple[int, float]:
    """ "15 dollars et 15 cents", "15 euros 50.": the hundredths after a money amount."""
    k = j + 1 if j < len(doc) and norm(doc[j].text) == "et" else j
    if k >= len(doc) or not (doc[k].text[:1].isdigit() or doc[k].pos_ == "NUM"):
        return j, value
    r = reader.read(k)
    if r is None or r.glued or r.share or r.scaled or r.value.denominator != 1 \
            or not 0 < r.value < 100:
        return j, value
    uend, uval = _match_phrase(doc, r.end, units)
    if uval is not None and unit_kind(uval[0]) == "money_fraction":
        return uend, value + float(r.value) / 100
    if uval is None and (r.end >= len(doc) or doc[r.end].is_punct) and (
            not doc[k].text[:1].isdigit() or len(doc[k].text) <= 2):
        return r.end, value + float(r.value) / 100
    return j, value


def _sign(doc: Doc, i: int) -> int:
    """-1 when the number at token ``i`` has a minus sign: "-3" (the sign not glued to a word
    before it, unlike "2-3") or a line that starts with "- "."""
    if i == 0 or doc[i - 1].text not in ("-", "−"):
        return 1
    before = doc.text[:doc[i - 1].idx]
    if not doc[i - 1].whitespace_:
        return -1 if not before or before[-1].isspace() or before[-1] in "([" else 1
    return -1 if before.rsplit("\n", 1)[-1].strip() == "" else 1


def find_numbers(doc: Doc) -> list[NumberMention]:
    """Every number in ``doc`` — digits in French typography ("1 234,5", "-4/5", "1,5e6",
    "10k"), number words and fractions ("trois quarts", "un million et demi"), scale words —
    whatever it counts; a number glued to a unit ("29km") is a measure, not a number. Values
    are floats, negative with a minus sign. Used for evaluation against the Recognizers-Text
    number specs; event quantities come from :func:`find_quantities`."""
    scales = units_table()["scales"]
    reader = NumberReader(doc)
    text = doc.text
    out: list[NumberMention] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        t = tok.text
        start, sign, pos = i, _sign(doc, i), None
        if sign < 0:
            start = i - 1
        if t[:1] in ("-", "\u2212") and t[1:2].isdigit():  # "-4/5" in one token
            sign, pos = -1, tok.idx + 1
        m = re.match(r",(\d+)(?![\d,.])", text[tok.idx:]) if t == "," else None
        if m and (tok.idx == 0 or text[tok.idx - 1].isspace()):  # ",08"
            digits = m.group(1)
            end = reader.token_end(tok.idx + m.end())
            out.append(NumberMention(i, end, int(digits) / 10 ** len(digits)))
            i = end
            continue
        r = reader.read(i, pos)
        if r is None:
            # a lone scale word is a number too ("un billion" is read above)
            key = norm(t)
            if key in scales and key not in ("md", "mds", "mrd", "mrds"):
                out.append(NumberMention(i, i + 1, float(scales[key])))
            i += 1
            continue
        if r.glued and not _MONEY_SIGN.match(r.glued):
            # "29km", "3e": a measure or an ordinal, no bare number ("10000$" is one)
            i = max(reader.token_end(r.char_end + len(r.glued)), i + 1)
            continue
        if not r.ordinal:
            out.append(NumberMention(start, r.end, sign * float(r.value)))
        i = max(r.end, i + 1)
    return out
