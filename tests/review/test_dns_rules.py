"""Custom domains: certificates validated by hand, empty hosted zones, failover records that cannot fail over."""

from __future__ import annotations

from typing import Any

from apps.designs.document import Design
from tests.review.designs import comp, design, findings, link, only, vpc


def site(*, validate: bool = True, certificate: dict[str, Any] | None = None, **alias: Any) -> Design:
    """A distribution on www.example.com: a zone, a certificate, a bucket behind it."""
    connections = [
        link("web", "cdn", "request"),
        link("cdn", "files", "origin"),
        link("cdn", "cert", "secure"),
        link("zone", "cdn", "alias", record_name="www", **alias),
    ]
    if validate:
        connections.append(link("cert", "zone", "validate"))
    return design(
        [comp("web", "browser"), comp("cdn", "cloudfront"), comp("files", "s3_bucket"),
         comp("zone", "route53_zone", domain_name="example.com"),
         comp("cert", "acm_certificate", **(certificate or {"domain_name": "www.example.com"}))],
        connections,
    )  # fmt: skip


def test_a_certificate_validated_through_its_zone_is_fine() -> None:
    assert findings(site(), "certificate-validated-by-hand") == []


def test_a_certificate_without_a_zone_is_validated_by_hand() -> None:
    finding = only(site(validate=False), "certificate-validated-by-hand")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["cert"]
    assert "www.example.com" in finding["message"]
    assert "validate" in finding["fix"]


def test_a_name_outside_the_zone_is_validated_by_hand() -> None:
    certificate = {"domain_name": "www.example.com", "subject_alternative_names": "www.example.org"}
    finding = only(site(certificate=certificate), "certificate-validated-by-hand")
    assert "www.example.org" in finding["message"]
    assert "www.example.com" not in finding["message"]


def test_a_wildcard_is_validated_by_its_base_name() -> None:
    certificate = {"domain_name": "example.com", "subject_alternative_names": "*.example.com"}
    assert findings(site(certificate=certificate), "certificate-validated-by-hand") == []


def test_an_empty_zone_is_pointed_out() -> None:
    doc = design([comp("zone", "route53_zone")])
    finding = only(doc, "hosted-zone-without-records")
    assert finding["severity"] == "info"
    assert finding["components"] == ["zone"]


def test_a_zone_with_records_is_fine() -> None:
    assert findings(site(), "hosted-zone-without-records") == []


def failover(primary: dict[str, Any], secondary: bool = True) -> Design:
    connections = [
        link("zone", "main", "alias", record_name="app", failover="primary", **primary),
        link("main", "svc", "forward"),
        link("standby", "svc", "forward"),
    ]
    if secondary:
        connections.append(link("zone", "standby", "alias", record_name="app", failover="secondary"))
    return design(
        [comp("zone", "route53_zone"),
         comp("main", "load_balancer", group="vpc", scheme="internet-facing"),
         comp("standby", "load_balancer", group="vpc", scheme="internet-facing"),
         comp("svc", "ecs_service", group="vpc")],
        connections,
        groups=[vpc(nat_gateways=1)],
    )  # fmt: skip


def test_a_primary_without_a_health_check_never_fails_over() -> None:
    finding = only(failover({}), "failover-primary-without-health-check")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["zone", "main"]
    assert "health_check_path" in finding["fix"]


def test_a_health_checked_primary_is_fine() -> None:
    assert findings(failover({"health_check_path": "/health"}), "failover-primary-without-health-check") == []


def test_a_primary_without_a_secondary_is_warned_about() -> None:
    finding = only(failover({"health_check_path": "/health"}, secondary=False), "failover-primary-without-secondary")
    assert finding["components"] == ["zone", "main"]


def test_a_failover_pair_is_fine() -> None:
    assert findings(failover({"health_check_path": "/health"}), "failover-primary-without-secondary") == []


def test_a_load_balancer_with_a_certificate_connection_serves_https() -> None:
    doc = design(
        [comp("alb", "load_balancer", group="vpc", scheme="internet-facing"), comp("svc", "ecs_service", group="vpc"),
         comp("cert", "acm_certificate", domain_name="app.example.com")],
        [link("alb", "svc", "forward"), link("alb", "cert", "secure")],
        groups=[vpc(nat_gateways=1)],
    )  # fmt: skip
    assert findings(doc, "load-balancer-without-https") == []


def test_one_name_on_two_distributions_fails_the_deployment() -> None:
    doc = design(
        [comp("one", "cloudfront"), comp("two", "cloudfront"), comp("files", "s3_bucket"),
         comp("zone", "route53_zone"), comp("cert", "acm_certificate", domain_name="www.example.com")],
        [link("one", "files", "origin"), link("two", "files", "origin"),
         link("one", "cert", "secure"), link("two", "cert", "secure")],
    )  # fmt: skip
    finding = only(doc, "custom-domain-on-two-endpoints")
    assert finding["severity"] == "error"
    assert finding["components"] == ["one", "two"]
    assert "www.example.com" in finding["message"]


def test_distinct_names_are_fine() -> None:
    assert findings(site(), "custom-domain-on-two-endpoints") == []
