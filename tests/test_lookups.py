"""`__among`: the same rows as `__in`, for any number of ids, none included. `__date`: the day of a timestamp in the
time zone, by the database's own date function where that is UTC."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import FieldError

from goldthread.events.models import ContributionClaim, Event
from goldthread.strategy.models import Objective


@pytest.mark.parametrize("lookup", ["among", "among_unplanned"])
@pytest.mark.parametrize("how_many", [0, 1, 3, 10_000])
def test_among_finds_and_excludes_what_in_does(world, lookup, how_many):
    ids = set(sorted(Objective.objects.values_list("pk", flat=True))[:how_many]) | set(range(10**6, 10**6 + how_many))
    for model, field in ((Objective, "pk"), (ContributionClaim, "objective__id")):
        found = set(model.objects.filter(**{f"{field}__{lookup}": ids}).values_list("pk", flat=True))
        assert found == set(model.objects.filter(**{f"{field}__in": ids}).values_list("pk", flat=True))
        left = set(model.objects.exclude(**{f"{field}__{lookup}": ids}).values_list("pk", flat=True))
        assert left == set(model.objects.values_list("pk", flat=True)) - found
    if how_many:
        assert Objective.objects.filter(**{f"pk__{lookup}": ids}).exists()


def test_a_foreign_key_is_among_through_its_targets_key(world):
    """On the foreign key itself Django would check every id for a model instance first: it is refused."""
    with pytest.raises(FieldError):
        ContributionClaim.objects.filter(objective__among={1})


@pytest.mark.parametrize("lookup", ["among", "among_unplanned"])
def test_among_takes_only_whole_numbers(world, lookup):
    with pytest.raises(ValueError):
        list(Objective.objects.filter(**{f"pk__{lookup}": {"1) OR (1=1"}}))


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_the_date_of_a_timestamp_is_its_day_in_the_time_zone(world, settings, zone):
    settings.TIME_ZONE = zone
    moments = [datetime(2026, 3, 1, 23, 59, 59, 999999, UTC), datetime(2026, 3, 2, tzinfo=UTC)]
    events = list(Event.objects.order_by("pk")[: len(moments)])
    for event, moment in zip(events, moments, strict=True):
        Event.objects.filter(pk=event.pk).update(created=moment)
    on_the_first = {e.pk for e, m in zip(events, moments, strict=True) if m.astimezone(ZoneInfo(zone)).date().day == 1}
    assert len(on_the_first) == (1 if zone == "UTC" else 2)
    found = Event.objects.filter(pk__in=[e.pk for e in events], created__date=date(2026, 3, 1))
    assert set(found.values_list("pk", flat=True)) == on_the_first
