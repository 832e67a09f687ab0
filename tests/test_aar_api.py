"""The REST API of AARs and lessons: the whole workflow, refusals with field messages, lessons, channel items and
faceted search."""

import uuid
from datetime import date, timedelta

import pytest

from goldthread.aars import services
from goldthread.aars.models import Observation, Report
from goldthread.delivery.models import Delivery
from goldthread.events.models import Event

from .conftest import make_user

INTERPRETERS = {
    "title": "Interpreters short",
    "observation": "Two interpreters for a brigade staff.",
    "discussion": "The request missed the deadline because the reconnaissance skipped staff sections.",
    "recommendation": "Ask for one interpreter per staff section at the IPC.",
    "claim": "CSP-THA-2.1",
    "partner_unit": "RTA Cav Ctr",
    "dotmlpfp": "PERSONNEL",
    "analysis": {
        "five_whys": ["Orders late", "Translation late", " "],
        "root_cause": "No translator budgeted",
        "assumptions": [{"assumption": "RTA staff read English orders", "held": False, "evidence": "Asked for Thai"}],
    },
}


def disseminated(w, **observation) -> tuple[Report, Observation]:
    """The world's AAR written, submitted and approved, with one observation (set up through the services)."""
    report = services.start(actor=w.writer, event=w.event)
    fields = {"title": "Interpreters short", "observation": "Too few interpreters.", **observation}
    found = services.add_observation(actor=w.writer, report=report, fields=fields)
    services.submit(actor=w.writer, report=report, version=report.version)
    services.approve(actor=w.unit, report=report, version=report.version)
    found.refresh_from_db()
    return report, found


