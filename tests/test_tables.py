"""Lists that behave like a spreadsheet: sort by a column header, choose the columns shown (remembered per user),
bulk actions on the selected rows, a pager that keeps the filters, and empty states that say what to do next."""

import csv
import io
import re
import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from playwright.sync_api import expect

from goldthread.core.models import AuditEntry
from goldthread.delivery import services as delivery
from goldthread.delivery.models import Delivery
from goldthread.events import services as events
from goldthread.events.models import Event

from .conftest import make_user
from .test_browser import log_in, page, tour  # noqa: F401 - the headless Chromium of the browser tests


def signed_in(client, user):
    client.force_login(user)
    return client


def codes(html: str) -> list[str]:
    """The event codes of the table's rows, in order (the row's link to the event)."""
    return re.findall(r'<td class="nowrap"><a href="/events/[0-9a-f-]+/">([A-Z0-9-]+)</a>', html)


def headers(html: str) -> list[str]:
    """The header cells of the first table, as text, with what only screen readers hear."""
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th\b.*?</th>", head, re.S)]


def th_of(html: str, label: str) -> str:
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    return next(cell for cell in re.findall(r"<th\b.*?</th>", head, re.S) if f">{label}<" in cell)


def proposal(w, code: str, day: date) -> Event:
    return events.create_event(
        actor=w.planner,
        code=code,
        name=f"Proposal {code}",
        event_type="KLE",
        start_date=day,
        end_date=day,
        countries=[w.phl],
    )


# --- Sorting ------------------------------------------------------------------------------------------------------


def test_a_column_header_sorts_ascending_then_descending_and_says_so(client, world):
    signed_in(client, world.planner)
    html = client.get("/events/", {"sort": "start_date"}).content.decode()
    assert codes(html) == ["EVT-2025-KLE", "EVT-2025-HG"]  # 1 March before 20 June
    start = th_of(html, "Start")
    assert 'aria-sort="ascending"' in start and "(sorted ascending)" in start
    assert "sort=-start_date" in start  # the header now sorts the other way
    assert "aria-sort" not in th_of(html, "Code")

    html = client.get("/events/", {"sort": "-start_date"}).content.decode()
    assert codes(html) == ["EVT-2025-HG", "EVT-2025-KLE"]
    assert 'aria-sort="descending"' in th_of(html, "Start") and "(sorted descending)" in html

    by_code = client.get("/events/", {"sort": "-code"}).content.decode()
    assert codes(by_code) == ["EVT-2025-KLE", "EVT-2025-HG"]
    assert codes(client.get("/events/", {"sort": "code"}).content.decode()) == ["EVT-2025-HG", "EVT-2025-KLE"]


@pytest.mark.parametrize("key", ["title", "type", "country", "end_date", "fiscal_year", "status"])
def test_every_event_column_sorts_both_ways(client, world, key):
    Event.objects.filter(pk=world.orphan.pk).update(fiscal_year=2024)  # the two events differ on every column
    signed_in(client, world.planner)
    ascending = codes(client.get("/events/", {"sort": key}).content.decode())
    descending = codes(client.get("/events/", {"sort": f"-{key}"}).content.decode())
    assert sorted(ascending) == ["EVT-2025-HG", "EVT-2025-KLE"]
    assert ascending == descending[::-1]


@pytest.mark.parametrize("key", ["country", "-status", "executing_unit", "-title"])
def test_sorting_a_list_filtered_by_country_lists_each_event_once(client, world, key):
    # The country filter makes the query distinct; its sort columns must still be selectable on PostgreSQL.
    world.orphan.countries.add(world.tha)
    signed_in(client, world.planner)
    listed = codes(client.get("/events/", {"country": "THA", "sort": key}).content.decode())
    assert sorted(listed) == ["EVT-2025-HG", "EVT-2025-KLE"]


