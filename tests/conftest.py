"""Shared fixtures: the personas, authenticated API clients, a private Redis and a real Celery worker.

Personas (as in healthchecks' tests): alice owns the team, bob is an editor, vera a viewer and
charlie an outsider with a team of his own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.projects import services
from apps.projects.models import Project, Role, Team
from tests.processes import UvicornProcesses, free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Personas are created with passwords; the production hasher would cost ~0.3 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_throttles() -> Iterator[None]:
    """Throttle counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def in_memory_channel_layer(settings: Any) -> None:
    """Live sessions talk through the in-memory channel layer unless a test sets up Redis for them."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def design_doc(**overrides: Any) -> dict[str, Any]:
    """A small valid design: API Gateway → Lambda → DynamoDB behind a browser client."""
    doc: dict[str, Any] = {
        "schema": "tierplan.design/v1",
        "name": "Orders",
        "components": [
            {"id": "web", "type": "browser", "label": "Customers"},
            {"id": "api", "type": "api_gateway_rest", "label": "Orders API", "props": {"auth": "cognito"}},
            {"id": "orders_fn", "type": "lambda_function", "label": "Orders", "props": {"memory_mb": 512}},
            {"id": "orders", "type": "dynamodb_table", "label": "Orders table"},
        ],
        "connections": [
            {"id": "c1", "source": "web", "target": "api", "kind": "request"},
            {"id": "c2", "source": "api", "target": "orders_fn", "kind": "invoke", "props": {"route": "GET /orders"}},
            {"id": "c3", "source": "orders_fn", "target": "orders", "kind": "read_write"},
        ],
    }
    doc.update(overrides)
    return doc


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def alice(db: Any) -> User:
    return User.objects.create_user("alice", "alice@example.com", PASSWORD)


@pytest.fixture
def bob(db: Any) -> User:
    return User.objects.create_user("bob", "bob@example.com", PASSWORD)


@pytest.fixture
def vera(db: Any) -> User:
    return User.objects.create_user("vera", "vera@example.com", PASSWORD)


@pytest.fixture
def charlie(db: Any) -> User:
    return User.objects.create_user("charlie", "charlie@example.com", PASSWORD)


@pytest.fixture
def team(alice: User, bob: User, vera: User) -> Team:
    """A shared team: alice owner, bob editor, vera viewer."""
    team = services.team_create(name="Platform", owner=alice)
    services.membership_add(team=team, user=bob, role=Role.EDITOR)
    services.membership_add(team=team, user=vera, role=Role.VIEWER)
    return team


@pytest.fixture
def project(team: Team, alice: User) -> Project:
    from apps.designs.document import validate_design

    return services.project_create(team=team, user=alice, name="Orders", design=validate_design(design_doc()))


@pytest.fixture
def as_alice(alice: User) -> APIClient:
    return client_for(alice)


@pytest.fixture
def as_bob(bob: User) -> APIClient:
    return client_for(bob)


@pytest.fixture
def as_vera(vera: User) -> APIClient:
    return client_for(vera)


@pytest.fixture
def as_charlie(charlie: User) -> APIClient:
    return client_for(charlie)


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A private Redis server for this test session (never the developer's own data)."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed; run `make setup`")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def uvicorn_processes(redis_url: str, tmp_path: Path) -> Iterator[UvicornProcesses]:
    """Real web processes on the test database and the private Redis (the tests' own in-memory channel
    layer cannot reach another process); started by the test, each on a port it chooses."""
    env = {
        "DATABASE_URL": worker_database_url(),
        "CELERY_BROKER_URL": redis_url,
        "CHANNEL_REDIS_URL": redis_url,
        "CHANNEL_REDIS_PREFIX": f"tierplan-test-{os.getpid()}",
    }
    processes = UvicornProcesses(env, tmp_path / "uvicorn.log")
    try:
        yield processes
    finally:
        processes.stop()


def worker_database_url() -> str:
    """DATABASE_URL of the test database, for worker processes the tests start."""
    from django.db import connection

    config = connection.settings_dict
    if config["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{config['NAME']}"
    credentials = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    return f"postgres://{credentials}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{config['NAME']}"


class WorkerFactory:
    """Starts real `celery worker` processes on the private Redis and stops them at the end of the test."""

    def __init__(self, redis_url: str, media_root: Path) -> None:
        self.redis_url = redis_url
        self.media_root = media_root
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, log_file: Path | None = None, loglevel: str = "WARNING", **env: str) -> subprocess.Popen[bytes]:
        environment = {
            **os.environ,
            "CELERY_BROKER_URL": self.redis_url,
            "CELERY_RESULT_BACKEND": self.redis_url,
            "DATABASE_URL": worker_database_url(),
            "MEDIA_ROOT": str(self.media_root),
            **env,
        }
        name = f"test-{os.getpid()}-{len(self.processes)}@%h"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "designer", "worker", "--pool=solo", "-Q", "fast,slow",
             f"--loglevel={loglevel}", "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", name],
            cwd=ROOT,
            env=environment,
            stderr=log_file.open("ab") if log_file else None,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def celery_on_test_redis(redis_url: str) -> Iterator[str]:
    """Point this process's Celery app (which enqueues) at the private Redis."""
    from designer.celery import app

    previous = app.conf.broker_url, app.conf.result_backend
    point_celery_at(redis_url, redis_url)
    try:
        yield redis_url
    finally:
        point_celery_at(*previous)


def point_celery_at(broker_url: str, result_backend: str) -> None:
    """Switch this process's Celery app to another broker, dropping pooled connections and the backend."""
    from celery._state import _register_app

    from designer.celery import app

    app.close()  # closes the connection pool; it is rebuilt from conf on next use
    # close() also drops the app from Celery's active apps, and a @shared_task module imported after
    # that would never be registered with it (NotRegistered, depending on test order): put it back.
    _register_app(app)
    app.amqp._producer_pool = None  # close() leaves the producer pool bound to the old connection
    app.conf.broker_url = broker_url
    app.conf.result_backend = result_backend
    app._local.__dict__.pop("backend", None)  # the result backend is cached per thread


@pytest.fixture
def workers(transactional_db: Any, celery_on_test_redis: str, media_root: Path) -> Iterator[WorkerFactory]:
    factory = WorkerFactory(celery_on_test_redis, media_root)
    try:
        yield factory
    finally:
        factory.stop_all()


@pytest.fixture
def celery_worker_process(workers: WorkerFactory) -> subprocess.Popen[bytes]:
    """One real worker process consuming from the private Redis."""
    return workers.start()
