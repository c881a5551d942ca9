"""Writing an imported design's kept CloudFormation back into its SAM export. Pure Python, no Django.

An imported design carries what its template said that the design does not model (``cloudformation``
blocks; see ``apps.designs.document``). The export is generated from the design as usual, then:

- the template's sections come back: Parameters, Mappings, Conditions, Rules, Outputs, Metadata, Globals
  and its Transform and Description, merged with what the export generates (generated entries win a
  name clash: they are what the design says now);
- each component's main resource keeps its logical id (the plan gives it) and gets back its resource
  attributes (Condition, DependsOn, DeletionPolicy…) and every property its props do not stand for
  (``modelled``); the properties that point at the user's own artefacts (code, handler, state machine
  definition) come back even where the export writes a starter, since an import exists to keep them;
- parts of components and the resources kept undrawn come back as written.

The kept blocks are read from ``plan.source``: they are CloudFormation as the user wrote it, so ``${…}``
in Fn::Sub must reach the template unchanged (the plan's escaped copy would break it). A dynamic
reference (``{{resolve:…}}``) in them still makes the bundle refuse the export, like anywhere else.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Collection
from typing import Any

from apps.exporting.plan import Plan, referenced_names

# Properties that name the user's own artefacts: the kept value wins over what the export writes.
USER_ARTEFACTS = frozenset(
    {"CodeUri", "Handler", "InlineCode", "ImageUri", "ImageConfig", "PackageType", "Code", "ContentUri",
     "Definition", "DefinitionUri", "DefinitionString", "DefinitionS3Location", "DefinitionSubstitutions",
     "DefinitionBody", "Role"}
)  # fmt: skip
# Where a function or layer says its code is (the user's own, which an export of it points at).
CODE = frozenset({"CodeUri", "InlineCode", "ImageUri", "Code", "ContentUri", "Content"})


def keeps_own_code(component: Any) -> bool:
    """Whether an imported component's template named its code (so no starter code is written for it)."""
    kept = component.cloudformation
    return kept is not None and any(key in CODE for key in kept.properties)


# Properties of which a resource takes only one (its code, its definition, a Firehose destination).
ONE_OF = (
    ("InlineCode", "ImageUri", "CodeUri"),
    ("Definition", "DefinitionUri"),
    ("Definition", "DefinitionString", "DefinitionS3Location"),
    tuple(
        f"{name}DestinationConfiguration"
        for name in (
            "ExtendedS3",
            "S3",
            "Amazonopensearchservice",
            "Elasticsearch",
            "AmazonOpenSearchServerless",
            "HttpEndpoint",
            "Redshift",
            "Splunk",
            "Snowflake",
            "Iceberg",
        )
    ),  # fmt: skip
    # an alarm on a metric, or on metric math
    ("Metrics", "MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Period", "Dimensions", "Unit"),
    ("Threshold", "ThresholdMetricId"),
)
# Lists the export and the template may both contribute to (items the export does not have are added).
MERGED_LISTS = frozenset({"Policies", "Layers", "Tags", "ManagedPolicyArns"})
# Properties the export derives from connections: merged with the kept ones, never replaced by them.
WIRING = MERGED_LISTS | {"Environment", "Events"}
# Function events the import draws as connections (the export writes them again from those).
DRAWN_EVENTS = frozenset(
    {"Api", "HttpApi", "SQS", "Kinesis", "DynamoDB", "MSK", "MQ", "DocumentDB", "S3", "SNS", "Cognito",
     "EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2"}
)  # fmt: skip
# The property of a polled or triggering event that names its source.
EVENT_SOURCES = {"SQS": "Queue", "Kinesis": "Stream", "DynamoDB": "Stream", "MSK": "Stream", "MQ": "Broker",
                 "DocumentDB": "Cluster", "S3": "Bucket", "SNS": "Topic", "Cognito": "UserPool"}  # fmt: skip
SECTIONS = {
    "parameters": "Parameters",
    "mappings": "Mappings",
    "conditions": "Conditions",
    "rules": "Rules",
    "outputs": "Outputs",
    "globals": "Globals",
}
ORDER = ("AWSTemplateFormatVersion", "Transform", "Description", "Metadata", "Parameters", "Rules", "Mappings",
         "Conditions", "Globals", "Resources", "Outputs")  # fmt: skip


