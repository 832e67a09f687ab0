"""The people of the load test: `benchmarks/load.py` runs this file with locust, headless, against two app processes.

Everything it needs comes from the plan file named by GOLDTHREAD_LOAD_PLAN, which load.py writes: the two base URLs,
the log-ins and API tokens, the uids it found through the API, and where to leave the tally. Each simulated user logs
in through the web form as one demo user, keeps to one of the two processes (the users alternate between them), reads
pages and the API, and a planner also writes: an event's description with its version (the first thing each planner
does), and an observation on a draft after-action report, removed again so that repeated runs leave the data set as
it was.

A failure is any 5xx, connection error or unexpected 4xx. A 409 on an event is the right answer when another planner
changed it first: it is counted as a conflict, the event is read again and the change is sent once more.
"""

import itertools
import json
import os
import random
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["GOLDTHREAD_LOAD_PLAN"]).read_text(encoding="utf-8"))
HOSTS: list[str] = PLAN["hosts"]
MARKER = re.compile(r" \[load [^\]]*\]$")

# Requests each process answered, by status code, and the conflicts met; load.py reads them from the tally file.
answered: dict[str, Counter] = {host: Counter() for host in HOSTS}
conflicts = Counter()


@events.request.add_listener
def _count(url: str = "", response=None, **_) -> None:
    parts = urlsplit(url)
    host = f"{parts.scheme}://{parts.netloc}"
    if host in answered:
        answered[host][str(response.status_code) if response is not None and response.status_code else "none"] += 1


def _figures(entry) -> dict:
    # locust keeps response times rounded to two significant digits above 100 ms, so a percentile can come out
    # above the exact maximum or below the median, which locust keeps between the fastest and the slowest itself.
    slowest = round(entry.max_response_time)
    median = entry.median_response_time
    p95 = min(max(entry.get_response_time_percentile(0.95), median), slowest) if entry.num_requests else 0
    return {
        "name": entry.name,
        "method": entry.method or "",
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": round(entry.total_rps, 2),
        "median_ms": median,
        "p95_ms": p95,
        "max_ms": slowest,
    }


@events.quitting.add_listener
def _write_tally(environment, **_) -> None:
    # Read here, once every user has stopped: locust's CSV files may be written before the last requests finish.
    stats = environment.stats
    tally = {
        "groups": [_figures(entry) for _, entry in sorted(stats.entries.items())],
        "total": _figures(stats.total),
        "errors": [{"name": e.name, "error": str(e.error), "count": e.occurrences} for e in stats.errors.values()],
        "exceptions": sum(e["count"] for e in environment.runner.exceptions.values()),
        "answered": {host: dict(counts) for host, counts in answered.items()},
        "conflicts": dict(conflicts),
    }
    Path(PLAN["tally"]).write_text(json.dumps(tally, indent=2), encoding="utf-8")


