"""The review engine: a validated design in, findings out (ARCHITECTURE §4). Pure Python, no Django.

    [{"rule", "severity": "error"|"warning"|"info", "components": [ids], "message", "fix", "reference"}]

Findings are sorted errors first, then warnings, then info; within a severity by rule id, then by the
components concerned and the message, so the same design always gives the same list, byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from apps.designs.catalog import Catalog
from apps.designs.document import Design
from apps.review.base import SEVERITIES, Rule
from apps.review.context import ReviewContext
from apps.review.rules import RULES

# Part of the cache key of stored reviews: bump it whenever a rule is added, removed or changes what it
# reports, so that a revision reviewed before is reviewed again.
ENGINE_VERSION = "review-6"

_SEVERITY_ORDER = {severity: position for position, severity in enumerate(SEVERITIES)}


def _sort_key(finding: dict[str, Any]) -> tuple[Any, ...]:
    return (_SEVERITY_ORDER[finding["severity"]], finding["rule"], finding["components"], finding["message"])


def review(design: Design, *, rules: Sequence[Rule] = RULES, catalog: Catalog | None = None) -> list[dict[str, Any]]:
    """Review a validated design against ``rules`` (all of them by default) and return its findings.

    Each finding names its rule, severity, the ids of the components concerned (all present in the
    design), what is wrong, how to fix it and where the rule comes from.
    """
    ctx = ReviewContext(design, catalog)
    findings: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for rule in rules:
        for hit in rule.check(ctx):
            finding = rule.finding(hit)
            key = (finding["rule"], tuple(finding["components"]), finding["message"])
            if key not in seen:  # two paths to the same problem report it once
                seen.add(key)
                findings.append(finding)
    return sorted(findings, key=_sort_key)


def rules_catalog(rules: Sequence[Rule] = RULES) -> list[dict[str, Any]]:
    """Every rule the engine applies (id, severity, title, reference), in registry order, for the API and docs."""
    return [rule.as_dict() for rule in rules]
