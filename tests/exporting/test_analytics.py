"""Data, search and analytics parts in SAM and CDK: SES receiving."""

from __future__ import annotations

from typing import Any

from apps.designs.document import validate_design
from apps.exporting.cdk import stack_module
from apps.exporting.plan import Plan
from apps.exporting.sam import sam_template

RULE_SET_ARN = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:receipt-rule-set/"


def export(
    components: list[dict[str, Any]], connections: list[tuple[str, str, str, dict[str, Any]]]
) -> tuple[dict[str, Any], str]:
    doc = {
        "schema": "tierplan.design/v1",
        "name": "Analytics",
        "components": components,
        "connections": [
            {"id": f"c{i}", "source": s, "target": t, "kind": k, "props": p}
            for i, (s, t, k, p) in enumerate(connections)
        ],
    }
    plan = Plan(validate_design(doc))
    return sam_template(plan), stack_module(plan)


def c(id: str, type: str, **props: Any) -> dict[str, Any]:
    return {"id": id, "type": type, "props": props}


INBOX = (
    [c("mail", "ses_identity", identity="example.com"), c("inbox", "s3_bucket"), c("parser", "lambda_function")],
    [("mail", "inbox", "receive", {"object_key_prefix": "inbox/"}), ("mail", "parser", "receive", {})],
)


def test_an_identity_receiving_mail_stores_it_then_invokes_its_function_through_one_rule() -> None:
    sam, _ = export(*INBOX)
    resources = sam["Resources"]
    assert resources["MailReceiptRuleSet"]["Type"] == "AWS::SES::ReceiptRuleSet"
    rule = resources["MailReceiptRule"]
    assert rule["Type"] == "AWS::SES::ReceiptRule"
    assert rule["Properties"]["RuleSetName"] == {"Ref": "MailReceiptRuleSet"}
    assert rule["Properties"]["Rule"] == {
        "Enabled": True,
        "ScanEnabled": True,
        "TlsPolicy": "Optional",
        "Recipients": ["example.com"],
        "Actions": [
            {"S3Action": {"BucketName": {"Ref": "Inbox"}, "ObjectKeyPrefix": "inbox/"}},
            {"LambdaAction": {"FunctionArn": {"Fn::GetAtt": ["Parser", "Arn"]}, "InvocationType": "Event"}},
        ],
    }
    # SES checks its permissions when the rule is created: the rule comes after both.
    assert rule["DependsOn"] == ["InboxPolicy", "MailReceiveToParserPermission"]
    permission = resources["MailReceiveToParserPermission"]["Properties"]
    assert permission["Principal"] == "ses.amazonaws.com"
    assert permission["SourceAccount"] == {"Ref": "AWS::AccountId"}
    assert permission["SourceArn"] == {"Fn::Sub": RULE_SET_ARN + "${MailReceiptRuleSet}:receipt-rule/*"}
    assert sam["Outputs"]["MailReceiptRuleSetName"]["Value"] == {"Ref": "MailReceiptRuleSet"}


def test_ses_may_put_objects_under_the_prefix_of_the_bucket_it_stores_mail_in_and_nothing_else() -> None:
    sam, cdk = export(*INBOX)
    statement = next(
        s
        for s in sam["Resources"]["InboxPolicy"]["Properties"]["PolicyDocument"]["Statement"]
        if s["Sid"] == "SesReceiveMail"
    )
    assert statement["Principal"] == {"Service": "ses.amazonaws.com"}
    assert statement["Action"] == "s3:PutObject"
    assert statement["Resource"] == {"Fn::Sub": "${Inbox.Arn}/inbox/*"}
    assert statement["Condition"]["ArnLike"] == {
        "AWS:SourceArn": {"Fn::Sub": RULE_SET_ARN + "${MailReceiptRuleSet}:receipt-rule/*"}
    }
    assert "c_inbox.add_to_resource_policy(iam.PolicyStatement(sid='SesReceiveMail'" in cdk
    assert "resources=[c_inbox.arn_for_objects('inbox/*')]" in cdk
    assert "c_mail_receipt_rule.node.add_dependency(c_inbox.policy)" in cdk
    assert "c_mail_receipt_rule.node.add_dependency(c_mail_receive_c_parser)" in cdk


def test_an_address_identity_receives_its_own_mail_only() -> None:
    sam, _ = export(
        [c("mail", "ses_identity", identity="orders@example.com"), c("parser", "lambda_function")],
        [("mail", "parser", "receive", {})],
    )
    assert sam["Resources"]["MailReceiptRule"]["Properties"]["Rule"]["Recipients"] == ["orders@example.com"]


def test_an_identity_that_receives_nothing_has_no_rule_set() -> None:
    sam, cdk = export([c("mail", "ses_identity", identity="example.com")], [])
    assert "MailReceiptRuleSet" not in sam["Resources"]
    assert "CfnReceiptRuleSet" not in cdk
