"""Planning backward from a date: lead times in calendar days or business days, deadlines on weekdays.

Business days are Monday to Friday. Weekends are skipped; public holidays are not, because they differ between the
offices a request passes through (unit, passport agent, embassy) and no single calendar is right.

The arithmetic works on ordinals, so a lead time of any length costs the same, and never raises: a result before
1 January of year 1 (a Monday) is held at that day.
"""

import calendar
from datetime import date

SATURDAY = 5
_FIRST = date.min.toordinal()  # 1 January 0001 was a Monday, so the floor is itself a weekday


def _from_ordinal(ordinal: int) -> date:
    return date.fromordinal(max(ordinal, _FIRST))


def on_weekday(day: date) -> date:
    """The day itself, or the Friday before it if it falls on a weekend: a deadline never moves later."""
    return _from_ordinal(day.toordinal() - max(day.weekday() - SATURDAY + 1, 0))


def calendar_days_before(day: date, days: int) -> date:
    """`days` calendar days before `day`, moved earlier to a Friday if that is a weekend."""
    return on_weekday(_from_ordinal(day.toordinal() - days))


def business_days_before(day: date, days: int) -> date:
    """The weekday that leaves exactly `days` business days up to (not including) `day`: the last day a request
    taking that long can start. With `days` = 0 it is `day` itself, or the Friday before a weekend."""
    if days <= 0:
        return on_weekday(day)
    # Count from the first weekday at or after `day`: going back from a Saturday or Sunday, the Friday is the first
    # business day, exactly as it is going back from the Monday after.
    anchor = day.toordinal() + (7 - day.weekday() if day.weekday() >= SATURDAY else 0)
    weeks, rest = divmod(days, 5)
    weekday = date.fromordinal(anchor).weekday()  # Monday .. Friday
    back = weeks * 7 + rest + (2 if rest > weekday else 0)
    return _from_ordinal(anchor - back)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), held at the month's last day (31 Aug + 6 months = 28/29 Feb) and
    at the ends of the calendar."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year < date.min.year:
        return date.min
    if year > date.max.year:
        return date.max
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
