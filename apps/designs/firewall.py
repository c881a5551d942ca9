"""What a WAF web ACL's props mean as rules: read by its exporter (which writes them) and its cost model
(which bills each one), so the two always agree. Pure Python, no Django."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Catalog prop → AWS managed rule group (vendor AWS); each counts as one rule of the web ACL.
MANAGED_RULE_GROUPS = (
    ("common_rule_set", "AWSManagedRulesCommonRuleSet"),
    ("known_bad_inputs", "AWSManagedRulesKnownBadInputsRuleSet"),
    ("ip_reputation", "AWSManagedRulesAmazonIpReputationList"),
)
RATE_RULE = "RateLimitPerClientIp"


def web_acl_rules(prop: Callable[[str], Any]) -> list[str]:
    """The rule names of a web ACL in priority order, given how to read one of its props (with defaults)."""
    names = [group for name, group in MANAGED_RULE_GROUPS if prop(name)]
    return [*names, RATE_RULE] if prop("rate_limit") else names
