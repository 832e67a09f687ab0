"""The evaluation pictures: the numbers each one is drawn from, worked out by hand on the shared world, and the
drawings themselves — inline SVG that a strict Content-Security-Policy accepts, named for screen readers and the same
bytes for the same data, and PNG at the size documents expect."""

import io
import re
from datetime import date
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from goldthread.core.catalogues import Level
from goldthread.evaluation import pictures, portfolio
from goldthread.evaluation.findings import Filters
from goldthread.evaluation.models import CountryStanding
from goldthread.events.models import ContributionClaim, Event
from goldthread.folders.models import Observance
from goldthread.reports import figures
from goldthread.strategy.models import Country, Objective, ObjectiveLink

TODAY = date(2025, 8, 1)  # in FY2025, when both of the world's events take place


def event(code: str, start: date, end: date, *countries: Country, kind: str = "SMEE", **fields) -> Event:
    made = Event.objects.create(code=code, name=code, event_type=kind, start_date=start, end_date=end, **fields)
    made.countries.set(countries)
    return made


def claim(on: Event, objective: Objective) -> ContributionClaim:
    role = "SECONDARY" if on.claims.exists() else "PRIMARY"
    return ContributionClaim.objects.create(
        event=on, objective=objective, role=role, objective_type=objective.primary_type, expected_change="Better"
    )


def drawn(picture: pictures.Picture) -> str:
    """What every picture must be: a well-formed, named, style-free SVG that is the same twice, and its PNG."""
    svg = picture.svg()
    assert svg.startswith("<svg ")
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img" and root.get("aria-label") == picture.description
    assert 'style="' not in svg and "<style" not in svg and "<script" not in svg.lower()
    ids = re.findall(r' id="([^"]+)"', svg)
    assert ids and len(ids) == len(set(ids)) and all(i.startswith(picture.prefix) for i in ids)
    assert picture.svg() == svg
    png = picture.png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = picture.figure.get_size_inches()
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (int(width * figures.PNG_DPI), int(height * figures.PNG_DPI))  # as matplotlib sizes it
    return svg


# The thread as a flow ---------------------------------------------------------------------------------------


def test_the_flow_runs_from_theater_objective_to_event_type_with_orphans_and_starved_objectives(world):
    w = world
    data = pictures.flow_data(Filters.of(TODAY))
    assert (data.events, data.orphans) == (2, 1)
    assert data.band(f"o{w.theater.pk}", f"o{w.imo.pk}") == 1
    assert data.band(f"o{w.imo.pk}", f"o{w.army.pk}") == 1
    assert data.band(f"o{w.army.pk}", "type-FTX") == 1
    assert data.band("none", "type-KLE") == 1  # the orphan office call, in its own band
    assert data.node("none").label == "No objective" and data.node("none").events == 1
    starved = data.node(f"o{w.starved.pk}")
    assert (starved.label, starved.kind, starved.events, starved.column) == ("TCP-O9", "starved", 0, 0)
    assert data.starved == ["TCP-O1", "TCP-O9"]
    assert data.node(f"o{w.national.pk}") is None  # national goals are above the flow
    assert data.widest == (["TCP-O3", "IMO-THA-2", "CSP-THA-2.1", "FTX"], 1)

    picture = pictures.flow(Filters.of(TODAY))
    drawn(picture)
    assert picture.description.startswith("Thread flow for all fiscal years: 2 live events")
    assert "1 event serves no objective" in picture.description
    assert "2 objectives no event serves (TCP-O1, TCP-O9)" in picture.description
    assert pictures.flow(Filters.of(TODAY)).svg() == picture.svg()

    claim(w.event, w.rel)  # a second claim of the exercise, outside the theater objective's part of the graph
    assert pictures.flow_data(Filters.of(TODAY)).band(f"o{w.rel.pk}", "direct-1") == 1
    under_theater = pictures.flow_data(Filters.of(TODAY, objective=w.theater))
    assert under_theater.band(f"o{w.army.pk}", "type-FTX") == 1 and under_theater.node(f"o{w.rel.pk}") is None
    assert under_theater.orphans == 0 and under_theater.events == 1


