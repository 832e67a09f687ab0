"""The readiness board: each traveler's requirements, planned backward from the event's start, with a status.

Every deadline is the last weekday on which a step can start and still finish before the event starts: clearances
count calendar days back, passports and visas business days (weekends skipped, holidays not; see `dates.py`).
"""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import QuerySet, prefetch_related_objects

from goldthread.core.models import User
from goldthread.core.permissions import allows
from goldthread.events.models import Event
from goldthread.events.selectors import among
from goldthread.readiness.dates import add_months, business_days_before, calendar_days_before
from goldthread.readiness.models import EntryRule, Traveler
from goldthread.strategy.models import Country

# A step not done within this many days of its deadline is at risk.
AT_RISK_DAYS = 14
# Many countries refuse a passport that expires within six months of the stay; the event's end is the last day of it.
PASSPORT_MARGIN_MONTHS = 6


class Status(StrEnum):
    OVERDUE = "OVERDUE"
    AT_RISK = "AT_RISK"
    ON_TRACK = "ON_TRACK"
    DONE = "DONE"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").lower()


SEVERITY = [Status.DONE, Status.ON_TRACK, Status.AT_RISK, Status.OVERDUE]


def worst(statuses: list[Status]) -> Status | None:
    return max(statuses, key=SEVERITY.index) if statuses else None


@dataclass(frozen=True)
class CountryRule:
    country: Country
    rule: EntryRule
    stored: bool


def entry_rule(country: Country) -> CountryRule:
    stored = EntryRule.objects.filter(country=country).first()
    return CountryRule(country, stored or EntryRule.defaults(country), stored is not None)


def entry_rules(countries: list[Country]) -> list[CountryRule]:
    stored = {r.country_id: r for r in EntryRule.objects.filter(country__in=countries)}
    return [CountryRule(c, stored.get(c.pk) or EntryRule.defaults(c), c.pk in stored) for c in countries]


def all_entry_rules() -> list[CountryRule]:
    return entry_rules(list(Country.objects.order_by("name")))


def travelers(event: Event) -> list[Traveler]:
    query = Traveler.objects.filter(event=event).select_related("event", "unit", "user")
    return list(query.prefetch_related("visas__country", "training").order_by("name", "id"))


def may_see_passport(viewer: User | None, traveler: Traveler) -> bool:
    """The passport's last characters are for those who manage the traveler, and the traveler."""
    return viewer is not None and (
        traveler.user_id == viewer.pk or allows(viewer, "readiness.change_traveler", traveler)
    )


@dataclass(frozen=True)
class Deadline:
    """One step of the event's timeline, from the entry rules alone."""

    key: str
    label: str
    date: date
    lead: str
    note: str = ""


@dataclass
class Item:
    """One requirement of one traveler."""

    key: str
    label: str
    deadline: date | None
    lead: str
    status: Status
    reason: str


@dataclass
class Row:
    traveler: Traveler
    items: list[Item]

    @property
    def status(self) -> Status | None:
        return worst([i.status for i in self.items])


@dataclass
class Milestone:
    deadline: Deadline
    status: Status | None  # the worst of the travelers' items for this step; None without travelers


@dataclass
class Board:
    event: Event
    today: date
    rules: list[CountryRule]
    milestones: list[Milestone]
    rows: list[Row]
    counts: dict[Status, int] = field(default_factory=dict)

    @property
    def defaulted(self) -> list[Country]:
        return [r.country for r in self.rules if not r.stored]


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _calendar(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''}"


def _business(days: int) -> str:
    return f"{days} business day{'s' if days != 1 else ''} (weekends skipped)"


def timeline(event: Event, rules: list[CountryRule]) -> list[Deadline]:
    """The event's deadlines from its entry rules, earliest first."""
    start = event.start_date
    found = [
        Deadline("start", f"{event.code} starts", start, ""),
        Deadline("end", f"{event.code} ends", event.end_date, ""),
    ]
    for r in rules:
        days = r.rule.country_clearance_days
        found.append(
            Deadline(
                f"country_clearance:{r.country.iso3}",
                f"Country clearance (APACS) requests in: {r.country}",
                calendar_days_before(start, days),
                _calendar(days),
                "The request lists each traveler's training certificates, so training is due by then too.",
            )
        )
        if r.rule.visa_required:
            days = r.rule.visa_business_days
            found.append(
                Deadline(
                    f"visa:{r.country.iso3}",
                    f"Visa applications in: {r.country}",
                    business_days_before(start, days),
                    _business(days),
                )
            )
    if rules:
        days = max(r.rule.theater_clearance_days for r in rules)
        found.append(
            Deadline(
                "theater_clearance", "Theater clearance requests in", calendar_days_before(start, days), _calendar(days)
            )
        )
        days = max(r.rule.official_passport_business_days for r in rules)
        official = [r.country.name for r in rules if r.rule.official_passport_required]
        found.append(
            Deadline(
                "passport",
                "Official passport applications in" if official else "Passport applications in",
                business_days_before(start, days),
                _business(days),
                "An official passport application needs the travel orders with the flight itinerary: fix the flight "
                "schedule and manifest before this date, or request a waiver for the traveler."
                if official
                else "",
            )
        )
        found.append(
            Deadline(
                "training",
                "Required training current",
                min(d.date for d in found if d.key.startswith("country_clearance:")),
                "with the country clearance request",
            )
        )
    return sorted(found, key=lambda d: (d.date, d.key))


