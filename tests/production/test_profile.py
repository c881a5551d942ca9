"""The production profile passes Django's deploy checks and serves with the security headers on."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client

from tests.conftest import ROOT


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "tierplan.example.com",
    # Several web processes share their throttle counters through Redis (checked by tierplan.W001).
    "REDIS_CACHE_URL": "redis://127.0.0.1:6379/1",
}


def test_the_deploy_check_passes_at_warning_level_in_production() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="tierplan.example.com")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_collectstatic_gathers_hashed_static_files_and_the_catalog_icons(tmp_path) -> None:
    result = manage("collectstatic", "--noinput", "-v0", STATIC_ROOT=str(tmp_path), **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").is_file()
    assert (tmp_path / "icons" / "aws" / "compute" / "lambda.png").is_file()
    assert list((tmp_path / "css").glob("base.*.css"))  # hashed name


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_and_the_frame_and_referrer_headers() -> None:
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_unknown_pages_get_the_custom_404_page() -> None:
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert b"There is nothing here, or it is not shared with you." in response.content


@pytest.mark.django_db
def test_the_api_docs_work_under_the_content_security_policy() -> None:
    page = Client().get("/api/docs/")
    assert page.status_code == 200
    assert "<script>" not in page.content.decode().replace("<script src", "")  # no inline script
