"""Two app processes on one database: 20 concurrent writers lose no update, and what one process writes the other
reads at once."""

import random
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from goldthread.core import audit
from goldthread.core.hashers import Argon2Hasher
from goldthread.core.models import AuditEntry, User
from goldthread.core.tokens import create_token
from goldthread.events.models import Event

from .conftest import PASSWORD, free_port, subprocess_env

WORKERS = 20
CYCLES = 5
MAX_TRIES = 200
# Two servers each build the API schema on their first request: seconds apiece when the machine is busy.
STARTUP_SECONDS = 90


class Server:
    def __init__(self, log_dir: Path, name: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Files, not pipes: a chatty server must never block on a pipe nobody reads.
        self.stderr_path = log_dir / f"{name}.stderr"
        with open(log_dir / f"{name}.stdout", "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "goldthread.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=subprocess_env(),
                stdout=out,
                stderr=err,
            )

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")[-4000:]

    def wait_until_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited with {self.process.returncode}:\n{self.stderr()}")
            try:
                # The first request builds the whole API schema, which takes seconds on a busy machine.
                if requests.get(f"{self.url}/api/v1/openapi.json", timeout=10).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.1)
        raise AssertionError(f"server on port {self.port} did not answer within {STARTUP_SECONDS} s:\n{self.stderr()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def test_twenty_writers_on_two_processes_lose_no_update(transactional_db, world, tmp_path):
    _, secret = create_token(actor=None, user=world.admin)
    event = world.event
    start_version = Event.objects.get(pk=event.pk).version
    entries_before = AuditEntry.objects.filter(object_uid=event.uid, action="event.updated").count()
    servers = []
    try:
        servers = [Server(tmp_path, "a"), Server(tmp_path, "b")]
        deadline = time.monotonic() + STARTUP_SECONDS
        for server in servers:
            server.wait_until_ready(deadline)

        conflicts = 0
        conflicts_lock = threading.Lock()
        # Released together, so that the writers really overlap instead of finishing one by one as they start.
        start = threading.Barrier(WORKERS)

        def writer(worker: int) -> None:
            nonlocal conflicts
            base = f"{servers[worker % 2].url}/api/v1/events/{event.uid}"
            rng = random.Random(worker)
            with requests.Session() as http:
                http.headers["Authorization"] = f"Bearer {secret}"
                start.wait(timeout=30)
                for i in range(CYCLES):
                    for attempt in range(MAX_TRIES):
                        read = http.get(base, timeout=30)
                        assert read.status_code == 200, f"GET: {read.status_code} {read.text[:500]}"
                        current = read.json()
                        body = {
                            "version": current["version"],
                            "description": current["description"] + f"[w{worker}-{i}]",
                        }
                        written = http.patch(base, json=body, timeout=30)
                        if written.status_code == 200:
                            assert written.json()["version"] > current["version"]
                            break
                        assert written.status_code == 409, f"PATCH: {written.status_code} {written.text[:500]}"
                        with conflicts_lock:
                            conflicts += 1
                        # Jittered, growing back-off: losers retrying at once would mostly collide again.
                        time.sleep(rng.uniform(0, min(0.2, 0.01 * 2**attempt)))
                    else:
                        raise AssertionError(f"worker {worker} cycle {i} gave up after {MAX_TRIES} conflicts")

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for future in [pool.submit(writer, w) for w in range(WORKERS)]:
                future.result(timeout=120)
    finally:
        for server in servers:
            server.stop()

    stored = Event.objects.get(pk=event.pk)
    markers = [f"[w{w}-{i}]" for w in range(WORKERS) for i in range(CYCLES)]
    missing = [m for m in markers if stored.description.count(m) != 1]
    assert not missing, f"lost or duplicated updates: {missing}"
    # Nothing but the markers: a write based on a stale read would have dropped or repeated some.
    assert len(stored.description) == sum(map(len, markers))
    for w in range(WORKERS):
        positions = [stored.description.index(f"[w{w}-{i}]") for i in range(CYCLES)]
        assert positions == sorted(positions), f"worker {w}'s updates were applied out of order"
    assert stored.version == start_version + WORKERS * CYCLES
    assert conflicts > 0, "the writers never collided, so this run proved nothing about lost updates"
    # Every accepted write left exactly one audit entry, and two processes appending at once kept the chain whole.
    assert (
        AuditEntry.objects.filter(object_uid=event.uid, action="event.updated").count() - entries_before
        == WORKERS * CYCLES
    )
    assert audit.verify_chain() is None


def orphan_codes(server: Server, http: requests.Session) -> set[str]:
    answer = http.get(f"{server.url}/api/v1/evaluation/coverage/orphan-event", timeout=30)
    assert answer.status_code == 200, answer.text[:500]
    return {finding["code"] for finding in answer.json()["items"]}


def test_a_change_made_through_one_process_is_read_through_the_other(transactional_db, world, tmp_path):
    """Scale-out: nothing an app process keeps for itself (kept evaluation results, the session) lets another
    process serve an older state."""
    _, secret = create_token(actor=None, user=world.admin)
    servers = []
    try:
        servers = [Server(tmp_path, "a"), Server(tmp_path, "b")]
        deadline = time.monotonic() + STARTUP_SECONDS
        for server in servers:
            server.wait_until_ready(deadline)
        a, b = servers
        with requests.Session() as http:
            http.headers["Authorization"] = f"Bearer {secret}"
            # B computes and keeps the findings first, so that a stale kept result would show below.
            assert world.orphan.code in orphan_codes(b, http)
            event = http.get(f"{a.url}/api/v1/events/{world.orphan.uid}", timeout=30).json()

            written = http.patch(
                f"{a.url}/api/v1/events/{world.orphan.uid}",
                json={"version": event["version"], "description": "Courtesy call on the Chief of Staff, AFP"},
                timeout=30,
            )
            assert written.status_code == 200, written.text[:500]
            claimed = http.post(
                f"{a.url}/api/v1/events/{world.orphan.uid}/claims",
                json={"objective": world.rel.code, "expected_change": "A working channel to the AFP staff"},
                timeout=30,
            )
            assert claimed.status_code == 201, claimed.text[:500]

            read = http.get(f"{b.url}/api/v1/events/{world.orphan.uid}", timeout=30).json()
            assert read["description"] == "Courtesy call on the Chief of Staff, AFP"
            assert read["version"] == written.json()["version"]
            assert world.orphan.code not in orphan_codes(b, http)

        # A web session begun on A is honoured by B: sessions live in the shared database. The servers hash
        # passwords as production does, not with the tests' fast hasher.
        hasher = Argon2Hasher()
        User.objects.filter(pk=world.planner.pk).update(password=hasher.encode(PASSWORD, hasher.salt()))
        with requests.Session() as browser:
            login = browser.get(f"{a.url}/login/", timeout=30)
            assert login.status_code == 200
            answer = browser.post(
                f"{a.url}/login/",
                data={
                    "username": world.planner.username,
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": browser.cookies["csrftoken"],
                },
                headers={"Referer": f"{a.url}/login/"},
                timeout=30,
                allow_redirects=False,
            )
            assert answer.status_code == 302, answer.text[:500]
            page = browser.get(f"{b.url}/events/{world.orphan.uid}/", timeout=30, allow_redirects=False)
            assert page.status_code == 200
            assert "Courtesy call on the Chief of Staff, AFP" in page.text
    finally:
        for server in servers:
            server.stop()