def test_the_whole_workflow_through_the_api(aar, api):
    writer, reviewer, desk = api.as_user(aar.writer), api.as_user(aar.unit), api.as_user(aar.desk)
    started = writer.post(f"/events/{aar.event.uid}/aar", {})
    assert started.status_code == 201, started.json()
    report = started.json()
    uid = report["uid"]
    assert report["status"] == "DRAFT" and report["event_code"] == "EVT-2025-HG"
    assert report["due"] == str(aar.event.end_date + timedelta(days=30))
    [review] = report["reviews"]
    assert review["objective"] == "CSP-THA-2.1" and review["claim"] == str(aar.claim.uid)
    assert review["planned"].startswith("Combined HADR staff plan produced") and not review["addressed"]
    assert any("Plan quality rubric" in line for line in report["missing"])
    assert writer.get(f"/events/{aar.event.uid}/aar").json()["uid"] == uid

    patched = writer.patch(
        f"/aars/{uid}",
        {
            "version": report["version"],
            "capability": "RTA staff planned to standard on day 3.",
            "hotwash_held": "2025-07-05",
            "reviews": [
                {"claim": "CSP-THA-2.1", "happened": "Plan produced on day 4", "why": "Translation delays"},
            ],
        },
    )
    assert patched.status_code == 200, patched.json()
    body = patched.json()
    assert body["score"] > report["score"] and body["version"] == report["version"] + 1
    assert body["reviews"][0]["addressed"] and body["hotwash_held"] == "2025-07-05"
    assert not any("partner capability section" in line for line in body["missing"])
    # A review can also be named by its claim's uid.
    by_uid = writer.patch(
        f"/aars/{uid}",
        {"version": body["version"], "reviews": [{"claim": str(aar.claim.uid), "indicator_evidence": "Rubric 3/5"}]},
    )
    assert by_uid.json()["reviews"][0]["indicator_evidence"] == "Rubric 3/5"

    added = writer.post(f"/aars/{uid}/observations", INTERPRETERS)
    assert added.status_code == 201, added.json()
    observation = added.json()
    assert observation["objective"] == "CSP-THA-2.1" and observation["claim"] == str(aar.claim.uid)
    assert observation["objective_type"] == "CAP" and observation["indicator"] == "Plan quality rubric"
    assert observation["partner_unit"] == "RTA Cav Ctr" and observation["stage"] == "OBSERVED"
    assert observation["analysis"] == {
        "five_whys": ["Orders late", "Translation late"],
        "root_cause": "No translator budgeted",
        "assumptions": [{"assumption": "RTA staff read English orders", "held": False, "evidence": "Asked for Thai"}],
    }
    changed = writer.patch(
        f"/observations/{observation['uid']}", {"version": observation["version"], "criticality": "SIGNIFICANT"}
    )
    assert changed.status_code == 200 and changed.json()["criticality"] == "SIGNIFICANT"
    spare = writer.post(
        f"/aars/{uid}/observations", {"title": "Spare", "observation": "Nothing.", "finding": "SUSTAIN"}
    )
    assert writer.delete(f"/observations/{spare.json()['uid']}").status_code == 204
    assert writer.get(f"/observations/{spare.json()['uid']}").status_code == 404

    action = writer.post(
        f"/aars/{uid}/actions", {"text": "Budget interpreters", "owner": "USARPAC", "due": "2026-03-01"}
    )
    assert action.status_code == 201 and action.json()["owner"] == "USARPAC"

    current = writer.get(f"/aars/{uid}").json()
    assert current["score"] == 100 and current["missing"] == []
    assert [o["title"] for o in current["observations"]] == ["Interpreters short"]
    assert [a["text"] for a in current["actions"]] == ["Budget interpreters"]

    submitted = writer.post(f"/aars/{uid}/submit", {"version": current["version"]})
    assert submitted.status_code == 200 and submitted.json()["status"] == "SUBMITTED"
    returned = reviewer.post(
        f"/aars/{uid}/return", {"version": submitted.json()["version"], "comment": "Say what access cost."}
    )
    assert returned.status_code == 200 and returned.json()["status"] == "RETURNED"
    assert [(c["author"], c["status"], c["text"]) for c in returned.json()["comments"]] == [
        ("unit", "RETURNED", "Say what access cost.")
    ]
    again = writer.patch(f"/aars/{uid}", {"version": returned.json()["version"], "access": "Clearance took 41 days."})
    resubmitted = writer.post(f"/aars/{uid}/submit", {"version": again.json()["version"]})
    approved = reviewer.post(f"/aars/{uid}/approve", {"version": resubmitted.json()["version"], "comment": "Good."})
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "DISSEMINATED" and approved.json()["approved_by"] == "unit"
    assert Delivery.objects.filter(record_uid=uid, recipient=aar.next_unit).exists()

    # Follow-up actions are worked after approval.
    done = writer.post(f"/aars/{uid}/actions/{action.json()['id']}/done", {"done": True})
    assert done.status_code == 200 and done.json()["done"] is True

    # The lessons lifecycle, step by step, with what each stage asks for.
    path = f"/observations/{observation['uid']}"
    version = writer.get(path).json()["version"]
    validated = desk.post(f"{path}/stage", {"version": version, "stage": "VALIDATED"})
    assert validated.status_code == 200 and validated.json()["stage"] == "VALIDATED"
    lesson = desk.post(
        f"{path}/stage",
        {
            "version": validated.json()["version"],
            "stage": "LESSON",
            "corrective_action": "Budget interpreters per staff section",
            "action_owner": "USARPAC",
            "action_due": "2026-03-01",
        },
    )
    assert lesson.status_code == 200, lesson.json()
    assert lesson.json()["action_owner"] == "USARPAC" and lesson.json()["action_due"] == "2026-03-01"
    resolved = desk.post(
        f"{path}/stage", {"version": lesson.json()["version"], "stage": "RESOLVED", "resolution": "Budgeted in FY26"}
    )
    assert resolved.json()["stage"] == "RESOLVED" and resolved.json()["resolution"] == "Budgeted in FY26"


