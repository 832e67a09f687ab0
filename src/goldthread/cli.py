"""The `goldthread` command. Each command parses its arguments, calls services or selectors, and prints.

Bad input ends with exit code 2 and one line on standard error.
"""

import ctypes
import ctypes.util
import json
import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

app = typer.Typer(
    help="Goldthread: security cooperation planning, from strategic objective to event.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
check_app = typer.Typer(help="Checks over the data.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)
app.add_typer(token_app, name="token")
app.add_typer(check_app, name="check")
app.add_typer(user_app, name="user")
out = Console()
err = Console(stderr=True)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldthread.settings")
    import django

    django.setup()


def _fail(message: str) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)  # one line, never wrapped to the terminal's width
    raise typer.Exit(2)


def _actor(username: str | None, doing: str):
    """The active user a write is recorded under, or exit 2: services check their permissions as for anyone."""
    from goldthread.core.models import User

    if not username:
        _fail(f"say who {doing}: give --as USERNAME")
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        _fail(f"no active user {username!r}")
    return actor


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[n]) for row in [header, *rows]) for n in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def _migrate(verbose: bool = False) -> None:
    from django.core.management import call_command

    from goldthread.core import statistics
    from goldthread.core.roles import sync_roles

    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)
    sync_roles()
    statistics.refresh()


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema and the role groups."""
    _setup()
    _migrate(verbose=True)


ADMIN_PASSWORD_VARIABLE = "GOLDTHREAD_ADMIN_PASSWORD"  # noqa: S105 - the name of a variable, not a password


def _ask(text: str, **options) -> str:
    """A prompt's answer; exit 2 when there is nobody to answer (end of input)."""
    try:
        return typer.prompt(text, **options)
    except typer.Abort:
        _fail(f"no answer to {text!r}: give --username and --password-file (or {ADMIN_PASSWORD_VARIABLE})")


@app.command()
def init(
    username: Annotated[
        str | None, typer.Option(help="User name of the first administrator; asked for when not given.")
    ] = None,
    password_file: Annotated[
        Path | None,
        typer.Option(
            help=f"Read the password from the first line of this file. Without it, from {ADMIN_PASSWORD_VARIABLE}, "
            "or else asked for twice, hidden."
        ),
    ] = None,
) -> None:
    """Set up a new installation: create or upgrade the database, then create the first administrator. When an
    administrator exists already, say so and create nothing; naming a different user then exits 2."""
    _setup()
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.db.models import Q

    from goldthread.core.accounts import create_user
    from goldthread.core.errors import DomainError
    from goldthread.core.models import User

    out.print(f"Database: {settings.DATABASES['default']['NAME']}", highlight=False)
    _migrate()
    admins = User.objects.filter(Q(is_superuser=True) | Q(groups__name="administrator"), is_active=True)
    first = admins.order_by("pk").first()
    if first is not None:
        # Running init again is harmless; asking it for a second administrator is a mistake to point out.
        if username is not None and not admins.filter(username=username).exists():
            _fail(
                f"an administrator exists already ({first.username}); add {username!r} with "
                "`goldthread user create` instead"
            )
        out.print(
            f"The database is up to date; {username or first.username} is an administrator already.", highlight=False
        )
        return
    if username is None:
        username = _ask("User name of the first administrator", default="admin")
    username = username.strip()
    try:
        User._meta.get_field("username").clean(username, None)
    except ValidationError as exc:
        _fail(f"user name {username!r}: {' '.join(exc.messages)}")
    if password_file is not None:
        if not password_file.is_file():
            _fail(f"no file {str(password_file)!r}")
        lines = password_file.read_text(encoding="utf-8").splitlines()
        password = lines[0] if lines else ""
    else:
        password = os.environ.get(ADMIN_PASSWORD_VARIABLE) or _ask(
            f"Password for {username}", hide_input=True, confirmation_prompt=True
        )
    try:
        create_user(actor=None, username=username, password=password, role="administrator")
    except DomainError as exc:
        _fail(exc.detail)
    print(f"Created the administrator {username}.\n\nNext:")  # plain print: a wrapped line would break the URL
    print("  goldthread serve                          serve the web UI and the API (docs/deployment.md)")
    print(f"  http://127.0.0.1:8000/start/              log in as {username}; Start here walks through the thread")
    print("  goldthread user create NAME --role ROLE   an account for each person")


@app.command()
def demo(
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the web UI after loading.")] = True,
    host: str = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    seed: int = 2018,
) -> None:
    """Create the database if needed, load the demo data (idempotent), print the log-ins, and serve."""
    _setup()
    from django.conf import settings

    from goldthread.demo.generator import demo_users, load_demo

    out.print(f"Database: {settings.DATABASES['default']['NAME']}")
    _migrate()
    with out.status("Loading the demo data…"):
        counts = load_demo(seed=seed)
    out.print("Loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    out.print("\nLog in with any of these (user name / password — role):")
    for username, password, role in demo_users():
        out.print(f"  {username:<10} / {password} — {role}", highlight=False)
    start = f"http://{host}:{port}/start/"
    if serve_after:
        print(f"\nNew here? Log in at {start} and Start here walks through the thread.")
    else:
        print(f"\nServe it with `goldthread serve`, then log in at {start}")
    if serve_after:
        _serve(host, port)


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    threads: Annotated[int, typer.Option(min=1, max=64)] = 8,
    url_scheme: Annotated[
        str, typer.Option(help="https when a TLS proxy in front forwards plain HTTP to this process.")
    ] = "http",
) -> None:
    """Serve the web UI and the API with a production WSGI server (waitress)."""
    if url_scheme not in ("http", "https"):
        _fail("--url-scheme must be http or https")
    _setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        _fail("the database schema is not up to date; run `goldthread migrate` first")
    _serve(host, port, threads, url_scheme)


