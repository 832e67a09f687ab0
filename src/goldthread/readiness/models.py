"""Travel readiness: per-country entry rules, and the travelers of an event with their documents (INFO-2, INFO-3).

A full passport number is never stored. `Traveler.passport_last4` keeps the last four characters, enough to tell two
passports of one person apart. A hash would not protect more: passport numbers are short and structured, so an
unsalted hash is reversed by trying every number, and a keyed hash would need a secret managed for that alone.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models

from goldthread.core.models import Record
from goldthread.core.permissions import Scope
from goldthread.events.models import Event
from goldthread.strategy.models import Country, Organization

# The trainings most country clearances ask for, with how many months a completion stays current.
STANDARD_TRAINING = [
    {"name": "AT Level 1", "months": 12},
    {"name": "Human rights awareness", "months": 12},
    {"name": "SERE 100.2", "months": 36},
    {"name": "ISOPREP", "months": 12},
]
MAX_TRAINING = 20
MAX_CALENDAR_DAYS = 365
MAX_BUSINESS_DAYS = 260  # a year of weekdays


def standard_training() -> list[dict]:
    return [dict(t) for t in STANDARD_TRAINING]


class EntryRule(Record):
    """What it takes to enter one country on official travel, and how long each step takes.

    Lead times count back from the event's start. Clearances are in calendar days, as the Foreign Clearance Guide
    states them; passports and visas in business days, as passport offices and consulates count them. A country
    without a stored rule gets `EntryRule.defaults(country)`.
    """

    country = models.OneToOneField(Country, on_delete=models.PROTECT, related_name="entry_rule")
    country_clearance_days = models.PositiveSmallIntegerField(
        "country clearance (APACS) lead time",
        default=30,
        validators=[MaxValueValidator(MAX_CALENDAR_DAYS)],
        help_text="Calendar days before the start by which the APACS country clearance request must be in.",
    )
    theater_clearance_days = models.PositiveSmallIntegerField(
        "theater clearance lead time",
        default=30,
        validators=[MaxValueValidator(MAX_CALENDAR_DAYS)],
        help_text="Calendar days before the start by which the theater clearance request must be in.",
    )
    official_passport_required = models.BooleanField(
        "official (no-fee) passport required", default=True, help_text="Official travel needs an official passport."
    )
    official_passport_business_days = models.PositiveSmallIntegerField(
        "passport lead time",
        default=30,
        validators=[MaxValueValidator(MAX_BUSINESS_DAYS)],
        help_text="Business days to obtain a passport; an official passport also needs the flight itinerary.",
    )
    visa_required = models.BooleanField(default=False)
    visa_business_days = models.PositiveSmallIntegerField(
        "visa lead time",
        default=15,
        validators=[MaxValueValidator(MAX_BUSINESS_DAYS)],
        help_text="Business days from the visa application to the visa.",
    )
    entry_on_orders = models.BooleanField(
        "SOFA/VFA entry on orders allowed",
        default=False,
        help_text="Service members may enter on their orders and military ID, without passport or visa.",
    )
    # A short list that is always read and replaced whole, never queried across countries: JSON, not a table.
    training = models.JSONField(
        default=standard_training,
        blank=True,
        help_text='Required training and how long it stays current: [{"name": "AT Level 1", "months": 12}, …].',
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["country__name"]

    def __str__(self) -> str:
        return f"Entry rules for {self.country}"

    @classmethod
    def defaults(cls, country: Country) -> "EntryRule":
        """The rule Goldthread assumes for a country nobody has described: the strictest common case."""
        return cls(country=country)

    @property
    def scope(self) -> Scope:
        return Scope(countries=frozenset({self.country_id}))

    def clean(self) -> None:
        super().clean()
        problems = _training_problems(self.training)
        if problems:
            raise ValidationError({"training": problems})


def _training_problems(value: object) -> list[str]:
    if not isinstance(value, list):
        return ["Give a list of trainings, each with a name and the months it stays current."]
    if len(value) > MAX_TRAINING:
        return [f"List at most {MAX_TRAINING} trainings."]
    problems, seen = [], set()
    for n, entry in enumerate(value, 1):
        name = entry.get("name") if isinstance(entry, dict) else None
        months = entry.get("months") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip() or len(name) > 80:
            problems.append(f"Training {n}: give a name of 1 to 80 characters.")
        elif name.strip().casefold() in seen:
            problems.append(f"Training {n}: {name.strip()} is listed twice.")
        else:
            seen.add(name.strip().casefold())
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 120:
            problems.append(f"Training {n}: it stays current for 1 to 120 months.")
    return problems


class Traveler(Record):
    """One person going on an event, with the documents and clearances the board checks against the entry rules."""

    class PassportType(models.TextChoices):
        OFFICIAL = "OFFICIAL", "Official (no-fee)"
        TOURIST = "TOURIST", "Tourist (personal)"
        NONE = "NONE", "None"

    class Clearance(models.TextChoices):
        NOT_REQUESTED = "NOT_REQUESTED", "Not requested"
        REQUESTED = "REQUESTED", "Requested"
        NEED_INFO = "NEED_INFO", "More information needed"
        APPROVED = "APPROVED", "Approved"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="travelers")
    name = models.CharField(max_length=120, help_text="As on the orders, e.g. SSG Jane Doe.")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="travels",
        help_text="The traveler's own account, if they have one.",
    )
    passport_type = models.CharField(max_length=8, choices=PassportType.choices, default=PassportType.NONE)
    passport_last4 = models.CharField(
        "passport number, last four characters",
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^[A-Z0-9]{4}$", "Four letters or digits.")],
    )
    passport_expires = models.DateField(null=True, blank=True)
    passport_waiver = models.BooleanField(
        "official passport waived",
        default=False,
        help_text="A waiver lets this traveler go on this event without an official passport (a valid passport is "
        "still needed), e.g. when the flight schedule comes too late for the application.",
    )
    entry_on_orders = models.BooleanField(
        "enters on orders (SOFA/VFA)",
        default=False,
        help_text="Enters on orders and military ID where the country allows it; no passport or visa needed there.",
    )
    country_clearance = models.CharField(
        "country clearance (APACS)", max_length=13, choices=Clearance.choices, default=Clearance.NOT_REQUESTED
    )
    theater_clearance = models.CharField(max_length=13, choices=Clearance.choices, default=Clearance.NOT_REQUESTED)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["event", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "unit", "name"],
                name="one_traveler_per_name_and_unit",
                violation_error_message="A traveler of that name and unit is on this event already.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit}) on {self.event.code}"

    @property
    def scope(self) -> Scope:
        return self.event.scope


class Visa(models.Model):
    traveler = models.ForeignKey(Traveler, on_delete=models.CASCADE, related_name="visas")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    expires = models.DateField()

    class Meta:
        ordering = ["country__name"]
        constraints = [models.UniqueConstraint(fields=["traveler", "country"], name="one_visa_per_country")]

    def __str__(self) -> str:
        return f"Visa for {self.country}, valid until {self.expires}"


class TrainingRecord(models.Model):
    traveler = models.ForeignKey(Traveler, on_delete=models.CASCADE, related_name="training")
    name = models.CharField(max_length=80)
    completed = models.DateField()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["traveler", "name"], name="one_completion_per_training")]

    def __str__(self) -> str:
        return f"{self.name}, completed {self.completed}"
