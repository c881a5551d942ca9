"""Every pattern is valid, documented and shaped like the seed document it comes from."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from apps.designs.patterns import PATTERN_DIR, Pattern, load_pattern, pattern_library

CONTRACT_SLUGS = {
    "three-tier-basic", "three-tier-vpc", "mobile-backend", "s3-website", "microservices",
    "api-lambda-dynamodb", "team-microservices", "spa-cloudfront-api", "cloudfront-regional-api",
    "single-domain", "storage-first", "secured-edge", "event-processing", "scheduled-job",
}  # fmt: skip
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def pattern(slug: str) -> Pattern:
    return pattern_library()[slug]


def types(p: Pattern) -> Counter[str]:
    return Counter(c.type for c in p.design.components)


def links(p: Pattern, kind: str | None = None) -> set[tuple[str, str]]:
    by_id = {c.id: c.type for c in p.design.components}
    return {(by_id[c.source], by_id[c.target]) for c in p.design.connections if kind in (None, c.kind)}


def edges(p: Pattern) -> set[tuple[str, str, str]]:
    return {(c.source, c.target, c.kind) for c in p.design.connections}


def test_every_contract_slug_is_in_the_library() -> None:
    assert set(pattern_library()) >= CONTRACT_SLUGS


@pytest.mark.parametrize("slug", sorted(pattern_library()))
def test_each_pattern_is_documented_and_traceable_to_a_seed(slug: str) -> None:
    p = pattern(slug)
    assert p.name and len(p.summary.split()) >= 30
    assert p.tags
    assert {"document", "section"} <= set(p.source)
    # A pattern comes from a seed document or, where no seed covers the service, from AWS's own documentation.
    assert "seed" in p.source or p.source.get("url", "").startswith("https://docs.aws.amazon.com/")
    assert "seed" not in p.source or (SEEDS / p.source["seed"]).is_file() or not SEEDS.is_dir()


@pytest.mark.parametrize("slug", sorted(pattern_library()))
def test_each_pattern_has_every_component_placed_in_its_tier_lane(slug: str) -> None:
    design = pattern(slug).design
    spots = [(c.position.x, c.position.y) for c in design.components if c.position]
    assert len(spots) == len(design.components)
    assert len(set(spots)) == len(spots)  # nothing on top of anything else


# The editor's geometry (frontend/src/design.ts): node size and the padding of a group's box.
NODE_WIDTH, NODE_HEIGHT, GROUP_PAD, GROUP_LABEL = 170, 64, 24, 14


@pytest.mark.parametrize("slug", sorted(s for s, p in pattern_library().items() if p.design.groups))
def test_a_groups_box_holds_only_its_members(slug: str) -> None:
    design = pattern(slug).design
    parent = {g.id: g.parent for g in design.groups}

    def within(group_id: str | None, wanted: str) -> bool:
        while group_id is not None:
            if group_id == wanted:
                return True
            group_id = parent.get(group_id)
        return False

    for group in design.groups:
        members = [c for c in design.components if within(c.group, group.id)]
        others = [c for c in design.components if not within(c.group, group.id)]
        assert members, f"{slug}: group {group.id} is empty"
        x1 = min(c.position.x for c in members) - GROUP_PAD
        x2 = max(c.position.x for c in members) + NODE_WIDTH + GROUP_PAD
        y1 = min(c.position.y for c in members) - GROUP_PAD - GROUP_LABEL
        y2 = max(c.position.y for c in members) + NODE_HEIGHT + GROUP_PAD
        for c in others:
            apart = c.position.x + NODE_WIDTH <= x1 or c.position.x >= x2
            apart = apart or c.position.y + NODE_HEIGHT <= y1 or c.position.y >= y2
            assert apart, f"{slug}: {c.id} sits inside the box of group {group.id}"


def test_a_broken_pattern_file_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text((PATTERN_DIR / "three-tier-basic.yaml").read_text().replace("kind: read_write", "kind: teleport"))
    with pytest.raises(ValueError, match="pattern broken: invalid design: /connections/3/kind"):
        load_pattern(bad)


def test_three_tier_basic_is_clients_api_function_table() -> None:
    p = pattern("three-tier-basic")
    assert {
        ("browser", "api_gateway_rest"),
        ("api_gateway_rest", "lambda_function"),
        ("lambda_function", "dynamodb_table"),
    } <= links(p)
    assert [c.tier for c in p.design.components if c.type == "dynamodb_table"] == ["data"]


def test_three_tier_vpc_keeps_rds_and_elasticache_inside_the_vpc_with_the_function() -> None:
    p = pattern("three-tier-vpc")
    vpc = [g.id for g in p.design.groups if g.kind == "vpc"]
    assert len(vpc) == 1
    in_vpc = {c.type for c in p.design.components if c.group == vpc[0]}
    assert in_vpc == {"lambda_function", "rds_instance", "elasticache_cluster"}
    outside = {c.type for c in p.design.components if c.group is None}
    assert {"api_gateway_rest", "browser"} <= outside
    assert ("lambda_function", "rds_instance") in links(p) and ("lambda_function", "elasticache_cluster") in links(p)


def test_mobile_backend_has_app_cognito_api_function_dynamodb_and_s3() -> None:
    p = pattern("mobile-backend")
    assert {
        "mobile_app",
        "cognito_user_pool",
        "api_gateway_rest",
        "lambda_function",
        "dynamodb_table",
        "s3_bucket",
    } <= set(types(p))
    assert ("api_gateway_rest", "cognito_user_pool") in links(p, "authorize")
    assert ("mobile_app", "cognito_user_pool") in links(p, "request")


def test_s3_website_serves_s3_through_cloudfront_and_calls_a_cors_enabled_api() -> None:
    p = pattern("s3-website")
    assert ("cloudfront", "s3_bucket") in links(p, "origin")
    assert ("browser", "api_gateway_rest") in links(p, "request")
    api = next(c for c in p.design.components if c.type == "api_gateway_rest")
    assert (
        api.props["cors_origins"]
        == "https://" + next(c for c in p.design.components if c.type == "cloudfront").props["domain_name"]
    )


def test_microservices_are_independent_api_function_table_stacks() -> None:
    p = pattern("microservices")
    counts = types(p)
    assert counts["api_gateway_http"] == counts["lambda_function"] == counts["dynamodb_table"] >= 3
    by_id = {c.id: c for c in p.design.components}
    tables_per_function = Counter(c.source for c in p.design.connections if by_id[c.target].type == "dynamodb_table")
    assert set(tables_per_function.values()) == {1}  # no shared database between services


def test_api_lambda_dynamodb_is_a_synchronous_proxy() -> None:
    p = pattern("api-lambda-dynamodb")
    invoke = next(c for c in p.design.connections if c.kind == "invoke")
    assert invoke.props["route"] == "ANY /{proxy+}"
    assert invoke.props.get("invocation_type", "sync") == "sync"
    assert set(types(p)) == {"browser", "api_gateway_rest", "lambda_function", "dynamodb_table"}


def test_team_microservices_puts_each_service_in_its_own_account_with_its_own_domain() -> None:
    p = pattern("team-microservices")
    accounts = [g for g in p.design.groups if g.kind == "account"]
    assert len(accounts) >= 2
    domains = {g.props["domain_name"] for g in accounts}
    assert len(domains) == len(accounts)
    for account in accounts:
        members = Counter(c.type for c in p.design.components if c.group == account.id)
        assert members["api_gateway_rest"] == 1 and members["dynamodb_table"] == 1 and members["lambda_function"] >= 1
        api = next(c for c in p.design.components if c.group == account.id and c.type == "api_gateway_rest")
        assert api.props["domain_name"] == account.props["domain_name"]


def test_spa_cloudfront_api_uses_a_private_bucket_behind_cloudfront_and_the_pattern_1_backend() -> None:
    p = pattern("spa-cloudfront-api")
    bucket = next(c for c in p.design.components if c.type == "s3_bucket")
    assert bucket.props.get("public_access", False) is False and bucket.props.get("website", False) is False
    assert ("cloudfront", "s3_bucket") in links(p, "origin")
    assert {("api_gateway_rest", "lambda_function"), ("lambda_function", "dynamodb_table")} <= links(p)


def test_cloudfront_regional_api_puts_cloudfront_in_front_of_a_regional_endpoint() -> None:
    p = pattern("cloudfront-regional-api")
    api = next(c for c in p.design.components if c.type == "api_gateway_rest")
    assert api.props["endpoint_type"] == "regional"
    assert ("cloudfront", "api_gateway_rest") in links(p, "origin")


def test_single_domain_has_one_cloudfront_with_s3_and_api_origins_and_no_cors() -> None:
    p = pattern("single-domain")
    assert types(p)["cloudfront"] == 1
    origins = {
        c.props["path_pattern"]: p.design.component(c.target).type for c in p.design.connections if c.kind == "origin"
    }
    assert origins == {"*": "s3_bucket", "/api/*": "api_gateway_rest"}
    assert all(not c.props.get("cors_origins") for c in p.design.components)
    assert all(c.source != "web" or p.design.component(c.target).type == "cloudfront" for c in p.design.connections)


def test_storage_first_has_no_lambda_between_the_api_and_the_queue() -> None:
    p = pattern("storage-first")
    api = next(c for c in p.design.components if c.type == "api_gateway_rest")
    queue_ids = {c.id for c in p.design.components if c.type == "sqs_queue"}
    targets_of_api = {(c.target, c.kind) for c in p.design.connections if c.source == api.id}
    assert any(target in queue_ids and kind == "integrate" for target, kind in targets_of_api)
    assert not any(p.design.component(t).type == "lambda_function" for t, kind in targets_of_api if kind == "invoke")
    assert ("sqs_queue", "lambda_function") in links(p, "poll")
    assert ("sqs_queue", "sqs_queue") in links(p, "dead_letter")


def test_the_kinesis_variant_of_storage_first_writes_to_a_stream() -> None:
    p = pattern("storage-first-kinesis")
    assert ("api_gateway_rest", "kinesis_stream") in links(p, "integrate")
    assert ("kinesis_stream", "lambda_function") in links(p, "poll")


def test_secured_edge_has_cognito_and_a_lambda_authorizer_and_lambda_at_edge() -> None:
    p = pattern("secured-edge")
    assert {("api_gateway_rest", "cognito_user_pool"), ("api_gateway_rest", "lambda_function")} <= links(p, "authorize")
    edge = [c for c in p.design.connections if c.kind == "edge"]
    assert len(edge) == 1 and edge[0].props["event_type"] == "viewer-response"
    assert p.design.component(edge[0].target).props["role"] == "edge"
    authorizer = next(
        c.target
        for c in p.design.connections
        if c.kind == "authorize" and p.design.component(c.target).type == "lambda_function"
    )
    assert p.design.component(authorizer).props["role"] == "authorizer"


def test_event_processing_shows_push_from_s3_and_pull_from_kinesis_in_batches() -> None:
    p = pattern("event-processing")
    assert ("s3_bucket", "lambda_function") in links(p, "trigger")
    poll = next(c for c in p.design.connections if c.kind == "poll")
    assert p.design.component(poll.source).type == "kinesis_stream"
    assert poll.props["batch_size"] > 1


def test_scheduled_job_runs_a_function_on_a_schedule() -> None:
    p = pattern("scheduled-job")
    schedule = next(c for c in p.design.components if c.type == "eventbridge_bus")
    assert schedule.props["schedule_expression"].startswith(("rate(", "cron("))
    assert ("eventbridge_bus", "lambda_function") in links(p, "trigger")


@pytest.mark.parametrize("slug", ["storage-first", "storage-first-kinesis", "event-processing", "scheduled-job"])
def test_every_asynchronous_consumer_has_a_dead_letter_queue(slug: str) -> None:
    p = pattern(slug)
    async_kinds = {"poll", "trigger"}
    consumers = {c.target for c in p.design.connections if c.kind in async_kinds}
    for consumer in consumers:
        sources = {c.source for c in p.design.connections if c.target == consumer and c.kind in async_kinds}
        has_dlq = any(c.kind == "dead_letter" and c.source in {consumer, *sources} for c in p.design.connections)
        assert has_dlq, consumer


def test_custom_domain_puts_the_app_and_the_api_on_names_of_one_zone_with_one_validated_certificate() -> None:
    p = pattern("custom-domain")
    assert types(p)["route53_zone"] == 1 and types(p)["acm_certificate"] == 1
    assert links(p, "alias") == {("route53_zone", "cloudfront"), ("route53_zone", "api_gateway_rest")}
    assert links(p, "secure") == {("cloudfront", "acm_certificate"), ("api_gateway_rest", "acm_certificate")}
    assert links(p, "validate") == {("acm_certificate", "route53_zone")}
    # The first-class way only: no older domain props, and CloudFront's certificate in us-east-1.
    assert all(
        not c.props.get("domain_name")
        for c in p.design.components
        if c.type != "route53_zone" and c.type != "acm_certificate"
    )
    assert p.design.region == "us-east-1"
