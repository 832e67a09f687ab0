"""Every role × every write endpoint and form × a record inside and outside the role's reach.

The expected matrix below is written out by hand from docs/security.md, not derived from `roles.py`, so that a
change to either shows up here.
"""

import io
from datetime import date

import docx
import pytest

from goldthread.aars import services as aars
from goldthread.aars.models import Action, ChannelItem, Observation, Report
from goldthread.core.catalogues import Echelon, Level
from goldthread.core.models import AuditEntry
from goldthread.core.tokens import create_token
from goldthread.events.models import ContributionClaim, Event
from goldthread.folders.models import Section
from goldthread.measures import services as measures
from goldthread.measures.models import Indicator
from goldthread.planning.models import Conference, InformationRequest, Order, Theme
from goldthread.readiness.models import Traveler
from goldthread.strategy.models import Objective, Organization

from .conftest import ApiClient, make_user

ROLES = [
    "administrator",
    "strategic_planner",
    "desk_officer",
    "unit_planner",
    "executor",
    "assessor",
    "sco",
    "public_affairs",
    "reader",
]
# An import from the system of record changes events through the same services, row by row. Its preview
# (POST /evaluation/reconciliation/preview) is left out: it rolls back whatever it tries, and stores nothing.
EVENT_WORK = {
    "event.edit",
    "event.transition",
    "form.edit",
    "form.transition",
    "form.bulk_transition",  # the event list's "Move selected to status", one event selected
    "reconciliation.import",
}
CLAIM_WORK = {"claim.add", "claim.change", "claim.remove", "form.claim", "form.claim_remove"}
OBJECTIVE_WORK = {"objective.edit", "objective.add"}
CONFERENCE_WORK = {"conference.add", "conference.approve"}
ORDER_WORK = {"order.add", "order.issue", "form.order", "form.order_edit"}
THEME_WORK = {"form.theme", "form.theme_edit"}
ASK = {"rfi.add", "form.rfi"}
ANSWER = {"rfi.answer", "form.rfi_answer"}
PRODUCT_WORK = {"product.add"}
TRAVELER_WORK = {
    "traveler.add",
    "traveler.change",
    "traveler.remove",
    "form.traveler",
    "form.traveler_edit",
    "form.traveler_remove",
}
ENTRY_RULE_WORK = {"entryrule.set", "form.entryrule"}
STANDING_WORK = {"standing.set", "form.standing"}  # a country's standing in the portfolio
FOLDER_WORK = {"folder.edit", "form.folder_edit", "contact.add", "observance.add", "attachment.add"}
REPORT_WORK = {
    "aar.start",
    "aar.change",
    "aar.submit",
    "observation.add",
    "observation.change",
    "observation.remove",
    "action.add",
    "action.done",
    "form.aar_start",
    "form.aar_import",
    "form.aar_edit",
    "form.aar_submit",
    "form.observation",
    "form.observation_edit",
    "form.observation_remove",
    "form.action",
    "form.action_done",
}
# The editor's live score (POST /aars/<uid>/score/) is left out: it scores what is typed and stores nothing.
REVIEW_WORK = {
    "aar.return",
    "aar.approve",
    "aar.disseminate",
    "form.aar_return",
    "form.aar_approve",
    "form.aar_disseminate",
}
LESSON_WORK = {"lesson.advance", "form.lesson_stage"}
CHANNEL_WORK = {"channelitem.close", "form.channelitem_close"}
AAR_FORMS = {
    operation for operation in REPORT_WORK | REVIEW_WORK | LESSON_WORK | CHANNEL_WORK if operation.startswith("form.")
}
# Measures: indicators and values on the side's exercise (a MOP), assessments of the side's objective.
INDICATOR_WORK = {"indicator.add", "indicator.change", "target.set"}
VALUE_WORK = {"value.record", "value.change", "value.submit", "values.import"}
APPROVAL_WORK = {"value.approve", "value.return"}
LOCK_WORK = {"period.lock"}
ASSESSMENT_WORK = {"assessment.add", "assessment.change", "assessment.cite", "assessment.submit"}
MEASURE_WORK = INDICATOR_WORK | VALUE_WORK | APPROVAL_WORK | LOCK_WORK | ASSESSMENT_WORK
# An import checks reach row by row: a file about records out of reach is refused like a bad file, with 400.
ROW_CHECKED = {"values.import", "reconciliation.import"}
DRAFT_WORK = {"conference.approve", "order.issue", "form.order_edit"}  # operations on a draft
THEATER_WORK = {
    "plan.add",
    "plan.edit",
    "organization.add",
    "constraint.add",
    "country.edit",
    "series.edit",
    "event.approve",
}
# role -> operations allowed on a record within reach ("own") and outside it ("other").
EXPECTED = {
    "administrator": {"own": "*", "other": "*"},
    "strategic_planner": {"own": "*", "other": "*"},
    "desk_officer": {
        "own": EVENT_WORK
        | CLAIM_WORK
        | OBJECTIVE_WORK
        | CONFERENCE_WORK
        | ASK
        | ANSWER
        | ENTRY_RULE_WORK
        | FOLDER_WORK
        | LESSON_WORK
        | CHANNEL_WORK
        | INDICATOR_WORK
        | VALUE_WORK
        | APPROVAL_WORK
        | ASSESSMENT_WORK
        | STANDING_WORK
        | {"event.add", "series.add"},
        "other": {"series.add"},
    },
    "unit_planner": {
        "own": EVENT_WORK
        | CLAIM_WORK
        | CONFERENCE_WORK
        | ORDER_WORK
        | ASK
        | ANSWER
        | TRAVELER_WORK
        | REPORT_WORK
        | REVIEW_WORK
        | INDICATOR_WORK
        | VALUE_WORK
        | {"event.add", "series.add"},
        "other": {"series.add"},
    },
    "executor": {"own": EVENT_WORK | ASK | TRAVELER_WORK | REPORT_WORK | VALUE_WORK, "other": set()},
    "sco": {
        "own": EVENT_WORK | ASK | ANSWER | ENTRY_RULE_WORK | FOLDER_WORK | CHANNEL_WORK | VALUE_WORK | ASSESSMENT_WORK,
        "other": set(),
    },
    "assessor": {
        "own": INDICATOR_WORK | VALUE_WORK | LOCK_WORK | ASSESSMENT_WORK,
        "other": INDICATOR_WORK | VALUE_WORK | LOCK_WORK | ASSESSMENT_WORK,
    },
    "public_affairs": {"own": THEME_WORK | ANSWER | PRODUCT_WORK, "other": set()},
    "reader": {"own": set(), "other": set()},
}
OPERATIONS = sorted(
    EVENT_WORK
    | CLAIM_WORK
    | OBJECTIVE_WORK
    | CONFERENCE_WORK
    | ORDER_WORK
    | THEME_WORK
    | ASK
    | ANSWER
    | PRODUCT_WORK
    | TRAVELER_WORK
    | ENTRY_RULE_WORK
    | FOLDER_WORK
    | THEATER_WORK
    | REPORT_WORK
    | REVIEW_WORK
    | LESSON_WORK
    | CHANNEL_WORK
    | MEASURE_WORK
    | STANDING_WORK
    | {"event.add", "series.add"}
)


