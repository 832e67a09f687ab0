"""A real headless Chromium walks each role's main task end to end, and every page the task reaches passes the axe-core
scan of tests/test_accessibility.py (serious and critical violations fail, dark-scheme contrast included)."""

import os
import re
import shutil
from typing import ClassVar

import pytest
from playwright.sync_api import Frame, Page, Request, expect, sync_playwright

from .conftest import PASSWORD, make_user
from .test_accessibility import AXE_SCRIPT, scan

pytestmark = pytest.mark.browser

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page():
    executable = shutil.which("chromium")
    assert executable, "the browser tests need Debian's chromium on PATH (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
        context.add_init_script(AXE_SCRIPT)  # axe-core in every page as it loads, outside the page's own scripts
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
        yield page
        browser.close()


# A scan opens every disclosure; closing again those that were closed leaves the page as the task found it.
MARK_CLOSED = "() => document.querySelectorAll('details:not([open])').forEach(d => { d.dataset.scanClosed = ''; })"
CLOSE_MARKED = """() => document.querySelectorAll('details[data-scan-closed]').forEach(d => {
    d.open = false;
    delete d.dataset.scanClosed;
})"""


class Tour:
    """The pages one task reaches. The test calls `seen` once the page of each step shows; every page the main frame
    shows (a document a link or a form brought, or a new address htmx pushed) is recorded, so that a page the task
    moved on from without a scan fails the test as surely as a violation does."""

    def __init__(self, page: Page):
        self.page = page
        self.found: list[str] = []
        self.unscanned: list[str] = []
        self.shown: str | None = None  # the page reached since the last scan
        self.url = ""
        self.loading = False
        page.on("request", self._requested)
        page.on("framenavigated", self._navigated)

    # The handlers run inside Playwright's dispatch: they read what the event carries and call back into nothing.

    def _requested(self, request: Request) -> None:
        if request.is_navigation_request() and request.frame.parent_frame is None:
            self.loading = True

    def _navigated(self, frame: Frame) -> None:
        if frame.parent_frame is not None:
            return
        # htmx notes the current address before it pushes a new one: the same address within the same document is
        # no new page, while a new document is, even at the address of the last (a form sent back to its page).
        new_document, self.loading = self.loading, False
        if new_document or frame.url != self.url:
            if self.shown is not None:
                self.unscanned.append(self.shown)
            self.shown = frame.url
        self.url = frame.url

    # Pages the same whoever comes and whatever the data (the log-in page): scanned the first time any task shows one.
    same_for_everyone: ClassVar[set[str]] = set()

    def seen(self, where: str, *, same_for_everyone: bool = False) -> None:
        """Scan the page as it shows now."""
        if not (same_for_everyone and where in Tour.same_for_everyone):
            self.page.evaluate(MARK_CLOSED)
            self.found += scan(self.page, where)
            self.page.evaluate(CLOSE_MARKED)
            if same_for_everyone:
                Tour.same_for_everyone.add(where)
        self.shown = None

    def assert_accessible(self) -> None:
        missed = self.unscanned + ([self.shown] if self.shown else [])
        assert not missed, "pages reached without an axe scan:\n" + "\n".join(missed)
        assert not self.found, "serious or critical accessibility violations:\n" + "\n".join(self.found)


@pytest.fixture
def tour(page) -> Tour:
    return Tour(page)


def log_in(tour: Tour, base: str, username: str) -> None:
    page = tour.page
    if page.url != f"{base}/login/":  # where logging out leaves the browser
        page.goto(f"{base}/login/")
    tour.seen("log-in page", same_for_everyone=True)
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    tour.seen(f"home page of {username}")


def log_out(tour: Tour) -> None:
    tour.page.get_by_role("button", name="Log out").click()
    expect(tour.page.get_by_role("heading", name="Log in")).to_be_visible()
    tour.seen("log-in page", same_for_everyone=True)