def replaces_export(name: str, modelled: Collection[str]) -> bool:
    """Whether the kept property ``name`` is written as the template had it, whatever the export writes.

    One rule for both writers: the SAM export merges the kept properties into the resource it writes
    (``merge_properties``), the CDK export overrides them on the construct's CloudFormation resource
    (``cdk_kept_properties``). The user's own artefacts (code, handler, definition, role) always are, since
    an import exists to keep them; so is every property the component's props do not stand for
    (``modelled``: those are written from the props, so an edit on the canvas takes effect) and that
    connections do not produce (wiring, which the writers merge with the kept one instead of replacing it).
    """
    return name in USER_ARTEFACTS or (name not in modelled and name not in WIRING)


def merge_properties(
    emitted: dict[str, Any], kept: dict[str, Any], modelled: Collection[str], taken: Collection[str] = ()
) -> dict[str, Any]:
    """The export's properties of a resource with the kept ones put back.

    The export writes ``modelled`` properties (the component's props stand for them) and the wiring of
    connections (events, policies, environment, merged with the kept ones); every other kept property is
    written as the template had it, so what the design says nothing about is not replaced by a default.
    """
    merged = dict(emitted)
    for key, value in kept.items():
        if key == "Events" and isinstance(value, dict):
            # the drawn events come back from their connections (maybe as components of their own), under
            # the names the template gave them
            events = _named_as_kept(dict(merged.get("Events") or {}), value, taken)
            for name, event in value.items():
                undrawn = not (isinstance(event, dict) and event.get("Type") in DRAWN_EVENTS)
                if undrawn and name not in events:
                    events[name] = copy.deepcopy(event)
            if events:
                merged["Events"] = events
        elif replaces_export(key, modelled) or (key not in modelled and key not in merged):
            merged[key] = copy.deepcopy(value)
        elif key in MERGED_LISTS and isinstance(value, list) and isinstance(merged[key], list):
            merged[key] = merged[key] + [copy.deepcopy(item) for item in value if item not in merged[key]]
        elif key == "AttributeDefinitions" and isinstance(value, list) and isinstance(merged[key], list):
            # the export's keys, typed as the template typed them, and the template's index attributes
            kept_by_name = {item.get("AttributeName"): item for item in value if isinstance(item, dict)}
            ours = [kept_by_name.get(item.get("AttributeName"), item) for item in merged[key]]
            names = {item.get("AttributeName") for item in ours}
            merged[key] = ours + [copy.deepcopy(item) for name, item in kept_by_name.items() if name not in names]
        elif key == "Environment" and isinstance(value, dict) and isinstance(merged[key], dict):
            variables = {**(value.get("Variables") or {}), **(merged[key].get("Variables") or {})}
            merged[key] = {**copy.deepcopy(value), **merged[key], "Variables": variables}
    for group in ONE_OF:
        if any(key in kept for key in group):
            for key in group:
                if key not in kept:
                    merged.pop(key, None)  # one source of code or definition: the template's
    if "ImageUri" in kept:
        for key in ("Handler", "Runtime"):
            if key not in kept:
                merged.pop(key, None)  # an image function has neither
    body = merged.get("DefinitionBody")
    readable = isinstance(body, dict) and ("openapi" in body or "swagger" in body)
    if body is not None and not readable and "Tags" not in kept:
        merged.pop("Tags", None)  # SAM writes an API's tags into its OpenAPI, which it cannot read here
    if "Role" in kept and "Role" in merged:
        merged.pop("Policies", None)  # SAM refuses a function with both a role of its own and policies
    return merged


def _event_signature(event: Any) -> tuple[str, ...] | None:
    """What makes two function events the same event, whatever their names: the type and what it reads
    (an API's path and method, a schedule, a pattern, the queue or stream it names)."""
    if not isinstance(event, dict):
        return None
    kind = "EventBridgeRule" if event.get("Type") == "CloudWatchEvent" else str(event.get("Type"))
    given = event.get("Properties")
    properties: dict[str, Any] = given if isinstance(given, dict) else {}
    if kind in ("Api", "HttpApi"):
        return kind, str(properties.get("Path")), str(properties.get("Method")).lower()
    if kind in ("Schedule", "ScheduleV2", "EventBridgeRule"):
        what = {"Schedule": "Schedule", "ScheduleV2": "ScheduleExpression", "EventBridgeRule": "Pattern"}[kind]
        return kind, json.dumps(properties.get(what), sort_keys=True)
    if kind in EVENT_SOURCES:
        return kind, *sorted(referenced_names(properties.get(EVENT_SOURCES[kind])))
    return None


