"""Every write to indicators, targets, measured values, period locks and assessments: permission-checked,
validated against the indicator's definition, and audited."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from goldthread.aars import services as aars
from goldthread.aars.models import Observation
from goldthread.core import audit, records
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.core.permissions import require
from goldthread.measures import periods, rollup, selectors
from goldthread.measures.models import CRITERIA, Assessment, Evidence, Indicator, Measurement, PeriodLock, Target
from goldthread.search import index
from goldthread.strategy.models import Objective
from goldthread.strategy.selectors import ancestor_ids

INDICATOR_FIELDS = [
    "code",
    "kind",
    "statement",
    "objective",
    "event",
    "rolls_up_to",
    "unit",
    "good",
    "data_source",
    "method",
    "frequency",
    "responsible",
    "disaggregations",
    "accumulation",
    "aggregation",
    "scale",
    "minimum",
    "maximum",
    "baseline_value",
    "baseline_date",
    "baseline_source",
    "criteria",
    "status",
    "markings",
]
MEASUREMENT_FIELDS = ["date", "value", "numerator", "denominator", "event", "disaggregation", "note", "markings"]
ASSESSMENT_FIELDS = ["period", "rating", "rationale", "confidence", "markings"]


# Indicators -----------------------------------------------------------------------------------------------------


def check_binding(indicator: Indicator) -> None:
    """A MOP measures our own doing (an event, or an event objective); a MOE the partner's change (an outcome
    objective). Holding one event to account for a MOE is the mistake this refuses (framework §2.6)."""
    if not indicator.objective_id and not indicator.event_id:
        raise DomainError.on("objective", "Bind the indicator to an objective or, for a MOP, to an event.")
    if indicator.kind == Indicator.Kind.MOE:
        if indicator.event_id:
            raise DomainError.on(
                "event",
                "A MOE measures whether the partner changed, which no single event can answer for: bind it to the "
                "objective the event serves, and the event's observations will feed it through its collection task.",
            )
        if indicator.objective.level not in Indicator.MOE_LEVELS:
            raise DomainError.on(
                "objective",
                f"{indicator.objective.code} is an event objective (a task or output): measure it with a MOP, "
                "and bind the MOE to the outcome objective above it.",
            )
    elif indicator.objective_id and indicator.objective.level not in Indicator.MOP_LEVELS:
        raise DomainError.on(
            "objective",
            f"{indicator.objective.code} is an outcome objective: a MOP asks whether we did the activity as "
            "planned, so bind it to an event or an event objective, and measure the outcome with a MOE.",
        )


def check_definition(indicator: Indicator) -> None:
    for name in ("scale", "disaggregations", "criteria"):
        if not isinstance(getattr(indicator, name), list):
            raise DomainError.on(name, f"Give {name} as a list (empty for none).")
    check_binding(indicator)
    if indicator.scale:
        try:
            values = [float(step["value"]) for step in indicator.scale]
            labels = [str(step["label"]).strip() for step in indicator.scale]
        except (TypeError, KeyError, ValueError) as exc:
            raise DomainError.on("scale", 'Give each step of the scale as {"value": 1, "label": "…"}.') from exc
        if len(set(values)) != len(values) or not all(labels) or len(values) < 2:
            raise DomainError.on(
                "scale", "A rating scale needs at least two steps, each a distinct value with an anchor."
            )
        if indicator.aggregation not in Indicator.RATING_AGGREGATIONS:
            raise DomainError.on(
                "aggregation", "Ratings on a scale can be averaged or the latest one taken, not added."
            )
    if indicator.minimum is not None and indicator.maximum is not None and indicator.minimum > indicator.maximum:
        raise DomainError.on("maximum", "The maximum is below the minimum.")
    if not isinstance(indicator.disaggregations, list) or not all(
        isinstance(d, str) and d.strip() for d in indicator.disaggregations
    ):
        raise DomainError.on("disaggregations", "List the breakdowns as names, e.g. sex, partner unit.")
    unknown = set(indicator.criteria) - set(CRITERIA)
    if unknown:
        raise DomainError.on("criteria", f"Unknown quality prompt: {', '.join(sorted(map(str, unknown)))}.")
    if indicator.rolls_up_to_id:
        _check_rolls_up_to(indicator, indicator.rolls_up_to)


def _check_rolls_up_to(indicator: Indicator, whole: Indicator) -> None:
    if whole.pk == indicator.pk or (indicator.pk and whole.pk in rollup.parts({indicator.pk})[indicator.pk]):
        raise DomainError.on("rolls_up_to", f"{whole.code} already rolls up to {indicator.code}: that would be a loop.")
    if (whole.unit, whole.aggregation, whole.scale) != (indicator.unit, indicator.aggregation, indicator.scale):
        raise DomainError.on(
            "rolls_up_to",
            f"{whole.code} counts {whole.unit!r} by {whole.get_aggregation_display().lower()}: a part must count the "
            "same unit the same way, or its values cannot be added into the whole.",
        )
    if whole.objective_id and whole.objective_id not in _objectives_served(indicator):
        raise DomainError.on(
            "rolls_up_to",
            f"{whole.code} measures {whole.objective.code}, which {indicator.code}'s objective does not serve: "
            "a part rolls up along the objective graph.",
        )


def _objectives_served(indicator: Indicator) -> set[int]:
    """The indicator's own objective (or its event's claimed objectives) and everything above them."""
    own = (
        {indicator.objective_id}
        if indicator.objective_id
        else set(indicator.event.claims.values_list("objective_id", flat=True))
    )
    return own | ancestor_ids(*own)


def create_indicator(*, actor: User, **fields: Any) -> Indicator:
    probe = Indicator(**fields)
    check_binding(probe)  # before reach: an unbound indicator has no scope to judge
    require(actor, "measures.add_indicator", probe.scope)
    with transaction.atomic():
        indicator = records.create(
            actor,
            Indicator,
            permission="measures.add_indicator",
            action="indicator.create",
            fields=fields,
            check=check_definition,
        )
        index.put_record(indicator)
    return indicator


def update_indicator(*, actor: User, indicator: Indicator, version: int | None, changes: dict[str, Any]) -> Indicator:
    with transaction.atomic():
        records.update(
            actor,
            indicator,
            permission="measures.change_indicator",
            action="indicator.update",
            version=version,
            changes=changes,
            check=check_definition,
        )
        index.put_record(indicator)
    return indicator


def set_target(*, actor: User, indicator: Indicator, period: str, value: float | None) -> Target | None:
    """Set the target for a period, or remove it with `value=None`."""
    require(actor, "measures.change_indicator", indicator)
    if not periods.is_valid(period):
        raise DomainError.on("period", f"{period!r} is not a fiscal period; write FY2027 or FY2027-Q2.")
    with transaction.atomic():
        if value is None:
            deleted, _ = Target.objects.filter(indicator=indicator, period=period).delete()
            if deleted:
                audit.record(actor, "indicator.target", indicator, {period: None})
            return None
        _check_value(indicator, value, "value")
        target, _ = Target.objects.update_or_create(indicator=indicator, period=period, defaults={"value": value})
        audit.record(actor, "indicator.target", indicator, {period: value})
    return target


# Measured values ------------------------------------------------------------------------------------------------


def _check_value(indicator: Indicator, value: float, field: str) -> None:
    if indicator.is_rating and float(value) not in indicator.anchors:
        steps = ", ".join(f"{v:g}" for v in indicator.anchors)
        raise DomainError.on(field, f"{indicator.code} is rated on a scale: give one of {steps}.")
    if indicator.minimum is not None and value < indicator.minimum:
        raise DomainError.on(field, f"{value:g} is below {indicator.code}'s minimum of {indicator.minimum:g}.")
    if indicator.maximum is not None and value > indicator.maximum:
        raise DomainError.on(field, f"{value:g} is above {indicator.code}'s maximum of {indicator.maximum:g}.")


def check_unlocked(indicator: Indicator, period: str) -> None:
    lock = next((lock for lock in indicator.locks.all() if periods.covers(lock.period, period)), None)
    if lock:
        raise DomainError.on(
            "date",
            f"{period} of {indicator.code} is locked (by {lock.locked_by} on {lock.locked_at:%d %b %Y}): its approved "
            "values are final. Ask whoever locks periods to unlock it if a value must change.",
        )


def check_measurement(m: Measurement) -> None:
    """The indicator's definition applied to one value: type, scale, range, ratio parts, breakdowns, event, lock."""
    indicator = m.indicator
    if indicator.status != Indicator.Status.ACTIVE:
        raise DomainError.on("indicator", f"{indicator.code} is retired and takes no new values.")
    if m.date > timezone.localdate():
        raise DomainError.on("date", "A measured value describes a day that has passed; this date is in the future.")
    if indicator.aggregation == Indicator.Aggregation.RATIO:
        if m.numerator is None or m.denominator is None:
            raise DomainError.on("denominator", f"{indicator.code} is a ratio: give the numerator and the denominator.")
        if m.denominator <= 0:
            raise DomainError.on("denominator", "The denominator must be above zero.")
        m.value = m.numerator / m.denominator
    elif m.numerator is not None or m.denominator is not None:
        raise DomainError.on("numerator", f"{indicator.code} is not a ratio: give the value alone.")
    _check_value(indicator, m.value, "value")
    if not isinstance(m.disaggregation, dict):
        raise DomainError.on("disaggregation", "Give the breakdown as names and values.")
    unknown = set(m.disaggregation) - set(indicator.disaggregations)
    if unknown:
        allowed = ", ".join(indicator.disaggregations) or "none"
        raise DomainError.on(
            "disaggregation",
            f"{indicator.code} is not broken down by {', '.join(sorted(unknown))} (it takes: {allowed}).",
        )
    if m.event_id and not selectors.is_task(indicator, m.event):
        raise DomainError.on(
            "event",
            f"{m.event.code} does not collect {indicator.code}: it neither carries the MOP nor claims the objective "
            "the MOE measures.",
        )
    check_unlocked(indicator, periods.quarter_of(m.date))


