"""Measures: where each kind of indicator may be bound, values checked against the definition, the approval
workflow, period locks, bulk import with a preview, collection tasks, and assessments that must cite evidence."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook

from goldthread.core.catalogues import Level
from goldthread.core.errors import DomainError, NotPermitted
from goldthread.core.models import AuditEntry
from goldthread.events.models import ContributionClaim
from goldthread.measures import importing, periods, rollup, selectors, services
from goldthread.measures.models import Assessment, Evidence, Indicator, Measurement
from goldthread.strategy.models import Objective
from tests.conftest import link, make_user


def moe(**fields):
    return {
        "code": "MOE-NEW",
        "kind": "MOE",
        "statement": "Partner requests for engagement",
        "unit": "requests",
        "data_source": "SCO log",
        **fields,
    }


def approved(w, indicator, day, value, **fields):
    m = services.record(actor=w.assessor, indicator=indicator, date=day, value=value, **fields)
    return services.approve(actor=w.desk, measurement=m)


# Binding ---------------------------------------------------------------------------------------------------------


def test_a_moe_bound_to_an_event_is_refused_with_the_reason(measures):
    w = measures
    with pytest.raises(DomainError) as refused:
        services.create_indicator(actor=w.planner, **moe(event=w.event))
    assert "event" in refused.value.errors
    assert "no single event can answer for" in refused.value.detail
    assert not Indicator.objects.filter(code="MOE-NEW").exists()


def test_a_moe_on_an_event_objective_and_a_mop_on_an_outcome_are_refused(measures):
    w = measures
    task = Objective.objects.create(code="EVT-OBJ-1", statement="Run the CPX", level=4, primary_type="CAP")
    with pytest.raises(DomainError, match="measure it with a MOP"):
        services.create_indicator(actor=w.planner, **moe(objective=task))
    with pytest.raises(DomainError, match="bind it to an event or an event objective"):
        services.create_indicator(actor=w.planner, **moe(kind="MOP", objective=w.army))
    made = services.create_indicator(actor=w.planner, **moe(kind="MOP", objective=task))
    assert made.kind == "MOP"
    assert AuditEntry.objects.filter(action="indicator.create", object_uid=made.uid).exists()


def test_ratings_are_averaged_or_latest_and_only_take_values_on_their_scale(measures):
    w = measures
    scale = [{"value": 1, "label": "No plan"}, {"value": 2, "label": "A plan"}]
    with pytest.raises(DomainError, match="not added"):
        services.create_indicator(actor=w.planner, **moe(objective=w.army, scale=scale, aggregation="SUM"))
    with pytest.raises(DomainError, match="give one of 1, 2, 3, 4, 5"):
        services.record(actor=w.assessor, indicator=w.moe, date=date(2025, 7, 1), value=7)


def test_a_part_rolls_up_only_into_a_whole_it_can_be_added_to(measures):
    w = measures
    with pytest.raises(DomainError, match="same unit the same way"):
        services.create_indicator(actor=w.planner, **moe(objective=w.army, rolls_up_to=w.theater_moe))
    with pytest.raises(DomainError, match="does not serve"):
        services.create_indicator(
            actor=w.planner, **moe(objective=w.rel, unit="staff officers", rolls_up_to=w.country_moe)
        )
    with pytest.raises(DomainError, match="loop"):
        services.update_indicator(
            actor=w.planner, indicator=w.theater_moe, version=None, changes={"rolls_up_to": w.country_moe}
        )


# Values and their workflow ---------------------------------------------------------------------------------------


def test_a_value_counts_only_once_someone_else_approves_it(measures):
    w = measures
    m = services.record(actor=w.assessor, indicator=w.country_moe, date=date(2025, 8, 1), value=12)
    assert m.status == Measurement.Status.SUBMITTED and m.period == "FY2025-Q4"
    assert rollup.series([w.country_moe])[w.country_moe.pk].points == []
    with pytest.raises(NotPermitted):
        services.approve(actor=w.assessor, measurement=m)
    own = services.record(actor=w.desk, indicator=w.country_moe, date=date(2025, 8, 2), value=3)
    with pytest.raises(DomainError, match="someone else approves it"):
        services.approve(actor=w.desk, measurement=own)
    services.approve(actor=w.desk, measurement=m)
    point = rollup.series([w.country_moe])[w.country_moe.pk].points[0]
    assert (point.period, point.value, point.count) == ("FY2025-Q4", 12, 1)
    with pytest.raises(DomainError, match="only a draft or returned one"):
        services.update_measurement(actor=w.assessor, measurement=m, version=None, changes={"value": 13})


def test_a_returned_value_says_why_and_can_be_fixed_and_resubmitted(measures):
    w = measures
    m = services.record(actor=w.assessor, indicator=w.country_moe, date=date(2025, 8, 1), value=120)
    with pytest.raises(DomainError, match="Say what is wrong"):
        services.return_(actor=w.desk, measurement=m, reason=" ")
    services.return_(actor=w.desk, measurement=m, reason="120 is the whole brigade; count staff officers only.")
    services.update_measurement(actor=w.assessor, measurement=m, version=m.version, changes={"value": 12})
    services.submit(actor=w.assessor, measurement=m)
    m.refresh_from_db()
    assert (m.status, m.value, m.return_reason) == ("SUBMITTED", 12, "")


def test_values_are_checked_against_the_definition(measures):
    w = measures
    w.country_moe.minimum, w.country_moe.maximum = 0, 500
    w.country_moe.save()
    cases = [
        ({"indicator": w.country_moe, "value": -1}, "below"),
        ({"indicator": w.country_moe, "value": 501}, "above"),
        ({"indicator": w.country_moe, "value": 1, "date": date.today() + timedelta(days=2)}, "future"),
        ({"indicator": w.mop, "value": 1, "disaggregation": {"rank": "O-4"}}, "not broken down by rank"),
        ({"indicator": w.mop, "value": 1, "event": w.next_event}, "does not collect"),
        ({"indicator": w.country_moe, "value": 1, "numerator": 1, "denominator": 2}, "not a ratio"),
    ]
    for fields, message in cases:
        with pytest.raises(DomainError, match=message):
            services.record(actor=w.assessor, **{"date": date(2025, 8, 1), **fields})
    assert not Measurement.objects.exists()


def test_a_ratio_is_computed_from_its_parts_and_rolls_up_as_sums(measures):
    w = measures
    ratio = services.create_indicator(
        actor=w.planner, **moe(objective=w.army, unit="%", aggregation="RATIO", code="MOE-RATIO")
    )
    with pytest.raises(DomainError, match="numerator and the denominator"):
        services.record(actor=w.assessor, indicator=ratio, date=date(2025, 8, 1), value=1)
    approved(w, ratio, date(2025, 8, 1), 0, numerator=1, denominator=4)
    approved(w, ratio, date(2025, 8, 2), 0, numerator=3, denominator=4)
    assert Measurement.objects.filter(indicator=ratio).values_list("value", flat=True).first() in (0.25, 0.75)
    assert rollup.series([ratio])[ratio.pk].points[0].value == 0.5


def test_an_outlier_is_recorded_with_a_warning(measures):
    w = measures
    for day in range(1, 11):
        approved(w, w.country_moe, date(2025, 8, day), 10 + day % 3)
    assert selectors.warning(w.country_moe, 11) == ""
    assert "check the unit and the decimal point" in selectors.warning(w.country_moe, 1100)


# Period locks ----------------------------------------------------------------------------------------------------


def test_a_locked_period_refuses_edits_with_a_clear_message(measures):
    w = measures
    waiting = services.record(actor=w.assessor, indicator=w.country_moe, date=date(2025, 8, 1), value=12)
    with pytest.raises(DomainError, match="not approved yet"):
        services.lock(actor=w.planner, indicator=w.country_moe, period="FY2025-Q4")
    services.approve(actor=w.desk, measurement=waiting)
    services.lock(actor=w.planner, indicator=w.country_moe, period="FY2025")  # the year covers its quarters
    with pytest.raises(DomainError) as refused:
        services.record(actor=w.assessor, indicator=w.country_moe, date=date(2025, 9, 1), value=3)
    assert "FY2025-Q4 of MOE-THA-2 is locked" in refused.value.detail
    assert "date" in refused.value.errors
    services.record(actor=w.assessor, indicator=w.country_moe, date=date(2025, 10, 1), value=3)  # FY2026 is open
    services.unlock(actor=w.planner, indicator=w.country_moe, period="FY2025")
    services.record(actor=w.assessor, indicator=w.country_moe, date=date(2025, 9, 1), value=3)


def test_only_those_who_lock_periods_may(measures):
    with pytest.raises(NotPermitted):
        services.lock(actor=measures.desk, indicator=measures.country_moe, period="FY2025")


# Bulk import -----------------------------------------------------------------------------------------------------


def csv_file(*rows: str) -> bytes:
    return ("indicator,date,value,event,sex,note\n" + "\n".join(rows) + "\n").encode()


def test_an_import_with_bad_rows_previews_them_and_writes_nothing(measures):
    w = measures
    data = csv_file(
        "MOP-HG-1,2025-07-01,24,EVT-2025-HG,F,first day",
        "MOP-HG-9,2025-07-01,3,,,",
        "MOE-THA-1,2025-07-01,9,,,",
        "MOP-HG-1,01/07/2025,4,EVT-2025-HG,,",
        "MOP-HG-1,2025-07-02,many,EVT-2025-HG,,",
    )
    preview = importing.preview(actor=w.assessor, name="values.csv", data=data)
    errors = {row.line: row.errors for row in preview.bad}
    assert sorted(errors) == [3, 4, 5, 6]
    assert "No indicator 'MOP-HG-9'." in errors[3]
    assert "give one of" in errors[4][0]
    assert "is not a date" in errors[5][0]
    assert "is not a number" in errors[6][0]
    assert [row.line for row in preview.good] == [2]
    assert not Measurement.objects.exists()
    with pytest.raises(DomainError, match="4 row\\(s\\) of values.csv have errors"):
        importing.commit(actor=w.assessor, preview=preview)
    assert not Measurement.objects.exists()


def test_a_clean_xlsx_import_is_written_submitted_once_confirmed(measures):
    w = measures
    book = Workbook()
    sheet = book.active
    sheet.append(["Indicator", "Date", "Value", "Event", "Sex"])
    sheet.append(["MOP-HG-1", date(2025, 7, 1), 20, "EVT-2025-HG", "M"])
    sheet.append(["MOP-HG-1", date(2025, 7, 1), 4, "EVT-2025-HG", "F"])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = importing.preview(actor=w.assessor, name="roster.xlsx", data=buffer.getvalue())
    assert not preview.bad and not Measurement.objects.exists()
    importing.commit(actor=w.assessor, preview=preview)
    written = Measurement.objects.filter(indicator=w.mop).order_by("value")
    assert [(m.value, m.disaggregation, m.status, m.source, m.period) for m in written] == [
        (4, {"sex": "F"}, "SUBMITTED", "IMPORT", "FY2025-Q4"),
        (20, {"sex": "M"}, "SUBMITTED", "IMPORT", "FY2025-Q4"),
    ]
    assert AuditEntry.objects.filter(action="measurement.import", actor=w.assessor).exists()


def test_an_unreadable_import_file_is_refused_in_one_line(measures):
    with pytest.raises(DomainError, match="not a readable Excel workbook"):
        importing.preview(actor=measures.assessor, name="x.xlsx", data=b"not a zip")
    with pytest.raises(DomainError, match="no column date"):
        importing.preview(actor=measures.assessor, name="x.csv", data=b"indicator,value\nMOP-HG-1,3\n")


# Collection tasks ------------------------------------------------------------------------------------------------


def test_an_event_collects_its_mops_and_the_moes_of_what_it_claims(measures):
    w = measures
    found = {t.indicator.code: t for t in selectors.tasks(w.event)}
    assert set(found) == {"MOP-HG-1", "MOE-THA-1", "MOE-THA-2"}  # not the theater MOE: no claim on TCP-O3
    assert found["MOE-THA-1"].due == w.event.end_date + timedelta(days=30)
    assert not any(t.answered for t in found.values())
    services.record(actor=w.writer, indicator=w.mop, date=date(2025, 7, 5), value=24, event=w.event)
    assert {t.indicator.code for t in selectors.tasks(w.event) if t.answered} == {"MOP-HG-1"}
    assert selectors.tasks(w.next_event) == []


def test_compliance_counts_tasks_due_and_answered_per_unit(measures):
    w = measures
    services.record(actor=w.writer, indicator=w.mop, date=date(2025, 7, 5), value=24, event=w.event)
    services.record(actor=w.writer, indicator=w.moe, date=date(2025, 7, 5), value=3, event=w.event)
    services.record(actor=w.writer, indicator=w.moe, date=date(2025, 7, 4), value=2, event=w.event)  # same task
    [row] = selectors.compliance(on=date(2026, 1, 1))
    assert (row.unit, row.due, row.answered, round(row.rate, 2)) == (w.bct, 3, 2, 0.67)
    assert selectors.compliance(on=date(2025, 7, 10)) == []  # not due before the AAR is


def test_a_task_reached_two_ways_is_counted_once(measures):
    """The exercise claims the Thai objective and an event objective below it: each of the Thai MOEs is a task by
    both ways, and still one task."""
    w = measures
    task = Objective.objects.create(code="EVT-OBJ-1", statement="Run the CPX", level=Level.EVENT, primary_type="CAP")
    link(w.army, task)
    ContributionClaim.objects.create(
        event=w.event, objective=task, role="SECONDARY", objective_type="CAP", expected_change="x"
    )
    services.record(actor=w.writer, indicator=w.moe, date=date(2025, 7, 5), value=3, event=w.event)
    [row] = selectors.compliance(on=date(2026, 1, 1))
    assert (row.due, row.answered) == (3, 1)


# Assessments -----------------------------------------------------------------------------------------------------


def test_an_assessment_without_evidence_cannot_be_submitted(measures):
    w = measures
    a = services.create_assessment(
        actor=w.assessor, objective=w.army, period="FY2025", rating=3, rationale="Plans improved.", confidence="MEDIUM"
    )
    assert a.independence == Assessment.Independence.INDEPENDENT and a.status == "DRAFT"
    with pytest.raises(DomainError) as refused:
        services.submit_assessment(actor=w.assessor, assessment=a)
    assert "evidence" in refused.value.errors
    services.cite(actor=w.assessor, assessment=a, kind=Evidence.Kind.INDICATOR, indicator=w.moe, note="2 → 3")
    services.submit_assessment(actor=w.assessor, assessment=a)
    a.refresh_from_db()
    assert a.status == "SUBMITTED" and a.submitted_at
    with pytest.raises(DomainError, match="part of the record"):
        services.update_assessment(actor=w.assessor, assessment=a, version=None, changes={"rating": 5})


def test_who_rates_decides_self_or_independent(measures):
    w = measures
    Objective.objects.filter(pk=w.army.pk).update(owner=w.usarpac)
    w.army.refresh_from_db()
    own = make_user("cell", "assessor", w.bct)  # an assessor inside the owning command
    for actor, expected in [(w.desk, "SELF"), (own, "SELF"), (w.assessor, "INDEPENDENT")]:
        a = services.create_assessment(actor=actor, objective=w.army, period="FY2026", rating=3, rationale="x")
        assert a.independence == expected, actor


def test_evidence_must_name_what_it_cites(measures):
    w = measures
    a = services.create_assessment(actor=w.assessor, objective=w.army, period="FY2025", rating=3, rationale="x")
    with pytest.raises(DomainError, match="Name the document"):
        services.cite(actor=w.assessor, assessment=a, kind="DOCUMENT", document="  ")
    with pytest.raises(DomainError, match="not a fiscal period"):
        services.create_assessment(actor=w.assessor, objective=w.army, period="2025", rating=3, rationale="x")


def test_collection_tasks_reach_the_executor_and_the_aar_score(measures):
    from goldthread.aars import score as aar_score
    from goldthread.aars import selectors as aar_selectors
    from goldthread.aars import services as aars
    from goldthread.planning.purpose import purpose_block

    w = measures
    observe = purpose_block(w.event).observe
    assert any(
        line.startswith("MOP-HG-1 (MOP, for this event): RTA staff officers completing the CPX") for line in observe
    )
    assert any(line.startswith("MOE-THA-1 (MOE, for CSP-THA-2.1)") for line in observe)
    report = aars.start(actor=w.writer, event=w.event)

    def data_points() -> float:
        content = aar_selectors.content(report)
        return aar_score._fraction(content, "data")[0]

    assert data_points() == 0  # three tasks and the claim's own indicator, none answered
    services.record(actor=w.writer, indicator=w.mop, date=date(2025, 7, 5), value=24, event=w.event)
    assert data_points() == 0.25
    report.refresh_from_db()
    assert report.score == aar_score.compute(aar_selectors.content(report)).total  # rescored when the value came in


def test_a_running_total_stops_today_and_future_periods_show_only_their_targets(measures):
    w = measures
    services.update_indicator(
        actor=w.planner, indicator=w.country_moe, version=None, changes={"accumulation": "CUMULATIVE"}
    )
    approved(w, w.country_moe, date(2025, 8, 1), 10)
    approved(w, w.country_moe, date(2026, 2, 1), 5)
    next_year = f"FY{date.today().year + 2}"
    services.set_target(actor=w.planner, indicator=w.country_moe, period=next_year, value=40)
    points = {p.period: p for p in rollup.series([w.country_moe], grain="year")[w.country_moe.pk].points}
    assert (points["FY2025"].value, points["FY2026"].value) == (10, 15)
    assert (points[next_year].value, points[next_year].target) == (None, 40)
    current = periods.year_of(periods.quarter_of(date.today()))
    assert (points[current].value, rollup.series([w.country_moe], grain="year")[w.country_moe.pk].last.period) == (
        15,
        current,
    )


def test_an_event_claiming_an_event_objective_collects_the_outcome_above_it(measures):
    from goldthread.events.models import ContributionClaim, Event
    from goldthread.strategy.models import ObjectiveLink

    w = measures
    own = Objective.objects.create(code="EVT-HG-26", statement="Run the CPX", level=4, primary_type="CAP")
    ObjectiveLink.objects.create(parent=w.army, child=own)
    Event.objects.filter(pk=w.next_event.pk).update(status=Event.Status.COMPLETED)
    ContributionClaim.objects.create(
        event=w.next_event, objective=own, role="PRIMARY", objective_type="CAP", expected_change="x"
    )
    assert {t.indicator.code for t in selectors.tasks(w.next_event)} == {"MOE-THA-1", "MOE-THA-2"}
    assert set(selectors.collectors(w.moe)) == {w.event, w.next_event}
    services.record(actor=w.assessor, indicator=w.moe, date=date(2026, 7, 5), value=3, event=w.next_event)
    rows = {c.unit.short_name: (c.due, c.answered) for c in selectors.compliance(on=date(2026, 11, 1))}
    assert rows == {"2-2 SBCT": (3, 0), "3-25 IBCT": (2, 1)}


def test_fiscal_periods_are_strict_and_a_year_spans_its_quarters():
    assert periods.quarter_of(date(2026, 10, 1)) == "FY2027-Q1" and periods.quarter_of(date(2027, 9, 30)) == "FY2027-Q4"
    assert periods.bounds("FY2027-Q2") == (date(2027, 1, 1), date(2027, 3, 31))
    assert not periods.is_valid("FY٢٠٢٧") and not periods.is_valid("FY2027-Q5")
    assert periods.span("FY2026", "FY2026", "quarter") == [f"FY2026-Q{q}" for q in range(1, 5)]
    assert periods.span("FY2025-Q4", "FY2026-Q2", "year") == ["FY2025", "FY2026"]


def test_malformed_definitions_and_changes_are_refused_not_crashed(measures):
    w = measures
    with pytest.raises(DomainError, match="Bind the indicator"):
        services.create_indicator(actor=w.desk, **moe())  # the binding is judged before the reach
    with pytest.raises(DomainError, match="as a list"):
        services.create_indicator(actor=w.planner, **moe(objective=w.army, criteria=None))
    m = services.record(actor=w.assessor, indicator=w.country_moe, date=date(2025, 8, 1), value=1, submit=False)
    with pytest.raises(DomainError, match="Give the day"):
        services.update_measurement(actor=w.assessor, measurement=m, version=None, changes={"date": None})
