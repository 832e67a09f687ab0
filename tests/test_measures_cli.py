"""The measures commands: importing measured values with a preview and --confirm, listing and showing indicators
with their roll-up, compliance, and locking periods. In-process against the test database, and once as a real
process for the exit code."""

import json
import subprocess
import sys
from datetime import date

from typer.testing import CliRunner

from goldthread.cli import app
from goldthread.core.models import AuditEntry
from goldthread.measures import services
from goldthread.measures.models import Measurement, PeriodLock

from .conftest import subprocess_env

runner = CliRunner()
HEADER = "indicator,date,value,event,sex\n"
BAD = HEADER + "MOP-HG-1,2025-07-01,24,EVT-2025-HG,F\nMOP-HG-9,2025-07-01,3,,\nMOE-THA-1,2025-07-01,9,,\n"
CLEAN = HEADER + "MOP-HG-1,2025-07-01,20,EVT-2025-HG,M\nMOP-HG-1,2025-07-01,4,EVT-2025-HG,F\n"


def test_an_import_with_bad_rows_prints_them_and_exits_2_with_one_line(measures, tmp_path):
    file = tmp_path / "values.csv"
    file.write_text(BAD)
    result = runner.invoke(app, ["import", "observations", str(file), "--as", "assessor", "--confirm"])
    assert result.exit_code == 2
    assert result.stderr == "error: values.csv: 2 of 3 rows have errors (lines 3, 4); nothing was written\n"
    table = result.stdout.splitlines()
    assert table[0].split() == ["Line", "Error"]
    assert table[1].startswith("3 ") and "No indicator 'MOP-HG-9'." in table[1]
    assert table[2].startswith("4 ") and "give one of 1, 2, 3, 4, 5" in table[2]
    assert "1 of 3 rows are ready to import." in result.stdout
    assert not Measurement.objects.exists()


def test_a_clean_import_is_written_submitted_only_with_confirm(measures, tmp_path):
    file = tmp_path / "roster.csv"
    file.write_text(CLEAN)
    preview = runner.invoke(app, ["import", "observations", str(file), "--as", "assessor"])
    assert preview.exit_code == 0, preview.output
    assert "2 of 2 rows are ready to import." in preview.stdout and "--confirm" in preview.stdout
    assert not Measurement.objects.exists()

    written = runner.invoke(app, ["import", "observations", str(file), "--as", "assessor", "--confirm"])
    assert written.exit_code == 0, written.output
    assert "Imported 2 values from roster.csv" in written.stdout
    stored = Measurement.objects.order_by("value")
    assert [(m.value, m.disaggregation, m.status, m.source, m.recorded_by) for m in stored] == [
        (4, {"sex": "F"}, "SUBMITTED", "IMPORT", measures.assessor),
        (20, {"sex": "M"}, "SUBMITTED", "IMPORT", measures.assessor),
    ]
    assert AuditEntry.objects.filter(action="measurement.import", actor=measures.assessor).exists()


def test_an_import_says_in_one_line_who_is_missing_or_what_is_unreadable(measures, tmp_path):
    file = tmp_path / "roster.csv"
    file.write_text(CLEAN)
    cases = [
        ([str(file)], "error: say who records the values: give --as USERNAME"),
        ([str(file), "--as", "nobody"], "error: no active user 'nobody'"),
        ([str(file), "--as", "reader"], "error: roster.csv: You do not have permission to do this"),
        ([str(tmp_path / "missing.csv"), "--as", "assessor"], "error: no file"),
    ]
    broken = tmp_path / "roster.xlsx"
    broken.write_bytes(b"not a workbook")
    cases.append(([str(broken), "--as", "assessor"], "error: roster.xlsx: roster.xlsx is not a readable Excel"))
    for args, message in cases:
        result = runner.invoke(app, ["import", "observations", *args, "--confirm"])
        assert result.exit_code == 2, args
        assert result.stderr.startswith(message) and result.stderr.count("\n") == 1, result.stderr
    assert not Measurement.objects.exists()


def test_indicators_list_filters_and_prints_json(measures):
    table = runner.invoke(app, ["indicators", "list"])
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split()[:4] == ["Code", "Kind", "Bound", "to"]
    assert [line.split()[0] for line in lines[1:]] == ["MOE-TCP-3", "MOE-THA-1", "MOE-THA-2", "MOP-HG-1"]
    assert "EVT-2025-HG" in lines[4]

    mops = json.loads(runner.invoke(app, ["indicators", "list", "--kind", "MOP", "--json"]).stdout)
    assert [(i["code"], i["event"], i["disaggregations"]) for i in mops] == [("MOP-HG-1", "EVT-2025-HG", ["sex"])]
    thai = json.loads(runner.invoke(app, ["indicators", "list", "--country", "tha", "--json"]).stdout)
    assert {i["code"] for i in thai} == {"MOE-THA-1", "MOE-THA-2", "MOP-HG-1"}

    bad = runner.invoke(app, ["indicators", "list", "--kind", "KPI"])
    assert bad.exit_code == 2 and bad.stderr == "error: --kind 'KPI' is not a kind; use MOP or MOE\n"


