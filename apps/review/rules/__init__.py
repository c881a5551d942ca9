"""The rule registry: every review rule, by family, in a fixed order.

Adding a rule means adding a ``Rule`` entry (and its check) to one family module and a test that trips
it and one that does not; bump ``apps.review.engine.ENGINE_VERSION`` so cached reviews are recomputed.
"""

from __future__ import annotations

from apps.review.base import Rule
from apps.review.rules import (
    analytics,
    clusters,
    concurrency,
    containers,
    dns,
    events,
    governance,
    limits,
    messaging,
    networking,
    observability,
    operations,
    realtime,
    runtimes,
    security,
    web,
)

RULES: tuple[Rule, ...] = (
    *security.RULES,
    *web.RULES,
    *networking.RULES,
    *limits.RULES,
    *concurrency.RULES,
    *messaging.RULES,
    *events.RULES,
    *observability.RULES,
    *runtimes.RULES,
    *containers.RULES,
    *operations.RULES,
    *clusters.RULES,
    *realtime.RULES,
    *analytics.RULES,
    *dns.RULES,
    *governance.RULES,
)

_ids = [rule.id for rule in RULES]
if len(_ids) != len(set(_ids)):  # a duplicate id would make findings ambiguous; fail at import, not in use
    raise ValueError(f"duplicate review rule ids: {sorted({i for i in _ids if _ids.count(i) > 1})}")

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
