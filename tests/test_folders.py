"""Country folders: revisions with diffs and restore, staleness, the partner's calendar, attachments, Markdown."""

from datetime import date, timedelta

import holidays
import pytest
from django.utils import timezone
from django.utils.html import escape

from goldthread.core.errors import Conflict, DomainError, NotPermitted
from goldthread.delivery.models import Delivery
from goldthread.events.models import Event
from goldthread.folders import selectors, services
from goldthread.folders.markdown import to_html
from goldthread.folders.models import Attachment, Revision, Section
from goldthread.search import index as search

from .conftest import make_user


@pytest.fixture
def desk(world):
    user = make_user("desk", "desk_officer", world.usarpac)
    user.countries.set([world.tha])
    return user


def edit(desk, world, text, reason="update", version=None, key="entry"):
    return services.edit_section(actor=desk, country=world.tha, key=key, version=version, text=text, reason=reason)


def test_each_edit_is_a_revision_and_the_diff_shows_exactly_the_change(world, desk):
    first = edit(desk, world, "Official passport.\nVisa on arrival.\nAPACS 30 days.", reason="first draft")
    second = edit(desk, world, "Official passport.\nVisa required, 3 months.\nAPACS 30 days.", version=first.version)
    assert second.number == 2
    assert list(Revision.objects.filter(section=second).values_list("number", flat=True)) == [2, 1]
    changed = [(line.kind, line.text) for line in selectors.diff(second, 1, 2) if line.kind != "same"]
    assert changed == [("removed", "Visa on arrival."), ("added", "Visa required, 3 months.")]
    assert [line.kind for line in selectors.diff(second, 0, 1)] == ["added"] * 3

    with pytest.raises(Conflict):
        edit(desk, world, "Lost update", version=first.version)
    with pytest.raises(DomainError, match="unchanged"):
        edit(desk, world, second.text, version=second.version)
    with pytest.raises(DomainError, match="Say why"):
        edit(desk, world, "x", reason=" ", version=second.version)

    restored = services.restore(actor=desk, section=second, number=1, version=second.version)
    assert restored.number == 3 and restored.text == "Official passport.\nVisa on arrival.\nAPACS 30 days."
    assert Revision.objects.get(section=restored, number=3).reason == "Restored revision 1"
    assert Revision.objects.get(section=restored, number=2).text.startswith("Official passport.\nVisa required")


def test_only_the_countrys_people_may_edit(world, desk):
    with pytest.raises(NotPermitted):
        services.edit_section(actor=desk, country=world.phl, key="entry", version=None, text="x", reason="r")
    with pytest.raises(NotPermitted):
        services.edit_section(actor=world.reader, country=world.tha, key="entry", version=None, text="x", reason="r")
    with pytest.raises(DomainError, match="No folder section"):
        edit(desk, world, "x", key="gossip")


def test_staleness_follows_the_configured_period(world, desk, settings):
    section = edit(desk, world, "Text")
    today = timezone.localdate()
    assert not selectors.is_stale(section)
    Section.objects.filter(pk=section.pk).update(last_verified=today - timedelta(days=100))
    section.refresh_from_db()
    settings.FOLDER_STALE_DAYS = 120
    assert not selectors.is_stale(section) and section not in selectors.stale_sections()
    settings.FOLDER_STALE_DAYS = 90
    assert selectors.is_stale(section) and section in selectors.stale_sections()

    services.set_owner(actor=desk, country=world.tha, key="entry", owner=desk)
    assert services.remind_stale() == 1
    reminder = Delivery.objects.get(recipient=desk, record_uid=section.uid)
    assert reminder.title.startswith("Verify: Thailand: Entry and clearance requirements (last verified")
    services.verify(actor=desk, section=section)
    assert not selectors.is_stale(section) and services.remind_stale() == 0


