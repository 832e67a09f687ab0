"""Every page, as each role meets it on its main task, passes an axe-core scan in a real headless Chromium; the main
tasks work from the keyboard alone, with the focus visible at every stop.

axe-core comes with the `axe-playwright-python` package (a dev dependency): nothing is fetched at run time."""

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from playwright.sync_api import Locator, Page, expect, sync_playwright

from .conftest import PASSWORD, World, make_user

pytestmark = pytest.mark.browser

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# What fails a page: axe's two highest impacts. "moderate" and "minor" are reported by axe too, but are advice.
BLOCKING = {"serious", "critical"}
# Only colours change between the light and the dark scheme, so the dark pass runs the contrast rule alone.
CONTRAST_ONLY = {"runOnly": {"type": "rule", "values": ["color-contrast"]}, "resultTypes": ["violations"]}


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


@pytest.fixture
def scene(measures) -> World:
    """The measures world with one record behind every page kind: a conference, an order, a request, a theme, a
    traveler, entry rules, a folder section and an observance, an approved AAR with a channel item, a draft AAR, an
    approved value and one waiting, a target, an assessment and a country's standing."""
    from goldthread.aars import services as aars
    from goldthread.aars.models import ChannelItem, Observation
    from goldthread.evaluation import services as evaluation
    from goldthread.events.models import Event
    from goldthread.folders import services as folders
    from goldthread.measures import services as measures_services
    from goldthread.planning import services as planning
    from goldthread.readiness import services as readiness

    w = measures
    w.executor = make_user("executor", "executor", w.next_bct)
    w.pao = make_user("pao", "public_affairs", w.usarpac)
    w.pao.countries.set([w.tha])
    w.conference = planning.create_conference(
        actor=w.planner, event=w.event, kind="MPC", starts=date(2025, 2, 18), ends=date(2025, 2, 20), place="Lopburi"
    )
    w.order = planning.draft_order(
        actor=w.planner, event=w.event, kind="TASKORD", issuer=w.usarpac, title="Tasking for the exercise"
    )
    w.rfi = planning.ask(
        actor=w.planner, event=w.event, topic="Pay", question="Per diem?", owner=w.usarpac, due=date(2025, 5, 1)
    )
    w.theme = planning.create_theme(
        actor=w.planner,
        title="Regional",
        audience="Media",
        talking_points="We train together.",
        valid_from=date(2025, 1, 1),
    )
    w.traveler = readiness.add_traveler(actor=w.planner, event=w.event, name="SSG Jones", unit=w.bct)
    readiness.set_entry_rule(
        actor=w.planner,
        country=w.tha,
        version=None,
        fields={"country_clearance_days": 45, "theater_clearance_days": 30, "visa_business_days": 15},
    )
    folders.edit_section(
        actor=w.desk, country=w.tha, key="entry", version=None, text="Visa on arrival.", reason="First entry"
    )
    folders.add_observance(
        actor=w.desk, country=w.tha, name="Songkran", starts=date(2025, 4, 13), ends=date(2025, 4, 15)
    )

    report = aars.start(actor=w.writer, event=w.event)
    w.observation = aars.add_observation(
        actor=w.writer,
        report=report,
        fields={
            "title": "Interpreters short",
            "observation": "Two interpreters for a brigade staff.",
            "recommendation": "Ask for one interpreter per staff section at the IPC.",
            "partner_unit": w.rta,
            "objective_type": "CAP",
        },
    )
    aars.add_observation(
        actor=w.writer,
        report=report,
        fields={
            "title": "Customs held the vehicles",
            "observation": "Vehicles held 9 days at Laem Chabang.",
            "criticality": Observation.Criticality.CRITICAL,
            "channel": Observation.Channel.ACCESS_BLOCKER,
        },
    )
    aars.submit(actor=w.writer, report=report, version=report.version)
    report.refresh_from_db()
    aars.approve(actor=w.unit, report=report, version=report.version)
    w.report = report
    w.item = ChannelItem.objects.get()
    # The next iteration, executed too: its executor has a draft AAR to write.
    Event.objects.filter(pk=w.next_event.pk).update(status=Event.Status.COMPLETED)
    w.draft = aars.start(actor=w.executor, event=Event.objects.get(pk=w.next_event.pk))
    w.draft_observation = aars.add_observation(
        actor=w.executor, report=w.draft, fields={"title": "Range closed", "observation": "Closed on day 2."}
    )

    approved = measures_services.record(actor=w.assessor, indicator=w.country_moe, date=date(2025, 8, 1), value=12)
    measures_services.approve(actor=w.desk, measurement=approved)
    w.waiting = measures_services.record(actor=w.assessor, indicator=w.country_moe, date=date(2025, 9, 1), value=14)
    measures_services.set_target(actor=w.planner, indicator=w.country_moe, period="FY2025", value=20)
    w.assessment = measures_services.create_assessment(
        actor=w.assessor, objective=w.army, period="FY2025", rating=3, rationale="Plans improved."
    )
    evaluation.set_standing(
        actor=w.planner,
        country=w.tha,
        version=None,
        priority=1,
        absorptive_capacity=3,
        relationship=4,
        capability=3,
        rationale="Treaty ally.",
        reviewed_on=date(2025, 10, 1),
    )
    return w


