"""Orders that carry the event's purpose down to the executing unit (ORD-1, ORD-3, ORD-4)."""

import io

import pypdf
import pytest

from goldthread.core.errors import DomainError, NotPermitted
from goldthread.core.models import AuditEntry
from goldthread.delivery.models import Delivery
from goldthread.events import services as event_services
from goldthread.planning import selectors, services
from goldthread.planning.purpose import purpose_block


def taskord(world, **fields):
    values = {
        "kind": "TASKORD",
        "issuer": world.usarpac,
        "title": "Source Hanuman Guardian 2025",
        "mission": "2-2 SBCT conducts a combined HADR exercise with the RTA.",
    }
    values.update(fields)
    return services.draft_order(actor=world.planner, event=world.event, **values)


def test_the_purpose_block_lists_exactly_the_objectives_the_event_claims(world):
    event_services.add_claim(
        actor=world.planner,
        event=world.event,
        objective=world.rel,
        role="SECONDARY",
        expected_change="RTA counterparts met",
        indicator="Follow-on invitations",
    )
    block = purpose_block(world.event)
    assert [s.code for s in block.served] == ["CSP-THA-2.1", "TCP-O1"]
    assert [s.role for s in block.served] == ["PRIMARY", "SECONDARY"]
    primary = block.served[0]
    assert primary.chain[0].startswith("IMO-THA-2") and primary.chain[-1].startswith("NAT-1")
    assert block.objective_types == ["REL", "CAP"]
    assert block.observe == ["Plan quality rubric (for CSP-THA-2.1)", "Follow-on invitations (for TCP-O1)"]
    assert str(block.aar_due) == "2025-08-04"
    text = block.as_text()
    assert "CSP-THA-2.1" in text and "TCP-O1" in text and "Contributes to: IMO-THA-2" in text


def test_constraints_in_force_are_carried(world):
    from datetime import date

    event = event_services.create_event(
        actor=world.planner,
        code="PR-DME",
        name="Pacific Resilience",
        event_type="DME",
        countries=[world.chn],
        start_date=date(2026, 11, 10),
        end_date=date(2026, 11, 14),
    )
    block = purpose_block(event)
    assert block.constraints == ["China: PLA relationship-only (FY2000 NDAA §1201); objective types allowed: REL."]
    assert "no objective yet" in block.as_text()


def test_an_order_without_purpose_cannot_be_issued(world):
    order = services.draft_order(
        actor=world.planner, event=world.orphan, kind="TASKORD", issuer=world.usarpac, title="Office call"
    )
    with pytest.raises(DomainError, match="ORD-1"):
        services.issue_order(actor=world.planner, order=order)


def test_issuing_freezes_the_purpose_and_delivers(world):
    order = taskord(world)
    services.issue_order(actor=world.planner, order=order)
    assert order.purpose["served"][0]["code"] == "CSP-THA-2.1"
    assert Delivery.objects.filter(record_uid=order.uid, recipient=world.unit).exists()
    event_services.update_claim(
        actor=world.planner, claim=world.claim, version=None, changes={"expected_change": "Something else now"}
    )
    order.refresh_from_db()
    assert order.purpose["served"][0]["expected_change"] == "Combined HADR staff plan produced"
    with pytest.raises(DomainError, match="write a FRAGO"):
        services.update_order(actor=world.planner, order=order, version=None, changes={"title": "x"})


def test_a_frago_says_why_and_shows_what_it_changes(world):
    first = taskord(world)
    services.issue_order(actor=world.planner, order=first)
    with pytest.raises(DomainError, match="what it changes"):
        services.draft_order(actor=world.planner, event=world.event, kind="FRAGO", issuer=world.usarpac, title="x")
    event_services.add_claim(
        actor=world.planner, event=world.event, objective=world.rel, role="SECONDARY", expected_change="Ties"
    )
    frago = services.draft_order(
        actor=world.planner,
        event=world.event,
        kind="FRAGO",
        issuer=world.usarpac,
        title="Add aviation element",
        change_reason="Scope grows by an aviation element",
        mission=first.mission + " An aviation element joins.",
    )
    assert frago.number == 2
    services.issue_order(actor=world.planner, order=frago)
    changes = {(c.what, c.before, c.after) for c in selectors.order_changes(first, frago)}
    assert ("objective served", "", "TCP-O1 Durable ties with partner militaries") in changes
    assert any(what == "2. Mission" for what, _, _ in changes)


