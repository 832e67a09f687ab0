"""AAR documents (DOCX, PDF), lessons exports (CSV, XLSX, interchange JSON), import of legacy AARs from Word, the
`aar` and `lessons` commands, and the lessons section of the executor packet."""

import csv
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt
from typer.testing import CliRunner

from goldthread.aars import exchange, importing, services
from goldthread.aars.importing import UNRECOGNISED, import_docx
from goldthread.aars.models import Observation, Report
from goldthread.cli import app
from goldthread.core.errors import DomainError, NotPermitted
from goldthread.core.models import AuditEntry
from goldthread.delivery.models import Delivery
from goldthread.events.models import ContributionClaim, Event
from goldthread.planning.packet import executor_packet
from goldthread.reports import aar_document
from goldthread.reports import executor_packet as packet_document
from goldthread.reports.formats import FORMATS
from goldthread.strategy.models import Organization

runner = CliRunner()
DOCS = Path(__file__).resolve().parent.parent / "docs"
THAI = "ศูนย์การทหารม้า"  # the RTA Cavalry Center, as its own staff write it


ANALYSIS = {
    "five_whys": ["Orders reached the RTA staff late", "Translation started after the orders were final"],
    "root_cause": "No translator was budgeted for the staff cell.",
    "assumptions": [
        {"assumption": "RTA staff read English orders", "held": False, "evidence": "They asked for Thai copies."},
        {"assumption": "The range was free in June", "held": True, "evidence": ""},
    ],
}


def written(w) -> Report:
    """A report with something in every part: reviews, sections, a sustain and an improve item with tags and
    root-cause analysis, and a follow-up action."""
    report = services.start(actor=w.writer, event=w.event)
    services.update(
        actor=w.writer,
        report=report,
        version=report.version,
        fields={
            "summary": f"Combined staff planning with the {THAI} went well.\nThe range opened a day late.",
            "hotwash_held": date(2025, 7, 5),
            "relationships": "The RTA commander agreed to host the 2026 planning conference.",
            "capability": "RTA staff produced a HADR plan to standard on day 4.",
            "interoperability": "- Radios did not talk on day 1\n- Fixed by a liaison cell on day 2",
            "access": "Customs cleared the vehicles in 9 days.",
            "administration": "Two passports expired in theater.",
            "costs": "USD 1.2M, driven by sealift.",
        },
        reviews={
            w.claim.pk: {
                "happened": "The plan was produced on day 4.",
                "why": "Translation delays held the staff back a day.",
                "indicator_evidence": "Rubric 3 of 5.",
            }
        },
    )
    services.add_observation(
        actor=w.writer,
        report=report,
        fields={
            "title": "Liaison cell",
            "finding": Observation.Finding.SUSTAIN,
            "observation": "A liaison officer in each staff section fixed the radio problems within a day.",
            "discussion": "Set up at the MPC.",
            "recommendation": "Keep it for 2026.",
            "objective_type": "INT",
        },
    )
    services.add_observation(
        actor=w.writer,
        report=report,
        fields={
            "title": "Interpreters short",
            "observation": "Two interpreters for a brigade staff.",
            "discussion": "=The request went in late because the site survey did not count staff sections.",
            "recommendation": "Ask for one interpreter per staff section at the IPC.",
            "claim": w.claim,
            "partner_unit": w.rta,
            "dotmlpfp": "PERSONNEL",
            "criticality": Observation.Criticality.SIGNIFICANT,
            "channel": Observation.Channel.LESSON,
            "analysis": ANALYSIS,
        },
    )
    services.add_action(
        actor=w.writer, report=report, text="Budget interpreters", owner=w.usarpac, due=date(2026, 1, 15)
    )
    report.refresh_from_db()
    return report


def disseminated(w) -> Report:
    report = written(w)
    services.submit(actor=w.writer, report=report, version=report.version)
    services.approve(actor=w.unit, report=report, version=report.version)
    report.refresh_from_db()
    return report


def docx_text(content: bytes) -> tuple[list[str], str]:
    """The level-1 headings of a Word file, and all its paragraph and table text."""
    word = docx.Document(io.BytesIO(content))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return headings, "\n".join([p.text for p in word.paragraphs] + cells)


# Documents --------------------------------------------------------------------------------------------------------


