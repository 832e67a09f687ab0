"""Finding one's way: the search box in every page's header, the breadcrumbs of each record page along the thread,
and the script that opens the disclosures of a page being printed."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client

from goldthread.events import services as events

from . import test_accessibility as accessibility
from .conftest import World

# The world with one record behind every page kind, as the accessibility scan builds it.
scene = accessibility.scene


@dataclass
class Crumb:
    text: str
    href: str | None  # None: not a link
    current: bool  # aria-current="page"


@dataclass
class Search:
    attributes: dict[str, str | None]
    inputs: list[dict[str, str | None]] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)


class Page(HTMLParser):
    """What a page offers to find one's way: its breadcrumb trails, its search forms, its navigation landmarks and
    its scripts."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.trails: list[list[Crumb]] = []
        self.searches: list[Search] = []
        self.navigations: list[str | None] = []
        self.scripts: list[dict[str, str | None]] = []
        self._in_trail = self._in_search = self._in_button = self._hidden = False
        self._crumb: Crumb | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "nav":
            self.navigations.append(a.get("aria-label"))
            if a.get("aria-label") == "Breadcrumb":
                self._in_trail = True
                self.trails.append([])
        elif tag == "form" and a.get("role") == "search":
            self.searches.append(Search(a))
            self._in_search = True
        elif tag == "input" and self._in_search:
            self.searches[-1].inputs.append(a)
        elif tag == "button" and self._in_search:
            self._in_button = True
            self.searches[-1].buttons.append("")
        elif tag == "script":
            self.scripts.append(a)
        elif self._in_trail and tag == "li":
            self._crumb = Crumb("", None, a.get("aria-current") == "page")
            self.trails[-1].append(self._crumb)
        elif self._crumb and tag == "a":
            self._crumb.href = a.get("href")
        elif self._crumb and a.get("aria-hidden") == "true":
            self._hidden = True

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_trail = False
        elif tag == "form":
            self._in_search = False
        elif tag == "button":
            self._in_button = False
        elif tag == "li":
            self._crumb = None
        elif tag == "span":
            self._hidden = False

    def handle_data(self, data):
        if self._crumb and not self._hidden:
            self._crumb.text = " ".join(f"{self._crumb.text} {data}".split())
        if self._in_button:
            self.searches[-1].buttons[-1] += data.strip()

    def site_search(self) -> Search:
        (found,) = [s for s in self.searches if s.attributes.get("aria-label") == "Site"]
        return found


def read(client: Client, path: str) -> Page:
    response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return Page(response.content.decode())


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- The search box ------------------------------------------------------------------------------------------------


def test_the_header_search_box_is_on_the_home_and_event_pages_labelled_and_sends_to_the_search_page(scene):
    w = scene
    client = signed_in(w.planner)
    for path in ["/", f"/events/{w.event.uid}/", f"/aars/{w.report.uid}/"]:
        box = read(client, path).site_search()
        assert box.attributes["action"] == "/search/" and box.attributes["method"] == "get", path
        (words,) = box.inputs
        assert words["name"] == "q" and words["type"] == "search", path
        assert words.get("aria-label") == "Search Goldthread", f"{path}: the box has no name of its own"
        assert box.buttons == ["Search"], path


def test_what_the_header_box_sends_finds_an_event_an_observation_and_a_folder_section(scene):
    w = scene
    # Recorded as the application records it, so that the event is indexed (the world's events are written directly).
    event = events.create_event(
        actor=w.planner,
        code="EVT-2025-CG",
        name="Cobra Gold medical exchange",
        event_type="SMEE",
        start_date=date(2025, 2, 24),
        end_date=date(2025, 3, 7),
        executing_unit=w.bct,
        countries=[w.tha],
    )
    client = signed_in(w.planner)
    for words, link in [
        ("Cobra Gold", f"/events/{event.uid}/"),
        ("EVT-2025-CG", f"/events/{event.uid}/"),
        ("interpreters", f"/observations/{w.observation.uid}/"),
        ("visa arrival", "/countries/THA/folder/entry/"),
    ]:
        response = client.get("/search/", {"q": words})  # the GET the header's form sends
        assert response.status_code == 200
        assert f'href="{link}"'.encode() in response.content, f"{words!r} does not find {link}"