@pytest.fixture
def scene(world):
    """Two of everything: one inside the users' reach (Thailand, 2-2 SBCT) and one outside (Philippines, 3-25 IBCT)."""
    other_unit = Organization.objects.create(
        name="3rd IBCT, 25th ID", short_name="3-25 IBCT", echelon=Echelon.BRIGADE, parent=world.usarpac
    )
    phl_objective = Objective.objects.create(
        code="IMO-PHL-1", statement="Philippine Army HADR", level=Level.IMO, primary_type="REL", country=world.phl
    )
    other = Event.objects.create(
        code="EVT-PHL",
        name="Salaknib",
        event_type="FTX",
        executing_unit=other_unit,
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 20),
        status="APPROVED",
    )
    other.countries.set([world.phl])
    ContributionClaim.objects.create(event=other, objective=phl_objective, objective_type="REL", expected_change="x")
    scene = {"own": {}, "other": {}}
    for side, event, objective, country in (
        ("own", world.event, world.imo, world.tha),
        ("other", other, phl_objective, world.phl),
    ):
        proposed = Event.objects.create(
            code=f"P-{side}",
            name="Proposal",
            event_type="SMEE",
            status="PROPOSED",
            start_date=date(2026, 5, 1),
            end_date=date(2026, 5, 3),
            executing_unit=event.executing_unit,
        )
        proposed.countries.set([country])
        ContributionClaim.objects.create(
            event=proposed, objective=objective, objective_type=objective.primary_type, expected_change="x"
        )
        secondary = ContributionClaim.objects.create(
            event=event, objective=world.rel, role="SECONDARY", objective_type="REL", expected_change="ties"
        )
        scene[side] = {
            "event": event,
            "objective": objective,
            "country": country,
            "proposed": proposed,
            "secondary": secondary,
            "unit": event.executing_unit,
        }
    users = {
        "administrator": world.admin,
        "strategic_planner": world.planner,
        "unit_planner": world.unit,
        "reader": world.reader,
    }
    for role, username in (
        ("desk_officer", "desk"),
        ("sco", "sco"),
        ("executor", "executor"),
        ("assessor", "assessor"),
        ("public_affairs", "pao"),
    ):
        users[role] = make_user(username, role, world.bct if role == "executor" else world.usarpac)
    users["desk_officer"].countries.set([world.tha])
    users["sco"].countries.set([world.tha])
    users["public_affairs"].countries.set([world.tha])
    return world, scene, users


