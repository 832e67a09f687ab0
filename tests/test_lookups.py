"""`__among`: the same rows as `__in`, for any number of ids, none included."""

import pytest

from goldthread.events.models import ContributionClaim
from goldthread.strategy.models import Objective


@pytest.mark.parametrize("how_many", [0, 1, 3, 10_000])
def test_among_finds_and_excludes_what_in_does(world, how_many):
    ids = set(sorted(Objective.objects.values_list("pk", flat=True))[:how_many]) | set(range(10**6, 10**6 + how_many))
    for model, field in ((Objective, "pk"), (ContributionClaim, "objective"), (ContributionClaim, "objective_id")):
        found = set(model.objects.filter(**{f"{field}__among": ids}).values_list("pk", flat=True))
        assert found == set(model.objects.filter(**{f"{field}__in": ids}).values_list("pk", flat=True))
        left = set(model.objects.exclude(**{f"{field}__among": ids}).values_list("pk", flat=True))
        assert left == set(model.objects.values_list("pk", flat=True)) - found
    if how_many:
        assert Objective.objects.filter(pk__among=ids).exists()


def test_among_takes_only_whole_numbers(world):
    with pytest.raises(ValueError):
        list(Objective.objects.filter(pk__among={"1) OR (1=1"}))
