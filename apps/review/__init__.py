"""Architecture review: findings from the seed documents' guidance and AWS's service quotas.

Pure Python, no Django. The public API:

- ``review(design) -> list[dict]``: the findings of a validated design (ARCHITECTURE §4 shape), sorted
  errors first, then by rule id and components;
- ``RULES``: the rule registry (``Rule``: id, severity, title, reference, check);
- ``rules_catalog() -> list[dict]``: id, severity, title and reference of every rule;
- ``ENGINE_VERSION``: part of the cache key of stored reviews.
"""

from __future__ import annotations

from .base import Hit, Rule, Severity
from .engine import ENGINE_VERSION, review, rules_catalog
from .rules import RULES, RULES_BY_ID

__all__ = ["ENGINE_VERSION", "RULES", "RULES_BY_ID", "Hit", "Rule", "Severity", "review", "rules_catalog"]
