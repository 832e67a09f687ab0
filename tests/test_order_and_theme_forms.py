"""The web forms that draft and edit orders and write strategic-communication themes, through the services."""

import re
from datetime import date

from goldthread.core.models import AuditEntry
from goldthread.planning import services
from goldthread.planning.models import Order, Theme
from goldthread.planning.purpose import purpose_block

from .conftest import make_user


def _field_error(html: str, field: str) -> str:
    """The message shown next to one field, or "" if it has none."""
    found = re.search(rf'<span class="error" id="id_{field}_error" role="alert">(.*?)</span>', html)
    return found.group(1) if found else ""


def _draft(world, **fields) -> Order:
    values = {"kind": Order.Kind.OPORD, "issuer": world.usarpac, "title": "Hanuman Guardian OPORD"} | fields
    return services.draft_order(actor=world.planner, event=world.event, **values)


def _order_post(world, **fields) -> dict:
    return {
        "kind": "OPORD",
        "issuer": world.bct.pk,
        "title": "Conduct Hanuman Guardian 2025",
        "situation": "RTA and 2-2 SBCT train together.",
        "mission": "2-2 SBCT conducts a combined HADR exercise.",
        "execution": "Phase 1: staff exercise.\nPhase 2: field training.",
        "markings": "CUI",
    } | fields


def _theme_post(**fields) -> dict:
    return {
        "title": "Thai friendship",
        "audience": "RTA leaders and Thai media",
        "talking_points": "Decades of training together.\n\n  Exercises save lives.  \n",
        "sensitivities": "Domestic politics",
        "country": "THA",
        "series": "",
        "objectives": "IMO-THA-2, CSP-THA-2.1",
        "valid_from": "2025-01-01",
        "valid_until": "",
        "status": "APPROVED",
        "markings": "",
    } | fields


def test_a_planner_drafts_an_order_through_the_form(world, client):
    client.force_login(world.planner)
    event_page = client.get(f"/events/{world.event.uid}/").content.decode()
    assert f'href="/events/{world.event.uid}/orders/new/">Draft an order' in event_page
    form = client.get(f"/events/{world.event.uid}/orders/new/")
    assert form.status_code == 200 and b'name="situation"' in form.content

    created = client.post(f"/events/{world.event.uid}/orders/new/", _order_post(world))

    order = Order.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/orders/{order.uid}/"
    assert (order.number, order.kind, order.issuer, order.status) == (1, "OPORD", world.bct, Order.Status.DRAFT)
    assert order.execution == "Phase 1: staff exercise.\nPhase 2: field training." and order.markings == "CUI"
    assert AuditEntry.objects.filter(action="order.created", object_uid=order.uid, actor=world.planner).exists()
    page = client.get(f"/orders/{order.uid}/").content.decode()
    assert "Conduct Hanuman Guardian 2025" in page and "Phase 2: field training." in page
    assert "Conduct Hanuman Guardian 2025" in client.get(f"/events/{world.event.uid}/").content.decode()

    # The next order of the event takes the next number; a FRAGO must say what it changes (ORD-4).
    frago = client.post(f"/events/{world.event.uid}/orders/new/", _order_post(world, kind="FRAGO", title="Change 1"))
    assert frago.status_code == 400
    assert "ORD-4" in _field_error(frago.content.decode(), "change_reason")
    assert 'value="Change 1"' in frago.content.decode()
    client.post(
        f"/events/{world.event.uid}/orders/new/",
        _order_post(world, kind="FRAGO", title="Change 1", change_reason="Dates moved a week"),
    )
    assert list(Order.objects.values_list("number", "kind", "change_reason")) == [
        (1, "OPORD", ""),
        (2, "FRAGO", "Dates moved a week"),
    ]


def test_a_unit_planner_drafts_for_their_own_events_only(world, client):
    client.force_login(world.unit)
    assert client.post(f"/events/{world.event.uid}/orders/new/", _order_post(world)).status_code == 302
    assert Order.objects.get().event == world.event
    # The orphan event in the Philippines names no unit of theirs.
    assert b"Draft an order" not in client.get(f"/events/{world.orphan.uid}/").content
    assert client.get(f"/events/{world.orphan.uid}/orders/new/").status_code == 403
    assert client.post(f"/events/{world.orphan.uid}/orders/new/", _order_post(world)).status_code == 403
    assert Order.objects.count() == 1


