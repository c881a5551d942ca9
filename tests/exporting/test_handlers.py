"""The starter handlers run and answer what their trigger expects."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from apps.exporting.starters import function_code


def load(role: str, tmp_path: Path) -> Any:
    files = function_code("python3.13", role).files
    path = tmp_path / "app.py"
    path.write_text(files["app.py"])
    spec = importlib.util.spec_from_file_location(f"handler_{role}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.handler


def test_the_general_handler_answers_api_queue_and_cognito_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = load("function", tmp_path)
    monkeypatch.setenv("CORS_ALLOW_ORIGIN", "https://app.example.com")
    api = handler({"httpMethod": "GET", "path": "/orders"}, None)
    assert api["statusCode"] == 200 and api["headers"]["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert handler({"Records": [{"eventSource": "aws:sqs", "body": "x"}]}, None) == {"batchItemFailures": []}
    cognito = {"triggerSource": "PreSignUp_SignUp", "response": {}}
    assert handler(cognito, None) is cognito


def test_the_authorizer_denies_until_a_check_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    handler = load("authorizer", tmp_path)
    event = {"authorizationToken": "anything", "methodArn": "arn:aws:execute-api:us-east-1:1:abc/prod/GET/"}
    assert handler(event, None)["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    monkeypatch.setenv("EXPECTED_TOKEN", "anything")
    assert handler(event, None)["policyDocument"]["Statement"][0]["Effect"] == "Allow"
    assert handler({"routeArn": "arn", "identitySource": ["nope"]}, None) == {"isAuthorized": False}


def test_the_edge_handler_adds_security_headers(tmp_path: Path) -> None:
    handler = load("edge", tmp_path)
    response = handler({"Records": [{"cf": {"request": {}, "response": {"headers": {}}}}]}, None)
    assert response["headers"]["strict-transport-security"][0]["value"].startswith("max-age=")
    assert set(response["headers"]) >= {"x-content-type-options", "x-frame-options", "content-security-policy"}
