"""Countries and their constraints, organizations, plans and the objective graph (framework.md §2)."""

from datetime import date

from django.db import connection, models

from goldthread.core.catalogues import Echelon, Level, ObjectiveType
from goldthread.core.models import Record
from goldthread.core.permissions import Scope


class Country(Record):
    """A country by its ISO 3166 alpha-3 code; `in_aor` marks the command's area of responsibility."""

    iso3 = models.CharField("ISO 3166 alpha-3", max_length=3, unique=True)
    name = models.CharField(max_length=100)
    in_aor = models.BooleanField("in the area of responsibility", default=False)
    treaty_ally = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


def all_objective_types() -> list[str]:
    return list(ObjectiveType.values)


class CountryConstraint(Record):
    """A legal or policy rule that limits engagement with a country, possibly only for a period.

    `allowed_objective_types` lists what engagement may aim at (all four = unrestricted for types);
    `forbidden_event_types` lists event types that may not take place at all.
    """

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="constraints")
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    basis = models.CharField(max_length=300, help_text="The law or policy it rests on.")
    allowed_objective_types = models.JSONField(default=all_objective_types, blank=True)
    forbidden_event_types = models.JSONField(default=list, blank=True)
    starts = models.DateField(null=True, blank=True)
    ends = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["country__name", "code"]
        constraints = [models.UniqueConstraint(fields=["country", "code"], name="unique_constraint_code")]

    def __str__(self) -> str:
        return f"{self.country.iso3} {self.code}: {self.title}"

    def applies_between(self, start: date | None, end: date | None) -> bool:
        """True if the constraint is in force at any time between `start` and `end` (open ends count)."""
        if self.starts and end and end < self.starts:
            return False
        return not (self.ends and start and start > self.ends)

    def forbids_objective_type(self, objective_type: str) -> bool:
        return objective_type not in self.allowed_objective_types

    def forbids_event_type(self, event_type: str) -> bool:
        return event_type in self.forbidden_event_types


class Organization(Record):
    """A U.S., joint, interagency or partner organization with its place in the chain of command."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, unique=True)
    echelon = models.CharField(max_length=20, choices=Echelon.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
        help_text="The partner nation of a partner unit, or the host nation of an SCO.",
    )

    class Meta:
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_partner(self) -> bool:
        return self.echelon == Echelon.PARTNER_UNIT

    def subtree_ids(self) -> set[int]:
        """This organization and every unit below it, in one query however deep the tree (a command's runs five
        echelons down, and pages that show a unit's work ask for it on every request)."""
        table = connection.ops.quote_name(Organization._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                # UNION, not UNION ALL: a unit reached twice is listed once, and a loop in the tree ends.
                f"WITH RECURSIVE below(id) AS (SELECT id FROM {table} WHERE id = %s UNION "  # noqa: S608
                f"SELECT unit.id FROM {table} unit JOIN below ON unit.parent_id = below.id) SELECT id FROM below",
                [self.pk],
            )
            return {pk for (pk,) in cursor.fetchall()}


class Plan(Record):
    class Kind(models.TextChoices):
        NATIONAL_GUIDANCE = "NATIONAL_GUIDANCE", "National guidance (NSS, NDS, GEF)"
        TCP = "TCP", "Theater campaign plan"
        CSP = "CSP", "Campaign support plan"
        COUNTRY_PLAN = "COUNTRY_PLAN", "Country plan"
        OPERATIONAL = "OPERATIONAL", "Operational plan / order"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="plans")
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="plans")
    period_start = models.DateField()
    period_end = models.DateField()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="plan_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Objective(Record):
    """One node of the objective graph. Parents and children are `ObjectiveLink` rows (a DAG, not a tree)."""

    class Status(models.TextChoices):
        DRAFT = "DRAFT", "Draft"
        ACTIVE = "ACTIVE", "Active"
        ACHIEVED = "ACHIEVED", "Achieved"
        RETIRED = "RETIRED", "Retired"

    code = models.CharField(max_length=40, unique=True, help_text="Short stable reference, e.g. IMO-THA-2.")
    statement = models.TextField()
    level = models.IntegerField(choices=Level.choices)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="objectives")
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT, related_name="objectives")
    primary_type = models.CharField(max_length=3, choices=ObjectiveType.choices)
    secondary_types = models.JSONField(default=list, blank=True)
    measure = models.CharField(max_length=300, blank=True, help_text="SMART: how achievement is measured.")
    target = models.CharField(max_length=200, blank=True, help_text="SMART: the value to reach.")
    target_date = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="owned_objectives"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    parents = models.ManyToManyField(
        "self",
        through="ObjectiveLink",
        symmetrical=False,
        related_name="children",
        through_fields=("child", "parent"),
    )

    class Meta:
        ordering = ["level", "code"]
        indexes = [models.Index(fields=["level", "country"])]

    def __str__(self) -> str:
        return self.code

    @property
    def types(self) -> list[str]:
        return [self.primary_type, *[t for t in self.secondary_types if t != self.primary_type]]

    @property
    def scope(self) -> Scope:
        return Scope(countries=frozenset({self.country_id} - {None}), organizations=frozenset({self.owner_id} - {None}))

    @property
    def is_smart(self) -> bool:
        return bool(self.measure and self.target and self.target_date and self.owner_id)


class ObjectiveLink(models.Model):
    """`child` contributes to `parent`."""

    parent = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="parent_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="unique_objective_link"),
            models.CheckConstraint(condition=~models.Q(parent=models.F("child")), name="objective_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} → {self.parent_id}"
