"""The load benchmark runs end to end at a tiny size: two real `goldthread serve` processes on this test's database,
three simulated users for a few seconds, and the result it writes counts every request, each process's share, and no
error. Speed itself is measured by `make benchmark-load`, never here."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from goldthread.aars.models import Report
from goldthread.core import audit
from goldthread.core.hashers import Argon2Hasher
from goldthread.core.models import ApiToken, User
from goldthread.demo.catalogue import DEMO_PASSWORD
from goldthread.events.models import Event

from .conftest import subprocess_env

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "load.py"
PERSONAS = ["planner", "reader", "desk", "sco", "assessor"]


def test_three_users_on_two_processes_write_a_result_with_no_error(transactional_db, aar, tmp_path):
    # The load logs in as the demo users with the demo password; the servers check it as production does, with
    # Argon2, not with the tests' fast hasher, and at the application's own cost: a hash at another cost is rewritten
    # at log-in, which ends the sessions the same user began a moment earlier on the other process.
    hasher = Argon2Hasher()
    User.objects.filter(username__in=PERSONAS).update(password=hasher.encode(DEMO_PASSWORD, hasher.salt()))
    env = {**subprocess_env(), "GOLDTHREAD_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--no-setup", "--users", "3", "--planners", "2", "--duration", "4"]
        + ["--spawn-rate", "3", "--think", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    shown = done.stdout[-3000:]  # the driver's table and summary, to read when an assertion below fails
    result = json.loads((tmp_path / "load.json").read_text())
    assert result["errors"] == 0, shown
    assert result["database"].split()[0] in ("SQLite", "PostgreSQL")
    assert (result["users"], result["planners"], result["duration_s"]) == (3, 2, 4)
    groups = {g["name"]: g for g in result["groups"]}
    assert groups["log in (POST)"]["requests"] == 3, shown  # every simulated user logged in, once
    assert groups["write: event description"]["requests"] >= 2, shown  # each planner's first change, at least
    for name in ("page: home", "api: event"):
        assert name in groups, shown
    total = result["total"]
    assert total["requests"] == sum(g["requests"] for g in result["groups"]) > 0
    assert total["failures"] == 0
    assert 0 < total["median_ms"] <= total["p95_ms"] <= total["max_ms"], shown

    # Both processes took load, and between them answered every request counted.
    a, b = result["processes"]
    assert a["requests"] > 0 and b["requests"] > 0, shown
    assert a["requests"] + b["requests"] == total["requests"], result["processes"]
    for process in (a, b):
        assert 0 < process["rss_mib"] <= process["peak_rss_mib"], process
        assert not [status for status in process["statuses"] if not status.startswith(("2", "3", "409"))], process

    # The table for docs/performance.md is printed, and locust's own files are kept beside the result.
    assert f"\n| **all** | {total['requests']:,} | 0 | " in done.stdout
    with (tmp_path / "load" / "locust_stats.csv").open() as stats:
        assert "Aggregated" in [row["Name"] for row in csv.DictReader(stats)]

    # The writes went through the services: marked descriptions, one audit entry each, the chain whole.
    edited = Event.objects.filter(description__contains="[load planner-")
    assert edited.exists()
    assert audit.verify_chain() is None
    # The report the run started for its observations holds none of them: each was removed again.
    assert not Report.objects.filter(observations__title__startswith="Interpreters arrived after").exists()
    # The tokens it made for the run no longer work.
    assert not ApiToken.objects.filter(name="load benchmark", revoked__isnull=True).exists()


def test_bad_arguments_are_refused_with_one_line(tmp_path):
    # Refused before any database is touched: an empty SQLite file of its own, never the test database.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(GOLDTHREAD_DATA_DIR=str(tmp_path), GOLDTHREAD_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    for args, message in (
        (["--users", "0"], "error: --users, --duration and --spawn-rate must be positive"),
        (["--users", "2", "--planners", "3"], "error: --planners must be between 1 and --users"),
        (["--duration", "86400"], "error: at most 200 users for at most 3600 s"),
    ):
        done = subprocess.run(
            [sys.executable, str(SCRIPT), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2
        assert done.stderr.strip().startswith(message), done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
