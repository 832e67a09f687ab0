"""Benchmark: a mixed read/write load from simulated users against two app processes sharing one database.

    make benchmark-load
    make benchmark-load BENCH_ARGS="--users 40 --duration 120"

It prepares the database given by GOLDTHREAD_DATABASE_URL (PostgreSQL on 127.0.0.1, database gt_load, unless set):
creates it if missing, migrates, loads the demo once and tops the events up to --events with generated ones. It
creates API tokens for the demo users it plays, starts two `goldthread serve` processes (waitress) on loopback ports,
finds the uids it needs through the API, warms every route once on each process, and runs locust headless with
benchmarks/locustfile.py for --duration seconds. Then it reads each process's memory and CPU time, stops them (also on
failure), revokes the tokens, writes the result as JSON (load.json in the data directory, locust's CSV files and the
servers' logs beside it in load/) and prints a Markdown table for docs/performance.md.

It exits 0 when every request was answered as expected and both processes served requests; 1 otherwise; 2 on bad
arguments.
"""

import argparse
import contextlib
import json
import os
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("GOLDTHREAD_DATA_DIR", tempfile.mkdtemp(prefix="goldthread-bench-"))
os.environ.setdefault("GOLDTHREAD_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/gt_load")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldthread.settings")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402

from goldthread.core.accounts import revoke_token  # noqa: E402
from goldthread.core.models import User  # noqa: E402
from goldthread.core.tokens import create_token  # noqa: E402
from goldthread.demo.catalogue import DEMO_PASSWORD  # noqa: E402
from goldthread.events.models import Event  # noqa: E402

HERE = Path(__file__).resolve().parent
LOCUSTFILE = HERE / "locustfile.py"
COUNTRY = "THA"
WRITERS = ["planner"]  # strategic planners: theater-wide change rights on events and reports
READERS = ["reader", "desk", "sco", "assessor"]
QUERIES = ["interpreters", "Thailand", "HADR", "staff talks", "medevac", "Cobra Gold"]
EDIT_EVENTS = 8  # few enough that planners meet each other's changes, as they do on a busy event
STARTUP_SECONDS = 90
# A load test of a machine that others share stops by itself, and soon.
MAX_USERS = 200
MAX_SECONDS = 3600
TICKS = os.sysconf("SC_CLK_TCK")


