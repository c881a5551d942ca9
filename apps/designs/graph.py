"""A validated design as a graph: components, groups and resolved connections, with catalog defaults.

The exporter's plan and the reviewer's context both walk designs this way; they build on this class.
Pure Python, no Django.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from apps.designs.catalog import Catalog, get_catalog
from apps.designs.document import Component, Design, Group, Link, account_region, enclosing_group


class DesignGraph:
    def __init__(self, design: Design, catalog: Catalog | None = None) -> None:
        self.design = design
        self.catalog = catalog or get_catalog()
        self.components: dict[str, Component] = {c.id: c for c in design.components}
        self.groups: dict[str, Group] = {g.id: g for g in design.groups}
        self.outgoing: dict[str, list[Link]] = defaultdict(list)
        self.incoming: dict[str, list[Link]] = defaultdict(list)
        for connection in design.connections:
            link = Link(connection, self.components[connection.source], self.components[connection.target])
            self.outgoing[connection.source].append(link)
            self.incoming[connection.target].append(link)

    def of_type(self, *types: str) -> list[Component]:
        """Components of the given types, in design order."""
        return [c for c in self.design.components if c.type in types]

    def prop(self, component: Component, name: str) -> Any:
        """A prop's value, or the catalog default when the design leaves it out."""
        spec = self.catalog.types[component.type].props.fields.get(name)
        return component.props.get(name, spec.default if spec else None)

    def out(self, component: Component, *kinds: str) -> list[Link]:
        """Connections leaving ``component`` (of the given kinds, or all), in design order."""
        return [link for link in self.outgoing[component.id] if not kinds or link.kind in kinds]

    def into(self, component: Component, *kinds: str) -> list[Link]:
        """Connections arriving at ``component`` (of the given kinds, or all), in design order."""
        return [link for link in self.incoming[component.id] if not kinds or link.kind in kinds]

    def vpc_of(self, component: Component) -> Group | None:
        """The VPC group the component sits in, directly or through nested groups."""
        return enclosing_group(self.groups, component.group, "vpc")

    def account_of(self, component: Component) -> Group | None:
        """The account group the component sits in; None means the design's own account."""
        return enclosing_group(self.groups, component.group, "account")

    def account_of_group(self, group: Group) -> Group | None:
        return enclosing_group(self.groups, group.parent, "account")

    def account_region(self, account: Group | None) -> str:
        """The region an account group's services run in: its own ``region``, else the design's."""
        return account_region(self.design, account)

    def region_of(self, component: Component) -> str:
        """The region a component is deployed in: that of the account group it sits in, if it names one."""
        return self.account_region(self.account_of(component))

    def vpc_prop(self, vpc: Group, name: str) -> Any:
        """A VPC group prop's value, or the catalog default."""
        return vpc.props.get(name, self.catalog.group_kinds["vpc"].props.fields[name].default)

    def routes(self, api: Component) -> list[tuple[Link, str, str]]:
        """(link, METHOD, /path) for each function or service the API calls, the way every engine reads them.

        A connection's own ``route`` wins. An invoke without one is the catch-all proxy ``ANY /{proxy+}``
        when it is the API's only unrouted connection, otherwise ``ANY /<target id>`` (the same for a
        load balancer behind a VPC link); a service integration without one is ``POST /<target id>``.
        """
        links = self.out(api, "invoke", "integrate")
        unrouted = [link for link in links if not link.connection.props.get("route")]
        routes = []
        for link in links:
            route = link.connection.props.get("route")
            if route:
                method, path = route.split(" ", 1)
            elif len(unrouted) == 1 and (link.kind == "invoke" or link.target.type == "load_balancer"):
                method, path = "ANY", "/{proxy+}"
            else:
                proxies = link.kind == "invoke" or link.target.type == "load_balancer"
                method, path = ("ANY" if proxies else "POST"), f"/{link.target.id}"
            routes.append((link, method, path))
        return routes

    def env_name(self, target: Component) -> str:
        """The environment variable a function connected to ``target`` finds it in (catalog ``env_suffix``)."""
        suffix = self.catalog.types[target.type].env_suffix
        if not suffix:
            raise ValueError(f"a {target.type} gives a connected function no environment variable")
        return f"{target.id.upper()}_{suffix}"