def test_editing_a_draft_until_it_is_issued(world, client):
    order = _draft(world, mission="Old mission")
    client.force_login(world.planner)
    assert f'href="/orders/{order.uid}/edit/">Edit draft' in client.get(f"/orders/{order.uid}/").content.decode()
    form = client.get(f"/orders/{order.uid}/edit/").content.decode()
    assert 'value="Hanuman Guardian OPORD"' in form and "Old mission" in form
    assert f'name="version" value="{order.version}"' in form

    saved = client.post(
        f"/orders/{order.uid}/edit/",
        _order_post(world, version=order.version, title="Revised OPORD", mission="New mission"),
    )

    assert saved.status_code == 302 and saved["Location"] == f"/orders/{order.uid}/"
    stored = Order.objects.get(pk=order.pk)
    assert (stored.title, stored.mission, stored.issuer, stored.version) == (
        "Revised OPORD",
        "New mission",
        world.bct,
        order.version + 1,
    )
    assert stored.number == 1  # editing never renumbers
    entry = AuditEntry.objects.get(action="order.updated", object_uid=order.uid)
    assert entry.changes["title"] == ["Hanuman Guardian OPORD", "Revised OPORD"]

    services.issue_order(actor=world.planner, order=stored)
    assert b"Edit draft" not in client.get(f"/orders/{order.uid}/").content
    opened = client.get(f"/orders/{order.uid}/edit/")
    assert opened.status_code == 302 and opened["Location"] == f"/orders/{order.uid}/"
    refused = client.post(
        f"/orders/{order.uid}/edit/", _order_post(world, version=stored.version, title="Too late", mission="Typed")
    )
    html = refused.content.decode()
    assert refused.status_code == 400 and "write a FRAGO instead" in html
    assert 'value="Too late"' in html and "Typed" in html
    assert Order.objects.get(pk=order.pk).title == "Revised OPORD"


def test_a_stale_version_is_refused_in_place_and_keeps_what_was_typed(world, client):
    order = _draft(world)
    client.force_login(world.unit)
    opened_at = order.version
    services.update_order(actor=world.planner, order=order, version=None, changes={"mission": "Planner's mission"})

    stale = client.post(
        f"/orders/{order.uid}/edit/", _order_post(world, version=opened_at, title="Unit's title", mission="Unit's text")
    )

    html = stale.content.decode()
    assert stale.status_code == 400
    errors = re.search(r'<div class="errors" role="alert">(.*?)</div>', html, re.S).group(1)
    assert "changed by someone else since you opened it" in errors
    assert "Unit&#x27;s title" in html and "Unit&#x27;s text" in html
    stored = Order.objects.get(pk=order.pk)
    assert (stored.title, stored.mission) == ("Hanuman Guardian OPORD", "Planner's mission")

    # The same gap on a theme.
    theme = services.create_theme(
        actor=world.planner, title="Regional", audience="Media", talking_points="p", valid_from=date(2025, 1, 1)
    )
    client.force_login(world.planner)
    services.update_theme(actor=world.planner, theme=theme, version=None, changes={"audience": "Partners"})
    stale_theme = client.post(f"/themes/{theme.uid}/edit/", {**_theme_post(title="Mine"), "version": 1})
    assert stale_theme.status_code == 400 and b"changed by someone else" in stale_theme.content
    assert Theme.objects.get(pk=theme.pk).title == "Regional"


def test_a_stale_conference_edit_is_told_too(world, client):
    conference = services.create_conference(
        actor=world.planner, event=world.event, kind="MPC", starts=date(2025, 2, 18), ends=date(2025, 2, 20), place="x"
    )
    services.update_conference(actor=world.planner, conference=conference, version=None, changes={"place": "y"})
    client.force_login(world.planner)
    stale = client.post(
        f"/conferences/{conference.uid}/edit/",
        {"version": 1, "kind": "MPC", "starts": "2025-02-18", "ends": "2025-02-20", "place": "Lopburi"},
    )
    assert stale.status_code == 400 and b"changed by someone else" in stale.content
    assert b'value="Lopburi"' in stale.content


def test_those_without_permission_see_no_button_and_are_refused(world, client):
    draft = _draft(world)
    issued = _draft(world, title="To issue")
    services.issue_order(actor=world.planner, order=issued)
    theme = services.create_theme(
        actor=world.planner, title="Regional", audience="Media", talking_points="p", valid_from=date(2025, 1, 1)
    )
    client.force_login(world.reader)

    assert b"Draft an order" not in client.get(f"/events/{world.event.uid}/").content
    assert client.get(f"/events/{world.event.uid}/orders/new/").status_code == 403
    assert client.post(f"/events/{world.event.uid}/orders/new/", _order_post(world)).status_code == 403
    assert client.get(f"/orders/{draft.uid}/edit/").status_code == 404  # a draft is not there for a reader
    assert client.post(f"/orders/{draft.uid}/edit/", _order_post(world, version=1)).status_code == 404
    assert b"Edit draft" not in client.get(f"/orders/{issued.uid}/").content
    assert client.get(f"/orders/{issued.uid}/edit/").status_code == 403

    themes = client.get("/themes/")
    assert themes.status_code == 200 and b"Regional" in themes.content and b"New theme" not in themes.content
    assert b"Edit theme" not in client.get(f"/themes/{theme.uid}/").content
    assert client.get("/themes/new/").status_code == 403
    assert client.post("/themes/new/", _theme_post(country="")).status_code == 403
    assert client.post(f"/themes/{theme.uid}/edit/", {**_theme_post(), "version": 1}).status_code == 403
    assert Order.objects.count() == 2 and Theme.objects.get().title == "Regional"
    assert not AuditEntry.objects.filter(actor=world.reader).exclude(action__startswith="user.").exists()


