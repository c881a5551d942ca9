"""Load run on loopback against gunicorn: 50 concurrent users for 60 s reading designs, saving designs
and requesting estimates; then the same users against a bare JSON endpoint on the same server (the
baseline). Prints p50/p95 latency, throughput and errors of each run and their ratio.

Run: .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--workers 3]
It starts its own Redis, Celery worker and gunicorn (on PostgreSQL when one answers on 127.0.0.1:5432,
else SQLite), all on 127.0.0.1, and stops them at the end. Bounded: every loop ends after --seconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.processes import free_port, stop_processes, wait_for_port  # noqa: E402


class User:
    """One simulated person with a keep-alive connection and a project of their own."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.token = token

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if self.token:
            all_headers["Authorization"] = f"Token {self.token}"
        self.connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=all_headers)
        response = self.connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()


def database_url(work: Path) -> str:
    try:
        import psycopg

        psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=2, autocommit=True).execute(
            "DROP DATABASE IF EXISTS tierplan_bench"
        ).execute("CREATE DATABASE tierplan_bench")
        return "postgres://postgres@127.0.0.1:5432/tierplan_bench"
    except Exception:  # noqa: BLE001 - no PostgreSQL here: measure on SQLite
        return f"sqlite:///{work / 'bench.sqlite3'}"


def run(users: list[User], seconds: float, step: Any) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop(user: User, index: int) -> None:
        rng = random.Random(index)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                ok, what = step(user, rng)
            except Exception as exc:  # noqa: BLE001 - counted, not fatal
                ok, what = False, f"{type(exc).__name__}: {exc}"
                user.connection.close()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(what)

    threads = [threading.Thread(target=loop, args=(user, i)) for i, user in enumerate(users)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "throughput": len(latencies) / duration,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tierplan-load-"))
    redis_port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url(work),
        "DATABASE_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
        "REDIS_CACHE_URL": f"redis://127.0.0.1:{redis_port}/1",
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        "LOG_FORMAT": "json",
        "DJANGO_LOG_LEVEL": "WARNING",
        "THROTTLE_JOBS": "100000/min",
        "THROTTLE_SIGNUP": "100000/hour",
        "THROTTLE_TOKEN": "100000/min",
    }
    python = sys.executable
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.append(
            subprocess.Popen(
                [
                    shutil.which("redis-server") or "redis-server",
                    "--port",
                    str(redis_port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                ],
                stdout=subprocess.DEVNULL,
            )
        )
        wait_for_port(redis_port)
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        processes.append(
            subprocess.Popen(
                [
                    python,
                    "-m",
                    "celery",
                    "-A",
                    "designer",
                    "worker",
                    "-Q",
                    "fast,slow",
                    "--concurrency",
                    "1",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        processes.append(
            subprocess.Popen(
                [
                    str(Path(python).parent / "gunicorn"),
                    "designer.wsgi",
                    "--bind",
                    f"127.0.0.1:{web_port}",
                    "--workers",
                    str(args.workers),
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stderr=subprocess.DEVNULL,
            )
        )
        wait_for_port(web_port)

        pattern = json.loads(
            subprocess.run(
                [python, "manage.py", "tierplan", "patterns", "show", "three-tier-basic"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                check=True,
            ).stdout
        )
        users = []
        for index in range(args.users):
            user = User(web_port)
            status, _, body = user.call(
                "POST", "/api/auth/signup/", {"username": f"load{index}", "password": "a long load test pass phrase"}
            )
            assert status == 201, body
            user.token = json.loads(body)["token"]
            status, _, body = user.call("POST", "/api/projects/", {"pattern": "three-tier-basic"})
            assert status == 201, body
            user.project = json.loads(body)["id"]  # type: ignore[attr-defined]
            users.append(user)

        def mixed(user: Any, rng: random.Random) -> tuple[bool, str]:
            roll = rng.random()
            if roll < 0.6:  # read the design
                status, _, _ = user.call("GET", f"/api/projects/{user.project}/design/")
                return status == 200, f"read {status}"
            if roll < 0.85:  # save a change on top of the newest revision
                status, headers, body = user.call("GET", f"/api/projects/{user.project}/design/")
                design = json.loads(body)
                design["workload"]["requests_per_month"] = rng.randint(1_000, 10_000_000)
                status, _, _ = user.call(
                    "PUT", f"/api/projects/{user.project}/design/", design, {"If-Match": headers["ETag"]}
                )
                return status == 200, f"save {status}"
            params = {"workload": {"requests_per_month": rng.randint(1_000, 100_000_000)}}
            status, _, _ = user.call(
                "POST", f"/api/projects/{user.project}/jobs/", {"kind": "estimate", "params": params}
            )
            return status in (200, 202), f"estimate {status}"

        def bare(user: Any, rng: random.Random) -> tuple[bool, str]:
            status, _, _ = user.call("GET", "/healthz")
            return status == 200, f"healthz {status}"

        del pattern
        mixed_result = run(users, args.seconds, mixed)
        baseline = run(users, args.seconds, bare)
        print(
            f"\nload on loopback: {args.users} users × {args.seconds:.0f} s, gunicorn with {args.workers} workers, {env['DATABASE_URL'].split(':')[0]}"
        )
        print(f"{'run':<26} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        for name, result in (("designs + estimates", mixed_result), ("bare JSON (/healthz)", baseline)):
            print(
                f"{name:<26} {result['requests']:>9} {result['throughput']:>8.1f} {result['p50_ms']:>8.1f} {result['p95_ms']:>8.1f} {result['errors']:>7}"
            )
            if result["error_kinds"]:
                print("   errors:", result["error_kinds"])
        print(
            f"ratio (mixed / bare): p50 {mixed_result['p50_ms'] / baseline['p50_ms']:.2f}×, p95 {mixed_result['p95_ms'] / baseline['p95_ms']:.2f}×, throughput {mixed_result['throughput'] / baseline['throughput']:.2f}×"
        )
    finally:
        stop_processes(processes)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
