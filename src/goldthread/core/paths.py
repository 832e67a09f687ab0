"""The page of a record by its URL name and uid, for lists of thousands of records (search entries, findings in a
workbook): Django's `reverse` walks the URL patterns on every call, about 50 µs, so each name is reversed once and
the uid put in its place."""

from functools import lru_cache
from uuid import UUID

from django.urls import get_script_prefix, reverse

_ZERO = UUID(int=0)


@lru_cache(maxsize=64)
def _pattern(name: str, prefix: str) -> str:
    return reverse(name, args=[_ZERO])


def record_path(name: str, uid: UUID) -> str:
    # The script prefix is part of the key: a process serving under two prefixes must not mix their paths.
    return _pattern(name, get_script_prefix()).replace(str(_ZERO), str(uid))
