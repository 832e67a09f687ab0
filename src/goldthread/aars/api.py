"""REST endpoints for after-action reports, observations, channel items and lessons. Parse, call one service,
render."""

from typing import Any
from uuid import UUID

from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from goldthread.aars import score, selectors, services
from goldthread.aars.models import Action, ChannelItem, Observation, Report
from goldthread.aars.schemas import (
    ActionIn,
    ActionOut,
    ChannelFilters,
    ChannelItemOut,
    CloseIn,
    DoneIn,
    LateOut,
    LessonHitOut,
    LessonOut,
    LessonQuery,
    MoveIn,
    ObservationIn,
    ObservationOut,
    ObservationPatch,
    OverdueQuery,
    PatternOut,
    RecurringQuery,
    RelevantOut,
    RelevantQuery,
    ReportFilters,
    ReportOut,
    ReportPatch,
    ReportSummaryOut,
    ReturnIn,
    StageIn,
)
from goldthread.core.errors import DomainError
from goldthread.core.schemas import ERRORS, Pages
from goldthread.events.models import ContributionClaim, Event
from goldthread.search import index
from goldthread.strategy.api import organization

router = Router()
AARS, LESSONS = ["aars"], ["lessons"]
# Text fields that may be emptied: null in a PATCH empties them. Other fields given as null are refused by validation.
CLEARABLE = {
    "summary",
    "relationships",
    "capability",
    "interoperability",
    "access",
    "administration",
    "costs",
    "markings",
    "discussion",
    "recommendation",
    "indicator",
    "objective_type",
    "dotmlpfp",
}
LESSONS_PER_PAGE = 50


# Reading.
def _report(uid: UUID | None = None, **lookup) -> Report:
    if uid is not None:
        lookup["uid"] = uid
    return get_object_or_404(Report.objects.select_related("event__executing_unit", "approved_by"), **lookup)


def _observations(query: QuerySet[Observation]) -> QuerySet[Observation]:
    return query.select_related(
        "report__event", "claim__objective", "partner_unit", "action_owner", "channel_item"
    ).order_by("report", "id")


def _observation(uid: UUID) -> Observation:
    return get_object_or_404(_observations(Observation.objects.all()), uid=uid)


def observation_out(o: Observation) -> dict[str, Any]:
    item = _channel_item(o)
    return {
        "uid": o.uid,
        "report": o.report.uid,
        "event": o.report.event.code,
        **{name: getattr(o, name) for name in ("title", "finding", "observation", "discussion", "recommendation")},
        "claim": o.claim.uid if o.claim else None,
        "objective": o.claim.objective.code if o.claim else None,
        "objective_type": o.objective_type,
        "indicator": o.indicator,
        "partner_unit": o.partner_unit.short_name if o.partner_unit else None,
        "dotmlpfp": o.dotmlpfp,
        "criticality": o.criticality,
        "channel": o.channel,
        "analysis": o.analysis or {},
        "stage": o.stage,
        "corrective_action": o.corrective_action,
        "action_owner": o.action_owner.short_name if o.action_owner else None,
        "action_due": o.action_due,
        "resolution": o.resolution,
        "verification": o.verification,
        "channel_item": item.uid if item else None,
        "markings": o.markings,
        "version": o.version,
    }


def _channel_item(o: Observation) -> ChannelItem | None:
    try:
        return o.channel_item
    except ChannelItem.DoesNotExist:
        return None


