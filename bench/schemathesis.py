"""schemathesis at length against gunicorn: the suite's conformance test with a large budget.

The suite (tests/core/test_schemathesis.py) runs a bounded number of cases on every `make test`; this
runs the same two passes (every check on generated input; valid input aimed at existing things) with
as many examples per operation as you give, and prints cases, failures and time per pass.

Run: .venv/bin/python bench/schemathesis.py [--max-examples 300] [--seed N]
It starts its own Redis, SQLite database and gunicorn on 127.0.0.1 and stops them at the end; the full
reports go to var/schemathesis-bench-<pass>.txt, the server's log to var/schemathesis-bench-server.log.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.api_fuzz import (  # noqa: E402
    cases_generated,
    config_with_identifiers,
    existing_things,
    schemathesis_command,
    served,
    server_environment,
)
from tests.processes import free_port, stop_processes, wait_for_port  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-examples", type=int, default=300, help="examples per operation and phase")
    parser.add_argument("--seed", default=str(int(time.time())))
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="tierplan-fuzz-"))
    redis_port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(redis_port)
        broker = f"redis://127.0.0.1:{redis_port}/0"
        env = server_environment(
            database_url=f"sqlite:///{folder / 'db.sqlite3'}",
            broker_url=broker,
            media_root=folder / "media",
            static_root=folder / "static",
        )
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        os.environ.update({"DATABASE_URL": env["DATABASE_URL"], "DJANGO_SETTINGS_MODULE": "designer.settings"})
        token, identifiers, deletable = seed_data()
        passes = {
            "all": schemathesis_command("{base}", token, max_examples=args.max_examples, seed=args.seed),
            "aimed": schemathesis_command(
                "{base}",
                token,
                max_examples=args.max_examples,
                seed=args.seed,
                config=config_with_identifiers(folder, identifiers, deletable=deletable),
                mode="positive",
            ),
        }
        with served(env, log=ROOT / "var" / "schemathesis-bench-server.log") as base:
            for name, command in passes.items():
                started = time.monotonic()
                result = subprocess.run(
                    [part.replace("{base}", base) for part in command], cwd=folder, capture_output=True, text=True
                )
                output = result.stdout + result.stderr
                (ROOT / "var" / f"schemathesis-bench-{name}.txt").write_text(output)
                failures = "0 failures" if result.returncode == 0 else "FAILURES (see the report)"
                print(
                    f"{name:>6}: {cases_generated(output)} cases, {failures}, {time.monotonic() - started:.0f} s "
                    f"(report: var/schemathesis-bench-{name}.txt)"
                )
    finally:
        stop_processes([redis])
        shutil.rmtree(folder, ignore_errors=True)


def seed_data() -> tuple[str, dict[str, int | str], dict[str, int]]:
    """alice, her team with bob, a project, a share link and a comment, in the run's own database."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from apps.designs.document import validate_design
    from apps.projects import services
    from apps.projects.models import Role
    from tests.conftest import design_doc

    alice = User.objects.create_user("alice", "alice@example.com", "a long fuzzing pass phrase")
    bob = User.objects.create_user("bob", "bob@example.com", "a long fuzzing pass phrase")
    team = services.team_create(name="Platform", owner=alice)
    services.membership_add(team=team, user=bob, role=Role.EDITOR)
    project = services.project_create(team=team, user=alice, name="Orders", design=validate_design(design_doc()))
    identifiers, deletable = existing_things(alice, bob, team, project)
    return Token.objects.create(user=alice).key, identifiers, deletable


if __name__ == "__main__":
    main()