TRAVELER_FORM = {"passport_type": "NONE", "country_clearance": "NOT_REQUESTED", "theater_clearance": "NOT_REQUESTED"}
STANDING = {
    "priority": 1,
    "absorptive_capacity": 3,
    "relationship": 4,
    "capability": 3,
    "rationale": "Treaty ally.",
    "reviewed_on": "2026-10-01",
}
ENTRY_RULE_FORM = {
    "country_clearance_days": 45,
    "theater_clearance_days": 30,
    "official_passport_business_days": 30,
    "visa_business_days": 15,
    "training": "AT Level 1; 12",
}
THEME_FORM = {"title": "t", "audience": "a", "talking_points": "p", "valid_from": "2026-01-01", "status": "DRAFT"}


def written_aar(world, event: Event, status: str, **observation) -> tuple[Report, Observation, Action]:
    """The event's AAR, started by an administrator with one observation and one action, and taken to `status`."""
    Event.objects.filter(pk=event.pk).update(status="COMPLETED")
    report = aars.start(actor=world.admin, event=Event.objects.get(pk=event.pk))
    found = aars.add_observation(
        actor=world.admin, report=report, fields={"title": "Interpreters", "observation": "Too few.", **observation}
    )
    action = aars.add_action(
        actor=world.admin, report=report, text="t", owner=event.executing_unit, due=date(2026, 1, 5)
    )
    if status != "DRAFT":
        aars.submit(actor=world.admin, report=report, version=report.version)
    if status == "DISSEMINATED":
        aars.approve(actor=world.admin, report=report, version=report.version)
    found.refresh_from_db()
    return report, found, action


OBSERVATION_FORM = {
    "title": "t",
    "finding": "IMPROVE",
    "observation": "o",
    "discussion": "",
    "recommendation": "",
    "objective_type": "",
    "indicator": "",
    "dotmlpfp": "",
    "criticality": "ROUTINE",
    "channel": "NONE",
    "markings": "",
}


def report_form(report: Report) -> dict:
    """The AAR editor as a browser posts it: every section and every claim's review, one section changed."""
    data = {"version": report.version}
    for name in aars.REPORT_FIELDS:
        value = getattr(report, name)
        data[name] = "" if value is None else value
    for review in report.reviews.all():
        for name in aars.REVIEW_FIELDS:
            data[f"claim-{review.claim_id}-{name}"] = getattr(review, name)
    return {**data, "costs": "changed by form"}


def word_upload() -> io.BytesIO:
    """A legacy AAR as a real Word document, the way the import page receives it."""
    word = docx.Document()
    word.add_heading("Summary", level=1)
    word.add_paragraph("The exercise went to plan.")
    word.add_heading("Access", level=1)
    word.add_paragraph("Country clearance took 41 days.")
    upload = io.BytesIO()
    word.save(upload)
    upload.seek(0)
    upload.name = "aar.docx"
    return upload


