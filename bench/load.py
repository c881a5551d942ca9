"""Load run on loopback against gunicorn: 50 users for 60 s reading designs, saving designs and
requesting estimates, then the same users against a bare JSON endpoint on the same server (the baseline).

Two models of a user, each measured against both endpoints:
- people: each user waits 0.5-1.5 s (uniform, mean --think) between actions, as someone working in the
  editor would; this is the "50 concurrent users" of the goal (p95 under 200 ms, no errors);
- saturation: no pause at all, so the 50 users keep the server at its limit; this shows the capacity
  (requests per second) and what latency looks like past it.
Every HTTP request is one latency sample (a save is a GET and a PUT with If-Match). Also prints how much
CPU each part (web, worker, Redis, PostgreSQL, this load generator) used during each run.

Run: .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--workers 3] [--think 1.0]
It starts its own Redis, Celery worker and gunicorn (on PostgreSQL when one answers on 127.0.0.1:5432,
else SQLite), all on 127.0.0.1, and stops them at the end. Bounded: every loop ends after --seconds.
"""

from __future__ import annotations

import argparse
import contextlib
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
    """One simulated person with a connection and a project of their own; records each request it makes."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.token = token
        self.samples: list[tuple[float, bool, str]] | None = None  # (seconds, as expected, what) while measured

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> tuple[int, dict[str, str], bytes]:
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if self.token:
            all_headers["Authorization"] = f"Token {self.token}"
        payload = json.dumps(body) if body is not None else None
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=payload, headers=all_headers)
            response = self.connection.getresponse()
            answer = response.status, dict(response.getheaders()), response.read()
        except Exception as exc:
            self.connection.close()
            if self.samples is not None:
                self.samples.append((time.perf_counter() - started, False, f"{method} {type(exc).__name__}: {exc}"))
            raise
        if self.samples is not None:
            self.samples.append((time.perf_counter() - started, answer[0] in expect, f"{method} {answer[0]}"))
        return answer


TICKS = os.sysconf("SC_CLK_TCK")


def _proc_table() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, command name, CPU seconds used so far) for every process we may read."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / TICKS)
    return table


def cpu_seconds(roots: dict[str, list[int]]) -> dict[str, dict[int, float]]:
    """CPU seconds used so far, by role and process: each role's root processes and all their descendants,
    `postgres` (every PostgreSQL process of the machine's server) and `load generator` (this process)."""
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(pid)
    used: dict[str, dict[int, float]] = {}
    for role, pids in roots.items():
        stack, found = list(pids), {}
        while stack:
            pid = stack.pop()
            if pid in table:
                found[pid] = table[pid][2]
                stack += children.get(pid, [])
        used[role] = found
    used["postgres"] = {pid: cpu for pid, (_, name, cpu) in table.items() if name.startswith("postgres")}
    used["load generator"] = {os.getpid(): time.process_time()}
    return used


class CpuMeter:
    """Samples every role's CPU twice a second while running and adds up what each process used between
    samples, so processes that end during the run (PostgreSQL backends of recycled connections) count
    up to their last sample."""

    def __init__(self, roots: dict[str, list[int]]) -> None:
        self.roots = roots
        self.used: dict[str, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample)

    def _sample(self) -> None:
        previous = cpu_seconds(self.roots)
        while True:
            stopping = self.stop.wait(0.5)
            current = cpu_seconds(self.roots)
            for role, pids in current.items():
                delta = sum(cpu - previous[role].get(pid, 0.0) for pid, cpu in pids.items())
                self.used[role] = self.used.get(role, 0.0) + delta
            previous = current
            if stopping:
                return

    def __enter__(self) -> CpuMeter:
        self.started = time.monotonic()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.seconds = time.monotonic() - self.started

    def cores(self) -> dict[str, float]:
        """Cores each role kept busy on average (2.0 = both cores of a 2-core machine)."""
        return {role: used / self.seconds for role, used in self.used.items()}


def database_url(work: Path) -> str:
    try:
        import psycopg

        psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=2, autocommit=True).execute(
            "DROP DATABASE IF EXISTS tierplan_bench"
        ).execute("CREATE DATABASE tierplan_bench")
        return "postgres://postgres@127.0.0.1:5432/tierplan_bench"
    except Exception:  # noqa: BLE001 - no PostgreSQL here: measure on SQLite
        return f"sqlite:///{work / 'bench.sqlite3'}"


