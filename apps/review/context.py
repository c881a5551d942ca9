"""A design seen the way review rules need it: connections by end, props with their defaults, groups
by kind, the region of each component and the traffic that reaches it. Pure Python, no Django.

Built once per review and shared by every rule, so the traffic graph is propagated at most once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from apps.costing.traffic import TrafficOverflow, build_graph, propagate
from apps.designs.catalog import Catalog
from apps.designs.document import Component, Design, Group, Link
from apps.designs.graph import DesignGraph

CLIENT_TYPES = frozenset({"browser", "mobile_app"})
API_TYPES = frozenset({"api_gateway_rest", "api_gateway_http"})
# Methods that change state; ANY includes them all. Routes are "METHOD /path" (catalog pattern).
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE", "ANY"})
READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True)
class Route:
    """One API route: the connection carrying it, its method and path."""

    link: Link
    method: str
    path: str


class ReviewContext(DesignGraph):
    """Read-only helpers over one validated design."""

    def __init__(self, design: Design, catalog: Catalog | None = None) -> None:
        super().__init__(design, catalog)

    # -- components and their fields ----------------------------------------------------------

    def usage(self, component: Component, name: str) -> Any:
        """A usage field's value, or the catalog default (None when the field is derived from traffic)."""
        spec = self.catalog.types[component.type].usage.fields.get(name)
        return component.usage.get(name, spec.default if spec else None)

    def link_prop(self, link: Link, name: str) -> Any:
        """A connection prop's value, or the catalog default for its kind."""
        spec = self.catalog.connection_kinds[link.kind].props.fields.get(name)
        return link.connection.props.get(name, spec.default if spec else None)

    def name(self, component: Component) -> str:
        """How a message names a component: its label and id, or its type and id when it has no label."""
        if component.label:
            return f"“{component.label}” ({component.id})"
        return f"{component.id} ({self.catalog.types[component.type].label_of(component.props)})"

    def names(self, components: Iterable[Component]) -> str:
        """Several components named for a message, comma-separated."""
        return ", ".join(self.name(c) for c in components)

    # -- connections ----------------------------------------------------------------------------

    def is_sync_invoke(self, link: Link) -> bool:
        """Whether the connection is a request/response invocation (the caller waits for the result)."""
        return link.kind == "invoke" and self.link_prop(link, "invocation_type") == "sync"

    def api_routes(self, api: Component) -> list[Route]:
        """The API's routes as the exporters write them (``DesignGraph.routes``)."""
        return [Route(link, method, path) for link, method, path in self.routes(api)]

    # -- groups and regions ---------------------------------------------------------------------

    def group_name(self, group: Group | None) -> str:
        """How a message names a group (None is the design's own account)."""
        if group is None:
            return "the design's account"
        return f"“{group.label}” ({group.id})" if group.label else group.id

    # -- traffic --------------------------------------------------------------------------------

    @cached_property
    def _flows(self) -> dict[str, dict[str, float]] | None:
        # The same propagation the cost estimate uses (ARCHITECTURE §3), so review and estimate agree on
        # how many requests reach each component. A design whose traffic does not settle gets no derived
        # figures: rules then use explicit usage only (the estimate reports the loop itself).
        try:
            flows = propagate(build_graph(self.design, self.catalog), float(self.design.workload.requests_per_month))
        except TrafficOverflow:
            return None
        return {component.id: flow for component, flow in zip(self.design.components, flows, strict=True)}

    def monthly_requests(self, component: Component) -> float | None:
        """Requests (invocations for a function) a month: the component's usage, else propagated traffic."""
        explicit = component.usage.get("requests_per_month")
        if isinstance(explicit, (int, float)):
            return float(explicit)
        flows = self._flows
        if flows is None:
            return None
        return flows[component.id].get("requests")