def record(
    *,
    actor: User,
    indicator: Indicator,
    source: str = Measurement.Source.FORM,
    submit: bool = True,
    **fields: Any,
) -> Measurement:
    """Record a measured value; submitted for approval at once unless `submit=False` keeps it a draft."""
    fields = {"disaggregation": {}, **fields}
    m = Measurement(indicator=indicator, recorded_by=actor, source=source, **fields)
    require(actor, "measures.add_measurement", m.scope)
    records.validate(m, exclude=["period"])
    check_measurement(m)
    m.status = Measurement.Status.SUBMITTED if submit else Measurement.Status.DRAFT
    with transaction.atomic():
        m.save()
        audit.record(actor, "measurement.create", m, audit.snapshot(m, [*MEASUREMENT_FIELDS, "status", "source"]))
        if m.event_id:
            aars.rescore_event(m.event)
    return m


def update_measurement(
    *, actor: User, measurement: Measurement, version: int | None, changes: dict[str, Any]
) -> Measurement:
    if measurement.status not in Measurement.EDITABLE:
        raise DomainError.on(
            "status",
            f"This value is {measurement.get_status_display().lower()}; only a draft or returned one is edited.",
        )
    check_unlocked(measurement.indicator, measurement.period)
    changes = dict(changes)
    if "date" in changes:
        if not isinstance(changes["date"], date):
            raise DomainError.on("date", "Give the day the value describes.")
        changes["period"] = periods.quarter_of(changes["date"])
    if measurement.indicator.aggregation == Indicator.Aggregation.RATIO and (
        {"numerator", "denominator"} & set(changes)
    ):
        num = changes.get("numerator", measurement.numerator)
        den = changes.get("denominator", measurement.denominator)
        if num is not None and den:
            changes["value"] = num / den
    return records.update(
        actor,
        measurement,
        permission="measures.change_measurement",
        action="measurement.update",
        version=version,
        changes=changes,
        check=check_measurement,
    )


