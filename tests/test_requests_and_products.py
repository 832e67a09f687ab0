"""Requests for information behind the executor's checklist (INFO-1), and public-affairs products (COMM-2)."""

import io
from datetime import date

import docx
import pypdf
import pytest

from goldthread.core.catalogues import Echelon
from goldthread.core.errors import Conflict, DomainError, NotPermitted
from goldthread.delivery.models import Delivery
from goldthread.planning import services
from goldthread.planning.checklist import requirements
from goldthread.planning.models import InformationRequest, PublicAffairsProduct
from goldthread.planning.packet import executor_packet
from goldthread.planning.purpose import purpose_block
from goldthread.reports import executor_packet as packet_document
from goldthread.reports import pdf, word
from goldthread.strategy.models import Organization

from .conftest import make_user


@pytest.fixture
def office(world):
    """The SCO in Thailand and its officer, who answers questions about the country."""
    jusmag = Organization.objects.create(
        name="JUSMAG Thailand", short_name="JUSMAGTHAI", echelon=Echelon.SCO, country=world.tha
    )
    officer = make_user("sco", "sco", jusmag)
    officer.countries.set([world.tha])
    return jusmag, officer


def administration(event):
    return next(r for r in requirements(event, purpose_block(event)) if r.topic == "Administration")


def test_a_question_goes_out_and_its_answer_comes_back_to_the_asker(
    world, office, smtp, django_capture_on_commit_callbacks
):
    jusmag, officer = office
    world.unit.email = "s3@unit.example"
    world.unit.save()
    assert administration(world.event).status.startswith("Open: ask JUSMAGTHAI")

    with django_capture_on_commit_callbacks(execute=True):
        asked = services.ask(
            actor=world.unit,
            event=world.event,
            topic="Administration",
            question="Which visas and clearances do we need?",
            owner=jusmag,
            due=date(2025, 5, 1),
        )
    recipients = set(Delivery.objects.filter(record_uid=asked.uid).values_list("recipient__username", flat=True))
    assert {"sco", "unit"} <= recipients  # the SCO of the country and the executing unit
    item = administration(world.event)
    assert item.request == asked and not item.answered
    assert item.status == "Open: RFI to JUSMAGTHAI, due 01 May 2025"

    mine = Delivery.objects.get(record_uid=asked.uid, recipient=world.unit)
    mine.read = mine.sent
    mine.save()
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(actor=officer, request=asked, version=asked.version, text="Official passport and a visa.")
    asked.refresh_from_db()
    assert asked.status == "ANSWERED" and asked.answered_by == officer
    mine.refresh_from_db()
    assert mine.read is None and mine.title.startswith("Answered: RFI Administration")  # back on top, unread
    assert [m.rcpt_tos for m in smtp.messages] == [["s3@unit.example"]]
    assert "Answered: RFI Administration" in smtp.messages[0].content.decode()
    item = administration(world.event)
    assert item.answered and item.answered_in == "RFI answered by JUSMAGTHAI: Official passport and a visa."

    document = packet_document.document(executor_packet(world.event))
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.render(document))).pages)
    assert "Official passport and a visa." in text
    table = docx.Document(io.BytesIO(word.render(document))).tables[0]
    assert any("Official passport and a visa." in cell.text for row in table.rows for cell in row.cells)

    with pytest.raises(DomainError, match="answered already"):
        services.answer(actor=officer, request=asked, version=asked.version, text="Again.")


def test_who_may_ask_answer_and_withdraw(world, office):
    jusmag, officer = office
    with pytest.raises(NotPermitted):
        services.ask(actor=world.reader, event=world.event, topic="T", question="Q?", owner=jusmag, due=date.today())
    asked = services.ask(actor=world.unit, event=world.event, topic="T", question="Q?", owner=jusmag, due=date.today())
    elsewhere = make_user("sco-phl", "sco", jusmag)
    elsewhere.countries.set([world.phl])
    with pytest.raises(NotPermitted):
        services.answer(actor=elsewhere, request=asked, version=None, text="Not my country.")
    with pytest.raises(DomainError):
        services.answer(actor=officer, request=asked, version=None, text="   ")
    with pytest.raises(Conflict):
        services.withdraw(actor=world.unit, request=asked, version=asked.version + 5)
    services.withdraw(actor=world.unit, request=asked, version=asked.version)
    assert InformationRequest.objects.get(pk=asked.pk).status == "WITHDRAWN"
    assert administration(world.event).request is None  # withdrawn requests leave the checklist