def test_claims_higher_up_pass_through_and_objectives_without_a_parent_join_at_their_own_level(world):
    w = world
    on_imo = event("EVT-IMO", date(2025, 5, 1), date(2025, 5, 3), w.tha)
    claim(on_imo, w.imo)  # an IMO served directly: the band crosses the country column
    loose = Objective.objects.create(code="CSP-PHL-9", statement="Alone", level=Level.COUNTRY, primary_type="REL")
    claim(event("EVT-LOOSE", date(2025, 5, 1), date(2025, 5, 2), w.phl), loose)
    task = Objective.objects.create(code="EVT-OBJ-1", statement="Run it", level=Level.EVENT, primary_type="CAP")
    ObjectiveLink.objects.create(parent=w.army, child=task)
    claim(event("EVT-TASK", date(2025, 5, 1), date(2025, 5, 2), w.tha, kind="FTX"), task)
    cancelled = event("EVT-OFF", date(2025, 5, 1), date(2025, 5, 2), w.tha, status=Event.Status.CANCELLED)
    claim(cancelled, w.army)

    data = pictures.flow_data(Filters.of(TODAY))
    assert data.band(f"o{w.imo.pk}", "direct-2") == 1
    assert data.band("direct-2", "type-SMEE") == 1
    assert data.node("direct-2").events == 1
    assert not any(b.target == f"o{loose.pk}" for b in data.bands)  # nothing above it: it joins at its level
    assert data.band(f"o{loose.pk}", "type-SMEE") == 1
    # An event objective's claim reaches the country objective it serves; the cancelled event counts nowhere.
    assert data.band(f"o{w.army.pk}", "type-FTX") == 2
    assert data.band(f"o{w.theater.pk}", f"o{w.imo.pk}") == 3
    assert data.events == 5


def test_the_flow_keeps_to_the_fiscal_year_and_folds_small_objectives_into_others(world, monkeypatch):
    w = world
    next_year = event("EVT-2026", date(2025, 11, 1), date(2025, 11, 2), w.tha, kind="KLE")
    claim(next_year, w.rel)
    # A theater objective served directly: its band passes both lower columns on its way to the event type.
    that_year = pictures.flow_data(Filters.of(TODAY, fiscal_year=2026))
    assert [that_year.band(*pair) for pair in ((f"o{w.rel.pk}", "direct-1"), ("direct-2", "type-KLE"))] == [1, 1]
    this_year = pictures.flow_data(Filters.of(TODAY, fiscal_year=2025))
    assert this_year.events == 2 and this_year.node(f"o{w.rel.pk}").kind == "starved"
    assert "TCP-O1" in this_year.starved  # served only in another year

    monkeypatch.setattr(pictures, "MAX_STARVED", 1)
    folded = pictures.flow_data(Filters.of(TODAY, fiscal_year=2025))
    assert folded.node(f"o{w.rel.pk}").kind == "starved" and folded.node(f"o{w.starved.pk}") is None
    assert folded.node("starved-0").label == "1 more with no events" and folded.starved == ["TCP-O1", "TCP-O9"]
    monkeypatch.setattr(pictures, "MAX_NODES", 1)
    claim(event("EVT-MORE", date(2026, 1, 5), date(2026, 1, 6), w.tha), w.rel)
    data = pictures.flow_data(Filters.of(TODAY, fiscal_year=2026))
    assert data.node(f"o{w.rel.pk}").events == 2
    assert data.node("others-0") is None  # one theater objective served: nothing to fold
    claim(next_year, w.theater)
    data = pictures.flow_data(Filters.of(TODAY, fiscal_year=2026))
    assert data.node(f"o{w.rel.pk}").events == 2
    assert data.node("others-0").events == 1 and data.node("others-0").label == "1 other"
    drawn(pictures.flow(Filters.of(TODAY, fiscal_year=2026)))


def test_next_years_iteration_not_yet_claimed_is_an_orphan_of_its_year(aar):
    w = aar
    next_year = pictures.flow_data(Filters.of(TODAY, fiscal_year=2026))
    assert (next_year.events, next_year.orphans, next_year.band("none", "type-FTX")) == (1, 1, 1)
    assert "CSP-THA-2.1" in next_year.starved  # last year's exercise served it; this year's claims nothing yet
    this_year = pictures.flow_data(Filters.of(TODAY, fiscal_year=2025))
    assert this_year.band(f"o{w.army.pk}", "type-FTX") == 1  # completed, and still counted: it happened


# Coverage by country and objective type ------------------------------------------------------------------------


