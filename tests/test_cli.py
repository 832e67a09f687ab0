"""The `goldthread` command: in-process against the test database, and as a real process for exit codes."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from goldthread.cli import app
from goldthread.core import tokens
from goldthread.core.models import ApiToken, AuditEntry

from .conftest import subprocess_env

runner = CliRunner()


def test_token_create_prints_a_working_token(world):
    result = runner.invoke(app, ["token", "create", "planner", "--name", "ci", "--days", "30"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert tokens.user_for_secret(secret) == world.planner
    assert ApiToken.objects.get(user=world.planner).name == "ci"


def test_token_for_unknown_user_exits_2_with_one_line(world):
    result = runner.invoke(app, ["token", "create", "nobody"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: no user named 'nobody'"


def test_check_coverage_json_exits_1_while_there_are_findings(world):
    result = runner.invoke(app, ["check", "coverage", "--fiscal-year", "2025", "--json"])
    assert result.exit_code == 1, result.output
    kinds = {k["key"]: k for k in json.loads(result.stdout)["kinds"]}
    assert [x["code"] for x in kinds["orphan-event"]["first"]] == ["EVT-2025-KLE"]
    assert {x["code"] for x in kinds["no-events"]["first"]} == {"TCP-O1", "TCP-O9"}


def test_check_coverage_table_and_an_unknown_filter(world):
    result = runner.invoke(app, ["check", "coverage", "--limit", "5"])
    assert "Orphan events: 1" in result.stdout and "EVT-2025-KLE" in result.stdout and "TCP-O9" in result.stdout
    unknown = runner.invoke(app, ["check", "coverage", "--country", "XXX"])
    assert unknown.exit_code == 2 and unknown.stderr.strip() == "error: Unknown country code(s): XXX."


def test_check_discipline_and_contribution(measures):
    discipline = runner.invoke(app, ["check", "discipline", "--fiscal-year", "2025", "--json"])
    assert discipline.exit_code == 0
    [line] = [x for x in json.loads(discipline.stdout) if x["unit"] == "2-2 SBCT"]
    assert line["tallies"]["aars"] == {"due": 1, "done": 0}
    table = runner.invoke(app, ["check", "discipline"])
    assert "2-2 SBCT" in table.stdout and "AARs" in table.stdout
    contribution = runner.invoke(app, ["check", "contribution", "CSP-THA-2.1"])
    assert contribution.exit_code == 0 and "MOEs: MOE-THA-1, MOE-THA-2" in contribution.stdout
    assert "No data for the window" in contribution.stdout
    assert runner.invoke(app, ["check", "contribution", "NOPE"]).exit_code == 2


def test_report_evaluation_writes_each_format(measures, tmp_path):
    for format in ("docx", "pdf", "xlsx"):
        out = tmp_path / f"tha.{format}"
        result = runner.invoke(app, ["report", "evaluation", "--country", "THA", "--format", format, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_bytes()[:2] in (b"PK", b"%P")
    missing = runner.invoke(app, ["report", "evaluation", "-o", str(tmp_path / "no" / "x.docx")])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_user_create_validates_role_and_password(world):
    bad_role = runner.invoke(app, ["user", "create", "x", "--role", "general", "--password", "long-enough-pass-1"])
    assert bad_role.exit_code == 2 and "Unknown role" in bad_role.stderr
    weak = runner.invoke(app, ["user", "create", "x", "--role", "reader", "--password", "123"])
    assert weak.exit_code == 2 and "too short" in weak.stderr
    ok = runner.invoke(
        app,
        [
            "user",
            "create",
            "desk1",
            "--role",
            "desk_officer",
            "--password",
            "a-long-desk-password-7",
            "--organization",
            "USARPAC",
        ],
    )
    assert ok.exit_code == 0, ok.output
    from goldthread.core.models import User

    user = User.objects.get(username="desk1")
    assert user.has_perm("events.add_contributionclaim") and not user.has_perm("strategy.add_plan")
    assert AuditEntry.objects.get(action="user.created").changes["role"] == "desk_officer"


def test_token_list_and_revoke(world):
    secret = runner.invoke(app, ["token", "create", "unit"]).stdout.strip()
    listed = runner.invoke(app, ["token", "list", "unit"])
    prefix = listed.stdout.split("\t")[0]
    assert secret.startswith(prefix) and "active" in listed.stdout
    revoked = runner.invoke(app, ["token", "revoke", prefix])
    assert revoked.exit_code == 0, revoked.output
    assert tokens.user_for_secret(secret) is None
    again = runner.invoke(app, ["token", "revoke", prefix])
    assert again.exit_code == 2 and "No active token" in again.stderr


def test_serve_on_a_busy_port_exits_2(world):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2 and "cannot listen" in result.stderr


def test_demo_without_serving_loads_idempotently(db):
    first = runner.invoke(app, ["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "Log in with any of these" in first.stdout and "planner" in first.stdout
    from goldthread.events.models import Event
    from goldthread.strategy.models import Country, Objective

    counts = (Event.objects.count(), Objective.objects.count(), Country.objects.filter(in_aor=True).count())
    assert counts[2] == 36 and counts[0] > 100
    second = runner.invoke(app, ["demo", "--no-serve"])
    assert second.exit_code == 0
    assert (
        Event.objects.count(),
        Objective.objects.count(),
        Country.objects.filter(in_aor=True).count(),
    ) == counts


def test_generate_adds_events_with_claims(db):
    result = runner.invoke(app, ["generate", "--events", "300", "--seed", "5"])
    assert result.exit_code == 0, result.output
    from goldthread.events.models import ContributionClaim, Event

    assert Event.objects.count() >= 300
    assert ContributionClaim.objects.count() >= 250


@pytest.mark.parametrize(
    "args",
    [
        ["check", "coverage", "--fiscal-year", "abc"],
        ["generate", "--events", "-5"],
        ["serve", "--port", "70000"],
        ["no-such-command"],
    ],
)
def test_bad_arguments_exit_2_from_a_real_process(args, tmp_path):
    env = {"GOLDTHREAD_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "goldthread.cli", *args], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_check_audit_finds_a_changed_or_removed_entry(world, api):
    api.post("/series", {"name": "Talisman Sabre"})
    api.patch(f"/events/{world.event.uid}", {"version": 1, "authority": "Title 10 §321"})
    assert runner.invoke(app, ["check", "audit"]).exit_code == 0
    middle = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=middle.pk).update(changes={"name": ["forged", "history"]})
    tampered = runner.invoke(app, ["check", "audit"])
    assert tampered.exit_code == 1 and f"broken at entry {middle.pk}" in tampered.stderr
    AuditEntry.objects.filter(pk=middle.pk).update(changes=middle.changes)
    assert runner.invoke(app, ["check", "audit"]).exit_code == 0
    AuditEntry.objects.filter(pk=middle.pk).delete()
    assert runner.invoke(app, ["check", "audit"]).exit_code == 1


def test_a_server_process_sets_what_it_loaded_aside_from_the_garbage_collector():
    """Full collections then pass over what a request made, not over every module and view (goldthread/wsgi.py)."""
    code = "import gc, sys, goldthread.wsgi; print(gc.get_freeze_count(), 'goldthread.events.views' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], env=subprocess_env(), capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    frozen, views_loaded = found.stdout.split()
    assert int(frozen) > 10_000 and views_loaded == "True"


@pytest.mark.parametrize(("environment", "changed"), [({}, "True"), ({"MALLOC_ARENA_MAX": "4"}, "False")])
def test_a_server_process_keeps_to_two_malloc_arenas_unless_told_otherwise(environment, changed):
    env = {k: v for k, v in subprocess_env().items() if k != "MALLOC_ARENA_MAX"} | environment
    code = "from goldthread.cli import fewer_malloc_arenas; print(fewer_malloc_arenas())"
    found = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert (found.returncode, found.stdout.strip()) == (0, changed), found.stderr
