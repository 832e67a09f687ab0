"""Event rules: country constraints, lifecycle transitions, claims, fiscal years, optimistic locking."""

from datetime import date

import pytest

from goldthread.core.errors import Conflict, DomainError, NotPermitted
from goldthread.core.models import AuditEntry
from goldthread.events import selectors, services
from goldthread.events.models import ContributionClaim, Event, fiscal_year


def new_event(world, actor=None, **overrides):
    fields = dict(
        code="EVT-X",
        name="Test event",
        event_type="SMEE",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 3, 6),
    )
    countries = overrides.pop("countries", [world.phl])
    fields.update(overrides)
    return services.create_event(actor=actor or world.unit, countries=countries, **fields)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 9, 30), 2024),
        (date(2024, 10, 1), 2025),
        (date(2025, 1, 15), 2025),
        (date(2025, 12, 31), 2026),
    ],
)
def test_fiscal_year_starts_in_october(day, expected):
    assert fiscal_year(day) == expected


def test_create_event_sets_fiscal_year_and_audits(world):
    event = new_event(world, start_date=date(2025, 10, 3), end_date=date(2025, 10, 9))
    assert event.fiscal_year == 2026
    assert event.status == Event.Status.PROPOSED
    entry = AuditEntry.objects.get(action="event.created", object_uid=event.uid)
    assert entry.changes["countries"] == ["PHL"]


def test_event_type_forbidden_by_country_is_refused_naming_the_constraint(world):
    with pytest.raises(DomainError) as caught:
        new_event(world, event_type="FTX", countries=[world.chn])
    assert "NDAA-FY2000" in caught.value.detail
    assert "event_type" in caught.value.errors
    assert not Event.objects.filter(code="EVT-X").exists()


def test_dated_constraint_applies_only_in_its_period(world):
    with pytest.raises(DomainError, match="COUP-2014"):
        new_event(
            world,
            event_type="MTT",
            countries=[world.tha],
            start_date=date(2016, 2, 1),
            end_date=date(2016, 2, 20),
        )
    event = new_event(world, event_type="MTT", countries=[world.tha])  # 2026: restriction lifted
    assert event.pk


def test_event_needs_a_country_and_ordered_dates(world):
    with pytest.raises(DomainError) as caught:
        new_event(world, countries=[])
    assert "countries" in caught.value.errors
    with pytest.raises(DomainError):
        new_event(world, start_date=date(2026, 3, 6), end_date=date(2026, 3, 2))


def test_new_event_must_start_proposed(world):
    with pytest.raises(DomainError, match="starts as proposed"):
        new_event(world, status=Event.Status.READY)


def test_claim_of_forbidden_objective_type_is_refused(world):
    event = new_event(world, event_type="DME", countries=[world.chn])
    with pytest.raises(DomainError) as caught:
        services.add_claim(actor=world.unit, event=event, objective=world.theater, expected_change="x")
    assert "does not permit Partner capacity (CAP)" in caught.value.detail
    assert "NDAA-FY2000" in caught.value.detail
    claim = services.add_claim(actor=world.unit, event=event, objective=world.rel, expected_change="Ties")
    assert claim.objective_type == "REL"


def test_claim_type_must_be_one_of_the_objectives_types(world):
    event = new_event(world)
    with pytest.raises(DomainError) as caught:
        services.add_claim(
            actor=world.unit, event=event, objective=world.army, objective_type="ACC", expected_change="x"
        )
    assert "objective_type" in caught.value.errors
    claim = services.add_claim(
        actor=world.unit, event=event, objective=world.army, objective_type="INT", expected_change="x"
    )
    assert claim.objective_type == "INT"


def test_only_one_primary_claim(world):
    with pytest.raises(DomainError, match="already has a primary"):
        services.add_claim(actor=world.unit, event=world.event, objective=world.imo, expected_change="x")
    claim = services.add_claim(
        actor=world.unit, event=world.event, objective=world.imo, role="SECONDARY", expected_change="x"
    )
    assert claim.role == "SECONDARY"


def test_cannot_plan_without_a_claim(world):
    services.transition_event(actor=world.planner, event=world.orphan, status="APPROVED")
    with pytest.raises(DomainError, match="at least one objective"):
        services.transition_event(actor=world.planner, event=world.orphan, status="PLANNING")
    world.orphan.refresh_from_db()
    assert world.orphan.status == "APPROVED"


