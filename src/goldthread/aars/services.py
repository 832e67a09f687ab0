"""Every write to AARs and lessons: starting a report pre-filled from the event, writing it, the review workflow,
dissemination by the routing rules, channel items and the lessons lifecycle. Each is permission-checked and audited,
and keeps the report's score and the search index in step."""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from goldthread.aars import routing, score, selectors
from goldthread.aars.models import Action, ChannelItem, Comment, ObjectiveReview, Observation, Report
from goldthread.core import audit, records
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.core.permissions import allows, require
from goldthread.delivery import services as delivery
from goldthread.events.models import Event
from goldthread.planning.models import Conference, Item
from goldthread.search import index
from goldthread.strategy.models import Organization

REPORT_FIELDS = [
    "summary",
    "hotwash_held",
    "relationships",
    "capability",
    "interoperability",
    "access",
    "administration",
    "costs",
    "markings",
]
REVIEW_FIELDS = ["planned", "happened", "why", "indicator_evidence"]
OBSERVATION_FIELDS = [
    "title",
    "finding",
    "observation",
    "discussion",
    "recommendation",
    "claim",
    "objective_type",
    "indicator",
    "partner_unit",
    "dotmlpfp",
    "criticality",
    "channel",
    "analysis",
    "markings",
]
# What each lessons stage asks to be written when an observation reaches it.
STAGE_NEEDS: dict[str, list[str]] = {
    Observation.Stage.LESSON: ["corrective_action", "action_owner", "action_due"],
    Observation.Stage.RESOLVED: ["resolution"],
    Observation.Stage.VERIFIED: ["verification"],
}
STAGE_FIELDS = ["corrective_action", "action_owner", "action_due", "resolution", "verification"]
# Root-cause analysis (Observation.analysis): its keys, and how long its lists may be.
MAX_WHYS = 5
MAX_ASSUMPTIONS = 10
STARTABLE = (Event.Status.EXECUTING, Event.Status.COMPLETED, Event.Status.CLOSED)


def _editable(report: Report) -> None:
    if report.status not in Report.EDITABLE:
        raise DomainError.on(
            "status",
            f"The AAR is {report.get_status_display().lower()}; it can be changed only as a draft or "
            "when it is returned with comments.",
        )


def _rescore(report: Report) -> int:
    total = score.compute(selectors.content(report)).total
    if total != report.score:
        Report.objects.filter(pk=report.pk).update(score=total)
        report.score = total
    return total


def rescore_event(event: Event) -> None:
    """A value recorded for one of the event's collection tasks, or returned, moves its AAR's data score."""
    report = Report.objects.filter(event=event).first()
    if report:
        _rescore(report)


def prefill_fields(event: Event) -> dict[str, str]:
    """Planning conference content the author starts from: decisions, and commitments agreed with the partner."""
    items = Item.objects.filter(
        conference__event=event,
        conference__status=Conference.Status.APPROVED,
        kind__in=[Item.Kind.DECISION, Item.Kind.AGREEMENT],
    ).order_by("kind", "id")
    decisions = [f"- {i.text}" for i in items if i.kind == Item.Kind.DECISION]
    agreements = [f"- {i.text}" for i in items if i.kind == Item.Kind.AGREEMENT]
    return {
        "decisions": "Decided at the planning conferences:\n" + "\n".join(decisions) if decisions else "",
        "relationships": "Commitments agreed with the partner at planning conferences (say what became of each):\n"
        + "\n".join(agreements)
        if agreements
        else "",
    }


