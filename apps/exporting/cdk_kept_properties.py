"""A kept resource's properties on the resource CDK writes for its component. Pure Python, no Django.

CDK writes a component with its constructs; the properties the template set and the component's props
do not stand for are put back as overrides on the construct's CloudFormation resource (``kept.replaces_export``
decides which, for the SAM export too). Where CDK writes another type than the template had (a SAM
function is an ``AWS::Lambda::Function`` in a CDK app), they are converted first; what that type has no
property for is reported, not written. Wiring is merged with what the connections make CDK write.
"""

from __future__ import annotations

import copy
from typing import Any

from apps.designs.cfn_schemas import UnknownResourceType, resource_schema
from apps.designs.document import Component
from apps.exporting.cfn import py, var
from apps.exporting.kept import DRAWN_EVENTS, ONE_OF, USER_ARTEFACTS, WIRING, as_dynamodb_table, replaces_export
from apps.exporting.plan import ExportError
from apps.exporting.services.policy_templates import iam_statements

# The CloudFormation resource CDK's constructs write for a SAM resource type (other types: the same).
WRITTEN_AS = {
    "AWS::Serverless::Function": "AWS::Lambda::Function",
    "AWS::Serverless::StateMachine": "AWS::StepFunctions::StateMachine",
    "AWS::Serverless::SimpleTable": "AWS::DynamoDB::Table",
    "AWS::Serverless::LayerVersion": "AWS::Lambda::LayerVersion",
    "AWS::Serverless::Api": "AWS::ApiGateway::RestApi",
    "AWS::Serverless::HttpApi": "AWS::ApiGatewayV2::Api",
    "AWS::Serverless::GraphQLApi": "AWS::AppSync::GraphQLApi",
}
# SAM properties that are another property, of the same shape, in the CloudFormation type CDK writes.
RENAMED = {
    "AWS::Serverless::Function": {"Tracing": "TracingConfig"},
    "AWS::Serverless::StateMachine": {
        "Name": "StateMachineName", "Type": "StateMachineType", "Role": "RoleArn",
        "Tracing": "TracingConfiguration", "Logging": "LoggingConfiguration",
        "DefinitionUri": "DefinitionS3Location",
    },
    "AWS::Serverless::LayerVersion": {"ContentUri": "Content"},
    "AWS::Serverless::SimpleTable": {"PrimaryKey": "KeySchema"},
}  # fmt: skip
# SAM's Globals section: which resource type each of its entries applies to.
GLOBALS = {
    "Function": "AWS::Serverless::Function", "Api": "AWS::Serverless::Api", "HttpApi": "AWS::Serverless::HttpApi",
    "SimpleTable": "AWS::Serverless::SimpleTable", "StateMachine": "AWS::Serverless::StateMachine",
    "LayerVersion": "AWS::Serverless::LayerVersion",
}  # fmt: skip
# The keys CDK may have written inside a property the template gives whole (its code): cleared first,
# because CDK merges an override into an object instead of replacing it.
REPLACED = {"Code": ("S3Bucket", "S3Key", "S3ObjectVersion", "ZipFile", "ImageUri", "SourceKMSKeyArn")}


def _escaped_path(*parts: str) -> str:
    """An override path (CDK splits paths at dots; a dot inside a name is escaped)."""
    return ".".join(part.replace(".", "\\.") for part in parts)


def _s3_location(value: Any, bucket: str, key: str, version: str) -> dict[str, Any] | None:
    """SAM's code location (``s3://bucket/key`` or ``{Bucket, Key, Version}``) in CloudFormation's names."""
    if isinstance(value, str) and value.startswith("s3://") and "/" in value[5:]:
        name, _, path = value[5:].partition("/")
        return {bucket: name, key: path}
    if isinstance(value, dict) and "Bucket" in value and "Key" in value:
        location = {bucket: value["Bucket"], key: value["Key"]}
        if "Version" in value:
            location[version] = value["Version"]
        return location
    return None


def with_globals(resource_type: str, properties: dict[str, Any], globals_: dict[str, Any]) -> dict[str, Any]:
    """SAM's Globals applied to a SAM resource's properties, as the transform applies them: the resource's
    own values win, maps are merged and lists are joined."""
    section = next((name for name, type_ in GLOBALS.items() if type_ == resource_type), None)
    defaults = globals_.get(section) if section else None
    if not isinstance(defaults, dict):
        return properties
    return _merged(copy.deepcopy(defaults), properties)