def test_requests_through_the_api(world, office, api):
    jusmag, officer = office
    unit = api.as_user(world.unit)
    refused = unit.post(
        f"/events/{world.event.uid}/requests",
        {"topic": "Administration", "question": "Visas?", "owner": "NOPE", "due": "2025-05-01"},
    )
    assert refused.status_code == 400 and "owner" in refused.json()["errors"]
    created = unit.post(
        f"/events/{world.event.uid}/requests",
        {"topic": "Administration", "question": "Visas?", "owner": "JUSMAGTHAI", "due": "2025-05-01"},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["owner"] == "JUSMAGTHAI" and body["status"] == "OPEN" and body["asked_by"] == "unit"
    checklist = unit.get(f"/events/{world.event.uid}/requirements").json()
    row = next(r for r in checklist if r["topic"] == "Administration")
    assert row["request"]["uid"] == body["uid"] and row["status"].startswith("Open: RFI to JUSMAGTHAI")

    reader = api.as_user(world.reader)
    assert reader.post(f"/requests/{body['uid']}/answer", {"version": 1, "answer": "x"}).status_code == 403
    answered = api.as_user(officer).post(f"/requests/{body['uid']}/answer", {"version": 1, "answer": "A visa."})
    assert answered.status_code == 200 and answered.json()["answered_by"] == "sco"
    assert [r["status"] for r in unit.get(f"/events/{world.event.uid}/requests").json()] == ["ANSWERED"]
    again = unit.post(f"/requests/{body['uid']}/withdraw", {"version": answered.json()["version"]})
    assert again.status_code == 400 and "status" in again.json()["errors"]


def test_public_affairs_products_link_events_and_themes(world, api, client):
    pao = make_user("pao", "public_affairs", world.usarpac)
    pao.countries.set([world.tha])
    theme = services.create_theme(
        actor=world.planner,
        title="Friends",
        audience="Thai media",
        talking_points="We train together.",
        country=world.tha,
        valid_from=date(2024, 1, 1),
        status="APPROVED",
    )
    as_pao = api.as_user(pao)
    payload = {
        "kind": "PRESS_RELEASE",
        "title": "Hanuman Guardian opens",
        "country": "THA",
        "status": "RELEASED",
        "events": ["EVT-2025-HG"],
        "themes": [str(theme.uid)],
    }
    missing_date = as_pao.post("/products", payload)
    assert missing_date.status_code == 400 and "release_date" in missing_date.json()["errors"]
    assert as_pao.post("/products", {**payload, "country": "PHL", "release_date": "2025-06-20"}).status_code == 403
    assert as_pao.post("/products", {**payload, "events": ["NOPE"], "release_date": "2025-06-20"}).status_code == 400
    created = as_pao.post("/products", {**payload, "release_date": "2025-06-20"})
    assert created.status_code == 201, created.json()
    product = created.json()
    assert product["events"] == ["EVT-2025-HG"] and product["themes"] == [str(theme.uid)]
    listed = as_pao.get("/products", event=str(world.event.uid)).json()["items"]
    assert [p["title"] for p in listed] == ["Hanuman Guardian opens"]
    assert as_pao.get("/products", event=str(world.orphan.uid)).json()["items"] == []

    moved = as_pao.patch(f"/products/{product['uid']}", {"version": product["version"], "events": ["EVT-2025-KLE"]})
    assert moved.status_code == 200 and moved.json()["events"] == ["EVT-2025-KLE"]
    assert PublicAffairsProduct.objects.get(uid=product["uid"]).events.get() == world.orphan
    assert api.as_user(world.reader).post("/products", {**payload, "release_date": "2025-06-20"}).status_code == 403

    as_pao.patch(f"/products/{product['uid']}", {"version": moved.json()["version"], "events": ["EVT-2025-HG"]})
    client.force_login(world.unit)
    page = client.get(f"/events/{world.event.uid}/packet/").content.decode()
    assert "Press release: Hanuman Guardian opens (released, 20 Jun 2025)" in page


def test_asking_and_answering_in_the_web_ui(world, office, client):
    jusmag, officer = office
    client.force_login(world.unit)
    packet = client.get(f"/events/{world.event.uid}/packet/").content.decode()
    assert f"/events/{world.event.uid}/requests/new/?topic=Administration" in packet
    form = client.get(f"/events/{world.event.uid}/requests/new/", {"topic": "Administration"}).content.decode()
    assert "Which entry documents, clearances and lead times apply to travellers?" in form  # filled in from the list

    empty = client.post(f"/events/{world.event.uid}/requests/new/", {"topic": "Administration", "question": ""})
    assert empty.status_code == 400 and 'role="alert"' in empty.content.decode()
    sent = client.post(
        f"/events/{world.event.uid}/requests/new/",
        {"topic": "Administration", "question": "Visas for all?", "owner": jusmag.pk, "due": "2025-05-01"},
    )
    asked = InformationRequest.objects.get(question="Visas for all?")
    assert sent.status_code == 302 and sent["Location"] == f"/requests/{asked.uid}/"
    assert "RFI to JUSMAGTHAI</a>, due 1 May 2025" in client.get(f"/events/{world.event.uid}/packet/").content.decode()
    assert "Answer</button>" in client.get(f"/requests/{asked.uid}/").content.decode()  # a unit planner may answer

    client.force_login(officer)
    page = client.get(f"/requests/{asked.uid}/").content.decode()
    assert "Visas for all?" in page and 'action="/requests/' in page
    blank = client.post(f"/requests/{asked.uid}/answer/", {"version": asked.version, "answer": ""})
    assert blank.status_code == 400 and "This field is required." in blank.content.decode()
    answered = client.post(f"/requests/{asked.uid}/answer/", {"version": asked.version, "answer": "Yes, a visa."})
    assert answered.status_code == 302

    client.force_login(world.unit)
    inbox = client.get("/inbox/").content.decode()
    assert "Answered: RFI Administration, EVT-2025-HG" in inbox
    packet = client.get(f"/events/{world.event.uid}/packet/").content.decode()
    assert "RFI answered by JUSMAGTHAI: Yes, a visa." in packet

    client.force_login(world.reader)
    assert "Answer</button>" not in client.get(f"/requests/{asked.uid}/").content.decode()
    refused = client.post(f"/requests/{asked.uid}/withdraw/", {"version": 9})
    assert refused.status_code == 302 and InformationRequest.objects.get(pk=asked.pk).status == "ANSWERED"
