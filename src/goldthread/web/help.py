"""In-app help: the Start here page, and the user guides and reference pages of docs/ shown as pages.

The pages are rendered from the Markdown files themselves at request time, so the help says what the documentation
says. Only the pages named in PAGES are served, by name: an address cannot reach any other file. The folder is the
setting DOCS_DIR (GOLDTHREAD_DOCS_DIR); an installation without it says where the guides are instead.
"""

import html
import posixpath
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from goldthread.core.models import User
from goldthread.core.roles import ROLES
from goldthread.folders.markdown import to_html
from goldthread.web.mywork import START_HERE

# Each role's guide is the first file its paragraph on the home page names.
ROLE_GUIDES: dict[str, str] = {role: files[0].removesuffix(".md") for role, (_, files) in START_HERE.items()}
OVERVIEW = "user-guide"

# The index's shelves after the role guides: (heading, page names), each page a file of docs/ by the same name.
SHELVES: list[tuple[str, list[str]]] = [
    ("For every user", [OVERVIEW, "aar-authors"]),
    (
        "Concepts and reference",
        ["concepts", "glossary", "writing-indicators", "lessons-interchange", "reconciliation", "accessibility"],
    ),
    ("Running Goldthread", ["security", "deployment", "configuration", "cli", "api"]),
]

# The index's words for a page whose first heading says little out of context.
LABELS = {OVERVIEW: "User guide: logging in, the pages, common tasks", "cli": "The goldthread command"}

# Page name (its address, /help/<name>/) -> its file under docs/. Nothing else is served.
PAGES: dict[str, str] = {
    OVERVIEW: "user-guide/README.md",
    **{name: f"user-guide/{name}.md" for name in (*ROLE_GUIDES.values(), "aar-authors")},
    **{name: f"{name}.md" for _, names in SHELVES[1:] for name in names},
}
_BY_FILE = {file: name for name, file in PAGES.items()}

