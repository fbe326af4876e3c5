"""French date expressions found in a parsed block (resolution happens in the resolve stage).

Own rules rather than dateparser, which (measured, DESIGN.md) returns None for "mardi dernier",
moves a bare weekday equal to the reference day a week back, reads "sept" as September and gives
a bare month today's day. Lexicon: ``data/dates.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc

from ..nlp.lexicon import norm

__all__ = ["DateMention", "find_dates", "date_table"]


@dataclass(frozen=True)
class DateMention:
    """A date expression: token span ``start``..``end`` in the block's Doc and what it says.

    ``kind`` is ``absolute`` (``day``/``month``/``year`` set as read), ``weekday``
    (``weekday`` 1–7, ``modifier`` past/future/None) or ``relative`` (``unit``, ``offset``).
    ``precision`` is day, week, month or year.
    """

    start: int
    end: int
    kind: str
    precision: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    modifier: str | None = None
    unit: str | None = None
    offset: int = 0


@lru_cache(maxsize=1)
def date_table() -> dict[str, Any]:
    """``data/dates.toml`` as a dict (loaded once)."""
    return tomllib.loads(resources.files("kibaru.data").joinpath("dates.toml").read_text("utf-8"))


_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
#: "il y a N <unit>": unit word → (resolution unit, precision, multiplier)
_AGO_UNITS = {"jour": ("day", "day", 1), "jours": ("day", "day", 1),
              "semaine": ("day", "week", 7), "semaines": ("day", "week", 7),
              "mois": ("month", "month", 1), "an": ("year", "year", 1),
              "ans": ("year", "year", 1), "annee": ("year", "year", 1),
              "annees": ("year", "year", 1)}


@lru_cache(maxsize=1)
def _relative_heads() -> frozenset[str]:
    """First words of the ``relative`` phrases of ``data/dates.toml``."""
    return frozenset(k.split(" ")[0] for k in date_table()["relative"])


def _small_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    words = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
             "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "quinze": 15, "vingt": 20}
    return words.get(norm(text))


def _month(word: str) -> int | None:
    return date_table()["months"].get(norm(word).rstrip("."))


def find_dates(doc: Doc) -> list[DateMention]:
    """All date expressions in ``doc``, left to right, non-overlapping."""
    tab = date_table()
    weekdays, mods, relative = tab["weekdays"], tab["weekday_modifiers"], tab["relative"]
    out: list[DateMention] = []
    n = len(doc)
    i = 0
    while i < n:
        w = norm(doc[i].text)
        # "21/04/2016", "13.5.2015", "3-7-07": French day/month order, US order only when the
        # first field cannot be a month
        nm = _NUMERIC.fullmatch(doc[i].text)
        if nm:
            a, b, y = int(nm.group(1)), int(nm.group(2)), int(nm.group(3))
            nday, nmonth = (b, a) if b > 12 >= a else (a, b)
            nyear = y if y >= 100 else (2000 + y if y < 50 else 1900 + y)
            if 1 <= nmonth <= 12 and 1 <= nday <= 31:
                out.append(DateMention(i, i + 1, "absolute", "day", year=nyear, month=nmonth,
                                       day=nday))
                i += 1
                continue
        # "il y a trois jours", "il y a deux semaines"
        if w == "il" and i + 3 < n and norm(doc[i + 1].text) == "y" \
                and norm(doc[i + 2].text) == "a":
            amount = _small_number(doc[i + 3].text)
            unit_word = norm(doc[i + 4].text) if i + 4 < n else ""
            unit = _AGO_UNITS.get(unit_word)
            if amount is not None and unit is not None:
                out.append(DateMention(i, i + 5, "relative", unit[1], unit=unit[0],
                                       offset=-amount * unit[2]))
                i += 5
                continue
        # fixed relative expressions (longest first); when the token is followed by a blank,
        # a phrase's first word is the first word of this token's key, so other tokens are
        # skipped without building spans
        hit = None
        maybe = not w or not doc[i].whitespace_ or "\u2010" in doc[i].text \
            or w.split(" ")[0] in _relative_heads()
        for width in (3, 2, 1) if maybe else ():
            if i + width <= n:
                phrase = norm(doc[i:i + width].text).replace(" - ", "-").replace(" -", "-")
                if phrase in relative:
                    hit = (width, relative[phrase])
                    break
        if hit:
            width, (unit, offset, precision) = hit
            out.append(DateMention(i, i + width, "relative", precision, unit=unit,
                                   offset=int(offset)))
            i += width
            continue
        # "14 sept. 2024", "1er mars", "le 3 novembre 2023", "mardi 14 novembre"
        day_i = i
        weekday = weekdays.get(w)
        if weekday is not None and i + 1 < n and re.fullmatch(r"\d{1,2}(er)?", doc[i + 1].text):
            day_i = i + 1
        tok = doc[day_i]
        mtxt = doc[day_i + 1].text if day_i + 1 < n else ""
        if re.fullmatch(r"\d{1,2}|1er", tok.text) and _month(mtxt):
            day = 1 if tok.text == "1er" else int(tok.text)
            month = _month(mtxt)
            j = day_i + 2
            if j < n and doc[j].text == "." and len(mtxt) <= 5:
                j += 1
            year = None
            k = j + 1 if j + 1 < n and doc[j].text == "," else j  # "12 janvier, 2018"
            if k < n and re.fullmatch(r"\d{4}", doc[k].text):
                year = int(doc[k].text)
                j = k + 1
            elif k < n and re.fullmatch(r"\d{2}", doc[k].text) and k == j:
                year = 1900 + int(doc[k].text) if int(doc[k].text) >= 50 else \
                    2000 + int(doc[k].text)  # "1er avril 78"
                j = k + 1
            if 1 <= day <= 31:
                out.append(DateMention(i, j, "absolute", "day", year=year, month=month, day=day))
                i = j
                continue
        # "mars 2024", "en novembre 2023"
        if _month(doc[i].text) and len(norm(doc[i].text)) >= 4 and i + 1 < n \
                and re.fullmatch(r"(19|20)\d\d", doc[i + 1].text):
            out.append(DateMention(i, i + 2, "absolute", "month", year=int(doc[i + 1].text),
                                   month=_month(doc[i].text)))
            i += 2
            continue
        # "en 2023"
        if w == "en" and i + 1 < n and re.fullmatch(r"(19|20)\d\d", doc[i + 1].text):
            out.append(DateMention(i + 1, i + 2, "absolute", "year", year=int(doc[i + 1].text)))
            i += 2
            continue
        if weekday is not None:
            j = i + 1
            modifier = None
            if j < n and norm(doc[j].text) in mods:
                modifier = mods[norm(doc[j].text)]
                j += 1
            out.append(DateMention(i, j, "weekday", "day", weekday=weekday, modifier=modifier))
            i = j
            continue
        i += 1
    return out