def test_who_may_write_and_issue(world):
    with pytest.raises(NotPermitted):
        services.draft_order(actor=world.reader, event=world.event, kind="OPORD", issuer=world.bct, title="x")
    order = services.draft_order(actor=world.unit, event=world.event, kind="OPORD", issuer=world.bct, title="x")
    services.issue_order(actor=world.unit, order=order)
    assert order.status == "ISSUED"


def test_api_and_pages(api, world, client):
    purpose = api.get(f"/events/{world.event.uid}/purpose").json()
    assert [s["code"] for s in purpose["served"]] == ["CSP-THA-2.1"] and "PURPOSE." in purpose["text"]
    created = api.post(
        f"/events/{world.event.uid}/orders", {"kind": "TASKORD", "issuer": "USARPAC", "title": "Source the exercise"}
    )
    assert created.status_code == 201, created.json()
    uid = created.json()["uid"]
    assert (
        api.post(f"/events/{world.event.uid}/orders", {"kind": "TASKORD", "issuer": "Nobody", "title": "x"}).status_code
        == 400
    )
    assert api.patch(f"/orders/{uid}", {"version": 1, "execution": "Phase I: RSOI."}).status_code == 200
    issued = api.post(f"/orders/{uid}/issue", {})
    assert issued.status_code == 200 and issued.json()["purpose"]["served"][0]["code"] == "CSP-THA-2.1"
    assert api.get(f"/orders/{uid}/changes").json() == []
    assert [o["number"] for o in api.get(f"/events/{world.event.uid}/orders").json()] == [1]
    client.force_login(world.unit)
    page = client.get(f"/orders/{uid}/").content.decode()
    assert "Annex: SC purpose" in page and "CSP-THA-2.1" in page and "Acknowledge this order" in page
    assert "Tasking order 1" in client.get(f"/events/{world.event.uid}/").content.decode()


