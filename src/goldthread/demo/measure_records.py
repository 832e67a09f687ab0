"""Demo indicators for Thailand, the Philippines and Indonesia, with six fiscal years of approved values.

Eight MOEs on country, IMO and theater objectives and five MOPs, chosen so that every way of combining values
appears at least once (docs/writing-indicators.md walks through them):

- `MOE-THA-PLAN`, a rating on a 1–5 scale with anchors, averaged; `MOE-THA-REL`, a rating where the latest counts;
- `MOE-THA-CERT` and `MOE-PHL-CERT`, periodic counts that roll up into the theater's `MOE-TCP3-CERT`;
- `MOE-THA-HELO`, a ratio (mission-capable helicopters over helicopters on hand);
- `MOE-THA-CUSTOMS`, an average where lower is better; `MOE-IDN-UNSTAFF`, a cumulative count;
- `MOP-HG26-STAFF` and `MOP-GS25-UNSTAFF` bound to an executed event, `MOP-HG26-TASKS` and `MOP-SAL26-COASTAL` bound
  to an event objective, and `MOP-HG27-STAFF` on next year's Hanuman Guardian: a collection task still ahead.

Indicators, targets, locks, assessments and this quarter's values are written through the measures services, so
they are checked and audited like anyone's. The approved history (FY2021–FY2026) is bulk-inserted like an import:
every value is first checked with `services.check_measurement`, and one audit entry records the batch. A value is
tied to an event only where that event collects the indicator (the same rule as the form's). Idempotent: every
record is looked up before it is written, and the history has name-based uids.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q

from goldthread.aars import services as aars
from goldthread.aars.models import Observation, Report
from goldthread.core import audit
from goldthread.core.errors import DomainError
from goldthread.core.models import User
from goldthread.core.permissions import allows
from goldthread.events.models import Event
from goldthread.measures import periods, selectors, services
from goldthread.measures.models import (
    CRITERIA,
    Assessment,
    Evidence,
    Indicator,
    Measurement,
    PeriodLock,
)
from goldthread.strategy.models import Objective, Organization
from goldthread.strategy.selectors import descendant_ids

_UID_NAMESPACE = uuid.UUID("5c1d7a0e-3b8f-4c2a-9e61-0d4b7f2a8c33")
ALL = list(CRITERIA)
YEARS = range(2021, 2027)  # fiscal years of approved history
TARGET_YEARS = [f"FY{fy}" for fy in range(2022, 2029)]

PLAN_SCALE = [
    {"value": 1, "label": "No plan: the staff waits for U.S. planners to lead."},
    {"value": 2, "label": "Partial plan with U.S. help: mission analysis only, no logistics or coordination."},
    {"value": 3, "label": "Complete plan with U.S. help: every annex, but U.S. planners corrected the concept."},
    {"value": 4, "label": "Complete plan on its own: meets 4 of the 5 rubric criteria without U.S. help."},
    {"value": 5, "label": "Leads a combined plan: the RTA staff directs the combined staff, U.S. in support."},
]
RELATIONSHIP_SCALE = [
    {"value": 1, "label": "Closed: contact at protocol level only; requests go unanswered."},
    {"value": 2, "label": "Formal: scheduled events happen; contact stops between them."},
    {"value": 3, "label": "Working: counterparts answer between events; follow-ups are agreed and kept."},
    {"value": 4, "label": "Trusted: the partner raises problems early and proposes engagements itself."},
    {"value": 5, "label": "Habitual: the partner plans with us and asks for us first in a crisis."},
]


@dataclass
class Spec:
    """One demo indicator: its definition (fields for `services.create_indicator`, by code where a record is meant)
    and its targets. `author` is the demo user who writes it."""

    code: str
    author: str
    fields: dict
    targets: dict[str, float] = field(default_factory=dict)


def _yearly(*values: float) -> dict[str, float]:
    return dict(zip(TARGET_YEARS, values, strict=True))


SPECS: list[Spec] = [
    Spec(
        "MOE-TCP3-CERT",
        "planner",
        {
            "kind": "MOE",
            "statement": "Partner staff officers certified in HADR planning by their own army's evaluators, "
            "across the theater",
            "objective": "TCP-O3",
            "unit": "staff officers",
            "data_source": "Roll-up of the country indicators that count the same thing",
            "method": "Sum of the country counts; no value is recorded here directly.",
            "frequency": "QUARTERLY",
            "responsible": "USARPAC",
            "minimum": 0,
            "baseline_value": 10,
            "baseline_date": date(2020, 9, 30),
            "baseline_source": "Country baselines for FY2020: Thailand 4, the Philippines 6",
            "criteria": ALL,
        },
        _yearly(18, 22, 26, 30, 34, 38, 42),
    ),
    Spec(
        "MOE-THA-CERT",
        "desk",
        {
            "kind": "MOE",
            "statement": "RTA staff officers certified in HADR planning by RTA evaluators",
            "objective": "CSP-THA-2.1",
            "rolls_up_to": "MOE-TCP3-CERT",
            "unit": "staff officers",
            "data_source": "RTA Cavalry Center training records, passed on by JUSMAGTHAI",
            "method": "Count the officers the RTA's own evaluators certify, at exercises and in the staff course; "
            "attendance alone does not count.",
            "frequency": "QUARTERLY",
            "responsible": "JUSMAGTHAI",
            "minimum": 0,
            "baseline_value": 4,
            "baseline_date": date(2020, 9, 30),
            "baseline_source": "RTA Cavalry Center training records, FY2020",
            "criteria": ALL,
        },
        _yearly(8, 10, 12, 14, 16, 18, 20),
    ),
    Spec(
        "MOE-PHL-CERT",
        "desk",
        {
            "kind": "MOE",
            "statement": "Philippine Army staff officers certified in HADR planning by Philippine Army evaluators",
            "objective": "CSP-PHL-1.2",
            "rolls_up_to": "MOE-TCP3-CERT",
            "unit": "staff officers",
            "data_source": "Philippine Army CMO Regiment course reports, passed on by JUSMAG-P",
            "method": "Count the officers the Philippine Army's evaluators certify; attendance alone does not count.",
            "frequency": "QUARTERLY",
            "responsible": "JUSMAG-P",
            "minimum": 0,
            "baseline_value": 6,
            "baseline_date": date(2020, 9, 30),
            "baseline_source": "Philippine Army CMO Regiment course reports, FY2020",
            "criteria": ALL,
        },
        _yearly(10, 12, 14, 16, 18, 20, 22),
    ),
    Spec(
        "MOE-THA-PLAN",
        "desk",
        {
            "kind": "MOE",
            "statement": "Quality of the HADR plan the RTA brigade staff produces in a combined staff exercise",
            "objective": "CSP-THA-2.1",
            "unit": "rating",
            "data_source": "Observer rubric, filled in by the exercise's combined observer team",
            "method": "Two observers rate the plan against the five rubric criteria and agree one step of the "
            "scale; each exercise gives one value.",
            "frequency": "PER_EVENT",
            "responsible": "USARPAC",
            "aggregation": "AVERAGE",
            "scale": PLAN_SCALE,
            "baseline_value": 2,
            "baseline_date": date(2020, 9, 30),
            "baseline_source": "Initial assessment of the RTA brigade staff by the USARPAC assessment cell, FY2020",
            "criteria": ALL,
        },
        _yearly(2, 3, 3, 3, 4, 4, 5),
    ),
    Spec(
        "MOE-THA-REL",
        "desk",
        {
            "kind": "MOE",
            "statement": "JUSMAGTHAI's rating of the working relationship between the RTA and the U.S. Army",
            "objective": "IMO-THA-1",
            "unit": "rating",
            "data_source": "JUSMAGTHAI quarterly country-team review",
            "method": "The SCO rates against the anchors and cites the contacts, requests and follow-ups behind the "
            "rating in the note.",
            "frequency": "QUARTERLY",
            "responsible": "JUSMAGTHAI",
            "aggregation": "LATEST",
            "scale": RELATIONSHIP_SCALE,
            "baseline_value": 2,
            "baseline_date": date(2020, 9, 30),
            "baseline_source": "JUSMAGTHAI country-team review, September 2020",
            "criteria": ALL,
        },
        _yearly(2, 3, 3, 4, 4, 4, 5),
    ),
    Spec(
        "MOE-THA-HELO",
        "desk",
        {
            "kind": "MOE",
            "statement": "Share of RTA utility helicopters mission-capable, kept up by RTA maintainers",
            "objective": "CSP-THA-2.2",
            "unit": "share of fleet",
            "data_source": "RTA Aviation Center monthly readiness report",
            "method": "Numerator: helicopters mission-capable on the last day of the quarter; denominator: "
            "helicopters on hand that day.",
            "frequency": "QUARTERLY",
            "responsible": "Washington NG",
            "aggregation": "RATIO",
            "minimum": 0,
            "maximum": 1,
            "baseline_value": 0.48,
            "baseline_date": date(2020, 9, 30),
            "baseline_source": "RTA Aviation Center readiness report, September 2020",
            "criteria": ALL,
        },
        _yearly(0.55, 0.6, 0.65, 0.7, 0.75, 0.75, 0.8),
    ),
    Spec(
        "MOE-THA-CUSTOMS",
        "desk",
        {
            "kind": "MOE",
            "statement": "Days from arrival to customs release of U.S. vehicles in Thailand",
            "objective": "CSP-THA-3.1",
            "unit": "days",
            "good": "LOWER",
            "data_source": "8th TSC movement records",
            "method": "Calendar days from the ship's arrival to the release of the last vehicle, per movement.",
            "frequency": "PER_EVENT",
            "responsible": "8th TSC",
            "aggregation": "AVERAGE",
            "minimum": 0,
            "baseline_value": 12,
            "baseline_date": date(2020, 3, 15),
            "baseline_source": "Cobra Gold 2020 movement records",
            # Nobody has yet been named to time the movements of the Pathways legs: left unconfirmed on purpose.
            "criteria": ["relevant", "observable", "responsive"],
        },
        _yearly(10, 8, 6, 5, 3, 3, 3),
    ),
    Spec(
        "MOE-IDN-UNSTAFF",
        "desk",
        {
            "kind": "MOE",
            "statement": "TNI-AD staff officers certified in UN force-headquarters staff procedures, since FY2021",
            "objective": "CSP-IDN-1.1",
            "unit": "staff officers",
            "data_source": "TNI Peacekeeping Center certification register, passed on by ODC Indonesia",
            "method": "Count each officer once, when the TNI Peacekeeping Center certifies them.",
            "frequency": "QUARTERLY",
            "responsible": "ODC Indonesia",
            "accumulation": "CUMULATIVE",
            "minimum": 0,
            "baseline_value": 0,
            "baseline_date": date(2020, 9, 30),
            "baseline_source": "No TNI-AD staff officer had been certified before the program began",
            "criteria": ALL,
        },
        _yearly(25, 45, 65, 85, 100, 120, 140),
    ),
    Spec(
        "MOP-HG26-STAFF",
        "planner",
        {
            "kind": "MOP",
            "statement": "RTA staff officers completing the combined HADR staff exercise",
            "event": "EVT-2026-HG",
            "unit": "officers",
            "data_source": "Exercise attendance roster, signed by the RTA exercise director",
            "frequency": "PER_EVENT",
            "disaggregations": ["sex"],
            "minimum": 0,
            "baseline_value": 32,
            "baseline_source": "Hanuman Guardian 2025 attendance roster",
            "criteria": ALL,
        },
    ),
    Spec(
        "MOP-HG26-TASKS",
        "planner",
        {
            "kind": "MOP",
            "statement": "Combined staff-exercise tasks executed to standard",
            "objective": "EO-2026-HG",
            "unit": "tasks",
            "data_source": "Exercise control's task list, rated by the combined observer team",
            "frequency": "PER_EVENT",
            "minimum": 0,
            "baseline_value": 6,
            "baseline_source": "Hanuman Guardian 2025 AAR",
            "criteria": ALL,
        },
    ),
    Spec(
        "MOP-SAL26-COASTAL",
        "planner",
        {
            "kind": "MOP",
            "statement": "Coastal defense tasks rated trained",
            "objective": "EO-2026-SAL",
            "unit": "tasks",
            "data_source": "Exercise evaluators' T/P/U ratings",
            "frequency": "PER_EVENT",
            "minimum": 0,
            "maximum": 10,
            "baseline_value": 5,
            "baseline_source": "Salaknib 2025 evaluation",
            "criteria": ALL,
        },
    ),
    Spec(
        "MOP-GS25-UNSTAFF",
        "planner",
        {
            "kind": "MOP",
            "statement": "TNI-AD staff officers completing the UN staff exercise to standard",
            "event": "EVT-2025-GS",
            "unit": "officers",
            "data_source": "Exercise control's completion list",
            "frequency": "PER_EVENT",
            "disaggregations": ["partner unit"],
            "minimum": 0,
            "baseline_value": 30,
            "baseline_source": "Garuda Shield 2024 completion list",
            "criteria": ALL,
        },
    ),
    Spec(
        "MOP-HG27-STAFF",
        "planner",
        {
            "kind": "MOP",
            "statement": "RTA staff officers completing the combined HADR staff exercise",
            "event": "EVT-2027-HG",
            "unit": "officers",
            "data_source": "Exercise attendance roster, signed by the RTA exercise director",
            "method": "Count the officers present for every day of the staff exercise; the roster goes with the AAR.",
            "frequency": "PER_EVENT",
            "disaggregations": ["sex"],
            "minimum": 0,
            "baseline_value": 38,
            "baseline_source": "Hanuman Guardian 2026 attendance roster (MOP-HG26-STAFF)",
            "criteria": ALL,
        },
    ),
]
# Targets for the MOPs: one per iteration, for the fiscal quarter the event ends in.
MOP_TARGETS = {
    "MOP-HG26-STAFF": 40,
    "MOP-HG26-TASKS": 10,
    "MOP-SAL26-COASTAL": 8,
    "MOP-GS25-UNSTAFF": 40,
    "MOP-HG27-STAFF": 40,
}


@dataclass
class Value:
    """One approved value of the history: `event` is a code, used only if that event collects the indicator."""

    day: date
    value: float = 0.0
    event: str | None = None
    numerator: float | None = None
    denominator: float | None = None
    disaggregation: dict = field(default_factory=dict)
    note: str = ""


def _quarter_end(fy: int, quarter: int) -> date:
    return periods.bounds(f"FY{fy}-Q{quarter}")[1]


def _event_day(code: str, fallback: date, *, start: bool = False) -> date:
    event = Event.objects.filter(code=code).first()
    if not event:
        return fallback
    return event.start_date if start else event.end_date


def _history() -> dict[str, list[Value]]:
    """The approved values, FY2021–FY2026, per indicator code."""
    found: dict[str, list[Value]] = {s.code: [] for s in SPECS}
    plan = {2021: (2, 2), 2022: (2, 3), 2023: (3, 3), 2024: (3, 3), 2025: (3, 4), 2026: (4, 4)}
    thai_certified = {2021: (3, 2), 2022: (4, 3), 2023: (6, 5), 2024: (7, 5), 2025: (8, 7), 2026: (9, 8)}
    customs = {2021: (12, 11), 2022: (11, 9), 2023: (9, 8), 2024: (9, 6), 2025: (5, 5), 2026: (4, 3)}
    for fy in YEARS:
        hg, cg = f"EVT-{fy}-HG", f"EVT-{fy}-CG"
        hg_day = _event_day(hg, date(fy, 3, 5))
        cg_day = _event_day(cg, date(fy, 3, 12))
        found["MOE-THA-PLAN"] += [
            Value(hg_day, plan[fy][0], hg, note=f"Observer rubric, Hanuman Guardian {fy}"),
            Value(cg_day, plan[fy][1], cg, note=f"Observer rubric, Cobra Gold {fy} combined staff exercise"),
        ]
        found["MOE-THA-CERT"] += [
            Value(hg_day, thai_certified[fy][0], hg, note="Certified by RTA evaluators at the exercise"),
            Value(_quarter_end(fy, 4), thai_certified[fy][1], note="RTA Cavalry Center HADR staff course"),
        ]
        found["MOE-THA-CUSTOMS"] += [
            Value(_event_day(cg, date(fy, 2, 20), start=True), customs[fy][0], cg, note="Cobra Gold main body"),
            Value(
                _event_day(hg, date(fy, 2, 5), start=True), customs[fy][1], note="Pathways leg into Hanuman Guardian"
            ),
        ]
    philippine = {2021: (3, 3, 2), 2022: (3, 3, 3), 2023: (5, 4, 4), 2024: (5, 5, 5), 2025: (5, 4, 5), 2026: (7, 6, 6)}
    for fy, counts in philippine.items():
        found["MOE-PHL-CERT"] += [
            Value(_quarter_end(fy, q), n, note="CMO Regiment HADR planning course")
            for q, n in zip((2, 3, 4), counts, strict=True)
        ]
    indonesian = {2021: (5, 7), 2022: (6, 9), 2023: (8, 10), 2024: (8, 12), 2025: (9, 13), 2026: (6, 10)}
    for fy, (course, exercise) in indonesian.items():
        gs = f"EVT-{fy}-GS"
        found["MOE-IDN-UNSTAFF"] += [
            Value(_quarter_end(fy, 2), course, note="TNI Peacekeeping Center staff course"),
            Value(_event_day(gs, date(fy, 7, 20)), exercise, gs, note=f"Certified at Garuda Shield {fy}"),
        ]
    # Mission-capable helicopters / helicopters on hand at each quarter's end; two aircraft left the fleet in FY2025.
    fleet = {
        2021: ((11, 24), (12, 24), (12, 24), (11, 24)),
        2022: ((12, 24), (13, 24), (13, 24), (14, 24)),
        2023: ((14, 24), (14, 24), (15, 24), (15, 24)),
        2024: ((15, 24), (16, 24), (15, 24), (16, 24)),
        2025: ((16, 24), (17, 24), (17, 22), (17, 22)),
        2026: ((16, 22), (16, 22), (17, 22), (16, 22)),
    }
    for fy, quarters in fleet.items():
        found["MOE-THA-HELO"] += [
            Value(_quarter_end(fy, q), numerator=n, denominator=d, note="RTA Aviation Center readiness report")
            for q, (n, d) in enumerate(quarters, start=1)
        ]
    # The SCO rated once a year until FY2022, then at every quarterly country-team review.
    relationship = {2023: (2, 3, 3, 3), 2024: (3, 3, 3, 3), 2025: (3, 3, 4, 4), 2026: (4, 4, 3, 4)}
    found["MOE-THA-REL"] += [Value(date(fy, 9, 15), 2, note="Annual country-team review") for fy in (2021, 2022)]
    reasons = {(2026, 3): "Our counterpart rotated; the successor has not yet met the brigade."}
    for fy, ratings in relationship.items():
        found["MOE-THA-REL"] += [
            Value(_quarter_end(fy, q) - timedelta(days=10), r, note=reasons.get((fy, q), "Country-team review"))
            for q, r in enumerate(ratings, start=1)
        ]
    hg26, sal26, gs25 = "EVT-2026-HG", "EVT-2026-SAL", "EVT-2025-GS"
    found["MOP-HG26-STAFF"] = [
        Value(_event_day(hg26, date(2026, 3, 7)), 31, hg26, disaggregation={"sex": "M"}),
        Value(_event_day(hg26, date(2026, 3, 7)), 7, hg26, disaggregation={"sex": "F"}),
    ]
    found["MOP-HG26-TASKS"] = [Value(_event_day(hg26, date(2026, 3, 7)), 8, hg26, note="2 tasks rated P")]
    found["MOP-SAL26-COASTAL"] = [Value(_event_day(sal26, date(2026, 2, 14)), 7, sal26, note="3 tasks rated P")]
    found["MOP-GS25-UNSTAFF"] = [
        Value(_event_day(gs25, date(2025, 7, 21)), 24, gs25, disaggregation={"partner unit": "TNI-AD Kostrad"}),
        Value(_event_day(gs25, date(2025, 7, 21)), 12, gs25, disaggregation={"partner unit": "TNI PMPP"}),
    ]
    return found


# Who records and who approves, by preference; the first one whose reach covers the value is taken.
RECORDERS = {"MOE-THA-REL": "sco", "MOE-THA-HELO": "sco", "MOP": "unitplanner"}
APPROVERS = ("desk", "planner")


def load_measures(today: date) -> int:
    """Indicators, their history, this quarter's work in every state, and assessments; returns how many
    indicators the demo holds. Idempotent."""
    users = {
        u.username: u for u in User.objects.filter(username__in=["planner", "desk", "assessor", "sco", "unitplanner"])
    }
    before = (Indicator.objects.count(), Measurement.objects.count())
    indicators = {spec.code: _indicator(spec, users[spec.author]) for spec in SPECS}
    _history_values(indicators, users, today)
    if (Indicator.objects.count(), Measurement.objects.count()) != before:
        # New indicators give events new collection tasks, and bulk values answer some: their AARs' data score moves.
        collecting = Event.objects.filter(
            Q(indicators__in=indicators.values()) | Q(claims__objective__indicators__in=indicators.values()),
            aar__isnull=False,
        ).distinct()
        for event in collecting:
            aars.rescore_event(event)
    _this_quarter(indicators, users, today)
    for code in ("MOE-THA-PLAN", "MOE-THA-CERT"):  # FY2025's values are final: the FY2025 assessment cites them
        if not PeriodLock.objects.filter(indicator=indicators[code], period="FY2025").exists():
            services.lock(actor=users["assessor"], indicator=indicators[code], period="FY2025")
    _assessments(indicators, users)
    return Indicator.objects.count()


def _indicator(spec: Spec, author: User) -> Indicator:
    found = Indicator.objects.filter(code=spec.code).first()
    if found is None:
        fields = dict(spec.fields)
        if "objective" in fields:
            fields["objective"] = Objective.objects.get(code=fields["objective"])
        if "event" in fields:
            fields["event"] = Event.objects.get(code=fields["event"])
        if "rolls_up_to" in fields:
            fields["rolls_up_to"] = Indicator.objects.get(code=fields["rolls_up_to"])
        if "responsible" in fields:
            fields["responsible"] = Organization.objects.get(short_name=fields["responsible"])
        elif "event" in fields:
            fields["responsible"] = fields["event"].executing_unit
        found = services.create_indicator(actor=author, code=spec.code, **fields)
    targets = dict(spec.targets)
    if spec.code in MOP_TARGETS:
        targets[periods.quarter_of(_mop_event(found).end_date)] = MOP_TARGETS[spec.code]
    have = dict(found.targets.values_list("period", "value"))
    for period, value in targets.items():
        if have.get(period) != value:
            services.set_target(actor=author, indicator=found, period=period, value=value)
    return found


def _mop_event(indicator: Indicator) -> Event:
    if indicator.event_id:
        return indicator.event
    return Event.objects.get(claims__objective=indicator.objective_id, claims__role="PRIMARY")


def _history_values(indicators: dict[str, Indicator], users: dict[str, User], today: date) -> None:
    """Bulk-insert the approved history that is not there yet, each value checked as the form checks it."""
    existing = set(Measurement.objects.filter(indicator__in=indicators.values()).values_list("uid", flat=True))
    history = _history()
    codes = {v.event for values in history.values() for v in values if v.event}
    events = {e.code: e for e in Event.objects.filter(code__in=codes)}
    new = []
    for code, values in history.items():
        indicator = indicators[code]
        for n, v in enumerate(values):
            uid = uuid.uuid5(_UID_NAMESPACE, f"measures.measurement:{code}:{v.day}:{n}")
            if uid in existing:
                continue
            event = events.get(v.event or "")
            m = Measurement(
                uid=uid,
                indicator=indicator,
                event=event if event and selectors.is_task(indicator, event) else None,
                date=v.day,
                value=v.value,
                numerator=v.numerator,
                denominator=v.denominator,
                disaggregation=v.disaggregation,
                note=v.note,
                source=Measurement.Source.AAR if event else Measurement.Source.IMPORT,
                status=Measurement.Status.APPROVED,
            )
            if m.date > today:
                raise DomainError(f"Demo data breaks a rule: {code} has a value dated after {today}")
            services.check_measurement(m)  # range, scale, ratio parts, breakdowns, event, lock
            m.period = periods.quarter_of(m.date)  # bulk_create skips Measurement.save, which sets it
            m.recorded_by = _first(users, (RECORDERS.get(code) or RECORDERS.get(indicator.kind), "assessor"), m)
            m.approved_by = _first(users, APPROVERS, m, "measures.approve_measurement", exclude=m.recorded_by)
            m.approved_at = datetime.combine(min(m.date + timedelta(days=14), today), time(9), tzinfo=UTC)
            new.append(m)
    if new:
        Measurement.objects.bulk_create(new)
        audit.record_about(
            None,
            "measurement.import",
            f"{len(new)} approved values of the demo data set",
            {"indicators": sorted({m.indicator.code for m in new}), "rows": len(new)},
        )


def _first(
    users: dict[str, User],
    names: tuple[str | None, ...],
    m: Measurement,
    permission: str = "measures.add_measurement",
    exclude: User | None = None,
) -> User:
    for name in names:
        user = users.get(name or "")
        if user and user != exclude and allows(user, permission, m):
            return user
    raise DomainError(f"Demo data breaks a rule: nobody in {names} may do {permission} on {m}")


def _this_quarter(indicators: dict[str, Indicator], users: dict[str, User], today: date) -> None:
    """The current quarter's work: two values waiting for the desk officer, one returned to the assessor."""
    waiting = [
        ("sco", "MOE-THA-HELO", 26, {"numerator": 18, "denominator": 22, "value": 0}, "October readiness report"),
        ("assessor", "MOE-THA-CERT", 12, {"value": 6}, "RTA Cavalry Center HADR staff course 1/27"),
        ("assessor", "MOE-PHL-CERT", 21, {"value": 140}, "CMO Regiment HADR planning course 1/27"),
    ]
    for who, code, days_ago, numbers, note in waiting:
        day = today - timedelta(days=days_ago)
        if Measurement.objects.filter(indicator=indicators[code], date=day).exists():
            continue
        m = services.record(actor=users[who], indicator=indicators[code], date=day, note=note, **numbers)
        if code == "MOE-PHL-CERT":
            services.return_(
                actor=users["desk"],
                measurement=m,
                reason="140 is everyone who attended the course. Count only the officers the Philippine Army "
                "evaluators certified: the course report lists 11.",
            )


