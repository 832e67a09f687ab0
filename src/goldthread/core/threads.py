"""Independent reads on several threads at once. A report gathers a dozen sections, each waiting on the database for
much of its time; on a machine with several cores another section computes meanwhile.

Each thread reads through its own database connection, used for every part it runs and closed once all are done
(opening one per part cost PostgreSQL a new server process and its cold caches each time). Inside a transaction the
parts run one after the other on the caller's connection instead: another connection would not see what the
transaction has written so far (a test's records, for one). So do the parts of a part (a report's findings are
counted kind by kind when counted alone): its siblings keep the cores busy already.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar, copy_context
from typing import TypeVar

from django.conf import settings
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

R = TypeVar("R")

_in_part: ContextVar[bool] = ContextVar("in_part", default=False)


def concurrently(*calls: Callable[[], R]) -> list[R]:
    """The results of `calls`, in their order, computed on up to `READ_THREADS` threads; the first exception any
    of them raises is raised here."""
    threads = min(settings.READ_THREADS, len(calls))
    if threads < 2 or connection.in_atomic_block or _in_part.get():
        return [call() for call in calls]
    opened: dict[int, BaseDatabaseWrapper] = {}

    def part(call: Callable[[], R]) -> R:
        _in_part.set(True)  # in this part's copy of the caller's context only
        try:
            return call()
        finally:
            opened.update((id(wrapper), wrapper) for wrapper in connections.all(initialized_only=True))

    try:
        with ThreadPoolExecutor(threads, thread_name_prefix="goldthread-read") as pool:
            # Each part runs in a copy of the caller's context, so context variables (who is reading) carry over.
            futures = [pool.submit(copy_context().run, part, call) for call in calls]
            return [future.result() for future in futures]
    finally:
        for wrapper in opened.values():  # the threads are done: their connections are closed from here
            wrapper.inc_thread_sharing()
            try:
                wrapper.close()
            finally:
                wrapper.dec_thread_sharing()
