"""The data set the benchmarks share: the schema, the demo once, then generated events up to the size asked for.
Imported after `django.setup()` by each benchmark script."""

import time

from django.core.management import call_command

from goldthread.core.models import User
from goldthread.core.roles import sync_roles
from goldthread.demo.generator import generate, load_demo
from goldthread.events.models import Event


def top_up(events: int, seed: int) -> tuple[int, float]:
    """Bring the database up to `events` events; return how many there were before and the seconds generating
    took."""
    call_command("migrate", verbosity=0)
    sync_roles()
    if not User.objects.filter(username="planner").exists():
        # Once, before any generated event: the demo's AAR writer would otherwise report on every generated event.
        load_demo()
    existing = Event.objects.count()
    start = time.perf_counter()
    if existing < events:
        generate(events=events - existing, seed=seed)
    return existing, time.perf_counter() - start
