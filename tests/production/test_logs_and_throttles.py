"""JSON log lines with request ids that follow a job to its worker; throttles answer 429 with Retry-After."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from apps.core.logging import JsonFormatter, RequestIdFilter, request_id
from apps.projects.models import Project
from tests.conftest import PASSWORD, WorkerFactory
from tests.jobs.test_render_jobs import wait_for


def test_a_log_record_becomes_one_json_line_with_the_request_id() -> None:
    record = logging.LogRecord("tierplan", logging.INFO, __file__, 1, "job %s done", (7,), None)
    record.job_id = 7
    token = request_id.set("abc-123")
    try:
        RequestIdFilter().filter(record)
        line = JsonFormatter().format(record)
    finally:
        request_id.reset(token)
    entry = json.loads(line)
    assert entry["message"] == "job 7 done" and entry["request_id"] == "abc-123" and entry["job_id"] == 7
    assert "\n" not in line


def test_responses_echo_a_plain_request_id_and_replace_a_hostile_one(db: Any) -> None:
    client = Client()
    assert client.get("/healthz", HTTP_X_REQUEST_ID="trace-42")["X-Request-ID"] == "trace-42"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID='bad"\nid')["X-Request-ID"]
    assert replaced != 'bad"\nid' and len(replaced) == 32


def test_the_request_id_follows_a_job_into_the_workers_logs(
    workers: WorkerFactory, as_alice: APIClient, project: Project, tmp_path: Path
) -> None:
    log_file = tmp_path / "worker.log"
    workers.start(log_file=log_file, loglevel="INFO", LOG_FORMAT="json")
    response = as_alice.post(
        f"/api/projects/{project.pk}/jobs/", {"kind": "render"}, format="json", HTTP_X_REQUEST_ID="req-follow-1"
    )
    job_id = response.json()["id"]
    assert wait_for(as_alice, job_id, {"succeeded", "failed"})["status"] == "succeeded"
    deadline = time.monotonic() + 10
    lines: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not any(line.get("job_id") == job_id for line in lines):
        lines = [json.loads(raw) for raw in log_file.read_text().splitlines() if raw.startswith("{")]
        time.sleep(0.1)
    mine = [line for line in lines if line.get("job_id") == job_id]
    assert mine and all(line["request_id"] == "req-follow-1" for line in mine)
    assert {line["message"] for line in mine} >= {
        f"job {job_id} (render) started, attempt 1",
        f"job {job_id} succeeded",
    }


def test_the_token_endpoint_is_throttled(settings: Any, alice: Any) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "token": "2/min"}
    client = APIClient()
    codes = [
        client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD}, format="json").status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    refused = client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD}, format="json")
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "throttled"


def test_job_requests_are_throttled_per_user_but_reading_them_is_not(
    settings: Any, as_alice: APIClient, project: Project
) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "jobs": "1/min"}
    url = f"/api/projects/{project.pk}/jobs/"
    assert as_alice.post(url, {"kind": "render", "params": {"format": "gif"}}, format="json").status_code == 400
    refused = as_alice.post(url, {"kind": "render"}, format="json")
    assert refused.status_code == 429 and "Retry-After" in refused
    assert as_alice.get(url).status_code == 200


def test_sign_up_is_throttled(settings: Any, db: Any) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "signup": "1/hour"}
    client = APIClient()
    assert client.post("/api/auth/signup/", {"username": "one", "password": PASSWORD}, format="json").status_code == 201
    refused = client.post("/api/auth/signup/", {"username": "two", "password": PASSWORD}, format="json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "throttled"
    assert not User.objects.filter(username="two").exists()
