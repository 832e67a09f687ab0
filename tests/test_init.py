"""`goldthread init`: a new installation's database and its first administrator, from flags, the environment or
prompts; once only, and nothing created from bad input."""

import pytest
from django.contrib.auth.models import Group
from typer.testing import CliRunner

from goldthread.cli import app
from goldthread.core.models import AuditEntry, User

runner = CliRunner()
PASSWORD = "a-long-admin-password-42"


def administrators() -> list[str]:
    return sorted(User.objects.filter(groups__name="administrator").values_list("username", flat=True))


def assert_can_log_in_as_administrator(username: str, password: str) -> None:
    user = User.objects.get(username=username)
    assert user.check_password(password) and user.is_active and user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["administrator"]
    assert user.has_perm("events.approve_event")
    assert AuditEntry.objects.get(action="user.created").changes["role"] == "administrator"


def test_from_a_password_file_it_creates_the_administrator_and_says_what_next(db, tmp_path):
    Group.objects.all().delete()  # a new database: init makes the role groups too
    secret = tmp_path / "password"
    secret.write_text(PASSWORD + "\n")
    result = runner.invoke(app, ["init", "--username", "root", "--password-file", str(secret)])
    assert result.exit_code == 0, result.output
    assert_can_log_in_as_administrator("root", PASSWORD)
    assert "Created the administrator root." in result.stdout
    assert "goldthread serve" in result.stdout and "http://127.0.0.1:8000/start/" in result.stdout


def test_from_the_environment(db):
    result = runner.invoke(app, ["init", "--username", "root"], env={"GOLDTHREAD_ADMIN_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert_can_log_in_as_administrator("root", PASSWORD)


def test_interactively_the_password_hidden_and_asked_twice(db):
    # The name, then a mistyped confirmation, which is asked again.
    typed = f"chief\n{PASSWORD}\n{PASSWORD}x\n{PASSWORD}\n{PASSWORD}\n"
    result = runner.invoke(app, ["init"], input=typed)
    assert result.exit_code == 0, result.output
    assert_can_log_in_as_administrator("chief", PASSWORD)
    assert "User name of the first administrator [admin]:" in result.stdout
    assert PASSWORD not in result.stdout  # hidden as it is typed
    assert "do not match" in result.output


def test_interactively_the_user_name_defaults_to_admin(db):
    result = runner.invoke(app, ["init"], input=f"\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert administrators() == ["admin"]


def test_a_second_run_creates_nothing_and_a_second_administrator_is_refused(db):
    env = {"GOLDTHREAD_ADMIN_PASSWORD": PASSWORD}
    assert runner.invoke(app, ["init", "--username", "root"], env=env).exit_code == 0
    again = runner.invoke(app, ["init"], input="")  # nothing is asked
    assert again.exit_code == 0 and "root is an administrator already" in again.stdout
    same = runner.invoke(app, ["init", "--username", "root"], env=env)
    assert same.exit_code == 0 and "root is an administrator already" in same.stdout
    other = runner.invoke(app, ["init", "--username", "other"], env=env)
    assert other.exit_code == 2
    assert other.stderr.strip() == (
        "error: an administrator exists already (root); add 'other' with `goldthread user create` instead"
    )
    assert administrators() == ["root"]


@pytest.mark.parametrize(
    ("args", "typed", "environment", "message"),
    [
        (["--username", "root"], "", "root1234", "error: This password is too short."),
        (["--username", ""], "", PASSWORD, "error: user name '': This field cannot be blank."),
        (["--username", "two words"], "", PASSWORD, "error: user name 'two words': Enter a valid username."),
        ([], "\n123\n123\n", None, "error: This password is too short."),
        ([], "", None, "error: no answer to 'User name of the first administrator'"),
        (["--username", "root", "--password-file", "/nonexistent/pw"], "", None, "error: no file '/nonexistent/pw'"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_creates_nothing(db, args, typed, environment, message):
    result = runner.invoke(app, ["init", *args], input=typed, env={"GOLDTHREAD_ADMIN_PASSWORD": environment})
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith(message), result.stderr
    assert not User.objects.exists()


def test_a_weak_password_in_a_file_is_refused(db, tmp_path):
    secret = tmp_path / "password"
    secret.write_text("root\n")
    result = runner.invoke(app, ["init", "--username", "root", "--password-file", str(secret)])
    assert result.exit_code == 2 and "too short" in result.stderr
    assert not User.objects.exists()