def _merged(defaults: Any, own: Any) -> Any:
    if isinstance(defaults, dict) and isinstance(own, dict):
        result = dict(defaults)
        for key, value in own.items():
            result[key] = _merged(defaults[key], value) if key in defaults else value
        return result
    if isinstance(defaults, list) and isinstance(own, list):
        return defaults + own
    return own


def property_overrides(
    component: Component, written: str, properties: dict[str, Any], notes: list[str]
) -> tuple[dict[str, Any], list[str], list[str]]:
    """(property overrides by path, paths to delete, extra source lines) that put back the kept
    properties of ``component`` on the resource CDK writes for it (of type ``written``)."""
    kept = component.cloudformation
    assert kept is not None
    logical_id, source_type = kept.logical_id, kept.resource_type
    renames = RENAMED.get(source_type, {})
    modelled = {renames.get(name, name) for name in kept.modelled}
    if source_type == "AWS::Serverless::SimpleTable":
        properties = as_dynamodb_table(properties)
    known = _writable(written)
    overrides: dict[str, Any] = {}
    removed: list[str] = []
    extra: list[str] = []
    # Code on the user's disk cannot be named from the CDK app: the starter stays, with its handler.
    starter_code = source_type == "AWS::Serverless::Function" and not any(
        _function_code(key, properties[key]) for key in ("CodeUri", "InlineCode", "ImageUri") if key in properties
    )
    if starter_code and "CodeUri" in properties:
        notes.append(
            f"{logical_id}: its code (CodeUri) is a folder of yours; the CDK app builds src/{component.id}/ "
            "(a starter handler): copy your code there and set the handler"
        )
    for original, value in properties.items():
        name, value = _converted(source_type, original, value)
        if name is None:
            if original not in ("CodeUri",):
                notes.append(f"{logical_id}: {original} is a path on your disk and is left out")
            continue
        if name == "Code" and isinstance(value, dict) and "ImageUri" in value:
            overrides["PackageType"] = "Image"
            removed += [p for p in ("Handler", "Runtime") if p not in properties]
        if name in WIRING and name not in USER_ARTEFACTS:
            extra += _wiring(component, written, name, value, overrides, notes, has_role="Role" in properties)
            continue
        if not replaces_export(name, modelled) or (name == "Handler" and starter_code):
            continue  # the props say it (or the starter's handler stays, until the user's code is copied in)
        if known is not None and name not in known:
            notes.append(f"{logical_id}: {name} is left out ({written} has no such property)")
        elif name in REPLACED and isinstance(value, dict):
            removed += [_escaped_path(name, leaf) for leaf in REPLACED[name] if leaf not in value]
            overrides.update({_escaped_path(name, leaf): item for leaf, item in value.items()})
        else:
            overrides[_escaped_path(name)] = value
    for group in ONE_OF:
        present = [key for key in group if key in overrides]
        if present:
            removed += [key for key in group if key not in present and key not in removed]
    return overrides, removed, extra


def _wiring(
    component: Component,
    written: str,
    name: str,
    value: Any,
    overrides: dict[str, Any],
    notes: list[str],
    *,
    has_role: bool,
) -> list[str]:
    """Kept wiring, merged with what the connections make CDK write: environment variables one by
    one, tags through CDK's tags, layers added to the function, policies on its role."""
    kept = component.cloudformation
    assert kept is not None
    logical_id = kept.logical_id
    if name == "Environment" and isinstance(value, dict):
        variables = value.get("Variables")
        for variable, setting in variables.items() if isinstance(variables, dict) else []:
            overrides[_escaped_path("Environment", "Variables", str(variable))] = setting
        return []
    if name == "Tags":
        return [
            f"cdk.Tags.of({var(component)}).add({py(str(key))}, {string_source(tag)})" for key, tag in _tag_pairs(value)
        ]
    if name == "Layers" and isinstance(value, list) and written == "AWS::Lambda::Function":
        return [
            f"{var(component)}.add_layers(lambda_.LayerVersion.from_layer_version_arn(kept, "
            f"{py(f'{logical_id}Layer{index}')}, {string_source(layer)}))"
            for index, layer in enumerate(value)
        ]
    if name == "Policies" and written in ("AWS::Lambda::Function", "AWS::StepFunctions::StateMachine"):
        return [] if has_role else _policies(component, value, notes)  # a role of the user's own has them
    if name == "Events" and isinstance(value, dict):
        undrawn = [str(e) for e, event in value.items() if not _drawn_event(event)]
        if undrawn and written != kept.resource_type:
            notes.append(
                f"{logical_id}: SAM events {', '.join(undrawn)} are left out (CDK writes the resource as "
                f"{written}, which has no events)"
            )
        return []
    if name == "ManagedPolicyArns":
        overrides[name] = value  # CDK cannot add to its list from here: the template's list stands
        return []
    notes.append(f"{logical_id}: {name} is left out ({written} has no such property)")
    return []