def start(*, actor: User, event: Event) -> Report:
    """Open the event's AAR as a draft, pre-filled: one review per claimed objective with what was planned (the
    claim's expected change and the conference decisions), the claim's indicator as a data-collection task, and the
    commitments agreed with the partner."""
    require(actor, "aars.add_report", event)
    if hasattr(event, "aar"):
        raise DomainError.on("event", f"{event.code} already has an AAR.")
    if event.status not in STARTABLE:
        raise DomainError.on(
            "event", f"{event.code} is {event.get_status_display().lower()}; an AAR is written once it is executing."
        )
    prefill = prefill_fields(event)
    with transaction.atomic():
        report = Report.objects.create(
            event=event,
            hotwash_due=event.end_date,
            due=selectors.final_due(event),
            relationships=prefill["relationships"],
        )
        for claim in event.claims.select_related("objective"):
            planned = claim.expected_change
            if claim.role == claim.Role.PRIMARY and prefill["decisions"]:
                planned += "\n\n" + prefill["decisions"]
            ObjectiveReview.objects.create(report=report, claim=claim, planned=planned)
        _rescore(report)
        audit.record(actor, "aar.started", report, {"event": event.code, "due": str(report.due)})
        index.put_record(report)
    return report


def update(
    *, actor: User, report: Report, version: int | None, fields: dict[str, Any], reviews: dict[int, dict] | None = None
) -> Report:
    """Write the report's own fields and its objective reviews ({claim id: {planned, happened, why, …}})."""
    require(actor, "aars.change_report", report)
    _editable(report)
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise DomainError.on(sorted(unknown)[0], "This field cannot be changed here.")
    stored = {r.claim_id: r for r in report.reviews.all()}
    for claim_id in reviews or {}:
        if claim_id not in stored:
            raise DomainError.on("reviews", f"Claim {claim_id} is not one of this event's claimed objectives.")
    before = audit.snapshot(report, list(fields))
    for name, value in fields.items():
        setattr(report, name, value)
    records.validate(report)
    with transaction.atomic():
        records.save_changes(report, version=version, changes=fields)
        changed_reviews = []
        for claim_id, typed in (reviews or {}).items():
            review = stored[claim_id]
            changes = {k: v for k, v in typed.items() if k in REVIEW_FIELDS and getattr(review, k) != v}
            if changes:
                ObjectiveReview.objects.filter(pk=review.pk).update(**changes)
                changed_reviews.append(review.claim.objective.code)
        _rescore(report)
        changes = audit.diff(before, audit.snapshot(report, list(fields)))
        if changed_reviews:
            changes["reviews"] = changed_reviews
        audit.record(actor, "aar.changed", report, changes)
        index.put_record(report)
    return report


def _check_analysis(analysis: Any) -> dict:
    """The root-cause work an observation carries: five whys, a root cause, a key-assumptions check."""
    if analysis in (None, ""):
        return {}
    if not isinstance(analysis, dict):
        raise DomainError.on("analysis", "Give the analysis as an object with five_whys, root_cause and assumptions.")
    unknown = set(analysis) - {"five_whys", "root_cause", "assumptions"}
    if unknown:
        raise DomainError.on("analysis", f"Unknown analysis part: {sorted(unknown)[0]}.")
    whys = analysis.get("five_whys", [])
    if not isinstance(whys, list) or len(whys) > MAX_WHYS or not all(isinstance(w, str) for w in whys):
        raise DomainError.on("analysis", f"Five whys: give at most {MAX_WHYS} answers, each as text.")
    root = analysis.get("root_cause", "")
    if not isinstance(root, str):
        raise DomainError.on("analysis", "The root cause is text.")
    assumptions = analysis.get("assumptions", [])
    if not isinstance(assumptions, list) or len(assumptions) > MAX_ASSUMPTIONS:
        raise DomainError.on("analysis", f"Key assumptions: give at most {MAX_ASSUMPTIONS}.")
    checked = []
    for n, entry in enumerate(assumptions, 1):
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("assumption"), str)
            or not entry["assumption"].strip()
            or not isinstance(entry.get("held"), bool)
            or not isinstance(entry.get("evidence", ""), str)
        ):
            raise DomainError.on(
                "analysis", f"Assumption {n}: give the assumption, whether it held (true or false), and the evidence."
            )
        checked.append(
            {"assumption": entry["assumption"].strip(), "held": entry["held"], "evidence": entry.get("evidence", "")}
        )
    found: dict[str, Any] = {}
    if any(w.strip() for w in whys):
        found["five_whys"] = [w.strip() for w in whys if w.strip()]
    if root.strip():
        found["root_cause"] = root.strip()
    if checked:
        found["assumptions"] = checked
    return found


