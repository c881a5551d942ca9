"""Templates to designs: catalog types, props, connections, groups, layout and the report."""

from __future__ import annotations

import json

import yaml

from apps.designs.catalog import CATALOG_FILE, get_catalog, parse_catalog
from apps.designs.document import validate_design
from apps.importing.engine import component_id, import_template
from apps.importing.loader import load_template
from tests.importing.helpers import FIXTURES, component, generated_template, imported, links


def test_the_design_is_a_valid_document_laid_out_in_tier_lanes() -> None:
    result = imported("orders_sam.yaml")
    document = result.design.canonical()
    assert validate_design(document).canonical() == document
    assert all(c.position is not None for c in result.design.components)
    lanes = {c.tier: c.position.y for c in result.design.components}
    assert lanes["logic"] < lanes["data"]


def test_resources_become_components_of_the_catalog_types_that_name_them() -> None:
    result = imported("orders_sam.yaml")
    types = {c.id: c.type for c in result.design.components}
    assert types["orders_api"] == "api_gateway_rest"
    assert types["create_order_function"] == "lambda_function"
    assert types["orders_table"] == "dynamodb_table"
    assert types["order_created_topic"] == "sns_topic"
    assert types["fulfilment_queue"] == "sqs_queue"
    assert types["export_settings"] == "ssm_parameter"


def test_props_come_from_the_properties_with_globals_applied() -> None:
    result = imported("orders_sam.yaml")
    create = component(result, "create_order_function").props
    assert create == {
        "runtime": "python3.12", "memory_mb": 512, "timeout_s": 15, "architecture": "arm64", "tracing": True,
        "logging": False,  # no LoggingConfig: Lambda's own log group, not one the export would add
    }  # fmt: skip
    fulfilment = component(result, "fulfilment_function").props
    assert fulfilment["timeout_s"] == 60 and fulfilment["reserved_concurrency"] == 5
    assert component(result, "orders_table").props == {
        "capacity_mode": "on_demand", "partition_key": "orderId", "point_in_time_recovery": False,
    }  # fmt: skip
    assert component(result, "fulfilment_queue").props == {"visibility_timeout_s": 360, "max_receive_count": 3}


def test_cloudformation_defaults_stand_where_a_property_is_left_out() -> None:
    # No BillingMode means a provisioned table to CloudFormation; no Tracing means no X-Ray.
    result = import_template(
        "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
        "      KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
        "      ProvisionedThroughput: {ReadCapacityUnits: 7, WriteCapacityUnits: 3}\n"
    )
    assert component(result, "t").props == {
        "capacity_mode": "provisioned", "rcu": 7, "wcu": 3, "partition_key": "id", "point_in_time_recovery": False,
    }  # fmt: skip


def test_a_value_tierplan_does_not_take_keeps_the_default_and_is_reported() -> None:
    result = import_template(
        "Resources:\n  F:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Runtime: cobol85, MemorySize: !Ref Memory, Handler: x, CodeUri: .}\n"
    )
    assert "runtime" not in component(result, "f").props
    notes = result.report.resources["F"].notes
    assert any(note.startswith("Runtime cobol85 is not a runtime Tierplan takes") for note in notes)
    assert "MemorySize is computed at deploy time; memory_mb keeps its default" in notes


def test_function_events_become_connections_of_the_right_kind() -> None:
    result = imported("orders_sam.yaml")
    drawn = links(result)
    assert ("orders_api", "create_order_function", "invoke") in drawn
    assert ("fulfilment_queue", "fulfilment_function", "poll") in drawn
    assert ("fulfilment_function_nightly", "fulfilment_function", "trigger") in drawn
    routes = sorted(c.props.get("route") for c in result.design.connections if c.kind == "invoke")
    assert routes == ["GET /orders/{id}", "POST /orders"]
    poll = next(c for c in result.design.connections if c.kind == "poll")
    assert poll.props == {"batch_size": 5}
    schedule = component(result, "fulfilment_function_nightly")
    assert schedule.type == "eventbridge_bus" and schedule.props == {"schedule_expression": "cron(0 3 * * ? *)"}
    assert result.report.implicit == ["fulfilment_function_nightly"]