def main_menu(tour: Tour, name: str) -> None:
    tour.page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()
    expect(tour.page.get_by_role("navigation", name="Main").get_by_role("link", name=name)).to_have_attribute(
        "aria-current", "page"
    )


def test_a_reader_logs_in_and_follows_an_event_to_its_strategic_goal(transactional_db, world, live_server, page, tour):
    page.goto(f"{live_server.url}/events/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    tour.seen("log-in page", same_for_everyone=True)
    page.get_by_label("User name").fill("reader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Events")).to_be_visible()
    expect(page.get_by_role("note", name="Classification").first).to_have_text("UNCLASSIFIED")
    tour.seen("event list")

    page.get_by_label("Country").select_option("THA")  # htmx swaps the table in place
    expect(page.locator("#event-table")).not_to_contain_text("EVT-2025-KLE")
    expect(page).to_have_url(re.compile(r"/events/\?(.*&)?country=THA"))  # and pushes the new address
    tour.seen("event list, filtered to Thailand")
    page.get_by_role("link", name="EVT-2025-HG").click()

    expect(page.get_by_role("heading", name="Why are we doing this?")).to_be_visible()
    expect(page.locator(".diagram svg")).to_be_visible()
    tour.seen("event page")
    page.locator(".chain").get_by_role("link", name="NAT-1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("A stable region of capable allies")
    expect(page.get_by_text("Nothing: this is a top-level goal.")).to_be_visible()
    expect(page.locator("table").filter(has_text="EVT-2025-HG")).to_be_visible()
    tour.seen("national objective")
    tour.assert_accessible()
    # The strict Content-Security-Policy blocked nothing the pages need (htmx, the diagram, the stylesheet).
    assert page.console_errors == []


def test_planner_approves_a_conference_and_the_unit_finds_it_in_its_inbox(
    transactional_db, world, live_server, page, tour
):
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
    log_in(tour, live_server.url, "planner")
    page.goto(f"{live_server.url}/events/{world.event.uid}/")
    tour.seen("event page")
    page.get_by_role("link", name="Main planning conference").click()
    expect(page.get_by_role("alert").filter(has_text="was not represented")).to_be_visible()
    tour.seen("draft conference record")
    page.get_by_role("button", name="Approve and deliver").click()
    expect(page.get_by_text("Approved and delivered: sent to 1, read by 0, acknowledged by 0")).to_be_visible()
    tour.seen("approved conference record")
    log_out(tour)

    log_in(tour, live_server.url, "unit")
    main_menu(tour, "Inbox")
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    tour.seen("inbox")
    page.get_by_role("link", name="Main planning conference record").click()
    expect(page.get_by_role("button", name="Acknowledge this record")).to_be_visible()
    tour.seen("conference record, delivered")
    page.get_by_role("button", name="Acknowledge this record").click()
    expect(page.get_by_text("sent to 1, read by 1, acknowledged by 1")).to_be_visible()
    tour.seen("conference record, acknowledged")
    tour.assert_accessible()
    assert page.console_errors == []


def test_desk_officer_edits_a_stale_section_sees_the_diff_and_the_flag_clears(
    transactional_db, world, live_server, page, tour
):
    from datetime import timedelta

    from django.utils import timezone

    from goldthread.folders import services
    from goldthread.folders.models import Section

    desk = make_user("desk", "desk_officer", world.usarpac)
    desk.countries.set([world.tha])
    services.edit_section(
        actor=desk, country=world.tha, key="entry", version=None, text="Visa on arrival.\nAPACS 30 days.", reason="r"
    )
    Section.objects.filter(key="entry").update(last_verified=timezone.localdate() - timedelta(days=400))

    log_in(tour, live_server.url, "desk")
    main_menu(tour, "Folders")
    tour.seen("folders")
    page.get_by_role("link", name="Thailand").click()
    expect(page.locator("#entry")).to_contain_text("stale: please verify")
    tour.seen("country folder, a section stale")
    page.locator("#entry").get_by_role("link", name="revisions and edit").click()
    expect(page.get_by_role("link", name="Edit")).to_be_visible()
    tour.seen("folder section")
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Reason")).to_be_visible()
    tour.seen("folder section form")
    page.get_by_label("Text").fill("Visa required: apply 3 months ahead.\nAPACS 30 days.")
    page.get_by_label("Reason").fill("Visa rule changed in 2026")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Saved as revision 2")).to_be_visible()
    diff = page.locator("pre.diff")
    expect(diff.locator(".removed")).to_have_text("- Visa on arrival.")
    expect(diff.locator(".added")).to_have_text("+ Visa required: apply 3 months ahead.")
    expect(page.locator("#status")).to_contain_text("current")
    expect(page.locator("#status")).not_to_contain_text("stale")
    tour.seen("folder section, saved with its diff")
    page.get_by_role("link", name="Thailand").click()
    expect(page.locator("#entry")).not_to_contain_text("stale")
    expect(page.locator("#entry")).to_contain_text("Visa required")
    tour.seen("country folder, the section current")
    tour.assert_accessible()
    assert page.console_errors == []


def test_executor_writes_an_aar_watching_the_score_and_the_desk_officer_receives_it(
    transactional_db, world, live_server, page, tour
):
    from goldthread.aars.models import Report
    from goldthread.events.models import Event

    Event.objects.filter(pk=world.event.pk).update(status=Event.Status.COMPLETED)
    make_user("writer", "executor", world.bct)
    make_user("desk", "desk_officer").countries.set([world.tha])
    event = f"{live_server.url}/events/{world.event.uid}/"

    log_in(tour, live_server.url, "writer")
    page.goto(event)
    tour.seen("event page, an AAR owed")
    page.get_by_role("button", name="Start the AAR").click()
    expect(page.get_by_role("heading", name="Edit the AAR")).to_be_visible()
    score = page.locator("#score-total")
    expect(score).to_have_text("0")
    page.get_by_label("What actually happened").fill("The combined staff plan was produced on day 4.")
    page.get_by_label("Why", exact=True).fill("Orders had to be translated first.")
    expect(score).to_have_text("25")  # the panel scored what was typed, while nothing was saved
    page.get_by_label("Capability").fill("RTA staff planned to standard by day 3.")
    expect(score).to_have_text("40")
    tour.seen("AAR editor, scored as typed")
    report = Report.objects.get(event=world.event)
    assert report.score == 0 and report.capability == "" and not report.reviews.get().happened
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved. Critical content: 40/100.")).to_be_visible()
    tour.seen("AAR editor, saved")

    page.get_by_role("link", name="Add an observation").first.click()
    expect(page.get_by_role("button", name="Add the observation")).to_be_visible()
    tour.seen("observation form")
    page.get_by_label("Title").fill("Late translation")
    page.get_by_role("textbox", name="Observation", exact=True).fill("Orders arrived in English only.")
    page.get_by_label("Discussion").fill("No translator was budgeted for the staff.")
    page.get_by_label("Recommendation").fill("Budget a translator at the IPC.")
    page.get_by_label("Partner unit").select_option(label="RTA Cav Ctr (RTA Cavalry Center, THA)")
    page.get_by_role("button", name="Add the observation").click()
    expect(page.get_by_text("Added “Late translation”. Critical content: 85/100.")).to_be_visible()
    tour.seen("AAR editor, an observation added")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review with a critical-content score of 85/100.")).to_be_visible()
    tour.seen("AAR, submitted")
    log_out(tour)

    log_in(tour, live_server.url, "unit")
    main_menu(tour, "AARs")
    tour.seen("AAR list, one waiting")
    page.locator("section[aria-labelledby='h-waiting']").get_by_role("link", name="EVT-2025-HG").click()
    expect(page.get_by_label("Comment")).to_be_visible()
    tour.seen("AAR to review")
    page.get_by_label("Comment").fill("Say what the translation delay cost the partner.")
    page.get_by_role("button", name="Return with comment").click()
    expect(page.get_by_text("Returned to the author with your comment.")).to_be_visible()
    tour.seen("AAR, returned")
    log_out(tour)

    log_in(tour, live_server.url, "writer")
    page.goto(event)
    tour.seen("event page, the AAR returned")
    page.get_by_role("link", name="Read the after-action report").click()
    expect(page.locator(".comment")).to_contain_text("Say what the translation delay cost the partner.")
    tour.seen("AAR with the reviewer's comment")
    page.get_by_role("button", name="Submit for review again").click()
    expect(page.locator(".status").first).to_have_text("Submitted for review")
    tour.seen("AAR, submitted again")
    log_out(tour)

    log_in(tour, live_server.url, "unit")
    main_menu(tour, "AARs")
    tour.seen("AAR list, one waiting again")
    page.locator("section[aria-labelledby='h-waiting']").get_by_role("link", name="EVT-2025-HG").click()
    expect(page.get_by_role("button", name="Approve and disseminate")).to_be_visible()
    tour.seen("AAR to review again")
    page.get_by_role("button", name="Approve and disseminate").click()
    expect(page.get_by_text("Approved and disseminated: sent to")).to_be_visible()
    tour.seen("AAR, disseminated")
    log_out(tour)

    log_in(tour, live_server.url, "desk")
    main_menu(tour, "Inbox")
    tour.seen("inbox with the AAR")
    row = page.get_by_role("row").filter(has_text="After-action report, EVT-2025-HG")
    expect(row).to_contain_text("Country desk officer")
    row.get_by_role("link", name="After-action report, EVT-2025-HG").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("After-action report: EVT-2025-HG")
    expect(page.locator(".status").first).to_have_text("Disseminated")
    tour.seen("AAR, delivered to the desk officer")
    tour.assert_accessible()
    assert page.console_errors == []


def test_assessor_records_a_value_the_desk_officer_approves_it_and_the_chart_shows_it(
    transactional_db, measures, live_server, page, tour
):
    log_in(tour, live_server.url, "assessor")
    page.goto(f"{live_server.url}/indicators/{measures.country_moe.uid}/")
    tour.seen("indicator")
    page.get_by_role("link", name="Record a value", exact=True).click()
    expect(page.get_by_role("button", name="Submit for approval")).to_be_visible()
    tour.seen("value form")
    page.get_by_label("Date").fill("2025-08-01")
    page.get_by_label("Value", exact=True).fill("12")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("MOE-THA-2 01 Aug 2025: 12 staff officers, submitted for approval.")).to_be_visible()
    expect(page.locator("#series")).to_contain_text("No approved values or targets yet.")  # not counted yet
    tour.seen("indicator, a value waiting")
    log_out(tour)

    log_in(tour, live_server.url, "desk")
    main_menu(tour, "Indicators")
    tour.seen("indicator list")
    page.get_by_role("link", name="MOE-THA-2").click()
    expect(page.locator("#approval")).to_contain_text("2025-08-01")
    tour.seen("indicator, a value to approve")
    page.locator("#approval").get_by_role("row").filter(has_text="2025-08-01").get_by_role(
        "button", name="Approve"
    ).click()
    expect(page.get_by_text("Approved: it counts from now on")).to_be_visible()
    expect(page.locator("#series").get_by_role("row").filter(has_text="FY2025-Q4")).to_contain_text("12")
    chart = page.get_by_role("img", name=re.compile("Trend of MOE-THA-2"))
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("aria-label", re.compile(r"FY2025-Q4 12\b"))
    tour.seen("indicator with its chart")
    tour.assert_accessible()
    # The inline chart obeys the page's Content-Security-Policy: no inline style was refused.
    assert page.console_errors == []


