"""The one search box finds records of every kind, a record's own code first, kept in step by the services that write
them, rebuilt by `reindex`, and never showing what only some may read."""

import re
from datetime import date

import pytest
from typer.testing import CliRunner

from goldthread.aars import services as aars
from goldthread.cli import app
from goldthread.events import services as events
from goldthread.events.models import Event
from goldthread.folders import services as folders
from goldthread.measures import services as measures
from goldthread.planning import services as planning
from goldthread.search import index
from goldthread.search.models import Entry
from goldthread.strategy import services as strategy
from goldthread.strategy.models import Objective

from .conftest import make_user

runner = CliRunner()


def new_event(w, code: str, name: str, **fields) -> Event:
    return events.create_event(
        actor=w.planner,
        countries=[w.tha],
        code=code,
        name=name,
        event_type="FTX",
        start_date=date(2027, 2, 10),
        end_date=date(2027, 2, 20),
        executing_unit=w.bct,
        **fields,
    )


def new_objective(w, code: str, statement: str) -> Objective:
    return strategy.create_objective(
        actor=w.planner, code=code, statement=statement, level=2, primary_type="INT", country=w.tha, parents=[w.theater]
    )


def first(query: str, **filters) -> index.Hit:
    hits = index.search(query, **filters)
    assert hits, f"nothing found for {query!r}"
    return hits[0]


def titles(query: str, **filters) -> list[str]:
    return [h.title for h in index.search(query, **filters)]


# Every kind -------------------------------------------------------------------------------------------------------


def test_every_kind_is_found_by_a_word_of_its_title(aar):
    w = aar
    event = new_event(w, "EVT-2027-CG", "Cobra Gold 2027", description="Combined amphibious landing.")
    objective = new_objective(w, "IMO-THA-7", "Thai engineers restore mangrove coastlines after storms")
    indicator = measures.create_indicator(
        actor=w.planner,
        code="MOE-THA-9",
        kind="MOE",
        statement="Lifeguard teams certified by the partner navy",
        objective=objective,
        unit="teams",
        data_source="Navy records",
    )
    theme = planning.create_theme(
        actor=w.planner,
        title="Seawall partnership",
        audience="Coastal provinces",
        talking_points="We build with you.",
        country=w.tha,
        valid_from=date(2027, 1, 1),
    )
    folders.edit_section(
        actor=w.planner, country=w.tha, key="culture", version=None, text="Remove shoes at temples.", reason="New"
    )
    report = aars.start(actor=w.writer, event=w.event)
    aars.add_observation(
        actor=w.writer, report=report, fields={"title": "Monsoon delays", "observation": "Rain closed the range."}
    )
    aars.submit(actor=w.writer, report=report, version=report.version)
    aars.approve(actor=w.unit, report=report, version=report.version)

    expected = {
        "cobra": ("event", "EVT-2027-CG Cobra Gold 2027", f"/events/{event.uid}/", "THA"),
        "amphibious": ("event", "EVT-2027-CG Cobra Gold 2027", f"/events/{event.uid}/", "THA"),  # its description
        "mangrove": ("objective", objective.code + " " + objective.statement, f"/objectives/{objective.uid}/", "THA"),
        "lifeguard": ("indicator", "MOE-THA-9 " + indicator.statement, f"/indicators/{indicator.uid}/", "THA"),
        "seawall": ("theme", "Seawall partnership", f"/themes/{theme.uid}/", "THA"),
        "temples": ("folder section", "Thailand: Culture and protocol", "/countries/THA/folder/culture/", "THA"),
        "monsoon": ("observation", "Monsoon delays", None, "THA"),
        "hanuman": ("after-action report", "AAR EVT-2025-HG Hanuman Guardian 2025", f"/aars/{report.uid}/", "THA"),
    }
    for word, (kind, title, path, country) in expected.items():
        hit = first(word)
        assert (hit.kind, hit.title, hit.country) == (kind, title, country), word
        if path:
            assert hit.path == path, word
    assert {kind for kind, *_ in expected.values()} == set(index.KINDS)
    assert [h.kind for h in index.search("hanuman", kind="after-action report")] == ["after-action report"]
    assert index.search("cobra", kind="theme") == [] and index.search("cobra", country="PHL") == []
    # An event's facets are its first country, its fiscal year and its type.
    assert first("cobra", year=2027, event_type="FTX").kind == "event"


def test_a_match_in_the_title_outranks_one_in_the_body(world):
    new_event(world, "EVT-2027-A", "Staff talks", description="Tsunami warning drills were discussed at length.")
    new_event(world, "EVT-2027-B", "Tsunami warning exercise")
    assert titles("tsunami") == ["EVT-2027-B Tsunami warning exercise", "EVT-2027-A Staff talks"]


# Codes ------------------------------------------------------------------------------------------------------------


