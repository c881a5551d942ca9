"""Designs for export tests: one with every component type and most connection kinds."""

from __future__ import annotations

from typing import Any

NESTED_TEMPLATE_URL = "https://s3.amazonaws.com/example-templates/nested/network.yaml"
SAR_APPLICATION = "arn:aws:serverlessrepo:us-east-1:123456789012:applications/orders-monitoring"


def every_type_design() -> dict[str, Any]:
    """Every catalog type, an HTTP API with service integrations, a state machine, SNS fan-out, search."""

    def c(id: str, type: str, **kw: Any) -> dict[str, Any]:
        return {"id": id, "type": type, **kw}

    def e(id: str, source: str, target: str, kind: str, **props: Any) -> dict[str, Any]:
        return {"id": id, "source": source, "target": target, "kind": kind, "props": props}

    return {
        "schema": "tierplan.design/v1",
        "name": "Every type",
        "groups": [{"id": "net", "kind": "vpc", "label": "Private", "props": {"az_count": 2, "nat_gateways": 1}}],
        "components": [
            c("web", "browser"),
            c("app", "mobile_app"),
            c("cdn", "cloudfront", props={"spa_fallback": True}),
            c("site", "s3_bucket", tier="presentation"),
            c("headers", "lambda_function", props={"role": "edge", "runtime": "nodejs22.x"}),
            c("users", "cognito_user_pool", props={"identity_pool": True, "mfa": "on"}),
            c(
                "rest",
                "api_gateway_rest",
                props={"auth": "cognito", "cache_size_gb": 0.5, "cors_origins": "https://app.example.com"},
            ),
            c(
                "http",
                "api_gateway_http",
                props={"auth": "lambda", "cors_origins": "https://a.example.com,https://b.example.com"},
            ),
            c("authz", "lambda_function", props={"role": "authorizer", "runtime": "ruby3.3"}),
            c(
                "orders_fn",
                "lambda_function",
                group="net",
                props={
                    "memory_mb": 512,
                    "architecture": "arm64",
                    "deployment_preference": "Canary10Percent5Minutes",
                    "provisioned_concurrency": 2,
                    "reserved_concurrency": 50,
                },
            ),
            c("worker", "lambda_function", props={"runtime": "nodejs20.x", "timeout_s": 30}),
            c("stream_fn", "lambda_function", props={"timeout_s": 60}),
            c("hook", "lambda_function"),
            c(
                "orders",
                "dynamodb_table",
                props={"sort_key": "sk", "capacity_mode": "provisioned", "rcu": 10, "wcu": 5},
            ),
            c(
                "media",
                "s3_bucket",
                props={"versioning": True, "encryption": "SSE-KMS", "cors_origins": "https://app.example.com"},
            ),
            c("shared_js", "lambda_layer", props={"runtime": "nodejs22.x", "retain_versions": True}),
            c("edge_firewall", "waf_web_acl", props={"ip_reputation": True, "rate_limit": 500}),
            c("api_firewall", "waf_web_acl", props={"default_action": "block", "common_rule_set": False}),
            c(
                "monitoring",
                "nested_application",
                props={"application_id": SAR_APPLICATION, "parameters": {"AlarmEmail": "ops@example.com", "Days": 7}},
            ),
            c("jobs", "sqs_queue", props={"visibility_timeout_s": 60}),
            c("jobs_dlq", "sqs_queue"),
            c("fifo", "sqs_queue", props={"fifo": True}),
            c("clicks", "kinesis_stream", props={"mode": "on_demand"}),
            c("events", "sns_topic"),
            c("bus", "eventbridge_bus", props={"event_pattern": '{"source": ["orders"]}'}),
            c("nightly", "eventbridge_bus", props={"schedule_expression": "rate(1 day)"}),
            c("flow", "step_functions", props={"workflow_type": "express"}),
            c("order_pipe", "eventbridge_pipe", props={"filter_pattern": '{"body": {"kind": ["order"]}}'}),
            c("hourly", "scheduler_schedule", props={"timezone": "Europe/Paris", "flexible_window_minutes": 5}),
            c("mailer", "ses_identity", props={"identity": "mail.example.com"}),
            c("clickstream", "firehose_stream", props={"buffering_interval_s": 60, "compression": "Snappy"}),
            c(
                "partner",
                "eventbridge_api_destination",
                props={
                    "auth": "OAUTH_CLIENT_CREDENTIALS",
                    "oauth_endpoint": "https://auth.example.com/token",
                    "oauth_client_id": "tierplan",
                    "username": "ops",
                },
            ),
            c("click_transform", "lambda_function", props={"timeout_s": 60}),
            c("telemetry", "iot_rule", props={"sql": "SELECT temp, device FROM 'devices/+/telemetry' WHERE temp > 50"}),
            c("db", "rds_instance", group="net", props={"engine": "mysql", "rds_proxy": True}),
            c("cache", "elasticache_cluster", group="net", props={"engine": "memcached", "nodes": 2}),
            c("search", "opensearch_domain", group="net", props={"instance_count": 2}),
            c("ai_fn", "lambda_function", props={"timeout_s": 30}),
            c("api_key", "secrets_manager_secret", props={"secret_template": '{"user": "partner"}'}),
            c("settings", "ssm_parameter", props={"parameter_type": "StringList", "value": "a,b"}),
            c("errors", "cloudwatch_alarm", props={"threshold": 5, "period_s": 300}),
            c("model", "bedrock_model", props={"streaming": True}),
            c("vision", "rekognition"),
            c("language", "comprehend"),
            c("translator", "translate"),
            c("documents", "textract", props={"features": "tables"}),
            c(
                "web_svc",
                "ecs_service",
                group="net",
                props={"cpu": 512, "memory_mb": 2048, "architecture": "arm64", "environment": "MODE=live"},
            ),
            c("crunch", "batch_job_queue", group="net", props={"capacity": "fargate_spot", "retry_attempts": 3}),
            c(
                "alb",
                "load_balancer",
                group="net",
                props={
                    "scheme": "internet-facing",
                    "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
                },
            ),
            c("cluster_fn", "lambda_function", group="net", props={"timeout_s": 30}),
            c("consumer_fn", "lambda_function", props={"timeout_s": 30}),
            c("ledger", "aurora_cluster", group="net", props={"readers": 1, "data_api": True}),
            c("broker", "mq_broker", group="net", props={"engine": "rabbitmq"}),
            c("docs", "documentdb_cluster", group="net", props={"readers": 1}),
            c("kafka", "msk_cluster", group="net", props={"brokers": 2}),
            c("kafka_serverless", "msk_cluster", group="net", props={"mode": "serverless"}),
            c("shared_files", "efs_file_system", group="net", props={"transition_to_ia_days": 7}),
            c("vectors", "opensearch_serverless_collection", props={"collection_type": "vector_search"}),
            c(
                "flags",
                "cloudformation_resource",
                props={
                    "resource_type": "AWS::SSM::Parameter",
                    "properties": {
                        "Type": "String",
                        "Value": "on",
                        "Description": {"Fn::Join": [" ", ["Flags of", {"Ref": "AWS::StackName"}]]},
                    },
                },
            ),
            c("chat", "api_gateway_websocket", props={"auth": "lambda"}),
            c(
                "chat_fn",
                "lambda_function",
                props={"function_url": "public", "function_url_cors_origins": "https://a.example.com"},
            ),
            c("gql", "appsync_api", props={"auth": "cognito"}),
            c(
                "crunch_ec2",
                "batch_job_queue",
                group="net",
                props={
                    "capacity": "spot",
                    "instance_type": "c6i.xlarge",
                    "vcpus": 2,
                    "memory_mb": 4096,
                    "retry_attempts": 2,
                },
            ),
            c("knowledge", "kendra_index", props={"edition": "ENTERPRISE_EDITION"}),
            c("lake", "glue_database"),
            c("ledger_sql", "dsql_cluster", props={"deletion_protection": False}),
            c("sensor", "iot_thing", usage={"devices": 500}),
            c("images", "ecr_repository", props={"image_tag_mutability": "IMMUTABLE", "keep_images": 10}),
            c("zone", "route53_zone", props={"domain_name": "example.com"}),
            c(
                "cert",
                "acm_certificate",
                props={"domain_name": "example.com", "subject_alternative_names": "*.example.com"},
            ),
            c("seeder", "lambda_function", props={"timeout_s": 120}),
            c(
                "seed",
                "custom_resource",
                props={
                    "resource_type": "Custom::SeedTable",
                    "properties": "Table=orders",  # one pair: the hostile corpus appends to it
                    "service_timeout_s": 300,
                },
            ),
            c("data_key", "kms_key", props={"alias": "orders/data", "rotation_period_days": 180}),
            c("ops_board", "cloudwatch_dashboard", props={"period_s": 60, "time_range": "-P1D"}),
            c("audit_logs", "s3_bucket"),
            c("trail", "cloudtrail_trail", props={"s3_key_prefix": "audit/prod", "multi_region": False}),
            c("runbook", "ssm_document", props={"parameters": "OrderId,Reason", "on_failure": "Continue"}),
            c("insights", "application_insights", props={"events_monitoring": True}),
        ],
        "connections": [
            e("w1", "web", "cdn", "request"),
            e("w2", "web", "rest", "request"),
            e("w3", "app", "http", "request"),
            e("w4", "app", "users", "request"),
            e("o1", "cdn", "site", "origin", path_pattern="*"),
            e("o2", "cdn", "rest", "origin", path_pattern="/api/*", cache_policy="caching_disabled"),
            e("x1", "cdn", "headers", "edge", event_type="origin-response"),
            e("a1", "rest", "users", "authorize"),
            e("a2", "http", "authz", "authorize"),
            e("i1", "rest", "orders_fn", "invoke", route="GET /orders"),
            e("i2", "rest", "jobs", "integrate", route="POST /jobs"),
            e("i3", "rest", "events", "integrate", route="POST /events"),
            e("i4", "rest", "clicks", "integrate", route="POST /clicks"),
            e("i5", "http", "bus", "integrate", route="POST /bus"),
            e("i6", "http", "flow", "integrate", route="POST /flows"),
            e("i7", "http", "fifo", "integrate", route="POST /fifo"),
            e("i8", "rest", "bus", "integrate", route="PUT /bus"),
            e("i9", "rest", "flow", "integrate", route="POST /flows"),
            e("d1", "orders_fn", "orders", "read_write"),
            e("d2", "orders_fn", "db", "read_write"),
            e("d3", "orders_fn", "cache", "read_write"),
            e("d4", "orders_fn", "search", "write"),
            e("d5", "orders_fn", "media", "read"),
            e("d6", "orders_fn", "events", "write"),
            e("d7", "orders_fn", "flow", "invoke", invocation_type="async"),
            e("p1", "jobs", "worker", "poll", batch_size=50, max_batching_window_s=5),
            e("p2", "clicks", "stream_fn", "poll", batch_size=100, starting_position="TRIM_HORIZON"),
            e("p3", "orders", "stream_fn", "poll"),
            e("q1", "jobs", "jobs_dlq", "dead_letter"),
            e("q2", "stream_fn", "jobs_dlq", "dead_letter"),
            e("q3", "hook", "jobs_dlq", "dead_letter"),
            e("t1", "media", "hook", "trigger", prefix="uploads/"),
            e("t2", "events", "hook", "trigger"),
            e("t3", "events", "jobs", "trigger"),
            e("t4", "bus", "hook", "trigger"),
            e("t5", "nightly", "worker", "trigger"),
            e("t6", "users", "hook", "trigger", events="PreSignUp"),
            e("t7", "bus", "flow", "trigger"),
            e("s1", "flow", "hook", "invoke"),
            e("s2", "worker", "bus", "write"),
            e("s3", "worker", "media", "write"),
            e("s4", "worker", "clicks", "write"),
            e("s5", "hook", "worker", "invoke"),
            e("r1", "stream_fn", "flags", "reference", actions="ssm:GetParameter, ssm:GetParameters"),
            e("l1", "worker", "shared_js", "layer"),
            e("f1", "edge_firewall", "cdn", "protect"),
            e("f2", "api_firewall", "rest", "protect"),
            e("f3", "api_firewall", "users", "protect"),
            e("k1", "web_svc", "orders", "read"),
            e("k2", "web_svc", "db", "read_write"),
            e("k3", "web_svc", "jobs", "write"),
            e("k4", "web", "alb", "request"),
            e("k5", "alb", "web_svc", "forward"),
            e("k6", "alb", "worker", "forward", path_pattern="/jobs/*", priority=5),
            e("ev1", "jobs", "order_pipe", "poll", batch_size=5),
            e("ev2", "order_pipe", "hook", "enrich"),
            e("ev3", "order_pipe", "events", "deliver"),
            e("ev4", "hourly", "worker", "deliver"),
            e("ev5", "hourly", "jobs_dlq", "dead_letter"),
            e("ev6", "hook", "mailer", "write"),
            e("ev7", "clicks", "clickstream", "poll"),
            e("ev8", "clickstream", "click_transform", "enrich"),
            e("ev9", "clickstream", "media", "deliver"),
            e("ev10", "hook", "clickstream", "write"),
            e("ev11", "bus", "partner", "trigger"),
            e("k7", "hook", "crunch", "invoke"),
            e("k8", "flow", "crunch", "invoke"),
            e("k9", "bus", "crunch", "trigger"),
            e("k10", "crunch", "media", "write"),
            e("op1", "ai_fn", "api_key", "read"),
            e("op2", "api_key", "hook", "rotate"),
            e("op3", "ai_fn", "settings", "read"),
            e("m1", "orders_fn", "errors", "metric"),
            e("m2", "errors", "events", "notify", on_ok=True),
            e("a1x", "ai_fn", "model", "call"),
            e("a2x", "ai_fn", "vision", "call"),
            e("a3x", "ai_fn", "language", "call"),
            e("a4x", "ai_fn", "translator", "call"),
            e("a5x", "ai_fn", "documents", "call"),
            e("dc1", "cluster_fn", "ledger", "read_write"),
            e("dc2", "broker", "consumer_fn", "poll", queue_name="orders", batch_size=100),
            e("dc3", "cluster_fn", "docs", "read_write"),
            e("dc4", "docs", "stream_fn", "poll", database_name="shop", collection_name="orders"),
            e("dc5", "cluster_fn", "kafka", "write"),
            e("dc6", "kafka", "stream_fn", "poll", topic="clicks", starting_position="TRIM_HORIZON"),
            e("dc7", "kafka_serverless", "consumer_fn", "poll", topic="orders"),
            e("dc8", "cluster_fn", "shared_files", "read_write"),
            e("dc9", "cluster_fn", "vectors", "write"),
            e("dc10", "hook", "vectors", "read"),
            e("ws1", "web", "chat", "request"),
            e("ws2", "chat", "authz", "authorize"),
            e("ws3", "chat", "chat_fn", "invoke", route_key="sendmessage"),
            e("ws4", "chat_fn", "chat", "write"),
            e("u1", "web", "chat_fn", "request"),
            e("ds1", "worker", "jobs_dlq", "destination", on="failure"),
            e("ds2", "chat_fn", "bus", "destination", on="success"),
            e("g1", "app", "gql", "request"),
            e("g2", "gql", "users", "authorize"),
            e("g3", "gql", "orders", "resolve"),  # data sources only: the schema is a hostile-string target
            e("g4", "gql", "chat_fn", "resolve"),
            e("ev12", "telemetry", "worker", "deliver"),
            e("ev13", "telemetry", "orders", "deliver"),
            e("ev14", "telemetry", "clickstream", "deliver"),
            e("ev15", "telemetry", "jobs_dlq", "dead_letter"),
            e("vl1", "http", "alb", "integrate", route="ANY /shop/{proxy+}"),
            e("efo1", "clicks", "consumer_fn", "poll", enhanced_fan_out=True, batch_size=100),
            e("b1", "crunch_ec2", "media", "write"),
            e("rx1", "mailer", "media", "receive", object_key_prefix="inbox/"),
            e("rx2", "mailer", "hook", "receive"),
            e("kx1", "knowledge", "media", "crawl", prefix="manuals/", schedule="cron(0 3 ? * SUN *)"),
            e("kx2", "ai_fn", "knowledge", "read"),
            e("gx1", "lake", "media", "crawl", prefix="events/"),
            e("gx2", "ai_fn", "lake", "read_write"),
            e("qx1", "ai_fn", "ledger_sql", "read_write"),
            e("px1", "crunch", "images", "pull", tag="v1.2.3"),
            e("dn1", "cert", "zone", "validate"),
            e("dn2", "http", "cert", "secure"),
            e("dn3", "zone", "http", "alias", record_name="api", failover="primary", health_check_path="/health"),
            e("dn4", "cdn", "cert", "secure"),
            e("dn5", "zone", "alb", "alias", record_name="app"),
            e("gv1", "seed", "seeder", "provide"),
            e("gv2", "seeder", "data_key", "read_write"),
            e("gv4", "web_svc", "data_key", "read"),
            e("gv5", "crunch", "data_key", "write"),
            e("gv6", "orders_fn", "ops_board", "metric"),
            e("gv7", "jobs", "ops_board", "metric", metric="ApproximateAgeOfOldestMessage"),
            e("gv8", "http", "ops_board", "metric"),
            e("gv9", "trail", "audit_logs", "archive"),
            e("gv10", "media", "trail", "audit", read_write_type="WriteOnly"),
            e("gv11", "worker", "trail", "audit"),
            e("gv12", "orders_fn", "seeder", "logs", filter_pattern='{ $.level = "ERROR" }'),
            e("gv13", "orders_fn", "clicks", "logs"),
            e("gv14", "seeder", "clickstream", "logs", filter_pattern="ERROR"),
            e("gv15", "runbook", "hook", "invoke"),
            e("gv16", "runbook", "flow", "invoke"),
        ],
    }


