"""The home page ("my work"): each role sees its own inbox, deadlines and overdue items, its countries' or
organization's events and the recent changes to what it follows — not anyone else's — with empty states that say what
to do next, a guide per role, and a number of queries that does not grow with the items shown."""

import re
from datetime import date, timedelta
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from goldthread.aars import services as aars
from goldthread.aars.models import Observation
from goldthread.core.roles import ROLES
from goldthread.delivery import services as delivery
from goldthread.delivery.models import Delivery
from goldthread.events import services as events
from goldthread.events.models import Event
from goldthread.measures import services as measure_services
from goldthread.readiness import services as readiness
from goldthread.web import mywork

from .conftest import make_user

GUIDES = Path(__file__).resolve().parent.parent / "docs" / "user-guide"


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def panel(html: str, heading: str) -> str:
    """The section labelled by the heading with id `heading`; empty if the page has none."""
    start = html.find(f'<section aria-labelledby="{heading}">')
    return html[start : html.index("</section>", start)] if start >= 0 else ""


def upcoming(w, code: str, *, days: int, country=None, unit=None) -> Event:
    """An event starting `days` from today, executed by the world's brigade unless told otherwise."""
    today = timezone.localdate()
    return events.create_event(
        actor=w.planner,
        code=code,
        name=f"Event {code}",
        event_type="FTX",
        start_date=today + timedelta(days=days),
        end_date=today + timedelta(days=days + 3),
        executing_unit=unit or w.bct,
        countries=[country or w.tha],
    )


def executed(w, code: str, *, start: date) -> Event:
    """A completed event of the brigade in Thailand claiming the Thai country objective, with no AAR yet."""
    event = events.create_event(
        actor=w.planner,
        code=code,
        name=f"Event {code}",
        event_type="FTX",
        start_date=start,
        end_date=start + timedelta(days=3),
        executing_unit=w.bct,
        countries=[w.tha],
    )
    events.add_claim(actor=w.planner, event=event, objective=w.army, objective_type="CAP", expected_change="More")
    for status in ("APPROVED", "PLANNING", "READY", "EXECUTING", "COMPLETED"):
        events.transition_event(actor=w.planner, event=event, status=status)
    return event


# --- Deadlines ----------------------------------------------------------------------------------------------------


def test_the_executor_finds_the_overdue_aar_to_write_and_a_unit_elsewhere_does_not(aar, client):
    deadlines = panel(home(client, aar.writer), "h-deadlines")
    assert "AAR to write" in deadlines and "EVT-2025-HG" in deadlines
    assert f'href="/events/{aar.event.uid}/aar/"' in deadlines  # where it is started
    assert '<span class="flag">overdue</span>' in deadlines
    elsewhere = panel(home(client, aar.next_unit), "h-deadlines")
    assert "EVT-2025-HG" not in elsewhere and "Nothing is due or overdue" in elsewhere


def test_the_unit_planner_reviews_the_submitted_aar_and_both_see_the_follow_up_action(aar, client):
    w, today = aar, timezone.localdate()
    report = aars.start(actor=w.writer, event=w.event)
    aars.add_action(
        actor=w.writer, report=report, text="Book the ranges earlier", owner=w.bct, due=today + timedelta(10)
    )
    aars.add_action(actor=w.writer, report=report, text="Send the roster", owner=w.bct, due=today - timedelta(3))
    aars.submit(actor=w.writer, report=report, version=report.version)

    unit = panel(home(client, w.unit), "h-deadlines")
    assert "AAR to review" in unit and f'href="/aars/{report.uid}/"' in unit
    assert "Book the ranges earlier" in unit and f'href="/aars/{report.uid}/#actions"' in unit
    # Only the action past its date is marked.
    late = unit[unit.index("Send the roster") - 400 : unit.index("Send the roster")]
    on_time = unit[unit.index("Book the ranges earlier") - 400 : unit.index("Book the ranges earlier")]
    assert "overdue" in late.split("<tr>")[-1] and "overdue" not in on_time.split("<tr>")[-1]

    writer = panel(home(client, w.writer), "h-deadlines")
    assert "AAR to write" not in writer  # submitted: done, as far as the authors' deadline goes
    assert "AAR to review" not in writer  # an executor does not review
    assert "Book the ranges earlier" in writer  # owned by the writer's unit
    assert "Book the ranges earlier" not in panel(home(client, w.next_unit), "h-deadlines")