def test_the_search_page_keeps_its_own_box_beside_the_header_one_each_its_own_landmark(scene):
    page = read(signed_in(scene.planner), "/search/?q=interpreters")
    assert len(page.searches) == 2
    # Two search landmarks are told apart by their names: the header's is "Site", the page's another or none.
    names = [s.attributes.get("aria-label") for s in page.searches]
    assert "Site" in names and len(set(names)) == 2


def test_the_login_page_has_no_search_box(world, client):
    assert read(client, "/login/").searches == []


# --- Breadcrumbs ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trail:
    """A record page, who reads it, and its trail: each crumb's text and link, the last one the page itself."""

    name: str
    path: Callable[[World], str]
    crumbs: Callable[[World], list[tuple[str, str | None]]]
    user: str = "planner"


def event_trail(w: World, event=None) -> list[tuple[str, str | None]]:
    event = event or w.event
    return [("Events", "/events/"), (event.code, f"/events/{event.uid}/")]


def aar(w: World) -> list[tuple[str, str | None]]:
    return [*event_trail(w), ("AAR", f"/aars/{w.report.uid}/")]


TRAILS = [
    Trail(
        "objective",
        lambda w: f"/objectives/{w.army.uid}/",
        lambda w: [
            ("Objectives", "/objectives/"),
            *[(o.code, f"/objectives/{o.uid}/") for o in (w.national, w.theater, w.imo)],
            ("CSP-THA-2.1", None),
        ],
    ),
    Trail(
        "top objective",
        lambda w: f"/objectives/{w.national.uid}/",
        lambda w: [("Objectives", "/objectives/"), ("NAT-1", None)],
    ),
    Trail(
        "contribution",
        lambda w: f"/objectives/{w.rel.uid}/contribution/",
        lambda w: [("Objectives", "/objectives/"), ("TCP-O1", f"/objectives/{w.rel.uid}/"), ("Contribution", None)],
    ),
    Trail(
        "event",
        lambda w: f"/events/{w.event.uid}/",
        lambda w: [("Events", "/events/"), ("Thailand", "/events/?country=THA"), ("EVT-2025-HG", None)],
    ),
    Trail("aar", lambda w: f"/aars/{w.report.uid}/", lambda w: [*event_trail(w), ("AAR", None)]),
    Trail(
        "aar not started",
        lambda w: f"/events/{w.orphan.uid}/aar/",
        lambda w: [*event_trail(w, w.orphan), ("AAR", None)],
    ),
    Trail(
        "aar editor",
        lambda w: f"/aars/{w.draft.uid}/edit/",
        lambda w: [*event_trail(w, w.next_event), ("AAR", f"/aars/{w.draft.uid}/"), ("Edit", None)],
        user="executor",
    ),
    Trail(
        "observation",
        lambda w: f"/observations/{w.observation.uid}/",
        lambda w: [*aar(w), ("Interpreters short", None)],
    ),
    Trail(
        "channel item",
        lambda w: f"/channel-items/{w.item.uid}/",
        lambda w: [
            *aar(w),
            ("Customs held the vehicles", f"/observations/{w.item.observation.uid}/"),
            ("Access blocker", None),
        ],
        user="sco",
    ),
    Trail(
        "conference",
        lambda w: f"/conferences/{w.conference.uid}/",
        lambda w: [*event_trail(w), ("MPC version 1", None)],
    ),
    Trail("order", lambda w: f"/orders/{w.order.uid}/", lambda w: [*event_trail(w), ("TASKORD 1", None)]),
    Trail("packet", lambda w: f"/events/{w.event.uid}/packet/", lambda w: [*event_trail(w), ("Executor packet", None)]),
    Trail(
        "readiness",
        lambda w: f"/events/{w.event.uid}/readiness/",
        lambda w: [*event_trail(w), ("Travel readiness", None)],
    ),
    Trail(
        "request", lambda w: f"/requests/{w.rfi.uid}/", lambda w: [*event_trail(w), ("Request: Pay", None)], user="sco"
    ),
    Trail("theme", lambda w: f"/themes/{w.theme.uid}/", lambda w: [("Themes", "/themes/"), ("Regional", None)]),
    Trail(
        "indicator of an objective",
        lambda w: f"/indicators/{w.country_moe.uid}/",
        lambda w: [("Indicators", "/indicators/"), ("CSP-THA-2.1", f"/objectives/{w.army.uid}/"), ("MOE-THA-2", None)],
    ),
    Trail(
        "indicator of an event",
        lambda w: f"/indicators/{w.mop.uid}/",
        lambda w: [("Indicators", "/indicators/"), ("EVT-2025-HG", f"/events/{w.event.uid}/"), ("MOP-HG-1", None)],
    ),
    Trail(
        "assessment",
        lambda w: f"/assessments/{w.assessment.uid}/",
        lambda w: [
            ("Objectives", "/objectives/"),
            ("CSP-THA-2.1", f"/objectives/{w.army.uid}/"),
            ("Assessment FY2025", None),
        ],
    ),
    Trail(
        "folder",
        lambda w: "/countries/THA/folder/",
        lambda w: [("Folders", "/folders/"), ("Thailand", None)],
    ),
    Trail(
        "folder section",
        lambda w: "/countries/THA/folder/entry/",
        lambda w: [
            ("Folders", "/folders/"),
            ("Thailand", "/countries/THA/folder/"),
            ("Entry and clearance requirements", None),
        ],
    ),
    Trail(
        "entry rules",
        lambda w: "/countries/THA/entry-rules/",
        lambda w: [("Entry rules", "/entry-rules/"), ("Thailand", None)],
    ),
]