@pytest.mark.parametrize("key", ["executing_unit", "series"])
def test_rows_without_a_value_come_last_either_way(client, world, key):
    signed_in(client, world.planner)  # the office call has neither unit nor series
    assert codes(client.get("/events/", {"sort": key}).content.decode()) == ["EVT-2025-HG", "EVT-2025-KLE"]
    assert codes(client.get("/events/", {"sort": f"-{key}"}).content.decode()) == ["EVT-2025-HG", "EVT-2025-KLE"]


def test_sorting_by_status_follows_the_lifecycle_not_the_alphabet(client, world):
    signed_in(client, world.planner)
    Event.objects.filter(pk=world.orphan.pk).update(status=Event.Status.CANCELLED)
    # Alphabetically CANCELLED comes before APPROVED; in the lifecycle it is the last status.
    assert codes(client.get("/events/", {"sort": "status"}).content.decode()) == ["EVT-2025-HG", "EVT-2025-KLE"]


@pytest.mark.parametrize("sort", ["password", "-", "countries__name", "-id", "code;drop", "\x00", "x" * 500])
def test_an_unknown_sort_key_is_ignored(client, world, sort):
    signed_in(client, world.planner)
    response = client.get("/events/", {"sort": sort})
    assert response.status_code == 200
    html = response.content.decode()
    assert codes(html) == ["EVT-2025-HG", "EVT-2025-KLE"]  # the default: newest start first
    assert 'aria-sort="descending"' in th_of(html, "Start")


def test_sort_links_keep_the_filters_and_go_back_to_the_first_page(client, world):
    signed_in(client, world.planner)
    html = client.get("/events/", {"country": "PHL", "sort": "code", "page": "1"}).content.decode()
    link = re.search(r'href="([^"]+)"', th_of(html, "Start")).group(1)
    assert "country=PHL" in link and "sort=start_date" in link and "page=" not in link
    assert codes(html) == ["EVT-2025-KLE"]
    # The sort rides along when a filter changes (htmx sends the filter form, which this field belongs to).
    assert '<input type="hidden" name="sort" value="code" form="event-filters">' in html


