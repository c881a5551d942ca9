"""A real worker process consumes a task from a real Redis and the result comes back."""

from __future__ import annotations

from designer.celery import app


def test_a_task_round_trips_through_redis_and_a_worker_process(celery_worker_process) -> None:
    result = app.send_task("tierplan.ping", args=["hello"], queue="fast")
    answer = result.get(timeout=30)
    assert answer["pong"] == "hello"
    assert answer["host"]
    assert celery_worker_process.poll() is None  # the worker is still alive