def test_planner_follows_an_orphan_event_from_the_dashboard_fixes_it_with_a_claim_and_the_finding_goes(
    transactional_db, world, live_server, page, tour
):
    log_in(tour, live_server.url, "planner")
    main_menu(tour, "Evaluation")
    expect(page.get_by_role("heading", name="Is the thread holding?")).to_be_visible()
    orphans = page.locator("#orphan-event")
    expect(orphans.get_by_role("heading")).to_contain_text("(1)")
    tour.seen("Evaluation dashboard, one orphan event")
    orphans.get_by_role("link", name="EVT-2025-KLE").click()

    expect(page.get_by_role("alert").filter(has_text="This event claims no objective")).to_be_visible()
    tour.seen("orphan event")
    page.locator("#id_objective").select_option(label="TCP-O1")
    page.get_by_label("Expected change").fill("Renewed working contact with the Philippine Army staff")
    page.get_by_role("button", name="Add claim").click()
    expect(page.locator("article.claim")).to_contain_text("TCP-O1")
    tour.seen("event with its claim")

    main_menu(tour, "Evaluation")
    expect(orphans.get_by_role("heading")).to_contain_text("(0)")
    expect(orphans).not_to_contain_text("EVT-2025-KLE")
    # The objective the claim now serves is no longer among those no event serves.
    expect(page.locator("#no-events")).not_to_contain_text("TCP-O1")
    tour.seen("Evaluation dashboard, no orphan event")
    tour.assert_accessible()
    assert page.console_errors == []


