"""Running schemathesis against a served Tierplan: shared by the test suite and bench/schemathesis.py."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.processes import free_port, stop_processes, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "tests" / "schemathesis.toml"
THROTTLED_SCOPES = ("TOKEN", "SIGNUP", "JOBS", "REVIEW", "REVIEW_COMMENT", "INVITATIONS", "IMPORT")


def server_environment(*, database_url: str, broker_url: str, media_root: Path, static_root: Path) -> dict[str, str]:
    """The production profile (DEBUG off) on loopback, with throttles opened wide.

    The logic behind each operation is what the fuzzer is after; throttles have tests of their own and
    would otherwise answer most generated requests with 429.
    """
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; TLS is the proxy's job
        "MEDIA_ROOT": str(media_root),
        "STATIC_ROOT": str(static_root),
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        # Invitations are emailed; with DEBUG off the default would be SMTP on localhost.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **{f"THROTTLE_{scope}": "1000000/min" for scope in THROTTLED_SCOPES},
    }


@contextmanager
def served(env: dict[str, str], *, workers: int = 2, log: Path | None = None) -> Iterator[str]:
    """Collect static files, then serve with gunicorn on a free loopback port; yield its base URL.

    The server's output (request logs) goes to ``log`` when given.
    """
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "designer.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab") if log else None,
        stderr=subprocess.STDOUT if log else None,
    )  # fmt: skip
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_processes([server])


def config_with_identifiers(folder: Path, identifiers: dict[str, int | str], *, deletable: dict[str, int]) -> Path:
    """The repository's configuration plus path parameters naming things that exist, written to ``folder``.

    Without them nearly every generated id is unknown and the fuzzer meets only 404s. DELETE operations
    get ``deletable`` ids of their own, so they do not remove what every other operation is aimed at.
    """
    lines = [CONFIG.read_text(), "", "[parameters]"]
    lines += [f'"path.{name}" = {json.dumps(value)}' for name, value in identifiers.items()]
    for name, value in deletable.items():
        lines += ["", "[[operations]]", 'include-method = "DELETE"', f'parameters = {{ "path.{name}" = {value} }}']
    path = folder / "schemathesis.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def schemathesis_command(
    base_url: str,
    token: str,
    *,
    max_examples: int,
    seed: str,
    config: Path = CONFIG,
    mode: str = "all",
    workers: int = 2,
) -> list[str]:
    """schemathesis with every check, signed in with ``token``, using ``config`` (the repository's by default).

    ``mode="positive"`` generates only valid requests: the pass aimed at existing ids uses it, because
    schemathesis reports a request whose path id it fixed as "invalid data accepted" when it meant to
    mutate that id (the negative pass, with generated ids, covers invalid input).
    """
    return [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "--no-color", "run",
        f"{base_url}/api/schema/", "--checks", "all", "-H", f"Authorization: Token {token}",
        "--max-examples", str(max_examples), "--workers", str(workers), "--seed", seed, "--mode", mode,
        # In positive mode schemathesis 4.32's stateful phase reports its own valid requests as "invalid
        # data accepted" (its links mutate nothing); that pass runs the other phases.
        *(["--phases", "examples,coverage,fuzzing"] if mode == "positive" else []),
    ]  # fmt: skip


def cases_generated(output: str) -> int:
    """How many test cases a schemathesis run reports it generated (0 when it says nothing)."""
    found = re.search(r"(\d+) generated", output)
    return int(found.group(1)) if found else 0


def existing_things(alice: Any, bob: Any, team: Any, project: Any) -> tuple[dict[str, int | str], dict[str, int]]:
    """Ids of things alice can reach (aimed at by every operation) and of spares for DELETE to remove.

    alice owns ``team`` (where bob is a member) and ``project`` in it, at revision 1.
    """
    from apps.designs.document import validate_design
    from apps.projects import services
    from apps.review import services as review_services
    from tests.conftest import design_doc

    link, token = review_services.share_link_create(project=project, user=alice, revision=None)
    comment = review_services.comment_create(
        project=project, revision_number=1, author_name="Rita", body="Why two tables?", share_link=link,
        components={"orders"}, component_id="orders",
    )  # fmt: skip
    spare_team = services.team_create(name="Spare", owner=alice)
    spare_project = services.project_create(team=team, user=alice, name="Spare", design=validate_design(design_doc()))
    spare_link, _ = review_services.share_link_create(project=project, user=alice, revision=None)
    identifiers: dict[str, int | str] = {
        "project_id": project.pk, "team_id": team.pk, "number": 1, "comment_id": comment.pk, "link_id": link.pk,
        "user_id": bob.pk, "token": token,
    }  # fmt: skip
    deletable = {"project_id": spare_project.pk, "team_id": spare_team.pk, "link_id": spare_link.pk}
    return identifiers, deletable