def test_a_record_whose_code_is_typed_comes_first(world):
    hg = new_event(world, "EVT-2027-HG", "Hanuman Guardian 2027")
    # Records that mention the code's parts more often, or start with the same code, rank lower all the same.
    new_event(world, "EVT-2027-HG2", "Hanuman Guardian 2027 follow-up", description="EVT-2027-HG " * 5)
    new_objective(world, "IMO-THA-21", "IMO-THA-2 IMO-THA-2: its successor")
    index.reindex()  # the world's own records were written straight to the database
    for typed in ("EVT-2027-HG", "evt-2027-hg", "  EVT-2027-HG "):
        hits = index.search(typed)
        assert hits[0].title == "EVT-2027-HG Hanuman Guardian 2027" and hits[0].uid == str(hg.uid), typed
        assert [h.uid for h in hits].count(str(hg.uid)) == 1  # not listed twice
    assert "EVT-2027-HG2 Hanuman Guardian 2027 follow-up" in titles("EVT-2027-HG")
    assert first("IMO-THA-2").title == "IMO-THA-2 Thai forces lead a combined HADR response with U.S. support"
    assert first("CSP-THA-2.1").title.startswith("CSP-THA-2.1 ")
    # A code narrowed by a facet it lacks is not forced in.
    assert str(hg.uid) not in [h.uid for h in index.search("EVT-2027-HG", country="PHL")]
    assert index.search("EVT-2027-HG", kind="objective") == []


def test_a_code_that_fills_its_column_with_letters_whose_capitals_are_longer_is_kept_and_found(world):
    code = "evt-" + "ß" * 36  # 40 letters, its column's length; "ß".upper() is "SS"
    event = new_event(world, code, "Street exercise")
    new_event(world, "EVT-OTHER", "Street exercise", description=f"{code} " * 5)  # mentions it more often
    assert Entry.objects.get(record_uid=event.uid).code == "EVT-" + "ß" * 36
    for typed in (code, "EVT-" + "ß" * 36, f" {code} "):
        assert first(typed).uid == str(event.uid), typed


def test_a_code_is_matched_as_the_phrase_of_its_parts(world):
    new_event(world, "EVT-2027-HG", "Hanuman Guardian 2027")
    new_event(world, "EVT-2026-KLE", "Office call on HG 2027 planning")
    assert titles("EVT-2027") == ["EVT-2027-HG Hanuman Guardian 2027"]  # a partial code, its parts in order
    assert titles("HG-2027") == ["EVT-2026-KLE Office call on HG 2027 planning"]
    assert sorted(titles("hg 2027")) == [
        "EVT-2026-KLE Office call on HG 2027 planning",
        "EVT-2027-HG Hanuman Guardian 2027",
    ]


def test_paging_counts_the_code_match_once(world):
    new_event(world, "EVT-2027-HG", "Hanuman Guardian 2027")
    for n in range(3):
        new_event(world, f"EVT-2027-L{n}", f"Leg {n} of EVT-2027-HG")
    whole = [h.uid for h in index.search("EVT-2027-HG")]
    assert len(whole) == 4 and len(set(whole)) == 4
    pages = [h.uid for offset in range(4) for h in index.search("EVT-2027-HG", limit=1, offset=offset)]
    assert pages == whole


# Kept in step by the services ------------------------------------------------------------------------------------


def test_an_event_is_found_once_created_by_its_new_name_once_renamed_and_its_status_followed(aar):
    w = aar
    assert index.search("kingfisher") == []
    event = new_event(w, "EVT-2027-KF", "Kingfisher 2027")
    assert first("kingfisher").path == f"/events/{event.uid}/"
    events.update_event(actor=w.planner, event=event, version=event.version, changes={"name": "Osprey 2027"})
    assert index.search("kingfisher") == []
    assert first("osprey").title == "EVT-2027-KF Osprey 2027"
    assert index.search("osprey cancelled") == []
    events.transition_event(actor=w.planner, event=event, status=Event.Status.CANCELLED)
    assert first("osprey cancelled").title == "EVT-2027-KF Osprey 2027"
    assert Entry.objects.filter(record_uid=event.uid).count() == 1

    # The AAR is found by its event's name, and follows a rename of the event.
    report = aars.start(actor=w.writer, event=w.event)
    assert first("hanuman", kind="after-action report").path == f"/aars/{report.uid}/"
    events.update_event(actor=w.planner, event=w.event, version=w.event.version, changes={"name": "Garuda Shield"})
    assert first("garuda", kind="after-action report").title == "AAR EVT-2025-HG Garuda Shield"
    assert index.search("hanuman", kind="after-action report") == []