def _move(actor: User, m: Measurement, version: int | None, status: str, **extra: Any) -> Measurement:
    if not m.can_move_to(status):
        raise DomainError.on(
            "status",
            f"A {m.get_status_display().lower()} value cannot become {Measurement.Status(status).label.lower()}.",
        )
    check_unlocked(m.indicator, m.period)
    with transaction.atomic():
        records.save_changes(m, version=version, changes={"status": status, **extra})
        if m.event_id:
            aars.rescore_event(m.event)
        audit.record(
            actor, f"measurement.{status.lower()}", m, {"status": status, **{k: str(v) for k, v in extra.items()}}
        )
    return m


def submit(*, actor: User, measurement: Measurement, version: int | None = None) -> Measurement:
    require(actor, "measures.change_measurement", measurement)
    return _move(actor, measurement, version, Measurement.Status.SUBMITTED, return_reason="")


def approve(*, actor: User, measurement: Measurement, version: int | None = None) -> Measurement:
    """Approve a submitted value: from now on it counts in every roll-up. Nobody approves their own value."""
    require(actor, "measures.approve_measurement", measurement)
    if measurement.recorded_by_id == actor.pk:
        raise DomainError.on("status", "You recorded this value: someone else approves it.")
    return _move(
        actor, measurement, version, Measurement.Status.APPROVED, approved_by=actor, approved_at=timezone.now()
    )


