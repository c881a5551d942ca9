"""Benchmark: live design sessions over real WebSockets — propagation latency, and no lost edits.

Starts, all private to the run and on loopback: a Redis (the channel layer), uvicorn web processes
serving `designer.asgi:application`, and a fresh PostgreSQL database (several web processes order edits
under a row lock; SQLite cannot show that). Socket clients (the `websockets` library, one per editor, each
signed in as its own team member) then edit:

- latency: E editors in one design (2, 10 and 20) and 50 designs of 2 editors, each editor sending
  `--rate` edits a second (labels and props of its own component) for `--seconds`. Propagation latency is
  the time from an edit being sent to it arriving at each other editor of the design (one clock: all
  clients run in this process); the sender's ack latency too. p50/p95 over every (edit, receiver) pair,
  and the CPU each process used (% of one core over the run, from /proc).
- loss: 10 editors make random concurrent edits (any component, any of a few fields, the same fields
  often) on two web processes; halfway through, one process is killed with SIGKILL. Its clients reconnect
  to the other one, `sync` from the last sequence number they saw and resend their unacknowledged edits.
  Counted: edits sent, acknowledged, and present at the end in the persisted operation log; and whether the
  persisted live document is exactly the replay of that log from the session's start.

Run: .venv/bin/python bench/live.py [--database-url URL] [--seconds 8] [--rate 2] [--only latency|loss]
     [--sizes 1x2,1x10,1x20,50x2]
The database named in --database-url (default postgres://postgres@127.0.0.1:5432/tierplan_bench_live) is
dropped and created again.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.processes import free_port, stop_processes, wait_for_port  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/tierplan_bench_live"
TICKS = os.sysconf("SC_CLK_TCK")


def fresh_database(url: str) -> None:
    """Drop and create the database ``url`` names (through the server's maintenance database)."""
    import psycopg

    name = urlparse(url).path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing a database name that is not a plain identifier: {name!r}")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def design_of(editors: int) -> dict[str, Any]:
    """A design with one function per editor (each edits its own) and a table they all write to."""
    components = [{"id": "table", "type": "dynamodb_table", "label": "Shared table"}]
    connections = []
    for n in range(editors):
        components.append({"id": f"fn{n}", "type": "lambda_function", "label": f"Function {n}"})
        connections.append({"id": f"c{n}", "source": f"fn{n}", "target": "table", "kind": "read_write"})
    return {"schema": "tierplan.design/v1", "name": f"Live bench ({editors})", "components": components,
            "connections": connections}  # fmt: skip


@dataclass
class Site:
    ports: list[int]
    processes: list[subprocess.Popen[bytes]]
    redis: subprocess.Popen[bytes]
    env: dict[str, str]
    log: Path
    cookies: dict[str, str] = field(default_factory=dict)

    def start_web(self, port: int) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "designer.asgi:application", "--host", "127.0.0.1", "--port", str(port),
             "--lifespan", "off", "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log.open("ab"),
        )  # fmt: skip
        wait_for_port(port)
        return process


def make_team(editors: int) -> dict[str, str]:
    """``editors`` people in one team, as editors; each one's Cookie header."""
    from django.contrib.auth.models import User
    from django.test import Client

    from apps.projects.models import Membership, Team

    team = Team.objects.create(name="Live bench")
    cookies = {}
    for n in range(editors):
        user = User.objects.create_user(f"editor{n}", password=None)
        Membership.objects.create(team=team, user=user, role="editor")
        client = Client()
        client.force_login(user)
        cookies[user.username] = f"sessionid={client.cookies['sessionid'].value}"
    return cookies


def make_projects(count: int, editors: int) -> list[int]:
    from django.contrib.auth.models import User

    from apps.designs.document import validate_design
    from apps.projects import services
    from apps.projects.models import Team

    team = Team.objects.get(name="Live bench")
    owner = User.objects.get(username="editor0")
    design = validate_design(design_of(editors))
    return [services.project_create(team=team, user=owner, name=f"Live {n}", design=design).pk for n in range(count)]


