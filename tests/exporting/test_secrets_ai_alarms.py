"""Secrets, parameters, alarms and Bedrock models: the resources, the wiring of connected functions, and
what the export refuses. The generated tests lint, transform and synthesize them; these check content."""

from __future__ import annotations

from typing import Any

import pytest

from apps.designs.document import validate_design
from apps.exporting.cdk import stack_module
from apps.exporting.plan import ExportError, Plan
from apps.exporting.sam import sam_template

NOVA_LITE = "amazon.nova-lite-v1:0"


def export(components: list[dict[str, Any]], connections: list[dict[str, Any]]) -> tuple[dict[str, Any], str]:
    doc = {
        "schema": "tierplan.design/v1",
        "name": "Ops and AI",
        "components": components,
        "connections": [{"id": f"c{index}", **c} for index, c in enumerate(connections)],
    }
    plan = Plan(validate_design(doc))
    return sam_template(plan), stack_module(plan)


def comp(id: str, type: str, label: str = "", **props: Any) -> dict[str, Any]:
    return {"id": id, "type": type, "label": label, "props": props}


def link(source: str, target: str, kind: str, **props: Any) -> dict[str, Any]:
    return {"source": source, "target": target, "kind": kind, "props": props}


def test_a_secret_is_generated_from_its_template_and_never_holds_a_literal_value() -> None:
    sam, cdk = export(
        [comp("key", "secrets_manager_secret", secret_template='{"username": "app"}', generate_key="password")],
        [],
    )
    secret = sam["Resources"]["Key"]
    assert secret["Type"] == "AWS::SecretsManager::Secret"
    assert "SecretString" not in secret["Properties"]
    assert secret["Properties"]["GenerateSecretString"] == {
        "PasswordLength": 32,
        "ExcludePunctuation": False,
        "SecretStringTemplate": '{"username":"app"}',
        "GenerateStringKey": "password",
    }
    assert 'secret_string_template=\'{"username":"app"}\'' in cdk
    assert "secret_string_value" not in cdk


def test_a_function_that_reads_a_secret_gets_its_arn_and_may_only_get_its_value() -> None:
    sam, cdk = export(
        [comp("fn", "lambda_function"), comp("key", "secrets_manager_secret")], [link("fn", "key", "read")]
    )
    function = sam["Resources"]["Fn"]["Properties"]
    assert function["Environment"]["Variables"]["KEY_SECRET_ARN"] == {"Ref": "Key"}
    assert function["Policies"] == [{"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": {"Ref": "Key"}}}]
    assert "c_fn.add_environment('KEY_SECRET_ARN', c_key.secret_arn)" in cdk
    assert "c_key.grant_read(c_fn)" in cdk


