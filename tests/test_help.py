"""The Start here page and the in-app help: the guides of docs/ served by name, their links kept inside the app, the
header's Help link at the user's own guide, and nothing outside the allow-list reachable."""

import re
from pathlib import Path

import pytest

from goldthread.core.roles import ROLES
from goldthread.web import help as guides

from .conftest import make_user

DOCS = Path(__file__).resolve().parent.parent / "docs"


def get(client, user, path: str, status: int = 200) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == status, path
    return response.content.decode()


def header_help(html: str) -> str:
    """Where the header's Help link points."""
    nav = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
    return re.search(r'<a href="([^"]*)"[^>]*>Help</a>', nav).group(1)


def test_start_here_walks_the_thread_with_a_link_to_each_stage(world, client):
    html = get(client, world.reader, "/start/")
    main = html[html.index("<main") :]
    assert main.count("<h1") == 1 and "<ol>" in main
    steps = re.findall(r"<li>\s*<h2 id=\"([\w-]+)\">", main)
    assert steps == ["strategic-objective", "intermediate-objectives", "events", "planning", "aars", "measures",
                     "evaluation"]  # fmt: skip
    for live in ("/objectives/", "/events/", "/aars/", "/lessons/", "/indicators/", "/evaluation/"):
        assert f'href="{live}"' in main, live
    for guide in ("strategic-planner", "desk-officer", "unit-planner", "executor", "aar-authors", "assessor"):
        assert f'href="/help/{guide}/"' in main, guide
    assert 'href="/help/reader/">Reader</a>' in main  # the reader's own guide, under "Where you come in"
    # Every link the page gives to a guide reaches one.
    for name in set(re.findall(r'href="/help/([\w-]+)/', main)):
        assert client.get(f"/help/{name}/").status_code == 200, name


def test_the_home_page_links_start_here_and_the_users_guides(world, client):
    html = get(client, make_user("desk", "desk_officer"), "/")
    start = html[html.index('<section aria-labelledby="h-start">') :]
    start = start[: start.index("</section>")]
    assert 'href="/start/"' in start and 'href="/help/desk-officer/"' in start


def test_the_help_index_lists_every_role_guide_the_users_own_marked(world, client):
    html = get(client, world.planner, "/help/")
    for role, spec in ROLES.items():
        assert f'<a href="/help/{guides.ROLE_GUIDES[role]}/">{spec["label"]}</a>' in html, role
    assert '<a href="/help/strategic-planner/">Strategic planner</a> <strong>(your role)</strong>' in html
    assert html.count("(your role)") == 1
    assert '<a href="/help/concepts/">Concepts</a>' in html and '<a href="/help/glossary/">Glossary</a>' in html
    assert '<a href="/help/cli/">The goldthread command</a>' in html  # not its heading, "`goldthread`"
    assert 'href="/start/"' in html


def test_every_user_guide_file_is_served(settings):
    assert Path(settings.DOCS_DIR) == DOCS
    assert {f"user-guide/{path.name}" for path in (DOCS / "user-guide").glob("*.md")} <= set(guides.PAGES.values())
    assert all((DOCS / file).is_file() for file in guides.PAGES.values())


def test_a_guide_renders_with_its_headings_and_its_links_kept_inside_the_app(world, client):
    html = get(client, world.reader, "/help/desk-officer/")
    source = (DOCS / "user-guide" / "desk-officer.md").read_text()
    assert "<h1>Country desk officer</h1>" in html and "<title>Country desk officer · Help · Goldthread</title>" in html
    for heading in re.findall(r"^## (.+)$", source, re.MULTILINE):
        assert f">{heading}</h2>" in html, heading
    # A heading that repeats gets its own anchor, as on GitHub; the page's contents link each one.
    assert 'id="what-you-may-change"' in html and 'id="what-you-may-change-1"' in html
    assert '<nav aria-label="On this page">' in html and 'href="#what-you-may-change-1"' in html
    overview = get(client, world.reader, "/help/user-guide/")
    assert 'href="/help/strategic-planner/"' in overview and 'href="strategic-planner.md"' not in overview
    assert 'href="/help/security/#roles-and-permissions"' in overview
    assert 'id="roles-and-permissions"' in get(client, world.reader, "/help/security/")


