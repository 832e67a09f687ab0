import hashlib
import json
from datetime import UTC

from django.db import migrations, models


def chain_existing_entries(apps, schema_editor):
    """Digest the entries written before the chain existed, oldest first, as audit.digest does."""
    entries = apps.get_model("core", "AuditEntry")
    previous = ""
    for entry in entries.objects.order_by("id").iterator():
        content = {
            "previous": previous,
            "at": entry.at.astimezone(UTC).isoformat(),
            "actor": entry.actor_id,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_uid": str(entry.object_uid) if entry.object_uid else None,
            "object_repr": entry.object_repr,
            "changes": entry.changes,
        }
        previous = hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
        entries.objects.filter(pk=entry.pk).update(digest=previous)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.AlterField(model_name="auditentry", name="at", field=models.DateTimeField(db_index=True)),
        migrations.AddField(
            model_name="auditentry",
            name="digest",
            field=models.CharField(
                default="", help_text="SHA-256 over this entry and the digest before it.", max_length=64
            ),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
    ]