def test_bad_report_input_gets_field_messages_and_changes_nothing(aar, api):
    writer = api.as_user(aar.writer)
    report = writer.post(f"/events/{aar.event.uid}/aar", {}).json()
    uid, version = report["uid"], report["version"]

    unknown = writer.patch(f"/aars/{uid}", {"version": version, "reviews": [{"claim": "TCP-O9", "why": "x"}]})
    assert unknown.status_code == 400 and "CSP-THA-2.1" in unknown.json()["errors"]["reviews.0.claim"][0]
    twice = writer.patch(
        f"/aars/{uid}", {"version": version, "reviews": [{"claim": "CSP-THA-2.1"}, {"claim": str(aar.claim.uid)}]}
    )
    assert twice.status_code == 400 and "twice" in twice.json()["errors"]["reviews.1.claim"][0]
    late_date = writer.patch(f"/aars/{uid}", {"version": version, "hotwash_held": "0001-01-01"})
    assert late_date.status_code == 422 and "hotwash_held" in late_date.json()["errors"]
    assert writer.patch(f"/aars/{uid}", {"costs": "no version"}).status_code == 422
    marked = writer.patch(f"/aars/{uid}", {"version": version, "markings": "TOP SECRET"})
    assert marked.status_code == 400 and "markings" in marked.json()["errors"]

    assert writer.patch(f"/aars/{uid}", {"version": version, "costs": "$41,000"}).status_code == 200
    stale = writer.patch(f"/aars/{uid}", {"version": version, "costs": "lost update"})
    assert stale.status_code == 409 and "version" in stale.json()["errors"]
    assert Report.objects.get(uid=uid).costs == "$41,000"

    assert api.as_user(aar.reader).patch(f"/aars/{uid}", {"version": version + 1, "costs": "x"}).status_code == 403
    assert api.as_user(aar.next_unit).post(f"/events/{aar.event.uid}/aar", {}).status_code in (400, 403)
    assert writer.post(f"/aars/{uid}/approve", {"version": version + 1}).status_code == 403
    early = api.as_user(aar.unit).post(f"/aars/{uid}/approve", {"version": version + 1})
    assert early.status_code == 400 and "status" in early.json()["errors"]
    blank = api.as_user(aar.unit).post(f"/aars/{uid}/return", {"comment": ""})
    assert blank.status_code == 422 and "comment" in blank.json()["errors"]
    assert writer.post(f"/events/{aar.event.uid}/aar", {}).status_code == 400  # one AAR per event

    nowhere = uuid.uuid4()
    for path in (f"/aars/{nowhere}", f"/observations/{nowhere}", f"/channel-items/{nowhere}", f"/events/{nowhere}/aar"):
        assert writer.get(path).status_code == 404, path
    assert writer.post(f"/events/{nowhere}/aar", {}).status_code == 404
    assert writer.post(f"/aars/{nowhere}/submit", {}).status_code == 404
    assert writer.get(f"/events/{aar.next_event.uid}/aar").status_code == 404  # not started
    assert Report.objects.get(uid=uid).version == version + 1


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"claim": "TCP-O9"}, 400, "claim"),
        ({"partner_unit": "2-2 SBCT"}, 400, "partner_unit"),
        ({"partner_unit": "Nobody"}, 400, "partner_unit"),
        ({"analysis": {"five_whys": "one"}}, 422, "analysis.five_whys"),
        ({"analysis": {"fishbone": []}}, 422, "analysis.fishbone"),
        ({"analysis": ["x"]}, 422, "analysis"),
        ({"analysis": {"five_whys": ["a", "b", "c", "d", "e", "f"]}}, 422, "analysis.five_whys"),
        ({"analysis": {"assumptions": [{"assumption": "x"}]}}, 422, "analysis.assumptions.0.held"),
        ({"analysis": {"assumptions": [{"assumption": "x", "held": "yes"}]}}, 422, "analysis.assumptions.0.held"),
        ({"analysis": {"assumptions": [{"assumption": " ", "held": True}]}}, 400, "analysis"),
        ({"dotmlpfp": "FISHING"}, 422, "dotmlpfp"),
        ({"title": ""}, 422, "title"),
        ({"markings": "SECRET"}, 400, "markings"),
    ],
)
def test_bad_observations_get_field_messages(aar, api, body, status, field):
    writer = api.as_user(aar.writer)
    uid = writer.post(f"/events/{aar.event.uid}/aar", {}).json()["uid"]
    response = writer.post(f"/aars/{uid}/observations", {"title": "X", "observation": "Y", **body})
    assert response.status_code == status, response.json()
    assert field in response.json()["errors"], response.json()
    assert not Observation.objects.exists()


