"""The catalog covers every type of ARCHITECTURE §3, with valid defaults, bounds and real icons."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from apps.designs.catalog import get_catalog, parse_catalog
from apps.designs.diagram_icons import icon_file, icon_relative_path
from apps.designs.icons import CatalogIconFinder

ARCHITECTURE_TYPES = {
    "browser", "mobile_app", "cloudfront", "s3_bucket", "api_gateway_rest", "api_gateway_http",
    "lambda_function", "cognito_user_pool", "dynamodb_table", "sqs_queue", "kinesis_stream", "sns_topic",
    "eventbridge_bus", "step_functions", "rds_instance", "elasticache_cluster", "opensearch_domain",
}  # fmt: skip
# The ids issue 13 makes part of the contract (users' scripts and the import rely on them).
ISSUE_13_TYPES = {
    "eventbridge_pipe", "eventbridge_api_destination", "appsync_api", "api_gateway_websocket", "firehose_stream",
    "secrets_manager_secret", "ssm_parameter", "ecs_service", "load_balancer", "route53_zone", "acm_certificate",
    "mq_broker", "msk_cluster", "iot_rule", "cloudwatch_alarm", "opensearch_serverless_collection",
    "batch_job_queue", "ses_identity", "bedrock_model", "aurora_cluster", "documentdb_cluster", "efs_file_system",
    "scheduler_schedule",
}  # fmt: skip

# Added for the coverage of real applications, beyond issue 13's list.
COVERAGE_TYPES = {
    "lambda_layer",
    "nested_application",
    "waf_web_acl",
    "rekognition",
    "comprehend",
    "translate",
    "textract",
    "kendra_index",
    "glue_database",
    "dsql_cluster",
    "iot_thing",
    "ecr_repository",
    "custom_resource",
    "kms_key",
    "cloudwatch_dashboard",
    "cloudtrail_trail",
    "ssm_document",
    "application_insights",
}

# Cost-relevant field names are part of the contract (ARCHITECTURE §3).
CONTRACT_FIELDS = {
    "lambda_function": (
        {"memory_mb", "architecture", "ephemeral_storage_mb", "timeout_s"},
        {"requests_per_month", "avg_duration_ms"},
    ),
    "api_gateway_rest": ({"cache_size_gb"}, {"requests_per_month", "avg_message_kb"}),
    "api_gateway_http": (set(), {"requests_per_month", "avg_message_kb"}),
    "dynamodb_table": (
        {"capacity_mode", "rcu", "wcu"},
        {"reads_per_month", "writes_per_month", "storage_gb", "avg_item_kb"},
    ),
    "s3_bucket": (set(), {"storage_gb", "get_requests_per_month", "put_requests_per_month", "data_out_gb"}),
    "cloudfront": (set(), {"requests_per_month", "data_out_gb"}),
    "sqs_queue": ({"fifo"}, {"requests_per_month", "avg_message_kb"}),
    "kinesis_stream": ({"mode", "shards"}, {"records_per_month", "avg_record_kb"}),
    "cognito_user_pool": (set(), {"monthly_active_users"}),
    "rds_instance": ({"instance_class", "engine", "storage_gb", "multi_az"}, set()),
    "elasticache_cluster": ({"node_type", "nodes"}, set()),
}


def test_every_architecture_type_is_in_the_catalog() -> None:
    # The contract's types, plus the generic one for any other CloudFormation resource.
    types = set(get_catalog().types)
    assert ARCHITECTURE_TYPES | {"cloudformation_resource"} <= types
    # Issue 13's contract ids, spelled as it spells them, and the types added for coverage beside them.
    assert types - ARCHITECTURE_TYPES - {"cloudformation_resource"} <= ISSUE_13_TYPES | COVERAGE_TYPES
    # Every one of issue 13's ids exists (route53_zone and acm_certificate were the last).
    assert types >= ISSUE_13_TYPES


@pytest.mark.parametrize("type_name", sorted(CONTRACT_FIELDS))
def test_cost_relevant_fields_have_their_contract_names(type_name: str) -> None:
    props, usage = CONTRACT_FIELDS[type_name]
    ctype = get_catalog().types[type_name]
    assert props <= set(ctype.props.fields)
    assert usage <= set(ctype.usage.fields)


def test_the_group_kinds_are_vpc_and_account() -> None:
    kinds = get_catalog().group_kinds
    assert set(kinds) == {"vpc", "account"}
    assert kinds["vpc"].parents == {"account"}


@pytest.mark.parametrize("type_name", sorted(ARCHITECTURE_TYPES))
def test_each_type_has_a_label_a_tier_a_description_and_an_icon_file(type_name: str) -> None:
    ctype = get_catalog().types[type_name]
    assert ctype.label and ctype.description
    assert ctype.tier in {"presentation", "logic", "data"}
    assert icon_file(ctype).is_file()
    assert icon_file(ctype).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_icons_come_from_the_installed_diagrams_package_not_the_repo() -> None:
    repo = Path(__file__).resolve().parents[2]
    for ctype in get_catalog():
        assert not icon_file(ctype).resolve().is_relative_to(repo / "static")
    assert not list((repo / "static").rglob("*.png"))


def test_the_static_finder_serves_catalog_icons_and_nothing_else() -> None:
    lambda_type = get_catalog().types["lambda_function"]
    found = finders.find(f"icons/{icon_relative_path(lambda_type)}")
    assert found is not None and Path(found).name == "lambda.png"
    assert finders.find("icons/aws/compute/ec2.png") is not None  # a generic resource's service icon
    assert finders.find("icons/onprem/database/mongodb.png") is None
    # Our finder only maps the catalog's icon paths (types and the services of generic resources), so
    # no other file of the package is reachable.
    assert CatalogIconFinder().find("icons/../../../etc/passwd") == []
    assert CatalogIconFinder().find("icons/aws/compute/lambda.png", find_all=True) == [found]


def test_every_default_satisfies_its_own_bounds() -> None:
    for ctype in get_catalog():
        for fields in (ctype.props, ctype.usage):
            for spec in fields.fields.values():
                if spec.default is not None:
                    assert spec.check(spec.default, (spec.name,)) == [], (ctype.name, spec.name)


def test_connection_kinds_name_only_known_types() -> None:
    catalog = get_catalog()
    for kind in catalog.connection_kinds.values():
        assert kind.sources <= set(catalog.types)
        assert kind.targets <= set(catalog.types)
        assert "ratio" in kind.props.fields


def test_kinds_between_lists_the_valid_kinds_for_a_pair() -> None:
    catalog = get_catalog()
    assert catalog.kinds_between("api_gateway_rest", "lambda_function") == ["invoke", "authorize"]
    assert catalog.kinds_between("api_gateway_rest", "sqs_queue") == ["integrate"]
    assert catalog.kinds_between("sqs_queue", "lambda_function") == ["poll"]
    assert catalog.kinds_between("dynamodb_table", "browser") == []


def test_an_inconsistent_catalog_fails_loudly() -> None:
    raw = {
        "tiers": {"logic": {"label": "Logic"}},
        "families": {"compute": {"label": "Compute"}},
        "group_kinds": {},
        "connection_kinds": {},
        "types": {
            "x": {
                "label": "X",
                "tier": "logic",
                "family": "compute",
                "description": "",
                "icon": "a.B",
                "props": {"n": {"type": "integer", "default": 0, "minimum": 1}},
            }
        },
    }
    with pytest.raises(ValueError, match="default of x.props.n is invalid"):
        parse_catalog(raw)
    raw["types"]["x"]["props"] = {"n": {"type": "float"}}
    with pytest.raises(ValueError, match="unknown type"):
        parse_catalog(raw)
    raw["types"]["x"]["props"] = {}
    raw["types"]["x"]["family"] = "storage"
    with pytest.raises(ValueError, match="unknown family 'storage'"):
        parse_catalog(raw)


def test_every_type_belongs_to_a_family_the_palette_groups_by() -> None:
    catalog = get_catalog()
    assert {ctype.family for ctype in catalog} <= set(catalog.families)
    assert catalog.types["sqs_queue"].family == "messaging"


def test_excluded_pairs_are_not_allowed_and_the_api_says_why() -> None:
    catalog = get_catalog()
    assert catalog.kinds_between("api_gateway_http", "sqs_queue") == ["integrate"]
    assert catalog.kinds_between("api_gateway_http", "sns_topic") == []
    assert catalog.kinds_between("cognito_user_pool", "sqs_queue") == []
    assert catalog.kinds_between("cognito_user_pool", "lambda_function") == ["trigger"]


def test_an_exclusion_must_name_a_pair_the_kind_allows() -> None:
    raw = {
        "tiers": {"logic": {"label": "Logic"}},
        "families": {"compute": {"label": "Compute"}},
        "group_kinds": {},
        "types": {"x": {"label": "X", "tier": "logic", "family": "compute", "description": "", "icon": "a.B"}},
        "connection_kinds": {
            "k": {
                "label": "K",
                "sources": ["x"],
                "targets": ["x"],
                "excludes": [{"sources": ["x"], "targets": ["y"], "why": "no"}],
            }
        },
    }
    with pytest.raises(ValueError, match="excludes x → y, which it never allows"):
        parse_catalog(raw)


def test_a_resource_type_is_drawable_as_a_component_or_as_part_of_one() -> None:
    catalog = get_catalog()
    assert [ctype.name for ctype in catalog.types_for_resource("AWS::Serverless::Function")] == ["lambda_function"]
    assert catalog.drawable("AWS::SQS::Queue")  # a component
    assert catalog.drawable("AWS::Lambda::EventSourceMapping")  # part of a poll connection
    assert not catalog.drawable("AWS::QLDB::Ledger")
    # the generic resource stands for any type, so it makes none drawable
    assert catalog.types_for_resource("AWS::SSM::Association") == []


def test_a_resource_type_is_either_wiring_or_a_components_own() -> None:
    raw = {
        "tiers": {"logic": {"label": "Logic"}},
        "families": {"compute": {"label": "Compute"}},
        "group_kinds": {},
        "connection_kinds": {},
        "types": {
            "x": {
                "label": "X",
                "tier": "logic",
                "family": "compute",
                "description": "",
                "icon": "a.B",
                "cloudformation_types": ["AWS::SQS::Queue"],
            }
        },
        "wiring_types": {"AWS::SQS::Queue": "a queue"},
    }
    with pytest.raises(ValueError, match="both wiring and x's own types"):
        parse_catalog(raw)
