"""Who receives an approved AAR, and who carries a critical observation on its channel (AAR-3, AAR-4, TURN-2).

The rules are here and nowhere else. Each recipient comes with the reason they receive the record; the first reason
found for a user wins, in the order the rules are listed.
"""

from goldthread.aars.models import Observation, Report
from goldthread.core.models import User
from goldthread.delivery import services as delivery
from goldthread.events.models import Event


def members(units) -> list[User]:
    ids: set[int] = set()
    for unit in units:
        ids |= unit.subtree_ids()
    return list(User.objects.filter(organization_id__in=ids, is_active=True).order_by("username"))


def _with_role(role: str, countries: list[int] | None = None) -> list[User]:
    users = User.objects.filter(groups__name=role, is_active=True)
    if countries is not None:
        users = users.filter(countries__in=countries)
    return list(users.distinct().order_by("username"))


def next_events(event: Event) -> list[tuple[Event, str]]:
    """The events that inherit this one's AAR: the next iteration of the same exercise, and for each partner unit
    the next event with that partner — each only once it has a unit tasked to execute it."""
    later = (
        Event.objects.filter(start_date__gt=event.start_date, executing_unit__isnull=False)
        .exclude(status=Event.Status.CANCELLED)
        .exclude(pk=event.pk)
        .select_related("executing_unit")
        .order_by("start_date", "code")
    )
    found: list[tuple[Event, str]] = []
    if event.series_id:
        following = later.filter(series_id=event.series_id).first()
        if following:
            found.append((following, f"Next iteration of {event.series.name} ({following.code})"))
    for partner in event.partner_units.all():
        following = later.filter(partner_units=partner).first()
        if following and following not in [e for e, _ in found]:
            found.append((following, f"Next event with {partner.short_name} ({following.code})"))
    return found


def audience(report: Report) -> dict[User, str]:
    """Everyone an approved AAR goes to, with the reason: the event's own audience (its units, desk officers and
    SCOs), the units tasked next for the same exercise or partner, and the evaluators."""
    event = report.event
    found: dict[User, str] = {}
    for user, reason in delivery.audience(event).items():
        found.setdefault(user, reason.label)
    for following, reason in next_events(event):
        for user in members([following.executing_unit]):
            found.setdefault(user, reason)
    for user in _with_role("assessor"):
        found.setdefault(user, "Evaluator")
    return found


# Which roles carry each channel. "countries" roles receive only the items about their countries.
CHANNEL_ROLES: dict[str, list[str]] = {
    Observation.Channel.LESSON: ["strategic_planner"],
    Observation.Channel.TIME_SENSITIVE: ["strategic_planner", "desk_officer"],
    Observation.Channel.PARTNER_CAPABILITY: ["desk_officer", "assessor"],
    Observation.Channel.ACCESS_BLOCKER: ["sco", "desk_officer"],
    Observation.Channel.PARTNER_REQUEST: ["desk_officer", "sco"],
    Observation.Channel.SYSTEM_OF_RECORD: ["desk_officer"],
}
# Days a routed item has to be closed in, by criticality.
CHANNEL_DAYS = {Observation.Criticality.CRITICAL: 3, Observation.Criticality.SIGNIFICANT: 14}


def routed(observation: Observation) -> bool:
    """Whether the observation goes to its channel on approval: it names one and is more than routine."""
    return observation.channel != Observation.Channel.NONE and observation.criticality in CHANNEL_DAYS


def channel_audience(observation: Observation) -> dict[User, str]:
    countries = list(observation.report.event.countries.values_list("pk", flat=True))
    label = observation.get_channel_display()
    found: dict[User, str] = {}
    for role in CHANNEL_ROLES[observation.channel]:
        reach = None if role in ("strategic_planner", "assessor") else countries
        for user in _with_role(role, reach):
            found.setdefault(user, f"{label} channel")
    return found
