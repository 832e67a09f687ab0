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