def _named_as_kept(events: dict[str, Any], kept: dict[str, Any], taken: Collection[str] = ()) -> dict[str, Any]:
    """The export's events, each one the template also had renamed to the template's name for it (SAM names
    what it makes from an event after it: a schedule's rule, a permission, which outputs may name), unless
    what SAM would make of that name is a resource of the export already (``taken``: those names)."""
    renames: dict[str, str] = {}
    for name, event in kept.items():
        signature = _event_signature(event)
        if signature is None or name in events or name in taken:
            continue
        ours = next(
            (n for n, e in events.items() if n not in kept and n not in renames and _event_signature(e) == signature),
            None,
        )
        if ours is not None:
            renames[ours] = name
    return {renames.get(name, name): event for name, event in events.items()}


def _as_serverless_function(properties: dict[str, Any]) -> dict[str, Any]:
    """An AWS::Lambda::Function's properties as an AWS::Serverless::Function takes them (the export writes
    functions as SAM's): the code moves to InlineCode or CodeUri, the tracing mode to Tracing."""
    converted = {key: value for key, value in properties.items() if key not in ("Code", "TracingConfig")}
    code = properties.get("Code")
    if isinstance(code, dict):
        if "ZipFile" in code:
            converted["InlineCode"] = code["ZipFile"]
        elif "ImageUri" in code:
            converted["ImageUri"] = code["ImageUri"]
        elif "S3Bucket" in code:
            location = {"Bucket": code["S3Bucket"], "Key": code.get("S3Key")}
            if "S3ObjectVersion" in code:
                location["Version"] = code["S3ObjectVersion"]
            converted["CodeUri"] = location
    tracing = properties.get("TracingConfig")
    if isinstance(tracing, dict) and "Mode" in tracing:
        converted["Tracing"] = tracing["Mode"]
    return converted


def as_dynamodb_table(properties: dict[str, Any]) -> dict[str, Any]:
    """An AWS::Serverless::SimpleTable's properties as the AWS::DynamoDB::Table the export writes: its
    primary key (SAM's default: a string named id) becomes the key schema and its attribute."""
    converted = {key: value for key, value in properties.items() if key != "PrimaryKey"}
    key = properties.get("PrimaryKey") or {"Name": "id", "Type": "String"}
    if isinstance(key, dict) and isinstance(key.get("Name"), str):
        kind = {"String": "S", "Number": "N", "Binary": "B"}.get(str(key.get("Type")), "S")
        converted["AttributeDefinitions"] = [{"AttributeName": key["Name"], "AttributeType": kind}]
        converted["KeySchema"] = [{"AttributeName": key["Name"], "KeyType": "HASH"}]
    return converted


# Kept properties of a resource the export writes as another type, converted to what that type takes.
CONVERSIONS = {
    ("AWS::Lambda::Function", "AWS::Serverless::Function"): _as_serverless_function,
    ("AWS::Serverless::SimpleTable", "AWS::DynamoDB::Table"): as_dynamodb_table,
}
# What a modelled property is called once converted.
CONVERTED_NAMES = {"TracingConfig": "Tracing", "PrimaryKey": "KeySchema"}


def _drop_depends_on(resources: dict[str, Any], gone: set[str]) -> None:
    """DependsOn entries naming ``gone`` resources (the parts of a component written as another type,
    which the export regenerates under SAM's names) are dropped: the export orders what it generates."""
    if not gone:
        return
    for resource in resources.values():
        depends = resource.get("DependsOn") if isinstance(resource, dict) else None
        if depends is None:
            continue
        kept = [name for name in (depends if isinstance(depends, list) else [depends]) if name not in gone]
        if not kept:
            resource.pop("DependsOn")
        else:
            resource["DependsOn"] = kept if isinstance(depends, list) else kept[0]