def test_the_executing_unit_collects_values_until_they_are_recorded(measures, client):
    w = measures
    deadlines = panel(home(client, w.writer), "h-deadlines")
    assert "Value to collect" in deadlines and "MOP-HG-1 at EVT-2025-HG" in deadlines
    assert f'href="/indicators/{w.mop.uid}/values/new/?event={w.event.uid}"' in deadlines
    record_value(w, w.mop, 12)
    assert "MOP-HG-1 at EVT-2025-HG" not in panel(home(client, w.writer), "h-deadlines")
    assert "Value to collect" not in panel(home(client, w.next_unit), "h-deadlines")


def record_value(w, indicator, value):
    return measure_services.record(
        actor=w.writer, indicator=indicator, date=date(2025, 7, 5), value=value, event=w.event
    )


def test_desk_officers_approve_their_countries_values_and_country_roles_get_their_channel_items(measures, client):
    w = measures
    record_value(w, w.mop, 12)
    report = aars.start(actor=w.writer, event=w.event)
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
    aars.approve(actor=w.unit, report=report, version=report.version)
    item = report.observations.get().channel_item

    desk = panel(home(client, w.desk), "h-deadlines")
    assert "Value to approve" in desk and f'href="/indicators/{w.mop.uid}/#approval"' in desk
    assert "Channel item" in desk and f'href="/channel-items/{item.uid}/"' in desk
    sco = panel(home(client, w.sco), "h-deadlines")
    assert "Channel item" in sco and "Value to approve" not in sco  # an SCO does not approve values

    # A desk officer of another country sees neither.
    other = make_user("deskphl", "desk_officer")
    other.countries.set([w.phl])
    elsewhere = panel(home(client, other), "h-deadlines")
    assert "Customs held the vehicles" not in elsewhere and "MOP-HG-1" not in elsewhere
    assert "Channel item" not in panel(home(client, w.unit), "h-deadlines")  # not a channel the unit carries


def test_travel_steps_missed_on_an_upcoming_event_are_marked_for_the_unit_and_the_traveler(aar, client):
    w = aar
    soon = upcoming(w, "EVT-SOON", days=20)
    readiness.add_traveler(actor=w.unit, event=soon, name="SSG Jane Doe", unit=w.bct, user=w.reader)
    later = upcoming(w, "EVT-LATER", days=200)  # beyond every lead time: nothing to say yet
    readiness.add_traveler(actor=w.unit, event=later, name="SSG Jane Doe", unit=w.bct)

    unit = panel(home(client, w.unit), "h-deadlines")
    assert "Travel readiness" in unit and f'href="/events/{soon.uid}/readiness/"' in unit
    assert "overdue" in unit and "EVT-LATER" not in unit
    # The traveler sees their own event's steps, whatever their role.
    assert f'href="/events/{soon.uid}/readiness/"' in panel(home(client, w.reader), "h-deadlines")
    assert "EVT-SOON" not in panel(home(client, w.next_unit), "h-deadlines")


def test_an_assessor_finishes_the_assessment_they_started(measures, client):
    w = measures
    draft = measure_services.create_assessment(
        actor=w.assessor, objective=w.army, period="FY2025", rating=3, rationale="x"
    )
    deadlines = panel(home(client, w.assessor), "h-deadlines")
    assert "Assessment to finish" in deadlines and f'href="/assessments/{draft.uid}/"' in deadlines
    assert "Assessment to finish" not in panel(home(client, w.desk), "h-deadlines")


def test_deadlines_come_soonest_first_with_the_rest_a_link_away(aar, client, monkeypatch):
    w = aar
    for n in range(7):
        executed(w, f"EVT-OLD-{n}", start=date(2024, 1, 8) + timedelta(days=30 * n))
    deadlines = panel(home(client, w.writer), "h-deadlines")
    shown = re.findall(r"EVT-OLD-\d|EVT-2025-HG", deadlines.split("Also, not shown above")[0])
    assert list(dict.fromkeys(shown)) == [f"EVT-OLD-{n}" for n in range(5)]  # the five due first, soonest first
    assert 'AARs to write: <a href="/aars/">3 more</a>' in deadlines
    monkeypatch.setattr(mywork, "COUNTED", 6)  # 8 owed: counted up to 7, and said to be more than that
    assert 'AARs to write: <a href="/aars/">2+ more</a>' in panel(home(client, w.writer), "h-deadlines")


# --- Inbox --------------------------------------------------------------------------------------------------------