def test_policy_templates_become_data_connections() -> None:
    drawn = links(imported("orders_sam.yaml"))
    assert ("create_order_function", "orders_table", "read_write") in drawn  # DynamoDBCrudPolicy
    assert ("create_order_function", "order_created_topic", "write") in drawn  # SNSPublishMessagePolicy


def test_subscriptions_redrive_policies_mappings_rules_and_iam_statements_become_connections() -> None:
    orders, pipeline = imported("orders_sam.yaml"), imported("pipeline_cfn.json")
    assert ("order_created_topic", "fulfilment_queue", "trigger") in links(orders)
    assert ("fulfilment_queue", "fulfilment_dead_letters", "dead_letter") in links(orders)
    assert links(pipeline) == {
        ("click_stream", "processor", "poll"),  # the event source mapping
        ("hourly_rule", "processor", "trigger"),  # the rule's target
        ("processor", "archive_bucket", "write"),  # the role's s3:PutObject statement
    }
    mapping = next(c for c in pipeline.design.connections if c.kind == "poll")
    assert mapping.props == {"batch_size": 100, "starting_position": "TRIM_HORIZON"}


def test_an_environment_variable_that_refers_to_a_resource_becomes_a_connection() -> None:
    result = imported("vpc_database.yaml")
    assert links(result) == {("report_function", "reports", "read_write")}
    assert result.report.connections[0]["from"] == "ReportFunction.Environment.DB_HOST"


def test_vpc_config_makes_a_vpc_group_holding_what_lives_in_it() -> None:
    result = imported("vpc_database.yaml")
    assert [(g.id, g.kind, g.label) for g in result.design.groups] == [("network", "vpc", "Network")]
    assert component(result, "report_function").group == "network"
    assert component(result, "reports").group == "network"
    assert component(result, "reports").props == {
        "engine": "postgres",
        "instance_class": "db.t4g.micro",
        "storage_gb": 20,
    }


def test_what_no_catalog_type_names_is_kept_verbatim_as_a_cloudformation_resource() -> None:
    result = imported("orders_sam.yaml")
    workgroup = component(result, "query_work_group")
    assert workgroup.type == "cloudformation_resource"
    assert workgroup.props["resource_type"] == "AWS::Athena::WorkGroup"
    assert workgroup.props["properties"]["WorkGroupConfiguration"]["EnforceWorkGroupConfiguration"] is True
    assert result.report.resources["QueryWorkGroup"].generic


def test_custom_resources_and_keys_map_to_their_catalog_types_with_their_provider() -> None:
    result = imported("orders_sam.yaml")
    assert component(result, "encryption_key").type == "kms_key"
    assert component(result, "legacy_hook").type == "custom_resource"
    provide = [c for c in result.design.connections if c.kind == "provide"]
    assert [(c.source, c.target) for c in provide] == [("legacy_hook", "create_order_function")]


def test_what_no_component_can_hold_is_kept_as_written_and_reported() -> None:
    # A property the resource's schema does not know (newer than cfn-lint's, or a typo): not drawn, kept.
    template = (
        b"Resources:\n  Reports:\n    Type: AWS::Athena::WorkGroup\n"
        b"    Properties:\n      Name: reports\n      BrandNewSetting: 1\n"
    )
    result = import_template(template)
    assert result.design.cloudformation.resources["Reports"]["Properties"]["BrandNewSetting"] == 1
    entry = result.report.resources["Reports"]
    assert entry.became == "kept" and "cannot hold it" in entry.notes[0]


def test_wiring_of_one_component_becomes_its_part_and_of_a_connection_its_wiring() -> None:
    vpc, orders = imported("vpc_database.yaml"), imported("orders_sam.yaml")
    assert vpc.report.resources["DbSubnets"].became == "part"
    assert "DbSubnets" in component(vpc, "reports").cloudformation.parts
    assert vpc.report.resources["AppSecurityGroup"].component == "report_function"
    policy = orders.report.resources["AllowTopicToQueue"]
    assert policy.became == "connection" and policy.connections == ["order_created_topic_to_fulfilment_queue"]


