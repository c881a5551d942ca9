"""Governance: custom resources that leave a stack waiting, KMS keys that never rotate."""

from __future__ import annotations

from tests.review.designs import comp, design, findings, fn, link, only, vpc


def seeded(*, timeout_s: int = 30, group: str | None = None, groups: list | None = None, **resource: object):
    return design(
        [fn("seeder", "Seeder", group=group, timeout_s=timeout_s), comp("seed", "custom_resource", "Seed", **resource)],
        [link("seed", "seeder", "provide")],
        groups=groups,
    )


def test_a_custom_resource_waiting_an_hour_for_a_short_function_is_an_info() -> None:
    finding = only(seeded(timeout_s=30), "custom-resource-long-wait")
    assert finding["severity"] == "info"
    assert finding["components"] == ["seed", "seeder"]
    assert "3,600 s" in finding["message"] and "30 s" in finding["message"]
    assert "120 s" in finding["fix"]


def test_a_custom_resource_whose_wait_fits_its_provider_is_fine() -> None:
    assert findings(seeded(timeout_s=30, service_timeout_s=120), "custom-resource-long-wait") == []
    assert findings(seeded(timeout_s=900, service_timeout_s=1000), "custom-resource-long-wait") == []


def test_a_custom_resource_served_from_outside_is_not_judged() -> None:
    doc = design([comp("ext", "custom_resource", service_token="arn:aws:sns:us-east-1:123456789012:provisioner")])
    assert findings(doc, "custom-resource-long-wait") == []
    assert findings(doc, "custom-resource-provider-no-route") == []


def test_a_provider_in_a_vpc_without_a_nat_gateway_is_a_warning() -> None:
    doc = seeded(timeout_s=60, service_timeout_s=180, group="vpc", groups=[vpc("vpc", nat_gateways=0)])
    finding = only(doc, "custom-resource-provider-no-route")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["seed", "seeder"]
    assert "pre-signed Amazon S3 URL" in finding["message"]


def test_a_provider_outside_a_vpc_or_behind_a_nat_gateway_is_fine() -> None:
    assert findings(seeded(), "custom-resource-provider-no-route") == []
    doc = seeded(group="vpc", groups=[vpc("vpc", nat_gateways=1)])
    assert findings(doc, "custom-resource-provider-no-route") == []


def test_a_key_without_rotation_is_a_warning() -> None:
    finding = only(design([comp("key", "kms_key", "Data key", enable_key_rotation=False)]), "kms-key-rotation-off")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["key"]
    assert "enable_key_rotation" in finding["fix"]


def test_a_rotating_key_is_fine() -> None:
    assert findings(design([comp("key", "kms_key")]), "kms-key-rotation-off") == []


def test_a_dashboard_nothing_is_connected_to_is_an_info() -> None:
    finding = only(design([comp("board", "cloudwatch_dashboard", "Ops")]), "dashboard-without-metrics")
    assert finding["severity"] == "info"
    assert finding["components"] == ["board"]


def test_a_dashboard_graphing_a_function_is_fine() -> None:
    doc = design([fn("fn"), comp("board", "cloudwatch_dashboard")], [link("fn", "board", "metric")])
    assert findings(doc, "dashboard-without-metrics") == []


def trail(*, audit: str | None = "All", **props: object):
    components = [comp("logs", "s3_bucket"), comp("trail", "cloudtrail_trail", "Audit", **props)]
    connections = [link("trail", "logs", "archive")]
    if audit:
        connections.append(link("logs", "trail", "audit", read_write_type=audit))
    return design(components, connections)


def test_a_trail_recording_the_writes_of_its_own_log_bucket_is_a_warning() -> None:
    for audit in ("All", "WriteOnly"):
        finding = only(trail(audit=audit), "trail-audits-its-log-bucket")
        assert finding["severity"] == "warning"
        assert finding["components"] == ["trail", "logs"]


def test_a_trail_recording_reads_of_its_log_bucket_or_nothing_of_it_is_fine() -> None:
    assert findings(trail(audit="ReadOnly"), "trail-audits-its-log-bucket") == []
    assert findings(trail(audit=None), "trail-audits-its-log-bucket") == []


def test_a_single_region_trail_is_an_info() -> None:
    finding = only(trail(audit=None, multi_region=False), "trail-single-region")
    assert finding["severity"] == "info"
    assert findings(trail(audit=None), "trail-single-region") == []


def test_functions_forwarding_each_others_logs_in_a_loop_are_an_error() -> None:
    doc = design(
        [fn("a", "Shipper"), fn("b", "Forwarder"), fn("c")],
        [link("a", "b", "logs"), link("b", "a", "logs"), link("a", "c", "logs")],
    )
    finding = only(doc, "log-subscription-loop")
    assert finding["severity"] == "error"
    assert sorted(finding["components"]) == ["a", "b"]


def test_a_chain_of_log_subscriptions_is_fine() -> None:
    doc = design([fn("a"), fn("b"), comp("s", "kinesis_stream")], [link("a", "b", "logs"), link("b", "s", "logs")])
    assert findings(doc, "log-subscription-loop") == []
