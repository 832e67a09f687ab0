"""Every API endpoint: authentication, the happy path, and the 4xx body for bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from goldthread.core.models import ApiToken, AuditEntry
from goldthread.events.models import Event

from .conftest import link

ERROR_KEYS = {"detail", "errors"}


def test_openapi_document_is_served_without_auth(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/events/{uid}/thread" in paths and "/api/v1/objectives/{uid}/thread" in paths
    assert set(paths["/api/v1/events"]["post"]["responses"]) >= {
        "201",
        "400",
        "401",
        "403",
        "404",
        "409",
        "422",
    }


def test_requests_without_a_token_get_401(world, client):
    response = client.get("/api/v1/events")
    assert response.status_code == 401
    assert set(response.json()) == ERROR_KEYS


@pytest.mark.parametrize("state", ["revoked", "expired", "garbage"])
def test_unusable_tokens_get_401(world, api, client, state):
    token = ApiToken.objects.get(user=world.planner)
    if state == "revoked":
        ApiToken.objects.update(revoked=timezone.now())
    elif state == "expired":
        ApiToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    else:
        api.headers = {"Authorization": "Bearer gt_not-a-real-token"}
    assert token.digest not in api.headers["Authorization"]  # only the digest is stored
    assert api.get("/events").status_code == 401


def test_session_login_works_for_reads(world, client):
    client.force_login(world.reader)
    assert client.get("/api/v1/events").status_code == 200


def test_countries_with_constraints(api):
    countries = api.get("/countries").json()
    assert [c["iso3"] for c in countries] == ["CHN", "PRK", "PHL", "THA"]
    china = api.get("/countries/chn").json()
    assert china["constraints"][0]["allowed_objective_types"] == ["REL"]
    assert api.get("/countries/XYZ").status_code == 404


def test_organizations_and_plans(api, world):
    response = api.post(
        "/organizations",
        {"name": "I Corps", "short_name": "I Corps", "echelon": "CORPS", "parent": "USARPAC"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["parent"] == "USARPAC"
    assert api.get("/organizations", echelon="CORPS").json()["count"] == 1
    bad = api.post("/organizations", {"name": "X", "short_name": "X", "echelon": "CORPS", "parent": "Nobody"})
    assert bad.status_code == 400 and "parent" in bad.json()["errors"]
    plan = api.post(
        "/plans",
        {
            "name": "TCP FY25",
            "kind": "TCP",
            "owner": "USARPAC",
            "period_start": "2024-10-01",
            "period_end": "2029-09-30",
        },
    )
    assert plan.status_code == 201, plan.json()
    assert api.get("/plans").json()["items"][0]["name"] == "TCP FY25"
    inverted = api.post(
        "/plans", {"name": "Bad", "kind": "TCP", "period_start": "2029-10-01", "period_end": "2024-09-30"}
    )
    assert inverted.status_code == 400


def test_objective_crud_and_links(api, world):
    created = api.post(
        "/objectives",
        {
            "code": "CSP-THA-2.2",
            "statement": "RTA aviation maintenance to standard",
            "level": 3,
            "primary_type": "CAP",
            "country": "THA",
            "owner": "USARPAC",
            "parents": [str(world.imo.uid)],
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["level_label"] == "Country / Army" and body["version"] == 1
    uid = body["uid"]
    assert api.get(f"/objectives/{uid}").json()["code"] == "CSP-THA-2.2"
    listed = api.get("/objectives", level=3, country="THA").json()
    assert listed["count"] == 2
    patched = api.patch(f"/objectives/{uid}", {"version": 1, "target": "4 of 5"})
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = api.patch(f"/objectives/{uid}", {"version": 1, "target": "lost"})
    assert stale.status_code == 409 and "version" in stale.json()["errors"]
    assert api.get(f"/objectives/{uid}").json()["target"] == "4 of 5"
    linked = api.post(f"/objectives/{uid}/parents", {"parent": "TCP-O1"})
    assert linked.status_code == 201
    assert api.delete(f"/objectives/{uid}/parents/{world.rel.uid}").status_code == 204
    assert api.delete(f"/objectives/{uid}/parents/{world.rel.uid}").status_code == 400


def test_objective_cycle_and_inversion_get_400_with_field(api, world):
    inversion = api.post(f"/objectives/{world.theater.uid}/parents", {"parent": "CSP-THA-2.1"})
    assert inversion.status_code == 400
    assert "higher level" in inversion.json()["errors"]["parents"][0]


def test_objective_validation_errors_are_422_with_fields(api):
    response = api.post("/objectives", {"code": "", "statement": "x", "level": 9, "primary_type": "XYZ"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"code", "level", "primary_type"} <= set(errors)


def test_objective_thread(api, world):
    body = api.get(f"/objectives/{world.imo.uid}/thread").json()
    assert [n["code"] for n in body["ancestors"]] == ["NAT-1", "TCP-O3"]
    assert [n["code"] for n in body["descendants"]] == ["CSP-THA-2.1"]
    assert body["events"][0]["code"] == "EVT-2025-HG"
    assert body["events"][0]["via_objective"] == "CSP-THA-2.1"
    parents = {n["code"]: n["parents"] for n in body["ancestors"] + body["descendants"]}
    assert parents == {"NAT-1": [], "TCP-O3": [str(world.national.uid)], "CSP-THA-2.1": [str(world.imo.uid)]}
    # An objective under two parents lists both, by code.
    link(world.rel, world.army)
    body = api.get(f"/objectives/{world.national.uid}/thread").json()
    (army,) = [n for n in body["descendants"] if n["code"] == "CSP-THA-2.1"]
    assert army["parents"] == [str(world.imo.uid), str(world.rel.uid)]
    assert body["descendants_count"] == len(body["descendants"])


def test_objective_descendants_page_through_the_thread_below_in_its_order(api, world, monkeypatch):
    whole = api.get(f"/objectives/{world.national.uid}/thread").json()["descendants"]
    assert len(whole) > 3
    first = api.get(f"/objectives/{world.national.uid}/descendants?page_size=3").json()
    second = api.get(f"/objectives/{world.national.uid}/descendants?page_size=3&page=2").json()
    assert first["count"] == len(whole)
    assert first["items"] + second["items"] == whole[:6]
    # A thread lists the first descendants and counts them all.
    monkeypatch.setattr("goldthread.strategy.api.THREAD_DESCENDANTS", 2)
    cut = api.get(f"/objectives/{world.national.uid}/thread").json()
    assert cut["descendants"] == whole[:2] and cut["descendants_count"] == len(whole)
    # From every objective's level and code, as when they are many, the order is the same.
    monkeypatch.setattr("goldthread.strategy.selectors.MANY_IDS", 0)
    assert api.get(f"/objectives/{world.national.uid}/descendants?page_size=3").json() == first


def test_event_create_update_and_filters(api, world):
    created = api.post(
        "/events",
        {
            "code": "EVT-2026-HG",
            "name": "Hanuman Guardian 2026",
            "event_type": "FTX",
            "series": "Hanuman Guardian",
            "countries": ["THA"],
            "executing_unit": "2-2 SBCT",
            "partner_units": ["RTA Cav Ctr"],
            "start_date": "2026-06-15",
            "end_date": "2026-06-30",
            "authority": "Title 10 §321",
        },
    )
    assert created.status_code == 201, created.json()
    event = created.json()
    assert event["fiscal_year"] == 2026 and event["status"] == "PROPOSED" and event["countries"] == ["THA"]
    assert api.get("/events", country="tha", fiscal_year=2026).json()["count"] == 1
    assert api.get("/events", type="KLE").json()["items"][0]["code"] == "EVT-2025-KLE"
    assert api.get("/events", orphan="true").json()["count"] == 2
    assert api.get("/events", executing_unit="2-2 SBCT").json()["count"] == 2
    assert api.get("/events", objective=str(world.national.uid)).json()["count"] == 1
    assert api.get("/events", objective="IMO-THA-2").json()["count"] == 1
    assert api.get("/events", objective="TCP-O9").json()["count"] == 0
    patched = api.patch(f"/events/{event['uid']}", {"version": 1, "countries": ["THA", "PHL"]})
    assert patched.status_code == 200 and sorted(patched.json()["countries"]) == ["PHL", "THA"]
    assert api.patch(f"/events/{event['uid']}", {"version": 1, "name": "x"}).status_code == 409


def test_event_bad_references_name_the_field(api):
    response = api.post(
        "/events",
        {
            "code": "E1",
            "name": "x",
            "event_type": "SMEE",
            "countries": ["ZZZ"],
            "start_date": "2026-01-01",
            "end_date": "2026-01-02",
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"countries": ["Unknown country code(s): ZZZ."]}
    response = api.post(
        "/events",
        {
            "code": "E1",
            "name": "x",
            "event_type": "SMEE",
            "countries": ["THA"],
            "series": "Nope",
            "start_date": "2026-01-01",
            "end_date": "2026-01-02",
        },
    )
    assert "series" in response.json()["errors"]


def test_event_forbidden_by_constraint_is_400_naming_it(api):
    response = api.post(
        "/events",
        {
            "code": "E1",
            "name": "x",
            "event_type": "FTX",
            "countries": ["CHN"],
            "start_date": "2026-01-01",
            "end_date": "2026-01-02",
        },
    )
    assert response.status_code == 400
    assert "NDAA-FY2000" in response.json()["errors"]["event_type"][0]


def test_nul_bytes_and_lone_surrogates_are_422(api):
    nul = api.post(
        "/events",
        {
            "code": "E\x00",
            "name": "x",
            "event_type": "KLE",
            "countries": ["THA"],
            "start_date": "2026-01-01",
            "end_date": "2026-01-02",
        },
    )
    assert nul.status_code == 422 and "code" in nul.json()["errors"]
    surrogate = api.client.post(
        "/api/v1/series", data='{"name": "bad \\ud800"}', content_type="application/json", headers=api.headers
    )
    assert surrogate.status_code == 422
    assert api.get("/events", q="a\x00b").status_code == 422


def test_malformed_json_is_4xx(api):
    response = api.client.post("/api/v1/series", data="{", content_type="application/json", headers=api.headers)
    assert 400 <= response.status_code < 500


def test_event_thread_and_claims(api, world):
    body = api.get(f"/events/{world.event.uid}/thread").json()
    assert body["event"]["code"] == "EVT-2025-HG"
    assert [c["objective_code"] for c in body["claims"]] == ["CSP-THA-2.1"]
    codes = [n["code"] for n in body["objectives"]]
    assert codes == ["NAT-1", "TCP-O3", "IMO-THA-2", "CSP-THA-2.1"]
    top = body["objectives"][0]
    assert top["parents"] == [] and body["objectives"][1]["parents"] == [top["uid"]]
    assert api.get(f"/events/{world.event.uid}/claims").json()[0]["role"] == "PRIMARY"


def test_claim_lifecycle(api, world):
    orphan = world.orphan.uid
    added = api.post(
        f"/events/{orphan}/claims",
        {
            "objective": "TCP-O1",
            "expected_change": "Counterparts met",
            "indicator": "Follow-on invitations",
            "time_lag_months": 6,
        },
    )
    assert added.status_code == 201, added.json()
    claim = added.json()
    assert claim["objective_type"] == "REL"
    patched = api.patch(f"/claims/{claim['uid']}", {"version": 1, "assumptions": "Partner keeps staff in post"})
    assert patched.status_code == 200 and patched.json()["version"] == 2
    assert api.patch(f"/claims/{claim['uid']}", {"version": 1, "assumptions": "x"}).status_code == 409
    assert api.delete(f"/claims/{claim['uid']}").status_code == 204
    assert api.delete(f"/claims/{claim['uid']}").status_code == 404


def test_claim_refused_by_constraint(api, world):
    event = api.post(
        "/events",
        {
            "code": "PR-DME",
            "name": "Pacific Resilience",
            "event_type": "DME",
            "countries": ["CHN"],
            "start_date": "2026-11-10",
            "end_date": "2026-11-14",
        },
    ).json()
    response = api.post(f"/events/{event['uid']}/claims", {"objective": "TCP-O3", "expected_change": "x"})
    assert response.status_code == 400
    assert "NDAA-FY2000" in response.json()["errors"]["objective"][0]


def test_transitions(api, world):
    uid = world.orphan.uid
    assert api.post(f"/events/{uid}/transition", {"status": "APPROVED"}).json()["status"] == "APPROVED"
    refused = api.post(f"/events/{uid}/transition", {"status": "PLANNING"})
    assert refused.status_code == 400 and "status" in refused.json()["errors"]
    assert api.post(f"/events/{uid}/transition", {"status": "BOGUS"}).status_code == 422
    assert api.post(f"/events/{uid}/transition", {"status": "CANCELLED", "version": 1}).status_code == 409
    assert Event.objects.get(uid=uid).status == "APPROVED"


def test_series(api):
    assert api.post("/series", {"name": "Garuda Shield"}).status_code == 201
    duplicate = api.post("/series", {"name": "Garuda Shield"})
    assert duplicate.status_code == 400 and "name" in duplicate.json()["errors"]
    assert [s["name"] for s in api.get("/series").json()["items"]] == ["Garuda Shield", "Hanuman Guardian"]


def test_reader_gets_403_and_nothing_changes(api, world):
    reader = api.as_user(world.reader)
    response = reader.post("/series", {"name": "Balikatan"})
    assert response.status_code == 403 and set(response.json()) == ERROR_KEYS
    assert reader.patch(f"/events/{world.event.uid}", {"version": 1, "name": "x"}).status_code == 403
    assert reader.get("/events").status_code == 200


def test_unknown_uids_are_404_and_bad_uids_422(api):
    assert api.get("/events/00000000-0000-0000-0000-000000000000").status_code == 404
    assert api.get("/events/not-a-uid").status_code == 422


def test_pagination(api):
    page = api.get("/events", page=1, page_size=1).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    assert api.get("/events", page=0).status_code == 422


def test_api_writes_are_audited_to_the_token_user(api, world):
    api.post("/series", {"name": "Cobra Gold"})
    assert AuditEntry.objects.get(action="series.created").actor == world.planner


def test_countries_come_from_the_iso_standard(api):
    created = api.post("/countries", {"iso3": "vnm"})
    assert created.status_code == 201, created.json()
    assert (created.json()["iso3"], created.json()["name"]) == ("VNM", "Vietnam")  # ISO common name
    assert api.post("/countries", {"iso3": "XXA"}).json()["errors"] == {
        "iso3": ["XXA is not an ISO 3166 alpha-3 country code."]
    }
    assert api.post("/countries", {"iso3": "VNM"}).status_code == 400  # already there
    patched = api.patch("/countries/VNM", {"version": 1, "name": "Viet Nam", "treaty_ally": False})
    assert patched.status_code == 200 and patched.json()["name"] == "Viet Nam"
    assert api.patch("/countries/VNM", {"version": 1, "name": "x"}).status_code == 409


def test_constraints_can_be_added_and_changed(api, world):
    created = api.post(
        "/countries/PHL/constraints",
        {
            "code": "TEST",
            "title": "Relationship only for now",
            "basis": "Policy memo",
            "allowed_objective_types": ["REL"],
            "starts": "2026-01-01",
        },
    )
    assert created.status_code == 201, created.json()
    constraint = created.json()
    event = api.post(
        "/events",
        {
            "code": "E-PHL",
            "name": "x",
            "event_type": "SMEE",
            "countries": ["PHL"],
            "start_date": "2026-05-01",
            "end_date": "2026-05-03",
        },
    ).json()
    refused = api.post(f"/events/{event['uid']}/claims", {"objective": "TCP-O3", "expected_change": "x"})
    assert "TEST" in refused.json()["detail"]
    lifted = api.patch(f"/constraints/{constraint['uid']}", {"version": 1, "ends": "2026-03-01"})
    assert lifted.status_code == 200
    accepted = api.post(f"/events/{event['uid']}/claims", {"objective": "TCP-O3", "expected_change": "x"})
    assert accepted.status_code == 201
    bad = api.post(
        "/countries/PHL/constraints", {"code": "B", "title": "t", "basis": "b", "forbidden_event_types": ["PARADE"]}
    )
    assert bad.status_code == 422 and "forbidden_event_types.0" in bad.json()["errors"]


def test_organization_and_plan_detail_and_update(api, world):
    org = api.get(f"/organizations/{world.bct.uid}").json()
    assert org["parent"] == "USARPAC" and org["version"] == 1
    loop = api.patch(f"/organizations/{world.usarpac.uid}", {"version": 1, "parent": "2-2 SBCT"})
    assert loop.status_code == 400 and "parent" in loop.json()["errors"]
    moved = api.patch(f"/organizations/{world.bct.uid}", {"version": 1, "parent": None, "name": "2-2 SBCT (JBLM)"})
    assert moved.status_code == 200 and moved.json()["parent"] is None
    plan = api.post(
        "/plans", {"name": "CSP", "kind": "CSP", "period_start": "2025-10-01", "period_end": "2030-09-30"}
    ).json()
    assert api.get(f"/plans/{plan['uid']}").json()["kind"] == "CSP"
    patched = api.patch(f"/plans/{plan['uid']}", {"version": 1, "owner": "USARPAC"})
    assert patched.json()["owner"] == "USARPAC"
    inverted = api.patch(f"/plans/{plan['uid']}", {"version": 2, "period_end": "2020-01-01"})
    assert inverted.status_code == 400


def test_claim_and_series_detail(api, world):
    assert api.get(f"/claims/{world.claim.uid}").json()["objective_code"] == "CSP-THA-2.1"
    series = api.get(f"/series/{world.series.uid}").json()
    renamed = api.patch(f"/series/{series['uid']}", {"version": series["version"], "description": "HADR focus"})
    assert renamed.status_code == 200 and renamed.json()["description"] == "HADR focus"


def test_audit_trail_by_record_user_action_and_time(api, world):
    api.patch(f"/events/{world.event.uid}", {"version": 1, "name": "Hanuman Guardian 25"})
    api.post("/series", {"name": "Balikatan"})
    by_record = api.get("/audit", object=str(world.event.uid)).json()
    assert by_record["count"] == 1
    entry = by_record["items"][0]
    assert (entry["actor"], entry["action"]) == ("planner", "event.updated")
    assert entry["changes"] == {"name": ["Hanuman Guardian 2025", "Hanuman Guardian 25"]}
    assert api.get("/audit", actor="planner").json()["count"] == 2
    assert api.get("/audit", action="series.").json()["items"][0]["object_repr"] == "Balikatan"
    assert api.get("/audit", since="2100-01-01T00:00:00Z").json()["count"] == 0
    assert api.get("/audit", until="0001-01-01T00:00:00-23:59").status_code == 422


def test_oversized_bodies_get_413_json(api):
    body = '{"name": "' + "x" * (3 * 1024 * 1024) + '"}'
    response = api.client.post("/api/v1/series", data=body, content_type="application/json", headers=api.headers)
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


def test_an_unreadable_multipart_body_gets_a_json_400(api, world, client):
    """More files than Django reads in one request: refused as JSON, like every API error, not as an HTML page."""
    boundary = "b0und4ry"
    part = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nx\r\n'
    response = client.post(
        "/api/v1/countries/THA/attachments",
        data=(part * 101 + f"--{boundary}--\r\n").encode(),
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=api.headers,
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "could not be read" in response.json()["detail"]