class Editor:
    """One person's socket in one design."""

    def __init__(self, name: str, cookie: str, project: int, ports: list[int]) -> None:
        self.name, self.cookie, self.project, self.ports = name, cookie, project, ports
        self.client_id = f"{name}-{project}-{random.randrange(1 << 30)}"
        self.counter = itertools.count(1)
        self.socket: Any = None
        self.port_index = 0
        self.seq = 0
        self.components: list[str] = []
        self.unacked: dict[str, dict[str, Any]] = {}
        self.acked: set[str] = set()
        self.sent: set[str] = set()
        self.reconnects = 0

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        port = self.ports[self.port_index % len(self.ports)]
        self.socket = await connect(
            f"ws://127.0.0.1:{port}/ws/projects/{self.project}/", origin=f"http://127.0.0.1:{port}",
            additional_headers={"Cookie": self.cookie}, open_timeout=10, max_size=2**22,
        )  # fmt: skip
        hello = json.loads(await asyncio.wait_for(self.socket.recv(), 10))
        assert hello["type"] == "hello", hello
        self.components = [c["id"] for c in hello["document"]["components"]]
        self.seq = max(self.seq, hello["seq"])

    async def send_op(self, op: dict[str, Any], sent_at: dict[tuple[str, str], float]) -> None:
        op_id = str(next(self.counter))
        message = {"type": "op", "client_id": self.client_id, "client_op_id": op_id, "base_seq": self.seq, "op": op}
        self.unacked[op_id] = message
        self.sent.add(op_id)
        sent_at[(self.client_id, op_id)] = time.perf_counter()
        await self.socket.send(json.dumps(message))


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


async def latency_run(site: Site, projects: list[int], editors: int, seconds: float, rate: float) -> dict[str, Any]:
    sent_at: dict[tuple[str, str], float] = {}
    propagation: list[float] = []
    acks: list[float] = []
    people = [
        Editor(f"editor{n}", site.cookies[f"editor{n}"], project, [site.ports[(p * editors + n) % len(site.ports)]])
        for p, project in enumerate(projects)
        for n in range(editors)
    ]
    await asyncio.gather(*(person.connect() for person in people))
    stop = asyncio.Event()

    async def listen(person: Editor) -> None:
        while True:
            try:
                message = json.loads(await person.socket.recv())
            except Exception:
                return
            now = time.perf_counter()
            if message["type"] == "op":
                person.seq = max(person.seq, message["seq"])
                started = sent_at.get((message.get("client_id"), message.get("client_op_id")))
                if started is not None:
                    propagation.append((now - started) * 1000)
            elif message["type"] == "ack":
                person.seq = max(person.seq, message["seq"] or 0)
                person.unacked.pop(message["client_op_id"], None)
                acks.append((now - sent_at[(person.client_id, message["client_op_id"])]) * 1000)
            elif message["type"] == "error":
                print(f"  {person.name}: {message['code']}: {message['message']}", file=sys.stderr)

    async def edit(person: Editor, index: int) -> None:
        own = f"fn{index}"
        await asyncio.sleep(random.random() / rate)  # spread the editors over the first interval
        n = 0
        while not stop.is_set():
            n += 1
            op = (
                {"type": "set_component", "id": own, "field": "label", "value": f"{person.name} edit {n}"}
                if n % 2
                else {"type": "set_component", "id": own, "field": "props.memory_mb", "value": 128 + 64 * (n % 8)}
            )
            await person.send_op(op, sent_at)
            await asyncio.sleep(1 / rate)

    processes = {f"web:{p.pid}": p.pid for p in site.processes} | {"redis": site.redis.pid, "clients": os.getpid()}
    before = {name: cpu_seconds(pid) for name, pid in processes.items()}
    began = time.perf_counter()
    listeners = [asyncio.create_task(listen(person)) for person in people]
    editing = [asyncio.create_task(edit(person, n % editors)) for n, person in enumerate(people)]
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*editing)
    for _ in range(100):  # let the last edits arrive
        if not any(person.unacked for person in people):
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    elapsed = time.perf_counter() - began
    cpu = {name: 100 * (cpu_seconds(pid) - before[name]) / elapsed for name, pid in processes.items()}
    for person in people:
        await person.socket.close()
    await asyncio.gather(*listeners)
    expected = sum(len(person.sent) for person in people) * (editors - 1)
    return {
        "edits": sum(len(person.sent) for person in people),
        "delivered": len(propagation),
        "expected": expected,
        "p50": percentile(propagation, 50),
        "p95": percentile(propagation, 95),
        "ack_p50": percentile(acks, 50),
        "cpu": cpu,
    }


