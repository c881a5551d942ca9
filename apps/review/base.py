"""What a review rule is and what it reports. Pure Python, no Django.

A rule is data — a stable id, a severity, a title, the reference it comes from — plus one check
function that looks at a design and yields a ``Hit`` for every place the rule is broken. The engine
turns hits into findings (ARCHITECTURE §4) by adding the rule's id, severity and reference, so a check
only ever says *where* and *what*, never *how bad*.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from apps.review.context import ReviewContext

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Hit:
    """One place a rule is broken: the components concerned, what is wrong there and how to fix it."""

    components: tuple[str, ...]
    message: str
    fix: str


Check = Callable[["ReviewContext"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A review rule: ``id`` is a stable slug (users filter and suppress by it), so never rename one."""

    id: str
    severity: Severity
    title: str
    reference: str
    check: Check

    def as_dict(self) -> dict[str, Any]:
        """The rule as the rules catalog lists it."""
        return {"id": self.id, "severity": self.severity, "title": self.title, "reference": self.reference}

    def finding(self, hit: Hit) -> dict[str, Any]:
        """The ARCHITECTURE §4 finding for one hit of this rule."""
        return {
            "rule": self.id,
            "severity": self.severity,
            "components": list(hit.components),
            "message": hit.message,
            "fix": hit.fix,
            "reference": self.reference,
        }