class Refused(Exception):
    """The benchmark cannot go on; the message says why in one line."""


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    stderr: Path
    cpu_start: float = 0.0
    peak_rss: float = 0.0

    def status(self, field: str) -> float:
        """A memory figure of /proc/PID/status, in MiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self) -> float:
        # Fields 14 and 15 of /proc/PID/stat, counted after the command name, which may hold spaces.
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


class MemoryWatch(threading.Thread):
    """Samples each process's resident memory while the load runs: its lifetime peak (VmHWM) would also hold
    start-up and warm-up."""

    def __init__(self, servers: list[Server]):
        super().__init__(daemon=True)
        self.servers = servers
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.25):
            for server in self.servers:
                with contextlib.suppress(OSError):
                    server.peak_rss = max(server.peak_rss, server.status("VmRSS"))

    def __enter__(self) -> "MemoryWatch":
        self.start()
        return self

    def __exit__(self, *_) -> None:
        self.done.set()
        self.join()


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, all) CPU seconds the whole machine has counted since boot, over every core, from /proc/stat."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and waiting for I/O
    return (sum(ticks) - idle) / TICKS, sum(ticks) / TICKS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_name() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    return f"SQLite {sqlite3.sqlite_version}"


def create_database_if_missing() -> None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone() is None:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            print(f"Created the database {db['NAME']}.", flush=True)


def prepare(events: int) -> None:
    import dataset  # benchmarks/dataset.py: the schema, the demo once, generated events up to the size asked for

    create_database_if_missing()
    existing, seconds = dataset.top_up(events, seed=1)
    total = Event.objects.count()
    if total > existing:
        print(f"Generated {total - existing:,} events in {seconds:.0f} s.", flush=True)


def issue_tokens() -> dict[str, tuple[str, str]]:
    """username -> (token prefix, secret) for every user the load plays."""
    names = WRITERS + READERS
    found = set(User.objects.filter(username__in=names, is_active=True).values_list("username", flat=True))
    if missing := [n for n in names if n not in found]:
        raise Refused(f"no active user {', '.join(missing)}: load the demo data (run without --no-setup)")
    issued = {}
    for user in User.objects.filter(username__in=names):
        token, secret = create_token(actor=None, user=user, name="load benchmark", days=1)
        issued[user.username] = (token.prefix, secret)
    return issued


def start_server(name: str, out: Path) -> Server:
    port = free_port()
    # Files, not pipes: a server must never block on a pipe nobody reads.
    with open(out / f"{name}.stdout", "wb") as stdout, open(out / f"{name}.stderr", "wb") as stderr:
        process = subprocess.Popen(  # noqa: S603 - an argument list, never a shell
            [sys.executable, "-m", "goldthread.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=stdout,
            stderr=stderr,
            env=os.environ.copy(),
        )
    return Server(name, f"http://127.0.0.1:{port}", process, out / f"{name}.stderr")


def wait_until_ready(server: Server, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = server.stderr.read_text(errors="replace")[-2000:]
            raise Refused(f"server {server.name} exited with {server.process.returncode}: {tail.strip()}")
        try:
            # The page every user opens first; the first request imports every view, which takes seconds.
            if requests.get(f"{server.url}/login/", timeout=30).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.2)
    raise Refused(f"server {server.name} on {server.url} did not answer within {STARTUP_SECONDS} s")


def get_json(http: requests.Session, url: str) -> dict:
    answer = http.get(url, timeout=60)
    if answer.status_code != 200:
        raise Refused(f"GET {url} answered {answer.status_code}: {answer.text[:300]}")
    return answer.json()


def discover(base: str, secret: str) -> dict:
    """The uids the simulated users work on, found through the API as a client would find them."""
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {secret}"
        listed = get_json(http, f"{base}/api/v1/events?country={COUNTRY}&page_size=200")["items"]
        if not listed:
            raise Refused(f"no events in {COUNTRY}: load the demo data (run without --no-setup)")
        objectives = get_json(http, f"{base}/api/v1/objectives?country={COUNTRY}&page_size=200")["items"]
        if not objectives:
            raise Refused(f"no objectives of {COUNTRY}: load the demo data (run without --no-setup)")
        reports = [r["uid"] for r in get_json(http, f"{base}/api/v1/aars?status=DRAFT&page_size=20")["items"]]
        if not reports:
            # Start a report on an event that has been held and has none, as its unit would.
            held = [e for e in listed if e["status"] in ("EXECUTING", "COMPLETED", "CLOSED")]
            for event in held:
                answer = http.post(f"{base}/api/v1/events/{event['uid']}/aar", timeout=60)
                if answer.status_code == 201:
                    reports = [answer.json()["uid"]]
                    break
    return {
        "events": [e["uid"] for e in listed],
        "edit_events": [e["uid"] for e in listed[:EDIT_EVENTS]],
        "objectives": [o["uid"] for o in objectives],
        "reports": reports,
    }


def warm_up(base: str, secret: str, found: dict) -> None:
    """One unmeasured request to every route, so that the first measured ones do not pay for imports and caches."""
    event, objective = found["events"][0], found["objectives"][0]
    with requests.Session() as web:
        web.get(f"{base}/login/", timeout=60)
        logged_in = web.post(
            f"{base}/login/",
            data={"username": READERS[0], "password": DEMO_PASSWORD, "csrfmiddlewaretoken": web.cookies["csrftoken"]},
            headers={"Referer": f"{base}/login/"},
            allow_redirects=False,
            timeout=60,
        )
        if logged_in.status_code != 302:
            raise Refused(f"log-in of {READERS[0]} on {base} answered {logged_in.status_code}, not a redirect")
        for path in (
            "/",
            f"/events/?country={COUNTRY}",
            f"/events/{event}/",
            f"/objectives/{objective}/",
            f"/search/?q={QUERIES[0]}",
            "/evaluation/",
            f"/countries/{COUNTRY}/folder/",
        ):
            answer = web.get(f"{base}{path}", allow_redirects=False, timeout=120)
            if answer.status_code != 200:
                raise Refused(f"GET {base}{path} answered {answer.status_code} before the load began")
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {secret}"
        get_json(http, f"{base}/api/v1/events/{event}")
        get_json(http, f"{base}/api/v1/events/{event}/thread")


def run_locust(args: argparse.Namespace, out: Path, plan: dict) -> int:
    plan_path = out / "plan.json"
    plan_path.write_text(json.dumps(plan, indent=2), encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.duration}s",
        "--stop-timeout",
        "10",
        "--host",
        plan["hosts"][0],
        "--csv",
        str(out / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    with open(out / "locust.log", "wb") as log:
        done = subprocess.run(  # noqa: S603 - an argument list, never a shell
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "GOLDTHREAD_LOAD_PLAN": str(plan_path)},
            timeout=args.duration + 180,
            check=False,
        )
    return done.returncode


def count_lines(path: Path, *needles: str) -> int:
    if not path.exists():
        return 0
    return sum(1 for line in path.read_text(errors="replace").splitlines() if any(n in line for n in needles))


def machine() -> dict:
    memory_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")
    )
    return {"cores": os.cpu_count(), "memory_gib": round(memory_kib / 2**20), "python": sys.version.split()[0]}


def table(result: dict) -> str:
    lines = [
        "| requests | count | failures | req/s | median ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in [*result["groups"], {**result["total"], "name": "**all**"}]:
        lines.append(
            f"| {r['name']} | {r['requests']:,} | {r['failures']} | {r['rps']:.1f} | {r['median_ms']:.0f} "
            f"| {r['p95_ms']:.0f} | {r['max_ms']:.0f} |"
        )
    return "\n".join(lines)


def report(result: dict) -> str:
    processes = "\n".join(
        f"- process {p['name']} ({p['url']}): answered {p['requests']:,} requests, {p['cpu_s']:.0f} s of CPU; "
        f"resident memory {p['rss_mib']:.0f} MiB at the end, {p['peak_rss_mib']:.0f} MiB at most during the load"
        for p in result["processes"]
    )
    conflicts, cpu = result["conflicts"], result["cpu"]
    return (
        f"\nGoldthread load — {result['database']}, {result['events']:,} events; {result['users']} users "
        f"({result['planners']} planners) for {result['duration_s']} s, {result['think_s']} s think time; "
        f"load average before {result['load_before'][0]:.2f}, after {result['load_after'][0]:.2f}\n\n"
        f"{table(result)}\n\n{processes}\n"
        f"- CPU over the {cpu['wall_s']:.0f} s of load, {result['machine']['cores']} cores: "
        f"{cpu['machine_busy_s']:.0f} s busy — the app processes {cpu['app_processes_s']:.0f} s, locust "
        f"{cpu['locust_s']:.0f} s, the rest (PostgreSQL and other work on the machine) {cpu['rest_s']:.0f} s\n"
        f"- 409 conflicts: {conflicts.get('first', 0)} on the first try, {conflicts.get('retry', 0)} on the retry\n"
        f"- errors: {result['errors']} (failed requests {result['total']['failures']}, exceptions in the users "
        f"{result['exceptions']}, server errors logged {result['server_errors']})\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="simulated users (default 20)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--events", type=int, default=10_000, help="events in the data set (default 10000)")
    parser.add_argument("--planners", type=int, help="of the users, how many plan and write (default a quarter)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second (default 5)")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between requests, s (default 1)")
    parser.add_argument(
        "--no-setup",
        action="store_true",
        help="use the database as it is (migrated, with the demo users); only create API tokens",
    )
    args = parser.parse_args()
    planners = max(1, args.users // 4) if args.planners is None else args.planners
    if min(args.users, args.duration, args.spawn_rate) <= 0 or min(args.events, args.think) < 0:
        print(
            "error: --users, --duration and --spawn-rate must be positive, --events and --think not negative",
            file=sys.stderr,
        )
        return 2
    if args.users > MAX_USERS or args.duration > MAX_SECONDS:
        print(f"error: at most {MAX_USERS} users for at most {MAX_SECONDS} s", file=sys.stderr)
        return 2
    if not 1 <= planners <= args.users:
        print("error: --planners must be between 1 and --users", file=sys.stderr)
        return 2

    data = Path(settings.DATA_DIR)
    out = data / "load"
    out.mkdir(parents=True, exist_ok=True)
    for stale in [*out.glob("locust_*.csv"), out / "tally.json"]:
        stale.unlink(missing_ok=True)
    servers: list[Server] = []
    issued: dict[str, tuple[str, str]] = {}
    try:
        if not args.no_setup:
            prepare(args.events)
        issued = issue_tokens()
        result_head = {"database": database_name(), "events": Event.objects.count()}
        connections.close_all()  # the servers and locust do the work from here

        began = time.monotonic()
        servers = [start_server("a", out), start_server("b", out)]
        with ThreadPoolExecutor(len(servers)) as pool:
            list(pool.map(lambda s: wait_until_ready(s, began + STARTUP_SECONDS), servers))
            found = discover(servers[0].url, issued[WRITERS[0]][1])
            list(pool.map(lambda s: warm_up(s.url, issued[READERS[0]][1], found), servers))
        print(f"Two processes serving and warmed up in {time.monotonic() - began:.0f} s.", flush=True)
        plan = {
            "hosts": [s.url for s in servers],
            "country": COUNTRY,
            "password": DEMO_PASSWORD,
            "tokens": {name: secret for name, (_, secret) in issued.items()},
            "writers": WRITERS,
            "readers": READERS,
            "planners": planners,
            "think": args.think,
            "queries": QUERIES,
            "tally": str(out / "tally.json"),
            **found,
        }
        for server in servers:
            server.cpu_start = server.cpu_seconds()
        load_before = os.getloadavg()
        print(
            f"{len(found['events'])} events and {len(found['objectives'])} objectives of {COUNTRY}; "
            f"{args.users} users for {args.duration} s against {servers[0].url} and {servers[1].url} "
            f"(load average {load_before[0]:.2f})",
            flush=True,
        )
        started = datetime.now(UTC)
        busy_before, all_before = machine_cpu_seconds()
        locust_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with MemoryWatch(servers):
            locust_exit = run_locust(args, out, plan)
        locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy_after, all_after = machine_cpu_seconds()
        load_after = os.getloadavg()
        if not (out / "tally.json").exists():
            raise Refused(f"locust left no figures (exit {locust_exit}); see {out / 'locust.log'}")
        tally = json.loads((out / "tally.json").read_text())
        answered = tally.get("answered", {})
        processes = [
            {
                "name": s.name,
                "url": s.url,
                "requests": sum(answered.get(s.url, {}).values()),
                "statuses": answered.get(s.url, {}),
                "cpu_s": round(s.cpu_seconds() - s.cpu_start, 1),
                "rss_mib": round(rss := s.status("VmRSS"), 1),
                "peak_rss_mib": round(max(s.peak_rss, rss), 1),  # the last reading may be the highest
            }
            for s in servers
        ]
    finally:
        for server in servers:
            server.stop()
        for prefix, _ in issued.values():
            revoke_token(actor=None, prefix=prefix)
        connections.close_all()

    total, exceptions = tally["total"], tally["exceptions"]
    wall = (all_after - all_before) / (os.cpu_count() or 1)
    cpu = {
        "wall_s": round(wall, 1),
        "machine_busy_s": round(busy_after - busy_before, 1),
        "app_processes_s": round(sum(p["cpu_s"] for p in processes), 1),
        "locust_s": round(
            locust_after.ru_utime + locust_after.ru_stime - locust_before.ru_utime - locust_before.ru_stime, 1
        ),
    }
    # PostgreSQL's backends, and whatever else the machine runs at the time.
    cpu["rest_s"] = round(cpu["machine_busy_s"] - cpu["app_processes_s"] - cpu["locust_s"], 1)
    server_errors = sum(count_lines(s.stderr, "Internal Server Error", "Traceback") for s in servers)
    result = {
        **result_head,
        "started": started.isoformat(timespec="seconds"),
        "users": args.users,
        "planners": planners,
        "duration_s": args.duration,
        "think_s": args.think,
        "spawn_rate": args.spawn_rate,
        "machine": machine(),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
        "cpu": cpu,
        "groups": tally["groups"],
        "total": total,
        "failed": tally["errors"],
        "conflicts": tally["conflicts"],
        "processes": processes,
        "exceptions": exceptions,
        "server_errors": server_errors,
        "errors": total["failures"] + exceptions + server_errors,
        "locust_exit": locust_exit,
    }
    (data / "load.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(report(result))
    print(f"Written: {data / 'load.json'}; locust's CSV files and the servers' logs in {out}")
    if result["errors"] or locust_exit != 0:
        print(f"error: {result['errors']} errors (locust exit {locust_exit}); see {out}", file=sys.stderr)
        return 1
    if not total["requests"] or not all(p["requests"] for p in processes):
        print("error: a process answered no request", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
