"""Lessons leaving Goldthread: one row per observation for spreadsheets (CSV, XLSX), and the versioned JSON
interchange format for other lessons-learned systems, described field by field in docs/lessons-interchange.md."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import QuerySet, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from goldthread.aars.models import Observation
from goldthread.reports import spreadsheet

FORMAT = "goldthread-lessons"
VERSION = 1
TABLE_COLUMNS = [
    "Event code",
    "Event name",
    "Fiscal year",
    "Event type",
    "Countries",
    "Executing unit",
    "Title",
    "Finding",
    "Observation",
    "Discussion",
    "Recommendation",
    "Objective code",
    "Objective type",
    "Indicator",
    "Partner unit",
    "DOTMLPF-P",
    "Criticality",
    "Channel",
    "Stage",
    "Corrective action",
    "Action owner",
    "Action due",
    "Resolution",
    "Verification",
    "Root cause",
    "Link path",
    "Markings",
]
RELATED = ("report__event__executing_unit", "claim__objective", "partner_unit", "action_owner")
# A spreadsheet reads a cell that starts with one of these as a formula: such text gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WIDTHS = {"Title": 40, "Observation": 60, "Discussion": 60, "Recommendation": 60, "Corrective action": 40}


def _each(observations: Iterable[Observation]) -> Iterator[Observation]:
    """The observations with what a row needs read in bulk, a database query at a time, whatever their number."""
    if isinstance(observations, QuerySet):
        yield from (
            observations.select_related(*RELATED).prefetch_related("report__event__countries").iterator(chunk_size=2000)
        )
        return
    found = list(observations)
    prefetch_related_objects(found, *RELATED, "report__event__countries")
    yield from found


def _countries(observation: Observation) -> list:
    return sorted(observation.report.event.countries.all(), key=lambda c: c.iso3)


def _row(observation: Observation) -> list[str]:
    event = observation.report.event
    o = observation
    return [
        event.code,
        event.name,
        str(event.fiscal_year),
        event.get_event_type_display(),
        ", ".join(c.name for c in _countries(o)),
        event.executing_unit.short_name if event.executing_unit else "",
        o.title,
        o.get_finding_display(),
        o.observation,
        o.discussion,
        o.recommendation,
        o.claim.objective.code if o.claim else "",
        o.get_objective_type_display() if o.objective_type else "",
        o.indicator,
        o.partner_unit.short_name if o.partner_unit else "",
        o.get_dotmlpfp_display() if o.dotmlpfp else "",
        o.get_criticality_display(),
        o.get_channel_display(),
        o.get_stage_display(),
        o.corrective_action,
        o.action_owner.short_name if o.action_owner else "",
        o.action_due.isoformat() if o.action_due else "",
        o.resolution,
        o.verification,
        str(o.analysis.get("root_cause", "")),
        reverse("observation", args=[o.uid]),
        o.markings,
    ]


def table(observations: Iterable[Observation]) -> tuple[list[str], list[list[str]]]:
    """One row of text per observation under `TABLE_COLUMNS`: the event, the ODR text, the tags, the lesson."""
    return list(TABLE_COLUMNS), [_row(o) for o in _each(observations)]


def _safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(observations: Iterable[Observation]) -> bytes:
    """The table as CSV, UTF-8 with a byte-order mark: without it Excel reads the file in the local code page and
    garbles Thai and other non-Latin names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TABLE_COLUMNS)
    for observation in _each(observations):
        writer.writerow([_safe(cell) for cell in _row(observation)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(observations: Iterable[Observation]) -> bytes:
    """The table as an Excel workbook: the classification banner on the first row, then the bold header row; both
    stay in view when scrolling. Fiscal year is a number and the action due date a date, so they sort."""
    year, due = TABLE_COLUMNS.index("Fiscal year"), TABLE_COLUMNS.index("Action due")

    def rows() -> Iterator[list[Any]]:
        for observation in _each(observations):
            values: list[Any] = _row(observation)
            values[year] = int(values[year])
            values[due] = date.fromisoformat(values[due]) if values[due] else None
            yield values

    widths = {header: WIDTHS.get(header, 16) for header in TABLE_COLUMNS}
    lessons = spreadsheet.Sheet(
        "Lessons", list(TABLE_COLUMNS), rows(), banner=settings.CLASSIFICATION, widths=widths, filtered=True
    )
    return spreadsheet.build([lessons])


def _record(observation: Observation) -> dict[str, Any]:
    o = observation
    event = o.report.event
    analysis = o.analysis or {}
    return {
        "uid": str(o.uid),
        "title": o.title,
        "finding": o.finding,
        "observation": o.observation,
        "discussion": o.discussion,
        "recommendation": o.recommendation,
        "markings": o.markings,
        "link": reverse("observation", args=[o.uid]),
        "event": {
            "code": event.code,
            "name": event.name,
            "type": event.event_type,
            "fiscal_year": event.fiscal_year,
            "start": event.start_date.isoformat(),
            "end": event.end_date.isoformat(),
            "countries": [c.iso3 for c in _countries(o)],
            "executing_unit": event.executing_unit.short_name if event.executing_unit else None,
        },
        "tags": {
            "objective": o.claim.objective.code if o.claim else None,
            "objective_type": o.objective_type or None,
            "indicator": o.indicator,
            "partner_unit": o.partner_unit.short_name if o.partner_unit else None,
            "dotmlpfp": o.dotmlpfp or None,
            "criticality": o.criticality,
            "channel": o.channel,
        },
        "analysis": {
            "five_whys": list(analysis.get("five_whys", [])),
            "root_cause": analysis.get("root_cause", ""),
            "assumptions": [
                {"assumption": a["assumption"], "held": a["held"], "evidence": a.get("evidence", "")}
                for a in analysis.get("assumptions", [])
            ],
        },
        "lesson": {
            "stage": o.stage,
            "corrective_action": o.corrective_action,
            "action_owner": o.action_owner.short_name if o.action_owner else None,
            "action_due": o.action_due.isoformat() if o.action_due else None,
            "resolution": o.resolution,
            "verification": o.verification,
        },
    }


def interchange(observations: Iterable[Observation]) -> dict[str, Any]:
    """The observations in the interchange format (docs/lessons-interchange.md), ready for `json.dumps`."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "classification": settings.CLASSIFICATION,
        "exported": timezone.now().isoformat(timespec="seconds"),
        "observations": [_record(o) for o in _each(observations)],
    }
