"""Index the records written before the index held every kind: events, objectives, indicators, after-action reports
and themes (`index.reindex` with `missing_only`, which keeps the folder sections and observations already there).

It runs today's indexing code, which reads today's models: on a database with none of those records yet, as every
new one is, it reads nothing. `goldthread search reindex` does the same at any time."""

from django.db import migrations


def index_missing(apps, schema_editor):
    kinds = [("events", "Event"), ("strategy", "Objective"), ("measures", "Indicator"), ("planning", "Theme")]
    if not any(apps.get_model(app, model).objects.exists() for app, model in kinds):
        return
    from goldthread.search import index

    index.reindex(missing_only=True)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_codes_and_weights"),
        ("events", "0005_event_end_order"),
        ("strategy", "0002_alter_countryconstraint_allowed_objective_types"),
        ("measures", "0001_initial"),
        ("aars", "0001_reports_and_lessons"),
        ("planning", "0004_rfis_and_public_affairs_products"),
        ("folders", "0001_country_folders"),
    ]

    operations = [migrations.RunPython(index_missing, migrations.RunPython.noop, elidable=True)]
