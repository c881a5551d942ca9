"""Benchmark: a render job through the API against a plain `diagrams` script, in the same run.

For designs of 10, 100 and 300 components it measures, as medians over several runs:
- api: PUT a new revision (not timed), then POST /jobs/ → poll GET /jobs/{id}/ until succeeded →
  download the artifact, over HTTP against `runserver` with one Celery worker on a private Redis;
- plain: a script that draws the same graph with `diagrams` (`with Diagram(...)`, clusters, nodes,
  edges) and writes the SVG, in this process;
- cached: POST the same job again (200 with the stored artifact), one HTTP round trip.

Run: .venv/bin/python bench/render_jobs.py [--runs N] [--sizes 10,100,300] [--format svg]
Everything it starts (Redis, worker, web server, SQLite file) is private to the run and stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import plain_diagrams_script as plain_module  # noqa: E402

from tests.processes import free_port, stop_processes, wait_for_port  # noqa: E402


class Api:
    def __init__(self, base: str, token: str | None = None) -> None:
        self.base = base
        self.token = token

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Token {self.token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


def plain_script(doc: dict[str, Any], out_dir: Path, types_file: Path) -> tuple[float, float]:
    """Run bench/plain_diagrams_script.py as a process; returns (whole process, drawing only) seconds."""
    design_file = out_dir / "design.json"
    design_file.write_text(json.dumps(doc))
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "plain_diagrams_script.py"),
            str(design_file),
            str(types_file),
            str(out_dir / "plain"),
        ],
        check=True,
    )
    whole = time.perf_counter() - started
    # The same script's drawing alone (imports done), in this process.
    sys.argv = ["plain", str(design_file), str(types_file), str(out_dir / "plain-inproc")]
    started = time.perf_counter()
    plain_module.main()
    return whole, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=0, help="runs per size (default: 15, 9, 5 by size)")
    parser.add_argument("--sizes", default="10,100,300")
    parser.add_argument("--format", default="svg")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tierplan-bench-"))
    redis_port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/0",
        "MEDIA_ROOT": str(work / "media"),
        "DJANGO_SETTINGS_MODULE": "designer.settings",
    }
    os.environ.update(env)
    python = sys.executable
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.append(
            subprocess.Popen(
                ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
            )
        )
        wait_for_port(redis_port)
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        processes.append(
            subprocess.Popen(
                [
                    python,
                    "-m",
                    "celery",
                    "-A",
                    "designer",
                    "worker",
                    "--pool=solo",
                    "-Q",
                    "fast,slow",
                    "--loglevel=WARNING",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        processes.append(
            subprocess.Popen(
                [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{web_port}"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        wait_for_port(web_port)

        import django

        django.setup()
        from tests.rendering.designs import chain_design

        api = Api(f"http://127.0.0.1:{web_port}")
        status, _, body = api.call(
            "POST", "/api/auth/signup/", {"username": "bench", "password": "a long bench pass phrase"}
        )
        assert status == 201, body
        api.token = json.loads(body)["token"]
        time.sleep(1.0)  # let the worker finish starting

        from apps.designs.catalog import get_catalog

        types_file = work / "types.json"
        types_file.write_text(json.dumps({t.name: {"icon": t.icon, "tier": t.tier} for t in get_catalog()}))
        rows = []
        for size in [int(s) for s in args.sizes.split(",")]:
            runs = args.runs or {10: 15, 100: 9}.get(size, 5)
            doc = chain_design(size, name=f"Bench {size}")
            status, _, body = api.call("POST", "/api/projects/", {"design": doc})
            assert status == 201, body
            project = json.loads(body)["id"]
            api_times, script_times, draw_times, cached_times = [], [], [], []
            for run in range(runs + 1):  # the first run of each kind warms up and is not counted
                doc["name"] = f"Bench {size} run {run}"
                status, headers, _ = api.call("GET", f"/api/projects/{project}/design/")
                status, _, body = api.call(
                    "PUT", f"/api/projects/{project}/design/", doc, {"If-Match": headers["ETag"]}
                )
                assert status == 200, body
                started = time.perf_counter()
                status, _, body = api.call(
                    "POST", f"/api/projects/{project}/jobs/", {"kind": "render", "params": {"format": args.format}}
                )
                assert status == 202, body
                job = json.loads(body)
                while job["status"] not in ("succeeded", "failed"):
                    time.sleep(0.005)
                    job = json.loads(api.call("GET", job["url"])[2])
                assert job["status"] == "succeeded", job
                status, _, data = api.call("GET", job["artifacts"][0]["download_url"])
                elapsed = time.perf_counter() - started
                assert status == 200 and len(data) == job["artifacts"][0]["size"]
                if os.environ.get("BENCH_PHASES"):
                    from datetime import datetime

                    t = {
                        k: datetime.fromisoformat(job[k].replace("Z", "+00:00"))
                        for k in ("created_at", "started_at", "finished_at")
                    }
                    print(
                        f"  {size}: queue {(t['started_at'] - t['created_at']).total_seconds() * 1000:.1f} ms, worker {(t['finished_at'] - t['started_at']).total_seconds() * 1000:.1f} ms, total {elapsed * 1000:.1f} ms"
                    )

                cached_started = time.perf_counter()
                status, _, _ = api.call(
                    "POST", f"/api/projects/{project}/jobs/", {"kind": "render", "params": {"format": args.format}}
                )
                cached = time.perf_counter() - cached_started
                assert status == 200

                out = work / f"plain-{size}-{run}"
                out.mkdir()
                script, draw = plain_script(doc, out, types_file)
                if run:
                    api_times.append(elapsed)
                    script_times.append(script)
                    draw_times.append(draw)
                    cached_times.append(cached)
            api_ms, script_ms, draw_ms = (1000 * statistics.median(t) for t in (api_times, script_times, draw_times))
            rows.append(
                (
                    size,
                    runs,
                    api_ms,
                    script_ms,
                    api_ms / script_ms,
                    draw_ms,
                    api_ms / draw_ms,
                    1000 * statistics.median(cached_times),
                )
            )

        print(
            f"\nrender jobs ({args.format}), medians in ms. script = bench/plain_diagrams_script.py run as a process;"
        )
        print("draw = the same script's drawing alone, imports done; cached = POST of an already rendered job")
        print(
            f"{'components':>10} {'runs':>4} {'api job':>8} {'script':>8} {'ratio':>6} {'draw':>7} {'ratio':>6} {'cached':>7}"
        )
        for size, runs, api_ms, script_ms, ratio, draw_ms, draw_ratio, cached_ms in rows:
            print(
                f"{size:>10} {runs:>4} {api_ms:>8.1f} {script_ms:>8.1f} {ratio:>6.2f} {draw_ms:>7.1f} {draw_ratio:>6.2f} {cached_ms:>7.1f}"
            )
    finally:
        stop_processes(processes)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
