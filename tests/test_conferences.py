"""Conference records: versions, approval, CONF-1 warnings, and delivery to inboxes and by real e-mail."""

from datetime import date

import pytest

from goldthread.core.errors import DomainError, NotPermitted
from goldthread.delivery import selectors as delivery_selectors
from goldthread.delivery import services as delivery
from goldthread.delivery.models import Delivery, Subscription
from goldthread.planning import selectors, services
from goldthread.planning.models import Conference

from .conftest import make_user


@pytest.fixture
def mpc(world):
    """A drafted main planning conference of Hanuman Guardian 2025, attended by USARPAC only."""
    conference = services.create_conference(
        actor=world.planner,
        event=world.event,
        kind="MPC",
        starts=date(2025, 2, 18),
        ends=date(2025, 2, 20),
        place="Lopburi",
    )
    services.set_attendees(
        actor=world.planner,
        conference=conference,
        attendees=[
            {"name": "MAJ Example", "organization": world.usarpac, "role": "G37 exercise planner"},
            {"name": "COL Partner", "organization": world.rta, "role": "RTA lead planner"},
        ],
    )
    services.set_items(
        actor=world.planner,
        conference=conference,
        items=[
            {"kind": "PARTNER_OBJECTIVE", "text": "RTA wants a brigade-level HADR staff drill"},
            {"kind": "AGREEMENT", "text": "Training area: Camp Erawan, 120 U.S. personnel"},
            {"kind": "ACTION", "text": "Send the comms plan", "owner": world.bct, "due": date(2025, 4, 1)},
        ],
    )
    return conference


def test_missing_executing_unit_is_flagged(world, mpc):
    assert mpc.executing_unit_represented is False
    assert selectors.missed_by_executing_unit(world.event) == [mpc]
    services.set_attendees(
        actor=world.planner,
        conference=mpc,
        attendees=[
            {"name": "CPT Example", "organization": world.bct, "role": "S3 planner"},
        ],
    )
    assert mpc.executing_unit_represented is True
    assert selectors.missed_by_executing_unit(world.event) == []


def test_action_items_need_an_owner_and_a_due_date(world, mpc):
    with pytest.raises(DomainError, match="owner and a due date"):
        services.set_items(actor=world.planner, conference=mpc, items=[{"kind": "ACTION", "text": "Someone should"}])
    assert mpc.items.count() == 3


def test_approval_delivers_to_every_subscriber_by_inbox_and_real_email(
    world, mpc, smtp, django_capture_on_commit_callbacks
):
    desk = make_user("desk", "desk_officer", world.usarpac)
    desk.countries.set([world.tha])
    sco = make_user("sco", "sco")
    sco.countries.set([world.tha])
    make_user("elsewhere", "desk_officer").countries.set([world.phl])
    for user in (world.unit, desk, sco):
        user.email = f"{user.username}@example.mil"
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_conference(actor=world.planner, conference=mpc)

    reasons = dict(Subscription.objects.filter(event=world.event).values_list("user__username", "reason"))
    assert reasons == {"unit": "EXECUTING_UNIT", "desk": "DESK_OFFICER", "sco": "SCO"}
    inboxes = {d.recipient.username: d for d in Delivery.objects.filter(record_uid=mpc.uid)}
    assert set(inboxes) == {"unit", "desk", "sco"}
    assert all(d.emailed for d in inboxes.values())
    assert sorted(rcpt for m in smtp.messages for rcpt in m.rcpt_tos) == [
        "desk@example.mil",
        "sco@example.mil",
        "unit@example.mil",
    ]
    body = smtp.messages[0].content.decode()
    assert "UNCLASSIFIED" in body and f"/conferences/{mpc.uid}/" in body
    assert str(delivery_selectors.reach(mpc.uid)) == "sent to 3, read by 0, acknowledged by 0"

    delivery.acknowledge(actor=world.unit, delivery=inboxes["unit"])
    delivery.mark_read(actor=desk, delivery=inboxes["desk"])
    assert str(delivery_selectors.reach(mpc.uid)) == "sent to 3, read by 2, acknowledged by 1"
    with pytest.raises(NotPermitted):
        delivery.acknowledge(actor=desk, delivery=inboxes["sco"])


def test_an_unsubscribed_user_is_not_added_back(world, mpc):
    delivery.set_subscription(actor=world.unit, event=world.event, user=world.unit, active=False)
    services.approve_conference(actor=world.planner, conference=mpc)
    assert not Delivery.objects.filter(recipient=world.unit).exists()
    with pytest.raises(NotPermitted):
        delivery.set_subscription(actor=world.reader, event=world.event, user=world.unit, active=True)


