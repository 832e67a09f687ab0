"""The REST API of measures: indicators refused where they cannot be bound, the approval workflow across roles, the
roll-up, period locks, bulk import with a dry run, collection tasks, compliance and assessments that need evidence."""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from goldthread.core.models import AuditEntry
from goldthread.measures import services
from goldthread.measures.models import Assessment, Indicator, Measurement

MOE = {
    "code": "MOE-THA-9",
    "kind": "MOE",
    "statement": "RTA requests for combined HADR planning",
    "unit": "requests",
    "data_source": "SCO log",
}


def csv_file(*rows: str) -> bytes:
    return ("indicator,date,value,event,sex\n" + "\n".join(rows) + "\n").encode()


def dry_run(api, name: str, data: bytes):
    """A dry run writes nothing, not even an audit entry, so it goes past the client that insists on one."""
    entries = AuditEntry.objects.count()
    response = api.client.post("/api/v1/values/import", {"file": SimpleUploadedFile(name, data)}, headers=api.headers)
    assert AuditEntry.objects.count() == entries
    return response


def test_a_moe_bound_to_an_event_is_refused_on_the_event_field(measures, api):
    refused = api.post("/indicators", {**MOE, "event": "EVT-2025-HG"})
    assert refused.status_code == 400
    assert "no single event can answer for" in refused.json()["errors"]["event"][0]
    assert not Indicator.objects.filter(code="MOE-THA-9").exists()

    unknown = api.post("/indicators", {**MOE, "objective": "NO-SUCH-OBJECTIVE"})
    assert unknown.status_code == 400 and "objective" in unknown.json()["errors"]

    created = api.post(
        "/indicators",
        {**MOE, "objective": "CSP-THA-2.1", "baseline_value": 1, "criteria": ["relevant"], "responsible": "USARPAC"},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["objective"], body["event"], body["responsible"], body["version"]) == (
        "CSP-THA-2.1",
        None,
        "USARPAC",
        1,
    )
    assert len(body["unconfirmed"]) == 3 and body["targets"] == [] and body["locks"] == []
    assert api.get(f"/indicators/{body['uid']}").json()["code"] == "MOE-THA-9"
    assert api.get("/indicators/MOE-THA-9").json()["uid"] == body["uid"]
    assert api.get("/indicators/NO-SUCH").status_code == 404


def test_an_indicator_patch_refuses_a_stale_version_and_a_bad_rebinding(measures, api):
    patched = api.patch("/indicators/MOE-THA-2", {"version": 1, "method": "Count certificates", "minimum": 0})
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["method"], patched.json()["minimum"], patched.json()["version"]) == (
        "Count certificates",
        0,
        2,
    )
    stale = api.patch("/indicators/MOE-THA-2", {"version": 1, "method": "Other"})
    assert stale.status_code == 409 and "version" in stale.json()["errors"]
    onto_event = api.patch("/indicators/MOE-THA-2", {"version": 2, "objective": None, "event": "EVT-2025-HG"})
    assert onto_event.status_code == 400 and "event" in onto_event.json()["errors"]
    cleared = api.patch("/indicators/MOE-THA-2", {"version": 2, "method": None, "rolls_up_to": None})
    assert cleared.status_code == 200
    assert (cleared.json()["method"], cleared.json()["rolls_up_to"]) == ("", None)


