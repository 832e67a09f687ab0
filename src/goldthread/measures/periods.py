"""U.S. fiscal periods as sortable keys: a year "FY2027" (1 October 2026 – 30 September 2027) and its quarters
"FY2027-Q1" … "FY2027-Q4". Keys sort in time order as plain strings, so the database can group and compare them."""

import re
from datetime import date, timedelta

PATTERN = re.compile(r"^FY([0-9]{4})(?:-Q([1-4]))?$")


def quarter_of(day: date) -> str:
    year = day.year + 1 if day.month >= 10 else day.year
    return f"FY{year}-Q{(day.month - 10) % 12 // 3 + 1}"


def year_of(period: str) -> str:
    return period[:6]


def is_valid(period: str) -> bool:
    return bool(PATTERN.match(period))


def is_year(period: str) -> bool:
    return len(period) == 6


def _quarter_start(year: int, quarter: int) -> date:
    """First day of quarter 1–4 of a fiscal year; quarter 5 is the first day of the next year."""
    return date(year - 1, 10, 1) if quarter == 1 else date(year, 3 * quarter - 5, 1)


def bounds(period: str) -> tuple[date, date]:
    """First and last day of a period key."""
    match = PATTERN.match(period)
    if not match:
        raise ValueError(f"{period!r} is not a fiscal period; write FY2027 or FY2027-Q1.")
    year = int(match[1])
    first, last = (int(match[2]),) * 2 if match[2] else (1, 4)
    return _quarter_start(year, first), _quarter_start(year, last + 1) - timedelta(days=1)


def at_grain(period: str, grain: str) -> str:
    """The key of the period containing `period` at `grain` ("quarter" or "year")."""
    return year_of(period) if grain == "year" else period


def covers(lock: str, period: str) -> bool:
    """True when a lock on `lock` closes `period`: the same period, or the year a quarter lies in."""
    return lock == period or (is_year(lock) and year_of(period) == lock)


def span(first: str, last: str, grain: str) -> list[str]:
    """Every period key from `first` to `last` inclusive, at `grain`."""
    if grain == "quarter":  # a whole year asked for by quarter: all four of its quarters
        first = f"{first}-Q1" if is_year(first) else first
        last = f"{last}-Q4" if is_year(last) else last
    first, last = at_grain(first, grain), at_grain(last, grain)
    keys, year = [], int(first[2:6])
    while True:
        for key in [f"FY{year}"] if grain == "year" else [f"FY{year}-Q{q}" for q in range(1, 5)]:
            if first <= key <= last:
                keys.append(key)
            if key >= last:
                return keys
        year += 1
