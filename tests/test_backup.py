"""Backup and restore round-trip every table, on whichever database the suite runs on."""

from django.apps import apps
from typer.testing import CliRunner

from goldthread.cli import app
from goldthread.core.models import AuditEntry
from goldthread.events.models import ContributionClaim, Event
from goldthread.strategy.models import Objective

runner = CliRunner()


def every_table() -> dict[str, list[tuple]]:
    return {
        model._meta.db_table: list(model.objects.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.managed
    }


def test_backup_then_restore_gives_back_every_row(transactional_db, world, tmp_path):
    before = every_table()
    assert sum(len(rows) for rows in before.values()) > 50
    target = tmp_path / "goldthread.backup"
    made = runner.invoke(app, ["backup", "-o", str(target)])
    assert made.exit_code == 0, made.output
    assert target.stat().st_size > 0

    ContributionClaim.objects.all().delete()
    Event.objects.filter(parent__isnull=False).delete()
    Event.objects.all().delete()
    Objective.objects.filter(code="TCP-O9").update(statement="changed after the backup")

    refused = runner.invoke(app, ["restore", str(target)])
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    restored = runner.invoke(app, ["restore", str(target), "--yes"])
    assert restored.exit_code == 0, restored.output

    after = every_table()
    restore_entry = AuditEntry.objects.get(action="database.restored")
    after[AuditEntry._meta.db_table] = [row for row in after[AuditEntry._meta.db_table] if row[0] != restore_entry.pk]
    assert after == before


def test_bad_backup_arguments_exit_2(db, tmp_path):
    missing = runner.invoke(app, ["restore", str(tmp_path / "nothing"), "--yes"])
    assert missing.exit_code == 2 and "No backup file" in missing.stderr
    junk = tmp_path / "junk.backup"
    junk.write_text("not a database")
    wrong = runner.invoke(app, ["restore", str(junk), "--yes"])
    assert wrong.exit_code == 2 and "is not" in wrong.stderr
    nowhere = runner.invoke(app, ["backup", "-o", str(tmp_path / "no" / "such" / "dir" / "x")])
    assert nowhere.exit_code == 2 and "does not exist" in nowhere.stderr