def attempt_aar(operation: str, side: dict, world, api: ApiClient, client) -> tuple[int, int]:
    """Try one AAR or lessons operation, by the API or a web form; return (HTTP status, the audit entry count before
    it was tried)."""
    event = side["event"]
    if operation in ("aar.start", "form.aar_start", "form.aar_import"):
        Event.objects.filter(pk=event.pk).update(status="COMPLETED")
        before = AuditEntry.objects.count()
        if operation == "aar.start":
            return api.post(f"/events/{event.uid}/aar", {}).status_code, before
        if operation == "form.aar_start":
            return client.post(f"/events/{event.uid}/aar/start/").status_code, before
        return client.post(f"/events/{event.uid}/aar/import/", {"file": word_upload()}).status_code, before
    status = {
        "aar.return": "SUBMITTED",
        "aar.approve": "SUBMITTED",
        "form.aar_return": "SUBMITTED",
        "form.aar_approve": "SUBMITTED",
    }.get(operation, "DRAFT")
    routed = {}
    if operation in (
        "aar.disseminate",
        "lesson.advance",
        "channelitem.close",
        "form.aar_disseminate",
        "form.lesson_stage",
        "form.channelitem_close",
    ):
        status = "DISSEMINATED"
        routed = {"criticality": "CRITICAL", "channel": "ACCESS_BLOCKER"}
    report, observation, action = written_aar(world, event, status, **routed)
    before = AuditEntry.objects.count()
    aar, version = f"/aars/{report.uid}", {"version": report.version}
    match operation:
        case "aar.change":
            response = api.patch(aar, {**version, "costs": "changed"})
        case "aar.submit":
            response = api.post(f"{aar}/submit", version)
        case "aar.return":
            response = api.post(f"{aar}/return", {**version, "comment": "Say more."})
        case "aar.approve":
            response = api.post(f"{aar}/approve", version)
        case "aar.disseminate":
            response = api.post(f"{aar}/disseminate", {})
        case "observation.add":
            response = api.post(f"{aar}/observations", {"title": "t", "observation": "o"})
        case "observation.change":
            response = api.patch(f"/observations/{observation.uid}", {"version": observation.version, "title": "c"})
        case "observation.remove":
            response = api.delete(f"/observations/{observation.uid}")
        case "action.add":
            response = api.post(f"{aar}/actions", {"text": "t", "owner": side["unit"].short_name, "due": "2026-01-05"})
        case "action.done":
            response = api.post(f"{aar}/actions/{action.pk}/done", {"done": True})
        case "lesson.advance":
            response = api.post(
                f"/observations/{observation.uid}/stage", {"version": observation.version, "stage": "VALIDATED"}
            )
        case "channelitem.close":
            item = ChannelItem.objects.get(observation=observation)
            response = api.post(f"/channel-items/{item.uid}/close", {"version": item.version, "closure": "Closed."})
        case "form.aar_edit":
            response = client.post(f"{aar}/edit/", report_form(report))
        case "form.aar_submit":
            response = client.post(f"{aar}/submit/", version)
        case "form.aar_return":
            response = client.post(f"{aar}/return/", {**version, "comment": "Say more."})
        case "form.aar_approve":
            response = client.post(f"{aar}/approve/", {**version, "comment": ""})
        case "form.aar_disseminate":
            response = client.post(f"{aar}/disseminate/")
        case "form.observation":
            response = client.post(f"{aar}/observations/new/", OBSERVATION_FORM)
        case "form.observation_edit":
            response = client.post(
                f"/observations/{observation.uid}/edit/",
                {**OBSERVATION_FORM, "version": observation.version, "title": "changed by form"},
            )
        case "form.observation_remove":
            response = client.post(f"/observations/{observation.uid}/remove/")
        case "form.action":
            response = client.post(f"{aar}/actions/", {"text": "t", "owner": side["unit"].pk, "due": "2026-01-05"})
        case "form.action_done":
            response = client.post(f"{aar}/actions/done/", {"action": action.pk, "done": "1"})
        case "form.lesson_stage":
            response = client.post(
                f"/observations/{observation.uid}/advance/", {"version": observation.version, "stage": "VALIDATED"}
            )
        case "form.channelitem_close":
            item = ChannelItem.objects.get(observation=observation)
            response = client.post(f"/channel-items/{item.uid}/close/", {"version": item.version, "closure": "Closed."})
    return response.status_code, before


