"""schemathesis, with all its checks, finds no difference between the OpenAPI schema and the API.

A real gunicorn serves the production profile (DEBUG off) on the test database; schemathesis reads
/api/schema/ from it and sends generated requests, valid and invalid, signed in as alice. The budget
is bounded here (SCHEMATHESIS_MAX_EXAMPLES per operation); `bench/schemathesis.py` runs it at length.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

from rest_framework.authtoken.models import Token

from tests.api_fuzz import ROOT, schemathesis_command, served, server_environment
from tests.conftest import worker_database_url

MIN_CASES = 2000


def test_schemathesis_finds_no_failure_with_all_checks(
    transactional_db: Any, alice: Any, project: Any, redis_url: str, tmp_path: Path
) -> None:
    token = Token.objects.create(user=alice).key
    env = server_environment(
        database_url=worker_database_url(),
        broker_url=redis_url,
        media_root=tmp_path / "media",
        static_root=tmp_path / "static",
    )
    with served(env) as base:
        result = subprocess.run(
            schemathesis_command(
                base,
                token,
                max_examples=int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "40")),
                seed=os.environ.get("SCHEMATHESIS_SEED", "20261130"),
            ),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=900,
        )
    output = result.stdout + result.stderr
    (ROOT / "var" / "schemathesis-last.txt").write_text(output)  # the whole report, for whoever looks next
    assert result.returncode == 0, output[-15000:]
    generated = re.search(r"(\d+) generated", output)
    assert generated and int(generated.group(1)) >= MIN_CASES, output[-3000:]