def _by_deadline(deadline: date, today: date) -> Status:
    if today > deadline:
        return Status.OVERDUE
    if (deadline - today).days <= AT_RISK_DAYS:
        return Status.AT_RISK
    return Status.ON_TRACK


def _passport(t: Traveler, rules: list[CountryRule], deadline: Deadline, today: date) -> Item:
    needed = [r for r in rules if not (t.entry_on_orders and r.rule.entry_on_orders)]
    if not needed:
        return Item("passport", "Passport", None, "", Status.DONE, "Enters on orders and military ID (SOFA/VFA).")
    official = [r.country.name for r in needed if r.rule.official_passport_required] if not t.passport_waiver else []
    label = "Official passport" if official else "Passport"
    days = max(r.rule.official_passport_business_days for r in needed)
    when = business_days_before(t.event.start_date, days)
    lead = _business(days)
    end, expires = t.event.end_date, t.passport_expires
    kind_ok = t.passport_type == Traveler.PassportType.OFFICIAL or (
        t.passport_type == Traveler.PassportType.TOURIST and not official
    )
    if kind_ok and expires and expires > end:
        margin = add_months(end, PASSPORT_MARGIN_MONTHS)
        if expires >= margin:
            return Item("passport", label, when, lead, Status.DONE, f"Valid until {_day(expires)}.")
        return Item(
            "passport",
            label,
            when,
            lead,
            Status.AT_RISK,
            f"Expires {_day(expires)}, within six months of the event's end ({_day(end)}); many countries "
            "refuse entry on it. Renew it.",
        )
    if t.passport_type == Traveler.PassportType.NONE:
        reason = "No passport recorded."
    elif not kind_ok:
        requires = "requires" if len(official) == 1 else "require"
        reason = f"Holds a tourist passport; {', '.join(official)} {requires} an official one (or a waiver)."
    else:
        reason = f"The passport expires {_day(expires)}: not valid through the event." if expires else "No expiry date."
    if official:
        reason += " " + deadline.note
    return Item("passport", label, when, lead, _by_deadline(when, today), f"{reason} Apply by {_day(when)}.")


def _visas(t: Traveler, rules: list[CountryRule], today: date) -> list[Item]:
    held = {v.country_id: v for v in t.visas.all()}
    items = []
    for r in rules:
        if not r.rule.visa_required or (t.entry_on_orders and r.rule.entry_on_orders):
            continue
        when = business_days_before(t.event.start_date, r.rule.visa_business_days)
        key, label, lead = f"visa:{r.country.iso3}", f"Visa: {r.country}", _business(r.rule.visa_business_days)
        visa = held.get(r.country.pk)
        if visa and visa.expires >= t.event.end_date:
            items.append(Item(key, label, when, lead, Status.DONE, f"Valid until {_day(visa.expires)}."))
            continue
        reason = f"The visa expires {_day(visa.expires)}, before the event ends." if visa else "No visa recorded."
        items.append(Item(key, label, when, lead, _by_deadline(when, today), f"{reason} Apply by {_day(when)}."))
    return items


def _clearance(key: str, label: str, state: str, deadline: Deadline, event: Event, today: date) -> Item:
    when, lead = deadline.date, deadline.lead
    match state:
        case Traveler.Clearance.APPROVED:
            return Item(key, label, when, lead, Status.DONE, "Approved.")
        case Traveler.Clearance.NEED_INFO:
            return Item(key, label, when, lead, Status.AT_RISK, "More information was asked for: answer it.")
        case Traveler.Clearance.REQUESTED:
            waiting = (event.start_date - today).days
            status = Status.AT_RISK if waiting <= AT_RISK_DAYS else Status.ON_TRACK
            return Item(
                key, label, when, lead, status, f"Requested; not approved yet, {waiting} days before the start."
            )
    return Item(key, label, when, lead, _by_deadline(when, today), f"Not requested yet. Request by {_day(when)}.")


def _required_training(rules: list[CountryRule]) -> dict[str, tuple[str, int]]:
    """casefolded name -> (name as first written, months current): the union over the countries, the strictest
    currency winning."""
    required: dict[str, tuple[str, int]] = {}
    for r in rules:
        for entry in r.rule.training or []:
            name, months = entry["name"].strip(), entry["months"]
            shown, current = required.get(name.casefold(), (name, months))
            required[name.casefold()] = (shown, min(months, current))
    return required


