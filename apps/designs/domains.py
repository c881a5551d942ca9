"""What AWS refuses about custom domains, refused when a design is validated (400 with a JSON pointer).

Two ways give a component a custom domain: the older props (``domain_name`` on a distribution or an API,
``certificate_arn`` on a load balancer: the export turns them into parameters) and, first class, a
``secure`` connection to an ``acm_certificate`` with ``alias`` records from a ``route53_zone``. A
component uses one or the other; these checks say which combination cannot deploy and why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from apps.core.pointers import Problem, json_pointer
from apps.designs.catalog import Catalog

if TYPE_CHECKING:
    from apps.designs.document import Component, Link
    from apps.designs.graph import DesignGraph

# The older props each type carries for a custom domain, which a certificate connection replaces.
LEGACY_PROPS = {
    "cloudfront": "domain_name",
    "api_gateway_rest": "domain_name",
    "api_gateway_http": "domain_name",
    "load_balancer": "certificate_arn",
}
# What binds a custom domain name to itself: AWS refuses one name on two distributions or two APIs.
NAME_BINDERS = ("cloudfront", "api_gateway_rest", "api_gateway_http", "api_gateway_websocket")


def _bare(name: str) -> str:
    return name[2:] if name.startswith("*.") else name


def covers(pattern: str, name: str) -> bool:
    """Whether a certificate name (maybe a wildcard, one level deep) covers a domain name."""
    if pattern.startswith("*."):
        return "." in name and name.split(".", 1)[1] == pattern[2:]
    return pattern == name


def in_zone(name: str, zone: str) -> bool:
    bare = _bare(name)
    return bare == zone or bare.endswith("." + zone)


def domain_problems(
    design: Any,
    components: Mapping[str, Any],
    catalog: Catalog,
    enclosing: Callable[[str | None, str], Any],
    region_of: Callable[[Any], str],
) -> list[Problem]:
    """``enclosing(group_id, kind)`` is the group of that kind a component sits in; ``region_of(account)``
    the region of an account group (None: the design's)."""
    problems: list[Problem] = []
    position = {component.id: index for index, component in enumerate(design.components)}

    def prop(component: Any, name: str) -> Any:
        field = catalog.types[component.type].props.fields.get(name)
        return component.props.get(name, field.default if field else None)

    def names_of(certificate: Any) -> list[str]:
        names = [str(prop(certificate, "domain_name"))]
        for name in str(prop(certificate, "subject_alternative_names") or "").split(","):
            if name.strip() and name.strip() not in names:
                names.append(name.strip())
        return names

    def record(connection: Any) -> str:
        zone = components[connection.source]
        name = connection.props.get("record_name") or ""
        return f"{name}.{prop(zone, 'domain_name')}" if name else str(prop(zone, "domain_name"))

    known = [
        (index, c)
        for index, c in enumerate(design.connections)
        if c.source in components
        and c.target in components
        and components[c.source].type in catalog.types
        and components[c.target].type in catalog.types
    ]
    secure = [(i, c) for i, c in known if c.kind == "secure" and components[c.target].type == "acm_certificate"]
    aliases = [(i, c) for i, c in known if c.kind == "alias" and components[c.source].type == "route53_zone"]
    certificate_of: dict[str, Any] = {}

    for index, connection in secure:
        source, certificate = components[connection.source], components[connection.target]
        if connection.source in certificate_of:
            problems.append(
                Problem(
                    json_pointer(("connections", index, "source")),
                    f"{source.id} already serves HTTPS with {certificate_of[connection.source].id}; "
                    "a component has one certificate",
                )
            )
            continue
        certificate_of[connection.source] = certificate
        legacy = LEGACY_PROPS.get(source.type)
        if legacy and source.props.get(legacy):
            problems.append(
                Problem(
                    json_pointer(("components", position[source.id], "props", legacy)),
                    f"{source.id} takes its certificate from {certificate.id} (connection {connection.id}): "
                    f"clear {legacy}, or remove the connection and keep {legacy}",
                )
            )
        if source.type == "api_gateway_rest" and prop(source, "endpoint_type") == "private":
            problems.append(
                Problem(
                    json_pointer(("connections", index, "source")),
                    "Tierplan writes custom domain names for regional and edge-optimized REST APIs only, "
                    f"and {source.id} is private",
                )
            )
        account = enclosing(source.group, "account")
        if enclosing(certificate.group, "account") is not account:
            problems.append(
                Problem(
                    json_pointer(("connections", index, "target")),
                    f"{certificate.id} is in another account group than {source.id}",
                )
            )
        edge = source.type == "cloudfront" or (
            source.type == "api_gateway_rest" and prop(source, "endpoint_type") == "edge"
        )
        region = region_of(enclosing(certificate.group, "account"))
        if edge and region != "us-east-1":
            what = "CloudFront" if source.type == "cloudfront" else "an edge-optimized API"
            problems.append(
                Problem(
                    json_pointer(("connections", index, "target")),
                    f"{what} uses certificates from us-east-1 only, and {certificate.id} is in {region}",
                )
            )

    # The names each distribution or API answers for: its alias records', or its certificate's own.
    served: dict[str, list[tuple[str, str]]] = {}  # name -> [(component id, where the name comes from)]
    for index, connection in aliases:
        target = components[connection.target]
        if target.type in NAME_BINDERS:
            name = record(connection)
            if all(component_id != target.id for component_id, _ in served.get(name, [])):
                served.setdefault(name, []).append(
                    (target.id, json_pointer(("connections", index, "props", "record_name")))
                )
    for index, connection in secure:
        source = components[connection.source]
        if source.type not in NAME_BINDERS or certificate_of.get(source.id) is not components[connection.target]:
            continue
        if any(source.id in [c for c, _ in owners] for owners in served.values()):
            continue
        own = str(prop(components[connection.target], "domain_name"))
        if own.startswith("*."):
            problems.append(
                Problem(
                    json_pointer(("connections", index, "target")),
                    f"{components[connection.target].id} is a wildcard certificate, which names no domain for "
                    f"{source.id}: point an alias record of a hosted zone at it (or use a certificate for its name)",
                )
            )
        else:
            served.setdefault(own, []).append((source.id, json_pointer(("connections", index, "target"))))
    # One name on two distributions or APIs is the review's and the export's to refuse (composing a pattern
    # twice makes such a design, which stays editable): see shared_custom_domains.
    for name, owners in served.items():
        for component_id, pointer in owners:
            certificate = certificate_of.get(component_id)
            if certificate is not None and not any(covers(pattern, name) for pattern in names_of(certificate)):
                problems.append(
                    Problem(
                        pointer,
                        f"{certificate.id} does not cover {name}: add it to its subject_alternative_names",
                    )
                )

    records: dict[tuple[str, str], list[tuple[int, Any]]] = {}
    for index, connection in aliases:
        zone, target = components[connection.source], components[connection.target]
        if target.type in NAME_BINDERS and target.id not in certificate_of:
            problems.append(
                Problem(
                    json_pointer(("connections", index, "target")),
                    f"{target.id} answers for a custom domain only with a certificate: connect it to an ACM "
                    "certificate with 'secure'",
                )
            )
        path_pointer = json_pointer(("connections", index, "props", "health_check_path"))
        if connection.props.get("health_check_path"):
            if target.type == "api_gateway_websocket":
                problems.append(
                    Problem(path_pointer, "a health check requests an HTTP path, which a WebSocket API does not serve")
                )
            if target.type == "load_balancer" and prop(target, "scheme") != "internet-facing":
                problems.append(
                    Problem(
                        path_pointer,
                        f"Route 53 health checkers reach public endpoints only, and {target.id} is internal",
                    )
                )
        if prop(zone, "private") and target.type == "cloudfront":
            problems.append(
                Problem(
                    json_pointer(("connections", index, "target")),
                    "a private hosted zone cannot hold an alias record to a CloudFront distribution",
                )
            )
        if len(record(connection)) > 253:
            problems.append(
                Problem(
                    json_pointer(("connections", index, "props", "record_name")),
                    f"{record(connection)[:40]}… is longer than the 253 characters a domain name may have",
                )
            )
        records.setdefault((zone.id, record(connection)), []).append((index, connection))
    for (_, name), entries in records.items():
        roles = [str(connection.props.get("failover") or "none") for _, connection in entries]
        for number, (index, _) in enumerate(entries):
            role = roles[number]
            if number > 0 and (role == "none" or "none" in roles[:number] or role in roles[:number]):
                problems.append(
                    Problem(
                        json_pointer(("connections", index, "props", "record_name")),
                        f"the zone already has a record for {name} ({entries[0][1].id}); two records for one "
                        "name must be a failover pair (one primary, one secondary)",
                    )
                )

    for index, connection in known:
        if connection.kind != "validate":
            continue
        certificate, zone = components[connection.source], components[connection.target]
        if prop(zone, "private"):
            problems.append(
                Problem(
                    json_pointer(("connections", index, "target")),
                    f"ACM validates through public DNS, and {zone.id} is a private zone",
                )
            )
        elif not any(in_zone(name, str(prop(zone, "domain_name"))) for name in names_of(certificate)):
            problems.append(
                Problem(
                    json_pointer(("connections", index, "target")),
                    f"none of {certificate.id}'s names is in {zone.id}'s domain {prop(zone, 'domain_name')}",
                )
            )

    for index, component in enumerate(design.components):
        if (
            component.type == "route53_zone"
            and prop(component, "private")
            and enclosing(component.group, "vpc") is None
        ):
            problems.append(
                Problem(
                    json_pointer(("components", index, "props", "private")),
                    "a private zone answers inside the VPC group it is placed in: put it in one",
                )
            )
    return problems


# -- what every engine reads of a validated design (exporter, review) -----------------------------------


def certificate_of(graph: DesignGraph, component: Component) -> Component | None:
    """The ACM certificate a distribution, API or load balancer serves HTTPS with ('secure'), if any."""
    links = graph.out(component, "secure")
    return links[0].target if links else None


def record_name(graph: DesignGraph, link: Link) -> str:
    """The full name an alias connection answers for: its record_name within the zone's domain."""
    zone = str(graph.prop(link.source, "domain_name"))
    name = link.connection.props.get("record_name") or ""
    return f"{name}.{zone}" if name else zone


def custom_domains(graph: DesignGraph, component: Component) -> list[str]:
    """The custom domain names a component with a certificate serves: those of the alias records to it, or
    (with none) the certificate's domain name when it is not a wildcard."""
    names: list[str] = []
    for link in graph.into(component, "alias"):
        name = record_name(graph, link)
        if name not in names:
            names.append(name)
    certificate = certificate_of(graph, component)
    if not names and certificate is not None:
        own = str(graph.prop(certificate, "domain_name"))
        if not own.startswith("*."):
            names.append(own)
    return names


def certificate_names(graph: DesignGraph, certificate: Component) -> list[str]:
    """The certificate's domain name, then its subject alternative names (without repeats)."""
    names = [str(graph.prop(certificate, "domain_name"))]
    for name in str(graph.prop(certificate, "subject_alternative_names") or "").split(","):
        if name.strip() and name.strip() not in names:
            names.append(name.strip())
    return names


def validation_zones(graph: DesignGraph, certificate: Component) -> list[tuple[str, Component]]:
    """(name, zone) for each of the certificate's names that a zone it validates through holds (the zone
    with the longest domain when several do); names no zone holds are validated by hand. A wildcard is
    validated as its base name (*.example.com by example.com's record), once, as the CDK writes it."""
    zones = [link.target for link in graph.out(certificate, "validate")]
    found: list[tuple[str, Component]] = []
    for name in certificate_names(graph, certificate):
        bare = name[2:] if name.startswith("*.") else name
        holding = [zone for zone in zones if in_zone(bare, str(graph.prop(zone, "domain_name")))]
        if holding and all(bare != seen for seen, _ in found):
            found.append((bare, max(holding, key=lambda zone: len(str(graph.prop(zone, "domain_name"))))))
    return found


def unvalidated_names(graph: DesignGraph, certificate: Component) -> list[str]:
    """The certificate's names that no zone of the design validates (someone adds their records by hand)."""
    validated = {name for name, _ in validation_zones(graph, certificate)}
    return [
        name
        for name in certificate_names(graph, certificate)
        if (name[2:] if name.startswith("*.") else name) not in validated
    ]


def shared_custom_domains(graph: DesignGraph) -> list[tuple[str, list[Component]]]:
    """Custom domain names that two or more distributions or APIs of one account would serve, which AWS
    refuses (a CloudFront alternate domain name, an API Gateway custom domain name belong to one)."""
    owners: dict[tuple[str | None, str], list[Component]] = {}
    for component in graph.of_type(*NAME_BINDERS):
        if certificate_of(graph, component) is None:
            continue
        account = graph.account_of(component)
        for name in custom_domains(graph, component):
            owners.setdefault((account.id if account else None, name), []).append(component)
    return [(name, found) for (_, name), found in owners.items() if len(found) > 1]