def test_an_event_on_a_national_holiday_is_flagged(world, desk):
    # The library's own calendar, not a list written here: find Thailand's first holiday of 2026.
    day, name = min(holidays.country_holidays("TH", years=2026).items())
    event = Event.objects.create(
        code="EVT-HOL", name="Over a holiday", event_type="SMEE", start_date=day - timedelta(days=1), end_date=day
    )
    event.countries.set([world.tha])
    flagged = selectors.event_conflicts(event)
    assert (day, name, "public holiday") in [(d.starts, d.name, d.source) for d in flagged]
    services.add_observance(actor=desk, country=world.tha, name="Unit anniversary", starts=day, ends=day)
    assert "Unit anniversary" in [d.name for d in selectors.event_conflicts(event)]
    quiet = Event.objects.create(
        code="EVT-Q", name="Quiet", event_type="SMEE", start_date=date(2026, 3, 10), end_date=date(2026, 3, 11)
    )
    quiet.countries.set([world.tha])
    assert all(d.starts <= quiet.end_date and d.ends >= quiet.start_date for d in selectors.event_conflicts(quiet))


def test_attachments_refused_by_type_or_size_leave_nothing(world, desk, settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    settings.ATTACHMENT_MAX_MB = 1
    cases = [
        ("brief.html", b"<script>alert(1)</script>", "not accepted"),
        ("brief.pdf", b"MZ\x90\x00 an executable", "not PDF"),
        ("big.pdf", b"%PDF-" + b"0" * (1024 * 1024), "limit is 1 MB"),
        ("notes.txt", b"\xff\xfe\x00bad", "UTF-8"),
    ]
    for name, content, message in cases:
        with pytest.raises(DomainError, match=message):
            services.attach(actor=desk, country=world.tha, section="entry", name=name, content=content)
    assert not Attachment.objects.exists() and not settings.ATTACHMENT_DIR.exists()

    kept = services.attach(
        actor=desk, country=world.tha, section="entry", name="../../etc/guide.pdf", content=b"%PDF-1.7 ok"
    )
    assert kept.name == "guide.pdf" and selectors.attachment_path(kept).read_bytes() == b"%PDF-1.7 ok"
    assert selectors.attachment_path(kept).is_relative_to(settings.ATTACHMENT_DIR)


def test_script_in_markdown_is_neutralised():
    html = to_html(
        "<script>alert(1)</script>\n\n[click](javascript:alert(1))\n\n<img src=x onerror=alert(1)>\n\n**kept**"
    )
    assert "<script" not in html and "<img" not in html and "href=" not in html  # all shown as text, none live
    assert "&lt;script&gt;" in html and "<strong>kept</strong>" in html
    assert 'href="https://example.org"' in to_html("[ok](https://example.org)")


def test_folders_through_the_api(world, desk, api, settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    as_desk = api.as_user(desk)
    folder = as_desk.get("/countries/THA/folder").json()
    assert [s["key"] for s in folder] == Section.Key.values and all(s["number"] == 0 for s in folder)
    first = as_desk.put("/countries/tha/folder/entry", {"text": "Visa on arrival.", "reason": "first"})
    assert first.status_code == 200 and first.json()["number"] == 1 and not first.json()["stale"]
    version = first.json()["version"]
    second = as_desk.put("/countries/THA/folder/entry", {"version": version, "text": "Visa: 3 months.", "reason": "r"})
    assert second.status_code == 200
    stale = as_desk.put("/countries/THA/folder/entry", {"version": version, "text": "Lost", "reason": "r"})
    assert stale.status_code == 409
    no_reason = as_desk.put("/countries/THA/folder/entry", {"text": "x", "reason": ""})
    assert no_reason.status_code in (400, 422) and "reason" in str(no_reason.json())
    assert as_desk.put("/countries/PHL/folder/entry", {"text": "x", "reason": "r"}).status_code == 403
    assert as_desk.get("/countries/XXX/folder").status_code in (400, 404)
    assert as_desk.get("/countries/THA/folder/gossip").status_code == 422

    changes = as_desk.get("/countries/THA/folder/entry/diff", **{"from": 1, "to": 2}).json()
    assert [(c["kind"], c["text"]) for c in changes] == [("removed", "Visa on arrival."), ("added", "Visa: 3 months.")]
    assert as_desk.get("/countries/THA/folder/entry/diff", **{"from": 1, "to": 9}).status_code == 404
    assert [r["number"] for r in as_desk.get("/countries/THA/folder/entry/revisions").json()] == [2, 1]
    restored = as_desk.post("/countries/THA/folder/entry/restore", {"number": 1, "version": second.json()["version"]})
    assert restored.status_code == 200 and restored.json()["text"] == "Visa on arrival."
    assert as_desk.post("/countries/THA/folder/entry/verify", {}).status_code == 200
    owner = as_desk.put("/countries/THA/folder/entry/owner", {"owner": "desk"})
    assert owner.status_code == 200 and owner.json()["owner"] == "desk"
    assert as_desk.put("/countries/THA/folder/entry/owner", {"owner": "nobody"}).status_code == 400

    contact = as_desk.post(
        "/countries/THA/contacts", {"role": "SCO chief", "name": "COL Smith", "held_from": "2024-07-01"}
    )
    assert contact.status_code == 201
    ended = as_desk.patch(f"/contacts/{contact.json()['uid']}", {"version": 1, "held_until": "2026-06-30"})
    assert ended.status_code == 200 and ended.json()["held_until"] == "2026-06-30"
    backwards = as_desk.patch(f"/contacts/{contact.json()['uid']}", {"version": 2, "held_until": "2020-01-01"})
    assert backwards.status_code == 400
    days = as_desk.get("/countries/THA/calendar", start="2026-01-01", end="2026-12-31").json()
    assert len([d for d in days if d["source"] == "public holiday"]) >= 10
    assert as_desk.get("/countries/THA/calendar", start="2026-01-01", end="2025-01-01").status_code == 400
    day = {"name": "Unit day", "starts": "2026-05-01", "ends": "2026-05-01"}
    added = as_desk.post("/countries/THA/observances", day)
    assert added.status_code == 201 and added.json()["source"] == "observance"

    refused = as_desk.upload("/countries/THA/attachments", {"file": ("run.exe", b"MZ")})
    assert refused.status_code == 400 and "not accepted" in refused.json()["errors"]["file"][0], refused.json()
    uploaded = as_desk.upload("/countries/THA/attachments", {"file": ("guide.pdf", b"%PDF-1.7 x")}, section="entry")
    assert uploaded.status_code == 201, uploaded.json()
    download = as_desk.get(f"/attachments/{uploaded.json()['uid']}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.7 x"
    assert download["Content-Disposition"].startswith("attachment;")


def test_folder_pages_and_forms(world, desk, client, settings, tmp_path):
    import io

    import pypdf
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    client.force_login(desk)
    edit(desk, world, "# Entry\n\n- Official passport\n- <script>alert(1)</script>")
    listing = client.get("/folders/").content.decode()
    assert "/countries/THA/folder/" in listing and "1 of 8" in listing
    page = client.get("/countries/THA/folder/").content.decode()
    assert "<li>Official passport</li>" in page and "<script>alert" not in page
    assert "Post-coup restriction" in page  # the country's constraints, in the legal section
    assert client.get("/countries/THA/folder/gossip/").status_code == 404
    assert client.get("/countries/ZZZ/folder/").status_code == 404

    empty = client.post("/countries/THA/folder/entry/edit/", {"text": "New", "reason": "", "version": 2})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    assert "New" in empty.content.decode()  # what was typed is kept
    stale = client.post("/countries/THA/folder/entry/edit/", {"text": "New", "reason": "r", "version": 1})
    assert stale.status_code == 400 and "changed by someone else" in stale.content.decode()
    saved = client.post("/countries/THA/folder/entry/edit/", {"text": "New", "reason": "r", "version": 2})
    assert saved.status_code == 302
    section = client.get("/countries/THA/folder/entry/?from=1&to=2").content.decode()
    assert '<span class="added">+ New</span>' in section and '<span class="removed">- # Entry</span>' in section

    bad = client.post("/countries/THA/folder/observances/", {"name": "x", "starts": "2026-05-02", "ends": "2026-05-01"})
    assert bad.status_code == 400 and 'role="alert"' in bad.content.decode()
    refused = client.post(
        "/countries/THA/folder/attachments/", {"file": SimpleUploadedFile("x.html", b"<b>hi</b>"), "section": ""}
    )
    assert refused.status_code == 400 and "not accepted" in refused.content.decode()
    settings.ATTACHMENT_MAX_MB = 1
    big = {"file": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 1024 * 1024), "section": ""}
    too_big = client.post("/countries/THA/folder/attachments/", big)
    assert too_big.status_code == 400 and "the limit is 1 MB" in too_big.content.decode()
    upload = {"file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 x"), "section": "entry"}
    kept = client.post("/countries/THA/folder/attachments/", upload)
    assert kept.status_code == 302
    attachment = Attachment.objects.get()
    download = client.get(f"/attachments/{attachment.uid}/")
    assert download["Content-Disposition"].startswith("attachment") and download["Content-Type"] == "application/pdf"

    book = client.get("/countries/THA/folder/book/")
    assert book["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(book.content)).pages)
    assert "Continuity book: Thailand" in text and "Entry and clearance requirements" in text and "plan.pdf" in text
    assert "UNCLASSIFIED" in text

    client.force_login(world.reader)
    assert "revisions and edit" not in client.get("/countries/THA/folder/").content.decode()
    client.post("/countries/THA/folder/entry/edit/", {"text": "Forged", "reason": "r", "version": 3})
    assert Section.objects.get(key="entry").text == "New"


def test_folders_are_found_by_full_text_search(world, desk, api, client):
    edit(desk, world, "Official passports take thirty business days; the embassy expedites for exercises.")
    edit(desk, world, "Greet senior officers first; gifts below the limit.", key="culture")
    services.edit_section(
        actor=world.planner, country=world.phl, key="entry", version=None, text="Passports: official.", reason="r"
    )
    titles = [h.title for h in search.search("passport")]  # a prefix finds "passports" on either database
    assert sorted(titles) == [f"{c}: Entry and clearance requirements" for c in ("Philippines", "Thailand")]
    assert [h.title for h in search.search("passports embassy")] == ["Thailand: Entry and clearance requirements"]
    assert [h.country for h in search.search("passports", country="PHL")] == ["PHL"]
    assert search.search('"gifts*)') and search.search("***") == [] and search.search("nothing-like-this") == []

    current = Section.objects.get(country=world.tha, key="entry")
    edit(desk, world, "No passports here any more.", version=current.version)
    assert "«Greet»" in search.search("greet")[0].snippet
    assert search.search("expedites") == []  # the index follows the current text, not old revisions

    found = api.as_user(world.reader).get("/search", q="greet officers").json()
    assert [h["title"] for h in found] == ["Thailand: Culture and protocol"]
    assert api.as_user(world.reader).get("/search", q="").status_code in (400, 422)
    client.force_login(world.reader)
    page = client.get("/search/", {"q": "greet"}).content.decode()
    assert "Thailand: Culture and protocol" in page and "/countries/THA/folder/culture/" in page


def test_handover_moves_what_a_person_answers_for(world, desk):
    from goldthread.delivery.models import Subscription
    from goldthread.planning import services as planning

    successor = make_user("desk2", "desk_officer", world.usarpac)
    services.set_owner(actor=desk, country=world.tha, key="entry", owner=desk)
    Subscription.objects.create(event=world.event, user=desk, reason="DESK_OFFICER")
    asked = planning.ask(
        actor=desk, event=world.event, topic="Pay", question="Per diem?", owner=world.usarpac, due=date(2025, 5, 1)
    )
    unread = Delivery.objects.filter(recipient=desk).count()
    assert unread >= 1

    with pytest.raises(NotPermitted):
        services.handover(actor=world.reader, leaving=desk, successor=successor)
    with pytest.raises(DomainError, match="another, active user"):
        services.handover(actor=desk, leaving=desk, successor=desk)
    moved = services.handover(actor=world.admin, leaving=desk, successor=successor)

    assert moved == {"sections": 1, "countries": 1, "subscriptions": 1, "requests": 1, "deliveries": unread}
    assert Section.objects.get(country=world.tha, key="entry").owner == successor
    assert list(successor.countries.values_list("iso3", flat=True)) == ["THA"]
    assert Subscription.objects.get(event=world.event, user=successor).active
    assert not Subscription.objects.get(event=world.event, user=desk).active
    asked.refresh_from_db()
    assert asked.asked_by == successor
    assert Delivery.objects.filter(recipient=successor, record_uid=asked.uid).exists()


def test_a_persons_continuity_book(world, desk, client):
    import io

    import pypdf

    services.set_owner(actor=desk, country=world.tha, key="entry", owner=desk)
    client.force_login(desk)
    book = client.get("/people/desk/book/")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(book.content)).pages)
    assert "Continuity book: desk" in text and "Thailand: Entry and clearance requirements (stale)" in text
    assert client.get("/people/planner/book/").status_code == 404  # only your own, or an administrator's
    client.force_login(world.admin)
    assert client.get("/people/desk/book/?format=docx")["Content-Type"].startswith("application/vnd.openxml")


