"""$5 a web ACL-month, $1 a rule-month, $0.60 a million requests inspected (the requests of what it
protects), prorated by the hour like AWS's monthly fees."""

from __future__ import annotations

from typing import Any

import pytest

from apps.costing import estimate
from apps.designs.document import validate_design


def site(**acl: Any) -> dict[str, Any]:
    return {
        "schema": "tierplan.design/v1",
        "name": "Protected site",
        "components": [
            {"id": "web", "type": "browser"},
            {"id": "cdn", "type": "cloudfront", "usage": {"data_out_gb": 0}},
            {"id": "site", "type": "s3_bucket"},
            {"id": "shield", "type": "waf_web_acl", "props": acl},
        ],
        "connections": [
            {"id": "r", "source": "web", "target": "cdn", "kind": "request"},
            {"id": "o", "source": "cdn", "target": "site", "kind": "origin"},
            {"id": "p", "source": "shield", "target": "cdn", "kind": "protect"},
        ],
        "workload": {"requests_per_month": 10_000_000},
    }


def lines(result: dict[str, Any], component: str) -> dict[str, float]:
    entry = next(e for e in result["components"] if e["id"] == component)
    return {line["description"]: line["usd"] for line in entry["lines"]}


def test_a_web_acl_bills_itself_its_rules_and_the_requests_it_inspects() -> None:
    # defaults: two managed rule groups and a rate limit = 3 rules; 10 M requests reach the distribution
    result = estimate(validate_design(site()))
    assert lines(result, "shield") == {
        "Web ACLs": 5.00,
        "Rules (an AWS managed rule group counts as one)": 3.00,
        "Requests inspected": 6.00,
    }


def test_fewer_rules_cost_less_and_a_stated_request_count_wins() -> None:
    doc = site(common_rule_set=False, known_bad_inputs=False, rate_limit=0)
    doc["components"][3]["usage"] = {"requests_per_month": 1_000_000}
    assert lines(estimate(validate_design(doc)), "shield") == {
        "Web ACLs": 5.00,
        "Requests inspected": 0.60,
    }


def test_monthly_fees_are_prorated_by_the_hour() -> None:
    result = estimate(validate_design(site()), hours_per_month=365)
    assert lines(result, "shield")["Web ACLs"] == pytest.approx(2.50)