M_ARENA_MAX = -8  # mallopt's parameter for the number of malloc arenas (glibc's malloc.h)


def fewer_malloc_arenas() -> bool:
    """Limit the process to two malloc arenas unless MALLOC_ARENA_MAX says otherwise: glibc gives each busy thread
    an arena of its own, and a process serving on 8 threads settles about 100 MiB higher (docs/performance.md, Load).
    False where nothing was changed: the variable is set, or the C library is not glibc."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        return libc.mallopt(M_ARENA_MAX, 2) == 1
    except (OSError, AttributeError):
        return False


def _serve(host: str, port: int, threads: int = 8, url_scheme: str = "http") -> None:
    import waitress

    fewer_malloc_arenas()  # before the server starts its threads

    from goldthread.wsgi import application

    try:
        server = waitress.create_server(
            application, host=host, port=port, threads=threads, url_scheme=url_scheme, ident="Goldthread"
        )
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    out.print(f"\nGoldthread is serving at http://{host}:{port}/  (Ctrl+C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        out.print("Stopped.")


@token_app.command("create")
def token_create(
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "",
    days: Annotated[int, typer.Option(min=0, max=3650, help="Days until it expires; 0 = never.")] = 90,
) -> None:
    """Create an API token for USERNAME and print it (it is shown only once)."""
    _setup()
    from goldthread.core.models import User
    from goldthread.core.tokens import create_token

    user = User.objects.filter(username=username).first()
    if user is None:
        _fail(f"no user named {username!r}")
    _, secret = create_token(actor=None, user=user, name=name, days=days or None)
    print(secret)


@user_app.command("create")
def user_create(
    username: str,
    role: Annotated[str, typer.Option(help="One of the roles in docs/security.md, e.g. strategic_planner.")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    organization: Annotated[str, typer.Option(help="Short name of the user's organization.")] = "",
) -> None:
    """Create a user with one role."""
    _setup()
    from goldthread.core.accounts import create_user
    from goldthread.core.errors import DomainError
    from goldthread.core.roles import ROLES
    from goldthread.strategy.models import Organization

    org = None
    if organization and not (org := Organization.objects.filter(short_name=organization).first()):
        _fail(f"no organization with short name {organization!r}")
    try:
        create_user(actor=None, username=username, password=password, role=role, organization=org)
    except DomainError as exc:
        _fail(exc.detail)
    out.print(f"Created {username} ({ROLES[role]['label']}).")


@token_app.command("list")
def token_list(username: str) -> None:
    """List USERNAME's tokens: prefix, name, created, expires, last used, revoked."""
    _setup()
    from goldthread.core.models import ApiToken, User

    if not User.objects.filter(username=username).exists():
        _fail(f"no user named {username!r}")
    for t in ApiToken.objects.filter(user__username=username).order_by("created"):
        print(
            f"{t.prefix}\t{t.name or '-'}\t{t.created:%Y-%m-%d}\t{t.expires or 'never'}\t"
            f"{t.last_used or 'unused'}\t{'revoked' if t.revoked else 'active'}"
        )


@token_app.command("revoke")
def token_revoke(prefix: Annotated[str, typer.Argument(help="The first characters `token list` shows.")]) -> None:
    """Revoke a token at once; requests that use it get 401 from then on."""
    _setup()
    from goldthread.core.accounts import revoke_token
    from goldthread.core.errors import DomainError

    try:
        token = revoke_token(actor=None, prefix=prefix)
    except DomainError as exc:
        _fail(exc.detail)
    out.print(f"Revoked {token.prefix}… of {token.user.username}.")


@app.command()
def generate(
    events: Annotated[int, typer.Option(min=1, max=5_000_000, help="How many events to add.")],
    seed: int = 1,
    batch_size: Annotated[
        int, typer.Option(min=1, max=100_000, help="Events written per transaction, with all that hangs off them.")
    ] = 5000,
    content: Annotated[
        bool,
        typer.Option(help="Also write the objectives, measured values, conference records and AARs around the events."),
    ] = True,
) -> None:
    """Add synthetic events with claims at any scale (for benchmarks)."""
    _setup()
    from rich.progress import Progress

    from goldthread.core.errors import DomainError
    from goldthread.demo.generator import generate as run

    _migrate()
    with Progress(console=err) as progress:
        task = progress.add_task("Generating events", total=events)
        try:
            counts = run(
                events=events,
                seed=seed,
                batch_size=batch_size,
                progress=lambda n: progress.update(task, completed=n),
                content=content,
            )
        except DomainError as exc:
            _fail(exc.detail)
    out.print("Generated: " + ", ".join(f"{v} {k}" for k, v in counts.items() if k != "first_number"))


