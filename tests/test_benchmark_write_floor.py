"""The write floor benchmark copies every row of the database it is given and leaves that database as it was. What
the floor is on this machine is measured by `make benchmark-write-floor`, never here."""

import re
import subprocess
import sys
from pathlib import Path

from django.db import connection

from goldthread.demo.generator import generate
from goldthread.events.models import Event

from .conftest import subprocess_env

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "write_floor.py"


def run() -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT)], env=subprocess_env(), capture_output=True, text=True, timeout=300, check=False
    )


def table_rows() -> dict[str, int]:
    """Rows per table, as the database itself counts them; on SQLite without its own statistics and the full-text
    index's tables, which its triggers fill."""
    with connection.cursor() as cursor:
        names = [n for n in connection.introspection.table_names(cursor) if not n.startswith(("search_fts", "sqlite_"))]
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
    return counts


def test_every_row_is_copied_and_the_database_is_left_as_it_was(transactional_db):
    generate(events=40, seed=9, batch_size=40)
    before = table_rows()

    done = run()
    assert done.returncode == 0, done.stdout + done.stderr

    out = done.stdout
    header = re.search(r"\*\*(\w+)\*\*: ([\d,]+) events; ([\d,]+) rows in ([\d.]+) s", out)
    vendor, events, rows, seconds = header.groups()
    assert vendor == connection.vendor
    assert int(events.replace(",", "")) == Event.objects.count() >= 40
    assert int(rows.replace(",", "")) == sum(before.values())
    listed = [int(n.replace(",", "")) for n in re.findall(r"^\| [^|]+ \| ([\d,]+) \| [\d.]+ \|$", out, re.MULTILINE)]
    assert sum(listed) == sum(before.values()), "the tables listed and the rest add up to every row"
    rate = int(re.search(r"([\d,]+) events a second", out).group(1).replace(",", ""))
    assert rate > 0 and abs(rate * float(seconds) - int(events.replace(",", ""))) <= max(rate, 1) * 0.1 + 1

    assert table_rows() == before, "the copies are thrown away; the database keeps what it had, no more"


def test_an_empty_database_is_refused_with_one_line(transactional_db):
    Event.objects.all().delete()
    done = run()
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: the database holds no events; fill it first (make benchmark, or goldthread generate)"
    )
