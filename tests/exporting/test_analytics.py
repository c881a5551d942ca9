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


SEARCH = (
    [c("docs_index", "kendra_index", edition="DEVELOPER_EDITION"), c("docs", "s3_bucket"), c("ask", "lambda_function")],
    [
        ("docs_index", "docs", "crawl", {"prefix": "documents/", "schedule": "cron(0 2 * * ? *)"}),
        ("ask", "docs_index", "read", {}),
    ],
)


def test_a_kendra_index_crawls_its_bucket_through_a_data_source_with_a_role_of_its_own() -> None:
    sam, _ = export(*SEARCH)
    resources = sam["Resources"]
    index = resources["DocsIndex"]["Properties"]
    assert resources["DocsIndex"]["Type"] == "AWS::Kendra::Index"
    assert index["Edition"] == "DEVELOPER_EDITION"
    assert index["Name"] == {"Fn::Sub": "${AWS::StackName}-DocsIndex"}
    assert index["RoleArn"] == {"Fn::GetAtt": ["DocsIndexRole", "Arn"]}
    source = resources["DocsIndexDocsDataSource"]["Properties"]
    assert source["IndexId"] == {"Fn::GetAtt": ["DocsIndex", "Id"]}
    assert source["Type"] == "S3"
    assert source["DataSourceConfiguration"] == {
        "S3Configuration": {"BucketName": {"Ref": "Docs"}, "InclusionPrefixes": ["documents/"]}
    }
    assert source["Schedule"] == "cron(0 2 * * ? *)"
    role = resources["DocsIndexDocsDataSourceRole"]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "kendra.amazonaws.com"}
    statements = role["Policies"][0]["PolicyDocument"]["Statement"]
    assert statements == [
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [{"Fn::Sub": "${Docs.Arn}/documents/*"}]},
        {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [{"Fn::GetAtt": ["Docs", "Arn"]}]},
        {
            "Effect": "Allow",
            "Action": ["kendra:BatchPutDocument", "kendra:BatchDeleteDocument"],
            "Resource": [{"Fn::GetAtt": ["DocsIndex", "Arn"]}],
        },
    ]


def test_a_function_reading_an_index_may_query_and_retrieve_from_it_only() -> None:
    sam, cdk = export(*SEARCH)
    function = sam["Resources"]["Ask"]["Properties"]
    assert function["Environment"]["Variables"]["DOCS_INDEX_KENDRA_INDEX_ID"] == {"Fn::GetAtt": ["DocsIndex", "Id"]}
    assert {"Statement": [{"Effect": "Allow", "Action": ["kendra:Query", "kendra:Retrieve"],
                           "Resource": [{"Fn::GetAtt": ["DocsIndex", "Arn"]}]}]} in function["Policies"]  # fmt: skip
    assert "c_ask.add_environment('DOCS_INDEX_KENDRA_INDEX_ID', c_docs_index.attr_id)" in cdk
    assert "actions=['kendra:Query', 'kendra:Retrieve'], resource_arns=[c_docs_index.attr_arn]" in cdk
    assert "cdk.aws_kendra.CfnDataSource(self, 'DocsIndexDocsDataSource'" in cdk
    assert "resources=[c_docs.arn_for_objects('documents/*')]" in cdk


def test_an_index_that_crawls_nothing_has_no_data_source() -> None:
    sam, _ = export([c("docs_index", "kendra_index")], [])
    assert [r["Type"] for r in sam["Resources"].values()] == ["AWS::IAM::Role", "AWS::Kendra::Index"]


LAKE = (
    [c("lake_db", "glue_database"), c("raw", "s3_bucket"), c("users_db", "dsql_cluster"), c("etl", "lambda_function")],
    [
        ("lake_db", "raw", "crawl", {"prefix": "events/", "schedule": "cron(0 1 * * ? *)"}),
        ("etl", "lake_db", "read", {}),
        ("etl", "users_db", "read_write", {}),
    ],
)


