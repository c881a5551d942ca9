"""Search: OpenSearch Serverless collections, with the policies a collection needs to be used at all.

A collection is created only under an encryption policy that names it, is reachable under a network
policy, and answers only the principals a data access policy lists: here the roles of the functions
connected to it, each with the index permissions its connection kind gives. Policies are JSON text, so
the template writes them with Fn::Join around the collection's name and the roles' ARNs.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.exporting.cfn import CDK_STACK_UUID_BLOCK, STACK_UUID_BLOCK, getatt, py, tag_list, var
from apps.exporting.plan import Plan
from apps.exporting.services.base import Service

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

COLLECTION_TYPES = {"search": "SEARCH", "time_series": "TIMESERIES", "vector_search": "VECTORSEARCH"}
DATA_KINDS = ("read", "write", "read_write")
INDEX_PERMISSIONS = {
    "read": ["aoss:DescribeIndex", "aoss:ReadDocument"],
    "write": ["aoss:CreateIndex", "aoss:DescribeIndex", "aoss:UpdateIndex", "aoss:WriteDocument"],
    "read_write": [
        "aoss:CreateIndex",
        "aoss:DescribeIndex",
        "aoss:ReadDocument",
        "aoss:UpdateIndex",
        "aoss:WriteDocument",
    ],
}


def name_prefix(collection: Component) -> str:
    # Names are lowercase letters, digits and hyphens, 3 to 32 characters, and unique in the account:
    # the component id (a slug) and the first block of the stack's uuid.
    return collection.id.replace("_", "-")[:20] + "-"


def sam_name(collection: Component) -> list[Any]:
    """The parts of the collection's name, to join."""
    return [name_prefix(collection), STACK_UUID_BLOCK]


def readers_and_writers(plan: Plan, collection: Component) -> list[Link]:
    return [link for link in plan.into(collection, *DATA_KINDS) if link.source.type == "lambda_function"]


def policy_parts(name: list[Any], kind: str, principals: list[tuple[Any, str]] | None = None) -> list[Any]:
    """The pieces of a policy document for the collection called ``name`` (pieces joined with "")."""
    collection = ['{"ResourceType":"collection","Resource":["collection/', *name, '"]']
    if kind == "encryption":
        return [f'{{"Rules":[{collection[0]}', *collection[1:], '}],"AWSOwnedKey":true}']
    if kind == "network":
        return [
            f'[{{"Rules":[{collection[0]}',
            *collection[1:],
            '},{"ResourceType":"dashboard","Resource":["collection/',
            *name,
            '"]}],"AllowFromPublic":true}]',
        ]
    parts: list[Any] = ["["]
    for index, (principal, link_kind) in enumerate(principals or []):
        parts += [
            "," if index else "",
            f'{{"Rules":[{collection[0]}',
            *collection[1:],
            ',"Permission":["aoss:DescribeCollectionItems"]},{"ResourceType":"index","Resource":["index/',
            *name,
            f'/*"],"Permission":{json.dumps(INDEX_PERMISSIONS[link_kind])}}}],"Principal":["',
            principal,
            '"]}',
        ]
    return [*parts, "]"]


def sam_opensearch_serverless_collection(sam: SamTemplate, collection: Component) -> None:
    plan, logical = sam.plan, sam.id(collection)
    name = sam_name(collection)

    def joined(parts: list[Any]) -> dict[str, Any]:
        return {"Fn::Join": ["", parts]}

    for kind in ("encryption", "network"):
        sam.add(
            f"{logical}{kind.title()}Policy",
            "AWS::OpenSearchServerless::SecurityPolicy",
            {"Name": joined(name), "Type": kind, "Policy": joined(policy_parts(name, kind))},
            collection,
        )
    sam.add(
        logical,
        "AWS::OpenSearchServerless::Collection",
        {
            "Name": joined(name),
            "Type": COLLECTION_TYPES[plan.prop(collection, "collection_type")],
            "StandbyReplicas": "ENABLED" if plan.prop(collection, "redundancy") else "DISABLED",
            "Description": plan.label(collection),
            "Tags": tag_list(collection),
        },
        collection,
        DependsOn=[f"{logical}EncryptionPolicy", f"{logical}NetworkPolicy"],
    )
    links = readers_and_writers(plan, collection)
    if links:
        principals = [(getatt(f"{sam.id(link.source)}Role", "Arn"), link.kind) for link in links]
        sam.add(
            f"{logical}AccessPolicy",
            "AWS::OpenSearchServerless::AccessPolicy",
            {"Name": joined(name), "Type": "data", "Policy": joined(policy_parts(name, "data", principals))},
            collection,
        )
    sam.output(
        f"{logical}Endpoint",
        getatt(logical, "CollectionEndpoint"),
        f"Collection endpoint of {plan.label(collection)}",
        collection,
    )


