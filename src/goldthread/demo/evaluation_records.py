"""Demo standings of the countries the demo plans for: priority, absorptive capacity, relationship and capability,
as a J5 portfolio review would record them. Written through the evaluation service by the demo planner, so they are
checked and audited; a second load changes nothing."""

from datetime import date

from goldthread.core.models import User
from goldthread.evaluation import services
from goldthread.evaluation.models import CountryStanding
from goldthread.strategy.models import Country

# iso3: (priority, events a quarter it can absorb, relationship, capability, what the ratings rest on)
STANDINGS: dict[str, tuple[int, int | None, int, int, str]] = {
    "THA": (1, 4, 4, 3, "Treaty ally; Hanuman Guardian and Cobra Gold run every year. RTA staff planning is the gap."),
    "PHL": (1, 5, 4, 3, "Treaty ally; Salaknib and Balikatan. Maritime domain awareness improving, logistics thin."),
    "IDN": (1, 3, 3, 3, "Garuda Shield grew to a multinational exercise; TNI absorbs few events outside it."),
    "MYS": (2, 2, 3, 3, "Keris Strike and staff talks; engagement limited by the partner's calendar."),
    "VNM": (2, 2, 3, 2, "Legacy-of-war cooperation and HADR; pace set by Hanoi."),
    "IND": (1, 3, 4, 4, "Yudh Abhyas every year; a capable partner, relationship on an upward path."),
    "MNG": (3, 2, 4, 2, "Khaan Quest peacekeeping exercise; small force, eager partner."),
    "KHM": (3, 1, 2, 2, "Engagement suspended in part since 2017; humanitarian activities only."),
    "NPL": (3, 1, 3, 2, "Peacekeeping and disaster response; the army can host one event a quarter."),
}
REVIEWED = date(2026, 10, 15)


def load_standings(actor: User) -> int:
    countries = Country.objects.in_bulk(list(STANDINGS), field_name="iso3")
    for iso3, (priority, capacity, relationship, capability, rationale) in STANDINGS.items():
        if iso3 not in countries or CountryStanding.objects.filter(country=countries[iso3]).exists():
            continue
        services.set_standing(
            actor=actor,
            country=countries[iso3],
            version=None,
            priority=priority,
            absorptive_capacity=capacity,
            relationship=relationship,
            capability=capability,
            rationale=rationale,
            reviewed_on=REVIEWED,
        )
    return CountryStanding.objects.count()
