"""Travel readiness: backward planning, the board's statuses, the calendar, the API, the pages and the CLI."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from hypothesis import example, given
from hypothesis import strategies as st
from icalendar import Calendar
from typer.testing import CliRunner

from goldthread.cli import app
from goldthread.core.errors import DomainError
from goldthread.core.models import AuditEntry
from goldthread.events.models import Event
from goldthread.readiness import services
from goldthread.readiness.dates import add_months, business_days_before, calendar_days_before, on_weekday
from goldthread.readiness.models import EntryRule, Traveler
from goldthread.readiness.selectors import AT_RISK_DAYS, Status, board

from .conftest import make_user
from .test_hostile_input import assert_harmless, hostile, shown

# --- Backward planning ------------------------------------------------------------------------------------------

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
leads = st.integers(min_value=0, max_value=400)


def weekdays_between(first: date, last: date) -> int:
    """Weekdays d with first <= d < last, counted one by one."""
    return sum(1 for n in range((last - first).days) if (first + timedelta(days=n)).weekday() < 5)


@given(start=days, lead=leads)
@example(start=date(2027, 1, 4), lead=1)  # Monday after New Year's Day 2027 (a Friday): back across the year
@example(start=date(2024, 3, 1), lead=5)  # across 29 February
@example(start=date(2027, 1, 2), lead=1)  # from a Saturday
@example(start=date(2026, 11, 29), lead=0)  # a Sunday with no lead time at all
def test_business_days_before_leaves_exactly_that_many_weekdays(start, lead):
    deadline = business_days_before(start, lead)
    assert deadline.weekday() < 5
    assert deadline <= start
    if lead:
        assert weekdays_between(deadline, start) == lead
        # It is the latest such day: one weekday later would leave one business day too few.
        assert weekdays_between(deadline + timedelta(days=1), start) == lead - 1
    else:
        assert deadline == on_weekday(start)


@given(start=days, lead=leads)
@example(start=date(2027, 3, 1), lead=1)  # 28 February 2027 is a Sunday
@example(start=date(2027, 1, 10), lead=10)  # back into December
def test_calendar_days_before_lands_on_the_latest_weekday(start, lead):
    deadline = calendar_days_before(start, lead)
    naive = start - timedelta(days=lead)
    assert deadline.weekday() < 5
    assert naive - timedelta(days=2) <= deadline <= naive
    assert all((deadline + timedelta(days=n)).weekday() >= 5 for n in range(1, (naive - deadline).days + 1))


def test_known_deadlines_across_month_and_year_ends():
    assert business_days_before(date(2027, 1, 4), 1) == date(2027, 1, 1)
    assert business_days_before(date(2024, 3, 1), 5) == date(2024, 2, 23)
    assert business_days_before(date(2025, 6, 20), 30) == date(2025, 5, 9)
    assert calendar_days_before(date(2027, 3, 1), 1) == date(2027, 2, 26)
    assert calendar_days_before(date(2027, 1, 10), 10) == date(2026, 12, 31)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)


def test_backward_planning_never_fails_at_the_ends_of_the_calendar():
    assert business_days_before(date.min, 30) == date.min
    assert calendar_days_before(date(1, 1, 5), 400) == date.min
    assert add_months(date.max, 6) == date.max and add_months(date.min, -1) == date.min


# --- The board --------------------------------------------------------------------------------------------------
# The world's event EVT-2025-HG runs Fri 20 Jun – Sat 5 Jul 2025 in Thailand, which has no stored rules: the defaults
# apply (APACS 30 days → Wed 21 May; official passport 30 business days → Fri 9 May).

CURRENT = [{"name": n, "completed": date(2025, 3, 1)} for n in ("AT Level 1", "Human rights awareness")] + [
    {"name": n, "completed": date(2025, 3, 1)} for n in ("SERE 100.2", "ISOPREP")
]


def put(api, path: str, body: dict):
    return api._call("put", path, body)


def add(world, name: str, **fields) -> Traveler:
    return services.add_traveler(actor=world.planner, event=world.event, name=name, unit=world.bct, **fields)


def item(found, traveler: Traveler, key: str):
    row = next(r for r in found.rows if r.traveler.pk == traveler.pk)
    return next(i for i in row.items if i.key == key)


def official(expires: date) -> dict:
    return {"passport_type": "OFFICIAL", "passport_number": "C03005988", "passport_expires": expires}


def test_defaults_apply_to_a_country_without_rules(world):
    found = board(world.event, date(2025, 4, 1))
    assert [c.iso3 for c in found.defaulted] == ["THA"]
    steps = {m.deadline.key: m.deadline.date for m in found.milestones}
    assert steps["passport"] == date(2025, 5, 9)
    assert steps["country_clearance:THA"] == date(2025, 5, 21)
    assert steps["start"] == date(2025, 6, 20) and steps["end"] == date(2025, 7, 5)


def test_passport_expiring_within_six_months_of_the_end_is_at_risk(world):
    # Six months after the event's end (5 Jul 2025) is 5 Jan 2026.
    short = add(world, "SSG Short", **official(date(2026, 1, 4)))
    enough = add(world, "SSG Enough", **official(date(2026, 1, 5)))
    found = board(world.event, date(2025, 3, 1))  # long before any deadline
    assert item(found, short, "passport").status == Status.AT_RISK
    assert "within six months" in item(found, short, "passport").reason
    assert item(found, enough, "passport").status == Status.DONE
    row = next(r for r in found.rows if r.traveler.pk == short.pk)
    assert row.status in (Status.AT_RISK, Status.OVERDUE)


def test_a_step_is_on_track_then_at_risk_then_overdue(world):
    nothing = add(world, "PV2 Nothing")
    deadline = date(2025, 5, 9)
    assert item(board(world.event, deadline - timedelta(days=AT_RISK_DAYS + 1)), nothing, "passport").status == (
        Status.ON_TRACK
    )
    assert item(board(world.event, deadline - timedelta(days=AT_RISK_DAYS)), nothing, "passport").status == (
        Status.AT_RISK
    )
    assert item(board(world.event, deadline), nothing, "passport").status == Status.AT_RISK
    assert item(board(world.event, deadline + timedelta(days=1)), nothing, "passport").status == Status.OVERDUE


def test_done_items_and_the_counts(world):
    ready = add(
        world,
        "CPT Ready",
        **official(date(2030, 1, 1)),
        country_clearance="APPROVED",
        theater_clearance="APPROVED",
        training=CURRENT,
    )
    late = add(world, "SPC Late")
    found = board(world.event, date(2025, 6, 1))
    ready_row = next(r for r in found.rows if r.traveler.pk == ready.pk)
    assert {i.status for i in ready_row.items} == {Status.DONE} and ready_row.status == Status.DONE
    assert item(found, late, "country_clearance").status == Status.OVERDUE
    assert item(found, late, "training:AT Level 1").status == Status.OVERDUE
    assert found.counts[Status.DONE] == len(ready_row.items)
    assert found.counts[Status.OVERDUE] == 7  # passport, two clearances, four trainings
    milestone = next(m for m in found.milestones if m.deadline.key == "passport")
    assert milestone.status == Status.OVERDUE  # the worst of the travelers'


def test_clearances_requested_or_stuck(world):
    requested = add(world, "SGT Requested", country_clearance="REQUESTED")
    stuck = add(world, "SGT Stuck", country_clearance="NEED_INFO")
    assert item(board(world.event, date(2025, 4, 1)), requested, "country_clearance").status == Status.ON_TRACK
    late = board(world.event, date(2025, 6, 10))  # ten days before the start, still not approved
    assert item(late, requested, "country_clearance").status == Status.AT_RISK
    assert item(board(world.event, date(2025, 4, 1)), stuck, "country_clearance").status == Status.AT_RISK


def test_training_that_lapses_before_the_end_is_not_done(world):
    lapsing = add(world, "SGT Lapsing", training=[{"name": "at level 1 ", "completed": date(2024, 7, 1)}])
    found = board(world.event, date(2025, 4, 1))
    at = item(found, lapsing, "training:AT Level 1")
    assert at.status == Status.ON_TRACK and "lapses 1 Jul 2025" in at.reason
    assert at.deadline == date(2025, 5, 21)  # with the APACS request


def test_tourist_passport_needs_a_waiver_where_an_official_one_is_required(world):
    tourist = {"passport_type": "TOURIST", "passport_expires": date(2030, 1, 1)}
    plain = add(world, "Mr. Plain", **tourist)
    waived = add(world, "Ms. Waived", **tourist, passport_waiver=True)
    found = board(world.event, date(2025, 4, 1))
    assert item(found, plain, "passport").status == Status.ON_TRACK
    assert "official" in item(found, plain, "passport").reason
    assert item(found, waived, "passport").status == Status.DONE


def test_entry_on_orders_and_visas_follow_the_country_rules(world):
    EntryRule.objects.create(country=world.tha, entry_on_orders=True, visa_required=True, visa_business_days=10)
    soldier = add(world, "SGT Orders", entry_on_orders=True)
    civilian = add(
        world, "Mr. Visa", **official(date(2030, 1, 1)), visas=[{"country": world.tha, "expires": date(2025, 7, 1)}]
    )
    found = board(world.event, date(2025, 4, 1))
    assert item(found, soldier, "passport").status == Status.DONE
    assert not [i for r in found.rows if r.traveler.pk == soldier.pk for i in r.items if i.key.startswith("visa")]
    visa = item(found, civilian, "visa:THA")
    assert visa.status == Status.ON_TRACK and "before the event ends" in visa.reason
    assert visa.deadline == business_days_before(date(2025, 6, 20), 10)


def test_entry_on_orders_is_refused_where_no_sofa_allows_it(world):
    with pytest.raises(DomainError) as refused:
        add(world, "SGT Orders", entry_on_orders=True)
    assert "entry_on_orders" in refused.value.errors and "Thailand" in refused.value.detail


# --- No full passport number is stored --------------------------------------------------------------------------


def everything_stored() -> str:
    return repr([list(m.objects.values_list()) for m in apps.get_models() if m.__module__.startswith("goldthread.")])


def test_no_full_passport_number_is_stored_anywhere(world, api):
    number = "X98765432"
    created = api.post(
        f"/events/{world.event.uid}/travelers",
        {"name": "SSG Secret", "unit": "2-2 SBCT", **official("2030-01-01"), "passport_number": number},
    )
    assert created.status_code == 201, created.content
    assert created.json()["passport_last4"] == "5432"
    uid = created.json()["uid"]
    changed = api.patch(f"/travelers/{uid}", {"version": 1, "passport_number": "Y1234 5678"})
    assert changed.status_code == 200 and changed.json()["passport_last4"] == "5678"
    stored = everything_stored()
    assert number not in stored and "98765432" not in stored and "12345678" not in stored
    assert Traveler.objects.get(uid=uid).passport_last4 == "5678"
    # Not even the last characters reach the audit trail, which every user can read.
    trail = repr(list(AuditEntry.objects.filter(object_uid=uid).values_list("changes", flat=True)))
    assert "5432" not in trail and "5678" not in trail and "passport_number" in trail


def test_the_last_characters_are_shown_only_to_who_manages_the_traveler(world, api):
    traveler = add(world, "SSG Private", **official(date(2030, 1, 1)))
    assert api.get(f"/travelers/{traveler.uid}").json()["passport_last4"] == "5988"
    assert api.as_user(world.reader).get(f"/travelers/{traveler.uid}").json()["passport_last4"] is None


# --- The calendar -----------------------------------------------------------------------------------------------


def test_the_calendar_parses_back_with_the_deadlines(world, api):
    late = add(world, "SPC Late")
    found = board(world.event, date(2025, 5, 1))
    response = api.get(f"/events/{world.event.uid}/readiness.ics", on="2025-05-01")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "EVT-2025-HG-readiness.ics" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    entries = {str(e["summary"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    for milestone in found.milestones:
        assert entries[f"EVT-2025-HG: {milestone.deadline.label}"] == milestone.deadline.date
    assert entries["EVT-2025-HG: Official passport applications in"] == date(2025, 5, 9)
    assert entries["EVT-2025-HG: Official passport, SPC Late (at risk)"] == date(2025, 5, 9)
    assert entries["EVT-2025-HG: Country clearance (APACS), SPC Late (on track)"] == date(2025, 5, 21)
    uids = [str(e["uid"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids)) and f"passport.{late.uid}@goldthread" in uids
    assert AuditEntry.objects.filter(action="readiness.exported", object_uid=world.event.uid).exists()


# --- The API ----------------------------------------------------------------------------------------------------


def test_entry_rules_get_defaults_then_put_creates_and_replaces(world, api):
    defaults = api.get("/countries/THA/entry-rules").json()
    assert defaults["stored"] is False and defaults["uid"] is None and defaults["official_passport_required"]
    created = put(api, "/countries/tha/entry-rules", {"country_clearance_days": 45, "visa_required": True})
    assert created.status_code == 201, created.content
    assert created.json()["country_clearance_days"] == 45 and created.json()["version"] == 1
    replaced = put(api, "/countries/THA/entry-rules", {"version": 1, "entry_on_orders": True})
    assert replaced.status_code == 200
    body = replaced.json()
    assert body["entry_on_orders"] and body["country_clearance_days"] == 30 and body["version"] == 2
    stale = put(api, "/countries/THA/entry-rules", {"version": 1})
    assert stale.status_code == 409 and "version" in stale.json()["errors"]
    unread = put(api, "/countries/THA/entry-rules", {})
    assert unread.status_code == 409 and "version" in unread.json()["errors"]
    assert api.get("/countries/XXX/entry-rules").status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"country_clearance_days": 400}, "country_clearance_days"),
        ({"visa_business_days": 300}, "visa_business_days"),
        ({"training": [{"name": "AT Level 1", "months": 0}]}, "training"),
        ({"training": [{"name": "ISOPREP", "months": 12}, {"name": "isoprep ", "months": 6}]}, "training"),
        ({"markings": "SECRET//NOFORN"}, "markings"),
    ],
)
def test_bad_entry_rules_get_400_with_the_field(world, api, body, field):
    response = put(api, "/countries/THA/entry-rules", body)
    assert response.status_code == 400, response.content
    assert response.json()["errors"][field]
    assert not EntryRule.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"unit": "No Such Unit"}, "unit"),
        ({"unit": "RTA Cav Ctr"}, "unit"),  # a partner unit
        ({"user": "nobody"}, "user"),
        ({"passport_type": "OFFICIAL"}, "passport_expires"),
        (
            {"passport_type": "OFFICIAL", "passport_expires": "2030-01-01", "passport_number": "C0-3/00"},
            "passport_number",
        ),
        ({"passport_number": "12"}, "passport_number"),
        ({"entry_on_orders": True}, "entry_on_orders"),
        ({"visas": [{"country": "XYZ", "expires": "2026-01-01"}]}, "visas"),
        (
            {"visas": [{"country": "THA", "expires": "2026-01-01"}, {"country": "tha", "expires": "2027-01-01"}]},
            "visas.1",
        ),
        (
            {
                "training": [
                    {"name": "ISOPREP", "completed": "2025-01-01"},
                    {"name": "isoprep", "completed": "2025-02-01"},
                ]
            },
            "training.1",
        ),
    ],
)
def test_bad_travelers_get_400_with_the_field(world, api, body, field):
    response = api.post(f"/events/{world.event.uid}/travelers", {"name": "SGT Bad", "unit": "2-2 SBCT", **body})
    assert response.status_code == 400, response.content
    assert response.json()["errors"][field]
    assert not Traveler.objects.exists()


def test_schema_limits_get_422(world, api):
    too_long = api.post(f"/events/{world.event.uid}/travelers", {"name": "x" * 121, "unit": "2-2 SBCT"})
    assert too_long.status_code == 422 and "name" in too_long.json()["errors"]
    assert api.get(f"/events/{world.event.uid}/readiness", on="0001-01-01").status_code == 422


def test_travelers_crud_through_the_api(world, api):
    created = api.post(
        f"/events/{world.event.uid}/travelers",
        {
            "name": "SSG Lee",
            "unit": "2-2 SBCT",
            "user": "unit",
            "visas": [{"country": "tha", "expires": "2026-01-01"}],
            "training": [{"name": "AT Level 1", "completed": "2025-01-01"}],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["user"] == "unit" and body["visas"] == [{"country": "THA", "expires": "2026-01-01"}]
    assert [t["uid"] for t in api.get(f"/events/{world.event.uid}/travelers").json()] == [body["uid"]]
    patched = api.patch(
        f"/travelers/{body['uid']}", {"version": 1, "country_clearance": "APPROVED", "training": [], "user": None}
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["training"] == [] and patched.json()["user"] is None
    assert patched.json()["visas"] == body["visas"]  # not given, so kept
    assert api.patch(f"/travelers/{body['uid']}", {"version": 1, "notes": "stale"}).status_code == 409
    assert api.as_user(world.reader).delete(f"/travelers/{body['uid']}").status_code == 403
    assert api.delete(f"/travelers/{body['uid']}").status_code == 204
    assert api.get(f"/travelers/{body['uid']}").status_code == 404
    assert AuditEntry.objects.filter(action="traveler.removed").count() == 1


def test_board_through_the_api(world, api):
    add(world, "SSG Short", **official(date(2026, 1, 4)))
    response = api.get(f"/events/{world.event.uid}/readiness", on="2025-03-01")
    assert response.status_code == 200
    body = response.json()
    assert body["today"] == "2025-03-01" and body["rules"] == [{"country": "THA", "stored": False}]
    (row,) = body["travelers"]
    passport = next(i for i in row["items"] if i["key"] == "passport")
    assert passport["status"] == "AT_RISK" and passport["deadline"] == "2025-05-09"
    assert "weekends skipped" in passport["lead"]
    assert body["counts"]["AT_RISK"] >= 1


# --- The pages --------------------------------------------------------------------------------------------------


def test_event_page_links_to_the_board(world, client):
    add(world, "SPC Late")
    client.force_login(world.reader)
    page = client.get(f"/events/{world.event.uid}/").content.decode()
    assert f'href="/events/{world.event.uid}/readiness/"' in page
    assert "overdue" in page  # the world's event lies in the past: every step of SPC Late is late


def test_board_page_shows_each_traveler_and_status(world, client):
    add(world, "SSG Short", **official(date(2026, 1, 4)))
    client.force_login(world.unit)
    page = client.get(f"/events/{world.event.uid}/readiness/?on=2025-03-01").content.decode()
    assert "SSG Short" in page and "within six months" in page and "at risk" in page
    assert "No entry rules are recorded for Thailand" in page
    assert f"/events/{world.event.uid}/travelers/new/" in page  # the unit planner may add travelers
    assert "?on=2025-03-01" in page  # the calendar link keeps the chosen day
    client.force_login(world.reader)
    page = client.get(f"/events/{world.event.uid}/readiness/?on=nonsense").content.decode()
    assert "travelers/new/" not in page


def test_traveler_form_adds_and_shows_errors_in_place(world, client):
    client.force_login(world.unit)
    form = {
        "name": "SGT Form",
        "unit": world.bct.pk,
        "passport_type": "OFFICIAL",
        "passport_number": "A12345678",
        "passport_expires": "2030-01-01",
        "country_clearance": "REQUESTED",
        "theater_clearance": "NOT_REQUESTED",
        "visas": "THA; 2026-01-01",
        "training_done": "AT Level 1; 2025-02-01\nISOPREP; 2025-02-02",
    }
    bad = client.post(f"/events/{world.event.uid}/travelers/new/", {**form, "visas": "THA; soon"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.content.decode()
    refused = client.post(f"/events/{world.event.uid}/travelers/new/", {**form, "entry_on_orders": "on"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'id="id_entry_on_orders_error"' in html and "no entry on orders" in html
    assert not Traveler.objects.exists()
    added = client.post(f"/events/{world.event.uid}/travelers/new/", form)
    assert added.status_code == 302
    traveler = Traveler.objects.get()
    assert traveler.passport_last4 == "5678" and traveler.training.count() == 2 and traveler.visas.count() == 1


def test_traveler_edit_keeps_the_passport_and_refuses_stale_versions(world, client):
    traveler = add(world, "SGT Edit", **official(date(2030, 1, 1)))
    client.force_login(world.unit)
    page = client.get(f"/travelers/{traveler.uid}/edit/").content.decode()
    assert "••••5988" in page and "C03005988" not in page
    form = {
        "version": 1,
        "name": "SGT Edit",
        "unit": world.bct.pk,
        "passport_type": "OFFICIAL",
        "passport_expires": "2031-01-01",
        "country_clearance": "APPROVED",
        "theater_clearance": "NOT_REQUESTED",
        "training_done": "AT Level 1; 2025-02-01",
    }
    assert client.post(f"/travelers/{traveler.uid}/edit/", form).status_code == 302
    traveler.refresh_from_db()
    assert traveler.passport_last4 == "5988" and traveler.passport_expires == date(2031, 1, 1)
    stale = client.post(f"/travelers/{traveler.uid}/edit/", {**form, "name": "SGT Stale"})
    assert stale.status_code == 400 and "changed by someone else" in stale.content.decode()
    bad_training = client.post(
        f"/travelers/{traveler.uid}/edit/", {**form, "version": 2, "training_done": "x" * 81 + "; 2025-01-01"}
    )
    assert bad_training.status_code == 400 and 'id="id_training_done_error"' in bad_training.content.decode()


def test_entry_rule_page_and_form(world, client):
    sco = make_user("sco", "sco", world.usarpac)
    sco.countries.set([world.tha])
    client.force_login(sco)
    page = client.get("/countries/THA/entry-rules/").content.decode()
    assert "Nobody has recorded the entry rules for Thailand" in page and "Record the entry rules" in page
    form = {
        "country_clearance_days": 400,
        "theater_clearance_days": 30,
        "official_passport_business_days": 30,
        "visa_business_days": 15,
        "training": "AT Level 1; 12",
    }
    bad = client.post("/countries/THA/entry-rules/", form)
    assert bad.status_code == 400 and 'id="id_country_clearance_days_error"' in bad.content.decode()
    unreadable = client.post("/countries/THA/entry-rules/", {**form, "training": "AT Level 1; a year"})
    assert unreadable.status_code == 400 and "Line 1" in unreadable.content.decode()
    saved = client.post("/countries/THA/entry-rules/", {**form, "country_clearance_days": 45, "visa_required": "on"})
    assert saved.status_code == 302
    rule = EntryRule.objects.get(country=world.tha)
    assert (
        rule.country_clearance_days == 45
        and rule.visa_required
        and rule.training == [{"name": "AT Level 1", "months": 12}]
    )
    # The Philippines are not the SCO's: they see the rules, but no form.
    assert '<form method="post" class="form"' not in client.get("/countries/PHL/entry-rules/").content.decode()
    assert "Thailand" in client.get("/entry-rules/").content.decode()


def test_stored_hostile_text_is_escaped_on_the_readiness_pages(world, client):
    EntryRule.objects.create(country=world.tha, notes=hostile("RN"))
    traveler = add(world, hostile("TN", 120), notes=hostile("TO"))
    client.force_login(world.planner)
    for path, tags in (
        (f"/events/{world.event.uid}/readiness/", ["TN"]),
        (f"/travelers/{traveler.uid}/edit/", ["TN", "TO"]),
        ("/countries/THA/entry-rules/", ["RN"]),
    ):
        html = client.get(path).content.decode()
        assert_harmless(html, path)
        assert [tag for tag in tags if shown(tag) not in html] == [], path


# --- The command line -------------------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_prints_the_board(world, tmp_path):
    add(world, "SSG Short", **official(date(2026, 1, 4)))
    output = tmp_path / "hg.ics"
    result = runner.invoke(app, ["readiness", "EVT-2025-HG", "--on", "2025-03-01", "--ics", str(output)])
    assert result.exit_code == 0, result.output
    assert "SSG Short (2-2 SBCT): at risk" in result.stdout
    assert "Fri 09 May 2025  Official passport applications in" in result.stdout
    assert Calendar.from_ical(output.read_bytes()).walk("VEVENT")


@pytest.mark.parametrize(
    "args, message",
    [
        (["readiness", "EVT-NOPE"], "error: no event 'EVT-NOPE'"),
        (
            ["readiness", "EVT-2025-HG", "--on", "next week"],
            "error: --on 'next week' is not a date; write it as YYYY-MM-DD",
        ),
        (
            ["readiness", "EVT-2025-HG", "--ics", "/no/such/folder/x.ics"],
            "error: the folder /no/such/folder does not exist",
        ),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(world, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.strip() == message


# --- Demo data --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_readiness_loads_once_with_every_status():
    from goldthread.demo.generator import TODAY, load_demo
    from goldthread.demo.readiness_records import RULES, load_readiness

    load_demo()
    travelers = load_readiness(TODAY)
    assert travelers == Traveler.objects.count() >= 8
    assert EntryRule.objects.count() == len(RULES) == 36
    assert load_readiness(TODAY) == travelers  # idempotent
    events = Event.objects.filter(travelers__isnull=False).distinct()
    assert 2 <= events.count() <= 3
    statuses = {i.status for e in events for row in board(e, TODAY).rows for i in row.items}
    assert statuses == set(Status)
    short = [
        i
        for e in events
        for row in board(e, TODAY).rows
        for i in row.items
        if i.key == "passport" and "within six months" in i.reason
    ]
    assert short and all(i.status == Status.AT_RISK for i in short)