@pytest.mark.parametrize("trail", TRAILS, ids=lambda t: t.name)
def test_each_record_page_has_its_trail_along_the_thread(scene, trail: Trail):
    w = scene
    page = read(signed_in(getattr(w, trail.user)), trail.path(w))
    assert len(page.trails) == 1, f"{trail.name}: {len(page.trails)} breadcrumb trails"
    (crumbs,) = page.trails
    assert [(c.text, c.href) for c in crumbs] == trail.crumbs(w)
    # The page itself is the last crumb, marked as the current page, and the only one so marked.
    assert [c.current for c in crumbs] == [False] * (len(crumbs) - 1) + [True]
    # Landmarks of one kind are told apart by their names (the main menu, the breadcrumbs, a page's own).
    assert len(page.navigations) == len(set(page.navigations)) and None not in page.navigations
    for crumb in crumbs[:-1]:  # every link of the trail leads somewhere that answers
        assert signed_in(getattr(w, trail.user)).get(crumb.href).status_code == 200, crumb


def readiness(w: World) -> list[tuple[str, str | None]]:
    return [*event_trail(w), ("Travel readiness", f"/events/{w.event.uid}/readiness/")]


def indicator(w: World) -> list[tuple[str, str | None]]:
    return [("Indicators", "/indicators/"), ("MOE-THA-2", f"/indicators/{w.country_moe.uid}/")]


