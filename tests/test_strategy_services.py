"""Objective graph rules: levels, cycles, SMART fields, optimistic locking, permissions, audit."""

import pytest

from goldthread.core.catalogues import Echelon, Level
from goldthread.core.errors import Conflict, DomainError, NotPermitted
from goldthread.core.models import AuditEntry
from goldthread.strategy import selectors, services
from goldthread.strategy.models import Objective, Organization


def test_create_objective_under_parents_is_audited(world):
    objective = services.create_objective(
        actor=world.planner,
        parents=[world.imo],
        code="CSP-THA-2.2",
        statement="RTA aviation maintenance",
        level=Level.COUNTRY,
        primary_type="CAP",
        secondary_types=["INT", "CAP"],
        country=world.tha,
    )
    assert objective.secondary_types == ["INT"]  # the primary type is not repeated among the secondaries
    assert world.imo in objective.parents.all()
    entry = AuditEntry.objects.get(action="objective.created", object_uid=objective.uid)
    assert entry.actor == world.planner
    assert entry.changes["parents"] == ["IMO-THA-2"]


def test_level_inversion_is_refused_with_the_levels_named(world):
    with pytest.raises(DomainError) as caught:
        services.link_objectives(actor=world.planner, parent=world.army, child=world.theater)
    assert "parents" in caught.value.errors
    assert "higher level" in caught.value.detail


def test_cycle_between_same_level_objectives_is_refused(world):
    other = Objective.objects.create(code="TCP-O4", statement="x", level=Level.THEATER, primary_type="REL")
    services.link_objectives(actor=world.planner, parent=world.rel, child=other)
    with pytest.raises(DomainError, match="cycle"):
        services.link_objectives(actor=world.planner, parent=other, child=world.rel)


def test_objective_cannot_be_its_own_parent(world):
    with pytest.raises(DomainError, match="itself"):
        services.link_objectives(actor=world.planner, parent=world.rel, child=world.rel)


def test_duplicate_link_is_refused(world):
    with pytest.raises(DomainError, match="already contributes"):
        services.link_objectives(actor=world.planner, parent=world.imo, child=world.army)


def test_changing_level_below_a_child_is_refused(world):
    with pytest.raises(DomainError, match="higher level"):
        services.update_objective(actor=world.planner, objective=world.imo, version=1, changes={"level": Level.EVENT})
    world.imo.refresh_from_db()
    assert world.imo.level == Level.IMO


def test_stale_update_is_a_conflict_and_changes_nothing(world):
    services.update_objective(actor=world.planner, objective=world.imo, version=1, changes={"target": "4 of 5"})
    stale = Objective.objects.get(pk=world.imo.pk)
    stale.version = 1
    with pytest.raises(Conflict):
        services.update_objective(actor=world.planner, objective=stale, version=1, changes={"target": "lost"})
    world.imo.refresh_from_db()
    assert (world.imo.target, world.imo.version) == ("4 of 5", 2)


def test_update_records_before_and_after(world):
    services.update_objective(actor=world.planner, objective=world.imo, version=1, changes={"measure": "Rubric score"})
    entry = AuditEntry.objects.filter(action="objective.updated").first()
    assert entry.changes == {"measure": ["", "Rubric score"]}


def test_reader_cannot_create_objectives(world):
    with pytest.raises(NotPermitted):
        services.create_objective(
            actor=world.reader, code="X-1", statement="x", level=Level.THEATER, primary_type="REL"
        )
    assert not Objective.objects.filter(code="X-1").exists()


def test_field_errors_come_back_per_field(world):
    with pytest.raises(DomainError) as caught:
        services.create_objective(
            actor=world.planner, code="TCP-O3", statement="", level=Level.THEATER, primary_type="REL"
        )
    assert {"code", "statement"} <= set(caught.value.errors)


def test_unlink_and_walks(world):
    assert selectors.ancestor_ids(world.army.pk) == {world.imo.pk, world.theater.pk, world.national.pk}
    assert selectors.descendant_ids(world.national.pk) == {
        world.theater.pk,
        world.rel.pk,
        world.imo.pk,
        world.army.pk,
    }
    services.unlink_objectives(actor=world.planner, parent=world.imo, child=world.army)
    assert selectors.ancestor_ids(world.army.pk) == set()
    with pytest.raises(DomainError):
        services.unlink_objectives(actor=world.planner, parent=world.imo, child=world.army)


