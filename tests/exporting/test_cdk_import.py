"""The CDK export of an imported design writes back what the import kept, like the SAM export does.

Every hand-written fixture of the import tests is imported, exported as a CDK app and synthesized (all
in one process, with a design of hostile strings), and the synthesized template keeps the template's
sections and logical ids and passes cfn-lint.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from apps.designs.document import Design, validate_design
from apps.exporting.bundle import cdk_files
from apps.exporting.cdk_kept_properties import WRITTEN_AS
from apps.exporting.plan import ExportError
from apps.exporting.validate import lint_errors
from apps.importing.engine import import_template
from apps.importing.loader import load_template
from tests.exporting.conftest import synthesize_all
from tests.importing.helpers import FIXTURES, imported

FIXTURE_NAMES = sorted(path.name for path in FIXTURES.iterdir())
# What the SAM round trip also renames (tests/importing/test_round_trip.py): a rule that only schedules
# a function is written with the function's wiring, under a name of its own.
RENAMED = {"pipeline_cfn.json": {"HourlyRule"}}

# Strings that end Python literals and docstrings, or would be code if pasted unquoted.
BREAKERS = "''' \"\"\" \\ \\n ); import os; os.system('echo owned') #"
HOSTILE_TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Description: 'closing \"\"\" and '''''' and a backslash \\ end'
Parameters:
  Greeting:
    Type: String
    Default: x
    Description: "a \\"\\"\\"docstring\\"\\"\\" breaker\\n# not a comment\\n    ); import os #"
    NoEcho: "true"
    MinLength: "1"
    AllowedValues: [x, "''' \\"\\"\\" \\\\ end"]
Mappings:
  Texts:
    en: {Hello: "\\"\\"\\"); import os; os.system('echo owned') #"}
Conditions:
  Loud: !Not [!Equals [!Ref Greeting, "'''"]]
  Quiet: !Not [!Condition Loud]
Rules:
  OnlyKnown:
    RuleCondition: !Equals [!Ref "AWS::Region", us-east-1]
    Assertions:
      - Assert: {"Fn::Contains": [[x, "'''"], !Ref Greeting]}
        AssertDescription: "\\"\\"\\" is not a greeting"
Resources:
  Notes:
    Type: AWS::SSM::Parameter
    Condition: Loud
    DeletionPolicy: Retain
    Properties:
      Type: String
      Value: !Sub "${Greeting} ''' \\"\\"\\" ${AWS::Region}"
Outputs:
  Said:
    Description: "\\"\\"\\" '''"
    Value: !FindInMap [Texts, en, Hello]
    Condition: Quiet
"""


# A REST API whose only route is an integration with a service the design draws nothing for.
OPENAPI_ONLY_TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Gateway:
    Type: AWS::Serverless::Api
    Properties:
      StageName: live
      DefinitionBody:
        openapi: "3.0.1"
        info: {title: inbox, version: "1"}
        paths:
          /sentiment:
            post:
              x-amazon-apigateway-integration:
                type: aws
                httpMethod: POST
                uri: !Sub "arn:aws:apigateway:${AWS::Region}:comprehend:action/DetectSentiment"
                responses: {default: {statusCode: "200"}}
"""


def hostile_design() -> Design:
    """An imported design whose kept strings end Python literals, with a SAM layer kept as written."""
    document = import_template(HOSTILE_TEMPLATE, name="hostile.yaml").design.canonical()
    document["cloudformation"]["globals"] = {"LayerVersion": {"CompatibleRuntimes": ["python3.12"]}}
    document["cloudformation"].setdefault("resources", {})["Shared"] = {
        "Type": "AWS::Serverless::LayerVersion",
        "DependsOn": "Notes",
        "Condition": "Loud",
        "Properties": {"ContentUri": "s3://bucket/layer.zip", "Description": BREAKERS},
    }
    return validate_design(document)


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The synthesized template of each fixture's CDK app and of the hostile design's, in one synth run."""
    designs = {name: imported(name).design for name in FIXTURE_NAMES}
    designs["hostile"] = hostile_design()
    designs["openapi-only"] = import_template(OPENAPI_ONLY_TEMPLATE, name="openapi-only.yaml").design
    templates = synthesize_all(designs, tmp_path_factory)
    assert all(len(found) == 1 for found in templates.values())
    return {name: found[0] for name, found in templates.items()}


