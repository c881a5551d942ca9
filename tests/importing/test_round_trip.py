"""What an import keeps, and the SAM export writing it back: the document contract and the template."""

from __future__ import annotations

import copy
import json

import pytest

from apps.designs.document import DesignInvalid, validate_design
from apps.exporting.bundle import sam_files, template_yaml
from apps.exporting.plan import ExportError, Plan
from apps.exporting.sam import sam_template
from apps.exporting.validate import lint_errors, translate_sam
from apps.importing.engine import import_template
from apps.importing.reimport import reimport_differences
from tests.conftest import design_doc
from tests.importing.helpers import FIXTURES, component, imported


def exported(result_or_design: object) -> dict:
    design = getattr(result_or_design, "design", result_or_design)
    return sam_template(Plan(design))


def test_a_design_without_kept_cloudformation_reads_and_hashes_as_before() -> None:
    document = design_doc()
    design = validate_design(copy.deepcopy(document))
    canonical = design.canonical()
    assert "cloudformation" not in canonical
    assert all("cloudformation" not in c for c in canonical["components"])
    assert validate_design(canonical).content_hash() == design.content_hash()


def test_the_kept_blocks_survive_a_save_and_reload() -> None:
    result = imported("orders_sam.yaml")
    canonical = result.design.canonical()
    reloaded = validate_design(json.loads(json.dumps(canonical)))
    assert reloaded.canonical() == canonical
    assert reloaded.cloudformation.parameters["Stage"]["AllowedValues"] == ["dev", "prod"]
    kept = component(result, "fulfilment_function").cloudformation
    assert kept.logical_id == "FulfilmentFunction"
    assert kept.attributes == {"Condition": "IsProd"}
    assert kept.properties["CodeUri"] == "services/fulfilment/"
    assert "Timeout" in kept.modelled and "CodeUri" not in kept.modelled


def test_a_logical_id_kept_twice_is_refused_with_its_pointer() -> None:
    document = imported("orders_sam.yaml").design.canonical()
    document["cloudformation"]["resources"]["OrdersTable"] = {"Type": "AWS::SNS::Topic"}
    with pytest.raises(DesignInvalid) as caught:
        validate_design(document)
    assert caught.value.problems[0].pointer == "/cloudformation/resources/OrdersTable"
    assert "logical id 'OrdersTable' is already used at /components/" in caught.value.problems[0].message


def test_a_kept_logical_id_must_be_one_cloudformation_takes() -> None:
    document = imported("orders_sam.yaml").design.canonical()
    document["components"][0]["cloudformation"]["logical_id"] = "Orders-Api"
    with pytest.raises(DesignInvalid) as caught:
        validate_design(document)
    assert caught.value.problems[0].pointer == "/components/0/cloudformation/logical_id"


def test_the_export_keeps_logical_ids_sections_attributes_and_the_users_code() -> None:
    template = exported(imported("orders_sam.yaml"))
    assert template["Parameters"]["Stage"] == {"Type": "String", "Default": "dev", "AllowedValues": ["dev", "prod"]}
    assert template["Mappings"] == {"Sizes": {"dev": {"Memory": 256}, "prod": {"Memory": 1024}}}
    assert template["Conditions"] == {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}}
    assert template["Globals"]["Function"]["Runtime"] == "python3.12"
    assert template["Outputs"]["ApiUrl"]["Export"] == {"Name": {"Fn::Sub": "${AWS::StackName}-api-url"}}
    assert template["Description"] == "Orders service (test fixture)"
    resources = template["Resources"]
    fulfilment = resources["FulfilmentFunction"]
    assert fulfilment["Condition"] == "IsProd"
    assert fulfilment["Properties"]["CodeUri"] == "services/fulfilment/"
    assert fulfilment["Properties"]["Handler"] == "worker.handler"
    assert resources["CreateOrderFunction"]["Metadata"] == {"BuildMethod": "python3.12"}
    assert resources["OrdersTable"]["DeletionPolicy"] == "Retain"
    assert resources["LegacyHook"]["Properties"]["ServiceToken"] == {"Fn::GetAtt": ["CreateOrderFunction", "Arn"]}
    assert resources["EncryptionKey"]["Type"] == "AWS::KMS::Key"