def test_a_value_is_recorded_returned_fixed_and_approved_across_roles(measures, api):
    w = measures
    assessor, desk = api.as_user(w.assessor), api.as_user(w.desk)
    recorded = assessor.post("/indicators/MOE-THA-2/values", {"date": "2025-08-01", "value": 120, "note": "roster"})
    assert recorded.status_code == 201, recorded.json()
    value = recorded.json()
    assert (value["status"], value["source"], value["period"], value["recorded_by"], value["warning"]) == (
        "SUBMITTED",
        "API",
        "FY2025-Q4",
        "assessor",
        "",
    )
    path = f"/values/{value['uid']}"

    assert assessor.post(f"{path}/approve", {}).status_code == 403  # assessors record, they do not approve
    no_reason = desk.post(f"{path}/return", {"reason": " "})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    returned = desk.post(f"{path}/return", {"version": value["version"], "reason": "Count staff officers only."})
    assert returned.status_code == 200, returned.json()
    assert (returned.json()["status"], returned.json()["return_reason"]) == ("RETURNED", "Count staff officers only.")

    fixed = assessor.patch(path, {"version": returned.json()["version"], "value": 12})
    assert fixed.status_code == 200 and fixed.json()["value"] == 12
    assert assessor.post(f"{path}/submit", {"version": fixed.json()["version"]}).json()["status"] == "SUBMITTED"
    approved = desk.post(f"{path}/approve", {})
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["approved_by"]) == ("APPROVED", "desk")
    assert assessor.patch(path, {"version": approved.json()["version"], "value": 13}).status_code == 400

    own = desk.post("/indicators/MOE-THA-2/values", {"date": "2025-08-02", "value": 3}).json()
    refused = desk.post(f"/values/{own['uid']}/approve", {})
    assert refused.status_code == 400 and "someone else approves it" in refused.json()["errors"]["status"][0]

    listed = assessor.get("/indicators/MOE-THA-2/values", status="APPROVED").json()
    assert listed["count"] == 1 and listed["items"][0]["value"] == 12
    assert assessor.get("/indicators/MOE-THA-2/values", period="FY2025").json()["count"] == 2


def test_a_value_must_be_given_whole(measures, api):
    assessor = api.as_user(measures.assessor)
    missing = assessor.post("/indicators/MOE-THA-2/values", {"date": "2025-08-01"})
    assert missing.status_code == 400 and "value" in missing.json()["errors"]
    wrong = assessor.post("/indicators/MOE-THA-1/values", {"date": "2025-08-01", "value": 9})
    assert wrong.status_code == 400 and "give one of 1, 2, 3, 4, 5" in wrong.json()["errors"]["value"][0]
    elsewhere = assessor.post("/indicators/MOP-HG-1/values", {"date": "2025-07-01", "value": 3, "event": "EVT-2026-HG"})
    assert elsewhere.status_code == 400 and "does not collect" in elsewhere.json()["errors"]["event"][0]
    draft = assessor.post("/indicators/MOE-THA-2/values", {"date": "2025-08-01", "value": 4, "submit": False}).json()
    assert draft["status"] == "DRAFT"
    emptied = assessor.patch(f"/values/{draft['uid']}", {"version": draft["version"], "date": None})
    assert emptied.status_code == 400 and "date" in emptied.json()["errors"]
    assert assessor.patch(f"/values/{uuid.uuid4()}", {"version": 1, "value": 1}).status_code == 404
    assert Measurement.objects.count() == 1


def test_the_series_rolls_up_approved_values_with_targets_and_progress(measures, api):
    w = measures
    assessor, desk = api.as_user(w.assessor), api.as_user(w.desk)
    target = api.put("/indicators/MOE-THA-1/targets/FY2025", {"value": 5})
    assert target.status_code == 200 and target.json() == {"period": "FY2025", "value": 5}
    assert api.put("/indicators/MOE-THA-1/targets/2025", {"value": 5}).status_code == 422
    for day, rating in (("2025-07-01", 3), ("2025-08-01", 4)):
        recorded = assessor.post("/indicators/MOE-THA-1/values", {"date": day, "value": rating}).json()
        assert desk.post(f"/values/{recorded['uid']}/approve", {}).status_code == 200
    waiting = assessor.post("/indicators/MOE-THA-1/values", {"date": "2025-09-01", "value": 1})
    assert waiting.status_code == 201  # submitted, not approved: it does not count

    yearly = api.get("/indicators/MOE-THA-1/series", grain="year").json()
    assert (yearly["indicator"], yearly["baseline"], yearly["aggregation"]) == ("MOE-THA-1", 2, "LATEST")
    [point] = yearly["points"]
    assert (point["period"], point["value"], point["count"], point["target"]) == ("FY2025", 4, 2, 5)
    assert round(point["progress"], 3) == round((4 - 2) / (5 - 2), 3)

    quarters = api.get("/indicators/MOE-THA-1/series", grain="quarter", first="FY2025", last="FY2025").json()
    assert [(p["period"], p["value"]) for p in quarters["points"]] == [
        ("FY2025-Q1", None),
        ("FY2025-Q2", None),
        ("FY2025-Q3", None),
        ("FY2025-Q4", 4),
    ]
    assert api.get("/indicators/MOE-THA-1/series", grain="month").status_code == 422
    assert api.delete("/indicators/MOE-THA-1/targets/FY2025").status_code == 204
    assert api.delete("/indicators/MOE-THA-1/targets/FY2025").status_code == 404
    assert api.get("/indicators/MOE-THA-1").json()["targets"] == []