def attempt_measure(operation: str, side: dict, api: ApiClient) -> tuple[int, int]:
    """Try one measures operation by the API; return (HTTP status, the audit entry count before it was tried).
    What it works on is recorded first by a separate administrator, so that nobody approves their own value."""
    event, objective = side["event"], side["objective"]
    recorder = make_user("recorder", "administrator")
    mop = Indicator.objects.create(
        code=f"MOP-{event.code}", kind="MOP", statement="s", event=event, unit="officers", data_source="roster"
    )
    value = measures.record(
        actor=recorder, indicator=mop, date=date(2026, 3, 5), value=3, submit=operation in APPROVAL_WORK
    )
    assessment = measures.create_assessment(
        actor=recorder, objective=objective, period="FY2026", rating=3, rationale="r"
    )
    if operation == "assessment.submit":
        measures.cite(actor=recorder, assessment=assessment, kind="DOCUMENT", document="Staff study")
    before = AuditEntry.objects.count()
    values, assessed = f"/values/{value.uid}", f"/assessments/{assessment.uid}"
    match operation:
        case "indicator.add":
            response = api.post(
                "/indicators",
                {
                    "code": "MOP-NEW",
                    "kind": "MOP",
                    "statement": "s",
                    "event": event.code,
                    "unit": "u",
                    "data_source": "d",
                },
            )
        case "indicator.change":
            response = api.patch(f"/indicators/{mop.code}", {"version": mop.version, "method": "Count the roster"})
        case "target.set":
            response = api.put(f"/indicators/{mop.code}/targets/FY2026", {"value": 5})
        case "period.lock":
            response = api.post(f"/indicators/{mop.code}/locks/FY2025", {})
        case "value.record":
            response = api.post(f"/indicators/{mop.uid}/values", {"date": "2026-03-06", "value": 4})
        case "value.change":
            response = api.patch(values, {"version": value.version, "value": 4})
        case "value.submit":
            response = api.post(f"{values}/submit", {"version": value.version})
        case "value.approve":
            response = api.post(f"{values}/approve", {"version": value.version})
        case "value.return":
            response = api.post(f"{values}/return", {"version": value.version, "reason": "Count officers only."})
        case "values.import":
            rows = f"indicator,date,value\n{mop.code},2026-03-06,4\n".encode()
            response = api.upload("/values/import", {"file": ("values.csv", rows)}, dry_run="false")
        case "assessment.add":
            response = api.post(
                f"/objectives/{objective.code}/assessments", {"period": "FY2026", "rating": 4, "rationale": "r"}
            )
        case "assessment.change":
            response = api.patch(assessed, {"version": assessment.version, "rating": 4})
        case "assessment.cite":
            response = api.post(f"{assessed}/evidence", {"kind": "INDICATOR", "indicator": mop.code})
        case "assessment.submit":
            response = api.post(f"{assessed}/submit", {"version": assessment.version})
    return response.status_code, before