def _drop_doubled_routes(
    resources: dict[str, Any], api: str, parts: dict[str, Any], generated: Collection[str]
) -> None:
    """An imported WebSocket API gets its own routes, stage and authorizer back (its parts and kept
    wiring): the export's routes for the same route keys (with their integrations and permissions), its
    stage and its authorizer would double them (one route key and one stage name per API), so those
    generated ones are left out. A route drawn on the
    canvas since, under a key of its own, stays."""

    def of_api(resource: Any, kind: str) -> bool:
        properties = resource.get("Properties") if isinstance(resource, dict) else None
        return (
            resource.get("Type") == kind
            and isinstance(properties, dict)
            and api in referenced_names(properties.get("ApiId"))
        )

    keys = {
        (r.get("Properties") or {}).get("RouteKey") for r in parts.values() if of_api(r, "AWS::ApiGatewayV2::Route")
    }
    has_stage = any(of_api(r, "AWS::ApiGatewayV2::Stage") for r in parts.values())
    has_authorizer = any(of_api(r, "AWS::ApiGatewayV2::Authorizer") for r in parts.values())
    doubled: set[str] = set()
    for name in generated:
        resource = resources.get(name)
        if resource is None:
            continue
        if of_api(resource, "AWS::ApiGatewayV2::Stage") and has_stage:
            doubled.add(name)
        elif of_api(resource, "AWS::ApiGatewayV2::Authorizer") and has_authorizer:
            doubled.add(name)
            doubled |= {
                other
                for other in generated
                if isinstance(resources.get(other), dict)
                and resources[other].get("Type") == "AWS::Lambda::Permission"
                and name in referenced_names(resources[other].get("Properties", {}).get("SourceArn"))
            }
        elif of_api(resource, "AWS::ApiGatewayV2::Route") and resource["Properties"].get("RouteKey") in keys:
            doubled.add(name)
            doubled |= referenced_names(resource["Properties"].get("Target")) & set(generated)
            key = resource["Properties"]["RouteKey"]
            doubled |= {
                other
                for other in generated
                if isinstance(resources.get(other), dict)
                and resources[other].get("Type") == "AWS::Lambda::Permission"
                and api in referenced_names(resources[other].get("Properties", {}).get("SourceArn"))
                and json.dumps(resources[other]["Properties"].get("SourceArn")).endswith(f'/{key}"}}')
            }
    for name in doubled:
        resources.pop(name, None)
    _drop_depends_on(resources, doubled)


# Resources of which AWS takes one per owner (the property naming it): a kept one and a generated one for
# the same owner would clash (cfn-lint E3019), and the template's own wins.
ONE_PER_OWNER = {
    "AWS::S3::BucketPolicy": ("Bucket",),
    "AWS::OpenSearchServerless::SecurityPolicy": ("Type", "Name"),
    "AWS::OpenSearchServerless::AccessPolicy": ("Type", "Name"),
}


def _drop_doubled_singletons(resources: dict[str, Any], generated: Collection[str]) -> None:
    """Generated resources of a one-per-owner type whose owner already has a kept one are left out, unless
    something still refers to them."""
    owners: dict[tuple[str, str], str] = {}
    for name, resource in resources.items():
        kind = resource.get("Type") if isinstance(resource, dict) else None
        if name not in generated and kind in ONE_PER_OWNER:
            owner = [(resource.get("Properties") or {}).get(key) for key in ONE_PER_OWNER[kind]]
            owners[(kind, json.dumps(owner, sort_keys=True))] = name
    doubled = set()
    for name in generated:
        resource = resources.get(name)
        if not isinstance(resource, dict):
            continue
        kind = resource.get("Type")
        if kind in ONE_PER_OWNER:
            owner = [(resource.get("Properties") or {}).get(key) for key in ONE_PER_OWNER[kind]]
            if (kind, json.dumps(owner, sort_keys=True)) in owners:
                doubled.add(name)
    named = set().union(*(referenced_names(r.get("Properties")) for r in resources.values() if isinstance(r, dict)))
    for name in doubled - named:
        resources.pop(name)
    _drop_depends_on(resources, doubled - named)


