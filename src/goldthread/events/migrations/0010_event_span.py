from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("events", "0009_event_list_by_year")]

    operations = [
        migrations.AddIndex(
            model_name="event", index=models.Index(fields=["start_date", "end_date", "id"], name="event_span")
        ),
        migrations.RunSQL("ANALYZE events_event", reverse_sql=migrations.RunSQL.noop),
    ]
