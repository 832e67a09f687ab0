"""After-action reports and lessons: pre-fill, score, deadlines, workflow, routing, channels, lifecycle, search."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group

from goldthread.aars import score, selectors, services
from goldthread.aars.models import ChannelItem, Observation, Report
from goldthread.core.catalogues import Echelon
from goldthread.core.errors import DomainError, NotPermitted
from goldthread.delivery.models import Delivery
from goldthread.events.models import Event
from goldthread.planning.models import Conference, Item
from goldthread.search import index
from goldthread.strategy.models import Organization

from .conftest import make_user


def started(w) -> Report:
    return services.start(actor=w.writer, event=w.event)


def test_start_prefills_reviews_with_the_claims_and_conference_content(aar):
    conference = Conference.objects.create(
        event=aar.event,
        kind="MPC",
        starts=date(2025, 3, 1),
        ends=date(2025, 3, 3),
        place="Lopburi",
        status=Conference.Status.APPROVED,
    )
    Item.objects.create(conference=conference, kind=Item.Kind.DECISION, text="Combined staff cell in Lopburi")
    Item.objects.create(conference=conference, kind=Item.Kind.AGREEMENT, text="RTA provides the range complex")
    report = started(aar)
    review = report.reviews.get()
    assert review.claim == aar.claim
    assert "Combined HADR staff plan produced" in review.planned
    assert "Combined staff cell in Lopburi" in review.planned
    assert "RTA provides the range complex" in report.relationships
    assert report.hotwash_due == aar.event.end_date
    assert report.due == aar.event.end_date + timedelta(days=30)
    with pytest.raises(DomainError, match="already has an AAR"):
        started(aar)


def test_an_aar_waits_for_the_event_to_be_executed(aar):
    with pytest.raises(DomainError, match="once it is executing"):
        services.start(actor=aar.next_unit, event=aar.next_event)


def test_the_score_rises_as_critical_content_is_added_and_lists_what_is_missing(aar):
    report = started(aar)
    first = score.compute(selectors.content(report))
    assert first.total == report.score
    assert any("what was planned, what happened and why" in m for m in first.missing)
    assert any("partner capability section" in m for m in first.missing)
    assert any("Plan quality rubric" in m for m in first.missing)

    services.update(
        actor=aar.writer,
        report=report,
        version=report.version,
        fields={"capability": "RTA staff planned to standard on day 3."},
        reviews={aar.claim.pk: {"happened": "Plan produced on day 4", "why": "Translation delays"}},
    )
    second = score.compute(selectors.content(report))
    assert second.total > first.total
    assert not any("partner capability section" in m for m in second.missing)
    assert not any("what was planned" in m for m in second.missing)

    services.add_observation(
        actor=aar.writer,
        report=report,
        fields={"title": "Late translation", "observation": "Orders arrived in English only."},
    )
    services.update(
        actor=aar.writer,
        report=report,
        version=report.version,
        fields={},
        reviews={aar.claim.pk: {"indicator_evidence": "Rubric 3 of 5"}},
    )
    third = report.score
    assert third > second.total
    observation = services.add_observation(
        actor=aar.writer,
        report=report,
        fields={
            "title": "Interpreters short",
            "observation": "Two interpreters for a brigade staff.",
            "discussion": "The request went in late because the PDSS did not count staff sections.",
            "recommendation": "Ask for one interpreter per staff section at the IPC.",
            "partner_unit": aar.rta,
        },
    )
    report.refresh_from_db()
    assert report.score > third
    assert report.score == score.compute(selectors.content(report)).total
    # The first observation still lacks a recommendation; the rubric says so by name.
    assert score.compute(selectors.content(report)).missing == ["Give a recommendation for “Late translation”."]
    services.remove_observation(actor=aar.writer, observation=observation)
    report.refresh_from_db()
    assert report.score < third + 1


def test_typed_but_unsaved_content_is_scored(aar):
    report = started(aar)
    typed = selectors.content(report, reviews={aar.claim.pk: {"happened": "x", "why": "y"}})
    assert score.compute(typed).total > report.score


def test_an_aar_past_due_shows_as_overdue_for_the_unit_and_its_command(aar):
    today = aar.event.end_date + timedelta(days=31)
    lines = selectors.overdue(today)
    assert [line.event for line in lines] == [aar.event]  # not even started: still overdue
    assert lines[0].report is None and lines[0].days == 1
    report = started(aar)
    assert [line.report for line in selectors.overdue(today)] == [report]
    assert selectors.overdue(aar.event.end_date + timedelta(days=29)) == []
    by_unit = {line.unit: line for line in selectors.by_unit(today)}
    assert by_unit[aar.bct].overdue == 1
    assert by_unit[aar.usarpac].overdue == 0 and by_unit[aar.usarpac].overdue_below == 1
    services.submit(actor=aar.writer, report=report, version=report.version)
    assert selectors.overdue(today) == []


def test_the_workflow_returns_with_a_comment_and_approval_disseminates(aar):
    report = started(aar)
    with pytest.raises(DomainError, match="cannot become approved"):
        services.approve(actor=aar.unit, report=report, version=report.version)
    services.submit(actor=aar.writer, report=report, version=report.version)
    with pytest.raises(DomainError, match="can be changed only"):
        services.update(actor=aar.writer, report=report, version=report.version, fields={"costs": "x"})
    with pytest.raises(NotPermitted):
        services.approve(actor=aar.writer, report=report, version=report.version)
    with pytest.raises(DomainError, match="what the author should change"):
        services.return_for_changes(actor=aar.unit, report=report, version=report.version, comment=" ")
    services.return_for_changes(actor=aar.unit, report=report, version=report.version, comment="Address access.")
    assert report.status == Report.Status.RETURNED
    assert report.comments.get().text == "Address access."
    services.update(actor=aar.writer, report=report, version=report.version, fields={"access": "Clearance in 41 days."})
    services.submit(actor=aar.writer, report=report, version=report.version)
    services.approve(actor=aar.unit, report=report, version=report.version)
    report.refresh_from_db()
    assert report.status == Report.Status.DISSEMINATED
    assert report.approved_by == aar.unit and report.disseminated_at


def test_on_approval_the_next_unit_of_the_next_iteration_receives_it(aar):
    report = started(aar)
    services.submit(actor=aar.writer, report=report, version=report.version)
    services.approve(actor=aar.unit, report=report, version=report.version)
    received = {d.recipient: d.reason for d in Delivery.objects.filter(record_uid=report.uid)}
    assert received[aar.next_unit] == "Next iteration of Hanuman Guardian (EVT-2026-HG)"
    assert received[aar.desk] == "Country desk officer"
    assert received[aar.sco] == "Security cooperation officer"
    assert received[aar.assessor] == "Evaluator"
    assert received[aar.writer] == "Executing unit"
    # A unit tasked later is reached by disseminating again, and nobody receives it twice.
    later = make_user("later", "executor", aar.next_bct)
    services.disseminate(actor=aar.unit, report=report)
    assert Delivery.objects.filter(record_uid=report.uid, recipient=later).exists()
    assert Delivery.objects.filter(record_uid=report.uid).count() == len(received) + 1


def test_a_critical_access_blocker_creates_a_tracked_item_on_its_channel(aar):
    report = started(aar)
    blocker = services.add_observation(
        actor=aar.writer,
        report=report,
        fields={
            "title": "Customs held the vehicles",
            "observation": "Vehicles held 9 days at Laem Chabang.",
            "criticality": Observation.Criticality.CRITICAL,
            "channel": Observation.Channel.ACCESS_BLOCKER,
        },
    )
    routine = services.add_observation(
        actor=aar.writer,
        report=report,
        fields={"title": "Range booking", "observation": "Booked late.", "channel": Observation.Channel.LESSON},
    )
    services.submit(actor=aar.writer, report=report, version=report.version)
    services.approve(actor=aar.unit, report=report, version=report.version)
    item = ChannelItem.objects.get()
    assert item.observation == blocker and item.channel == Observation.Channel.ACCESS_BLOCKER
    assert not ChannelItem.objects.filter(observation=routine).exists()
    assert item.closed_at is None
    carriers = set(Delivery.objects.filter(record_uid=item.uid).values_list("recipient__username", flat=True))
    assert carriers == {"sco", "desk"}
    with pytest.raises(NotPermitted):
        services.close_item(actor=aar.writer, item=item, version=item.version, closure="Done")
    with pytest.raises(DomainError, match="how the item was dealt with"):
        services.close_item(actor=aar.sco, item=item, version=item.version, closure="")
    services.close_item(actor=aar.sco, item=item, version=item.version, closure="Customs pre-clearance agreed.")
    item.refresh_from_db()
    assert item.closed_by == aar.sco and item.closed_at


def test_lessons_lifecycle_asks_for_what_each_stage_needs(aar):
    report = started(aar)
    observation = services.add_observation(
        actor=aar.writer, report=report, fields={"title": "Interpreters", "observation": "Too few."}
    )
    with pytest.raises(DomainError, match="once their AAR is approved"):
        services.advance(actor=aar.desk, observation=observation, stage="VALIDATED", version=None)
    services.submit(actor=aar.writer, report=report, version=report.version)
    services.approve(actor=aar.unit, report=report, version=report.version)
    observation.refresh_from_db()
    with pytest.raises(DomainError, match="can become: validated issue, not validated"):
        services.advance(actor=aar.desk, observation=observation, stage="LESSON", version=observation.version)
    services.advance(actor=aar.desk, observation=observation, stage="VALIDATED", version=observation.version)
    with pytest.raises(DomainError, match="corrective action"):
        services.advance(actor=aar.desk, observation=observation, stage="LESSON", version=observation.version)
    services.advance(
        actor=aar.desk,
        observation=observation,
        stage="LESSON",
        version=observation.version,
        fields={
            "corrective_action": "Budget interpreters",
            "action_owner": aar.usarpac,
            "action_due": date(2026, 3, 1),
        },
    )
    services.advance(
        actor=aar.desk,
        observation=observation,
        stage="RESOLVED",
        version=observation.version,
        fields={"resolution": "Budgeted in FY26"},
    )
    services.advance(
        actor=aar.desk,
        observation=observation,
        stage="VERIFIED",
        version=observation.version,
        fields={"verification": "HG26 had six interpreters"},
    )
    assert Observation.objects.get(pk=observation.pk).stage == "VERIFIED"
    # Relevant to the next iteration, with the reason.
    relevant = selectors.relevant_lessons(aar.next_event)
    assert [r.observation for r in relevant] == [observation]
    assert relevant[0].why == "Earlier iteration of Hanuman Guardian"


def test_root_cause_work_is_stored_as_structured_data(aar):
    report = started(aar)
    analysis = {
        "five_whys": ["Orders late", "Translation late", " "],
        "root_cause": "No translator budgeted",
        "assumptions": [{"assumption": "RTA staff read English orders", "held": False, "evidence": "Asked for Thai"}],
    }
    observation = services.add_observation(
        actor=aar.writer, report=report, fields={"title": "Orders", "observation": "Late.", "analysis": analysis}
    )
    observation.refresh_from_db()
    assert observation.analysis == {
        "five_whys": ["Orders late", "Translation late"],
        "root_cause": "No translator budgeted",
        "assumptions": [{"assumption": "RTA staff read English orders", "held": False, "evidence": "Asked for Thai"}],
    }
    assert observation.has_cause
    for bad in ({"five_whys": "one"}, {"assumptions": [{"assumption": "x"}]}, {"fishbone": []}, ["x"]):
        with pytest.raises(DomainError) as caught:
            services.add_observation(
                actor=aar.writer, report=report, fields={"title": "X", "observation": "Y", "analysis": bad}
            )
        assert "analysis" in caught.value.errors


def test_an_observation_takes_its_type_and_indicator_from_its_claim_and_names_a_partner_unit(aar):
    report = started(aar)
    observation = services.add_observation(
        actor=aar.writer, report=report, fields={"title": "Plan", "observation": "Done.", "claim": aar.claim}
    )
    assert observation.objective_type == "CAP" and observation.indicator == "Plan quality rubric"
    with pytest.raises(DomainError) as caught:
        services.add_observation(
            actor=aar.writer, report=report, fields={"title": "X", "observation": "Y", "partner_unit": aar.bct}
        )
    assert "partner_unit" in caught.value.errors


def test_search_finds_an_observation_by_a_word_in_its_discussion_with_facets(aar):
    report = started(aar)
    found = services.add_observation(
        actor=aar.writer,
        report=report,
        fields={
            "title": "Interpreters short",
            "observation": "Two interpreters for a brigade staff.",
            "discussion": "The request missed the deadline because the reconnaissance skipped staff sections.",
            "partner_unit": aar.rta,
            "dotmlpfp": "PERSONNEL",
            "objective_type": "CAP",
        },
    )
    assert index.search("reconnaissance") == []  # a draft is not published
    services.submit(actor=aar.writer, report=report, version=report.version)
    services.approve(actor=aar.unit, report=report, version=report.version)
    hits = index.search("reconnaissance")
    assert [h.title for h in hits] == ["Interpreters short"]
    assert hits[0].kind == "observation" and hits[0].country == "THA"
    assert hits[0].uid == str(found.uid)  # one spelling on both databases
    assert index.search("reconnaissance", dotmlpfp="PERSONNEL", year=2025, partner="RTA Cav Ctr")
    assert index.search("reconnaissance", dotmlpfp="TRAINING") == []
    facets = index.facets("reconnaissance")
    assert facets["dotmlpfp"] == [("PERSONNEL", 1)]
    assert facets["year"] == [("2025", 1)]
    assert facets["event_type"] == [("FTX", 1)]


def test_recurring_issues_surface_across_events(aar):
    for event in (aar.event, aar.next_event):
        Event.objects.filter(pk=event.pk).update(status=Event.Status.COMPLETED)
        event.refresh_from_db()
        report = services.start(actor=aar.admin, event=event)
        services.add_observation(
            actor=aar.admin,
            report=report,
            fields={
                "title": f"Interpreter shortage at {event.code}",
                "observation": "Too few interpreters.",
                "partner_unit": aar.rta,
                "dotmlpfp": "PERSONNEL",
                "objective_type": "CAP",
            },
        )
        services.submit(actor=aar.admin, report=report, version=report.version)
        services.approve(actor=aar.admin, report=report, version=report.version)
    patterns = selectors.recurring_issues()
    assert len(patterns) == 1 and patterns[0].events == 2 and patterns[0].partner == aar.rta
    first = Observation.objects.get(report__event=aar.event)
    assert [o.report.event for o in selectors.recurring(first)] == [aar.next_event]


def test_only_the_executing_unit_and_reviewers_write(aar):
    outsider_unit = Organization.objects.create(name="Other", short_name="Other", echelon=Echelon.BRIGADE)
    outsider = make_user("outsider", "executor", outsider_unit)
    with pytest.raises(NotPermitted):
        services.start(actor=outsider, event=aar.event)
    report = started(aar)
    with pytest.raises(NotPermitted):
        services.update(actor=aar.reader, report=report, version=None, fields={"costs": "x"})
    assert Group.objects.get(name="executor").permissions.filter(codename="review_report").count() == 0


def test_overdue_reminders_reach_the_unit_then_its_command(aar):
    from goldthread.aars.services import ESCALATE_AFTER_DAYS

    due = aar.event.end_date + timedelta(days=30)
    assert services.remind_overdue(today=due) == 0
    assert services.remind_overdue(today=due + timedelta(days=1)) == 1
    reminded = Delivery.objects.filter(record_uid=aar.event.uid)
    assert set(reminded.values_list("recipient__username", flat=True)) == {"writer", "unit"}
    assert "Overdue AAR" in reminded.first().title
    command = make_user("g3", "unit_planner", aar.usarpac)
    services.remind_overdue(today=due + timedelta(days=ESCALATE_AFTER_DAYS + 1))
    assert reminded.filter(recipient=command).exists()


@pytest.mark.django_db
def test_demo_aars_vary_in_quality_and_state():
    from goldthread.demo.aar_records import load_aars
    from goldthread.demo.generator import TODAY, load_demo

    load_demo()
    count = Report.objects.count()
    assert load_aars(TODAY) == count  # idempotent
    assert {r.status for r in Report.objects.all()} == set(Report.Status) - {Report.Status.APPROVED}
    scores = list(Report.objects.values_list("score", flat=True))
    assert min(scores) < 30 and max(scores) == 100 and 30 < sum(scores) / len(scores) < 90
    assert selectors.overdue(TODAY)
    assert {o.stage for o in Observation.objects.all()} >= set(Observation.Stage) - {Observation.Stage.DISMISSED}
    assert ChannelItem.objects.filter(closed_at__isnull=True).exists()
    assert ChannelItem.objects.filter(closed_at__isnull=False).exists()
    assert Report.objects.get(status=Report.Status.RETURNED).event.executing_unit.short_name == "1-27 IN"
    assert Report.objects.get(status=Report.Status.RETURNED).comments.exists()
    upcoming = Event.objects.get(code="EVT-2027-HG")
    assert any(r.why == "Earlier iteration of Hanuman Guardian" for r in selectors.relevant_lessons(upcoming))
    assert Delivery.objects.filter(recipient__username="desk", record_type="aars.report").exists()

    # The demo's indicators (loaded after the AARs, whose observations their assessments cite).
    from goldthread.core.models import AuditEntry
    from goldthread.demo.measure_records import load_measures
    from goldthread.measures import rollup
    from goldthread.measures.models import Assessment, Evidence, Indicator, Measurement, PeriodLock, Target

    indicators = list(Indicator.objects.prefetch_related("targets"))
    assert {i.kind for i in indicators} == {"MOP", "MOE"} and 8 <= len(indicators) <= 13
    yearly = rollup.series(indicators, grain="year")
    assert all(yearly[i.pk].last for i in indicators if i.code != "MOP-HG27-STAFF")  # its event lies ahead
    whole = Indicator.objects.get(code="MOE-TCP3-CERT")
    assert not whole.measurements.exists() and whole.parts.count() == 2
    totals = {i.code: {p.period: p.value for p in yearly[i.pk].points} for i in indicators}
    assert totals["MOE-TCP3-CERT"]["FY2026"] == totals["MOE-THA-CERT"]["FY2026"] + totals["MOE-PHL-CERT"]["FY2026"]
    assert {m.status for m in Measurement.objects.all()} == {"APPROVED", "SUBMITTED", "RETURNED"}
    assert Measurement.objects.filter(status="SUBMITTED", indicator__objective__country__iso3="THA").count() == 2
    assert Measurement.objects.get(status="RETURNED").return_reason
    assert Measurement.objects.filter(status="APPROVED", date__lt=date(2021, 10, 1)).exists()  # FY2021 onwards
    assert not Measurement.objects.filter(date__gt=TODAY).exists()
    assert PeriodLock.objects.filter(period="FY2025").exists()
    independent = Assessment.objects.get(independence="INDEPENDENT", status="SUBMITTED")
    assert independent.assessor.username == "assessor"
    assert independent.evidence.filter(kind=Evidence.Kind.OBSERVATION).exists()
    assert Assessment.objects.get(independence="SELF", status="SUBMITTED").assessor.username == "desk"
    # Loading again changes nothing, not even the audit trail.
    kinds = (Indicator, Target, Measurement, PeriodLock, Assessment, Evidence, AuditEntry)
    counts = [kind.objects.count() for kind in kinds]
    assert load_measures(TODAY) == len(indicators)
    assert [kind.objects.count() for kind in kinds] == counts


def test_submitting_tells_the_reviewers_and_returning_tells_the_authors(aar):
    command = make_user("g3", "unit_planner", aar.usarpac)
    report = started(aar)
    services.submit(actor=aar.writer, report=report, version=report.version)
    waiting = Delivery.objects.filter(record_uid=report.uid)
    # The unit planner of the brigade, and the reviewers of the command above it.
    assert set(waiting.values_list("recipient__username", flat=True)) == {"unit", "g3", "planner"}
    assert waiting.get(recipient=command).title.startswith("AAR to review")
    assert waiting.get(recipient=command).reason == "Reviewer"
    services.return_for_changes(actor=aar.unit, report=report, version=report.version, comment="More on access.")
    back = Delivery.objects.get(record_uid=report.uid, recipient=aar.writer)
    assert back.title.startswith("AAR returned") and back.read is None and back.reason == "Author"


def test_relevance_and_facet_counts_cover_the_newest_matches_only(db, monkeypatch):
    import uuid

    for n, country in enumerate(["THA", "PHL", "PHL"]):
        index.put(
            kind="observation",
            uid=uuid.uuid4(),
            title=f"Customs {n}",
            body="customs held the vehicles",
            path=f"/o/{n}/",
            country=country,
        )
    assert len(index.search("customs")) == 3
    assert index.facets("customs")["country"] == [("PHL", 2), ("THA", 1)]
    monkeypatch.setattr(index, "RANK_WINDOW", 2)
    monkeypatch.setattr(index, "FACET_WINDOW", 2)
    assert sorted(h.title for h in index.search("customs")) == ["Customs 1", "Customs 2"]
    assert index.facets("customs")["country"] == [("PHL", 2)]
    assert [h.title for h in index.search("customs", country="THA")] == ["Customs 0"]  # a facet narrows first
    # Looking among the newest entries first (PostgreSQL) changes the plan, never the answer: with a full window
    # there, and without one.
    for recent in (1, 2):
        monkeypatch.setattr(index, "RECENT_ENTRIES", recent)
        assert sorted(h.title for h in index.search("customs")) == ["Customs 1", "Customs 2"]
        assert [h.title for h in index.search("customs", country="THA")] == ["Customs 0"]
        assert index.facets("customs")["country"] == [("PHL", 2)]