# Form pages: the trail leads back to the record the form belongs to, through the page it is reached from if any.
FORM_TRAILS = [
    Trail(
        "conference form",
        lambda w: f"/events/{w.event.uid}/conferences/new/",
        lambda w: [*event_trail(w), ("Planning conferences", None)],
    ),
    Trail(
        "order form",
        lambda w: f"/orders/{w.order.uid}/edit/",
        lambda w: [*event_trail(w), ("Orders", None)],
    ),
    Trail(
        "request form",
        lambda w: f"/events/{w.event.uid}/requests/new/",
        lambda w: [
            *event_trail(w),
            ("Executor packet", f"/events/{w.event.uid}/packet/"),
            ("Request for information", None),
        ],
    ),
    Trail("new theme", lambda w: "/themes/new/", lambda w: [("Themes", "/themes/"), ("New theme", None)]),
    Trail(
        "theme form",
        lambda w: f"/themes/{w.theme.uid}/edit/",
        lambda w: [("Themes", "/themes/"), ("Regional", f"/themes/{w.theme.uid}/"), ("Edit", None)],
    ),
    Trail(
        "new traveler",
        lambda w: f"/events/{w.event.uid}/travelers/new/",
        lambda w: [*readiness(w), ("New traveler", None)],
        user="unit",
    ),
    Trail(
        "traveler form",
        lambda w: f"/travelers/{w.traveler.uid}/edit/",
        lambda w: [*readiness(w), ("SSG Jones", None)],
        user="unit",
    ),
    Trail(
        "indicator form",
        lambda w: f"/indicators/{w.country_moe.uid}/edit/",
        lambda w: [*indicator(w), ("Edit", None)],
        user="desk",
    ),
    Trail(
        "value form",
        lambda w: f"/indicators/{w.country_moe.uid}/values/new/",
        lambda w: [*indicator(w), ("Record a value", None)],
        user="assessor",
    ),
    Trail(
        "folder section form",
        lambda w: "/countries/THA/folder/entry/edit/",
        lambda w: [
            ("Folders", "/folders/"),
            ("Thailand", "/countries/THA/folder/"),
            ("Entry and clearance requirements", "/countries/THA/folder/entry/"),
            ("Edit", None),
        ],
        user="desk",
    ),
    # Not forms, but reached the same way: from a page that is not a list of records.
    Trail(
        "findings",
        lambda w: "/evaluation/findings/orphan-event/?country=THA",
        lambda w: [("Evaluation", "/evaluation/?country=THA"), ("Orphan events", None)],
    ),
    Trail("help page", lambda w: "/help/user-guide/", lambda w: [("Help", "/help/"), ("User guide", None)], user="pao"),
]


@pytest.mark.parametrize("trail", FORM_TRAILS, ids=lambda t: t.name)
def test_each_form_page_has_the_trail_of_a_record_page(scene, trail: Trail):
    w = scene
    response = signed_in(getattr(w, trail.user)).get(trail.path(w))
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert [[(c.text, c.href) for c in crumbs] for crumbs in page.trails] == [trail.crumbs(w)]
    assert [c.current for c in page.trails[0]][-2:] == [False, True]
    # One markup for every trail: the paragraph the forms once had is gone.
    assert b'<p class="crumbs">' not in response.content
    for crumb in page.trails[0][:-1]:
        assert signed_in(getattr(w, trail.user)).get(crumb.href).status_code == 200, crumb


def test_an_event_in_several_countries_has_no_country_in_its_trail(scene):
    w = scene
    w.event.countries.add(w.phl)
    (crumbs,) = read(signed_in(w.planner), f"/events/{w.event.uid}/").trails
    assert [(c.text, c.href) for c in crumbs] == [("Events", "/events/"), ("EVT-2025-HG", None)]


def test_a_list_page_has_no_trail(scene):
    client = signed_in(scene.planner)
    for path in ["/", "/events/", "/objectives/", "/indicators/"]:
        assert read(client, path).trails == [], path


# --- Printing ------------------------------------------------------------------------------------------------------


def test_every_page_loads_the_print_script_from_this_origin(scene):
    w = scene
    client = signed_in(w.planner)
    url = static("goldthread/print.js")
    for path in ["/", f"/events/{w.event.uid}/", "/countries/THA/folder/entry/"]:
        scripts = [s for s in read(client, path).scripts if s.get("src") == url]
        assert len(scripts) == 1 and "defer" in scripts[0], f"{path}: {scripts}"
    response = client.get(url)
    assert response.status_code == 200
    served = b"".join(response.streaming_content) if response.streaming else response.content
    with open(finders.find("goldthread/print.js"), "rb") as script:
        assert served == script.read()
    assert b"beforeprint" in served and b"afterprint" in served
    # The policy runs scripts of this origin only: a static file passes it, an inline script would not.
    assert "script-src 'self'" in client.get("/")["Content-Security-Policy"]