def test_notes_to_maintainers_and_links_to_unserved_files_do_not_show(world, client):
    aar_guide = get(client, world.reader, "/help/aar-authors/")
    assert "tests/test_docs.py" not in aar_guide and "&lt;!--" not in aar_guide
    concepts = get(client, world.reader, "/help/concepts/")
    assert "decision 0004" in concepts  # the words of a link to a file that is not served, without the link
    assert 'href="decisions/' not in concepts and 'href="/help/decisions' not in concepts
    assert '<a href="/help/glossary/"' in concepts


@pytest.mark.parametrize(
    "path",
    [
        "/help/../../etc/passwd",
        "/help/..%2F..%2Fetc%2Fpasswd/",
        "/help/%2e%2e/",
        "/help/development/",  # a file of docs/, but not a help page
        "/help/README/",
        "/help/desk-officer.md/",
        "/help/nope/",
    ],
)
def test_only_the_pages_of_the_allow_list_are_served(world, client, path):
    client.force_login(world.reader)
    response = client.get(path)
    assert response.status_code == 404
    assert b"root:" not in response.content


def test_the_header_help_link_points_at_the_users_role_guide(world, client):
    desk = make_user("desk", "desk_officer")
    assert header_help(get(client, desk, "/events/")) == "/help/desk-officer/"
    assert header_help(get(client, world.planner, "/")) == "/help/strategic-planner/"
    assert header_help(get(client, world.admin, "/help/")) == "/help/administrator/"
    nobody = make_user("nobody", "reader")
    nobody.groups.clear()
    assert header_help(get(client, nobody, "/events/")) == "/help/user-guide/"


def test_a_page_can_point_its_help_at_a_section(world, client):
    html = get(client, world.reader, "/start/")
    assert header_help(html) == "/help/concepts/#the-loop"
    assert 'id="the-loop"' in get(client, world.reader, "/help/concepts/")


@pytest.mark.parametrize("path", ["/start/", "/help/", "/help/reader/"])
def test_help_is_for_logged_in_users(world, client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == f"/login/?next={path}"


def test_without_the_docs_folder_the_help_says_where_the_guides_are(world, client, settings, tmp_path):
    settings.DOCS_DIR = tmp_path / "docs"
    index = get(client, world.reader, "/help/")
    assert "The guides are not installed with this copy of Goldthread" in index
    assert '<a href="/help/reader/">Reader</a>' in index
    page = get(client, world.reader, "/help/reader/")
    assert "<code>docs/user-guide/reader.md</code>" in page and "not installed" in page
    assert get(client, world.reader, "/help/nope/", status=404)


def test_the_docs_folder_is_a_setting(world, client, settings, tmp_path):
    (tmp_path / "user-guide").mkdir()
    guide = tmp_path / "user-guide" / "reader.md"
    guide.write_text("# Reading\n\nA local copy; see [the glossary](../glossary.md).\n")
    settings.DOCS_DIR = tmp_path
    html = get(client, world.reader, "/help/reader/")
    assert "<h1>Reading</h1>" in html and '<a href="/help/glossary/">the glossary</a>' in html
    assert "not installed" in get(client, world.reader, "/help/glossary/")  # named, but not in that folder


def test_each_table_of_a_guide_scrolls_in_a_region_named_after_its_heading(world, client, settings, tmp_path):
    (tmp_path / "user-guide").mkdir()
    table = "| Step | Who |\n|---|---|\n| Plan | planner |\n"
    (tmp_path / "user-guide" / "reader.md").write_text(
        f'# Reading\n\n{table}\n## The `"quoted"` rules\n\n{table}\nBetween them.\n\n{table}\n'
        f"## Plain\n\n```\n<table>\n```\n\n{table}"
    )
    settings.DOCS_DIR = tmp_path
    html = get(client, world.reader, "/help/reader/")
    main = html[html.index("<main") :]
    names = re.findall(r'<div class="table-scroll" role="region" tabindex="0" aria-label="([^"]*)"><table>', main)
    assert names == [
        "Reading",  # above the first section: the page's title
        "The &quot;quoted&quot; rules, table 1 of 2",
        "The &quot;quoted&quot; rules, table 2 of 2",
        "Plain",
    ]
    assert main.count("<table>") == 4 and main.count("</table></div>") == 4
    assert "<pre><code>&lt;table&gt;" in main  # a table written in a code block is text, not a table