def return_(*, actor: User, measurement: Measurement, reason: str, version: int | None = None) -> Measurement:
    require(actor, "measures.approve_measurement", measurement)
    if not reason.strip():
        raise DomainError.on("reason", "Say what is wrong with the value, so that whoever recorded it can fix it.")
    return _move(actor, measurement, version, Measurement.Status.RETURNED, return_reason=reason.strip())


def lock(*, actor: User, indicator: Indicator, period: str) -> PeriodLock:
    """Close a period to edits once its values are approved: nothing may still wait for approval in it."""
    require(actor, "measures.lock_period", indicator)
    if not periods.is_valid(period):
        raise DomainError.on("period", f"{period!r} is not a fiscal period; write FY2027 or FY2027-Q2.")
    waiting = [
        m
        for m in indicator.measurements.exclude(status=Measurement.Status.APPROVED).only("period", "status")
        if periods.covers(period, m.period)
    ]
    if waiting:
        raise DomainError.on(
            "period",
            f"{len(waiting)} value(s) of {indicator.code} in {period} are not approved yet: approve or return them "
            "before locking the period.",
        )
    if PeriodLock.objects.filter(indicator=indicator, period=period).exists():
        raise DomainError.on("period", f"{period} of {indicator.code} is already locked.")
    with transaction.atomic():
        found = PeriodLock.objects.create(indicator=indicator, period=period, locked_by=actor, locked_at=timezone.now())
        audit.record(actor, "indicator.lock", indicator, {"period": period})
    return found


def unlock(*, actor: User, indicator: Indicator, period: str) -> None:
    require(actor, "measures.lock_period", indicator)
    with transaction.atomic():
        deleted, _ = PeriodLock.objects.filter(indicator=indicator, period=period).delete()
        if not deleted:
            raise DomainError.on("period", f"{period} of {indicator.code} is not locked.")
        audit.record(actor, "indicator.unlock", indicator, {"period": period})


# Assessments ----------------------------------------------------------------------------------------------------


def independence(actor: User, objective: Objective) -> str:
    """Independent only when an assessor outside the objective's owning organization rates it; anyone else rating
    is self-assessment, which RAND found biased (EVAL-3). Derived, so that nobody can tick the box."""
    is_assessor = actor.groups.filter(name="assessor").exists()
    owner = objective.owner
    inside = bool(owner and actor.organization_id and actor.organization_id in owner.subtree_ids())
    return Assessment.Independence.INDEPENDENT if is_assessor and not inside else Assessment.Independence.SELF


