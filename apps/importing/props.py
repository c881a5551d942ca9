"""Catalog props read from a resource's CloudFormation properties. Pure Python, no Django.

Each rule names a property path and the catalog field it fills, with a conversion. A value is taken only
when it is a literal (an intrinsic function has no value until deploy time) and passes the field's own
check in the catalog; anything else is left at the catalog default and reported, never guessed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from apps.designs.catalog import ComponentType

Convert = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and len(value) == 1 else None


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else None


def _is(expected: str) -> Convert:
    return lambda value: value == expected if isinstance(value, str) else None


def _boolean(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _integer(value: Any) -> Any:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _capacity_mode(value: Any) -> Any:
    return {"PAY_PER_REQUEST": "on_demand", "PROVISIONED": "provisioned"}.get(value) if isinstance(value, str) else None


# What a conversion returns when the property says nothing about the field (no note is due).
ABSENT = object()
# Stands in for a property the template left out where leaving it out switches something off that the
# catalog switches on by default (a function's own log group, an API's access logs).
LEFT_OUT = object()


def _off_when_left_out(value: Any) -> Any:
    # Left out: off, as the template has it (the export then adds none). Given: the template's own setting
    # is kept as written, and the prop keeps its default.
    return False if value is LEFT_OUT else ABSENT


def _key(key_type: str) -> Convert:
    def pick(schema: Any) -> Any:
        if not isinstance(schema, list):
            return None
        names = [k.get("AttributeName") for k in schema if isinstance(k, dict) and k.get("KeyType") == key_type]
        if not names:
            return ABSENT
        return names[0] if len(names) == 1 and isinstance(names[0], str) else None

    return pick


def _json_text(value: Any) -> Any:
    return json.dumps(value, separators=(",", ":")) if isinstance(value, dict) and not _has_intrinsic(value) else None


def _kinesis_mode(value: Any) -> Any:
    mode = value.get("StreamMode") if isinstance(value, dict) else None
    return {"ON_DEMAND": "on_demand", "PROVISIONED": "provisioned"}.get(mode) if isinstance(mode, str) else None


def _versioning(value: Any) -> Any:
    return (
        value.get("Status") == "Enabled" if isinstance(value, dict) and isinstance(value.get("Status"), str) else None
    )


def _max_receive(value: Any) -> Any:
    return _integer(value.get("maxReceiveCount")) if isinstance(value, dict) else None


def _simple_key(value: Any) -> Any:
    return value.get("Name") if isinstance(value, dict) else None


def _endpoint(value: Any) -> Any:
    # SAM takes the endpoint type as a string or as {Type: …}
    return _lower(value.get("Type") if isinstance(value, dict) else value)


# CloudFormation (or SAM) resource type → [(property path, catalog field, conversion)].
RULES: dict[str, list[tuple[tuple[str, ...], str, Convert]]] = {
    "AWS::Serverless::Function": [
        (("Runtime",), "runtime", _same),
        (("MemorySize",), "memory_mb", _integer),
        (("Timeout",), "timeout_s", _integer),
        (("Architectures",), "architecture", _first),
        (("EphemeralStorage", "Size"), "ephemeral_storage_mb", _integer),
        (("ReservedConcurrentExecutions",), "reserved_concurrency", _integer),
        (("ProvisionedConcurrencyConfig", "ProvisionedConcurrentExecutions"), "provisioned_concurrency", _integer),
        (("Tracing",), "tracing", _is("Active")),
        (("DeploymentPreference", "Type"), "deployment_preference", _same),
        (("LoggingConfig",), "logging", _off_when_left_out),
    ],
    "AWS::Lambda::Function": [
        (("Runtime",), "runtime", _same),
        (("MemorySize",), "memory_mb", _integer),
        (("Timeout",), "timeout_s", _integer),
        (("Architectures",), "architecture", _first),
        (("EphemeralStorage", "Size"), "ephemeral_storage_mb", _integer),
        (("ReservedConcurrentExecutions",), "reserved_concurrency", _integer),
        (("TracingConfig", "Mode"), "tracing", _is("Active")),
        (("LoggingConfig",), "logging", _off_when_left_out),
    ],
    "AWS::Serverless::LayerVersion": [(("CompatibleRuntimes",), "runtime", _first)],
    "AWS::Lambda::LayerVersion": [(("CompatibleRuntimes",), "runtime", _first)],
    "AWS::DynamoDB::Table": [
        (("BillingMode",), "capacity_mode", _capacity_mode),
        (("ProvisionedThroughput", "ReadCapacityUnits"), "rcu", _integer),
        (("ProvisionedThroughput", "WriteCapacityUnits"), "wcu", _integer),
        (("KeySchema",), "partition_key", _key("HASH")),
        (("KeySchema",), "sort_key", _key("RANGE")),
        (("StreamSpecification",), "stream", lambda value: isinstance(value, dict) or None),
        (("PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"), "point_in_time_recovery", _boolean),
    ],
    "AWS::Serverless::SimpleTable": [
        (("PrimaryKey",), "partition_key", _simple_key),
        (("ProvisionedThroughput",), "capacity_mode", lambda value: "provisioned" if isinstance(value, dict) else None),
        (("PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled"), "point_in_time_recovery", _boolean),
        (("ProvisionedThroughput", "ReadCapacityUnits"), "rcu", _integer),
        (("ProvisionedThroughput", "WriteCapacityUnits"), "wcu", _integer),
    ],
    "AWS::SQS::Queue": [
        (("FifoQueue",), "fifo", _boolean),
        (("VisibilityTimeout",), "visibility_timeout_s", _integer),
        (("MessageRetentionPeriod",), "message_retention_s", _integer),
        (("RedrivePolicy",), "max_receive_count", _max_receive),
    ],
    "AWS::SNS::Topic": [(("FifoTopic",), "fifo", _boolean)],
    "AWS::Kinesis::Stream": [
        (("StreamModeDetails",), "mode", _kinesis_mode),
        (("ShardCount",), "shards", _integer),
        (("RetentionPeriodHours",), "retention_hours", _integer),
    ],
    "AWS::Serverless::StateMachine": [
        (("Type",), "workflow_type", _lower),
        (("Tracing", "Enabled"), "tracing", _boolean),
    ],
    "AWS::StepFunctions::StateMachine": [
        (("StateMachineType",), "workflow_type", _lower),
        (("TracingConfiguration", "Enabled"), "tracing", _boolean),
    ],
    "AWS::Events::Rule": [
        (("ScheduleExpression",), "schedule_expression", _same),
        (("EventPattern",), "event_pattern", _json_text),
    ],
    "AWS::Scheduler::Schedule": [
        (("ScheduleExpression",), "schedule_expression", _same),
        (("ScheduleExpressionTimezone",), "timezone", _same),
        (("State",), "state", _same),
    ],
    "AWS::RDS::DBInstance": [
        (("Engine",), "engine", _same),
        (("DBInstanceClass",), "instance_class", _same),
        (("AllocatedStorage",), "storage_gb", _integer),
        (("MultiAZ",), "multi_az", _boolean),
    ],
    "AWS::RDS::DBCluster": [
        (("Engine",), "engine", _same),
        (("ServerlessV2ScalingConfiguration", "MinCapacity"), "min_capacity_acu", _same),
        (("ServerlessV2ScalingConfiguration", "MaxCapacity"), "max_capacity_acu", _same),
    ],
    "AWS::S3::Bucket": [(("VersioningConfiguration",), "versioning", _versioning)],
    "AWS::Serverless::Api": [
        (("StageName",), "stage_name", _same),
        (("EndpointConfiguration",), "endpoint_type", _endpoint),
        (("TracingEnabled",), "tracing", _boolean),
        (("AccessLogSetting",), "logging", _off_when_left_out),
    ],
    "AWS::Serverless::HttpApi": [
        (("StageName",), "stage_name", _same),
        (("AccessLogSettings",), "logging", _off_when_left_out),
    ],
    "AWS::ElasticLoadBalancingV2::LoadBalancer": [
        (("Type",), "balancer_type", _same),
        (("Scheme",), "scheme", _same),
    ],
}

# Properties written together with one the props stand for (none so far; AttributeDefinitions is merged
# by the export instead, as indexes need theirs and a key may be a number).
COMPANIONS: dict[str, tuple[str, ...]] = {}

# CloudFormation's own defaults where the catalog's differ: a template that leaves a property out means
# CloudFormation's default, not Tierplan's (a table without BillingMode is provisioned).
CLOUDFORMATION_DEFAULTS: dict[str, dict[str, Any]] = {
    "AWS::Serverless::Function": {"Tracing": "PassThrough", "LoggingConfig": LEFT_OUT},
    "AWS::Lambda::Function": {"TracingConfig": {"Mode": "PassThrough"}, "LoggingConfig": LEFT_OUT},
    "AWS::DynamoDB::Table": {
        "BillingMode": "PROVISIONED",
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": False},
    },
    "AWS::Serverless::StateMachine": {"Tracing": {"Enabled": False}},
    "AWS::StepFunctions::StateMachine": {"TracingConfiguration": {"Enabled": False}},
    "AWS::Serverless::Api": {"TracingEnabled": False, "AccessLogSetting": LEFT_OUT},
    "AWS::Serverless::HttpApi": {"AccessLogSettings": LEFT_OUT},
    "AWS::ElasticLoadBalancingV2::LoadBalancer": {"Type": "application", "Scheme": "internet-facing"},
    # SAM's simple table: a string key named id, on demand, no point-in-time recovery (the last is how
    # the export writes it as a DynamoDB table, so it is read from there)
    "AWS::Serverless::SimpleTable": {
        "PrimaryKey": {"Name": "id", "Type": "String"},
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": False},
    },
}

# SAM's Globals sections and the resource types they apply to.
GLOBALS = {
    "Function": "AWS::Serverless::Function",
    "Api": "AWS::Serverless::Api",
    "HttpApi": "AWS::Serverless::HttpApi",
    "SimpleTable": "AWS::Serverless::SimpleTable",
    "StateMachine": "AWS::Serverless::StateMachine",
    "LayerVersion": "AWS::Serverless::LayerVersion",
}


def _has_intrinsic(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if len(item) == 1 and next(iter(item)) in ("Ref", "Condition") or any(k.startswith("Fn::") for k in item):
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _is_intrinsic(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and len(value) == 1
        and (next(iter(value)) in ("Ref", "Condition") or next(iter(value)).startswith("Fn::"))
    )


def _at(properties: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = properties
    for part in path:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def with_globals(resource_type: str, properties: Mapping[str, Any], globals_: Mapping[str, Any]) -> dict[str, Any]:
    """The properties SAM sees: the template's ``Globals`` for this type under the resource's own."""
    section = next((name for name, kind in GLOBALS.items() if kind == resource_type), None)
    defaults = globals_.get(section) if section else None
    if not isinstance(defaults, dict):
        return dict(properties)
    merged = dict(defaults)
    for key, value in properties.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _parameter_default(raw: Any, parameters: Mapping[str, Any]) -> tuple[str, Any] | None:
    """(name, default) when ``raw`` is a Ref to a template parameter with a literal default."""
    if not (isinstance(raw, dict) and len(raw) == 1 and isinstance(raw.get("Ref"), str)):
        return None
    parameter = parameters.get(raw["Ref"])
    default = parameter.get("Default") if isinstance(parameter, dict) else None
    return (raw["Ref"], default) if isinstance(default, (str, int, float, bool)) else None


def props_from(
    ctype: ComponentType,
    resource_type: str,
    properties: Mapping[str, Any],
    parameters: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], list[str], list[str]]:
    """Catalog props of ``ctype`` read from ``properties``, a note for each value that was not taken, and
    the (top-level) properties the props now stand for.

    A property that refers to one of the template's ``parameters`` reads as the parameter's default, so
    the diagram and the estimate show what a deploy without overrides gets; the property is not modelled
    (the export writes the reference back, and the parameter stays what changes it)."""
    props: dict[str, Any] = {}
    notes: list[str] = []
    modelled: set[str] = set()
    properties = {**CLOUDFORMATION_DEFAULTS.get(resource_type, {}), **properties}
    for path, name, convert in RULES.get(resource_type, ()):
        raw = _at(properties, path)
        if raw is None or name in props or name not in ctype.props.fields:
            continue
        where = ".".join(path)
        parameter = _parameter_default(raw, parameters or {})
        if parameter is not None:
            value = convert(parameter[1])
            if value is not None and value is not ABSENT and not ctype.props.fields[name].check(value, (name,)):
                props[name] = value
                notes.append(
                    f"{where} is the parameter {parameter[0]}; {name} shows its default {_short(parameter[1])}"
                )
                continue
        value = convert(raw) if not _is_intrinsic(raw) else None
        if _is_intrinsic(raw) or _has_intrinsic(value):
            notes.append(f"{where} is computed at deploy time; {name} keeps its default")
            continue
        if value is ABSENT:
            continue
        if value is None:
            notes.append(f"{where} ({_short(raw)}) has no {name} equivalent; {name} keeps its default")
            continue
        problems = ctype.props.fields[name].check(value, (name,))
        if problems:
            notes.append(f"{where} {_short(raw)} is not a {name} Tierplan takes ({problems[0].message})")
            continue
        props[name] = value
        modelled.add(path[0])
        modelled.update(COMPANIONS.get(path[0], ()))
    return props, notes, sorted(modelled)


def _short(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "…"
