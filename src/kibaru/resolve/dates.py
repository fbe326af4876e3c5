"""Resolve date expressions to ISO dates anchored on the publication date.

Rules (CONTRACT.md): no value without a basis, never one taken from the clock when the
document has no publication date, never a date after publication. The last one is the event
policy, not a limit of the recogniser: ``resolve_date(..., allow_future=True)`` also resolves
what is explicitly ahead of the anchor ("demain", "dimanche prochain", "dans trois ans", a
dated day after it), for callers that want the expression's value rather than an event date.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from ..extract.dates import DateMention

__all__ = ["resolve_date"]


def _shift_month(d: date, months: int) -> date:
    """The first day of the month ``months`` months from ``d``'s."""
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def _add_months(d: date, months: int) -> date:
    """``d`` moved by ``months`` months, the day kept when the month has it (else its last)."""
    first = _shift_month(d, months)
    return first.replace(day=min(d.day, calendar.monthrange(first.year, first.month)[1]))


def _nth_weekday(first: date, weekday: int, nth: int) -> date | None:
    """The ``nth`` (1–5, -1 = last) ISO ``weekday`` of the month starting on ``first``."""
    if nth > 0:
        d = first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))
    else:
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        d = last - timedelta(days=(last.isoweekday() - weekday) % 7)
    return d if d.month == first.month else None


def _absolute(m: DateMention, published: date | None) -> date | None:
    """A date as read; a missing year or month is the latest one not after publication."""
    if m.year is not None:
        try:
            return date(m.year, m.month or 1, m.day or 1)
        except ValueError:
            return None
    if published is None:
        return None
    if m.month is not None:
        for back in range(8):  # "29 février" may be four years back
            try:
                value = date(published.year - back, m.month, m.day or 1)
            except ValueError:
                continue
            if value <= published:
                return value
        return None
    if m.day is None:
        return None
    # "le 3", "mardi 12": the last two such days of the month up to publication; a weekday
    # must match one of them (an older one would be a guess)
    candidates = []
    for back in range(3):
        first = _shift_month(published, -back)
        if m.day <= calendar.monthrange(first.year, first.month)[1]:
            value = first.replace(day=m.day)
            if value <= published:
                candidates.append(value)
    candidates = candidates[:2]
    if m.weekday is None:
        return candidates[0] if candidates else None
    return next((c for c in candidates if c.isoweekday() == m.weekday), None)


def _weekday(m: DateMention, published: date) -> date | None:
    """A named weekday: its rank in a month, the day of a given week, or the latest one."""
    assert m.weekday is not None
    if m.nth is not None:
        if m.unit == "month":
            months = [_shift_month(published, m.offset)]
        elif m.month is None:
            return None
        elif m.year is not None:
            months = [date(m.year, m.month, 1)]
        else:
            months = [date(published.year - back, m.month, 1) for back in range(2)]
        for first in months:
            value = _nth_weekday(first, m.weekday, m.nth)
            if value is not None and (value <= published or m.unit == "month"):
                return value
        return None
    if m.unit == "week":
        monday = published - timedelta(days=published.isoweekday() - 1)
        return monday + timedelta(weeks=m.offset, days=m.weekday - 1)
    if m.modifier == "future":  # "dimanche prochain": the next one after the anchor
        return published + timedelta(days=(m.weekday - published.isoweekday() - 1) % 7 + 1)
    back = (published.isoweekday() - m.weekday) % 7
    if back == 0 and m.modifier == "past":
        back = 7
    return published - timedelta(days=back)


def _relative(m: DateMention, published: date) -> date | None:
    """A calendar period ``offset`` units from publication (week: its Monday; month: its
    first day; year: 1 January)."""
    if m.unit == "day":
        return published + timedelta(days=m.offset)
    if m.unit == "week":
        monday = published - timedelta(days=published.isoweekday() - 1)
        return monday + timedelta(weeks=m.offset)
    if m.unit == "month":
        return _shift_month(published, m.offset)
    if m.unit == "year":
        return date(published.year + m.offset, 1, 1)
    return None


def resolve_date(m: DateMention, published: date | None, *,
                 allow_future: bool = False) -> tuple[str, str] | None:
    """``(iso_value, precision)`` for mention ``m`` or None when it cannot be anchored.

    - absolute with a year: that date (month/year precision take the first day);
    - absolute without a year: the latest such date not after publication; a day without
      its month ("le 3") is the latest such day, and with a weekday ("mardi 12") it must be
      one of the last two such days;
    - weekday: the latest such day not after publication (``dernier``: strictly before;
      ``prochain``: the first one strictly after); in a week ("vendredi de la semaine dernière", "ce
      vendredi"): that day of the week counted from the publication week; with a rank
      ("le premier vendredi de juillet"): that day of the latest such month;
    - relative (hier, la semaine dernière...): offset from publication; a week resolves to
      its Monday, a month to its first day, a year to 1 January;
    - elapsed ("il y a deux ans", "dans trois jours"): the publication date moved back (or
      ahead) that much, with the precision of the unit.
    Anything but a dated absolute gives None when ``published`` is None. Anything that would
    fall after ``published`` gives None (an event date, CONTRACT.md) unless ``allow_future``:
    then "demain", "le lendemain" (from the anchor), "dimanche prochain", "ce vendredi", "la
    semaine prochaine", "dans trois ans" or "12 janvier 2030" keep their value. Expressions
    that do not say they are ahead (an undated "22 avril", a bare "vendredi") resolve the same
    either way: backwards.
    """
    value: date | None = None
    if m.kind == "absolute":
        value = _absolute(m, published)
    elif published is None:
        return None
    elif m.kind == "weekday" and m.weekday is not None:
        value = _weekday(m, published)
    elif m.kind == "relative":
        value = _relative(m, published)
    elif m.kind == "elapsed":
        value = (published + timedelta(days=m.offset) if m.unit == "day"
                 else _add_months(published, m.offset))
    if value is None or (not allow_future and published is not None and value > published):
        return None
    return value.isoformat(), m.precision
