"""Demo after-action reports of varied quality, and the lessons drawn from them.

Most executed events have a disseminated AAR: a third thorough, half typical, the rest thin (the unit's own training
and its administrative friction, little about the partner — the AAR-1 problem). About one in eight has none and
shows as overdue. A few recent ones sit in every workflow state, so each role finds work: a draft at the 3-25 IBCT,
one returned to the executor with comments, one submitted for the unit planner to review.

Improve items are carried through the lessons lifecycle at varied stages; critical access blockers and partner
requests go to their channels, and the older ones are closed.

The reports of past events are a bulk import (docs/decisions/0007-demo-loader-writes-directly.md): they are written
straight to the tables, with the rows the AAR services would have left after each step — the reviews pre-filled from
the claims and conferences, the score, the deliveries to the routing rules' audience, the channel items, the search
entries — found by the same rule code, but without a permission check, an audit entry and a rescore per step. The two
workflow examples the demo users act on are written through the AAR services, like a unit's own.
"""

import random
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from goldthread.aars import routing, score, selectors, services
from goldthread.aars.models import ChannelItem, ObjectiveReview, Observation, Report
from goldthread.core.models import User
from goldthread.core.permissions import Scope, allows
from goldthread.delivery import services as delivery
from goldthread.delivery.models import Delivery
from goldthread.demo.rules import require, valid
from goldthread.events.models import ContributionClaim, Event
from goldthread.planning.models import Conference
from goldthread.search import documents, index
from goldthread.strategy.models import Organization

# Observations by objective type: title, finding, observation, discussion, recommendation, DOTMLPF-P.
ITEMS: dict[str, list[tuple[str, str, str, str, str, str]]] = {
    "REL": [
        (
            "Key leader engagement schedule set by the partner",
            "SUSTAIN",
            "The {partner} commander set the office-call schedule and attended every day.",
            "Letting the partner host built trust; the commander asked for the same format next iteration.",
            "Keep partner-hosted engagements in the concept at the IPC.",
            "LEADERSHIP",
        ),
        (
            "Counterpart rotated before the exercise",
            "IMPROVE",
            "The {partner} operations officer we planned with at the MPC had rotated before execution.",
            "Nobody handed over the commitments made at the MPC, so two of them were reopened on day one.",
            "Record partner commitments in the country folder and confirm the counterpart at the FPC.",
            "ORGANIZATION",
        ),
    ],
    "CAP": [
        (
            "Partner staff planned a combined response to standard",
            "SUSTAIN",
            "The {partner} staff produced a combined HADR plan meeting 4 of 5 rubric criteria without U.S. help.",
            "Two iterations of the same staff drill built the skill; the remaining gap is logistics estimates.",
            "Keep the staff drill and add a logistics estimate block.",
            "TRAINING",
        ),
        (
            "Interpreters too few for staff work",
            "IMPROVE",
            "Two interpreters supported a brigade staff; the {partner} planners waited for translation each cycle.",
            "The interpreter request was sized at the PDSS for the field phase only, not for staff sections.",
            "Request one interpreter per staff section at the IPC and budget them in the fiscal year plan.",
            "PERSONNEL",
        ),
        (
            "Medical evacuation rehearsal showed gaps",
            "IMPROVE",
            "The {partner} medevac rehearsal took 95 minutes against a 60-minute standard.",
            "Radio procedures differed and the landing zone was not marked to the partner's standard.",
            "Add a combined medevac rehearsal in the first week and agree landing-zone marking at the FPC.",
            "TRAINING",
        ),
    ],
    "INT": [
        (
            "Radios would not net with the partner",
            "IMPROVE",
            "U.S. and {partner} radios could not share a net; liaison officers relayed by phone.",
            "No communications exercise was held before the FTX; crypto and frequency plans arrived late.",
            "Hold a communications exercise at least 30 days out and agree the frequency plan at the MPC.",
            "MATERIEL",
        ),
        (
            "Combined operations center worked from day two",
            "SUSTAIN",
            "The combined operations center with {partner} officers ran shared battle rhythm events from day two.",
            "A joint SOP drafted at the FPC gave both sides the same reporting formats.",
            "Keep the joint SOP and update it from this AAR.",
            "DOCTRINE",
        ),
    ],
    "ACC": [
        (
            "Customs held equipment at the port",
            "IMPROVE",
            "Unit equipment was held nine days in customs before release to the exercise area.",
            "The equipment list reached the SCO 20 days before arrival instead of 45; the customs waiver lapsed.",
            "Send the equipment list 45 days out and have the SCO confirm the waiver at the FPC.",
            "POLICY",
        ),
        (
            "Country clearance approved late",
            "IMPROVE",
            "Eleven travelers received country clearance two days before departure.",
            "APACS requests went in 21 days out against a 30-day lead time; training dates were missing.",
            "Use the readiness board's deadlines and submit APACS requests 45 days out.",
            "POLICY",
        ),
    ],
}
THIN_ITEMS = [
    ("Unit training went well", "SUSTAIN", "Soldiers completed their individual weapons qualification.", "", "", ""),
    ("Billeting was late", "IMPROVE", "Billeting was not ready on arrival.", "", "", "FACILITIES"),
]
STAGE_PATH = ["VALIDATED", "LESSON", "RESOLVED", "VERIFIED"]
NEVER_WRITTEN = 8  # one event in this many has no AAR at all
STILL_WRITTEN_DAYS = 45  # the AAR of an event that ended this recently is still a draft
CLOSED_AFTER_DAYS = 240  # the channel items of an event that ended longer ago have been dealt with
CLOSURE = "Raised with the SCO; resolved."