def attempt(operation: str, side: dict, world, api: ApiClient, client) -> tuple[int, bool]:
    """Try one operation; return (HTTP status, whether the stored data changed)."""
    event, objective, claim = side["event"], side["objective"], side["secondary"]
    before = AuditEntry.objects.count()
    if operation in AAR_FORMS or operation.split(".")[0] in ("aar", "observation", "action", "lesson", "channelitem"):
        status, before = attempt_aar(operation, side, world, api, client)
        return status, AuditEntry.objects.count() > before
    if operation in MEASURE_WORK:
        status, before = attempt_measure(operation, side, api)
        return status, AuditEntry.objects.count() > before
    match operation:
        case "event.edit":
            status = api.patch(f"/events/{event.uid}", {"version": event.version, "authority": "changed"}).status_code
        case "event.transition":
            status = api.post(f"/events/{event.uid}/transition", {"status": "PLANNING"}).status_code
        case "event.approve":
            status = api.post(f"/events/{side['proposed'].uid}/transition", {"status": "APPROVED"}).status_code
        case "event.add":
            status = api.post(
                "/events",
                {
                    "code": "NEW-1",
                    "name": "n",
                    "event_type": "KLE",
                    "countries": [side["country"].iso3],
                    "executing_unit": side["unit"].short_name,
                    "start_date": "2026-08-01",
                    "end_date": "2026-08-02",
                },
            ).status_code
        case "claim.add":
            status = api.post(
                f"/events/{event.uid}/claims", {"objective": "TCP-O9", "role": "SECONDARY", "expected_change": "x"}
            ).status_code
        case "claim.change":
            status = api.patch(f"/claims/{claim.uid}", {"version": 1, "indicator": "changed"}).status_code
        case "claim.remove":
            status = api.delete(f"/claims/{claim.uid}").status_code
        case "objective.edit":
            status = api.patch(f"/objectives/{objective.uid}", {"version": 1, "target": "changed"}).status_code
        case "objective.add":
            status = api.post(
                "/objectives",
                {
                    "code": "NEW-O",
                    "statement": "s",
                    "level": 3,
                    "primary_type": "REL",
                    "country": side["country"].iso3,
                    "parents": [str(objective.uid)],
                },
            ).status_code
        case "plan.add":
            status = api.post(
                "/plans", {"name": "p", "kind": "TCP", "period_start": "2026-01-01", "period_end": "2027-01-01"}
            ).status_code
        case "plan.edit":
            from goldthread.strategy.models import Plan

            plan = Plan.objects.get_or_create(
                name="CSP", kind="CSP", period_start=date(2025, 1, 1), period_end=date(2030, 1, 1)
            )[0]
            before = AuditEntry.objects.count()
            status = api.patch(f"/plans/{plan.uid}", {"version": plan.version, "name": "changed"}).status_code
        case "organization.add":
            status = api.post("/organizations", {"name": "o", "short_name": "o", "echelon": "TEAM"}).status_code
        case "constraint.add":
            status = api.post(
                f"/countries/{side['country'].iso3}/constraints", {"code": "C", "title": "t", "basis": "b"}
            ).status_code
        case "country.edit":
            status = api.patch(f"/countries/{side['country'].iso3}", {"version": 1, "treaty_ally": False}).status_code
        case "series.add":
            status = api.post("/series", {"name": "New series"}).status_code
        case "series.edit":
            status = api.patch(f"/series/{world.series.uid}", {"version": 1, "description": "d"}).status_code
        case "form.edit":
            status = client.post(
                f"/events/{event.uid}/edit/",
                {
                    "version": event.version,
                    "code": event.code,
                    "name": "changed by form",
                    "event_type": event.event_type,
                    "countries": [side["country"].pk],
                    "start_date": event.start_date,
                    "end_date": event.end_date,
                },
            ).status_code
        case "form.transition":
            client.post(f"/events/{event.uid}/transition/", {"status": "PLANNING"})
            status = 302 if Event.objects.get(pk=event.pk).status == "PLANNING" else 403
        case "form.bulk_transition":
            data = {"event": [str(event.uid)], "action": "transition", "status": "PLANNING"}
            status = client.post("/events/selected/", data).status_code
        case "form.claim":
            status = client.post(
                f"/events/{event.uid}/claims/",
                {
                    "objective": world.starved.pk,
                    "role": "SECONDARY",
                    "direction": "INCREASE",
                    "time_lag_months": 0,
                    "expected_change": "x",
                },
            ).status_code
        case "conference.add":
            status = api.post(
                f"/events/{event.uid}/conferences",
                {"kind": "MPC", "starts": "2026-01-05", "ends": "2026-01-07", "place": "p"},
            ).status_code
        case "conference.approve":
            draft = Conference.objects.create(
                event=event, kind="FPC", starts=date(2026, 2, 1), ends=date(2026, 2, 2), place="p"
            )
            before = AuditEntry.objects.count()
            status = api.post(f"/conferences/{draft.uid}/approve", {}).status_code
        case "order.add":
            status = api.post(
                f"/events/{event.uid}/orders", {"kind": "OPORD", "issuer": side["unit"].short_name, "title": "t"}
            ).status_code
        case "order.issue":
            draft = Order.objects.create(event=event, number=99, kind="OPORD", issuer=side["unit"], title="t")
            before = AuditEntry.objects.count()
            status = api.post(f"/orders/{draft.uid}/issue", {}).status_code
        case "form.order":
            status = client.post(
                f"/events/{event.uid}/orders/new/", {"kind": "OPORD", "issuer": side["unit"].pk, "title": "t"}
            ).status_code
        case "form.order_edit":
            draft = Order.objects.create(event=event, number=98, kind="OPORD", issuer=side["unit"], title="t")
            before = AuditEntry.objects.count()
            status = client.post(
                f"/orders/{draft.uid}/edit/",
                {"version": draft.version, "kind": "OPORD", "issuer": side["unit"].pk, "title": "changed"},
            ).status_code
        case "form.theme":
            status = client.post("/themes/new/", {**THEME_FORM, "country": side["country"].iso3}).status_code
        case "form.theme_edit":
            theme = Theme.objects.create(
                title="t", audience="a", talking_points="p", country=side["country"], valid_from=date(2026, 1, 1)
            )
            before = AuditEntry.objects.count()
            status = client.post(
                f"/themes/{theme.uid}/edit/", {**THEME_FORM, "version": theme.version, "title": "changed"}
            ).status_code
        case "rfi.add":
            status = api.post(
                f"/events/{event.uid}/requests",
                {"topic": "Pay", "question": "q", "owner": side["unit"].short_name, "due": "2026-01-05"},
            ).status_code
        case "form.rfi":
            status = client.post(
                f"/events/{event.uid}/requests/new/",
                {"topic": "Pay", "question": "q", "owner": side["unit"].pk, "due": "2026-01-05"},
            ).status_code
        case "rfi.answer" | "form.rfi_answer":
            asked = InformationRequest.objects.create(
                event=event, topic="Pay", question="q", owner=side["unit"], due=date(2026, 1, 5), asked_by=world.admin
            )
            before = AuditEntry.objects.count()
            if operation == "rfi.answer":
                status = api.post(f"/requests/{asked.uid}/answer", {"version": 1, "answer": "a"}).status_code
            else:
                client.post(f"/requests/{asked.uid}/answer/", {"version": 1, "answer": "a"})
                status = 302 if InformationRequest.objects.get(pk=asked.pk).answer else 403
        case "product.add":
            status = api.post(
                "/products",
                {"kind": "SOCIAL", "title": "t", "country": side["country"].iso3, "events": [event.code]},
            ).status_code
        case "traveler.add":
            status = api.post(
                f"/events/{event.uid}/travelers", {"name": "SGT New", "unit": side["unit"].short_name}
            ).status_code
        case "form.traveler":
            status = client.post(
                f"/events/{event.uid}/travelers/new/", {**TRAVELER_FORM, "name": "SGT Form", "unit": side["unit"].pk}
            ).status_code
        case "traveler.change" | "traveler.remove" | "form.traveler_edit" | "form.traveler_remove":
            traveler = Traveler.objects.create(event=event, name="SGT Old", unit=side["unit"])
            before = AuditEntry.objects.count()
            if operation == "traveler.change":
                status = api.patch(f"/travelers/{traveler.uid}", {"version": 1, "notes": "changed"}).status_code
            elif operation == "traveler.remove":
                status = api.delete(f"/travelers/{traveler.uid}").status_code
            elif operation == "form.traveler_edit":
                status = client.post(
                    f"/travelers/{traveler.uid}/edit/",
                    {**TRAVELER_FORM, "version": 1, "name": "SGT Changed", "unit": side["unit"].pk},
                ).status_code
            else:
                client.post(f"/travelers/{traveler.uid}/remove/")
                status = 302 if not Traveler.objects.filter(pk=traveler.pk).exists() else 403
        case "entryrule.set":
            status = api._call(
                "put", f"/countries/{side['country'].iso3}/entry-rules", {"visa_required": True}
            ).status_code
        case "form.entryrule":
            status = client.post(f"/countries/{side['country'].iso3}/entry-rules/", ENTRY_RULE_FORM).status_code
        case "standing.set":
            status = api.put(f"/evaluation/portfolio/{side['country'].iso3}/standing", STANDING).status_code
        case "form.standing":
            status = client.post(f"/evaluation/portfolio/{side['country'].iso3}/standing/", STANDING).status_code
        case "folder.edit" | "form.folder_edit" | "contact.add" | "observance.add" | "attachment.add":
            folder = f"/countries/{side['country'].iso3}"
            day = "2026-01-01"
            if operation == "folder.edit":
                status = api.put(f"{folder}/folder/entry", {"text": "t", "reason": "r"}).status_code
            elif operation == "form.folder_edit":
                client.post(f"{folder}/folder/entry/edit/", {"text": "form", "reason": "r"})
                status = 302 if Section.objects.filter(country=side["country"], text="form").exists() else 403
            elif operation == "contact.add":
                status = api.post(f"{folder}/contacts", {"role": "r", "name": "n", "held_from": day}).status_code
            elif operation == "observance.add":
                status = api.post(f"{folder}/observances", {"name": "n", "starts": day, "ends": day}).status_code
            else:
                status = api.upload(f"{folder}/attachments", {"file": ("a.txt", b"text")}).status_code
        case "reconciliation.import":
            rows = f"EVENT_CODE,EVENT_ID\n{event.code},SOC-{event.code}\n".encode()
            status = api.upload("/evaluation/reconciliation/import", {"file": ("socium.csv", rows)}).status_code
        case "form.claim_remove":
            client.post(f"/claims/{claim.uid}/delete/")
            status = 302 if not ContributionClaim.objects.filter(pk=claim.pk).exists() else 403
    return status, AuditEntry.objects.count() > before