def test_public_affairs_writes_themes_for_their_countries(world, client):
    pao = make_user("pao", "public_affairs")
    pao.countries.set([world.tha])
    client.force_login(pao)
    assert b"New theme" in client.get("/themes/").content

    refused = client.post("/themes/new/", _theme_post(country="PHL", title="Philippine theme"))
    assert refused.status_code == 400 and b"outside your" in refused.content
    assert b'value="Philippine theme"' in refused.content
    regional = client.post("/themes/new/", _theme_post(country="", title="Regional theme"))
    assert regional.status_code == 400 and not Theme.objects.exists()

    created = client.post("/themes/new/", _theme_post())
    theme = Theme.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/themes/{theme.uid}/"
    page = client.get(f"/themes/{theme.uid}/").content.decode()
    assert f'href="/themes/{theme.uid}/edit/">Edit theme' in page and "Exercises save lives." in page


def test_a_theme_written_in_the_form_reaches_the_purpose_block(world, client):
    client.force_login(world.planner)
    assert 'href="/themes/"' in client.get("/").content.decode()  # in the main menu

    created = client.post("/themes/new/", _theme_post())

    theme = Theme.objects.get()
    assert created.status_code == 302
    assert (theme.country, theme.series, theme.status) == (world.tha, None, Theme.Status.APPROVED)
    assert theme.talking_points == "Decades of training together.\nExercises save lives."
    assert sorted(theme.objectives.values_list("code", flat=True)) == ["CSP-THA-2.1", "IMO-THA-2"]
    assert AuditEntry.objects.filter(action="theme.created", object_uid=theme.uid, actor=world.planner).exists()
    assert purpose_block(world.event).themes == [
        {
            "title": "Thai friendship",
            "audience": "RTA leaders and Thai media",
            "talking_points": ["Decades of training together.", "Exercises save lives."],
            "sensitivities": ["Domestic politics"],
        }
    ]
    # A draft order shows the live purpose block, theme included.
    order = _draft(world)
    assert "Theme: Thai friendship" in client.get(f"/orders/{order.uid}/").content.decode()

    # The list filters by country and status.
    client.post("/themes/new/", _theme_post(title="Philippine theme", country="PHL", objectives=""))
    assert [t["title"] for t in purpose_block(world.event).themes] == ["Thai friendship"]
    by_country = client.get("/themes/", {"country": "PHL"}).content.decode()
    assert "Philippine theme" in by_country and "Thai friendship" not in by_country
    assert "Thai friendship" not in client.get("/themes/", {"status": "DRAFT"}).content.decode()
    assert client.get("/themes/", {"country": "\x00<b>", "status": "nope", "page": "x"}).status_code == 200

    # Retiring it in the edit form takes it out of what an order would carry.
    form = client.get(f"/themes/{theme.uid}/edit/").content.decode()
    assert "Decades of training together.\nExercises save lives." in form and 'name="country"' not in form
    retired = client.post(f"/themes/{theme.uid}/edit/", {**_theme_post(status="RETIRED"), "version": theme.version})
    assert retired.status_code == 302 and Theme.objects.get(pk=theme.pk).status == Theme.Status.RETIRED
    assert purpose_block(world.event).themes == []


def test_bad_input_is_shown_next_to_its_field_and_nothing_is_lost(world, client):
    client.force_login(world.planner)

    no_title = client.post(f"/events/{world.event.uid}/orders/new/", _order_post(world, title="  "))
    html = no_title.content.decode()
    assert no_title.status_code == 400 and _field_error(html, "title") == "This field is required."
    assert "2-2 SBCT conducts a combined HADR exercise." in html and not Order.objects.exists()
    no_issuer = client.post(f"/events/{world.event.uid}/orders/new/", _order_post(world, issuer=world.rta.pk))
    assert no_issuer.status_code == 400 and "valid choice" in _field_error(no_issuer.content.decode(), "issuer")

    for fields, field, message in (
        ({"title": ""}, "title", "This field is required."),
        ({"valid_from": "2025-02-30"}, "valid_from", "Enter a valid date."),
        ({"valid_until": "2024-01-01"}, "valid_until", "A theme cannot stop being valid before it starts."),
        ({"talking_points": " \n \n"}, "talking_points", "This field is required."),
        ({"objectives": "IMO-THA-2\nNOPE-9"}, "objectives", "No objective NOPE-9."),
        ({"country": "XXX"}, "country", "Select a valid choice. That choice is not one of the available choices."),
        ({"markings": "TOP SECRET"}, "markings", "above this system"),
    ):
        response = client.post("/themes/new/", _theme_post(**fields))
        html = response.content.decode()
        assert response.status_code == 400, fields
        assert message in _field_error(html, field), (fields, _field_error(html, field))
        assert "RTA leaders and Thai media" in html, fields  # what was typed is still there
    assert not Theme.objects.exists()