@dataclass
class Draft:
    """What a unit writes into its AAR: the report's own fields, the answers of its reviews ({claim id: fields}) and
    its observations, each as `services.add_observation` takes them."""

    fields: dict[str, Any]
    reviews: dict[int, dict[str, str]]
    observations: list[dict[str, Any]]


def _draft(event: Event, claims: list[ContributionClaim], partner: Organization | None, quality: str, rng) -> Draft:
    name = partner.short_name if partner else "partner"
    types = sorted({c.objective_type for c in claims})
    fields = {
        "summary": f"{event.name} was executed from {event.start_date:%d %b} to {event.end_date:%d %b %Y} with {name}.",
        "hotwash_held": event.end_date,
        "administration": "Two travelers waited on official passports; one APACS request needed more information.",
    }
    reviews = {}
    if quality != "thin":
        for n, claim in enumerate(claims):
            done = quality == "thorough" or n == 0
            reviews[claim.pk] = {
                "happened": f"{name} took part as planned; see the {claim.get_objective_type_display().lower()} "
                "section."
                if done
                else "",
                "why": "Planning conferences settled the concept early and the partner kept its commitments."
                if done
                else "",
                "indicator_evidence": f"Observed by the evaluator: {claim.indicator} improved by one step."
                if claim.indicator and (quality == "thorough" or rng.random() < 0.5)
                else "",
            }
        for objective_type in types if quality == "thorough" else types[:1]:
            fields[selectors.SECTION_FIELDS[objective_type]] = ITEMS[objective_type][0][2].format(partner=name)
        fields["costs"] = f"About ${rng.randint(40, 900)},000 in travel, transport and per diem."
    pool = [(t, item) for t in types for item in ITEMS[t]] or [("CAP", i) for i in ITEMS["CAP"]]
    chosen = rng.sample(pool, k=min(len(pool), 3 if quality == "thorough" else 2))
    if quality == "thin":
        chosen = [("", item) for item in THIN_ITEMS]
    observations = []
    for objective_type, (title, finding, observation, discussion, recommendation, dotmlpfp) in chosen:
        found = {
            "title": title,
            "finding": finding,
            "observation": observation.format(partner=name),
            "discussion": discussion if quality == "thorough" or finding == "IMPROVE" else "",
            "recommendation": recommendation if quality == "thorough" else "",
            "claim": next((c for c in claims if c.objective_type == objective_type), None),
            "objective_type": objective_type,
            "dotmlpfp": dotmlpfp,
            "partner_unit": partner if quality != "thin" else None,
        }
        if quality == "thorough" and finding == "IMPROVE" and dotmlpfp == "POLICY":
            critical = rng.random() < 0.5
            found["criticality"] = Observation.Criticality.CRITICAL if critical else Observation.Criticality.SIGNIFICANT
            found["channel"] = Observation.Channel.ACCESS_BLOCKER
            found["analysis"] = {
                "five_whys": [
                    "The request went in late.",
                    "The unit learned the lead time from the SCO two weeks before.",
                    "The lead time was not in the unit's planning calendar.",
                ],
                "root_cause": "Lead times lived in e-mails, not in the unit's planning products.",
                "assumptions": [
                    {"assumption": "Customs waivers carry over between iterations", "held": False, "evidence": "SCO"}
                ],
            }
        observations.append(found)
    return Draft(fields, reviews, observations)