class Person(HttpUser):
    """Reads what every role reads all day: pages as a logged-in user, and the API with a bearer token."""

    abstract = True
    wait_time = between(PLAN["think"] * 0.5, PLAN["think"] * 1.5)
    personas: list[str] = []
    counter: itertools.count
    first_host = 0

    def on_start(self) -> None:
        n = next(self.counter)
        self.base = HOSTS[(n + self.first_host) % len(HOSTS)]
        self.username = self.personas[(n // len(HOSTS)) % len(self.personas)]
        self.api = {"Authorization": f"Bearer {PLAN['tokens'][self.username]}"}
        self.rng = random.Random(f"{self.username}-{n}")
        self.log_in()

    def log_in(self) -> None:
        self.client.get(f"{self.base}/login/", name="log in (form)")
        with self.client.post(
            f"{self.base}/login/",
            data={
                "username": self.username,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            headers={"Referer": f"{self.base}/login/"},
            allow_redirects=False,
            name="log in (POST)",
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"log-in of {self.username} answered {answer.status_code}, not a redirect")

    def page(self, path: str, name: str) -> None:
        # No redirects followed: a lost session would show as a redirect to the log-in page, which is a failure.
        with self.client.get(f"{self.base}{path}", name=name, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}")

    def read(self, path: str, name: str) -> dict | None:
        with self.client.get(f"{self.base}{path}", name=name, headers=self.api, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}")
                return None
            return answer.json()

    def pick(self, key: str) -> str:
        return self.rng.choice(PLAN[key])

    @task(3)
    def home(self) -> None:
        self.page("/", "page: home")

    @task(3)
    def event_list(self) -> None:
        self.page(f"/events/?country={PLAN['country']}", "page: events in a country")

    @task(4)
    def event_page(self) -> None:
        self.page(f"/events/{self.pick('events')}/", "page: event")

    @task(2)
    def objective_page(self) -> None:
        self.page(f"/objectives/{self.pick('objectives')}/", "page: objective")

    @task(2)
    def search_page(self) -> None:
        self.page(f"/search/?q={self.pick('queries')}", "page: search")

    @task(1)
    def evaluation_page(self) -> None:
        self.page("/evaluation/", "page: evaluation dashboard")

    @task(1)
    def folder_page(self) -> None:
        self.page(f"/countries/{PLAN['country']}/folder/", "page: country folder")

    @task(3)
    def api_event_list(self) -> None:
        self.read(f"/api/v1/events?country={PLAN['country']}", "api: events in a country")

    @task(4)
    def api_event(self) -> None:
        self.read(f"/api/v1/events/{self.pick('events')}", "api: event")

    @task(2)
    def api_event_thread(self) -> None:
        self.read(f"/api/v1/events/{self.pick('events')}/thread", "api: event thread")

    @task(2)
    def api_objectives(self) -> None:
        self.read(f"/api/v1/objectives?country={PLAN['country']}", "api: objectives of a country")


class Reader(Person):
    """Desk officers, SCOs, assessors and readers: they read, and change nothing here."""

    personas = PLAN["readers"]
    counter = itertools.count()
    first_host = 1  # the planners start on the first process, the readers on the second


class Planner(Person):
    """Strategic planners: the same reads, and the writes."""

    personas = PLAN["writers"]
    counter = itertools.count()
    fixed_count = PLAN["planners"]

    def on_start(self) -> None:
        super().on_start()
        self.edit_event()  # a planner logs in to change something: that change comes first, the browsing after

    @task(5)
    def edit_event(self) -> None:
        uid = self.pick("edit_events")
        for attempt in ("first", "retry"):
            event = self.read(f"/api/v1/events/{uid}", "api: event")
            if event is None:
                return
            description = MARKER.sub("", event["description"]) + f" [load {self.username}-{self.rng.randrange(10**6)}]"
            name = "write: event description" if attempt == "first" else "write: event description, again after 409"
            with self.client.patch(
                f"{self.base}/api/v1/events/{uid}",
                json={"version": event["version"], "description": description},
                headers=self.api,
                name=name,
                catch_response=True,
            ) as answer:
                if answer.status_code == 200:
                    return
                if answer.status_code != 409:
                    answer.failure(f"{answer.status_code}")
                    return
                answer.success()  # another planner got there first: the answer the API owes
                conflicts[attempt] += 1

    @task(1)
    def add_and_remove_observation(self) -> None:
        if not PLAN["reports"]:
            return
        with self.client.post(
            f"{self.base}/api/v1/aars/{self.pick('reports')}/observations",
            json={
                "title": "Interpreters arrived after the first training day",
                "observation": "Two of the four contract interpreters reached the range a day late.",
                "recommendation": "Book interpreters through the embassy at the final planning conference.",
                "dotmlpfp": "PERSONNEL",
            },
            headers=self.api,
            name="write: add observation",
            catch_response=True,
        ) as answer:
            if answer.status_code != 201:
                answer.failure(f"{answer.status_code}")
                return
            uid = answer.json()["uid"]
        self.client.delete(f"{self.base}/api/v1/observations/{uid}", headers=self.api, name="write: remove observation")