def test_objectives_indicators_and_themes_follow_their_updates_and_retirement(world):
    w = world
    objective = new_objective(w, "IMO-THA-8", "Thai medics run a field hospital")
    strategy.update_objective(
        actor=w.planner, objective=objective, version=objective.version, changes={"statement": "Thai surgeons operate"}
    )
    assert index.search("medics") == [] and first("surgeons").kind == "objective"
    strategy.update_objective(
        actor=w.planner, objective=objective, version=objective.version, changes={"status": Objective.Status.RETIRED}
    )
    assert first("surgeons retired").title == "IMO-THA-8 Thai surgeons operate"  # still readable, said retired

    indicator = measures.create_indicator(
        actor=w.planner,
        code="MOE-THA-8",
        kind="MOE",
        statement="Field hospital beds",
        objective=objective,
        unit="count",
        data_source="Ministry",
    )
    measures.update_indicator(
        actor=w.planner, indicator=indicator, version=indicator.version, changes={"statement": "Operating theatres"}
    )
    assert index.search("beds") == [] and first("theatres").title == "MOE-THA-8 Operating theatres"
    measures.update_indicator(
        actor=w.planner, indicator=indicator, version=indicator.version, changes={"status": "RETIRED"}
    )
    assert first("theatres retired").kind == "indicator"

    theme = planning.create_theme(
        actor=w.planner,
        title="Shared waters",
        audience="Fishermen",
        talking_points="Safe seas.",
        valid_from=date(2027, 1, 1),
    )
    planning.update_theme(actor=w.planner, theme=theme, version=theme.version, changes={"title": "Open harbours"})
    assert index.search("waters") == [] and first("harbours").path == f"/themes/{theme.uid}/"
    assert first("fishermen").kind == "theme"  # its audience and talking points are searched too


def test_removing_an_observation_removes_its_entry(aar):
    w = aar
    report = aars.start(actor=w.writer, event=w.event)
    observation = aars.add_observation(
        actor=w.writer, report=report, fields={"title": "Ferry strike", "observation": "No ferries ran."}
    )
    assert index.search("ferry") == []  # a draft's observations are not published
    # An entry left from before, e.g. of an observation once indexed under other rules, goes with the observation.
    index.put(kind="observation", uid=observation.uid, title="Ferry strike", body="", path="/")
    assert first("ferry").uid == str(observation.uid)
    aars.remove_observation(actor=w.writer, observation=observation)
    assert index.search("ferry") == [] and not Entry.objects.filter(record_uid=observation.uid).exists()


def test_reindex_drops_the_entries_of_records_that_are_gone(world):
    event = new_event(world, "EVT-2027-ZZ", "Zephyr 2027")
    Event.objects.filter(pk=event.pk).delete()  # no service deletes events: as a restore of an old backup might
    assert first("zephyr")
    assert index.reindex()["event"] == 2  # the world's two events
    assert index.search("zephyr") == []


# Who sees what ----------------------------------------------------------------------------------------------------


def test_an_aar_is_found_by_its_text_only_once_approved(aar):
    w = aar
    report = aars.start(actor=w.writer, event=w.event)
    aars.update(
        actor=w.writer, report=report, version=report.version, fields={"summary": "Cyclone forced a relocation."}
    )
    assert index.search("cyclone") == []  # the draft's text is not published
    assert first("hanuman draft").kind == "after-action report"  # but the report is found by its event and status
    aars.submit(actor=w.writer, report=report, version=report.version)
    assert first("hanuman submitted").kind == "after-action report"
    assert index.search("cyclone") == []
    aars.approve(actor=w.unit, report=report, version=report.version)
    hit = first("cyclone")
    assert (hit.kind, hit.path) == ("after-action report", f"/aars/{report.uid}/")
    assert "«Cyclone»" in hit.snippet


def test_a_draft_conference_record_is_never_indexed(aar):
    w = aar
    planning.create_conference(
        actor=w.planner,
        event=w.next_event,
        kind="IPC",
        starts=date(2026, 1, 5),
        ends=date(2026, 1, 6),
        place="Korat",
        summary="Zebracorn logistics agreed.",
    )
    assert index.search("zebracorn") == [] and index.search("korat") == []


def test_search_needs_a_login_and_shows_every_role_the_same_readable_records(world, api, client):
    new_event(world, "EVT-2027-HG", "Hanuman Guardian 2027")
    response = client.get("/search/", {"q": "hanuman"})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.get("/api/v1/search", {"q": "hanuman"}).status_code == 401
    for user in (world.reader, world.unit, world.planner):
        found = api.as_user(user).get("/search", q="hanuman").json()
        assert [h["title"] for h in found] == ["EVT-2027-HG Hanuman Guardian 2027"], user.username


# The header search and the API ---------------------------------------------------------------------------------