def test_the_sam_bundle_writes_no_starter_code_for_functions_that_bring_their_own() -> None:
    design = imported("orders_sam.yaml").design
    added = copy.deepcopy(design.canonical())
    added["components"].append({"id": "new_fn", "type": "lambda_function", "label": "Drawn on the canvas"})
    files = sam_files(validate_design(added))
    functions = {c.id for c in design.components if c.type == "lambda_function"}
    assert functions and not any(name.startswith(f"src/{fn}/") for fn in functions for name in files)
    assert "src/new_fn/app.py" in files  # a function drawn after the import gets its starter
    readme = files["README.md"]
    assert all(f"`{fn}`" in readme for fn in functions) and "code of their own" in readme


def test_properties_the_design_does_not_model_come_back_as_written() -> None:
    resources = exported(imported("orders_sam.yaml"))["Resources"]
    table = resources["OrdersTable"]["Properties"]
    assert table["GlobalSecondaryIndexes"][0]["IndexName"] == "byCustomer"
    assert {a["AttributeName"] for a in table["AttributeDefinitions"]} == {"orderId", "customer"}
    # an intrinsic the design cannot hold is not replaced by the catalog's default value
    assert resources["ExportSettings"]["Properties"]["Value"] == {"Fn::If": ["IsProd", "nightly", "never"]}
    variables = resources["CreateOrderFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["TABLE_NAME"] == {"Ref": "OrdersTable"}


def test_an_edit_on_the_canvas_changes_only_what_it_touches() -> None:
    document = imported("orders_sam.yaml").design.canonical()
    index = next(i for i, c in enumerate(document["components"]) if c["id"] == "fulfilment_function")
    document["components"][index]["props"]["memory_mb"] = 2048
    document["components"][index]["props"]["timeout_s"] = 90
    properties = exported(validate_design(document))["Resources"]["FulfilmentFunction"]["Properties"]
    assert properties["MemorySize"] == 2048 and properties["Timeout"] == 90
    assert properties["CodeUri"] == "services/fulfilment/" and properties["ReservedConcurrentExecutions"] == 5


def test_a_plain_lambda_function_is_written_as_sam_with_its_own_role_and_code() -> None:
    properties = exported(imported("pipeline_cfn.json"))["Resources"]["Processor"]["Properties"]
    assert properties["Role"] == {"Fn::GetAtt": ["ProcessorRole", "Arn"]}
    assert properties["InlineCode"] == "exports.handler = async () => {};"
    assert "CodeUri" not in properties and "Policies" not in properties


def test_a_state_machine_keeps_its_definition_and_its_drawn_schedule_is_not_doubled() -> None:
    properties = exported(imported("workflow.yaml"))["Resources"]["Checkout"]["Properties"]
    assert properties["Definition"]["States"]["Charge"]["Parameters"]["FunctionName"] == "${ChargeFunctionArn}"
    assert "DefinitionUri" not in properties and "Events" not in properties


def test_a_kept_dynamic_reference_is_refused_by_the_export_like_anywhere_else() -> None:
    from apps.exporting.bundle import sam_files

    document = imported("orders_sam.yaml").design.canonical()
    document["cloudformation"]["parameters"]["Stage"]["Default"] = "{{resolve:ssm:/secret}}"
    with pytest.raises(ExportError, match="dynamic reference"):
        sam_files(validate_design(document))


# Known renames: a rule that only schedules a function is exported as the function's Schedule event, so
# SAM names the rule it makes (a gap of the write-back, counted by bench/import.py --round-trip).
RENAMED = {
    "orders_sam.yaml": set(),
    "pipeline_cfn.json": {"HourlyRule"},
    "vpc_database.yaml": set(),
    "openapi_http.yaml": set(),
    "workflow.yaml": set(),
    "public_alb.yaml": set(),
    "websocket_chat.yaml": set(),
}


@pytest.mark.parametrize("name", sorted(RENAMED))
def test_the_export_of_an_import_passes_cfn_lint_and_the_sam_translator(name: str) -> None:
    result = imported(name)
    template = exported(result)
    text = template_yaml(template)
    assert lint_errors(text) == []
    assert lint_errors(json.dumps(translate_sam(text))) == []
    regenerated = {e.logical_id for e in result.report.resources.values() if e.became == "connection"}
    kept = {lid for lid in result.report.resources if lid not in regenerated}
    assert kept - set(template["Resources"]) == RENAMED[name]


def test_a_simple_table_keeps_its_key_and_name_as_the_dynamodb_table_it_is_written_as() -> None:
    from apps.importing.engine import import_template

    result = import_template(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Readings:\n    Type: AWS::Serverless::SimpleTable\n"
        "    Description: kept where it was written\n"
        "    Properties: {TableName: readings, PrimaryKey: {Name: sensor, Type: Number}}\n"
    )
    resource = exported(result)["Resources"]["Readings"]
    assert resource["Type"] == "AWS::DynamoDB::Table"
    assert resource["Description"] == "kept where it was written"
    assert resource["Properties"]["TableName"] == "readings"
    assert resource["Properties"]["KeySchema"] == [{"AttributeName": "sensor", "KeyType": "HASH"}]
    assert resource["Properties"]["AttributeDefinitions"] == [{"AttributeName": "sensor", "AttributeType": "N"}]


def test_kept_cloudformation_that_would_run_a_macro_is_refused() -> None:
    document = imported("orders_sam.yaml").design.canonical()
    document["cloudformation"]["transform"] = ["AWS::Serverless-2016-10-31", "Shout"]
    with pytest.raises(DesignInvalid, match="runs the macro 'Shout'"):
        validate_design(document)
    document = imported("orders_sam.yaml").design.canonical()
    document["cloudformation"]["resources"]["Shouting"] = {
        "Type": "AWS::SSM::Parameter",
        "Properties": {"Type": "String", "Value": {"Fn::Transform": {"Name": "Upper"}}},
    }
    with pytest.raises(DesignInvalid, match="runs the macro 'Upper'"):
        validate_design(document)


def test_depends_on_regenerated_wiring_is_left_out_and_reported() -> None:
    from apps.importing.engine import import_template

    result = import_template(
        "Resources:\n"
        "  Topic: {Type: AWS::SNS::Topic}\n"
        "  Queue: {Type: AWS::SQS::Queue}\n"
        "  Link:\n    Type: AWS::SNS::Subscription\n"
        "    Properties: {TopicArn: !Ref Topic, Endpoint: !GetAtt Queue.Arn, Protocol: sqs}\n"
        "  Audit:\n    Type: AWS::SSM::Parameter\n    DependsOn: [Link, Queue]\n"
        "    Properties: {Type: String, Value: x}\n"
    )
    assert component(result, "audit").cloudformation.attributes == {"DependsOn": ["Queue"]}
    assert result.report.resources["Audit"].notes[-1] == (
        "DependsOn Link left out: the export regenerates that wiring under its own names"
    )
    assert exported(result)["Resources"]["Audit"]["DependsOn"] == ["Queue"]


# Known differences of a re-import (gaps of the write-back, counted by bench/import.py --round-trip): a
# rule that only schedules a function comes back as the function's Schedule event, and a function's
# ScheduleV2 event as a schedule group whose schedule is the main resource on the way back in.
REIMPORT_GAPS = {
    "pipeline_cfn.json": {
        "component hourly_rule (eventbridge_bus) is gone",
        "component processor_hourly_rule_trigger (eventbridge_bus) appears",
        "connection hourly_rule → processor (trigger): 1 → 0",
        "connection processor_hourly_rule_trigger → processor (trigger): 0 → 1",
    },
    "workflow.yaml": {
        "component checkout_hourly (scheduler_schedule) is gone",
        "component checkout_hourly_to_checkout (scheduler_schedule) appears",
        "connection checkout_hourly → checkout (deliver): 1 → 0",
        "connection checkout_hourly_to_checkout → checkout (deliver): 0 → 1",
    },
}


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".yaml", ".json")))
def test_importing_the_export_again_gives_the_same_design(name: str) -> None:
    result = imported(name)
    again = import_template(template_yaml(exported(result)), name=name)
    assert set(reimport_differences(result.design, again.design)) == REIMPORT_GAPS.get(name, set())


