"""Clusters in a VPC (Aurora): the resources, properties, environment and permissions each export writes.

The generated designs already lint, transform and synthesize every type and connection; these tests pin
what they cannot see: the properties that carry the design's choices, and what a connected function gets.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from apps.designs.document import Design, DesignInvalid, validate_design
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


# -- Amazon MQ ----------------------------------------------------------------------------------------


def broker_design(function_in_vpc: bool = False, **props: Any) -> Design:
    broker = {"id": "broker", "type": "mq_broker", "label": "Orders broker", "props": props}
    consumer = fn("consumer")
    doc = vpc_design([broker, consumer], [connect("broker", "consumer", "poll", queue_name="orders", batch_size=50)])
    if function_in_vpc:
        return doc
    canonical = doc.canonical()
    canonical["components"][1].pop("group")
    return validate_design(canonical)


def test_an_activemq_broker_is_an_active_standby_pair_in_two_private_subnets() -> None:
    resources = sam(broker_design())["Resources"]
    broker = resources["Broker"]["Properties"]
    assert resources["Broker"]["Type"] == "AWS::AmazonMQ::Broker"
    assert (broker["EngineType"], broker["DeploymentMode"]) == ("ACTIVEMQ", "ACTIVE_STANDBY_MULTI_AZ")
    assert broker["PubliclyAccessible"] is False
    assert broker["SubnetIds"] == [{"Ref": "NetPrivateSubnet1"}, {"Ref": "NetPrivateSubnet2"}]


def test_a_rabbitmq_broker_runs_as_a_cluster_or_a_single_instance() -> None:
    cluster = sam(broker_design(engine="rabbitmq"))["Resources"]["Broker"]["Properties"]
    assert (cluster["EngineType"], cluster["DeploymentMode"]) == ("RABBITMQ", "CLUSTER_MULTI_AZ")
    single = sam(broker_design(engine="rabbitmq", deployment_mode="single_instance"))["Resources"]["Broker"]
    assert single["Properties"]["DeploymentMode"] == "SINGLE_INSTANCE"
    assert single["Properties"]["SubnetIds"] == [{"Ref": "NetPrivateSubnet1"}]


def test_the_broker_password_is_generated_in_secrets_manager_never_written() -> None:
    design = broker_design()
    resources = sam(design)["Resources"]
    secret = resources["BrokerSecret"]["Properties"]["GenerateSecretString"]
    assert secret["GenerateStringKey"] == "password" and secret["ExcludeCharacters"] == ",:="
    password = resources["Broker"]["Properties"]["Users"][0]["Password"]
    assert password == {
        "Fn::Join": ["", ["{{", "resolve:secretsmanager:", {"Ref": "BrokerSecret"}, ":SecretString:password}}"]]
    }
    stack = cdk_files(design)["tierplan_stack.py"]
    assert "c_broker_secret.secret_value_from_json('password').unsafe_unwrap()" in stack


def test_a_polling_function_reads_the_named_queue_with_the_broker_secret() -> None:
    function = sam(broker_design())["Resources"]["Consumer"]["Properties"]
    event = function["Events"]["BrokerPoll"]
    assert event["Type"] == "MQ"
    assert event["Properties"]["Queues"] == ["orders"]
    assert event["Properties"]["BatchSize"] == 50
    assert event["Properties"]["SourceAccessConfigurations"] == [{"Type": "BASIC_AUTH", "URI": {"Ref": "BrokerSecret"}}]
    # Outside the VPC, the function's role may still manage the mapping's interfaces in the broker's VPC.
    assert function["Policies"][0]["Statement"][0]["Action"][0] == "ec2:CreateNetworkInterface"
    stack = cdk_files(broker_design())["tierplan_stack.py"]
    assert "queues=['orders']" in stack and "actions=['mq:DescribeBroker']" in stack


def test_a_polling_function_in_the_vpc_needs_no_extra_interface_policy() -> None:
    function = sam(broker_design(function_in_vpc=True))["Resources"]["Consumer"]["Properties"]
    assert "Policies" not in function


def test_a_multi_az_broker_on_a_micro_instance_is_not_exported() -> None:
    with pytest.raises(ExportError, match="mq.t3.micro runs single-instance brokers only"):
        sam_files(broker_design(instance_type="mq.t3.micro"))


def test_a_hostile_broker_label_stays_escaped() -> None:
    hostile = "${AWS::AccountId} {{resolve:ssm:/a}}"
    doc = broker_design().canonical()
    doc["components"][0]["label"] = hostile
    template = sam_files(validate_design(doc))["template.yaml"]
    assert cfn_text(hostile) in yaml.safe_load(template)["Outputs"]["BrokerArn"]["Description"]


def test_a_broker_poll_without_a_queue_name_is_refused_with_its_pointer() -> None:
    doc = broker_design().canonical()
    del doc["connections"][0]["props"]["queue_name"]
    with pytest.raises(DesignInvalid) as caught:
        validate_design(doc)
    assert [(p.pointer, p.message) for p in caught.value.problems] == [
        ("/connections/0/props/queue_name", "required when Lambda polls a mq_broker")
    ]


def test_a_queue_name_on_a_poll_from_another_source_is_ignored_consistently() -> None:
    doc = {
        "schema": "tierplan.design/v1",
        "name": "SQS",
        "components": [{"id": "q", "type": "sqs_queue"}, {"id": "f", "type": "lambda_function"}],
        "connections": [
            {
                "id": "p",
                "source": "q",
                "target": "f",
                "kind": "poll",
                "props": {"queue_name": "stray", "database_name": "x"},
            }
        ],
    }
    design = validate_design(doc)
    assert "stray" not in sam_files(design)["template.yaml"]
    assert "stray" not in cdk_files(design)["tierplan_stack.py"]


def test_a_hostile_queue_name_is_refused_by_its_pattern() -> None:
    doc = broker_design().canonical()
    doc["connections"][0]["props"]["queue_name"] = "{{resolve:ssm:/a}}"
    with pytest.raises(DesignInvalid) as caught:
        validate_design(doc)
    assert caught.value.problems[0].pointer == "/connections/0/props/queue_name"


# -- DocumentDB ---------------------------------------------------------------------------------------


def documentdb_design(**poll: Any) -> Design:
    cluster = {"id": "docs", "type": "documentdb_cluster", "label": "Catalog", "props": {"readers": 1}}
    doc = vpc_design(
        [cluster, fn("writer"), fn("consumer")],
        [connect("writer", "docs", "read_write"), connect("docs", "consumer", "poll", database_name="shop", **poll)],
    ).canonical()
    doc["components"][2].pop("group")  # Lambda reaches a change stream without joining the VPC
    return validate_design(doc)


def test_a_documentdb_cluster_has_a_primary_and_its_replicas_and_a_generated_secret() -> None:
    resources = sam(documentdb_design())["Resources"]
    cluster = resources["Docs"]["Properties"]
    assert resources["Docs"]["Type"] == "AWS::DocDB::DBCluster"
    assert cluster["StorageEncrypted"] is True and cluster["MasterUsername"] == "tierplan"
    assert cluster["MasterUserPassword"]["Fn::Join"][1][2] == {"Ref": "DocsSecret"}
    assert resources["DocsSecretAttachment"]["Properties"]["TargetType"] == "AWS::DocDB::DBCluster"
    instances = [r for r in resources.values() if r["Type"] == "AWS::DocDB::DBInstance"]
    assert len(instances) == 2
    ingress = resources["DocsSecurityGroupSelf"]["Properties"]
    assert (ingress["FromPort"], ingress["SourceSecurityGroupId"]) == (
        27017,
        {"Fn::GetAtt": ["DocsSecurityGroup", "GroupId"]},
    )


def test_a_function_reading_documentdb_gets_the_endpoint_and_the_secret() -> None:
    function = sam(documentdb_design())["Resources"]["Writer"]["Properties"]
    assert function["Environment"]["Variables"]["DOCS_DOCDB_ENDPOINT"] == {"Fn::GetAtt": ["Docs", "Endpoint"]}
    assert function["Environment"]["Variables"]["DOCS_DB_SECRET_ARN"] == {"Ref": "DocsSecret"}
    assert function["Policies"] == [{"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": {"Ref": "DocsSecret"}}}]


def test_a_change_stream_consumer_reads_the_named_database_and_collection() -> None:
    design = documentdb_design(collection_name="orders", starting_position="TRIM_HORIZON")
    event = sam(design)["Resources"]["Consumer"]["Properties"]["Events"]["DocsPoll"]
    assert event["Type"] == "DocumentDB"
    properties = event["Properties"]
    assert (properties["DatabaseName"], properties["CollectionName"]) == ("shop", "orders")
    assert properties["StartingPosition"] == "TRIM_HORIZON"
    assert properties["SourceAccessConfigurations"] == [{"Type": "BASIC_AUTH", "URI": {"Ref": "DocsSecret"}}]
    stack = cdk_files(design)["tierplan_stack.py"]
    assert (
        "DocumentDBEventSourceConfigProperty(database_name='shop', full_document='UpdateLookup', collection_name='orders')"
        in stack
    )
    assert "c_docs.secret.grant_read(c_consumer)" in stack


def test_a_documentdb_poll_without_a_database_is_refused_with_its_pointer() -> None:
    doc = documentdb_design().canonical()
    del doc["connections"][1]["props"]["database_name"]
    with pytest.raises(DesignInvalid) as caught:
        validate_design(doc)
    assert caught.value.problems[0].pointer == "/connections/1/props/database_name"


# -- Amazon MSK ---------------------------------------------------------------------------------------


def msk_design(**props: Any) -> Design:
    cluster = {"id": "kafka", "type": "msk_cluster", "label": "Events", "props": props}
    return vpc_design(
        [cluster, fn("producer"), fn("consumer")],
        [connect("producer", "kafka", "write"), connect("kafka", "consumer", "poll", topic="orders")],
    )


def test_a_provisioned_msk_cluster_uses_iam_access_control_and_tls() -> None:
    resources = sam(msk_design(brokers=4, broker_type="kafka.m5.large", storage_gb=500))["Resources"]
    cluster = resources["Kafka"]["Properties"]
    assert resources["Kafka"]["Type"] == "AWS::MSK::Cluster"
    assert cluster["NumberOfBrokerNodes"] == 4
    assert cluster["BrokerNodeGroupInfo"]["InstanceType"] == "kafka.m5.large"
    assert cluster["BrokerNodeGroupInfo"]["StorageInfo"] == {"EBSStorageInfo": {"VolumeSize": 500}}
    assert cluster["ClientAuthentication"] == {"Sasl": {"Iam": {"Enabled": True}}}
    assert cluster["EncryptionInfo"]["EncryptionInTransit"]["ClientBroker"] == "TLS"
    assert resources["KafkaSecurityGroupSelf"]["Properties"]["FromPort"] == 9098


def test_a_serverless_msk_cluster_is_a_serverless_cluster_resource() -> None:
    resources = sam(msk_design(mode="serverless"))["Resources"]
    assert resources["Kafka"]["Type"] == "AWS::MSK::ServerlessCluster"
    assert "AWS::MSK::Cluster" not in {r["Type"] for r in resources.values()}


def test_brokers_that_cannot_spread_evenly_are_not_exported() -> None:
    with pytest.raises(ExportError, match="cannot spread evenly over 2 availability zones"):
        sam_files(msk_design(brokers=3))


def test_a_producer_may_write_to_the_clusters_topics_only() -> None:
    function = sam(msk_design())["Resources"]["Producer"]["Properties"]
    assert function["Environment"]["Variables"]["KAFKA_KAFKA_CLUSTER_ARN"] == {"Ref": "Kafka"}
    statements = function["Policies"][0]["Statement"]
    actions = {action for statement in statements for action in statement["Action"]}
    assert actions == {
        "kafka:GetBootstrapBrokers", "kafka:DescribeClusterV2", "kafka-cluster:Connect",
        "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData",
    }  # fmt: skip
    topic = next(s for s in statements if "kafka-cluster:WriteData" in s["Action"])["Resource"]
    assert topic["Fn::Join"][1][1] == ":topic/" and topic["Fn::Join"][1][3] == "/*"


def test_a_consumer_reads_its_topic_with_iam_and_may_read_that_topic_only() -> None:
    design = msk_design()
    function = sam(design)["Resources"]["Consumer"]["Properties"]
    event = function["Events"]["KafkaPoll"]
    assert event["Type"] == "MSK"
    assert event["Properties"]["Topics"] == ["orders"] and event["Properties"]["Stream"] == {"Ref": "Kafka"}
    read = next(s for s in function["Policies"][0]["Statement"] if "kafka-cluster:ReadData" in s["Action"])
    assert read["Resource"]["Fn::Join"][1][3] == "/orders"
    stack = cdk_files(design)["tierplan_stack.py"]
    assert "event_sources.ManagedKafkaEventSource(cluster_arn=c_kafka.attr_arn, topic='orders'" in stack


# -- Amazon EFS ---------------------------------------------------------------------------------------


def efs_design(kind: str = "read_write", **props: Any) -> Design:
    files = {"id": "files", "type": "efs_file_system", "label": "Shared files", "props": props}
    return vpc_design([fn("worker"), files], [connect("worker", "files", kind)])


def test_a_file_system_gets_a_mount_target_in_each_zone_of_its_vpc() -> None:
    resources = sam(efs_design(transition_to_ia_days=7))["Resources"]
    assert resources["Files"]["Type"] == "AWS::EFS::FileSystem"
    assert resources["Files"]["Properties"]["Encrypted"] is True
    assert resources["Files"]["Properties"]["LifecyclePolicies"] == [{"TransitionToIA": "AFTER_7_DAYS"}]
    targets = [r["Properties"]["SubnetId"] for r in resources.values() if r["Type"] == "AWS::EFS::MountTarget"]
    assert targets == [{"Ref": "NetPrivateSubnet1"}, {"Ref": "NetPrivateSubnet2"}]
    ingress = resources["FilesSecurityGroup"]["Properties"]["SecurityGroupIngress"][0]
    assert ingress["FromPort"] == 2049


def test_a_connected_function_mounts_the_access_point_after_the_mount_targets_exist() -> None:
    function = sam(efs_design())["Resources"]["Worker"]
    configs = function["Properties"]["FileSystemConfigs"]
    assert configs == [{"Arn": {"Fn::GetAtt": ["FilesAccessPoint", "Arn"]}, "LocalMountPath": "/mnt/files"}]
    assert function["DependsOn"] == ["FilesMountTarget1", "FilesMountTarget2"]
    assert function["Properties"]["Environment"]["Variables"]["FILES_MOUNT_PATH"] == "/mnt/files"


def test_a_reading_function_may_mount_but_not_write() -> None:
    statement = sam(efs_design("read"))["Resources"]["Worker"]["Properties"]["Policies"][0]["Statement"][0]
    assert statement["Action"] == ["elasticfilesystem:ClientMount"]
    assert statement["Condition"] == {
        "StringEquals": {"elasticfilesystem:AccessPointArn": {"Fn::GetAtt": ["FilesAccessPoint", "Arn"]}}
    }
    stack = cdk_files(efs_design("read"))["tierplan_stack.py"]
    assert "actions=['elasticfilesystem:ClientMount'], resources=[c_files.file_system_arn]" in stack
    writing = sam(efs_design("write"))["Resources"]["Worker"]["Properties"]["Policies"][0]["Statement"][0]
    assert writing["Action"] == ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]


def test_a_function_outside_a_vpc_cannot_mount_a_file_system() -> None:
    doc = efs_design().canonical()
    doc["components"][0].pop("group")  # the function
    with pytest.raises(ExportError, match="from inside the file system's VPC"):
        sam_files(validate_design(doc))


# -- OpenSearch Serverless ----------------------------------------------------------------------------


def collection_design(**props: Any) -> Design:
    return validate_design(
        {
            "schema": "tierplan.design/v1",
            "name": "Search",
            "components": [
                {"id": "indexer", "type": "lambda_function"},
                {"id": "searcher", "type": "lambda_function"},
                {"id": "catalog", "type": "opensearch_serverless_collection", "label": "Catalog", "props": props},
            ],
            "connections": [
                {"id": "w", "source": "indexer", "target": "catalog", "kind": "write", "props": {}},
                {"id": "r", "source": "searcher", "target": "catalog", "kind": "read", "props": {}},
            ],
        }
    )


def joined(value: dict[str, Any]) -> str:
    """A Fn::Join of strings and intrinsics, with each intrinsic written as <…>."""
    return "".join(part if isinstance(part, str) else "<x>" for part in value["Fn::Join"][1])


def test_a_collection_is_created_under_its_encryption_and_network_policies() -> None:
    resources = sam(collection_design(collection_type="vector_search", redundancy=False))["Resources"]
    collection = resources["Catalog"]
    assert collection["Type"] == "AWS::OpenSearchServerless::Collection"
    assert collection["Properties"]["Type"] == "VECTORSEARCH"
    assert collection["Properties"]["StandbyReplicas"] == "DISABLED"
    assert collection["DependsOn"] == ["CatalogEncryptionPolicy", "CatalogNetworkPolicy"]
    encryption = resources["CatalogEncryptionPolicy"]["Properties"]
    assert encryption["Type"] == "encryption"
    assert joined(encryption["Policy"]) == (
        '{"Rules":[{"ResourceType":"collection","Resource":["collection/catalog-<x>"]}],"AWSOwnedKey":true}'
    )


def test_each_function_gets_the_index_permissions_of_its_connection_and_api_access() -> None:
    resources = sam(collection_design())["Resources"]
    policy = joined(resources["CatalogAccessPolicy"]["Properties"]["Policy"])
    assert policy.count('"Principal":["<x>"]') == 2
    writer, reader = policy.split('"Principal"')[:2]
    assert "aoss:WriteDocument" in writer and "aoss:WriteDocument" not in reader.split("}],")[1]
    reading = resources["Searcher"]["Properties"]
    assert reading["Policies"][0]["Statement"][0]["Action"] == "aoss:APIAccessAll"
    assert reading["Environment"]["Variables"]["CATALOG_COLLECTION_ENDPOINT"] == {
        "Fn::GetAtt": ["Catalog", "CollectionEndpoint"]
    }
    stack = cdk_files(collection_design())["tierplan_stack.py"]
    assert "c_indexer.role.role_arn" in stack and "aoss.CfnAccessPolicy(" in stack


def test_a_hostile_collection_label_stays_escaped() -> None:
    hostile = "${AWS::AccountId} {{resolve:ssm:/a}}"
    doc = collection_design().canonical()
    doc["components"][2]["label"] = hostile
    template = sam_files(validate_design(doc))["template.yaml"]
    assert yaml.safe_load(template)["Resources"]["Catalog"]["Properties"]["Description"] == cfn_text(hostile)