def run(users: list[User], seconds: float, step: Any, roots: dict[str, list[int]], think: float) -> dict[str, Any]:
    """Every user repeats `step` until the time is up, pausing uniform(0.5, 1.5) x `think` seconds between
    actions (none when `think` is 0)."""
    deadline = time.monotonic() + seconds
    for user in users:
        user.samples = []

    def loop(user: User, index: int) -> None:
        rng = random.Random(index)
        if think:
            time.sleep(rng.uniform(0, think))  # people do not all start at the same instant
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):  # User.call has recorded it as a failed request
                step(user, rng)
            if think:
                time.sleep(min(rng.uniform(0.5 * think, 1.5 * think), max(0.0, deadline - time.monotonic())))

    threads = [threading.Thread(target=loop, args=(user, i)) for i, user in enumerate(users)]
    with CpuMeter(roots) as meter:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    duration = meter.seconds
    samples = [sample for user in users for sample in (user.samples or [])]
    for user in users:
        user.samples = None
    latencies = sorted(seconds for seconds, _, _ in samples)
    errors = [what for _, ok, what in samples if not ok]
    return {
        "requests": len(latencies),
        "throughput": len(latencies) / duration,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "cores": meter.cores(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a person's actions, s")
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

        def mixed(user: Any, rng: random.Random) -> None:
            roll = rng.random()
            design_url = f"/api/projects/{user.project}/design/"
            if roll < 0.6:  # read the design
                user.call("GET", design_url)
            elif roll < 0.85:  # save a change on top of the newest revision
                _, headers, body = user.call("GET", design_url)
                design = json.loads(body)
                design["workload"]["requests_per_month"] = rng.randint(1_000, 10_000_000)
                user.call("PUT", design_url, design, {"If-Match": headers["ETag"]})
            else:  # ask for an estimate (a new one each time: the cache would answer a repeat at once)
                params = {"workload": {"requests_per_month": rng.randint(1_000, 100_000_000)}}
                body = {"kind": "estimate", "params": params}
                user.call("POST", f"/api/projects/{user.project}/jobs/", body, expect=(200, 202))

        def bare(user: Any, rng: random.Random) -> None:
            user.call("GET", "/healthz")

        del pattern
        roots = {"web": [processes[2].pid], "worker": [processes[1].pid], "redis": [processes[0].pid]}
        runs = []
        for model, think in (
            (f"people (pause {0.5 * args.think:g}-{1.5 * args.think:g} s)", args.think),
            ("saturation", 0.0),
        ):
            for endpoint, step in (("designs + estimates", mixed), ("bare JSON (/healthz)", bare)):
                runs.append((model, endpoint, run(users, args.seconds, step, roots, think)))
        database = env["DATABASE_URL"].split(":")[0]
        print(
            f"\nload on loopback: {args.users} users x {args.seconds:.0f} s per run, gunicorn with {args.workers} workers, {database}"
        )
        print(
            f"{'users':<26} {'endpoint':<22} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
        )
        for model, endpoint, r in runs:
            print(
                f"{model:<26} {endpoint:<22} {r['requests']:>9} {r['throughput']:>8.1f} {r['p50_ms']:>8.1f}"
                f" {r['p95_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['errors']:>7}"
            )
            if r["error_kinds"]:
                print("   errors:", r["error_kinds"])
            print("   cores used:", ", ".join(f"{role} {cores:.2f}" for role, cores in r["cores"].items()))
        for index in (0, 2):
            (model, _, mixed_run), (_, _, bare_run) = runs[index], runs[index + 1]
            print(
                f"ratio designs / bare, {model}: p50 {mixed_run['p50_ms'] / bare_run['p50_ms']:.2f}x,"
                f" p95 {mixed_run['p95_ms'] / bare_run['p95_ms']:.2f}x,"
                f" throughput {mixed_run['throughput'] / bare_run['throughput']:.2f}x"
            )
    finally:
        stop_processes(processes)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
