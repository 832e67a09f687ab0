"""Evaluation results kept per state of the data.

An evaluation reads hundreds of thousands of events to say a few hundred numbers, and many people read the same
numbers between two changes. Every change goes through a service that appends to the audit trail, so the newest
audit entry names the state of the data: a result is kept under its arguments with the state it was computed in.
Each app process keeps its own results (the "evaluation" cache alias, `InMemory` below), as the objects themselves:
whoever reads one must not change it.

Who gets a kept result:

- everyone, while the data is still in the state it was computed in;
- a person reading a page (`reading`), also after changes made since by *others*, while the result is younger
  than `EVALUATION_MAX_AGE` seconds. At enterprise size a dashboard computed afresh takes seconds and somebody
  changes something every few seconds, so without this nearly every read would wait for a computation. The page
  says how old its figures are and offers to compute them now (`fresh`).

Everything else computes afresh: a reader who changed something since the result was kept (a finding you fixed
is gone when you look again), a result older than the maximum age, and every read outside a page — the API, the
command line, the reports' files — which always describe the data as it is. What other kept results are computed
from (the objective graph's links) is kept with `per_exact_state`, which serves the first case only: a result is
kept under the state it was computed in, and must not rest on an older one.
"""

import gc
import hashlib
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import wraps
from typing import ParamSpec, TypeVar

import objsize
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.utils import timezone

from goldthread.core.models import AuditEntry

P = ParamSpec("P")
R = TypeVar("R")


# Entries that change no data: downloads and log-ins. Left out, so that reading a report does not make the next
# reader compute everything again.
READS = ["user.login", "user.logout", "user.login_failed"]


def _changes():
    return AuditEntry.objects.exclude(action__endswith=".exported").exclude(action__in=READS)


def state() -> int:
    """The newest audit entry of a change to the data."""
    return _changes().order_by("-id").values_list("id", flat=True).first() or 0


@dataclass
class Reading:
    """One person reading a page: who, whether they asked for figures computed now, and the oldest kept result they
    were shown that the data has moved on from."""

    user_id: int
    fresh: bool = False
    as_of: datetime | None = None

    def may_keep(self, kept_state: int, computed: datetime) -> bool:
        if self.fresh or timezone.now() - computed > timedelta(seconds=settings.EVALUATION_MAX_AGE):
            return False
        return not _changes().filter(id__gt=kept_state, actor_id=self.user_id).exists()

    def shown(self, computed: datetime) -> None:
        self.as_of = computed if self.as_of is None else min(self.as_of, computed)


_reading: ContextVar[Reading | None] = ContextVar("evaluation_reading", default=None)


@contextmanager
def reading(user_id: int, *, fresh: bool = False) -> Iterator[Reading]:
    """Within this block, kept results may be shown to `user_id` as described above; `as_of` tells the page how
    old the oldest one it showed is (None: every figure is as the data stands)."""
    token = _reading.set(Reading(user_id, fresh))
    try:
        yield _reading.get()
    finally:
        _reading.reset(token)


def per_state(function: Callable[P, R]) -> Callable[P, R]:
    """Keep `function`'s results per arguments, with the state of the data they were computed in. Its arguments
    must have a stable `repr`."""
    return _keep(function, lenient=True)


def per_exact_state(function: Callable[P, R]) -> Callable[P, R]:
    """Keep `function`'s results as `per_state` does, but never show one after a change, even to a page's reader:
    for what other kept results are computed from (the objective graph's links), since those are kept under the
    state they were computed in and must not rest on an older one."""
    return _keep(function, lenient=False)


def _keep(function: Callable[P, R], *, lenient: bool) -> Callable[P, R]:
    @wraps(function)
    def kept(*args: P.args, **kwargs: P.kwargs) -> R:
        cache = caches["evaluation"]
        described = repr((function.__module__, function.__qualname__, args, sorted(kwargs.items())))
        key = "evaluation:" + hashlib.sha256(described.encode()).hexdigest()
        now = state()
        found = cache.get(key)
        if found is not None:
            kept_state, computed, result = found
            if kept_state == now:
                return result
            reader = _reading.get() if lenient else None
            if reader is not None and reader.may_keep(kept_state, computed):
                reader.shown(computed)
                return result
        result = function(*args, **kwargs)
        cache.set(key, (now, timezone.now(), result))
        return result

    return kept


def _deep_size(value: object) -> int:
    # On Python 3.11, which Goldthread requires, gc.get_referents reaches an object's attributes itself; objsize's
    # default also visits each __dict__ in a Python loop, a third of the walk for a few hundred bytes an object.
    return objsize.get_deep_size(value, get_referents_func=gc.get_referents)


@dataclass
class _Shelf:
    """What one LOCATION keeps: entries by key, least recently read first, each with its expiry and deep size."""

    entries: "OrderedDict[str, tuple[float | None, object, int]]" = field(default_factory=OrderedDict)
    size: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def live(self, key: str) -> bool:
        found = self.entries.get(key)
        if found is None:
            return False
        if found[0] is not None and found[0] <= time.time():
            self.drop(key)
            return False
        return True

    def drop(self, key: str) -> bool:
        found = self.entries.pop(key, None)
        if found is None:
            return False
        self.size -= found[2]
        return True

    def put(self, key: str, expires: float | None, value: object, size: int, max_entries: int, max_bytes: int) -> bool:
        """Keep `value` under `key`, unless it is bigger than the whole store: keeping it would push out everything
        else. Whether it was kept."""
        self.drop(key)
        if size > max_bytes:
            return False
        self.entries[key] = (expires, value, size)
        self.size += size
        while len(self.entries) > max_entries or self.size > max_bytes:
            self.drop(next(iter(self.entries)))
        return True


class InMemory(BaseCache):
    """Django's local-memory cache without its pickling: a contribution analysis holds thousands of series, and
    pickling it on the way in and unpickling it on the way out cost more than a second of a report. The least
    recently read entries go first once MAX_ENTRIES are kept or their deep sizes (objsize) add up to more than
    MAX_BYTES: one contribution analysis high in the graph takes megabytes, so a count alone does not bound the
    memory. Shared by the threads of a process, per LOCATION."""

    _shelves: dict[str, _Shelf] = {}

    def __init__(self, location: str, params: dict):
        super().__init__(params)
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", sys.maxsize))
        self._shelf = self._shelves.setdefault(location, _Shelf())

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        shelf = self._shelf
        with shelf.lock:
            if not shelf.live(key):
                return default
            shelf.entries.move_to_end(key)
            return shelf.entries[key][1]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        size = _deep_size(value)  # outside the lock: it walks every object of the result
        with self._shelf.lock:
            self._keep(key, value, timeout, size)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        size = _deep_size(value)
        with self._shelf.lock:  # looked up and kept under one lock, so two threads cannot both add
            if self._shelf.live(key):
                return False
            return self._keep(key, value, timeout, size)

    def _keep(self, key: str, value: object, timeout, size: int) -> bool:  # under the shelf's lock
        return self._shelf.put(key, self.get_backend_timeout(timeout), value, size, self._max_entries, self._max_bytes)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        shelf = self._shelf
        with shelf.lock:
            if not shelf.live(key):
                return False
            _, value, size = shelf.entries[key]
            shelf.entries[key] = (self.get_backend_timeout(timeout), value, size)
            return True

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._shelf.lock:
            return self._shelf.drop(key)

    def clear(self):
        with self._shelf.lock:
            self._shelf.entries.clear()
            self._shelf.size = 0
