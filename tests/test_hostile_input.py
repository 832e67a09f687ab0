"""XSS and CSRF probes on every form fail: a form posted without its token changes nothing, and hostile text that
users store comes back escaped on every page (including the inline SVG), and verbatim in the JSON API."""

import base64
import inspect
import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser

import docx
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.signals import template_rendered
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.html import escape

from goldthread.aars import services as aars
from goldthread.aars.models import Action, ChannelItem, Observation, Report
from goldthread.api import api as ninja_api
from goldthread.core.models import AuditEntry
from goldthread.delivery.models import Delivery
from goldthread.evaluation.models import CountryStanding
from goldthread.events.models import ContributionClaim, Event
from goldthread.folders import services as folders
from goldthread.folders.models import Attachment, Observance, Section
from goldthread.measures import services as measures
from goldthread.measures.models import Assessment, Evidence, Indicator, Measurement, PeriodLock, Target
from goldthread.planning import services as planning
from goldthread.planning.models import Conference, InformationRequest, Order, Theme
from goldthread.readiness import services as readiness
from goldthread.readiness.models import EntryRule, Traveler

from .conftest import PASSWORD, make_user

# --- CSRF --------------------------------------------------------------------------------------------------------


def _today():
    return timezone.localdate()


def _event_form(world, code: str, name: str) -> dict:
    return {
        "code": code,
        "name": name,
        "event_type": "KLE",
        "start_date": _today().isoformat(),
        "end_date": _today().isoformat(),
        "countries": [world.phl.pk],
        "authority": "",
        "description": "",
        "markings": "",
    }


def _fresh(record):
    return type(record).objects.get(pk=record.pk)


def _conference(w, *, approved: bool) -> Conference:
    """A conference record of the world's event, made once per test however often the form is built."""
    key = "approved_conference" if approved else "draft_conference"
    if not hasattr(w, key):
        conference = planning.create_conference(
            actor=w.planner,
            event=w.event,
            kind="MPC",
            starts=date(2025, 2, 18),
            ends=date(2025, 2, 20),
            place="Lopburi",
        )
        if approved:
            planning.approve_conference(actor=w.planner, conference=conference)
        setattr(w, key, conference)
    return getattr(w, key)


def _order(w) -> Order:
    if not hasattr(w, "draft_order"):
        w.draft_order = planning.draft_order(
            actor=w.planner, event=w.event, kind=Order.Kind.OPORD, issuer=w.usarpac, title="Order to forge"
        )
    return w.draft_order


def _theme(w) -> Theme:
    if not hasattr(w, "theme"):
        w.theme = planning.create_theme(
            actor=w.planner, title="Theme to forge", audience="Media", talking_points="p", valid_from=date(2025, 1, 1)
        )
    return w.theme


def _rfi(w) -> InformationRequest:
    if not hasattr(w, "rfi"):
        w.rfi = planning.ask(
            actor=w.planner, event=w.event, topic="Pay", question="Visas?", owner=w.usarpac, due=date(2025, 5, 1)
        )
    return w.rfi


def _section(w) -> Section:
    """Thailand's logistics section with two revisions, so it can be verified and restored."""
    if not hasattr(w, "section"):
        for text in ("First text", "Second text"):
            w.section = folders.edit_section(
                actor=w.planner, country=w.tha, key="logistics", version=None, text=text, reason="r"
            )
    return w.section


def _delivery(w) -> Delivery:
    # Approval delivers to the executing unit's members: the unit planner gets it in the inbox.
    return Delivery.objects.get(recipient=w.unit, record_uid=_conference(w, approved=True).uid)


def _traveler(w) -> Traveler:
    if not hasattr(w, "traveler"):
        w.traveler = readiness.add_traveler(actor=w.planner, event=w.event, name="SSG Forge", unit=w.bct)
    return w.traveler


def _completed(w) -> Event:
    """The world's exercise, executed: it owes an AAR."""
    Event.objects.filter(pk=w.event.pk).update(status=Event.Status.COMPLETED)
    w.event.refresh_from_db()
    return w.event


def _report(w, status: str = Report.Status.DRAFT) -> Report:
    """The exercise's AAR with a critical access blocker and an action, moved to `status`; made once per test."""
    if not hasattr(w, "report"):
        report = aars.start(actor=w.planner, event=_completed(w))
        w.blocker = aars.add_observation(
            actor=w.planner,
            report=report,
            fields={"title": "Customs", "observation": "Held.", "criticality": "CRITICAL", "channel": "ACCESS_BLOCKER"},
        )
        w.action = aars.add_action(actor=w.planner, report=report, text="Budget", owner=w.usarpac, due=_today())
        if status != Report.Status.DRAFT:
            aars.submit(actor=w.planner, report=report, version=report.version)
        if status == Report.Status.DISSEMINATED:
            aars.approve(actor=w.planner, report=report, version=report.version)
        w.report = report
    return w.report


def _blocker(w, status: str = Report.Status.DRAFT) -> Observation:
    _report(w, status)
    return w.blocker


def _with_latecomer(w) -> Report:
    """The disseminated AAR, and a member of the executing unit who joined after it went out: disseminating again
    reaches them."""
    if not hasattr(w, "latecomer"):
        _report(w, Report.Status.DISSEMINATED)
        w.latecomer = make_user("latecomer", "executor", w.bct)
    return w.report


def _docx() -> bytes:
    document = docx.Document()
    document.add_heading("Summary", level=1)
    document.add_paragraph("Forged import")
    content = io.BytesIO()
    document.save(content)
    return content.getvalue()


