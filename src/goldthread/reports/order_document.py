"""An order as a Word document in the five-paragraph format, with its SC purpose annex and the banner on every page."""

import io

from django.conf import settings
from docx import Document

from goldthread.planning.models import Order
from goldthread.planning.purpose import purpose_block
from goldthread.reports.executor_packet import banner, bullets


def as_docx(order: Order) -> bytes:
    document = Document()
    section = document.sections[0]
    banner(section.header.paragraphs[0], settings.CLASSIFICATION)
    banner(section.footer.paragraphs[0], settings.CLASSIFICATION)
    document.add_heading(f"{order.get_kind_display().upper()} {order.number} ({order.issuer.short_name})", level=0)
    document.add_paragraph(f"{order.title}. Reference: {order.event.code} {order.event.name}.")
    if order.markings:
        document.add_paragraph(order.markings).runs[0].bold = True
    if order.status == Order.Status.DRAFT:
        document.add_paragraph("DRAFT — not issued; the purpose annex shows the event as it stands now.").runs[
            0
        ].bold = True
    elif order.issued_at:
        document.add_paragraph(f"Issued {order.issued_at:%d %b %Y %H:%M} UTC by {order.issued_by.username}.")
    if order.change_reason:
        document.add_paragraph(f"Changes: {order.change_reason}")
    for name, heading in Order.PARAGRAPHS:
        document.add_heading(heading, level=1)
        document.add_paragraph(getattr(order, name) or ("No change." if order.kind == Order.Kind.FRAGO else "—"))

    purpose = order.purpose if order.status == Order.Status.ISSUED else purpose_block(order.event).as_dict()
    document.add_heading("Annex A: Security cooperation purpose", level=1)
    served = purpose.get("served", [])
    if not served:
        document.add_paragraph("The event claims no objective (ORD-1).")
    for s in served:
        document.add_paragraph(
            f"{s['role'].title()}: {s['code']} {s['statement']} ({s['objective_type']})", style="List Number"
        )
        if s["chain"]:
            document.add_paragraph("Contributes to: " + " > ".join(s["chain"]))
        document.add_paragraph(f"Expected outcome: {s['expected_change']}")
        if s["indicator"]:
            document.add_paragraph(f"Indicator: {s['indicator']} ({s['direction'].lower()})")
    if purpose.get("constraints"):
        document.add_heading("Constraints", level=2)
        bullets(document, purpose["constraints"], "")
    for theme in purpose.get("themes", []):
        document.add_heading(f"Theme: {theme['title']} ({theme['audience']})", level=2)
        bullets(document, theme["talking_points"], "")
        if theme["sensitivities"]:
            document.add_paragraph("Do not discuss: " + "; ".join(theme["sensitivities"]) + ".").runs[0].bold = True
    if purpose.get("observe"):
        document.add_heading("Observe and report", level=2)
        bullets(document, purpose["observe"], "")
    if purpose.get("aar_due"):
        document.add_paragraph(f"AAR due {purpose['aar_due']}.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