def test_a_correction_is_a_new_version_and_the_approved_one_stays(world, mpc):
    services.approve_conference(actor=world.planner, conference=mpc)
    with pytest.raises(DomainError, match="cannot change"):
        services.update_conference(actor=world.planner, conference=mpc, version=None, changes={"place": "Bangkok"})
    with pytest.raises(DomainError, match="cannot change"):
        services.set_items(actor=world.planner, conference=mpc, items=[])
    with pytest.raises(DomainError, match="why"):
        services.correct_conference(actor=world.planner, conference=mpc, reason=" ")
    draft = services.correct_conference(actor=world.planner, conference=mpc, reason="Numbers were wrong")
    assert (draft.number, draft.status, draft.items.count()) == (2, "DRAFT", 3)
    services.update_conference(actor=world.planner, conference=draft, version=None, changes={"place": "Bangkok"})
    services.set_items(
        actor=world.planner,
        conference=draft,
        items=[
            {"kind": "AGREEMENT", "text": "Training area: Camp Erawan, 150 U.S. personnel"},
        ],
    )
    mpc.refresh_from_db()
    assert (mpc.status, mpc.place, mpc.items.count()) == ("APPROVED", "Lopburi", 3)  # still authoritative
    services.approve_conference(actor=world.planner, conference=draft)
    mpc.refresh_from_db()
    assert mpc.status == "SUPERSEDED" and mpc.items.count() == 3  # readable, unchanged
    assert [c.number for c in selectors.conferences(world.event)] == [2]
    changes = {(c.what, c.before, c.after) for c in selectors.changes(mpc, draft)}
    assert ("place", "Lopburi", "Bangkok") in changes
    assert ("item", "", "Agreement with the partner: Training area: Camp Erawan, 150 U.S. personnel") in changes
    assert ("item", "Action item: Send the comms plan", "") in changes


def test_roles_and_reach_decide_who_records_and_approves(world, mpc):
    with pytest.raises(NotPermitted):
        services.approve_conference(actor=world.reader, conference=mpc)
    other_unit = make_user("otherunit", "unit_planner", world.rta)
    with pytest.raises(NotPermitted):
        services.create_conference(
            actor=other_unit,
            event=world.event,
            kind="FPC",
            starts=date(2025, 5, 1),
            ends=date(2025, 5, 2),
            place="Bangkok",
        )
    fpc = services.create_conference(
        actor=world.unit, event=world.event, kind="FPC", starts=date(2025, 5, 1), ends=date(2025, 5, 2), place="Bangkok"
    )
    assert fpc.status == Conference.Status.DRAFT


def test_api_round_trip(api, world, client):
    created = api.post(
        f"/events/{world.event.uid}/conferences",
        {
            "kind": "IPC",
            "starts": "2024-11-12",
            "ends": "2024-11-14",
            "place": "Fort Shafter",
        },
    )
    assert created.status_code == 201, created.json()
    uid = created.json()["uid"]
    people = api.client.put(
        f"/api/v1/conferences/{uid}/attendees",
        data=[{"name": "CPT Example", "organization": "2-2 SBCT", "role": "S3"}],
        content_type="application/json",
        headers=api.headers,
    )
    assert people.status_code == 200 and people.json()["executing_unit_represented"] is True
    bad = api.client.put(
        f"/api/v1/conferences/{uid}/items",
        data=[{"kind": "ACTION", "text": "x", "owner": "Nobody"}],
        content_type="application/json",
        headers=api.headers,
    )
    assert bad.status_code == 400 and "owner" in bad.json()["errors"]
    approved = api.post(f"/conferences/{uid}/approve", {})
    assert approved.status_code == 200 and approved.json()["status"] == "APPROVED"
    assert api.patch(f"/conferences/{uid}", {"version": 1, "place": "x"}).status_code == 400
    v2 = api.post(f"/conferences/{uid}/corrections", {"reason": "Wrong dates"})
    assert v2.status_code == 201 and v2.json()["number"] == 2
    assert [v["number"] for v in api.get(f"/conferences/{uid}/versions").json()] == [1, 2]
    assert api.get(f"/conferences/{v2.json()['uid']}/changes").json() == []
    unit = api.as_user(world.unit)
    inbox = unit.get("/inbox").json()
    assert inbox["count"] == 1 and inbox["items"][0]["record_uid"] == uid
    acked = unit.post(f"/inbox/{inbox['items'][0]['uid']}/acknowledge", {})
    assert acked.status_code == 200 and acked.json()["acknowledged"]
    assert api.post(f"/inbox/{inbox['items'][0]['uid']}/acknowledge", {}).status_code == 404  # not the planner's
    subs = api.get(f"/events/{world.event.uid}/subscriptions").json()
    assert [(s["user"], s["reason"]) for s in subs] == [("unit", "EXECUTING_UNIT")]


