"""Writing an imported design's kept CloudFormation back into its CDK app (Python source). No Django.

The SAM export puts what the import kept back into the template (``kept.write_back``); this module does
the same in the stack the CDK app builds, with the constructs CDK has for each part of a template:

- Parameters, Mappings, Conditions, Rules and Outputs become ``CfnParameter``, ``CfnMapping``,
  ``CfnCondition`` (its expression written with ``cdk.Fn.condition_*``), ``CfnRule`` and ``CfnOutput``,
  each under the template's logical id; Metadata, Description and transforms go to the template options;
- a component's construct gives its CloudFormation resource the template's logical id, so the ``Ref``,
  ``Fn::GetAtt`` and ``${…}`` of the kept CloudFormation still name it; its resource attributes and the
  properties its props do not stand for are overridden on that resource (``kept.replaces_export`` decides which,
  for both writers), converted where CDK writes another type than the template had (SAM's);
- the resources kept undrawn, and the parts of components the SAM export writes as they were, become
  ``CfnResource``s as written; a REST API whose routes all live in its OpenAPI definition (CDK's
  ``RestApi`` refuses an API without methods) is written as the SAM export writes it.

SAM resources written as they were (``AWS::Serverless::*``, kept or drawn as ``cloudformation_resource``)
make the stack declare the SAM transform, as CDK's own ``aws_sam`` constructs do: CloudFormation expands
them at deploy time as it would have from the template, so nothing the template said is dropped or
rewritten by hand here. What cannot be written back (SAM-only features of a function CDK writes as an
``AWS::Lambda::Function``, code on the user's disk) is listed as notes for the README.

Every value reaches the source through ``py`` (Python literals); logical ids are checked to be what
CloudFormation takes, and kept strings that CDK would read as its own tokens are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Design
from apps.exporting.cdk_kept_properties import WRITTEN_AS, property_overrides, string_source, with_globals
from apps.exporting.cfn import py, var
from apps.exporting.plan import ExportError, Plan, referenced_names
from apps.exporting.sam import sam_template
from apps.exporting.services import service_for

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
LOGICAL_ID = re.compile(r"^[A-Za-z0-9]{1,255}$")
# CDK reads these in any string as references to its own tokens.
CDK_TOKEN = re.compile(r"[$#]\{Token\[")

# CfnParameter's keywords for the keys of a template parameter, and the Python type each one takes.
PARAMETER_FIELDS = {
    "Type": ("type", str), "Default": ("default", object), "AllowedValues": ("allowed_values", list),
    "AllowedPattern": ("allowed_pattern", str), "ConstraintDescription": ("constraint_description", str),
    "Description": ("description", str), "MaxLength": ("max_length", float), "MaxValue": ("max_value", float),
    "MinLength": ("min_length", float), "MinValue": ("min_value", float), "NoEcho": ("no_echo", bool),
}  # fmt: skip
CONDITION_FUNCTIONS = {
    "Fn::And": "condition_and", "Fn::Or": "condition_or", "Fn::Not": "condition_not",
    "Fn::Equals": "condition_equals", "Fn::Contains": "condition_contains",
    "Fn::EachMemberEquals": "condition_each_member_equals", "Fn::EachMemberIn": "condition_each_member_in",
}  # fmt: skip
NESTED_CONDITIONS = ("Fn::And", "Fn::Or", "Fn::Not")
# What CDK's Python types the two arguments of a condition function as (Equals takes anything).
ARGUMENT_TYPES = {
    "Fn::Contains": ("list", "str"), "Fn::EachMemberEquals": ("list", "str"), "Fn::EachMemberIn": ("list", "list"),
}  # fmt: skip
# What CloudFormation takes on a resource besides Type and Properties.
ATTRIBUTES = frozenset(
    {"Condition", "DependsOn", "Metadata", "DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy"}
)

# Module-level helpers of the generated stack module, written only in the apps of imported designs.
HELPERS = '''

def template_resource(construct, logical_id: str) -> cdk.CfnResource:
    """The CloudFormation resource a construct stands for, under the logical id the template gave it."""
    resource = construct if isinstance(construct, cdk.CfnResource) else construct.node.default_child
    if not isinstance(resource, cdk.CfnResource):
        raise ValueError(f"{construct.node.path} has no CloudFormation resource to name {logical_id}")
    resource.override_logical_id(logical_id)
    return resource


def keep_properties(resource: cdk.CfnResource, template_type: str, properties: dict, removed: list) -> None:
    """The template's properties that the construct does not write, where it writes the template's type."""
    written = resource.cfn_resource_type
    custom = ("Custom::", "AWS::CloudFormation::CustomResource")
    if written != template_type and not (written.startswith(custom) and template_type.startswith(custom)):
        cdk.Annotations.of(resource).add_warning_v2(
            "tierplan:kept-properties", f"written as {written}, not {template_type}: the template's properties are not kept"
        )
        return
    for path in removed:
        resource.add_property_deletion_override(path)
    for path, value in properties.items():
        resource.add_property_override(path, value)


def keep_condition(construct, condition: cdk.CfnCondition) -> None:
    """The template's condition on every CloudFormation resource of the construct (its role, its policy…)."""
    for child in construct.node.find_all():
        if isinstance(child, cdk.CfnResource):
            child.cfn_options.condition = condition


