"""The shared outbox pieces that need no feature: backoff, and queueing with a broker down."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from damanat.outbox.queueing import BrokerBreaker, enqueue, enqueue_each, retry_later
from damanat.outbox.retry import RetryPolicy


class FakeTask:
    name = "tests.fake"

    def __init__(self, fail: bool = False, running_with: tuple | None = None):
        self.fail, self.queued, self.retried = fail, [], []
        self.request = SimpleNamespace(
            called_directly=running_with is None, is_eager=False, args=list(running_with or ())
        )

    def apply_async(self, args, countdown=None, retry=True):
        if self.fail:
            raise ConnectionRefusedError("broker down")
        self.queued.append((args, countdown, retry))

    def retry(self, countdown=None, throw=True):
        self.retried.append((countdown, throw))


def test_backoff_doubles_from_the_base_and_stops_at_the_cap():
    policy = RetryPolicy(max_attempts=5, base_delay=0.5, max_delay=3)
    assert [policy.delay_for(n) for n in (1, 2, 3, 4, 5)] == [timedelta(seconds=s) for s in (0.5, 1, 2, 3, 3)]


def test_a_policy_gives_up_or_leaves_the_row_to_the_sweep_after_its_attempts():
    failing, patient = RetryPolicy(max_attempts=2), RetryPolicy(max_attempts=2, fail_when_exhausted=False)
    assert [failing.gives_up_after(n) for n in (1, 2)] == [False, True]
    assert [patient.gives_up_after(n) for n in (1, 2, 9)] == [False, False, False]
    assert [patient.requeues_after(n) for n in (1, 2)] == [True, False]


def test_tasks_are_queued_without_publish_retries():
    task = FakeTask()
    assert enqueue(task, 7, countdown=2.0) and enqueue_each(task, [(8,), (9,)])
    assert task.queued == [((7,), 2.0, False), ((8,), None, False), ((9,), None, False)]


def test_a_broker_outage_is_not_raised_and_trips_the_breaker(settings):
    settings.ALERT_BROKER_RETRY_SECONDS = 60
    breaker, down = BrokerBreaker("ALERT_BROKER_RETRY_SECONDS"), FakeTask(fail=True)
    assert enqueue_each(down, [(1,), (2,)], breaker=breaker) is False
    assert breaker.is_open()
    working = FakeTask()
    assert enqueue(working, 3, breaker=breaker) is False and working.queued == []  # skipped while open
    breaker.reset()
    assert enqueue(working, 3, breaker=breaker) and working.queued == [((3,), None, False)]


def test_inside_its_own_task_a_retry_is_celerys_retry_elsewhere_a_new_message():
    running = FakeTask(running_with=(5,))
    assert retry_later(running, 5, 4.0) and running.retried == [(4.0, False)] and running.queued == []
    other_row = FakeTask(running_with=(6,))
    assert retry_later(other_row, 5, 4.0) and other_row.queued == [((5,), 4.0, False)]
    direct = FakeTask()
    assert retry_later(direct, 5, 4.0) and direct.queued == [((5,), 4.0, False)] and direct.retried == []