def test_web_pages(world, mpc, client):
    client.force_login(world.planner)
    event_page = client.get(f"/events/{world.event.uid}/").content.decode()
    assert "Main planning conference" in event_page and '<strong class="error">no</strong>' in event_page
    page = client.get(f"/conferences/{mpc.uid}/").content.decode()
    assert "was not represented" in page and "Approve and deliver" in page
    follow = client.post(f"/conferences/{mpc.uid}/approve/", follow=True)
    assert b"Approved and delivered: sent to 1" in follow.content
    client.force_login(world.unit)
    assert b'aria-label="1 unread"' in client.get("/").content
    inbox = client.get("/inbox/").content.decode()
    assert "Main planning conference record" in inbox
    client.get(f"/conferences/{mpc.uid}/")  # reading it
    delivered = Delivery.objects.get(recipient=world.unit)
    assert delivered.read and not delivered.acknowledged
    client.post(f"/inbox/{delivered.uid}/acknowledge/", {"next": "https://evil.example/"})
    delivered.refresh_from_db()
    assert delivered.acknowledged


def test_drafts_are_seen_only_by_those_who_may_change_them(world, mpc, api, client):
    from goldthread.planning import services as planning

    order = planning.draft_order(
        actor=world.planner, event=world.event, kind="TASKORD", issuer=world.usarpac, title="Draft tasking"
    )
    reader = api.as_user(world.reader)
    assert reader.get(f"/conferences/{mpc.uid}").status_code == 404
    assert reader.get(f"/events/{world.event.uid}/conferences").json() == []
    assert reader.get(f"/orders/{order.uid}").status_code == 404
    assert reader.get(f"/events/{world.event.uid}/orders").json() == []
    client.force_login(world.reader)
    assert client.get(f"/conferences/{mpc.uid}/").status_code == 404
    assert "Main planning conference" not in client.get(f"/events/{world.event.uid}/").content.decode()
    assert api.get(f"/conferences/{mpc.uid}").status_code == 200  # the planner drafting it
    services.approve_conference(actor=world.planner, conference=mpc)
    assert reader.get(f"/conferences/{mpc.uid}").status_code == 200
    draft = services.correct_conference(actor=world.planner, conference=mpc, reason="typo")
    assert [c["number"] for c in reader.get(f"/events/{world.event.uid}/conferences").json()] == [1]
    assert [c["number"] for c in api.get(f"/events/{world.event.uid}/conferences").json()] == [draft.number]


def test_the_conference_form_records_a_draft_with_its_lines(world, client):
    client.force_login(world.planner)
    assert b"Record a planning conference" in client.get(f"/events/{world.event.uid}/").content
    bad = client.post(
        f"/events/{world.event.uid}/conferences/new/",
        {
            "kind": "MPC",
            "starts": "2025-02-18",
            "ends": "2025-02-20",
            "place": "Lopburi",
            "attendees": "CPT Example; Nowhere Unit; S3",
            "actions": "Send the plan; 2-2 SBCT; soon",
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Line 1: no organization with short name" in html and "YYYY-MM-DD" in html and 'value="Lopburi"' in html
    assert not Conference.objects.exists()
    created = client.post(
        f"/events/{world.event.uid}/conferences/new/",
        {
            "kind": "MPC",
            "starts": "2025-02-18",
            "ends": "2025-02-20",
            "place": "Lopburi",
            "attendees": "CPT Example; 2-2 SBCT; S3 planner\nCOL Partner; ; RTA lead",
            "decisions": "Dates confirmed\n\nNumbers: 120",
            "actions": "Send the plan; 2-2 SBCT; 2025-04-01",
        },
    )
    conference = Conference.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/conferences/{conference.uid}/"
    assert conference.executing_unit_represented is True
    assert sorted(conference.items.values_list("kind", "text")) == [
        ("ACTION", "Send the plan"),
        ("DECISION", "Dates confirmed"),
        ("DECISION", "Numbers: 120"),
    ]
    form = client.get(f"/conferences/{conference.uid}/edit/").content.decode()
    assert "CPT Example; 2-2 SBCT; S3 planner" in form and "Send the plan; 2-2 SBCT; 2025-04-01" in form
    client.post(
        f"/conferences/{conference.uid}/edit/",
        {
            "version": conference.version,
            "kind": "MPC",
            "starts": "2025-02-18",
            "ends": "2025-02-20",
            "place": "Bangkok",
            "attendees": "COL Partner; ; RTA lead",
        },
    )
    conference.refresh_from_db()
    assert conference.place == "Bangkok" and conference.executing_unit_represented is False
    assert conference.items.count() == 0
    services.approve_conference(actor=world.planner, conference=conference)
    refused = client.post(
        f"/conferences/{conference.uid}/edit/",
        {"version": conference.version, "kind": "MPC", "starts": "2025-02-18", "ends": "2025-02-20", "place": "x"},
    )
    assert refused.status_code == 400 and b"start a correction" in refused.content