def test_the_heat_map_counts_live_claims_per_country_and_objective_type(world):
    w = world
    data = pictures.heat_map_data(Filters.of(TODAY))
    assert [c for c, _ in data.countries] == ["CHN", "PRK", "PHL", "THA"]  # by name
    assert data.types == ["REL", "CAP", "INT", "ACC"]
    assert data.cell("THA", "CAP") == 1
    assert sum(data.cells.values()) == 1 and data.cell("PHL", "REL") == 0  # the orphan claims nothing
    both = event("EVT-BOTH", date(2025, 2, 1), date(2025, 2, 3), w.tha, w.phl)
    claim(both, w.rel)
    claim(event("EVT-OFF", date(2025, 2, 1), date(2025, 2, 3), w.tha, status=Event.Status.CANCELLED), w.rel)
    data = pictures.heat_map_data(Filters.of(TODAY))
    assert (data.cell("THA", "REL"), data.cell("PHL", "REL"), data.cell("THA", "CAP")) == (1, 1, 1)
    only_thailand = pictures.heat_map_data(Filters.of(TODAY, country=w.tha))
    assert only_thailand.countries == [("THA", "Thailand")] and only_thailand.cells == {
        ("THA", "REL"): 1,
        ("THA", "CAP"): 1,
    }
    claim(w.event, w.rel)  # a second claim of the exercise, outside the theater objective's part of the graph
    under_theater = pictures.heat_map_data(Filters.of(TODAY, objective=w.theater))
    assert under_theater.cells == {("THA", "CAP"): 1}
    assert pictures.heat_map_data(Filters.of(TODAY)).cell("THA", "REL") == 2

    picture = pictures.heat_map(Filters.of(TODAY))
    drawn(picture)
    assert "4 claims (REL 3, CAP 1, INT 0, ACC 0)" in picture.description
    assert "the most in Thailand, REL, with 2" in picture.description
    assert picture.description.endswith("13 of 16 cells have none.")


# A country's year ---------------------------------------------------------------------------------------------


def standing(country: Country, capacity: int | None) -> None:
    recorded = {"priority": 1, "relationship": 3, "capability": 3, "rationale": "x", "reviewed_on": TODAY}
    recorded["absorptive_capacity"] = capacity
    CountryStanding.objects.update_or_create(country=country, defaults=recorded)


def test_the_timeline_shows_the_year_its_holidays_and_the_quarters_over_the_country_s_capacity(world, monkeypatch):
    w = world
    Observance.objects.create(country=w.tha, name="Songkran", starts=date(2025, 4, 13), ends=date(2025, 4, 15))
    event("EVT-2025-SMEE", date(2025, 6, 25), date(2025, 7, 2), w.tha)  # starts in FY2025-Q3, as Hanuman Guardian
    event("EVT-OFF", date(2025, 6, 25), date(2025, 7, 2), w.tha, status=Event.Status.CANCELLED)
    event("EVT-PHL", date(2025, 6, 25), date(2025, 7, 2), w.phl)
    event("EVT-OLD", date(2024, 9, 20), date(2024, 10, 2), w.tha)  # began in FY2024, still under way in October
    fy2025 = Filters.of(TODAY, fiscal_year=2025)

    data = pictures.timeline_data(w.tha, fy2025)
    assert (data.start, data.end, data.events, data.capacity) == (date(2024, 10, 1), date(2025, 9, 30), 3, None)
    assert [b.code for b in data.bars] == ["EVT-OLD", "EVT-2025-HG", "EVT-2025-SMEE"]
    assert data.under_way(date(2024, 10, 2)) == 1 and data.under_way(date(2024, 10, 3)) == 0
    assert data.under_way(date(2025, 6, 24)) == 1 and data.under_way(date(2025, 6, 25)) == 2
    assert data.under_way(date(2025, 7, 3)) == 1 and data.under_way(date(2025, 7, 6)) == 0
    assert data.saturated == []
    assert pictures.Marked(date(2025, 4, 13), date(2025, 4, 15), "Songkran", "observance") in data.days
    assert any(d.source == "public holiday" and d.starts == date(2024, 12, 5) for d in data.days)  # from the library
    assert "no absorptive capacity recorded" in pictures.timeline(w.tha, fy2025).description

    standing(w.tha, 1)  # the same rule as the portfolio's: more events starting in a quarter than the capacity
    data = pictures.timeline_data(w.tha, fy2025)
    assert data.saturated == [pictures.Saturation("FY2025-Q3", date(2025, 4, 1), date(2025, 6, 30), 2)]
    (row,) = [row for row in portfolio.rows(fy2025) if row.country == w.tha]
    assert row.saturated == [("FY2025-Q3", 2)]
    picture = pictures.timeline(w.tha, fy2025)
    drawn(picture)
    assert picture.description.startswith("Events in Thailand in FY2025 (01 Oct 2024 to 30 Sep 2025): 3 live events;")
    assert picture.description.endswith("capacity 1 event starting a quarter, exceeded in FY2025-Q3 (2 events).")
    standing(w.tha, 2)
    assert pictures.timeline_data(w.tha, fy2025).saturated == []
    assert pictures.timeline(w.tha, fy2025).description.endswith("starting a quarter, never exceeded.")

    monkeypatch.setattr(pictures, "MAX_BARS", 2)
    capped = pictures.timeline(w.tha, fy2025)
    assert len(capped.data.bars) == 2 and capped.data.events == 3
    assert "3 live events, the first 2 by start date drawn" in capped.description