def test_every_resource_is_in_the_report_in_template_order() -> None:
    for name in ("orders_sam.yaml", "pipeline_cfn.json", "vpc_database.yaml"):
        result = imported(name)
        template = load_template((FIXTURES / name).read_bytes())
        assert list(result.report.resources) == list(template["Resources"])
        counts = result.report.counts()
        assert counts["resources"] == len(template["Resources"])
        assert (
            counts["components"] + counts["parts"] + counts["connections"] + counts["kept_not_drawn"]
            == counts["resources"]
        )


def test_the_report_as_json_names_components_connections_and_kept_sections() -> None:
    report = imported("orders_sam.yaml").report.as_dict()
    assert report["kept_sections"] == [
        "AWSTemplateFormatVersion", "Description", "Transform", "Parameters", "Mappings", "Conditions", "Outputs", "Globals",
    ]  # fmt: skip
    entry = next(r for r in report["resources"] if r["logical_id"] == "QueueFromTopic")
    assert entry == {
        "logical_id": "QueueFromTopic", "type": "AWS::SNS::Subscription", "became": "connection",
        "connections": ["order_created_topic_to_fulfilment_queue"], "notes": ["a trigger from the topic"],
    }  # fmt: skip
    assert json.dumps(report)


def test_an_event_the_catalog_cannot_draw_is_reported_not_understood() -> None:
    result = import_template(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Handler: x\n      CodeUri: .\n      Runtime: python3.12\n"
        "      Events:\n        Logs: {Type: CloudWatchLogs, Properties: {LogGroupName: x, FilterPattern: ''}}\n"
    )
    assert result.report.not_understood == [
        "F.Events.Logs: a CloudWatchLogs event is not drawn (kept with the function)"
    ]


def test_the_mapping_follows_the_catalog_so_a_new_type_maps_the_day_it_lands() -> None:
    raw = yaml.safe_load(CATALOG_FILE.read_text())
    raw["types"]["athena_workgroup_for_test"] = {
        "label": "Athena workgroup", "tier": "data", "family": next(iter(raw["families"])),
        "icon": "diagrams.aws.analytics.Athena", "description": "A workgroup (test type)",
        "cloudformation_types": ["AWS::Athena::WorkGroup"], "props": {}, "usage": {},
    }  # fmt: skip
    catalog = parse_catalog(raw)
    result = import_template((FIXTURES / "orders_sam.yaml").read_bytes(), catalog=catalog)
    assert component(result, "query_work_group").type == "athena_workgroup_for_test"


def test_component_ids_read_like_the_logical_ids() -> None:
    assert component_id("OrdersTable") == "orders_table"
    assert component_id("MyAPIFunction") == "my_api_function"
    assert component_id("S3Bucket") == "s3_bucket"
    assert component_id("rAmplifyApp") == "r_amplify_app"
    assert component_id("2ndQueue") == "r_2nd_queue"


def test_a_two_hundred_resource_template_imports_whole() -> None:
    # How fast: bench/import.py --generated 200 (speed is measured there, not here).
    result = import_template(generated_template(50))
    assert len(result.design.components) == 200 and len(result.design.connections) == 100


def test_openapi_integrations_become_routes_to_functions_and_services() -> None:
    result = imported("openapi_http.yaml")
    routes = {(c.target, c.kind, c.props.get("route")) for c in result.design.connections}
    assert routes == {
        ("items_function", "invoke", "GET /items/{id}"),
        ("orders_queue", "integrate", "POST /orders"),  # QueueUrl names the queue; the role is not a target
    }
    role = result.report.resources["GatewayRole"]
    assert role.became == "connection" and role.connections == ["gateway_to_orders_queue"]


def test_a_state_machine_gets_its_tasks_schedules_and_express_type() -> None:
    result = imported("workflow.yaml")
    assert component(result, "checkout").props == {"workflow_type": "express", "tracing": False}
    assert links(result) == {
        ("checkout_hourly", "checkout", "deliver"),  # ScheduleV2 event → a scheduler_schedule component
        ("checkout", "charge_function", "invoke"),  # LambdaInvokePolicy
        ("checkout", "ledger", "write"),  # DynamoDBWritePolicy on a SimpleTable
    }
    assert component(result, "ledger").props == {"partition_key": "entryId", "point_in_time_recovery": False}


