"""The record pages on a tablet (portrait and landscape) and on a phone, on paper, and in the dark colour scheme, in
a real headless Chromium: nothing scrolls the page sideways (a wide table scrolls in its own box), the header's search
box fits, a printout holds the record without the controls around it, and the dark scheme is dark and passes the
contrast rule."""

import io
from datetime import date

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from goldthread.aars import services as aars
from goldthread.folders import services as folders
from goldthread.measures import services as measures_services
from goldthread.planning import services as planning

from . import test_accessibility as accessibility
from .conftest import World
from .test_accessibility import CONTRAST_ONLY, OPEN_DISCLOSURES, blocking, log_in

pytestmark = pytest.mark.browser

# The accessibility scan's browser page and world of records, as this module's fixtures too.
page, scene = accessibility.page, accessibility.scene

TABLETS = [{"width": 768, "height": 1024}, {"width": 1024, "height": 768}]


def record_pages(w: World) -> list[str]:
    """One page of each kind of record, with its tables, pictures, disclosures and the forms that edit it."""
    return [
        "/",
        "/events/",
        f"/events/{w.event.uid}/",
        f"/objectives/{w.army.uid}/",
        f"/aars/{w.report.uid}/",
        "/countries/THA/folder/",
        f"/indicators/{w.country_moe.uid}/",
        "/evaluation/",
        "/evaluation/portfolio/",
    ]


def visit(page: Page, base: str, path: str) -> None:
    response = page.goto(f"{base}{path}")
    assert response and response.status == 200, f"{path} answered {response and response.status}"


# How far the page reaches past the right edge of the window, and the main menu's links that do.
OVERFLOW = """() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    menu: [...document.querySelectorAll('nav[aria-label="Main"] a')]
        .filter(a => a.getBoundingClientRect().right > window.innerWidth).map(a => a.textContent.trim()),
})"""


def test_on_a_tablet_no_record_page_scrolls_sideways(transactional_db, scene, live_server, page):
    log_in(page, live_server.url, "planner")
    found = []
    for path in [*record_pages(scene), f"/events/{scene.event.uid}/edit/"]:
        visit(page, live_server.url, path)
        page.evaluate(OPEN_DISCLOSURES)  # what a click reveals must fit too
        for size in TABLETS:  # turning the tablet lays the same page out again
            page.set_viewport_size(size)
            where = f"{path} at {size['width']}×{size['height']}"
            expect(page.get_by_role("navigation", name="Main"), where).to_be_visible()
            overflow = page.evaluate(OVERFLOW)
            if overflow["page"] > 0:
                found.append(f"{where}: the page is {overflow['page']}px wider than the window")
            if overflow["menu"]:
                found.append(f"{where}: menu links past the right edge: {overflow['menu']}")
    assert not found, "\n".join(found)


# The event list's table: the box around it that scrolls, if any, and how wide the table, the box and the page are.
WIDE_TABLE = """() => {
    const table = document.querySelector('#event-table table'), box = table.closest('.table-scroll');
    return {
        box: box && {
            role: box.getAttribute('role'), tabindex: box.getAttribute('tabindex'),
            name: box.getAttribute('aria-label'), overflow: getComputedStyle(box).overflowX,
            width: box.clientWidth, content: box.scrollWidth,
        },
        display: getComputedStyle(table).display,
        page: document.documentElement.scrollWidth - window.innerWidth,
    };
}"""


def test_on_a_tablet_a_wide_list_table_scrolls_in_its_own_box_by_keyboard_too(
    transactional_db, scene, live_server, page
):
    log_in(page, live_server.url, "planner")
    page.set_viewport_size(TABLETS[0])
    visit(page, live_server.url, "/events/")
    found = page.evaluate(WIDE_TABLE)
    assert found["box"], "the event list's table is not in a .table-scroll box"
    box = found["box"]
    assert (box["role"], box["tabindex"], box["overflow"]) == ("region", "0", "auto") and box["name"]
    assert found["display"] == "table", "the table itself is made a block, which loses its rows and columns"
    assert box["content"] > box["width"], "the table fits the window: nothing here shows where it scrolls"
    assert found["page"] <= 0, f"the page is {found['page']}px wider than the window"
    scroller = page.locator("#event-table .table-scroll")
    scroller.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("box => box.scrollLeft > 0", arg=scroller.element_handle())
    assert page.evaluate(WIDE_TABLE)["page"] <= 0


# Where the header's search form sits: whether it is inside the window, and how many of the main menu's links and of
# the log-out form's parts it covers.
HEADER_SEARCH = """() => {
    const form = document.querySelector('header form[role="search"]');
    const box = form.getBoundingClientRect();
    const covers = r => r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
    const others = [...document.querySelectorAll('nav[aria-label="Main"] a, header .logout > *')];
    return {
        inside: [...form.querySelectorAll('input, button')].every(e => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;
        }),
        covered: others.filter(e => covers(e.getBoundingClientRect())).map(e => e.textContent.trim()),
    };
}"""


