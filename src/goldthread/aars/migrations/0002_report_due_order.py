from django.db import migrations, models

STATUSES = [
    ("DRAFT", "Draft"),
    ("SUBMITTED", "Submitted for review"),
    ("RETURNED", "Returned with comments"),
    ("APPROVED", "Approved"),
    ("DISSEMINATED", "Disseminated"),
]


class Migration(migrations.Migration):
    dependencies = [("aars", "0001_reports_and_lessons")]

    operations = [
        migrations.AddIndex(model_name="report", index=models.Index(fields=["due"], name="report_due_order")),
        # The status's own index gives way to one by status and due date.
        migrations.AlterField(
            model_name="report",
            name="status",
            field=models.CharField(choices=STATUSES, default="DRAFT", max_length=12),
        ),
        migrations.AddIndex(
            model_name="report", index=models.Index(fields=["status", "due"], name="report_status_due")
        ),
        # As in events 0009: the new indexes described at once.
        migrations.RunSQL("ANALYZE aars_report", reverse_sql=migrations.RunSQL.noop),
    ]
