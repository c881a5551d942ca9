"""Helpers for starting the real services tests and benchmarks talk to (loopback only)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    """Return once something accepts connections on 127.0.0.1:port; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def stop_processes(processes: list[subprocess.Popen[bytes]], timeout: float = 15.0) -> None:
    """Terminate processes (last started first), killing any that outlive ``timeout``."""
    for process in reversed(processes):
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_celery_beat(
    broker_url: str, schedule_file: Path, log_file: Path | None = None, **env: str
) -> subprocess.Popen[bytes]:
    """A real `celery beat` sending the project's periodic tasks to ``broker_url``; stop it with stop_processes."""
    environment = {**os.environ, "CELERY_BROKER_URL": broker_url, "CELERY_RESULT_BACKEND": broker_url, **env}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "designer", "beat", "-s", str(schedule_file), "--loglevel=INFO"],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log_file.open("ab") if log_file else subprocess.DEVNULL,
    )


@contextmanager
def private_site(work: Path, *, quiet: bool = True) -> Iterator[str]:
    """A whole Tierplan on loopback for a script (benchmarks, the README's screenshots): its own Redis, a
    SQLite file and media folder under ``work``, one Celery worker for both queues and ``runserver``.
    Yields the base URL; the process environment points Django at the same database, so the script may
    use the ORM too. Everything it started is stopped on exit."""
    redis_port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'site.sqlite3'}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
        "MEDIA_ROOT": str(work / "media"),
        "DJANGO_SETTINGS_MODULE": "designer.settings",
    }
    os.environ.update(env)
    output = subprocess.DEVNULL if quiet else None
    processes: list[subprocess.Popen[bytes]] = []
    try:
        redis = ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        processes.append(subprocess.Popen(redis, stdout=subprocess.DEVNULL))
        wait_for_port(redis_port)
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        worker = [sys.executable, "-m", "celery", "-A", "designer", "worker", "--pool=solo", "-Q", "fast,slow",
                  "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
        processes.append(subprocess.Popen(worker, cwd=ROOT, env=env, stdout=output, stderr=output))
        server = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{web_port}"]
        processes.append(subprocess.Popen(server, cwd=ROOT, env=env, stdout=output, stderr=output))
        wait_for_port(web_port)
        yield f"http://127.0.0.1:{web_port}"
    finally:
        stop_processes(processes)


class UvicornProcesses:
    """Starts ``uvicorn designer.asgi:application`` processes on loopback (the production web process, with
    a Redis channel layer), each on a port given; ends only those it started. ``env`` adds to the process
    environment (DATABASE_URL, CHANNEL_REDIS_URL, …)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = {**os.environ, **env}
        self.log = log
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, port: int) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "designer.asgi:application", "--host", "127.0.0.1", "--port", str(port),
             "--lifespan", "off", "--ws", "websockets-sansio", "--log-level", "warning"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("ab"),
        )  # fmt: skip
        self.processes.append(process)
        wait_for_port(port)
        return process

    def stop(self) -> None:
        stop_processes([p for p in self.processes if p.poll() is None])