def test_the_event_page_flags_a_partner_holiday(world, client):
    day, name = min(holidays.country_holidays("TH", years=2025).items())
    Event.objects.filter(pk=world.event.pk).update(start_date=day, end_date=day + timedelta(days=3))
    client.force_login(world.reader)
    page = client.get(f"/events/{world.event.uid}/").content.decode()
    assert 'id="holidays"' in page and escape(name) in page and "public holiday" in page
    Event.objects.filter(pk=world.event.pk).update(start_date=date(2025, 6, 20), end_date=date(2025, 6, 21))
    assert 'id="holidays"' not in client.get(f"/events/{world.event.uid}/").content.decode()


def test_the_executor_packet_takes_the_country_essentials_and_deadlines(world, desk, client):
    import io

    import docx

    from goldthread.planning.checklist import requirements
    from goldthread.planning.packet import executor_packet
    from goldthread.planning.purpose import purpose_block

    edit(desk, world, "## Entry\n\n- Official passport, 30 business days")
    item = next(r for r in requirements(world.event, purpose_block(world.event)) if r.topic == "Administration")
    assert item.answered_in == "section 4 (country essentials) and 5 (readiness)"
    client.force_login(world.unit)
    page = client.get(f"/events/{world.event.uid}/packet/").content.decode()
    assert "Thailand: Entry and clearance requirements" in page
    assert "<li>Official passport, 30 business days</li>" in page
    deadlines = executor_packet(world.event).deadlines  # the readiness timeline, from the default entry rules
    assert deadlines and all(escape(d) in page for d in deadlines)
    document = docx.Document(io.BytesIO(client.get(f"/events/{world.event.uid}/packet.docx").content))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Thailand: Entry and clearance requirements" in body and "Official passport, 30 business days" in body
    assert "not in Goldthread yet" not in body.split("7. Lessons")[0]  # only lessons remain to be built


