"""A real headless Chromium logs in and follows an event up to the strategic goal it serves."""

import os
import shutil

import pytest
from playwright.sync_api import expect, sync_playwright

from .conftest import PASSWORD

pytestmark = pytest.mark.browser

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page():
    executable = shutil.which("chromium")
    assert executable, "the browser tests need Debian's chromium on PATH (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.console_errors = []
        page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
        yield page
        browser.close()


def test_log_in_and_follow_an_event_to_its_strategic_goal(transactional_db, world, live_server, page):
    page.goto(f"{live_server.url}/events/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("User name").fill("planner")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Events")).to_be_visible()
    expect(page.get_by_role("note", name="Classification").first).to_have_text("UNCLASSIFIED")

    page.get_by_label("Country").select_option("THA")  # htmx swaps the table in place
    expect(page.locator("#event-table")).not_to_contain_text("EVT-2025-KLE")
    page.get_by_role("link", name="EVT-2025-HG").click()

    expect(page.get_by_role("heading", name="Why are we doing this?")).to_be_visible()
    expect(page.locator(".diagram svg")).to_be_visible()
    page.locator(".chain").get_by_role("link", name="NAT-1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("A stable region of capable allies")
    expect(page.get_by_text("Nothing: this is a top-level goal.")).to_be_visible()
    expect(page.locator("table").filter(has_text="EVT-2025-HG")).to_be_visible()
    # The strict Content-Security-Policy blocked nothing the pages need (htmx, the diagram, the stylesheet).
    assert page.console_errors == []


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_planner_approves_a_conference_and_the_unit_finds_it_in_its_inbox(transactional_db, world, live_server, page):
    from datetime import date

    from goldthread.planning import services

    services.create_conference(
        actor=world.planner,
        event=world.event,
        kind="MPC",
        starts=date(2025, 2, 18),
        ends=date(2025, 2, 20),
        place="Lopburi",
    )
    log_in(page, live_server.url, "planner")
    page.goto(f"{live_server.url}/events/{world.event.uid}/")
    page.get_by_role("link", name="Main planning conference").click()
    expect(page.get_by_role("alert").filter(has_text="was not represented")).to_be_visible()
    page.get_by_role("button", name="Approve and deliver").click()
    expect(page.get_by_text("Approved and delivered: sent to 1, read by 0, acknowledged by 0")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, "unit")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    page.get_by_role("link", name="Main planning conference record").click()
    page.get_by_role("button", name="Acknowledge this record").click()
    expect(page.get_by_text("sent to 1, read by 1, acknowledged by 1")).to_be_visible()
    assert page.console_errors == []


def test_desk_officer_edits_a_stale_section_sees_the_diff_and_the_flag_clears(
    transactional_db, world, live_server, page
):
    from datetime import timedelta

    from django.utils import timezone

    from goldthread.folders import services
    from goldthread.folders.models import Section

    from .conftest import make_user

    desk = make_user("desk", "desk_officer", world.usarpac)
    desk.countries.set([world.tha])
    services.edit_section(
        actor=desk, country=world.tha, key="entry", version=None, text="Visa on arrival.\nAPACS 30 days.", reason="r"
    )
    Section.objects.filter(key="entry").update(last_verified=timezone.localdate() - timedelta(days=400))

    log_in(page, live_server.url, "desk")
    page.get_by_role("link", name="Folders").click()
    page.get_by_role("link", name="Thailand").click()
    expect(page.locator("#entry")).to_contain_text("stale: please verify")
    page.locator("#entry").get_by_role("link", name="revisions and edit").click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Text").fill("Visa required: apply 3 months ahead.\nAPACS 30 days.")
    page.get_by_label("Reason").fill("Visa rule changed in 2026")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Saved as revision 2")).to_be_visible()
    diff = page.locator("pre.diff")
    expect(diff.locator(".removed")).to_have_text("- Visa on arrival.")
    expect(diff.locator(".added")).to_have_text("+ Visa required: apply 3 months ahead.")
    expect(page.locator("#status")).to_contain_text("current")
    expect(page.locator("#status")).not_to_contain_text("stale")
    page.get_by_role("link", name="Thailand").click()
    expect(page.locator("#entry")).not_to_contain_text("stale")
    assert page.console_errors == []


def test_executor_writes_an_aar_watching_the_score_and_the_desk_officer_receives_it(
    transactional_db, world, live_server, page
):
    from goldthread.aars.models import Report
    from goldthread.events.models import Event

    from .conftest import make_user

    Event.objects.filter(pk=world.event.pk).update(status=Event.Status.COMPLETED)
    make_user("writer", "executor", world.bct)
    make_user("desk", "desk_officer").countries.set([world.tha])

    log_in(page, live_server.url, "writer")
    page.goto(f"{live_server.url}/events/{world.event.uid}/")
    page.get_by_role("button", name="Start the AAR").click()
    expect(page.get_by_role("heading", name="Edit the AAR")).to_be_visible()
    score = page.locator("#score-total")
    expect(score).to_have_text("0")
    page.get_by_label("What actually happened").fill("The combined staff plan was produced on day 4.")
    page.get_by_label("Why", exact=True).fill("Orders had to be translated first.")
    expect(score).to_have_text("25")  # the panel scored what was typed, while nothing was saved
    page.get_by_label("Capability").fill("RTA staff planned to standard by day 3.")
    expect(score).to_have_text("40")
    report = Report.objects.get(event=world.event)
    assert report.score == 0 and report.capability == "" and not report.reviews.get().happened
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved. Critical content: 40/100.")).to_be_visible()

    page.get_by_role("link", name="Add an observation").first.click()
    page.get_by_label("Title").fill("Late translation")
    page.get_by_role("textbox", name="Observation", exact=True).fill("Orders arrived in English only.")
    page.get_by_label("Discussion").fill("No translator was budgeted for the staff.")
    page.get_by_label("Recommendation").fill("Budget a translator at the IPC.")
    page.get_by_label("Partner unit").select_option(label="RTA Cav Ctr (RTA Cavalry Center, THA)")
    page.get_by_role("button", name="Add the observation").click()
    expect(page.get_by_text("Added “Late translation”. Critical content: 85/100.")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review with a critical-content score of 85/100.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, "unit")
    page.get_by_role("link", name="AARs").click()
    page.locator("#h-waiting + table").get_by_role("link", name="EVT-2025-HG").click()
    page.get_by_label("Comment").fill("Say what the translation delay cost the partner.")
    page.get_by_role("button", name="Return with comment").click()
    expect(page.get_by_text("Returned to the author with your comment.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, "writer")
    page.goto(f"{live_server.url}/events/{world.event.uid}/")
    page.get_by_role("link", name="Read the after-action report").click()
    expect(page.locator(".comment")).to_contain_text("Say what the translation delay cost the partner.")
    page.get_by_role("button", name="Submit for review again").click()
    expect(page.locator(".status").first).to_have_text("Submitted for review")
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, "unit")
    page.get_by_role("link", name="AARs").click()
    page.locator("#h-waiting + table").get_by_role("link", name="EVT-2025-HG").click()
    page.get_by_role("button", name="Approve and disseminate").click()
    expect(page.get_by_text("Approved and disseminated: sent to")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, "desk")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").click()
    row = page.get_by_role("row").filter(has_text="After-action report, EVT-2025-HG")
    expect(row).to_contain_text("Country desk officer")
    row.get_by_role("link", name="After-action report, EVT-2025-HG").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("After-action report: EVT-2025-HG")
    expect(page.locator(".status").first).to_have_text("Disseminated")
    assert page.console_errors == []


def test_assessor_records_a_value_the_desk_officer_approves_it_and_the_chart_shows_it(
    transactional_db, measures, live_server, page
):
    import re

    indicator = f"{live_server.url}/indicators/{measures.country_moe.uid}/"
    log_in(page, live_server.url, "assessor")
    page.goto(indicator)
    page.get_by_role("link", name="Record a value", exact=True).click()
    page.get_by_label("Date").fill("2025-08-01")
    page.get_by_label("Value", exact=True).fill("12")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("MOE-THA-2 01 Aug 2025: 12 staff officers, submitted for approval.")).to_be_visible()
    expect(page.locator("#series")).to_contain_text("No approved values or targets yet.")  # not counted yet
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, "desk")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Indicators").click()
    page.get_by_role("link", name="MOE-THA-2").click()
    page.locator("#approval").get_by_role("row").filter(has_text="2025-08-01").get_by_role(
        "button", name="Approve"
    ).click()
    expect(page.get_by_text("Approved: it counts from now on")).to_be_visible()
    expect(page.locator("#series").get_by_role("row").filter(has_text="FY2025-Q4")).to_contain_text("12")
    chart = page.get_by_role("img", name=re.compile("Trend of MOE-THA-2"))
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("aria-label", re.compile(r"FY2025-Q4 12\b"))
    # The inline chart obeys the page's Content-Security-Policy: no inline style was refused.
    assert page.console_errors == []


def test_planner_follows_an_orphan_event_from_the_dashboard_fixes_it_with_a_claim_and_the_finding_goes(
    transactional_db, world, live_server, page
):
    log_in(page, live_server.url, "planner")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Evaluation").click()
    expect(page.get_by_role("heading", name="Is the thread holding?")).to_be_visible()
    orphans = page.locator("#orphan-event")
    expect(orphans.get_by_role("heading")).to_contain_text("(1)")
    orphans.get_by_role("link", name="EVT-2025-KLE").click()

    expect(page.get_by_role("alert").filter(has_text="This event claims no objective")).to_be_visible()
    page.locator("#id_objective").select_option(label="TCP-O1")
    page.get_by_label("Expected change").fill("Renewed working contact with the Philippine Army staff")
    page.get_by_role("button", name="Add claim").click()
    expect(page.locator("article.claim")).to_contain_text("TCP-O1")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Evaluation").click()
    expect(orphans.get_by_role("heading")).to_contain_text("(0)")
    expect(orphans).not_to_contain_text("EVT-2025-KLE")
    # The objective the claim now serves is no longer among those no event serves.
    expect(page.locator("#no-events")).not_to_contain_text("TCP-O1")
    assert page.console_errors == []
