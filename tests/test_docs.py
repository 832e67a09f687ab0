"""Documentation that cannot drift: every command, API route, setting and role is documented."""

import re
import subprocess
import sys
from pathlib import Path

from goldthread.core.roles import ROLES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_cli_reference_is_generated_from_the_code():
    generated = subprocess.run(
        [sys.executable, "-m", "typer", "goldthread.cli", "utils", "docs", "--name", "goldthread"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert (DOCS / "cli.md").read_text() == generated, "docs/cli.md is stale: run `make docs`"


def test_every_api_route_is_documented(client):
    documented = (DOCS / "api.md").read_text()
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    missing = [
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method in operations
        if f"`{method.upper()} {path}`" not in documented
    ]
    assert not missing, f"undocumented in docs/api.md: {missing}"


def test_every_setting_is_documented():
    names = set(re.findall(r"GOLDTHREAD_[A-Z_]+", (ROOT / "src/goldthread/settings.py").read_text()))
    documented = (DOCS / "configuration.md").read_text()
    assert names and not [n for n in sorted(names) if f"`{n}`" not in documented]


def test_every_role_is_in_the_permission_matrix():
    security = (DOCS / "security.md").read_text()
    assert not [name for name in ROLES if f"`{name}`" not in security]


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```")[1]
    assert [line.strip() for line in first_block.splitlines() if line.strip() and not line.startswith("bash")] == [
        "make demo",
        "make test",
    ]


def test_the_aar_guide_prints_the_scoring_rubric_as_the_code_has_it():
    from goldthread.aars.score import RUBRIC

    guide = (DOCS / "user-guide" / "aar-authors.md").read_text()
    table = guide.split("<!-- rubric:")[1].split("\n\n")[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert rows == [f"| {rule.points} | {rule.text} |" for rule in RUBRIC]


def test_the_assessor_guide_prints_the_rating_scale_as_the_code_has_it():
    from goldthread.measures.models import Assessment

    guide = (DOCS / "user-guide" / "assessor.md").read_text()
    table = guide.split("<!-- scale:")[1].split("\n\n")[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert rows == [f"| {rating} | {meaning} |" for rating, meaning in Assessment.SCALE.items()]


def test_concepts_explain_every_kind_of_finding_and_every_discipline_measure():
    from goldthread.evaluation.discipline import MEASURES
    from goldthread.evaluation.findings import KINDS

    concepts = (DOCS / "concepts.md").read_text()
    assert not [kind.title for kind in KINDS if f"| {kind.title} |" not in concepts]
    evaluation = concepts.split("## Evaluation")[1].split("\n## ")[0].lower()
    assert not [label for _, label in MEASURES if label.lower().split()[0] not in evaluation]
