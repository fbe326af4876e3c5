"""French date expressions found in a parsed block (resolution happens in the resolve stage).

Spans are found by own rules over the tokens, with the French words (months, weekdays,
ordinals, relative and period words) in the lexicon ``data/dates.toml``. dateparser's own
search takes "Je" or "mer" for dates, and (measured, DESIGN.md) returns None for "mardi
dernier", moves a bare weekday equal to the reference day a week back, reads "sept" as
September and gives a bare month today's day; so it is used only to read the value of a numeric
date a rule has found ("21-04-2016", "2015/08/12", "12/08,15", "22/04": day before month, month
before day when the first number cannot be a month, year first when it has four digits).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc
from text_to_num import text2num

from ..nlp.lexicon import norm

__all__ = ["DateMention", "find_dates", "date_table", "read_numeric_date"]


@dataclass(frozen=True)
class DateMention:
    """A date expression: token span ``start``..``end`` in the block's Doc and what it says.

    ``kind``:

    - ``absolute``: ``year``/``month``/``day`` as read, any of them None when not written
      ("le 3": day only); ``weekday`` (1–7) when the day is named too ("mardi 12");
    - ``weekday``: ``weekday`` 1–7 with ``modifier`` past/future/None ("mardi dernier"), or
      ``unit`` ``week`` and ``offset`` in weeks from the publication week ("vendredi de la
      semaine dernière", "ce vendredi"), or its rank ``nth`` (1–5, -1 = last) in a month given
      by ``month``/``year`` or by ``unit`` ``month`` and ``offset`` ("le premier lundi de
      juillet", "le dernier vendredi du mois dernier");
    - ``relative``: the calendar ``unit`` (day/week/month/year) ``offset`` units from the
      publication date ("hier", "la semaine dernière");
    - ``elapsed``: the publication date moved by ``offset`` days or months (``unit`` day or
      month; "il y a deux ans" is -24 months, "dans trois jours" +3 days).

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
    nth: int | None = None


@lru_cache(maxsize=1)
def date_table() -> dict[str, Any]:
    """``data/dates.toml`` as a dict (loaded once)."""
    return tomllib.loads(resources.files("kibaru.data").joinpath("dates.toml").read_text("utf-8"))


#: numeric dates in the text (spaCy splits "21-04-2016" but keeps "12/08,2015" whole): year
#: first ("2015/08/12"), or day and month with an optional year after the same separator or a
#: comma ("3-7-07", "12/08,15", "22/04")
_NUMERIC = re.compile(
    r"(?<![\w/.,\-])(?:(?P<ymd>\d{4}([/.\-])\d{1,2}\2\d{1,2})"
    r"|\d{1,2}(?P<sep>[/.\-])\d{1,2}(?:(?:(?P=sep)|, ?)(?P<year>\d{4}|\d{2}))?)"
    r"(?![\w/\-]|[.,]\d)")
#: a month and its day in one token: "Oct-2", "janv/15"
_GLUED = re.compile(r"([^\W\d_]+)\.?[-/](\d{1,2})")
_DIGITS = re.compile(r"\d{1,2}")
_YEAR = re.compile(r"(1[5-9]|20)\d\d")
_RECENT_YEAR = re.compile(r"(19|20)\d\d")
_LEADING_PUNCT = re.compile(r"^[^\w']+")


def _fold(key: str, agreement: dict[str, str]) -> str:
    """``key`` (normalised) with its feminine adjectives in the masculine ("la semaine
    prochaine" → "la semaine prochain"), so that either agreement matches."""
    return " ".join(agreement.get(w, w) for w in key.split(" "))


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    """The lookup tables of ``data/dates.toml`` with their keys normalised like tokens."""
    tab = date_table()
    agreement = {norm(k): norm(v) for k, v in tab["agreement"].items()}

    def key(k: str) -> str:
        return _fold(norm(k), agreement)

    months = {norm(k): v for k, v in tab["months"].items()}
    full: dict[int, str] = {}
    for k, v in months.items():
        if len(k) > len(full.get(v, "")):
            full[v] = k
    lex: dict[str, Any] = {
        "months": months,
        "full_months": {k: v for v, k in full.items()},
        "weekdays": {norm(k): v for k, v in tab["weekdays"].items()},
        "weekday_abbr": {norm(k): v for k, v in tab["weekday_abbreviations"].items()},
        "abbr_alone": {norm(k) for k in tab["abbreviation_rules"]["alone"]},
        "agreement": agreement,
        "modifiers": {key(k): v for k, v in tab["weekday_modifiers"].items()},
        "determiners": {norm(k): v for k, v in tab["weekday_determiners"].items()},
        "ordinals": {norm(k): v for k, v in tab["ordinals"].items()},
        "month_refs": {key(k): v for k, v in tab["month_references"].items()},
        "not_before": {norm(k) for k in tab["numeric"]["not_before"]},
        "period_words": {norm(k): True for k in tab["period_words"]["words"]},
        "period_heads": {norm(k).split(" ")[0] for k in tab["period_words"]["words"]},
        "elapsed": {norm(k): v for k, v in tab["elapsed_units"].items()},
        "elapsed_markers": {key(k): v for k, v in tab["elapsed_markers"].items()},
        "relative": {key(k): v for k, v in tab["relative"].items()},
        "relative_heads": {norm(k).split(" ")[0] for k in tab["relative"]},
        "relative_not_before": {norm(k) for k in tab["relative_rules"]["not_before"]},
        "relative_alone": {key(k) for k in tab["relative_rules"]["words"]},
    }
    # first words of every expression (a token glued to the next, such as "l'", may start one
    # of them)
    lex["starters"] = (lex["relative_heads"] | lex["period_heads"] | set(months)
                       | set(lex["weekdays"]) | set(lex["weekday_abbr"])
                       | set(lex["determiners"]) | set(lex["ordinals"]) | {"le"}
                       | {k.split(" ")[0] for k in lex["elapsed_markers"]})
    lex["glued_starters"] = {h[:k] for h in lex["relative_heads"] for k in range(1, len(h))}
    return lex


@lru_cache(maxsize=1)
def _numeric_parsers() -> tuple[Any, Any]:
    """dateparser readers of numeric dates with and without a year (built once: ~0.2 s)."""
    from dateparser.date import DateDataParser

    # 2000 is a leap year, so "29/02" reads; the year is dropped when the text has none
    common = {"DATE_ORDER": "DMY", "RELATIVE_BASE": datetime(2000, 1, 1),
              "PREFER_DATES_FROM": "current_period"}
    with_year = DateDataParser(languages=["fr"], settings={
        **common, "REQUIRE_PARTS": ["day", "month", "year"]})
    without_year = DateDataParser(languages=["fr"], settings={
        **common, "REQUIRE_PARTS": ["day", "month"]})
    return with_year, without_year


def read_numeric_date(text: str, has_year: bool) -> tuple[int | None, int, int] | None:
    """``(year, month, day)`` of a numeric date such as ``"21-04-2016"`` or ``"22/04"``
    (``year`` None when ``has_year`` is false), read by dateparser: day before month unless the
    first number cannot be a month, year first when it has four digits, two-digit years in
    1969–2068. None when the numbers make no date ("31/04")."""
    parser = _numeric_parsers()[0 if has_year else 1]
    got = parser.get_date_data(text).date_obj
    if got is None:
        return None
    return (got.year if has_year else None), got.month, got.day


def _word(doc: Doc, i: int) -> str:
    """Normalised token text without leading punctuation ("|Vendredi" → "vendredi")."""
    return norm(_LEADING_PUNCT.sub("", doc[i].text))


def _phrase(doc: Doc, i: int, n: int, table: dict[str, Any],
            widths: tuple[int, ...] = (5, 4, 3, 2, 1)) -> tuple[int, Any] | None:
    """Longest phrase of ``table`` starting at token ``i`` (before ``n``): (end, value).
    A hyphen is a token of its own ("week", "-", "end"), hence up to five tokens. Feminine
    adjectives are read as masculine (the tables' keys are folded the same way)."""
    agreement = _lexicon()["agreement"]
    for width in widths:
        if i + width <= n:
            key = _fold(norm(doc[i:i + width].text), agreement)
            if key in table:
                return i + width, table[key]
    return None


def _count(doc: Doc, i: int, n: int) -> tuple[int, int] | None:
    """A number at token ``i``, in digits or French words ("21", "vingt et un"): (value, end)."""
    tok = doc[i]
    if tok.text.isdigit():
        # (a count in a date phrase has a few digits; a 5 000-digit token is no count and
        # would exceed Python's int conversion limit)
        return (int(tok.text), i + 1) if len(tok.text) <= 9 else None
    if not (tok.like_num or "-" in tok.text):
        return None
    for width in (4, 3, 2, 1):
        if i + width <= n:
            try:
                return int(text2num(norm(doc[i:i + width].text), "fr")), i + width
            except ValueError:
                continue
    return None


def _day(doc: Doc, i: int, n: int, words: bool = True) -> tuple[int, int] | None:
    """A day of the month at token ``i``: digits, "1er", or (``words``) an ordinal
    ("premier", "deuxième") or a number in words ("vingt et un"): (day, end)."""
    if i >= n:
        return None
    text = doc[i].text
    ordinal = _lexicon()["ordinals"].get(norm(text))
    if _DIGITS.fullmatch(text):
        got: tuple[int, int] | None = (int(text), i + 1)
    elif ordinal is not None and ordinal > 0 and (words or text[0].isdigit()):
        got = (ordinal, i + 1)
    else:
        got = _count(doc, i, n) if words else None
    return got if got is not None and 1 <= got[0] <= 31 else None


def _month(doc: Doc, i: int, n: int, named: bool = False) -> tuple[int, int] | None:
    """A month at token ``i`` (with its abbreviation period): (month, end). ``named``: only a
    full name or an abbreviation followed by its period."""
    if i >= n:
        return None
    lex = _lexicon()
    text = doc[i].text
    key = norm(text).rstrip(".")
    month = lex["months"].get(key)
    if month is None:
        return None
    full = key in lex["full_months"]
    dotted = text.endswith(".") or (i + 1 < n and doc[i + 1].text == ".")
    if named and not full and not dotted:
        return None
    if not full and not text.endswith(".") and i + 1 < n and doc[i + 1].text == ".":
        return month, i + 2
    return month, i + 1


def _year_after(doc: Doc, j: int, n: int) -> tuple[int | None, int]:
    """An optional year after a day and month ("2018", ", 2018", "78"): (year, end)."""
    k = j + 1 if j + 1 < n and doc[j].text == "," else j
    if k < n and re.fullmatch(r"\d{4}", doc[k].text):
        return int(doc[k].text), k + 1
    if k == j and k < n and re.fullmatch(r"\d{2}", doc[k].text):
        y = int(doc[k].text)
        return (1900 + y if y >= 50 else 2000 + y), k + 1  # "1er avril 78"
    return None, j


#: what may follow a number that counts nothing ("le 3, ...", "mardi 12.")
_CLAUSE_END = frozenset({",", ".", ";", ":", "!", "?", ")", "»", "\"", "…"})


def _ends_here(doc: Doc, j: int, n: int) -> bool:
    """True when nothing that a number could count follows: token ``j`` is past ``n``, a
    clause-ending punctuation or a blank."""
    return j >= n or doc[j].text in _CLAUSE_END or doc[j].is_space


def _weekday(doc: Doc, i: int, n: int) -> tuple[int, int, bool] | None:
    """A weekday name or abbreviation at token ``i``: (ISO weekday, end, ``needs_day``).
    ``needs_day``: an abbreviation that is also a French word ("mer", "jeu"), a weekday only
    before its day number ("mer. 12")."""
    if i >= n:
        return None
    lex = _lexicon()
    w = _word(doc, i).rstrip(".")
    if w in lex["weekdays"]:
        return lex["weekdays"][w], i + 1, False
    wd = lex["weekday_abbr"].get(w)
    if wd is None:
        return None
    end = i + 2 if not doc[i].text.endswith(".") and i + 1 < n and doc[i + 1].text == "." \
        else i + 1
    return wd, end, w not in lex["abbr_alone"]


def _numeric_dates(doc: Doc) -> list[DateMention]:
    """Numeric dates found in the text, whatever the tokenisation."""
    out = []
    lex = _lexicon()
    for m in _NUMERIC.finditer(doc.text):
        has_year = bool(m.group("ymd") or m.group("year"))
        if not has_year and m.group("sep") != "/":
            continue  # "10-2" is a score, "1.5" a number
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        if not has_year and span.end < len(doc) and norm(doc[span.end].text) in lex["not_before"]:
            continue
        got = read_numeric_date(m.group(0), has_year)
        if got is not None:
            out.append(DateMention(span.start, span.end, "absolute", "day", year=got[0],
                                   month=got[1], day=got[2]))
    return out


def _elapsed(doc: Doc, i: int, n: int) -> DateMention | None:
    """"il y a trois jours", "il y a deux ans" (back), "dans trois ans" (ahead)."""
    lex = _lexicon()
    marker = _phrase(doc, i, n, lex["elapsed_markers"], (3, 1))
    if marker is None or marker[0] >= n:
        return None
    amount = _count(doc, marker[0], n)
    if amount is None or amount[1] >= n:
        return None
    unit = lex["elapsed"].get(norm(doc[amount[1]].text))
    if unit is None:
        return None
    name, size, precision = unit
    return DateMention(i, amount[1] + 1, "elapsed", precision, unit=name,
                       offset=int(marker[1]) * amount[0] * int(size))


def _relative(doc: Doc, i: int, n: int) -> DateMention | None:
    """Fixed relative expressions: "hier", "la semaine dernière", "l'an dernier"."""
    lex = _lexicon()
    if i >= n:
        return None
    first = norm(doc[i].text).split(" ")[0]
    if first not in lex["relative_heads"] and (
            doc[i].whitespace_ or first not in lex["glued_starters"]):
        return None  # no phrase starts with this word ("l'" may start "l'an dernier")
    hit = _phrase(doc, i, n, lex["relative"])
    if hit is None:
        return None
    end, (unit, offset, precision) = hit
    if _fold(norm(doc[i:end].text), lex["agreement"]) in lex["relative_alone"] and end < n \
            and norm(doc[end].text) in lex["relative_not_before"]:
        return None  # "le lendemain de l'attaque": the day after something else
    return DateMention(i, end, "relative", precision, unit=unit, offset=int(offset))


def _month_reference(doc: Doc, j: int, n: int) -> tuple[dict[str, Any], int] | None:
    """After "de"/"du"/"en": a month by name ("juillet 2023") or relative to publication
    ("ce mois", "mois dernier"): (DateMention fields, end)."""
    got = _month(doc, j, n)
    if got is not None:
        year, end = _year_after(doc, got[1], n)
        return {"month": got[0], "year": year}, end
    ref = _phrase(doc, j, n, _lexicon()["month_refs"])
    if ref is not None:
        return {"unit": "month", "offset": int(ref[1])}, ref[0]
    return None


def _nth_weekday(doc: Doc, i: int, n: int) -> DateMention | None:
    """"le premier vendredi de juillet", "le dernier lundi du mois dernier"."""
    nth = _lexicon()["ordinals"].get(_word(doc, i))
    wd = _weekday(doc, i + 1, n) if nth is not None else None
    if wd is None or wd[2] or wd[1] >= n \
            or norm(doc[wd[1]].text) not in ("de", "du", "d'", "en"):
        return None
    ref = _month_reference(doc, wd[1] + 1, n)
    if ref is None:
        return None
    return DateMention(i, ref[1], "weekday", "day", weekday=wd[0], nth=nth, **ref[0])


def _weekday_led(doc: Doc, i: int, n: int) -> DateMention | None:
    """A weekday with what follows it: "mardi 12 (mars 2024)", "vendredi, le 15", "vendredi
    de la semaine dernière", "dimanche dernier", "ce vendredi", "mardi"."""
    lex = _lexicon()
    week = lex["determiners"].get(_word(doc, i))
    wd = _weekday(doc, i + 1 if week is not None else i, n)
    if wd is None:
        return None
    weekday, j, needs_day = wd
    # "mardi 12 mars", "mardi 12", "vendredi, le 15", "mer, 13 mai"
    k = j + 1 if j < n and doc[j].text == "," else j
    if k < n and norm(doc[k].text) == "le":
        k += 1
    dated = _day_led(doc, k, n)
    if dated is not None:
        return DateMention(i, dated.end, "absolute", "day", year=dated.year, month=dated.month,
                           day=dated.day, weekday=weekday)
    day = _day(doc, k, n, words=False)
    if day is not None and _ends_here(doc, day[1], n):
        return DateMention(i, day[1], "absolute", "day", day=day[0], weekday=weekday)
    if needs_day:
        return None  # "en mer, 22 migrants ont péri"
    # "vendredi (de) la semaine dernière", "vendredi cette semaine"
    k = j + 1 if j < n and norm(doc[j].text) in ("de", "d'") else j
    rel = _relative(doc, k, n)
    if rel is not None and rel.unit == "week":
        return DateMention(i, rel.end, "weekday", "day", weekday=weekday, unit="week",
                           offset=rel.offset)
    if week is not None:
        return DateMention(i, j, "weekday", "day", weekday=weekday, unit="week", offset=week)
    modifier = lex["modifiers"].get(_fold(norm(doc[j].text), lex["agreement"])) if j < n \
        else None
    return DateMention(i, j + (modifier is not None), "weekday", "day", weekday=weekday,
                       modifier=modifier)


def _day_led(doc: Doc, i: int, n: int) -> DateMention | None:
    """A day then a month: "14 sept. 2024", "1er mars", "premier mai", "vingt et un mai 2023",
    "deuxième d'août"."""
    day = _day(doc, i, n)
    if day is None:
        return None
    j = day[1]
    if j < n and norm(doc[j].text) in ("de", "d'"):
        j += 1
    month = _month(doc, j, n)
    if month is None:
        return None
    year, end = _year_after(doc, month[1], n)
    return DateMention(i, end, "absolute", "day", year=year, month=month[0], day=day[0])


def _bare_day(doc: Doc, i: int, n: int) -> DateMention | None:
    """"le 3," / "le 27.": a day of the month without its month."""
    if norm(doc[i].text) != "le":
        return None
    day = _day(doc, i + 1, n, words=False)
    if day is None or not _ends_here(doc, day[1], n):
        return None
    return DateMention(i + 1, day[1], "absolute", "day", day=day[0])


def _month_led(doc: Doc, i: int, n: int) -> DateMention | None:
    """A month then a day or a year: "octobre 2", "oct. 2", "Oct-2", "mai vingt et un",
    "août deuxième", "mars 2024"."""
    glued = _GLUED.fullmatch(doc[i].text)
    if glued:
        month = _lexicon()["months"].get(norm(glued.group(1)))
        number = int(glued.group(2))
        if month is not None and 1 <= number <= 31:
            return DateMention(i, i + 1, "absolute", "day", month=month, day=number)
    got = _month(doc, i, n, named=True)
    if got is None:
        return None
    month, j = got
    if j < n and _YEAR.fullmatch(doc[j].text):
        return DateMention(i, j + 1, "absolute", "month", year=int(doc[j].text), month=month)
    if j < n and doc[j].text == ".":
        j += 1  # "Octobre. 2"
    day = _day(doc, j, n)
    if day is None:
        return None
    year, end = _year_after(doc, day[1], n)
    if year is None and not _ends_here(doc, end, n):
        return None  # "en mai 15 personnes"
    return DateMention(i, end, "absolute", "day", year=year, month=month, day=day[0])


def _period(doc: Doc, i: int, n: int) -> DateMention | None:
    """A month or a year after a period word: "en mars", "début avril 2023", "mi-avril",
    "fin 2015", "au mois de mai", "en 2023"."""
    lex = _lexicon()
    words = norm(doc[i].text).split(" ")
    if words[0] not in lex["period_heads"]:
        return None
    if len(words) == 2 and words[0] in lex["period_words"]:
        j, rest = i + 1, words[1]  # "mi-avril", "mi-2015"
    else:
        hit = _phrase(doc, i, n, lex["period_words"], (2, 1))
        if hit is None or hit[0] >= n:
            return None
        j, rest = hit[0] + 1, norm(doc[hit[0]].text)
    start = i if norm(doc[i].text) != "en" else j - 1
    if _RECENT_YEAR.fullmatch(rest):
        return DateMention(start, j, "absolute", "year", year=int(rest))
    month = lex["full_months"].get(rest)
    if month is None:
        return None
    year = None
    if j < n and _YEAR.fullmatch(doc[j].text):
        year, j = int(doc[j].text), j + 1
    return DateMention(start, j, "absolute", "month", year=year, month=month)


_RULES = (_elapsed, _relative, _nth_weekday, _weekday_led, _day_led, _bare_day, _month_led,
          _period)


def find_dates(doc: Doc) -> list[DateMention]:
    """All date expressions in ``doc``, left to right, non-overlapping (token spans).

    Numeric dates are found in the text first; the other rules then run token by token in
    the gaps, the first rule that matches at a token winning.
    """
    out = _numeric_dates(doc)
    lex = _lexicon()
    starters, glued = lex["starters"], lex["glued_starters"]
    starts = sorted((d.start, d.end) for d in out)
    bounds = [s for s, _ in starts] + [len(doc)]
    i, gap = 0, 0
    while i < len(doc):
        while gap < len(starts) and starts[gap][1] <= i:
            gap += 1
        if gap < len(starts) and starts[gap][0] <= i:
            i = starts[gap][1]
            continue
        n = bounds[gap]
        tok = doc[i]
        first = re.split(r"[ ./]", _word(doc, i))[0]
        if not (tok.like_num or first in starters or "-" in tok.text
                or (not tok.whitespace_ and first in glued)):
            i += 1  # no rule starts with this token
            continue
        for rule in _RULES:
            found = rule(doc, i, n)
            if found is not None:
                out.append(found)
                i = found.end
                break
        else:
            i += 1
    return sorted(out, key=lambda d: d.start)