def test_a_rotation_function_is_scheduled_allowed_to_be_invoked_and_to_rotate_only_its_secret() -> None:
    sam, cdk = export(
        [comp("rotator", "lambda_function"), comp("key", "secrets_manager_secret", rotation_days=7)],
        [link("key", "rotator", "rotate")],
    )
    resources = sam["Resources"]
    schedule = resources["KeyRotation"]
    assert schedule["Type"] == "AWS::SecretsManager::RotationSchedule"
    assert schedule["Properties"]["RotationRules"] == {"AutomaticallyAfterDays": 7}
    assert schedule["Properties"]["RotationLambdaARN"] == {"Fn::GetAtt": ["Rotator", "Arn"]}
    permission = resources["KeyRotationPermission"]["Properties"]
    assert (permission["Principal"], permission["SourceArn"]) == ("secretsmanager.amazonaws.com", {"Ref": "Key"})
    statements = resources["KeyRotationPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statements[0]["Resource"] == {"Ref": "Key"}
    assert "secretsmanager:PutSecretValue" in statements[0]["Action"]
    assert resources["KeyRotationPolicy"]["Properties"]["Roles"] == [{"Ref": "RotatorRole"}]
    assert (
        "c_key.add_rotation_schedule('KeyRotation', rotation_lambda=c_rotator, automatically_after=Duration.days(7))"
        in cdk
    )


def test_a_secret_takes_one_rotation_function() -> None:
    with pytest.raises(ExportError, match="one rotation function"):
        export(
            [comp("a", "lambda_function"), comp("b", "lambda_function"), comp("key", "secrets_manager_secret")],
            [link("key", "a", "rotate"), link("key", "b", "rotate")],
        )


def test_a_secret_template_must_be_a_json_object() -> None:
    from apps.designs.document import DesignInvalid

    with pytest.raises(DesignInvalid, match="/components/0/props/secret_template: must be a JSON object"):
        export([comp("key", "secrets_manager_secret", secret_template="[1, 2]")], [])


def test_a_parameter_is_written_with_its_tier_and_a_reader_gets_its_name_and_read_access() -> None:
    sam, cdk = export(
        [comp("fn", "lambda_function"), comp("flags", "ssm_parameter", value="a,b", parameter_type="StringList")],
        [link("fn", "flags", "read")],
    )
    parameter = sam["Resources"]["Flags"]
    assert parameter["Type"] == "AWS::SSM::Parameter"
    assert parameter["Properties"] | {"Tags": None} == {
        "Type": "StringList",
        "Value": "a,b",
        "Tier": "Standard",
        "Tags": None,
    }
    function = sam["Resources"]["Fn"]["Properties"]
    assert function["Environment"]["Variables"]["FLAGS_PARAMETER_NAME"] == {"Ref": "Flags"}
    assert function["Policies"] == [{"SSMParameterReadPolicy": {"ParameterName": {"Ref": "Flags"}}}]
    assert "ssm.StringListParameter(self, 'Flags', string_list_value=['a', 'b']" in cdk
    assert "c_flags.grant_read(c_fn)" in cdk


def test_securestring_is_refused_by_validation_since_cloudformation_cannot_create_it() -> None:
    from apps.designs.document import DesignInvalid

    with pytest.raises(DesignInvalid, match="/components/0/props/parameter_type"):
        export([comp("p", "ssm_parameter", parameter_type="SecureString")], [])


def test_a_parameter_value_is_printable_ascii_of_at_most_4_kb_so_it_fits_either_tier() -> None:
    from apps.designs.document import DesignInvalid

    for value in ("x" * 4097, "Ünïcödé", "line\nbreak"):
        with pytest.raises(DesignInvalid, match="/components/0/props/value"):
            export([comp("p", "ssm_parameter", value=value)], [])
    sam, _ = export([comp("p", "ssm_parameter", value="x" * 4096, tier="Advanced")], [])
    assert sam["Resources"]["P"]["Properties"]["Tier"] == "Advanced"


def test_an_alarm_watches_the_metric_of_the_connected_function_and_notifies_the_topic() -> None:
    sam, cdk = export(
        [
            comp("fn", "lambda_function"),
            comp("errors", "cloudwatch_alarm", threshold=5, period_s=300),
            comp("ops", "sns_topic"),
        ],
        [link("fn", "errors", "metric", metric="Throttles"), link("errors", "ops", "notify", on_ok=True)],
    )
    alarm = sam["Resources"]["Errors"]["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", "Throttles")
    assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": "Fn"}}]
    assert (alarm["Threshold"], alarm["Period"], alarm["Statistic"]) == (5, 300, "Sum")
    assert alarm["AlarmActions"] == alarm["OKActions"] == [{"Ref": "Ops"}]
    assert "dimensions_map={'FunctionName': c_fn.function_name}" in cdk
    assert "c_errors.add_alarm_action(cloudwatch_actions.SnsAction(c_ops))" in cdk
    assert "c_errors.add_ok_action(cloudwatch_actions.SnsAction(c_ops))" in cdk


def test_an_alarm_takes_the_usual_failure_metric_of_a_queue_when_none_is_named() -> None:
    sam, _ = export([comp("jobs", "sqs_queue"), comp("late", "cloudwatch_alarm")], [link("jobs", "late", "metric")])
    alarm = sam["Resources"]["Late"]["Properties"]
    assert alarm["MetricName"] == "ApproximateAgeOfOldestMessage"
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": ["Jobs", "QueueName"]}}]


def test_an_alarm_on_several_components_watches_their_sum_through_metric_math() -> None:
    sam, cdk = export(
        [comp("a", "lambda_function"), comp("b", "lambda_function"), comp("errors", "cloudwatch_alarm")],
        [link("a", "errors", "metric"), link("b", "errors", "metric")],
    )
    metrics = sam["Resources"]["Errors"]["Properties"]["Metrics"]
    assert [m["Id"] for m in metrics] == ["m0", "m1", "watched"]
    assert metrics[-1] == {"Id": "watched", "Expression": "SUM([m0, m1])", "ReturnData": True}
    assert "cloudwatch.MathExpression(expression='SUM([m0, m1])'" in cdk


def test_an_alarm_refuses_a_metric_its_component_does_not_publish() -> None:
    with pytest.raises(ExportError, match="sqs_queue publishes"):
        export(
            [comp("jobs", "sqs_queue"), comp("x", "cloudwatch_alarm")], [link("jobs", "x", "metric", metric="Errors")]
        )


def test_an_alarm_evaluates_at_most_one_day() -> None:
    with pytest.raises(ExportError, match="at most one day"):
        export([comp("x", "cloudwatch_alarm", period_s=3600, evaluation_periods=25)], [])


def test_an_unconnected_alarm_watches_the_applications_custom_metric() -> None:
    sam, _ = export([comp("x", "cloudwatch_alarm", namespace="Shop/Orders", metric_name="PaymentsFailed")], [])
    alarm = sam["Resources"]["X"]["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"]) == ("Shop/Orders", "PaymentsFailed")
    assert "Dimensions" not in alarm


