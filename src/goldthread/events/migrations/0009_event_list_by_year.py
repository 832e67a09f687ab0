from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("events", "0008_live_event")]

    operations = [
        migrations.RemoveIndex(model_name="event", name="events_even_fiscal__d48e4f_idx"),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["fiscal_year", "-start_date", "code"], name="event_year_order"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["fiscal_year", "status", "id"], name="event_year_status"),
        ),
        # The new indexes described at once, not at the next analysis: SQLite without statistics for an index beside
        # others that have them has chosen plans that ran for minutes (measures 0002).
        migrations.RunSQL("ANALYZE events_event", reverse_sql=migrations.RunSQL.noop),
    ]