EVERY_CONNECTION_PARTS = 2


def every_connection_designs() -> dict[str, dict[str, Any]]:
    """The every-connection design in parts, by slug: together they hold every connection the catalog
    allows; each alone stays under CloudFormation's 500 resources a stack."""
    return {
        f"every-connection-{part}": every_connection_design(part, EVERY_CONNECTION_PARTS)
        for part in range(1, EVERY_CONNECTION_PARTS + 1)
    }


def every_connection_design(part: int = 1, parts: int = 1) -> dict[str, Any]:
    """One connection of every kind between every pair of types the catalog allows, and every type.
    Generated from the catalog, so a new type or kind is in it the day it is added. With ``parts`` > 1,
    only every ``parts``-th of those connections, starting at the ``part``-th; every part holds every type.

    One component per type does for most ends; where one component cannot play every part (an authorizer,
    an edge function, a dead-letter queue, a public bucket) or both ends have the same type, the
    connection gets a component of its own.
    """
    from apps.designs.catalog import get_catalog
    from apps.designs.document import POLL_SOURCE_PROPS

    catalog = get_catalog()
    short = {"lambda_function": "fn", "step_functions": "flow", "sqs_queue": "queue", "sns_topic": "topic"}
    components: dict[str, dict[str, Any]] = {}
    connections: list[dict[str, Any]] = []
    in_vpc = {"fn_a"}
    pipes: list[str] = []

    def component(id: str, type: str, **props: Any) -> str:
        if id not in components:
            components[id] = {"id": id, "type": type, "props": props}
            if id in in_vpc or catalog.types[type].vpc_only or type == "opensearch_domain":
                components[id]["group"] = "net"
        return id

    def default(type: str, second: bool = False) -> str:
        if type in apis and not second:
            return apis[type]
        if type == "eventbridge_pipe":
            # A pipe reads one source and delivers to one target: a pipe of its own per connection.
            pipes.append(component(f"pipe_{len(connections) + 1}", type))
            return pipes[-1]
        return component(f"{short.get(type, type)}_{'b' if second else 'a'}", type)

    # The APIs use their authorizers (a pool for REST, a function for HTTP).
    apis = {
        "api_gateway_rest": component("rest_api", "api_gateway_rest", auth="cognito"),
        "api_gateway_http": component("http_api", "api_gateway_http", auth="lambda"),
    }
    component("site", "s3_bucket", public_access=True)
    origin_paths = {
        "s3_bucket": "*",
        "api_gateway_rest": "/api/*",
        "api_gateway_http": "/http/*",
        "load_balancer": "/lb/*",
    }
    allowed = 0
    for kind in catalog.connection_kinds.values():
        for source_type in sorted(kind.sources):
            for target_type in sorted(kind.targets):
                if not kind.allows(source_type, target_type):
                    continue
                allowed += 1
                required = kind.name in ("authorize", "alias", "secure", "validate") or (kind.name, source_type) == (
                    "deliver",
                    "firehose_stream",
                )  # an alias needs its target's certificate, in the same part
                required = (
                    kind.name in ("authorize", "archive")  # a trail's bucket too
                    or (kind.name, source_type) == ("invoke", "ssm_document")  # a runbook's steps too
                    or (kind.name, source_type) == ("deliver", "firehose_stream")
                )
                if (allowed - 1) % parts != part - 1 and not required:
                    continue  # in another part (but in each part, the APIs' authorizers, Firehose's and trails' buckets)
                source = default(source_type)
                target = default(target_type, second=source_type == target_type)
                props: dict[str, Any] = {}
                if kind.name == "authorize" and target_type == "lambda_function":
                    target = component("authz", "lambda_function", role="authorizer")
                if kind.name == "edge":
                    target = component("edge", "lambda_function", role="edge", runtime="nodejs22.x")
                if kind.name == "request" and target_type == "s3_bucket":
                    target = "site"
                if kind.name == "origin":
                    props["path_pattern"] = origin_paths[target_type]
                if kind.name == "forward":  # one default action per load balancer, a path rule for the rest
                    props["path_pattern"] = "*" if target_type == "ecs_service" else f"/{target_type}/*"
                if kind.name == "dead_letter":
                    target = default(target_type, second=True)
                    if source_type == "lambda_function" and target_type == "sns_topic":
                        source = default("lambda_function", second=True)  # one dead-letter target per function
                if kind.name == "protect" and target_type == "cloudfront":
                    source = component("waf_edge", "waf_web_acl")  # a web ACL's scope is CloudFront or regional
                if kind.name == "poll":  # what a broker, topic or change stream poll must name
                    for name, (owner, required) in POLL_SOURCE_PROPS.items():
                        if owner == source_type and required:
                            props[name] = "orders"
                if kind.name == "destination":  # a function has one on-failure destination
                    source = component(f"fn_to_{target_type}", "lambda_function")
                if source_type == "step_functions" and target_type == "lambda_function":
                    target = default("lambda_function", second=True)  # fn_a invokes flow_a: no cycle
                if kind.name == "enrich" and source_type == "firehose_stream":
                    target = component("fn_transform", "lambda_function")  # fn_a writes to the stream: no cycle
                if kind.name == "enrich" and target_type == "step_functions":
                    target = component("flow_express", "step_functions", workflow_type="express")
                if (kind.name, source_type, target_type) == ("integrate", "api_gateway_rest", "load_balancer"):
                    target = component("nlb", "load_balancer", balancer_type="network")  # what a REST API reaches
                    connections.append(
                        {
                            "id": "nlb_forward",
                            "source": "nlb",
                            "target": default("ecs_service"),
                            "kind": "forward",
                            "props": {},
                        }
                    )
                if "acm_certificate" in (source_type, target_type):  # one certificate for every name of the zone
                    certificate = component(
                        "cert_a",
                        "acm_certificate",
                        domain_name="example.com",
                        subject_alternative_names="*.example.com",
                    )
                    source, target = (
                        (certificate, target) if source_type == "acm_certificate" else (source, certificate)
                    )
                if kind.name == "alias":  # one name per target
                    props["record_name"] = target_type.replace("_", "-")
                connections.append(
                    {
                        "id": f"c{len(connections) + 1}",
                        "source": source,
                        "target": target,
                        "kind": kind.name,
                        "props": props,
                    }
                )
    for pipe in pipes:  # what each pipe lacks: a stream to read, a queue to deliver to
        kinds = {c["kind"] for c in connections if pipe in (c["source"], c["target"])}
        ends = {"poll": (default("kinesis_stream"), pipe), "deliver": (pipe, default("sqs_queue"))}
        for missing in sorted(set(ends) - kinds):
            source, target = ends[missing]
            connections.append(
                {"id": f"{pipe}_{missing}", "source": source, "target": target, "kind": missing, "props": {}}
            )
    # Aurora Serverless v2, the database component's other shape (a cluster): pausing, with a proxy and a
    # reader, and a plain one.
    aurora = {"engine": "aurora-postgresql", "min_capacity_acu": 0, "multi_az": True, "rds_proxy": True}
    if part == 1:
        for id, props in (("aurora_pg", aurora), ("aurora_my", {"engine": "aurora-mysql", "max_capacity_acu": 16})):
            component(id, "rds_instance", **props)
            connections.append({"id": f"c_{id}", "source": "fn_a", "target": id, "kind": "read_write", "props": {}})
    # Types no connection kind names, on their own; both shapes of a nested application.
    component("nested_url", "nested_application", template_url=NESTED_TEMPLATE_URL, parameters={"Stage": "prod"})
    component("nested_sar", "nested_application", application_id=SAR_APPLICATION, semantic_version="2.1.0")
    # (a custom resource without its provider here is served from outside: it names the provider's ARN)
    alone = {"custom_resource": {"service_token": "arn:aws:lambda:us-east-1:123456789012:function:provider"}}
    for type_id in sorted(set(catalog.types) - {c["type"] for c in components.values()}):
        component(f"{type_id}_alone", type_id, **alone.get(type_id, {}))
    return {
        "schema": "tierplan.design/v1",
        "name": f"Every connection, part {part} of {parts}" if parts > 1 else "Every connection",
        "groups": [{"id": "net", "kind": "vpc", "label": "Private", "props": {"az_count": 2}}],
        "components": list(components.values()),
        "connections": connections,
    }


