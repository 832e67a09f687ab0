"""The evaluation over the API: findings, discipline, contribution, portfolio and standing, the report."""

import io

from openpyxl import load_workbook

from goldthread.core.models import AuditEntry
from goldthread.evaluation.models import CountryStanding


def test_coverage_counts_every_kind_and_names_the_record_to_fix(aar, api):
    body = api.get("/evaluation/coverage", fiscal_year=2025).json()
    kinds = {k["key"]: k for k in body["kinds"]}
    assert [k["key"] for k in body["kinds"]][:2] == ["orphan-event", "no-events"]
    assert kinds["orphan-event"]["count"] == 1
    [orphan] = kinds["orphan-event"]["first"]
    assert orphan["code"] == "EVT-2025-KLE" and orphan["record_type"] == "event"
    assert orphan["url"] == f"/events/{aar.orphan.uid}/"
    assert kinds["missing-aar"]["first"][0]["code"] == "EVT-2025-HG"
    assert body["as_of"] == "2025-09-30"  # a past fiscal year is judged as at its last day


def test_bad_filters_are_refused_with_the_field_named(world, api):
    unknown = api.get("/evaluation/coverage", objective="NOPE-1")
    assert unknown.status_code == 400 and "objective" in unknown.json()["errors"]
    assert "country" in api.get("/evaluation/coverage", country="XXX").json()["errors"]
    assert "organization" in api.get("/evaluation/discipline", organization="Nobody").json()["errors"]
    assert api.get("/evaluation/coverage", fiscal_year=99999).status_code == 422
    assert api.get("/evaluation/coverage/no-such-kind").status_code == 422


def test_one_kind_pages_through_all_its_findings(aar, api):
    first = api.get("/evaluation/coverage/orphan-event", limit=1).json()
    second = api.get("/evaluation/coverage/orphan-event", limit=1, offset=1).json()
    assert first["count"] == second["count"] == 2
    assert {first["items"][0]["code"], second["items"][0]["code"]} == {"EVT-2025-KLE", "EVT-2026-HG"}
    assert api.get("/evaluation/coverage/orphan-event", limit=5000).status_code == 422


def test_the_breakdown_counts_per_country(aar, api):
    rows = {r["label"]: r["counts"] for r in api.get("/evaluation/coverage-breakdown", by="country").json()}
    assert rows["Philippines"] == {"orphan-event": 1}
    assert rows["Thailand"]["missing-aar"] == 1
    assert api.get("/evaluation/coverage-breakdown", by="planet").status_code == 422


def test_discipline_and_contribution(measures, api):
    lines = api.get("/evaluation/discipline", fiscal_year=2025).json()
    [bct] = [line for line in lines if line["unit"] == "2-2 SBCT"]
    assert bct["tallies"]["aars"] == {"due": 1, "done": 0}
    assert set(bct["by_year"]) == {"2025"}
    body = api.get("/evaluation/contribution/CSP-THA-2.1").json()
    assert body["moes"] == ["MOE-THA-1", "MOE-THA-2"] and body["claims"] == 1
    assert {c["verdict"] for c in body["lines"][0]["comparisons"]} == {"no-data"}
    assert api.get(f"/evaluation/contribution/{measures.army.uid}").json()["objective"] == "CSP-THA-2.1"
    assert api.get("/evaluation/contribution/NOPE").status_code == 404


def test_a_standing_is_recorded_revised_and_refused_when_stale_or_out_of_range(aar, api):
    standing = {
        "priority": 1,
        "absorptive_capacity": 1,
        "relationship": 4,
        "capability": 3,
        "rationale": "Treaty ally.",
        "reviewed_on": "2025-10-01",
    }
    made = api.put("/evaluation/portfolio/tha/standing", standing)
    assert made.status_code == 200, made.content
    row = made.json()
    assert row["country"] == "THA" and row["standing"]["version"] == 1 and row["events"] == 2
    assert AuditEntry.objects.filter(action="standing.create").count() == 1
    stale = api.put("/evaluation/portfolio/THA/standing", {**standing, "relationship": 5, "version": 7})
    assert stale.status_code == 409
    revised = api.put("/evaluation/portfolio/THA/standing", {**standing, "relationship": 5, "version": 1})
    assert revised.json()["standing"]["relationship"] == 5
    assert api.put("/evaluation/portfolio/THA/standing", {**standing, "capability": 9}).status_code == 422
    assert api.put("/evaluation/portfolio/XYZ/standing", standing).status_code == 404
    reader = api.as_user(aar.reader)
    assert reader.put("/evaluation/portfolio/PHL/standing", standing).status_code == 403
    assert not CountryStanding.objects.filter(country=aar.phl).exists()
    rows = {r["country"]: r for r in api.get("/evaluation/portfolio").json()}
    assert rows["THA"]["standing"]["relationship"] == 5 and rows["PHL"]["standing"] is None


def test_the_report_comes_in_each_format_and_its_export_is_audited(measures, api):
    docx = api.get("/evaluation/report.docx", country="THA")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert api.get("/evaluation/report.pdf", country="THA").content[:5] == b"%PDF-"
    book = load_workbook(io.BytesIO(api.get("/evaluation/report.xlsx", fiscal_year=2025).content))
    assert "Discipline" in book.sheetnames
    assert AuditEntry.objects.filter(action="evaluation.exported").count() == 3
    assert api.get("/evaluation/report.odt").status_code == 422  # not one of the formats