def test_an_observation_patch_clears_and_refuses_what_it_must(aar, api):
    writer = api.as_user(aar.writer)
    uid = writer.post(f"/events/{aar.event.uid}/aar", {}).json()["uid"]
    observation = writer.post(f"/aars/{uid}/observations", INTERPRETERS).json()
    path = f"/observations/{observation['uid']}"
    cleared = writer.patch(
        path, {"version": observation["version"], "partner_unit": None, "dotmlpfp": None, "analysis": None}
    )
    assert cleared.status_code == 200, cleared.json()
    assert cleared.json()["partner_unit"] is None and cleared.json()["dotmlpfp"] == ""
    assert cleared.json()["analysis"] == {"five_whys": [], "root_cause": "", "assumptions": []}
    untitled = writer.patch(path, {"version": cleared.json()["version"], "title": None})
    assert untitled.status_code == 400 and "title" in untitled.json()["errors"]
    assert writer.patch(path, {"version": observation["version"], "title": "stale"}).status_code == 409
    assert api.as_user(aar.desk).delete(path).status_code == 403
    # Once submitted, the report and its observations are the reviewer's to judge, not the author's to change.
    writer.post(f"/aars/{uid}/submit", {})
    locked = writer.patch(path, {"version": cleared.json()["version"], "title": "After submission"})
    assert locked.status_code == 400 and "status" in locked.json()["errors"]
    assert writer.delete(path).status_code == 400
    assert Observation.objects.get(uid=observation["uid"]).title == "Interpreters short"


def test_lessons_stages_refuse_what_is_missing_and_who_may_not(aar, api):
    report, observation = disseminated(aar)
    path = f"/observations/{observation.uid}/stage"
    desk = api.as_user(aar.desk)
    assert api.as_user(aar.writer).post(path, {"stage": "VALIDATED"}).status_code == 403
    skipped = desk.post(path, {"stage": "LESSON"})
    assert skipped.status_code == 400 and "validated issue" in skipped.json()["errors"]["stage"][0]
    assert desk.post(path, {"stage": "WISDOM"}).status_code == 422
    assert desk.post(path, {"version": observation.version, "stage": "VALIDATED"}).status_code == 200
    bare = desk.post(path, {"stage": "LESSON"})
    assert bare.status_code == 400 and "corrective_action" in bare.json()["errors"]
    nobody = desk.post(path, {"stage": "LESSON", "corrective_action": "x", "action_owner": "Nobody"})
    assert nobody.status_code == 400 and "action_owner" in nobody.json()["errors"]
    stale = desk.post(path, {"version": observation.version, "stage": "DISMISSED"})
    assert stale.status_code == 409
    assert Observation.objects.get(pk=observation.pk).stage == "VALIDATED"
    # An action is reached through its own report only.
    elsewhere = services.add_action(actor=aar.admin, report=_draft(aar), text="t", owner=aar.bct, due=date(2026, 1, 1))
    assert api.post(f"/aars/{report.uid}/actions/{elsewhere.pk}/done", {"done": True}).status_code == 404
    assert api.post(f"/aars/{report.uid}/actions/0/done", {"done": True}).status_code == 422


def _draft(w) -> Report:
    Event.objects.filter(pk=w.next_event.pk).update(status=Event.Status.COMPLETED)
    return services.start(actor=w.admin, event=Event.objects.get(pk=w.next_event.pk))


def test_channel_items_are_listed_and_closed_by_their_carriers(aar, api):
    disseminated(aar, criticality="CRITICAL", channel="ACCESS_BLOCKER")
    sco = api.as_user(aar.sco)
    listed = sco.get("/channel-items", open="true").json()
    assert listed["count"] == 1
    [item] = listed["items"]
    assert item["channel"] == "ACCESS_BLOCKER" and item["criticality"] == "CRITICAL" and item["open"]
    assert item["event"] == "EVT-2025-HG" and item["title"] == "Interpreters short"
    assert sco.get("/channel-items", channel="LESSON").json()["count"] == 0
    path = f"/channel-items/{item['uid']}/close"
    assert api.as_user(aar.writer).post(path, {"closure": "Done"}).status_code == 403
    assert sco.post(path, {"closure": "   "}).status_code == 400
    assert sco.post(path, {"version": item["version"] + 1, "closure": "Done"}).status_code == 409
    closed = sco.post(path, {"version": item["version"], "closure": "Customs pre-clearance agreed."})
    assert closed.status_code == 200, closed.json()
    assert not closed.json()["open"] and closed.json()["closed_by"] == "sco"
    assert sco.post(path, {"closure": "Again"}).status_code == 400
    assert sco.get("/channel-items", open="false").json()["count"] == 1
    assert sco.get("/channel-items", open="true").json()["count"] == 0
    observation = sco.get(f"/observations/{item['observation']}").json()
    assert observation["channel_item"] == item["uid"]


