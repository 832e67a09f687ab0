"""Reconciliation with the system of record (EVAL-4): the CSV layout, export → import without loss, the preview and
its row errors, the report of what events lack, and the command and API over them."""

import csv
import gc
import io
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from goldthread.aars import services as aars
from goldthread.aars.models import Report
from goldthread.cli import app
from goldthread.core.catalogues import Echelon, EventType
from goldthread.core.errors import DomainError
from goldthread.core.models import AuditEntry
from goldthread.evaluation import reconciliation
from goldthread.evaluation.reconciliation import COLUMNS, NAMES, RowError
from goldthread.events import services as events
from goldthread.events.models import ContributionClaim, Event, EventSeries
from goldthread.measures import services as measures
from goldthread.measures.models import Assessment
from goldthread.strategy.models import Country, Objective, Organization

from .conftest import make_user, subprocess_env

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

# --- The layout -------------------------------------------------------------------------------------------------


def test_the_layout_carries_every_field_of_an_event_and_a_claim(world):
    carried = {(c.part, c.field) for c in COLUMNS}
    event_fields = {*events.EVENT_FIELDS, "countries", "partner_units", "supporting_units", "fiscal_year"}
    assert {("event", f) for f in event_fields} <= carried
    assert {("claim", f) for f in events.CLAIM_FIELDS} <= carried
    assert len(NAMES) == len(set(NAMES)) and all(name == name.upper() for name in NAMES)
    # The exporter fills exactly the declared columns, in their order.
    cells = {**reconciliation.event_cells(world.event), **reconciliation.claim_cells(world.claim)}
    assert list(cells) == NAMES
    assert list(reconciliation.claim_cells(None)) == [c.name for c in COLUMNS if c.part == "claim"]


def test_the_docs_print_the_layout_as_the_code_declares_it():
    docs = (ROOT / "docs" / "reconciliation.md").read_text()
    assert reconciliation.layout_table() in docs, "docs/reconciliation.md is stale: paste layout_table() into it"
    assert all(f"| `{name}` |" in docs for name in NAMES)


# --- Export → import loses nothing ------------------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20)
# What breaks CSV files and spreadsheets: separators, quotes, line ends, formula starts, apostrophes, non-Latin text.
PIECES = st.sampled_from(
    [",", ";", '"', "'", "''", "\n", "\r\n", "\r", "\t", " ", "=SUM(A1:A9)", "-5", "+1", "@home", "Đà Nẵng 東京 🇹🇭"]
)
FREE = st.lists(st.one_of(PIECES, TEXT), max_size=5).map("".join)  # text is kept exactly as written


def trimmed(prefix: str, limit: int):
    """A code or an ID: cells that name something are trimmed on import."""
    return FREE.map(lambda text: (prefix + text)[:limit].strip())


MARKINGS = st.sampled_from(["", "CUI", "REL TO USA, THA", "UNCLASSIFIED//FOUO"])
OBJECTIVE_TYPES = {
    "NAT-1": ["REL"],
    "TCP-O3": ["CAP"],
    "IMO-THA-2": ["INT"],
    "CSP-THA-2.1": ["CAP", "INT"],
    "TCP-O1": ["REL"],
    "TCP-O9": ["ACC"],
}
US_UNITS = ["USARPAC", "2-2 SBCT", "8 TSC"]
PARTNERS = ["RTA Cav Ctr", "AFP 7ID"]


@st.composite
def claims(draw, needed: bool):
    codes = draw(
        st.lists(st.sampled_from(sorted(OBJECTIVE_TYPES)), min_size=1 if needed else 0, max_size=3, unique=True)
    )
    first_primary = draw(st.booleans())
    return [
        {
            "objective": code,
            "role": "PRIMARY" if n == 0 and first_primary else "SECONDARY",
            "objective_type": draw(st.sampled_from(OBJECTIVE_TYPES[code])),
            "expected_change": draw(FREE.filter(bool)),
            "indicator": draw(FREE)[:300],
            "direction": draw(st.sampled_from(ContributionClaim.Direction.values)),
            "time_lag_months": draw(st.integers(0, 240)),
            "assumptions": draw(FREE),
            "markings": draw(MARKINGS),
        }
        for n, code in enumerate(codes)
    ]


