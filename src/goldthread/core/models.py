"""What every record shares (public uid, timestamps, version, markings), users, API tokens and the audit trail."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from goldthread.core import markings


class Record(models.Model):
    """Base of every editable domain record.

    `id` stays an integer for joins and search indexes; `uid` is what URLs, the API and exports show.
    `version` grows by one on every update, so a write based on a stale read can be refused (HTTP 409).
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    markings = models.CharField(
        max_length=120, blank=True, help_text="Dissemination markings, e.g. CUI or REL TO USA, THA."
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        # A system accredited for one level must never hold a record marked above it; refuse rather than store.
        if markings.above_system(self.markings):
            raise ValidationError(
                {"markings": f"{self.markings!r} is above this system's level ({markings.system_level()})."}
            )


class User(AbstractUser):
    organization = models.ForeignKey(
        "strategy.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    countries = models.ManyToManyField(
        "strategy.Country",
        blank=True,
        related_name="responsible_users",
        help_text="The countries this user answers for (a desk officer's or SCO's area).",
    )


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 digest is stored; the secret is shown once, at creation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text="First characters of the token, to recognise it.")
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)
    last_used = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class AuditEntry(models.Model):
    """One attributable change. Written only by `core.audit.record`, never updated or deleted by the application."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60)
    object_uid = models.UUIDField(null=True, db_index=True)
    object_repr = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 over this entry and the digest before it.")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"