def test_the_inbox_shows_what_waits_and_lets_go_of_what_is_acknowledged(aar, client):
    w = aar
    path = f"/events/{w.event.uid}/"
    delivery.notify(
        actor=w.planner, event=w.event, record=w.event, title="Conference record, MPC", path=path, users=[w.unit]
    )
    inbox = panel(home(client, w.unit), "h-inbox")
    assert f'<a href="{path}">Conference record, MPC</a> <span class="status">new</span>' in inbox
    assert "(1 to acknowledge, 1 unread)" in inbox and 'href="/inbox/"' in inbox
    assert "Conference record, MPC" not in panel(home(client, w.writer), "h-inbox")

    delivery.acknowledge(actor=w.unit, delivery=Delivery.objects.get(recipient=w.unit))
    inbox = panel(home(client, w.unit), "h-inbox")
    assert "Conference record, MPC" not in inbox
    assert "Nothing waits for you to acknowledge" in inbox and "keeps the 1 record you were sent" in inbox


# --- Events and changes -------------------------------------------------------------------------------------------


def test_a_desk_officer_sees_their_countries_events_and_changes_not_others(aar, client):
    w = aar
    thai = upcoming(w, "EVT-THA-NEXT", days=40)
    upcoming(w, "EVT-PHL-NEXT", days=40, country=w.phl)
    events.update_event(actor=w.planner, event=w.event, version=w.event.version, changes={"name": "HG 2025 (final)"})
    events.update_event(actor=w.planner, event=w.orphan, version=w.orphan.version, changes={"name": "Call, renamed"})
    html = home(client, w.desk)

    countries = panel(html, "h-events")
    assert "My countries" in countries and "Thailand" in countries and "Philippines" not in countries
    assert f'href="/events/{thai.uid}/"' in countries and "EVT-PHL-NEXT" not in countries
    assert 'href="/countries/THA/folder/"' in countries

    changes = panel(html, "h-changes")
    assert "event.updated" in changes and f'href="/events/{w.event.uid}/"' in changes
    assert "Call, renamed" not in changes  # the Philippine office call is not the Thai desk's


def test_the_unit_sees_its_organizations_events_and_the_changes_to_them(aar, client):
    w = aar
    ours = upcoming(w, "EVT-OURS", days=10)
    upcoming(w, "EVT-THEIRS", days=10, unit=w.next_bct)
    html = home(client, w.unit)
    mine = panel(html, "h-events")
    assert "My organization's events" in mine and f'href="/events/{ours.uid}/"' in mine
    assert "EVT-THEIRS" not in mine
    changes = panel(html, "h-changes")
    assert "EVT-OURS" in changes and "EVT-THEIRS" not in changes


def test_the_organizations_coming_events_are_counted_up_to_a_limit(aar, client, monkeypatch):
    w = aar
    for n in range(3):
        upcoming(w, f"EVT-C{n}", days=10 + n)
    assert 'Under way or to come <span class="count">(3)</span>' in panel(home(client, w.unit), "h-events")
    monkeypatch.setattr(mywork, "COUNTED", 2)
    assert 'Under way or to come <span class="count">(more than 2)</span>' in panel(home(client, w.unit), "h-events")


def test_events_under_way_come_first_however_long_ago_they_started_and_ended_ones_not_at_all(aar, client):
    w = aar
    today = timezone.localdate()
    soon = upcoming(w, "EVT-SOON", days=2)
    long_run = upcoming(w, "EVT-LONG", days=-400)
    Event.objects.filter(pk=long_run.pk).update(end_date=today + timedelta(days=30))
    ended = upcoming(w, "EVT-ENDED", days=-10)  # ended a week ago
    events_panel = panel(home(client, w.unit), "h-events")
    ahead, _, recent = events_panel.partition("Ended in the last 30 days")
    assert ahead.index("EVT-LONG") < ahead.index("EVT-SOON") and ended.code not in ahead and ended.code in recent
    assert 'Under way or to come <span class="count">(2)</span>' in events_panel and soon.code in ahead


# --- Empty states, guides, the theater -----------------------------------------------------------------------------


def test_empty_panels_say_what_to_do_next(world, client):
    html = home(client, world.reader)  # no role reach, no organization, no country
    assert "Nothing waits for you to acknowledge" in panel(html, "h-inbox")
    assert "check with an administrator that your account names your organization and countries" in html
    assert "Nothing is due or overdue for you" in panel(html, "h-deadlines")
    events_panel = panel(html, "h-events")
    assert "Coming up across the theater" in events_panel and "names no country and no organization" in events_panel
    assert "You follow nothing yet" in panel(html, "h-changes")

    lonely = make_user("deskprk", "desk_officer")
    lonely.countries.set([world.prk])
    html = home(client, lonely)
    assert "No event under way or to come" in panel(html, "h-events")
    assert "Nothing you follow changed in the last 90 days" in panel(html, "h-changes")