def test_a_locked_period_refuses_new_values_with_the_reason(measures, api):
    w = measures
    assessor, desk = api.as_user(w.assessor), api.as_user(w.desk)
    waiting = assessor.post("/indicators/MOE-THA-2/values", {"date": "2025-08-01", "value": 12}).json()
    early = api.post("/indicators/MOE-THA-2/locks/FY2025", {})
    assert early.status_code == 400 and "not approved yet" in early.json()["errors"]["period"][0]
    desk.post(f"/values/{waiting['uid']}/approve", {})
    assert desk.post("/indicators/MOE-THA-2/locks/FY2025", {}).status_code == 403  # desk officers do not lock
    locked = api.post("/indicators/MOE-THA-2/locks/FY2025", {})
    assert locked.status_code == 201 and locked.json()["locked_by"] == "planner"

    refused = assessor.post("/indicators/MOE-THA-2/values", {"date": "2025-09-01", "value": 3})
    assert refused.status_code == 400
    assert "FY2025-Q4 of MOE-THA-2 is locked" in refused.json()["errors"]["date"][0]
    assert api.get("/indicators/MOE-THA-2").json()["locks"][0]["period"] == "FY2025"

    assert api.delete("/indicators/MOE-THA-2/locks/FY2025").status_code == 204
    assert assessor.post("/indicators/MOE-THA-2/values", {"date": "2025-09-01", "value": 3}).status_code == 201
    assert api.delete("/indicators/MOE-THA-2/locks/FY2025").status_code == 400


def test_an_import_previews_its_errors_writes_nothing_and_writes_a_clean_file_when_asked(measures, api):
    assessor = api.as_user(measures.assessor)
    bad = csv_file("MOP-HG-1,2025-07-01,24,EVT-2025-HG,F", "MOP-HG-9,2025-07-01,3,,", "MOP-HG-1,2025-07-02,many,,")
    preview = dry_run(assessor, "roster.csv", bad)
    assert preview.status_code == 200, preview.json()
    body = preview.json()
    assert (body["good"], body["bad"], body["written"]) == (1, 2, 0)
    errors = {row["line"]: row["errors"] for row in body["rows"] if row["errors"]}
    assert errors == {3: ["No indicator 'MOP-HG-9'."], 4: ["value 'many' is not a number."]}
    assert body["rows"][0]["cells"]["sex"] == "F"

    refused = assessor.upload("/values/import", {"file": ("roster.csv", bad)}, dry_run="false")
    assert refused.status_code == 400
    assert "2 row(s) of roster.csv have errors" in refused.json()["detail"]
    assert refused.json()["errors"]["line 3"] == ["No indicator 'MOP-HG-9'."]
    assert not Measurement.objects.exists()

    clean = csv_file("MOP-HG-1,2025-07-01,20,EVT-2025-HG,M", "MOP-HG-1,2025-07-01,4,EVT-2025-HG,F")
    assert dry_run(assessor, "roster.csv", clean).json()["written"] == 0
    assert not Measurement.objects.exists()
    written = assessor.upload("/values/import", {"file": ("roster.csv", clean)}, dry_run="false")
    assert written.status_code == 200 and written.json()["written"] == 2
    stored = Measurement.objects.order_by("value")
    assert [(m.value, m.status, m.source, m.recorded_by) for m in stored] == [
        (4, "SUBMITTED", "IMPORT", measures.assessor),
        (20, "SUBMITTED", "IMPORT", measures.assessor),
    ]
    assert AuditEntry.objects.filter(action="measurement.import", actor=measures.assessor).count() == 1

    unreadable = dry_run(assessor, "roster.xlsx", b"not a workbook")
    assert unreadable.status_code == 400 and "file" in unreadable.json()["errors"]
    assert api.as_user(measures.reader).upload("/values/import", {"file": ("r.csv", clean)}).status_code == 403


