"""Secrets, parameters, alarms and Bedrock models: their figures checked by hand from the listed prices."""

from __future__ import annotations

import pytest

from apps.costing import estimate
from tests.costing.designs import component, design, lambda_fn, line, link, usd

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"


def test_the_secrets_manager_example_100_secrets_read_20_times_a_day() -> None:
    # AWS's pricing example, as summarised on the pricing page: 100 secrets each read 20 times a day for
    # 30 days. Storage 100 × $0.40 = $40.00; 60,000 calls × $0.05 / 10,000 = $0.30.
    secrets = [
        {"id": f"s{n}", "type": "secrets_manager_secret", "usage": {"api_calls_per_month": 20 * 30}} for n in range(100)
    ]
    result = estimate(design(secrets))
    assert sum(usd(result, f"s{n}", "secretsmanager.secrets") for n in range(100)) == pytest.approx(40.00)
    calls = sum(line(result, f"s{n}", "secretsmanager.api_calls")["quantity"] for n in range(100))
    assert calls * 10_000 * 0.05 / 10_000 == pytest.approx(0.30)


def test_a_secret_is_called_once_per_request_of_each_function_that_reads_it() -> None:
    result = estimate(
        design(
            [lambda_fn(requests_per_month=2_000_000), {"id": "key", "type": "secrets_manager_secret"}],
            [link("fn", "key", "read")],
        )
    )
    # 2,000,000 calls × $0.05 / 10,000 = $10.00, plus one secret-month, $0.40.
    assert usd(result, "key", "secretsmanager.api_calls") == 10.00
    assert usd(result, "key", "secretsmanager.secrets") == 0.40


def test_a_standard_parameter_costs_nothing_and_an_advanced_one_is_charged_with_its_calls() -> None:
    fn = lambda_fn(requests_per_month=1_000_000)
    standard = estimate(design([fn, {"id": "p", "type": "ssm_parameter"}], [link("fn", "p", "read")]))
    assert [entry["meter"] for entry in next(c for c in standard["components"] if c["id"] == "p")["lines"]] == []
    advanced = estimate(
        design([fn, {"id": "p", "type": "ssm_parameter", "props": {"tier": "Advanced"}}], [link("fn", "p", "read")])
    )
    # $0.05 a parameter-month, and 1,000,000 interactions × $0.05 / 10,000 = $5.00.
    assert usd(advanced, "p", "ssm.advanced_parameters") == 0.05
    assert usd(advanced, "p", "ssm.api_interactions") == 5.00


def test_an_alarm_is_billed_per_watched_metric_and_ten_are_free_with_the_free_tier() -> None:
    alarms = [{"id": f"a{n}", "type": "cloudwatch_alarm"} for n in range(12)]
    result = estimate(design(alarms))
    assert usd(result, "a0", "cloudwatch.alarms.standard") == 0.10
    free = estimate(design(alarms), free_tier=True)
    # 12 alarm-months, 10 free once per account: 2 billable ($0.20), shared by the twelve in proportion.
    billable = sum(line(free, f"a{n}", "cloudwatch.alarms.standard")["quantity"] for n in range(12))
    assert billable == pytest.approx(2)
    two = estimate(
        design(
            [lambda_fn("f1"), lambda_fn("f2"), {"id": "errors", "type": "cloudwatch_alarm"}],
            [link("f1", "errors", "metric"), link("f2", "errors", "metric")],
        )
    )
    assert usd(two, "errors", "cloudwatch.alarms.standard") == 0.20


def test_an_alarm_takes_no_requests_from_the_functions_it_watches() -> None:
    result = estimate(
        design(
            [lambda_fn(requests_per_month=1_000_000), {"id": "errors", "type": "cloudwatch_alarm"}],
            [link("fn", "errors", "metric")],
        )
    )
    assert line(result, "fn", "lambda.requests")["quantity"] == pytest.approx(1.0)


def test_bedrock_tokens_are_billed_per_thousand_by_model_from_the_calls_along_the_connection() -> None:
    model = {
        "id": "model",
        "type": "bedrock_model",
        "props": {"model_id": HAIKU},
        "usage": {"input_tokens_per_request": 800, "output_tokens_per_request": 400},
    }
    result = estimate(design([lambda_fn(requests_per_month=300_000), model], [link("fn", "model", "call")]))
    # 300,000 × 800 = 240M input tokens × $0.00025 / 1K = $60.00;
    # 300,000 × 400 = 120M output tokens × $0.00125 / 1K = $150.00.
    assert usd(result, "model", f"bedrock.{HAIKU}.input") == 60.00
    assert usd(result, "model", f"bedrock.{HAIKU}.output") == 150.00


def test_every_bedrock_model_in_the_catalog_has_input_and_output_prices() -> None:
    from apps.costing.pricing import default_snapshot
    from apps.designs.catalog import get_catalog

    snapshot = default_snapshot()
    for model_id in get_catalog().types["bedrock_model"].props.fields["model_id"].enum or []:
        for kind in ("input", "output"):
            meter = snapshot.meter(f"bedrock.{model_id}.{kind}")
            assert meter is not None and meter.source.startswith("https://aws.amazon.com/bedrock/pricing")


def called(type_id: str, requests: float, **usage: float) -> dict[str, object]:
    return {"id": "ai", "type": type_id, "usage": {"requests_per_month": requests, **usage}}