def test_lists_of_reports_and_what_is_overdue(aar, api):
    due = aar.event.end_date + timedelta(days=30)
    late = api.get("/aars/overdue", on=str(due + timedelta(days=3))).json()
    assert [(line["event_code"], line["report"], line["days_late"]) for line in late] == [("EVT-2025-HG", None, 3)]
    assert api.get("/aars/overdue", on=str(due)).json() == []
    report = services.start(actor=aar.writer, event=aar.event)
    [line] = api.get("/aars/overdue", on=str(due + timedelta(days=3)), unit="USARPAC").json()
    assert line["report"] == str(report.uid) and line["status"] == "DRAFT"
    assert api.get("/aars/overdue", on=str(due + timedelta(days=3)), unit="3-25 IBCT").json() == []
    assert api.get("/aars/overdue", unit="Nobody").status_code == 400

    listed = api.get("/aars").json()
    assert listed["count"] == 1 and listed["items"][0]["uid"] == str(report.uid)
    # The exercise ended in 2025: its AAR is long overdue by now.
    assert listed["items"][0]["overdue"] and api.get("/aars", overdue="true").json()["count"] == 1
    assert api.get("/aars", overdue="false").json()["count"] == 0
    assert api.get("/aars", unit="USARPAC").json()["count"] == 1  # the command sees its units' reports
    assert api.get("/aars", unit="3-25 IBCT").json()["count"] == 0
    assert api.get("/aars", status="SUBMITTED").json()["count"] == 0
    assert api.get("/aars", status="LOST").status_code == 422
    unassigned = services.start(actor=aar.admin, event=_completed(aar.orphan))  # no executing unit named
    listed = {item["uid"]: item for item in api.get("/aars").json()["items"]}
    page = api.get("/aars", page_size=1, page=2).json()
    assert page["count"] == 2 and [item["uid"] for item in page["items"]] == [str(report.uid)]  # by due date
    assert listed[str(unassigned.uid)]["executing_unit"] is None
    assert api.get(f"/aars/{unassigned.uid}").json()["executing_unit"] is None


def test_search_narrows_by_facets_and_counts_them(aar, api):
    disseminated(
        aar,
        discussion="The request missed the deadline because the reconnaissance skipped staff sections.",
        partner_unit=aar.rta,
        dotmlpfp="PERSONNEL",
        objective_type="CAP",
    )
    hits = api.get("/search", q="reconnaissance").json()
    assert [(h["kind"], h["title"], h["country"]) for h in hits] == [("observation", "Interpreters short", "THA")]
    assert set(hits[0]) == {"kind", "title", "path", "country", "snippet"}
    narrowed = {"dotmlpfp": "PERSONNEL", "year": 2025, "partner": "RTA Cav Ctr", "event_type": "FTX", "country": "tha"}
    assert len(api.get("/search", q="reconnaissance", kind="observation", objective_type="CAP", **narrowed).json()) == 1
    assert api.get("/search", q="reconnaissance", dotmlpfp="TRAINING").json() == []
    assert api.get("/search", q="reconnaissance", year=2026).json() == []
    assert api.get("/search", q="reconnaissance", dotmlpfp="FISHING").status_code == 422

    facets = api.get("/search/facets", q="reconnaissance").json()
    assert facets["dotmlpfp"] == [{"value": "PERSONNEL", "count": 1}]
    assert facets["year"] == [{"value": "2025", "count": 1}]
    assert facets["partner"] == [{"value": "RTA Cav Ctr", "count": 1}]
    assert facets["kind"] == [{"value": "observation", "count": 1}]
    assert set(facets) == {"kind", "country", "year", "event_type", "objective_type", "dotmlpfp", "partner"}
    assert api.get("/search/facets", q="reconnaissance", dotmlpfp="TRAINING").json()["dotmlpfp"] == []
    assert all(values == [] for values in api.get("/search/facets", q="!!!").json().values())