def every_runtime_design() -> dict[str, Any]:
    """A function on every Lambda runtime, named ``fn_<runtime>`` so that the lint errors of runtimes AWS
    has blocked (E2531) can be told apart. Apart from the every-connection design, which alone comes
    close to CloudFormation's 500 resources a stack."""
    from apps.designs.catalog import get_catalog

    return {
        "schema": "tierplan.design/v1",
        "name": "Every runtime",
        "components": [
            {"id": f"fn_{runtime.replace('.', '_')}", "type": "lambda_function", "props": {"runtime": runtime}}
            for runtime in get_catalog().runtimes
        ],
        "connections": [],
    }


def cloudformation_resources_design() -> dict[str, Any]:
    """Unrelated resource types the catalog does not know, written as in a template (and one function
    reading a parameter), to go through SAM and CDK as given."""

    def resource(id: str, resource_type: str, properties: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": id,
            "type": "cloudformation_resource",
            "props": {"resource_type": resource_type, "properties": properties},
        }

    return {
        "schema": "tierplan.design/v1",
        "name": "CloudFormation resources",
        "components": [
            {"id": "reader", "type": "lambda_function"},
            resource(
                "setting",
                "AWS::SSM::Parameter",
                {"Type": "String", "Value": "42", "Name": {"Fn::Sub": "/${AWS::StackName}/setting"}},
            ),
            resource(
                "www",
                "AWS::Route53::RecordSet",
                {
                    "HostedZoneName": "example.com.",
                    "Name": "www.example.com.",
                    "Type": "CNAME",
                    "TTL": "300",
                    "ResourceRecords": ["example.com"],
                },
            ),
            resource(
                "images",
                "AWS::ECR::Repository",
                {"ImageScanningConfiguration": {"ScanOnPush": True}, "ImageTagMutability": "IMMUTABLE"},
            ),
            resource(
                "errors",
                "AWS::CloudWatch::Alarm",
                {
                    "Namespace": "AWS/Lambda",
                    "MetricName": "Errors",
                    "Statistic": "Sum",
                    "Period": 60,
                    "EvaluationPeriods": 1,
                    "Threshold": 1,
                    "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                    "TreatMissingData": "notBreaching",
                },
            ),
            resource(
                "glue_role",
                "AWS::IAM::Role",
                {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "glue.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    },
                    "ManagedPolicyArns": [
                        {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSGlueServiceRole"}
                    ],
                },
            ),
            resource(
                "nightly_etl",
                "AWS::Glue::Job",
                {
                    "Role": {"Fn::GetAtt": ["GlueRole", "Arn"]},
                    "Command": {
                        "Name": "glueetl",
                        "ScriptLocation": "s3://example-scripts/etl.py",
                        "PythonVersion": "3",
                    },
                    "GlueVersion": "4.0",
                    "WorkerType": "G.1X",
                    "NumberOfWorkers": 2,
                },
            ),
        ],
        "connections": [
            {
                "id": "read_setting",
                "source": "reader",
                "target": "setting",
                "kind": "reference",
                "props": {"actions": "ssm:GetParameter"},
            },
            {
                "id": "pull_images",
                "source": "reader",
                "target": "images",
                "kind": "reference",
                "props": {"actions": "ecr:BatchGetImage, ecr:GetDownloadUrlForLayer"},
            },
        ],
    }
