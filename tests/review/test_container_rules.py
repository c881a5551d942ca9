"""Containers on Fargate: enough tasks, more than one zone, and a route to the image."""

from __future__ import annotations

from typing import Any

from apps.designs.document import Design
from tests.review.designs import comp, design, findings, link, only, vpc


def service(*, vpc_props: dict[str, Any] | None = None, **props: Any) -> Design:
    network = {"nat_gateways": 1, **(vpc_props or {})}
    return design([comp("web", "ecs_service", "Web", group="vpc", **props)], groups=[vpc(**network)])


def test_a_service_with_one_task_is_warned_about() -> None:
    finding = only(service(desired_count=1), "ecs-service-single-task")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["web"]
    assert "desired_count" in finding["fix"]


def test_a_service_with_no_task_serves_nothing() -> None:
    assert "no task at all" in only(service(desired_count=0), "ecs-service-single-task")["message"]


def test_a_service_with_two_tasks_is_fine() -> None:
    assert findings(service(desired_count=2), "ecs-service-single-task") == []


def test_a_service_in_a_one_zone_vpc_is_warned_about() -> None:
    finding = only(service(vpc_props={"az_count": 1}), "ecs-service-single-az")
    assert finding["components"] == ["web"]
    assert "az_count" in finding["fix"]


def test_a_service_in_a_two_zone_vpc_is_fine() -> None:
    assert findings(service(vpc_props={"az_count": 2}), "ecs-service-single-az") == []


def test_a_service_in_a_vpc_without_nat_cannot_pull_its_image() -> None:
    finding = only(service(vpc_props={"nat_gateways": 0}), "ecs-service-no-route-to-image")
    assert finding["severity"] == "error"
    assert "public.ecr.aws/nginx/nginx:stable" in finding["message"]
    assert "NAT gateway" in finding["fix"]


def test_a_service_behind_a_nat_gateway_reaches_its_registry() -> None:
    assert findings(service(), "ecs-service-no-route-to-image") == []


def balancer(*, service_props: dict[str, Any] | None = None, **props: Any) -> Design:
    return design(
        [comp("web", "browser"), comp("alb", "load_balancer", "Front door", group="vpc", **props),
         comp("app", "ecs_service", group="vpc", **(service_props or {}))],
        [link("web", "alb", "request"), link("alb", "app", "forward")],
        groups=[vpc(nat_gateways=1)],
    )  # fmt: skip


CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d"


def test_an_internet_facing_load_balancer_without_a_certificate_is_warned_about() -> None:
    finding = only(balancer(scheme="internet-facing"), "load-balancer-without-https")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["alb"]
    assert "certificate_arn" in finding["fix"]


def test_a_load_balancer_with_a_certificate_is_fine() -> None:
    assert (
        findings(balancer(scheme="internet-facing", certificate_arn=CERTIFICATE), "load-balancer-without-https") == []
    )


def test_an_internal_load_balancer_may_speak_http() -> None:
    assert findings(balancer(), "load-balancer-without-https") == []


def test_an_internet_facing_load_balancer_checking_the_default_path_is_noted() -> None:
    finding = only(balancer(scheme="internet-facing"), "load-balancer-default-health-check")
    assert finding["severity"] == "info"
    assert finding["components"] == ["alb", "app"]
    assert "health_check_path" in finding["fix"]


def test_a_service_with_a_health_check_path_is_fine() -> None:
    doc = balancer(scheme="internet-facing", service_props={"health_check_path": "/health"})
    assert findings(doc, "load-balancer-default-health-check") == []


def jobs(*, nat: int = 1, **props: Any) -> Design:
    return design([comp("crunch", "batch_job_queue", "Nightly crunch", group="vpc", **props)],
                  groups=[vpc(nat_gateways=nat)])  # fmt: skip


def test_spot_jobs_with_one_attempt_are_warned_about() -> None:
    finding = only(jobs(capacity="fargate_spot"), "batch-spot-without-retries")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["crunch"]
    assert "retry_attempts" in finding["fix"]


def test_spot_jobs_with_retries_are_fine() -> None:
    assert findings(jobs(capacity="fargate_spot", retry_attempts=3), "batch-spot-without-retries") == []


def test_on_demand_jobs_need_no_retries_for_interruptions() -> None:
    assert findings(jobs(capacity="fargate"), "batch-spot-without-retries") == []
    assert findings(jobs(capacity="ec2"), "batch-spot-without-retries") == []


def test_jobs_on_ec2_spot_with_one_attempt_are_warned_about_too() -> None:
    finding = only(jobs(capacity="spot"), "batch-spot-without-retries")
    assert "EC2 Spot" in finding["message"] and "capacity ec2" in finding["fix"]
    assert findings(jobs(capacity="spot", retry_attempts=2), "batch-spot-without-retries") == []


def test_jobs_in_a_vpc_without_nat_cannot_pull_their_image() -> None:
    finding = only(jobs(nat=0), "batch-job-no-route-to-image")
    assert finding["severity"] == "error"
    assert "public.ecr.aws/amazonlinux/amazonlinux:2023" in finding["message"]


def test_jobs_behind_a_nat_gateway_reach_their_registry() -> None:
    assert findings(jobs(), "batch-job-no-route-to-image") == []


def fronted(scheme: str) -> Design:
    return design(
        [comp("cdn", "cloudfront"), comp("alb", "load_balancer", group="vpc", scheme=scheme),
         comp("app", "ecs_service", group="vpc", health_check_path="/health")],
        [link("cdn", "alb", "origin", path_pattern="*"), link("alb", "app", "forward")],
        groups=[vpc(nat_gateways=1)],
    )  # fmt: skip


def test_cloudfront_cannot_reach_an_internal_load_balancer() -> None:
    finding = only(fronted("internal"), "cloudfront-origin-internal-load-balancer")
    assert finding["severity"] == "error"
    assert finding["components"] == ["cdn", "alb"]


def test_cloudfront_reaches_an_internet_facing_load_balancer() -> None:
    assert findings(fronted("internet-facing"), "cloudfront-origin-internal-load-balancer") == []


def api_to_balancer(scheme: str) -> Design:
    return design(
        [comp("api", "api_gateway_http", "Orders API"),
         comp("alb", "load_balancer", "Back end", group="vpc", scheme=scheme),
         comp("app", "ecs_service", group="vpc")],
        [link("api", "alb", "integrate"), link("alb", "app", "forward")],
        groups=[vpc(nat_gateways=1)],
    )  # fmt: skip


def test_an_api_reaching_an_internet_facing_balancer_privately_is_warned_about() -> None:
    finding = only(api_to_balancer("internet-facing"), "api-private-integration-public-load-balancer")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["api", "alb"]
    assert "internal" in finding["fix"]


def test_an_api_reaching_an_internal_balancer_privately_is_fine() -> None:
    assert findings(api_to_balancer("internal"), "api-private-integration-public-load-balancer") == []


def test_jobs_on_ec2_without_nat_are_told_their_instances_cannot_pull_the_image() -> None:
    finding = only(jobs(nat=0, capacity="ec2"), "batch-job-no-route-to-image")
    assert "EC2 instance" in finding["message"]


def test_an_internet_facing_network_load_balancer_without_tls_is_told_about_tls_not_http() -> None:
    finding = only(balancer(scheme="internet-facing", balancer_type="network"), "load-balancer-without-https")
    assert "TCP listener" in finding["message"] and "TLS on port 443" in finding["fix"]
