"""The executor packet as a Word document, with the classification banner in every page's header and footer."""

import io

from django.conf import settings
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from goldthread.planning.packet import Packet


def banner(paragraph, text: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(10)
    run.font.color.rgb = RGBColor(0x00, 0x7A, 0x33)


def bullets(document, lines: list[str], empty: str) -> None:
    if not lines:
        document.add_paragraph(empty)
    for line in lines:
        document.add_paragraph(line, style="List Bullet")


def as_docx(packet: Packet) -> bytes:
    document = Document()
    section = document.sections[0]
    banner(section.header.paragraphs[0], settings.CLASSIFICATION)
    banner(section.footer.paragraphs[0], settings.CLASSIFICATION)
    event, purpose = packet.event, packet.purpose
    document.add_heading(packet.title, level=0)
    if event.markings:
        document.add_paragraph(event.markings).runs[0].bold = True
    countries = ", ".join(c.name for c in event.countries.all())
    document.add_paragraph(
        f"{event.get_event_type_display()} in {countries}, {event.start_date:%d %b %Y} to {event.end_date:%d %b %Y} "
        f"(FY{event.fiscal_year}). Executing unit: {event.executing_unit or 'not named yet'}. "
        f"Status: {event.get_status_display()}."
    )

    document.add_heading("Information requirements", level=1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Topic", "Question", "Answered in / ask"), strict=True):
        cell.text = text
    for item in packet.requirements:
        row = table.add_row().cells
        row[0].text, row[1].text = item.topic, item.question
        row[2].text = item.answered_in or f"Open: ask {item.ask}"

    document.add_heading("1. Why this event happens", level=1)
    if not purpose.served:
        document.add_paragraph("The event claims no objective yet (ORD-1).")
    for served in purpose.served:
        document.add_paragraph(
            f"{served.role.title()}: {served.code} {served.statement} ({served.objective_type})", style="List Number"
        )
        if served.chain:
            document.add_paragraph("Contributes to: " + " > ".join(served.chain))
        document.add_paragraph(f"Expected outcome: {served.expected_change}")
        if served.indicator:
            document.add_paragraph(f"Indicator: {served.indicator} ({served.direction.lower()})")

    document.add_heading("2. What was decided and agreed", level=1)
    if not packet.conferences:
        document.add_paragraph("No approved conference record yet.")
    for conference in packet.conferences:
        document.add_heading(conference.title, level=2)
        if conference.executing_unit_represented is False:
            document.add_paragraph("The executing unit was not represented at this conference.").runs[0].bold = True
        for kind, texts in conference.items.items():
            document.add_paragraph(kind).runs[0].bold = True
            bullets(document, texts, "")
    document.add_heading("Open action items", level=2)
    bullets(document, packet.open_actions, "None.")

    document.add_heading("3. Constraints", level=1)
    bullets(document, purpose.constraints, "No country constraint in force at the event's dates.")
    document.add_heading("4. Country essentials", level=1)
    document.add_paragraph(packet.not_built["country"])
    document.add_heading("5. Readiness deadlines", level=1)
    document.add_paragraph(packet.not_built["readiness"])
    document.add_heading("6. Themes and talking points", level=1)
    if not purpose.themes:
        document.add_paragraph("No approved theme applies to this event.")
    for theme in purpose.themes:
        document.add_heading(f"{theme['title']} ({theme['audience']})", level=2)
        bullets(document, theme["talking_points"], "")
        if theme["sensitivities"]:
            document.add_paragraph("Do not discuss: " + "; ".join(theme["sensitivities"]) + ".").runs[0].bold = True
    document.add_heading("7. Lessons from earlier events", level=1)
    document.add_paragraph(packet.not_built["lessons"])
    document.add_heading("8. What to observe and report", level=1)
    bullets(document, purpose.observe, "No indicator named in the claims.")
    if purpose.aar_due:
        document.add_paragraph(f"AAR due {purpose.aar_due:%d %b %Y}.")
    document.add_heading("9. Contacts", level=1)
    bullets(document, packet.contacts, "No contact recorded.")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