@st.composite
def event_specs(draw):
    specs = []
    for n in range(draw(st.integers(1, 4))):
        status = draw(st.sampled_from(Event.Status.values))
        start = draw(st.dates(date(2020, 1, 1), date(2032, 12, 31)))
        specs.append(
            {
                "code": draw(trimmed(f"E{n}-", 40)),
                "record_id": draw(st.one_of(st.just(""), trimmed(f"R{n}-", 40))),
                "name": draw(FREE.filter(bool))[:200],
                "event_type": draw(st.sampled_from(EventType.values)),
                "status": status,
                "start_date": start,
                "end_date": start + timedelta(days=draw(st.integers(0, 60))),
                "countries": draw(
                    st.lists(st.sampled_from(["THA", "PHL", "IDN"]), min_size=1, max_size=3, unique=True)
                ),
                "executing_unit": draw(st.sampled_from([None, *US_UNITS])),
                "owner": draw(st.sampled_from([None, *US_UNITS])),
                "supporting_units": draw(st.lists(st.sampled_from(US_UNITS), max_size=3, unique=True)),
                "partner_units": draw(st.lists(st.sampled_from(PARTNERS), max_size=2, unique=True)),
                "series": draw(st.sampled_from([None, "Hanuman Guardian", 'Salaknib, "big" one'])),
                "parent": draw(st.sampled_from([None, *range(n)])),
                "authority": draw(FREE)[:120],
                "markings": draw(MARKINGS),
                "description": draw(FREE),
                "claims": draw(claims(status in Event.NEEDS_CLAIM)),
            }
        )
    return specs


@pytest.fixture
def region(world):
    """More of the world, so that generated events can use several countries, units and series."""
    Country.objects.create(iso3="IDN", name="Indonesia", in_aor=True)
    Organization.objects.create(name="8th Theater Sustainment Command", short_name="8 TSC", echelon=Echelon.BRIGADE)
    Organization.objects.create(name="AFP 7th Infantry Division", short_name="AFP 7ID", echelon=Echelon.PARTNER_UNIT)
    EventSeries.objects.create(name='Salaknib, "big" one')
    return world


def _wipe() -> None:
    ContributionClaim.objects.all().delete()
    while Event.objects.exists():
        Event.objects.filter(legs__isnull=True).delete()  # legs first: a package is protected while it has them


def _store(specs: list[dict]) -> None:
    """The generated events, written directly: they are the state a round trip must reproduce, not what is tested."""
    orgs = {o.short_name: o for o in Organization.objects.all()}
    made: list[Event] = []
    for spec in specs:
        event = Event.objects.create(
            code=spec["code"],
            record_id=spec["record_id"],
            name=spec["name"],
            event_type=spec["event_type"],
            status=spec["status"],
            start_date=spec["start_date"],
            end_date=spec["end_date"],
            executing_unit=orgs.get(spec["executing_unit"]),
            owner=orgs.get(spec["owner"]),
            series=EventSeries.objects.filter(name=spec["series"]).first(),
            parent=made[spec["parent"]] if spec["parent"] is not None else None,
            authority=spec["authority"],
            markings=spec["markings"],
            description=spec["description"],
        )
        event.countries.set(Country.objects.filter(iso3__in=spec["countries"]))
        event.supporting_units.set([orgs[n] for n in spec["supporting_units"]])
        event.partner_units.set([orgs[n] for n in spec["partner_units"]])
        for claim in spec["claims"]:
            ContributionClaim.objects.create(
                event=event,
                objective=Objective.objects.get(code=claim["objective"]),
                **{k: v for k, v in claim.items() if k != "objective"},
            )
        made.append(event)


SKIP = {"id", "uid", "created", "updated", "version"}


def _everything() -> dict[str, dict]:
    """Every stored field of every event and claim, keyed by event code; a parent by its code, since pks change."""
    found = {}
    query = Event.objects.select_related("parent").prefetch_related(
        "countries", "partner_units", "supporting_units", "claims__objective"
    )
    for event in query:
        row = {f.attname: getattr(event, f.attname) for f in Event._meta.concrete_fields if f.name not in SKIP}
        row["parent_id"] = event.parent.code if event.parent else None
        for name in ("countries", "partner_units", "supporting_units"):
            row[name] = sorted(r.pk for r in getattr(event, name).all())
        row["claims"] = {
            claim.objective.code: {
                f.attname: getattr(claim, f.attname)
                for f in ContributionClaim._meta.concrete_fields
                if f.name not in SKIP | {"event"}
            }
            for claim in event.claims.all()
        }
        found[event.code] = row
    return found


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(specs=event_specs())
def test_export_then_import_loses_nothing(region, specs):
    _wipe()
    _store(specs)
    before = _everything()
    text = reconciliation.export(Event.objects.all())
    assert text.startswith("\ufeff")

    _wipe()
    preview = reconciliation.preview(text, actor=region.admin, name="roundtrip.csv")
    assert preview.errors == []
    assert preview.counts == {"create": len(specs), "update": 0, "unchanged": 0}
    assert not Event.objects.exists()  # a preview writes nothing
    reconciliation.commit(region.admin, preview)
    assert _everything() == before

    # And the same file against what it came from changes nothing.
    again = reconciliation.preview(text, actor=region.admin)
    assert again.errors == [] and again.counts == {"create": 0, "update": 0, "unchanged": len(specs)}
    assert all(c.action == "unchanged" for plan in again.events for c in plan.claims)


