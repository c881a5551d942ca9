"""Operations: secrets without rotation, alarms without an action, Parameter Store tiers and throughput."""

from __future__ import annotations

from tests.review.designs import comp, design, findings, fn, link, only


def test_a_secret_nobody_rotates_is_a_warning() -> None:
    finding = only(design([comp("key", "secrets_manager_secret", "Partner key")]), "secret-without-rotation")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["key"]
    assert "“Partner key” (key)" in finding["message"]
    assert "rotate" in finding["fix"]


def test_a_secret_with_a_rotation_function_is_fine() -> None:
    doc = design([comp("key", "secrets_manager_secret"), fn("rotator")], [link("key", "rotator", "rotate")])
    assert findings(doc, "secret-without-rotation") == []


def test_an_alarm_that_notifies_nobody_is_a_warning() -> None:
    doc = design([fn("fn"), comp("errors", "cloudwatch_alarm", "Errors")], [link("fn", "errors", "metric")])
    finding = only(doc, "alarm-without-action")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["errors"]


def test_an_alarm_that_notifies_a_topic_is_fine() -> None:
    doc = design(
        [fn("fn"), comp("errors", "cloudwatch_alarm"), comp("ops", "sns_topic")],
        [link("fn", "errors", "metric"), link("errors", "ops", "notify")],
    )
    assert findings(doc, "alarm-without-action") == []


def test_an_advanced_parameter_with_a_small_value_is_an_info() -> None:
    finding = only(design([comp("p", "ssm_parameter", tier="Advanced", value="on")]), "ssm-advanced-tier-unneeded")
    assert finding["severity"] == "info"
    assert "4 KB" in finding["message"]


def test_a_standard_parameter_is_fine() -> None:
    doc = design([comp("small", "ssm_parameter", value="x" * 4096)])
    assert findings(doc, "ssm-advanced-tier-unneeded") == []


def test_a_parameter_read_on_every_request_of_a_busy_function_exceeds_the_default_throughput() -> None:
    # 200M requests a month is about 76 a second on average, above the default 40 transactions a second.
    doc = design(
        [fn("fn", usage={"requests_per_month": 200_000_000}), comp("flags", "ssm_parameter", "Flags")],
        [link("fn", "flags", "read")],
    )
    finding = only(doc, "ssm-throughput-exceeded")
    assert finding["severity"] == "warning"
    assert "about 76 times a second" in finding["message"]


def test_a_parameter_read_within_the_default_throughput_or_with_higher_throughput_is_fine() -> None:
    quiet = design(
        [fn("fn", usage={"requests_per_month": 1_000_000}), comp("flags", "ssm_parameter")],
        [link("fn", "flags", "read")],
    )
    assert findings(quiet, "ssm-throughput-exceeded") == []
    raised = design(
        [fn("fn", usage={"requests_per_month": 200_000_000}), comp("flags", "ssm_parameter", higher_throughput=True)],
        [link("fn", "flags", "read")],
    )
    assert findings(raised, "ssm-throughput-exceeded") == []


def test_an_unread_parameter_is_not_taken_for_an_entry_point_with_the_whole_workload() -> None:
    doc = design([comp("flags", "ssm_parameter")], requests_per_month=1_000_000_000)
    assert findings(doc, "ssm-throughput-exceeded") == []
