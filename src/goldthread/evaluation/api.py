"""REST endpoints of the evaluation: coverage findings, data discipline, contribution analysis, the portfolio with
each country's standing, the evaluation report; and reconciliation with the system of record (EVAL-4) — the CSV
export, the import with its preview, and the report of what events lack. Parse, call one module, render."""

from datetime import date
from typing import Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from goldthread.core import audit
from goldthread.core.errors import DomainError, NotFound
from goldthread.core.schemas import ERRORS, Text
from goldthread.evaluation import contribution, discipline, findings, portfolio, reconciliation, services
from goldthread.evaluation.reconciliation import EventPlan, Preview
from goldthread.evaluation.schemas import (
    BreakdownRow,
    ContributionOut,
    CoverageOut,
    DisciplineLine,
    EvaluationFilters,
    FindingOut,
    FindingPage,
    KindKey,
    KindOut,
    PortfolioRow,
    StandingIn,
)
from goldthread.events.models import fiscal_year
from goldthread.reports import evaluation_document, pdf, spreadsheet, word
from goldthread.strategy import selectors as strategy_selectors

router = Router()

FIRST = 20  # findings of each kind in the coverage answer; page through the rest per kind

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


# --- Coverage, discipline, contribution, portfolio, the report -----------------------------------------------


def _filters(query: EvaluationFilters) -> findings.Filters:
    return query.parse(timezone.localdate())


@router.get("/coverage", response={200: CoverageOut, **ERRORS}, summary="Coverage findings of every kind")
def coverage(request: HttpRequest, query: Query[EvaluationFilters]):
    """Each kind of finding with its count and its first findings, each naming the record to fix."""
    f = _filters(query)
    counts, listed = findings.counts(f), findings.first(f, FIRST)
    return CoverageOut(
        as_of=f.as_of,
        kinds=[
            KindOut(
                key=k.key,
                title=k.title,
                why=k.why,
                fix=k.fix,
                count=counts[k.key],
                first=[FindingOut.of(x) for x in listed[k.key]],
            )
            for k in findings.KINDS
        ],
    )


class FindingPaging(EvaluationFilters):
    offset: int = Field(0, ge=0, le=10_000_000)
    limit: int = Field(100, ge=1, le=1000)


@router.get("/coverage/{kind}", response={200: FindingPage, **ERRORS}, summary="All findings of one kind")
def coverage_kind(request: HttpRequest, kind: KindKey, query: Query[FindingPaging]):
    chosen = findings.BY_KEY[kind]
    f = _filters(query)
    items = findings.page(chosen, f, offset=query.offset, limit=query.limit)
    return FindingPage(count=findings.counts(f)[kind], offset=query.offset, items=[FindingOut.of(x) for x in items])


class BreakdownQuery(EvaluationFilters):
    by: Literal["country", "organization", "fiscal-year"] = "country"


@router.get("/coverage-breakdown", response={200: list[BreakdownRow], **ERRORS}, summary="Findings counted per group")
def coverage_breakdown(request: HttpRequest, query: Query[BreakdownQuery]):
    """Counts per kind for each country, organization or fiscal year; an event in two countries counts in both."""
    return [BreakdownRow(label=label, counts=row) for label, row in findings.breakdown(_filters(query), query.by)]


@router.get("/discipline", response={200: list[DisciplineLine], **ERRORS}, summary="Data discipline per unit")
def discipline_lines(request: HttpRequest, query: Query[EvaluationFilters]):
    """Per executing unit, worst first: what was due and done on each measure, the score, and the score per fiscal
    year over the last five (or the one asked for)."""
    f = _filters(query)
    current = fiscal_year(f.today)
    years = [f.fiscal_year] if f.fiscal_year else list(range(current - 4, current + 1))
    lines = discipline.lines(
        on=f.today, fiscal_years=years, units=set(f.unit_ids) or None, country=f.country and f.country.pk
    )
    return [DisciplineLine.of(line) for line in lines]


@router.get("/contribution/{objective}", response={200: ContributionOut, **ERRORS}, summary="Contribution analysis")
def contribution_of(request: HttpRequest, objective: str):
    """The claims on the objective and those below it against what its MOEs did, with the evidence."""
    try:
        found = strategy_selectors.resolve_objective(objective)
    except DomainError as unknown:
        raise NotFound(unknown.detail) from unknown
    return ContributionOut.of(contribution.analyse(found, today=timezone.localdate()))


@router.get("/portfolio", response={200: list[PortfolioRow], **ERRORS}, summary="The portfolio across countries")
def portfolio_rows(request: HttpRequest, query: Query[EvaluationFilters]):
    return [PortfolioRow.of(row) for row in portfolio.rows(_filters(query))]


@router.put("/portfolio/{iso3}/standing", response={200: PortfolioRow, **ERRORS}, summary="Record a country's standing")
def put_standing(request: HttpRequest, iso3: str, body: StandingIn):
    """Record or revise the country's priority, absorptive capacity and ratings; give the version you read."""
    try:
        country = strategy_selectors.resolve_countries([iso3], "iso3")[0]
    except DomainError as unknown:
        raise NotFound(unknown.detail) from unknown
    fields = body.model_dump(exclude={"version"})
    services.set_standing(actor=request.auth, country=country, version=body.version, **fields)
    f = findings.Filters.of(timezone.localdate(), country=country)
    return PortfolioRow.of(portfolio.rows(f)[0])


@router.get(
    "/report.{format}",
    response=ERRORS,
    openapi_extra={
        "responses": {
            200: {
                "description": "The evaluation report as Word or PDF, or its data as an Excel workbook.",
                "content": {
                    content_type: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in (word.CONTENT_TYPE, pdf.CONTENT_TYPE, spreadsheet.CONTENT_TYPE)
                },
            }
        }
    },
)
def evaluation_report(request: HttpRequest, format: Literal["docx", "pdf", "xlsx"], query: Query[EvaluationFilters]):  # noqa: A002
    """Findings, contribution, discipline, portfolio, gaps and recommendations for the filters: usually one
    country, one objective or one fiscal year."""
    content, content_type, filename = evaluation_document.file(_filters(query), format)
    audit.record_about(request.auth, "evaluation.exported", filename, {"format": format, **query.model_dump()})
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
