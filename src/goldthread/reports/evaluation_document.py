"""An evaluation report as a document (Word or PDF) and its underlying data as a workbook (XLSX).

The document is for reading: findings with the records to fix, the contribution of events to the objectives with
the evidence, data discipline, the portfolio, then gaps and recommendations. The workbook holds the same tables in
full, one sheet each, for whoever wants to sort, filter or chart them."""

from goldthread.evaluation import contribution, discipline
from goldthread.evaluation.findings import Filters
from goldthread.evaluation.portfolio import TYPES
from goldthread.evaluation.report import ROWS_IN_WORKBOOK, Evaluation, gather
from goldthread.reports import spreadsheet
from goldthread.reports.document import Bullets, Document, Figure, Heading, Paragraph, Table
from goldthread.reports.formats import FORMATS

# A reader wants the pattern, not every claim: the document shows the newest of each objective, the workbook the rest.
CLAIMS_IN_DOCUMENT = 20
# The MOEs named for each objective analysed; below a theater objective there are hundreds.
MOES_NAMED = 20


def _number(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def _tally(t: discipline.Tally) -> str:
    return f"{t.done}/{t.due}" if t.due else "—"


def _discipline_table(ev: Evaluation) -> Table:
    return Table(
        ["Unit", *(label for _, label in discipline.MEASURES), "AAR content", "Score"],
        [
            [
                line.unit.short_name,
                *(_tally(line.tallies[key]) for key, _ in discipline.MEASURES),
                _number(line.content, 0),
                _number(line.score, 0),
            ]
            for line in ev.discipline
        ],
    )


def _portfolio_table(ev: Evaluation) -> Table:
    rows = []
    for row in ev.portfolio:
        s = row.standing
        rows.append(
            [
                row.country.name,
                str(row.events),
                ", ".join(f"{t} {share}%" for t, n, share in row.mix if n) or "—",
                s.get_priority_display() if s else "—",
                f"{s.relationship}/5" if s else "—",
                f"{s.capability}/5" if s else "—",
                str(s.absorptive_capacity) if s and s.absorptive_capacity else "—",
                ", ".join(f"{q} ({n})" for q, n in row.saturated) or "—",
            ]
        )
    header = ["Country", "Events", "Objective types", "Priority", "Relationship", "Capability", "Capacity", "Saturated"]
    return Table(header, rows)


def _contribution(doc: Document, c: contribution.Contribution, number: str) -> None:
    doc.add(Heading(f"{number} {c.objective.code} {c.objective.statement}", level=2))
    moes = ", ".join(s.indicator.code for s in c.moes[:MOES_NAMED]) or "none: no claim on it can be tested"
    if len(c.moes) > MOES_NAMED:
        moes += f" and {len(c.moes) - MOES_NAMED} more"
    verdicts = "; ".join(f"{contribution.VERDICTS[k].lower()}: {n}" for k, n in c.verdicts.items()) or "no claims"
    doc.add(Paragraph(f"Measures of effectiveness: {moes}. {c.claims} claims; of those shown, {verdicts}."))
    rows = []
    for line in c.lines[:CLAIMS_IN_DOCUMENT]:
        claim = line.claim
        evidence = []
        if line.review and line.review.happened:
            evidence.append(f"AAR: {line.review.happened}")
        evidence += [f"Observation: {o.title}" for o in line.observations]
        claimed = f"{claim.get_direction_display()} ({claim.time_lag_months} mo)"
        for comparison in line.nearest or [None]:
            rows.append(
                [
                    claim.event.code,
                    claimed,
                    comparison.indicator.code if comparison else "—",
                    _number(comparison.before.value) if comparison and comparison.before else "—",
                    _number(comparison.after.value) if comparison and comparison.after else "—",
                    contribution.VERDICTS[comparison.verdict if comparison else "untestable"],
                    "; ".join(evidence) or "—",
                ]
            )
        if rest := line.rest:
            rows.append([claim.event.code, claimed, f"And {rest}", "", "", "", ""])
    if rows:
        doc.add(Table(["Event", "Claimed", "Indicator", "Before", "After", "Verdict", "Evidence"], rows))
    if len(c.lines) > CLAIMS_IN_DOCUMENT:
        doc.add(Paragraph(f"The newest {CLAIMS_IN_DOCUMENT} claims are shown; the workbook has {len(c.lines)}."))
    if c.assessments:
        doc.add(
            Bullets(
                [
                    f"{a.period} {a.objective.code}: rated {a.rating} of 5, {a.get_independence_display().lower()}, "
                    f"confidence {a.get_confidence_display().lower()}"
                    for a in c.assessments
                ]
            )
        )
    else:
        doc.add(Paragraph("Never assessed."))


def document(ev: Evaluation) -> Document:
    doc = Document(title=ev.title, filename=ev.filename)
    f = ev.filters
    doc.add(
        Paragraph(ev.scope),
        Paragraph(f"As of {f.as_of:%d %B %Y}. Discipline over FY{ev.years[0]}–FY{ev.years[-1]}."),
        Heading("1. Findings"),
        Table(["Finding", "Count", "To fix"], [[k.kind.title, str(k.count), k.kind.fix] for k in ev.findings]),
    )
    for n, k in enumerate((k for k in ev.findings if k.count), 1):
        doc.add(Heading(f"1.{n} {k.kind.title} ({k.count})", level=2), Paragraph(k.kind.why))
        doc.add(Table(["Record", "What it is", "Finding"], [[x.code, x.title[:120], x.detail] for x in k.shown]))
        if k.count > len(k.shown):
            doc.add(Paragraph(f"And {k.count - len(k.shown)} more: the workbook lists them all."))
    doc.add(Heading("2. The thread in pictures"))
    for png, description in ev.figures:
        doc.add(Figure(png, description))
    doc.add(Heading("3. Contribution of the events to the objectives"))
    doc.add(
        Paragraph(
            "Each claim is compared with each measure of effectiveness on its line of the graph, nearest first, "
            "over its own window: the value in the last quarter before the event, against the value from the "
            "quarter the change should show. The numbers say what moved, not that the event moved it. The "
            "workbook lists every comparison."
        )
    )
    if not ev.contributions:
        doc.add(Paragraph("No event in scope claims an objective."))
    for n, c in enumerate(ev.contributions, 1):
        _contribution(doc, c, f"3.{n}")
    doc.add(Heading("4. Data discipline"))
    if ev.discipline:
        doc.add(_discipline_table(ev))
    else:
        doc.add(Paragraph("No unit had anything due in scope."))
    doc.add(Heading("5. Portfolio"))
    if ev.portfolio:
        doc.add(_portfolio_table(ev))
    else:
        doc.add(Paragraph("No country in scope has events or a recorded standing."))
    doc.add(Heading("6. Gaps and recommendations"))
    doc.bullets(ev.recommendations, "No gaps found.")
    return doc


def _sheet(title: str, header: list[str], rows: list[list]) -> spreadsheet.Sheet:
    written = rows[:ROWS_IN_WORKBOOK]
    if len(rows) > ROWS_IN_WORKBOOK:
        written.append([f"{len(rows) - ROWS_IN_WORKBOOK} more rows not written"] + [None] * (len(header) - 1))
    return spreadsheet.Sheet(title, header, written)


def workbook(ev: Evaluation) -> bytes:
    """The report's data, one table a sheet; gathered with `findings_shown=ROWS_IN_WORKBOOK` it holds every
    finding of each kind."""
    return spreadsheet.build(_sheets(ev))


def _sheets(ev: Evaluation) -> list[spreadsheet.Sheet]:
    return [
        _sheet(
            "Findings",
            ["Kind", "Record", "What it is", "Finding", "Link"],
            [[k.kind.title, x.code, x.title, x.detail, x.url] for k in ev.findings for x in k.shown],
        ),
        _sheet(
            "Contribution",
            [
                "Objective",
                "Event",
                "Claimed objective",
                "Direction",
                "Lag (months)",
                "Indicator",
                "Before",
                "Before period",
                "After",
                "After period",
                "Shows from",
                "Verdict",
            ],
            [
                [
                    c.objective.code,
                    line.claim.event.code,
                    line.claim.objective.code,
                    line.claim.direction,
                    line.claim.time_lag_months,
                    comparison.indicator.code if comparison else None,
                    comparison.before.value if comparison and comparison.before else None,
                    comparison.before.period if comparison and comparison.before else None,
                    comparison.after.value if comparison and comparison.after else None,
                    comparison.after.period if comparison and comparison.after else None,
                    comparison.shows_in if comparison else None,
                    contribution.VERDICTS[comparison.verdict if comparison else "untestable"],
                ]
                for c in ev.contributions
                for line in c.lines
                for comparison in line.comparisons or [None]
            ],
        ),
        _sheet(
            "Discipline",
            ["Unit"]
            + [f"{label} ({part})" for _, label in discipline.MEASURES for part in ("due", "done")]
            + ["AAR content", "Score"]
            + [f"FY{y}" for y in ev.years],
            [
                [line.unit.short_name]
                + [n for key, _ in discipline.MEASURES for n in (line.tallies[key].due, line.tallies[key].done)]
                + [line.content, line.score]
                + [line.by_year.get(y) for y in ev.years]
                for line in ev.discipline
            ],
        ),
        _sheet(
            "Portfolio",
            ["Country", "ISO3", "Events"]
            + [f"{t} claims" for t in TYPES]
            + ["Priority", "Relationship", "Capability", "Capacity a quarter", "Saturated quarters"],
            [
                [row.country.name, row.country.iso3, row.events]
                + [n for _, n, _ in row.mix]
                + (
                    [
                        row.standing.get_priority_display(),
                        row.standing.relationship,
                        row.standing.capability,
                        row.standing.absorptive_capacity,
                    ]
                    if row.standing
                    else [None] * 4
                )
                + [", ".join(q for q, _ in row.saturated)]
                for row in ev.portfolio
            ],
        ),
        _sheet("Recommendations", ["Recommendation"], [[r] for r in ev.recommendations]),
    ]


FILE_FORMATS = [*FORMATS, "xlsx"]


def file(f: Filters, format: str) -> tuple[bytes, str, str]:  # noqa: A002
    """The report on `f` as (content, content type, file name) in one of FILE_FORMATS."""
    if format == "xlsx":
        ev = gather(f, findings_shown=ROWS_IN_WORKBOOK, drawn=False)
        return workbook(ev), spreadsheet.CONTENT_TYPE, f"{ev.filename}.xlsx"
    chosen = FORMATS[format]
    ev = gather(f)
    return chosen.render(document(ev)), chosen.content_type, f"{ev.filename}.{chosen.name}"