def report_out(report: Report) -> dict[str, Any]:
    event = report.event
    scored = score.compute(selectors.content(report))
    reviews = [
        {
            "claim": r.claim.uid,
            "objective": r.claim.objective.code,
            "objective_statement": r.claim.objective.statement,
            "objective_type": r.claim.objective_type,
            "role": r.claim.role,
            "expected_change": r.claim.expected_change,
            "indicator": r.claim.indicator,
            "planned": r.planned,
            "happened": r.happened,
            "why": r.why,
            "indicator_evidence": r.indicator_evidence,
            "addressed": r.addressed,
        }
        for r in report.reviews.select_related("claim__objective")
    ]
    comments = [
        {"author": c.author.username, "status": c.status, "text": c.text, "created": c.created}
        for c in report.comments.select_related("author")
    ]
    return {
        "uid": report.uid,
        "event": event.uid,
        "event_code": event.code,
        "event_name": event.name,
        "executing_unit": event.executing_unit.short_name if event.executing_unit else None,
        "score": scored.total,
        "missing": scored.missing,
        "approved_by": report.approved_by.username if report.approved_by else None,
        **{
            name: getattr(report, name)
            for name in (
                "status",
                "hotwash_due",
                "hotwash_held",
                "due",
                *services.REPORT_FIELDS,
                "submitted_at",
                "approved_at",
                "disseminated_at",
                "version",
            )
        },
        "reviews": reviews,
        "observations": [observation_out(o) for o in _observations(report.observations.all())],
        "actions": list(report.actions.select_related("owner")),
        "comments": comments,
    }


def _fresh(report: Report) -> dict[str, Any]:
    return report_out(_report(report.uid))


def _units(short_name: str | None, field: str) -> set[int] | None:
    """The ids of a unit and every unit below it, or None when no unit is given."""
    unit = organization(short_name, field)
    return unit.subtree_ids() if unit else None


@router.get("/aars", response={200: list[ReportSummaryOut], **ERRORS}, tags=AARS)
@paginate(Pages, page_size=50)
def list_reports(request: HttpRequest, filters: Query[ReportFilters]):
    """AARs by due date."""
    query = Report.objects.select_related("event__executing_unit").order_by("due", "event__code")
    if filters.status:
        query = query.filter(status=filters.status)
    units = _units(filters.unit, "unit")
    if units is not None:
        query = query.filter(event__executing_unit_id__in=units)
    if filters.overdue is not None:
        late = Q(due__lt=timezone.localdate(), status__in=Report.EDITABLE)
        query = query.filter(late) if filters.overdue else query.exclude(late)
    return query


@router.get("/aars/overdue", response={200: list[LateOut], **ERRORS}, tags=AARS)
def overdue_reports(request: HttpRequest, query: Query[OverdueQuery]):
    """Events whose final AAR is past due and not submitted, including those nobody has started one for."""
    lines = selectors.overdue(query.on or timezone.localdate(), units=_units(query.unit, "unit"))
    return [
        {
            "event": line.event.uid,
            "event_code": line.event.code,
            "event_name": line.event.name,
            "executing_unit": line.event.executing_unit.short_name if line.event.executing_unit else None,
            "report": line.report.uid if line.report else None,
            "status": line.report.status if line.report else None,
            "due": line.due,
            "days_late": line.days,
        }
        for line in lines
    ]


@router.get("/aars/{uid}", response={200: ReportOut, **ERRORS}, tags=AARS)
def get_report(request: HttpRequest, uid: UUID):
    return report_out(_report(uid))


@router.get("/events/{uid}/aar", response={200: ReportOut, **ERRORS}, tags=AARS)
def get_event_report(request: HttpRequest, uid: UUID):
    """The event's AAR; 404 while nobody has started it."""
    event = get_object_or_404(Event, uid=uid)
    return report_out(_report(event=event))


# Writing the report.
@router.post("/events/{uid}/aar", response={201: ReportOut, **ERRORS}, tags=AARS)
def start_report(request: HttpRequest, uid: UUID):
    """Open the event's AAR as a draft, pre-filled from its claims and planning conferences."""
    event = get_object_or_404(Event, uid=uid)
    return Status(201, _fresh(services.start(actor=request.auth, event=event)))


def _clear(changes: dict[str, Any]) -> dict[str, Any]:
    return {name: "" if value is None and name in CLEARABLE else value for name, value in changes.items()}


