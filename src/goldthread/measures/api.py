"""REST endpoints for indicators (MOP/MOE), their targets, measured values and period locks, the roll-up, collection
tasks and assessments. Parse, call one service, render."""

from copy import copy
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Path, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from goldthread.aars.models import Observation
from goldthread.core.errors import DomainError
from goldthread.core.identifiers import is_uuid
from goldthread.core.schemas import ERRORS, Pages
from goldthread.events.models import Event
from goldthread.measures import importing, periods, rollup, selectors, services
from goldthread.measures.models import Assessment, Evidence, Indicator, Measurement, Target
from goldthread.measures.schemas import (
    AssessmentIn,
    AssessmentOut,
    AssessmentPatch,
    ComplianceOut,
    ComplianceQuery,
    EvidenceIn,
    EvidenceOut,
    ImportOut,
    IndicatorFilters,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    IndicatorSeriesOut,
    LockOut,
    Period,
    RecordedOut,
    Reference,
    SeriesQuery,
    StepIn,
    TargetIn,
    TargetOut,
    TaskOut,
    ValueFilters,
    ValueIn,
    ValueOut,
    ValuePatch,
    ValueReturnIn,
    series_out,
)
from goldthread.strategy import selectors as strategy_selectors
from goldthread.strategy.api import organization

router = Router()
INDICATORS, VALUES, ASSESSMENTS = ["indicators"], ["measured values"], ["assessments"]
# What null empties; other fields given as null are refused by validation, with the field named. Model validation
# lets an optional field through as null, so these must be made empty here rather than stored as null.
CLEARABLE: dict[str, Any] = {
    "method": "",
    "baseline_source": "",
    "note": "",
    "markings": "",
    "disaggregations": [],
    "scale": [],
    "criteria": [],
    "disaggregation": {},
}
# A measured value always has these: null cannot clear them.
REQUIRED_VALUE_FIELDS = {"date", "value"}
# Large enough for the importer's row limit in any sensible layout; the rest is refused before it is parsed.
IMPORT_MAX_BYTES = 20 * 1024 * 1024
EvidenceId = Path(..., ge=1, le=2_147_483_647)


def _by_reference(query: QuerySet, reference: str) -> QuerySet:
    """Records by uid or by code; only a well-formed uid is compared with uids, so no database refuses the lookup."""
    return query.filter(Q(uid=reference) | Q(code=reference) if is_uuid(reference) else Q(code=reference))


def _clear(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        name: copy(CLEARABLE[name]) if value is None and name in CLEARABLE else value for name, value in changes.items()
    }


# Indicators.
def _indicators() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("objective", "event", "rolls_up_to", "responsible").prefetch_related(
        "targets", "locks__locked_by"
    )


def _indicator(ref: str) -> Indicator:
    found = _by_reference(_indicators(), ref).first()
    if found is None:
        raise Http404
    return found


def _event_reference(reference: str, field: str) -> Event:
    found = _by_reference(Event.objects.all(), reference).first()
    if found is None:
        raise DomainError.on(field, f"No event {reference}.")
    return found


def _indicator_reference(reference: str, field: str) -> Indicator:
    found = _by_reference(_indicators(), reference).first()
    if found is None:
        raise DomainError.on(field, f"No indicator {reference}.")
    return found


