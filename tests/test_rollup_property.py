"""Property: for every accumulation and aggregation, over random values, periods and trees of parts, the roll-up
engine gives exactly what a brute-force reading of the definition gives."""

import statistics
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goldthread.measures import periods, rollup
from goldthread.measures.models import Indicator, Measurement

FIRST_DAY = date(2019, 10, 1)
DAYS = 365 * 6

measurement = st.fixed_dictionaries(
    {
        "part": st.integers(0, 4),
        "day": st.integers(0, DAYS),
        "value": st.integers(-50, 500),
        "numerator": st.integers(0, 40),
        "denominator": st.integers(0, 40),
        "approved": st.booleans(),
    }
)


def reference(rows: list[Measurement], aggregation: str) -> float | None:
    """The definition, read literally, with no shared code."""
    if not rows:
        return None
    if aggregation == "SUM":
        return sum(m.value for m in rows)
    if aggregation == "AVERAGE":
        return statistics.fmean(m.value for m in rows)
    if aggregation == "LATEST":
        return max(rows, key=lambda m: (m.date, m.pk)).value
    denominator = sum(m.denominator for m in rows)
    return sum(m.numerator for m in rows) / denominator if denominator else None


def subtree(index: int, parents: list[int | None]) -> set[int]:
    found = {index}
    for child, parent in enumerate(parents):
        if parent == index:
            found |= subtree(child, parents)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    aggregation=st.sampled_from(Indicator.Aggregation.values),
    accumulation=st.sampled_from(Indicator.Accumulation.values),
    grain=st.sampled_from(["quarter", "year"]),
    # Indicator i may roll up to any indicator before it: every forest of five is possible.
    parents=st.tuples(*[st.none() | st.integers(0, max(i - 1, 0)) for i in range(5)]).map(
        lambda raw: [None if i == 0 else p for i, p in enumerate(raw)]
    ),
    values=st.lists(measurement, max_size=30),
)
@pytest.mark.django_db
def test_the_roll_up_equals_a_brute_force_reading_of_the_definition(
    measures, aggregation, accumulation, grain, parents, values
):
    w = measures
    with transaction.atomic():
        indicators = []
        for i, parent in enumerate(parents):
            indicators.append(
                Indicator.objects.create(
                    code=f"P-{i}",
                    kind="MOE",
                    statement="x",
                    objective=w.army,
                    unit="u",
                    data_source="x",
                    aggregation=aggregation,
                    accumulation=accumulation,
                    rolls_up_to=indicators[parent] if parent is not None else None,
                )
            )
        rows = []
        for v in values:
            m = Measurement(
                indicator=indicators[v["part"]],
                date=FIRST_DAY + timedelta(days=v["day"]),
                value=v["value"],
                numerator=v["numerator"],
                denominator=v["denominator"],
                status="APPROVED" if v["approved"] else "SUBMITTED",
                recorded_by=w.assessor,
            )
            m.save()
            rows.append(m)

        computed = rollup.series(indicators, grain=grain)

        for i, indicator in enumerate(indicators):
            mine = [m for m in rows if m.status == "APPROVED" and indicators.index(m.indicator) in subtree(i, parents)]
            series = computed[indicator.pk]
            keys = sorted({periods.at_grain(m.period, grain) for m in mine})
            if not keys:
                assert series.points == []
                continue
            assert [p.period for p in series.points] == periods.span(keys[0], keys[-1], grain)
            for point in series.points:
                if accumulation == "CUMULATIVE":
                    counted = [m for m in mine if periods.at_grain(m.period, grain) <= point.period]
                else:
                    counted = [m for m in mine if periods.at_grain(m.period, grain) == point.period]
                expected = reference(counted, aggregation)
                assert point.count == len(counted)
                if expected is None:
                    assert point.value is None
                else:
                    assert point.value == pytest.approx(expected), (indicator.code, point.period)
        transaction.set_rollback(True)
