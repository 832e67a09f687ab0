"""Query counts of the measures pages, API lists and the roll-up: they do not grow with the rows shown (no N+1)."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from goldthread.core.tokens import create_token
from goldthread.measures import rollup, services
from goldthread.measures.models import Indicator


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def more_indicators(w, count: int) -> list[Indicator]:
    made, first = [], Indicator.objects.count()
    for n in range(first, first + count):
        indicator = Indicator.objects.create(
            code=f"MOE-Q-{n}",
            kind="MOE",
            statement="x",
            objective=w.army,
            unit="u",
            data_source="x",
            aggregation=["SUM", "LATEST"][n % 2],
            rolls_up_to=None,
        )
        services.set_target(actor=w.planner, indicator=indicator, period="FY2025", value=10)
        for day in range(2):
            m = services.record(actor=w.assessor, indicator=indicator, date=date(2025, 8, 1 + day), value=day)
            services.approve(actor=w.desk, measurement=m)
        made.append(indicator)
    return made


def waiting_values(w, count: int) -> None:
    for n in range(count):
        services.record(
            actor=w.writer, indicator=w.mop, date=date(2025, 7, 5) - timedelta(days=n), value=n, event=w.event
        )


def test_the_indicator_list_and_the_roll_up_read_the_same_number_of_queries_for_3_or_12_indicators(client, measures):
    w = measures
    client.force_login(w.planner)
    _, secret = create_token(actor=None, user=w.planner)
    api = {"headers": {"Authorization": f"Bearer {secret}"}}
    more_indicators(w, 3)
    few = (
        queries(lambda: client.get("/indicators/")),
        queries(lambda: client.get("/api/v1/indicators", **api)),
        queries(lambda: rollup.series(list(Indicator.objects.all()))),
    )
    more_indicators(w, 9)
    many = (
        queries(lambda: client.get("/indicators/")),
        queries(lambda: client.get("/api/v1/indicators", **api)),
        queries(lambda: rollup.series(list(Indicator.objects.all()))),
    )
    assert few == many


def test_the_indicator_page_and_its_values_read_the_same_number_of_queries_for_2_or_10_waiting_values(client, measures):
    w = measures
    client.force_login(w.desk)
    _, secret = create_token(actor=None, user=w.desk)
    api = {"headers": {"Authorization": f"Bearer {secret}"}}
    waiting_values(w, 2)
    few = (
        queries(lambda: client.get(f"/indicators/{w.mop.uid}/")),
        queries(lambda: client.get(f"/api/v1/indicators/{w.mop.code}/values", **api)),
        queries(lambda: client.get(f"/api/v1/events/{w.event.code}/tasks", **api)),
    )
    waiting_values(w, 8)
    many = (
        queries(lambda: client.get(f"/indicators/{w.mop.uid}/")),
        queries(lambda: client.get(f"/api/v1/indicators/{w.mop.code}/values", **api)),
        queries(lambda: client.get(f"/api/v1/events/{w.event.code}/tasks", **api)),
    )
    assert few == many