def _training(t: Traveler, rules: list[CountryRule], deadline: Deadline, today: date) -> list[Item]:
    done = {record.name.strip().casefold(): record for record in t.training.all()}
    items = []
    for key, (name, months) in sorted(_required_training(rules).items()):
        record = done.get(key)
        until = add_months(record.completed, months) if record else None
        lead = f"current for {months} months"
        if until and until >= t.event.end_date:
            reason = f"Completed {_day(record.completed)}, current until {_day(until)}."
            items.append(Item(f"training:{name}", name, deadline.date, lead, Status.DONE, reason))
            continue
        lapsed = f"Completed {_day(record.completed)}; lapses {_day(until)}, before the event ends." if until else ""
        reason = f"{lapsed or 'Not recorded.'} Complete it by {_day(deadline.date)}."
        items.append(Item(f"training:{name}", name, deadline.date, lead, _by_deadline(deadline.date, today), reason))
    return items


def _family(key: str) -> str:
    return key.split(":")[0]


def _covers(step: Deadline, item: Item) -> bool:
    """Whether the item is one traveler's part of the step: one clearance request and one training deadline serve
    every country, a visa is per country."""
    if _family(step.key) in ("country_clearance", "training"):
        return _family(item.key) == _family(step.key)
    return item.key == step.key


def _items(t: Traveler, rules: list[CountryRule], steps: dict[str, Deadline], today: date) -> list[Item]:
    if not rules:
        return []
    event = t.event
    # One APACS request covers the traveler for every country; it must be in by the earliest country's deadline.
    clearance = min((d for d in steps.values() if _family(d.key) == "country_clearance"), key=lambda d: d.date)
    return [
        _passport(t, rules, steps["passport"], today),
        *_visas(t, rules, today),
        _clearance("country_clearance", "Country clearance (APACS)", t.country_clearance, clearance, event, today),
        _clearance(
            "theater_clearance", "Theater clearance", t.theater_clearance, steps["theater_clearance"], event, today
        ),
        *_training(t, rules, steps["training"], today),
    ]


def board(event: Event, today: date) -> Board:
    """Every traveler of `event` against the entry rules of its countries, as things stand on `today`."""
    rules = entry_rules(list(event.countries.order_by("name")))
    return _assemble(event, rules, travelers(event), today)


def _assemble(event: Event, rules: list[CountryRule], people: list[Traveler], today: date) -> Board:
    steps = timeline(event, rules)
    by_key = {d.key: d for d in steps}
    rows = [Row(t, _items(t, rules, by_key, today)) for t in people]
    milestones = [
        Milestone(step, worst([i.status for row in rows for i in row.items if _covers(step, i)])) for step in steps
    ]
    counts = {s: sum(1 for row in rows for i in row.items if i.status == s) for s in Status}
    return Board(event, today, rules, milestones, rows, counts)


def boards(events: list[Event], today: date) -> list[Board]:
    """`board` for several events in a fixed number of queries, whatever the number of events and travelers: the
    countries, their stored rules, and the travelers with their visas and training, each read once for all."""
    prefetch_related_objects(events, "countries")
    countries = {c.pk: c for event in events for c in event.countries.all()}
    stored = {r.country_id: r for r in EntryRule.objects.filter(country_id__in=countries)}
    people: dict[int, list[Traveler]] = defaultdict(list)
    query = Traveler.objects.filter(event__in=events).select_related("event", "unit", "user")
    for t in query.prefetch_related("visas__country", "training").order_by("name", "id"):
        people[t.event_id].append(t)
    found = []
    for event in events:
        held = sorted(event.countries.all(), key=lambda c: c.name)
        rules = [CountryRule(c, stored.get(c.pk) or EntryRule.defaults(c), c.pk in stored) for c in held]
        found.append(_assemble(event, rules, people[event.pk], today))
    return found


def travels_of(user: User) -> QuerySet[Event]:
    """The events `user` is a traveler on."""
    return Event.objects.filter(pk__in=Traveler.objects.filter(user=user).values("event_id"))


def record_uids(events: QuerySet[Event], countries: Collection[int]) -> list[QuerySet]:
    """The uids of the travelers of `events` and of the entry rules of `countries` (ids), to be narrowed to a few
    uids: what the audit trail names when they change."""
    return [
        Traveler.objects.filter(among(events)).values("uid"),
        EntryRule.objects.filter(country_id__in=countries).values("uid"),
    ]


def attention(event: Event, today: date) -> list[tuple[Status, int]]:
    """How many of the event's items are overdue and at risk, for a link to the board; empty when none are."""
    counts = board(event, today).counts
    return [(s, counts[s]) for s in (Status.OVERDUE, Status.AT_RISK) if counts[s]]