def test_the_aar_docx_has_every_section_in_order_with_observations_and_actions(aar):
    report = disseminated(aar)
    content = FORMATS["docx"].render(aar_document.document(report))
    headings, text = docx_text(content)
    assert headings == list(aar_document.SECTIONS.values())
    for expected in (
        "EVT-2025-HG Hanuman Guardian 2025",
        "2nd Stryker BCT (2-2 SBCT)",
        "Disseminated",
        f"by {aar.unit.username}",
        "What happened: The plan was produced on day 4.",
        "Evidence on the indicator: Rubric 3 of 5.",
        "Indicator to report on: Plan quality rubric",
        "Observation: Two interpreters for a brigade staff.",
        "Recommendation: Ask for one interpreter per staff section at the IPC.",
        "Partner unit: RTA Cav Ctr",
        "DOTMLPF-P: Personnel",
        "Root cause: No translator was budgeted for the staff cell.",
        "RTA staff read English orders — did not hold. Evidence: They asked for Thai copies.",
        "Budget interpreters",
        THAI,
    ):
        assert expected in text, expected
    word = docx.Document(io.BytesIO(content))
    assert word.sections[0].header.paragraphs[0].text == "UNCLASSIFIED"
    assert "not approved yet" not in text
    assert aar_document.document(report).filename == "AAR-EVT-2025-HG"


def test_a_draft_aar_says_so_and_lists_what_the_score_misses(aar):
    report = services.start(actor=aar.writer, event=aar.event)
    _, text = docx_text(FORMATS["docx"].render(aar_document.document(report)))
    assert "Draft — not approved yet." in text
    assert "No improve item." in text and "No follow-up action." in text
    assert "Name the partner unit concerned in at least one observation." in text


def test_the_aar_pdf_opens_with_the_event_code_and_the_banner_on_every_page(aar):
    report = disseminated(aar)
    reader = pypdf.PdfReader(io.BytesIO(FORMATS["pdf"].render(aar_document.document(report))))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "EVT-2025-HG" in text and "10. Improve" in text and "Interpreters short" in text
    for page in reader.pages:
        assert page.extract_text().count("UNCLASSIFIED") == 2


# Exports ----------------------------------------------------------------------------------------------------------


