"""Export bundles: deterministic zip files of a SAM application or a CDK (Python) app. Pure Python.

Every entry has a fixed timestamp and the entries are sorted, so the same design gives the same bytes
(and the same content-addressed artifact).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping

import yaml

from apps.designs.document import Design
from apps.designs.domains import certificate_of
from apps.exporting.cdk import CDK_VERSION, CONSTRUCTS_VERSION, app_module, stack_module
from apps.exporting.cdk_kept import KeptWriter, is_imported
from apps.exporting.kept import keeps_own_code
from apps.exporting.plan import ExportError, Plan, dynamic_references
from apps.exporting.sam import sam_template
from apps.exporting.starters import function_code, layer_files

FORMATS = ("sam", "cdk-python")
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def stack_name(design: Design) -> str:
    """A CloudFormation stack name from the design name (letters, digits, hyphens), never empty."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", design.name).strip("-").lower()
    slug = slug if slug and slug[0].isalpha() else f"tierplan-{slug}".strip("-")
    return slug[:100] or "tierplan-app"


def markdown_text(text: str) -> str:
    """User text as plain Markdown: no markup, no HTML, one line."""
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~-])", r"\\\1", " ".join(text.split()))


def zip_files(files: Mapping[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            content = files[name]
            archive.writestr(info, content.encode("utf-8") if isinstance(content, str) else content)
    return buffer.getvalue()


def code_sources(plan: Plan, *, own_code_kept: bool = False) -> dict[str, str]:
    """The starter code of every function (src/<id>/) and layer (layers/<id>/); with ``own_code_kept``, not
    of those an imported template gave code of their own (the SAM template points at it)."""
    files = {}
    for fn in plan.functions():
        if own_code_kept and keeps_own_code(fn):
            continue
        for name, source in function_code(plan.prop(fn, "runtime"), plan.prop(fn, "role")).files.items():
            files[f"src/{fn.id}/{name}"] = source
    for layer in plan.of_type("lambda_layer"):
        if own_code_kept and keeps_own_code(layer):
            continue
        for name, source in layer_files(plan.prop(layer, "runtime"), layer.id).items():
            files[f"layers/{layer.id}/{name}"] = source
    return files


# libyaml's emitter when PyYAML was built with it (ten times faster on large templates); same output.
YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def template_yaml(template: Mapping[str, object]) -> str:
    return yaml.dump(
        template, Dumper=YAML_DUMPER, sort_keys=False, default_flow_style=False, allow_unicode=True, width=120
    )


def sam_files(design: Design) -> dict[str, str]:
    """The files of the SAM application: template, handlers, samconfig and README."""
    plan = Plan(design)
    template = sam_template(plan)
    name = stack_name(design)
    parameters = template.get("Parameters", {})
    files = {"template.yaml": template_yaml(template), **code_sources(plan, own_code_kept=True)}
    files["samconfig.toml"] = (
        "version = 0.1\n\n"
        + samconfig_environment("default", name, design.region)
        + "".join(
            samconfig_environment(account.id, f"{name}-{account.id.replace('_', '-')}", plan.account_region(account),
                                  f"Account={account.id}")
            for account in plan.accounts()
        )
    )  # fmt: skip
    files["README.md"] = readme_sam(design, plan, name, parameters)
    return checked(files)


def checked(files: dict[str, str]) -> dict[str, str]:
    """The files of a bundle, refused if CloudFormation would resolve anything in them.

    The plan escapes every user string, so this never trips; it keeps a later emitter that reads the
    design some other way from shipping a template that pulls a secret at deploy time.
    """
    found = dynamic_references(files)
    if found:
        raise ExportError(f"the export would contain a CloudFormation dynamic reference ({', '.join(found)})")
    return files


def samconfig_environment(env: str, stack: str, region: str, overrides: str = "") -> str:
    """One `samconfig.toml` environment (`sam deploy --config-env <env>`): stack name, build and deploy."""
    text = (
        f"[{env}.global.parameters]\n"
        f'stack_name = "{stack}"\n\n'
        f"[{env}.build.parameters]\n"
        "cached = true\n"
        "parallel = true\n\n"
        f"[{env}.deploy.parameters]\n"
        'capabilities = "CAPABILITY_IAM CAPABILITY_AUTO_EXPAND"\n'
        "confirm_changeset = true\n"
        "resolve_s3 = true\n"
        f'region = "{region}"\n'
    )
    return text + (f'parameter_overrides = "{overrides}"\n' if overrides else "") + "\n"


def zone_note(plan: Plan) -> list[str]:
    """What a public hosted zone needs once deployed: the domain delegated to its name servers."""
    if not any(not plan.prop(zone, "private") for zone in plan.of_type("route53_zone")):
        return []
    return [
        "",
        "A public hosted zone answers only once its domain is delegated to it: set the domain's name servers",
        "at its registrar to those the stack outputs (`<Zone>NameServers`). A certificate validated through",
        "the zone is issued once the delegation works; until then the stack waits for it.",
    ]


def readme_sam(design: Design, plan: Plan, name: str, parameters: Mapping[str, object]) -> str:
    lines = [
        f"# {markdown_text(design.name)}: AWS SAM application",
        "",
        "Generated by Tierplan from a `tierplan.design/v1` document. Deploy it with the AWS SAM CLI:",
        "",
        "```sh",
        "sam validate --lint",
        "sam build",
        "sam deploy --guided   # the first time; later just `sam deploy`",
        "```",
        "",
        f"`samconfig.toml` names the stack `{name}` in `{design.region}`. `sam deploy --guided` asks for each",
        "parameter; the defaults come from the design:",
        "",
    ]
    for parameter in parameters:
        lines.append(f"- `{parameter}`")
    lines += [
        "",
        "Each function has a starter handler in `src/<component id>/` that logs its event and answers what",
        "its trigger expects; replace it with your code. API authorizers deny every request until you",
        "write their check. Outputs list the endpoints and resource names once the stack is deployed.",
    ]
    own = [fn.id for fn in plan.functions() if keeps_own_code(fn)]
    if own:
        lines += [
            "",
            "Functions imported with code of their own point at it as their template did (put this template",
            "where that code is): " + ", ".join(f"`{name}`" for name in own) + ".",
        ]
    if plan.accounts():
        lines += [
            "",
            "The design puts services in separate AWS accounts. Deploy this template once per account, with",
            "that account's credentials: `sam deploy --config-env <account group id>` uses the environment",
            "`samconfig.toml` has for it (its stack name, its region and `Account=<account group id>`), so each",
            "deployment creates only that account's resources (`Account=all` creates everything in one account).",
            "",
        ]
        lines += [f"- `{a.id}`: region `{plan.account_region(a)}`" for a in plan.accounts()]
    if plan.of_type("rds_instance", "aurora_cluster"):
        lines += ["", "Databases keep their master password in AWS Secrets Manager (`ManageMasterUserPassword`)."]
    lines += after_deploying(plan)
    lines += zone_note(plan)
    return "\n".join(lines) + "\n"


def after_deploying(plan: Plan) -> list[str]:
    """What CloudFormation cannot do and the README must ask for: activating SES receipt rule sets."""
    receiving = [c for c in plan.of_type("ses_identity") if plan.out(c, "receive")]
    if not receiving:
        return []
    return [
        "",
        "SES receives nothing until a receipt rule set is the Region's active one, which CloudFormation cannot",
        "set. After deploying, make the stack's rule set active (this replaces the Region's current active set:",
        "move its rules over first) and point each receiving domain's MX record at the Region's",
        "`inbound-smtp.<region>.amazonaws.com` endpoint (SES receives mail in some Regions only):",
        "",
        "```sh",
        "aws ses set-active-receipt-rule-set --rule-set-name <the …ReceiptRuleSetName output>",
        "```",
    ]


def zip_safe_context(plan: Plan) -> dict[str, str]:
    """cdk.json context: what differs between environments, with the design's values as defaults."""
    context: dict[str, str] = {}
    for api in plan.of_type("api_gateway_rest"):
        context[f"{api.id}_stage"] = plan.prop(api, "stage_name")
    for distribution in plan.of_type("cloudfront"):
        if certificate_of(plan, distribution) is not None:
            continue  # its names and certificate are in the design (an acm_certificate), not parameters
        context[f"{distribution.id}_domain"] = plan.prop(distribution, "domain_name") or ""
        context[f"{distribution.id}_certificate_arn"] = ""
    if plan.of_type("rds_instance", "aurora_cluster"):
        context["db_master_username"] = "tierplan"
    return context


def readme_cdk(
    design: Design, plan: Plan, name: str, context: Mapping[str, str], kept_notes: list[str] | None = None
) -> str:
    lines = [
        f"# {markdown_text(design.name)}: AWS CDK app (Python)",
        "",
        "Generated by Tierplan from a `tierplan.design/v1` document. Deploy it with the AWS CDK CLI (v2):",
        "",
        "```sh",
        "python3 -m venv .venv && . .venv/bin/activate",
        "pip install -r requirements.txt",
        "npx aws-cdk@2 bootstrap   # once per account and region",
        "npx aws-cdk@2 deploy --all",
        "```",
        "",
        f"`app.py` creates the stack `{name}` in `{design.region}`"
        + (
            ", one stack per AWS account of the design (deploy each with that account's credentials), each in"
            " its account's region: "
            + ", ".join(f"`{a.id}` in `{plan.account_region(a)}`" for a in plan.accounts())
            + "."
            if plan.accounts()
            else "."
        ),
        "What differs between environments is CDK context in `cdk.json` (override with `-c key=value`):",
        "",
    ]
    lines += [f"- `{key}`" for key in context] or ["- (nothing)"]
    lines += [
        "",
        "Each function has a starter handler in `src/<component id>/`; replace it with your code. API",
        "authorizers deny every request until you write their check.",
    ]
    lines += after_deploying(plan)
    lines += zone_note(plan)
    lines += imported_note(kept_notes)
    return "\n".join(lines) + "\n"


def imported_note(notes: list[str] | None) -> list[str]:
    """For an imported design (``notes`` not None): what its app keeps of the template, and what it could not."""
    if notes is None:
        return []
    lines = [
        "",
        "This design was imported from a template. The stack keeps its parameters, conditions, mappings, outputs,",
        "logical ids and the resources it kept; SAM resources kept as written make the stack use the SAM",
        "transform (deploy with `CAPABILITY_AUTO_EXPAND`).",
    ]
    if notes:
        lines += ["", "What it could not write back:", "", *[f"- {markdown_text(note)}" for note in notes]]
    return lines


def cdk_files(design: Design) -> dict[str, str]:
    """The files of the CDK (Python) app: app.py, the stack module, cdk.json, requirements, handlers, README."""
    plan = Plan(design)
    name = stack_name(design)
    context = zip_safe_context(plan)
    # An imported design's app writes back what the import kept (refusing what it cannot write).
    kept = KeptWriter(plan) if is_imported(design) else None
    stack = stack_module(plan, kept)
    files = {
        "app.py": app_module(plan, name),
        "tierplan_stack.py": stack,
        "cdk.json": json.dumps({"app": "python3 app.py", "context": context}, indent=2, sort_keys=True) + "\n",
        "requirements.txt": f"aws-cdk-lib=={CDK_VERSION}\nconstructs=={CONSTRUCTS_VERSION}\n",
        "README.md": readme_cdk(design, plan, name, context, kept.notes if kept is not None else None),
        **code_sources(plan),
    }
    return checked(files)


def export_zip(design: Design, fmt: str) -> bytes:
    """The export bundle of ``design`` in ``fmt`` (sam or cdk-python) as zip bytes."""
    return zip_files(sam_files(design) if fmt == "sam" else cdk_files(design))
