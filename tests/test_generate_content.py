"""What `goldthread generate` writes around its events — objectives, MOEs and measured values, conference records,
AARs with observations — is what the services would have left: it passes their checks and reads back through them."""

import pytest
from django.db import transaction

from goldthread.aars import routing, selectors, services
from goldthread.aars import score as rubric
from goldthread.aars.models import ChannelItem, Observation, Report
from goldthread.demo import rules
from goldthread.demo.generator import TODAY, generate
from goldthread.events.models import ContributionClaim, Event
from goldthread.measures import selectors as measures
from goldthread.measures.models import Indicator, Measurement
from goldthread.measures.services import check_binding, check_measurement
from goldthread.planning.models import Conference, Item
from goldthread.search.models import Entry
from goldthread.strategy import selectors as strategy
from goldthread.strategy.models import Objective, ObjectiveLink

EVENTS = 400


@pytest.fixture
def counts(db):
    return generate(events=EVENTS, seed=8, batch_size=150)


def test_objectives_hang_under_the_catalogue_and_events_claim_them(counts):
    generated = Objective.objects.filter(code__startswith="GEN-8-")
    assert counts["objectives"] == generated.count() == EVENTS // 10
    for objective in generated.prefetch_related("parents"):
        (parent,) = objective.parents.all()
        assert not parent.code.startswith("GEN-"), "under a catalogue objective"
        assert parent.level <= objective.level and parent.country_id in (objective.country_id, None)
        assert set(objective.types) <= set(parent.types)
        rules.valid([objective])
    claimed = ContributionClaim.objects.filter(objective__in=generated).select_related("event", "objective")
    assert claimed.count() > EVENTS // 10, "events claim generated objectives (most do, at scale)"
    claim = claimed.first()
    assert claim.event.countries.filter(pk=claim.objective.country_id).exists()
    # The thread runs from the generated objective up through the catalogue to a national goal.
    thread = strategy.thread({claim.objective_id})
    assert min(o.level for o in thread.objectives.values()) == 0
    assert counts["objective_links"] == ObjectiveLink.objects.filter(child__in=generated).count()
    assert Entry.objects.filter(record_uid__in=generated.values("uid")).count() == generated.count()


def test_measured_values_answer_the_collection_tasks_of_their_events(counts):
    indicators = Indicator.objects.filter(code__startswith="GEN-8-").select_related("objective")
    assert counts["indicators"] == indicators.count() > 0
    for indicator in indicators:
        check_binding(indicator)
        rules.valid([indicator])
    values = Measurement.objects.filter(indicator__in=indicators).select_related("indicator", "event")
    assert counts["measured_values"] == values.count() > counts["aars"]
    for value in values[:300]:
        check_measurement(value)  # range, ratio parts, a past day, and an event that collects the indicator
        assert value.event.start_date <= value.date <= value.event.end_date
        assert value.event.status in (Event.Status.COMPLETED, Event.Status.CLOSED)
    task = values.first()
    assert any(t.indicator == task.indicator for t in measures.tasks(task.event))


def test_conference_records_follow_their_event_dates(counts):
    conferences = Conference.objects.filter(event__code__startswith="GEN-8-").select_related("event")
    assert counts["conferences"] == conferences.count() > 0
    for conference in conferences:
        assert conference.starts <= TODAY and conference.ends < conference.event.start_date
        approved = conference.status == Conference.Status.APPROVED
        assert approved == (conference.ends < TODAY) and approved == bool(conference.approved_at)
        assert conference.event.status not in (Event.Status.PROPOSED, Event.Status.CANCELLED)
    actions = Item.objects.filter(conference__in=conferences, kind=Item.Kind.ACTION)
    assert not actions.filter(owner__isnull=True).exists() and not actions.filter(due__isnull=True).exists()


def test_aars_read_back_as_the_services_leave_them(counts):
    reports = Report.objects.filter(event__code__startswith="GEN-8-").select_related("event")
    assert counts["aars"] == reports.count() > 0
    assert 2.5 <= counts["observations"] / counts["aars"] <= 3.5
    for report in reports:
        assert report.event.status in (Event.Status.COMPLETED, Event.Status.CLOSED)
        assert (report.status == Report.Status.DISSEMINATED) == (report.event.status == Event.Status.CLOSED)
        assert report.score == rubric.compute(selectors.content(report)).total
        assert report.reviews.count() == report.event.claims.count()
    # Each event says whether its AAR was started, as the services leave it, however many batches wrote them.
    generated = Event.objects.filter(code__startswith="GEN-8-")
    assert set(generated.filter(aar_started=True)) == {r.event for r in reports}
    # What the AAR service pre-fills from the conference records is there.
    prefilled = next(r for r in reports if services.prefill_fields(r.event)["relationships"])
    assert prefilled.relationships.startswith(services.prefill_fields(prefilled.event)["relationships"])

    observations = Observation.objects.filter(report__in=reports).select_related("report", "claim", "partner_unit")
    for observation in observations[:300]:
        fields = {name: getattr(observation, name) for name in services.OBSERVATION_FIELDS}
        assert services.check_observation(observation.report, fields) == fields
        rules.valid([observation])
        if observation.report.status != Report.Status.DISSEMINATED:
            assert observation.stage == Observation.Stage.OBSERVED
        routed = observation.report.status == Report.Status.DISSEMINATED and routing.routed(observation)
        assert ChannelItem.objects.filter(observation=observation).exists() == routed
    # Searchable as the services index them: the published observations, with the service's own entry.
    published = observations.filter(report__status=Report.Status.DISSEMINATED)
    fields = ("kind", "title", "body", "path", "country", "year", "event_type", "objective_type", "dotmlpfp", "partner")
    assert Entry.objects.filter(record_uid__in=observations.values("uid")).count() == published.count()
    for observation in published[:50]:
        before = Entry.objects.filter(record_uid=observation.uid).values(*fields).get()
        with transaction.atomic():
            services.index_observation(observation)
            after = Entry.objects.filter(record_uid=observation.uid).values(*fields).get()
            transaction.set_rollback(True)
        assert before == after


def test_the_lessons_for_an_event_are_the_first_of_all_that_apply(counts):
    """Each rule is read only as far as the shortest list needs; a short list is the head of a long one."""
    upcoming = Event.objects.filter(code__startswith="GEN-8-", start_date__gt=TODAY).order_by("code")
    asked = 0
    for event in upcoming[:40]:
        everything = selectors.relevant_lessons(event, limit=10_000)
        if len(everything) > 3:
            asked += 1
            for limit in (1, 3, len(everything) - 1):
                assert selectors.relevant_lessons(event, limit=limit) == everything[:limit]
    assert asked >= 5, "generated events with several earlier lessons to read"
