"""What the portfolio reads about a country beyond its events: how much it matters, how much it can take, and how
the relationship and the partner's capability stand (RR-2165's prioritization factors, EVAL-5)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from goldthread.core.models import Record
from goldthread.core.permissions import Scope
from goldthread.strategy.models import Country

RATING = [MinValueValidator(1), MaxValueValidator(5)]


class CountryStanding(Record):
    class Priority(models.IntegerChoices):
        CRITICAL = 1, "Critical"
        IMPORTANT = 2, "Important"
        SUPPORTING = 3, "Supporting"

    country = models.OneToOneField(Country, on_delete=models.CASCADE, related_name="standing")
    priority = models.PositiveSmallIntegerField("strategic priority", choices=Priority.choices)
    absorptive_capacity = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How many events the partner can take in one fiscal quarter; more is saturation.",
    )
    relationship = models.PositiveSmallIntegerField(
        validators=RATING, help_text="The working relationship, 1 (strained) to 5 (close and trusting)."
    )
    capability = models.PositiveSmallIntegerField(
        validators=RATING,
        help_text="The partner's military capability in the areas we work on, 1 (nascent) to 5 (self-sustaining).",
    )
    rationale = models.TextField(help_text="Why these ratings: what they rest on.")
    reviewed_on = models.DateField(help_text="When the standing was last reviewed.")

    class Meta:
        ordering = ["country__name"]

    def __str__(self) -> str:
        return f"Standing of {self.country}"

    @property
    def scope(self) -> Scope:
        return Scope(countries=frozenset({self.country_id}))
