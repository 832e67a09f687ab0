"""An order as a document in the five-paragraph format, with its security cooperation purpose as Annex A."""

from goldthread.planning.models import Order
from goldthread.planning.purpose import purpose_block
from goldthread.reports.document import Document, Heading, Paragraph
from goldthread.reports.executor_packet import add_served, add_themes


def document(order: Order) -> Document:
    result = Document(
        title=f"{order.get_kind_display().upper()} {order.number} ({order.issuer.short_name})",
        filename=f"{order.event.code}-{order.kind}-{order.number}",
    )
    result.add(Paragraph(f"{order.title}. Reference: {order.event.code} {order.event.name}."))
    if order.markings:
        result.add(Paragraph(order.markings, strong=True))
    if order.status == Order.Status.DRAFT:
        result.add(Paragraph("DRAFT — not issued; the purpose annex shows the event as it stands now.", strong=True))
    elif order.issued_at:
        result.add(Paragraph(f"Issued {order.issued_at:%d %b %Y %H:%M} UTC by {order.issued_by.username}."))
    if order.change_reason:
        result.add(Paragraph(f"Changes: {order.change_reason}"))
    for name, heading in Order.PARAGRAPHS:
        text = getattr(order, name) or ("No change." if order.kind == Order.Kind.FRAGO else "—")
        result.add(Heading(heading), Paragraph(text))

    # An issued order carries the purpose as it was when issued; a draft shows the event as it stands.
    purpose = order.purpose if order.status == Order.Status.ISSUED else purpose_block(order.event).as_dict()
    result.add(Heading("Annex A: Security cooperation purpose"))
    add_served(result, purpose.get("served", []))
    if purpose.get("constraints"):
        result.add(Heading("Constraints", level=2))
        result.bullets(purpose["constraints"], "")
    add_themes(result, purpose.get("themes", []), prefix="Theme: ")
    if purpose.get("observe"):
        result.add(Heading("Observe and report", level=2))
        result.bullets(purpose["observe"], "")
    if purpose.get("aar_due"):
        result.add(Paragraph(f"AAR due {purpose['aar_due']}."))
    return result