_COMMENT = re.compile(r"^<!--.*?-->[ \t]*\n?", re.MULTILINE | re.DOTALL)  # notes to maintainers, not to readers
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_LINK = re.compile(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)
# The parser writes a table as a bare <table>: one inside a code block is escaped text, and tables do not nest.
_HEADING_OR_TABLE = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>|<table>", re.DOTALL)
_REL = re.compile(r' rel="[^"]*"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# Ids the page around a guide uses already: a heading of the same words gets a suffix, as a repeated heading does.
_LAYOUT_IDS = ("main",)


def roles_of(user: User) -> list[str]:
    """The user's roles, in the order of the role matrix."""
    names = set(user.groups.values_list("name", flat=True))
    if user.is_superuser:
        names.add("administrator")
    return [role for role in ROLES if role in names]


def guide_url(user: User) -> str:
    """The guide of the user's first role, or the user guide's overview for a user without one."""
    roles = roles_of(user)
    return reverse("help-page", args=[ROLE_GUIDES[roles[0]] if roles else OVERVIEW])


def _slug(text: str) -> str:
    """A heading's anchor as the documents' own links write it: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _title(path: Path, name: str) -> str:
    """The text of the file's first level-1 heading."""
    if path.is_file():
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.startswith("# "):
                    return line[2:].replace("`", "").strip()
    return name.replace("-", " ").capitalize()


def _href(target: str, here: str) -> str | None:
    """Where a link of the page at `here` (a file under docs/) goes in the app: a served page at its /help/ address,
    the web as it is; None for a file that is not served."""
    if target.startswith("#") or _SCHEME.match(target) or target.startswith("/"):
        return target
    file, _, fragment = target.partition("#")
    name = _BY_FILE.get(posixpath.normpath(posixpath.join(posixpath.dirname(here), file)))
    if name is None:
        return None
    return reverse("help-page", args=[name]) + (f"#{fragment}" if fragment else "")


def _scrolling_tables(body: str) -> str:
    """Each table in a focusable box that scrolls sideways, so that a wide one does not widen a phone's page. A box is
    named after the heading above it, numbered where that heading has more than one table, so that each region is
    told apart from the page's others."""
    headings: list[str] = []
    current = ""
    for match in _HEADING_OR_TABLE.finditer(body):
        if match.group(1) is None:
            headings.append(current)
        else:
            current = html.unescape(strip_tags(match.group(1))).strip()
    totals, seen, labels = Counter(headings), Counter(), []
    for number, heading in enumerate(headings, 1):
        seen[heading] += 1
        if not heading:
            labels.append(f"Table {number}")
        elif totals[heading] > 1:
            labels.append(f"{heading}, table {seen[heading]} of {totals[heading]}")
        else:
            labels.append(heading)
    names = iter(labels)

    def box(match: re.Match) -> str:
        name = html.escape(next(names))
        return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{name}"><table>'

    return re.sub("<table>", box, body).replace("</table>", "</table></div>")


@lru_cache(maxsize=32)
def _render(docs: Path, name: str, modified: int) -> tuple[str, str, list[tuple[str, str]]]:
    """(title, body HTML without its title, [(anchor, text)] of its sections); `modified` makes a changed file render
    afresh."""
    file = PAGES[name]
    body = _scrolling_tables(to_html(_COMMENT.sub("", (docs / file).read_text(encoding="utf-8"))))
    seen: dict[str, int] = dict.fromkeys(_LAYOUT_IDS, 1)
    title, sections = "", []

    def anchor(match: re.Match) -> str:
        nonlocal title
        level, inner = match.group(1), match.group(2)
        text = html.unescape(strip_tags(inner)).strip()
        slug = _slug(text) or "section"
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        slug = f"{slug}-{count}" if count else slug
        if level == "1" and not title:
            title = text
            return ""  # the page's own heading, which the template writes above the contents
        if level == "2":
            sections.append((slug, text))
        return f'<h{level} id="{slug}">{inner}</h{level}>'

    def link(match: re.Match) -> str:
        target = html.unescape(match.group(1))
        href = _href(target, file)
        if href is None:
            return match.group(3)  # a file the app does not serve: its words stay, the link goes
        rest = match.group(2) if _SCHEME.match(target) else _REL.sub("", match.group(2))  # rel is for the outside web
        return f'<a href="{html.escape(href)}"{rest}>{match.group(3)}</a>'

    body = _LINK.sub(link, _HEADING.sub(anchor, body))
    return title or _title(docs / file, name), body, sections


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Every role's guide, the user's own marked, then the pages for every user, the concepts and the reference."""
    docs, mine = Path(settings.DOCS_DIR), roles_of(request.user)
    guides = [{"label": spec["label"], "name": ROLE_GUIDES[role], "mine": role in mine} for role, spec in ROLES.items()]
    shelves = [
        (heading, [(name, LABELS.get(name) or _title(docs / PAGES[name], name)) for name in names])
        for heading, names in SHELVES
    ]
    return render(request, "web/help.html", {"guides": guides, "shelves": shelves, "installed": docs.is_dir()})


@login_required
def page(request: HttpRequest, name: str) -> HttpResponse:
    """One page of the documentation, its links to other served pages kept inside the app."""
    if name not in PAGES:
        raise Http404("No help page of that name.")
    docs = Path(settings.DOCS_DIR)
    path = docs / PAGES[name]
    context: dict = {"name": name, "file": PAGES[name]}
    if path.is_file():
        title, body, sections = _render(docs, name, path.stat().st_mtime_ns)
        # The Markdown's own HTML is escaped by the parser and the result cleaned against an allow-list (to_html).
        context |= {"title": title, "body": mark_safe(body), "sections": sections}  # noqa: S308
    else:
        context["title"] = _title(path, name)
    return render(request, "web/help_page.html", context)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """The thread from strategic objective to evaluation in seven steps, each linked to its live page and guide."""
    guides = [(ROLES[role]["label"], ROLE_GUIDES[role]) for role in roles_of(request.user)]
    return render(request, "web/start.html", {"guides": guides})