def _indicator_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Turn the references an indicator names (objective, event, wider indicator, organization) into records."""
    data = _clear(data)
    if "objective" in data:
        data["objective"] = strategy_selectors.resolve_objective(data["objective"]) if data["objective"] else None
    if "event" in data:
        data["event"] = _event_reference(data["event"], "event") if data["event"] else None
    if "rolls_up_to" in data:
        whole = data["rolls_up_to"]
        data["rolls_up_to"] = _indicator_reference(whole, "rolls_up_to") if whole else None
    if "responsible" in data:
        data["responsible"] = organization(data["responsible"], "responsible")
    return data


@router.get("/indicators", response={200: list[IndicatorOut], **ERRORS}, tags=INDICATORS)
@paginate(Pages, page_size=50)
def list_indicators(request: HttpRequest, filters: Query[IndicatorFilters]):
    """Indicators by code."""
    return (
        selectors.indicators(
            kind=filters.kind or "",
            country=(filters.country or "").upper(),
            objective=filters.objective or "",
            status=filters.status or "",
            query=filters.q or "",
        )
        .select_related("rolls_up_to")
        .prefetch_related("targets", "locks__locked_by")
    )


@router.post("/indicators", response={201: IndicatorOut, **ERRORS}, tags=INDICATORS)
def create_indicator(request: HttpRequest, payload: IndicatorIn):
    """Define an indicator: a MOE on an outcome objective, or a MOP on an event or an event objective."""
    indicator = services.create_indicator(actor=request.auth, **_indicator_fields(payload.dict()))
    return Status(201, _indicator(str(indicator.uid)))


@router.get("/indicators/{ref}", response={200: IndicatorOut, **ERRORS}, tags=INDICATORS)
def get_indicator(request: HttpRequest, ref: Reference):
    """One indicator, by uid or code, with its targets and locked periods."""
    return _indicator(ref)


@router.patch("/indicators/{ref}", response={200: IndicatorOut, **ERRORS}, tags=INDICATORS)
def update_indicator(request: HttpRequest, ref: Reference, payload: IndicatorPatch):
    indicator = _indicator(ref)
    changes = _indicator_fields(payload.dict(exclude_unset=True))
    version = changes.pop("version")
    services.update_indicator(actor=request.auth, indicator=indicator, version=version, changes=changes)
    return _indicator(str(indicator.uid))


@router.put("/indicators/{ref}/targets/{period}", response={200: TargetOut, **ERRORS}, tags=INDICATORS)
def set_target(request: HttpRequest, ref: Reference, period: Period, payload: TargetIn):
    """Set the value the indicator should reach in a fiscal year or quarter."""
    return services.set_target(actor=request.auth, indicator=_indicator(ref), period=period, value=payload.value)


@router.delete("/indicators/{ref}/targets/{period}", response={204: None, **ERRORS}, tags=INDICATORS)
def remove_target(request: HttpRequest, ref: Reference, period: Period):
    indicator = _indicator(ref)
    get_object_or_404(Target, indicator=indicator, period=period)
    services.set_target(actor=request.auth, indicator=indicator, period=period, value=None)
    return Status(204, None)


@router.get("/indicators/{ref}/series", response={200: IndicatorSeriesOut, **ERRORS}, tags=INDICATORS)
def indicator_series(request: HttpRequest, ref: Reference, query: Query[SeriesQuery]):
    """The indicator's value per period from its approved values and those of its parts, with targets and
    progress from baseline to target."""
    indicator = _indicator(ref)
    first, last = query.first, query.last
    if query.grain == "quarter":  # a year given at quarter grain means all of its quarters
        first = f"{first}-Q1" if first and periods.is_year(first) else first
        last = f"{last}-Q4" if last and periods.is_year(last) else last
    return series_out(rollup.series([indicator], grain=query.grain, first=first, last=last)[indicator.pk])


@router.post("/indicators/{ref}/locks/{period}", response={201: LockOut, **ERRORS}, tags=INDICATORS)
def lock_period(request: HttpRequest, ref: Reference, period: Period):
    """Close a period to edits once all its values are approved; a year's lock covers its quarters."""
    return Status(201, services.lock(actor=request.auth, indicator=_indicator(ref), period=period))


@router.delete("/indicators/{ref}/locks/{period}", response={204: None, **ERRORS}, tags=INDICATORS)
def unlock_period(request: HttpRequest, ref: Reference, period: Period):
    services.unlock(actor=request.auth, indicator=_indicator(ref), period=period)
    return Status(204, None)


# Measured values.
def _values() -> QuerySet[Measurement]:
    return Measurement.objects.select_related("indicator", "event", "recorded_by", "approved_by").prefetch_related(
        "indicator__locks__locked_by"
    )


def _value(uid: UUID) -> Measurement:
    return get_object_or_404(_values(), uid=uid)


def _value_fields(data: dict[str, Any]) -> dict[str, Any]:
    data = _clear(data)
    for name in REQUIRED_VALUE_FIELDS & {k for k, v in data.items() if v is None}:
        raise DomainError.on(name, f"A measured value always has a {name}; give one rather than null.")
    if "event" in data:
        data["event"] = _event_reference(data["event"], "event") if data["event"] else None
    return data