@dataclass(frozen=True)
class Submit:
    """A form sent from a page, and the page that comes back scanned too: the form with its errors, or a preview."""

    path: str
    form: str  # CSS selector of the form on the page at `path`
    status: int = 400  # the form came back with its errors
    upload: tuple[str, bytes] | None = None  # a file for the form's file field; otherwise its text fields are emptied


@dataclass(frozen=True)
class Role:
    username: str
    steps: Callable[[World], list[str | Submit]]


# Each role's main task, as the pages it walks through. Together they open every page the application serves as
# HTML, forms with errors included (the last test of this file holds them to it); downloads are not pages.
ROLES = {
    "strategic planner": Role(
        "planner",
        lambda w: [
            "/",
            "/objectives/",
            "/objectives/list/",
            f"/objectives/{w.army.uid}/",
            f"/objectives/{w.army.uid}/contribution/",
            "/events/",
            Submit("/events/new/", "main form.form"),
            f"/events/{w.event.uid}/",
            f"/events/{w.event.uid}/edit/",
            Submit(f"/events/{w.orphan.uid}/", 'form[action$="/claims/"]'),
            f"/events/{w.event.uid}/claims/",
            f"/events/{w.event.uid}/conferences/new/",
            f"/conferences/{w.conference.uid}/",
            f"/conferences/{w.conference.uid}/edit/",
            f"/events/{w.event.uid}/packet/",
            f"/events/{w.event.uid}/orders/new/",
            f"/orders/{w.order.uid}/",
            f"/orders/{w.order.uid}/edit/",
            f"/events/{w.event.uid}/requests/new/",
            "/themes/new/",
            f"/themes/{w.theme.uid}/edit/",
            "/evaluation/",
            "/evaluation/findings/orphan-event/",
            "/evaluation/discipline/",
            "/evaluation/portfolio/",
            "/evaluation/portfolio/THA/standing/",
            "/audit/",
            "/search/?q=interpreters",
        ],
    ),
    "country desk officer": Role(
        "desk",
        lambda w: [
            "/inbox/",
            "/folders/",
            "/countries/THA/folder/",
            Submit("/countries/THA/folder/", 'form[action$="/observances/"]'),
            Submit("/countries/THA/folder/", 'form[action$="/attachments/"]'),
            "/countries/THA/folder/entry/",
            "/countries/THA/folder/entry/edit/",
            "/indicators/",
            f"/indicators/{w.country_moe.uid}/",
            "/indicators/new/",
            f"/indicators/{w.country_moe.uid}/edit/",
        ],
    ),
    "unit planner": Role(
        "unit",
        lambda w: [
            "/",
            "/aars/",
            f"/aars/{w.report.uid}/",
            f"/observations/{w.observation.uid}/",
            "/lessons/",
            f"/events/{w.event.uid}/readiness/",
            f"/events/{w.event.uid}/travelers/new/",
            f"/travelers/{w.traveler.uid}/edit/",
        ],
    ),
    "executor": Role(
        "executor",
        lambda w: [
            "/",
            f"/events/{w.orphan.uid}/aar/",
            f"/events/{w.next_event.uid}/aar/import/",
            f"/aars/{w.draft.uid}/edit/",
            Submit(f"/aars/{w.draft.uid}/observations/new/", "main form.form"),
            f"/observations/{w.draft_observation.uid}/edit/",
        ],
    ),
    "assessor": Role(
        "assessor",
        lambda w: [
            Submit(f"/indicators/{w.country_moe.uid}/values/new/", "main form.form"),
            f"/values/{w.waiting.uid}/edit/",
            "/indicators/import/",
            Submit("/indicators/import/", "main form", status=200, upload=("values.csv", IMPORT_WITH_A_BAD_ROW)),
            f"/objectives/{w.army.uid}/assessments/new/",
            f"/assessments/{w.assessment.uid}/",
            Submit(f"/assessments/{w.assessment.uid}/", 'form[action$="/edit/"]'),
        ],
    ),
    "security cooperation officer": Role(
        "sco",
        lambda w: [
            "/",
            f"/requests/{w.rfi.uid}/",
            "/entry-rules/",
            "/countries/THA/entry-rules/",
            "/channel-items/",
            f"/channel-items/{w.item.uid}/",
        ],
    ),
    "public affairs officer": Role(
        "pao",
        lambda w: [
            "/themes/",
            f"/themes/{w.theme.uid}/",
            "/start/",
            "/help/",
            "/help/public-affairs/",
            "/help/user-guide/",
        ],
    ),
}
IMPORT_WITH_A_BAD_ROW = b"indicator,date,value\nMOE-THA-2,2025-10-01,13\nMOE-THA-9,2025-10-01,3\n"


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def blocking(page: Page, where: str, options: dict | None = None) -> list[str]:
    """axe's serious and critical violations on the page as it is now, one readable line per rule."""
    results = page.evaluate("options => axe.run(document, options)", options or {"resultTypes": ["violations"]})
    return [
        f"{where}: {v['id']} ({v['impact']}) {v['help']} at {', '.join(' '.join(n['target']) for n in v['nodes'])}"
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


# Whether a stylesheet of the page has rules for the dark colour scheme: without any, the page looks the same in both.
HAS_DARK_SCHEME = """() => {
    const dark = rules => [...rules].some(rule => (rule.media && rule.media.mediaText.includes("prefers-color-scheme"))
        || (rule.cssRules && dark(rule.cssRules)));
    return [...document.styleSheets].some(sheet => dark(sheet.cssRules));
}"""


# Charts (an image drawn in SVG) whose figure or section holds no table of the data drawn: a chart's text
# alternative is its data, as a table, beside it. axe checks only that the chart has a name.
CHARTS_WITHOUT_A_TABLE = """() => [...document.querySelectorAll('svg[role="img"]')].filter(chart => {
    for (let box = chart.closest("figure, section"); box; box = box.parentElement.closest("figure, section")) {
        if (box.querySelector("table")) return false;
    }
    return true;
}).map(chart => (chart.getAttribute("aria-label") || chart.querySelector("title")?.textContent || "").slice(0, 80))"""


OPEN_DISCLOSURES = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"


def scan(page: Page, where: str) -> list[str]:
    """Scan the page with every disclosure open, so that what a click reveals is checked too. A page whose styles
    change with the colour scheme has its contrast checked in the dark scheme as well."""
    page.evaluate(OPEN_DISCLOSURES)
    found = blocking(page, where)
    charts = page.evaluate(CHARTS_WITHOUT_A_TABLE)
    found += [f"{where}: chart without a data table beside it: {chart}" for chart in charts]
    if page.evaluate(HAS_DARK_SCHEME):
        page.emulate_media(color_scheme="dark")
        found += blocking(page, f"{where} [dark]", CONTRAST_ONLY)
        page.emulate_media(color_scheme="light")
    return found


def visit(page: Page, base: str, path: str) -> None:
    response = page.goto(f"{base}{path}")
    assert response and response.status == 200, f"{path} answered {response and response.status}"
    expect(page.get_by_role("heading", level=1)).to_be_visible()  # the page's own content, not an error page


def send(page: Page, base: str, step: Submit) -> None:
    visit(page, base, step.path)
    page.evaluate(OPEN_DISCLOSURES)
    form = page.locator(step.form)
    if step.upload:
        name, content = step.upload
        form.locator("input[type=file]").set_input_files({"name": name, "mimeType": "text/csv", "buffer": content})
    else:
        for field in form.locator("textarea, input:not([type]), input[type=text], input[type=number]").all():
            field.fill("")
    with page.expect_navigation() as sent:
        form.locator("button[type=submit]").first.click()
    status = sent.value and sent.value.status
    assert status == step.status, f"{step.form} on {step.path} answered {status}"


def walk(page: Page, base: str, steps: list[str | Submit]) -> list[str]:
    found = []
    for step in steps:
        if isinstance(step, Submit):
            send(page, base, step)
            found += scan(page, f"{step.path} after sending {step.form}")
        else:
            visit(page, base, step)
            found += scan(page, step)
    return found


@pytest.mark.parametrize("role", list(ROLES))
def test_each_roles_pages_pass_the_axe_scan(transactional_db, scene, live_server, page, role):
    log_in(page, live_server.url, ROLES[role].username)
    found = walk(page, live_server.url, ROLES[role].steps(scene))
    assert not found, f"serious or critical accessibility violations for the {role}:\n" + "\n".join(found)
    # The forms sent with errors come back as 400, which the browser logs; nothing else may be refused.
    assert [error for error in page.console_errors if "status of 400" not in error] == []


def test_the_login_and_lockout_pages_pass_the_axe_scan(transactional_db, world, live_server, page):
    page.goto(f"{live_server.url}/login/")
    found = scan(page, "/login/")
    for attempt in range(settings.AXES_FAILURE_LIMIT):  # wrong passwords until the account is locked out
        page.get_by_label("User name").fill("planner")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()
        if attempt == 0:
            expect(page.get_by_role("alert")).to_be_visible()
            found += scan(page, "/login/ (refused)")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Log in")
    found += scan(page, "/login/ (locked out)")
    assert not found, "serious or critical accessibility violations:\n" + "\n".join(found)


# Keyboard only ---------------------------------------------------------------------------------------------------


# Where the focus is after a Tab: whether it is on the target, whether it shows (an outline or a ring a keyboard user
# can see), and what it is on, for the message. One round trip per key press.
FOCUS = """target => {
    const focused = document.activeElement, style = getComputedStyle(focused);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return {
        reached: focused === target,
        visible: outline || style.boxShadow !== "none",
        body: focused === document.body,
        html: focused.outerHTML.slice(0, 160),
    };
}"""


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until `target` has the focus, checking that the focus is visible at every stop on the way."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = target.evaluate(FOCUS)
        assert not focus["body"], f"Tab went past the last control without reaching {target}"
        assert focus["visible"], f"the focus is invisible on {focus['html']}"
        if focus["reached"]:
            return
    raise AssertionError(f"{target} is not reached with Tab within {limit} presses")


def press_enter_and_wait(page: Page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def skip_to_content(page: Page) -> None:
    """The first Tab on a page lands on the skip link; Enter takes the focus past the header and its menu."""
    tab_to(page, page.get_by_role("link", name="Skip to content"), limit=1)
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


def log_in_by_keyboard(page: Page, base: str, username: str) -> list[str]:
    page.goto(f"{base}/login/")
    tab_to(page, page.get_by_label("User name"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    press_enter_and_wait(page)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return scan(page, "home page, after logging in by keyboard")


def test_by_keyboard_a_reader_filters_the_events_and_opens_one(transactional_db, world, live_server, page):
    found = log_in_by_keyboard(page, live_server.url, "reader")
    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Events"))
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", name="Events")).to_be_visible()
    skip_to_content(page)
    tab_to(page, page.get_by_label("Country"))
    page.keyboard.type("Thailand")  # a closed select picks the option typed, and htmx swaps the table in place
    expect(page.locator("#event-table")).not_to_contain_text("EVT-2025-KLE")
    found += scan(page, "event list, filtered by keyboard")
    tab_to(page, page.locator("#event-table").get_by_role("link", name="EVT-2025-HG"))
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", name="Why are we doing this?")).to_be_visible()
    found += scan(page, "event page, reached by keyboard")
    assert not found, "serious or critical accessibility violations:\n" + "\n".join(found)
    assert page.console_errors == []


def test_by_keyboard_a_planner_gives_an_orphan_event_a_contribution_claim(transactional_db, world, live_server, page):
    found = log_in_by_keyboard(page, live_server.url, "planner")
    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Events"))
    press_enter_and_wait(page)
    found += scan(page, "event list, reached by keyboard")
    skip_to_content(page)
    tab_to(page, page.locator("#event-table").get_by_role("link", name="EVT-2025-KLE"))
    press_enter_and_wait(page)
    expect(page.get_by_role("alert").filter(has_text="This event claims no objective")).to_be_visible()
    found += scan(page, "orphan event page, reached by keyboard")
    skip_to_content(page)
    tab_to(page, page.locator("#id_objective"))
    page.keyboard.type("TCP-O1")
    tab_to(page, page.get_by_label("Expected change"))
    page.keyboard.type("Renewed working contact with the Philippine Army staff")
    tab_to(page, page.get_by_role("button", name="Add claim"))
    press_enter_and_wait(page)
    claim = page.locator("article.claim")
    expect(claim).to_contain_text("TCP-O1")
    expect(claim).to_contain_text("Renewed working contact with the Philippine Army staff")
    found += scan(page, "event page after the claim")
    assert not found, "serious or critical accessibility violations:\n" + "\n".join(found)
    assert page.console_errors == []


# GET routes that answer with something other than an HTML page, so no role walk opens them: files (their own
# tests read them back in their readers) and a redirect.
NOT_PAGES = {
    "aar-file": "DOCX or PDF",
    "attachment": "a stored file",
    "coverage": "a redirect to the evaluation dashboard",
    "evaluation-report": "DOCX, PDF or XLSX",
    "folder-export": "DOCX or PDF",
    "indicator-chart": "SVG or PNG",
    "lessons-export": "JSON or CSV",
    "objective-measures": "DOCX or PDF",
    "order-file": "DOCX or PDF",
    "packet-file": "DOCX or PDF",
    "person-book": "DOCX or PDF",
    "readiness-calendar": "iCalendar",
}


def test_the_role_walks_open_every_page_the_application_serves(scene):
    from django.urls import resolve

    from .test_query_counts import _accepts_get, _web_patterns

    walked = set()
    for role in ROLES.values():
        for step in role.steps(scene):
            walked.add(resolve((step.path if isinstance(step, Submit) else step).split("?")[0]).url_name)
    walked.add("login")  # scanned by its own test above
    routes = {pattern.name for pattern in _web_patterns() if _accepts_get(pattern)}
    pages = routes - set(NOT_PAGES)
    assert not pages - walked, f"pages no role walk opens, so no axe scan checks: {sorted(pages - walked)}"
    assert set(NOT_PAGES) <= routes, f"NOT_PAGES names routes that are gone: {set(NOT_PAGES) - routes}"
    assert not set(NOT_PAGES) & walked, "a route listed as not a page is walked as one"