def test_rekognition_bills_each_image_at_its_volume_tier() -> None:
    # 2,000,000 images: 1M × $1.00 / 1K + 1M × $0.80 / 1K = $1,800.00
    assert usd(estimate(design([called("rekognition", 2_000_000)])), "ai", "rekognition.images") == 1800.00


def test_comprehend_bills_at_least_three_units_of_100_characters_a_request() -> None:
    # 100,000 requests of 150 characters: 3 units each (the minimum), 300,000 units × $0.0001 = $30.00;
    # of 1,050 characters: 11 units each, 1.1M units = $110.00.
    short = estimate(design([called("comprehend", 100_000, avg_characters_per_request=150)]))
    long = estimate(design([called("comprehend", 100_000, avg_characters_per_request=1050)]))
    assert usd(short, "ai", "comprehend.units") == 30.00
    assert usd(long, "ai", "comprehend.units") == 110.00


def test_translate_bills_per_character() -> None:
    # 200,000 texts × 500 characters = 100M characters × $15 / 1M = $1,500.00
    assert usd(estimate(design([called("translate", 200_000)])), "ai", "translate.characters") == 1500.00


def test_textract_bills_per_page_by_feature() -> None:
    # 10,000 documents × 3 pages = 30,000 pages: text $1.50 / 1K = $45.00; tables and forms $65 / 1K = $1,950.00
    text = estimate(design([called("textract", 10_000, pages_per_request=3)]))
    both = {**called("textract", 10_000, pages_per_request=3), "props": {"features": "tables_forms"}}
    assert usd(text, "ai", "textract.text") == 45.00
    assert usd(estimate(design([both])), "ai", "textract.tables_forms") == 1950.00


def test_a_kms_key_costs_a_dollar_a_month_and_its_requests_per_ten_thousand() -> None:
    result = estimate(
        design([lambda_fn(requests_per_month=2_000_000), {"id": "k", "type": "kms_key"}], [link("fn", "k", "read")])
    )
    # One key-month, $1.00; 2,000,000 Decrypt requests × $0.03 / 10,000 = $6.00.
    assert usd(result, "k", "kms.keys") == 1.00
    assert usd(result, "k", "kms.requests") == 6.00
    free = estimate(
        design([lambda_fn(requests_per_month=20_000), {"id": "k", "type": "kms_key"}], [link("fn", "k", "read")]),
        free_tier=True,
    )
    assert usd(free, "k", "kms.requests") == 0.00  # 20,000 requests a month are free


def test_a_custom_resource_is_free_and_its_provider_takes_no_traffic_from_it() -> None:
    result = estimate(
        design(
            [{"id": "seed", "type": "custom_resource"}, lambda_fn("seeder")],
            [link("seed", "seeder", "provide")],
        )
    )
    seed = next(c for c in result["components"] if c["id"] == "seed")
    assert seed["lines"] == []
    assert any("charges nothing for custom resources" in text for text in result["assumptions"])
    seeder = next(c for c in result["components"] if c["id"] == "seeder")
    assert all(entry["quantity"] == 0 for entry in seeder["lines"])


def test_a_dashboard_costs_three_dollars_a_month_and_three_are_free_with_the_free_tier() -> None:
    boards = [{"id": f"d{n}", "type": "cloudwatch_dashboard"} for n in range(4)]
    assert usd(estimate(design(boards)), "d0", "cloudwatch.dashboards") == 3.00
    free = estimate(design(boards), free_tier=True)
    billable = sum(line(free, f"d{n}", "cloudwatch.dashboards")["quantity"] for n in range(4))
    assert billable == pytest.approx(1)


def test_a_trail_bills_the_data_events_of_what_it_audits_and_its_first_copy_of_management_events_is_free() -> None:
    components = [
        lambda_fn(requests_per_month=3_000_000),
        {"id": "logs", "type": "s3_bucket"},
        {"id": "trail", "type": "cloudtrail_trail"},
    ]
    connections = [link("trail", "logs", "archive"), link("fn", "trail", "audit")]
    result = estimate(design(components, connections))
    # 3,000,000 invocations × $0.10 / 100,000 = $3.00; management events: the first copy is free.
    assert usd(result, "trail", "cloudtrail.data_events") == 3.00
    assert [entry["meter"] for entry in component(result, "trail")["lines"]] == ["cloudtrail.data_events"]
    components[2] = {"id": "trail", "type": "cloudtrail_trail", "props": {"first_trail": False}}
    second = estimate(design(components, connections))
    # A second copy of the default 100,000 management events: $2.00.
    assert usd(second, "trail", "cloudtrail.management_events.additional") == 2.00


def test_a_runbook_bills_each_step_of_each_execution() -> None:
    result = estimate(
        design(
            [
                {"id": "book", "type": "ssm_document", "usage": {"requests_per_month": 1_000}},
                lambda_fn("a"),
                lambda_fn("b"),
            ],
            [link("book", "a", "invoke"), link("book", "b", "invoke")],
        )
    )
    # 1,000 executions × 2 steps × $0.002 = $4.00; each function is invoked once an execution.
    assert usd(result, "book", "ssm.automation_steps") == 4.00
    assert line(result, "a", "lambda.requests")["quantity"] == pytest.approx(1_000 / 1_000_000)  # in 1M requests