def test_transitions_follow_the_lifecycle(world):
    event = world.event
    for status in ("PLANNING", "READY", "EXECUTING", "COMPLETED", "CLOSED"):
        services.transition_event(actor=world.planner, event=event, status=status)
    with pytest.raises(DomainError, match="allowed next: none"):
        services.transition_event(actor=world.planner, event=event, status="CANCELLED")
    assert AuditEntry.objects.filter(action="event.transitioned", object_uid=event.uid).count() == 5


def test_skipping_a_step_is_refused(world):
    with pytest.raises(DomainError, match="cannot become executing"):
        services.transition_event(actor=world.planner, event=world.event, status="EXECUTING")


def test_approval_needs_the_approve_permission(world):
    with pytest.raises(NotPermitted):
        services.transition_event(actor=world.unit, event=world.orphan, status="APPROVED")


def test_last_claim_of_a_planned_event_cannot_be_removed(world):
    services.transition_event(actor=world.planner, event=world.event, status="PLANNING")
    with pytest.raises(DomainError, match="must keep at least one claim"):
        services.remove_claim(actor=world.unit, claim=world.claim)
    assert ContributionClaim.objects.filter(pk=world.claim.pk).exists()


def test_moving_an_event_to_a_country_that_forbids_its_claims_is_refused(world):
    event = new_event(world, event_type="SMEE")
    services.add_claim(actor=world.unit, event=event, objective=world.theater, expected_change="x")
    with pytest.raises(DomainError, match="does not permit"):
        services.update_event(actor=world.unit, event=event, version=event.version, changes={}, countries=[world.chn])
    assert list(event.countries.values_list("iso3", flat=True)) == ["PHL"]


def test_update_moves_fiscal_year_and_refuses_stale_versions(world):
    event = world.event
    services.update_event(
        actor=world.unit,
        event=event,
        version=1,
        changes={"start_date": date(2025, 10, 5), "end_date": date(2025, 10, 9)},
    )
    event.refresh_from_db()
    assert (event.fiscal_year, event.version) == (2026, 2)
    with pytest.raises(Conflict):
        services.update_event(actor=world.unit, event=event, version=1, changes={"name": "lost"})
    event.refresh_from_db()
    assert event.name == "Hanuman Guardian 2025"


def test_status_is_not_editable_directly(world):
    with pytest.raises(DomainError, match="transition"):
        services.update_event(actor=world.unit, event=world.event, version=None, changes={"status": "CLOSED"})


def test_event_thread_reaches_national_goals(world):
    thread = selectors.event_thread(world.event)
    assert {o.code for o in thread.objectives.values()} == {"CSP-THA-2.1", "IMO-THA-2", "TCP-O3", "NAT-1"}
    assert [level for level, _ in thread.by_level()] == [0, 1, 2, 3]


def test_objective_filter_includes_events_below(world):
    codes = set(selectors.events(objective=str(world.national.uid)).values_list("code", flat=True))
    assert codes == {"EVT-2025-HG"}


def test_iterations_link_a_series(world):
    later = new_event(world, code="EVT-2026-HG", event_type="FTX", series=world.series, countries=[world.tha])
    assert selectors.iterations(later) == (world.event, None)
    assert selectors.iterations(world.event) == (None, later)


def test_an_event_cannot_be_a_leg_of_its_own_leg(world):
    rotation = new_event(world, code="PW-1", event_type="PATHWAYS")
    leg = new_event(world, code="PW-1-A", parent=rotation)
    with pytest.raises(DomainError, match="part of itself"):
        services.update_event(actor=world.unit, event=rotation, version=None, changes={"parent": leg})


def test_the_events_serving_an_objective_are_the_same_found_from_few_claims_or_by_walking_events(world, monkeypatch):
    for objective in (world.national, world.theater, world.imo, world.army, world.starved):
        from_claims = selectors.serving(objective, limit=2)
        monkeypatch.setattr(selectors, "FEW_CLAIMS", 1)
        walked = selectors.serving(objective, limit=2)
        monkeypatch.undo()
        assert from_claims.claims == walked.claims
        assert from_claims.by_fiscal_year == walked.by_fiscal_year
    assert [c.event.code for c in selectors.serving(world.national).claims][:1] == ["EVT-2025-HG"]
