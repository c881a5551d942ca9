"""WAF: a web ACL with no rules that allows everything, or one protecting nothing, is billed for no effect."""

from __future__ import annotations

from tests.review.designs import comp, design, findings, link, only


def test_a_web_acl_without_rules_that_allows_everything_is_a_warning() -> None:
    doc = design(
        [
            comp("shield", "waf_web_acl", "Shield", common_rule_set=False, known_bad_inputs=False, rate_limit=0),
            comp("cdn", "cloudfront", "Site"),
        ],  # fmt: skip
        [link("shield", "cdn", "protect")],
    )
    finding = only(doc, "web-acl-without-effect")
    assert finding["components"] == ["shield", "cdn"]
    assert "without ever blocking any" in finding["message"] and "Site" in finding["message"]


def test_a_web_acl_protecting_nothing_is_a_warning() -> None:
    finding = only(design([comp("shield", "waf_web_acl", "Shield")]), "web-acl-without-effect")
    assert "protects nothing" in finding["message"]


def test_a_web_acl_with_rules_in_front_of_something_is_fine() -> None:
    doc = design([comp("shield", "waf_web_acl"), comp("cdn", "cloudfront")], [link("shield", "cdn", "protect")])
    assert findings(doc, "web-acl-without-effect") == []
    blocking = design(
        [
            comp(
                "shield",
                "waf_web_acl",
                default_action="block",
                common_rule_set=False,
                known_bad_inputs=False,
                rate_limit=0,
            ),
            comp("cdn", "cloudfront"),
        ],  # fmt: skip
        [link("shield", "cdn", "protect")],
    )
    assert findings(blocking, "web-acl-without-effect") == []