def test_the_sco_answers_a_units_request_for_information_and_the_answer_reaches_its_packet(
    transactional_db, world, live_server, page, tour
):
    from goldthread.core.catalogues import Echelon
    from goldthread.strategy.models import Organization

    jusmag = Organization.objects.create(
        name="JUSMAG Thailand", short_name="JUSMAGTHAI", echelon=Echelon.SCO, country=world.tha
    )
    make_user("sco", "sco", jusmag).countries.set([world.tha])
    answer = "Official passport and a business visa; apply three months ahead."
    packet = f"{live_server.url}/events/{world.event.uid}/packet/"

    log_in(tour, live_server.url, "unit")
    page.goto(packet)
    administration = page.get_by_role("row").filter(has_text="Administration")
    expect(administration).to_contain_text("ask JUSMAGTHAI")
    tour.seen("executor packet, the administration question open")
    administration.get_by_role("link", name="ask as an RFI").click()
    expect(page.get_by_label("Question")).not_to_be_empty()  # filled in from the checklist
    tour.seen("request-for-information form")
    page.get_by_label("Owner").select_option(label="JUSMAGTHAI")
    page.get_by_label("Due").fill("2025-05-01")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Asked JUSMAGTHAI; everyone who depends on the event sees it.")).to_be_visible()
    tour.seen("request for information, asked")
    log_out(tour)

    log_in(tour, live_server.url, "sco")
    main_menu(tour, "Inbox")
    tour.seen("SCO's inbox")
    page.get_by_role("link", name="RFI to JUSMAGTHAI, EVT-2025-HG").click()
    expect(page.get_by_role("heading", name="Answer", exact=True)).to_be_visible()
    tour.seen("request for information to answer")
    page.get_by_role("textbox", name="Answer").fill(answer)
    page.get_by_role("button", name="Answer", exact=True).click()
    expect(page.get_by_text("Answered; unit finds the answer in their inbox.")).to_be_visible()
    expect(page.locator(".status").first).to_have_text("Answered")
    tour.seen("request for information, answered")
    log_out(tour)

    log_in(tour, live_server.url, "unit")
    main_menu(tour, "Inbox")
    tour.seen("unit's inbox with the answer")
    row = page.get_by_role("row").filter(has_text="Answered: RFI Administration, EVT-2025-HG")
    expect(row).to_contain_text("new")
    row.get_by_role("link", name="Answered: RFI Administration, EVT-2025-HG").click()
    expect(page.locator(".facts")).to_contain_text(answer)
    tour.seen("request for information, the answer read")
    page.goto(packet)
    expect(page.get_by_role("row").filter(has_text="Administration")).to_contain_text(
        f"RFI answered by JUSMAGTHAI: {answer}"
    )
    tour.seen("executor packet, the administration question answered")
    tour.assert_accessible()
    assert page.console_errors == []