def test_an_events_collection_tasks_and_the_units_compliance(measures, api):
    w = measures
    tasks = {t["indicator"]: t for t in api.get("/events/EVT-2025-HG/tasks").json()}
    assert set(tasks) == {"MOP-HG-1", "MOE-THA-1", "MOE-THA-2"}
    assert tasks["MOP-HG-1"]["kind"] == "MOP" and "Broken down by sex" in tasks["MOP-HG-1"]["what"]
    assert tasks["MOE-THA-1"]["due"] == "2025-08-04" and not any(t["answered"] for t in tasks.values())
    assert api.get(f"/events/{w.event.uid}/tasks").json() == list(tasks.values())

    writer = api.as_user(w.writer)
    answered = writer.post(
        "/indicators/MOP-HG-1/values", {"date": "2025-07-05", "value": 24, "event": "EVT-2025-HG", "disaggregation": {}}
    )
    assert answered.status_code == 201, answered.json()
    tasks = {t["indicator"]: t for t in api.get("/events/EVT-2025-HG/tasks").json()}
    assert tasks["MOP-HG-1"]["answered"] and tasks["MOP-HG-1"]["answers"] == 1
    assert api.get("/events/NO-SUCH-EVENT/tasks").status_code == 404

    [row] = api.get("/compliance", on="2026-01-01").json()
    assert (row["unit"], row["due"], row["answered"], round(row["rate"], 2)) == ("2-2 SBCT", 3, 1, 0.33)
    assert api.get("/compliance", on="2025-07-10").json() == []


def test_an_assessment_is_submitted_only_with_evidence(measures, api):
    w = measures
    assessor = api.as_user(w.assessor)
    created = assessor.post(
        "/objectives/CSP-THA-2.1/assessments", {"period": "FY2025", "rating": 3, "rationale": "Plans improved."}
    )
    assert created.status_code == 201, created.json()
    a = created.json()
    assert (a["objective"], a["independence"], a["status"], a["evidence"]) == (
        "CSP-THA-2.1",
        "INDEPENDENT",
        "DRAFT",
        [],
    )
    path = f"/assessments/{a['uid']}"

    refused = assessor.post(f"{path}/submit", {"version": a["version"]})
    assert (
        refused.status_code == 400 and "Cite at least one piece of evidence" in refused.json()["errors"]["evidence"][0]
    )
    nameless = assessor.post(f"{path}/evidence", {"kind": "DOCUMENT", "document": " "})
    assert nameless.status_code == 400 and "document" in nameless.json()["errors"]

    cited = assessor.post(f"{path}/evidence", {"kind": "INDICATOR", "indicator": "MOE-THA-1", "note": "2 → 3"})
    assert cited.status_code == 201 and cited.json()["cited"] == "MOE-THA-1"
    document = assessor.post(f"{path}/evidence", {"kind": "DOCUMENT", "document": "RTA staff study, J5 share"})
    assert assessor.delete(f"{path}/evidence/{document.json()['id']}").status_code == 204
    assert assessor.delete(f"{path}/evidence/{document.json()['id']}").status_code == 404

    changed = assessor.patch(path, {"version": a["version"], "rating": 4})
    assert changed.status_code == 200 and changed.json()["rating"] == 4
    submitted = assessor.post(f"{path}/submit", {"version": changed.json()["version"]})
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "SUBMITTED" and submitted.json()["submitted_at"]
    assert [e["kind"] for e in submitted.json()["evidence"]] == ["INDICATOR"]
    assert assessor.patch(path, {"version": submitted.json()["version"], "rating": 5}).status_code == 400

    services.create_assessment(actor=w.desk, objective=w.army, period="FY2024", rating=2, rationale="Before.")
    history = api.get(f"/objectives/{w.army.uid}/assessments").json()
    assert [(h["period"], h["independence"]) for h in history] == [("FY2024", "SELF"), ("FY2025", "INDEPENDENT")]
    assert api.get("/objectives/NO-SUCH/assessments").status_code == 404
    assert Assessment.objects.count() == 2