def same_kind(source_type: str, written_type: str) -> bool:
    """The synthesized type stands for the template's: the same, CDK's for a SAM type, or a custom resource."""
    custom = ("Custom::", "AWS::CloudFormation::CustomResource")
    both_custom = source_type.startswith(custom) and written_type.startswith(custom)
    return written_type == WRITTEN_AS.get(source_type, source_type) or both_custom


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_the_cdk_app_of_an_import_keeps_the_templates_sections_and_logical_ids(
    name: str, synthesized: dict[str, dict[str, Any]]
) -> None:
    source = load_template((FIXTURES / name).read_bytes())
    template = synthesized[name]
    for section in ("Parameters", "Mappings", "Conditions", "Outputs"):
        assert set(source.get(section, {})) <= set(template.get(section, {})), section
    result = imported(name)
    regenerated = {e.logical_id for e in result.report.resources.values() if e.became == "connection"}
    resources = template["Resources"]
    expected = {lid: r["Type"] for lid, r in source["Resources"].items() if lid not in regenerated}
    assert set(expected) - set(resources) == RENAMED.get(name, set())
    changed = {lid: resources[lid]["Type"] for lid, t in expected.items() if lid in resources}
    assert {lid for lid, t in changed.items() if not same_kind(expected[lid], t)} == set()


@pytest.mark.parametrize("name", [*FIXTURE_NAMES, "hostile", "openapi-only"])
def test_the_synthesized_template_of_an_import_passes_cfn_lint(
    name: str, synthesized: dict[str, dict[str, Any]]
) -> None:
    assert lint_errors(json.dumps(synthesized[name])) == []


def test_kept_attributes_and_properties_reach_the_components_resources(
    synthesized: dict[str, dict[str, Any]],
) -> None:
    template = synthesized["orders_sam.yaml"]
    resources = template["Resources"]
    assert template["Parameters"]["Stage"] == {"Type": "String", "Default": "dev", "AllowedValues": ["dev", "prod"]}
    assert template["Conditions"]["IsProd"] == {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}
    assert template["Outputs"]["ApiUrl"]["Export"] == {"Name": {"Fn::Sub": "${AWS::StackName}-api-url"}}
    assert template["Description"] == "Orders service (test fixture)"
    table = resources["OrdersTable"]
    assert table["DeletionPolicy"] == "Retain"
    assert table["Properties"]["GlobalSecondaryIndexes"][0]["IndexName"] == "byCustomer"
    # the function and the role CDK makes for it exist only where the template's condition holds
    fulfilment = resources["FulfilmentFunction"]
    assert fulfilment["Condition"] == "IsProd"
    assert resources[fulfilment["Properties"]["Role"]["Fn::GetAtt"][0]]["Condition"] == "IsProd"
    assert template["Outputs"]["FulfilmentFunctionName"]["Condition"] == "IsProd"
    create = resources["CreateOrderFunction"]
    assert create["Metadata"]["BuildMethod"] == "python3.12"
    assert create["Properties"]["Environment"]["Variables"]["TABLE_NAME"] == {"Ref": "OrdersTable"}
    assert resources["ExportSettings"]["Properties"]["Value"] == {"Fn::If": ["IsProd", "nightly", "never"]}
    assert resources["AllowTopicToQueue"]["Properties"]["Queues"] == [{"Ref": "FulfilmentQueue"}]
    assert "Transform" not in template  # nothing SAM's is written as it was


