"""An objective's measures as a document, in Word or PDF: each indicator's trend chart (the same figure the page
shows) and its series, then the assessments with the evidence they cite — what an independent evaluator reads
(EVAL-3)."""

from goldthread.measures import chart, rollup, selectors
from goldthread.measures.models import Assessment
from goldthread.reports.document import Bullets, Document, Figure, Heading, Paragraph, Table
from goldthread.strategy.models import Objective


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def document(objective: Objective, *, grain: str = "year") -> Document:
    result = Document(title=f"Measures of {objective.code}", filename=f"measures-{objective.code}")
    result.add(Paragraph(objective.statement), Heading("1. Indicators"))
    found = rollup.for_objective(objective.pk, grain=grain)
    if not found:
        result.add(Paragraph("No indicator measures this objective or any objective below it."))
    for n, series in enumerate(found, 1):
        i = series.indicator
        result.add(
            Heading(f"1.{n} {i.code} ({i.kind}) {i.statement}", level=2),
            Paragraph(
                f"Bound to {i.objective.code}. Unit: {i.unit}; {i.get_good_display().lower()}; "
                f"{i.get_aggregation_display().lower()}, {i.get_accumulation_display().lower()}. "
                f"Source: {i.data_source}. Baseline: {_number(i.baseline_value)}"
                + (f" ({i.baseline_date:%d %b %Y}, {i.baseline_source})" if i.baseline_date else "")
                + "."
            ),
        )
        if not series.points:
            result.add(Paragraph("No approved value and no target yet."))
            continue
        result.add(
            Figure(chart.png(series), chart.describe(series)),
            Table(
                ["Period", "Value", "Target", "Values counted"],
                [[p.period, _number(p.value), _number(p.target), str(p.count)] for p in series.points],
            ),
        )
    result.add(Heading("2. Assessments"))
    assessments = [a for a in selectors.history(objective) if a.status == Assessment.Status.SUBMITTED]
    if not assessments:
        result.add(Paragraph("No submitted assessment yet."))
    for a in assessments:
        result.add(
            Heading(f"{a.period}: {Assessment.SCALE[a.rating]}", level=2),
            Paragraph(
                f"{a.get_independence_display()} by {a.assessor.get_full_name() or a.assessor.username}, "
                f"confidence {a.get_confidence_display().lower()}, submitted {a.submitted_at:%d %b %Y}."
            ),
            Paragraph(a.rationale),
            Bullets(
                [f"{e.get_kind_display()}: {e.cited}" + (f" — {e.note}" if e.note else "") for e in a.evidence.all()]
            ),
        )
    return result