async def loss_run(site: Site, project: int, editors: int, seconds: float, rate: float) -> dict[str, Any]:
    sent_at: dict[tuple[str, str], float] = {}
    people = [Editor(f"editor{n}", site.cookies[f"editor{n}"], project, site.ports) for n in range(editors)]
    for n, person in enumerate(people):
        person.port_index = n % len(site.ports)
    await asyncio.gather(*(person.connect() for person in people))
    stop = asyncio.Event()
    errors: list[str] = []

    async def reconnect(person: Editor) -> None:
        person.port_index += 1
        person.reconnects += 1
        for _ in range(50):
            try:
                await person.connect()
                break
            except Exception:
                person.port_index += 1
                await asyncio.sleep(0.1)
        await person.socket.send(json.dumps({"type": "sync", "since": person.seq}))
        for message in list(person.unacked.values()):  # the server recognises a resend by its ids
            await person.socket.send(json.dumps({**message, "base_seq": person.seq}))

    async def listen(person: Editor) -> None:
        # Until the editing has stopped and every edit of this person is answered (checked at least twice
        # a second: once all is answered, nothing more may come).
        while not (stop.is_set() and not person.unacked):
            try:
                message = json.loads(await asyncio.wait_for(person.socket.recv(), timeout=0.5))
            except TimeoutError:
                continue
            except Exception:
                if stop.is_set() and not person.unacked:
                    return
                await reconnect(person)
                continue
            if message["type"] in ("op", "ops"):
                person.seq = max(person.seq, message["seq"])
            elif message["type"] == "ack":
                person.unacked.pop(message["client_op_id"], None)
                if message["seq"] is not None:
                    person.acked.add(message["client_op_id"])
                    person.seq = max(person.seq, message["seq"])
            elif message["type"] == "error":
                errors.append(f"{person.name}: {message['code']}")
                person.unacked.pop(message.get("client_op_id") or "", None)

    async def edit(person: Editor) -> None:
        await asyncio.sleep(random.random() / rate)
        fields = [("label", lambda n: f"{person.name} {n}"), ("props.memory_mb", lambda n: 128 * (1 + n % 8)),
                  ("props.timeout_s", lambda n: 1 + n % 60)]  # fmt: skip
        n = 0
        while not stop.is_set():
            n += 1
            target = random.choice([c for c in person.components if c.startswith("fn")])
            name, value = random.choice(fields)
            op = {"type": "set_component", "id": target, "field": name, "value": value(n)}
            # A socket that is gone keeps the edit pending; it is sent again on reconnect.
            with contextlib.suppress(ConnectionError, websockets.exceptions.ConnectionClosed):
                await person.send_op(op, sent_at)
            await asyncio.sleep(1 / rate)

    listeners = [asyncio.create_task(listen(person)) for person in people]
    editing = [asyncio.create_task(edit(person)) for person in people]
    await asyncio.sleep(seconds / 2)
    victim = site.processes[0]
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    await asyncio.sleep(seconds / 2)
    stop.set()
    await asyncio.gather(*editing)
    _, waiting = await asyncio.wait(listeners, timeout=30)
    for listener in waiting:  # edits never answered: reported, not waited for forever
        listener.cancel()
    for person in people:
        await person.socket.close()
    unanswered = {
        f"{person.name} on :{person.ports[person.port_index % len(person.ports)]}": sorted(person.unacked)
        for person in people
        if person.unacked
    }
    return {"people": people, "errors": errors, "killed": victim.pid, "unanswered": unanswered}


