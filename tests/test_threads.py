"""core/threads.py: independent reads side by side, each thread on its own connection, and in turn inside a
transaction."""

import threading

import pytest
from django.db import connections, transaction

from goldthread.core.models import User
from goldthread.core.threads import concurrently


def _reading(name: str):
    """A part that says which thread ran it, on which connection, and what it read there."""

    def part():
        return threading.get_ident(), connections["default"], User.objects.filter(username=name).exists()

    return part


@pytest.mark.django_db(transaction=True)
def test_parts_run_on_other_threads_on_their_own_connections_closed_after(settings):
    settings.READ_THREADS = 2
    User.objects.create_user("committed", password="x" * 12)
    results = concurrently(*[_reading("committed") for _ in range(6)])
    assert [seen for _, _, seen in results] == [True] * 6  # in order, each having read the committed row
    assert threading.get_ident() not in {thread for thread, _, _ in results}
    used = {id(wrapper): wrapper for _, wrapper, _ in results}.values()
    assert connections["default"] not in used and all(wrapper.connection is None for wrapper in used)


@pytest.mark.django_db(transaction=True)
def test_a_thread_reads_all_its_parts_through_one_connection(settings):
    settings.READ_THREADS = 2

    def part():
        User.objects.exists()
        return threading.get_ident(), connections["default"].connection  # the database's own, held to the end

    results = concurrently(*[part for _ in range(6)])
    assert len({id(opened) for _, opened in results}) == len({thread for thread, _ in results})


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_parts_run_in_turn_and_see_its_writes(settings):
    settings.READ_THREADS = 2
    with transaction.atomic():
        User.objects.create_user("uncommitted", password="x" * 12)
        results = concurrently(_reading("uncommitted"), _reading("uncommitted"))
    assert results == [(threading.get_ident(), connections["default"], True)] * 2


@pytest.mark.django_db(transaction=True)
def test_the_first_failure_is_raised_and_one_thread_reads_in_turn(settings):
    def fails():
        raise ValueError("no such objective")

    settings.READ_THREADS = 2
    with pytest.raises(ValueError, match="no such objective"):
        concurrently(_reading("nobody"), fails)
    settings.READ_THREADS = 1
    assert {thread for thread, _, _ in concurrently(_reading("a"), _reading("b"))} == {threading.get_ident()}


@pytest.mark.django_db(transaction=True)
def test_the_parts_of_a_part_run_in_turn_on_its_thread(settings):
    settings.READ_THREADS = 2

    def part():
        return threading.get_ident(), {thread for thread, _, _ in concurrently(_reading("a"), _reading("b"))}

    results = concurrently(part, part)
    assert all(nested == {here} for here, nested in results)
    assert threading.get_ident() not in {here for here, _ in results}
