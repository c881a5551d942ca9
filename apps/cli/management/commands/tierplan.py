"""``python manage.py tierplan <verb> FILE``: the engines from the command line, for CI pipelines.

Exit status: 0 when the input is valid (and the verb succeeded), 1 when the design is invalid,
2 for a usage error (unreadable file, bad option). Messages go to stderr, results to stdout or ``-o``.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.designs.document import Design, DesignInvalid, parse_design
from apps.designs.patterns import PatternNotFound, get_pattern, pattern_library
from apps.rendering.engine import OptionsInvalid, RenderError, options_from, render

EXIT_INVALID = 1
EXIT_USAGE = 2


def read_source(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}", returncode=EXIT_USAGE) from None


class Command(BaseCommand):
    help = "Validate, render, export, estimate and review design documents; browse the pattern library."

    def add_arguments(self, parser: ArgumentParser) -> None:
        verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
        validate = verbs.add_parser("validate", help="check a design document against tierplan.design/v1")
        validate.add_argument("file", metavar="FILE", help="design document (JSON); - reads standard input")
        validate.add_argument("--json", action="store_true", help="machine-readable result on stdout")
        validate.add_argument("-o", "--output", metavar="PATH", help="write the normalized document here")

        render = verbs.add_parser("render", help="draw the design as SVG, PNG, PDF or DOT")
        render.add_argument("file", metavar="FILE", help="design document (JSON); - reads standard input")
        render.add_argument("--format", default="svg", help="svg (default), png, pdf or dot")
        render.add_argument("--direction", default="LR", help="LR (default), TB, RL or BT")
        render.add_argument("--no-usage-labels", action="store_true", help="leave usage figures out of labels")
        render.add_argument("-o", "--output", metavar="PATH", help="write here instead of stdout")
        render.add_argument("--json", action="store_true", help="report problems as JSON")

        export = verbs.add_parser("export", help="write a deployable AWS SAM application or AWS CDK (Python) app")
        export.add_argument("file", metavar="FILE", help="design document (JSON); - reads standard input")
        export.add_argument("--format", required=True, help="sam or cdk-python")
        export.add_argument(
            "-o", "--output", metavar="DIR", required=True, help="directory to write (or a path ending in .zip)"
        )
        export.add_argument("--force", action="store_true", help="write into a directory that is not empty")
        export.add_argument("--check", action="store_true", help="run cfn-lint and the SAM translator on a SAM export")
        export.add_argument("--json", action="store_true", help="report problems as JSON")

        estimate = verbs.add_parser("estimate", help="monthly cost of the design, per component and per tier")
        estimate.add_argument("file", metavar="FILE", help="design document (JSON); - reads standard input")
        estimate.add_argument(
            "--free-tier", action="store_true", help="apply AWS's always-free allowances (off by default)"
        )
        estimate.add_argument("--requests", type=float, metavar="N", help="override the workload's requests per month")
        estimate.add_argument("--hours", type=float, metavar="H", help="hours in the month (default 730)")
        estimate.add_argument("--json", action="store_true", help="the estimate JSON (ARCHITECTURE §4) on stdout")
        estimate.add_argument("-o", "--output", metavar="PATH", help="write the estimate JSON here")
        estimate.add_argument(
            "--curve-svg", metavar="PATH", help="also write the cost curve (10^3 to 10^9 requests) as SVG"
        )

        review = verbs.add_parser("review", help="findings from the whitepaper's guidance and AWS's service limits")
        review.add_argument("file", metavar="FILE", help="design document (JSON); - reads standard input")
        review.add_argument("--json", action="store_true", help="the findings (ARCHITECTURE §4) as JSON on stdout")
        review.add_argument(
            "--fail-on",
            choices=["error", "warning", "info", "never"],
            default="error",
            help="exit 1 when a finding of this severity or worse is found (default: error)",
        )

        importing = verbs.add_parser(
            "import", help="read a SAM or CloudFormation template (YAML or JSON) into a design document"
        )
        importing.add_argument("file", metavar="FILE", help="template; - reads standard input")
        importing.add_argument("-o", "--output", metavar="PATH", help="write the design here instead of stdout")
        importing.add_argument("--name", help="the design's name (default: the file's name)")
        importing.add_argument(
            "--json", action="store_true", help="print the design and the import report as one JSON object"
        )

        patterns = verbs.add_parser("patterns", help="list the pattern library or print one pattern's design")
        pattern_verbs = patterns.add_subparsers(dest="pattern_verb", metavar="list|show", required=True)
        listing = pattern_verbs.add_parser("list", help="every pattern: slug, size, name")
        listing.add_argument("--json", action="store_true", help="machine-readable list on stdout")
        show = pattern_verbs.add_parser("show", help="print a pattern's design document (ready for validate -)")
        show.add_argument("slug", metavar="SLUG")
        show.add_argument("--json", action="store_true", help="the whole pattern (metadata and design) as JSON")
        show.add_argument("-o", "--output", metavar="PATH", help="write to this file instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"handle_{options['verb']}")(**options)

    def load(self, path: str, *, as_json: bool) -> Design:
        """Parse and validate FILE; on problems print them and exit with EXIT_INVALID."""
        try:
            return parse_design(read_source(path))
        except DesignInvalid as exc:
            if as_json:
                problems = [p.as_dict() for p in exc.problems]
                self.stdout.write(json.dumps({"valid": False, "problems": problems}, indent=2))
            else:
                name = "standard input" if path == "-" else path
                self.stderr.write(f"{name}: invalid design ({len(exc.problems)} problem(s)):")
                for problem in exc.problems:
                    self.stderr.write(f"  {problem.pointer or '/'}: {problem.message}")
            raise SystemExit(EXIT_INVALID) from None

    def handle_validate(self, *, file: str, json: bool, output: str | None, **_: Any) -> None:
        design = self.load(file, as_json=json)
        summary = {
            "valid": True,
            "name": design.name,
            "components": len(design.components),
            "connections": len(design.connections),
            "groups": len(design.groups),
            "content_hash": design.content_hash(),
        }
        if output:
            Path(output).write_text(_dumps(design.canonical()) + "\n", encoding="utf-8")
        if json:
            self.stdout.write(_dumps(summary))
        else:
            self.stdout.write(
                f"OK: {design.name!r} is a valid tierplan.design/v1 document "
                f"({summary['components']} components, {summary['connections']} connections, "
                f"{summary['groups']} groups)"
            )

    def handle_render(self, *, file: str, output: str | None, json: bool, **options: Any) -> None:
        params = {
            "format": options["format"],
            "direction": options["direction"],
            "usage_labels": not options["no_usage_labels"],
        }
        try:
            render_options = options_from(params)
        except OptionsInvalid as exc:
            raise CommandError(
                "; ".join(f"--{p.pointer.rsplit('/', 1)[-1].replace('_', '-')} {p.message}" for p in exc.problems),
                returncode=EXIT_USAGE,
            ) from None
        design = self.load(file, as_json=json)
        try:
            data = render(design, render_options)
        except RenderError as exc:
            raise CommandError(f"render failed: {exc}", returncode=EXIT_INVALID) from None
        write_output(data, output)
        if output:
            self.stderr.write(f"wrote {len(data)} bytes of {render_options.format} to {output}")

    def handle_export(self, *, file: str, output: str, json: bool, force: bool, check: bool, **options: Any) -> None:
        import io
        import zipfile

        from apps.core.pointers import Invalid
        from apps.exporting.engine import ExportError, export_zip, parse_params

        try:
            fmt = parse_params({"format": options["format"]})["format"]
        except Invalid as exc:
            raise CommandError(f"--format {exc.problems[0].message}", returncode=EXIT_USAGE) from None
        design = self.load(file, as_json=json)
        try:
            data = export_zip(design, fmt)
        except ExportError as exc:
            raise CommandError(f"cannot export: {exc}", returncode=EXIT_INVALID) from None
        if check:
            self.check_export(data, fmt)
        target = Path(output)
        if target.suffix == ".zip":
            target.write_bytes(data)
        else:
            if target.exists() and any(target.iterdir()) and not force:
                raise CommandError(f"{output} is not empty; use --force to write into it", returncode=EXIT_USAGE)
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                archive.extractall(target)
        self.stderr.write(f"wrote the {fmt} export of {design.name!r} to {output}")

    def check_export(self, data: bytes, fmt: str) -> None:
        import io
        import zipfile

        from apps.exporting.validate import lint_errors, translate_sam

        if fmt != "sam":
            self.stderr.write("--check validates SAM exports; synthesize a CDK app with `python app.py` to check it")
            return
        template = zipfile.ZipFile(io.BytesIO(data)).read("template.yaml").decode("utf-8")
        errors = lint_errors(template)
        if not errors:
            import json as json_module

            errors = lint_errors(json_module.dumps(translate_sam(template)))
        if errors:
            raise CommandError("the exported template has errors:\n" + "\n".join(errors), returncode=EXIT_INVALID)
        self.stderr.write("cfn-lint and the SAM translator found no errors")

    def handle_estimate(self, *, file: str, json: bool, output: str | None, **options: Any) -> None:
        from apps import costing
        from apps.core.pointers import Invalid

        params: dict[str, Any] = {"free_tier": options["free_tier"]}
        if options["requests"] is not None:
            params["workload"] = {"requests_per_month": options["requests"]}
        if options["hours"] is not None:
            params["hours_per_month"] = options["hours"]
        try:
            arguments = costing.parse_estimate_params(params)
        except Invalid as exc:
            raise CommandError(
                "; ".join(f"{p.pointer}: {p.message}" for p in exc.problems), returncode=EXIT_USAGE
            ) from None
        design = self.load(file, as_json=json)
        try:
            result = costing.estimate(design, **arguments)
            curve = costing.cost_curve(design, points=60, **arguments) if options["curve_svg"] else None
        except Invalid as exc:
            if json:
                self.stdout.write(_dumps({"valid": False, "problems": [p.as_dict() for p in exc.problems]}))
            else:
                for problem in exc.problems:
                    self.stderr.write(f"  {problem.pointer or '/'}: {problem.message}")
            raise SystemExit(EXIT_INVALID) from None
        if output:
            Path(output).write_text(_dumps(result) + "\n", encoding="utf-8")
        if curve is not None:
            Path(options["curve_svg"]).write_bytes(costing.cost_curve_svg(curve))
        if json:
            self.stdout.write(_dumps(result))
            return
        self.stdout.write(
            f"{design.name}: ${result['total_monthly_usd']:,.2f} a month ({result['region']}, prices of {result['pricing_date']}"
            f"{', free tier applied' if result['free_tier'] else ''})"
        )
        for tier, usd in result["by_tier"].items():
            self.stdout.write(f"  {tier:<13} ${usd:>12,.2f}")
        self.stdout.write("")
        for component in sorted(result["components"], key=lambda c: -c["monthly_usd"]):
            self.stdout.write(f"  {component['id']:<24} {component['type']:<20} ${component['monthly_usd']:>12,.2f}")
        self.stdout.write("")
        self.stdout.write("Assumptions:")
        for assumption in result["assumptions"]:
            self.stdout.write(f"  - {assumption}")

    def handle_review(self, *, file: str, json: bool, fail_on: str, **_: Any) -> None:
        from apps.review import review

        design = self.load(file, as_json=json)
        findings = review(design)
        if json:
            self.stdout.write(_dumps(findings))
        elif not findings:
            self.stdout.write(f"{design.name!r}: no findings")
        else:
            for finding in findings:
                where = ", ".join(finding["components"]) or "the design"
                self.stdout.write(f"{finding['severity'].upper():<7} {finding['rule']} ({where}): {finding['message']}")
                self.stdout.write(f"        fix: {finding['fix']}")
        order = ["error", "warning", "info"]
        if fail_on != "never" and any(order.index(f["severity"]) <= order.index(fail_on) for f in findings):
            raise SystemExit(EXIT_INVALID)

    def handle_import(self, *, file: str, output: str | None, json: bool, name: str | None, **_: Any) -> None:
        from apps.importing.engine import TemplateRefused, import_template

        source = "standard input" if file == "-" else file
        default_name = "Imported template" if file == "-" else Path(file).stem
        try:
            result = import_template(read_source(file), name=name or default_name)
        except TemplateRefused as exc:
            if json:
                self.stdout.write(_dumps({"imported": False, "problems": [{"pointer": "", "message": str(exc)}]}))
            else:
                self.stderr.write(f"{source}: cannot import: {exc}")
            raise SystemExit(EXIT_INVALID) from None
        design = result.design.canonical()
        report = result.report.as_dict()
        if output:
            Path(output).write_text(_dumps(design) + "\n", encoding="utf-8")
        if json:
            self.stdout.write(_dumps({"imported": True, "design": design, "report": report}))
            return
        if not output:
            self.stdout.write(_dumps(design))
        counts = report["counts"]
        self.stderr.write(
            f"{source}: {counts['resources']} resources → {counts['components']} components "
            f"({counts['kept_as_cloudformation_resource']} as cloudformation_resource), "
            f"{counts['connections_drawn']} connections, {counts['parts']} parts of components, "
            f"{counts['kept_not_drawn']} kept as written and not drawn"
        )
        for line in report["not_understood"]:
            self.stderr.write(f"  not understood: {line}")

    def handle_patterns(self, *, pattern_verb: str, **options: Any) -> None:
        if pattern_verb == "list":
            library = pattern_library()
            if options["json"]:
                self.stdout.write(_dumps([p.as_dict(with_design=False) for p in library.values()]))
                return
            width = max(len(slug) for slug in library)
            for pattern in library.values():
                size = (
                    f"{len(pattern.design.components):>3} components {len(pattern.design.connections):>3} connections"
                )
                self.stdout.write(f"{pattern.slug:<{width}}  {size}  {pattern.name}")
            return
        try:
            pattern = get_pattern(options["slug"])
        except PatternNotFound as exc:
            raise CommandError(str(exc), returncode=EXIT_USAGE) from None
        text = _dumps(pattern.as_dict() if options["json"] else pattern.design.canonical())
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)


def write_output(data: bytes, path: str | None) -> None:
    """Write to PATH, or to stdout as bytes (so PNG and PDF arrive intact through a pipe)."""
    if path and path != "-":
        Path(path).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