def test_the_htmx_partial_sorts_and_its_links_update_in_place(client, world):
    signed_in(client, world.planner)
    partial = client.get("/events/", {"sort": "start_date"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and codes(partial) == ["EVT-2025-KLE", "EVT-2025-HG"]
    start = th_of(partial, "Start")
    assert 'hx-get="/events/?sort=-start_date"' in start and 'hx-push-url="true"' in start


def test_the_pager_keeps_filters_and_sort(client, world):
    Event.objects.bulk_create(
        Event(
            code=f"EVT-BULK-{n:02}",
            name=f"Office call {n}",
            event_type="KLE",
            start_date=date(2024, 1, 1) + timedelta(days=n),
            end_date=date(2024, 1, 1) + timedelta(days=n),
            fiscal_year=2024,
        )
        for n in range(55)
    )
    signed_in(client, world.planner)
    html = client.get("/events/", {"type": "KLE", "sort": "code"}).content.decode()
    assert "56 events, page 1 of 2." in html
    following = re.search(r'<a href="([^"]+)"[^>]*>Next</a>', html).group(1).replace("&amp;", "&")
    assert "type=KLE" in following and "sort=code" in following and "page=2" in following
    second = client.get(following).content.decode()
    assert codes(second) == [f"EVT-BULK-{n:02}" for n in range(49, 55)]  # EVT-2025-KLE came first


def test_the_aar_and_indicator_lists_sort_too(client, measures):
    w = measures
    signed_in(client, w.planner)
    indicators = client.get("/indicators/", {"sort": "-code"}).content.decode()
    listed = re.findall(r'class="code">([A-Z0-9-]+)</a>', indicators)
    assert listed == sorted(listed, reverse=True) and len(listed) == 4
    assert 'aria-sort="descending"' in th_of(indicators, "Code")
    assert client.get("/indicators/", {"sort": "latest"}).status_code == 200  # computed: not a sort key

    from goldthread.aars import services as aars

    aars.start(actor=w.planner, event=w.event)
    Event.objects.filter(pk=w.orphan.pk).update(status=Event.Status.COMPLETED)
    aars.start(actor=w.planner, event=Event.objects.get(pk=w.orphan.pk))
    first = client.get("/aars/", {"sort": "due"}).content.decode().split("<h2")[0]
    last = client.get("/aars/", {"sort": "-due"}).content.decode().split("<h2")[0]
    assert first.index("EVT-2025-KLE") < first.index("EVT-2025-HG")  # the office call ended first
    assert last.index("EVT-2025-HG") < last.index("EVT-2025-KLE")
    assert 'aria-sort="ascending"' in th_of(first, "Due")


# --- Columns ------------------------------------------------------------------------------------------------------


def test_the_columns_chosen_show_and_are_remembered_for_the_next_visit(client, world):
    signed_in(client, world.planner)
    default = headers(client.get("/events/").content.decode())
    assert "Executing unit" in default and "Series" not in default

    chosen = client.get("/events/", {"columns": "code,title,series"}).content.decode()
    assert headers(chosen)[1:] == ["Code", "Event", "Series"]  # after the selection box's column
    assert "<td>Hanuman Guardian</td>" in chosen and "<td>2-2 SBCT</td>" not in chosen

    again = client.get("/events/", {"sort": "code"}).content.decode()
    assert headers(again)[1:] == ["Code ▲ (sorted ascending)", "Event", "Series"]
    # The form offers the choice as it stands.
    assert re.search(r'value="series" checked', again) and not re.search(r'value="status" checked', again)

    assert "Executing unit" in headers(client.get("/events/", {"columns": ""}).content.decode())  # back to defaults
    assert "Series" not in headers(client.get("/events/").content.decode())


def test_the_columns_form_submits_one_value_per_box_and_the_code_cannot_be_hidden(client, world):
    signed_in(client, world.planner)
    chosen = client.get("/events/", [("columns", "title"), ("columns", "status"), ("columns", "nonsense")]).content
    assert headers(chosen.decode())[1:] == ["Code", "Event", "Status"]
    assert headers(client.get("/events/", {"columns": "title"}).content.decode())[1:] == ["Code", "Event"]
    html = client.get("/events/").content.decode()
    assert '<input type="hidden" name="columns" value="code">' in html  # the disabled Code box still counts


def test_each_user_and_each_table_remembers_its_own_columns(client, world):
    signed_in(client, world.planner).get("/events/", {"columns": "code,series"})
    assert headers(client.get("/events/").content.decode())[1:] == ["Code", "Series"]
    other = signed_in(type(client)(), world.unit)
    assert "Executing unit" in headers(other.get("/events/").content.decode())
    client.get("/indicators/", {"columns": "code,status"})
    assert headers(client.get("/events/").content.decode())[1:] == ["Code", "Series"]


def test_the_home_page_keeps_its_event_rows(client, world):
    proposal(world, "EVT-SOON", date.today() + timedelta(days=10))
    html = signed_in(client, world.reader).get("/").content.decode()  # the theater's next events
    assert headers(html) == ["Code", "Event", "Type", "Countries", "Start", "End", "FY", "Status", "Executing unit"]
    assert "EVT-SOON" in html and "aria-sort" not in html and 'form="event-bulk"' not in html


# --- Bulk actions on events ----------------------------------------------------------------------------------------


def test_moving_the_selected_events_audits_each_move(client, world):
    other = proposal(world, "EVT-2025-NEW", date(2025, 4, 1))
    before = AuditEntry.objects.filter(action="event.transitioned").count()
    signed_in(client, world.planner)
    response = client.post(
        "/events/selected/",
        {
            "event": [str(world.orphan.uid), str(other.uid)],
            "action": "transition",
            "status": "APPROVED",
            "query": "country=PHL&sort=code",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/events/?country=PHL&sort=code"
    assert set(Event.objects.filter(pk__in=[world.orphan.pk, other.pk]).values_list("status", flat=True)) == {
        "APPROVED"
    }
    moved = AuditEntry.objects.filter(action="event.transitioned").order_by("pk")[before:]
    assert sorted(e.object_uid for e in moved) == sorted([world.orphan.uid, other.uid])
    assert all(e.actor == world.planner and e.changes == {"status": ["PROPOSED", "APPROVED"]} for e in moved)
    assert "2 events moved to approved." in client.get(response["Location"]).content.decode()


def test_one_event_that_cannot_move_stops_them_all_and_is_named(client, world):
    signed_in(client, world.planner)  # logging in is audited too
    before = AuditEntry.objects.count()
    # The exercise may go on to planning (it claims an objective); the office call is only proposed.
    response = client.post(
        "/events/selected/",
        {"event": [str(world.event.uid), str(world.orphan.uid)], "action": "transition", "status": "PLANNING"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "No event was moved: 1 of the 2 selected cannot become planning." in html
    assert re.search(r">EVT-2025-KLE</a>: A proposed event cannot become planning", html)
    assert "EVT-2025-HG</a>:" not in html
    assert Event.objects.get(pk=world.event.pk).status == "APPROVED"
    assert Event.objects.get(pk=world.orphan.pk).status == "PROPOSED"
    assert AuditEntry.objects.count() == before
    # The selection is kept, ticked, for another try.
    assert re.search(rf'value="{world.orphan.uid}" form="event-bulk" aria-label="Select EVT-2025-KLE" checked', html)


def test_exporting_the_selected_events_gives_exactly_their_rows(client, world):
    third = proposal(world, "EVT-2025-THIRD", date(2025, 5, 1))
    signed_in(client, world.reader)  # reading, and so exporting, is open to every user
    response = client.post("/events/selected/", {"event": [str(world.orphan.uid), str(third.uid)], "action": "export"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["EVENT_CODE"] for row in rows] == ["EVT-2025-KLE", "EVT-2025-THIRD"]
    assert AuditEntry.objects.filter(action="reconciliation.exported", actor=world.reader).exists()


def test_a_reader_cannot_move_events(client, world):
    signed_in(client, world.reader)
    html = client.get("/events/").content.decode()
    assert "Export selected as CSV" in html and "Move selected to status" not in html
    response = client.post(
        "/events/selected/", {"event": [str(world.orphan.uid)], "action": "transition", "status": "APPROVED"}
    )
    assert response.status_code == 403
    assert "You may not move events" in response.content.decode()
    assert Event.objects.get(pk=world.orphan.pk).status == "PROPOSED"


NOWHERE = "00000000-0000-0000-0000-000000000000"


@pytest.mark.parametrize(
    ("selected", "data", "message"),
    [
        ([], {"action": "transition", "status": "APPROVED"}, "Select at least one event first"),
        ([], {"action": "export"}, "Select at least one event first"),
        (["not-a-uid"], {"action": "export"}, "1 of the selected events does not exist"),
        ([NOWHERE], {"action": "transition", "status": "APPROVED"}, "1 of the selected events does not exist"),
        (["orphan"], {"action": "delete"}, "Choose what to do with the selected events"),
        (["orphan"], {"action": "transition", "status": "GONE"}, "Choose the status"),
        (["orphan"], {"action": "transition"}, "Choose the status"),
        (["orphan", "orphan", "x"], {"action": "export", "query": "\x00%zz&page=999"}, "does not exist"),
    ],
)
def test_hostile_bulk_posts_change_nothing_and_say_why(client, world, selected, data, message):
    data["event"] = [str(world.orphan.uid) if uid == "orphan" else uid for uid in selected]
    signed_in(client, world.planner)  # logging in is audited too
    before = AuditEntry.objects.count()
    response = client.post("/events/selected/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert AuditEntry.objects.count() == before and Event.objects.get(pk=world.orphan.pk).status == "PROPOSED"


def test_selection_boxes_are_labelled_and_select_all_waits_for_the_script(client, world):
    html = signed_in(client, world.planner).get("/events/").content.decode()
    assert 'aria-label="Select EVT-2025-HG"' in html and 'aria-label="Select EVT-2025-KLE"' in html
    assert re.search(r'<input type="checkbox" data-select-all="event-bulk" aria-label="[^"]+" hidden>', html)
    assert '<script src="/static/goldthread/tables.js" defer></script>' in html
    assert client.get("/static/goldthread/tables.js").status_code == 200


# --- The inbox ----------------------------------------------------------------------------------------------------


@pytest.fixture
def inbox(world):
    """Two records delivered to the unit planner, one to the strategic planner."""
    w = world
    w.mine = [
        delivery.deliver(
            actor=w.planner, event=w.event, record=record, title=title, path="/", recipients={w.unit: "Unit"}
        )[0]
        for record, title in ((w.claim, "Claim record"), (w.orphan, "Office call record"))
    ]
    w.theirs = delivery.deliver(
        actor=w.planner, event=w.event, record=w.event, title="Planner's record", path="/", recipients={w.planner: "x"}
    )[0]
    return w


def test_acknowledging_the_selected_records(client, inbox):
    w = inbox
    signed_in(client, w.unit)
    html = client.get("/inbox/").content.decode()
    assert "Acknowledge selected" in html and 'aria-label="Select Claim record"' in html
    response = client.post("/inbox/acknowledge/", {"delivery": [str(d.uid) for d in w.mine], "query": "unread=1"})
    assert response.status_code == 302 and response["Location"] == "/inbox/?unread=1"
    assert all(d.acknowledged for d in Delivery.objects.filter(recipient=w.unit))
    assert AuditEntry.objects.filter(action="delivery.acknowledged", actor=w.unit).count() == 2
    assert "Acknowledged 2 records." in client.get("/inbox/").content.decode()


@pytest.mark.parametrize("which", ["theirs", "unknown", "junk", "none"])
def test_acknowledging_what_is_not_yours_changes_nothing(client, inbox, which):
    w = inbox
    chosen = {
        "theirs": [str(w.mine[0].uid), str(w.theirs.uid)],
        "unknown": [str(w.mine[0].uid), "00000000-0000-0000-0000-000000000000"],
        "junk": ["<script>"],
        "none": [],
    }[which]
    response = signed_in(client, w.unit).post("/inbox/acknowledge/", {"delivery": chosen})
    assert response.status_code == 400
    html = response.content.decode()
    assert ("Select at least one record first" if which == "none" else "not in your inbox") in html
    assert not Delivery.objects.filter(acknowledged__isnull=False).exists()


def test_the_inbox_pages(client, inbox):
    w = inbox
    sent = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(recipient=w.unit, record_type="x", record_uid=uuid.uuid4(), title=f"Record {n}", path="/", sent=sent)
        for n in range(51)
    )
    html = signed_in(client, w.unit).get("/inbox/", {"unread": "1"}).content.decode()
    assert "53 records unread, page 1 of 2." in html
    assert 'href="/inbox/?unread=1&amp;page=2">Next</a>' in html


# --- Empty states -------------------------------------------------------------------------------------------------


def test_lists_with_no_rows_for_the_filters_say_how_to_see_them_all(client, measures):
    signed_in(client, measures.planner)
    for path, params, text in (
        ("/events/", {"q": "nothing like it"}, "No events match these filters."),
        ("/aars/", {"status": "APPROVED"}, "No reports match these filters."),
        ("/indicators/", {"q": "nothing like it"}, "No indicators match these filters."),
        ("/themes/", {"status": "RETIRED"}, "No themes match these filters."),
        ("/objectives/list/", {"q": "nothing like it"}, "No objectives match these filters."),
    ):
        html = client.get(path, params).content.decode()
        assert text in html, path
        assert re.search(rf'<a href="{path}">Clear the filters</a>', html), path


def test_empty_lists_say_what_to_do_next(client, db):
    planner = make_user("planner", "strategic_planner")
    reader = make_user("reader", "reader")
    signed_in(client, planner)
    expected = {
        "/events/": ["No events yet.", 'href="/events/new/">New event</a>'],
        "/aars/": ["No after-action reports yet.", "Start the AAR"],
        "/indicators/": ["No indicators yet.", 'href="/indicators/new/">New indicator</a>'],
        "/objectives/list/": ["No objectives yet.", "POST /api/v1/objectives"],
        "/folders/": ["No country is in the area of responsibility yet"],
        "/inbox/": ["Nothing delivered to you yet: records reach you when"],
    }
    for path, texts in expected.items():
        html = client.get(path).content.decode()
        for text in texts:
            assert text in html, (path, text)
    signed_in(client, reader)
    html = client.get("/events/").content.decode()
    assert "No events yet. Events appear here once a planner records them." in html
    assert "/events/new/" not in html.split("<main")[1]
    assert "Nothing unread" in client.get("/inbox/", {"unread": "1"}).content.decode()


# --- Query counts -------------------------------------------------------------------------------------------------


def _queries(client, path: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "params",
    [{}, {"sort": "country"}, {"sort": "-status", "columns": "code,title,series,country"}, {"sort": "-executing_unit"}],
)
def test_sorting_and_columns_cost_no_query_per_row(client, world, params):
    signed_in(client, world.planner)
    _queries(client, "/events/", params)  # the first read stores the choice of columns in the session
    few = _queries(client, "/events/", params)
    for n in range(6):
        proposal(world, f"EVT-QC-{n}", date(2025, 1, 6) + timedelta(days=7 * n))
    assert _queries(client, "/events/", params) == few
    assert few == _queries(client, "/events/", {}), "the same choice again is not written to the session again"


# --- In a browser: select all, and sorting in place ------------------------------------------------------------


@pytest.mark.browser
def test_in_a_browser_select_all_ticks_the_page_and_sorting_swaps_the_table(
    transactional_db,
    world,
    live_server,
    tour,  # noqa: F811 - the fixture imported above
):
    browser = tour.page
    log_in(tour, live_server.url, "planner")
    browser.goto(f"{live_server.url}/events/")
    tour.seen("event list")
    every = browser.get_by_label("Select all events on this page")
    every.check()
    expect(browser.get_by_label("Select EVT-2025-HG")).to_be_checked()
    expect(browser.get_by_label("Select EVT-2025-KLE")).to_be_checked()
    browser.get_by_label("Select EVT-2025-HG").uncheck()
    expect(every).not_to_be_checked()

    browser.locator("#event-table th").get_by_role("link", name="Start").click()  # htmx swaps the table in place
    expect(browser.locator('th[aria-sort="ascending"]')).to_contain_text("Start")
    assert "sort=start_date" in browser.url
    expect(browser.get_by_label("Select all events on this page")).to_be_visible()  # revealed again after the swap
    tour.seen("event list sorted by start")

    browser.get_by_label("Select EVT-2025-KLE").check()
    browser.get_by_label("Move selected to status").select_option("APPROVED")
    browser.get_by_role("button", name="Move", exact=True).click()
    expect(browser.get_by_text("1 event moved to approved.")).to_be_visible()
    tour.seen("event list after the move")
    assert "sort=start_date" in browser.url
    assert Event.objects.get(pk=world.orphan.pk).status == "APPROVED"
    assert browser.console_errors == []
    tour.assert_accessible()
