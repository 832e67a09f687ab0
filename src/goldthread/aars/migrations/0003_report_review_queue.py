from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("aars", "0002_report_due_order")]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["status", "submitted_at", "id"], name="report_review_queue"),
        ),
        migrations.RunSQL("ANALYZE aars_report", reverse_sql=migrations.RunSQL.noop),
    ]
