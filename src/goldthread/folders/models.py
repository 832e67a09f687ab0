"""Country folders: what a unit needs to know about a partner, kept by people with continuity (KM-1, TURN-1).

A folder is the fixed set of sections of one country. Each section is Markdown with an owner and a last-verified
date; every edit is a numbered revision that is never changed, so any two can be compared and any one restored.
"""

from django.conf import settings
from django.db import models

from goldthread.core.models import Record
from goldthread.core.permissions import Scope
from goldthread.strategy.models import Country


class Section(Record):
    class Key(models.TextChoices):
        OVERVIEW = "overview", "Overview and partner military"
        ENTRY = "entry", "Entry and clearance requirements"
        LOGISTICS = "logistics", "Logistics"
        CULTURE = "culture", "Culture and protocol"
        LEGAL = "legal", "Legal and policy constraints"
        CONTACTS = "contacts", "Contacts"
        CALENDAR = "calendar", "Calendar"
        OPEN_ISSUES = "open_issues", "Open issues and follow-ups owed to the partner"

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="folder_sections")
    key = models.CharField(max_length=12, choices=Key.choices)
    text = models.TextField(blank=True, help_text="Markdown.")
    number = models.PositiveIntegerField(default=0, help_text="The revision the text is at; 0 before the first.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="folder_sections"
    )
    last_verified = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["country", "id"]
        constraints = [models.UniqueConstraint(fields=["country", "key"], name="one_section_per_country_and_key")]
        permissions = [("verify_section", "Can mark a folder section verified")]

    def __str__(self) -> str:
        return f"{self.country.name}: {self.get_key_display()}"

    @property
    def scope(self) -> Scope:
        return Scope(countries=frozenset({self.country_id}))


class Revision(models.Model):
    """One saved state of a section. Never changed: a restore is a new revision with the old text."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    reason = models.CharField(max_length=300)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["section", "-number"]
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="one_revision_number_per_section")]

    def __str__(self) -> str:
        return f"{self.section} r{self.number}"


class Contact(Record):
    """Who held a role for a country, and when: the record outlives the person's tour (KM-4)."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="contacts")
    role = models.CharField(max_length=120, help_text="E.g. SCO chief, defense attaché, RTA G3 counterpart.")
    name = models.CharField(max_length=120)
    organization = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    held_from = models.DateField()
    held_until = models.DateField(null=True, blank=True, help_text="Empty while the person holds the role.")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["country", "role", "-held_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(held_until__isnull=True) | models.Q(held_until__gte=models.F("held_from")),
                name="contact_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.name}"

    @property
    def scope(self) -> Scope:
        return Scope(countries=frozenset({self.country_id}))


class Observance(Record):
    """A date that matters in the partner's calendar beyond its public holidays, added by the desk officer."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="observances")
    name = models.CharField(max_length=200)
    starts = models.DateField()
    ends = models.DateField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["country", "starts"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends__gte=models.F("starts")), name="observance_dates_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country_id})"

    @property
    def scope(self) -> Scope:
        return Scope(countries=frozenset({self.country_id}))


class Attachment(Record):
    """A file in a country folder, stored under the data directory by content hash and only ever downloaded."""

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="attachments")
    section = models.CharField(max_length=12, choices=Section.Key.choices, blank=True)
    name = models.CharField(max_length=200, help_text="The file name as uploaded.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["country", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope(self) -> Scope:
        return Scope(countries=frozenset({self.country_id}))
