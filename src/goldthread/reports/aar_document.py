"""An after-action report as a document, in Word or PDF (AAR-1, AAR-3).

The layout is fixed — numbered section headings, labelled paragraphs ("What happened: …", "Observation: …") and
"Label: value" tag lines — so that `aars.importing` can read a generated file back into a draft. The names of the
headings, labels and placeholders are therefore defined here once and used by both.
"""

from goldthread.aars import score, selectors
from goldthread.aars.models import ObjectiveReview, Observation, Report
from goldthread.reports.document import Bullets, Document, Heading, Paragraph, Table

TITLE_PREFIX = "After-action report: "
# Section key -> numbered heading, in document order.
SECTIONS: dict[str, str] = {
    "summary": "1. Summary",
    "objectives": "2. Objectives: planned, actual, why",
    **{name: f"{n}. {heading}" for n, (name, _, heading, _) in enumerate(Report.TYPE_SECTIONS, 3)},
    "administration": "7. Administrative friction",
    "costs": "8. Costs",
    "sustain": "9. Sustain",
    "improve": "10. Improve",
    "actions": "11. Follow-up actions",
    "score": "12. Critical-content score",
}
# The labelled paragraphs of one objective review, and of one observation.
REVIEW_LABELS = {
    "planned": "What was planned",
    "happened": "What happened",
    "why": "Why",
    "indicator_evidence": "Evidence on the indicator",
}
OBSERVATION_LABELS = {"observation": "Observation", "discussion": "Discussion", "recommendation": "Recommendation"}
# Lines taken from the claim, not written by the author: the importer recognises and skips them.
CLAIM_LABEL = "Claim"
INDICATOR_LABEL = "Indicator to report on"
# The tag lines of an observation.
TAG_LABELS = {
    "claim": "Objective",
    "objective_type": "Objective type",
    "indicator": "Indicator",
    "partner_unit": "Partner unit",
    "dotmlpfp": "DOTMLPF-P",
    "criticality": "Criticality",
    "channel": "Channel",
    "stage": "Lessons stage",
}
WHYS_LABEL = "Five whys"
ROOT_CAUSE_LABEL = "Root cause"
ASSUMPTIONS_LABEL = "Key assumptions"
HELD, NOT_HELD, EVIDENCE = "held", "did not hold", "Evidence"
HEADER_FIRST = "Event"
HEADER_MARKINGS = "Markings"
HEADER_HOTWASH_HELD = "Hot-wash held"
ACTION_HEADER = ["Action", "Owner", "Due", "Done"]
DATE = "%d %b %Y"
NOT_WRITTEN = "Not written."
NOT_APPROVED = "not approved yet."
# Sentences that stand for an empty part: read back, they mean "nothing here".
PLACEHOLDERS = {
    NOT_WRITTEN,
    "No objective is claimed for the event.",
    "No sustain item.",
    "No improve item.",
    "No follow-up action.",
    "None",
}


def claim_line(review: ObjectiveReview) -> str:
    claim = review.claim
    return f"{claim.get_role_display()} objective, serving {claim.get_objective_type_display().lower()}."


def assumption_line(entry: dict) -> str:
    line = f"{entry['assumption']} — {HELD if entry['held'] else NOT_HELD}"
    return line + (f". {EVIDENCE}: {entry['evidence']}" if entry.get("evidence") else "")


def _text(value: str) -> str:
    return value.strip() or NOT_WRITTEN


def _header(report: Report) -> Table:
    event = report.event
    unit = event.executing_unit
    countries = ", ".join(c.name for c in event.countries.all())
    approved = (
        f"{report.approved_at:{DATE} %H:%M} UTC by {report.approved_by.get_full_name() or report.approved_by.username}"
        if report.approved_at and report.approved_by
        else "Not approved yet"
    )
    rows = [
        ["Type and countries", f"{event.get_event_type_display()} in {countries or 'no country named'}"],
        ["Dates", f"{event.start_date:{DATE}} to {event.end_date:{DATE}} (FY{event.fiscal_year})"],
        ["Executing unit", f"{unit.name} ({unit.short_name})" if unit else "Not named"],
        ["Status", report.get_status_display()],
        ["Hot-wash due", f"{report.hotwash_due:{DATE}}"],
        [HEADER_HOTWASH_HELD, f"{report.hotwash_held:{DATE}}" if report.hotwash_held else "Not held yet"],
        ["Final AAR due", f"{report.due:{DATE}}"],
        ["Submitted", f"{report.submitted_at:{DATE} %H:%M} UTC" if report.submitted_at else "Not submitted yet"],
        ["Approved", approved],
        [HEADER_MARKINGS, report.markings or "None"],
    ]
    return Table([HEADER_FIRST, f"{event.code} {event.name}"], rows)