def test_an_event_without_claims_is_one_row_with_empty_claim_columns(world):
    rows = list(csv.DictReader(io.StringIO(reconciliation.export(Event.objects.all()).lstrip("\ufeff"))))
    assert [(r["EVENT_CODE"], r["OBJECTIVE_CODE"]) for r in rows] == [
        ("EVT-2025-KLE", ""),
        ("EVT-2025-HG", "CSP-THA-2.1"),
    ]
    orphan = rows[0]
    assert all(orphan[c.name] == "" for c in COLUMNS if c.part == "claim")
    assert orphan["FISCAL_YEAR"] == "2025" and orphan["COUNTRIES"] == "PHL" and orphan["START_DATE"] == "2025-03-01"


# --- Import of a hand-written file -------------------------------------------------------------------------------


def _csv(*rows: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


HEADER = [
    "EVENT_CODE",
    "EVENT_ID",
    "EVENT_NAME",
    "EVENT_TYPE",
    "EVENT_STATUS",
    "START_DATE",
    "END_DATE",
    "COUNTRIES",
    "EXECUTING_UNIT",
    "OBJECTIVE_CODE",
    "CLAIM_ROLE",
    "EXPECTED_CHANGE",
    "INDICATOR",
    "Remarks",
]
HG = ["EVT-2025-HG", "SOC-1", "Hanuman Guardian 2025", "FTX", "", "2025-06-20", "2025-07-05", "THA", "2-2 SBCT"]


def test_a_hand_written_file_creates_and_updates_through_the_services(world):
    w = world
    Event.objects.filter(pk=w.orphan.pk).update(record_id="SOC-9")
    text = _csv(
        HEADER,
        [*HG, "CSP-THA-2.1", "PRIMARY", "Combined HADR staff plan produced", "Plan quality rubric", "ignored"],
        [*HG, "TCP-O1", "SECONDARY", "Ties with the RTA", "", ""],
        ["EVT-2026-NEW", "SOC-2", "New, with a comma", "smee", "PLANNING", "2026-02-01", "2026-02-03", "PHL; THA"]
        + ["USARPAC", "IMO-THA-2", "", 'Staff "plans"\nbetter', "", ""],
        ["", "SOC-9", "Office call", "KLE", "", "2025-03-01", "2025-03-01", "PHL", "", "", "", "", "", ""],
    )
    entries = AuditEntry.objects.count()
    preview = reconciliation.preview(text, actor=w.planner, name="socium.csv")
    assert preview.errors == []
    assert preview.ignored == ["REMARKS"]
    assert preview.counts == {"create": 1, "update": 1, "unchanged": 1}
    plans = {p.code: p for p in preview.events}
    assert plans["EVT-2025-HG"].changes == {"EVENT_ID": ("", "SOC-1")}
    assert [(c.objective, c.action) for c in plans["EVT-2025-HG"].claims] == [
        ("CSP-THA-2.1", "unchanged"),
        ("TCP-O1", "create"),
    ]
    assert plans["EVT-2026-NEW"].action == "create" and plans["EVT-2026-NEW"].rows == [4]
    assert plans["EVT-2025-KLE"].action == "unchanged"  # matched by its EVENT_ID, the code being empty
    assert (Event.objects.count(), AuditEntry.objects.count()) == (2, entries)

    reconciliation.commit(w.planner, preview)
    hg = Event.objects.get(code="EVT-2025-HG")
    assert hg.record_id == "SOC-1"
    assert {c.objective.code: c.role for c in hg.claims.all()} == {"CSP-THA-2.1": "PRIMARY", "TCP-O1": "SECONDARY"}
    new = Event.objects.get(code="EVT-2026-NEW")
    assert (new.record_id, new.name, new.event_type, new.status) == ("SOC-2", "New, with a comma", "SMEE", "PLANNING")
    assert sorted(c.iso3 for c in new.countries.all()) == ["PHL", "THA"]
    assert (new.executing_unit, new.owner) == (w.usarpac, w.usarpac)  # no OWNER_ORG column: the importer's unit
    claim = new.claims.get()
    assert (claim.objective.code, claim.objective_type, claim.expected_change) == (
        "IMO-THA-2",
        "INT",
        'Staff "plans"\nbetter',
    )
    written = list(AuditEntry.objects.filter(pk__gt=0).order_by("id")[entries:].values_list("action", "actor"))
    assert {a for a, _ in written} == {
        "event.updated",
        "claim.created",
        "event.created",
        "event.transitioned",
        "reconciliation.imported",
    }
    assert all(actor == w.planner.pk for _, actor in written)
    assert [a for a, _ in written].count("event.transitioned") == 2  # proposed → approved → planning


def test_an_import_moves_the_primary_role_and_keeps_claims_the_file_does_not_list(world):
    w = world
    events.add_claim(
        actor=w.admin, event=w.event, objective=w.rel, role="SECONDARY", objective_type="REL", expected_change="Ties"
    )
    text = _csv(
        ["EVENT_CODE", "OBJECTIVE_CODE", "CLAIM_ROLE", "EVENT_NAME"],
        ["EVT-2025-HG", "TCP-O1", "PRIMARY", "Hanuman Guardian 2025 (renamed)"],
        ["EVT-2025-HG", "CSP-THA-2.1", "SECONDARY", "Hanuman Guardian 2025 (renamed)"],
    )
    preview = reconciliation.preview(text, actor=w.planner)
    assert preview.errors == []
    (plan,) = preview.events
    assert plan.changes == {"EVENT_NAME": ("Hanuman Guardian 2025", "Hanuman Guardian 2025 (renamed)")}
    assert {c.objective: c.changes for c in plan.claims} == {
        "TCP-O1": {"CLAIM_ROLE": ("SECONDARY", "PRIMARY")},
        "CSP-THA-2.1": {"CLAIM_ROLE": ("PRIMARY", "SECONDARY")},
    }
    reconciliation.commit(w.planner, preview)
    assert {c.objective.code: c.role for c in w.event.claims.all()} == {"TCP-O1": "PRIMARY", "CSP-THA-2.1": "SECONDARY"}

    # A file that lists one claim leaves the other one: the import never deletes.
    only = reconciliation.preview(_csv(["EVENT_CODE", "OBJECTIVE_CODE"], ["EVT-2025-HG", "TCP-O1"]), actor=w.planner)
    assert only.events[0].kept_claims == ["CSP-THA-2.1"] and only.events[0].action == "unchanged"
    reconciliation.commit(w.planner, only)
    assert w.event.claims.count() == 2


# --- Row errors --------------------------------------------------------------------------------------------------

ERROR_HEADER = ["EVENT_CODE", "EVENT_NAME", "EVENT_TYPE", "EVENT_STATUS", "START_DATE", "END_DATE", "COUNTRIES"]


def test_row_errors_name_their_row_and_column_and_nothing_is_written(world):
    text = _csv(
        ERROR_HEADER + ["OBJECTIVE_CODE", "EXPECTED_CHANGE"],
        ["EVT-BAD-DATE", "Bad date", "KLE", "", "2026-13-01", "2026-01-05", "THA", "", ""],
        ["EVT-CHN-FTX", "Field exercise with the PLA", "FTX", "", "2026-01-01", "2026-01-05", "CHN", "", ""],
        ["EVT-NOWHERE", "Unknown country", "KLE", "", "2026-01-01", "2026-01-01", "THA;XXX", "", ""],
        ["EVT-2025-HG", "Hanuman Guardian 2025", "FTX", "", "2025-06-20", "2025-07-05", "THA", "NOPE-1", "x"],
        ["EVT-TWICE", "First name", "KLE", "", "2026-01-01", "2026-01-01", "THA", "", ""],
        ["EVT-TWICE", "Second name", "KLE", "", "2026-01-01", "2026-01-01", "THA", "", ""],
        ["EVT-2025-KLE", "Office call", "KLE", "CLOSED", "2025-03-01", "2025-03-01", "PHL", "", ""],
        ["EVT-GOOD", "Would be created", "KLE", "", "2026-04-01", "2026-04-02", "PHL", "", ""],
        ["EVT-BACKWARDS", "Ends first", "KLE", "", "2026-04-02", "2026-04-01", "PHL", "", ""],
        [
            "EVT-NO-CHANGE",
            "A claim without its expected change",
            "KLE",
            "",
            "2026-04-01",
            "2026-04-02",
            "PHL",
            "TCP-O1",
            "",
        ],
    )
    before = (Event.objects.count(), ContributionClaim.objects.count(), AuditEntry.objects.count())
    preview = reconciliation.preview(text, actor=world.planner, name="bad.csv")
    assert [(e.row, e.column) for e in preview.errors] == [
        (2, "START_DATE"),
        (3, "EVENT_TYPE"),
        (4, "COUNTRIES"),
        (5, "OBJECTIVE_CODE"),
        (7, "EVENT_NAME"),
        (8, "EVENT_STATUS"),
        (10, "END_DATE"),
        (11, "EXPECTED_CHANGE"),
    ]
    messages = {e.row: e.message for e in preview.errors}
    assert "not a date like 2025-06-20" in messages[2]
    assert "China does not permit" in messages[3]
    assert messages[4] == "Unknown country code(s): XXX."
    assert messages[5] == "No objective 'NOPE-1'."
    assert "Differs from row 6" in messages[7]
    assert "cannot move past approved until it claims" in messages[8]
    assert [p.code for p in preview.events] == ["EVT-GOOD"]
    assert (Event.objects.count(), ContributionClaim.objects.count(), AuditEntry.objects.count()) == before

    with pytest.raises(reconciliation.RowsRefused) as refused:
        reconciliation.commit(world.planner, preview)
    assert refused.value.errors["row 2, START_DATE"] == [messages[2]]
    assert (Event.objects.count(), ContributionClaim.objects.count(), AuditEntry.objects.count()) == before


def test_what_a_role_may_not_change_is_a_row_error_from_the_services(world):
    desk = make_user("desk", "desk_officer")
    desk.countries.set([world.tha])
    text = _csv(
        ["EVENT_CODE", "EVENT_ID"],
        ["EVT-2025-HG", "SOC-THA"],
        ["EVT-2025-KLE", "SOC-PHL"],
    )
    assert [(e.row, e.column) for e in reconciliation.preview(text, actor=desk).errors] == [(3, "")]
    assert (
        "outside your organization's and countries' responsibility"
        in reconciliation.preview(text, actor=desk).errors[0].message
    )
    refused = reconciliation.preview(text, actor=world.reader).errors
    assert [e.row for e in refused] == [2, 3] and all("permission" in e.message for e in refused)
    assert not Event.objects.exclude(record_id="").exists()


def test_a_parent_in_the_same_file_is_written_first_and_a_cycle_is_refused(world):
    header = ERROR_HEADER + ["PARENT_EVENT_CODE"]
    leg = ["EVT-LEG", "Leg", "KLE", "", "2026-05-02", "2026-05-03", "PHL", "EVT-PKG"]
    package = ["EVT-PKG", "Pathways", "PATHWAYS", "", "2026-05-01", "2026-06-01", "PHL", ""]
    preview = reconciliation.preview(_csv(header, leg, package), actor=world.planner)
    assert preview.errors == []
    reconciliation.commit(world.planner, preview)
    assert Event.objects.get(code="EVT-LEG").parent.code == "EVT-PKG"

    looped = _csv(header, [*leg[:-1], "EVT-B"], ["EVT-B", *leg[1:-1], "EVT-LEG"])
    assert {(e.row, e.column) for e in reconciliation.preview(looped, actor=world.planner).errors} == {
        (2, "PARENT_EVENT_CODE"),
        (3, "PARENT_EVENT_CODE"),
    }


def test_two_sets_of_rows_about_one_event_are_refused(world):
    Event.objects.filter(pk=world.orphan.pk).update(record_id="SOC-9")
    text = _csv(["EVENT_CODE", "EVENT_ID", "AUTHORITY"], ["EVT-2025-KLE", "SOC-9", "a"], ["", "SOC-9", "b"])
    (error,) = reconciliation.preview(text, actor=world.planner).errors
    assert (error.row, error.column) == (3, "EVENT_ID") and "Row 2 is about EVT-2025-KLE already" in error.message
    new_code = _csv(["EVENT_CODE", "EVENT_ID"], ["EVT-NEW", "SOC-9"])
    (error,) = reconciliation.preview(new_code, actor=world.planner).errors
    assert (error.row, error.column) == (2, "EVENT_ID") and error.message.startswith("EVT-2025-KLE has this EVENT_ID")


@pytest.mark.parametrize(
    "data, says",
    [
        (b"\xff\xfeE\x00V\x00", "is not UTF-8 text"),
        (b"", "is empty"),
        (b"EVENT_CODE,EVENT_NAME\n", "has a header but no rows"),
        (b"Code,Name\nEVT-1,x\n", "has neither EVENT_CODE nor EVENT_ID"),
        (b"EVENT_CODE,event_code\nEVT-1,x\n", "has the column EVENT_CODE more than once"),
        (b'EVENT_CODE,EVENT_NAME\nEVT-1,"x\x00y"\n', "contains NUL characters"),
    ],
)
def test_a_file_not_in_the_layout_is_refused_whole(world, data, says):
    with pytest.raises(DomainError) as refused:
        reconciliation.preview(reconciliation.decode(data, "f.csv"), actor=world.planner, name="f.csv")
    assert says in refused.value.detail and list(refused.value.errors) == ["file"]


def test_a_cell_that_looks_like_a_formula_is_exported_as_text(world):
    Event.objects.filter(pk=world.orphan.pk).update(name='=HYPERLINK("http://x")', authority="'=1")
    rows = list(csv.reader(io.StringIO(reconciliation.export(Event.objects.filter(pk=world.orphan.pk)))))
    assert rows[1][NAMES.index("EVENT_NAME")] == '\'=HYPERLINK("http://x")'
    assert rows[1][NAMES.index("AUTHORITY")] == "''=1"


# --- The report -------------------------------------------------------------------------------------------------

TODAY = date(2025, 9, 1)


def _missing(**filters) -> dict[str, list[str]]:
    return {gap.event.code: gap.missing for gap in reconciliation.report(today=TODAY, **filters)}


def test_the_report_names_each_missing_kind_and_drops_the_event_once_fixed(aar):
    w = aar
    # The orphan ended on 1 March 2025: no ID, no claim, no AAR by 31 March, no assessment.
    assert _missing()["EVT-2025-KLE"] == ["record_id", "claim", "aar", "assessment"]
    gap = next(g for g in reconciliation.report(today=TODAY) if g.event.code == "EVT-2025-KLE")
    assert gap.aar_due == date(2025, 3, 31)
    # The next Hanuman Guardian has not happened: only what it lacks already counts.
    assert _missing()["EVT-2026-HG"] == ["record_id", "claim"]
    assert _missing(country="THA").keys() == {"EVT-2025-HG", "EVT-2026-HG"}
    assert _missing(fiscal_year=2026).keys() == {"EVT-2026-HG"}

    orphan = w.orphan
    events.update_event(actor=w.admin, event=orphan, version=None, changes={"record_id": "SOC-KLE"})
    events.add_claim(actor=w.admin, event=orphan, objective=w.rel, objective_type="REL", expected_change="Ties")
    assert _missing()["EVT-2025-KLE"] == ["aar", "assessment"]

    Event.objects.filter(pk=orphan.pk).update(status=Event.Status.COMPLETED)
    report = aars.start(actor=w.admin, event=Event.objects.get(pk=orphan.pk))
    assert report.due < TODAY and report.status == Report.Status.DRAFT
    assert _missing()["EVT-2025-KLE"] == ["aar", "assessment"]  # started but not submitted after its due date
    aars.submit(actor=w.admin, report=report, version=report.version)
    assert _missing()["EVT-2025-KLE"] == ["assessment"]

    assessment = measures.create_assessment(actor=w.admin, objective=w.rel, period="FY2025", rating=3, rationale="r")
    measures.cite(actor=w.admin, assessment=assessment, kind="DOCUMENT", document="Staff study")
    measures.submit_assessment(actor=w.admin, assessment=assessment)
    # Submitted, but dated before the event ended: it cannot speak of it.
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=datetime(2025, 2, 1, 12, 0, tzinfo=UTC))
    assert _missing()["EVT-2025-KLE"] == ["assessment"]
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=datetime(2025, 3, 2, 9, 0, tzinfo=UTC))
    assert "EVT-2025-KLE" not in _missing()