def check_log(project: int, people: list[Editor]) -> dict[str, Any]:
    """What of the acknowledged edits is in the persisted log, and whether the live document is its replay."""
    from apps.live.models import LiveState, Operation
    from apps.live.operations import apply
    from apps.projects.models import Revision

    logged = set(Operation.objects.filter(project_id=project).values_list("client_id", "client_op_id"))
    acked = {(person.client_id, op_id) for person in people for op_id in person.acked}
    state = LiveState.objects.get(project_id=project)
    document = Revision.objects.get(project_id=project, number=1).design
    for op in Operation.objects.filter(project_id=project).order_by("seq").values_list("op", flat=True):
        document = apply(document, op).document
    return {
        "sent": sum(len(person.sent) for person in people),
        "acked": len(acked),
        "present": len(acked & logged),
        "logged": len(logged),
        "replay_matches": document == state.document,
        "seq": state.seq,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--rate", type=float, default=2, help="edits a second per editor (default 2)")
    parser.add_argument("--web", type=int, default=2, help="web processes for the latency runs (default 2)")
    parser.add_argument("--only", choices=["latency", "loss"])
    parser.add_argument(
        "--sizes", default="1x2,1x10,1x20,50x2", help="latency runs as designs x editors (default 1x2,1x10,1x20,50x2)"
    )
    args = parser.parse_args()
    sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]

    fresh_database(args.database_url)
    work = Path(tempfile.mkdtemp(prefix="tierplan-bench-live-"))
    redis_port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
        "CHANNEL_REDIS_URL": f"redis://127.0.0.1:{redis_port}/1",
        "DJANGO_SETTINGS_MODULE": "designer.settings",
        "LIVE_PAUSE_SECONDS": "3600",  # no revision (and no log trimming) mid-run
        "LIVE_RATE_BURST": "1000",
        "LIVE_RATE_PER_SECOND": "1000",
        "DATABASE_POOL_SIZE": os.environ.get("DATABASE_POOL_SIZE", "8"),
    }
    os.environ.update(env)
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(redis_port)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    import django

    django.setup()
    site = Site(ports=[], processes=[], redis=redis, env=env, log=work / "uvicorn.log")
    try:
        site.cookies = make_team(20)
        site.ports = [free_port() for _ in range(args.web)]
        site.processes = [site.start_web(port) for port in site.ports]
        if args.only in (None, "latency"):
            print(f"Propagation latency (ms), {args.rate:g} edits/s per editor for {args.seconds:g} s, "
                  f"{args.web} web processes, PostgreSQL, Redis channel layer")  # fmt: skip
            header = f"{'designs':>7} {'editors':>7} {'edits':>6} {'delivered':>13} {'p50':>7} {'p95':>7} {'ack p50':>8}  CPU % (web…, redis, clients)"
            print(header)
            for designs, editors in sizes:
                projects = make_projects(designs, editors)
                result = asyncio.run(latency_run(site, projects, editors, args.seconds, args.rate))
                cpu = ", ".join(f"{value:.0f}" for value in result["cpu"].values())
                print(
                    f"{designs:>7} {editors:>7} {result['edits']:>6} {result['delivered']:>6}/{result['expected']:<6} "
                    f"{result['p50']:>7.1f} {result['p95']:>7.1f} {result['ack_p50']:>8.1f}  {cpu}"
                )
        if args.only in (None, "loss"):
            if len(site.processes) < 2:
                site.ports.append(free_port())
                site.processes.append(site.start_web(site.ports[-1]))
            (project,) = make_projects(1, 10)
            result = asyncio.run(loss_run(site, project, 10, max(args.seconds, 6), args.rate * 2))
            checked = check_log(project, result["people"])
            reconnects = sum(person.reconnects for person in result["people"])
            print(
                f"Loss run: 10 editors, random edits on two web processes, one SIGKILLed halfway "
                f"({reconnects} reconnects): sent {checked['sent']}, acknowledged {checked['acked']}, "
                f"acknowledged and present in the log {checked['present']}, logged {checked['logged']}, "
                f"document = replay of the log: {checked['replay_matches']}"
                + (f"; errors: {collections_count(result['errors'])}" if result["errors"] else "")
                + (f"; never answered: {result['unanswered']}" if result["unanswered"] else "")
            )
    finally:
        stop_processes([p for p in site.processes if p.poll() is None] + [redis])


def collections_count(items: list[str]) -> str:
    counts: dict[str, int] = {}
    for item in items:
        key = item.split(": ", 1)[-1]
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{key} ×{value}" for key, value in sorted(counts.items()))


if __name__ == "__main__":
    main()