def check_observation(report: Report, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(OBSERVATION_FIELDS)
    if unknown:
        raise DomainError.on(sorted(unknown)[0], "This field cannot be set on an observation.")
    fields = dict(fields)
    if "analysis" in fields:
        fields["analysis"] = _check_analysis(fields["analysis"])
    claim = fields.get("claim")
    if claim is not None:
        if claim.event_id != report.event_id:
            raise DomainError.on("claim", "Choose one of this event's claimed objectives.")
        # The claim says which type and indicator it serves: the observation inherits them unless told otherwise.
        if not fields.get("objective_type"):
            fields["objective_type"] = claim.objective_type
        if not fields.get("indicator"):
            fields["indicator"] = claim.indicator
    partner = fields.get("partner_unit")
    if partner is not None and not partner.is_partner:
        raise DomainError.on("partner_unit", f"{partner} is not a partner unit.")
    return fields


def add_observation(*, actor: User, report: Report, fields: dict[str, Any]) -> Observation:
    require(actor, "aars.change_report", report)
    _editable(report)
    fields = check_observation(report, fields)
    observation = Observation(report=report, **fields)
    records.validate(observation)
    with transaction.atomic():
        observation.save()
        _rescore(report)
        audit.record(actor, "observation.added", observation, audit.snapshot(observation, list(fields)))
    return observation


def update_observation(
    *, actor: User, observation: Observation, version: int | None, fields: dict[str, Any]
) -> Observation:
    report = observation.report
    require(actor, "aars.change_report", report)
    _editable(report)
    fields = check_observation(report, fields)
    before = audit.snapshot(observation, list(fields))
    for name, value in fields.items():
        setattr(observation, name, value)
    records.validate(observation)
    with transaction.atomic():
        records.save_changes(observation, version=version, changes=fields)
        _rescore(report)
        audit.record(
            actor, "observation.changed", observation, audit.diff(before, audit.snapshot(observation, list(fields)))
        )
    return observation


def remove_observation(*, actor: User, observation: Observation) -> None:
    report = observation.report
    require(actor, "aars.change_report", report)
    _editable(report)
    with transaction.atomic():
        audit.record(actor, "observation.removed", observation, {"title": observation.title})
        observation.delete()
        index.remove(observation.uid)
        _rescore(report)


def add_action(*, actor: User, report: Report, text: str, owner: Organization, due: date) -> Action:
    require(actor, "aars.change_report", report)
    _editable(report)
    action = Action(report=report, text=text.strip(), owner=owner, due=due)
    records.validate(action)
    with transaction.atomic():
        action.save()
        audit.record(actor, "aar.action_added", report, {"action": action.text, "owner": str(owner), "due": str(due)})
    return action


def set_action_done(*, actor: User, action: Action, done: bool) -> Action:
    """Follow-up actions are ticked off after the report is approved too: that is when they are worked."""
    require(actor, "aars.change_report", action.report)
    with transaction.atomic():
        Action.objects.filter(pk=action.pk).update(done=done)
        action.done = done
        audit.record(
            actor, "aar.action_done" if done else "aar.action_reopened", action.report, {"action": action.text}
        )
    return action


def _move(actor: User, report: Report, version: int | None, status: str, comment: str, **changes) -> Report:
    if not report.can_move_to(status):
        raise DomainError.on(
            "status",
            f"An AAR that is {report.get_status_display().lower()} cannot become "
            f"{Report.Status(status).label.lower()}.",
        )
    records.save_changes(report, version=version, changes={"status": status, **changes})
    if comment.strip():
        Comment.objects.create(report=report, author=actor, status=status, text=comment.strip())
    audit.record(actor, f"aar.{status.lower()}", report, {"comment": comment.strip()} if comment.strip() else {})
    index.put_record(report)
    return report


def _people(report: Report, permission: str, *, command: bool) -> list[User]:
    """Those of the executing unit (and, with `command`, of the unit above it) who hold `permission` on the report."""
    unit = report.event.executing_unit
    if unit is None:
        return []
    units = [unit, unit.parent] if command and unit.parent_id else [unit]
    return [u for u in routing.members(units) if allows(u, permission, report)]


def _tell(actor: User, report: Report, users: list[User], title: str, reason: str) -> None:
    delivery.notify(
        reason=reason,
        actor=actor,
        event=report.event,
        record=report,
        title=title,
        path=reverse("aar", args=[report.uid]),
        users=users,
    )


def submit(*, actor: User, report: Report, version: int | None, comment: str = "") -> Report:
    """Hand the report to review; it lands in the inboxes of those who may review it, in the unit and above."""
    require(actor, "aars.change_report", report)
    with transaction.atomic():
        _move(actor, report, version, Report.Status.SUBMITTED, comment, submitted_at=timezone.now())
        reviewers = [u for u in _people(report, "aars.review_report", command=True) if u != actor]
        _tell(actor, report, reviewers, f"AAR to review: {report.event} (score {report.score})", "Reviewer")
    return report


def return_for_changes(*, actor: User, report: Report, version: int | None, comment: str) -> Report:
    """Send the report back to its authors; the comment says what to change, is kept with the report, and the
    report lands back in the executing unit's inboxes."""
    require(actor, "aars.review_report", report)
    if not comment.strip():
        raise DomainError.on("comment", "Say what the author should change.")
    with transaction.atomic():
        _move(actor, report, version, Report.Status.RETURNED, comment)
        authors = [u for u in _people(report, "aars.change_report", command=False) if u != actor]
        _tell(actor, report, authors, f"AAR returned with comments: {report.event}", "Author")
    return report


def approve(*, actor: User, report: Report, version: int | None, comment: str = "") -> Report:
    """Approve the report and disseminate it at once: on approval it goes to everyone the routing rules name."""
    require(actor, "aars.review_report", report)
    with transaction.atomic():
        _move(actor, report, version, Report.Status.APPROVED, comment, approved_at=timezone.now(), approved_by=actor)
        return disseminate(actor=actor, report=report)


def disseminate(*, actor: User, report: Report) -> Report:
    """Deliver the approved report to its audience, route its critical observations to their channels and index
    its observations for search. Run again later, it reaches those who joined the audience since (a unit tasked for
    the next iteration after approval) and nobody twice."""
    require(actor, "aars.review_report", report)
    if report.status not in (Report.Status.APPROVED, Report.Status.DISSEMINATED):
        raise DomainError.on("status", "Only an approved AAR is disseminated.")
    event = report.event
    with transaction.atomic():
        delivery.deliver(
            actor=actor,
            event=event,
            record=report,
            title=f"After-action report, {event} (score {report.score})",
            path=reverse("aar", args=[report.uid]),
            recipients=routing.audience(report),
        )
        prefetch_related_objects([event], "countries")  # every observation's index entry names the country
        for observation in report.observations.select_related("partner_unit"):
            index_observation(observation)
            if routing.routed(observation):
                _route(actor, observation)
        if report.status == Report.Status.APPROVED:
            records.save_changes(
                report, version=None, changes={"status": Report.Status.DISSEMINATED, "disseminated_at": timezone.now()}
            )
            audit.record(actor, "aar.disseminated", report)
        index.put_record(report)
    return report


def _route(actor: User, observation: Observation) -> ChannelItem:
    item, created = ChannelItem.objects.get_or_create(
        observation=observation,
        defaults={
            "channel": observation.channel,
            "due": timezone.localdate() + timedelta(days=routing.CHANNEL_DAYS[observation.criticality]),
        },
    )
    if created:
        audit.record(actor, "channel_item.opened", item, {"channel": item.channel, "due": str(item.due)})
    delivery.deliver(
        actor=actor,
        event=observation.report.event,
        record=item,
        title=f"{observation.get_criticality_display()} — {item.get_channel_display()}: {observation.title}",
        path=reverse("channel-item", args=[item.uid]),
        recipients=routing.channel_audience(observation),
    )
    return item


def close_item(*, actor: User, item: ChannelItem, version: int | None, closure: str) -> ChannelItem:
    require(actor, "aars.close_channelitem", item)
    if item.closed_at:
        raise DomainError.on("closure", "This item is already closed.")
    if not closure.strip():
        raise DomainError.on("closure", "Say how the item was dealt with.")
    with transaction.atomic():
        records.save_changes(
            item, version=version, changes={"closed_at": timezone.now(), "closed_by": actor, "closure": closure.strip()}
        )
        audit.record(actor, "channel_item.closed", item, {"closure": closure.strip()})
    return item


def advance(
    *, actor: User, observation: Observation, stage: str, version: int | None, fields: dict[str, Any] | None = None
) -> Observation:
    """Move an observation of a disseminated AAR one step through the lessons lifecycle, with what the new stage
    asks for: a corrective action with owner and due date for a lesson, the resolution, the verifying evidence."""
    require(actor, "aars.manage_lesson", observation)
    fields = {k: v for k, v in (fields or {}).items() if v not in (None, "")}
    unknown = set(fields) - set(STAGE_FIELDS)
    if unknown:
        raise DomainError.on(sorted(unknown)[0], "This field is not part of the lessons lifecycle.")
    if observation.report.status != Report.Status.DISSEMINATED:
        raise DomainError.on("stage", "Observations become lessons once their AAR is approved.")
    if stage not in Observation.STAGES.get(observation.stage, ()):
        allowed = ", ".join(Observation.Stage(s).label.lower() for s in Observation.STAGES[observation.stage])
        raise DomainError.on(
            "stage",
            f"From {observation.get_stage_display().lower()} an observation can become: {allowed or 'nothing'}.",
        )
    for name in STAGE_NEEDS.get(stage, []):
        if not fields.get(name) and not getattr(observation, name):
            label = Observation._meta.get_field(name).verbose_name
            raise DomainError.on(name, f"A {Observation.Stage(stage).label.lower()} needs its {label}.")
    changes = {"stage": stage, **fields}
    before = audit.snapshot(observation, list(changes))
    for name, value in changes.items():
        setattr(observation, name, value)
    records.validate(observation)
    with transaction.atomic():
        records.save_changes(observation, version=version, changes=changes)
        index_observation(observation)
        audit.record(
            actor, "lesson.advanced", observation, audit.diff(before, audit.snapshot(observation, list(changes)))
        )
    return observation


def index_observation(observation: Observation) -> None:
    index.put_record(observation)


# Days past due after which a reminder also goes to the command above the executing unit.
ESCALATE_AFTER_DAYS = 14


def remind_overdue(*, today: date | None = None) -> int:
    """Put each overdue AAR back at the top of its executing unit's inboxes, unread; once it is more than
    `ESCALATE_AFTER_DAYS` late, in the inboxes of the command above the unit too (AAR-2). Returns how many."""
    today = today or timezone.localdate()
    reminded = 0
    for late in selectors.overdue(today):
        event, unit = late.event, late.event.executing_unit
        if unit is None:
            continue
        users = [u for u in routing.members([unit]) if u.has_perm("aars.change_report")]
        if late.days > ESCALATE_AFTER_DAYS and unit.parent_id:
            users += [u for u in routing.members([unit.parent]) if u.has_perm("aars.review_report")]
        if not users:
            continue
        record = late.report or event
        path = reverse("aar", args=[late.report.uid]) if late.report else reverse("event-aar", args=[event.uid])
        with transaction.atomic():
            delivery.notify(
                actor=None,
                event=event,
                record=record,
                title=f"Overdue AAR: {event} — due {late.due:%d %b %Y}, {late.days} days late",
                path=path,
                users=users,
                reason="Overdue AAR of your unit",
            )
        reminded += 1
    return reminded