def test_cancelled_events_are_not_in_the_report(world):
    Event.objects.filter(pk=world.orphan.pk).update(status=Event.Status.CANCELLED)
    assert "EVT-2025-KLE" not in _missing()


def _events(objective: Objective, n: int, start: int) -> None:
    for i in range(start, start + n):
        event = Event.objects.create(
            code=f"EVT-Q-{i}",
            name="q",
            event_type="KLE",
            start_date=date(2025, 1, 1) + timedelta(days=i),
            end_date=date(2025, 1, 1) + timedelta(days=i),
        )
        event.countries.set([Country.objects.get(iso3="PHL")])
        if i % 2:
            ContributionClaim.objects.create(
                event=event, objective=objective, objective_type="REL", expected_change="x"
            )


@pytest.mark.parametrize("filters", [{}, {"country": "PHL", "fiscal_year": 2025}])
def test_the_report_costs_the_same_queries_for_few_events_as_for_many(world, filters):
    _events(world.rel, 2, 0)
    with CaptureQueriesContext(connection) as few:
        assert len(reconciliation.report(today=TODAY, **filters)) >= 2
    _events(world.rel, 40, 2)
    with CaptureQueriesContext(connection) as many:
        assert len(reconciliation.report(today=TODAY, **filters)) >= 42
    assert len(many) == len(few) <= 3


