"""The lessons search benchmark runs end to end at a tiny size: it generates reports, observations and their search
entries (checked against what `services.index_observation` writes), times every query shape and prints the table
docs/performance.md is made from. Speed itself is checked by the benchmark, never here."""

import os
import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "lessons.py"


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("GOLDTHREAD_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    # Its own SQLite database in its own directory, whatever database the test run uses: the script migrates and
    # fills the database it is given, which must never be the test database.
    env["GOLDTHREAD_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_tiny_run_prints_every_query_shape(tmp_path):
    done = run(tmp_path, "--observations", "300", "--runs", "1")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    header = re.search(r"sqlite3, ([\d,]+) observations in ([\d,]+) reports, ([\d,]+) search entries", out)
    observations, reports, entries = (int(g.replace(",", "")) for g in header.groups())
    # Whole reports of ten to thirty observations, each observation with its entry.
    assert 300 <= observations <= 300 + 30
    assert 10 * reports <= observations <= 30 * reports
    assert entries == observations
    shapes = re.findall(r"^\| ([^|*]+?) \| \d+ \| \d+ \|$", out, re.MULTILINE)
    assert shapes == [
        "one common word",
        "one rare word",
        "two words",
        "word + facet",
        "telling words of a title",
        "facets()",
    ]
    assert re.search(r"^\| \*\*all search\(\) calls\*\* \| \*\*\d+\*\* \| \*\*\d+\*\* \|$", out, re.MULTILINE)
    # The common words are common: the data set is written so that each query shape finds something.
    partner = re.search(r"^\| one common word \| `partner` \| ([\d,]+) \|", out, re.MULTILINE)
    assert int(partner.group(1).replace(",", "")) > observations // 3

    # A second run tops nothing up: the data set is kept between runs.
    again = run(tmp_path, "--observations", "300", "--generate-only")
    assert again.returncode == 0, again.stderr
    assert f"{observations:,} observations in {reports:,} reports (added 0 in" in again.stdout


def test_bad_size_is_refused_with_one_line(tmp_path):
    done = run(tmp_path, "--observations", "0")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: --observations and --runs must be positive"
