"""Quantity recognition over spaCy tokens, keeping every quantity's character span.

Numbers in digits (space, no-break and narrow no-break thousands separators, decimal comma),
numbers in words (text2num over runs of number words), approximate nouns ("une dizaine de"),
scale words ("1,5 milliard"), units and currencies (``data/units.toml``), the item ("de blé")
and bounds ("au moins"). The *kind* of a quantity (amount, cumulative, planned...) depends on
the event and is decided in :mod:`kibaru.extract.events`; here only casualty items are marked.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Token
from text_to_num import text2num

from ..nlp.lexicon import norm

__all__ = ["QuantityMention", "NumberMention", "find_quantities", "find_numbers", "units_table",
           "parse_number"]

_DIGITS = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?$|^\d+(?:,\d+)?$")
_NUMBER_WORDS = {
    "zero", "un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "vingt", "vingts", "trente",
    "quarante", "cinquante", "soixante", "septante", "octante", "huitante", "nonante", "cent",
    "cents", "mille", "et",
}
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
def units_table() -> dict[str, Any]:
    """``data/units.toml`` as a dict (loaded once)."""
    raw = resources.files("kibaru.data").joinpath("units.toml").read_text("utf-8")
    return tomllib.loads(raw)


def parse_number(text: str) -> float | None:
    """``"25 000"`` → 25000.0, ``"2,3"`` → 2.3, ``"vingt-deux"`` → 22.0; None if not a number."""
    t = text.strip()
    if _DIGITS.match(t):
        whole, _, decimals = t.partition(",")
        whole = re.sub(r"[ \u00a0\u202f.]", "", whole)  # thousands separators
        try:
            return float(f"{whole}.{decimals}" if decimals else whole)
        except ValueError:
            return None
    words = norm(t).replace("-", " ").split()
    if not words or any(w not in _NUMBER_WORDS for w in words) or words == ["et"]:
        return None
    if words in (["un"], ["une"]):
        return 1.0  # callers keep a lone "un" only before a scale word ("un million")
    try:
        return float(text2num(" ".join(words), "fr"))
    except ValueError:
        return None


def _nominal(tok: Token) -> bool:
    """A noun, or an adjective used as one ("vingt-deux civils" is often tagged ADJ)."""
    return tok.pos_ == "NOUN" or (tok.pos_ == "ADJ" and tok.dep_ in (
        "obj", "nsubj", "nsubj:pass", "nmod", "obl", "obl:arg", "obl:mod", "conj", "appos"))


def _is_numword(tok: Token) -> bool:
    parts = norm(tok.text).replace("-", " ").split()
    return bool(parts) and all(p in _NUMBER_WORDS for p in parts)


def _match_phrase(doc: Doc, i: int, table: dict[str, Any], max_words: int = 3) -> tuple[int, Any]:
    """Longest phrase of ``table`` starting at token ``i``: ``(end_token, value)`` or (i, None)."""
    for j in range(min(len(doc), i + max_words), i, -1):
        key = norm(doc[i:j].text)
        if key in table:
            return j, table[key]
    return i, None


def _number_run(doc: Doc, i: int) -> tuple[int, float] | None:
    """A number starting at token ``i``: digits (possibly split on spaces) or number words."""
    tok = doc[i]
    if tok.like_num and re.match(r"^\d", tok.text):
        j = i + 1
        text = tok.text
        while j < len(doc) and re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})*", text):
            # "25 000": next group after a plain space, or after a no-break space token
            k = j + 1 if doc[j].is_space and doc[j].text in ("\u00a0", "\u202f") else j
            if k < len(doc) and re.fullmatch(r"\d{3}(,\d+)?", doc[k].text) \
                    and (k > j or doc[j - 1].whitespace_):
                text = text + " " + doc[k].text
                j = k + 1
                if "," in doc[k].text:
                    break  # "1 234 567,89": the decimals end the number
            else:
                break
        if j < len(doc) - 1 and doc[j].text == "," and re.fullmatch(r"\d+", doc[j + 1].text) \
                and not doc[j - 1].whitespace_ and not doc[j].whitespace_:
            text = text + "," + doc[j + 1].text
            j += 2
        value = parse_number(text)
        return (j, value) if value is not None else None
    if _is_numword(tok) and norm(tok.text) != "et":
        j = i
        while j < len(doc) and (_is_numword(doc[j]) or doc[j].text == "-"):
            j += 1
        while j > i and norm(doc[j - 1].text) in ("et", "-"):
            j -= 1
        value = parse_number(doc[i:j].text)
        if value is None:
            return None
        return j, value
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


def find_quantities(doc: Doc, *, skip: set[int] | None = None) -> list[QuantityMention]:
    """All quantities in ``doc`` (one parsed block), left to right.

    ``skip`` holds token indices already used by date expressions (so "14 septembre 2024"
    is not a quantity). Durations, distances and percentages are left out.
    """
    table = units_table()
    units, scales = table["units"], table["scales"]
    approx_nouns, bounds = table["approximate_nouns"], table["bounds"]
    approximators = set(table["approximators"]["words"])
    not_q = set(table["not_quantities"]["words"])
    casualties = table["casualty_items"]
    skip = skip or set()
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
        if value is None:
            run = _number_run(doc, i)
            if run is None:
                i += 1
                continue
            j, value = run
            if key in ("un", "une") and not (j < n and norm(doc[j].text) in scales):
                i += 1
                continue
        if j < n and norm(doc[j].text) in scales:
            scale = scales[norm(doc[j].text)]
            value *= scale
            j += 1
            if j + 1 < n and norm(doc[j].text) == "et" and norm(doc[j + 1].text) == "demi":
                value += scale / 2  # "un million et demi", "3 millions et demi"
                j += 2
        plural_approx = norm(doc[i].text) in ("des", "plusieurs", "quelques")
        # unit ("tonnes", "de FCFA", "francs CFA", "$"), possibly after "de"
        unit: str | None = None
        k = j + 1 if j < n and norm(doc[j].text) in ("de", "d'") else j
        uend, uval = _match_phrase(doc, k, units)
        if uval is not None:
            unit, factor = uval[0], float(uval[1])
            value *= factor
            j = uend
        elif start > 0 and doc[start - 1].text in ("$", "€"):
            unit, _ = units[doc[start - 1].text]
            start -= 1
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
            head = doc[j - 1].head
            if doc[j - 1].dep_ == "nummod" and head.i >= j and _nominal(head) \
                    and norm(head.text) not in not_q:
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


def find_numbers(doc: Doc) -> list[NumberMention]:
    """Every number in ``doc`` — digits with French separators, number words, scale words
    ("trois millions", "1,5 milliard") — whatever it counts. Used for evaluation against the
    Recognizers-Text number specs; event quantities come from :func:`find_quantities`."""
    scales = units_table()["scales"]
    out: list[NumberMention] = []
    i = 0
    while i < len(doc):
        run = _number_run(doc, i)
        if run is None:
            # a lone scale word is a number too ("mille", "un million")
            key = norm(doc[i].text)
            if key in scales and key not in ("md", "mds", "mrd", "mrds"):
                j = i + 1
                value = float(scales[key])
                out.append(NumberMention(i, j, value))
                i = j
                continue
            i += 1
            continue
        j, value = run
        start = i
        if start > 0 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_:
            start -= 1
            value = -value
        while j < len(doc) and norm(doc[j].text) in scales and not norm(doc[j].text).startswith(
                ("md", "mrd")):
            value *= scales[norm(doc[j].text)]
            j += 1
            # "trois millions deux cent mille"
            more = _number_run(doc, j) if j < len(doc) else None
            if more is not None and not doc[j].like_num:
                j, rest = more
                value += rest
        out.append(NumberMention(start, j, value))
        i = j
    return out