def test_a_reimport_difference_names_the_component_and_the_prop() -> None:
    result = imported("orders_sam.yaml")
    document = result.design.canonical()
    index = next(i for i, c in enumerate(document["components"]) if c["id"] == "orders_table")
    document["components"][index]["props"]["capacity_mode"] = "provisioned"
    document["connections"] = document["connections"][1:]
    differences = reimport_differences(result.design, validate_design(document))
    assert 'component orders_table: capacity_mode "on_demand" → "provisioned"' in differences
    first = result.design.connections[0]
    assert any(d.startswith(f"connection {first.source} → {first.target} ({first.kind})") for d in differences)


def test_props_left_at_their_default_are_the_same_as_props_written_out() -> None:
    result = imported("orders_sam.yaml")
    document = result.design.canonical()
    index = next(i for i, c in enumerate(document["components"]) if c["id"] == "fulfilment_queue")
    document["components"][index]["props"]["fifo"] = False  # the catalog's default, now written out
    assert reimport_differences(result.design, validate_design(document)) == []


def test_a_websocket_api_keeps_its_own_routes_stage_and_authorizer_without_doubles() -> None:
    result = imported("websocket_chat.yaml")
    assert result.design.connections[-1].props["route_key"] == "$connect"
    resources = exported(result)["Resources"]
    of_type = lambda kind: sorted(n for n, r in resources.items() if r["Type"] == kind)  # noqa: E731
    assert of_type("AWS::ApiGatewayV2::Route") == ["ConnectRoute"]
    assert of_type("AWS::ApiGatewayV2::Integration") == ["TalkIntegration"]
    assert of_type("AWS::ApiGatewayV2::Stage") == ["Live"]
    assert of_type("AWS::ApiGatewayV2::Authorizer") == ["Gate"]
    assert of_type("AWS::Lambda::Permission") == ["GatePermission", "TalkPermission"]


