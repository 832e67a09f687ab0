"""Evaluation: each coverage finding appears for a constructed case and goes when its record is fixed; data
discipline and contribution analysis against hand computations."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from goldthread.aars import services as aar_services
from goldthread.aars.models import Report
from goldthread.core.catalogues import Level
from goldthread.evaluation import cache, contribution, discipline, findings
from goldthread.events import services as event_services
from goldthread.events.models import ContributionClaim, Event
from goldthread.measures import services as measure_services
from goldthread.measures.models import Evidence, Indicator
from goldthread.planning.models import Conference
from goldthread.strategy.models import Objective, ObjectiveLink

from .conftest import link

KEPT = "goldthread.evaluation.cache.InMemory"
TODAY = date(2025, 12, 1)  # FY2026-Q1: the world's exercise (June–July 2025) is over and its AAR past due


def found(kind: str, **filters) -> set[str]:
    f = findings.Filters.of(TODAY, **filters)
    return {finding.code for finding in findings.page(findings.BY_KEY[kind], f, limit=1000)}


def approved(w, indicator, day, value, **fields):
    m = measure_services.record(actor=w.assessor, indicator=indicator, date=day, value=value, **fields)
    return measure_services.approve(actor=w.desk, measurement=m)


# Coverage findings, each produced and then fixed -----------------------------------------------------------------


def test_an_orphan_event_goes_once_it_claims_an_objective(world):
    w = world
    assert found("orphan-event") == {"EVT-2025-KLE"}
    event_services.add_claim(
        actor=w.admin, event=w.orphan, objective=w.rel, objective_type="REL", expected_change="Contact renewed"
    )
    assert found("orphan-event") == set()


def test_a_cancelled_event_is_no_orphan(world):
    Event.objects.filter(pk=world.orphan.pk).update(status=Event.Status.CANCELLED)
    assert found("orphan-event") == set()


def test_an_objective_no_event_serves_goes_once_one_does_and_serving_from_below_counts(world):
    w = world
    # The exercise claims the Thai army objective, which serves the IMO, the theater and the national objective.
    assert found("no-events") == {"TCP-O1", "TCP-O9"}
    event_services.add_claim(
        actor=w.admin, event=w.orphan, objective=w.starved, objective_type="ACC", expected_change="Port access"
    )
    assert found("no-events") == {"TCP-O1"}
    # In a fiscal year with no events, nothing is served.
    assert "CSP-THA-2.1" in found("no-events", fiscal_year=2027)
    # A cancelled event serves nothing.
    event_services.transition_event(actor=w.admin, event=w.orphan, status=Event.Status.CANCELLED)
    assert found("no-events") == {"TCP-O1", "TCP-O9"}


def test_a_countrys_objective_served_from_below_by_an_objective_in_no_country_is_served_in_its_findings(world):
    w = world
    thai = Objective.objects.create(code="CSP-THA-3.1", level=Level.COUNTRY, country=w.tha, statement="Port access")
    below = Objective.objects.create(
        code="EVT-PORT", level=Level.EVENT, primary_type="ACC", statement="Port survey done"
    )
    link(thai, below)
    assert "CSP-THA-3.1" in found("no-events", country=w.tha)
    event_services.add_claim(
        actor=w.admin, event=w.orphan, objective=below, objective_type="ACC", expected_change="Survey"
    )
    # The filters narrow what is probed to the country's objectives and those below them, wherever those are.
    assert "CSP-THA-3.1" not in found("no-events", country=w.tha) | found("no-events")


def test_an_objective_nothing_measures_goes_once_an_indicator_measures_it_or_something_below(measures):
    w = measures
    # The Thai army objective's MOEs measure it and everything above it; the theater MOE does too.
    assert found("no-indicators") == {"TCP-O1", "TCP-O9"}
    measure_services.create_indicator(
        actor=w.planner,
        code="MOE-ACC-1",
        kind="MOE",
        statement="Days to diplomatic clearance",
        objective=w.starved,
        unit="days",
        data_source="DAO log",
    )
    assert found("no-indicators") == {"TCP-O1"}


def test_a_stale_indicator_goes_once_a_value_for_a_recent_period_is_approved(measures):
    w = measures
    assert {"MOE-THA-1", "MOE-THA-2", "MOP-HG-1", "MOE-TCP-3"} <= found("stale-indicator")
    approved(w, w.moe, date(2024, 12, 1), 3)  # FY2025-Q1: older than the last two complete quarters
    assert "MOE-THA-1" in found("stale-indicator")
    approved(w, w.moe, date(2025, 5, 1), 3)  # FY2025-Q3
    assert "MOE-THA-1" not in found("stale-indicator")
    # A value awaiting approval does not count.
    measure_services.record(actor=w.assessor, indicator=w.country_moe, date=date(2025, 8, 1), value=4)
    assert "MOE-THA-2" in found("stale-indicator")


def test_a_yearly_indicator_is_stale_only_after_two_complete_years_without_data(measures):
    w = measures
    measure_services.update_indicator(
        actor=w.planner, indicator=w.theater_moe, version=w.theater_moe.version, changes={"frequency": "YEARLY"}
    )
    m = measure_services.record(actor=w.planner, indicator=w.theater_moe, date=date(2023, 10, 15), value=12)
    measure_services.approve(actor=w.admin, measurement=m)  # FY2024, the first of the last two complete years
    assert "MOE-TCP-3" not in found("stale-indicator")
    later = findings.Filters.of(date(2026, 10, 2))  # FY2027 began: FY2025 and FY2026 are the last complete years
    assert "MOE-TCP-3" in {x.code for x in findings.page(findings.BY_KEY["stale-indicator"], later, limit=100)}


def test_a_missing_aar_goes_once_started_then_shows_late_until_submitted(aar):
    w = aar
    assert found("missing-aar") == {"EVT-2025-HG"}
    assert found("late-aar") == set()
    report = aar_services.start(actor=w.writer, event=w.event)
    assert found("missing-aar") == set()
    assert found("late-aar") == {"EVT-2025-HG"}
    aar_services.submit(actor=w.writer, report=report, version=report.version)
    assert found("late-aar") == set()
    # Not yet past due on the day after the event: no finding either way.
    assert findings.page(findings.BY_KEY["missing-aar"], findings.Filters.of(date(2025, 7, 6))) == []


def test_a_report_written_in_bulk_also_ends_the_missing_aar(aar):
    w = aar
    Report.objects.bulk_create([Report(event=w.event, hotwash_due=w.event.end_date, due=date(2025, 8, 4))])
    assert found("missing-aar") == set() and Event.objects.get(pk=w.event.pk).aar_started


def test_an_objective_never_assessed_goes_once_an_assessment_is_submitted(measures):
    w = measures
    assert {"NAT-1", "TCP-O1", "TCP-O3", "TCP-O9", "IMO-THA-2", "CSP-THA-2.1"} == found("never-assessed")
    a = measure_services.create_assessment(
        actor=w.assessor, objective=w.army, period="FY2025", rating=3, rationale="Plans improved."
    )
    assert "CSP-THA-2.1" in found("never-assessed")  # a draft is not an assessment yet
    measure_services.cite(actor=w.assessor, assessment=a, kind=Evidence.Kind.INDICATOR, indicator=w.moe, note="2→3")
    measure_services.submit_assessment(actor=w.assessor, assessment=a)
    assert "CSP-THA-2.1" not in found("never-assessed")


def test_every_finding_links_to_the_page_of_the_record_to_fix(measures, client):
    w = measures
    client.force_login(w.admin)
    f = findings.Filters.of(TODAY)
    for kind in findings.KINDS:
        for finding in findings.page(kind, f):
            assert str(finding.record.uid) in finding.url
            assert client.get(finding.url).status_code == 200, (kind.key, finding.url)


# Filters and breakdowns ----------------------------------------------------------------------------------------


def test_filters_narrow_to_a_country_an_organization_a_fiscal_year_and_an_objective(aar):
    w = aar
    assert found("orphan-event", country=w.phl) == {"EVT-2025-KLE"}
    assert found("orphan-event", country=w.tha) == {"EVT-2026-HG"}  # the next exercise claims nothing yet
    assert found("missing-aar", organization=w.usarpac) == {"EVT-2025-HG"}  # the brigade is under USARPAC
    assert found("missing-aar", organization=w.next_bct) == set()
    assert found("missing-aar", fiscal_year=2024) == set()
    assert found("no-events", objective=w.national) == {"TCP-O1"}
    assert found("no-events", objective=w.theater) == set()


def test_counts_and_the_breakdown_by_country_and_year_agree_with_the_pages(aar):
    f = findings.Filters.of(TODAY)
    counts = findings.counts(f)
    assert counts["orphan-event"] == 2 and counts["missing-aar"] == 1 and counts["no-events"] == 2
    by_country = dict(findings.breakdown(f, "country"))
    assert by_country["Philippines"]["orphan-event"] == 1
    assert by_country["Thailand"]["missing-aar"] == 1
    assert by_country["—"]["no-events"] == 2  # theater objectives have no country
    by_year = dict(findings.breakdown(f, "fiscal-year"))
    assert by_year["2025"] == {"orphan-event": 1, "missing-aar": 1}
    assert by_year["2026"] == {"orphan-event": 1}


# Data discipline -----------------------------------------------------------------------------------------------


def _entered(event: Event, days_before_start: int) -> None:
    at = datetime.combine(event.start_date - timedelta(days=days_before_start), datetime.min.time())
    Event.objects.filter(pk=event.pk).update(created=timezone.make_aware(at))


def test_discipline_scores_match_a_hand_computation(measures):
    w = measures
    # Two events of the brigade in FY2025: the exercise entered 120 days ahead, a second one 10 days ahead.
    second = Event.objects.create(
        code="EVT-2025-SMEE",
        name="Staff exchange",
        event_type="SMEE",
        start_date=date(2025, 8, 4),
        end_date=date(2025, 8, 8),
        executing_unit=w.bct,
        status=Event.Status.COMPLETED,
    )
    second.countries.set([w.tha])
    _entered(w.event, 120)
    _entered(second, 10)
    # Two key conferences held for the exercise, one record approved; a site survey does not count.
    for kind, status in (("IPC", "APPROVED"), ("MPC", "DRAFT"), ("PDSS", "DRAFT")):
        Conference.objects.create(
            event=w.event, kind=kind, starts=date(2025, 2, 1), ends=date(2025, 2, 2), place="Lopburi", status=status
        )
    # Collection tasks: the MOP and the two MOEs of the claimed objective; one answered.
    measure_services.record(actor=w.assessor, indicator=w.mop, date=date(2025, 7, 5), value=14, event=w.event)
    # The exercise's AAR in on time with a score of 80; the second event's AAR never started.
    Report.objects.create(
        event=w.event,
        status=Report.Status.SUBMITTED,
        hotwash_due=w.event.end_date,
        due=date(2025, 8, 4),
        submitted_at=timezone.make_aware(datetime(2025, 8, 1, 12)),
        score=80,
    )

    [line] = discipline.lines(on=TODAY, fiscal_years=[2025])
    assert line.unit == w.bct
    assert (line.tallies["entry"].due, line.tallies["entry"].done) == (2, 1)
    assert (line.tallies["conferences"].due, line.tallies["conferences"].done) == (2, 1)
    assert (line.tallies["aars"].due, line.tallies["aars"].done) == (2, 1)
    assert (line.tallies["tasks"].due, line.tallies["tasks"].done) == (3, 1)
    assert line.content == 80
    assert line.score == pytest.approx((50 + 50 + 50 + 100 / 3 + 80) / 5)
    assert line.by_year == {2025: pytest.approx(line.score)}


def test_a_late_aar_counts_against_discipline_and_a_unit_with_nothing_due_has_no_score(aar):
    w = aar
    Report.objects.create(
        event=w.event,
        status=Report.Status.APPROVED,
        hotwash_due=w.event.end_date,
        due=date(2025, 8, 4),
        submitted_at=timezone.make_aware(datetime(2025, 9, 20, 12)),
        score=60,
    )
    _entered(w.event, 200)
    lines = {line.unit.short_name: line for line in discipline.lines(on=TODAY)}
    bct = lines["2-2 SBCT"]
    assert (bct.tallies["aars"].due, bct.tallies["aars"].done) == (1, 0)
    assert bct.score == pytest.approx((100 + 0 + 60) / 3)
    # The next brigade's event is in the future and entered now, more than 90 days ahead: on time, nothing else due.
    nxt = lines["3-25 IBCT"]
    assert nxt.tallies["aars"].due == 0 and nxt.tallies["conferences"].due == 0
    assert nxt.score == pytest.approx(100 if nxt.tallies["entry"].done else 0)


def test_discipline_trend_is_scored_per_fiscal_year(aar):
    w = aar
    _entered(w.event, 200)
    _entered(w.next_event, 200)
    Event.objects.filter(pk=w.next_event.pk).update(executing_unit=w.bct)
    [line] = [x for x in discipline.lines(on=TODAY) if x.unit == w.bct]
    # FY2025: entered on time, AAR missing → (100 + 0) / 2; FY2026: entered on time, nothing else due yet.
    assert line.by_year == {2025: pytest.approx(50), 2026: pytest.approx(100)}


# Contribution analysis -----------------------------------------------------------------------------------------


def test_a_claim_is_paired_with_what_each_moe_did_over_its_window(measures):
    w = measures
    # The exercise ran 20 June – 5 July 2025 (FY2025-Q3/Q4), claiming an increase with no lag: before is the last
    # value up to FY2025-Q2, after the first from FY2025-Q4.
    approved(w, w.moe, date(2025, 2, 10), 2)
    approved(w, w.moe, date(2025, 8, 15), 4)
    approved(w, w.country_moe, date(2025, 1, 15), 10)
    approved(w, w.country_moe, date(2025, 8, 1), 10)
    result = contribution.analyse(w.army, today=TODAY)
    assert {s.indicator.code for s in result.moes} == {"MOE-THA-1", "MOE-THA-2"}
    [line] = result.lines
    by_code = {c.indicator.code: c for c in line.comparisons}
    assert (by_code["MOE-THA-1"].before.value, by_code["MOE-THA-1"].after.value) == (2, 4)
    assert by_code["MOE-THA-1"].verdict == "as-claimed" and by_code["MOE-THA-1"].change == 2
    assert by_code["MOE-THA-2"].verdict == "no-change"
    assert by_code["MOE-THA-1"].shows_in == "FY2025-Q4"
    assert result.verdicts == {"as-claimed": 1, "no-change": 1}


def test_a_claim_naming_a_moe_is_compared_with_it_alone_and_direction_and_lag_count(measures):
    w = measures
    approved(w, w.moe, date(2025, 2, 10), 4)
    approved(w, w.moe, date(2025, 8, 15), 2)
    ContributionClaim.objects.filter(pk=w.claim.pk).update(indicator="MOE-THA-1 plan rubric", direction="DECREASE")
    [line] = contribution.analyse(w.army, today=TODAY).lines
    assert [(c.indicator.code, c.verdict) for c in line.comparisons] == [("MOE-THA-1", "as-claimed")]
    ContributionClaim.objects.filter(pk=w.claim.pk).update(direction="INCREASE")
    [line] = contribution.analyse(w.army, today=TODAY).lines
    assert line.comparisons[0].verdict == "against"
    ContributionClaim.objects.filter(pk=w.claim.pk).update(time_lag_months=12)
    [line] = contribution.analyse(w.army, today=TODAY).lines
    assert (line.comparisons[0].verdict, line.comparisons[0].shows_in) == ("too-early", "FY2026-Q4")


def test_a_claim_is_compared_with_the_moes_on_its_line_of_the_graph_not_of_another_branch(measures):
    w = measures
    other = Objective.objects.create(
        code="IMO-PHL-1", level=w.imo.level, primary_type="CAP", country=w.phl, statement="PHL branch"
    )
    link(w.theater, other)
    Indicator.objects.create(
        code="MOE-PHL-1", kind="MOE", statement="Other branch", objective=other, unit="x", data_source="y"
    )
    result = contribution.analyse(w.theater, today=TODAY)
    assert {s.indicator.code for s in result.moes} == {"MOE-TCP-3", "MOE-THA-1", "MOE-THA-2", "MOE-PHL-1"}
    [line] = [line for line in result.lines if line.claim.pk == w.claim.pk]
    # The claim on the Thai country objective: its own MOEs and the theater objective's above it.
    assert {c.indicator.code for c in line.comparisons} == {"MOE-TCP-3", "MOE-THA-1", "MOE-THA-2"}


def test_a_claim_lists_its_nearest_moes_first_and_counts_the_rest(measures, planner):
    w = measures
    part = Objective.objects.create(
        code="LOE-THA-2.1.1", level=w.army.level, primary_type="CAP", country=w.army.country, statement="A part"
    )
    link(w.army, part)
    for code, objective in [("MOE-IMO-1", w.imo)] + [(f"MOE-SUB-{n}", part) for n in range(1, 5)]:
        Indicator.objects.create(code=code, kind="MOE", statement=code, objective=objective, unit="x", data_source="y")
    [line] = contribution.analyse(w.theater, today=TODAY).lines
    # Its own objective's MOEs, then one step away (above and below) by code, then the theater's two steps up.
    assert [c.indicator.code for c in line.comparisons] == [
        "MOE-THA-1", "MOE-THA-2", "MOE-IMO-1", "MOE-SUB-1", "MOE-SUB-2", "MOE-SUB-3", "MOE-SUB-4", "MOE-TCP-3"
    ]  # fmt: skip
    assert [c.indicator.code for c in line.nearest] == [c.indicator.code for c in line.comparisons][:5]
    assert line.rest == "3 more MOEs further along the graph (no data for the window: 3)"
    html = planner.get(f"/objectives/{w.theater.uid}/contribution/").content.decode()
    claims = html.split('id="h-claims"')[1]
    assert "MOE-SUB-2</a>" in claims and "MOE-SUB-3</a>" not in claims
    assert "And 3 more MOEs further along the graph (no data for the window: 3)." in html


def test_missing_data_and_claims_nothing_measures_are_called_out(measures):
    w = measures
    [line] = contribution.analyse(w.army, today=TODAY).lines
    assert {c.verdict for c in line.comparisons} == {"no-data"}
    event_services.add_claim(
        actor=w.admin, event=w.orphan, objective=w.starved, objective_type="ACC", expected_change="Port access"
    )
    result = contribution.analyse(w.starved, today=TODAY)
    assert result.moes == [] and result.claims == 1
    assert not result.lines[0].testable and result.verdicts == {"untestable": 1}


def test_the_evidence_sits_beside_each_claim(measures):
    w = measures
    report = aar_services.start(actor=w.writer, event=w.event)
    review = report.reviews.get()
    review.happened = "The staff produced a plan"
    review.save()
    aar_services.add_observation(
        actor=w.writer,
        report=report,
        fields={"title": "Plan lacked a medical annex", "observation": "No medical annex", "claim": w.claim},
    )
    a = measure_services.create_assessment(actor=w.assessor, objective=w.army, period="FY2025", rating=3, rationale="x")
    measure_services.cite(actor=w.assessor, assessment=a, kind=Evidence.Kind.INDICATOR, indicator=w.moe, note="2→3")
    measure_services.submit_assessment(actor=w.assessor, assessment=a)
    result = contribution.analyse(w.imo, today=TODAY)  # from above: the claim is on the objective below
    [line] = result.lines
    assert line.review.happened == "The staff produced a plan"
    assert [o.title for o in line.observations] == ["Plan lacked a medical annex"]
    assert [(x.objective.code, x.rating) for x in result.assessments] == [("CSP-THA-2.1", 3)]


# Pages ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def planner(world, client):
    client.force_login(world.planner)
    return client


def test_the_dashboard_shows_each_kind_with_its_count_and_links_to_the_records(measures, planner):
    html = planner.get("/evaluation/").content.decode()
    assert "Orphan events" in html and "EVT-2025-KLE" in html
    assert f'href="/events/{measures.orphan.uid}/"' in html
    assert "Objectives never assessed" in html and "TCP-O9" in html
    # Filtered to Thailand: the Philippine orphan is gone.
    html = planner.get("/evaluation/", {"country": "THA"}).content.decode()
    assert "EVT-2025-KLE" not in html and "EVT-2026-HG" in html


def test_an_unknown_objective_in_the_filters_is_an_error_in_place(world, planner):
    response = planner.get("/evaluation/", {"objective": "NOPE-1"})
    assert response.status_code == 400
    assert 'role="alert">No objective NOPE-1.' in response.content.decode()
    assert planner.get("/evaluation/", {"country": "XXX"}).status_code == 400
    assert planner.get("/evaluation/", {"fiscal_year": "abc"}).status_code == 400


def test_counts_per_country_in_one_pass_equal_the_counts_with_each_country_chosen(measures):
    w = measures
    f = findings.Filters.of(TODAY)
    countries = (w.tha.pk, w.phl.pk, w.prk.pk)
    before = findings.per_country(f, countries)
    both = Event.objects.create(  # an orphan in two countries counts in each
        code="EVT-BOTH", name="KLE", event_type="KLE", start_date=date(2025, 3, 1), end_date=date(2025, 3, 2)
    )
    both.countries.set([w.tha, w.phl])
    together = findings.per_country(f, countries)
    for country in (w.tha, w.phl, w.prk):
        assert together[country.pk] == findings.counts(findings.Filters.of(TODAY, country=country))
    assert [together[pk]["orphan-event"] - before[pk]["orphan-event"] for pk in countries] == [1, 1, 0]
    assert together[w.tha.pk]["stale-indicator"] + together[w.tha.pk]["missing-aar"] > 0


def test_the_breakdown_by_fiscal_year_and_the_full_list_of_a_kind(aar, planner):
    html = planner.get("/evaluation/", {"by": "fiscal-year"}).content.decode()
    assert "FY2025" in html and "FY2026" in html
    html = planner.get("/evaluation/findings/orphan-event/").content.decode()
    assert "2 findings" in html and "EVT-2025-KLE" in html and "EVT-2026-HG" in html
    assert planner.get("/evaluation/findings/nothing/").status_code == 404


def test_the_discipline_page_shows_each_unit_with_its_measures(aar, planner):
    html = planner.get("/evaluation/discipline/").content.decode()
    assert "2-2 SBCT" in html and "AARs on time" in html


def test_the_contribution_page_pairs_claims_with_moe_movement(measures, planner):
    w = measures
    approved(w, w.moe, date(2025, 2, 10), 2)
    approved(w, w.moe, date(2025, 8, 15), 4)
    html = planner.get(f"/objectives/{w.army.uid}/contribution/").content.decode()
    assert "EVT-2025-HG" in html and "Moved as claimed" in html and "MOE-THA-2" in html
    html = planner.get(f"/objectives/{w.starved.uid}/contribution/").content.decode()
    assert "no claim on it can ever be tested" in html


def test_the_home_page_counts_this_fiscal_years_gaps_and_links_to_them(world, planner):
    today = timezone.localdate()
    Event.objects.create(code="EVT-NOW", name="Office call", event_type="KLE", start_date=today, end_date=today)
    html = planner.get("/").content.decode()
    year = Event.objects.get(code="EVT-NOW").fiscal_year
    assert f'href="/evaluation/?fiscal_year={year}#orphan-event">Orphan events: 1</a>' in html


# Portfolio -----------------------------------------------------------------------------------------------------


def _standing(w, country, **fields):
    from goldthread.evaluation import services

    values = {
        "priority": 1,
        "absorptive_capacity": 2,
        "relationship": 4,
        "capability": 3,
        "rationale": "Treaty ally; steady exercise program.",
        "reviewed_on": date(2025, 10, 1),
        **fields,
    }
    return services.set_standing(actor=w.planner, country=country, version=None, **values)


def test_the_portfolio_counts_events_and_the_objective_type_mix_per_country(aar):
    from goldthread.evaluation import portfolio

    w = aar
    rows = {row.country.iso3: row for row in portfolio.rows(findings.Filters.of(TODAY))}
    assert set(rows) == {"THA", "CHN", "PHL", "PRK"}  # every country in the area, with or without events
    assert rows["THA"].events == 2 and rows["PHL"].events == 1 and rows["CHN"].events == 0
    assert rows["THA"].mix == [("REL", 0, 0), ("CAP", 1, 100), ("INT", 0, 0), ("ACC", 0, 0)]
    assert [row.country.iso3 for row in portfolio.rows(findings.Filters.of(TODAY))][:2] == ["THA", "PHL"]
    only = portfolio.rows(findings.Filters.of(TODAY, country=w.tha, fiscal_year=2025))
    assert [(row.country.iso3, row.events) for row in only] == [("THA", 1)]


def test_a_country_with_more_events_in_a_quarter_than_it_can_absorb_is_saturated(aar):
    from goldthread.evaluation import portfolio

    w = aar
    for n in range(2):  # two Thai events starting in FY2025-Q4, after the exercise in Q3
        e = Event.objects.create(
            code=f"EVT-X{n}",
            name="SMEE",
            event_type="SMEE",
            start_date=date(2025, 7, 1 + n),
            end_date=date(2025, 7, 3 + n),
        )
        e.countries.set([w.tha, w.phl][: n + 1])  # the second one held in two countries
        ContributionClaim.objects.create(event=e, objective=w.rel, objective_type="REL", expected_change="x")
    row = next(r for r in portfolio.rows(findings.Filters.of(TODAY)) if r.country == w.tha)
    assert row.by_quarter == {"FY2025-Q3": 1, "FY2025-Q4": 2, "FY2026-Q3": 1}
    # Filtered to the country, the portfolio counts what the whole theater's counts for it, and nothing of others.
    ContributionClaim.objects.create(event=w.orphan, objective=w.rel, objective_type="REL", expected_change="x")
    [alone] = portfolio.rows(findings.Filters.of(TODAY, country=w.tha))
    assert (alone.events, alone.by_quarter, alone.types) == (row.events, row.by_quarter, row.types)
    assert row.types == {"CAP": 1, "REL": 2}
    assert row.saturated == []  # no capacity recorded: never called saturated
    _standing(w, w.tha, absorptive_capacity=1)
    row = next(r for r in portfolio.rows(findings.Filters.of(TODAY)) if r.country == w.tha)
    assert row.saturated == [("FY2025-Q4", 2)]


def test_recording_a_standing_is_audited_and_bounded_by_the_users_countries(aar):
    from goldthread.core.errors import DomainError, NotPermitted
    from goldthread.core.models import AuditEntry
    from goldthread.evaluation import services

    w = aar
    made = _standing(w, w.tha)
    assert AuditEntry.objects.filter(action="standing.create", object_uid=made.uid).exists()
    revised = services.set_standing(actor=w.desk, country=w.tha, version=made.version, relationship=5)
    assert revised.relationship == 5
    assert AuditEntry.objects.filter(action="standing.update", object_uid=made.uid).exists()
    with pytest.raises(NotPermitted):  # the Thai desk officer does not speak for the Philippines
        services.set_standing(
            actor=w.desk,
            country=w.phl,
            version=None,
            priority=2,
            relationship=3,
            capability=3,
            rationale="x",
            reviewed_on=date(2025, 1, 1),
        )
    with pytest.raises(DomainError) as refused:
        services.set_standing(actor=w.planner, country=w.tha, version=revised.version, capability=9)
    assert "capability" in refused.value.errors
    with pytest.raises(DomainError):  # a stale version is refused, not applied
        services.set_standing(actor=w.planner, country=w.tha, version=made.version, capability=2)


def test_the_standing_form_shows_errors_in_place_and_the_portfolio_page_shows_saturation(aar, client):
    w = aar
    client.force_login(w.planner)
    response = client.post("/evaluation/portfolio/THA/standing/", {"priority": "1", "relationship": "7"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_relationship_error"' in html and 'id="id_rationale_error"' in html
    response = client.post(
        "/evaluation/portfolio/tha/standing/",
        {
            "priority": "1",
            "absorptive_capacity": "1",
            "relationship": "4",
            "capability": "3",
            "rationale": "Treaty ally.",
            "reviewed_on": "2025-10-01",
        },
    )
    assert response.status_code == 302
    for code in ("EVT-Y1", "EVT-Y2"):
        Event.objects.create(
            code=code, name="KLE", event_type="KLE", start_date=date(2025, 7, 9), end_date=date(2025, 7, 9)
        ).countries.set([w.tha])
    html = client.get("/evaluation/portfolio/").content.decode()
    assert "Saturation:" in html and "2 events in FY2025-Q4" in html
    assert html.count('<svg role="img"') == 3 and "<figcaption" in html
    # Behind each picture, its numbers as a table.
    assert html.count("<details><summary>The numbers behind it</summary>") == 3
    assert "<caption>Claims by country and objective type</caption>" in html
    assert '<th scope="row">Thailand</th><td>4</td><td>yes</td>' in html  # live events, on the map
    html = client.get("/evaluation/portfolio/", {"country": "THA", "fiscal_year": 2025}).content.decode()
    assert "<caption>Events starting in Thailand each quarter of FY2025</caption>" in html
    assert '<th scope="row">FY2025-Q4</th><td>2</td><td>1</td><td>yes</td>' in html
    assert '<th scope="row">FY2025-Q3</th><td>1</td><td>1</td><td>no</td>' in html
    client.force_login(w.reader)
    assert client.get("/evaluation/portfolio/THA/standing/").status_code == 403
    assert client.get("/evaluation/portfolio/XYZ/standing/").status_code == 404


# The evaluation report -----------------------------------------------------------------------------------------


def test_the_report_for_a_country_reads_back_from_docx_pdf_and_xlsx(measures, planner):
    import io

    from docx import Document as Docx
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from goldthread.core.models import AuditEntry

    w = measures
    approved(w, w.moe, date(2025, 2, 10), 2)
    approved(w, w.moe, date(2025, 8, 15), 4)
    response = planner.get("/evaluation/report.docx", {"country": "THA"})
    assert response.status_code == 200
    assert 'filename="evaluation-THA.docx"' in response["Content-Disposition"]
    doc = Docx(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Evaluation of Thailand, all years" in text and "Gaps and recommendations" in text
    cells = {cell.text for table in doc.tables for row in table.rows for cell in row.cells}
    assert {"Missing AARs", "EVT-2025-HG", "Moved as claimed", "2-2 SBCT"} <= cells
    assert len(doc.inline_shapes) == 3  # the flow, the heat map and Thailand's year of events
    assert AuditEntry.objects.filter(action="evaluation.exported", object_repr="evaluation-THA.docx").exists()

    pdf = PdfReader(io.BytesIO(planner.get("/evaluation/report.pdf", {"country": "THA"}).content))
    pdf_text = "".join(page.extract_text() for page in pdf.pages)
    assert "Contribution of the events to the objectives" in pdf_text and "EVT-2025-HG" in pdf_text
    assert sum(len(page.images) for page in pdf.pages) == 3

    book = load_workbook(io.BytesIO(planner.get("/evaluation/report.xlsx", {"country": "THA"}).content))
    assert book.sheetnames == ["Findings", "Contribution", "Discipline", "Portfolio", "Recommendations"]
    findings_rows = [row for row in book["Findings"].iter_rows(min_row=2, values_only=True)]
    assert ("Missing AARs", "EVT-2025-HG") in {(r[0], r[1]) for r in findings_rows}
    contribution_rows = list(book["Contribution"].iter_rows(min_row=2, values_only=True))
    assert any(r[1] == "EVT-2025-HG" and r[5] == "MOE-THA-1" and r[6] == 2 and r[8] == 4 for r in contribution_rows)


def test_the_report_recommends_what_the_findings_call_for(aar):
    from goldthread.evaluation import report

    ev = report.gather(findings.Filters.of(TODAY, fiscal_year=2025))
    assert ev.title == "Evaluation of the theater, FY2025"
    said = "\n".join(ev.recommendations)
    assert "Orphan events: 1. Add a contribution claim to the event, or cancel it." in said
    assert "Missing AARs: 1. Start the AAR" in said
    assert "2-2 SBCT: data discipline" in said


def test_a_report_analyses_no_objective_above_or_below_another_it_analyses(world):
    """The IMO and the country objective below it are claimed once each; the IMO's analysis covers the claims on
    the country objective, so the report analyses it alone, and then the unrelated theater objective."""
    from goldthread.evaluation import report

    w = world
    for objective, n in [(w.imo, 1), (w.rel, 2)]:
        for i in range(n):
            other = Event.objects.create(
                code=f"EVT-2025-X{objective.pk}{i}",
                name="x",
                event_type="KLE",
                start_date=date(2025, 3, 1),
                end_date=date(2025, 3, 1),
            )
            ContributionClaim.objects.create(
                event=other, objective=objective, objective_type="REL", expected_change="x"
            )
    analysed = report._analysed(findings.Filters.of(TODAY, fiscal_year=2025))
    assert [o.code for o in analysed] == ["TCP-O1", "IMO-THA-2"]


@pytest.mark.django_db(transaction=True)
def test_a_report_gathered_side_by_side_says_what_one_gathered_in_turn_says(measures, settings):
    from goldthread.evaluation import report
    from goldthread.reports import evaluation_document

    f = findings.Filters.of(TODAY, country=measures.tha)
    settings.READ_THREADS = 1
    in_turn = evaluation_document.document(report.gather(f))
    alone = discipline.lines(on=TODAY), findings.first(findings.Filters.of(TODAY), 5)
    settings.READ_THREADS = 3
    side_by_side = evaluation_document.document(report.gather(f))
    assert (discipline.lines(on=TODAY), findings.first(findings.Filters.of(TODAY), 5)) == alone
    assert alone[0] and any(alone[1].values())
    # Block for block, the pictures' PNGs byte for byte.
    assert side_by_side == in_turn and len([b for b in in_turn.blocks if hasattr(b, "png")]) == 3


def test_a_report_with_bad_filters_or_format_is_refused_clearly(world, planner):
    assert planner.get("/evaluation/report.docx", {"objective": "NOPE"}).status_code == 400
    assert planner.get("/evaluation/report.odt").status_code == 404


def test_each_role_finds_its_own_view_on_the_dashboard(aar, client):
    w = aar
    client.force_login(w.planner)
    html = client.get("/evaluation/").content.decode()
    assert "Saturated countries" in html and "Weakest data discipline" in html and "Your countries" not in html
    client.force_login(w.desk)
    html = client.get("/evaluation/").content.decode()
    assert "<caption>Your countries</caption>" in html and "?country=THA" in html and "Saturated countries" not in html
    client.force_login(w.assessor)
    html = client.get("/evaluation/").content.decode()
    assert f'href="/objectives/{w.army.uid}/contribution/"' in html
    client.force_login(w.reader)
    assert 'id="h-mine"' not in client.get("/evaluation/").content.decode()


@pytest.fixture
def kept(settings):
    """Results kept as the app keeps them, in a store emptied for this test."""
    from django.core.cache import caches

    settings.CACHES = {**settings.CACHES, "evaluation": {"BACKEND": KEPT, "LOCATION": "test"}}
    caches["evaluation"].clear()


def test_kept_results_are_the_objects_themselves_the_least_recently_read_going_first(settings):
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "evaluation": {"BACKEND": KEPT, "LOCATION": "bounded", "OPTIONS": {"MAX_ENTRIES": 2}},
    }
    cache = caches["evaluation"]
    cache.clear()
    result = {"orphan-event": 2}
    cache.set("a", result)
    assert cache.get("a") is result  # not a copy: nothing pickled on the way in or out
    cache.set("b", 2)
    cache.get("a")
    cache.set("c", 3)  # over the bound: "b", read least recently, goes
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (result, None, 3)
    assert not cache.add("c", 4) and cache.get("c") == 3
    cache.set("d", 4, timeout=-1)  # expired as soon as kept
    assert not cache.has_key("d") and cache.get("d", "gone") == "gone"
    assert cache.delete("c") and not cache.delete("c")
    cache.clear()
    assert cache.get("a") is None


def test_kept_results_are_bounded_by_their_deep_size_the_least_recently_read_going_first(settings):
    import objsize
    from django.core.cache import caches

    big, small = ["x" * 1000 for _ in range(50)], ["y"]  # fifty distinct strings: about 50 kB deep
    bound = objsize.get_deep_size(big) + objsize.get_deep_size(small) + 100
    settings.CACHES = {
        **settings.CACHES,
        "evaluation": {"BACKEND": KEPT, "LOCATION": "sized", "OPTIONS": {"MAX_BYTES": bound}},
    }
    cache = caches["evaluation"]
    cache.clear()
    cache.set("small", small)
    cache.set("big", big)
    assert cache.get("small") is small and cache.get("big") is big  # both fit; "small" now read least recently
    cache.set("small-again", ["z"] * 10)  # over the bound: "small" goes, not "big" read since
    assert cache.get("small") is None and cache.get("big") is big
    cache.set("huge", big + ["w" * 1000 for _ in range(50)])  # bigger than the whole store: not kept, nothing lost
    assert cache.get("huge") is None and cache.get("big") is big
    assert not cache.add("huge", big + ["w" * 1000 for _ in range(50)])
    cache.set("big", small)  # replaced: its old size no longer counts
    cache.set("other", ["v" * 1000 for _ in range(50)])
    assert cache.get("big") is small and cache.get("other") is not None
    cache.clear()


def test_results_are_kept_until_the_next_audited_change(aar, kept):
    from goldthread.core import audit
    from goldthread.evaluation import cache

    w = aar
    f = findings.Filters.of(TODAY)
    assert findings.counts(f)["orphan-event"] == 2
    # A change that bypasses the services leaves no audit entry: the kept result stands, which is why none may.
    Event.objects.filter(pk=w.orphan.pk).update(status=Event.Status.CANCELLED)
    assert findings.counts(f)["orphan-event"] == 2
    before = cache.state()
    audit.record_about(w.planner, "evaluation.exported", "evaluation-THA.pdf")  # a download changes nothing
    assert cache.state() == before
    event_services.add_claim(
        actor=w.admin, event=w.next_event, objective=w.army, objective_type="CAP", expected_change="Plan reviewed"
    )
    assert cache.state() > before
    assert findings.counts(f)["orphan-event"] == 0
    # Kept per filters too: another country's numbers are its own.
    assert findings.counts(findings.Filters.of(TODAY, country=w.tha))["missing-aar"] == 1
    assert findings.counts(findings.Filters.of(TODAY, country=w.phl))["missing-aar"] == 0


def test_the_events_serving_an_objective_are_counted_once_per_state_of_the_data(world, kept):
    from goldthread.events import selectors as event_selectors

    w = world
    assert event_selectors.serving(w.national).by_country == [("Thailand", 1)]
    # Unaudited, so unseen: the counts were kept, not read again (the claims listed are always read).
    ContributionClaim.objects.create(event=w.orphan, objective=w.rel, objective_type="REL")
    assert event_selectors.serving(w.national).by_country == [("Thailand", 1)]
    ContributionClaim.objects.filter(event=w.orphan).delete()
    event_services.add_claim(
        actor=w.admin, event=w.orphan, objective=w.rel, objective_type="REL", expected_change="Ties renewed"
    )
    served = event_selectors.serving(w.national)
    assert served.by_country == [("Philippines", 1), ("Thailand", 1)]
    assert (served.by_fiscal_year, served.event_count) == ([(2025, 2)], 2)
    assert event_selectors.serving(w.theater).by_country == [("Thailand", 1)]  # kept per objective


def test_the_links_and_order_of_a_long_walk_of_the_graph_are_kept_once_per_state_of_the_data(world, kept, monkeypatch):
    from goldthread.strategy import selectors as strategy_selectors
    from goldthread.strategy import services as strategy_services

    w = world
    monkeypatch.setattr(strategy_selectors, "MANY_IDS", 0)  # every step goes by every link
    below = strategy_selectors.descendant_ids(w.national.pk)
    assert {w.theater.pk, w.army.pk} <= below
    ordered = strategy_selectors.in_order(below)
    assert ordered == [o.pk for o in sorted(Objective.objects.filter(pk__in=below), key=lambda o: (o.level, o.code))]
    # Unaudited, so unseen: the links and the order were kept, not read again.
    extra = Objective.objects.create(code="EXTRA", statement="Extra", level=Level.IMO, primary_type="REL")
    link(w.theater, extra)
    assert strategy_selectors.descendant_ids(w.national.pk) == below
    assert strategy_selectors.in_order(below | {extra.pk}) == ordered
    ObjectiveLink.objects.filter(child=extra).delete()
    strategy_services.link_objectives(actor=w.admin, parent=w.theater, child=extra)
    assert strategy_selectors.descendant_ids(w.national.pk) == below | {extra.pk}
    assert strategy_selectors.ancestor_ids(extra.pk) == {w.theater.pk, w.national.pk}
    assert set(strategy_selectors.in_order(below | {extra.pk})) == below | {extra.pk}
    # Not even a page's reader is given links from before another's change: results kept under the new state are
    # computed from them.
    with cache.reading(w.planner.pk):
        strategy_services.unlink_objectives(actor=w.admin, parent=w.theater, child=extra)
        assert strategy_selectors.descendant_ids(w.national.pk) == below


def test_the_events_under_way_are_kept_once_per_state_of_the_data(world, kept):
    from goldthread.events import selectors as event_selectors

    w = world
    today = timezone.localdate()
    days = {"start_date": today - timedelta(days=1), "end_date": today + timedelta(days=1)}
    before = set(event_selectors.under_way(today))
    # Unaudited, so unseen: the events under way were kept, not read again.
    unseen = Event.objects.create(code="EVT-UNSEEN", name="Unseen", event_type="SMEE", **days)
    assert set(event_selectors.under_way(today)) == before
    event = event_services.create_event(
        actor=w.admin, countries=[w.tha], code="EVT-UNDER-WAY", name="Under way", event_type="SMEE", **days
    )
    assert set(event_selectors.under_way(today)) == before | {unseen.pk, event.pk}
    assert not {unseen.pk, event.pk} & set(event_selectors.under_way(today + timedelta(days=2)))
    with cache.reading(w.planner.pk):  # a page's reader, after another's change, is not given them either
        assert event.pk in event_selectors.under_way(today)
        ended = {"end_date": today - timedelta(days=1)}
        event_services.update_event(actor=w.admin, event=event, version=event.version, changes=ended)
        assert event.pk not in event_selectors.under_way(today)


def test_a_page_shows_kept_figures_after_others_changes_and_says_how_old_but_never_after_your_own(aar, kept, settings):
    from django.test import Client

    w = aar
    planner = Client()
    planner.force_login(w.planner)

    def orphans(query: str = "") -> tuple[int, bool]:
        html = planner.get(f"/evaluation/?{query}").content.decode()
        (count,) = [
            int(n) for n, title in re.findall(r"<strong>(\d+)</strong> ([^<]+)</a>", html) if title == "Orphan events"
        ]
        return count, "Figures as of" in html

    assert orphans() == (2, False)
    claim = {"objective": w.army, "objective_type": "CAP", "expected_change": "Plan reviewed"}
    event_services.add_claim(actor=w.admin, event=w.orphan, **claim)  # somebody else fixes one
    assert orphans() == (2, True)  # kept, and said to be
    assert findings.counts(findings.Filters.of(timezone.localdate()))["orphan-event"] == 1  # outside a page: as it is
    assert orphans("fresh=1") == (1, False)  # asked for now

    event_services.add_claim(actor=w.admin, event=w.next_event, **claim)
    assert orphans() == (1, True)
    settings.EVALUATION_MAX_AGE = 0  # too old to be shown
    assert orphans() == (0, False)

    settings.EVALUATION_MAX_AGE = 300
    claimed = ContributionClaim.objects.get(event=w.orphan)
    event_services.remove_claim(actor=w.planner, claim=claimed)  # the reader's own change
    assert orphans() == (1, False)
