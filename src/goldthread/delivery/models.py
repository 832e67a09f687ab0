"""Who receives what is approved for an event, and what each recipient did with it (CONF-2, ORD-3, AAR routing)."""

import uuid

from django.conf import settings
from django.db import models


class Subscription(models.Model):
    """A user who receives the records approved for an event. Created automatically for those who depend on the
    event; a user switched off stays switched off (`active=False`) rather than being added again."""

    class Reason(models.TextChoices):
        EXECUTING_UNIT = "EXECUTING_UNIT", "Executing unit"
        SUPPORTING_UNIT = "SUPPORTING_UNIT", "Supporting unit"
        DESK_OFFICER = "DESK_OFFICER", "Country desk officer"
        SCO = "SCO", "Security cooperation officer"
        MANUAL = "MANUAL", "Added by hand"

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "user__username"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_subscription_per_user")]

    def __str__(self) -> str:
        return f"{self.user} ← {self.event.code}"


class Delivery(models.Model):
    """One approved record sent to one recipient: when it was sent and e-mailed, read and acknowledged."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("events.Event", null=True, on_delete=models.CASCADE, related_name="deliveries")
    record_type = models.CharField(max_length=60)
    record_uid = models.UUIDField(db_index=True)
    title = models.CharField(max_length=300)
    path = models.CharField(max_length=300, help_text="Where the record is read in the web UI.")
    reason = models.CharField(max_length=120, blank=True, help_text="Why this recipient receives it.")
    sent = models.DateTimeField()
    emailed = models.DateTimeField(null=True, blank=True)
    read = models.DateTimeField(null=True, blank=True)
    acknowledged = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["recipient", "record_uid"], name="one_delivery_per_record_and_user")
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.recipient}"