def _claim_lookup(event: Event) -> dict[str, ContributionClaim]:
    """The event's claims by uid and by the code of the objective each claims."""
    found: dict[str, ContributionClaim] = {}
    for claim in event.claims.select_related("objective"):
        found[str(claim.uid)] = claim
        found[claim.objective.code] = claim
    return found


def _claim(lookup: dict[str, ContributionClaim], reference: str, field: str, event: Event) -> ContributionClaim:
    claim = lookup.get(reference) or lookup.get(reference.lower())
    if claim is None:
        codes = ", ".join(sorted(k for k in lookup if k != str(lookup[k].uid))) or "none"
        raise DomainError.on(
            field, f"{reference} is not one of {event.code}'s claimed objectives (its objectives: {codes})."
        )
    return claim


def _reviews(report: Report, given: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    lookup = _claim_lookup(report.event)
    found: dict[int, dict[str, Any]] = {}
    for n, review in enumerate(given):
        field = f"reviews.{n}.claim"
        claim = _claim(lookup, review.pop("claim"), field, report.event)
        if claim.pk in found:
            raise DomainError.on(field, f"{claim.objective.code} is given twice; give each claimed objective once.")
        found[claim.pk] = {name: value or "" for name, value in review.items()}
    return found


@router.patch("/aars/{uid}", response={200: ReportOut, **ERRORS}, tags=AARS)
def update_report(request: HttpRequest, uid: UUID, payload: ReportPatch):
    """Write the report's fields and the answers to the AAR questions of its claimed objectives."""
    report = _report(uid)
    changes = _clear(payload.dict(exclude_unset=True))
    version = changes.pop("version")
    given = changes.pop("reviews", None) or []
    reviews = _reviews(report, given)
    services.update(actor=request.auth, report=report, version=version, fields=changes, reviews=reviews)
    return _fresh(report)


@router.post("/aars/{uid}/submit", response={200: ReportOut, **ERRORS}, tags=AARS)
def submit_report(request: HttpRequest, uid: UUID, payload: MoveIn):
    report = _report(uid)
    services.submit(actor=request.auth, report=report, version=payload.version, comment=payload.comment)
    return _fresh(report)


@router.post("/aars/{uid}/return", response={200: ReportOut, **ERRORS}, tags=AARS)
def return_report(request: HttpRequest, uid: UUID, payload: ReturnIn):
    """Send a submitted report back to its author, saying what to change."""
    report = _report(uid)
    services.return_for_changes(actor=request.auth, report=report, version=payload.version, comment=payload.comment)
    return _fresh(report)


@router.post("/aars/{uid}/approve", response={200: ReportOut, **ERRORS}, tags=AARS)
def approve_report(request: HttpRequest, uid: UUID, payload: MoveIn):
    """Approve a submitted report; it is disseminated at once."""
    report = _report(uid)
    services.approve(actor=request.auth, report=report, version=payload.version, comment=payload.comment)
    return _fresh(report)


@router.post("/aars/{uid}/disseminate", response={200: ReportOut, **ERRORS}, tags=AARS)
def disseminate_report(request: HttpRequest, uid: UUID):
    """Deliver an approved report again: it reaches those who joined its audience since, and nobody twice."""
    report = _report(uid)
    services.disseminate(actor=request.auth, report=report)
    return _fresh(report)


# Observations.
def _observation_fields(report: Report, data: dict[str, Any]) -> dict[str, Any]:
    """Resolve the references an observation names: its claim and its partner unit."""
    data = _clear(data)
    if data.get("claim"):
        data["claim"] = _claim(_claim_lookup(report.event), data["claim"], "claim", report.event)
    elif "claim" in data:
        data["claim"] = None
    if "partner_unit" in data:
        data["partner_unit"] = organization(data["partner_unit"], "partner_unit")
    return data


@router.post("/aars/{uid}/observations", response={201: ObservationOut, **ERRORS}, tags=AARS)
def add_observation(request: HttpRequest, uid: UUID, payload: ObservationIn):
    report = _report(uid)
    fields = _observation_fields(report, payload.dict())
    observation = services.add_observation(actor=request.auth, report=report, fields=fields)
    return Status(201, observation_out(_observation(observation.uid)))


@router.get("/observations/{uid}", response={200: ObservationOut, **ERRORS}, tags=AARS)
def get_observation(request: HttpRequest, uid: UUID):
    return observation_out(_observation(uid))


@router.patch("/observations/{uid}", response={200: ObservationOut, **ERRORS}, tags=AARS)
def update_observation(request: HttpRequest, uid: UUID, payload: ObservationPatch):
    observation = _observation(uid)
    fields = _observation_fields(observation.report, payload.dict(exclude_unset=True))
    version = fields.pop("version")
    services.update_observation(actor=request.auth, observation=observation, version=version, fields=fields)
    return observation_out(_observation(uid))


@router.delete("/observations/{uid}", response={204: None, **ERRORS}, tags=AARS)
def remove_observation(request: HttpRequest, uid: UUID):
    services.remove_observation(actor=request.auth, observation=_observation(uid))
    return Status(204, None)


# Follow-up actions.
@router.post("/aars/{uid}/actions", response={201: ActionOut, **ERRORS}, tags=AARS)
def add_action(request: HttpRequest, uid: UUID, payload: ActionIn):
    report = _report(uid)
    owner = organization(payload.owner, "owner")
    action = services.add_action(actor=request.auth, report=report, text=payload.text, owner=owner, due=payload.due)
    return Status(201, action)


ActionId = Path(..., ge=1, le=2_147_483_647)


@router.post("/aars/{uid}/actions/{action_id}/done", response={200: ActionOut, **ERRORS}, tags=AARS)
def set_action_done(request: HttpRequest, uid: UUID, payload: DoneIn, action_id: int = ActionId):
    """Tick a follow-up action off (`done: true`) or open it again; also after the report is approved."""
    action = get_object_or_404(Action.objects.select_related("report__event", "owner"), pk=action_id, report__uid=uid)
    return services.set_action_done(actor=request.auth, action=action, done=payload.done)


# Lessons.
def lesson_out(o: Observation) -> dict[str, Any]:
    event = o.report.event
    return {
        "uid": o.uid,
        "title": o.title,
        "event": event.code,
        "fiscal_year": event.fiscal_year,
        **{name: getattr(o, name) for name in ("finding", "criticality", "stage", "objective_type", "dotmlpfp")},
        "partner_unit": o.partner_unit.short_name if o.partner_unit else None,
        "recommendation": o.recommendation,
        "corrective_action": o.corrective_action,
    }


def _lessons() -> QuerySet[Observation]:
    return Observation.objects.select_related("report__event", "partner_unit")


@router.post("/observations/{uid}/stage", response={200: ObservationOut, **ERRORS}, tags=LESSONS)
def advance_lesson(request: HttpRequest, uid: UUID, payload: StageIn):
    """Move an observation of a disseminated AAR one step through the lessons lifecycle."""
    observation = _observation(uid)
    fields = payload.dict(exclude={"version", "stage"})
    if fields.get("action_owner"):
        fields["action_owner"] = organization(fields["action_owner"], "action_owner")
    services.advance(
        actor=request.auth, observation=observation, stage=payload.stage, version=payload.version, fields=fields
    )
    return observation_out(_observation(uid))


@router.get("/lessons", response={200: list[LessonHitOut], **ERRORS}, tags=LESSONS)
def list_lessons(request: HttpRequest, query: Query[LessonQuery]):
    """Observations of disseminated AARs: with `q`, those matching every word, best first; without, the newest
    first. Narrowed by the facets given; 50 a page."""
    offset = (query.page - 1) * LESSONS_PER_PAGE
    if query.q.strip():
        hits = index.search(query.q, kind="observation", limit=LESSONS_PER_PAGE, offset=offset, **query.narrowing())
        found = _lessons().in_bulk([h.uid for h in hits], field_name="uid")
        lessons = [(found[UUID(h.uid)], h.snippet) for h in hits if UUID(h.uid) in found]
    else:
        observations = _lessons().filter(report__status=Report.Status.DISSEMINATED)
        narrowing = {
            "report__event__countries__iso3": query.country.upper(),
            "report__event__fiscal_year": query.year,
            "report__event__event_type": query.event_type,
            "objective_type": query.objective_type,
            "dotmlpfp": query.dotmlpfp,
            "partner_unit__short_name": query.partner,
            "stage": query.stage,
        }
        observations = observations.filter(**{k: v for k, v in narrowing.items() if v not in ("", None)}).distinct()
        ordered = observations.order_by("-report__event__start_date", "-id")[offset : offset + LESSONS_PER_PAGE]
        lessons = [(o, "") for o in ordered]
    # The index knows no stages: a search is narrowed to one after it, on the page found.
    return [
        {**lesson_out(o), "snippet": snippet} for o, snippet in lessons if not query.stage or o.stage == query.stage
    ]


@router.get("/lessons/relevant", response={200: list[RelevantOut], **ERRORS}, tags=LESSONS)
def relevant_lessons(request: HttpRequest, query: Query[RelevantQuery]):
    """Validated lessons from earlier events that a unit going to `event` should read, each with the reason."""
    event = get_object_or_404(Event, uid=query.event)
    return [{"lesson": lesson_out(r.observation), "why": r.why} for r in selectors.relevant_lessons(event)]


@router.get("/lessons/recurring", response={200: list[PatternOut], **ERRORS}, tags=LESSONS)
def recurring_lessons(request: HttpRequest, query: Query[RecurringQuery]):
    """Improve items that come back across events with the same partner unit, DOTMLPF-P domain and objective type."""
    return [
        {
            "partner_unit": p.partner.short_name if p.partner else None,
            "dotmlpfp": p.dotmlpfp,
            "objective_type": p.objective_type,
            "events": p.events,
            "observations": [lesson_out(o) for o in p.observations],
        }
        for p in selectors.recurring_issues(min_events=query.min_events)
    ]


@router.get("/observations/{uid}/recurring", response={200: list[LessonOut], **ERRORS}, tags=LESSONS)
def recurring_like(request: HttpRequest, uid: UUID):
    """Improve items from other events that look like this observation."""
    return [lesson_out(o) for o in selectors.recurring(_observation(uid))]


# Channel items.
def _channel_items() -> QuerySet[ChannelItem]:
    return ChannelItem.objects.select_related("observation__report__event", "closed_by")


@router.get("/channel-items", response={200: list[ChannelItemOut], **ERRORS}, tags=AARS)
@paginate(Pages, page_size=50)
def list_channel_items(request: HttpRequest, filters: Query[ChannelFilters]):
    """Critical observations carried on their channels: open ones first, by due date."""
    query = _channel_items().order_by(F("closed_at").asc(nulls_first=True), "due", "id")
    if filters.channel:
        query = query.filter(channel=filters.channel)
    if filters.open is not None:
        query = query.filter(closed_at__isnull=filters.open)
    return query


@router.get("/channel-items/{uid}", response={200: ChannelItemOut, **ERRORS}, tags=AARS)
def get_channel_item(request: HttpRequest, uid: UUID):
    return get_object_or_404(_channel_items(), uid=uid)


@router.post("/channel-items/{uid}/close", response={200: ChannelItemOut, **ERRORS}, tags=AARS)
def close_channel_item(request: HttpRequest, uid: UUID, payload: CloseIn):
    item = get_object_or_404(_channel_items(), uid=uid)
    services.close_item(actor=request.auth, item=item, version=payload.version, closure=payload.closure)
    return get_object_or_404(_channel_items(), uid=uid)
