from collections.abc import Iterable, Mapping
from html import escape as _escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


# The tags below write what is repeated once per component, finding or assumption (a design may have
# 1,000 components and thousands of assumptions): as template loops they took most of the page's time;
# as plain string building, a few milliseconds. Every value is escaped, with the function Django's own
# escape wraps (without its lazy-string checks, which cost more than the escaping).


def escape(value: object) -> str:
    return _escape(str(value))


@register.simple_tag
def component_rows(
    components: Iterable[Mapping[str, Any]], costs: Mapping[str, float], cost_pending: bool
) -> SafeString:
    """The table rows of one tier: label and id, type, monthly cost (or why there is none)."""
    rows = []
    for c in components:
        cost = costs.get(c["id"])
        if cost is not None:
            shown = f"${cost:.2f}"
        elif cost_pending:
            shown = '<span class="muted">being prepared</span>'
        else:
            shown = "—"
        component_id = escape(c["id"])
        rows.append(
            f'<tr data-component-id="{component_id}"><td>{escape(c["label"])} <span class="muted">({component_id})</span>'
            f"</td><td>{escape(c['type_label'])}</td><td>{shown}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 (each part escaped above)


@register.simple_tag
def component_options(tiers: Iterable[Mapping[str, Any]]) -> SafeString:
    """One <option> per component, for choosing what a comment is about."""
    options = [
        f'<option value="{escape(c["id"])}">{escape(c["label"])} ({escape(c["id"])})</option>'
        for tier in tiers
        for c in tier["components"]
    ]
    return mark_safe("".join(options))  # noqa: S308 (each part escaped above)


@register.simple_tag
def finding_list(findings: Iterable[Mapping[str, Any]]) -> SafeString:
    """The review's findings (a large design has hundreds), or a line saying there are none."""
    items = [
        f'<div class="finding {escape(f["severity"])}" data-rule="{escape(f["rule"])}">'
        f"<strong>{escape(str(f['severity']).upper())}</strong> {escape(f['message'])}"
        f'<div class="muted">Fix: {escape(f["fix"])}</div>'
        f'<div class="muted">Reference: {escape(f["reference"])}</div></div>'
        for f in findings
    ]
    return mark_safe("\n".join(items) or "<p>No findings: the design follows every rule.</p>")  # noqa: S308


@register.simple_tag
def assumption_items(assumptions: Iterable[str]) -> SafeString:
    """The estimate's assumptions as list items (one or more for each component)."""
    return mark_safe("".join(f"<li>{escape(a)}</li>" for a in assumptions))  # noqa: S308
