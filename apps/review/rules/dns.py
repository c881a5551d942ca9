"""Custom domains: hosted zones, their alias records and health checks, and ACM certificates."""

from __future__ import annotations

from collections.abc import Iterator

from apps.designs.domains import shared_custom_domains, unvalidated_names
from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

ACM_DNS_VALIDATION = "https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html"
ROUTE53_FAILOVER = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-configuring.html"
CLOUDFRONT_ALIASES = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html"
ROUTE53_ZONES = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zones-working-with.html"


def _certificate_validated_by_hand(ctx: ReviewContext) -> Iterator[Hit]:
    for certificate in ctx.of_type("acm_certificate"):
        names = unvalidated_names(ctx, certificate)
        if not names:
            continue
        yield Hit(
            (certificate.id,),
            f"{ctx.name(certificate)} is validated through DNS, but no hosted zone of the design holds "
            f"{', '.join(names)}: the stack waits (up to 72 hours, then fails) until someone adds ACM's CNAME "
            "records by hand, and renewal depends on them staying.",
            "Connect the certificate to the hosted zone of those names with 'validate' (add a route53_zone for "
            "the domain if it is not in the design), or add the CNAME records ACM shows while the stack creates.",
        )


def _zone_without_records(ctx: ReviewContext) -> Iterator[Hit]:
    for zone in ctx.of_type("route53_zone"):
        if ctx.out(zone, "alias") or ctx.into(zone, "validate"):
            continue
        yield Hit(
            (zone.id,),
            f"{ctx.name(zone)} holds no record of the design: no alias to a distribution, API or load balancer "
            "and no certificate validated through it. It still costs its monthly fee.",
            "Connect it with 'alias' to what its names should reach, or with 'validate' from a certificate; "
            "remove it if its records live elsewhere.",
        )


def _failover_without_health_check(ctx: ReviewContext) -> Iterator[Hit]:
    for zone in ctx.of_type("route53_zone"):
        for link in ctx.out(zone, "alias"):
            if ctx.link_prop(link, "failover") != "primary" or ctx.link_prop(link, "health_check_path"):
                continue
            yield Hit(
                (zone.id, link.target.id),
                f"The primary failover record {link.id} to {ctx.name(link.target)} has no health check: Route 53 "
                "then treats it as always healthy (the export does not evaluate the target's health), so the "
                "secondary never answers.",
                "Set health_check_path on the connection to a path that fails when the target does (for "
                "example /health).",
            )


def _failover_without_secondary(ctx: ReviewContext) -> Iterator[Hit]:
    for zone in ctx.of_type("route53_zone"):
        links = ctx.out(zone, "alias")
        for link in links:
            if ctx.link_prop(link, "failover") != "primary":
                continue
            name = ctx.link_prop(link, "record_name") or ""
            if any(
                (ctx.link_prop(other, "record_name") or "") == name and ctx.link_prop(other, "failover") == "secondary"
                for other in links
            ):
                continue
            yield Hit(
                (zone.id, link.target.id),
                f"The failover record {link.id} to {ctx.name(link.target)} is a primary without a secondary for "
                "the same name: when its health check fails, the name stops answering instead of failing over.",
                "Add a second alias connection from the zone with the same record_name and failover secondary "
                "(a standby load balancer, for example), or set failover to none.",
            )


def _custom_domain_on_two_endpoints(ctx: ReviewContext) -> Iterator[Hit]:
    for name, owners in shared_custom_domains(ctx):
        yield Hit(
            tuple(component.id for component in owners),
            f"{ctx.names(owners)} would all serve {name}: CloudFront gives an alternate domain name to one "
            "distribution, and API Gateway a custom domain name to one API, so the deployment fails.",
            "Give each its own name (a different record_name on its alias connection, or a certificate for "
            "another name); to fail over between two endpoints, put load balancers behind the name.",
        )


RULES = (
    Rule(
        id="custom-domain-on-two-endpoints",
        severity="error",
        title="One custom domain name on two distributions or APIs",
        reference=CLOUDFRONT_ALIASES,
        check=_custom_domain_on_two_endpoints,
    ),
    Rule(
        id="certificate-validated-by-hand",
        severity="warning",
        title="A certificate's names are validated outside the design",
        reference=ACM_DNS_VALIDATION,
        check=_certificate_validated_by_hand,
    ),
    Rule(
        id="hosted-zone-without-records",
        severity="info",
        title="A hosted zone holds no record of the design",
        reference=ROUTE53_ZONES,
        check=_zone_without_records,
    ),
    Rule(
        id="failover-primary-without-health-check",
        severity="warning",
        title="A primary failover record without a health check",
        reference=ROUTE53_FAILOVER,
        check=_failover_without_health_check,
    ),
    Rule(
        id="failover-primary-without-secondary",
        severity="warning",
        title="A primary failover record without a secondary",
        reference=ROUTE53_FAILOVER,
        check=_failover_without_secondary,
    ),
)
