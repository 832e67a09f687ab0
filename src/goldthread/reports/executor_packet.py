"""The executor packet as a document: what the executing unit needs for one event, in Word or PDF (INFO-1, CONF-2)."""

from goldthread.events import selectors as event_selectors
from goldthread.folders.markdown import to_lines
from goldthread.planning.packet import NO_LESSONS, Packet
from goldthread.reports import thread_diagram
from goldthread.reports.document import Bullets, Document, Figure, Heading, Paragraph, Table


def add_served(document: Document, served: list[dict]) -> None:
    """The objectives an event serves, each with its chain up to the national goal and what should change."""
    if not served:
        document.add(Paragraph("The event claims no objective yet (ORD-1).", strong=True))
    for n, s in enumerate(served, 1):
        document.add(Paragraph(f"{n}. {s['role'].title()}: {s['code']} {s['statement']} ({s['objective_type']})"))
        lines = []
        if s["chain"]:
            lines.append("Contributes to: " + " > ".join(s["chain"]))
        lines.append(f"Expected outcome: {s['expected_change']}")
        if s["indicator"]:
            lines.append(f"Indicator: {s['indicator']} ({s['direction'].lower()})")
        document.add(Bullets(lines))


def add_markdown(document: Document, text: str) -> None:
    """Markdown as document blocks: headings, runs of bullets, paragraphs."""
    bullets: list[str] = []
    for kind, line in [*to_lines(text), ("end", "")]:
        if kind == "bullet":
            bullets.append(line)
            continue
        if bullets:
            document.add(Bullets(bullets))
            bullets = []
        if kind == "heading":
            document.add(Heading(line, level=2))
        elif kind == "paragraph":
            document.add(Paragraph(line))


def add_themes(document: Document, themes: list[dict], prefix: str = "") -> None:
    for theme in themes:
        document.add(Heading(f"{prefix}{theme['title']} ({theme['audience']})", level=2))
        document.bullets(theme["talking_points"], "No talking points.")
        if theme["sensitivities"]:
            document.add(Paragraph("Do not discuss: " + "; ".join(theme["sensitivities"]) + ".", strong=True))


def document(packet: Packet) -> Document:
    event, purpose = packet.event, packet.purpose.as_dict()
    result = Document(title=packet.title, filename=f"{event.code}-executor-packet")
    if event.markings:
        result.add(Paragraph(event.markings, strong=True))
    countries = ", ".join(c.name for c in event.countries.all())
    result.add(
        Paragraph(
            f"{event.get_event_type_display()} in {countries}, {event.start_date:%d %b %Y} to "
            f"{event.end_date:%d %b %Y} (FY{event.fiscal_year}). Executing unit: "
            f"{event.executing_unit or 'not named yet'}. Status: {event.get_status_display()}."
        ),
        Heading("Information requirements"),
        Table(
            ["Topic", "Question", "Answered in / ask"],
            [[r.topic, r.question, r.status] for r in packet.requirements],
        ),
        Heading("1. Why this event happens"),
    )
    add_served(result, purpose["served"])
    thread = event_selectors.event_thread(event)
    if thread.objectives:
        claimed = {c.objective_id for c in event.claims.all()}
        nodes = thread_diagram.thread_nodes(thread, emphasis=claimed, events=[(event, claimed)], links=False)
        result.add(Figure(thread_diagram.png(nodes), f"The thread from {event.code} up to the national goals."))

    result.add(Heading("2. What was decided and agreed"))
    if not packet.conferences:
        result.add(Paragraph("No approved conference record yet."))
    for conference in packet.conferences:
        result.add(Heading(conference.title, level=2))
        if conference.executing_unit_represented is False:
            result.add(Paragraph("The executing unit was not represented at this conference.", strong=True))
        for kind, texts in conference.items.items():
            result.add(Paragraph(kind, strong=True), Bullets(texts))
    result.add(Heading("Open action items", level=2))
    result.bullets(packet.open_actions, "None.")

    result.add(Heading("3. Constraints"))
    result.bullets(purpose["constraints"], "No country constraint in force at the event's dates.")
    result.add(Heading("4. Country essentials"))
    if not packet.essentials:
        result.add(Paragraph("The country folder has no entry, logistics or culture section written yet."))
    for essential in packet.essentials:
        stale = " (stale: not verified within the set period)" if essential.stale else ""
        result.add(Heading(f"{essential.country}: {essential.title}{stale}", level=2))
        add_markdown(result, essential.text)
    result.add(Heading("5. Readiness deadlines"))
    result.bullets(packet.deadlines, "No deadlines: the event's countries have no entry rules.")
    counts = ", ".join(f"{n} {status}" for status, n in packet.readiness.items())
    result.add(Paragraph(f"Travelers' items: {counts}." if counts else "No travelers recorded yet."))
    result.add(Heading("6. Themes and talking points"))
    if not purpose["themes"]:
        result.add(Paragraph("No approved theme applies to this event."))
    add_themes(result, purpose["themes"])
    if packet.products:
        result.add(Heading("Public-affairs products", level=2), Bullets(packet.products))
    result.add(Heading("7. Lessons from earlier events"))
    if not packet.lessons:
        result.add(Paragraph(NO_LESSONS))
    for lesson in packet.lessons:
        result.add(Heading(lesson.title, level=2), Bullets(lesson.lines))
    result.add(Heading("8. What to observe and report"))
    result.bullets(purpose["observe"], "No indicator named in the claims, and no collection task.")
    if packet.purpose.aar_due:
        result.add(Paragraph(f"AAR due {packet.purpose.aar_due:%d %b %Y}."))
    result.add(Heading("9. Contacts"))
    result.bullets(packet.contacts, "No contact recorded.")
    return result
