from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("aars", "0003_report_review_queue")]

    operations = [
        migrations.AddIndex(
            model_name="channelitem",
            index=models.Index(
                condition=models.Q(closed_at__isnull=True), fields=["due", "id"], name="channel_open_queue"
            ),
        ),
        migrations.RunSQL("ANALYZE aars_channelitem", reverse_sql=migrations.RunSQL.noop),
    ]
