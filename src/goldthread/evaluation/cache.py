"""Evaluation results kept per state of the data.

An evaluation reads hundreds of thousands of events to say a few hundred numbers, and many people read the same
numbers between two changes. Every change goes through a service that appends to the audit trail, so the newest
audit entry names the state of the data: a result is kept under its arguments and that entry, and the first read
after any change computes afresh. Each app process keeps its own results (Django's local-memory cache, the
"evaluation" alias); since the key carries the state of the shared database, no process can serve a stale one.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.core.cache import caches

from goldthread.core.models import AuditEntry

P = ParamSpec("P")
R = TypeVar("R")


# Entries that change no data: downloads and log-ins. Left out, so that reading a report does not make the next
# reader compute everything again.
READS = ["user.login", "user.logout", "user.login_failed"]


def state() -> int:
    """The newest audit entry of a change to the data."""
    changes = AuditEntry.objects.exclude(action__endswith=".exported").exclude(action__in=READS)
    return changes.order_by("-id").values_list("id", flat=True).first() or 0


def per_state(function: Callable[P, R]) -> Callable[P, R]:
    """Keep `function`'s results per arguments and state of the data. Its arguments must have a stable `repr`."""

    @wraps(function)
    def kept(*args: P.args, **kwargs: P.kwargs) -> R:
        cache = caches["evaluation"]
        described = repr((function.__module__, function.__qualname__, state(), args, sorted(kwargs.items())))
        key = "evaluation:" + hashlib.sha256(described.encode()).hexdigest()
        found = cache.get(key)
        if found is None:
            found = function(*args, **kwargs)
            cache.set(key, found)
        return found

    return kept
