"""Runtimes: a function on a runtime AWS Lambda has deprecated."""

from __future__ import annotations

import datetime

import pytest

from apps.review.rules import runtimes
from tests.review.designs import design, findings, fn, only


@pytest.fixture(autouse=True)
def review_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtimes, "today", lambda: datetime.date(2026, 11, 30))


def test_a_function_on_a_deprecated_runtime_is_a_warning_naming_the_dates_and_the_way_out() -> None:
    finding = only(design([fn("orders", "Orders", runtime="python3.9")]), "deprecated-runtime")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["orders"]
    assert "deprecated on 2025-12-15" in finding["message"]
    assert "2027-02-01" in finding["message"] and "2027-03-03" in finding["message"]
    assert "python3.14" in finding["fix"]


def test_a_go1x_function_is_sent_to_the_os_only_runtime() -> None:
    finding = only(design([fn("legacy", runtime="go1.x")]), "deprecated-runtime")
    assert "was blocked from 2024-02-08" in finding["message"]
    assert "provided.al2023" in finding["fix"]


def test_a_function_on_a_current_runtime_is_fine() -> None:
    doc = design([fn("a", runtime="python3.13"), fn("b", runtime="nodejs24.x"), fn("c", runtime="java25")])
    assert findings(doc, "deprecated-runtime") == []


def test_a_runtime_is_fine_until_its_deprecation_day(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = design([fn("payments", runtime="dotnet8")])
    monkeypatch.setattr(runtimes, "today", lambda: datetime.date(2026, 11, 9))
    assert findings(doc, "deprecated-runtime") == []
    monkeypatch.setattr(runtimes, "today", lambda: datetime.date(2026, 11, 10))
    assert "dotnet10" in only(doc, "deprecated-runtime")["fix"]