@app.command()
def backup(output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")]) -> None:
    """Write a consistent snapshot of the whole database to a file, while Goldthread keeps running."""
    _setup()
    from goldthread.core import backup as snapshots
    from goldthread.core.errors import DomainError

    try:
        path = snapshots.backup(output)
    except DomainError as exc:
        _fail(exc.detail)
    out.print(f"Backed up to {path} ({path.stat().st_size:,} bytes); it reads back cleanly.")


@app.command()
def restore(
    backup_file: Annotated[Path, typer.Argument(help="A file written by `goldthread backup`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm that the current data is to be replaced.")] = False,
) -> None:
    """Replace the whole database with a backup. Stop the app processes first."""
    _setup()
    from goldthread.core import backup as snapshots
    from goldthread.core.errors import DomainError

    if not yes:
        _fail("restore replaces every record in the database; run it again with --yes to go ahead")
    try:
        snapshots.restore(backup_file)
        _migrate()  # a backup from an older version gets the newer schema
        snapshots.record_restore(backup_file)
    except DomainError as exc:
        _fail(exc.detail)
    out.print(f"Restored from {backup_file}.")


def _write(document, output: Path, format: str) -> None:  # noqa: A002
    """Write a generated document in one of the report formats, or exit 2."""
    from goldthread.reports.formats import FORMATS

    if format not in FORMATS:
        _fail(f"format {format!r} is not available; use one of: {', '.join(FORMATS)}")
    if not output.parent.exists():
        _fail(f"the folder {output.parent} does not exist")
    output.write_bytes(FORMATS[format].render(document))


@app.command()
def packet(
    event: Annotated[str, typer.Argument(help="The event's uid (as the API shows it) or its code.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    format: Annotated[str, typer.Option(help="docx or pdf.")] = "docx",  # noqa: A002
) -> None:
    """Write the executor packet of an event: purpose, conference outcomes, constraints, what to report, contacts."""
    _setup()
    from goldthread.planning.packet import executor_packet
    from goldthread.reports import executor_packet as packet_document

    found = _event(event)
    _write(packet_document.document(executor_packet(found)), output, format)
    out.print(f"Wrote the executor packet of {found.code} to {output}.")


@app.command()
def orders(
    event: Annotated[str, typer.Argument(help="The event's uid (as the API shows it) or its code.")],
    number: Annotated[
        int | None, typer.Option(min=1, max=32767, help="The order to write; default the latest.")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the order to this file.")] = None,
    format: Annotated[str, typer.Option(help="docx or pdf, with --output.")] = "docx",  # noqa: A002
) -> None:
    """List an event's orders, or write one in the five-paragraph format with its purpose annex."""
    _setup()
    from goldthread.planning.models import Order
    from goldthread.reports import order_document

    found = _event(event)
    issued = list(Order.objects.filter(event=found).select_related("issuer").order_by("number"))
    if output is None:
        for o in issued:
            print(f"{o.number}\t{o.kind}\t{o.get_status_display()}\t{o.issuer.short_name}\t{o.title}")
        return
    chosen = next((o for o in issued if o.number == number), None) if number else (issued[-1] if issued else None)
    if chosen is None:
        _fail(f"{found.code} has no order {number}" if number else f"{found.code} has no orders")
    _write(order_document.document(chosen), output, format)
    out.print(f"Wrote {chosen.kind} {chosen.number} of {found.code} to {output}.")


@app.command()
def readiness(
    event: Annotated[str, typer.Argument(help="The event's uid (as the API shows it) or its code.")],
    on: Annotated[str | None, typer.Option(help="Show the board as of this day (YYYY-MM-DD); default today.")] = None,
    ics: Annotated[Path | None, typer.Option("--ics", help="Also write the deadlines to this iCalendar file.")] = None,
) -> None:
    """Print the travel-readiness board of an event: its deadlines, and each traveler's requirements with status."""
    _setup()
    from datetime import date

    from django.utils import timezone

    from goldthread.readiness import calendar
    from goldthread.readiness.selectors import board
    from goldthread.readiness.text import board_lines

    try:
        day = date.fromisoformat(on) if on is not None else timezone.localdate()
    except ValueError:
        _fail(f"--on {on!r} is not a date; write it as YYYY-MM-DD")
    if ics is not None and not ics.parent.exists():
        _fail(f"the folder {ics.parent} does not exist")
    found = board(_event(event), day)
    for line in board_lines(found):
        print(line)
    if ics is not None:
        ics.write_bytes(calendar.ics(found))
        print(f"Wrote the deadlines of {found.event.code} to {ics}.")


folder_app = typer.Typer(help="Country folders: export a continuity book, remind owners of stale sections.")
app.add_typer(folder_app, name="folder")


@folder_app.command("export")
def folder_export(
    country: Annotated[str, typer.Argument(help="ISO 3166 code of the country, alpha-2 or alpha-3 (TH or THA).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    format: Annotated[str, typer.Option(help="pdf or docx.")] = "pdf",  # noqa: A002
) -> None:
    """Write a country's continuity book: every folder section, contacts, calendar, history and attachments."""
    _setup()
    import pycountry

    from goldthread.reports import continuity_book
    from goldthread.strategy.models import Country

    found = pycountry.countries.get(alpha_2=country.upper()) if len(country) == 2 else None
    code = found.alpha_3 if found else country.upper()
    target = Country.objects.filter(iso3=code).first()
    if target is None:
        _fail(f"no country {country!r}; give its ISO 3166 code, e.g. THA or TH")
    _write(continuity_book.document(target), output, format)
    out.print(f"Wrote the continuity book of {target.name} to {output}.")


@folder_app.command("remind")
def folder_remind() -> None:
    """Put every stale folder section back in its owner's inbox, to be verified. Run it daily."""
    _setup()
    from goldthread.folders.services import remind_stale

    out.print(f"Reminded the owners of {remind_stale()} stale sections.")


aar_app = typer.Typer(help="After-action reports: export, import legacy reports, overdue reports and reminders.")
lessons_app = typer.Typer(help="Lessons: export them for spreadsheets and other lessons-learned systems.")
app.add_typer(aar_app, name="aar")
app.add_typer(lessons_app, name="lessons")


@aar_app.command("export")
def aar_export(
    event: Annotated[str, typer.Argument(help="The event's uid (as the API shows it) or its code.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The file to write; default AAR-<event code>.<format>.")
    ] = None,
    format: Annotated[str, typer.Option(help="docx or pdf.")] = "docx",  # noqa: A002
) -> None:
    """Write an event's after-action report: summary, objectives, type sections, observations, actions, score."""
    _setup()
    from goldthread.aars.models import Report
    from goldthread.core import audit
    from goldthread.reports import aar_document

    found = _event(event)
    report = Report.objects.filter(event=found).first()
    if report is None:
        _fail(f"{found.code} has no AAR yet")
    document = aar_document.document(report)
    target = output or Path(f"{document.filename}.{format}")
    _write(document, target, format)
    audit.record(None, "aar.exported", report, {"format": format, "via": "command line"})
    out.print(f"Wrote the AAR of {found.code} to {target}.")


@aar_app.command("import")
def aar_import(
    event: Annotated[str, typer.Argument(help="The event's uid (as the API shows it) or its code.")],
    file: Annotated[Path, typer.Argument(help="The legacy AAR, a Word (.docx) file.")],
    user: Annotated[str, typer.Option("--user", "--as", help="The username the import is recorded under.")],
) -> None:
    """Read a legacy AAR from a Word file into a new draft AAR of the event; text that fits no section is kept at
    the end of the summary."""
    _setup()
    from goldthread.aars.importing import UNRECOGNISED, import_docx
    from goldthread.core.errors import DomainError

    actor = _actor(user, "imports the report")
    found = _event(event)
    if not file.is_file():
        _fail(f"no file {str(file)!r}")
    try:
        with file.open("rb") as content:
            report = import_docx(actor=actor, event=found, file=content)
    except DomainError as exc:
        _fail(f"{file.name}: {exc.detail}")
    observations, actions = report.observations.count(), report.actions.count()
    print(
        f"Imported {file.name} into the draft AAR of {found.code}: {observations} observations, {actions} follow-up "
        f"actions, score {report.score}."
    )
    if UNRECOGNISED in report.summary:
        print(f"Some text fitted no section: it is at the end of the summary, under “{UNRECOGNISED}”")


@aar_app.command("overdue")
def aar_overdue(
    on: Annotated[str | None, typer.Option(help="As of this day (YYYY-MM-DD); default today.")] = None,
) -> None:
    """List the AARs past due and not submitted, including events nobody started an AAR for."""
    _setup()
    from datetime import date

    from django.utils import timezone

    from goldthread.aars.selectors import overdue

    try:
        day = date.fromisoformat(on) if on is not None else timezone.localdate()
    except ValueError:
        _fail(f"--on {on!r} is not a date; write it as YYYY-MM-DD")
    late = overdue(day)
    if not late:
        print(f"No AAR is overdue on {day:%d %b %Y}.")
        return
    rows = [
        (
            f"{line.event.code} {line.event.name}",
            line.event.executing_unit.short_name if line.event.executing_unit else "(no unit)",
            f"{line.due:%d %b %Y}",
            str(line.days),
            line.report.get_status_display() if line.report else "Not started",
        )
        for line in late
    ]
    _table(("Event", "Unit", "Due", "Days late", "AAR"), rows)


@aar_app.command("remind")
def aar_remind() -> None:
    """Put every overdue AAR back in its executing unit's inboxes, and the command's once two weeks late. Run it
    daily."""
    _setup()
    from goldthread.aars.services import remind_overdue

    out.print(f"Reminded the units of {remind_overdue()} overdue AARs.")


LESSON_FORMATS = ("csv", "xlsx", "json")


@lessons_app.command("export")
def lessons_export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The file to write; default standard output (csv, json).")
    ] = None,
    format: Annotated[str, typer.Option(help="csv, xlsx or json (the interchange format).")] = "csv",  # noqa: A002
    q: Annotated[str, typer.Option("--q", help="Only the lessons matching these words.")] = "",
) -> None:
    """Export the observations of disseminated AARs (or those matching --q), one row each, or as interchange JSON
    (docs/lessons-interchange.md)."""
    if format not in LESSON_FORMATS:
        _fail(f"format {format!r} is not available; use one of: {', '.join(LESSON_FORMATS)}")
    if output is None and format == "xlsx":
        _fail("an XLSX workbook is written to a file; give --output FILE")
    if output is not None and not output.parent.exists():
        _fail(f"the folder {output.parent} does not exist")
    _setup()
    from goldthread.aars import exchange
    from goldthread.aars.models import Observation, Report
    from goldthread.core import audit
    from goldthread.search import index

    if q.strip():
        uids: list[str] = []
        while page := index.search(q, kind="observation", limit=1000, offset=len(uids)):
            uids += [hit.uid for hit in page]
        by_uid = {str(o.uid): o for o in Observation.objects.filter(uid__in=uids)}
        chosen = [by_uid[uid] for uid in uids if uid in by_uid]  # best match first
        count = len(chosen)
    else:
        chosen = Observation.objects.filter(report__status=Report.Status.DISSEMINATED).order_by(
            "-report__event__start_date", "report__event__code", "id"
        )
        count = chosen.count()
    if format == "csv":
        content = exchange.csv_bytes(chosen)
    elif format == "xlsx":
        content = exchange.xlsx_bytes(chosen)
    else:
        content = (json.dumps(exchange.interchange(chosen), ensure_ascii=False, indent=2) + "\n").encode()
    audit.record_about(None, "lessons.exported", "Lessons", {"format": format, "count": count, "q": q.strip()})
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    output.write_bytes(content)
    out.print(f"Wrote {count} observations to {output}.")


import_app = typer.Typer(help="Bulk imports: checked row by row, previewed, written only when confirmed.")
indicators_app = typer.Typer(help="Indicators (MOP/MOE): list, show with their roll-up, compliance, lock periods.")
app.add_typer(import_app, name="import")
app.add_typer(indicators_app, name="indicators")


@import_app.command("observations")
def import_observations(
    file: Annotated[Path, typer.Argument(help="A CSV (UTF-8) or Excel (.xlsx) file, one measured value a row.")],
    username: Annotated[
        str | None, typer.Option("--as", "--user", help="The username the values are recorded under.")
    ] = None,
    confirm: Annotated[bool, typer.Option("--confirm", help="Write the values when every row is clean.")] = False,
) -> None:
    """Check a file of measured values row by row (columns: indicator, date, value, numerator, denominator, event,
    note; any other column is a breakdown), print the bad rows, and write the values, submitted for approval, only
    with --confirm and a clean file."""
    _setup()
    from goldthread.core.errors import DomainError
    from goldthread.measures import importing

    actor = _actor(username, "records the values")
    if not file.is_file():
        _fail(f"no file {str(file)!r}")
    try:
        preview = importing.preview(actor=actor, name=file.name, data=file.read_bytes())
    except DomainError as exc:
        _fail(f"{file.name}: {exc.detail}")
    bad, good = preview.bad, preview.good
    if bad:
        _table(("Line", "Error"), [(str(row.line), " ".join(row.errors)) for row in bad])
    for row in preview.rows:
        if row.warning and not row.errors:
            print(f"Line {row.line}: {row.warning}")
    print(f"{len(good)} of {len(preview.rows)} rows are ready to import.")
    if bad:
        lines = ", ".join(str(row.line) for row in bad[:10]) + (", …" if len(bad) > 10 else "")
        _fail(f"{file.name}: {len(bad)} of {len(preview.rows)} rows have errors (lines {lines}); nothing was written")
    if not confirm:
        print("Nothing was written: run again with --confirm to write them.")
        return
    written = importing.commit(actor=actor, preview=preview)
    print(f"Imported {len(written)} values from {file.name}, submitted for approval.")


def _indicator(reference: str):
    """An indicator by uid or code, with what its output needs, or exit 2."""
    from django.db.models import Q

    from goldthread.core.identifiers import is_uuid
    from goldthread.measures.models import Indicator

    by = Q(uid=reference) | Q(code=reference) if is_uuid(reference) else Q(code=reference)
    found = (
        Indicator.objects.filter(by)
        .select_related("objective", "event", "rolls_up_to", "responsible")
        .prefetch_related("targets", "locks__locked_by")
        .first()
    )
    if found is None:
        _fail(f"no indicator {reference!r}")
    return found


@indicators_app.command("list")
def indicators_list(
    kind: Annotated[str, typer.Option(help="MOP or MOE.")] = "",
    country: Annotated[str, typer.Option(help="ISO alpha-3 code: indicators of its objectives and events.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, as the API returns it.")] = False,
) -> None:
    """List indicators by code: kind, what they are bound to, unit, status and statement."""
    _setup()
    from goldthread.measures import selectors
    from goldthread.measures.models import Indicator
    from goldthread.measures.schemas import IndicatorOut

    if kind and kind.upper() not in Indicator.Kind.values:
        _fail(f"--kind {kind!r} is not a kind; use MOP or MOE")
    found = selectors.indicators(kind=kind.upper(), country=country.upper()).prefetch_related(
        "targets", "locks__locked_by"
    )
    if as_json:
        print(json.dumps([IndicatorOut.from_orm(i).model_dump(mode="json") for i in found], indent=2))
        return
    rows = [
        (
            i.code,
            i.kind,
            i.objective.code if i.objective else i.event.code if i.event else "—",
            i.unit,
            i.get_status_display(),
            i.statement[:70],
        )
        for i in found
    ]
    if not rows:
        print("No indicator matches.")
        return
    _table(("Code", "Kind", "Bound to", "Unit", "Status", "Statement"), rows)


@indicators_app.command("show")
def indicators_show(
    code: Annotated[str, typer.Argument(help="The indicator's code or uid.")],
    grain: Annotated[str, typer.Option(help="year or quarter.")] = "year",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, as the API returns it.")] = False,
) -> None:
    """Print an indicator's definition and its roll-up per period: value, approved values behind it, target and
    progress from baseline to target."""
    if grain not in ("year", "quarter"):
        _fail(f"--grain {grain!r} is not a grain; use year or quarter")
    _setup()
    from goldthread.measures import rollup
    from goldthread.measures.schemas import IndicatorOut, series_out

    indicator = _indicator(code)
    series = series_out(rollup.series([indicator], grain=grain)[indicator.pk])
    if as_json:
        definition = IndicatorOut.from_orm(indicator).model_dump(mode="json")
        print(json.dumps({"indicator": definition, "series": series}, indent=2, default=str))
        return
    bound = f"objective {indicator.objective.code}" if indicator.objective else f"event {indicator.event.code}"
    print(f"{indicator.code} ({indicator.get_kind_display()}, {bound}): {indicator.statement}")
    print(f"Unit: {indicator.unit}; {indicator.get_good_display().lower()}; source: {indicator.data_source}")
    print(f"Roll-up: {indicator.get_accumulation_display()}; {indicator.get_aggregation_display()}")
    if indicator.baseline_value is not None:
        print(f"Baseline: {indicator.baseline_value:g} ({indicator.baseline_date or 'undated'})")
    locks = ", ".join(lock.period for lock in indicator.locks.all())
    if locks:
        print(f"Locked: {locks}")
    if not series["points"]:
        print("No approved values or targets yet.")
        return
    points = series["points"]
    rows = [
        (
            p["period"],
            _number(p["value"]),
            str(p["count"]),
            _number(p["target"]),
            "—" if p["progress"] is None else f"{p['progress']:.0%}",
        )
        for p in points
    ]
    _table(("Period", "Value", "Values", "Target", "Progress"), rows)


@indicators_app.command("compliance")
def indicators_compliance(
    on: Annotated[str | None, typer.Option(help="As of this day (YYYY-MM-DD); default today.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, as the API returns it.")] = False,
) -> None:
    """Per executing unit: the collection tasks due (events done, AAR due date passed) and how many were answered,
    the least compliant first."""
    _setup()
    from datetime import date

    from django.utils import timezone

    from goldthread.measures import selectors

    try:
        day = date.fromisoformat(on) if on is not None else timezone.localdate()
    except ValueError:
        _fail(f"--on {on!r} is not a date; write it as YYYY-MM-DD")
    found = [
        {"unit": row.unit.short_name, "due": row.due, "answered": row.answered, "rate": row.rate}
        for row in selectors.compliance(on=day)
    ]
    if as_json:
        print(json.dumps(found, indent=2))
        return
    if not found:
        print(f"No collection task is due on {day:%d %b %Y}.")
        return
    rows = [
        (r["unit"], str(r["due"]), str(r["answered"]), "—" if r["rate"] is None else f"{r['rate']:.0%}") for r in found
    ]
    _table(("Unit", "Due", "Answered", "Rate"), rows)


@indicators_app.command("lock")
def indicators_lock(
    code: Annotated[str, typer.Argument(help="The indicator's code or uid.")],
    period: Annotated[str, typer.Argument(help="A fiscal year (FY2027) or quarter (FY2027-Q2).")],
    username: Annotated[
        str | None, typer.Option("--as", "--user", help="The username the lock is recorded under.")
    ] = None,
) -> None:
    """Close a period of an indicator to edits once all its values are approved; a year's lock covers its
    quarters."""
    _setup()
    from goldthread.core.errors import DomainError
    from goldthread.measures import services

    actor = _actor(username, "locks the period")
    indicator = _indicator(code)
    try:
        services.lock(actor=actor, indicator=indicator, period=period)
    except DomainError as exc:
        _fail(exc.detail)
    print(f"Locked {period} of {indicator.code}: its approved values are final.")


@user_app.command("handover")
def user_handover(
    leaving: Annotated[str, typer.Argument(help="The username of the person leaving.")],
    successor: Annotated[str, typer.Argument(help="The username of the person taking over.")],
) -> None:
    """Move a person's folder sections, countries, subscriptions, open requests and unacknowledged deliveries to
    their successor, in one audited step."""
    _setup()
    from goldthread.core.errors import DomainError
    from goldthread.core.models import User
    from goldthread.folders.services import handover

    people = {u.username: u for u in User.objects.filter(username__in=[leaving, successor])}
    for name in (leaving, successor):
        if name not in people:
            _fail(f"no user {name!r}")
    try:
        moved = handover(actor=None, leaving=people[leaving], successor=people[successor])
    except DomainError as exc:
        _fail(exc.detail)
    out.print(f"Handed over to {successor}: " + ", ".join(f"{n} {what}" for what, n in moved.items()) + ".")


def _event(reference: str):
    """An event by uid or code, or exit 2."""
    from django.db.models import Q

    from goldthread.core.identifiers import is_uuid
    from goldthread.events.models import Event

    found = Event.objects.filter(Q(uid=reference) | Q(code=reference) if is_uuid(reference) else Q(code=reference))
    if (event := found.first()) is None:
        _fail(f"no event {reference!r}")
    return event


@check_app.command("audit")
def check_audit() -> None:
    """Verify the audit trail's hash chain: exit 1 and name the first entry that was changed or removed."""
    _setup()
    from goldthread.core.audit import verify_chain
    from goldthread.core.models import AuditEntry

    broken = verify_chain()
    if broken is not None:
        print(
            f"error: the audit trail is broken at entry {broken.pk} ({broken.at:%Y-%m-%d %H:%M:%S} "
            f"{broken.action} {broken.object_repr}): it, or an entry before it, was changed or removed",
            file=sys.stderr,
        )
        raise typer.Exit(1)
    out.print(f"The audit trail holds: {AuditEntry.objects.count():,} entries, each chained to the one before.")


# --- Evaluation ------------------------------------------------------------------------------------------------

report_app = typer.Typer(help="Write reports.", no_args_is_help=True)
app.add_typer(report_app, name="report")

Country = Annotated[str, typer.Option(help="ISO alpha-3 code of one country.")]
ObjectiveOption = Annotated[str, typer.Option("--objective", help="Code or uid: the objective and those below it.")]
Organization = Annotated[str, typer.Option(help="Short name: the organization and the units below it.")]
FiscalYear = Annotated[int | None, typer.Option(min=1900, max=2200, help="Only this fiscal year.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON, as the API returns it.")]


def _filters(country: str, objective: str, organization: str, fiscal_year: int | None):
    """The evaluation filters from the options, or exit 2 naming the one that is wrong."""
    from django.utils import timezone

    from goldthread.core.errors import DomainError
    from goldthread.evaluation.findings import Filters

    try:
        return Filters.parse(
            timezone.localdate(),
            country=country,
            objective=objective,
            organization=organization,
            fiscal_year=fiscal_year,
        )
    except DomainError as exc:
        _fail(exc.detail)


@check_app.command("coverage")
def check_coverage(
    country: Country = "",
    objective: ObjectiveOption = "",
    organization: Organization = "",
    fiscal_year: FiscalYear = None,
    limit: Annotated[int, typer.Option(min=0, help="Findings listed of each kind.")] = 20,
    as_json: AsJson = False,
) -> None:
    """Where the thread is broken: orphan events, objectives no event serves or nothing measures, stale indicators,
    missing and late AARs, objectives never assessed — each with the record to fix. Exit 1 if any."""
    _setup()
    from goldthread.evaluation import findings
    from goldthread.evaluation.schemas import FindingOut

    f = _filters(country, objective, organization, fiscal_year)
    counts = findings.counts(f)
    shown = {k.key: findings.page(k, f, limit=limit) if counts[k.key] else [] for k in findings.KINDS}
    if as_json:
        body = {
            "as_of": f.as_of.isoformat(),
            "kinds": [
                {
                    "key": k.key,
                    "title": k.title,
                    "count": counts[k.key],
                    "first": [FindingOut.of(x).model_dump(mode="json") for x in shown[k.key]],
                }
                for k in findings.KINDS
            ],
        }
        print(json.dumps(body, indent=2))
    else:
        for k in findings.KINDS:
            out.print(f"[bold]{k.title}: {counts[k.key]:,}[/bold]")
            for x in shown[k.key]:
                print(f"  {x.code:<22} {x.detail[:46]:<46} {x.title[:60]}")
            if counts[k.key] > len(shown[k.key]):
                print(f"  … and {counts[k.key] - len(shown[k.key]):,} more")
    if any(counts.values()):
        raise typer.Exit(1)


@check_app.command("discipline")
def check_discipline(
    organization: Organization = "",
    fiscal_year: FiscalYear = None,
    as_json: AsJson = False,
) -> None:
    """Data discipline per executing unit: events entered on time, conference records approved, AARs on time,
    collection tasks answered, AAR content; the score and its trend over the last five fiscal years."""
    _setup()
    from goldthread.evaluation import discipline
    from goldthread.evaluation.schemas import DisciplineLine
    from goldthread.events.models import fiscal_year as fiscal_year_of

    f = _filters("", "", organization, fiscal_year)
    current = fiscal_year_of(f.today)
    years = [fiscal_year] if fiscal_year else list(range(current - 4, current + 1))
    lines = discipline.lines(on=f.today, fiscal_years=years, units=set(f.unit_ids) or None)
    if as_json:
        print(json.dumps([DisciplineLine.of(line).model_dump(mode="json") for line in lines], indent=2))
        return
    if not lines:
        print("No unit had anything due.")
        return

    def tally(t) -> str:
        return f"{t.done}/{t.due}" if t.due else "—"

    _table(
        (
            "Unit",
            *("Entered", "Conferences", "AARs", "Tasks"),  # the measures, in discipline.MEASURES order
            "Content",
            "Score",
            *(f"FY{y}" for y in years),
        ),
        [
            (
                line.unit.short_name,
                *(tally(line.tallies[key]) for key, _ in discipline.MEASURES),
                _number(line.content and round(line.content)),
                _number(line.score and round(line.score)),
                *(_number(line.by_year.get(y) and round(line.by_year[y])) for y in years),
            )
            for line in lines
        ],
    )


@check_app.command("contribution")
def check_contribution(
    objective: Annotated[str, typer.Argument(help="The objective's code or uid.")],
    as_json: AsJson = False,
) -> None:
    """What the events serving an objective claimed, against what its MOEs did over each claim's window."""
    _setup()
    from django.utils import timezone

    from goldthread.evaluation import contribution
    from goldthread.evaluation.schemas import ContributionOut

    found = _filters("", objective, "", None).objective
    result = contribution.analyse(found, today=timezone.localdate())
    if as_json:
        print(json.dumps(ContributionOut.of(result).model_dump(mode="json"), indent=2))
        return
    out.print(f"[bold]{found.code}[/bold] {found.statement}", highlight=False)
    out.print(f"MOEs: {', '.join(s.indicator.code for s in result.moes) or 'none: no claim can be tested'}")
    out.print(
        f"Claims: {result.claims:,}"
        + (f", the newest {len(result.lines)} shown" if result.claims > len(result.lines) else "")
    )
    for key, n in result.verdicts.items():
        print(f"  {contribution.VERDICTS[key]}: {n}")
    rows = [
        (
            line.claim.event.code,
            line.claim.get_direction_display(),
            c.indicator.code if c else "—",
            _number(c.before.value) if c and c.before else "—",
            _number(c.after.value) if c and c.after else "—",
            contribution.VERDICTS[c.verdict if c else "untestable"],
        )
        for line in result.lines
        for c in line.nearest or [None]
    ]
    if rows:
        _table(("Event", "Claimed", "Indicator", "Before", "After", "Verdict"), rows)
    if any(line.rest for line in result.lines):
        out.print(f"Each claim's nearest {contribution.COMPARED_SHOWN} MOEs are listed; --json lists them all.")


@report_app.command("evaluation")
def report_evaluation(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    country: Country = "",
    objective: ObjectiveOption = "",
    fiscal_year: FiscalYear = None,
    format: Annotated[str, typer.Option(help="docx, pdf, or xlsx for the data.")] = "docx",  # noqa: A002
) -> None:
    """Write the evaluation report of a country, an objective or a fiscal year (or the theater): findings,
    contribution, data discipline, portfolio, gaps and recommendations."""
    _setup()
    from goldthread.core import audit
    from goldthread.reports import evaluation_document

    if format not in evaluation_document.FILE_FORMATS:
        _fail(f"format {format!r} is not available; use one of: {', '.join(evaluation_document.FILE_FORMATS)}")
    if not output.parent.exists():
        _fail(f"the folder {output.parent} does not exist")
    f = _filters(country, objective, "", fiscal_year)
    content, _, filename = evaluation_document.file(f, format)
    output.write_bytes(content)
    audit.record_about(None, "evaluation.exported", filename, {"format": format, "output": str(output)})
    out.print(f"Wrote {filename} to {output}.")


# --- Reconciliation with the system of record (EVAL-4) -------------------------------------------------------

reconcile_app = typer.Typer(
    help="Reconciliation with the system of record (G-TSCMIS, Socium): export, import, report.", no_args_is_help=True
)
app.add_typer(reconcile_app, name="reconcile")


@reconcile_app.command("export")
def reconcile_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="The CSV file to write.")],
    fiscal_year: Annotated[int | None, typer.Option(min=1900, max=2200, help="Only this fiscal year.")] = None,
    country: Annotated[str | None, typer.Option(help="Only events in this country (ISO alpha-3 code).")] = None,
) -> None:
    """Write events in the reconciliation layout (docs/reconciliation.md): one row per contribution claim, UTF-8
    with a byte-order mark."""
    if not output.parent.exists():
        _fail(f"the folder {output.parent} does not exist")
    _setup()
    from goldthread.core.errors import DomainError
    from goldthread.evaluation import reconciliation

    try:
        events = reconciliation.events(fiscal_year=fiscal_year, country=country)
    except DomainError as exc:
        _fail(exc.detail)
    output.write_bytes(reconciliation.export(events).encode("utf-8"))
    reconciliation.record_export(None, events, fiscal_year=fiscal_year, country=country)
    out.print(f"Wrote {events.count()} events to {output}.", highlight=False)


def _changes(changes: dict[str, tuple[str, str]]) -> str:
    return "; ".join(f"{column} {old!r} → {new!r}" for column, (old, new) in changes.items())


@reconcile_app.command("import")
def reconcile_import(
    file: Annotated[Path, typer.Argument(help="A CSV file (UTF-8) in the reconciliation layout.")],
    username: Annotated[
        str | None, typer.Option("--as", "--user", help="The username the changes are made and recorded under.")
    ] = None,
    commit: Annotated[bool, typer.Option("--commit", help="Write the changes when no row has an error.")] = False,
) -> None:
    """Check a file of events against Goldthread and print what importing it would create and update, and every
    row error; write it all with --commit and a clean file. Exit 1 when a row has an error, 2 when the file cannot
    be read."""
    _setup()
    from goldthread.core.errors import DomainError
    from goldthread.evaluation import reconciliation

    actor = _actor(username, "imports the events")
    if not file.is_file():
        _fail(f"no file {str(file)!r}")
    try:
        text = reconciliation.decode(file.read_bytes(), file.name)
        preview = reconciliation.preview(text, actor=actor, name=file.name)
    except DomainError as exc:
        _fail(exc.detail)
    if preview.ignored:
        print(f"Not in the layout, not read: {', '.join(preview.ignored)}.")
    for plan in preview.events:
        if plan.action == "unchanged" and not plan.kept_claims:
            continue
        line = f"{plan.action:<9} {plan.code}"
        if plan.changes:
            line += f": {_changes(plan.changes)}"
        print(line)
        for claim in plan.claims:
            if claim.action != "unchanged":
                detail = f": {_changes(claim.changes)}" if claim.changes else ""
                print(f"          claim {claim.objective} ({claim.action}){detail}")
        if plan.kept_claims:
            print(f"          kept, not in the file: {', '.join(plan.kept_claims)}")
    counts = preview.counts
    print(f"{counts['create']} to create, {counts['update']} to update, {counts['unchanged']} unchanged.")
    if preview.errors:
        _table(("Row", "Column", "Error"), [(str(e.row), e.column or "—", e.message) for e in preview.errors])
        print(f"error: {file.name}: {len(preview.errors)} row error(s); nothing was written", file=sys.stderr)
        raise typer.Exit(1)
    if not commit:
        print("Nothing was written: run again with --commit to write it.")
        return
    try:
        plans = reconciliation.commit(actor, preview)
    except reconciliation.RowsRefused as exc:
        # The data changed since the preview: say what is refused now.
        _table(("Row", "Column", "Error"), [(str(e.row), e.column or "—", e.message) for e in exc.rows])
        print(f"error: {file.name}: {exc.detail}", file=sys.stderr)
        raise typer.Exit(1) from None
    written = sum(1 for p in plans if p.action != "unchanged")
    print(f"Imported {file.name}: {written} events created or updated.")


@reconcile_app.command("report")
def reconcile_report(
    fiscal_year: Annotated[int | None, typer.Option(min=1900, max=2200, help="Only this fiscal year.")] = None,
    country: Annotated[str | None, typer.Option(help="Only events in this country (ISO alpha-3 code).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, as the API returns it.")] = False,
) -> None:
    """Events missing a system-of-record ID, a contribution claim, an AAR (past due) or an assessment (since the
    event ended), and which."""
    _setup()
    from goldthread.core.errors import DomainError
    from goldthread.evaluation import reconciliation

    try:
        gaps = reconciliation.report(fiscal_year, country)
    except DomainError as exc:
        _fail(exc.detail)
    if as_json:
        print(json.dumps([gap.as_row() for gap in gaps], indent=2, default=str))
        return
    if not gaps:
        print("Every event has its system-of-record ID, a claim, and its AAR and assessment when due.")
        return
    rows = [
        (
            gap.event.code,
            gap.event.record_id or "—",
            f"FY{gap.event.fiscal_year}",
            gap.event.get_status_display(),
            ", ".join(reconciliation.MISSING[key] for key in gap.missing),
        )
        for gap in gaps
    ]
    _table(("Event", "Record ID", "FY", "Status", "Missing"), rows)


search_app = typer.Typer(help="The search index behind the search page and GET /api/v1/search.", no_args_is_help=True)
app.add_typer(search_app, name="search")


@search_app.command("reindex")
def search_reindex(
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="Rebuild only this kind of entry (repeatable): event, objective, indicator, after-action report, "
            "theme, folder section, observation. Every kind by default.",
        ),
    ] = None,
    missing_only: Annotated[
        bool, typer.Option("--missing-only", help="Keep the entries there are; add those of records that have none.")
    ] = False,
    batch_size: Annotated[int, typer.Option(min=1, max=100_000, help="Records read and written at a time.")] = 2000,
) -> None:
    """Rebuild the search index from the records, in one transaction. Needed when records were written straight into
    the database rather than through the services; searches go on meanwhile, on the index as it was."""
    _setup()
    import time

    from rich.progress import Progress

    from goldthread.search import index

    unknown = sorted(set(kind or ()) - set(index.KINDS))
    if unknown:
        _fail(f"no kind of search entry {unknown[0]!r}; the kinds are: {', '.join(index.KINDS)}")
    started = time.monotonic()
    with Progress(console=err) as progress:
        tasks: dict[str, int] = {}

        def tell(name: str, count: int) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(f"Indexing {name} entries", total=None)
            progress.update(tasks[name], completed=count)

        written = index.reindex(kinds=kind or (), missing_only=missing_only, batch_size=batch_size, progress=tell)
    seconds = time.monotonic() - started
    summary = ", ".join(f"{count:,} {name}" for name, count in written.items())
    out.print(f"Indexed {summary} in {seconds:.1f} s.")


if __name__ == "__main__":
    app()