def test_the_header_search_box_fits_beside_the_menu_on_a_phone_and_a_tablet(transactional_db, scene, live_server, page):
    log_in(page, live_server.url, "planner")
    visit(page, live_server.url, "/")
    for size in [{"width": 390, "height": 844}, *TABLETS]:
        page.set_viewport_size(size)
        where = f"{size['width']}×{size['height']}"
        expect(page.get_by_role("searchbox", name="Search Goldthread"), where).to_be_visible()
        found = page.evaluate(HEADER_SEARCH)
        assert found["inside"], f"{where}: the search box or its button reaches past the window"
        assert not found["covered"], f"{where}: the search box covers {found['covered']}"


# The visible controls that navigate away or change the record: the main menu, log-out, buttons, forms.
CONTROLS = """() => [...document.querySelectorAll(
    '.skip, nav[aria-label="Main"], .logout, main form, main button, main .button, main .actions'
)].filter(e => e.checkVisibility()).map(e => e.outerHTML.slice(0, 100))"""


def test_a_printed_record_page_holds_the_record_without_its_controls(transactional_db, scene, live_server, page):
    log_in(page, live_server.url, "planner")
    found, controls_on_screen = [], 0
    for path in record_pages(scene):
        visit(page, live_server.url, path)
        controls_on_screen += len(page.evaluate(CONTROLS))
        page.emulate_media(media="print")
        found += [f"{path}: printed {html}" for html in page.evaluate(CONTROLS)]
        expect(page.get_by_role("heading", level=1), path).to_be_visible()
        for banner in page.get_by_role("note", name="Classification").all():  # at the top and at the bottom
            expect(banner, path).to_be_visible()
            expect(banner, path).to_have_text(settings.CLASSIFICATION)
        page.emulate_media(media="screen")
    assert controls_on_screen > 0, "the pages showed no control on screen: the print check checked nothing"
    assert not found, "\n".join(found)

    visit(page, live_server.url, f"/events/{scene.event.uid}/")
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = "\n".join(sheet.extract_text() for sheet in pdf.pages)
    assert len(pdf.pages) >= 1
    assert scene.event.code in text
    assert text.count(settings.CLASSIFICATION) >= 2, "the classification is printed at the top and at the bottom"
    assert "Log out" not in text and "Executor packet" not in text  # the menu and the buttons stay on screen


# The computed colours of the page's body as relative luminance (WCAG), 0 for black to 1 for white.
LUMINANCE = """() => {
    const luminance = colour => {
        const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(c => {
            c = c / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const body = getComputedStyle(document.body), main = getComputedStyle(document.querySelector("main"));
    return {body: luminance(body.backgroundColor), main: luminance(main.backgroundColor), text: luminance(main.color)};
}"""


def test_in_the_dark_scheme_record_pages_are_dark_and_legible(transactional_db, scene, live_server, page):
    log_in(page, live_server.url, "planner")
    page.emulate_media(color_scheme="dark")
    found = []
    for path in record_pages(scene):
        visit(page, live_server.url, path)
        page.evaluate(OPEN_DISCLOSURES)
        colours = page.evaluate(LUMINANCE)
        if not (colours["body"] < 0.2 and colours["main"] < 0.2 and colours["text"] > 0.6):
            found.append(f"{path}: not light text on a dark page in the dark scheme: {colours}")
        found += blocking(page, f"{path} [dark]", CONTRAST_ONLY)
    assert not found, "\n".join(found)


# Each disclosure of the page: whether it is open.
DISCLOSURES = "() => [...document.querySelectorAll('details')].map(d => d.open)"


def test_printing_opens_the_closed_disclosures_and_closes_them_again_after(transactional_db, scene, live_server, page):
    log_in(page, live_server.url, "planner")
    visit(page, live_server.url, f"/events/{scene.event.uid}/")
    page.wait_for_load_state("load")  # print.js is deferred: it runs before the load event
    on_screen = page.evaluate(DISCLOSURES)
    assert False in on_screen, "the event page has no closed disclosure: the check would check nothing"
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert all(page.evaluate(DISCLOSURES)), "a disclosure stayed closed on paper"
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate(DISCLOSURES) == on_screen, "the page on screen did not come back as it was"


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_scene(scene: World) -> World:
    """The scene with rows in the tables it leaves empty or away: a conference's attendees, a folder's contact, an
    observation's key assumptions, an assessment's evidence, and an issued FRAGO with what it changes. Their
    addresses and file names are the long unbroken words that real rows hold and a phone cannot wrap."""
    w = scene
    planning.set_attendees(
        actor=w.planner,
        conference=w.conference,
        attendees=[
            {"name": "LTC Somchai Wongsawat", "organization": w.rta, "role": "Liaison to the combined G3 plans cell"},
            {"name": "MAJ Alvarez", "organization": w.bct, "role": "Brigade S3 planner"},
        ],
    )
    folders.add_contact(
        actor=w.desk,
        country=w.tha,
        role="Defense attaché",
        name="COL Whitaker",
        organization="U.S. Embassy Bangkok",
        email="defense.attache.bangkok@embassy.example.gov",
        phone="+66 2 205 4000",
        held_from=date(2024, 7, 1),
    )
    analysis = {
        "assumptions": [
            {
                "assumption": "Range control would confirm a closure a week ahead",
                "held": False,
                "evidence": "RangeControl-ClosureNotice-2026-06-22.pdf",
            }
        ]
    }
    aars.update_observation(
        actor=w.executor,
        observation=w.draft_observation,
        version=w.draft_observation.version,
        fields={"analysis": analysis},
    )
    measures_services.cite(
        actor=w.assessor,
        assessment=w.assessment,
        kind="DOCUMENT",
        document="RTA-CavalryCenter-ExerciseReport-FY2025.pdf",
        note="Staffs planned to the combined timeline.",
    )
    planning.issue_order(actor=w.planner, order=w.order)
    w.frago = planning.draft_order(
        actor=w.planner,
        event=w.event,
        kind="FRAGO",
        issuer=w.usarpac,
        title="Range moved",
        change_reason="The range closed; live fire moves to Ban-Phanom-Sarakham-Range-2",
        execution="Live fire at Ban-Phanom-Sarakham-Range-2 from day 3.",
    )
    planning.issue_order(actor=w.planner, order=w.frago)
    return w


