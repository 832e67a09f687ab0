"""Demo after-action reports of varied quality, and the lessons drawn from them.

Most executed events have a disseminated AAR: a third thorough, half typical, the rest thin (the unit's own training
and its administrative friction, little about the partner — the AAR-1 problem). About one in eight has none and
shows as overdue. A few recent ones sit in every workflow state, so each role finds work: a draft at the 3-25 IBCT,
one returned to the executor with comments, one submitted for the unit planner to review.

Improve items are carried through the lessons lifecycle at varied stages; critical access blockers and partner
requests go to their channels, and the older ones are closed. Written through the AAR services, so every record is
validated, scored, routed and audited like a unit's own.
"""

import random
import zlib
from datetime import UTC, date, datetime, time, timedelta

from goldthread.aars import selectors, services
from goldthread.aars.models import ChannelItem, Observation, Report
from goldthread.core.models import User
from goldthread.events.models import Event
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


def _partner(event: Event) -> Organization | None:
    return event.partner_units.order_by("short_name").first()


def _write(report: Report, quality: str, rng: random.Random, actor: User) -> None:
    event = report.event
    partner = _partner(event)
    name = partner.short_name if partner else "partner"
    claims = list(event.claims.select_related("objective"))
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
    services.update(actor=actor, report=report, version=None, fields=fields, reviews=reviews)
    pool = [(t, item) for t in types for item in ITEMS[t]] or [("CAP", i) for i in ITEMS["CAP"]]
    chosen = rng.sample(pool, k=min(len(pool), 3 if quality == "thorough" else 2))
    if quality == "thin":
        chosen = [("", item) for item in THIN_ITEMS]
    for objective_type, (title, finding, observation, discussion, recommendation, dotmlpfp) in chosen:
        claim = next((c for c in claims if c.objective_type == objective_type), None)
        fields = {
            "title": title,
            "finding": finding,
            "observation": observation.format(partner=name),
            "discussion": discussion if quality == "thorough" or finding == "IMPROVE" else "",
            "recommendation": recommendation if quality == "thorough" else "",
            "claim": claim,
            "objective_type": objective_type,
            "dotmlpfp": dotmlpfp,
            "partner_unit": partner if quality != "thin" else None,
        }
        if quality == "thorough" and finding == "IMPROVE" and dotmlpfp == "POLICY":
            critical = rng.random() < 0.5
            fields["criticality"] = (
                Observation.Criticality.CRITICAL if critical else Observation.Criticality.SIGNIFICANT
            )
            fields["channel"] = Observation.Channel.ACCESS_BLOCKER
            fields["analysis"] = {
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
        services.add_observation(actor=actor, report=report, fields=fields)


def _lessons(report: Report, rng: random.Random, manager: User, today: date) -> None:
    """Carry the improve items of a disseminated report some way through the lessons lifecycle."""
    age = (today - report.event.end_date).days
    for observation in report.observations.filter(finding="IMPROVE"):
        steps = min(len(STAGE_PATH), rng.randint(0, 1 + age // 180))
        for stage in STAGE_PATH[:steps]:
            fields = {
                "LESSON": {
                    "corrective_action": observation.recommendation or "Add the lead time to the planning calendar.",
                    "action_owner": report.event.executing_unit,
                    "action_due": report.event.end_date + timedelta(days=120),
                },
                "RESOLVED": {"resolution": "Added to the unit's planning SOP and to the country folder."},
                "VERIFIED": {"verification": "The next iteration's AAR reports no recurrence."},
            }.get(stage)
            services.advance(
                actor=manager, observation=observation, stage=stage, version=observation.version, fields=fields
            )


def _close_old_items(manager: User, today: date) -> None:
    old = today - timedelta(days=240)
    for item in ChannelItem.objects.filter(closed_at__isnull=True, observation__report__event__end_date__lt=old):
        services.close_item(actor=manager, item=item, version=item.version, closure="Raised with the SCO; resolved.")


def _latest(unit: Organization | None) -> Event | None:
    return (
        Event.objects.filter(executing_unit=unit, status__in=services.STARTABLE, aar__isnull=True)
        .order_by("-end_date")
        .first()
    )


def _dated(report: Report) -> None:
    """Move the workflow dates of an old report back to when a unit would have done it: about three in four in by
    the due date, the rest up to two months late — what data discipline measures. From the event's code, so the
    seeded generator's sequence is unchanged."""
    spread = zlib.crc32(f"{report.event.code}:aar".encode())
    end = report.event.end_date
    submitted = end + timedelta(days=5 + spread % 24) if spread % 4 else report.due + timedelta(days=3 + spread % 57)
    at = datetime.combine(submitted, time(14), tzinfo=UTC)
    Report.objects.filter(pk=report.pk).update(submitted_at=at, approved_at=at + timedelta(days=4))
    Report.objects.filter(pk=report.pk, disseminated_at__isnull=False).update(disseminated_at=at + timedelta(days=6))


def load_aars(today: date, seed: int = 2018) -> int:
    """AARs for executed events that have none; returns how many AARs the demo holds. Idempotent."""
    rng = random.Random(seed)
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "planner", "unitplanner", "executor"])}
    admin, planner = users["admin"], users["planner"]
    # The executor's and the unit planner's latest events are kept for the workflow examples.
    examples = {
        role: None if Report.objects.filter(status=status).exists() else _latest(users[role].organization)
        for role, status in (("executor", Report.Status.RETURNED), ("unitplanner", Report.Status.SUBMITTED))
    }
    executed = (
        Event.objects.filter(status__in=services.STARTABLE, aar__isnull=True, end_date__lt=today)
        .exclude(pk__in=[e.pk for e in examples.values() if e])
        .select_related("executing_unit", "series")
        .order_by("end_date", "code")
    )
    for event in executed:
        recent = (today - event.end_date).days <= 45
        # Decided by the event itself, not by its place in the list, so a second run skips the same events.
        if zlib.crc32(event.code.encode()) % NEVER_WRITTEN == 0 and not recent:
            continue
        quality = rng.choice(["thorough", "thorough", "typical", "typical", "typical", "thin"])
        report = services.start(actor=admin, event=event)
        _write(report, quality, rng, admin)
        if recent:
            continue  # still being written
        services.submit(actor=admin, report=report, version=None)
        services.approve(actor=admin, report=report, version=None)
        _lessons(report, rng, planner, today)
        _dated(report)
    _close_old_items(planner, today)
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