def test_a_glue_crawler_writes_the_tables_of_its_bucket_prefix_into_the_database() -> None:
    sam, cdk = export(*LAKE)
    resources = sam["Resources"]
    assert resources["LakeDb"]["Properties"]["DatabaseInput"]["Name"] == "lake_db"
    crawler = resources["LakeDbRawCrawler"]["Properties"]
    assert crawler["DatabaseName"] == {"Ref": "LakeDb"}
    assert crawler["Targets"] == {"S3Targets": [{"Path": {"Fn::Sub": "s3://${Raw}/events/"}}]}
    assert crawler["Schedule"] == {"ScheduleExpression": "cron(0 1 * * ? *)"}
    role = resources["LakeDbRawCrawlerRole"]["Properties"]
    assert role["ManagedPolicyArns"] == [
        {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSGlueServiceRole"}
    ]
    assert role["Policies"][0]["PolicyDocument"]["Statement"][0]["Resource"] == [{"Fn::Sub": "${Raw.Arn}/events/*"}]
    assert "cdk.aws_glue.CfnCrawler(self, 'LakeDbRawCrawler'" in cdk
    assert "'s3://' + c_raw.bucket_name + '/events/'" in cdk


def test_a_function_reading_a_glue_database_may_read_its_table_definitions_only() -> None:
    sam, cdk = export(*LAKE)
    function = sam["Resources"]["Etl"]["Properties"]
    assert function["Environment"]["Variables"]["LAKE_DB_GLUE_DATABASE"] == {"Ref": "LakeDb"}
    [statement] = next(p for p in function["Policies"] if "glue:GetTable" in str(p))["Statement"]
    assert "glue:CreateTable" not in statement["Action"]
    arn = "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}"
    assert statement["Resource"] == [
        {"Fn::Sub": f"{arn}:catalog"},
        {"Fn::Sub": f"{arn}:database/lake_db"},
        {"Fn::Sub": f"{arn}:table/lake_db/*"},
    ]
    assert "resource='table', resource_name='lake_db/*'" in cdk


def test_a_function_connected_to_a_dsql_cluster_gets_its_endpoint_and_may_connect() -> None:
    sam, cdk = export(*LAKE)
    cluster = sam["Resources"]["UsersDb"]
    assert cluster["Properties"]["DeletionProtectionEnabled"] is True
    assert cluster["DeletionPolicy"] == "Retain"
    function = sam["Resources"]["Etl"]["Properties"]
    assert function["Environment"]["Variables"]["USERS_DB_DSQL_ENDPOINT"] == {"Fn::GetAtt": ["UsersDb", "Endpoint"]}
    assert {"Statement": [{"Effect": "Allow", "Action": ["dsql:DbConnectAdmin"],
                           "Resource": [{"Fn::GetAtt": ["UsersDb", "ResourceArn"]}]}]} in function["Policies"]  # fmt: skip
    assert "c_etl.add_environment('USERS_DB_DSQL_ENDPOINT', c_users_db.attr_endpoint)" in cdk
    assert "c_users_db.apply_removal_policy(cdk.RemovalPolicy.RETAIN)" in cdk


def test_an_iot_thing_is_a_registry_entry_whose_name_the_stack_outputs() -> None:
    sam, cdk = export([c("sensor", "iot_thing")], [])
    assert sam["Resources"]["Sensor"] == {"Type": "AWS::IoT::Thing", "Properties": {}}
    assert sam["Outputs"]["SensorThingName"]["Value"] == {"Ref": "Sensor"}
    assert "c_sensor = cdk.aws_iot.CfnThing(self, 'Sensor')" in cdk


def test_a_batch_job_pulling_from_a_repository_runs_its_tag_and_may_pull_from_it_only() -> None:
    doc = {
        "schema": "tierplan.design/v1",
        "name": "Images",
        "groups": [{"id": "net", "kind": "vpc", "props": {}}],
        "components": [
            {"id": "images", "type": "ecr_repository", "props": {"keep_images": 10}},
            {"id": "crunch", "type": "batch_job_queue", "group": "net", "props": {}},
            {"id": "web", "type": "ecs_service", "group": "net", "props": {}},
        ],
        "connections": [
            {"id": "c1", "source": "crunch", "target": "images", "kind": "pull", "props": {"tag": "v1.2.3"}},
        ],
    }
    plan = Plan(validate_design(doc))
    sam, cdk = sam_template(plan), stack_module(plan)
    resources = sam["Resources"]
    repository = resources["Images"]
    assert repository["Type"] == "AWS::ECR::Repository" and repository["DeletionPolicy"] == "Retain"
    assert '"countNumber": 10' in repository["Properties"]["LifecyclePolicy"]["LifecyclePolicyText"]
    job = next(r for r in resources.values() if r["Type"] == "AWS::Batch::JobDefinition")
    assert job["Properties"]["ContainerProperties"]["Image"] == {
        "Fn::Join": [":", [{"Fn::GetAtt": ["Images", "RepositoryUri"]}, "v1.2.3"]]
    }
    statements = resources["CrunchExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert statements[1:] == [
        {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
            "Resource": {"Fn::GetAtt": ["Images", "Arn"]},
        },
    ]
    # The service that pulls from nothing keeps its registry image and a log-only execution role.
    assert len(resources["WebExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]) == 1
    assert "image=ecs.ContainerImage.from_ecr_repository(c_images, 'v1.2.3')" in cdk
    assert "ecs.ContainerImage.from_registry('public.ecr.aws/nginx/nginx:stable')" in cdk


def test_the_export_readmes_ask_to_activate_the_receipt_rule_set_and_only_when_mail_is_received() -> None:
    from apps.exporting.bundle import cdk_files, sam_files

    receiving = validate_design(
        {
            "schema": "tierplan.design/v1",
            "name": "Inbox",
            "components": INBOX[0],
            "connections": [
                {"id": f"c{i}", "source": s, "target": t, "kind": k, "props": p}
                for i, (s, t, k, p) in enumerate(INBOX[1])
            ],
        }
    )
    for files in (sam_files(receiving), cdk_files(receiving)):
        assert "aws ses set-active-receipt-rule-set" in files["README.md"]
    sending = validate_design(
        {"schema": "tierplan.design/v1", "name": "Out", "components": [c("mail", "ses_identity")]}
    )
    assert "set-active-receipt-rule-set" not in sam_files(sending)["README.md"]