def test_a_websocket_route_drawn_since_the_import_is_still_written() -> None:
    document = imported("websocket_chat.yaml").design.canonical()
    document["connections"].append(
        {
            "id": "chat_to_talker_2",
            "source": "chat",
            "target": "talker",
            "kind": "invoke",
            "props": {"route_key": "say"},
        }
    )
    resources = exported(validate_design(document))["Resources"]
    keys = sorted(r["Properties"]["RouteKey"] for r in resources.values() if r["Type"] == "AWS::ApiGatewayV2::Route")
    assert keys == ["$connect", "say"]


def test_a_bucket_the_template_did_not_name_is_not_named_by_the_export() -> None:
    resources = exported(imported("pipeline_cfn.json"))["Resources"]
    assert "BucketName" not in resources["ArchiveBucket"]["Properties"]
    variables = resources["Processor"]["Properties"]["Environment"]["Variables"]
    assert variables["ARCHIVE_BUCKET_BUCKET_NAME"] == {"Ref": "ArchiveBucket"}


def test_a_bucket_that_notifies_a_function_keeps_the_exports_name_to_avoid_a_cycle() -> None:
    result = import_template(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Uploads: {Type: AWS::S3::Bucket}\n"
        "  Resize:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      CodeUri: r/\n      Handler: a.b\n      Runtime: python3.13\n"
        "      Policies: [{S3CrudPolicy: {BucketName: uploads-bucket}}]\n"
        "      Events: {Put: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: 's3:ObjectCreated:*'}}}\n"
    )
    assert "BucketName" in exported(result)["Resources"]["Uploads"]["Properties"]


def test_the_templates_own_bucket_policy_is_not_doubled_by_a_generated_one() -> None:
    result = import_template(
        "Resources:\n  Site: {Type: AWS::S3::Bucket}\n"
        "  SiteRules:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Site\n"
        "      PolicyDocument: {Statement: [{Effect: Deny, Principal: '*', Action: 's3:*',"
        " Resource: !Sub '${Site.Arn}/*', Condition: {Bool: {'aws:SecureTransport': false}}}]}\n"
    )
    resources = exported(result)["Resources"]
    assert sorted(n for n, r in resources.items() if r["Type"] == "AWS::S3::BucketPolicy") == ["SiteRules"]


def test_a_firehose_stream_keeps_its_own_destination_and_gets_no_second_one() -> None:
    result = import_template(
        "Resources:\n  Backup: {Type: AWS::S3::Bucket}\n"
        "  Stream:\n    Type: AWS::KinesisFirehose::DeliveryStream\n    Properties:\n"
        "      HttpEndpointDestinationConfiguration:\n"
        "        EndpointConfiguration: {Url: 'https://collector.example.com/in'}\n"
        "        S3Configuration: {BucketARN: !GetAtt Backup.Arn, RoleARN: arn:aws:iam::123456789012:role/f}\n"
    )
    properties = exported(result)["Resources"]["Stream"]["Properties"]
    assert [key for key in properties if key.endswith("DestinationConfiguration")] == [
        "HttpEndpointDestinationConfiguration"
    ]