def _indicator(w) -> Indicator:
    """A MOE on the Thai country objective, with a lock on FY2023; made once per test."""
    if not hasattr(w, "indicator"):
        w.indicator = measures.create_indicator(
            actor=w.admin, code="MOE-FORGE", kind="MOE", statement="s", objective=w.army, unit="n", data_source="s"
        )
        measures.lock(actor=w.admin, indicator=w.indicator, period="FY2023")
    return w.indicator


def _value(w, status: str = Measurement.Status.SUBMITTED) -> Measurement:
    """A value of that indicator, recorded by someone other than the planner who decides on it."""
    if not hasattr(w, "value"):
        w.value = measures.record(
            actor=w.admin,
            indicator=_indicator(w),
            date=date(2025, 8, 1),
            value=3,
            submit=status == Measurement.Status.SUBMITTED,
        )
    return w.value


def _assessment(w) -> Assessment:
    """A draft assessment of the Thai country objective citing one document."""
    if not hasattr(w, "assessment"):
        w.assessment = measures.create_assessment(
            actor=w.admin, objective=w.army, period="FY2025", rating=3, rationale="Plans improved."
        )
        w.evidence = measures.cite(actor=w.admin, assessment=w.assessment, kind="DOCUMENT", document="Report")
    return w.assessment


INDICATOR_FORM = {
    "kind": "MOE",
    "unit": "n",
    "good": "HIGHER",
    "data_source": "s",
    "frequency": "QUARTERLY",
    "accumulation": "PERIODIC",
    "aggregation": "SUM",
    "status": "ACTIVE",
}
FORGED_IMPORT = base64.b64encode(b"indicator,date,value,note\nMOE-FORGE,2025-08-01,3,Forged import\n").decode()


class _Rendered:
    """Proof that a post which stores nothing was answered: whether its template was rendered since the probe was
    built."""

    def __init__(self, template: str):
        self.template, self.seen = template, False
        template_rendered.connect(self.listen)  # held weakly: it goes with the probe

    def listen(self, sender, template, **kwargs) -> None:
        self.seen = self.seen or template.name == self.template

    def __call__(self, client: Client) -> bool:
        return self.seen


TRAVELER_FORM = {"passport_type": "NONE", "country_clearance": "NOT_REQUESTED", "theater_clearance": "NOT_REQUESTED"}
ENTRY_RULE_FORM = {
    "country_clearance_days": 30,
    "theater_clearance_days": 30,
    "official_passport_business_days": 30,
    "visa_business_days": 15,
    "training": "AT Level 1; 12",
}


@dataclass
class Form:
    path: str
    data: dict
    took_effect: Callable[[Client], bool]  # proof that the same post, with its token, changed what it should
    user: str = "planner"  # who posts it


