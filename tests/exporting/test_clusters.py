"""Clusters in a VPC (Aurora): the resources, properties, environment and permissions each export writes.

The generated designs already lint, transform and synthesize every type and connection; these tests pin
what they cannot see: the properties that carry the design's choices, and what a connected function gets.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from apps.designs.document import Design, validate_design
from apps.exporting.bundle import cdk_files, sam_files
from apps.exporting.plan import ExportError, cfn_text


def vpc_design(components: list[dict[str, Any]], connections: list[dict[str, Any]]) -> Design:
    """``components`` (each in the VPC group ``net``, of two zones) joined by ``connections``."""
    return validate_design(
        {
            "schema": "tierplan.design/v1",
            "name": "Clusters",
            "groups": [{"id": "net", "kind": "vpc", "label": "Private", "props": {"az_count": 2}}],
            "components": [{"group": "net", **c} for c in components],
            "connections": [{"id": f"c{i}", "props": {}, **connection} for i, connection in enumerate(connections)],
        }
    )


def sam(design: Design) -> dict[str, Any]:
    return yaml.safe_load(sam_files(design)["template.yaml"])


def fn(component_id: str = "fn", **props: Any) -> dict[str, Any]:
    return {"id": component_id, "type": "lambda_function", "props": props}


def connect(source: str, target: str, kind: str, **props: Any) -> dict[str, Any]:
    return {"source": source, "target": target, "kind": kind, "props": props}


# -- Aurora -------------------------------------------------------------------------------------------


def aurora_design(**props: Any) -> Design:
    cluster = {"id": "db", "type": "aurora_cluster", "label": "Orders DB", "props": props}
    return vpc_design([fn(), cluster], [connect("fn", "db", "read_write")])


def test_a_serverless_aurora_cluster_has_a_writer_and_its_readers_in_promotion_tier_1() -> None:
    resources = sam(aurora_design(readers=2, min_capacity_acu=1, max_capacity_acu=8))["Resources"]
    cluster = resources["Db"]["Properties"]
    assert resources["Db"]["Type"] == "AWS::RDS::DBCluster"
    assert cluster["ServerlessV2ScalingConfiguration"] == {"MinCapacity": 1, "MaxCapacity": 8}
    assert cluster["ManageMasterUserPassword"] is True and "MasterUserPassword" not in cluster
    assert cluster["StorageType"] == "aurora" and cluster["StorageEncrypted"] is True
    assert "EnableHttpEndpoint" not in cluster
    instances = {name: r["Properties"] for name, r in resources.items() if r["Type"] == "AWS::RDS::DBInstance"}
    assert sorted(instances) == ["DbReader1", "DbReader2", "DbWriter"]
    assert {i["DBInstanceClass"] for i in instances.values()} == {"db.serverless"}
    assert [instances[n]["PromotionTier"] for n in ("DbWriter", "DbReader1", "DbReader2")] == [0, 1, 1]
    assert resources["DbSubnets"]["Type"] == "AWS::RDS::DBSubnetGroup"


def test_a_provisioned_io_optimized_cluster_names_its_instance_class_and_storage_type() -> None:
    resources = sam(
        aurora_design(capacity_mode="provisioned", instance_class="db.r7g.large", storage_configuration="io_optimized")
    )["Resources"]
    assert "ServerlessV2ScalingConfiguration" not in resources["Db"]["Properties"]
    assert resources["Db"]["Properties"]["StorageType"] == "aurora-iopt1"
    assert resources["DbWriter"]["Properties"]["DBInstanceClass"] == "db.r7g.large"
    stack = cdk_files(aurora_design(capacity_mode="provisioned", instance_class="db.r7g.large"))["tierplan_stack.py"]
    assert "rds.ClusterInstance.provisioned('writer', instance_type=ec2.InstanceType('r7g.large'))" in stack


def test_a_connected_function_gets_the_endpoint_and_may_read_only_the_cluster_secret() -> None:
    function = sam(aurora_design())["Resources"]["Fn"]["Properties"]
    variables = function["Environment"]["Variables"]
    assert variables["DB_DB_ENDPOINT"] == {"Fn::GetAtt": ["Db", "Endpoint.Address"]}
    assert variables["DB_DB_SECRET_ARN"] == {"Fn::GetAtt": ["Db", "MasterUserSecret.SecretArn"]}
    assert "DB_DB_CLUSTER_ARN" not in variables
    assert function["Policies"] == [
        {"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": {"Fn::GetAtt": ["Db", "MasterUserSecret.SecretArn"]}}}
    ]
    assert "VpcConfig" in function


def test_with_the_data_api_the_function_may_run_statements_on_that_cluster_only() -> None:
    design = aurora_design(data_api=True)
    template = sam(design)
    assert template["Resources"]["Db"]["Properties"]["EnableHttpEndpoint"] is True
    function = template["Resources"]["Fn"]["Properties"]
    assert function["Environment"]["Variables"]["DB_DB_CLUSTER_ARN"] == {"Fn::GetAtt": ["Db", "DBClusterArn"]}
    statement = function["Policies"][1]["Statement"][0]
    assert statement["Resource"] == {"Fn::GetAtt": ["Db", "DBClusterArn"]}
    assert all(action.startswith("rds-data:") for action in statement["Action"])
    stack = cdk_files(design)["tierplan_stack.py"]
    assert "c_db.grant_data_api_access(c_fn)" in stack and "enable_data_api=True" in stack
    assert "c_fn.add_environment('DB_DB_CLUSTER_ARN', c_db.cluster_arn)" in stack


def test_an_aurora_cluster_outside_a_vpc_is_not_exported() -> None:
    doc = aurora_design().canonical()
    for component in doc["components"]:
        component.pop("group", None)
    with pytest.raises(ExportError, match="must be inside a VPC group"):
        sam_files(validate_design(doc))


def test_a_hostile_label_stays_escaped_in_the_cluster_outputs() -> None:
    hostile = "${AWS::AccountId} {{resolve:ssm:/a}}"
    doc = aurora_design().canonical()
    doc["components"][1]["label"] = hostile
    template = sam_files(validate_design(doc))["template.yaml"]
    assert "{{resolve" not in template and "${AWS::AccountId} " not in template
    assert cfn_text(hostile) in yaml.safe_load(template)["Outputs"]["DbEndpoint"]["Description"]