def test_folder_commands(world, desk, tmp_path):
    import pypdf
    from typer.testing import CliRunner

    from goldthread.cli import app

    edit(desk, world, "Official passport.")
    runner = CliRunner()
    for code in ("THA", "th"):
        target = tmp_path / f"{code}.pdf"
        result = runner.invoke(app, ["folder", "export", code, "--format", "pdf", "-o", str(target)])
        assert result.exit_code == 0, result.output
        text = "".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
        assert "Continuity book: Thailand" in text and "Official passport." in text
    unknown = runner.invoke(app, ["folder", "export", "XX", "-o", str(tmp_path / "x.pdf")])
    assert unknown.exit_code == 2 and "no country 'XX'" in unknown.output
    wrong = runner.invoke(app, ["folder", "export", "THA", "--format", "odt", "-o", str(tmp_path / "x.odt")])
    assert wrong.exit_code == 2 and not (tmp_path / "x.odt").exists()

    Section.objects.filter(country=world.tha).update(owner=desk, last_verified=date(2020, 1, 1))
    reminded = runner.invoke(app, ["folder", "remind"])
    assert reminded.exit_code == 0 and "Reminded the owners of 1 stale sections." in reminded.output

    successor = make_user("desk2", "desk_officer", world.usarpac)
    moved = runner.invoke(app, ["user", "handover", "desk", "desk2"])
    assert moved.exit_code == 0 and "1 sections" in moved.output
    assert Section.objects.get(country=world.tha, key="entry").owner == successor
    assert runner.invoke(app, ["user", "handover", "desk", "nobody"]).exit_code == 2


def test_the_folder_flags_upcoming_events_on_holidays(world, client):
    today = timezone.localdate()
    upcoming = sorted(holidays.country_holidays("TH", years=[today.year, today.year + 1]).items())
    day, name = next((d, n) for d, n in upcoming if d > today)
    clash = Event.objects.create(code="EVT-CLASH", name="Clash", event_type="KLE", start_date=day, end_date=day)
    clash.countries.set([world.tha])
    client.force_login(world.reader)
    page = client.get("/countries/THA/folder/").content.decode()
    assert 'id="clashes"' in page and "EVT-CLASH Clash</a> falls on " + escape(name) in page


def test_help_texts_are_tied_to_their_fields(world, desk, client):
    client.force_login(desk)
    form = client.get("/countries/THA/folder/entry/edit/").content.decode()
    assert 'aria-describedby="id_text_helptext"' in form and 'id="id_text_helptext"' in form