def _check_assessment(a: Assessment) -> None:
    if not periods.is_valid(a.period):
        raise DomainError.on("period", f"{a.period!r} is not a fiscal period; write FY2027 or FY2027-Q2.")


def create_assessment(*, actor: User, objective: Objective, **fields: Any) -> Assessment:
    require(actor, "measures.add_assessment", objective.scope)
    return records.create(
        actor,
        Assessment,
        permission="measures.add_assessment",
        action="assessment.create",
        fields={**fields, "objective": objective, "assessor": actor, "independence": independence(actor, objective)},
        check=_check_assessment,
    )


def _check_draft(a: Assessment) -> None:
    if a.status != Assessment.Status.DRAFT:
        raise DomainError.on("status", "A submitted assessment is part of the record; write a new one for a change.")


def update_assessment(
    *, actor: User, assessment: Assessment, version: int | None, changes: dict[str, Any]
) -> Assessment:
    _check_draft(assessment)
    return records.update(
        actor,
        assessment,
        permission="measures.change_assessment",
        action="assessment.update",
        version=version,
        changes=changes,
        check=_check_assessment,
    )


def cite(
    *,
    actor: User,
    assessment: Assessment,
    kind: str,
    indicator: Indicator | None = None,
    observation: Observation | None = None,
    document: str = "",
    note: str = "",
) -> Evidence:
    """Add one piece of evidence to a draft assessment."""
    require(actor, "measures.change_assessment", assessment)
    _check_draft(assessment)
    cited = {Evidence.Kind.INDICATOR: indicator, Evidence.Kind.OBSERVATION: observation}.get(kind, document.strip())
    if kind not in Evidence.Kind.values:
        raise DomainError.on("kind", f"Evidence is one of: {', '.join(Evidence.Kind.values)}.")
    if not cited:
        field = {Evidence.Kind.INDICATOR: "indicator", Evidence.Kind.OBSERVATION: "observation"}.get(kind, "document")
        raise DomainError.on(field, f"Name the {Evidence.Kind(kind).label.lower()} this evidence cites.")
    evidence = Evidence(
        assessment=assessment,
        kind=kind,
        indicator=indicator if kind == Evidence.Kind.INDICATOR else None,
        observation=observation if kind == Evidence.Kind.OBSERVATION else None,
        document=document.strip() if kind == Evidence.Kind.DOCUMENT else "",
        note=note.strip(),
    )
    records.validate(evidence)
    with transaction.atomic():
        evidence.save()
        audit.record(actor, "assessment.cite", assessment, {"evidence": str(evidence)})
    return evidence


def uncite(*, actor: User, evidence: Evidence) -> None:
    assessment = evidence.assessment
    require(actor, "measures.change_assessment", assessment)
    _check_draft(assessment)
    with transaction.atomic():
        evidence.delete()
        audit.record(actor, "assessment.uncite", assessment, {"evidence": str(evidence)})


def submit_assessment(*, actor: User, assessment: Assessment, version: int | None = None) -> Assessment:
    """Submit: from now on the assessment is part of the objective's history. Without evidence it is an opinion,
    and is refused."""
    require(actor, "measures.change_assessment", assessment)
    _check_draft(assessment)
    if not assessment.evidence.exists():
        raise DomainError.on(
            "evidence",
            "Cite at least one piece of evidence (indicator values, an AAR observation or a document) before "
            "submitting: an assessment without evidence cannot be checked.",
        )
    if not assessment.rationale.strip():
        raise DomainError.on("rationale", "Say why the evidence supports this rating.")
    with transaction.atomic():
        records.save_changes(
            assessment, version=version, changes={"status": Assessment.Status.SUBMITTED, "submitted_at": timezone.now()}
        )
        audit.record(actor, "assessment.submit", assessment, {"status": Assessment.Status.SUBMITTED})
    return assessment