def test_lessons_csv_opens_in_excel_with_thai_names_and_no_formulas(aar):
    disseminated(aar)
    Organization.objects.filter(pk=aar.rta.pk).update(short_name=THAI)
    Observation.objects.filter(title="Interpreters short").update(markings="CUI")
    content = exchange.csv_bytes(Observation.objects.all())
    assert content.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == exchange.TABLE_COLUMNS
    assert len(rows) == 3
    by_title = {row[exchange.TABLE_COLUMNS.index("Title")]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    item = by_title["Interpreters short"]
    assert item["Partner unit"] == THAI
    assert item["Event code"] == "EVT-2025-HG" and item["Fiscal year"] == "2025" and item["Countries"] == "Thailand"
    assert item["Objective code"] == "CSP-THA-2.1" and item["DOTMLPF-P"] == "Personnel"
    assert item["Root cause"] == ANALYSIS["root_cause"] and item["Markings"] == "CUI"
    assert item["Discussion"].startswith("'=The request")  # a spreadsheet must not run it as a formula
    assert item["Link path"] == f"/observations/{Observation.objects.get(title='Interpreters short').uid}/"
    assert by_title["Liaison cell"]["Finding"] == "Sustain"


def test_lessons_xlsx_has_the_banner_a_bold_frozen_header_and_a_row_per_observation(aar):
    disseminated(aar)
    book = openpyxl.load_workbook(io.BytesIO(exchange.xlsx_bytes(Observation.objects.all())))
    sheet = book.active
    assert sheet["A1"].value == "UNCLASSIFIED"
    assert [c.value for c in sheet[2]] == exchange.TABLE_COLUMNS
    assert all(c.font.bold for c in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.max_row == 2 + 2
    rows = {row[6]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["Interpreters short"][2] == 2025  # a number, so it sorts
    discussion = rows["Interpreters short"][exchange.TABLE_COLUMNS.index("Discussion")]
    assert discussion.startswith("=The request")  # stored as text, not as a formula
    assert sheet.cell(row=3, column=exchange.TABLE_COLUMNS.index("Discussion") + 1).data_type == "s"
    # A plain list works too, and an empty selection is a header and nothing else.
    assert openpyxl.load_workbook(io.BytesIO(exchange.xlsx_bytes([]))).active.max_row == 2


def _paths(value, prefix: str = "") -> set[str]:
    """Every key path in a JSON value, lists written as `[]`: {"a": [{"b": 1}]} -> {"a", "a[].b"}."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else key
            found |= {path} | _paths(inner, path)
    elif isinstance(value, list):
        for inner in value:
            found |= _paths(inner, f"{prefix}[]")
    return found


def test_the_interchange_format_is_versioned_and_every_key_is_documented(aar):
    report = disseminated(aar)
    observation = report.observations.get(title="Interpreters short")
    services.advance(actor=aar.desk, observation=observation, stage="VALIDATED", version=observation.version)
    services.advance(
        actor=aar.desk,
        observation=observation,
        stage="LESSON",
        version=observation.version,
        fields={
            "corrective_action": "Budget interpreters",
            "action_owner": aar.usarpac,
            "action_due": date(2026, 3, 1),
        },
    )
    body = exchange.interchange(Observation.objects.order_by("id"))
    body = json.loads(json.dumps(body))  # serialises, and reads back as the same thing
    assert body["format"] == "goldthread-lessons" and body["version"] == 1
    assert body["classification"] == "UNCLASSIFIED"
    record = next(o for o in body["observations"] if o["title"] == "Interpreters short")
    assert record["event"]["countries"] == ["THA"] and record["event"]["start"] == "2025-06-20"
    assert record["tags"] == {
        "objective": "CSP-THA-2.1",
        "objective_type": "CAP",
        "indicator": "Plan quality rubric",
        "partner_unit": "RTA Cav Ctr",
        "dotmlpfp": "PERSONNEL",
        "criticality": "SIGNIFICANT",
        "channel": "LESSON",
    }
    assert record["analysis"] == ANALYSIS
    assert record["lesson"]["stage"] == "LESSON" and record["lesson"]["action_owner"] == "USARPAC"
    assert record["lesson"]["action_due"] == "2026-03-01"

    doc = (DOCS / "lessons-interchange.md").read_text()
    documented = set(re.findall(r"^\| `([a-z_.\[\]]+)` \|", doc, re.M))
    emitted = _paths(body)
    assert not emitted - documented, f"undocumented in docs/lessons-interchange.md: {sorted(emitted - documented)}"
    # …and the document describes nothing that is not emitted, except what other systems may add.
    assert documented - emitted == {"observations[].implications"}
    assert "`goldthread-lessons`" in doc and "version 1" in doc.lower()


# Import -----------------------------------------------------------------------------------------------------------


def test_a_generated_aar_docx_reads_back_with_its_sections(aar):
    ContributionClaim.objects.create(
        event=aar.event,
        objective=aar.rel,
        role="SECONDARY",
        objective_type="REL",
        expected_change="RTA staff ask 2-2 SBCT for help unprompted",
    )
    original = written(aar)
    secondary = original.reviews.get(claim__objective=aar.rel)
    services.update(
        actor=aar.writer,
        report=original,
        version=original.version,
        fields={"markings": "CUI", "costs": "Access: none extra.\nWhat happened: the sealift was late."},
        reviews={secondary.claim_id: {"happened": "Two calls in August.", "why": "The liaison cell built trust."}},
    )
    # Text that reads like a heading or a label stays where it was written.
    services.add_observation(
        actor=aar.writer,
        report=original,
        fields={
            "title": "Access",
            "observation": "Issue: the gate list was wrong.",
            "analysis": {"five_whys": ["Why: the list was old", "Summary"], "root_cause": "Costs: unknown"},
        },
    )
    original.refresh_from_db()
    content = FORMATS["docx"].render(aar_document.document(original))
    before = {
        "fields": {name: getattr(original, name) for name in services.REPORT_FIELDS},
        "reviews": [(r.claim_id, r.planned, r.happened, r.why, r.indicator_evidence) for r in original.reviews.all()],
        "observations": [
            (
                o.title,
                o.finding,
                o.observation,
                o.discussion,
                o.recommendation,
                o.claim_id,
                o.objective_type,
                o.indicator,
                o.partner_unit_id,
                o.dotmlpfp,
                o.criticality,
                o.channel,
                o.analysis,
            )
            for o in original.observations.order_by("id")
        ],
        "actions": [(a.text, a.owner_id, a.due, a.done) for a in original.actions.all()],
        "score": original.score,
    }
    original.delete()

    event = Event.objects.get(pk=aar.event.pk)
    report = import_docx(actor=aar.writer, event=event, file=io.BytesIO(content))
    assert report.status == Report.Status.DRAFT and report.event == aar.event
    assert {name: getattr(report, name) for name in services.REPORT_FIELDS} == before["fields"]
    assert UNRECOGNISED not in report.summary
    reviews = [(r.claim_id, r.planned, r.happened, r.why, r.indicator_evidence) for r in report.reviews.all()]
    assert reviews == before["reviews"]
    observations = [
        (
            o.title,
            o.finding,
            o.observation,
            o.discussion,
            o.recommendation,
            o.claim_id,
            o.objective_type,
            o.indicator,
            o.partner_unit_id,
            o.dotmlpfp,
            o.criticality,
            o.channel,
            o.analysis,
        )
        for o in report.observations.order_by("id")
    ]
    assert observations == before["observations"]
    assert [(a.text, a.owner_id, a.due, a.done) for a in report.actions.all()] == before["actions"]
    assert report.score == before["score"]
    entry = AuditEntry.objects.get(action="aar.imported")
    assert entry.actor == aar.writer and entry.changes["observations"] == 3


def legacy_docx() -> bytes:
    """An AAR as units wrote them before: free headings, TC 25-20 questions, ODR paragraphs, bullets, a table."""
    word = docx.Document()
    word.add_paragraph("AFTER ACTION REPORT: EXERCISE HANUMAN GUARDIAN 2025", style="Title")
    word.add_paragraph("MEMORANDUM FOR RECORD")
    word.add_heading("1. Executive Summary", level=1)
    word.add_paragraph("2-2 SBCT trained with the RTA Cavalry Center at Lopburi.")
    # Forms wrap their fields in content controls, and reviewers leave tracked insertions: both are text too.
    field = word.add_paragraph()._p
    field.addnext(
        parse_xml(
            f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>Dates: 20 June to 5 July 2025.</w:t></w:r>"
            '<w:ins w:id="1" w:author="XO" w:date="2025-07-10T00:00:00Z"><w:r><w:t> Lopburi range complex.</w:t>'
            "</w:r></w:ins></w:p></w:sdtContent></w:sdt>"
        )
    )
    word.add_heading("2. What was supposed to happen?", level=1)
    word.add_paragraph("A combined staff produces a HADR plan by day 3.")
    word.add_heading("3. What actually happened?", level=1)
    word.add_paragraph("The plan was ready on day 4.")
    word.add_heading("4. Why was there a difference?", level=1)
    word.add_paragraph("Orders were translated late.")
    word.add_heading("5. Sustains", level=1)
    word.add_paragraph("Daily synchronisation meetings with the RTA staff.", style="List Bullet")
    word.add_paragraph("Medical evacuation rehearsals on day 1.", style="List Bullet")
    word.add_heading("6. Improves", level=1)
    bold = word.add_paragraph()
    bold.add_run("Issue: Interpreter shortage").bold = True
    word.add_paragraph("Observation: Two interpreters supported a brigade staff of forty.")
    word.add_paragraph("Discussion: The request was sized for the field training only.")
    word.add_paragraph("It did not count the staff sections.")
    word.add_paragraph("Recommendation: Request one interpreter per staff section at the IPC.")
    table = word.add_table(rows=3, cols=2)
    for row, (label, text) in zip(
        table.rows,
        [
            ("Issue", "Range opened late"),
            ("Discussion", "The range control office was not told of the new dates."),
            ("Recommendation", "Confirm range dates with range control in writing."),
        ],
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text = label, text
    word.add_heading("7. Weather", level=1)
    word.add_paragraph("Monsoon rain closed the range for two days.")
    word.add_heading("8. Administrative Friction", level=1)
    word.add_paragraph("Visas for four soldiers took 40 days.")
    word.add_heading("9. Funding", level=1)
    word.add_paragraph("Within the USD 1.1M budget.")
    run = word.add_paragraph().add_run("Access")
    run.bold, run.font.size = True, Pt(12)
    word.add_paragraph("Diplomatic clearance for the aircraft took 21 days.")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def test_a_legacy_docx_is_read_into_sections_and_observations_and_keeps_what_it_cannot_place(aar):
    report = import_docx(actor=aar.writer, event=aar.event, file=legacy_docx())
    assert report.summary.startswith(
        "2-2 SBCT trained with the RTA Cavalry Center at Lopburi.\n\nDates: 20 June to 5 July 2025. Lopburi range"
    )
    kept = report.summary.split(UNRECOGNISED, 1)[1]
    for text in ("AFTER ACTION REPORT", "MEMORANDUM FOR RECORD", "7. Weather", "Monsoon rain closed the range"):
        assert text in kept, text
    review = report.reviews.get(claim=aar.claim)
    assert review.planned == "A combined staff produces a HADR plan by day 3."
    assert review.happened == "The plan was ready on day 4." and review.why == "Orders were translated late."
    assert report.administration == "Visas for four soldiers took 40 days."
    assert report.costs == "Within the USD 1.1M budget."
    assert report.access == "Diplomatic clearance for the aircraft took 21 days."

    sustains = list(report.observations.filter(finding="SUSTAIN").order_by("id"))
    assert [o.observation for o in sustains] == [
        "Daily synchronisation meetings with the RTA staff.",
        "Medical evacuation rehearsals on day 1.",
    ]
    improves = list(report.observations.filter(finding="IMPROVE").order_by("id"))
    assert [o.title for o in improves] == ["Interpreter shortage", "Range opened late"]
    interpreters, range_ = improves
    assert interpreters.observation == "Two interpreters supported a brigade staff of forty."
    assert (
        interpreters.discussion
        == "The request was sized for the field training only.\n\nIt did not count the staff sections."
    )
    assert interpreters.recommendation == "Request one interpreter per staff section at the IPC."
    assert range_.discussion == "The range control office was not told of the new dates."
    assert range_.recommendation == "Confirm range dates with range control in writing."
    assert range_.observation == "Range opened late"  # the issue is all the file says happened


def test_what_is_not_a_word_document_is_refused_and_nothing_is_written(aar, settings):
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")  # an OpenDocument file, not Word
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("word/document.xml", "<not really xml")
    for content, message in (
        (b"%PDF-1.7 an AAR printed to PDF", "not a Word document"),
        (b"\xd0\xcf\x11\xe0 a Word 97 .doc file", "not a Word document"),
        (zipped.getvalue(), "not a Word document"),
        (b"PK\x03\x04 cut off in transfer", "damaged"),
        (damaged.getvalue(), "damaged"),
        (b"", "empty"),
    ):
        with pytest.raises(DomainError, match=message) as caught:
            import_docx(actor=aar.writer, event=aar.event, file=content)
        assert "file" in caught.value.errors
    settings.ATTACHMENT_MAX_MB = 1
    with pytest.raises(DomainError, match="the limit is 1 MB"):
        import_docx(actor=aar.writer, event=aar.event, file=io.BytesIO(b"PK\x03\x04" + b"\0" * 1_100_000))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * 21 * 1024 * 1024 + b">")
    assert len(bomb.getvalue()) < 1024 * 1024
    with pytest.raises(DomainError, match="unpacks to far more"):
        import_docx(actor=aar.writer, event=aar.event, file=bomb.getvalue())
    assert not Report.objects.exists()


def test_past_the_most_observations_an_import_records_the_rest_are_kept_as_text(aar, monkeypatch):
    monkeypatch.setattr(importing, "MAX_OBSERVATIONS", 3)
    report = import_docx(actor=aar.writer, event=aar.event, file=legacy_docx())
    assert report.observations.count() == 3
    kept = report.summary.split(UNRECOGNISED, 1)[1]
    assert "Range opened late\nDiscussion: The range control office was not told of the new dates." in kept


def test_an_import_is_attributed_and_permitted_like_writing_the_aar(aar):
    with pytest.raises(NotPermitted):
        import_docx(actor=aar.reader, event=aar.event, file=legacy_docx())
    assert not Report.objects.exists() and not Observation.objects.exists()
    import_docx(actor=aar.writer, event=aar.event, file=legacy_docx())
    with pytest.raises(DomainError, match="already has an AAR"):
        import_docx(actor=aar.writer, event=aar.event, file=legacy_docx())
    assert Observation.objects.count() == 4
    assert not AuditEntry.objects.filter(actor=None, action__startswith="observation").exists()


# The command line -------------------------------------------------------------------------------------------------


def test_aar_export_writes_docx_and_pdf_and_refuses_bad_input(aar, tmp_path, monkeypatch):
    disseminated(aar)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["aar", "export", "EVT-2025-HG"])
    assert result.exit_code == 0, result.output
    headings, _ = docx_text((tmp_path / "AAR-EVT-2025-HG.docx").read_bytes())
    assert "10. Improve" in headings
    result = runner.invoke(app, ["aar", "export", str(aar.event.uid), "--format", "pdf", "-o", str(tmp_path / "a.pdf")])
    assert result.exit_code == 0, result.output
    assert "EVT-2025-HG" in pypdf.PdfReader(tmp_path / "a.pdf").pages[0].extract_text()
    assert AuditEntry.objects.filter(action="aar.exported", changes__format="pdf").exists()
    for args, message in (
        (["aar", "export", "NOPE"], "error: no event 'NOPE'"),
        (["aar", "export", "EVT-2026-HG"], "error: EVT-2026-HG has no AAR yet"),
        (
            ["aar", "export", "EVT-2025-HG", "--format", "odt"],
            "error: format 'odt' is not available; use one of: docx, pdf",
        ),
        (["aar", "export", "EVT-2025-HG", "-o", str(tmp_path / "no" / "a.docx")], "does not exist"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr, result.stderr


def test_aar_import_reads_a_word_file_as_the_named_user(aar, tmp_path):
    legacy = tmp_path / "hg25.docx"
    legacy.write_bytes(legacy_docx())
    not_word = tmp_path / "hg25.pdf"
    not_word.write_bytes(b"%PDF-1.7")
    for args, message in (
        (["aar", "import", "EVT-2025-HG", str(legacy), "--user", "nobody"], "error: no active user 'nobody'"),
        (["aar", "import", "EVT-2025-HG", str(tmp_path / "missing.docx"), "--user", "writer"], "error: no file"),
        (["aar", "import", "EVT-2025-HG", str(not_word), "--user", "writer"], "hg25.pdf: The file is not a Word"),
        (["aar", "import", "EVT-2025-HG", str(legacy), "--user", "reader"], "do not have permission"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr, result.stderr
    assert runner.invoke(app, ["aar", "import", "EVT-2025-HG", str(legacy)]).exit_code == 2  # --user is required
    result = runner.invoke(app, ["aar", "import", "EVT-2025-HG", str(legacy), "--user", "writer"])
    assert result.exit_code == 0, result.output
    assert "4 observations" in result.stdout and UNRECOGNISED in result.stdout
    report = Report.objects.get(event=aar.event)
    assert AuditEntry.objects.get(action="aar.started").actor == aar.writer
    assert AuditEntry.objects.get(action="aar.imported").changes["file"] == "hg25.docx"
    assert report.observations.count() == 4


def test_aar_overdue_and_remind(aar):
    assert runner.invoke(app, ["aar", "overdue", "--on", "2025-08-01"]).stdout.startswith("No AAR is overdue")
    result = runner.invoke(app, ["aar", "overdue", "--on", "2025-08-14"])
    assert result.exit_code == 0, result.output
    header, line = result.stdout.strip().splitlines()
    assert header.split() == ["Event", "Unit", "Due", "Days", "late", "AAR"]
    assert "EVT-2025-HG" in line and "2-2 SBCT" in line and "04 Aug 2025" in line and " 10 " in line
    assert "Not started" in line
    bad = runner.invoke(app, ["aar", "overdue", "--on", "14/08/2025"])
    assert bad.exit_code == 2 and "not a date" in bad.stderr
    result = runner.invoke(app, ["aar", "remind"])
    assert result.exit_code == 0 and "Reminded the units of 1 overdue AARs." in result.stdout
    assert Delivery.objects.filter(record_uid=aar.event.uid, recipient=aar.writer).exists()


def test_lessons_export_in_each_format_with_a_query_and_bad_input(aar, tmp_path):
    disseminated(aar)
    result = runner.invoke(app, ["lessons", "export"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert rows[0] == exchange.TABLE_COLUMNS and len(rows) == 3
    result = runner.invoke(app, ["lessons", "export", "--format", "json", "--q", "interpreter staff"])
    assert result.exit_code == 0, result.output
    assert [o["title"] for o in json.loads(result.stdout)["observations"]] == ["Interpreters short"]
    target = tmp_path / "lessons.xlsx"
    result = runner.invoke(app, ["lessons", "export", "--format", "xlsx", "-o", str(target)])
    assert result.exit_code == 0 and "Wrote 2 observations" in result.stdout
    assert openpyxl.load_workbook(target).active.max_row == 4
    entry = AuditEntry.objects.filter(action="lessons.exported").order_by("-id").first()
    assert entry.changes == {"format": "xlsx", "count": 2, "q": ""}
    for args, message in (
        (["lessons", "export", "--format", "xlsx"], "give --output FILE"),
        (["lessons", "export", "--format", "pdf"], "use one of: csv, xlsx, json"),
        (["lessons", "export", "-o", str(tmp_path / "no" / "x.csv")], "does not exist"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr, result.stderr


# The executor packet ----------------------------------------------------------------------------------------------


def test_the_executor_packet_of_the_next_iteration_carries_a_verified_lesson(aar, client):
    report = disseminated(aar)
    lesson = report.observations.get(title="Interpreters short")
    steps = [
        ("VALIDATED", {}),
        (
            "LESSON",
            {
                "corrective_action": "Budget six interpreters",
                "action_owner": aar.usarpac,
                "action_due": date(2026, 3, 1),
            },
        ),
        ("RESOLVED", {"resolution": "Budgeted in FY26"}),
        ("VERIFIED", {"verification": "HG26 planning had six interpreters"}),
    ]
    for stage, fields in steps:
        lesson = services.advance(
            actor=aar.desk, observation=lesson, stage=stage, version=lesson.version, fields=fields
        )

    packet = executor_packet(aar.next_event)
    assert [entry.title for entry in packet.lessons] == ["Interpreters short"]
    content = FORMATS["docx"].render(packet_document.document(packet))
    word = docx.Document(io.BytesIO(content))
    paragraphs = [p.text for p in word.paragraphs]
    start = paragraphs.index("7. Lessons from earlier events")
    section = "\n".join(paragraphs[start : paragraphs.index("8. What to observe and report")])
    for expected in (
        "Interpreters short",
        "From EVT-2025-HG Hanuman Guardian 2025. Why it applies: Earlier iteration of Hanuman Guardian. "
        "Stage: Verified.",
        "Recommendation: Ask for one interpreter per staff section at the IPC.",
        "Corrective action: Budget six interpreters",
    ):
        assert expected in section, expected
    assert "No validated lesson" not in section

    client.force_login(aar.next_unit)
    page = client.get(f"/events/{aar.next_event.uid}/packet/").content.decode()
    assert "Interpreters short" in page and f"/observations/{lesson.uid}/" in page
    # The event it came from has no earlier iteration: its packet says so.
    assert not executor_packet(aar.event).lessons


def test_a_pdf_table_cell_that_fits_its_column_is_drawn_as_it_is_and_a_longer_one_wraps():
    from goldthread.reports import pdf
    from goldthread.reports.document import Document, Table

    long = " ".join(f"word{n}" for n in range(60))
    table = Table(["Code", "Detail"], [["EV-1", long], ["EV-2", "a <b>tag</b> & more"]])
    document = Document("Cells", "cells", [table])
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.render(document))).pages)
    assert "a <b>tag</b> & more" in text  # text, never markup
    tabbed = pdf.render(Document("Cells", "cells", [Table(["Code"], [["EV\t3"]])]))
    assert "EV 3" in pypdf.PdfReader(io.BytesIO(tabbed)).pages[0].extract_text()  # a space, as in a paragraph
    assert long not in text and long in " ".join(text.split())  # every word, over several lines of its column


def test_a_workbook_sheet_may_not_name_a_column_twice():
    from goldthread.reports import spreadsheet

    with pytest.raises(ValueError, match="names a column twice"):
        spreadsheet.build([spreadsheet.Sheet("Twice", ["Code", "Code"], [["a", "b"]])])


def test_a_workbook_cell_holds_at_most_what_excel_does():
    from goldthread.reports import spreadsheet

    long = "x" * 40_000  # an AAR imported from Word may say that much in one field
    book = openpyxl.load_workbook(io.BytesIO(spreadsheet.build([spreadsheet.Sheet("Long", ["Text"], [[long]])])))
    kept = book["Long"]["A2"].value
    assert len(kept) == spreadsheet.CELL_MAX and kept.endswith("…") and kept.startswith("x" * 1000)