def cdk_opensearch_serverless_collection(cdk: CdkStack, collection: Component) -> None:
    v, logical = var(collection), cdk.id(collection)
    cdk.emit(f"{v}_name = cdk.Fn.join('', [{py(name_prefix(collection))}, {CDK_STACK_UUID_BLOCK}])")
    for kind in ("encryption", "network"):
        parts = ", ".join(f"{v}_name" if part is NAME else py(part) for part in policy_parts([NAME], kind))
        cdk.emit(
            f"{v}_{kind} = aoss.CfnSecurityPolicy(self, {py(logical + kind.title() + 'Policy')}, name={v}_name, "
            f"type={py(kind)}, policy=cdk.Fn.join('', [{parts}]))"
        )
    cdk.emit(
        f"{v} = aoss.CfnCollection(self, {py(logical)}, name={v}_name, "
        f"type={py(COLLECTION_TYPES[cdk.prop(collection, 'collection_type')])}, "
        f"standby_replicas={py('ENABLED' if cdk.prop(collection, 'redundancy') else 'DISABLED')}, "
        f"description={py(cdk.plan.label(collection))})"
    )
    cdk.emit(f"{v}.add_resource_dependency({v}_encryption)")
    cdk.emit(f"{v}.add_resource_dependency({v}_network)")
    cdk.emit()


NAME = object()  # stands for the collection's name among the pieces of a policy


def cdk_collection_wiring(cdk: CdkStack, collection: Component) -> None:
    """The data access policy, once the functions (and their roles) exist."""
    links = readers_and_writers(cdk.plan, collection)
    if not links:
        return
    v = var(collection)
    principals = [(f"{var(link.source)}.role.role_arn", link.kind) for link in links]
    pieces = policy_parts([NAME], "data", [(ROLE, kind) for _, kind in principals])
    roles = iter(arn for arn, _ in principals)
    parts = ", ".join(f"{v}_name" if part is NAME else next(roles) if part is ROLE else py(part) for part in pieces)
    cdk.emit(
        f"aoss.CfnAccessPolicy(self, {py(cdk.id(collection) + 'AccessPolicy')}, name={v}_name, type='data', "
        f"policy=cdk.Fn.join('', [{parts}]))"
    )
    cdk.emit()


ROLE = object()  # stands for a function role's ARN among the pieces of a policy


def sam_collection_policies(sam: SamTemplate, link: Link) -> list[Any]:
    statement = {"Effect": "Allow", "Action": "aoss:APIAccessAll", "Resource": getatt(sam.id(link.target), "Arn")}
    return [{"Version": "2012-10-17", "Statement": [statement]}]


def cdk_collection_grant(cdk: CdkStack, link: Link) -> str:
    return (
        f"{var(link.source)}.add_to_role_policy(iam.PolicyStatement(actions=['aoss:APIAccessAll'], "
        f"resources=[{var(link.target)}.attr_arn]))"
    )


SERVICES = (
    Service(
        "opensearch_serverless_collection",
        sam=sam_opensearch_serverless_collection,
        cdk=cdk_opensearch_serverless_collection,
        cdk_order=29,
        sam_env=lambda sam, collection: getatt(sam.id(collection), "CollectionEndpoint"),
        cdk_env=lambda cdk, collection: f"{var(collection)}.attr_collection_endpoint",
        sam_policies=sam_collection_policies,
        cdk_grant=cdk_collection_grant,
        cdk_wiring=cdk_collection_wiring,
    ),
)