def test_a_year_without_events_is_drawn_too(world):
    standing(world.prk, 1)
    data = pictures.timeline_data(world.prk, Filters.of(TODAY))
    assert (data.fiscal_year, data.events, data.bars, data.saturated) == (2025, 0, [], [])
    drawn(pictures.timeline(world.prk, Filters.of(TODAY)))


# The area on a map ----------------------------------------------------------------------------------------------


def test_the_map_shades_the_area_by_live_events_from_the_installed_boundaries(world):
    w = world
    data = pictures.area_map_data(Filters.of(TODAY))
    assert data.counts == {"CHN": 0, "PRK": 0, "PHL": 1, "THA": 1}
    assert data.found == ["CHN", "PRK", "PHL", "THA"] and data.missing == []
    atlas = pictures._atlas()
    for code, (x, y) in (("THA", (100.5, 13.75)), ("PHL", (121.0, 14.6))):  # Bangkok, Manila
        (record,) = atlas.of(code)
        west, south, east, north = record.bounds
        assert west < x < east and south < y < north
        assert any(not ring.speck for ring in pictures._rings(record.index)[0])
    only_thailand = pictures.area_map_data(Filters.of(TODAY, country=w.tha))
    assert only_thailand.counts == {"CHN": 0, "PRK": 0, "PHL": 0, "THA": 1}

    picture = pictures.area_map(Filters.of(TODAY))
    drawn(picture)
    assert picture.description == (
        "Live events per country in the area of responsibility for all fiscal years: Philippines 1, Thailand 1; "
        "2 of 4 countries have none (China, North Korea)."
    )


def test_the_pacific_is_drawn_across_the_date_line_and_a_country_without_boundaries_is_named(world):
    Country.objects.create(iso3="KIR", name="Kiribati", in_aor=True)
    Country.objects.create(iso3="ZZZ", name="Nowhere", in_aor=True)
    data = pictures.area_map_data(Filters.of(TODAY))
    assert "KIR" in data.found and data.missing == ["ZZZ"]
    picture = pictures.area_map(Filters.of(TODAY))
    drawn(picture)
    assert picture.description.endswith("; not on the map: ZZZ.")
    west, east = picture.figure.axes[0].get_xlim()
    assert west < 100 and east > 180  # Kiribati's eastern islands lie past the date line, to the right of Asia


# Scale -----------------------------------------------------------------------------------------------------------


def test_every_read_takes_as_many_queries_for_many_events_as_for_few(world):
    w = world

    def queries() -> list[int]:
        f = Filters.of(TODAY, fiscal_year=2025)  # afresh: filters keep what they read once
        counted = []
        for read in (
            lambda: pictures.flow_data(f),
            lambda: pictures.heat_map_data(f),
            lambda: pictures.timeline_data(w.tha, f),
            lambda: pictures.area_map_data(f),
        ):
            with CaptureQueriesContext(connection) as captured:
                read()
            counted.append(len(captured))
        return counted

    def add(count: int, first: int) -> None:
        for i in range(first, first + count):
            more = event(f"EVT-MORE-{i}", date(2025, 3, 1 + i), date(2025, 3, 3 + i), w.tha, w.phl)
            claim(more, [w.army, w.imo, w.rel][i % 3])

    add(3, 0)  # the graph walks depend on which objectives are claimed, so the same ones are, by few and many
    few = queries()
    add(15, 3)
    assert queries() == few


# The shared conversion ---------------------------------------------------------------------------------------


def test_a_figure_label_is_escaped_and_ids_take_the_prefix():
    figure = figures.new((2, 1))
    figure.add_subplot().plot([0, 1], [1, 0])
    svg = figures.svg(figure, label='"><script>alert(1)</script>', prefix="x-")
    assert "<script" not in svg and 'aria-label="&quot;&gt;&lt;script&gt;' in svg
    assert all(i.startswith("x-") for i in re.findall(r' id="([^"]+)"', svg))
    with Image.open(io.BytesIO(figures.png(figure))) as image:
        assert image.size == (2 * figures.PNG_DPI, figures.PNG_DPI)


@pytest.mark.parametrize("name", ["flow", "heat_map", "area_map"])
def test_two_pictures_of_different_scopes_never_share_an_id(world, name):
    make = getattr(pictures, name)
    first, second = make(Filters.of(TODAY, fiscal_year=2025)), make(Filters.of(TODAY, fiscal_year=2026))
    assert first.prefix != second.prefix
    assert not set(re.findall(r' id="([^"]+)"', first.svg())) & set(re.findall(r' id="([^"]+)"', second.svg()))