def test_a_bedrock_model_deploys_nothing_and_lets_its_caller_invoke_only_that_model() -> None:
    sam, cdk = export(
        [comp("fn", "lambda_function"), comp("model", "bedrock_model", model_id=NOVA_LITE, streaming=True)],
        [link("fn", "model", "call")],
    )
    assert "Model" not in sam["Resources"]
    function = sam["Resources"]["Fn"]["Properties"]
    assert function["Environment"]["Variables"]["MODEL_MODEL_ID"] == NOVA_LITE
    assert function["Policies"] == [
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                    "Resource": {
                        "Fn::Sub": f"arn:${{AWS::Partition}}:bedrock:${{AWS::Region}}::foundation-model/{NOVA_LITE}"
                    },
                }
            ]
        }
    ]
    assert f"c_fn.add_environment('MODEL_MODEL_ID', {NOVA_LITE!r})" in cdk
    assert "resource='foundation-model', resource_name='amazon.nova-lite-v1:0'" in cdk
    assert "c_model =" not in cdk


def test_a_function_in_a_vpc_without_nat_reaches_bedrock_through_an_endpoint() -> None:
    doc = {
        "schema": "tierplan.design/v1",
        "name": "Private AI",
        "groups": [{"id": "net", "kind": "vpc"}],
        "components": [
            {"id": "fn", "type": "lambda_function", "group": "net"},
            {"id": "model", "type": "bedrock_model"},
        ],
        "connections": [{"id": "c", "source": "fn", "target": "model", "kind": "call"}],
    }
    plan = Plan(validate_design(doc))
    assert ("bedrock-runtime", "Interface") in plan.vpc_endpoints(plan.vpcs()[0])
    assert "NetBedrockRuntimeEndpoint" in sam_template(plan)["Resources"]
    assert "InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME" in stack_module(plan)


def test_hostile_labels_and_descriptions_stay_escaped_in_the_new_resources() -> None:
    hostile = "x {{resolve:ssm:/a}} ${AWS::AccountId}"
    sam, cdk = export(
        [
            comp("key", "secrets_manager_secret", hostile),
            comp("flags", "ssm_parameter", hostile),
            comp("alarm", "cloudwatch_alarm", hostile),
        ],
        [],
    )
    text = repr(sam) + cdk
    assert "{{resolve" not in text and "${AWS::AccountId}" not in text
    assert sam["Resources"]["Key"]["Properties"]["Description"] == "x {\uff5bresolve:ssm:/a}} $\uff5bAWS::AccountId}"


@pytest.mark.parametrize(
    ("service", "props", "variable", "value", "actions"),
    [
        ("rekognition", {"operation": "DetectText", "min_confidence": 90}, "MIN_CONFIDENCE", "90", ["rekognition:DetectText"]),
        ("comprehend", {"operation": "DetectPiiEntities", "language_code": "de"}, "LANGUAGE_CODE", "de", ["comprehend:DetectPiiEntities"]),
        ("translate", {"target_language": "fr"}, "TARGET_LANGUAGE", "fr", ["translate:TranslateText", "comprehend:DetectDominantLanguage"]),
        ("translate", {"source_language": "en", "target_language": "ja"}, "TARGET_LANGUAGE", "ja", ["translate:TranslateText"]),
        ("textract", {"features": "tables_forms"}, "FEATURE_TYPES", "TABLES,FORMS", ["textract:AnalyzeDocument"]),
        ("textract", {}, "FEATURE_TYPES", "DetectDocumentText", ["textract:DetectDocumentText"]),
    ],
)  # fmt: skip
def test_a_called_ai_service_gives_its_setting_and_the_one_action_the_function_calls(
    service: str, props: dict[str, Any], variable: str, value: str, actions: list[str]
) -> None:
    sam, cdk = export([comp("fn", "lambda_function"), comp("ai", service, **props)], [link("fn", "ai", "call")])
    assert "Ai" not in sam["Resources"]
    function = sam["Resources"]["Fn"]["Properties"]
    assert function["Environment"]["Variables"][f"AI_{variable}"] == value
    assert function["Policies"] == [{"Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}]
    assert f"c_fn.add_environment('AI_{variable}', {value!r})" in cdk
    assert f"iam.Grant.add_to_principal(grantee=c_fn, actions={actions!r}, resource_arns=['*'])" in cdk


def test_a_state_machine_invokes_a_bedrock_model_through_the_optimized_integration() -> None:
    sam, cdk = export(
        [comp("flow", "step_functions"), comp("model", "bedrock_model", model_id=NOVA_LITE)],
        [link("flow", "model", "call")],
    )
    machine = sam["Resources"]["Flow"]["Properties"]
    state = machine["Definition"]["States"]["CallModel"]
    assert state["Resource"] == "arn:aws:states:::bedrock:invokeModel"
    assert state["Parameters"] == {"ModelId": NOVA_LITE, "Body.$": "$"}
    assert "DefinitionSubstitutions" not in machine
    assert machine["Policies"][0]["Statement"][0]["Action"] == ["bedrock:InvokeModel"]
    assert "iam.Grant.add_to_principal(grantee=c_flow, actions=['bedrock:InvokeModel']" in cdk
