"""The review engine: the findings contract, its order, the rule registry and the pattern library."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from apps.designs.document import Design
from apps.designs.patterns import pattern_library
from apps.review import ENGINE_VERSION, RULES, RULES_BY_ID, review, rules_catalog
from apps.review.context import ReviewContext
from tests.review.designs import comp, design, fn, link

ROOT = Path(__file__).resolve().parents[2]
FINDING_KEYS = {"rule", "severity", "components", "message", "fix", "reference"}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def troubled() -> Design:
    """One design that breaks many rules at once, of every severity."""
    return design(
        [comp("web", "browser", "Users"), comp("cdn", "cloudfront", "App CDN", logging=False),
         comp("spa", "s3_bucket", "SPA", public_access=True),
         comp("api", "api_gateway_rest", "Public API", auth="api_key", tracing=False),
         fn("handler", "Handler", timeout_s=1200, tracing=False), comp("db", "rds_instance", "Orders DB"),
         comp("bucket", "s3_bucket", "Uploads"), fn("thumbs", "Thumbnails"),
         comp("table", "dynamodb_table", usage={"avg_item_kb": 500})],
        [link("web", "cdn", "request"), link("cdn", "spa", "origin"), link("web", "api", "request"),
         link("api", "handler", "invoke", route="POST /orders"), link("handler", "db", "read_write"),
         link("handler", "table", "write"), link("bucket", "thumbs", "trigger")],
    )  # fmt: skip


def test_every_finding_has_exactly_the_contract_fields() -> None:
    found = review(troubled())
    assert found
    for finding in found:
        assert set(finding) == FINDING_KEYS
        assert finding["severity"] in SEVERITY_RANK
        assert isinstance(finding["components"], list) and finding["components"]
        assert all(
            isinstance(part, str) and part for part in (finding["message"], finding["fix"], finding["reference"])
        )
        rule = RULES_BY_ID[finding["rule"]]
        assert (finding["severity"], finding["reference"]) == (rule.severity, rule.reference)


def test_a_troubled_design_trips_rules_of_every_severity() -> None:
    rules = {finding["rule"] for finding in review(troubled())}
    assert {
        "api-static-keys-only", "lambda-timeout-above-maximum", "data-store-outside-vpc", "dynamodb-item-above-limit",
        "spa-api-cross-origin-without-cors", "function-timeout-above-api-timeout", "consumer-without-dead-letter-queue",
        "s3-public-behind-cloudfront", "logging-disabled", "tracing-disabled",
    } <= rules  # fmt: skip


def test_findings_are_sorted_by_severity_then_rule_then_components() -> None:
    found = review(troubled())
    keys = [(SEVERITY_RANK[f["severity"]], f["rule"], f["components"], f["message"]) for f in found]
    assert keys == sorted(keys)
    assert [f["severity"] for f in found][0] == "error" and [f["severity"] for f in found][-1] == "info"


def test_the_same_design_always_gives_the_same_findings() -> None:
    first = json.dumps(review(troubled()), sort_keys=True)
    assert all(json.dumps(review(troubled()), sort_keys=True) == first for _ in range(3))


def test_a_finding_only_names_components_of_the_design() -> None:
    designs = [troubled(), *(pattern.design for pattern in pattern_library().values())]
    for doc in designs:
        ids = {component.id for component in doc.components}
        for finding in review(doc):
            assert set(finding["components"]) <= ids, finding
            assert len(finding["components"]) == len(set(finding["components"])), finding


def test_messages_name_the_components_they_concern() -> None:
    for finding in review(troubled()):
        assert any(component in finding["message"] for component in finding["components"]), finding


@pytest.mark.parametrize("slug", sorted(pattern_library()))
def test_no_pattern_in_the_library_raises_an_error(slug: str) -> None:
    errors = [f for f in review(pattern_library()[slug].design) if f["severity"] == "error"]
    assert errors == []


def test_the_starter_pattern_is_warned_about_its_open_write_api() -> None:
    # api-lambda-dynamodb deliberately has no authorizer yet (its summary says so): a warning, not an error.
    found = review(pattern_library()["api-lambda-dynamodb"].design)
    assert [(f["rule"], f["severity"]) for f in found] == [("write-api-without-authorizer", "warning")]


def test_an_empty_design_has_no_findings() -> None:
    assert review(design([])) == []


def test_a_design_whose_traffic_never_settles_is_reviewed_on_explicit_usage() -> None:
    # a and b invoke each other twice per call: propagation diverges, so only explicit usage is known.
    doc = design(
        [comp("api", "api_gateway_http", auth="iam"), fn("a"), fn("b"),
         fn("hot", usage={"requests_per_month": 3e9, "avg_duration_ms": 1000})],
        [link("api", "a", "invoke"), link("a", "b", "invoke", ratio=2), link("b", "a", "invoke", ratio=2)],
    )  # fmt: skip
    ctx = ReviewContext(doc)
    assert ctx.monthly_requests(doc.component("a")) is None
    assert [f["components"] for f in review(doc) if f["rule"] == "concurrency-above-account-limit"] == [["hot"]]


def test_review_can_run_a_chosen_subset_of_rules() -> None:
    only_keys = [RULES_BY_ID["api-static-keys-only"]]
    assert {f["rule"] for f in review(troubled(), rules=only_keys)} == {"api-static-keys-only"}


def test_the_rules_catalog_describes_every_rule() -> None:
    catalog = rules_catalog()
    assert [entry["id"] for entry in catalog] == [rule.id for rule in RULES]
    for entry in catalog:
        assert set(entry) == {"id", "severity", "title", "reference"}
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", entry["id"])
        assert entry["severity"] in SEVERITY_RANK
        assert entry["title"] and entry["reference"]
    assert len({entry["id"] for entry in catalog}) == len(catalog)


def test_every_rule_is_tested_both_ways_in_this_folder() -> None:
    # A cheap guard: each rule id must appear in the rule tests (where it is tripped and not tripped).
    sources = "".join(path.read_text() for path in Path(__file__).parent.glob("test_*_rules.py"))
    untested = [rule.id for rule in RULES if f'"{rule.id}"' not in sources]
    assert untested == []


def test_the_engine_has_a_version_for_the_artifact_cache() -> None:
    assert re.fullmatch(r"review-\d+", ENGINE_VERSION)


def test_the_engine_does_not_import_django() -> None:
    code = "import sys, apps.review; assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