def _add_review(result: Document, review: ObjectiveReview) -> None:
    objective = review.claim.objective
    result.add(Heading(f"{objective.code} {objective.statement}", level=2))
    result.add(Paragraph(f"{CLAIM_LABEL}: {claim_line(review)}"))
    for name, label in REVIEW_LABELS.items():
        if name == "indicator_evidence":
            if not review.claim.indicator:
                continue  # no data-collection task was set
            result.add(Paragraph(f"{INDICATOR_LABEL}: {review.claim.indicator}"))
        result.add(Paragraph(f"{label}: {_text(getattr(review, name))}"))


def _tags(observation: Observation) -> list[str]:
    values = {
        "claim": observation.claim.objective.code if observation.claim else "",
        "objective_type": observation.get_objective_type_display() if observation.objective_type else "",
        "indicator": observation.indicator,
        "partner_unit": observation.partner_unit.short_name if observation.partner_unit else "",
        "dotmlpfp": observation.get_dotmlpfp_display() if observation.dotmlpfp else "",
        "criticality": observation.get_criticality_display(),
        "channel": observation.get_channel_display() if observation.channel != Observation.Channel.NONE else "",
        "stage": observation.get_stage_display(),
    }
    return [f"{TAG_LABELS[name]}: {value}" for name, value in values.items() if value]


def _add_observation(result: Document, observation: Observation) -> None:
    result.add(Heading(observation.title, level=2))
    for name, label in OBSERVATION_LABELS.items():
        result.add(Paragraph(f"{label}: {_text(getattr(observation, name))}"))
    result.add(Bullets(_tags(observation)))
    analysis = observation.analysis or {}
    if analysis.get("five_whys"):
        result.add(Paragraph(f"{WHYS_LABEL}:", strong=True), Bullets(analysis["five_whys"], numbered=True))
    if analysis.get("root_cause"):
        result.add(Paragraph(f"{ROOT_CAUSE_LABEL}: {analysis['root_cause']}"))
    if analysis.get("assumptions"):
        result.add(
            Paragraph(f"{ASSUMPTIONS_LABEL}:", strong=True),
            Bullets([assumption_line(a) for a in analysis["assumptions"]]),
        )


def document(report: Report) -> Document:
    event = report.event
    result = Document(title=f"{TITLE_PREFIX}{event.code} {event.name}", filename=f"AAR-{event.code}")
    for marking in dict.fromkeys(m for m in (report.markings, event.markings) if m):
        result.add(Paragraph(marking, strong=True))
    if report.status not in (Report.Status.APPROVED, Report.Status.DISSEMINATED):
        result.add(Paragraph(f"{report.get_status_display()} — {NOT_APPROVED}", strong=True))
    result.add(_header(report))

    result.add(Heading(SECTIONS["summary"]), Paragraph(_text(report.summary)))
    result.add(Heading(SECTIONS["objectives"]))
    reviews = list(report.reviews.select_related("claim__objective"))
    if not reviews:
        result.add(Paragraph("No objective is claimed for the event."))
    for review in reviews:
        _add_review(result, review)
    for name in ("relationships", "capability", "interoperability", "access", "administration", "costs"):
        result.add(Heading(SECTIONS[name]), Paragraph(_text(getattr(report, name))))

    observations = list(report.observations.select_related("claim__objective", "partner_unit"))
    for finding, key in ((Observation.Finding.SUSTAIN, "sustain"), (Observation.Finding.IMPROVE, "improve")):
        result.add(Heading(SECTIONS[key]))
        found = [o for o in observations if o.finding == finding]
        if not found:
            result.add(Paragraph(f"No {key} item."))
        for observation in found:
            _add_observation(result, observation)

    result.add(Heading(SECTIONS["actions"]))
    actions = list(report.actions.select_related("owner"))
    result.add(
        Table(
            ACTION_HEADER,
            [[a.text, a.owner.short_name, f"{a.due:{DATE}}", "Yes" if a.done else "No"] for a in actions],
        )
        if actions
        else Paragraph("No follow-up action.")
    )

    computed = score.compute(selectors.content(report))
    result.add(Heading(SECTIONS["score"]), Paragraph(f"{computed.total} of 100 points."))
    result.bullets(computed.missing, "Nothing critical is missing.")
    return result
