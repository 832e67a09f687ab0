from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("aars", "0001_reports_and_lessons")]

    operations = [
        migrations.AddIndex(model_name="report", index=models.Index(fields=["due"], name="report_due_order")),
        # As in events 0009: the new index described at once.
        migrations.RunSQL("ANALYZE aars_report", reverse_sql=migrations.RunSQL.noop),
    ]