def test_previewing_unchanged_events_reads_them_in_the_same_queries_for_few_as_for_many(world):
    def statements(n: int) -> list[str]:
        text = reconciliation.export(reconciliation.events(country="PHL").filter(code__startswith="EVT-Q-"))
        assert len(reconciliation._group(reconciliation._read(text, "q.csv"))[0]) == n
        with CaptureQueriesContext(connection) as read:
            preview = reconciliation.preview(text, actor=world.planner, name="q.csv")
        assert preview.counts == {"create": 0, "update": 0, "unchanged": n} and preview.errors == []
        # Each event is checked in a savepoint of its own; everything else is read for the whole file at once.
        return [q["sql"] for q in read.captured_queries if "SAVEPOINT" not in q["sql"]]

    _events(world.rel, 2, 0)
    few = statements(2)
    _events(world.rel, 40, 2)
    assert len(statements(42)) == len(few)


def test_a_preview_leaves_nothing_for_the_garbage_collector_to_find(world):
    """What a preview read is freed as soon as it is dropped: a full collection in some later request would
    otherwise stop it for tens of milliseconds (each prefetched relation of an event points back at the event)."""
    _events(world.rel, 20, 0)
    text = reconciliation.export(reconciliation.events(country="PHL").filter(code__startswith="EVT-Q-"))
    reconciliation.preview(text, actor=world.planner, name="q.csv")  # what is loaded once per process
    gc.collect()
    gc.disable()
    try:
        preview = reconciliation.preview(text, actor=world.planner, name="q.csv")
        assert preview.counts["unchanged"] == 20
        del preview
        assert gc.collect() < 20, "objects in reference cycles, freed only by the collector"
    finally:
        gc.enable()


