"""Writing what the evaluation reads and nothing else records: a country's standing in the portfolio."""

from typing import Any

from goldthread.core import records
from goldthread.core.models import User
from goldthread.core.permissions import require
from goldthread.evaluation.models import CountryStanding
from goldthread.strategy.models import Country

STANDING_FIELDS = ["priority", "absorptive_capacity", "relationship", "capability", "rationale", "reviewed_on"]


def set_standing(*, actor: User, country: Country, version: int | None, **fields: Any) -> CountryStanding:
    """Record or revise a country's standing; `version` is the one the caller read (None when there was none)."""
    standing = CountryStanding.objects.filter(country=country).first()
    if standing is None:
        # Creating checks the permission alone; the country's reach is checked here, before there is a record.
        require(actor, "evaluation.add_countrystanding", CountryStanding(country=country).scope)
        return records.create(
            actor,
            CountryStanding,
            permission="evaluation.add_countrystanding",
            action="standing.create",
            fields={"country": country, **fields},
        )
    return records.update(
        actor,
        standing,
        permission="evaluation.change_countrystanding",
        action="standing.update",
        version=version,
        changes=fields,
    )
