"""A bulk import killed with SIGKILL half-way leaves the database consistent, and the import can simply be run again."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from django.db import connection
from django.db.models import Count, Exists, OuterRef

from goldthread.core.models import AuditEntry
from goldthread.core.roles import sync_roles
from goldthread.demo.generator import generate
from goldthread.events.models import ContributionClaim, Event
from goldthread.strategy.models import Objective

from .conftest import subprocess_env

SEED = 9
PREFIX = f"GEN-{SEED}-"
# Small batches, so that the first commits within a second and the rerun is quick; each still holds events with
# their objectives, AARs, observations and values, written in one transaction.
BATCH = 400
FIRST_BATCH_SECONDS = 60


def generated() -> list[str]:
    return list(Event.objects.filter(code__startswith=PREFIX).order_by("code").values_list("code", flat=True))


def expected_codes(first: int, last: int) -> list[str]:
    return [f"{PREFIX}{n:09d}" for n in range(first, last + 1)]


def assert_consistent() -> None:
    ours = Event.objects.filter(code__startswith=PREFIX)
    assert not ours.annotate(n=Count("countries")).filter(n=0).exists(), "an event without a country"
    # Through-tables and claims are written after their events; none may outlive or precede the event they name.
    for link in (Event.countries.through, Event.partner_units.through, Event.supporting_units.through):
        dangling = link.objects.filter(~Exists(Event.objects.filter(pk=OuterRef("event_id"))))
        assert not dangling.exists(), f"{link.__name__} rows point at missing events"
    claims = ContributionClaim.objects.all()
    assert not claims.filter(~Exists(Event.objects.filter(pk=OuterRef("event_id")))).exists()
    assert not claims.filter(~Exists(Objective.objects.filter(pk=OuterRef("objective_id")))).exists()
    unclaimed = Event.objects.filter(status__in=Event.NEEDS_CLAIM, claims__isnull=True).values_list("code", flat=True)
    assert not unclaimed.exists(), f"past approved without a claim: {list(unclaimed[:5])}"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert cursor.execute("PRAGMA foreign_key_check").fetchall() == []


def importer_is_mid_write() -> bool:
    """True while another process holds an open write transaction on the database."""
    if connection.vendor == "sqlite":
        probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # "database is locked": someone else holds the single write lock
            return True
        else:
            probe.execute("ROLLBACK")
            return False
        finally:
            probe.close()
    with connection.cursor() as cursor:
        # A transaction gets an xid only once it has written a row: uncommitted rows are in the table files.
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_xid IS NOT NULL"
        )
        return cursor.fetchone()[0] > 0


def wait_for_other_connections_to_end() -> None:
    """PostgreSQL rolls a dead client's transaction back only when its backend notices the client is gone, which can
    take a while if the backend is busy or idle in a transaction. Give it a moment, then end any session left on this
    test-only database, which rolls its transaction back exactly as the notice would."""
    if connection.vendor != "postgresql":
        return
    others = (
        "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND backend_type = 'client backend'"
    )
    deadline = time.monotonic() + 5
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(f"SELECT count(*) {others}")  # noqa: S608 - a constant, no input
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)
        cursor.execute(f"SELECT pg_terminate_backend(pid) {others}")  # noqa: S608
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            cursor.execute(f"SELECT count(*) {others}")  # noqa: S608
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)
    raise AssertionError("the killed importer's database session is still open after it was terminated")


def test_import_killed_mid_way_leaves_whole_batches_and_can_be_rerun(transactional_db, tmp_path):
    sync_roles()
    stderr_path = tmp_path / "generate.stderr"
    with open(stderr_path, "wb") as err:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "goldthread.cli",
                "generate",
                "--events",
                str(40 * BATCH),
                "--seed",
                str(SEED),
                "--batch-size",
                str(BATCH),
            ],
            env=subprocess_env(),
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        deadline = time.monotonic() + FIRST_BATCH_SECONDS
        while not Event.objects.filter(code__startswith=PREFIX).exists():
            assert process.poll() is None, f"generate exited early ({process.returncode}):\n{stderr_path.read_text()}"
            assert time.monotonic() < deadline, f"no batch committed in {FIRST_BATCH_SECONDS} s"
            time.sleep(0.05)
        # Kill it inside a batch's transaction, not between two: that is the case that could leave half a batch.
        while not importer_is_mid_write():
            assert process.poll() is None, f"generate exited early ({process.returncode}):\n{stderr_path.read_text()}"
            assert time.monotonic() < deadline, "never caught the importer inside a write transaction"
            time.sleep(0.005)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    wait_for_other_connections_to_end()

    codes = generated()
    # Only whole batches, numbered from 1 without a gap: a half-written batch would show as a ragged tail.
    assert len(codes) % BATCH == 0 and 0 < len(codes) < 40 * BATCH
    assert codes == expected_codes(1, len(codes))
    assert_consistent()
    assert not AuditEntry.objects.filter(action="demo.generated").exists(), "the killed run claimed to have finished"

    result = generate(events=2 * BATCH, seed=SEED, batch_size=BATCH)

    assert result["events"] == 2 * BATCH and result["first_number"] == len(codes) + 1
    after = generated()
    assert after == expected_codes(1, len(codes) + 2 * BATCH)
    assert Event.objects.filter(code__startswith=PREFIX).values("code").distinct().count() == len(after)
    assert_consistent()
    assert AuditEntry.objects.filter(action="demo.generated").count() == 1
