"""Bulk import of measured values from CSV or XLSX.

Every row is checked exactly as the form checks one value (`services.check_measurement`), and the result is a
preview: what would be written, and what is wrong, row by row. Nothing is written until the caller confirms, and a
file with any bad row is refused whole, so a half-imported file never needs untangling.

Columns (header names, any order, case ignored): indicator (code), date (YYYY-MM-DD), value, numerator,
denominator, event (code), note. Any other column is a breakdown named after it, e.g. "sex".
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from openpyxl import load_workbook

from goldthread.aars import services as aars
from goldthread.core import audit
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.core.permissions import allows, require
from goldthread.events.models import Event
from goldthread.measures import periods, selectors, services
from goldthread.measures.models import Indicator, Measurement

COLUMNS = ("indicator", "date", "value", "numerator", "denominator", "event", "note")
REQUIRED = ("indicator", "date")
MAX_ROWS = 100_000


@dataclass
class Row:
    line: int  # as a spreadsheet shows it: the header is line 1
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)
    warning: str = ""
    measurement: Measurement | None = None


@dataclass
class Preview:
    name: str
    rows: list[Row]

    @property
    def bad(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def good(self) -> list[Row]:
        return [r for r in self.rows if not r.errors]


def _text(cell: Any) -> str:
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


def read(name: str, data: bytes) -> list[dict[str, str]]:
    """The file's rows as {column: text}; a file that is neither readable CSV nor XLSX is refused in one line."""
    if name.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            table = [[_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
            raise DomainError.on("file", f"{name} is not a readable Excel workbook (.xlsx).") from exc
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DomainError.on("file", f"{name} is not UTF-8 text: save it as CSV UTF-8 or as .xlsx.") from exc
        table = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    table = [row for row in table if any(row)]
    if not table:
        raise DomainError.on("file", f"{name} is empty.")
    header = [h.strip().lower() for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DomainError.on("file", f"{name} has no column {', '.join(missing)} in its first row.")
    if len(table) - 1 > MAX_ROWS:
        raise DomainError.on("file", f"{name} has {len(table) - 1:,} rows; import at most {MAX_ROWS:,} at a time.")
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)) for row in table[1:]]


def _number(text: str, column: str) -> float | None:
    if not text:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise DomainError.on(column, f"{column} {text!r} is not a number.") from None


def preview(*, actor: User, name: str, data: bytes) -> Preview:
    require(actor, "measures.add_measurement")
    indicators = {i.code.lower(): i for i in Indicator.objects.prefetch_related("locks", "locks__locked_by")}
    events: dict[str, Event | None] = {}
    reach: dict[tuple[int, int | None], bool] = {}
    outliers: dict[int, selectors.Outliers] = {}
    rows = [Row(line, cells) for line, cells in enumerate(read(name, data), start=2)]
    for row in rows:
        try:
            row.measurement = _measurement(actor, row.cells, indicators, events, reach)
            indicator = row.measurement.indicator
            if indicator.pk not in outliers:
                outliers[indicator.pk] = selectors.Outliers(indicator)
            row.warning = outliers[indicator.pk].warning(row.measurement.value)
        except DomainError as exc:
            row.errors = [m for messages in exc.errors.values() for m in messages] or [exc.detail]
    return Preview(name, rows)


def _measurement(actor, cells, indicators, events, reach) -> Measurement:
    indicator = indicators.get(cells.get("indicator", "").lower())
    if indicator is None:
        raise DomainError.on("indicator", f"No indicator {cells.get('indicator')!r}.")
    code = cells.get("event", "")
    if code and code.lower() not in events:
        events[code.lower()] = Event.objects.filter(code__iexact=code).first()
    event = events.get(code.lower()) if code else None
    if code and event is None:
        raise DomainError.on("event", f"No event {code!r}.")
    try:
        day = date.fromisoformat(cells.get("date", ""))
    except ValueError:
        raise DomainError.on("date", f"date {cells.get('date')!r} is not a date like 2027-03-31.") from None
    breakdown = {k: v for k, v in cells.items() if k not in COLUMNS and v}
    m = Measurement(
        indicator=indicator,
        event=event,
        date=day,
        value=_number(cells.get("value", ""), "value") or 0.0,
        numerator=_number(cells.get("numerator", ""), "numerator"),
        denominator=_number(cells.get("denominator", ""), "denominator"),
        disaggregation=breakdown,
        note=cells.get("note", ""),
        source=Measurement.Source.IMPORT,
        status=Measurement.Status.SUBMITTED,
        recorded_by=actor,
    )
    if not cells.get("value") and indicator.aggregation != Indicator.Aggregation.RATIO:
        raise DomainError.on("value", "value is empty.")
    key = (indicator.pk, event.pk if event else None)
    if key not in reach:
        reach[key] = allows(actor, "measures.add_measurement", m)
    if not reach[key]:
        raise DomainError.on("indicator", f"{indicator.code} is outside your organization's and countries' reach.")
    services.check_measurement(m)
    m.period = periods.quarter_of(m.date)
    return m


def commit(*, actor: User, preview: Preview) -> list[Measurement]:
    """Write a clean preview's values, submitted for approval, with one audit entry for the file."""
    if preview.bad:
        raise DomainError.on(
            "file", f"{len(preview.bad)} row(s) of {preview.name} have errors: fix them and import the file again."
        )
    created = [row.measurement for row in preview.rows]
    with transaction.atomic():
        Measurement.objects.bulk_create(created, batch_size=2000)
        for event in {m.event_id: m.event for m in created if m.event_id}.values():
            aars.rescore_event(event)
        audit.record_about(
            actor,
            "measurement.import",
            f"{len(created)} values from {preview.name}",
            {"indicators": sorted({m.indicator.code for m in created}), "rows": len(created)},
        )
    return created
