from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("measures", "0002_measurement_waiting")]

    operations = [
        migrations.RemoveIndex(model_name="measurement", name="measurement_task"),
        migrations.AddIndex(
            model_name="measurement",
            index=models.Index(fields=["event", "indicator", "status"], name="measurement_task"),
        ),
        # As in 0002: the new index described at once, not at the next analysis.
        migrations.RunSQL("ANALYZE measures_measurement", reverse_sql=migrations.RunSQL.noop),
    ]