def _policies(component: Component, policies: Any, notes: list[str]) -> list[str]:
    """SAM policies of a function or state machine CDK writes: managed policies on its role, the
    statements (policy templates expanded) in a policy of their own."""
    if not isinstance(policies, list):
        policies = [policies]
    kept = component.cloudformation
    assert kept is not None
    lines: list[str] = []
    documents: list[Any] = []
    for index, policy in enumerate(policies):
        if isinstance(policy, str):
            policy_arn = (
                policy if policy.startswith("arn:") else {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/" + policy}
            )
            lines.append(
                f"{var(component)}.role.add_managed_policy(iam.ManagedPolicy.from_managed_policy_arn(kept, "
                f"{py(f'{kept.logical_id}ManagedPolicy{index}')}, {string_source(policy_arn)}))"
            )
            continue
        try:
            documents += iam_statements([policy], role=kept.logical_id)
        except ExportError as refusal:
            notes.append(f"{refusal} (left out)")
    if documents:
        name = f"{kept.logical_id}KeptPolicy"
        lines.append(
            f"cdk.CfnResource(kept, {py(name)}, type='AWS::IAM::Policy', properties={{'PolicyName': {py(name)}, "
            f"'PolicyDocument': {py({'Version': '2012-10-17', 'Statement': documents})}, "
            f"'Roles': [{var(component)}.role.role_name]}})"
        )
    return lines


def string_source(value: Any) -> str:
    """A string CfnOutput or a tag takes: literal text, or an intrinsic as a CDK token."""
    return py(value) if isinstance(value, str) else f"cdk.Token.as_string({py(value)})"


def _converted(source_type: str, name: str, value: Any) -> tuple[str | None, Any]:
    """A kept SAM property as the CloudFormation property CDK's resource has (None: a path on disk)."""
    if source_type == "AWS::Serverless::Function":
        if name in ("CodeUri", "InlineCode", "ImageUri"):
            code = _function_code(name, value)
            return ("Code", code) if code is not None else (None, value)
        if name == "DeadLetterQueue" and isinstance(value, dict):
            return "DeadLetterConfig", {"TargetArn": value.get("TargetArn")}
        if name == "Tracing":
            return "TracingConfig", {"Mode": value}
    if name in ("DefinitionUri", "ContentUri") and name in RENAMED.get(source_type, {}):
        s3 = ("Bucket", "Key", "Version") if name == "DefinitionUri" else ("S3Bucket", "S3Key", "S3ObjectVersion")
        location = _s3_location(value, *s3)
        return (RENAMED[source_type][name], location) if location is not None else (None, value)
    return RENAMED.get(source_type, {}).get(name, name), value


def _function_code(name: str, value: Any) -> dict[str, Any] | None:
    if name == "InlineCode":
        return {"ZipFile": value}
    if name == "ImageUri":
        return {"ImageUri": value}
    return _s3_location(value, "S3Bucket", "S3Key", "S3ObjectVersion")


def _drawn_event(event: Any) -> bool:
    return isinstance(event, dict) and event.get("Type") in DRAWN_EVENTS


def _tag_pairs(tags: Any) -> list[tuple[Any, Any]]:
    if isinstance(tags, dict):
        return list(tags.items())
    if isinstance(tags, list):
        return [(t["Key"], t["Value"]) for t in tags if isinstance(t, dict) and "Key" in t and "Value" in t]
    return []


def _writable(resource_type: str) -> set[str] | None:
    """The properties CloudFormation takes for a type, or None when it has no schema (custom resources)."""
    try:
        return set(resource_schema(resource_type).properties)
    except UnknownResourceType:
        return None