# Every web form that changes something, by URL name. Built from the database at the moment of posting, so that
# versions are current.
FORMS: dict[str, Callable[..., Form]] = {
    "login": lambda w: Form(
        "/login/",
        {"username": w.reader.username, "password": PASSWORD},
        lambda client: client.session.get("_auth_user_id") == str(w.reader.pk),
    ),
    "logout": lambda w: Form("/logout/", {}, lambda client: "_auth_user_id" not in client.session),
    "event-create": lambda w: Form(
        "/events/new/",
        _event_form(w, "CSRF-NEW", "Forged event"),
        lambda client: Event.objects.filter(code="CSRF-NEW").exists(),
    ),
    "event-edit": lambda w: Form(
        f"/events/{w.orphan.uid}/edit/",
        {**_event_form(w, w.orphan.code, "Forged name"), "version": _fresh(w.orphan).version},
        lambda client: _fresh(w.orphan).name == "Forged name",
    ),
    "event-transition": lambda w: Form(
        f"/events/{w.orphan.uid}/transition/",
        {"status": Event.Status.APPROVED, "version": _fresh(w.orphan).version},
        lambda client: _fresh(w.orphan).status == Event.Status.APPROVED,
    ),
    "event-bulk": lambda w: Form(
        "/events/selected/",
        {"event": [str(w.orphan.uid)], "action": "transition", "status": Event.Status.APPROVED},
        lambda client: _fresh(w.orphan).status == Event.Status.APPROVED,
    ),
    "claim-add": lambda w: Form(
        f"/events/{w.orphan.uid}/claims/",
        {
            "objective": w.rel.pk,
            "role": "PRIMARY",
            "objective_type": "REL",
            "expected_change": "Forged claim",
            "indicator": "",
            "direction": "INCREASE",
            "time_lag_months": 0,
            "assumptions": "",
        },
        lambda client: w.orphan.claims.filter(expected_change="Forged claim").exists(),
    ),
    "claim-remove": lambda w: Form(
        f"/claims/{w.claim.uid}/delete/",
        {},
        lambda client: not ContributionClaim.objects.filter(pk=w.claim.pk).exists(),
    ),
    "conference-approve": lambda w: Form(
        f"/conferences/{_conference(w, approved=False).uid}/approve/",
        {},
        lambda client: _fresh(_conference(w, approved=False)).status == Conference.Status.APPROVED,
    ),
    "conference-correct": lambda w: Form(
        f"/conferences/{_conference(w, approved=True).uid}/correct/",
        {"reason": "Forged correction"},
        lambda client: Conference.objects.filter(correction_reason="Forged correction").exists(),
    ),
    "conference-create": lambda w: Form(
        f"/events/{w.event.uid}/conferences/new/",
        {"kind": "FPC", "starts": "2025-05-01", "ends": "2025-05-02", "place": "Forged place"},
        lambda client: Conference.objects.filter(place="Forged place").exists(),
    ),
    "conference-edit": lambda w: Form(
        f"/conferences/{_conference(w, approved=False).uid}/edit/",
        {
            "version": _fresh(_conference(w, approved=False)).version,
            "kind": "MPC",
            "starts": "2025-02-18",
            "ends": "2025-02-20",
            "place": "Forged edit",
        },
        lambda client: _fresh(_conference(w, approved=False)).place == "Forged edit",
    ),
    "order-create": lambda w: Form(
        f"/events/{w.event.uid}/orders/new/",
        {"kind": "OPORD", "issuer": w.usarpac.pk, "title": "Forged order"},
        lambda client: Order.objects.filter(title="Forged order").exists(),
    ),
    "order-edit": lambda w: Form(
        f"/orders/{_order(w).uid}/edit/",
        {"version": _fresh(_order(w)).version, "kind": "OPORD", "issuer": w.usarpac.pk, "title": "Forged edit"},
        lambda client: _fresh(_order(w)).title == "Forged edit",
    ),
    "theme-create": lambda w: Form(
        "/themes/new/",
        {
            "title": "Forged theme",
            "audience": "a",
            "talking_points": "p",
            "valid_from": "2025-01-01",
            "status": "DRAFT",
        },
        lambda client: Theme.objects.filter(title="Forged theme").exists(),
    ),
    "theme-edit": lambda w: Form(
        f"/themes/{_theme(w).uid}/edit/",
        {
            "version": _fresh(_theme(w)).version,
            "title": "Forged theme edit",
            "audience": "a",
            "talking_points": "p",
            "valid_from": "2025-01-01",
            "status": "DRAFT",
        },
        lambda client: _fresh(_theme(w)).title == "Forged theme edit",
    ),
    "rfi-create": lambda w: Form(
        f"/events/{w.event.uid}/requests/new/",
        {"topic": "History", "question": "Forged question", "owner": w.usarpac.pk, "due": "2025-05-01"},
        lambda client: InformationRequest.objects.filter(question="Forged question").exists(),
    ),
    "rfi-answer": lambda w: Form(
        f"/requests/{_rfi(w).uid}/answer/",
        {"version": _fresh(_rfi(w)).version, "answer": "Forged answer"},
        lambda client: _fresh(_rfi(w)).answer == "Forged answer",
    ),
    "rfi-withdraw": lambda w: Form(
        f"/requests/{_rfi(w).uid}/withdraw/",
        {"version": _fresh(_rfi(w)).version},
        lambda client: _fresh(_rfi(w)).status == InformationRequest.Status.WITHDRAWN,
    ),
    "folder-section-edit": lambda w: Form(
        "/countries/THA/folder/entry/edit/",
        {"text": "Forged entry rules", "reason": "r", "version": 1},
        lambda client: Section.objects.filter(key="entry", text="Forged entry rules").exists(),
    ),
    "folder-section-verify": lambda w: Form(
        f"/countries/THA/folder/{_section(w).key}/verify/",
        {},
        lambda client: (
            _fresh(_section(w)).verified_by_id == w.planner.pk
            and AuditEntry.objects.filter(action="section.verified").exists()
        ),
    ),
    "folder-section-restore": lambda w: Form(
        f"/countries/THA/folder/{_section(w).key}/restore/",
        {"number": 1, "version": _fresh(_section(w)).version},
        lambda client: _fresh(_section(w)).text == "First text",
    ),
    "observance-add": lambda w: Form(
        "/countries/THA/folder/observances/",
        {"name": "Forged day", "starts": "2026-05-01", "ends": "2026-05-01", "note": ""},
        lambda client: Observance.objects.filter(name="Forged day").exists(),
    ),
    "attachment-add": lambda w: Form(
        "/countries/THA/folder/attachments/",
        {"file": SimpleUploadedFile("forged.txt", b"forged"), "section": ""},
        lambda client: Attachment.objects.filter(name="forged.txt").exists(),
    ),
    "order-issue": lambda w: Form(
        f"/orders/{_order(w).uid}/issue/",
        {},
        lambda client: _fresh(_order(w)).status == Order.Status.ISSUED,
    ),
    "traveler-create": lambda w: Form(
        f"/events/{w.event.uid}/travelers/new/",
        {**TRAVELER_FORM, "unit": w.bct.pk, "name": "Forged traveler"},
        lambda client: Traveler.objects.filter(name="Forged traveler").exists(),
    ),
    "traveler-edit": lambda w: Form(
        f"/travelers/{_traveler(w).uid}/edit/",
        {**TRAVELER_FORM, "unit": w.bct.pk, "name": "Forged edit", "version": _fresh(_traveler(w)).version},
        lambda client: _fresh(_traveler(w)).name == "Forged edit",
    ),
    "traveler-remove": lambda w: Form(
        f"/travelers/{_traveler(w).uid}/remove/",
        {},
        lambda client: not Traveler.objects.filter(pk=_traveler(w).pk).exists(),
    ),
    "entry-rule": lambda w: Form(
        "/countries/THA/entry-rules/",
        {**ENTRY_RULE_FORM, "notes": "Forged rule"},
        lambda client: EntryRule.objects.filter(notes="Forged rule").exists(),
    ),
    "delivery-acknowledge": lambda w: Form(
        f"/inbox/{_delivery(w).uid}/acknowledge/",
        {},
        lambda client: _fresh(_delivery(w)).acknowledged is not None,
        user="unit",
    ),
    "inbox-acknowledge": lambda w: Form(
        "/inbox/acknowledge/",
        {"delivery": [str(_delivery(w).uid)]},
        lambda client: _fresh(_delivery(w)).acknowledged is not None,
        user="unit",
    ),
    "aar-start": lambda w: Form(
        f"/events/{_completed(w).uid}/aar/start/",
        {},
        lambda client: Report.objects.filter(event=w.event).exists(),
    ),
    "aar-import": lambda w: Form(
        f"/events/{_completed(w).uid}/aar/import/",
        {"file": SimpleUploadedFile("legacy.docx", _docx())},
        lambda client: Report.objects.filter(event=w.event, summary__contains="Forged import").exists(),
    ),
    "aar-edit": lambda w: Form(
        f"/aars/{_report(w).uid}/edit/",
        {"version": _fresh(_report(w)).version, "summary": "Forged summary"},
        lambda client: _fresh(_report(w)).summary == "Forged summary",
    ),
    "aar-score": lambda w: Form(
        f"/aars/{_report(w).uid}/score/", {"capability": "Forged"}, _Rendered("aars/_score.html")
    ),
    "aar-submit": lambda w: Form(
        f"/aars/{_report(w).uid}/submit/",
        {"version": _fresh(_report(w)).version},
        lambda client: _fresh(_report(w)).status == Report.Status.SUBMITTED,
    ),
    "aar-return": lambda w: Form(
        f"/aars/{_report(w, Report.Status.SUBMITTED).uid}/return/",
        {"version": _fresh(_report(w)).version, "comment": "Forged comment"},
        lambda client: _fresh(_report(w)).status == Report.Status.RETURNED,
    ),
    "aar-approve": lambda w: Form(
        f"/aars/{_report(w, Report.Status.SUBMITTED).uid}/approve/",
        {"version": _fresh(_report(w)).version},
        lambda client: _fresh(_report(w)).status == Report.Status.DISSEMINATED,
    ),
    "aar-disseminate": lambda w: Form(
        f"/aars/{_with_latecomer(w).uid}/disseminate/",
        {},
        lambda client: Delivery.objects.filter(record_uid=w.report.uid, recipient=w.latecomer).exists(),
    ),
    "aar-action-add": lambda w: Form(
        f"/aars/{_report(w).uid}/actions/",
        {"text": "Forged action", "owner": w.usarpac.pk, "due": "2026-03-01"},
        lambda client: Action.objects.filter(text="Forged action").exists(),
    ),
    "aar-action-done": lambda w: Form(
        f"/aars/{_report(w).uid}/actions/done/",
        {"action": w.action.pk, "done": "1"},
        lambda client: _fresh(w.action).done,
    ),
    "observation-create": lambda w: Form(
        f"/aars/{_report(w).uid}/observations/new/",
        {
            "title": "Forged observation",
            "observation": "x",
            "finding": "IMPROVE",
            "criticality": "ROUTINE",
            "channel": "NONE",
        },
        lambda client: Observation.objects.filter(title="Forged observation").exists(),
    ),
    "observation-edit": lambda w: Form(
        f"/observations/{_blocker(w).uid}/edit/",
        {
            "version": _fresh(w.blocker).version,
            "title": "Forged edit",
            "finding": "IMPROVE",
            "observation": "x",
            "criticality": "ROUTINE",
            "channel": "NONE",
        },
        lambda client: _fresh(w.blocker).title == "Forged edit",
    ),
    "observation-remove": lambda w: Form(
        f"/observations/{_blocker(w).uid}/remove/",
        {},
        lambda client: not Observation.objects.filter(pk=w.blocker.pk).exists(),
    ),
    "observation-advance": lambda w: Form(
        f"/observations/{_blocker(w, Report.Status.DISSEMINATED).uid}/advance/",
        {"version": _fresh(w.blocker).version, "stage": "VALIDATED"},
        lambda client: _fresh(w.blocker).stage == Observation.Stage.VALIDATED,
    ),
    "channel-item-close": lambda w: Form(
        f"/channel-items/{ChannelItem.objects.get(observation=_blocker(w, Report.Status.DISSEMINATED)).uid}/close/",
        {"version": 1, "closure": "Forged closure"},
        lambda client: ChannelItem.objects.filter(closure="Forged closure", closed_at__isnull=False).exists(),
    ),
    "indicator-create": lambda w: Form(
        "/indicators/new/",
        {**INDICATOR_FORM, "code": "MOE-FORGED", "statement": "Forged", "objective": w.army.pk},
        lambda client: Indicator.objects.filter(code="MOE-FORGED").exists(),
    ),
    "indicator-edit": lambda w: Form(
        f"/indicators/{_indicator(w).uid}/edit/",
        {
            **INDICATOR_FORM,
            "code": "MOE-FORGE",
            "statement": "Forged edit",
            "objective": w.army.pk,
            "version": _fresh(_indicator(w)).version,
        },
        lambda client: _fresh(_indicator(w)).statement == "Forged edit",
    ),
    "indicator-target": lambda w: Form(
        f"/indicators/{_indicator(w).uid}/targets/",
        {"period": "FY2026", "value": "5"},
        lambda client: Target.objects.filter(indicator=_indicator(w), period="FY2026").exists(),
    ),
    "indicator-lock": lambda w: Form(
        f"/indicators/{_indicator(w).uid}/lock/",
        {"period": "FY2024"},
        lambda client: PeriodLock.objects.filter(indicator=_indicator(w), period="FY2024").exists(),
    ),
    "indicator-unlock": lambda w: Form(
        f"/indicators/{_indicator(w).uid}/unlock/",
        {"period": "FY2023"},
        lambda client: not PeriodLock.objects.filter(indicator=_indicator(w), period="FY2023").exists(),
    ),
    "standing-edit": lambda w: Form(
        f"/evaluation/portfolio/{w.tha.iso3}/standing/",
        {
            "priority": "1",
            "absorptive_capacity": "3",
            "relationship": "4",
            "capability": "3",
            "rationale": "Treaty ally.",
            "reviewed_on": "2026-10-01",
        },
        lambda client: CountryStanding.objects.filter(country__iso3="THA").exists(),
    ),
    "indicator-import": lambda w: Form(
        "/indicators/import/",
        {"file": SimpleUploadedFile("forged.csv", b"indicator,date,value\nMOE-THA-9,2025-08-01,3\n")},
        _Rendered("measures/import_preview.html"),
    ),
    "indicator-import-confirm": lambda w: Form(
        "/indicators/import/confirm/",
        {"name": f"forged-{_indicator(w).code}.csv", "content": FORGED_IMPORT},
        lambda client: Measurement.objects.filter(note="Forged import").exists(),
    ),
    "value-create": lambda w: Form(
        f"/indicators/{_indicator(w).uid}/values/new/",
        {"date": "2025-08-01", "value": "3", "note": "Forged value"},
        lambda client: Measurement.objects.filter(note="Forged value").exists(),
    ),
    "value-edit": lambda w: Form(
        f"/values/{_value(w, Measurement.Status.DRAFT).uid}/edit/",
        {"version": _fresh(w.value).version, "date": "2025-08-01", "value": "4", "note": "Forged edit"},
        lambda client: _fresh(w.value).note == "Forged edit",
    ),
    "value-submit": lambda w: Form(
        f"/values/{_value(w, Measurement.Status.DRAFT).uid}/submit/",
        {"version": _fresh(w.value).version},
        lambda client: _fresh(w.value).status == Measurement.Status.SUBMITTED,
    ),
    "value-approve": lambda w: Form(
        f"/values/{_value(w).uid}/approve/",
        {"version": _fresh(w.value).version},
        lambda client: _fresh(w.value).status == Measurement.Status.APPROVED,
    ),
    "value-return": lambda w: Form(
        f"/values/{_value(w).uid}/return/",
        {"version": _fresh(w.value).version, "reason": "Forged reason"},
        lambda client: _fresh(w.value).return_reason == "Forged reason",
    ),
    "assessment-create": lambda w: Form(
        f"/objectives/{w.army.uid}/assessments/new/",
        {"period": "FY2025", "rating": "3", "rationale": "Forged assessment", "confidence": "MEDIUM"},
        lambda client: Assessment.objects.filter(rationale="Forged assessment").exists(),
    ),
    "assessment-edit": lambda w: Form(
        f"/assessments/{_assessment(w).uid}/edit/",
        {
            "version": _fresh(_assessment(w)).version,
            "period": "FY2025",
            "rating": "4",
            "rationale": "Forged rationale",
            "confidence": "LOW",
        },
        lambda client: _fresh(_assessment(w)).rationale == "Forged rationale",
    ),
    "assessment-cite": lambda w: Form(
        f"/assessments/{_assessment(w).uid}/evidence/",
        {"kind": "DOCUMENT", "document": "Forged document"},
        lambda client: Evidence.objects.filter(document="Forged document").exists(),
    ),
    "assessment-uncite": lambda w: Form(
        f"/assessments/{_assessment(w).uid}/evidence/remove/",
        {"evidence": w.evidence.pk},
        lambda client: not Evidence.objects.filter(pk=w.evidence.pk).exists(),
    ),
    "assessment-submit": lambda w: Form(
        f"/assessments/{_assessment(w).uid}/submit/",
        {"version": _fresh(_assessment(w)).version},
        lambda client: _fresh(_assessment(w)).status == Assessment.Status.SUBMITTED,
    ),
}


