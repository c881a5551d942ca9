"""Artifacts in S3-compatible object storage (django-storages), against a local S3 server the test starts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from rest_framework.test import APIClient

from apps.projects.models import Project
from tests.conftest import WorkerFactory
from tests.jobs.test_render_jobs import wait_for
from tests.processes import free_port, wait_for_port

BUCKET = "tierplan-artifacts"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        wait_for_port(port)
        for name, value in CREDENTIALS.items():
            monkeypatch.setenv(name, value)
        endpoint = f"http://127.0.0.1:{port}"
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


def test_render_artifacts_are_stored_in_object_storage_and_download_through_the_api(
    s3_endpoint: str, settings: Any, workers: WorkerFactory, as_alice: APIClient, project: Project
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "location": "tierplan",
                "file_overwrite": True,
                "querystring_auth": False,
                "default_acl": None,
            },
        },
    }
    workers.start(AWS_STORAGE_BUCKET_NAME=BUCKET, AWS_S3_ENDPOINT_URL=s3_endpoint, **CREDENTIALS)
    job_id = as_alice.post(
        f"/api/projects/{project.pk}/jobs/", {"kind": "render", "params": {"format": "png"}}, format="json"
    ).json()["id"]
    done = wait_for(as_alice, job_id, {"succeeded", "failed"})
    assert done["status"] == "succeeded", done["error"]
    artifact = done["artifacts"][0]

    keys = [
        item["Key"]
        for item in boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1").list_objects_v2(
            Bucket=BUCKET
        )["Contents"]
    ]
    assert keys == [f"tierplan/artifacts/{project.pk}/{artifact['sha256']}.png"]
    body = b"".join(as_alice.get(artifact["download_url"]).streaming_content)
    assert body[:8] == b"\x89PNG\r\n\x1a\n" and len(body) == artifact["size"]
