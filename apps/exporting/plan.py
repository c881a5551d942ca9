"""What a design means as infrastructure, decided once for both exporters (SAM and CDK).

The plan gives every component a CloudFormation logical id, resolves connections into the events,
permissions and environment variables each function needs, finds the VPC and account each component
lives in, and refuses — naming the component or connection — anything that cannot be exported
faithfully. Pure Python, no Django.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from apps.core.pointers import Problem, json_pointer
from apps.designs.catalog import get_catalog
from apps.designs.document import Component, Design, Group, Link
from apps.designs.domains import shared_custom_domains
from apps.designs.graph import DesignGraph
from apps.exporting.starters import roles_for

CLIENT_TYPES = {"browser", "mobile_app"}
DATA_PORTS = {
    "postgres": 5432, "aurora-postgresql": 5432, "mysql": 3306, "mariadb": 3306, "aurora-mysql": 3306,
    "redis": 6379, "valkey": 6379, "memcached": 11211,
    "activemq": 61617, "rabbitmq": 5671,  # OpenWire and AMQP over TLS
}  # fmt: skip


# Characters no template string needs: C0 and C1 controls (newlines, tabs, escape…) and the Unicode
# line and paragraph separators, which YAML readers and AWS consoles treat as line breaks.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# A "{" right after "{" or "$": the second character of ``{{resolve:…}}`` or of ``${…}``.
OPENING = re.compile(r"(?<=[{$])\{")
FULLWIDTH_BRACE = "\uff5b"


def cfn_text(text: str) -> str:
    """User text made safe for any CloudFormation string: the one rule every exported user string gets.

    CloudFormation resolves ``{{resolve:ssm:…}}`` and ``{{resolve:secretsmanager:…}}`` in any string of
    a template at deploy time, and substitutes ``${…}`` inside Fn::Sub (cfn-lint refuses ``${…}``
    outside it, and CDK reads ``${Token[…]}`` as a reference). So a "{" that follows "{" or "$" becomes
    "｛" (U+FF5B, which reads the same) and control characters become spaces. The result contains
    neither ``{{`` nor ``${`` and has the length of the input, so the bounds the catalog sets still hold
    in the template. It is idempotent, and it is safe inside Fn::Sub too, so an emitter never has to
    know which kind of string it writes.
    """
    return OPENING.sub(FULLWIDTH_BRACE, CONTROL.sub(" ", text))


def cfn_data(value: Any) -> Any:
    """``cfn_text`` applied to every string (keys included) of JSON-like data or a design model."""
    if isinstance(value, str):
        return cfn_text(value)
    if isinstance(value, BaseModel):
        update = {name: cfn_data(getattr(value, name)) for name in type(value).model_fields}
        return value.model_copy(update=update)
    if isinstance(value, dict):
        return {cfn_text(key) if isinstance(key, str) else key: cfn_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(cfn_data(item) for item in value)
    return value


def dynamic_references(files: Mapping[str, str | bytes]) -> list[str]:
    """Names of exported files in which CloudFormation would find a dynamic reference (``{{resolve:``)."""
    found = []
    for name, content in files.items():
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        if "{{resolve" in text.lower():
            found.append(name)
    return found


class ExportError(Exception):
    """The design cannot be exported faithfully; the message names the component or connection."""


def tag_value(text: str) -> str:
    """Text reduced to the characters AWS allows in tag values (letters, digits, spaces, _.:/=+-@)."""
    return re.sub(r"[^\w .:/=+\-@]", "", " ".join(text.split()))[:256]


def _check_fields(design: Design) -> None:
    """Check every prop against the catalog again, whoever built the design.

    Emitters write enum values into generated code and pattern-checked values into expressions; that
    is only safe for values the catalog accepts, so a document that skipped validation is refused.
    """
    catalog = get_catalog()
    found: list[Problem] = []
    unknown: list[str] = []
    for index, group in enumerate(design.groups):
        if group.kind in catalog.group_kinds:
            found += catalog.group_kinds[group.kind].props.check(group.props, ("groups", index, "props"))
        else:
            unknown.append(json_pointer(("groups", index, "kind")))
    for index, component in enumerate(design.components):
        if component.type in catalog.types:
            found += catalog.types[component.type].props.check(component.props, ("components", index, "props"))
        else:
            unknown.append(json_pointer(("components", index, "type")))
    for index, connection in enumerate(design.connections):
        kind = catalog.connection_kinds.get(connection.kind)
        if kind is not None:
            found += kind.props.check(connection.props, ("connections", index, "props"))
        else:
            unknown.append(json_pointer(("connections", index, "kind")))
    problems = [f"{pointer}: not in the catalog" for pointer in unknown]
    problems += [f"{problem.pointer}: {problem.message}" for problem in found]
    if problems:
        raise ExportError("the design does not pass the catalog's checks: " + "; ".join(problems[:5]))


GRAPHQL_TYPE = re.compile(r"\b(?:type|extend\s+type)\s+([_A-Za-z][_0-9A-Za-z]*)[^{]*\{([^}]*)\}")
GRAPHQL_FIELD = re.compile(r"^\s*([_A-Za-z][_0-9A-Za-z]*)\s*[(:]", re.MULTILINE)


def schema_fields(schema: str) -> dict[str, set[str]]:
    """The fields each object type of a GraphQL schema declares (enough to check a resolver's field)."""
    fields: dict[str, set[str]] = {}
    for type_name, body in GRAPHQL_TYPE.findall(schema or ""):
        # Fields may share a line ("type Query { a: Int b: Int }"): split before each name that a colon
        # or an argument list follows.
        body = re.sub(r"([_A-Za-z][_0-9A-Za-z]*\s*[(:])", "\n\\1", body)
        body = re.sub(r"\([^)]*\)", "()", body)
        fields.setdefault(type_name, set()).update(GRAPHQL_FIELD.findall(body))
    return fields


def logical_id(raw: str) -> str:
    """A CloudFormation logical id from a slug: orders_fn → OrdersFn (letters and digits only)."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", raw) if p]
    candidate = "".join(p[:1].upper() + p[1:] for p in parts) or "Resource"
    return candidate if candidate[0].isalpha() else f"R{candidate}"


def unique_logical_ids(names: list[str], reserved: set[str]) -> dict[str, str]:
    """Logical ids for ``names`` in order; a collision gets the next free numeric suffix (Api, Api2…)."""
    taken = set(reserved)
    result = {}
    for name in names:
        base = logical_id(name)[:200]
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}{number}", number + 1
        taken.add(candidate)
        result[name] = candidate
    return result


# Environment variable suffix and the attribute each target type exposes to a function.


# Props that hold CloudFormation written on purpose, validated against CloudFormation's own resource
# schemas (dynamic references and ${…} outside Fn::Sub refused): they reach the template as written.
VERBATIM_PROPS = {("cloudformation_resource", "properties")}
PSEUDO_PARAMETER = re.compile(r"^AWS::[A-Za-z]+$")
SUB_NAME = re.compile(r"\$\{(?!!)([^}.]+)")


def verbatim_cloudformation(escaped: Design, source: Design) -> Design:
    """``escaped`` with the VERBATIM_PROPS of ``source`` put back as the user wrote them."""
    components = []
    for component, original in zip(escaped.components, source.components, strict=True):
        kept = {
            name: original.props[name]
            for (type_id, name) in VERBATIM_PROPS
            if type_id == component.type and name in original.props
        }
        components.append(component.model_copy(update={"props": {**component.props, **kept}}) if kept else component)
    return escaped.model_copy(update={"components": components})


def referenced_names(value: Any) -> set[str]:
    """The logical ids a piece of CloudFormation refers to: Ref, Fn::GetAtt and ${Name} in Fn::Sub."""
    names: set[str] = set()
    if isinstance(value, list):
        for item in value:
            names |= referenced_names(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                names.add(item)
            elif key == "Fn::GetAtt":
                target = item[0] if isinstance(item, list) and item else item
                if isinstance(target, str):
                    names.add(target.split(".", 1)[0])
            elif key == "Fn::Sub":
                template, variables = (
                    (item[0], item[1] if len(item) > 1 else {}) if isinstance(item, list) else (item, {})
                )
                if isinstance(template, str):
                    own = set(variables) if isinstance(variables, dict) else set()
                    names |= {name for name in SUB_NAME.findall(template) if name not in own}
                names |= referenced_names(variables)
            else:
                names |= referenced_names(item)
    return names


def kept_logical_ids(design: Design) -> set[str]:
    """Logical ids an imported design keeps for resources it writes back as they were."""
    names = set(design.cloudformation.resources) if design.cloudformation is not None else set()
    for component in design.components:
        if component.cloudformation is not None:
            names |= set(component.cloudformation.parts)
    return names


class Plan(DesignGraph):
    """The export decisions for one design. Build with ``Plan(design)``; it raises ExportError.

    ``plan.design`` is the design as the exporters may use it: every string in it (name, labels, every
    prop of every component, group and connection, whatever its type) has been through ``cfn_text``,
    and every prop has been checked against the catalog again, so an emitter can put any of them into
    a template, and an enum value into generated code, without escaping anything itself.
    ``plan.source`` is the design as given.
    """

    def __init__(self, design: Design) -> None:
        _check_fields(design)
        self.source = design
        super().__init__(verbatim_cloudformation(cfn_data(design), design))
        reserved = {"Stage", "DomainName", "CertificateArn", "Account", "DbMasterUsername"}
        # An imported component keeps its logical id (and its kept resources theirs), so that what the
        # template's other parts say about it (Outputs, DependsOn, !Ref) still holds in the export.
        kept_ids = {c.id: c.cloudformation.logical_id for c in design.components if c.cloudformation is not None}
        reserved |= set(kept_ids.values()) | kept_logical_ids(design)
        self.ids = unique_logical_ids([c.id for c in design.components if c.id not in kept_ids], reserved)
        self.ids = {c.id: kept_ids.get(c.id) or self.ids[c.id] for c in design.components}
        group_ids = unique_logical_ids([g.id for g in design.groups], reserved | set(self.ids.values()))
        self.group_ids = group_ids
        self._check()

    # -- lookups ---------------------------------------------------------------------------------

    def label(self, component: Component) -> str:
        """The component's label (or its type's), safe to put in a CloudFormation string."""
        return cfn_text(component.label or self.catalog.types[component.type].label_of(component.props))

    @property
    def name(self) -> str:
        """The design's name, safe to put in a CloudFormation string."""
        return self.design.name

    def content_hash(self) -> str:
        """The content hash of the design as given (not of its escaped copy)."""
        return self.source.content_hash()

    def vpc_endpoints(self, vpc: Group) -> list[tuple[str, str]]:
        """(service, Gateway|Interface) endpoints the VPC's functions need to reach AWS services.

        Gateway endpoints (S3, DynamoDB) cost nothing and are always added; interface endpoints only
        when there is no NAT gateway, as without them a function in private subnets reaches nothing.
        Which endpoint a service needs is catalog data (``vpc_endpoint``).
        """
        needed: set[tuple[str, str]] = set()
        for function in self.members(vpc):
            if function.type != "lambda_function":
                continue
            for link in self.data_links(function):
                endpoint = self.catalog.types[link.target.type].vpc_endpoint
                if endpoint is None:
                    continue
                if endpoint.type == "Gateway" or not self.vpc_prop(vpc, "nat_gateways"):
                    needed.add((endpoint.service, endpoint.type))
        return sorted(needed)

    def vpcs(self) -> list[Group]:
        return [g for g in self.design.groups if g.kind == "vpc"]

    def accounts(self) -> list[Group]:
        return [g for g in self.design.groups if g.kind == "account"]

    def members(self, vpc: Group) -> list[Component]:
        return [c for c in self.design.components if self.vpc_of(c) is vpc]

    def functions(self) -> list[Component]:
        return self.of_type("lambda_function")

    def edge_functions(self) -> list[Component]:
        return [f for f in self.functions() if self.prop(f, "role") == "edge"]

    def data_links(self, function: Component) -> list[Link]:
        """What the function talks to (reads, writes, sends, invokes): permissions and env vars."""
        return [
            link
            for link in self.out(function, "read", "write", "read_write", "invoke", "reference", "call")
            if self.catalog.types[link.target.type].env_suffix
        ]

    def dead_letter(self, component: Component) -> Component | None:
        links = self.out(component, "dead_letter")
        return links[0].target if links else None

    def destinations(self, function: Component) -> dict[str, Component]:
        """The function's on-success and on-failure destinations ({"success": …, "failure": …})."""
        return {link.prop("on"): link.target for link in self.out(function, "destination")}

    def needs_alias(self, function: Component) -> bool:
        """Published versions are needed at the edge, for gradual deployment and provisioned concurrency."""
        return (
            self.prop(function, "role") == "edge"
            or self.prop(function, "deployment_preference") != "none"
            or (self.prop(function, "provisioned_concurrency") or 0) > 0
        )

    def function_url(self, function: Component) -> str | None:
        """The auth of the function's URL ("AWS_IAM" or "NONE"), or None when it has none.

        A function clients 'request' needs an entry point: when its function_url is none it gets an
        IAM-authenticated URL, the choice that exposes nothing (a public URL is only ever asked for).
        """
        setting = self.prop(function, "function_url")
        if setting == "public":
            return "NONE"
        if setting == "aws_iam" or self.into(function, "request"):
            return "AWS_IAM"
        return None

    def function_url_origins(self, function: Component) -> list[str]:
        raw = self.prop(function, "function_url_cors_origins") or ""
        return [origin.strip() for origin in raw.split(",") if origin.strip()]

    def authorizers(self, api: Component) -> list[Link]:
        return self.out(api, "authorize")

    def origins(self, distribution: Component) -> list[Link]:
        return sorted(self.out(distribution, "origin"), key=lambda link: link.prop("path_pattern") == "*", reverse=True)

    def cors_origins(self, api: Component) -> list[str]:
        """The API's allowed origins; the catalog pattern keeps quotes and spaces out of each."""
        raw = self.prop(api, "cors_origins") or ""
        return [origin.strip() for origin in raw.split(",") if origin.strip()]

    def port(self, store: Component) -> int:
        if store.type == "opensearch_domain":
            return 443
        if store.type == "documentdb_cluster":
            return 27017
        if store.type == "msk_cluster":
            return 9098  # Kafka over TLS with IAM access control
        if store.type == "efs_file_system":
            return 2049  # NFS
        return DATA_PORTS[self.prop(store, "engine")]

    def event_pattern(self, bus: Component) -> dict[str, Any]:
        raw = self.prop(bus, "event_pattern")
        # The text was escaped, but JSON's own escapes (\u007b) can spell "{{" again once parsed.
        return cfn_data(json.loads(raw)) if raw else {"source": [{"prefix": ""}]}

    def stream_enabled(self, table: Component) -> bool:
        return bool(self.prop(table, "stream")) or bool(self.out(table, "poll"))

    def routes(self, api: Component) -> list[tuple[Link, str, str]]:
        """The API's routes (``DesignGraph.routes``), refused when two share a method and path."""
        seen: dict[tuple[str, str], str] = {}
        routes = super().routes(api)
        for link, method, path in routes:
            if (method, path) in seen:
                self._fail_link(
                    link, f"the API already routes {method} {path} to {seen[(method, path)]!r}; give it its own route"
                )
            seen[(method, path)] = link.target.id
        return routes

    def websocket_routes(self, api: Component) -> list[tuple[Link, str]]:
        """(link, route key) for each function a WebSocket API invokes, refused when two share a key.

        A connection's own ``route_key`` wins; without one the API's only unrouted function takes every
        message no other route matches (``$default``), and further ones are routed by their component id.
        """
        links = self.out(api, "invoke")
        unrouted = [link for link in links if not link.prop("route_key")]
        routes: list[tuple[Link, str]] = []
        seen: dict[str, str] = {}
        for link in links:
            if link.connection.props.get("route"):
                self._fail_link(
                    link,
                    "a WebSocket API routes by route_key ($connect, $default, sendmessage…), not by method and path",
                )
            key = link.prop("route_key") or ("$default" if len(unrouted) == 1 else link.target.id)
            if key in seen:
                self._fail_link(link, f"the API already routes {key} to {seen[key]!r}; give it its own route_key")
            seen[key] = link.target.id
            routes.append((link, key))
        return routes

    def graphql_resolvers(self, api: Component) -> list[tuple[Link, str, str]]:
        """(link, type, field) for each data source that resolves a field, checked against the schema.

        A 'resolve' connection without a field is a data source with no resolver yet; a field the schema
        does not declare, or one two data sources resolve, is refused (AppSync would reject the stack).
        """
        declared = schema_fields(self.prop(api, "schema"))
        resolvers: list[tuple[Link, str, str]] = []
        seen: dict[str, str] = {}
        for link in self.out(api, "resolve"):
            field = link.prop("field")
            if not field:
                continue
            type_name, name = field.split(".", 1)
            if name not in declared.get(type_name, set()):
                self._fail_link(link, f"the API's schema declares no field {name!r} on type {type_name}")
            if field in seen:
                self._fail_link(link, f"{seen[field]!r} already resolves {field}; a field has one resolver")
            seen[field] = link.target.id
            resolvers.append((link, type_name, name))
        return resolvers

    def graphql_authorizer(self, api: Component) -> Link | None:
        """The user pool or Lambda authorizer the API's auth names (None for API keys and IAM)."""
        auth = self.prop(api, "auth")
        if auth not in ("cognito", "lambda"):
            return None
        wanted = "cognito_user_pool" if auth == "cognito" else "lambda_function"
        for link in self.authorizers(api):
            if link.target.type == wanted:
                return link
        self._fail(api, f"auth is {auth!r} but no {wanted} is connected to it with an 'authorize' connection")
        return None

    def websocket_authorizer(self, api: Component) -> Link | str | None:
        """What checks a client when it connects: a link to a Lambda authorizer, "AWS_IAM", or None."""
        auth = self.prop(api, "auth")
        if auth == "iam":
            return "AWS_IAM"
        if auth == "lambda":
            for link in self.authorizers(api):
                if link.target.type == "lambda_function":
                    return link
            self._fail(api, "auth is 'lambda' but no lambda_function is connected to it with an 'authorize' connection")
        return None

    def default_authorizer(self, api: Component) -> Link | str | None:
        """The authorizer every route uses: a link to a user pool or function, "AWS_IAM", or None."""
        auth = self.prop(api, "auth")
        if auth == "none" or auth == "api_key":
            return None
        if auth == "iam":
            return "AWS_IAM"
        wanted = "cognito_user_pool" if auth in ("cognito", "jwt") else "lambda_function"
        for link in self.authorizers(api):
            if link.target.type == wanted:
                return link
        self._fail(api, f"auth is {auth!r} but no {wanted} is connected to it with an 'authorize' connection")
        return None

    def subnet_layout(self, vpc: Group) -> tuple[int, int]:
        """(number of subnets, bits per subnet for Fn::Cidr): private subnets, plus public ones for NAT."""
        props = self.catalog.group_kinds["vpc"].props.fields
        az_count = vpc.props.get("az_count", props["az_count"].default)
        nat = vpc.props.get("nat_gateways", props["nat_gateways"].default)
        count = az_count * (2 if nat else 1)
        prefix = int(str(vpc.props.get("cidr", props["cidr"].default)).split("/")[1])
        needed = prefix + max(1, (count - 1).bit_length())
        subnet_prefix = max(needed, 24)  # /24 subnets where the block has room, smaller ones otherwise
        if subnet_prefix > 28:
            raise ExportError(f"group {vpc.id!r} (vpc): its CIDR block is too small for {count} subnets")
        return count, 32 - subnet_prefix

    # -- what cannot be exported ---------------------------------------------------------------

    def _fail(self, component: Component, why: str) -> None:
        raise ExportError(f"component {component.id!r} ({component.type}) cannot be exported: {why}")

    def _fail_link(self, link: Link, why: str) -> None:
        raise ExportError(
            f"connection {link.connection.id!r} ({link.source.id} → {link.target.id}, {link.kind}) cannot be exported: {why}"
        )

    def _check(self) -> None:
        for function in self.functions():
            runtime = self.prop(function, "runtime")
            if self.prop(function, "timeout_s") > 900:
                self._fail(function, "Lambda allows a timeout of at most 900 s")
            if self.prop(function, "role") == "edge":
                if self.vpc_of(function) is not None:
                    self._fail(function, "Lambda@Edge functions cannot run in a VPC")
                if self.data_links(function) or self.dead_letter(function):
                    self._fail(
                        function, "Lambda@Edge functions cannot have environment variables or a dead-letter queue"
                    )
                if self.function_url(function) is not None:
                    self._fail(function, "Lambda@Edge functions cannot have a function URL")
                if "edge" not in roles_for(runtime):
                    self._fail(function, "Lambda@Edge runs Node.js and Python only")
                if self.region_of(function) != "us-east-1":
                    self._fail(function, "Lambda@Edge functions must be created in us-east-1")
        for table in self.of_type("dynamodb_table"):
            if self.prop(table, "sort_key") == self.prop(table, "partition_key"):
                self._fail(table, "its sort key must be another attribute than its partition key")
        for store in self.design.components:
            if self.catalog.types[store.type].vpc_only and self.vpc_of(store) is None:
                self._fail(store, "it must be inside a VPC group (its private subnets hold it)")
        self._check_cloudformation_references()
        for connection in self.design.connections:
            self._check_link(Link(connection, self.components[connection.source], self.components[connection.target]))
        for bus in self.of_type("eventbridge_bus"):
            raw = self.prop(bus, "event_pattern")
            if raw:
                try:
                    pattern = json.loads(raw)
                except json.JSONDecodeError as exc:
                    self._fail(bus, f"event_pattern is not JSON ({exc.msg})")
                if not isinstance(pattern, dict):
                    self._fail(bus, "event_pattern must be a JSON object")
        for api in self.of_type("api_gateway_rest", "api_gateway_http"):
            self.routes(api)
            self.default_authorizer(api)
        for api in self.of_type("api_gateway_websocket"):
            self.websocket_routes(api)
            self.websocket_authorizer(api)
        for api in self.of_type("appsync_api"):
            self.graphql_resolvers(api)
            self.graphql_authorizer(api)
        for name, owners in shared_custom_domains(self):
            self._fail(
                owners[1], f"{name} is already the custom domain of {owners[0].id!r}, and AWS gives a name to one only"
            )
        for distribution in self.of_type("cloudfront"):
            patterns = [link.prop("path_pattern") for link in self.origins(distribution)]
            if len(patterns) != len(set(patterns)):
                self._fail(distribution, "two origins share one path pattern")
            if not patterns:
                self._fail(distribution, "it has no origin; connect it to a bucket or an API with 'origin'")
        for queue in self.of_type("sqs_queue"):
            dlq = self.dead_letter(queue)
            if (
                dlq is not None
                and dlq.type == "sqs_queue"
                and bool(self.prop(dlq, "fifo")) != bool(self.prop(queue, "fifo"))
            ):
                self._fail(queue, "a FIFO queue needs a FIFO dead-letter queue (and a standard queue a standard one)")
            for link in self.out(queue, "poll"):
                if link.target.type != "lambda_function":
                    continue  # a pipe's SQS source has no such limits of its own
                batch = link.prop("batch_size")
                if batch > 10 and (self.prop(queue, "fifo") or link.prop("max_batching_window_s") == 0):
                    self._fail_link(
                        link, "SQS batches above 10 need a standard queue and a batching window of at least 1 s"
                    )
                if self.prop(queue, "visibility_timeout_s") < self.prop(link.target, "timeout_s"):
                    self._fail(
                        queue,
                        f"its visibility timeout is shorter than the timeout of {link.target.id!r}, which Lambda refuses",
                    )

    def kept_names(self) -> set[str]:
        """What an imported design's kept CloudFormation lets a resource name: the template's parameters,
        the resources it keeps, and the components that kept their logical ids (the SAM export writes all
        of them back under those names)."""
        source = self.source
        if source.cloudformation is None:
            return set()
        names = set(source.cloudformation.parameters) | kept_logical_ids(source)
        return names | {self.ids[c.id] for c in source.components if c.cloudformation is not None}

    def _check_cloudformation_references(self) -> None:
        """A generic resource's properties may name pseudo parameters and the other generic resources of
        its account by logical id: other components' resources are named differently by the CDK, so a
        function reaches them through a connection instead."""
        for resource in self.of_type("cloudformation_resource"):
            account = self.account_of(resource)
            known = {
                self.ids[other.id]
                for other in self.of_type("cloudformation_resource")
                if other is not resource and self.account_of(other) is account
            }
            known |= self.kept_names()
            for name in sorted(referenced_names(self.prop(resource, "properties"))):
                if not PSEUDO_PARAMETER.match(name) and name not in known:
                    hint = f" (the CloudFormation resources it may name: {', '.join(sorted(known))})" if known else ""
                    self._fail(
                        resource,
                        f"its properties refer to {name!r}, which is neither an AWS pseudo parameter nor another "
                        f"CloudFormation resource of this design{hint}",
                    )

    def _check_link(self, link: Link) -> None:
        source_account, target_account = self.account_of(link.source), self.account_of(link.target)
        crossing = source_account is not target_account and link.source.type not in CLIENT_TYPES
        if crossing:
            self._fail_link(link, "it crosses AWS accounts; each account deploys its own resources")
        if (
            link.kind == "authorize"
            and link.target.type == "lambda_function"
            and self.prop(link.target, "role") != "authorizer"
        ):
            self._fail_link(link, "the authorizer function must have role 'authorizer'")
        if link.kind == "destination":
            same = [other for other in self.out(link.source, "destination") if other.prop("on") == link.prop("on")]
            if same[0].connection.id != link.connection.id:
                self._fail_link(link, f"a function has one on-{link.prop('on')} destination; this is a second one")
            if self.prop(link.source, "role") != "function":
                self._fail_link(
                    link, "only functions invoked asynchronously have destinations (not authorizers or Lambda@Edge)"
                )
            if link.target.type == "eventbridge_bus" and self.prop(link.target, "schedule_expression"):
                self._fail_link(link, "a scheduled rule has no event bus to send to; use an event bus component")
            if link.target is link.source:
                self._fail_link(link, "a function cannot be its own destination")
        if link.kind == "edge" and self.prop(link.target, "role") != "edge":
            self._fail_link(link, "the function must have role 'edge'")
        if link.kind == "request" and link.target.type == "s3_bucket" and not self.prop(link.target, "public_access"):
            self._fail_link(
                link, "clients cannot reach a private bucket; serve it through CloudFront or make it public"
            )
