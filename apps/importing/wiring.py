"""Connections and VPC groups read from a template's wiring. Pure Python, no Django.

Where a template says that one resource reaches another — a function's ``Events``, an event source
mapping, an SNS subscription, a rule's targets, a SAM policy template, an IAM statement, an environment
variable that refers to a resource — the import draws a connection of the first kind the catalog allows
between the two types, in the order of preference each source gives. A reference the catalog has no
connection for is reported, never forced.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from apps.designs.document import poll_source_problems
from apps.exporting.plan import referenced_names
from apps.importing.permissions import DATA_ACCESS, POLICY_TEMPLATES, kind_from_actions
from apps.importing.props import with_globals

if TYPE_CHECKING:
    from apps.importing.engine import Importer

FUNCTIONS = ("AWS::Serverless::Function", "AWS::Lambda::Function")
STATE_MACHINES = ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine")
INVOKE = ["invoke", "trigger", "deliver", "integrate"]

# SAM event type → (the property naming its source, kinds from source to function, implicit component).
EVENT_SOURCES: dict[str, tuple[str | None, list[str]]] = {
    "Api": ("RestApiId", ["invoke", "integrate"]),
    "HttpApi": ("ApiId", ["invoke", "integrate"]),
    "SQS": ("Queue", ["poll"]),
    "Kinesis": ("Stream", ["poll"]),
    "DynamoDB": ("Stream", ["poll"]),
    "MSK": ("Stream", ["poll"]),
    "MQ": ("Broker", ["poll"]),
    "DocumentDB": ("Cluster", ["poll"]),
    "S3": ("Bucket", ["trigger"]),
    "SNS": ("Topic", ["trigger"]),
    "Cognito": ("UserPool", ["trigger"]),
    "EventBridgeRule": (None, ["trigger"]),
    "CloudWatchEvent": (None, ["trigger"]),
    "Schedule": (None, ["trigger"]),
    "ScheduleV2": (None, ["deliver"]),
}
IMPLICIT_APIS = {"Api": ("ServerlessRestApi", "api_gateway_rest"), "HttpApi": ("ServerlessHttpApi", "api_gateway_http")}
SECRET_READS = frozenset({"AWSSecretsManagerGetSecretValuePolicy"})
POLL_PROPS = {
    "BatchSize": "batch_size",
    "StartingPosition": "starting_position",
    "MaximumBatchingWindowInSeconds": "max_batching_window_s",
    "ParallelizationFactor": "parallelization_factor",
    "DatabaseName": "database_name",
    "CollectionName": "collection_name",
}


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


class Wiring:
    """The wiring pass of one import (it reads and fills the importer's components and report)."""

    def __init__(self, importer: Importer) -> None:
        self.imp = importer
        self.catalog = importer.catalog
        self.pairs: dict[tuple[str, str, str], dict[str, Any]] = {}

    # -- helpers ------------------------------------------------------------------------------------------

    def component_for(self, value: Any) -> str | None:
        """The component a piece of CloudFormation refers to (the first one, if it names several)."""
        names = sorted(referenced_names(value) & set(self.imp.owner))
        return self.imp.owner[names[0]] if names else None

    def components_for(self, value: Any) -> list[str]:
        return sorted({self.imp.owner[n] for n in referenced_names(value) & set(self.imp.owner)})

    def type_of(self, cid: str) -> str:
        return str(self.imp.components[cid]["type"])

    def connect(self, source: str, target: str, kinds: list[str], props: dict[str, Any], origin: str) -> str | None:
        """Draw a connection of the first kind of ``kinds`` the catalog allows; report it when none does."""
        if source == target:
            return None
        source_type, target_type = self.type_of(source), self.type_of(target)
        allowed = [
            k
            for k in kinds
            if k in self.catalog.connection_kinds and self.catalog.connection_kinds[k].allows(source_type, target_type)
        ]
        if not allowed:
            self.imp.report.not_understood.append(
                f"{origin}: {source} ({source_type}) reaches {target} ({target_type}), "
                "but no connection kind the catalog has links them"
            )
            return None
        kind = allowed[0]
        spec = self.catalog.connection_kinds[kind]
        clean = {}
        for name, value in props.items():
            if name in spec.props.fields and value is not None and not spec.props.fields[name].check(value, (name,)):
                clean[name] = value
        if kind == "poll" and poll_source_problems(source_type, clean, ("props",)):
            self.imp.report.not_understood.append(f"{origin}: the poll from {source} names no literal topic or queue")
            return None
        # Two routes from one API to one function are two connections; any other pair needs only one.
        key = (source, target, kind if "route" not in clean else f"{kind} {clean['route']}")
        existing = self.pairs.get(key)
        if existing is not None:
            return str(existing["id"])
        for other, upgrade in (("read", "write"), ("write", "read")):
            twin = self.pairs.get((source, target, other))
            if (
                kind == upgrade
                and twin is not None
                and self.catalog.connection_kinds["read_write"].allows(source_type, target_type)
            ):
                twin["kind"] = "read_write"
                self.pairs[(source, target, kind)] = twin
                return str(twin["id"])
        base = f"{source}_to_{target}"[:60].rstrip("_")
        cid, number = base, 2
        while cid in self.imp.taken_ids:
            cid, number = f"{base[:58]}_{number}", number + 1
        self.imp.taken_ids.add(cid)
        connection = {"id": cid, "source": source, "target": target, "kind": kind, "props": clean}
        self.pairs[key] = connection
        self.imp.connections.append(connection)
        self.imp.report.connections.append(
            {"id": cid, "kind": kind, "source": source, "target": target, "from": origin}
        )
        return cid

    def connected(self, source: str, target: str) -> bool:
        return any(s == source and t == target for s, t, _ in self.pairs)

    def consumed(self, logical_id: str, connection: str | None, note: str) -> None:
        from apps.importing.engine import ResourceEntry

        resource = self.imp.resources[logical_id]
        if connection is None:
            return
        entry = self.imp.report.resources.get(logical_id)
        if entry is None:
            entry = ResourceEntry(logical_id, resource["Type"], "connection", notes=[note])
            self.imp.report.resources[logical_id] = entry
        entry.connections.append(connection)

    def implicit(self, wanted_id: str, ctype: str, props: dict[str, Any], label: str) -> str:
        cid = wanted_id
        if cid not in self.imp.components:
            cid = self.imp.new_id(wanted_id)
            self.imp.components[cid] = {"id": cid, "type": ctype, "label": label[:200], "props": props}
            self.imp.report.implicit.append(cid)
        return cid

    # -- implicit components (what SAM creates from a function's events) -------------------------------

    def implicit_components(self) -> None:
        for resource in self.imp.resources.values():
            events = (resource.get("Properties") or {}).get("Events")
            if resource["Type"] not in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine") or not isinstance(
                events, dict
            ):
                continue
            for event in events.values():
                kind = event.get("Type") if isinstance(event, dict) else None
                properties = event.get("Properties") if isinstance(event, dict) else None
                properties = properties if isinstance(properties, dict) else {}
                if kind in IMPLICIT_APIS and not properties.get(EVENT_SOURCES[kind][0] or ""):
                    name, ctype = IMPLICIT_APIS[kind]
                    if name not in self.imp.owner:
                        cid = self.imp.new_id(name)
                        self.imp.components[cid] = {
                            "id": cid,
                            "type": ctype,
                            "label": f"{name} (made by SAM)",
                            # SAM's implicit API logs nothing; the export adds no logging it did not have
                            "props": {"logging": False},
                        }
                        self.imp.owner[name] = cid
                        self.imp.report.implicit.append(cid)
                        self.imp.ctype_of[name] = self.catalog.types[ctype]

    # -- every source of connections -----------------------------------------------------------------------

    def connect_all(self) -> None:
        for logical_id, resource in self.imp.resources.items():
            properties = resource.get("Properties") or {}
            own = self.imp.owner.get(logical_id)
            resource_type = resource["Type"]
            if own is not None and resource_type in FUNCTIONS + STATE_MACHINES:
                properties = with_globals(resource_type, properties, self.imp.globals)
                self.events(logical_id, own, properties.get("Events"))
                self.policies(logical_id, own, properties.get("Policies"))
                self.destinations(logical_id, own, properties)
                for layer in _listed(properties.get("Layers")):
                    target = self.component_for(layer)
                    if target:
                        self.connect(own, target, ["layer"], {}, f"{logical_id}.Layers")
            elif resource_type == "AWS::Lambda::EventSourceMapping":
                self.event_source_mapping(logical_id, properties)
            elif resource_type in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi") and own:
                self.api_auth(logical_id, own, with_globals(resource_type, properties, self.imp.globals))
                self.openapi(logical_id, own, properties.get("DefinitionBody"))
            elif resource_type in ("AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api") and own:
                self.openapi(logical_id, own, properties.get("Body"))
            elif resource_type == "AWS::SNS::Subscription":
                source, target = (
                    self.component_for(properties.get("TopicArn")),
                    self.component_for(properties.get("Endpoint")),
                )
                if source and target:
                    self.consumed(
                        logical_id,
                        self.connect(source, target, ["trigger"], {}, logical_id),
                        "a trigger from the topic",
                    )
            elif resource_type == "AWS::SNS::Topic" and own:
                for item in _listed(properties.get("Subscription")):
                    target = self.component_for(item.get("Endpoint") if isinstance(item, dict) else None)
                    if target:
                        self.connect(own, target, ["trigger"], {}, f"{logical_id}.Subscription")
            elif resource_type == "AWS::Events::Rule" and own:
                for target in _listed(properties.get("Targets")):
                    to = self.component_for(target.get("Arn") if isinstance(target, dict) else None)
                    if to:
                        self.connect(own, to, ["trigger", "deliver", "write"], {}, f"{logical_id}.Targets")
            elif resource_type == "AWS::Scheduler::Schedule" and own:
                target = properties.get("Target")
                to = self.component_for(target.get("Arn") if isinstance(target, dict) else None)
                if to:
                    self.connect(own, to, ["deliver", "trigger"], {}, f"{logical_id}.Target")
            elif resource_type == "AWS::Pipes::Pipe" and own:
                source, target = (
                    self.component_for(properties.get("Source")),
                    self.component_for(properties.get("Target")),
                )
                if source:
                    self.connect(source, own, ["poll"], {}, f"{logical_id}.Source")
                if target:
                    self.connect(own, target, ["deliver"], {}, f"{logical_id}.Target")
                enrichment = self.component_for(properties.get("Enrichment"))
                if enrichment:
                    self.connect(own, enrichment, ["enrich"], {}, f"{logical_id}.Enrichment")
            elif resource_type == "AWS::KinesisFirehose::DeliveryStream" and own:
                self.firehose(logical_id, own, properties)
            elif resource_type == "AWS::CloudFront::Distribution" and own:
                distribution = properties.get("DistributionConfig")
                config: dict[str, Any] = distribution if isinstance(distribution, dict) else {}
                for origin in _listed(config.get("Origins")):
                    target = self.component_for(origin)
                    if target:
                        self.connect(own, target, ["origin"], {}, f"{logical_id}.Origins")
            elif resource_type == "AWS::SQS::Queue" and own:
                redrive = properties.get("RedrivePolicy")
                target = self.component_for(redrive.get("deadLetterTargetArn") if isinstance(redrive, dict) else None)
                if target:
                    self.connect(own, target, ["dead_letter"], {}, f"{logical_id}.RedrivePolicy")
            elif resource_type in ("AWS::ApiGatewayV2::Integration", "AWS::ApiGateway::Method"):
                self.api_integration(logical_id, properties)
            elif resource_type in ("AWS::ApiGateway::Authorizer", "AWS::ApiGatewayV2::Authorizer"):
                api = self.component_for(properties.get("RestApiId") or properties.get("ApiId"))
                target = self.component_for(properties.get("AuthorizerUri") or properties.get("ProviderARNs"))
                if api and target:
                    self.authorize(api, target, logical_id)
                    connection = self.connect(api, target, ["authorize"], {}, logical_id)
                    self.consumed(logical_id, connection, "an authorize connection")
                    if connection and self.type_of(api) == "api_gateway_websocket":
                        self.keep_wiring(logical_id)
            elif resource_type in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role"):
                self.iam(logical_id, properties)
            elif (
                resource_type.startswith("Custom::") or resource_type == "AWS::CloudFormation::CustomResource"
            ) and own:
                self.custom_resource_provider(logical_id, own, properties.get("ServiceToken"))
        # What only names a resource (an environment variable, a definition) is drawn where nothing more
        # explicit (an event, a policy, a role's statement) already links the two, whatever the order
        # of the resources in the template.
        for logical_id, resource in self.imp.resources.items():
            own = self.imp.owner.get(logical_id)
            if own is not None and resource["Type"] in FUNCTIONS + STATE_MACHINES:
                properties = with_globals(resource["Type"], resource.get("Properties") or {}, self.imp.globals)
                self.environment(logical_id, own, properties)
                if resource["Type"] in STATE_MACHINES:
                    self.definition(logical_id, own, properties)
        for logical_id, resource in self.imp.resources.items():
            if resource["Type"] == "AWS::Lambda::Permission":
                self.permission(logical_id, resource.get("Properties") or {})

    def firehose(self, logical_id: str, own: str, properties: dict[str, Any]) -> None:
        """A Firehose stream's bucket (its S3 destination, or the backup bucket of another destination) and
        the functions that transform its records."""
        for key, config in properties.items():
            if not (key.endswith("DestinationConfiguration") and isinstance(config, dict)):
                continue
            backup = config.get("S3Configuration")
            bucket = self.component_for(
                config.get("BucketARN") or (backup.get("BucketARN") if isinstance(backup, dict) else None)
            )
            if bucket:
                self.connect(own, bucket, ["deliver"], {}, f"{logical_id}.{key}")
            processing = config.get("ProcessingConfiguration")
            processors = processing.get("Processors") if isinstance(processing, dict) else None
            for processor in _listed(processors):
                function = self.component_for(processor.get("Parameters") if isinstance(processor, dict) else None)
                if function:
                    self.connect(own, function, ["enrich"], {}, f"{logical_id}.{key}.ProcessingConfiguration")

    def custom_resource_provider(self, logical_id: str, own: str, token: Any) -> None:
        """A custom resource's ServiceToken: a function of the template becomes its 'provide' connection; an
        ARN written out becomes its service_token; anything else (an import, a parameter) is reported."""
        provider = self.component_for(token)
        if provider and self.type_of(provider) == "lambda_function":
            self.connect(own, provider, ["provide"], {}, f"{logical_id}.ServiceToken")
        elif isinstance(token, str):
            self.imp.components[own]["props"]["service_token"] = token
        else:
            self.imp.report.not_understood.append(
                f"{logical_id}: its ServiceToken is neither a function of the template nor an ARN; "
                "connect the function that serves it with 'provide' or set service_token before exporting"
            )

    def authorize(self, api: str, target: str, origin: str) -> None:
        """A function that authorizes an API's requests has the authorizer role in the catalog."""
        component = self.imp.components[target]
        if component["type"] == "lambda_function":
            component["props"]["role"] = "authorizer"

    def api_auth(self, logical_id: str, own: str, properties: dict[str, Any]) -> None:
        """Authorizers of a SAM API (Auth.Authorizers): its functions and user pools."""
        auth = properties.get("Auth")
        authorizers = auth.get("Authorizers") if isinstance(auth, dict) else None
        if not isinstance(authorizers, dict):
            return
        for name, authorizer in authorizers.items():
            target = self.component_for(
                authorizer.get("FunctionArn") or authorizer.get("UserPoolArn") if isinstance(authorizer, dict) else None
            )
            if target:
                self.authorize(own, target, logical_id)
                self.connect(own, target, ["authorize"], {}, f"{logical_id}.Auth.Authorizers.{name}")

    def openapi(self, logical_id: str, own: str, body: Any) -> None:
        """Routes of an OpenAPI definition whose x-amazon-apigateway-integration names a resource."""
        paths = body.get("paths") if isinstance(body, dict) else None
        if not isinstance(paths, dict):
            return
        for path, operations in paths.items():
            for method, operation in operations.items() if isinstance(operations, dict) else ():
                integration = operation.get("x-amazon-apigateway-integration") if isinstance(operation, dict) else None
                if not isinstance(integration, dict):
                    continue
                # the URI names a function; a service integration names its target in its parameters
                # (QueueUrl, StateMachineArn…); the credentials name a role, which is not the target
                target = self.component_for({k: v for k, v in integration.items() if k != "credentials"})
                if target is None:
                    continue
                verb = "ANY" if method == "x-amazon-apigateway-any-method" else str(method).upper()
                props = {"route": f"{verb} {path}"}
                self.connect(own, target, ["invoke", "integrate"], props, f"{logical_id} OpenAPI {verb} {path}")

    def events(self, logical_id: str, own: str, events: Any) -> None:
        if not isinstance(events, dict):
            return
        for name, event in events.items():
            origin = f"{logical_id}.Events.{name}"
            kind = event.get("Type") if isinstance(event, dict) else None
            properties = event.get("Properties") if isinstance(event, dict) else None
            properties = properties if isinstance(properties, dict) else {}
            if kind not in EVENT_SOURCES:
                self.imp.report.not_understood.append(f"{origin}: a {kind} event is not drawn (kept with the function)")
                continue
            source_key, kinds = EVENT_SOURCES[kind]
            props: dict[str, Any] = {}
            if kind in IMPLICIT_APIS:
                source = (
                    self.component_for(properties.get(source_key))
                    if properties.get(source_key)
                    else self.imp.owner.get(IMPLICIT_APIS[kind][0])
                )
                method, path = properties.get("Method"), properties.get("Path")
                if isinstance(method, str) and isinstance(path, str):
                    props["route"] = f"{method.upper()} {path}"
            elif source_key is not None:
                source = self.component_for(properties.get(source_key))
                props = {ours: properties.get(theirs) for theirs, ours in POLL_PROPS.items()}
                topics, queues = _listed(properties.get("Topics")), _listed(properties.get("Queues"))
                props["topic"] = topics[0] if topics else None
                props["queue_name"] = queues[0] if queues else None
                if kind == "S3":
                    props["events"] = _listed(properties.get("Events"))[0] if properties.get("Events") else None
                    rules = (
                        ((properties.get("Filter") or {}).get("S3Key") or {}).get("Rules")
                        if isinstance(properties.get("Filter"), dict)
                        else None
                    )
                    for rule in _listed(rules):
                        if isinstance(rule, dict) and str(rule.get("Name")).lower() in ("prefix", "suffix"):
                            props[str(rule["Name"]).lower()] = rule.get("Value")
                if kind == "Cognito":
                    props["events"] = _listed(properties.get("Trigger"))[0] if properties.get("Trigger") else None
            else:
                source = self.event_rule(logical_id, name, kind, properties)
            if source is None:
                self.imp.report.not_understood.append(
                    f"{origin}: its {kind} source is not a resource of this template (kept with the function)"
                )
                continue
            self.connect(source, own, kinds, props, origin)

    def event_rule(self, logical_id: str, name: str, kind: str, properties: dict[str, Any]) -> str | None:
        """The rule or schedule SAM makes for a function's EventBridgeRule, Schedule or ScheduleV2 event."""
        wanted = f"{logical_id}{name}"
        if kind == "ScheduleV2":
            expression = properties.get("ScheduleExpression")
            ctype, props = "scheduler_schedule", {"schedule_expression": expression}
        elif kind == "Schedule":
            ctype, props = "eventbridge_bus", {"schedule_expression": properties.get("Schedule")}
        else:
            pattern = properties.get("Pattern")
            ctype, props = (
                "eventbridge_bus",
                {"event_pattern": json.dumps(pattern) if isinstance(pattern, dict) else None},
            )
        fields = self.catalog.types[ctype].props.fields
        props = {k: v for k, v in props.items() if isinstance(v, str) and not fields[k].check(v, (k,))}
        return self.implicit(wanted, ctype, props, f"{wanted} (made by SAM from {logical_id}'s {name} event)")

    def policies(self, logical_id: str, own: str, policies: Any) -> None:
        for index, policy in enumerate(_listed(policies)):
            if not isinstance(policy, dict):
                continue  # a managed policy's name or ARN: nothing in the template it reaches
            origin = f"{logical_id}.Policies[{index}]"
            if "Statement" in policy:
                self.statements(own, policy["Statement"], origin)
                continue
            for template, arguments in policy.items():
                kinds = POLICY_TEMPLATES.get(template)
                targets = self.components_for(arguments)
                if kinds is None and targets:
                    self.imp.report.not_understood.append(f"{origin}: the policy template {template} is not drawn")
                for target in targets if kinds else []:
                    # reading a database's own secret says nothing of what the function does with the data
                    wanted = (
                        DATA_ACCESS
                        if template in SECRET_READS and self.type_of(target) != "secrets_manager_secret"
                        else kinds
                    )
                    self.connect(own, target, wanted or [], {}, f"{origin} ({template})")

    def statements(self, own: str, statements: Any, origin: str) -> None:
        for statement in _listed(statements):
            if not isinstance(statement, dict) or statement.get("Effect", "Allow") != "Allow":
                continue
            actions = [a for a in _listed(statement.get("Action")) if isinstance(a, str)]
            for target in self.components_for(statement.get("Resource")):
                props = {"actions": ", ".join(actions)} if self.type_of(target) == "cloudformation_resource" else {}
                self.connect(own, target, kind_from_actions(actions), props, f"{origin} (IAM statement)")

    def environment(self, logical_id: str, own: str, properties: dict[str, Any]) -> None:
        variables = (
            (properties.get("Environment") or {}).get("Variables")
            if isinstance(properties.get("Environment"), dict)
            else None
        )
        if not isinstance(variables, dict):
            return
        for name, value in variables.items():
            for target in self.components_for(value):
                if not self.connected(own, target):
                    self.connect(own, target, DATA_ACCESS, {}, f"{logical_id}.Environment.{name}")

    def definition(self, logical_id: str, own: str, properties: dict[str, Any]) -> None:
        """What a state machine's definition (or its substitutions) names: the tasks it runs."""
        for key in ("DefinitionSubstitutions", "Definition", "DefinitionString"):
            for target in self.components_for(properties.get(key)):
                if not self.connected(own, target):
                    self.connect(own, target, ["invoke", *DATA_ACCESS], {}, f"{logical_id}.{key}")

    def destinations(self, logical_id: str, own: str, properties: dict[str, Any]) -> None:
        dead_letter = properties.get("DeadLetterQueue")
        target = self.component_for(dead_letter.get("TargetArn") if isinstance(dead_letter, dict) else None)
        if target:
            self.connect(own, target, ["dead_letter"], {}, f"{logical_id}.DeadLetterQueue")
        config = properties.get("EventInvokeConfig")
        destinations = config.get("DestinationConfig") if isinstance(config, dict) else None
        for on in ("OnSuccess", "OnFailure"):
            entry = destinations.get(on) if isinstance(destinations, dict) else None
            target = self.component_for(entry.get("Destination") if isinstance(entry, dict) else None)
            if target:
                self.connect(
                    own, target, ["destination"], {"on": on[2:].lower()}, f"{logical_id}.EventInvokeConfig.{on}"
                )

    def event_source_mapping(self, logical_id: str, properties: dict[str, Any]) -> None:
        source, target = (
            self.component_for(properties.get("EventSourceArn")),
            self.component_for(properties.get("FunctionName")),
        )
        if not (source and target):
            return
        props = {ours: properties.get(theirs) for theirs, ours in POLL_PROPS.items()}
        topics, queues = _listed(properties.get("Topics")), _listed(properties.get("Queues"))
        props["topic"] = topics[0] if topics else None
        props["queue_name"] = queues[0] if queues else None
        self.consumed(logical_id, self.connect(source, target, ["poll"], props, logical_id), "a poll connection")

    def api_integration(self, logical_id: str, properties: dict[str, Any]) -> None:
        api = self.component_for(properties.get("ApiId") or properties.get("RestApiId"))
        integration = properties.get("Integration") if "RestApiId" in properties else properties.get("IntegrationUri")
        target = self.component_for(integration)
        if not (api and target):
            return
        websocket = self.type_of(api) == "api_gateway_websocket"
        props: dict[str, Any] = {}
        if websocket:  # the route key of the route that targets this integration
            keys = [
                (r.get("Properties") or {}).get("RouteKey")
                for r in self.imp.resources.values()
                if r["Type"] == "AWS::ApiGatewayV2::Route"
                and logical_id in referenced_names((r.get("Properties") or {}).get("Target"))
            ]
            if keys and isinstance(keys[0], str):
                props["route_key"] = keys[0]
        connection = self.connect(api, target, ["invoke", "integrate"], props, logical_id)
        self.consumed(logical_id, connection, "a route of the API")
        if websocket and connection:
            self.keep_wiring(logical_id)

    def keep_wiring(self, logical_id: str) -> None:
        """A WebSocket API's routes are written back as the template has them (they are its parts), so the
        integrations, authorizers and permissions they name are kept as written too, not regenerated."""
        entry = self.imp.report.resources[logical_id]
        entry.notes = [f"{entry.notes[0]}, kept as written with the API's own routes"]
        self.imp.kept[logical_id] = self.imp.resources[logical_id]

    def iam(self, logical_id: str, properties: dict[str, Any]) -> None:
        """Statements of a role or policy, drawn from the components that use the role."""
        if self.imp.resources[logical_id]["Type"] == "AWS::IAM::Role":
            roles = {logical_id}
            documents = [p.get("PolicyDocument") for p in _listed(properties.get("Policies")) if isinstance(p, dict)]
        else:
            roles = referenced_names(properties.get("Roles"))
            documents = [properties.get("PolicyDocument")]
        users = [
            self.imp.owner[lid]
            for lid, resource in self.imp.resources.items()
            if lid in self.imp.owner
            and resource["Type"] in FUNCTIONS + STATE_MACHINES
            and referenced_names((resource.get("Properties") or {}).get("Role")) & roles
        ]
        for user in users:
            for document in documents:
                if isinstance(document, dict):
                    self.statements(user, document.get("Statement"), logical_id)

    def permission(self, logical_id: str, properties: dict[str, Any]) -> None:
        function, source = (
            self.component_for(properties.get("FunctionName")),
            self.component_for(properties.get("SourceArn")),
        )
        if not (function and source):
            return
        existing = next((c["id"] for (s, t, _), c in self.pairs.items() if s == source and t == function), None)
        connection = existing or self.connect(source, function, INVOKE, {}, logical_id)
        self.consumed(logical_id, connection, "the permission of a connection")
        if connection and self.type_of(source) == "api_gateway_websocket":
            self.keep_wiring(logical_id)