def _lesson_stages(draft: Draft, age: int, rng: random.Random) -> list[list[str]]:
    """How far through the lessons lifecycle each observation of a disseminated report has come: improve items some
    way, the older the further; sustain items not at all."""
    return [
        STAGE_PATH[: min(len(STAGE_PATH), rng.randint(0, 1 + age // 180))] if fields["finding"] == "IMPROVE" else []
        for fields in draft.observations
    ]


def _stage_fields(stage: str, observation: Observation, event: Event) -> dict[str, Any]:
    """What the lessons manager writes when the observation reaches `stage`."""
    return {
        "LESSON": {
            "corrective_action": observation.recommendation or "Add the lead time to the planning calendar.",
            "action_owner": event.executing_unit,
            "action_due": event.end_date + timedelta(days=120),
        },
        "RESOLVED": {"resolution": "Added to the unit's planning SOP and to the country folder."},
        "VERIFIED": {"verification": "The next iteration's AAR reports no recurrence."},
    }.get(stage, {})


def _workflow_times(event: Event, due: date) -> tuple[datetime, datetime, datetime]:
    """When an old report was submitted, approved and disseminated, as a unit would have done it: about three in four
    in by the due date, the rest up to two months late — what data discipline measures. From the event's code, so the
    seeded generator's sequence is unchanged."""
    spread = zlib.crc32(f"{event.code}:aar".encode())
    end = event.end_date
    submitted = end + timedelta(days=5 + spread % 24) if spread % 4 else due + timedelta(days=3 + spread % 57)
    at = datetime.combine(submitted, time(14), tzinfo=UTC)
    return at, at + timedelta(days=4), at + timedelta(days=6)


def _latest(unit: Organization | None) -> Event | None:
    return (
        Event.objects.filter(executing_unit=unit, status__in=services.STARTABLE, aar__isnull=True)
        .order_by("-end_date")
        .first()
    )


def _write(report: Report, quality: str, rng: random.Random, actor: User) -> None:
    """Write the report as its unit would, through the AAR services."""
    event = report.event
    partner = event.partner_units.order_by("short_name").first()
    draft = _draft(event, list(event.claims.select_related("objective")), partner, quality, rng)
    services.update(actor=actor, report=report, version=None, fields=draft.fields, reviews=draft.reviews)
    for fields in draft.observations:
        services.add_observation(actor=actor, report=report, fields=fields)


def load_aars(today: date, seed: int = 2018) -> int:
    """AARs for executed events that have none; returns how many AARs the demo holds. Idempotent."""
    rng = random.Random(seed)
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "planner", "unitplanner", "executor"])}
    # The executor's and the unit planner's latest events are kept for the workflow examples.
    examples = {
        role: None if Report.objects.filter(status=status).exists() else _latest(users[role].organization)
        for role, status in (("executor", Report.Status.RETURNED), ("unitplanner", Report.Status.SUBMITTED))
    }
    executed = (
        Event.objects.filter(status__in=services.STARTABLE, aar__isnull=True, end_date__lt=today)
        .exclude(pk__in=[e.pk for e in examples.values() if e])
        .select_related("executing_unit__parent", "series")
        # What the reports and the routing rules read of each event, in a few queries for all of them.
        .prefetch_related(
            "countries",
            "partner_units",  # by short name, so the first is the partner the report names
            "supporting_units",
            Prefetch("claims", ContributionClaim.objects.select_related("objective")),
        )
        .order_by("end_date", "code")
    )
    written = _Written(users["admin"], users["planner"], today)
    for event in executed:
        recent = (today - event.end_date).days <= STILL_WRITTEN_DAYS
        # Decided by the event itself, not by its place in the list, so a second run skips the same events.
        if zlib.crc32(event.code.encode()) % NEVER_WRITTEN == 0 and not recent:
            continue
        quality = rng.choice(["thorough", "thorough", "typical", "typical", "typical", "thin"])
        draft = _draft(event, list(event.claims.all()), next(iter(event.partner_units.all()), None), quality, rng)
        # A recent report is still being written; the others went through review to the lessons managers.
        stages = None if recent else _lesson_stages(draft, (today - event.end_date).days, rng)
        written.add(event, draft, stages)
    written.save()
    executor, unitplanner = users["executor"], users["unitplanner"]
    if examples["executor"]:
        # Returned to the executor with the reviewer's comments.
        report = services.start(actor=executor, event=examples["executor"])
        _write(report, "thin", rng, executor)
        services.submit(actor=executor, report=report, version=None)
        services.return_for_changes(
            actor=unitplanner,
            report=report,
            version=None,
            comment="Say what the partner staff could do on their own, and name the partner unit in the "
            "observations: the desk officer needs it for the country assessment.",
        )
    if examples["unitplanner"]:
        # Submitted, waiting for the unit planner's review.
        report = services.start(actor=unitplanner, event=examples["unitplanner"])
        _write(report, "typical", rng, unitplanner)
        services.submit(actor=unitplanner, report=report, version=None)
    return Report.objects.count()