def _web_patterns(resolver=None, prefix=""):
    """(route, pattern) for every URL outside the API, found by walking the resolver, so none can be overlooked."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace != "api":  # the API has its own probe below, operation by operation
                yield from _web_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def _accepts_post(pattern: URLPattern) -> bool:
    view = pattern.callback
    if hasattr(view, "view_class"):
        return hasattr(view.view_class, "post")
    layer = view
    while layer is not None:  # @require_POST keeps its methods in a closure of one of the wrappers
        if "POST" in (inspect.getclosurevars(layer).nonlocals.get("request_method_list") or ()):
            return True
        layer = getattr(layer, "__wrapped__", None)
    return "POST" in inspect.getsource(inspect.unwrap(view))


def _concrete(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?\w+>", str(uuid.uuid4()), route)


def _state() -> dict[str, list[tuple]]:
    """Every row of every Goldthread table (the test data set is small): "changes nothing" means nothing at all."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for model in apps.get_models()
        if model.__module__.startswith("goldthread.")
    }


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _refused_for_csrf(response) -> bool:
    return response.status_code == 403 and b"CSRF verification failed" in response.content


def test_the_probed_forms_are_exactly_the_views_that_accept_post():
    posting = {pattern.name for _, pattern in _web_patterns() if _accepts_post(pattern)}
    assert posting == set(FORMS), "a form was added or removed: list it in FORMS so it is probed"


