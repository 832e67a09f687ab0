"""A small, explicit world the tests share: countries with constraints, organizations, an objective chain, events."""

import os
import socket
import time
from datetime import date
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from goldthread.core.catalogues import Echelon, Level
from goldthread.core.models import AuditEntry, User
from goldthread.core.roles import ROLES, sync_roles
from goldthread.core.tokens import create_token
from goldthread.events.models import ContributionClaim, Event, EventSeries
from goldthread.strategy.models import Country, CountryConstraint, Objective, ObjectiveLink, Organization
from goldthread.web.middleware import IdleTimeout

PASSWORD = "correct-horse-battery-42"


def make_user(username: str, role: str, organization: Organization | None = None) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, organization=organization, is_superuser=role == "administrator"
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def link(parent: Objective, child: Objective) -> None:
    ObjectiveLink.objects.create(parent=parent, child=child)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; the tests that need it say so."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def evaluation_computed_afresh(settings):
    """Tests change records straight through the ORM, which leaves no audit entry; evaluation results must not be
    kept between reads there. tests/test_evaluation.py checks the keeping itself."""
    settings.CACHES = {**settings.CACHES, "evaluation": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture(autouse=True)
def sessions_renewed_at_log_in(settings, monkeypatch):
    """A session made by `force_login` starts renewed, as one made through the log-in page does, and is not renewed
    again within a test: the reads whose queries the tests count then write no session of their own, however long
    the test runs. tests/test_web.py checks the renewal itself."""
    settings.SESSION_RENEW_SECONDS = 3600
    force_login = Client.force_login

    def logged_in_and_renewed(client: Client, user, backend=None) -> None:
        force_login(client, user, backend)
        session = client.session
        session[IdleTimeout.RENEWED] = int(time.time())
        session.save()

    monkeypatch.setattr(Client, "force_login", logged_in_and_renewed)


class World:
    """Handles to the records `world` creates, by the names tests use."""


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The role groups belong to the starting database of every test, as they do to every installation's: writing
    them once, not per test, is most of what a small world costs to build."""
    with django_db_blocker.unblock():
        sync_roles()


@pytest.fixture
def world(db) -> World:
    if Group.objects.filter(name__in=ROLES).count() != len(ROLES):
        sync_roles()  # a test that empties the database (transactional_db) took them away
    w = World()
    w.tha = Country.objects.create(iso3="THA", name="Thailand", in_aor=True, treaty_ally=True)
    w.chn = Country.objects.create(iso3="CHN", name="China", in_aor=True)
    w.phl = Country.objects.create(iso3="PHL", name="Philippines", in_aor=True, treaty_ally=True)
    w.prk = Country.objects.create(iso3="PRK", name="North Korea", in_aor=True)
    CountryConstraint.objects.create(
        country=w.chn,
        code="NDAA-FY2000",
        title="PLA relationship-only",
        basis="FY2000 NDAA §1201",
        allowed_objective_types=["REL"],
        forbidden_event_types=["FTX", "MTT"],
    )
    CountryConstraint.objects.create(
        country=w.tha,
        code="COUP-2014",
        title="Post-coup restriction",
        basis="Policy after May 2014",
        allowed_objective_types=["REL", "INT", "ACC"],
        forbidden_event_types=["MTT"],
        starts=date(2014, 5, 22),
        ends=date(2019, 7, 16),
    )
    CountryConstraint.objects.create(
        country=w.prk,
        code="NO-ENGAGEMENT",
        title="No engagement",
        basis="Policy",
        allowed_objective_types=[],
        forbidden_event_types=["FTX", "CPX", "SMEE", "KLE", "CONFERENCE"],
    )
    w.usarpac = Organization.objects.create(name="U.S. Army Pacific", short_name="USARPAC", echelon=Echelon.ASCC)
    w.bct = Organization.objects.create(
        name="2nd Stryker BCT", short_name="2-2 SBCT", echelon=Echelon.BRIGADE, parent=w.usarpac
    )
    w.rta = Organization.objects.create(
        name="RTA Cavalry Center", short_name="RTA Cav Ctr", echelon=Echelon.PARTNER_UNIT, country=w.tha
    )
    w.national = Objective.objects.create(
        code="NAT-1", statement="A stable region of capable allies", level=Level.NATIONAL, primary_type="REL"
    )
    w.theater = Objective.objects.create(
        code="TCP-O3",
        level=Level.THEATER,
        primary_type="CAP",
        statement="Allies and partners able to respond to regional disasters",
    )
    w.imo = Objective.objects.create(
        code="IMO-THA-2",
        level=Level.IMO,
        primary_type="INT",
        country=w.tha,
        statement="Thai forces lead a combined HADR response with U.S. support",
    )
    w.army = Objective.objects.create(
        code="CSP-THA-2.1",
        level=Level.COUNTRY,
        primary_type="CAP",
        secondary_types=["INT"],
        country=w.tha,
        statement="RTA brigade staff can plan a HADR response",
    )
    w.rel = Objective.objects.create(
        code="TCP-O1",
        level=Level.THEATER,
        primary_type="REL",
        statement="Durable ties with partner militaries",
    )
    w.starved = Objective.objects.create(
        code="TCP-O9", level=Level.THEATER, primary_type="ACC", statement="Access for contingency response"
    )
    link(w.national, w.theater)
    link(w.national, w.rel)
    link(w.theater, w.imo)
    link(w.imo, w.army)
    w.series = EventSeries.objects.create(name="Hanuman Guardian")
    w.event = Event.objects.create(
        code="EVT-2025-HG",
        name="Hanuman Guardian 2025",
        event_type="FTX",
        series=w.series,
        start_date=date(2025, 6, 20),
        end_date=date(2025, 7, 5),
        executing_unit=w.bct,
        status=Event.Status.APPROVED,
    )
    w.event.countries.set([w.tha])
    w.event.partner_units.set([w.rta])
    w.claim = ContributionClaim.objects.create(
        event=w.event,
        objective=w.army,
        role="PRIMARY",
        objective_type="CAP",
        expected_change="Combined HADR staff plan produced",
        indicator="Plan quality rubric",
    )
    w.orphan = Event.objects.create(
        code="EVT-2025-KLE",
        name="Office call",
        event_type="KLE",
        start_date=date(2025, 3, 1),
        end_date=date(2025, 3, 1),
    )
    w.orphan.countries.set([w.phl])
    w.admin = make_user("admin", "administrator")
    w.planner = make_user("planner", "strategic_planner", w.usarpac)
    w.unit = make_user("unit", "unit_planner", w.bct)
    w.reader = make_user("reader", "reader")
    return w


@pytest.fixture
def aar(world):
    """The world's exercise, executed; a next iteration tasked to another brigade; the people an AAR goes to."""
    w = world
    Event.objects.filter(pk=w.event.pk).update(status=Event.Status.COMPLETED)
    w.event.refresh_from_db()
    w.writer = make_user("writer", "executor", w.bct)
    w.next_bct = Organization.objects.create(
        name="3rd Infantry BCT", short_name="3-25 IBCT", echelon=Echelon.BRIGADE, parent=w.usarpac
    )
    w.next_unit = make_user("nextunit", "executor", w.next_bct)
    w.next_event = Event.objects.create(
        code="EVT-2026-HG",
        name="Hanuman Guardian 2026",
        event_type="FTX",
        series=w.series,
        start_date=date(2026, 6, 20),
        end_date=date(2026, 7, 5),
        executing_unit=w.next_bct,
    )
    w.next_event.countries.set([w.tha])
    w.desk = make_user("desk", "desk_officer")
    w.desk.countries.set([w.tha])
    w.sco = make_user("sco", "sco")
    w.sco.countries.set([w.tha])
    w.assessor = make_user("assessor", "assessor")
    return w


@pytest.fixture
def measures(aar):
    """Indicators on the AAR scene: a MOE rated on a scale on the Thai country objective (the exercise claims it),
    a MOP counted at the exercise, a theater MOE its country part rolls up to; an approver and an assessor."""
    from goldthread.measures.models import Indicator

    w = aar
    w.moe = Indicator.objects.create(
        code="MOE-THA-1",
        kind="MOE",
        statement="RTA brigade staff HADR plan quality",
        objective=w.army,
        unit="rating",
        data_source="Observer rubric",
        aggregation="LATEST",
        scale=[{"value": v, "label": f"Level {v}"} for v in range(1, 6)],
        baseline_value=2,
    )
    w.mop = Indicator.objects.create(
        code="MOP-HG-1",
        kind="MOP",
        statement="RTA staff officers completing the CPX",
        event=w.event,
        unit="officers",
        data_source="Attendance roster",
        disaggregations=["sex"],
    )
    w.theater_moe = Indicator.objects.create(
        code="MOE-TCP-3",
        kind="MOE",
        statement="Partner staff able to plan a HADR response",
        objective=w.theater,
        unit="staff officers",
        data_source="Country roll-up",
    )
    w.country_moe = Indicator.objects.create(
        code="MOE-THA-2",
        kind="MOE",
        statement="Thai staff officers certified in HADR planning",
        objective=w.army,
        unit="staff officers",
        data_source="RTA training records",
        rolls_up_to=w.theater_moe,
    )
    return w


@pytest.fixture
def api(world, client):
    """A client that speaks JSON to /api/v1 with the planner's bearer token."""
    _, secret = create_token(actor=None, user=world.planner)
    return ApiClient(client, secret)


class ApiClient:
    def __init__(self, client, secret: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def _call(self, method: str, path: str, body=None, files=None, **params):
        kwargs = {"headers": self.headers}
        if files is not None:  # multipart: the test client encodes files and fields itself
            uploads = {key: SimpleUploadedFile(name, content) for key, (name, content) in files.items()}
            kwargs["data"] = {**params, **uploads}
        elif body is not None:
            kwargs.update(data=body, content_type="application/json")
        elif params:
            kwargs["data"] = params
        entries = AuditEntry.objects.count()
        response = getattr(self.client, method)(f"/api/v1{path}", **kwargs)
        if method != "get" and response.status_code < 300:
            # Every change the API accepts leaves its mark in the audit trail, attributed to the token's user.
            new = AuditEntry.objects.order_by("-id")[: AuditEntry.objects.count() - entries]
            assert new, f"{method.upper()} {path} changed data without an audit entry"
            assert all(entry.actor_id for entry in new), f"{method.upper()} {path} wrote an unattributed entry"
        return response

    def get(self, path: str, **params):
        return self._call("get", path, **params)

    def post(self, path: str, body: dict):
        return self._call("post", path, body)

    def patch(self, path: str, body: dict):
        return self._call("patch", path, body)

    def put(self, path: str, body: dict):
        return self._call("put", path, body)

    def upload(self, path: str, files: dict[str, tuple[str, bytes]], **fields):
        return self._call("post", path, files=files, **fields)

    def delete(self, path: str):
        return self._call("delete", path)

    def as_user(self, user: User) -> "ApiClient":
        return ApiClient(self.client, create_token(actor=None, user=user)[1])


def subprocess_env() -> dict[str, str]:
    """The environment of a child `goldthread` process that works on this test's database (not the live one)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        credentials = quote(db["USER"], safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
        url = f"postgresql://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "GOLDTHREAD_DATABASE_URL": url,
        "GOLDTHREAD_DATA_DIR": str(settings.DATA_DIR),
        "GOLDTHREAD_SECRET_KEY": settings.SECRET_KEY,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - the name aiosmtpd calls
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, and Goldthread's mail pointed at it."""
    port = free_port()
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    yield mailbox
    controller.stop()