def test_a_state_machine_keeps_its_definition_in_place_of_cdks(synthesized: dict[str, dict[str, Any]]) -> None:
    properties = synthesized["workflow.yaml"]["Resources"]["Checkout"]["Properties"]
    assert properties["Definition"]["States"]["Charge"]["Parameters"]["FunctionName"] == "${ChargeFunctionArn}"
    assert properties["DefinitionSubstitutions"]["LedgerTable"] == {"Ref": "Ledger"}
    assert "DefinitionString" not in properties


def test_a_plain_lambda_function_keeps_its_inline_code_and_role(synthesized: dict[str, dict[str, Any]]) -> None:
    properties = synthesized["pipeline_cfn.json"]["Resources"]["Processor"]["Properties"]
    assert properties["Code"] == {"ZipFile": "exports.handler = async () => {};"}
    assert properties["Role"] == {"Fn::GetAtt": ["ProcessorRole", "Arn"]}


def test_hostile_kept_strings_reach_the_template_as_text(synthesized: dict[str, dict[str, Any]]) -> None:
    template = synthesized["hostile"]
    source = load_template(HOSTILE_TEMPLATE)
    assert template["Description"] == source["Description"]
    assert template["Parameters"]["Greeting"] == {**source["Parameters"]["Greeting"], "NoEcho": True, "MinLength": 1}
    assert template["Mappings"]["Texts"] == source["Mappings"]["Texts"]
    assert template["Conditions"]["Quiet"] == {"Fn::Not": [{"Condition": "Loud"}]}
    assert template["Rules"]["OnlyKnown"] == source["Rules"]["OnlyKnown"]
    assert template["Outputs"]["Said"]["Description"] == source["Outputs"]["Said"]["Description"]
    assert template["Outputs"]["Said"]["Condition"] == "Quiet"
    notes = template["Resources"]["Notes"]
    assert notes["Properties"]["Value"] == source["Resources"]["Notes"]["Properties"]["Value"]
    assert notes["Condition"] == "Loud" and notes["DeletionPolicy"] == "Retain"
    assert template["Outputs"]["NotesName"]["Condition"] == "Loud"
    shared = template["Resources"]["Shared"]
    assert shared["Properties"]["Description"] == BREAKERS
    assert shared["Properties"]["CompatibleRuntimes"] == ["python3.12"]  # SAM's Globals, applied
    assert shared["DependsOn"] == ["Notes"]
    assert template["Transform"] == "AWS::Serverless-2016-10-31"  # a SAM resource kept as written


def test_a_kept_name_cloudformation_would_refuse_is_refused_with_its_section() -> None:
    document = imported("orders_sam.yaml").design.canonical()
    document["cloudformation"]["parameters"]["Stage'); import os #"] = {"Type": "String"}
    with pytest.raises(ExportError, match="parameters name .* is not a logical id"):
        cdk_files(validate_design(document))


def test_a_kept_string_cdk_would_read_as_its_token_is_refused() -> None:
    document = imported("orders_sam.yaml").design.canonical()
    document["cloudformation"]["parameters"]["Stage"]["Description"] = "${Token[AWS.AccountId.1]}"
    with pytest.raises(ExportError, match="CDK would read as one of its tokens"):
        cdk_files(validate_design(document))


def test_the_readme_says_what_the_cdk_app_could_not_write_back() -> None:
    readme = cdk_files(imported("orders_sam.yaml").design)["README.md"]
    assert "CreateOrderFunction: its code \\(CodeUri\\) is a folder of yours" in readme


def test_a_rest_api_defined_only_by_its_openapi_is_written_as_the_sam_export_writes_it(
    synthesized: dict[str, dict[str, Any]],
) -> None:
    template = synthesized["openapi-only"]
    gateway = template["Resources"]["Gateway"]
    assert gateway["Type"] == "AWS::Serverless::Api"
    assert "x-amazon-apigateway-integration" in gateway["Properties"]["DefinitionBody"]["paths"]["/sentiment"]["post"]
    assert template["Transform"] == "AWS::Serverless-2016-10-31"
