"""Small helpers every emitter uses: CloudFormation intrinsics (long form) and CDK source literals.

Pure Python, no Django. SAM emitters build dicts with ``ref``/``getatt``/``sub``; CDK emitters write
source text, where ``py`` turns plain data into a Python literal (so user text can never become code)
and ``var`` names a component's construct variable.
"""

from __future__ import annotations

from typing import Any

from apps.designs.document import Component


def ref(name: str) -> dict[str, Any]:
    return {"Ref": name}


def getatt(name: str, attribute: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [name, attribute]}


def sub(text: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"Fn::Sub": [text, variables] if variables else text}


def tags(component: Component) -> dict[str, str]:
    return {"tierplan:component": component.id}


def tag_list(component: Component) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags(component).items()]


# The first block (8 hex digits) of the stack's uuid, from arn:…:stack/<name>/<uuid>: tells stacks apart
# in names that must be unique in an account or region.
STACK_UUID_BLOCK = {
    "Fn::Select": [0, {"Fn::Split": ["-", {"Fn::Select": [2, {"Fn::Split": ["/", ref("AWS::StackId")]}]}]}]
}


def stack_unique_name(component_id: str, keep: int) -> dict[str, Any]:
    """<id, hyphenated, its first ``keep`` characters>-<first block of the stack's uuid>."""
    return {"Fn::Join": ["-", [component_id.replace("_", "-")[:keep], STACK_UUID_BLOCK]]}


# The same two, as CDK Python source.
CDK_STACK_UUID_BLOCK = "cdk.Fn.select(0, cdk.Fn.split('-', cdk.Fn.select(2, cdk.Fn.split('/', cdk.Aws.STACK_ID))))"


def cdk_stack_unique_name(component_id: str, keep: int) -> str:
    return f"cdk.Fn.join('-', [{py(component_id.replace('_', '-')[:keep])}, {CDK_STACK_UUID_BLOCK}])"


def bucket_name_expression(component_id: str) -> dict[str, Any]:
    """<id>-<account>-<first block of the stack's uuid>: unique per stack, lowercase, at most 63 chars."""
    return {"Fn::Join": ["-", [component_id.replace("_", "-")[:30], ref("AWS::AccountId"), STACK_UUID_BLOCK]]}


def trust_policy(*services: str) -> dict[str, Any]:
    """An AssumeRolePolicyDocument letting the given AWS services assume the role."""
    principal = services[0] if len(services) == 1 else list(services)
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": principal}, "Action": "sts:AssumeRole"}],
    }


def bucket_arn_expression(component_id: str) -> dict[str, Any]:
    """The bucket's ARN from its computed name: names it without a Ref, so no dependency cycle forms."""
    return {"Fn::Join": ["", ["arn:", ref("AWS::Partition"), ":s3:::", bucket_name_expression(component_id)]]}


def logical_service(service: str) -> str:
    return "".join(part.title() for part in service.replace("-", ".").split("."))


def py(value: Any) -> str:
    """A Python literal for plain data (strings via repr, so no user text can become code)."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py(str(k))}: {py(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as a literal")


def var(component: Component) -> str:
    return f"c_{component.id}"