def test_an_unknown_country_is_an_input_error(world):
    with pytest.raises(DomainError) as refused:
        reconciliation.report(country="XYZ")
    assert list(refused.value.errors) == ["country"]


# --- The command -------------------------------------------------------------------------------------------------


def test_reconcile_export_import_and_report_from_the_command(world, tmp_path):
    exported = tmp_path / "events.csv"
    result = runner.invoke(
        app, ["reconcile", "export", "--fiscal-year", "2025", "--country", "THA", "-o", str(exported)]
    )
    assert result.exit_code == 0, result.output
    data = exported.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"EVT-2025-HG" in data and b"EVT-2025-KLE" not in data
    assert AuditEntry.objects.filter(action="reconciliation.exported").exists()

    edited = tmp_path / "edited.csv"
    edited.write_bytes(data.replace(b"Hanuman Guardian 2025,", b"Hanuman Guardian 2025 (edited),"))
    preview = runner.invoke(app, ["reconcile", "import", str(edited), "--as", "planner"])
    assert preview.exit_code == 0, preview.output
    assert (
        "update    EVT-2025-HG: EVENT_NAME 'Hanuman Guardian 2025' → 'Hanuman Guardian 2025 (edited)'" in preview.stdout
    )
    assert "Nothing was written" in preview.stdout
    assert Event.objects.get(code="EVT-2025-HG").name == "Hanuman Guardian 2025"

    written = runner.invoke(app, ["reconcile", "import", str(edited), "--as", "planner", "--commit"])
    assert written.exit_code == 0, written.output
    assert Event.objects.get(code="EVT-2025-HG").name == "Hanuman Guardian 2025 (edited)"

    report = runner.invoke(app, ["reconcile", "report", "--json"])
    assert report.exit_code == 0, report.output
    rows = {row["code"]: row for row in json.loads(report.stdout)}
    assert rows["EVT-2025-KLE"]["missing"][:2] == ["record_id", "claim"]
    table = runner.invoke(app, ["reconcile", "report", "--country", "PHL"])
    assert "EVT-2025-KLE" in table.stdout and "system-of-record ID, contribution claim" in table.stdout


