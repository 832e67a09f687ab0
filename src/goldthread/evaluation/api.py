"""REST endpoints of reconciliation with the system of record (EVAL-4): the CSV export, the import with its preview,
and the report of what events lack. Parse, call reconciliation, render."""

from datetime import date
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from goldthread.core.errors import DomainError
from goldthread.core.schemas import ERRORS, Text
from goldthread.evaluation import reconciliation
from goldthread.evaluation.reconciliation import EventPlan, Preview

router = Router()

# Generous for the importer's row limit in this layout; anything larger is refused before it is read.
IMPORT_MAX_BYTES = 20 * 1024 * 1024


class ReconciliationFilters(Schema):
    fiscal_year: int | None = Field(None, ge=1900, le=2200)
    country: Text(3) | None = Field(None, description="ISO 3166 alpha-3 code: events in that country.")


class RowErrorOut(Schema):
    row: int = Field(description="As a spreadsheet shows it: the header is row 1.")
    column: str = Field(description="The column at fault; empty when the error concerns the whole row.")
    message: str


class ClaimPlanOut(Schema):
    objective: str = Field(description="The objective's code.")
    row: int
    action: str = Field(description="create, update or unchanged.")
    changes: dict[str, list[str]] = Field(description="Column: [stored, in the file], for what would change.")


class EventPlanOut(Schema):
    code: str
    record_id: str
    rows: list[int]
    action: str = Field(description="create, update or unchanged.")
    changes: dict[str, list[str]] = Field(description="Column: [stored, in the file], for what would change.")
    claims: list[ClaimPlanOut]
    kept_claims: list[str] = Field(description="Objectives the event claims that the file does not list: kept.")


class PreviewOut(Schema):
    name: str
    rows: int = Field(description="Data rows read.")
    columns: list[str] = Field(description="The layout's columns the file has.")
    ignored_columns: list[str] = Field(description="Columns that are not in the layout: not read.")
    counts: dict[str, int] = Field(description="Events by action: create, update, unchanged.")
    events: list[EventPlanOut]
    errors: list[RowErrorOut]
    written: bool = Field(description="Whether the import was written: never by a preview.")


class GapOut(Schema):
    uid: UUID
    code: str
    name: str
    record_id: str
    status: str
    fiscal_year: int
    start_date: date
    end_date: date
    executing_unit: str | None
    countries: list[str]
    missing: list[str] = Field(description="Any of record_id, claim, aar, assessment.")
    aar_due: date | None = Field(description="When the final AAR is or was due, for an event that has ended.")


def _plan(plan: EventPlan) -> dict:
    return {
        "code": plan.code,
        "record_id": plan.record_id,
        "rows": plan.rows,
        "action": plan.action,
        "changes": {k: list(v) for k, v in plan.changes.items()},
        "claims": [
            {
                "objective": c.objective,
                "row": c.row,
                "action": c.action,
                "changes": {k: list(v) for k, v in c.changes.items()},
            }
            for c in plan.claims
        ],
        "kept_claims": plan.kept_claims,
    }


def _out(preview: Preview, plans: list[EventPlan], written: bool) -> dict:
    counts = {"create": 0, "update": 0, "unchanged": 0}
    for plan in plans:
        counts[plan.action] += 1
    return {
        "name": preview.name,
        "rows": preview.rows,
        "columns": preview.columns,
        "ignored_columns": preview.ignored,
        "counts": counts,
        "events": [_plan(p) for p in plans],
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in preview.errors],
        "written": written,
    }


def _preview(request: HttpRequest, file: UploadedFile) -> Preview:
    if file.size > IMPORT_MAX_BYTES:
        raise DomainError.on("file", f"The file is larger than {IMPORT_MAX_BYTES // (1024 * 1024)} MiB; split it.")
    name = file.name or "upload.csv"
    return reconciliation.preview(reconciliation.decode(file.read(), name), actor=request.auth, name=name)


@router.get(
    "/reconciliation/export.csv",
    response=ERRORS,
    openapi_extra={
        "responses": {
            200: {
                "description": "Events in the reconciliation layout (docs/reconciliation.md), UTF-8 with a BOM.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def export(request: HttpRequest, filters: Query[ReconciliationFilters]):
    """Every event (or those of a fiscal year and a country) as CSV, one row per contribution claim."""
    events = reconciliation.events(fiscal_year=filters.fiscal_year, country=filters.country)
    response = HttpResponse(reconciliation.export(events).encode("utf-8"), content_type=reconciliation.CONTENT_TYPE)
    parts = ["goldthread-events", f"FY{filters.fiscal_year}" if filters.fiscal_year else "", filters.country or ""]
    response["Content-Disposition"] = f'attachment; filename="{"-".join(p for p in parts if p).upper()}.csv"'
    reconciliation.record_export(request.auth, events, fiscal_year=filters.fiscal_year, country=filters.country)
    return response


@router.post("/reconciliation/preview", response={200: PreviewOut, **ERRORS})
def preview(request: HttpRequest, file: File[UploadedFile]):
    """What importing the file would do, event by event, and its row errors. Nothing is written."""
    found = _preview(request, file)
    return _out(found, found.events, written=False)


@router.post("/reconciliation/import", response={200: PreviewOut, **ERRORS})
def import_events(request: HttpRequest, file: File[UploadedFile]):
    """Import the file through the event and claim services, all of it or nothing: a file with any row error is
    refused with 400, its errors keyed `row N, COLUMN`."""
    found = _preview(request, file)
    plans = reconciliation.commit(request.auth, found)
    return _out(found, plans, written=True)


@router.get("/reconciliation/report", response={200: list[GapOut], **ERRORS})
def report(request: HttpRequest, filters: Query[ReconciliationFilters]):
    """Events missing a system-of-record ID, a contribution claim, an AAR or an assessment, and which."""
    return [gap.as_row() for gap in reconciliation.report(filters.fiscal_year, filters.country)]
