"""The web pages of AARs and lessons: every page for readers and writers, forms that keep input and show errors in
place, the live score, the review workflow, permissions, the lessons finder and its exports, documents, import."""

import csv
import io
import json
from datetime import date

import docx
import pytest
from openpyxl import load_workbook

from goldthread.aars import services
from goldthread.aars.models import Action, ChannelItem, Observation, Report
from goldthread.core.catalogues import Echelon
from goldthread.core.models import AuditEntry
from goldthread.delivery.models import Delivery
from goldthread.events.models import Event
from goldthread.reports import aar_document
from goldthread.reports.word import render as render_docx
from goldthread.strategy.models import Organization

from .conftest import make_user


def as_user(client, user):
    client.force_login(user)
    return client


def started(w) -> Report:
    return services.start(actor=w.writer, event=w.event)


def fresh(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


def interpreters(w, report: Report, **fields) -> Observation:
    return services.add_observation(
        actor=w.writer,
        report=report,
        fields={
            "title": "Interpreters short",
            "observation": "Two interpreters for a brigade staff.",
            "discussion": "The request missed the deadline because the reconnaissance skipped staff sections.",
            "recommendation": "Ask for one interpreter per staff section at the IPC.",
            "partner_unit": w.rta,
            "dotmlpfp": "PERSONNEL",
            "objective_type": "CAP",
            **fields,
        },
    )


@pytest.fixture
def disseminated(aar):
    """A report approved and disseminated, with an improve item, a critical access blocker and a follow-up action."""
    report = started(aar)
    aar.observation = interpreters(aar, report)
    aar.blocker = services.add_observation(
        actor=aar.writer,
        report=report,
        fields={
            "title": "Customs held the vehicles",
            "observation": "Vehicles held 9 days at Laem Chabang.",
            "criticality": Observation.Criticality.CRITICAL,
            "channel": Observation.Channel.ACCESS_BLOCKER,
        },
    )
    aar.action = services.add_action(
        actor=aar.writer, report=report, text="Budget interpreters", owner=aar.usarpac, due=date(2026, 3, 1)
    )
    services.submit(actor=aar.writer, report=report, version=report.version)
    services.approve(actor=aar.unit, report=report, version=report.version)
    aar.report = fresh(report)
    aar.item = ChannelItem.objects.get()
    return aar


def review_data(report: Report, **typed) -> dict:
    """The edit form as a browser posts it: every field, with what is stored unless `typed` says otherwise."""
    data = {"version": report.version}
    for name in services.REPORT_FIELDS:
        value = getattr(report, name)
        data[name] = "" if value is None else str(value)
    for review in report.reviews.all():
        for name in services.REVIEW_FIELDS:
            data[f"claim-{review.claim_id}-{name}"] = getattr(review, name)
    data.update(typed)
    return data


OBSERVATION = {
    "title": "Late translation",
    "finding": "IMPROVE",
    "observation": "Orders arrived in English only.",
    "discussion": "",
    "recommendation": "",
    "objective_type": "",
    "indicator": "",
    "dotmlpfp": "",
    "criticality": "ROUTINE",
    "channel": "NONE",
    "markings": "",
}


# --- pages --------------------------------------------------------------------------------------------------------


def test_every_page_renders_for_a_reader_without_write_controls(client, disseminated):
    w = disseminated
    as_user(client, w.reader)
    pages = {
        "/aars/": "EVT-2025-HG",
        f"/aars/{w.report.uid}/": "Interpreters short",
        f"/observations/{w.observation.uid}/": "reconnaissance skipped staff sections",
        "/channel-items/": "Customs held the vehicles",
        f"/channel-items/{w.item.uid}/": "Laem Chabang",
        "/lessons/": "Lessons",
        "/lessons/?q=interpreters": "Interpreters short",
        f"/events/{w.event.uid}/": "Read the after-action report",
        f"/events/{w.next_event.uid}/aar/": "An AAR is written once the event is executing",
    }
    for path, text in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert text in html, path
        for control in ("Edit the report", "Submit for review", "Approve and disseminate", "Move it on", "Close it"):
            assert control not in html, f"{path} shows {control!r} to a reader"
    assert client.get(f"/events/{w.event.uid}/aar/")["Location"] == f"/aars/{w.report.uid}/"


def test_every_page_renders_for_the_roles_that_write(client, aar):
    report = started(aar)
    observation = interpreters(aar, report)
    as_user(client, aar.writer)
    for path in (
        "/aars/",
        f"/aars/{report.uid}/",
        f"/aars/{report.uid}/edit/",
        f"/aars/{report.uid}/observations/new/",
        f"/observations/{observation.uid}/",
        f"/observations/{observation.uid}/edit/",
        f"/events/{aar.event.uid}/aar/import/",
        f"/events/{aar.event.uid}/",
    ):
        assert client.get(path).status_code == 200, path
    html = client.get(f"/aars/{report.uid}/").content.decode()
    assert "Edit the report" in html and "Add an observation" in html and "Submit for review" in html
    assert "Approve and disseminate" not in html  # an executor writes; a reviewer approves
    services.submit(actor=aar.writer, report=report, version=report.version)
    html = as_user(client, aar.unit).get(f"/aars/{report.uid}/").content.decode()
    assert "Return with comment" in html and "Approve and disseminate" in html
    assert "Waiting for your review" in client.get("/aars/").content.decode()


def test_the_report_page_shows_every_part_of_the_report(client, disseminated):
    w = disseminated
    html = as_user(client, w.unit).get(f"/aars/{w.report.uid}/").content.decode()
    for text in (
        "Objectives: planned, actual, why",
        "CSP-THA-2.1",
        "Combined HADR staff plan produced",  # what was planned, pre-filled from the claim
        "Plan quality rubric",
        "Relationships",
        "Partner capability",
        "Interoperability",
        "Access",
        "Administrative friction",
        "Costs",
        "Improve (2)",
        "Sustain (0)",
        "partner: RTA Cav Ctr",
        "Personnel",
        "Budget interpreters",
        "Critical content:",
        "Deliveries",
        "Country desk officer",  # why each recipient has it
        "Next iteration of Hanuman Guardian",
        "Routed to channels",
        "Disseminate again",
        f"/aars/{w.report.uid}.docx",
        f"/aars/{w.report.uid}.pdf",
    ):
        assert text in html, text


# --- permissions --------------------------------------------------------------------------------------------------


def test_a_reader_is_refused_every_write_and_nothing_changes(client, disseminated):
    w = disseminated
    as_user(client, w.reader)
    before = AuditEntry.objects.count()
    report, observation, item = w.report, w.observation, w.item
    posts = [
        f"/events/{w.next_event.uid}/aar/start/",
        f"/events/{w.next_event.uid}/aar/import/",
        f"/aars/{report.uid}/edit/",
        f"/aars/{report.uid}/score/",
        f"/aars/{report.uid}/submit/",
        f"/aars/{report.uid}/return/",
        f"/aars/{report.uid}/approve/",
        f"/aars/{report.uid}/disseminate/",
        f"/aars/{report.uid}/actions/",
        f"/aars/{report.uid}/actions/done/",
        f"/aars/{report.uid}/observations/new/",
        f"/observations/{observation.uid}/edit/",
        f"/observations/{observation.uid}/remove/",
        f"/observations/{observation.uid}/advance/",
        f"/channel-items/{item.uid}/close/",
    ]
    for path in posts:
        response = client.post(path, {"version": 1, "comment": "x", "closure": "x", "stage": "VALIDATED"})
        assert response.status_code == 403, path
    for path in (f"/aars/{report.uid}/edit/", f"/aars/{report.uid}/observations/new/"):
        assert client.get(path).status_code == 403, path
    assert AuditEntry.objects.count() == before
    assert Observation.objects.filter(pk=observation.pk, stage="OBSERVED").exists()
    assert ChannelItem.objects.get(pk=item.pk).closed_at is None


def test_writers_outside_the_executing_unit_are_refused(client, aar):
    other = Organization.objects.create(name="Other brigade", short_name="Other", echelon=Echelon.BRIGADE)
    outsider = make_user("outsider", "executor", other)
    report = started(aar)
    as_user(client, outsider)
    assert "Edit the report" not in client.get(f"/aars/{report.uid}/").content.decode()
    assert client.post(f"/aars/{report.uid}/edit/", review_data(report, summary="Not mine")).status_code == 403
    assert fresh(report).summary == ""


# --- starting and editing -----------------------------------------------------------------------------------------


def test_the_writer_starts_the_aar_from_the_event_and_lands_in_the_editor(client, aar):
    as_user(client, aar.writer)
    html = client.get(f"/events/{aar.event.uid}/").content.decode()
    assert "Start the AAR" in html and "overdue" in html  # the event ended long ago
    assert "Start the AAR" in client.get(f"/events/{aar.event.uid}/aar/").content.decode()
    response = client.post(f"/events/{aar.event.uid}/aar/start/")
    report = Report.objects.get(event=aar.event)
    assert response.status_code == 302 and response["Location"] == f"/aars/{report.uid}/edit/"
    editor = client.get(response["Location"]).content.decode()
    assert "Combined HADR staff plan produced" in editor  # pre-filled from the claim
    assert f'hx-post="/aars/{report.uid}/score/"' in editor
    assert 'Critical content: <strong id="score-total">0</strong>/100' in editor
    again = client.post(f"/events/{aar.event.uid}/aar/start/", follow=True)
    assert b"already has an AAR" in again.content
    assert Report.objects.count() == 1


def test_an_aar_cannot_be_started_before_the_event_is_executed(client, aar):
    as_user(client, aar.next_unit)
    assert "Start the AAR" not in client.get(f"/events/{aar.next_event.uid}/aar/").content.decode()
    follow = client.post(f"/events/{aar.next_event.uid}/aar/start/", follow=True)
    assert b"once it is executing" in follow.content
    assert not Report.objects.exists()


def test_saving_the_editor_writes_the_report_and_its_reviews_and_the_score_rises(client, aar):
    report = started(aar)
    as_user(client, aar.writer)
    claim = aar.claim.pk
    response = client.post(
        f"/aars/{report.uid}/edit/",
        review_data(
            report,
            summary="Staff planning went well.",
            hotwash_held="2025-07-05",
            capability="RTA staff planned to standard on day 3.",
            **{f"claim-{claim}-happened": "Plan produced on day 4", f"claim-{claim}-why": "Translation delays"},
        ),
    )
    assert response.status_code == 302 and response["Location"] == f"/aars/{report.uid}/"
    saved = fresh(report)
    assert saved.summary == "Staff planning went well." and saved.hotwash_held == date(2025, 7, 5)
    review = saved.reviews.get()
    assert review.happened == "Plan produced on day 4" and "Combined HADR" in review.planned
    assert saved.score > report.score
    page = client.get(response["Location"]).content.decode()
    assert f"Saved. Critical content: {saved.score}/100." in page
    assert AuditEntry.objects.filter(action="aar.changed", actor=aar.writer).exists()


def test_the_editor_shows_field_errors_in_place_and_keeps_the_input(client, aar):
    report = started(aar)
    as_user(client, aar.writer)
    response = client.post(
        f"/aars/{report.uid}/edit/",
        review_data(report, summary="Kept summary", hotwash_held="the day after", costs="x" * 20_001),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kept summary" in html
    assert 'id="id_hotwash_held_error"' in html and "Enter a valid date." in html
    assert 'id="id_costs_error"' in html
    above = client.post(f"/aars/{report.uid}/edit/", review_data(report, summary="Kept again", markings="TOP SECRET"))
    assert above.status_code == 400
    assert 'id="id_markings_error"' in above.content.decode() and "Kept again" in above.content.decode()
    assert fresh(report).summary == "" and fresh(report).version == report.version


def test_a_stale_version_gives_the_conflict_message_and_keeps_the_input(client, aar):
    report = started(aar)
    as_user(client, aar.writer)
    assert f'name="version" value="{report.version}"' in client.get(f"/aars/{report.uid}/edit/").content.decode()
    services.update(actor=aar.unit, report=report, version=report.version, fields={"costs": "USD 40k"})
    stale = review_data(report, version=report.version - 1, summary="My summary")
    response = client.post(f"/aars/{report.uid}/edit/", stale)
    assert response.status_code == 400
    html = response.content.decode()
    assert "was changed by someone else since you opened it" in html and "My summary" in html
    assert fresh(report).summary == "" and fresh(report).costs == "USD 40k"


def test_the_score_fragment_scores_what_is_typed_without_saving_it(client, aar):
    report = started(aar)
    as_user(client, aar.writer)
    claim = aar.claim.pk
    stored = client.post(f"/aars/{report.uid}/score/", review_data(report)).content.decode()
    assert 'Critical content: <strong id="score-total">0</strong>/100' in stored
    assert "Write the partner capability section." in stored
    typed = client.post(
        f"/aars/{report.uid}/score/",
        review_data(
            report,
            capability="RTA staff planned to standard.",
            **{f"claim-{claim}-happened": "Plan on day 4", f"claim-{claim}-why": "Translation"},
        ),
        headers={"HX-Request": "true"},
    )
    assert typed.status_code == 200
    html = typed.content.decode()
    assert html.lstrip().startswith('<div id="score"')  # a fragment for the panel, not a page
    assert 'Critical content: <strong id="score-total">40</strong>/100' in html
    assert "Write the partner capability section." not in html and "Scored as typed" in html
    unchanged = fresh(report)
    assert unchanged.version == report.version and unchanged.capability == "" and unchanged.score == 0
    assert not unchanged.reviews.get().happened


def test_a_submitted_report_is_not_edited(client, aar):
    report = started(aar)
    services.submit(actor=aar.writer, report=report, version=report.version)
    as_user(client, aar.writer)
    response = client.get(f"/aars/{report.uid}/edit/", follow=True)
    assert b"can be changed only as a draft" in response.content
    posted = client.post(f"/aars/{fresh(report).uid}/edit/", review_data(fresh(report), summary="Late change"))
    assert posted.status_code == 400 and b"can be changed only as a draft" in posted.content
    assert fresh(report).summary == ""


# --- observations -------------------------------------------------------------------------------------------------


def test_an_observation_is_added_with_its_tags_and_root_cause_work(client, aar):
    report = started(aar)
    as_user(client, aar.writer)
    form = client.get(f"/aars/{report.uid}/observations/new/").content.decode()
    assert "four AAR questions" in form and "routed to it when the AAR is approved" in form
    assert "CSP-THA-2.1" in form and "RTA Cav Ctr" in form and "2-2 SBCT (" not in form  # partner units only
    response = client.post(
        f"/aars/{report.uid}/observations/new/",
        {
            **OBSERVATION,
            "claim": aar.claim.pk,
            "partner_unit": aar.rta.pk,
            "recommendation": "Budget a translator.",
            "why_1": "Orders were late",
            "why_2": "Translation was late",
            "root_cause": "No translator budgeted",
            "assumption_1": "RTA staff read English orders",
            "held_1": "no",
            "evidence_1": "They asked for Thai",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/aars/{report.uid}/#observations"
    observation = Observation.objects.get()
    assert observation.claim == aar.claim and observation.objective_type == "CAP"  # taken from the claim
    assert observation.indicator == "Plan quality rubric" and observation.partner_unit == aar.rta
    assert observation.analysis == {
        "five_whys": ["Orders were late", "Translation was late"],
        "root_cause": "No translator budgeted",
        "assumptions": [
            {"assumption": "RTA staff read English orders", "held": False, "evidence": "They asked for Thai"}
        ],
    }
    page = client.get(f"/observations/{observation.uid}/").content.decode()
    assert "No translator budgeted" in page and "did not hold" in page and "Translation was late" in page


def test_the_observation_form_shows_errors_in_place_and_keeps_the_input(client, aar):
    report = started(aar)
    other_claim = aar.orphan.claims.create(objective=aar.rel, objective_type="REL", expected_change="Ties")
    as_user(client, aar.writer)
    response = client.post(
        f"/aars/{report.uid}/observations/new/",
        {
            **OBSERVATION,
            "title": "",
            "observation": "Kept observation text",
            "claim": other_claim.pk,
            "partner_unit": aar.bct.pk,
            "assumption_1": "The range is free",
            "evidence_2": "Evidence without an assumption",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kept observation text" in html and "The range is free" in html
    for field in ("title", "claim", "partner_unit", "held_1", "assumption_2"):
        assert f'id="id_{field}_error"' in html or f'<td class="invalid"><label for="id_{field}"' in html, field
    assert "Say whether the assumption held." in html and "Write the assumption, or clear the row." in html
    assert not Observation.objects.exists()


def test_an_observation_is_edited_and_removed_and_keeps_every_assumption(client, aar):
    report = started(aar)
    rows = [{"assumption": f"Assumption {n}", "held": n % 2 == 0, "evidence": f"E{n}"} for n in range(1, 6)]
    observation = services.add_observation(
        actor=aar.writer,
        report=report,
        fields={"title": "Range", "observation": "Booked late.", "analysis": {"assumptions": rows}},
    )
    as_user(client, aar.writer)
    form = client.get(f"/observations/{observation.uid}/edit/").content.decode()
    assert 'value="Assumption 5"' in form  # more rows than the blank form offers: none is dropped
    data = {**OBSERVATION, "title": "Range booked late", "observation": "Booked late.", "version": observation.version}
    for n, row in enumerate(rows, 1):
        data.update({f"assumption_{n}": row["assumption"], f"held_{n}": "yes" if row["held"] else "no"})
        data[f"evidence_{n}"] = row["evidence"]
    response = client.post(f"/observations/{observation.uid}/edit/", data)
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.title == "Range booked late" and observation.analysis["assumptions"] == rows
    stale = client.post(f"/observations/{observation.uid}/edit/", {**data, "version": 1, "title": "Stale"})
    assert stale.status_code == 400 and b"changed by someone else" in stale.content
    assert client.post(f"/observations/{observation.uid}/remove/").status_code == 302
    assert not Observation.objects.exists()


# --- workflow -----------------------------------------------------------------------------------------------------


def test_submit_return_with_a_comment_resubmit_and_approve_through_the_pages(client, aar):
    report = started(aar)
    as_user(client, aar.writer)
    client.post(f"/aars/{report.uid}/submit/", {"version": report.version})
    assert fresh(report).status == Report.Status.SUBMITTED

    as_user(client, aar.unit)
    silent = client.post(f"/aars/{report.uid}/return/", {"version": fresh(report).version, "comment": " "})
    assert silent.status_code == 400
    assert 'id="id_comment_error"' in silent.content.decode() and b"what the author should change" in silent.content
    stale = client.post(f"/aars/{report.uid}/return/", {"version": 1, "comment": "Kept comment"})
    assert stale.status_code == 400 and b"changed by someone else" in stale.content and b"Kept comment" in stale.content
    client.post(f"/aars/{report.uid}/return/", {"version": fresh(report).version, "comment": "Address access."})
    assert fresh(report).status == Report.Status.RETURNED

    as_user(client, aar.writer)
    html = client.get(f"/aars/{report.uid}/").content.decode()
    assert "Reviewer comments" in html and "Address access." in html and "Submit for review again" in html
    client.post(f"/aars/{report.uid}/submit/", {"version": fresh(report).version})

    as_user(client, aar.unit)
    response = client.post(
        f"/aars/{report.uid}/approve/", {"version": fresh(report).version, "comment": ""}, follow=True
    )
    assert b"Approved and disseminated: sent to" in response.content
    assert fresh(report).status == Report.Status.DISSEMINATED

    # The desk officer finds it in the inbox, with why it was sent.
    inbox = as_user(client, aar.desk).get("/inbox/").content.decode()
    assert "After-action report, EVT-2025-HG" in inbox and "Country desk officer" in inbox
    client.get(f"/aars/{report.uid}/")  # reading it marks the delivery read
    assert Delivery.objects.get(recipient=aar.desk, record_uid=report.uid).read is not None


def test_a_second_dissemination_reaches_those_who_joined_since(client, disseminated):
    w = disseminated
    later = make_user("later", "executor", w.next_bct)
    follow = as_user(client, w.unit).post(f"/aars/{w.report.uid}/disseminate/", follow=True)
    assert b"Disseminated again: 1 new recipient." in follow.content
    assert Delivery.objects.filter(record_uid=w.report.uid, recipient=later).exists()


def test_follow_up_actions_are_added_and_ticked_done(client, aar):
    report = started(aar)
    as_user(client, aar.writer)
    missing = client.post(f"/aars/{report.uid}/actions/", {"text": "Kept action", "owner": aar.usarpac.pk, "due": ""})
    assert missing.status_code == 400
    assert 'id="id_due_error"' in missing.content.decode() and b"Kept action" in missing.content
    client.post(
        f"/aars/{report.uid}/actions/", {"text": "Budget interpreters", "owner": aar.usarpac.pk, "due": "2026-03-01"}
    )
    action = Action.objects.get()
    assert action.owner == aar.usarpac and not action.done
    client.post(f"/aars/{report.uid}/actions/done/", {"action": action.pk, "done": "1"})
    assert Action.objects.get().done
    client.post(f"/aars/{report.uid}/actions/done/", {"action": action.pk, "done": "0"})
    assert not Action.objects.get().done
    assert client.post(f"/aars/{report.uid}/actions/done/", {"action": "nope"}).status_code == 404


# --- lessons, channels --------------------------------------------------------------------------------------------


def test_the_lessons_lifecycle_is_worked_on_the_observation_page(client, disseminated):
    w = disseminated
    as_user(client, w.desk)
    page = client.get(f"/observations/{w.observation.uid}/").content.decode()
    assert "Move it on" in page and "Validated issue" in page
    client.post(f"/observations/{w.observation.uid}/advance/", {"version": w.observation.version, "stage": "VALIDATED"})
    observation = Observation.objects.get(pk=w.observation.pk)
    assert observation.stage == "VALIDATED"
    refused = client.post(
        f"/observations/{observation.uid}/advance/",
        {"version": observation.version, "stage": "LESSON", "resolution": "Kept resolution"},
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'id="id_corrective_action_error"' in html and "needs its corrective action" in html
    assert "Kept resolution" in html
    client.post(
        f"/observations/{observation.uid}/advance/",
        {
            "version": observation.version,
            "stage": "LESSON",
            "corrective_action": "Budget interpreters",
            "action_owner": w.usarpac.pk,
            "action_due": "2026-03-01",
        },
    )
    observation.refresh_from_db()
    assert observation.stage == "LESSON" and observation.action_owner == w.usarpac
    # The next iteration's page lists it as a lesson to read, and why.
    html = as_user(client, w.next_unit).get(f"/events/{w.next_event.uid}/").content.decode()
    assert (
        "Relevant lessons" in html and "Interpreters short" in html and "Earlier iteration of Hanuman Guardian" in html
    )


def test_a_channel_item_is_listed_and_closed(client, disseminated):
    w = disseminated
    as_user(client, w.sco)
    assert (
        "Customs held the vehicles" in client.get("/channel-items/?state=open&channel=ACCESS_BLOCKER").content.decode()
    )
    assert "Customs held the vehicles" not in client.get("/channel-items/?state=closed").content.decode()
    assert "Customs held the vehicles" not in client.get("/channel-items/?channel=LESSON").content.decode()
    assert client.get("/channel-items/?state=nonsense&channel=%00").status_code == 200
    empty = client.post(f"/channel-items/{w.item.uid}/close/", {"version": w.item.version, "closure": ""})
    assert empty.status_code == 400 and 'id="id_closure_error"' in empty.content.decode()
    client.post(f"/channel-items/{w.item.uid}/close/", {"version": w.item.version, "closure": "Pre-clearance agreed."})
    item = ChannelItem.objects.get()
    assert item.closed_by == w.sco and item.closure == "Pre-clearance agreed."
    assert "Customs held the vehicles" in client.get("/channel-items/?state=closed").content.decode()
    assert "Close it" not in client.get(f"/channel-items/{item.uid}/").content.decode()
    # The writer is not a carrier of the channel: no close form, and a post is refused.
    as_user(client, w.writer)
    assert client.post(f"/channel-items/{item.uid}/close/", {"closure": "x"}).status_code == 403


def test_the_lessons_page_finds_by_word_and_narrows_by_facet(client, disseminated):
    w = disseminated
    as_user(client, w.reader)
    html = client.get("/lessons/", {"q": "reconnaissance"}).content.decode()
    assert "Interpreters short" in html and f"/observations/{w.observation.uid}/" in html
    assert "— EVT-2025-HG, improve, observation" in html
    assert "Personnel" in html and "FY2025" in html and "Thailand" in html and "RTA Cav Ctr" in html
    narrowed = client.get(
        "/lessons/", {"q": "reconnaissance", "dotmlpfp": "PERSONNEL", "year": "2025"}
    ).content.decode()
    assert "Interpreters short" in narrowed and "Narrowed to:" in narrowed
    assert (
        "Interpreters short"
        not in client.get("/lessons/", {"q": "reconnaissance", "dotmlpfp": "TRAINING"}).content.decode()
    )
    assert client.get("/lessons/", {"q": "reconnaissance", "year": "FY25"}).status_code == 200
    assert "Nothing matches" in client.get("/lessons/", {"q": "zeppelin"}).content.decode()


def test_without_words_the_lessons_page_shows_recurring_issues_and_the_newest_lessons(client, disseminated):
    w = disseminated
    services.advance(actor=w.desk, observation=w.observation, stage="VALIDATED", version=w.observation.version)
    html = as_user(client, w.reader).get("/lessons/").content.decode()
    assert "Recurring issues" in html and "Newest lessons" in html and "Interpreters short" in html
    assert "Export all 2 observations of approved AARs" in html


def test_lessons_export_as_csv_xlsx_and_json(client, disseminated):
    w = disseminated
    as_user(client, w.reader)
    response = client.get("/lessons/export.csv", {"q": "reconnaissance"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and "Interpreters short" in rows[1]
    workbook = load_workbook(io.BytesIO(client.get("/lessons/export.xlsx").content))
    text = [str(cell.value) for row in workbook.active.iter_rows() for cell in row if cell.value]
    assert "Interpreters short" in text and "Customs held the vehicles" in text
    exported = json.loads(client.get("/lessons/export.json").content)
    assert exported["format"] == "goldthread-lessons"
    assert {o["title"] for o in exported["observations"]} == {"Interpreters short", "Customs held the vehicles"}
    entries = AuditEntry.objects.filter(action="lessons.exported", actor=w.reader).order_by("id")
    assert [(e.changes["format"], e.changes["count"]) for e in entries] == [("csv", 1), ("xlsx", 2), ("json", 2)]
    assert client.get("/lessons/export.exe").status_code == 404


# --- documents ----------------------------------------------------------------------------------------------------


def test_the_report_downloads_as_word_and_pdf(client, disseminated):
    w = disseminated
    as_user(client, w.reader)
    word = client.get(f"/aars/{w.report.uid}.docx")
    assert word.status_code == 200 and 'filename="AAR-EVT-2025-HG.docx"' in word["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "Interpreters short" in text
    pdf = client.get(f"/aars/{w.report.uid}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/aars/{w.report.uid}.odt").status_code == 404
    assert AuditEntry.objects.filter(action="aar.exported", object_uid=w.report.uid).count() == 2


def test_a_legacy_word_document_is_imported_as_a_draft(client, aar):
    legacy = docx.Document()
    legacy.add_heading("Summary", level=1)
    legacy.add_paragraph("Hanuman Guardian went to plan.")
    legacy.add_heading("Access", level=1)
    legacy.add_paragraph("Country clearance took 41 days.")
    content = io.BytesIO()
    legacy.save(content)
    as_user(client, aar.writer)
    upload = io.BytesIO(content.getvalue())
    upload.name = "hg25-aar.docx"
    response = client.post(f"/events/{aar.event.uid}/aar/import/", {"file": upload})
    report = Report.objects.get(event=aar.event)
    assert response.status_code == 302 and response["Location"] == f"/aars/{report.uid}/edit/"
    assert "Hanuman Guardian went to plan." in report.summary and "41 days" in report.access
    assert report.status == Report.Status.DRAFT


def test_an_import_that_is_not_a_word_document_is_refused_in_the_form(client, aar, settings):
    as_user(client, aar.writer)
    fake = io.BytesIO(b"%PDF-1.7 not a word document")
    fake.name = "aar.docx"
    response = client.post(f"/events/{aar.event.uid}/aar/import/", {"file": fake})
    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode() and b"not a Word document" in response.content
    settings.ATTACHMENT_MAX_MB = 1
    big = io.BytesIO(b"PK\x03\x04" + b"\0" * (1024 * 1024 + 10))
    big.name = "big.docx"
    oversized = client.post(f"/events/{aar.event.uid}/aar/import/", {"file": big})
    assert oversized.status_code == 400 and b"the limit is 1 MB" in oversized.content
    assert not Report.objects.exists()


def test_a_generated_report_reads_back_through_the_import_page(client, disseminated):
    w = disseminated
    Event.objects.filter(pk=w.next_event.pk).update(status=Event.Status.COMPLETED)
    upload = io.BytesIO(render_docx(aar_document.document(w.report)))
    upload.name = "AAR-EVT-2025-HG.docx"
    response = as_user(client, w.next_unit).post(f"/events/{w.next_event.uid}/aar/import/", {"file": upload})
    assert response.status_code == 302
    imported = Report.objects.get(event=w.next_event)
    assert set(imported.observations.values_list("title", flat=True)) >= {"Interpreters short"}


# --- the list -----------------------------------------------------------------------------------------------------


def test_the_list_shows_reports_overdue_per_unit_and_command(client, aar, settings):
    started(aar)
    as_user(client, aar.reader)
    html = client.get("/aars/").content.decode()
    assert "EVT-2025-HG" in html and "overdue" in html
    assert "By unit and command" in html and "2-2 SBCT" in html and "USARPAC" in html
    assert "Waiting for your review" not in html
    assert "EVT-2025-HG" not in client.get("/aars/", {"status": "APPROVED"}).content.decode().split("<h2")[0]
    assert "1 report of USARPAC" in client.get("/aars/", {"unit": "USARPAC"}).content.decode()
    assert client.get("/aars/", {"unit": "\x00nope", "status": "<script>", "page": "x"}).status_code == 200


def test_an_event_not_started_shows_as_overdue_with_a_link_to_start_it(client, aar):
    html = as_user(client, aar.reader).get("/aars/").content.decode()
    overdue = html.split('id="h-overdue"')[1]
    assert f"/events/{aar.event.uid}/aar/" in overdue and "not started" in overdue


def test_hostile_text_in_a_report_is_shown_escaped(client, aar):
    payload = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    report = started(aar)
    services.update(actor=aar.writer, report=report, version=report.version, fields={"summary": payload})
    interpreters(aar, report, title=payload[:200], recommendation=payload)
    as_user(client, aar.writer)
    for path in (
        f"/aars/{report.uid}/",
        f"/aars/{report.uid}/edit/",
        f"/observations/{Observation.objects.get().uid}/",
    ):
        html = client.get(path).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