@router.get("/indicators/{ref}/values", response={200: list[ValueOut], **ERRORS}, tags=VALUES)
@paginate(Pages, page_size=50)
def list_values(request: HttpRequest, ref: Reference, filters: Query[ValueFilters]):
    """The indicator's own measured values, newest first."""
    query = _values().filter(indicator=_indicator(ref))
    if filters.status:
        query = query.filter(status=filters.status)
    if filters.period:
        query = query.filter(period__startswith=filters.period)  # a year key is the prefix of its quarters'
    return query


@router.post("/indicators/{ref}/values", response={201: RecordedOut, **ERRORS}, tags=VALUES)
def record_value(request: HttpRequest, ref: Reference, payload: ValueIn):
    """Record a measured value, submitted for approval unless `submit` is false. A value far outside those approved
    so far is recorded all the same, with a `warning`."""
    indicator = _indicator(ref)
    data = _value_fields(payload.dict())
    submit = data.pop("submit")
    if data["value"] is None:
        if indicator.aggregation != Indicator.Aggregation.RATIO:
            raise DomainError.on("value", f"Give the value: {indicator.code} is not a ratio that computes it.")
        data["value"] = 0.0  # replaced by numerator / denominator when the value is checked
    recorded = services.record(
        actor=request.auth, indicator=indicator, source=Measurement.Source.API, submit=submit, **data
    )
    found = _value(recorded.uid)
    found.warning = selectors.warning(indicator, found.value)
    return Status(201, found)


@router.post("/values/import", response={200: ImportOut, **ERRORS}, tags=VALUES)
def import_values(request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = True):
    """Check a CSV or XLSX file of values row by row, as the form checks one value. With `dry_run` false and no
    bad row, write them all, submitted for approval; a file with any bad row is refused whole."""
    if file.size > IMPORT_MAX_BYTES:
        raise DomainError.on("file", f"The file is larger than {IMPORT_MAX_BYTES // (1024 * 1024)} MiB; split it.")
    name = file.name or "upload.csv"
    preview = importing.preview(actor=request.auth, name=name, data=file.read())
    written = 0
    if not dry_run:
        try:
            written = len(importing.commit(actor=request.auth, preview=preview))
        except DomainError as exc:
            rows = {f"line {row.line}": row.errors for row in preview.bad}
            raise DomainError(exc.detail, {**exc.errors, **rows}) from exc
    return {
        "name": name,
        "rows": [{"line": r.line, "cells": r.cells, "errors": r.errors, "warning": r.warning} for r in preview.rows],
        "good": len(preview.good),
        "bad": len(preview.bad),
        "written": written,
    }


@router.patch("/values/{uid}", response={200: ValueOut, **ERRORS}, tags=VALUES)
def update_value(request: HttpRequest, uid: UUID, payload: ValuePatch):
    """Correct a draft or returned value."""
    measurement = _value(uid)
    changes = _value_fields(payload.dict(exclude_unset=True))
    version = changes.pop("version")
    services.update_measurement(actor=request.auth, measurement=measurement, version=version, changes=changes)
    return _value(uid)


@router.post("/values/{uid}/submit", response={200: ValueOut, **ERRORS}, tags=VALUES)
def submit_value(request: HttpRequest, uid: UUID, payload: StepIn):
    services.submit(actor=request.auth, measurement=_value(uid), version=payload.version)
    return _value(uid)


@router.post("/values/{uid}/approve", response={200: ValueOut, **ERRORS}, tags=VALUES)
def approve_value(request: HttpRequest, uid: UUID, payload: StepIn):
    """Approve a submitted value: from now on it counts in every roll-up. Nobody approves their own."""
    services.approve(actor=request.auth, measurement=_value(uid), version=payload.version)
    return _value(uid)


@router.post("/values/{uid}/return", response={200: ValueOut, **ERRORS}, tags=VALUES)
def return_value(request: HttpRequest, uid: UUID, payload: ValueReturnIn):
    """Send a submitted value back to whoever recorded it, saying what is wrong."""
    services.return_(actor=request.auth, measurement=_value(uid), reason=payload.reason, version=payload.version)
    return _value(uid)


# Collection tasks and compliance.
@router.get("/events/{ref}/tasks", response={200: list[TaskOut], **ERRORS}, tags=INDICATORS)
def event_tasks(request: HttpRequest, ref: Reference):
    """What the event collects: its MOPs and the MOEs of the objectives it claims, each answered once a submitted or
    approved value is recorded for the event."""
    event = _by_reference(Event.objects.all(), ref).first()
    if event is None:
        raise Http404
    return [
        {
            "indicator": task.indicator.code,
            "kind": task.indicator.kind,
            "what": task.what,
            "due": task.due,
            "answered": task.answered,
            "answers": len(task.answers),
        }
        for task in selectors.tasks(event)
    ]