def _assessments(indicators: dict[str, Indicator], users: dict[str, User]) -> None:
    assessor, desk = users["assessor"], users["desk"]
    imo = Objective.objects.get(code="IMO-THA-2")
    csp = Objective.objects.get(code="CSP-THA-2.1")
    observation = _observation(imo, "FY2025")
    seen = ""
    if observation:
        title = observation.title[0].lower() + observation.title[1:]
        seen = f" The {observation.report.event.name} AAR adds what the indicators cannot show: {title}."
    _assessment(
        assessor,
        imo,
        "FY2025",
        3,
        "MEDIUM",
        "The RTA brigade staff's plans averaged 3.5 on the 1–5 rubric (target 3) and the RTA's own evaluators "
        f"certified 15 staff officers (target 14): the first changes are there.{seen} Not yet lasting: the staff "
        "still needs U.S. planners for parts of a combined response.",
        [
            (Evidence.Kind.INDICATOR, indicators["MOE-THA-PLAN"], "FY2025: 3.5, the average of two observer ratings"),
            (Evidence.Kind.INDICATOR, indicators["MOE-THA-CERT"], "FY2025: 15 certified against a target of 14"),
            *(
                [(Evidence.Kind.OBSERVATION, observation, "What the AAR saw the partner staff do")]
                if observation
                else []
            ),
        ],
        submit=True,
    )
    _assessment(
        desk,
        csp,
        "FY2026",
        4,
        "MEDIUM",
        "Both FY2026 observer ratings were 4, a complete plan without U.S. help, and 17 staff officers were "
        "certified against a target of 16. The RTA staff has not yet led a combined plan, so the objective's "
        "target is met but not yet held for a year.",
        [
            (Evidence.Kind.INDICATOR, indicators["MOE-THA-PLAN"], "FY2026: 4 at both exercises"),
            (Evidence.Kind.INDICATOR, indicators["MOE-THA-CERT"], "FY2026: 17 certified against a target of 16"),
            (Evidence.Kind.DOCUMENT, "RTA Cavalry Center HADR staff course report, March 2026 (JUSMAGTHAI files)", ""),
        ],
        submit=True,
    )
    _assessment(
        assessor,
        imo,
        "FY2026",
        4,
        "MEDIUM",
        "Plan quality reached its target of 4; helicopter readiness ended the year at 0.74 against 0.75. To "
        "submit once the Hanuman Guardian 2026 AAR has been reviewed.",
        [
            (Evidence.Kind.INDICATOR, indicators["MOE-THA-PLAN"], "FY2026: 4, on target"),
            (Evidence.Kind.INDICATOR, indicators["MOE-THA-HELO"], "FY2026: 65 of 88 helicopter-quarters ready"),
        ],
        submit=False,
    )