@pytest.mark.parametrize("side", ["own", "other"])
@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(scene, client, role, operation, side):
    world, sides, users = scene
    user = users[role]
    api = ApiClient(client, create_token(actor=None, user=user)[1])
    client.force_login(user)
    allowed = EXPECTED[role][side] == "*" or operation in EXPECTED[role][side]
    status, changed = attempt(operation, sides[side], world, api, client)
    if allowed:
        assert status in (200, 201, 204, 302) and changed, f"{role} should be able to {operation} ({side}): {status}"
    else:
        assert status in (400, 403, 404) and not changed, f"{role} must not {operation} ({side}): {status}"
        if status == 400:  # forms re-render with the refusal in place
            assert operation.startswith("form.") or operation in ROW_CHECKED
        if status == 404:  # a draft does not exist for those who may not change it
            assert operation in DRAFT_WORK


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_every_list(scene, client, role):
    world, _, users = scene
    api = ApiClient(client, create_token(actor=None, user=users[role])[1])
    for path in (
        "/countries",
        "/organizations",
        "/plans",
        "/objectives",
        "/events",
        "/series",
        "/evaluation/coverage",
        "/evaluation/coverage/orphan-event",
        "/evaluation/coverage-breakdown",
        "/evaluation/discipline",
        f"/evaluation/contribution/{world.imo.uid}",
        "/evaluation/portfolio",
        "/audit",
        f"/events/{world.event.uid}/thread",
        f"/objectives/{world.national.uid}/thread",
        f"/events/{world.event.uid}/readiness",
        f"/events/{world.event.uid}/travelers",
        "/countries/THA/entry-rules",
        "/aars",
        "/aars/overdue",
        "/channel-items",
        "/lessons",
        "/lessons/recurring",
        f"/lessons/relevant?event={world.event.uid}",
        "/search/facets?q=interpreters",
        "/indicators",
        "/compliance",
        f"/events/{world.event.uid}/tasks",
        f"/objectives/{world.imo.uid}/assessments",
        "/evaluation/reconciliation/report",
        "/evaluation/reconciliation/export.csv",
    ):
        assert api.get(path).status_code == 200, path
    client.force_login(users[role])
    pages = ("/", "/objectives/", "/events/", f"/events/{world.event.uid}/", "/audit/", "/themes/")
    evaluation = ("/evaluation/", "/evaluation/discipline/", "/evaluation/portfolio/", "/evaluation/report.docx")
    readiness = (f"/events/{world.event.uid}/readiness/", "/entry-rules/", "/countries/THA/entry-rules/")
    for page in pages + readiness + evaluation:
        assert client.get(page).status_code == 200, page