def test_a_connection_these_two_components_cannot_have_is_left_undrawn_and_reported() -> None:
    # A REST API reaches an Application Load Balancer only through a VPC link V2 Tierplan does not write:
    # the import still succeeds, without that connection, and says so (the wiring stays as written).
    from apps.importing.engine import ImportReport, validated

    document = {
        "schema": "tierplan.design/v1",
        "name": "imported",
        "groups": [{"id": "net", "kind": "vpc"}],
        "components": [
            {"id": "api", "type": "api_gateway_rest"},
            {"id": "alb", "type": "load_balancer", "group": "net"},
            {"id": "app", "type": "ecs_service", "group": "net"},
        ],
        "connections": [
            {"id": "api_to_alb", "source": "api", "target": "alb", "kind": "integrate", "props": {}},
            {"id": "alb_to_app", "source": "alb", "target": "app", "kind": "forward", "props": {}},
        ],
    }
    report = ImportReport(connections=[{"id": "api_to_alb"}, {"id": "alb_to_app"}])
    design = validated(document, get_catalog(), report)
    assert [c.id for c in design.connections] == ["alb_to_app"]
    assert [c["id"] for c in report.connections] == ["alb_to_app"]
    assert any("api → alb (integrate) is not drawn" in note for note in report.not_understood)


def test_a_vpc_groups_props_come_from_the_templates_own_network() -> None:
    result = imported("public_alb.yaml")
    assert [(g.id, g.props) for g in result.design.groups] == [
        ("net", {"cidr": "10.40.0.0/16", "az_count": 2, "nat_gateways": 1})
    ]
    assert component(result, "balancer").group == "net"


def test_public_subnets_without_a_nat_gateway_count_one_and_say_so() -> None:
    text = (FIXTURES / "public_alb.yaml").read_text()
    without_nat = text.split("  NatAddress:")[0] + "  WebGroup:" + text.split("  WebGroup:")[1]
    result = import_template(without_nat)
    assert result.design.groups[0].props["nat_gateways"] == 1
    assert "no NAT gateway; the vpc group counts one" in " ".join(result.report.resources["Net"].notes)


def test_a_vpc_without_public_subnets_gets_no_nat_gateway() -> None:
    result = imported("vpc_database.yaml")
    assert result.design.groups[0].props == {"cidr": "10.20.0.0/16", "az_count": 2}


def test_an_internet_facing_balancer_in_subnets_the_template_is_given_makes_them_public() -> None:
    result = import_template(
        "Parameters:\n  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>'}\nResources:\n"
        "  Front:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties: {Subnets: !Ref Subnets}\n"
    )
    assert result.design.groups[0].props == {"nat_gateways": 1}
    assert "internet-facing in subnets the template gives it" in result.report.resources["Front"].notes[-1]


def test_a_property_that_refers_to_a_parameter_reads_as_its_default_and_stays_a_reference() -> None:
    result = import_template(
        "Transform: AWS::Serverless-2016-10-31\nParameters:\n  Stage: {Type: String, Default: beta}\n"
        "  Memory: {Type: Number, Default: '768'}\nResources:\n"
        "  Api:\n    Type: AWS::Serverless::Api\n    Properties: {StageName: !Ref Stage}\n"
        "  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {CodeUri: fn/, Handler: a.b, Runtime: python3.13, MemorySize: !Ref Memory}\n"
    )
    assert component(result, "api").props["stage_name"] == "beta"
    assert component(result, "fn").props["memory_mb"] == 768
    assert "MemorySize" not in component(result, "fn").cloudformation.modelled
    assert "MemorySize is the parameter Memory; memory_mb shows its default 768" in result.report.resources["Fn"].notes


def test_a_name_in_an_environment_variable_does_not_outrun_a_role_statement_written_after_it() -> None:
    role_last = (
        "Resources:\n  Bucket: {Type: AWS::S3::Bucket}\n"
        "  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.13\n      Handler: a.b\n"
        "      Code: {ZipFile: x}\n      Role: !GetAtt FnRole.Arn\n"
        "      Environment: {Variables: {BUCKET: !Ref Bucket}}\n"
        "  FnRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n"
        "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n"
        "            Statement: [{Effect: Allow, Action: s3:PutObject, Resource: !Sub '${Bucket.Arn}/*'}]\n"
    )
    assert links(import_template(role_last)) == {("fn", "bucket", "write")}