def test_the_public_affairs_officer_writes_a_theme_approves_it_and_it_reaches_the_executor_packet(
    transactional_db, world, live_server, page, tour
):
    make_user("pao", "public_affairs", world.usarpac).countries.set([world.tha])

    log_in(tour, live_server.url, "pao")
    main_menu(tour, "Themes")
    expect(page.get_by_text("No themes yet.")).to_be_visible()
    tour.seen("theme list, empty")
    page.locator(".heading").get_by_role("link", name="New theme").click()
    expect(page.get_by_role("heading", name="New theme")).to_be_visible()
    tour.seen("new theme form")
    page.get_by_label("Title").fill("Partners in disaster response")
    page.get_by_label("Audience").fill("Thai media")
    page.get_by_label("Talking points").fill("We train together.\nThai forces lead; we support.")
    page.get_by_label("Country").select_option(label="Thailand")
    page.get_by_label("Objectives").fill("IMO-THA-2")
    page.get_by_label("Valid from").fill("2025-01-01")
    page.get_by_role("button", name="Save the theme").click()
    expect(page.get_by_text("Theme “Partners in disaster response” saved.")).to_be_visible()
    expect(page.locator(".status").first).to_have_text("Draft")
    tour.seen("theme, a draft")

    page.get_by_role("link", name="Edit theme").click()
    expect(page.get_by_role("heading", name="Edit the theme: Partners in disaster response")).to_be_visible()
    tour.seen("theme form")
    page.get_by_label("Sensitivities").fill("Future basing")
    page.get_by_label("Status").select_option(label="Approved")
    page.get_by_role("button", name="Save the theme").click()
    expect(page.get_by_text("Theme saved.")).to_be_visible()
    expect(page.locator(".status").first).to_have_text("Approved")
    expect(page.locator("#h-sensitivities + ul")).to_have_text("Future basing")
    tour.seen("theme, approved")

    page.goto(f"{live_server.url}/events/{world.event.uid}/")
    tour.seen("event page")
    page.get_by_role("link", name="Executor packet").click()
    theme = page.locator("p").filter(has_text="Theme: Partners in disaster response")
    expect(theme).to_contain_text("(Thai media): We train together. Thai forces lead; we support.")
    expect(theme).to_contain_text("Do not discuss: Future basing.")
    tour.seen("executor packet with the theme")
    tour.assert_accessible()
    assert page.console_errors == []


