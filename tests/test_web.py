"""The server-rendered pages: log-in, the banner, the thread, filters, and forms that keep input on error."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from goldthread.core.models import AuditEntry
from goldthread.events import forms
from goldthread.events.models import ContributionClaim, Event
from goldthread.web.middleware import IdleTimeout

from .conftest import PASSWORD


@pytest.fixture
def planner(client, world):
    client.force_login(world.planner)
    return client


def test_pages_need_login(world, client):
    response = client.get("/events/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_login_with_password(world, client):
    page = client.get("/login/")
    assert b"UNCLASSIFIED" in page.content
    response = client.post("/login/", {"username": "planner", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    bad = client.post("/login/", {"username": "planner", "password": "wrong"})
    assert bad.status_code == 200 and b"enter a correct username and password" in bad.content


@override_settings(CLASSIFICATION="UNCLASSIFIED//FOR TRAINING")
@pytest.mark.parametrize("path", ["/", "/objectives/", "/objectives/list/", "/events/", "/evaluation/"])
def test_every_page_shows_the_classification_banner_twice(planner, path):
    response = planner.get(path)
    assert response.status_code == 200
    assert response.content.count(b"UNCLASSIFIED//FOR TRAINING") == 2


def test_objective_tree_nests_children(planner, world):
    html = planner.get("/objectives/").content.decode()
    assert html.index("NAT-1") < html.index("TCP-O3") < html.index("IMO-THA-2") < html.index("CSP-THA-2.1")


def test_objective_page_shows_ancestry_children_and_serving_events(planner, world):
    html = planner.get(f"/objectives/{world.imo.uid}/").content.decode()
    assert "NAT-1" in html and "TCP-O3" in html and "CSP-THA-2.1" in html
    assert "EVT-2025-HG" in html and "FY2025" in html and "Thailand" in html
    assert "<svg" in html and 'role="group" aria-labelledby="thread-title"' in html


def test_event_page_answers_why(planner, world):
    html = planner.get(f"/events/{world.event.uid}/").content.decode()
    assert "Why are we doing this?" in html
    for code in ("CSP-THA-2.1", "IMO-THA-2", "TCP-O3", "NAT-1"):
        assert code in html
    assert "Combined HADR staff plan produced" in html
    assert "<svg" in html and "Why EVT-2025-HG happens" in html


def test_orphan_event_page_says_it_serves_nothing(planner, world):
    html = planner.get(f"/events/{world.orphan.uid}/").content.decode()
    assert "claims no objective" in html


def test_event_list_filters_and_htmx_partial(planner, world):
    html = planner.get("/events/", {"country": "THA"}).content.decode()
    assert "EVT-2025-HG" in html and "EVT-2025-KLE" not in html
    partial = planner.get("/events/", {"type": "KLE"}, headers={"HX-Request": "true"}).content.decode()
    assert "EVT-2025-KLE" in partial and "EVT-2025-HG" not in partial and "<html" not in partial
    assert planner.get("/events/", {"fiscal_year": "abc", "status": "\x00"}).status_code == 200
    by_objective = planner.get("/events/", {"objective": "TCP-O3"}).content.decode()
    assert "EVT-2025-HG" in by_objective and "EVT-2025-KLE" not in by_objective


def test_the_old_coverage_page_leads_to_the_evaluation_dashboard(planner, world):
    response = planner.get("/coverage/", {"fiscal_year": "2025"}, follow=True)
    assert response.redirect_chain == [("/evaluation/?fiscal_year=2025", 302)]
    html = response.content.decode()
    assert "EVT-2025-KLE" in html and "TCP-O9" in html
    assert planner.get("/coverage/", {"fiscal_year": "all"}).url == "/evaluation/"


def test_create_event_form_keeps_input_and_shows_errors_in_place(planner, world):
    response = planner.post(
        "/events/new/",
        {
            "code": "PR-2026",
            "name": "Pacific Resilience 2026",
            "event_type": "FTX",
            "countries": [world.chn.pk],
            "start_date": "2026-11-10",
            "end_date": "2026-11-14",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "NDAA-FY2000" in html and 'value="Pacific Resilience 2026"' in html
    assert not Event.objects.filter(code="PR-2026").exists()


def test_create_event_then_claim_then_move_on(planner, world):
    response = planner.post(
        "/events/new/",
        {
            "code": "SMEE-1",
            "name": "Aviation maintenance SMEE",
            "event_type": "SMEE",
            "countries": [world.tha.pk],
            "start_date": "2026-02-02",
            "end_date": "2026-02-06",
        },
    )
    event = Event.objects.get(code="SMEE-1")
    assert response.status_code == 302 and response["Location"] == f"/events/{event.uid}/"
    refused = planner.post(
        f"/events/{event.uid}/claims/",
        {
            "objective": world.army.pk,
            "role": "PRIMARY",
            "objective_type": "ACC",
            "direction": "INCREASE",
            "time_lag_months": 0,
            "expected_change": "x",
        },
    )
    assert refused.status_code == 400 and b"is typed CAP, INT" in refused.content
    planner.post(
        f"/events/{event.uid}/claims/",
        {
            "objective": world.army.pk,
            "role": "PRIMARY",
            "objective_type": "",
            "direction": "INCREASE",
            "time_lag_months": 3,
            "expected_change": "Maintainers certified",
        },
    )
    assert ContributionClaim.objects.get(event=event).objective_type == "CAP"
    planner.post(f"/events/{event.uid}/transition/", {"status": "APPROVED"})
    follow = planner.post(f"/events/{event.uid}/transition/", {"status": "PLANNING"}, follow=True)
    event.refresh_from_db()
    assert event.status == "PLANNING" and b"is now planning" in follow.content


def test_transition_refusal_is_shown(planner, world):
    follow = planner.post(f"/events/{world.orphan.uid}/transition/", {"status": "EXECUTING"}, follow=True)
    assert b"cannot become executing" in follow.content


def test_stale_edit_names_who_changed_what(planner, world, client):
    form = planner.get(f"/events/{world.event.uid}/edit/")
    assert b'name="version" value="1"' in form.content
    from goldthread.events import services

    services.update_event(actor=world.unit, event=world.event, version=1, changes={"name": "Renamed by unit"})
    response = planner.post(
        f"/events/{world.event.uid}/edit/",
        {
            "version": 1,
            "code": "EVT-2025-HG",
            "name": "My edit",
            "event_type": "FTX",
            "countries": [world.tha.pk],
            "start_date": "2025-06-20",
            "end_date": "2025-07-05",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "changed by unit" in html and "Renamed by unit" in html
    world.event.refresh_from_db()
    assert world.event.name == "Renamed by unit"


def test_reader_sees_no_edit_controls_and_cannot_post(client, world):
    client.force_login(world.reader)
    html = client.get(f"/events/{world.event.uid}/").content.decode()
    assert "Edit</a>" not in html and "Add claim" not in html
    follow = client.post(f"/events/{world.orphan.uid}/transition/", {"status": "APPROVED"}, follow=True)
    assert b"permission" in follow.content
    world.orphan.refresh_from_db()
    assert world.orphan.status == "PROPOSED"


def test_unknown_uid_is_404(planner):
    assert planner.get("/events/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_pages_carry_a_strict_content_security_policy(planner, world):
    policy = planner.get(f"/events/{world.event.uid}/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in planner.get("/events/").content.decode()


def test_history_and_audit_page(planner, world):
    planner.post(f"/events/{world.orphan.uid}/transition/", {"status": "APPROVED"})
    html = planner.get(f"/events/{world.orphan.uid}/").content.decode()
    assert "event.transitioned" in html and "planner" in html
    audit = planner.get("/audit/", {"actor": "planner", "since": "2000-01-01", "until": "2999-01-01"})
    assert "Office call" in audit.content.decode()
    assert "Office call" not in planner.get("/audit/", {"actor": "reader"}).content.decode()
    assert planner.get("/audit/", {"since": "garbage", "object": "nope"}).status_code == 200


def test_api_explorer_loads_nothing_from_outside(planner):
    html = planner.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_log_in_and_out_are_audited(world, client):
    client.post("/login/", {"username": "planner", "password": "wrong"})
    client.post("/login/", {"username": "planner", "password": PASSWORD})
    client.post("/logout/")
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "object_repr"))
    assert actions == [("user.login_failed", "planner"), ("user.login", "planner"), ("user.logout", "planner")]


def _get_and_session_writes(client, path: str = "/events/") -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_a_session_is_renewed_once_a_while_not_written_on_every_request(world, client, settings):
    logged_in = client.post("/login/", {"username": "planner", "password": PASSWORD})
    assert logged_in.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    renewed_until = Session.objects.get(pk=key).expire_date

    for _ in range(3):
        response, writes = _get_and_session_writes(client)
        assert writes == [] and settings.SESSION_COOKIE_NAME not in response.cookies
    assert Session.objects.get(pk=key).expire_date == renewed_until

    stored = SessionStore(session_key=key)  # as if the last renewal were a little longer ago than the interval
    stored[IdleTimeout.RENEWED] -= settings.SESSION_RENEW_SECONDS + 1
    stored.save()
    response, writes = _get_and_session_writes(client)
    assert any(sql.startswith("UPDATE") for sql in writes)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
    assert Session.objects.get(pk=key).expire_date > renewed_until


def test_an_idle_session_ends_and_no_session_is_made_for_a_visitor(world, client, settings):
    sessions = Session.objects.count()
    assert client.get("/login/").status_code == 200
    assert Session.objects.count() == sessions, "a visitor who has not logged in is not given a session"
    client.post("/login/", {"username": "planner", "password": PASSWORD})
    assert client.get("/events/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # idle for longer than the timeout
    response = client.get("/events/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_repeated_failures_lock_the_user_name_out(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/login/", {"username": "unit", "password": "guess"}).status_code == 200
    assert client.post("/login/", {"username": "unit", "password": "guess"}).status_code == 429
    locked = client.post("/login/", {"username": "unit", "password": PASSWORD})
    assert locked.status_code == 429 and b"locked" in locked.content
    assert b"UNCLASSIFIED" in locked.content
    other = client.post("/login/", {"username": "planner", "password": PASSWORD})
    assert other.status_code == 302  # only that user name is locked, not the address


def test_single_sign_on_header_from_a_trusted_proxy(world, client, settings):
    assert client.get("/events/", headers={"X-Remote-User": "planner"}).status_code == 302  # off by default
    settings.REMOTE_USER_HEADER = "X-Remote-User"
    known = client.get("/events/", headers={"X-Remote-User": "planner"})
    assert known.status_code == 200 and b"planner" in known.content
    client.logout()
    unknown = client.get("/events/", headers={"X-Remote-User": "intruder"})
    assert unknown.status_code == 302 and unknown["Location"].startswith("/login/")


def test_with_many_objectives_to_choose_from_the_claim_form_is_a_page_of_its_own(planner, world, monkeypatch):
    assert '<form method="post" action="/events/' in planner.get(f"/events/{world.orphan.uid}/").content.decode()
    monkeypatch.setattr(forms, "INLINE_CHOICES", 2)
    page = planner.get(f"/events/{world.orphan.uid}/").content.decode()
    assert f'<a href="/events/{world.orphan.uid}/claims/">Add a contribution claim</a>' in page
    assert '<option value="' not in page
    form = planner.get(f"/events/{world.orphan.uid}/claims/")
    assert form.status_code == 200 and b">TCP-O1<" in form.content and b"Add claim" in form.content


def test_the_claim_form_offers_the_objectives_that_apply_where_the_event_is_held(planner, world):
    page = planner.get(f"/events/{world.orphan.uid}/").content.decode()
    offered = set(re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page))
    assert {"TCP-O1", "TCP-O3", "NAT-1"} <= {label.split(" ")[0] for label in offered}
    assert not any(label.startswith(("CSP-THA", "IMO-THA")) for label in offered)
    refused = planner.post(
        f"/events/{world.orphan.uid}/claims/",
        {"objective": world.army.pk, "role": "PRIMARY", "direction": "INCREASE", "time_lag_months": 0},
    )
    assert refused.status_code == 400 and b"Select a valid choice" in refused.content
    assert not world.orphan.claims.exists()