def test_each_role_starts_with_its_own_guide(aar, client):
    assert set(mywork.START_HERE) == set(ROLES)  # a new role needs its paragraph
    w = aar
    expected = {
        w.planner: ["strategic-planner.md"],
        w.desk: ["desk-officer.md"],
        w.unit: ["unit-planner.md", "aar-authors.md"],
        w.writer: ["executor.md", "aar-authors.md"],
        w.assessor: ["assessor.md"],
        w.sco: ["sco.md"],
        make_user("pao", "public_affairs"): ["public-affairs.md"],
        w.reader: ["reader.md"],
        w.admin: ["administrator.md"],
    }
    for user, guides in expected.items():
        start = panel(home(client, user), "h-start")
        named = re.findall(r"docs/user-guide/([\w-]+\.md)", start)
        assert named == guides, user.username
        assert all((GUIDES / guide).is_file() for guide in named)
    nobody = make_user("nobody", "reader")
    nobody.groups.clear()
    assert "has no role yet" in panel(home(client, nobody), "h-start")


def test_the_theater_summary_is_for_planners_and_administrators_only(world, client):
    assert "Is the thread holding?" in panel(home(client, world.planner), "h-theater")
    assert "Is the thread holding?" in panel(home(client, world.admin), "h-theater")
    assert not panel(home(client, world.unit), "h-theater")


def test_one_h1_and_each_panel_a_section_named_by_its_h2(aar, client):
    html = home(client, aar.planner)
    assert html.count("<h1") == 1
    labels = re.findall(r'<section aria-labelledby="([\w-]+)">', html)
    assert labels == ["h-start", "h-inbox", "h-deadlines", "h-events", "h-changes", "h-theater"]
    assert all(f'<h2 id="{label}">' in html for label in labels)
    assert all("scope=" in th for th in re.findall(r"<th\b[^>]*>", html))


def test_odd_query_strings_never_break_the_home_page(world, client):
    client.force_login(world.unit)
    assert client.get("/", {"page": "-1", "q": "\x00", "on": "not-a-date"}).status_code == 200


# --- Queries ------------------------------------------------------------------------------------------------------


def grow(w, start: int, stop: int) -> None:
    """More of everything the home page lists: executed events of the brigade in Thailand without an AAR or with one
    in review and a follow-up action, values waiting for approval, upcoming events with travelers missing steps,
    deliveries, and the changes all that leaves in the audit trail."""
    today = timezone.localdate()
    for n in range(start, stop):
        event = executed(w, f"EVT-Q-{n}", start=date(2025, 1, 6) + timedelta(days=7 * n))
        if n % 2:
            report = aars.start(actor=w.writer, event=event)
            aars.add_action(actor=w.writer, report=report, text=f"Action {n}", owner=w.bct, due=today + timedelta(n))
            aars.submit(actor=w.writer, report=report, version=report.version)
        measure_services.record(actor=w.writer, indicator=w.moe, date=event.end_date, value=3, event=event)
        soon = upcoming(w, f"EVT-S-{n}", days=20 + n)
        readiness.add_traveler(actor=w.unit, event=soon, name=f"SGT Traveler {n}", unit=w.bct, user=w.writer)
        delivery.notify(
            actor=w.planner, event=event, record=event, title=f"Record {n}", path="/", users=[w.unit, w.desk, w.writer]
        )


def cost(client, user) -> tuple[int, int]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured), len(response.content)


def test_the_home_page_costs_as_many_queries_for_many_items_as_for_few(measures, client):
    w = measures
    users = [w.writer, w.unit, w.desk, w.sco, w.planner, w.assessor]
    grow(w, 0, 2)
    few = {user.username: cost(client, user) for user in users}
    grow(w, 2, 9)
    many = {user.username: cost(client, user) for user in users}
    grew = {name: (few[name][0], many[name][0]) for name in few if few[name][0] != many[name][0]}
    assert not grew, f"queries (few items, many items) grew with the items: {grew}"
    # The added items reached the pages that list them.
    assert all(many[name][1] > few[name][1] for name in ("writer", "unit", "desk"))