@pytest.mark.parametrize("name", sorted(FORMS))
def test_form_without_csrf_token_is_refused_and_changes_nothing(world, name):
    form = FORMS[name](world)
    user = getattr(world, form.user)
    client = _client(user)
    before = _state()

    response = client.post(form.path, form.data)

    assert _refused_for_csrf(response), f"{name}: {response.status_code}"
    assert _state() == before
    assert client.session.get("_auth_user_id") == str(user.pk)
    assert not form.took_effect(client)

    # The same post with the token goes through: the probe carried a real, valid change, not junk.
    client.get("/login/")
    form = FORMS[name](world)
    accepted = client.post(form.path, {**form.data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert accepted.status_code in (200, 302), f"{name}: {accepted.status_code}"
    assert form.took_effect(client), name


def test_every_web_url_refuses_a_post_without_token(world):
    client = _client(world.planner)
    before = _state()
    for route, pattern in _web_patterns():
        response = client.post(_concrete(route), {})
        assert _refused_for_csrf(response), f"{route} ({pattern.name}): {response.status_code}"
    assert _state() == before


def test_api_writes_with_a_session_cookie_need_the_csrf_token(world):
    """A logged-in browser also carries its session to /api/v1; a forged cross-site write must not ride on it."""
    client = _client(world.planner)
    before = _state()
    writes = [
        (path, method)
        for path, operations in ninja_api.get_openapi_schema()["paths"].items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
    ]
    assert len(writes) >= 15  # the schema really was read
    for path, method in writes:
        concrete = re.sub(r"\{iso3\}", "PHL", re.sub(r"\{\w*uid\}", str(world.event.uid), path))
        response = client.generic(method.upper(), concrete, "{}", content_type="application/json")
        assert response.status_code == 403, f"{method.upper()} {path}: {response.status_code} {response.content[:200]}"
    assert _state() == before


# --- XSS ---------------------------------------------------------------------------------------------------------

# Each stored value starts with a two-letter tag naming its field, then the payload, cut to the field's length.
# The title breakout comes first so that even a 40-character code carries it.
BREAKOUT = "</title><svg onload=alert(1)>"
PAYLOAD = BREAKOUT + '<script>alert(1)</script>"><img src=x onerror=alert(1)>javascript:alert(1)'
RAW = ["<script>alert", "<img src=x", "<svg onload", "</title><svg"]


def hostile(tag: str, limit: int = 20_000) -> str:
    return (tag + PAYLOAD)[:limit]


def shown(tag: str) -> str:
    """How the start of the field's value must look in HTML: escaped, the same under Django's and the SVG's escaping."""
    return escape(tag + BREAKOUT)


class _Scan(HTMLParser):
    """Elements a browser would run: event-handler attributes, javascript: URLs, inline scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script" and not values.get("src"):
            self.problems.append("inline <script>")

    handle_startendtag = handle_starttag


def assert_harmless(html: str, where: str) -> None:
    for raw in RAW:
        assert raw not in html, f"{where}: {raw!r} is in the page unescaped"
    scan = _Scan()
    scan.feed(html)
    scan.close()
    assert not scan.problems, f"{where}: {scan.problems}"


@pytest.fixture
def hostile_world(world, api):
    """Hostile text in every free-text field a planner can set, stored through the API as a client would."""
    today = _today()
    h = {}

    def ok(response, status=201):
        assert response.status_code == status, response.content
        return response.json()

    h["org"] = ok(
        api.post(
            "/organizations",
            {"name": hostile("GN", 200), "short_name": hostile("GS", 60), "echelon": "BRIGADE", "parent": "USARPAC"},
        )
    )
    h["series"] = ok(api.post("/series", {"name": hostile("SN", 120), "description": hostile("SD")}))
    h["objective"] = ok(
        api.post(
            "/objectives",
            {
                "code": hostile("OC", 40),
                "statement": hostile("OT"),
                "level": 3,
                "primary_type": "REL",
                "country": "PHL",
                "owner": h["org"]["short_name"],
                "measure": hostile("OM", 300),
                "target": hostile("OG", 200),
                "markings": hostile("OK", 120),
                "parents": ["TCP-O1"],
            },
        )
    )
    # Nothing serves it, so the coverage page lists it.
    h["starved"] = ok(
        api.post(
            "/objectives", {"code": hostile("PC", 40), "statement": hostile("PT"), "level": 1, "primary_type": "ACC"}
        )
    )
    event = {
        "event_type": "KLE",
        "countries": ["PHL"],
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=1)).isoformat(),
        "executing_unit": h["org"]["short_name"],
        # The planner's own headquarters supports it, so approved records of it reach the planner's inbox.
        "supporting_units": ["USARPAC"],
    }
    h["event"] = ok(
        api.post(
            "/events",
            {
                **event,
                "code": hostile("EC", 40),
                "record_id": hostile("ER", 40),
                "name": hostile("EN", 200),
                "description": hostile("ED") + "\nsecond line",
                "authority": hostile("EA", 120),
                "markings": hostile("EM", 120),
                "series": h["series"]["name"],
            },
        )
    )
    h["claim"] = ok(
        api.post(
            f"/events/{h['event']['uid']}/claims",
            {
                "objective": h["objective"]["uid"],
                "objective_type": "REL",
                "expected_change": hostile("CE"),
                "indicator": hostile("CI", 300),
                "assumptions": hostile("CA"),
                "markings": hostile("CM", 120),
            },
        )
    )
    # Claims nothing, so the coverage page lists it among the events that serve no objective.
    h["orphan"] = ok(api.post("/events", {**event, "code": hostile("FC", 40), "name": hostile("FN", 200)}))
    # An update too: the history shows old → new, a different branch of the template than a creation.
    h["renamed"] = ok(api.patch(f"/events/{world.orphan.uid}", {"version": 1, "name": hostile("UN", 200)}), 200)

    event_uid = h["event"]["uid"]
    conference = ok(
        api.post(
            f"/events/{event_uid}/conferences",
            {
                "kind": "MPC",
                "starts": today.isoformat(),
                "ends": today.isoformat(),
                "place": hostile("KP", 200),
                "summary": hostile("KS"),
                "markings": hostile("KM", 120),
            },
        )
    )
    ok(
        api.client.put(
            f"/api/v1/conferences/{conference['uid']}/attendees",
            [{"name": hostile("AN", 120), "organization": h["org"]["short_name"], "role": hostile("AR", 120)}],
            content_type="application/json",
            headers=api.headers,
        ),
        200,
    )
    ok(
        api.client.put(
            f"/api/v1/conferences/{conference['uid']}/items",
            [
                {"kind": "AGREEMENT", "text": hostile("IT")},
                {"kind": "ACTION", "text": hostile("IA"), "owner": h["org"]["short_name"], "due": today.isoformat()},
            ],
            content_type="application/json",
            headers=api.headers,
        ),
        200,
    )
    h["conference"] = ok(api.post(f"/conferences/{conference['uid']}/approve", {}), 200)
    # A correction whose draft changes the summary: the draft's page shows what changed, old and new.
    correction = ok(api.post(f"/conferences/{conference['uid']}/corrections", {"reason": hostile("KR", 300)}))
    h["correction"] = ok(
        api.patch(f"/conferences/{correction['uid']}", {"version": correction["version"], "summary": hostile("KT")}),
        200,
    )
    order = ok(
        api.post(
            f"/events/{event_uid}/orders",
            {
                "kind": "OPORD",
                "issuer": h["org"]["short_name"],
                "title": hostile("RT", 200),
                "situation": hostile("RS"),
                "mission": hostile("RM"),
                "execution": hostile("RE"),
                "sustainment": hostile("RU"),
                "command_and_signal": hostile("RC"),
                "markings": hostile("RK", 120),
            },
        )
    )
    # Issuing freezes the purpose block: hostile objective and claim text copied into the order.
    h["order"] = ok(api.post(f"/orders/{order['uid']}/issue", {}), 200)
    h["theme"] = ok(
        api.post(
            "/themes",
            {
                "title": hostile("HT", 200),
                "audience": hostile("HA", 200),
                "talking_points": hostile("HP", 5000) + "\nsecond point",
                "sensitivities": hostile("HS", 5000),
                "country": "PHL",
                "series": h["series"]["name"],
                "objectives": [h["objective"]["code"]],
                "valid_from": today.isoformat(),
                "status": "APPROVED",
                "markings": hostile("HM", 120),
            },
        )
    )
    return h


def _pages(h, world) -> dict[str, list[str]]:
    """Each page, and the tags of the hostile values it must show (escaped)."""
    event, objective = h["event"]["uid"], h["objective"]["uid"]
    return {
        "/": ["EC", "EN", "FC", "FN", "GS"],
        "/events/": ["EC", "EN", "FC", "FN", "GS", "SN", "UN"],
        f"/events/{event}/": ["EC", "ER", "EN", "ED", "EA", "EM", "SN", "GS", "OC", "OT", "CE", "CI", "CA"],
        f"/events/{h['orphan']['uid']}/": ["FC", "FN", "GS"],
        f"/events/{world.orphan.uid}/": ["UN"],
        f"/events/{event}/edit/": ["EC", "ER", "EN", "ED", "EA", "EM"],
        "/objectives/": ["OC", "OT", "PC", "PT"],
        "/objectives/list/": ["OC", "OT", "PC", "PT"],
        f"/objectives/{objective}/": ["OC", "OT", "OM", "OG", "OK", "GS", "EC", "EN", "CE"],
        "/evaluation/": ["FC", "FN", "GS", "PC", "PT"],
        "/evaluation/discipline/": [],
        "/evaluation/portfolio/": [],
        f"/objectives/{objective}/contribution/": ["OC", "OT", "EC", "EN", "CE", "CI"],
        "/audit/": ["GN", "GS", "SN", "SD", "OC", "OT", "OM", "OG", "OK", "EC", "ER", "EN", "ED", "EA", "EM"]
        + ["CE", "CI", "CA", "CM", "FC", "FN", "UN", "KP", "KS", "KM", "KR", "KT", "RT", "RS", "RM", "RC", "RK"],
        f"/conferences/{h['conference']['uid']}/": ["EC", "EN", "KP", "KS", "KM", "AN", "AR", "GS", "IT", "IA", "KR"],
        f"/conferences/{h['correction']['uid']}/": ["EC", "KP", "KR", "KS", "KT", "AN", "IT"],
        f"/orders/{h['order']['uid']}/": ["EC", "EN", "RT", "RK", "GN", "RS", "RM", "RE", "RU", "RC"]
        + ["OC", "OT", "CE", "CI", "CA"],
        "/inbox/": ["EC", "EN"],
        "/themes/": ["HT", "HA", "SN"],
        f"/themes/{h['theme']['uid']}/": ["HT", "HA", "HP", "HS", "HM", "SN", "OC", "OT"],
        f"/themes/{h['theme']['uid']}/edit/": ["HT", "HA", "HP", "HS", "HM", "SN", "OC"],
    }


def test_stored_hostile_text_is_escaped_on_every_page(world, client, hostile_world):
    client.force_login(world.planner)
    for path, tags in _pages(hostile_world, world).items():
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert_harmless(html, path)
        missing = [tag for tag in tags if shown(tag) not in html]
        assert not missing, f"{path} does not show {missing} (escaped)"
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_the_inline_svg_diagram_escapes_what_it_draws(world, client, hostile_world):
    client.force_login(world.planner)
    pages = {
        f"/events/{hostile_world['event']['uid']}/": ["EC", "EN", "OC", "OT"],
        f"/objectives/{hostile_world['objective']['uid']}/": ["OC", "OT"],
    }
    for path, tags in pages.items():
        html = client.get(path).content.decode()
        svgs = re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" class="thread".*?</svg>', html, re.S)
        assert len(svgs) == 1, path
        assert_harmless(svgs[0], f"{path} diagram")
        assert [tag for tag in tags if shown(tag) not in svgs[0]] == [], path


@pytest.mark.parametrize(
    "path, params, reflected",
    [
        ("/events/", {"q": PAYLOAD, "objective": PAYLOAD, "series": PAYLOAD}, True),
        ("/objectives/list/", {"q": PAYLOAD, "country": PAYLOAD}, True),
        ("/audit/", {"actor": PAYLOAD, "action": PAYLOAD, "object": PAYLOAD, "since": PAYLOAD}, True),
    ],
)
def test_filter_input_is_reflected_escaped(world, client, path, params, reflected):
    client.force_login(world.planner)
    response = client.get(path, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert_harmless(html, path)
    assert (escape(BREAKOUT) in html) == reflected


def test_evaluation_filters_refuse_hostile_input_in_place_escaped(world, client):
    client.force_login(world.planner)
    for path in ("/evaluation/", "/evaluation/discipline/", "/evaluation/portfolio/", "/evaluation/report.pdf"):
        response = client.get(path, {"objective": PAYLOAD, "country": PAYLOAD, "fiscal_year": PAYLOAD})
        assert response.status_code == 400, path
        html = response.content.decode()
        assert_harmless(html, path)
        assert escape(BREAKOUT) in html, path


def test_login_page_reflects_next_and_user_name_escaped(world, client):
    page = client.get("/login/", {"next": PAYLOAD})
    assert_harmless(page.content.decode(), "/login/?next=")
    assert escape(BREAKOUT) in page.content.decode()
    failed = client.post("/login/", {"username": PAYLOAD, "password": "wrong"})
    assert_harmless(failed.content.decode(), "/login/ after a failed log-in")
    assert escape(BREAKOUT) in failed.content.decode()


def test_api_returns_hostile_text_verbatim_as_json(world, api, hostile_world):
    h = hostile_world
    expected = {
        f"/organizations/{h['org']['uid']}": {"name": hostile("GN", 200), "short_name": hostile("GS", 60)},
        f"/series/{h['series']['uid']}": {"name": hostile("SN", 120), "description": hostile("SD")},
        f"/objectives/{h['objective']['uid']}": {
            "code": hostile("OC", 40),
            "statement": hostile("OT"),
            "measure": hostile("OM", 300),
            "target": hostile("OG", 200),
            "markings": hostile("OK", 120),
            "owner": hostile("GS", 60),
        },
        f"/events/{h['event']['uid']}": {
            "code": hostile("EC", 40),
            "record_id": hostile("ER", 40),
            "name": hostile("EN", 200),
            "description": hostile("ED") + "\nsecond line",
            "authority": hostile("EA", 120),
            "markings": hostile("EM", 120),
            "series": hostile("SN", 120),
            "executing_unit": hostile("GS", 60),
        },
        f"/conferences/{h['conference']['uid']}": {
            "place": hostile("KP", 200),
            "summary": hostile("KS"),
            "markings": hostile("KM", 120),
        },
        f"/conferences/{h['correction']['uid']}": {"correction_reason": hostile("KR", 300), "summary": hostile("KT")},
        f"/orders/{h['order']['uid']}": {
            "title": hostile("RT", 200),
            "situation": hostile("RS"),
            "mission": hostile("RM"),
            "command_and_signal": hostile("RC"),
            "markings": hostile("RK", 120),
        },
        f"/claims/{h['claim']['uid']}": {
            "expected_change": hostile("CE"),
            "indicator": hostile("CI", 300),
            "assumptions": hostile("CA"),
            "markings": hostile("CM", 120),
        },
    }
    for path, fields in expected.items():
        response = api.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("application/json"), path
        # Browsers must not sniff JSON holding markup into HTML.
        assert response["X-Content-Type-Options"] == "nosniff", path
        body = response.json()
        assert {k: body[k] for k in fields} == fields, path
        assert "&lt;" not in response.content.decode(), f"{path}: JSON must not be HTML-escaped"


@pytest.mark.parametrize("target", ["javascript:alert(1)", "//evil.example/", "https://evil.example/"])
def test_redirects_after_a_form_stay_on_this_site(world, client, target):
    """The `next` a form carries is user-controlled: it must never send the browser to a script or another site."""
    logged_in = client.post("/login/", {"username": world.planner.username, "password": PASSWORD, "next": target})
    assert logged_in.status_code == 302 and logged_in["Location"] == "/"

    unit = _client(world.unit)
    unit.get("/login/")
    acknowledged = unit.post(
        f"/inbox/{_delivery(world).uid}/acknowledge/",
        {"next": target, "csrfmiddlewaretoken": unit.cookies["csrftoken"].value},
    )
    assert acknowledged.status_code == 302 and acknowledged["Location"] == "/inbox/"
    assert _fresh(_delivery(world)).acknowledged is not None