def keep_attributes(resource: cdk.CfnResource, attributes: dict) -> None:
    """Resource attributes as the template wrote them (Metadata entry by entry, so CDK's own stay)."""
    for name, value in attributes.items():
        if name == "Metadata" and isinstance(value, dict):
            for key, entry in value.items():
                resource.add_metadata(key, entry)
        else:
            resource.add_override(name, value)
'''


def is_imported(design: Design) -> bool:
    """Whether a design carries what a template import kept (then the CDK app writes it back)."""
    return design.cloudformation is not None or any(c.cloudformation is not None for c in design.components)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


class KeptWriter:
    """Writes the kept CloudFormation of ``plan.source`` at the end of the stack the ``CdkStack`` builds."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.design = plan.source
        self.kept = self.design.cloudformation
        self.notes: list[str] = []
        self._check()
        # Logical ids of the resources of the stack a kept DependsOn or Condition may name.
        self.resources: set[str] = set()
        self.conditions = set(self.kept.conditions) if self.kept is not None else set()
        self._referenced: set[str] | None = None
        # What the SAM export writes: the parts it keeps as written are the ones this writes too, and a
        # component CDK's constructs cannot write is written as SAM writes it (see ``written_as_sam``).
        self.sam_template = sam_template(plan)
        self.sam_resources = set(self.sam_template["Resources"])
        self.as_sam: set[str] = set()

    # -- what cannot be written ---------------------------------------------------------------------

    def _check(self) -> None:
        if self.plan.accounts():
            raise ExportError(
                "this design was imported from a template and puts services in account groups: the CDK app "
                "writes one stack per account and cannot split the template's kept sections; export it as SAM"
            )
        kept_data: list[Any] = [self.kept.model_dump(mode="json")] if self.kept is not None else []
        kept_data += [c.cloudformation.model_dump(mode="json") for c in self.design.components if c.cloudformation]
        for text in _strings(kept_data):
            if CDK_TOKEN.search(text):
                raise ExportError(
                    "the kept CloudFormation holds a string CDK would read as one of its tokens (${Token[…]}); "
                    "export it as SAM"
                )
        if self.kept is None:
            return
        for section in ("parameters", "mappings", "conditions", "rules", "outputs", "resources"):
            for name in getattr(self.kept, section):
                if not LOGICAL_ID.match(name):
                    raise ExportError(
                        f"the kept template's {section} name {name!r} is not a logical id CloudFormation takes "
                        "(letters and digits)"
                    )

    # -- the stack ----------------------------------------------------------------------------------

    def written_as_sam(self, component: Component) -> bool:
        """Whether CDK writes ``component`` as the SAM export's resource rather than with its constructs.

        A REST API whose routes all live in its OpenAPI definition (integrations with AWS services, not
        drawn as routes) has no methods for CDK's ``RestApi``, which refuses to synthesize then; the SAM
        resource, definition included, deploys what the template did.
        """
        kept = component.cloudformation
        return (
            kept is not None
            and component.type == "api_gateway_rest"
            and not self.plan.routes(component)
            and kept.logical_id in self.sam_resources
        )

    def write_as_sam(self, cdk: CdkStack, component: Component) -> None:
        """Emit ``component`` as the resource the SAM export writes for it, under its logical id."""
        assert component.cloudformation is not None
        logical_id = component.cloudformation.logical_id
        resource = self.sam_template["Resources"][logical_id]
        self.as_sam.add(component.id)
        cdk.emit(f"# {logical_id}: written as the SAM export writes it (its routes are in its definition)")
        cdk.emit(
            f"{var(component)} = cdk.CfnResource(self, {py(logical_id)}, type={py(resource['Type'])}, "
            f"properties={py(resource.get('Properties') or {})})"
        )
        cdk.emit()

    def write(self, cdk: CdkStack) -> None:
        """Emit the kept CloudFormation into ``cdk`` (after every component and its wiring exist)."""
        kept = self.kept
        generated_outputs = set(OUTPUT_ID.findall("\n".join(cdk.lines)))
        cdk.emit("# What the imported template said that the design does not model, written back as it was.")
        cdk.emit("kept = Construct(self, 'Kept')")
        cdk.emit("resources = {}")
        cdk.emit("conditions = {}")
        if kept is not None:
            self._template_options(cdk)
            self._parameters(cdk)
            self._mappings(cdk)
            self._conditions(cdk)
            self._rules(cdk)
        dependencies: list[tuple[str, list[Any]]] = []
        for component in self.design.components:
            if component.cloudformation is not None and service_for(component.type).deployed:
                if not re.search(rf"^\s*{var(component)} = ", "\n".join(cdk.lines), re.MULTILINE):
                    # written inside another component's wiring (a rule that only schedules a function)
                    self.notes.append(
                        f"{component.cloudformation.logical_id}: written with the wiring, under a name of CDK's"
                    )
                    continue
                dependencies += self._component(cdk, component)
        for component in self.design.components:
            logical_id = self.plan.ids[component.id]
            drawn_only = component.cloudformation is None and service_for(component.type).deployed
            if drawn_only and logical_id in self.referenced() and logical_id not in self.resources:
                # drawn from the template's wiring (SAM's implicit API): named as the template names it
                cdk.emit(f"resources[{py(logical_id)}] = template_resource({var(component)}, {py(logical_id)})")
                self.resources.add(logical_id)
        for component in self.design.components:
            if component.cloudformation is not None and self._keeps_parts(component):
                for logical_id, resource in component.cloudformation.parts.items():
                    if logical_id not in self.sam_resources:
                        continue
                    dependencies += self._resource(cdk, logical_id, resource)
        if kept is not None:
            for logical_id, resource in kept.resources.items():
                dependencies += self._resource(cdk, logical_id, resource)
        for logical_id, names in dependencies:
            for name in names:
                if name in self.resources:
                    cdk.emit(f"resources[{py(logical_id)}].add_dependency(resources[{py(name)}])")
                else:
                    self.notes.append(
                        f"{logical_id}: DependsOn {name} is left out (the CDK app has no resource of that name)"
                    )
        if kept is not None:
            self._outputs(cdk, generated_outputs)
        if self._needs_sam_transform():
            cdk.emit(f"self.add_transform({py(SAM_TRANSFORM)})")
        cdk.emit()

    def _template_options(self, cdk: CdkStack) -> None:
        kept = self.kept
        assert kept is not None
        if kept.description:
            cdk.emit(f"self.template_options.description = {py(kept.description)}")
        if kept.metadata:
            cdk.emit(f"self.template_options.metadata = {py(kept.metadata)}")
        transforms = kept.transform if isinstance(kept.transform, list) else [kept.transform]
        for transform in transforms:
            # SAM's transform only where SAM resources are written as they were (see _needs_sam_transform).
            if isinstance(transform, str) and transform != SAM_TRANSFORM:
                cdk.emit(f"self.add_transform({py(transform)})")

    def _parameters(self, cdk: CdkStack) -> None:
        assert self.kept is not None
        if self.kept.parameters:
            cdk.emit("parameters = Construct(kept, 'Parameters')")
        for name, spec in self.kept.parameters.items():
            if name == "BootstrapVersion":
                self.notes.append("Parameter BootstrapVersion is left out: CDK's bootstrap check has that name")
                continue
            arguments = [f"type={py(spec.get('Type', 'String'))}"] if isinstance(spec, dict) else []
            for key, value in spec.items() if isinstance(spec, dict) else []:
                field = PARAMETER_FIELDS.get(key)
                converted = _parameter_value(field[1], value) if field else None
                if field is None or converted is None:
                    self.notes.append(f"Parameter {name}: {key} is left out (CDK's CfnParameter cannot write it)")
                elif key != "Type":
                    arguments.append(f"{field[0]}={py(converted)}")
            cdk.emit(
                f"cdk.CfnParameter(parameters, {py(name)}, {', '.join(arguments)}).override_logical_id({py(name)})"
            )

    def _mappings(self, cdk: CdkStack) -> None:
        assert self.kept is not None
        if self.kept.mappings:
            cdk.emit("mappings = Construct(kept, 'Mappings')")
        for name, mapping in self.kept.mappings.items():
            cdk.emit(f"cdk.CfnMapping(mappings, {py(name)}, mapping={py(mapping)}).override_logical_id({py(name)})")

    def _conditions(self, cdk: CdkStack) -> None:
        assert self.kept is not None
        conditions = self.kept.conditions
        if conditions:
            cdk.emit("condition_scope = Construct(kept, 'Conditions')")
        # A condition names others by {"Condition": name}: those first (CloudFormation refuses cycles).
        written: set[str] = set()
        pending = list(conditions)
        while pending:
            ready = [n for n in pending if _named_conditions(conditions[n]) & set(conditions) <= written]
            if not ready:
                raise ExportError(f"the kept conditions {', '.join(pending)} name each other in a cycle")
            for name in ready:
                expression = self.condition_source(conditions[name], f"Condition {name}")
                cdk.emit(
                    f"conditions[{py(name)}] = cdk.CfnCondition(condition_scope, {py(name)}, expression={expression})"
                )
                cdk.emit(f"conditions[{py(name)}].override_logical_id({py(name)})")
                written.add(name)
            pending = [n for n in pending if n not in written]

    def condition_source(self, expression: Any, where: str) -> str:
        """A condition expression as CDK source: ``cdk.Fn.condition_*`` calls, values as literals."""
        if isinstance(expression, dict) and len(expression) == 1:
            ((function, arguments),) = expression.items()
            if function == "Condition" and isinstance(arguments, str) and arguments in self.conditions:
                return f"conditions[{py(arguments)}]"
            method = CONDITION_FUNCTIONS.get(function)
            if method and isinstance(arguments, list):
                if function in NESTED_CONDITIONS:
                    return f"cdk.Fn.{method}({', '.join(self.condition_source(a, where) for a in arguments)})"
                if len(arguments) == 2:
                    kinds = ARGUMENT_TYPES.get(function, ("any", "any"))
                    first, second = (_typed_source(a, kind) for a, kind in zip(arguments, kinds, strict=True))
                    return f"cdk.Fn.{method}({first}, {second})"
        raise ExportError(f"the kept template's {where} is not a condition CloudFormation takes")

    def _rules(self, cdk: CdkStack) -> None:
        assert self.kept is not None
        if self.kept.rules:
            cdk.emit("rules = Construct(kept, 'Rules')")
        for name, rule in self.kept.rules.items():
            if name == "CheckBootstrapVersion" or not isinstance(rule, dict):
                self.notes.append(f"Rule {name} is left out (CDK's bootstrap check has that name)")
                continue
            assertions = [
                "cdk.CfnRuleAssertion(assert_={}, assert_description={})".format(
                    self.condition_source(item.get("Assert"), f"Rule {name}"),
                    py(str(item.get("AssertDescription", ""))),
                )
                for item in rule.get("Assertions") or []
                if isinstance(item, dict)
            ]
            condition = rule.get("RuleCondition")
            when = f", rule_condition={self.condition_source(condition, f'Rule {name}')}" if condition else ""
            cdk.emit(
                f"cdk.CfnRule(rules, {py(name)}, assertions=[{', '.join(assertions)}]{when}).override_logical_id({py(name)})"
            )

    def _outputs(self, cdk: CdkStack, generated: set[str]) -> None:
        assert self.kept is not None
        if self.kept.outputs:
            cdk.emit("outputs = Construct(kept, 'Outputs')")
        for name, output in self.kept.outputs.items():
            if name in generated or not isinstance(output, dict) or "Value" not in output:
                why = "the CDK app writes an output of that name" if name in generated else "it has no Value"
                self.notes.append(f"Output {name} is left out: {why}")
                continue
            arguments = [f"value={string_source(output['Value'])}"]
            if "Description" in output:
                arguments.append(f"description={string_source(output['Description'])}")
            export = output.get("Export")
            if isinstance(export, dict) and "Name" in export:
                arguments.append(f"export_name={string_source(export['Name'])}")
            condition = output.get("Condition")
            if condition in self.conditions:
                arguments.append(f"condition=conditions[{py(condition)}]")
            cdk.emit(f"cdk.CfnOutput(outputs, {py(name)}, {', '.join(arguments)}).override_logical_id({py(name)})")

    # -- resources ----------------------------------------------------------------------------------

    def _keeps_parts(self, component: Component) -> bool:
        """Parts are written as they were where the SAM export writes them (where it regenerates them,
        a REST API written from its routes, CDK does too)."""
        kept = component.cloudformation
        return kept is not None and bool(set(kept.parts) & self.sam_resources)

    def _resource(self, cdk: CdkStack, logical_id: str, resource: Any) -> list[tuple[str, list[Any]]]:
        """A resource kept as written: a CfnResource under its logical id, with its attributes."""
        if not isinstance(resource, dict) or not isinstance(resource.get("Type"), str):
            self.notes.append(f"{logical_id}: left out (the template gave it no Type)")
            return []
        # A construct made at the top of the stack has its id as logical id: an emitter's L1 may have this one.
        top_level = f"(self, {py(logical_id)}" in "\n".join(cdk.lines)
        if logical_id in self.resources or top_level:
            self.notes.append(f"{logical_id}: left out (the CDK app writes a resource of that name)")
            return []
        resource_type = resource["Type"]
        properties = resource.get("Properties")
        if resource_type.startswith("AWS::Serverless::") and isinstance(properties, dict) and self.kept is not None:
            properties = with_globals(resource_type, properties, self.kept.globals)
        arguments = f", properties={py(properties)}" if properties is not None else ""
        target = f"resources[{py(logical_id)}]"
        cdk.emit(f"{target} = cdk.CfnResource(kept, {py(logical_id)}, type={py(resource_type)}{arguments})")
        cdk.emit(f"{target}.override_logical_id({py(logical_id)})")
        self.resources.add(logical_id)
        attributes = {k: v for k, v in resource.items() if k not in ("Type", "Properties")}
        return self._attributes(cdk, logical_id, target, attributes)

    def _attributes(
        self, cdk: CdkStack, logical_id: str, target: str, attributes: dict[str, Any], construct: str | None = None
    ) -> list[tuple[str, list[Any]]]:
        """Emit a resource's Condition (on every resource of its construct) and other attributes; return its
        DependsOn for the end, once every resource it may name exists."""
        others = {k: v for k, v in attributes.items() if k not in ("Condition", "DependsOn")}
        condition = attributes.get("Condition")
        if condition is not None:
            if condition in self.conditions:
                cdk.emit(f"keep_condition({construct or target}, conditions[{py(condition)}])")
                # the outputs CDK writes for the construct exist only where it does
                for output in _outputs_of(cdk, construct) if construct else []:
                    cdk.emit(f"self.node.find_child({py(output)}).condition = conditions[{py(condition)}]")
            else:
                others["Condition"] = condition
        if others:
            cdk.emit(f"keep_attributes({target}, {py(others)})")
        depends = attributes.get("DependsOn")
        if depends is None:
            return []
        return [(logical_id, depends if isinstance(depends, list) else [depends])]

    def _component(self, cdk: CdkStack, component: Component) -> list[tuple[str, list[Any]]]:
        """A drawn component: its resource named as the template named it, with what its props do not say."""
        kept = component.cloudformation
        assert kept is not None
        logical_id = kept.logical_id
        target = f"resources[{py(logical_id)}]"
        cdk.emit(f"{target} = template_resource({var(component)}, {py(logical_id)})")
        self.resources.add(logical_id)
        if component.id in self.as_sam:
            attributes = {k: v for k, v in self.sam_template["Resources"][logical_id].items() if k in ATTRIBUTES}
            return self._attributes(cdk, logical_id, target, attributes)
        written = WRITTEN_AS.get(kept.resource_type, kept.resource_type)
        properties = kept.properties
        if kept.resource_type.startswith("AWS::Serverless::") and self.kept is not None:
            properties = with_globals(kept.resource_type, properties, self.kept.globals)
        if component.type != "cloudformation_resource" and properties:
            overrides, removed, extra = property_overrides(component, written, properties, self.notes)
            if overrides or removed:
                cdk.emit(f"keep_properties({target}, {py(written)}, {py(overrides)}, {py(removed)})")
            for line in extra:
                cdk.emit(line)
        self._implicit_role(cdk, component, written)
        attributes = {k: v for k, v in kept.attributes.items() if k in ATTRIBUTES}
        for name in sorted(set(kept.attributes) - ATTRIBUTES):
            self.notes.append(f"{logical_id}: {name} is left out (SAM takes it on a resource, CloudFormation does not)")
        return self._attributes(cdk, logical_id, target, attributes, var(component))

    def _implicit_role(self, cdk: CdkStack, component: Component, written: str) -> None:
        """SAM names the role it makes for a function or state machine <logical id>Role, and templates
        refer to it by that name: CDK's role takes it where the kept CloudFormation does."""
        kept = component.cloudformation
        assert kept is not None
        if kept.resource_type not in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine"):
            return
        name = f"{kept.logical_id}Role"
        if "Role" in kept.properties or name in self.resources or name not in self.referenced():
            return
        cdk.emit(f"resources[{py(name)}] = template_resource({var(component)}.role, {py(name)})")
        self.resources.add(name)

    def referenced(self) -> set[str]:
        """Every logical id the kept CloudFormation refers to."""
        if self._referenced is None:
            data: list[Any] = [self.kept.model_dump(mode="json")] if self.kept is not None else []
            data += [c.cloudformation.model_dump(mode="json") for c in self.design.components if c.cloudformation]
            self._referenced = referenced_names(data) | {name for item in _depends_ons(data) for name in item}
        return self._referenced

    def _needs_sam_transform(self) -> bool:
        types = [c.props.get("resource_type") for c in self.design.components if c.type == "cloudformation_resource"]
        types += [self.sam_template["Resources"][self.plan.ids[c]]["Type"] for c in self.as_sam]
        if self.kept is not None:
            types += [r.get("Type") for r in self.kept.resources.values() if isinstance(r, dict)]
        for component in self.design.components:
            if self._keeps_parts(component):
                assert component.cloudformation is not None
                types += [r.get("Type") for r in component.cloudformation.parts.values() if isinstance(r, dict)]
        return any(isinstance(t, str) and t.startswith("AWS::Serverless::") for t in types)


OUTPUT_ID = re.compile(r"cdk\.CfnOutput\(self, '([A-Za-z0-9]+)'")


def _typed_source(value: Any, kind: str) -> str:
    """A condition function's argument as CDK's Python types it: an intrinsic where a string or a list
    of strings is typed becomes a token of that type (it resolves to the intrinsic as written)."""
    if kind == "str":
        return string_source(value)
    if kind == "list":
        if isinstance(value, list):
            return "[" + ", ".join(string_source(item) for item in value) + "]"
        return f"cdk.Token.as_list({py(value)})"
    return py(value)


def _outputs_of(cdk: CdkStack, construct: str) -> list[str]:
    """The outputs the emitters wrote with a value of ``construct`` (``value=c_orders.table_name``)."""
    value = re.compile(rf"value={re.escape(construct)}[._]")
    return [match for line in cdk.lines if value.search(line) for match in OUTPUT_ID.findall(line)]


def _depends_ons(value: Any) -> Iterator[list[str]]:
    if isinstance(value, dict):
        depends = value.get("DependsOn")
        if isinstance(depends, str):
            yield [depends]
        elif isinstance(depends, list):
            yield [d for d in depends if isinstance(d, str)]
        for item in value.values():
            yield from _depends_ons(item)
    elif isinstance(value, list):
        for item in value:
            yield from _depends_ons(item)


def _named_conditions(expression: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(expression, dict):
        for key, value in expression.items():
            if key == "Condition" and isinstance(value, str):
                names.add(value)
            else:
                names |= _named_conditions(value)
    elif isinstance(expression, list):
        for item in expression:
            names |= _named_conditions(item)
    return names


def _parameter_value(kind: type, value: Any) -> Any:
    """A template parameter's field as CfnParameter takes it, or None when it cannot."""
    if kind is object:
        return value if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
    if kind is str:
        return value if isinstance(value, str) else None
    if kind is bool:
        if isinstance(value, bool):
            return value
        return {"true": True, "false": False}.get(str(value).lower())
    if kind is float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return int(number) if number.is_integer() else number
    if kind is list and isinstance(value, list):
        return [str(item).lower() if isinstance(item, bool) else str(item) for item in value]
    return None