def test_the_administrator_reads_the_audit_trail_filtered_by_user_and_action(
    transactional_db, world, live_server, page, tour
):
    from datetime import date

    from goldthread.planning import services

    services.create_theme(
        actor=world.planner, title="Regional", audience="Media", talking_points="We train.", valid_from=date(2025, 1, 1)
    )
    services.ask(
        actor=world.unit, event=world.event, topic="Pay", question="Per diem?", owner=world.bct, due=date(2025, 5, 1)
    )

    log_in(tour, live_server.url, "admin")
    main_menu(tour, "Audit")
    trail = page.locator("table.history tbody")
    expect(trail).to_contain_text("theme.created")
    expect(trail).to_contain_text("rfi.created")
    tour.seen("audit trail")
    page.get_by_label("User").fill("planner")
    page.get_by_label("Action").fill("theme.")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("status")).to_have_text("1 entry.")
    expect(trail.get_by_role("row")).to_have_count(1)
    expect(trail).to_contain_text("theme.created")
    expect(trail).to_contain_text("Regional")
    tour.seen("audit trail, filtered")
    page.get_by_role("link", name="Clear").click()
    expect(page.get_by_label("User")).to_be_empty()
    expect(trail).to_contain_text("rfi.created")
    tour.seen("audit trail, filters cleared")
    tour.assert_accessible()
    assert page.console_errors == []
