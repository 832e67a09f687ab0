"""The critical-content score of an AAR: does it tell strategic planners what they need (AAR-1)?

The rubric is the list `RUBRIC`; each rule earns its points in proportion to how much of it is met, and says what is
missing when it is not. docs/user-guide/aar-authors.md prints the same list (a test compares them). The score is
computed from plain content, so the editor can score what is typed before it is saved.
"""

from dataclasses import dataclass, field


@dataclass
class Review:
    objective: str  # e.g. "OBJ-THA-3 Thai Army …"
    objective_type: str
    planned: str = ""
    happened: str = ""
    why: str = ""
    indicator: str = ""  # the claim's indicator: set, it is a data-collection task
    indicator_evidence: str = ""


@dataclass
class Task:
    """A collection task of the event (an indicator it collects): answered once a value is recorded for the event."""

    indicator: str  # e.g. "MOP-HG-1 RTA staff officers completing the CPX"
    answered: bool = False


@dataclass
class Item:
    title: str
    finding: str  # SUSTAIN or IMPROVE
    discussion: str = ""
    recommendation: str = ""
    root_cause: str = ""
    partner_unit: bool = False


@dataclass
class Content:
    reviews: list[Review] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)  # objective type -> its section's text
    items: list[Item] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Rule:
    key: str
    points: int
    text: str


RUBRIC = [
    Rule("objectives", 25, "Every claimed objective is addressed: what was planned, what happened, and why."),
    Rule(
        "sections",
        15,
        "The section of each claimed objective type (relationships, capability, interoperability, access) is written.",
    ),
    Rule("improve", 15, "At least one improve item gives its cause (a discussion or a root cause)."),
    Rule("recommendations", 15, "Every improve item carries a recommendation."),
    Rule(
        "data",
        15,
        "Every data-collection task is answered: a value recorded for each indicator the event collects, and "
        "evidence on each claim's indicator.",
    ),
    Rule("partner", 15, "Partner-related content: at least one observation names the partner unit it concerns."),
]
assert sum(rule.points for rule in RUBRIC) == 100


@dataclass
class Score:
    total: int
    missing: list[str]


def _filled(text: str) -> bool:
    return bool(text and text.strip())


def _fraction(content: Content, key: str) -> tuple[float, list[str]]:
    """How much of one rule is met (0–1), and what is missing."""
    if key == "objectives":
        if not content.reviews:
            return 0.0, ["No objective is claimed for the event, so none can be addressed."]
        open_ = [r for r in content.reviews if not all(_filled(t) for t in (r.planned, r.happened, r.why))]
        done = 1 - len(open_) / len(content.reviews)
        return done, [f"Say what was planned, what happened and why for {r.objective}." for r in open_]
    if key == "sections":
        types = sorted({r.objective_type for r in content.reviews if r.objective_type})
        if not types:
            return 0.0, ["No objective type is claimed, so no section is due."]
        empty = [t for t in types if not _filled(content.sections.get(t, ""))]
        return 1 - len(empty) / len(types), [f"Write the {SECTION_NAMES.get(t, t)} section." for t in empty]
    improve = [i for i in content.items if i.finding == "IMPROVE"]
    if key == "improve":
        if any(_filled(i.discussion) or _filled(i.root_cause) for i in improve):
            return 1.0, []
        return 0.0, ["Add an improve item with its cause in the discussion (or a root cause)."]
    if key == "recommendations":
        if not improve:
            return 0.0, ["Add an improve item with a recommendation."]
        bare = [i for i in improve if not _filled(i.recommendation)]
        return 1 - len(bare) / len(improve), [f"Give a recommendation for “{i.title}”." for i in bare]
    if key == "data":
        claimed = [r for r in content.reviews if _filled(r.indicator)]
        if not claimed and not content.tasks:
            return 1.0, []  # nothing was asked for
        open_ = [f"Report on the indicator “{r.indicator}”." for r in claimed if not _filled(r.indicator_evidence)]
        open_ += [f"Record a value for {t.indicator} (a collection task)." for t in content.tasks if not t.answered]
        return 1 - len(open_) / (len(claimed) + len(content.tasks)), open_
    if key == "partner":
        if any(i.partner_unit for i in content.items):
            return 1.0, []
        return 0.0, ["Name the partner unit concerned in at least one observation."]
    raise KeyError(key)


SECTION_NAMES = {"REL": "relationships", "CAP": "partner capability", "INT": "interoperability", "ACC": "access"}


def compute(content: Content) -> Score:
    total, missing = 0.0, []
    for rule in RUBRIC:
        done, lacking = _fraction(content, rule.key)
        total += rule.points * done
        missing += lacking
    return Score(total=round(total), missing=missing)
