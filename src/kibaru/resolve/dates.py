"""Resolve date expressions to ISO dates anchored on the publication date, never after it.

Rules (CONTRACT.md): no value without a basis, never one taken from the clock when the
document has no publication date, never a date after publication.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..extract.dates import DateMention

__all__ = ["resolve_date"]


def _shift_month(d: date, months: int) -> date:
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def resolve_date(m: DateMention, published: date | None) -> tuple[str, str] | None:
    """``(iso_value, precision)`` for mention ``m`` or None when it cannot be anchored.

    - absolute with a year: that date (month/year precision take the first day);
    - absolute without a year: the latest such date not after publication;
    - weekday: the latest such day not after publication (``dernier``: strictly before);
      ``prochain`` (future) gives None;
    - relative (hier, la semaine dernière...): offset from publication; a week resolves to
      its Monday, a month to its first day, a year to 1 January.
    Anything that would fall after ``published`` gives None.
    """
    value: date | None = None
    if m.kind == "absolute":
        if m.year is not None:
            try:
                value = date(m.year, m.month or 1, m.day or 1)
            except ValueError:
                return None
        elif published is not None and m.month is not None:
            try:
                value = date(published.year, m.month, m.day or 1)
                if value > published:
                    value = date(published.year - 1, m.month, m.day or 1)
            except ValueError:
                return None
    elif published is None:
        return None
    elif m.kind == "weekday" and m.weekday is not None:
        if m.modifier == "future":
            return None
        back = (published.isoweekday() - m.weekday) % 7
        if back == 0 and m.modifier == "past":
            back = 7
        value = published - timedelta(days=back)
    elif m.kind == "relative":
        if m.unit == "day":
            value = published + timedelta(days=m.offset)
        elif m.unit == "week":
            monday = published - timedelta(days=published.isoweekday() - 1)
            value = monday + timedelta(weeks=m.offset)
        elif m.unit == "month":
            value = _shift_month(published, m.offset)
        elif m.unit == "year":
            value = date(published.year + m.offset, 1, 1)
    if value is None or (published is not None and value > published):
        return None
    return value.isoformat(), m.precision