def test_lessons_are_found_by_words_or_listed_newest_first(aar, api):
    report, observation = disseminated(
        aar, discussion="The reconnaissance skipped staff sections.", dotmlpfp="PERSONNEL", partner_unit=aar.rta
    )
    draft = services.start(actor=aar.admin, event=_completed(aar.orphan))
    services.add_observation(
        actor=aar.admin, report=draft, fields={"title": "Unpublished", "observation": "A reconnaissance draft."}
    )
    found = api.get("/lessons", q="reconnaissance").json()
    assert [(lesson["uid"], lesson["event"]) for lesson in found] == [(str(observation.uid), "EVT-2025-HG")]
    assert "reconnaissance" in found[0]["snippet"].lower()
    assert api.get("/lessons", q="reconnaissance", dotmlpfp="TRAINING").json() == []
    assert api.get("/lessons", q="reconnaissance", stage="LESSON").json() == []
    newest = api.get("/lessons").json()
    assert [lesson["title"] for lesson in newest] == ["Interpreters short"]  # drafts are not lessons yet
    assert newest[0]["snippet"] == "" and newest[0]["partner_unit"] == "RTA Cav Ctr"
    assert api.get("/lessons", partner="RTA Cav Ctr", year=2025, country="THA").json()[0]["uid"] == str(observation.uid)
    assert api.get("/lessons", country="PHL").json() == []
    assert api.get("/lessons", page=2).json() == []


def _completed(event: Event) -> Event:
    Event.objects.filter(pk=event.pk).update(status=Event.Status.COMPLETED)
    return Event.objects.get(pk=event.pk)


def test_relevant_lessons_for_the_next_iteration(aar, api):
    _, observation = disseminated(aar)
    assert api.get("/lessons/relevant", event=str(aar.next_event.uid)).json() == []  # not validated yet
    services.advance(actor=aar.desk, observation=observation, stage="VALIDATED", version=observation.version)
    [relevant] = api.get("/lessons/relevant", event=str(aar.next_event.uid)).json()
    assert relevant["lesson"]["uid"] == str(observation.uid) and relevant["lesson"]["stage"] == "VALIDATED"
    assert relevant["why"] == "Earlier iteration of Hanuman Guardian"
    assert api.get("/lessons/relevant", event=str(uuid.uuid4())).status_code == 404
    assert api.get("/lessons/relevant").status_code == 422


def test_recurring_issues_across_events(aar, api):
    for event in (aar.event, aar.next_event):
        report = services.start(actor=aar.admin, event=_completed(event))
        services.add_observation(
            actor=aar.admin,
            report=report,
            fields={
                "title": f"Interpreter shortage at {event.code}",
                "observation": "Too few interpreters.",
                "partner_unit": aar.rta,
                "dotmlpfp": "PERSONNEL",
                "objective_type": "CAP",
            },
        )
        services.submit(actor=aar.admin, report=report, version=report.version)
        services.approve(actor=aar.admin, report=report, version=report.version)
    [pattern] = api.get("/lessons/recurring").json()
    assert (pattern["partner_unit"], pattern["dotmlpfp"], pattern["objective_type"], pattern["events"]) == (
        "RTA Cav Ctr",
        "PERSONNEL",
        "CAP",
        2,
    )
    assert [o["event"] for o in pattern["observations"]] == ["EVT-2026-HG", "EVT-2025-HG"]
    assert api.get("/lessons/recurring", min_events=3).json() == []
    first = Observation.objects.get(report__event=aar.event)
    assert [o["event"] for o in api.get(f"/observations/{first.uid}/recurring").json()] == ["EVT-2026-HG"]


def test_disseminating_again_reaches_a_unit_tasked_since(aar, api):
    report, _ = disseminated(aar)
    later = make_user("later", "executor", aar.next_bct)
    reviewer = api.as_user(aar.unit)
    assert api.as_user(aar.writer).post(f"/aars/{report.uid}/disseminate", {}).status_code == 403
    again = reviewer.post(f"/aars/{report.uid}/disseminate", {})
    assert again.status_code == 200 and again.json()["status"] == "DISSEMINATED"
    assert Delivery.objects.filter(record_uid=report.uid, recipient=later).count() == 1
    refused = api.post(f"/aars/{_draft(aar).uid}/disseminate", {})
    assert refused.status_code == 400 and "status" in refused.json()["errors"]