def _replaced(value: Any, old: Any, new: Any) -> Any:
    if value == old:
        return copy.deepcopy(new)
    if isinstance(value, dict):
        return {key: _replaced(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [_replaced(item, old, new) for item in value]
    return value


def _leave_unnamed(template: dict[str, Any], bucket: str) -> None:
    """An imported bucket the template did not name gets no BucketName either (a new name would replace the
    bucket, and its objects, on the next deploy): what the export names it by becomes a Ref to it. Not
    where a function the bucket notifies would then refer to it (SAM's notification makes the bucket
    depend on the function: a cycle); that name stays, as the export writes it."""
    resources = template["Resources"]
    name = (resources[bucket].get("Properties") or {}).get("BucketName")
    if name is None or referenced_names(resources[bucket]["Properties"].get("NotificationConfiguration")):
        return
    for resource in resources.values():
        events = (resource.get("Properties") or {}).get("Events") if isinstance(resource, dict) else None
        for event in events.values() if isinstance(events, dict) else ():
            if not (isinstance(event, dict) and isinstance(event.get("Properties"), dict)):
                continue
            if event.get("Type") == "S3" and bucket in referenced_names(event["Properties"].get("Bucket")):
                return
    resources[bucket]["Properties"].pop("BucketName")
    for key in ("Resources", "Outputs"):
        if key in template:
            template[key] = _replaced(template[key], name, {"Ref": bucket})


def write_back(template: dict[str, Any], plan: Plan) -> list[str]:
    """Put the kept CloudFormation of ``plan.source`` back into ``template`` (changed in place).

    Returns what could not be written back (a kept logical id the export itself uses), for the caller
    to report; an export of a design that was never imported is left exactly as it was.
    """
    design = plan.source
    resources: dict[str, Any] = template["Resources"]
    generated = set(resources)
    conflicts: list[str] = []
    gone: set[str] = set()
    unnamed: list[str] = []  # imported buckets the template left for CloudFormation to name

    def restore(logical_id: str, resource: Any) -> None:
        if logical_id in generated:
            conflicts.append(f"{logical_id}: the export writes a resource of that name; the kept one is left out")
        else:
            resources[logical_id] = copy.deepcopy(resource)

    for component in design.components:
        kept = component.cloudformation
        if kept is None:
            continue
        main = resources.get(plan.ids[component.id])
        # Only onto a resource of the type it came from: an AWS::ApiGateway::RestApi the export writes as
        # an AWS::Serverless::Api takes other properties (the report calls it regenerated).
        written_as = main.get("Type") if main is not None else None
        convert = CONVERSIONS.get((kept.resource_type, written_as or ""))
        same_type = written_as == kept.resource_type or convert is not None
        if main is not None and same_type:
            properties = convert(kept.properties) if convert else kept.properties
            if component.type != "cloudformation_resource" or properties:
                modelled = {CONVERTED_NAMES.get(name, name) if convert else name for name in kept.modelled}
                lid = plan.ids[component.id]
                taken = {name[len(lid) :] for name in resources if name.startswith(lid) and name != lid}
                main["Properties"] = merge_properties(main.get("Properties") or {}, properties, modelled, taken)
            for key, value in kept.attributes.items():
                main[key] = copy.deepcopy(value)
            if kept.resource_type == "AWS::S3::Bucket" and "BucketName" not in properties:
                unnamed.append(plan.ids[component.id])
        if main is not None and not same_type:
            gone |= set(kept.parts)  # written as another type (a RestApi as a Serverless::Api): parts regenerated
            continue
        for logical_id, resource in kept.parts.items():
            restore(logical_id, resource)
        if main is not None and written_as == "AWS::ApiGatewayV2::Api":
            undrawn = design.cloudformation.resources if design.cloudformation is not None else {}
            _drop_doubled_routes(resources, plan.ids[component.id], {**undrawn, **kept.parts}, generated)
    _drop_depends_on(resources, gone)
    kept_design = design.cloudformation
    if kept_design is not None:
        for logical_id, resource in kept_design.resources.items():
            restore(logical_id, resource)
    _drop_doubled_singletons(resources, generated)
    for bucket in unnamed:
        _leave_unnamed(template, bucket)
    if kept_design is None:
        return conflicts
    for field, section in SECTIONS.items():
        value = getattr(kept_design, field)
        if value:
            template[section] = {**copy.deepcopy(value), **template.get(section, {})}
    if kept_design.metadata:
        template["Metadata"] = {**copy.deepcopy(kept_design.metadata), **template.get("Metadata", {})}
    if kept_design.description:
        template["Description"] = kept_design.description
    transforms = kept_design.transform if isinstance(kept_design.transform, list) else [kept_design.transform]
    wanted = [t for t in transforms if t is not None]
    if wanted:
        ours = template.get("Transform")
        merged = wanted + [ours] if ours and ours not in wanted else wanted
        template["Transform"] = merged[0] if len(merged) == 1 else merged
    ordered = {key: template.pop(key) for key in ORDER if key in template}
    ordered.update(template)
    template.clear()
    template.update(ordered)
    return conflicts