def test_smart_needs_all_four_parts(world):
    assert not world.army.is_smart
    world.army.measure, world.army.target, world.army.owner = "Rubric", "4", world.usarpac
    world.army.target_date = world.event.end_date
    assert world.army.is_smart


def test_objective_type_filter_finds_secondary_types(world):
    codes = set(selectors.objectives(objective_type="INT").values_list("code", flat=True))
    assert codes == {"IMO-THA-2", "CSP-THA-2.1"}


def test_dropping_a_type_that_claims_rely_on_is_refused(world):
    # world.claim claims CSP-THA-2.1 for CAP; making the objective INT-only would strand it.
    with pytest.raises(DomainError, match="EVT-2025-HG"):
        services.update_objective(
            actor=world.planner,
            objective=world.army,
            version=None,
            changes={"primary_type": "INT", "secondary_types": []},
        )
    world.army.refresh_from_db()
    assert world.army.primary_type == "CAP"


def test_a_new_constraint_restricts_nothing_it_does_not_name(world):
    constraint = services.create_constraint(
        actor=world.planner, country=world.phl, code="X", title="t", basis="b", forbidden_event_types=["MTT"]
    )
    assert constraint.allowed_objective_types == ["REL", "CAP", "INT", "ACC"]
    with pytest.raises(DomainError):
        services.create_constraint(
            actor=world.planner, country=world.phl, code="Y", title="t", basis="b", forbidden_event_types=["PARADE"]
        )


@pytest.mark.parametrize(
    ("marking", "refused"),
    [
        ("CUI", False),
        ("REL TO USA, THA", False),
        ("UNCLASSIFIED//FOUO", False),
        ("SECRET//NOFORN", True),
        ("TS", True),
        ("CONFIDENTIAL", True),
        ("(S) planning figures", True),
        ("secret", True),
    ],
)
def test_records_marked_above_the_system_level_are_refused(world, marking, refused):
    if refused:
        with pytest.raises(DomainError) as caught:
            services.update_objective(
                actor=world.planner, objective=world.imo, version=1, changes={"markings": marking}
            )
        assert "markings" in caught.value.errors
        world.imo.refresh_from_db()
        assert world.imo.markings == ""
    else:
        services.update_objective(actor=world.planner, objective=world.imo, version=1, changes={"markings": marking})
        world.imo.refresh_from_db()
        assert world.imo.markings == marking


def test_a_secret_system_accepts_secret_records(world, settings):
    settings.CLASSIFICATION = "SECRET//REL TO USA, FVEY"
    services.update_objective(actor=world.planner, objective=world.imo, version=1, changes={"markings": "S//NF"})
    with pytest.raises(DomainError):
        services.update_objective(
            actor=world.planner, objective=world.imo, version=2, changes={"markings": "TOP SECRET"}
        )


def test_a_units_subtree_is_read_in_one_query_however_deep(world, django_assert_num_queries):
    levels = [world.usarpac]
    for depth in range(6):
        levels.append(
            Organization.objects.create(
                name=f"Unit {depth}", short_name=f"U{depth}", echelon=Echelon.BRIGADE, parent=levels[-1]
            )
        )
    beside = Organization.objects.create(name="Beside", short_name="B", echelon=Echelon.BRIGADE, parent=levels[2])
    with django_assert_num_queries(1):
        below_second = levels[2].subtree_ids()
    assert below_second == {unit.pk for unit in levels[2:]} | {beside.pk}
    assert levels[-1].subtree_ids() == {levels[-1].pk}
    assert world.usarpac.subtree_ids() >= {unit.pk for unit in levels} | {world.bct.pk, beside.pk}
    assert world.rta.pk not in levels[1].subtree_ids()

    # A loop in the tree (no form or service makes one) still ends, each unit listed once.
    Organization.objects.filter(pk=levels[1].pk).update(parent=levels[-1])
    assert levels[3].subtree_ids() == {unit.pk for unit in levels[1:]} | {beside.pk}