def test_reconcile_import_exits_1_on_row_errors_and_2_on_a_bad_file(world, tmp_path):
    bad_rows = tmp_path / "rows.csv"
    bad_rows.write_text(_csv(ERROR_HEADER, ["EVT-X", "x", "KLE", "", "someday", "2026-01-01", "THA"]))
    result = runner.invoke(app, ["reconcile", "import", str(bad_rows), "--as", "planner", "--commit"])
    assert result.exit_code == 1
    assert "START_DATE" in result.stdout and "'someday' is not a date" in result.stdout
    assert result.stderr.strip() == "error: rows.csv: 1 row error(s); nothing was written"
    assert not Event.objects.filter(code="EVT-X").exists()

    unreadable = tmp_path / "latin1.csv"
    unreadable.write_bytes("EVENT_CODE\nÉVT\n".encode("latin-1"))
    result = runner.invoke(app, ["reconcile", "import", str(unreadable), "--as", "planner"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: latin1.csv is not UTF-8 text: save it as CSV UTF-8."

    nobody = runner.invoke(app, ["reconcile", "import", str(bad_rows)])
    assert nobody.exit_code == 2 and nobody.stderr.strip() == "error: say who imports the events: give --as USERNAME"
    missing = runner.invoke(app, ["reconcile", "import", str(tmp_path / "nope.csv"), "--as", "planner"])
    assert missing.exit_code == 2 and "no file" in missing.stderr
    country = runner.invoke(app, ["reconcile", "report", "--country", "XYZ"])
    assert country.exit_code == 2 and country.stderr.count("\n") == 1


def test_a_bad_file_exits_2_from_a_real_process(transactional_db, world, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-m", "goldthread.cli", "reconcile", "import", str(empty), "--as", "planner"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr == "error: empty.csv is empty.\n"


# --- The API ------------------------------------------------------------------------------------------------------

BASE = "/evaluation/reconciliation"


def _dry(api, data: bytes, name: str = "socium.csv"):
    """A preview writes nothing, not even an audit entry, so it goes past the client that insists on one."""
    entries = AuditEntry.objects.count()
    response = api.client.post(f"/api/v1{BASE}/preview", {"file": SimpleUploadedFile(name, data)}, headers=api.headers)
    assert AuditEntry.objects.count() == entries
    return response


def test_the_api_exports_previews_imports_and_reports(world, api):
    exported = api.get(f"{BASE}/export.csv", fiscal_year=2025)
    assert exported.status_code == 200 and exported["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="GOLDTHREAD-EVENTS-FY2025.csv"' in exported["Content-Disposition"]
    assert exported.content.startswith(b"\xef\xbb\xbf")
    assert AuditEntry.objects.filter(action="reconciliation.exported", actor=world.planner).count() == 1

    edited = exported.content.replace(b"Office call", b"Office call with the AFP")
    preview = _dry(api, edited)
    assert preview.status_code == 200
    body = preview.json()
    assert body["counts"] == {"create": 0, "update": 1, "unchanged": 1} and body["written"] is False
    (update,) = [e for e in body["events"] if e["action"] == "update"]
    assert update["changes"] == {"EVENT_NAME": ["Office call", "Office call with the AFP"]}
    assert Event.objects.get(code="EVT-2025-KLE").name == "Office call"

    imported = api.upload(f"{BASE}/import", {"file": ("socium.csv", edited)})
    assert imported.status_code == 200 and imported.json()["written"] is True
    assert Event.objects.get(code="EVT-2025-KLE").name == "Office call with the AFP"

    report = api.get(f"{BASE}/report", country="PHL")
    assert report.status_code == 200
    assert [(r["code"], r["missing"][:2]) for r in report.json()] == [("EVT-2025-KLE", ["record_id", "claim"])]


def test_the_api_refuses_row_errors_and_bad_files_with_field_messages(world, api):
    bad = _csv(ERROR_HEADER, ["EVT-X", "x", "KLE", "", "2026-01-01", "2026-01-01", "ATL"]).encode()
    preview = _dry(api, bad)
    assert preview.status_code == 200
    assert preview.json()["errors"] == [{"row": 2, "column": "COUNTRIES", "message": "Unknown country code(s): ATL."}]
    refused = api.upload(f"{BASE}/import", {"file": ("bad.csv", bad)})
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"row 2, COUNTRIES": ["Unknown country code(s): ATL."]}
    assert not Event.objects.filter(code="EVT-X").exists()

    unreadable = _dry(api, "EVENT_CODE\nÉ\n".encode("cp1252"), "x.csv")
    assert unreadable.status_code == 400 and unreadable.json()["errors"]["file"] == [
        "x.csv is not UTF-8 text: save it as CSV UTF-8."
    ]
    assert api.get(f"{BASE}/report", country="XYZ").status_code == 400
    assert api.get(f"{BASE}/export.csv", country="XYZ").json()["errors"]["country"]
    assert api.get(f"{BASE}/report", fiscal_year=1066).status_code == 422


# --- The new field --------------------------------------------------------------------------------------------


def test_the_record_id_is_editable_in_the_api_and_unique_when_given(world, api):
    created = api.post(
        "/events",
        {
            "code": "EVT-R",
            "record_id": "SOC-7",
            "name": "n",
            "event_type": "KLE",
            "countries": ["PHL"],
            "start_date": "2026-01-01",
            "end_date": "2026-01-01",
        },
    )
    assert created.status_code == 201 and created.json()["record_id"] == "SOC-7"
    clash = api.patch(f"/events/{world.orphan.uid}", {"version": 1, "record_id": "SOC-7"})
    assert clash.status_code == 400
    assert clash.json()["errors"]["record_id"] == ["Another event already has this system-of-record ID."]
    # Events without one do not clash with each other.
    assert api.patch(f"/events/{world.orphan.uid}", {"version": 1, "record_id": ""}).status_code == 200
    cleared = api.patch(f"/events/{created.json()['uid']}", {"version": 1, "record_id": None})
    assert cleared.status_code == 200 and cleared.json()["record_id"] == ""


def test_the_record_id_is_on_the_event_form_and_page(world, client):
    client.force_login(world.planner)
    form = client.get(f"/events/{world.event.uid}/edit/").content.decode()
    assert 'name="record_id"' in form and "The event&#x27;s ID in G-TSCMIS or Socium." in form
    response = client.post(
        f"/events/{world.event.uid}/edit/",
        {
            "version": world.event.version,
            "code": world.event.code,
            "record_id": "SOC-HG-25",
            "name": world.event.name,
            "event_type": world.event.event_type,
            "countries": [world.tha.pk],
            "start_date": world.event.start_date,
            "end_date": world.event.end_date,
        },
    )
    assert response.status_code == 302
    page = client.get(f"/events/{world.event.uid}/").content.decode()
    assert "System-of-record ID" in page and "SOC-HG-25" in page
    assert AuditEntry.objects.filter(action="event.updated").latest("id").changes["record_id"] == ["", "SOC-HG-25"]


def test_row_error_keys_read_as_the_api_returns_them():
    assert RowError(3, "START_DATE", "m").key == "row 3, START_DATE" and RowError(3, "", "m").key == "row 3"