def test_a_firehose_stream_delivers_to_its_bucket_and_is_transformed_by_its_function() -> None:
    result = import_template(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Landing: {Type: AWS::S3::Bucket}\n"
        "  Shape:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: s/, Handler: a.b, Runtime: python3.13}\n"
        "  Stream:\n    Type: AWS::KinesisFirehose::DeliveryStream\n    Properties:\n"
        "      ExtendedS3DestinationConfiguration:\n        BucketARN: !GetAtt Landing.Arn\n"
        "        RoleARN: arn:aws:iam::123456789012:role/firehose\n"
        "        ProcessingConfiguration:\n          Enabled: true\n          Processors:\n"
        "            - Type: Lambda\n              Parameters: [{ParameterName: LambdaArn, ParameterValue: !GetAtt Shape.Arn}]\n"
    )
    assert links(result) == {("stream", "landing", "deliver"), ("stream", "shape", "enrich")}


def test_a_policy_naming_its_collection_by_name_is_kept_not_drawn_as_a_second_collection() -> None:
    result = import_template(
        "Resources:\n  Vectors:\n    Type: AWS::OpenSearchServerless::Collection\n"
        "    DependsOn: Keys\n    Properties: {Name: vectors, Type: VECTORSEARCH}\n"
        "  Keys:\n    Type: AWS::OpenSearchServerless::SecurityPolicy\n    Properties:\n"
        "      Name: vectors-keys\n      Type: encryption\n"
        '      Policy: \'{"Rules":[{"ResourceType":"collection","Resource":["collection/vectors"]}],'
        '"AWSOwnedKey":true}\'\n'
    )
    assert [c.type for c in result.design.components] == ["opensearch_serverless_collection", "cloudformation_resource"]
    assert result.report.resources["Keys"].generic


def test_cards_are_laid_out_along_the_connections_not_in_the_templates_order() -> None:
    template = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Stream:
    Type: AWS::Kinesis::Stream
    Properties: {ShardCount: 1}
  Producer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Policies: [{DynamoDBCrudPolicy: {TableName: !Ref Table}}]
      Events: {Post: {Type: Api, Properties: {Path: /, Method: POST}}}
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Events: {Records: {Type: Kinesis, Properties: {Stream: !GetAtt Stream.Arn, StartingPosition: LATEST}}}
  Table:
    Type: AWS::Serverless::SimpleTable
"""
    design = import_template(template).design
    x = {c.id: c.position.x for c in design.components if c.tier == "logic"}
    column = {cid: rank for rank, cid in enumerate(sorted(x, key=x.get))}
    # The API SAM makes for the event sits next to its function, the stream next to its consumer.
    assert abs(column["serverless_rest_api"] - column["producer"]) == 1
    assert abs(column["stream"] - column["consumer"]) == 1
    # The document (and so the export) keeps the template's order.
    assert [c.id for c in design.components][:4] == ["stream", "producer", "consumer", "table"]


def test_logging_the_template_left_out_stays_off_so_the_export_adds_no_log_groups() -> None:
    from apps.exporting.bundle import sam_files

    template = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Quiet:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      Events: {Get: {Type: Api, Properties: {Path: /, Method: GET}}}
  Logged:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      LoggingConfig: {LogFormat: JSON, LogGroup: !Ref Logs}
  Logs:
    Type: AWS::Logs::LogGroup
"""
    result = import_template(template)
    assert component(result, "quiet").props["logging"] is False
    assert component(result, "serverless_rest_api").props["logging"] is False  # SAM's implicit API
    assert "logging" not in component(result, "logged").props  # the template's own setting is kept
    resources = yaml.safe_load(sam_files(result.design)["template.yaml"])["Resources"]
    assert "LoggingConfig" not in resources["Quiet"]["Properties"]
    assert resources["Logged"]["Properties"]["LoggingConfig"] == {"LogFormat": "JSON", "LogGroup": {"Ref": "Logs"}}
    added = {name for name, r in resources.items() if r["Type"] in ("AWS::Logs::LogGroup", "AWS::ApiGateway::Account")}
    assert added <= {"Logs", "LoggedLogGroup"}, added