def phone_pages(w: World) -> list[tuple[str, str]]:
    """(user, page) for each record page whose tables are wide on a phone, as a user who sees all of its tables: the
    unit planner reviews the AAR, so its deliveries show; the desk officer has a country, so the evaluation pages
    show its row; the assessor may still change the draft assessment, and the executor's draft observation has its
    analysis."""
    return [
        ("planner", "/"),
        ("planner", f"/objectives/{w.army.uid}/"),
        ("planner", f"/objectives/{w.army.uid}/contribution/"),
        ("planner", f"/events/{w.event.uid}/"),
        ("planner", f"/indicators/{w.country_moe.uid}/"),
        ("planner", f"/events/{w.event.uid}/readiness/"),
        ("planner", "/help/strategic-planner/"),
        ("planner", f"/conferences/{w.conference.uid}/"),
        ("planner", f"/orders/{w.frago.uid}/"),
        ("planner", f"/events/{w.event.uid}/packet/"),
        ("desk", "/countries/THA/folder/"),
        ("desk", "/evaluation/"),
        ("desk", "/evaluation/findings/orphan-event/"),
        ("assessor", f"/assessments/{w.assessment.uid}/"),
        ("executor", f"/observations/{w.draft_observation.uid}/"),
        ("unit", f"/aars/{w.report.uid}/"),
    ]


# How far the page reaches past the right edge of the window; the tables of main outside a scrolling box that do
# not fit it; the names of the boxes; and, to say why a page is too wide, the outermost elements past the edge.
PHONE_OVERFLOW = """() => {
    const edge = window.innerWidth, past = e => e.getBoundingClientRect().right > edge + 0.5;
    const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
        (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
    const main = document.querySelector('main');
    const boxes = [...main.querySelectorAll('.table-scroll')];
    return {
        page: document.documentElement.scrollWidth - edge,
        loose: [...main.querySelectorAll('table')].filter(t => !t.closest('.table-scroll') && past(t))
            .map(t => (t.closest('section[aria-labelledby]') || main).getAttribute('aria-labelledby') || 'main'),
        names: boxes.map(b => b.getAttribute('aria-label')),
        unnamed: boxes.filter(b => b.getAttribute('role') !== 'region' || b.getAttribute('tabindex') !== '0').length,
        causes: [...document.body.querySelectorAll('*')]
            .filter(e => past(e) && !e.closest('.table-scroll') && !(e.parentElement && past(e.parentElement)))
            .map(describe),
    };
}"""


def test_on_a_phone_wide_tables_scroll_in_named_boxes_and_the_page_does_not(
    transactional_db, phone_scene, live_server, page
):
    page.set_viewport_size(PHONE)
    found, user = [], None
    for username, path in phone_pages(phone_scene):
        if username != user:
            page.context.clear_cookies()
            log_in(page, live_server.url, username)
            user = username
        visit(page, live_server.url, path)
        page.evaluate(OPEN_DISCLOSURES)
        result = page.evaluate(PHONE_OVERFLOW)
        if not result["names"]:
            found.append(f"{path}: no table in a scrolling box, so nothing here was checked")
        if result["page"] > 0:
            found.append(f"{path}: the page is {result['page']}px wider than the window: {result['causes']}")
        if result["loose"]:
            found.append(f"{path}: tables wider than the window outside a scrolling box, under {result['loose']}")
        if result["unnamed"] or not all(result["names"]) or len(set(result["names"])) < len(result["names"]):
            found.append(
                f"{path}: scrolling boxes without a region role, a tab stop or a name of their own: {result['names']}"
            )
    assert not found, "\n".join(found)