def test_executor_packet_page_docx_and_cli(world, client, tmp_path):

    import docx
    from typer.testing import CliRunner

    from goldthread.cli import app
    from goldthread.planning.models import Conference

    conference = services.create_conference(
        actor=world.planner,
        event=world.event,
        kind="MPC",
        starts=world.event.start_date,
        ends=world.event.start_date,
        place="Lopburi",
    )
    services.set_items(
        actor=world.planner,
        conference=conference,
        items=[
            {"kind": "AGREEMENT", "text": "Camp Erawan training area, 120 U.S. personnel"},
            {"kind": "ACTION", "text": "Send the comms plan", "owner": world.bct, "due": world.event.start_date},
        ],
    )
    services.approve_conference(actor=world.planner, conference=conference)
    assert Conference.objects.get(pk=conference.pk).status == "APPROVED"

    client.force_login(world.unit)
    page = client.get(f"/events/{world.event.uid}/packet/").content.decode()
    for text in (
        "Why this event happens",
        "CSP-THA-2.1",
        "Camp Erawan",
        "Send the comms plan",
        "executing unit was not represented",
        "No validated lesson from an earlier event",
        "Plan quality rubric",
    ):
        assert text in page, text
    download = client.get(f"/events/{world.event.uid}/packet.docx")
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(download.content))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "CSP-THA-2.1" in body and "Camp Erawan" in body and "Expected outcome" in body
    assert document.sections[0].header.paragraphs[0].text == "UNCLASSIFIED"
    assert document.sections[0].footer.paragraphs[0].text == "UNCLASSIFIED"
    assert len(document.inline_shapes) == 1  # the thread, drawn

    pdf = client.get(f"/events/{world.event.uid}/packet.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert 'filename="EVT-2025-HG-executor-packet.pdf"' in pdf["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "CSP-THA-2.1" in text and "Camp Erawan" in text and "Expected outcome" in text
    for page in reader.pages:  # the banner on top and bottom of every page
        assert page.extract_text().count("UNCLASSIFIED") == 2
    assert sum(len(page.images) for page in reader.pages) == 1
    assert client.get(f"/events/{world.event.uid}/packet.odt").status_code == 404
    assert AuditEntry.objects.filter(action="packet.exported", changes__format="pdf").exists()

    target = tmp_path / "packet.docx"
    result = CliRunner().invoke(app, ["packet", "EVT-2025-HG", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Camp Erawan" in "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    as_pdf = CliRunner().invoke(app, ["packet", "EVT-2025-HG", "--format", "pdf", "-o", str(tmp_path / "p.pdf")])
    assert as_pdf.exit_code == 0, as_pdf.output
    assert "Camp Erawan" in "".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "p.pdf").pages)
    assert CliRunner().invoke(app, ["packet", "NOPE", "-o", str(target)]).exit_code == 2
    wrong = CliRunner().invoke(app, ["packet", "EVT-2025-HG", "--format", "odt", "-o", str(target)])
    assert wrong.exit_code == 2 and "docx, pdf" in wrong.output


def test_themes_reach_the_purpose_block_and_the_packet(world, api, client):
    from datetime import date

    regional = services.create_theme(
        actor=world.planner,
        title="Partners in disaster response",
        audience="Media",
        talking_points="We stand together.\nExercises save lives.",
        valid_from=date(2024, 10, 1),
        status="APPROVED",
    )
    services.create_theme(
        actor=world.planner,
        title="Thai friendship",
        audience="RTA",
        country=world.tha,
        talking_points="Decades of training together.",
        sensitivities="Domestic politics",
        valid_from=date(2024, 10, 1),
        status="APPROVED",
    )
    services.create_theme(
        actor=world.planner,
        title="Philippine theme",
        audience="AFP",
        country=world.phl,
        talking_points="x",
        valid_from=date(2024, 10, 1),
        status="APPROVED",
    )
    services.create_theme(
        actor=world.planner,
        title="Expired",
        audience="x",
        talking_points="x",
        valid_from=date(2020, 1, 1),
        valid_until=date(2021, 1, 1),
        status="APPROVED",
    )
    services.create_theme(
        actor=world.planner, title="Draft", audience="x", talking_points="x", valid_from=date(2024, 1, 1)
    )
    block = purpose_block(world.event)
    assert [t["title"] for t in block.themes] == ["Partners in disaster response", "Thai friendship"]
    assert block.themes[1]["sensitivities"] == ["Domestic politics"]
    assert "Do not discuss: Domestic politics." in block.as_text()
    with pytest.raises(DomainError, match="before it starts"):
        services.update_theme(
            actor=world.planner, theme=regional, version=None, changes={"valid_until": date(2000, 1, 1)}
        )
    client.force_login(world.unit)
    assert "Thai friendship" in client.get(f"/events/{world.event.uid}/packet/").content.decode()
    created = api.post(
        "/themes",
        {
            "title": "API theme",
            "audience": "a",
            "talking_points": "p",
            "country": "THA",
            "objectives": ["IMO-THA-2"],
            "valid_from": "2025-01-01",
            "status": "APPROVED",
        },
    )
    assert created.status_code == 201 and created.json()["objectives"] == ["IMO-THA-2"]
    assert api.get("/themes", country="THA").json()["count"] == 2
    assert api.patch(f"/themes/{created.json()['uid']}", {"version": 1, "status": "RETIRED"}).status_code == 200
    assert "API theme" not in [t["title"] for t in api.get(f"/events/{world.event.uid}/purpose").json()["themes"]]


def test_public_affairs_writes_themes_for_their_countries_only(world):
    from datetime import date

    from .conftest import make_user

    pao = make_user("pao", "public_affairs")
    pao.countries.set([world.tha])
    services.create_theme(
        actor=pao, title="t", audience="a", talking_points="p", country=world.tha, valid_from=date(2025, 1, 1)
    )
    with pytest.raises(NotPermitted):
        services.create_theme(
            actor=pao, title="t", audience="a", talking_points="p", country=world.phl, valid_from=date(2025, 1, 1)
        )
    with pytest.raises(NotPermitted):
        services.create_theme(actor=pao, title="t", audience="a", talking_points="p", valid_from=date(2025, 1, 1))


def test_empty_references_on_a_theme_mean_none(api):
    created = api.post(
        "/themes",
        {"title": "t", "audience": "a", "talking_points": "p", "country": "", "series": "", "valid_from": "2025-01-01"},
    )
    assert created.status_code == 201 and (created.json()["country"], created.json()["series"]) == (None, None)


def test_order_document_and_cli(world, client, tmp_path):

    import docx
    from typer.testing import CliRunner

    from goldthread.cli import app

    order = taskord(world, execution="Phase I: RSOI at Utapao.")
    services.issue_order(actor=world.planner, order=order)
    client.force_login(world.unit)
    download = client.get(f"/orders/{order.uid}.docx")
    assert download.status_code == 200
    document = docx.Document(io.BytesIO(download.content))
    text = "\n".join(p.text for p in document.paragraphs)
    for expected in (
        "TASKING ORDER 1 (USARPAC)",
        "1. Situation",
        "3. Execution",
        "Phase I: RSOI at Utapao.",
        "Annex A: Security cooperation purpose",
        "CSP-THA-2.1",
        "Contributes to: IMO-THA-2",
    ):
        assert expected in text, expected
    assert document.sections[0].header.paragraphs[0].text == "UNCLASSIFIED"
    client.force_login(world.reader)
    draft = taskord(world, title="Hidden draft")
    assert client.get(f"/orders/{draft.uid}.docx").status_code == 404
    assert client.get(f"/orders/{draft.uid}.pdf").status_code == 404

    runner = CliRunner()
    listing = runner.invoke(app, ["orders", "EVT-2025-HG"])
    assert listing.exit_code == 0 and listing.stdout.splitlines()[0].startswith("1\tTASKORD\tIssued\tUSARPAC")
    target = tmp_path / "order.docx"
    written = runner.invoke(app, ["orders", "EVT-2025-HG", "--number", "1", "-o", str(target)])
    assert written.exit_code == 0, written.output
    assert "Annex A" in "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    as_pdf = runner.invoke(app, ["orders", "EVT-2025-HG", "-o", str(tmp_path / "o.pdf"), "--format", "pdf"])
    assert as_pdf.exit_code == 0, as_pdf.output
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(tmp_path / "o.pdf").pages)
    assert "Annex A: Security cooperation purpose" in text and "CSP-THA-2.1" in text and "UNCLASSIFIED" in text
    assert runner.invoke(app, ["orders", "EVT-2025-HG", "--number", "9", "-o", str(target)]).exit_code == 2
    assert runner.invoke(app, ["orders", "NOPE"]).exit_code == 2


def test_information_requirements_follow_the_event(world, client):
    from goldthread.planning.checklist import requirements

    block = purpose_block(world.event)
    items = {r.topic: r for r in requirements(world.event, block)}
    assert items["Purpose"].answered and items["Partner"].answered and items["Reporting"].answered
    assert not items["Agreements"].answered and items["Agreements"].ask == "the exercise planners (G37)"
    assert "skill baseline" in items["Purpose (CAP)"].question  # the event serves a CAP objective
    assert "training areas" in items["Execution"].question  # an FTX
    assert not items["Administration"].answered
    orphan = {r.topic: r for r in requirements(world.orphan, purpose_block(world.orphan))}
    assert not orphan["Purpose"].answered and "Execution" not in orphan  # a KLE with no claim
    client.force_login(world.unit)
    page = client.get(f"/events/{world.event.uid}/packet/").content.decode()
    assert "Information requirements" in page and "<strong>Open</strong>: ask" in page