def _assessment(actor, objective, period, rating, confidence, rationale, evidence, *, submit: bool) -> None:
    if Assessment.objects.filter(objective=objective, period=period, assessor=actor).exists():
        return
    found = services.create_assessment(
        actor=actor, objective=objective, period=period, rating=rating, rationale=rationale, confidence=confidence
    )
    for kind, cited, note in evidence:
        by_kind = {
            Evidence.Kind.INDICATOR: {"indicator": cited},
            Evidence.Kind.OBSERVATION: {"observation": cited},
            Evidence.Kind.DOCUMENT: {"document": cited},
        }[kind]
        services.cite(actor=actor, assessment=found, kind=kind, note=note, **by_kind)
    if submit:
        services.submit_assessment(actor=actor, assessment=found)


def _observation(objective: Objective, period: str) -> Observation | None:
    """An observation of a disseminated AAR about the objective or anything below it, from the period if there is
    one (else the latest before it): an improve item on partner capacity first, since it says what is missing."""
    first, last = periods.bounds(period)
    about = list(
        Observation.objects.filter(
            report__status=Report.Status.DISSEMINATED,
            claim__objective_id__in={objective.pk} | descendant_ids(objective.pk),
            report__event__end_date__lte=last,
        )
        .select_related("report__event")
        .order_by("-report__event__end_date", "id")
    )
    pool = [o for o in about if o.report.event.end_date >= first] or about
    return min(pool, key=lambda o: (o.finding != "IMPROVE", o.objective_type != "CAP"), default=None)
