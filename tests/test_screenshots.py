"""The README's screenshots: a strategic planner walks the demo data in a real headless Chromium, and every page
pictured first shows its own heading and then passes the axe-core scan.

The pictures are taken in the test's temporary directory, so a test run never rewrites the repository; when
GOLDTHREAD_SCREENSHOTS names a directory, a passing run copies them there (`make screenshots`: docs/screenshots)."""

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from .test_accessibility import page, scan  # noqa: F401 - `page` is a fixture, asked for by its name

pytestmark = pytest.mark.browser

# Wider than the accessibility tests' window: the README pictures show the tables without wrapping.
VIEWPORT = {"width": 1360, "height": 900}
README = Path(__file__).resolve().parent.parent / "README.md"


@dataclass(frozen=True)
class Demo:
    planner_password: str
    missed_conference: str  # the uid of an approved conference record on a Thai event the executing unit missed


@pytest.fixture
def demo(transactional_db) -> Demo:
    """The demo data set, as `goldthread demo` loads it, and what the walk needs from it that no page links to."""
    from goldthread.demo.generator import demo_users, load_demo
    from goldthread.planning.models import Conference

    load_demo(seed=2018)
    approved = Conference.objects.filter(status=Conference.Status.APPROVED, event__countries__iso3="THA")
    missed = next(
        conference
        for conference in approved.order_by("-event__start_date", "event__code", "starts", "number")
        if conference.executing_unit_represented is False
    )
    password = next(password for username, password, _ in demo_users() if username == "planner")
    return Demo(planner_password=password, missed_conference=str(missed.uid))


@dataclass
class Camera:
    """Takes a page's picture once the page shows its heading, then scans it: the scan opens every disclosure,
    which the picture should not show."""

    page: Page
    out: Path
    found: list[str] = field(default_factory=list)
    taken: dict[Path, bool] = field(default_factory=dict)  # each picture, and whether it is of the whole page

    def shoot(self, name: str, heading: str | re.Pattern, *, full_page: bool = False, scroll_to: str = "") -> None:
        expect(self.page.get_by_role("heading", level=1)).to_have_text(heading)
        if scroll_to:
            self.page.locator(f"#{scroll_to}").evaluate("element => element.scrollIntoView()")  # to the top
        path = self.out / f"{name}.png"
        self.page.screenshot(path=path, full_page=full_page)
        self.taken[path] = full_page
        self.found += scan(self.page, f"{name}.png ({self.page.url})")


def test_the_readme_screenshots_show_a_planners_pages_which_pass_the_axe_scan(
    demo,
    live_server,
    page,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    base = live_server.url
    page.set_viewport_size(VIEWPORT)
    camera = Camera(page, tmp_path)
    shoot = camera.shoot

    page.goto(f"{base}/login/")
    page.get_by_label("User name").fill("planner")
    page.get_by_label("Password").fill(demo.planner_password)
    page.get_by_role("button", name="Log in").click()
    shoot("home", "My work")

    page.goto(f"{base}/events/?country=THA")
    shoot("events", "Events")
    page.get_by_role("link", name="EVT-2027-HG", exact=True).click()
    event_url = page.url
    shoot("event", re.compile(r"^EVT-2027-HG "), full_page=True)

    page.goto(f"{base}/conferences/{demo.missed_conference}/")
    expect(page.get_by_role("alert")).to_contain_text("was not represented")
    shoot("conference", re.compile(r"\bApproved$"))

    page.goto(event_url)
    page.get_by_role("link", name="Executor packet").click()
    shoot("packet", re.compile(r"^Executor packet: EVT-2027-HG "))
    page.goto(event_url)
    page.get_by_role("link", name="Travel readiness").click()
    shoot("readiness", re.compile(r"^Travel readiness: EVT-2027-HG "))
    page.goto(event_url)
    page.locator(".chain a").nth(2).click()
    shoot("objective", re.compile(r"^TCP-O3 "))  # the theater objective the exercise serves

    page.goto(f"{base}/countries/THA/folder/")
    shoot("folder", "Thailand")
    page.goto(f"{base}/countries/THA/folder/entry/")
    shoot("folder-section", "Entry and clearance requirements", full_page=True)

    page.goto(f"{base}/aars/?status=RETURNED")
    page.get_by_role("row").filter(has_text="Returned with comments").get_by_role("link").first.click()
    page.get_by_role("link", name="Edit the report").click()
    page.get_by_label("What actually happened").fill("The partner staff produced the plan on day four of five.")
    page.get_by_label("Why", exact=True).fill("Orders arrived in English only; translation took a day.")
    page.get_by_text("Critical content: 25/100").wait_for()  # the live score has caught up; nothing is saved
    shoot("aar-edit", re.compile(r"^Edit the AAR: "))

    page.goto(f"{base}/lessons/?q=interpreters")
    shoot("lessons", "Lessons")
    page.goto(f"{base}/indicators/?country=THA")
    page.get_by_role("link", name="MOE-THA-PLAN", exact=True).click()
    page.get_by_role("link", name="Fiscal years").click()
    shoot("indicator", re.compile(r"^MOE-THA-PLAN "), scroll_to="h-trend")

    page.goto(f"{base}/evaluation/?country=THA")
    shoot("evaluation", "Is the thread holding?")
    page.goto(f"{base}/evaluation/portfolio/")
    shoot("portfolio-pictures", "Portfolio", scroll_to="h-pictures")

    assert not camera.found, "serious or critical accessibility violations:\n" + "\n".join(camera.found)
    assert page.console_errors == []
    embedded = set(re.findall(r"\(docs/screenshots/([\w-]+\.png)\)", README.read_text()))
    assert {path.name for path in camera.taken} == embedded, "the README shows exactly the pictures taken here"
    for path, full_page in camera.taken.items():
        with Image.open(path) as picture:
            assert picture.format == "PNG", path
            width, height = picture.size
            picture.load()  # every row decodes: a file cut short fails here
        assert width == VIEWPORT["width"], path
        assert height >= VIEWPORT["height"] if full_page else height == VIEWPORT["height"], path

    # Only a walk that passed replaces the pictures kept: a failure leaves the previous set whole.
    if keep := os.environ.get("GOLDTHREAD_SCREENSHOTS"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        for path in camera.taken:
            shutil.copyfile(path, Path(keep) / path.name)
