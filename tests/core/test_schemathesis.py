"""schemathesis, with all its checks, finds no difference between the OpenAPI schema and the API.

A real gunicorn serves the production profile (DEBUG off) on the test database; schemathesis reads
/api/schema/ from it and sends generated requests, valid and invalid, signed in as alice. The budget
is bounded here (SCHEMATHESIS_MAX_EXAMPLES per operation); `bench/schemathesis.py` runs it at length.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from rest_framework.authtoken.models import Token

from tests.api_fuzz import (
    ROOT,
    cases_generated,
    config_with_identifiers,
    existing_things,
    schemathesis_command,
    served,
    server_environment,
)
from tests.conftest import worker_database_url

MIN_CASES = 2000


def test_schemathesis_finds_no_failure_with_all_checks(
    transactional_db: Any, alice: Any, bob: Any, team: Any, project: Any, redis_url: str, tmp_path: Path
) -> None:
    token = Token.objects.create(user=alice).key
    identifiers, deletable = existing_things(alice, bob, team, project)
    aimed = config_with_identifiers(tmp_path, identifiers, deletable=deletable)
    budget = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "30"))
    seed = os.environ.get("SCHEMATHESIS_SEED", "20261130")
    env = server_environment(
        database_url=worker_database_url(),
        broker_url=redis_url,
        media_root=tmp_path / "media",
        static_root=tmp_path / "static",
    )
    passes = {
        # Valid and invalid requests with generated ids: the schema against every kind of input.
        "all": schemathesis_command("{base}", token, max_examples=budget, seed=seed),
        # Valid requests aimed at things that exist, so the logic behind each operation answers.
        "aimed": schemathesis_command("{base}", token, max_examples=budget, seed=seed, config=aimed, mode="positive"),
    }
    generated = 0
    with served(env) as base:
        for name, command in passes.items():
            command = [part.replace("{base}", base) for part in command]
            result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=900)
            output = result.stdout + result.stderr
            (ROOT / "var" / f"schemathesis-{name}.txt").write_text(output)  # the whole report, for whoever looks
            assert result.returncode == 0, f"{name} pass:\n" + output[-15000:]
            generated += cases_generated(output)
    assert generated >= MIN_CASES, generated