def test_indicators_show_prints_the_definition_and_the_roll_up(measures):
    w = measures
    services.set_target(actor=w.planner, indicator=w.moe, period="FY2025", value=5)
    for day, rating in ((date(2025, 7, 1), 3), (date(2025, 8, 1), 4)):
        recorded = services.record(actor=w.assessor, indicator=w.moe, date=day, value=rating)
        services.approve(actor=w.desk, measurement=recorded)

    shown = runner.invoke(app, ["indicators", "show", "MOE-THA-1"])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("MOE-THA-1 (Measure of effectiveness, objective CSP-THA-2.1):")
    assert "Baseline: 2" in shown.stdout
    [row] = [line.split() for line in shown.stdout.splitlines() if line.startswith("FY2025")]
    assert row == ["FY2025", "4", "2", "5", "67%"]

    quarters = json.loads(
        runner.invoke(app, ["indicators", "show", "MOE-THA-1", "--grain", "quarter", "--json"]).stdout
    )
    assert quarters["indicator"]["code"] == "MOE-THA-1" and quarters["indicator"]["targets"][0]["period"] == "FY2025"
    assert [(p["period"], p["value"], p["count"]) for p in quarters["series"]["points"]] == [("FY2025-Q4", 4, 2)]

    unknown = runner.invoke(app, ["indicators", "show", "MOE-NONE"])
    assert unknown.exit_code == 2 and unknown.stderr == "error: no indicator 'MOE-NONE'\n"
    month = runner.invoke(app, ["indicators", "show", "MOE-THA-1", "--grain", "month"])
    assert month.exit_code == 2 and "use year or quarter" in month.stderr


def test_indicators_compliance_per_unit(measures):
    w = measures
    services.record(actor=w.writer, indicator=w.mop, date=date(2025, 7, 5), value=24, event=w.event)
    found = json.loads(runner.invoke(app, ["indicators", "compliance", "--on", "2026-01-01", "--json"]).stdout)
    assert [(r["unit"], r["due"], r["answered"]) for r in found] == [("2-2 SBCT", 3, 1)]
    table = runner.invoke(app, ["indicators", "compliance", "--on", "2026-01-01"])
    assert table.stdout.splitlines()[1].split() == ["2-2", "SBCT", "3", "1", "33%"]
    early = runner.invoke(app, ["indicators", "compliance", "--on", "2025-07-10"])
    assert early.exit_code == 0 and "No collection task is due" in early.stdout


def test_indicators_lock_acts_as_the_named_user(measures):
    locked = runner.invoke(app, ["indicators", "lock", "MOE-THA-2", "FY2025", "--as", "planner"])
    assert locked.exit_code == 0, locked.output
    lock = PeriodLock.objects.get()
    assert (lock.indicator.code, lock.period, lock.locked_by) == ("MOE-THA-2", "FY2025", measures.planner)
    assert AuditEntry.objects.filter(action="indicator.lock", actor=measures.planner).exists()

    for args, message in [
        (["FY2025", "--as", "planner"], "error: FY2025 of MOE-THA-2 is already locked.\n"),
        (["FY2024", "--as", "desk"], "error: You do not have permission to do this (measures.lock_period).\n"),
        (["2024", "--as", "planner"], "error: '2024' is not a fiscal period; write FY2027 or FY2027-Q2.\n"),
        (["FY2024"], "error: say who locks the period: give --as USERNAME\n"),
    ]:
        result = runner.invoke(app, ["indicators", "lock", "MOE-THA-2", *args])
        assert (result.exit_code, result.stderr) == (2, message)
    assert PeriodLock.objects.count() == 1


def test_a_bad_file_exits_2_from_a_real_process(transactional_db, measures, tmp_path):
    file = tmp_path / "values.csv"
    file.write_text(BAD)
    result = subprocess.run(
        [sys.executable, "-m", "goldthread.cli", "import", "observations", str(file), "--as", "assessor", "--confirm"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        "error: values.csv: 2 of 3 rows have errors (lines 3, 4); nothing was written"
    ]
    assert not Measurement.objects.exists()