@dataclass
class _Entry:
    report: Report
    draft: Draft
    stages: list[list[str]] | None  # the lessons stages of each observation; None while the report is a draft
    decisions: str  # the planning conferences' decisions, which the primary claim's review starts from


class _Written:
    """The reports of one load, saved in bulk as the AAR services would have left them after their steps: started
    by the administrator (pre-filled), written, submitted (the reviewers told), approved and disseminated (delivered,
    critical items routed, observations indexed), and carried through the lessons lifecycle by the planner, who
    closed the old channel items. Rows go into each table in the order the step-by-step path wrote them (the search
    index aside, which is filled as a rebuild fills it)."""

    def __init__(self, admin: User, planner: User, today: date):
        self.admin, self.planner, self.today = admin, planner, today
        self.now = timezone.now()
        self.entries: list[_Entry] = []
        # Only the events of approved planning conferences have anything to pre-fill a report with.
        self.with_conferences = set(
            Conference.objects.filter(status=Conference.Status.APPROVED).values_list("event_id", flat=True)
        )
        self.members: dict[tuple[Organization, ...], list[User]] = {}
        self.may_review: dict[tuple[User, Scope], bool] = {}

    def add(self, event: Event, draft: Draft, stages: list[list[str]] | None) -> None:
        """Add the report of `event`; `stages` (per observation) if it was disseminated, None for a draft."""
        prefill = {"relationships": "", "decisions": ""}
        if event.pk in self.with_conferences:
            prefill = services.prefill_fields(event)
        report = Report(
            event=event,
            hotwash_due=event.end_date,
            due=selectors.final_due(event),
            **{"relationships": prefill["relationships"], **draft.fields},
            version=2,  # started, then written
        )
        if stages is not None:
            report.submitted_at, report.approved_at, report.disseminated_at = _workflow_times(event, report.due)
            report.status, report.approved_by, report.version = Report.Status.DISSEMINATED, self.admin, 5
        self.entries.append(_Entry(report, draft, stages, prefill["decisions"]))

    def save(self) -> None:
        if not self.entries:
            return
        reports = [entry.report for entry in self.entries]
        valid(reports)
        Report.objects.bulk_create(reports)
        reviews = [review for entry in self.entries for review in self._reviews(entry)]
        observations = [observation for entry in self.entries for observation in self._observations(entry)]
        valid(reviews)
        valid(observations)
        ObjectiveReview.objects.bulk_create(reviews)
        Observation.objects.bulk_create(observations)
        for report in reports:
            report.score = score.compute(selectors.content(report)).total
        Report.objects.bulk_update(reports, ["score"])
        # Only dissemination routes critical items to their channels (and makes observations searchable).
        disseminated = [o for o in observations if o.report.status == Report.Status.DISSEMINATED]
        items = ChannelItem.objects.bulk_create(self._channel_item(o) for o in disseminated if routing.routed(o))
        # The entries the services would have left, from the search index's own builders, in a few queries.
        index.reindex(kinds=[documents.REPORT, documents.OBSERVATION], missing_only=True)
        routed: dict[int, list[ChannelItem]] = {}
        for item in items:
            routed.setdefault(item.observation.report_id, []).append(item)
        sent = Delivery.objects.bulk_create(
            found
            for report in reports
            if report.status == Report.Status.DISSEMINATED
            for found in self._deliveries(report, routed.get(report.pk, []))
        )
        uids = [d.uid for d in sent]
        transaction.on_commit(lambda: delivery.send_emails(uids))

    def _reviews(self, entry: _Entry) -> list[ObjectiveReview]:
        """One review per claim, pre-filled with what was planned, answered as the unit wrote it."""
        reviews = []
        for claim in entry.report.event.claims.all():
            planned = claim.expected_change
            if claim.role == claim.Role.PRIMARY and entry.decisions:
                planned += "\n\n" + entry.decisions
            answers = entry.draft.reviews.get(claim.pk, {})
            reviews.append(ObjectiveReview(report=entry.report, claim=claim, planned=planned, **answers))
        return reviews

    def _observations(self, entry: _Entry) -> list[Observation]:
        """The observations as written, then moved through the lessons stages the way `services.advance` does."""
        report, found = entry.report, []
        stages = entry.stages or [[]] * len(entry.draft.observations)
        for fields, path in zip(entry.draft.observations, stages, strict=True):
            observation = Observation(report=report, **services.check_observation(report, fields))
            for stage in path:
                written = _stage_fields(stage, observation, report.event).items()
                changes = {name: value for name, value in written if value not in (None, "")}
                require(stage in Observation.STAGES[observation.stage], f"{observation}: cannot become {stage}")
                for name, value in {"stage": stage, **changes}.items():
                    setattr(observation, name, value)
                lacking = [name for name in services.STAGE_NEEDS.get(stage, []) if not getattr(observation, name)]
                require(not lacking, f"{observation}: a {stage.lower()} needs {', '.join(lacking)}")
            observation.version = 1 + len(path)  # each step of the lifecycle is a write
            found.append(observation)
        return found

    def _channel_item(self, observation: Observation) -> ChannelItem:
        item = ChannelItem(
            observation=observation,
            channel=observation.channel,
            # From the wall clock, as routing on approval dates it.
            due=timezone.localdate() + timedelta(days=routing.CHANNEL_DAYS[observation.criticality]),
        )
        if observation.report.event.end_date < self.today - timedelta(days=CLOSED_AFTER_DAYS):
            item.closed_at, item.closed_by, item.closure, item.version = self.now, self.planner, CLOSURE, 2
        return item

    def _deliveries(self, report: Report, routed: list[ChannelItem]) -> list[Delivery]:
        """What submission and dissemination put in inboxes: the report to review for the reviewers of the unit and
        the command above it, the report to the routing rules' audience, each routed item to its channel."""
        event, path = report.event, reverse("aar", args=[report.uid])
        reviewers = self._reviewers(report)
        found = [
            self._delivery(user, event, report, f"AAR to review: {event} (score {report.score})", path, "Reviewer")
            for user in {u for u in reviewers if u.is_active}
        ]
        title = f"After-action report, {event} (score {report.score})"
        found += [
            self._delivery(user, event, report, title, path, reason)
            for user, reason in routing.audience(report).items()
            if user.is_active and user not in reviewers
        ]
        for item in routed:
            observation = item.observation
            title = f"{observation.get_criticality_display()} — {item.get_channel_display()}: {observation.title}"
            path = reverse("channel-item", args=[item.uid])
            found += [
                self._delivery(user, event, item, title, path, reason)
                for user, reason in routing.channel_audience(observation).items()
                if user.is_active
            ]
        return found

    def _reviewers(self, report: Report) -> list[User]:
        """Those who may review the report in its executing unit and the command above it, except its approver."""
        unit = report.event.executing_unit
        if unit is None:
            return []
        units = (unit, unit.parent) if unit.parent_id else (unit,)
        # Many events share their units and their scope: each is looked up once per load.
        if units not in self.members:
            self.members[units] = routing.members(units)
        if not self.members[units]:
            return []
        scope = report.scope
        for user in self.members[units]:
            if (user, scope) not in self.may_review:
                self.may_review[user, scope] = allows(user, "aars.review_report", scope)
        return [u for u in self.members[units] if u != self.admin and self.may_review[u, scope]]

    def _delivery(self, user: User, event: Event, record: models.Model, title: str, path: str, reason: str) -> Delivery:
        return delivery.draft(user, event, record, title, path, reason, self.now)
