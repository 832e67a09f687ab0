from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="measurement",
            index=models.Index(fields=["status", "date"], name="measurement_waiting"),
        ),
        # A new index without statistics beside indexes with them can lead SQLite's planner to plans minutes long
        # on a large table; both databases describe it now rather than at their next analysis.
        migrations.RunSQL("ANALYZE measures_measurement", reverse_sql=migrations.RunSQL.noop),
    ]