@router.get("/compliance", response={200: list[ComplianceOut], **ERRORS}, tags=INDICATORS)
def compliance(request: HttpRequest, query: Query[ComplianceQuery]):
    """Per executing unit: collection tasks due and answered, the least compliant first."""
    return [
        {"unit": row.unit.short_name, "due": row.due, "answered": row.answered, "rate": row.rate}
        for row in selectors.compliance(on=query.on)
    ]


# Assessments.
def _objective(ref: str):
    try:
        return strategy_selectors.resolve_objective(ref)
    except DomainError:
        raise Http404 from None


def _assessments() -> QuerySet[Assessment]:
    return Assessment.objects.select_related("objective", "assessor").prefetch_related(
        "evidence__indicator", "evidence__observation"
    )


def _assessment(uid: UUID) -> Assessment:
    return get_object_or_404(_assessments(), uid=uid)


@router.get("/objectives/{ref}/assessments", response={200: list[AssessmentOut], **ERRORS}, tags=ASSESSMENTS)
def list_assessments(request: HttpRequest, ref: Reference):
    """The objective's assessments, oldest period first: its trend."""
    return list(selectors.history(_objective(ref)).select_related("objective"))


@router.post("/objectives/{ref}/assessments", response={201: AssessmentOut, **ERRORS}, tags=ASSESSMENTS)
def create_assessment(request: HttpRequest, ref: Reference, payload: AssessmentIn):
    """Rate how far the objective moved in a period. Independence is derived from who rates it."""
    assessment = services.create_assessment(actor=request.auth, objective=_objective(ref), **payload.dict())
    return Status(201, _assessment(assessment.uid))


@router.get("/assessments/{uid}", response={200: AssessmentOut, **ERRORS}, tags=ASSESSMENTS)
def get_assessment(request: HttpRequest, uid: UUID):
    return _assessment(uid)


@router.patch("/assessments/{uid}", response={200: AssessmentOut, **ERRORS}, tags=ASSESSMENTS)
def update_assessment(request: HttpRequest, uid: UUID, payload: AssessmentPatch):
    assessment = _assessment(uid)
    changes = _clear(payload.dict(exclude_unset=True))
    version = changes.pop("version")
    services.update_assessment(actor=request.auth, assessment=assessment, version=version, changes=changes)
    return _assessment(uid)


@router.post("/assessments/{uid}/evidence", response={201: EvidenceOut, **ERRORS}, tags=ASSESSMENTS)
def cite_evidence(request: HttpRequest, uid: UUID, payload: EvidenceIn):
    """Cite indicator values, an AAR observation or a document in a draft assessment."""
    assessment = _assessment(uid)
    indicator = observation = None
    if payload.kind == Evidence.Kind.INDICATOR and payload.indicator:
        indicator = _indicator_reference(payload.indicator, "indicator")
    if payload.kind == Evidence.Kind.OBSERVATION and payload.observation:
        observation = Observation.objects.filter(uid=payload.observation).first()
        if observation is None:
            raise DomainError.on("observation", f"No AAR observation {payload.observation}.")
    evidence = services.cite(
        actor=request.auth,
        assessment=assessment,
        kind=payload.kind,
        indicator=indicator,
        observation=observation,
        document=payload.document,
        note=payload.note,
    )
    return Status(201, evidence)


@router.delete("/assessments/{uid}/evidence/{evidence_id}", response={204: None, **ERRORS}, tags=ASSESSMENTS)
def remove_evidence(request: HttpRequest, uid: UUID, evidence_id: int = EvidenceId):
    evidence = get_object_or_404(
        Evidence.objects.select_related("assessment__objective"), pk=evidence_id, assessment__uid=uid
    )
    services.uncite(actor=request.auth, evidence=evidence)
    return Status(204, None)


@router.post("/assessments/{uid}/submit", response={200: AssessmentOut, **ERRORS}, tags=ASSESSMENTS)
def submit_assessment(request: HttpRequest, uid: UUID, payload: StepIn):
    """Submit a draft: refused without evidence, for an assessment without it cannot be checked."""
    services.submit_assessment(actor=request.auth, assessment=_assessment(uid), version=payload.version)
    return _assessment(uid)