def test_the_header_search_for_an_event_code_shows_the_event_first(world, client):
    index.reindex()
    aar_writer = make_user("writer", "executor", world.bct)
    Event.objects.filter(pk=world.event.pk).update(status=Event.Status.COMPLETED)
    world.event.refresh_from_db()
    aars.start(actor=aar_writer, event=world.event)  # an AAR titled with the same code
    client.force_login(world.reader)
    page = client.get("/search/", {"q": "EVT-2025-HG"}).content.decode()
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a> <span class="hint">\(([^)]+)\)', page)
    assert links[0] == (f"/events/{world.event.uid}/", "EVT-2025-HG Hanuman Guardian 2025", "event")
    assert "after-action report" in [kind for *_, kind in links[1:]]
    # The kind select narrows, and a kind the index does not have is dropped rather than refused.
    page = client.get("/search/", {"q": "EVT-2025-HG", "kind": "after-action report"}).content.decode()
    assert "(after-action report)" in page and "(event)" not in page
    assert client.get("/search/", {"q": "EVT-2025-HG", "kind": "nonsense"}).status_code == 200


def test_the_api_returns_kind_event_for_an_event_code(world, api):
    index.reindex()
    found = api.get("/search", q="EVT-2025-HG").json()
    assert found[0]["kind"] == "event" and found[0]["title"] == "EVT-2025-HG Hanuman Guardian 2025"
    assert found[0]["path"] == f"/events/{world.event.uid}/" and found[0]["country"] == "THA"
    assert api.get("/search", q="EVT-2025-HG", kind="objective").json() == []
    facets = api.get("/search/facets", q="hanuman").json()
    assert {"value": "event", "count": 1} in facets["kind"]


# Rebuilding -------------------------------------------------------------------------------------------------------


FIELDS = (
    "kind",
    "code",
    "title",
    "body",
    "path",
    "country",
    "year",
    "event_type",
    "objective_type",
    "dotmlpfp",
    "partner",
)


def test_reindex_writes_what_the_services_write(aar):
    w = aar
    new_event(w, "EVT-2027-CG", "Cobra Gold 2027")
    objective = new_objective(w, "IMO-THA-7", "Mangrove coastlines restored")
    measures.create_indicator(
        actor=w.planner,
        code="MOE-THA-9",
        kind="MOE",
        statement="Lifeguard teams",
        objective=objective,
        unit="teams",
        data_source="Navy",
    )
    planning.create_theme(
        actor=w.planner,
        title="Seawall",
        audience="Coast",
        talking_points="Together.",
        country=w.tha,
        valid_from=date(2027, 1, 1),
    )
    folders.edit_section(actor=w.planner, country=w.tha, key="entry", version=None, text="Visas.", reason="New")
    report = aars.start(actor=w.writer, event=w.event)
    aars.add_observation(
        actor=w.writer,
        report=report,
        fields={"title": "Radios", "observation": "Incompatible.", "partner_unit": w.rta, "dotmlpfp": "MATERIEL"},
    )
    aars.submit(actor=w.writer, report=report, version=report.version)
    aars.approve(actor=w.unit, report=report, version=report.version)
    by_services = {str(e["record_uid"]): e for e in Entry.objects.values("record_uid", *FIELDS)}
    assert {e["kind"] for e in by_services.values()} == set(index.KINDS)

    written = index.reindex(batch_size=2)  # batches smaller than a kind's records
    rebuilt = {str(e["record_uid"]): e for e in Entry.objects.values("record_uid", *FIELDS)}
    assert {uid: rebuilt[uid] for uid in by_services} == by_services
    # The records written straight to the database were added: three events and six objectives.
    assert written["event"] == 4 and written["objective"] == 7
    assert sum(written.values()) == len(rebuilt)


def test_reindex_of_missing_entries_keeps_the_others_and_refuses_an_unknown_kind(world):
    event = new_event(world, "EVT-2027-CG", "Cobra Gold 2027")
    kept = Entry.objects.get(record_uid=event.uid)
    assert index.reindex(missing_only=True) == {
        "observation": 0,
        "event": 2,
        "after-action report": 0,
        "indicator": 0,
        "objective": 6,
        "theme": 0,
        "folder section": 0,
    }
    assert Entry.objects.get(record_uid=event.uid).pk == kept.pk
    assert index.reindex(missing_only=True, kinds=["event"]) == {"event": 0}
    with pytest.raises(ValueError, match="not a kind of search entry: 'events'"):
        index.reindex(kinds=["events"])


def test_the_reindex_command(world):
    result = runner.invoke(app, ["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Indexed .*2 event, .*6 objective, .* in \d+\.\d s\.", result.stdout.replace("\n", " "))
    assert first("EVT-2025-KLE").kind == "event"
    result = runner.invoke(app, ["search", "reindex", "--kind", "event", "--missing-only"])
    assert result.exit_code == 0 and "0 event" in result.stdout
    result = runner.invoke(app, ["search", "reindex", "--kind", "events"])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: no kind of search entry 'events'; the kinds are: observation")
