"""Demo travel readiness: entry rules for every demo country and travelers for three upcoming exercises.

The lead times are fictional but plausible; they are not the Foreign Clearance Guide. Travelers are written
relative to their event's dates and the demo's today, so the boards show a mix of done, on-track, at-risk (a passport
expiring within six months of the event's end) and overdue items whichever iteration of a series is next.

Written through the readiness services, so every record is validated and audited like a planner's own.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from goldthread.core.models import User
from goldthread.events.models import Event
from goldthread.readiness import services
from goldthread.readiness.models import STANDARD_TRAINING, EntryRule, Traveler
from goldthread.strategy.models import Country


@dataclass(frozen=True)
class Rule:
    clearance: int = 30  # calendar days, APACS
    official: bool = True
    passport: int = 30  # business days
    visa: int | None = None  # business days; None = no visa
    on_orders: bool = False
    theater: int = 30
    extra_training: tuple[tuple[str, int], ...] = ()
    notes: str = ""


PACIFIC = Rule(clearance=45, notes="Small embassy staff: send the APACS request early and copy the SCO.")
FREELY_ASSOCIATED = Rule(
    clearance=30, official=False, notes="Compact of Free Association: U.S. citizens need proof of citizenship only."
)
RULES: dict[str, Rule] = {
    "AUS": Rule(visa=5, on_orders=True, notes="Civilians need an electronic travel authority (ETA)."),
    "BGD": Rule(visa=10),
    "BTN": Rule(clearance=45, visa=15, notes="Visas are arranged through the host's protocol office."),
    "BRN": Rule(),
    "MMR": Rule(clearance=60, visa=20, notes="Limited engagement: each visit needs policy approval first."),
    "KHM": Rule(visa=5),
    "CHN": Rule(
        clearance=60,
        visa=20,
        extra_training=(("Counterintelligence awareness", 12),),
        notes="NDAA FY2000 §1201 limits apply. Visas only against an official invitation letter.",
    ),
    "FJI": PACIFIC,
    "IND": Rule(visa=15, notes="Official visa against a note verbale from the embassy."),
    "IDN": Rule(visa=10, notes="Visa on arrival does not cover official travel."),
    "JPN": Rule(official=False, on_orders=True, notes="U.S.–Japan SOFA: service members enter on orders and ID."),
    "KIR": PACIFIC,
    "LAO": Rule(visa=10),
    "MYS": Rule(),
    "MDV": Rule(),
    "MHL": FREELY_ASSOCIATED,
    "FSM": FREELY_ASSOCIATED,
    "MNG": Rule(clearance=45),
    "NRU": Rule(clearance=45, visa=10),
    "NPL": Rule(visa=5),
    "NZL": Rule(),
    "PRK": Rule(clearance=365, visa=60, notes="No engagement: official travel is not authorised."),
    "PLW": FREELY_ASSOCIATED,
    "PNG": Rule(clearance=45, visa=15),
    "PHL": Rule(on_orders=True, notes="Visiting Forces Agreement: service members enter on orders and ID."),
    "WSM": PACIFIC,
    "SGP": Rule(),
    "SLB": PACIFIC,
    "KOR": Rule(official=False, on_orders=True, notes="U.S.–ROK SOFA: service members enter on orders and ID."),
    "LKA": Rule(visa=5, notes="Electronic travel authorisation (ETA) before departure."),
    "THA": Rule(notes="No SOFA: every traveler needs an official passport. JUSMAGTHAI grants country clearance."),
    "TLS": Rule(visa=10),
    "TON": PACIFIC,
    "TUV": PACIFIC,
    "VUT": PACIFIC,
    "VNM": Rule(clearance=45, visa=10),
}


def _rule_fields(rule: Rule) -> dict:
    return {
        "country_clearance_days": rule.clearance,
        "theater_clearance_days": rule.theater,
        "official_passport_required": rule.official,
        "official_passport_business_days": rule.passport,
        "visa_required": rule.visa is not None,
        "visa_business_days": rule.visa or 15,
        "entry_on_orders": rule.on_orders,
        "training": [*STANDARD_TRAINING, *({"name": n, "months": m} for n, m in rule.extra_training)],
        "notes": f"{rule.notes} Demo values, not the Foreign Clearance Guide.".strip(),
    }


def load_entry_rules(planner: User) -> int:
    """Entry rules for every demo country that has none; rules someone recorded are left as they are."""
    countries = Country.objects.filter(iso3__in=RULES).exclude(pk__in=EntryRule.objects.values("country"))
    for country in countries:
        services.set_entry_rule(actor=planner, country=country, version=None, fields=_rule_fields(RULES[country.iso3]))
    return EntryRule.objects.count()


# The exercises whose next iteration gets travelers: a short-notice one, one two months out, one three months out.
SERIES = ("Yama Sakura", "Salaknib", "Hanuman Guardian")
TRAINING = [t["name"] for t in STANDARD_TRAINING]


def _traveler(event: Event, today: date, n: int) -> dict:
    """The n-th traveler of an event: each shows one typical situation on the board."""
    start, end = event.start_date, event.end_date
    current = [{"name": name, "completed": today - timedelta(days=60 + 11 * i)} for i, name in enumerate(TRAINING)]
    # Fictional numbers; only their last four characters are stored.
    number = ["910274835", "905513962", "", "571148207"][n]
    official = {"passport_type": Traveler.PassportType.OFFICIAL, "passport_number": number}
    people = [
        # Ready: everything approved and current.
        {
            "name": "CPT Ana Reyes",
            **official,
            "passport_expires": end + timedelta(days=5 * 365),
            "country_clearance": Traveler.Clearance.APPROVED,
            "theater_clearance": Traveler.Clearance.APPROVED,
            "training": current,
        },
        # At risk: the official passport expires within six months of the event's end.
        {
            "name": "SSG Marcus Lee",
            **official,
            "passport_expires": end + timedelta(days=120),
            "country_clearance": Traveler.Clearance.REQUESTED,
            "training": current,
        },
        # No passport yet and training lapsed: overdue or on track, depending on how near the start is.
        {
            "name": "SPC Dana Kim",
            "training": [{"name": "AT Level 1", "completed": start - timedelta(days=400)}],
        },
        # APACS asked for more information; tourist passport only, covered by a waiver.
        {
            "name": "Mr. Paul Okafor (DA civilian)",
            "passport_type": Traveler.PassportType.TOURIST,
            "passport_number": number,
            "passport_expires": end + timedelta(days=3 * 365),
            "passport_waiver": True,
            "country_clearance": Traveler.Clearance.NEED_INFO,
            "training": current[:2],
        },
    ]
    return people[n]


def load_travelers(planner: User, today: date) -> int:
    """Travelers for the next iteration of each series in SERIES that starts after `today`; an event that already has
    travelers is left alone."""
    for name in SERIES:
        event = (
            Event.objects.filter(
                series__name=name, start_date__gt=today + timedelta(days=7), executing_unit__isnull=False
            )
            .exclude(status=Event.Status.CANCELLED)
            .select_related("executing_unit")
            .order_by("start_date")
            .first()
        )
        if event is None or event.travelers.exists():
            continue
        # Where a SOFA or VFA allows it, the first traveler enters on orders and needs no passport at all.
        on_orders = EntryRule.objects.filter(country__in=event.countries.all(), entry_on_orders=True).exists()
        for n in range(4):
            person = _traveler(event, today, n) | ({"entry_on_orders": True} if n == 0 and on_orders else {})
            services.add_traveler(actor=planner, event=event, unit=event.executing_unit, **person)
    return Traveler.objects.count()


def load_readiness(today: date) -> int:
    """Entry rules and travelers; returns how many travelers the demo holds. Idempotent."""
    planner = User.objects.get(username="planner")
    load_entry_rules(planner)
    return load_travelers(planner, today)
