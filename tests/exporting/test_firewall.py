"""AWS WAF: the web ACL's managed rule groups and rate limit, how it joins what it protects (CloudFront by
WebACLId, REST API stages and user pools by association), and the scopes AWS refuses to mix."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from apps.core.pointers import Invalid
from apps.designs.document import validate_design
from apps.exporting.bundle import cdk_files, sam_files
from apps.exporting.validate import lint_errors, translate_sam


def protected(*targets: str, region: str = "us-east-1", **acl: Any) -> dict[str, Any]:
    components = [
        {"id": "shield", "type": "waf_web_acl", "label": "Shield <script>", "props": acl},
        {"id": "cdn", "type": "cloudfront"},
        {"id": "site", "type": "s3_bucket"},
        {"id": "api", "type": "api_gateway_rest", "props": {"stage_name": "v1"}},
        {"id": "users", "type": "cognito_user_pool"},
        {"id": "handler", "type": "lambda_function"},
    ]
    connections = [
        {"id": "o", "source": "cdn", "target": "site", "kind": "origin"},
        {"id": "i", "source": "api", "target": "handler", "kind": "invoke", "props": {"route": "GET /orders"}},
    ]
    connections += [{"id": f"p_{t}", "source": "shield", "target": t, "kind": "protect"} for t in targets]
    return {"schema": "tierplan.design/v1", "name": "Firewall", "region": region, "components": components,
            "connections": connections}  # fmt: skip


def test_a_regional_web_acl_is_associated_with_the_api_stage_and_the_user_pool() -> None:
    design = validate_design(protected("api", "users", rate_limit=300))
    text = sam_files(design)["template.yaml"]
    resources = yaml.safe_load(text)["Resources"]
    acl = resources["Shield"]["Properties"]
    assert acl["Scope"] == "REGIONAL" and acl["DefaultAction"] == {"Allow": {}}
    assert [rule["Name"] for rule in acl["Rules"]] == [
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "RateLimitPerClientIp",
    ]
    assert acl["Rules"][2]["Statement"]["RateBasedStatement"] == {"Limit": 300, "AggregateKeyType": "IP"}
    stage = resources["ShieldApiAssociation"]
    assert stage["DependsOn"] == ["ApiStage"]
    assert stage["Properties"]["ResourceArn"] == {
        "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Api}/stages/${ApiStageName}"
    }
    assert resources["ShieldUsersAssociation"]["Properties"]["ResourceArn"] == {"Fn::GetAtt": ["Users", "Arn"]}
    # The association's DependsOn names the stage the SAM transform creates; the result lints clean.
    transformed = translate_sam(text)
    assert "ApiStage" in transformed["Resources"]
    assert lint_errors(text) == []
    stack = cdk_files(design)["tierplan_stack.py"]
    assert "resource_arn=c_api.deployment_stage.stage_arn" in stack
    assert "resource_arn=c_users.user_pool_arn" in stack


def test_a_cloudfront_web_acl_is_named_by_the_distribution() -> None:
    design = validate_design(protected("cdn", default_action="block", rate_limit=0))
    resources = yaml.safe_load(sam_files(design)["template.yaml"])["Resources"]
    assert resources["Shield"]["Properties"]["Scope"] == "CLOUDFRONT"
    assert resources["Shield"]["Properties"]["DefaultAction"] == {"Block": {}}
    assert resources["Cdn"]["Properties"]["DistributionConfig"]["WebACLId"] == {"Fn::GetAtt": ["Shield", "Arn"]}
    assert not any(r["Type"] == "AWS::WAFv2::WebACLAssociation" for r in resources.values())
    assert "web_acl_id=c_shield.get_att('Arn').to_string()" in cdk_files(design)["tierplan_stack.py"]


def test_what_aws_waf_refuses_is_refused_with_pointers() -> None:
    with pytest.raises(Invalid) as refused:
        validate_design(protected("api", "cdn", rate_limit=5))
    assert sorted((p.pointer, p.message) for p in refused.value.problems) == [
        ("/components/0/props/rate_limit", "must be 0 (no limit) or at least 10"),
        ("/connections/3/target", "a web ACL protects CloudFront distributions or regional resources, not both"),
    ]
    with pytest.raises(Invalid) as refused:
        validate_design(protected("cdn", region="eu-west-1"))
    assert [p.message for p in refused.value.problems] == [
        "a web ACL for CloudFront is created in us-east-1, and shield is in eu-west-1"
    ]
