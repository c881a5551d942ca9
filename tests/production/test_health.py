"""/healthz says the process is alive; /readyz that the database, the broker and a worker answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import WorkerFactory, point_celery_at


@pytest.mark.django_db
def test_healthz_answers_without_touching_anything() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_is_ready_with_a_database_a_broker_and_a_worker(workers: WorkerFactory) -> None:
    workers.start()
    client = Client()
    for _ in range(50):  # the worker takes a moment to connect
        response = client.get("/readyz")
        if response.status_code == 200:
            break
    assert response.status_code == 200, response.json()
    checks = response.json()["checks"]
    assert checks["database"]["ok"] and checks["broker"]["ok"] and checks["workers"]["count"] >= 1


def test_readyz_without_a_worker_is_unavailable(celery_on_test_redis: str, transactional_db: Any) -> None:
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is True and body["checks"]["workers"]["ok"] is False


def test_readyz_without_a_broker_is_unavailable(transactional_db: Any) -> None:
    from designer.celery import app

    previous = app.conf.broker_url, app.conf.result_backend
    point_celery_at("redis://127.0.0.1:9/0", "redis://127.0.0.1:9/0")
    try:
        response = Client().get("/readyz")
    finally:
        point_celery_at(*previous)
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
