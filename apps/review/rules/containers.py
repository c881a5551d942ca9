"""Containers on Fargate, batch jobs and load balancers: services that survive a task or a zone failing,
tasks and jobs that can start, jobs that survive Spot interruptions, and load balancers that encrypt and
check what they route to."""

from __future__ import annotations

from collections.abc import Iterator

from apps.designs.document import Component
from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

# Where these rules come from (kept here rather than in the shared references module).
FARGATE_NETWORKING = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html"
BATCH_RETRIES = "https://docs.aws.amazon.com/batch/latest/userguide/job_retries.html"
FARGATE_SPOT_NOTICE = "https://aws.amazon.com/premiumsupport/knowledge-center/fargate-spot-termination-notice/"
EC2_SPOT_NOTICE = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html"
CLOUDFRONT_VPC_ORIGINS = (
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-vpc-origins.html"
)
ALB_HTTPS = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html"
ALB_HEALTH_CHECKS = (
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html"
)
HTTP_API_PRIVATE_INTEGRATIONS = (
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html"
)
MULTI_AZ = (
    "AWS Well-Architected Framework, Reliability Pillar, REL10-BP01 “Deploy the workload to multiple locations” "
    "(https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_fault_isolation_multiaz_region_system.html)"
)


def _service_with_one_task(ctx: ReviewContext) -> Iterator[Hit]:
    for service in ctx.of_type("ecs_service"):
        count = ctx.prop(service, "desired_count")
        if count >= 2:
            continue
        consequence = (
            "it runs no task at all, so it serves nothing"
            if count == 0
            else "when its one task stops (a failed health check, a deployment, a zone failing) nothing serves "
            "requests until ECS has started a replacement"
        )
        yield Hit(
            (service.id,),
            f"{ctx.name(service)} keeps {count} task{'s' if count != 1 else ''} running: {consequence}.",
            "Set desired_count to at least 2: ECS spreads a Fargate service's tasks across the subnets (zones) "
            "of its VPC.",
        )


def _service_in_one_zone(ctx: ReviewContext) -> Iterator[Hit]:
    for service in ctx.of_type("ecs_service"):
        vpc = ctx.vpc_of(service)
        if vpc is None or ctx.vpc_prop(vpc, "az_count") >= 2:
            continue
        yield Hit(
            (service.id,),
            f"{ctx.name(service)} runs in {ctx.group_name(vpc)}, which has private subnets in one availability zone "
            "only: every task is lost when that zone fails, however many the service runs.",
            "Give the VPC group az_count 2 or more; the service's tasks are then spread across the zones.",
        )


def _service_without_route_to_its_image(ctx: ReviewContext) -> Iterator[Hit]:
    for service in ctx.of_type("ecs_service"):
        vpc = ctx.vpc_of(service)
        if vpc is None or ctx.vpc_prop(vpc, "nat_gateways") >= 1:
            continue
        yield Hit(
            (service.id,),
            f"{ctx.name(service)} runs in the private subnets of {ctx.group_name(vpc)}, which has no NAT gateway: "
            f"a Fargate task needs a route to the registry to pull its image ({ctx.prop(service, 'image')}) and "
            "to reach AWS APIs, so its tasks cannot start.",
            "Give the VPC group at least one NAT gateway (nat_gateways), or host the image in Amazon ECR and add "
            "the ECR, S3 and CloudWatch Logs interface endpoints to the VPC yourself.",
        )


def _job_host(ctx: ReviewContext, queue: Component) -> str:
    """What pulls a job's image: its Fargate task, or the EC2 instance it runs on (which also registers
    with ECS over the same route)."""
    return "an EC2 instance running a job" if ctx.prop(queue, "capacity") in ("ec2", "spot") else "a job on Fargate"


def _jobs_without_route_to_their_image(ctx: ReviewContext) -> Iterator[Hit]:
    for queue in ctx.of_type("batch_job_queue"):
        vpc = ctx.vpc_of(queue)
        if vpc is None or ctx.vpc_prop(vpc, "nat_gateways") >= 1:
            continue
        yield Hit(
            (queue.id,),
            f"{ctx.name(queue)} runs its jobs in the private subnets of {ctx.group_name(vpc)}, which has no NAT "
            f"gateway: {_job_host(ctx, queue)} needs a route to the registry to pull its image "
            f"({ctx.prop(queue, 'image')}), so its jobs cannot start.",
            "Give the VPC group at least one NAT gateway (nat_gateways), or host the image in Amazon ECR and add "
            "the ECR, S3 and CloudWatch Logs interface endpoints to the VPC yourself.",
        )


def _spot_jobs_without_retries(ctx: ReviewContext) -> Iterator[Hit]:
    for queue in ctx.of_type("batch_job_queue"):
        capacity = ctx.prop(queue, "capacity")
        if capacity not in ("fargate_spot", "spot") or ctx.prop(queue, "retry_attempts") > 1:
            continue
        what, stops, steady = (
            ("Fargate Spot", "a task", "fargate") if capacity == "fargate_spot" else ("EC2 Spot", "an instance", "ec2")
        )
        yield Hit(
            (queue.id,),
            f"{ctx.name(queue)} runs on {what} with one attempt per job: {what} stops {stops} with two "
            "minutes' warning when AWS needs the capacity back, and an interrupted job then fails for good.",
            "Set retry_attempts to 2 or more (AWS Batch retries a job whose attempt was stopped), make the jobs "
            f"safe to run again, or use capacity {steady} for jobs that must not be interrupted.",
        )


def _load_balancer_without_https(ctx: ReviewContext) -> Iterator[Hit]:
    for balancer in ctx.of_type("load_balancer"):
        https = ctx.prop(balancer, "certificate_arn") or ctx.out(balancer, "secure")
        if ctx.prop(balancer, "scheme") != "internet-facing" or https:
            continue
        if ctx.prop(balancer, "balancer_type") == "network":
            yield Hit(
                (balancer.id,),
                f"{ctx.name(balancer)} is internet-facing with a TCP listener only: what clients send crosses the "
                "internet unencrypted unless the service behind it terminates TLS itself.",
                "Set certificate_arn to an ACM certificate for the service's domain: the export then listens with "
                "TLS on port 443.",
            )
            continue
        yield Hit(
            (balancer.id,),
            f"{ctx.name(balancer)} is internet-facing with an HTTP listener only: requests, cookies and tokens "
            "cross the internet unencrypted.",
            "Connect it to an ACM certificate for the site's domain with 'secure' (or set certificate_arn): the "
            "export then listens with HTTPS on port 443 and redirects HTTP to it.",
        )


def _cloudfront_origin_is_internal(ctx: ReviewContext) -> Iterator[Hit]:
    for balancer in ctx.of_type("load_balancer"):
        if ctx.prop(balancer, "scheme") == "internet-facing":
            continue
        for link in ctx.into(balancer, "origin"):
            yield Hit(
                (link.source.id, balancer.id),
                f"{ctx.name(link.source)} uses {ctx.name(balancer)} as an origin, but the load balancer is internal: "
                "CloudFront reaches an origin over the internet, so every request to that path fails.",
                "Make the load balancer internet-facing (scheme), or serve it through a CloudFront VPC origin, "
                "which the export does not write.",
            )


def _target_with_default_health_check(ctx: ReviewContext) -> Iterator[Hit]:
    for balancer in ctx.of_type("load_balancer"):
        if ctx.prop(balancer, "scheme") != "internet-facing":
            continue
        for link in ctx.out(balancer, "forward"):
            target = link.target
            if target.type != "ecs_service" or ctx.prop(target, "health_check_path"):
                continue
            yield Hit(
                (balancer.id, target.id),
                f"{ctx.name(balancer)} forwards to {ctx.name(target)}, which has no health_check_path: its target "
                "group checks “/”, which may answer while the application cannot serve (or fail while it can), so "
                "unhealthy tasks keep receiving traffic or healthy ones are replaced.",
                "Set health_check_path on the service to an endpoint that answers 200 only when the task can serve "
                "requests (for example /health).",
            )


def _private_integration_to_public_load_balancer(ctx: ReviewContext) -> Iterator[Hit]:
    for balancer in ctx.of_type("load_balancer"):
        if ctx.prop(balancer, "scheme") != "internet-facing":
            continue
        for link in ctx.into(balancer, "integrate"):
            yield Hit(
                (link.source.id, balancer.id),
                f"{ctx.name(link.source)} reaches {ctx.name(balancer)} privately through a VPC link, but the load "
                "balancer is internet-facing: anyone can call it directly and skip the API's authorization, "
                "throttling and logging.",
                "Make the load balancer internal (scheme): the VPC link reaches it inside the VPC, so the API "
                "becomes its only way in.",
            )


RULES = (
    Rule(
        "ecs-service-single-task",
        "warning",
        "An ECS service runs fewer than two tasks",
        MULTI_AZ,
        _service_with_one_task,
    ),
    Rule(
        "ecs-service-single-az",
        "warning",
        "An ECS service's VPC has private subnets in one availability zone",
        MULTI_AZ,
        _service_in_one_zone,
    ),
    Rule(
        "ecs-service-no-route-to-image",
        "error",
        "An ECS service's tasks have no route to pull their image",
        FARGATE_NETWORKING,
        _service_without_route_to_its_image,
    ),
    Rule(
        "batch-job-no-route-to-image",
        "error",
        "A Batch job queue's jobs have no route to pull their image",
        FARGATE_NETWORKING,
        _jobs_without_route_to_their_image,
    ),
    Rule(
        "batch-spot-without-retries",
        "warning",
        "Jobs on Fargate Spot or EC2 Spot get one attempt",
        f"{FARGATE_SPOT_NOTICE}; {EC2_SPOT_NOTICE}; {BATCH_RETRIES}",
        _spot_jobs_without_retries,
    ),
    Rule(
        "load-balancer-without-https",
        "warning",
        "An internet-facing load balancer has no HTTPS listener",
        ALB_HTTPS,
        _load_balancer_without_https,
    ),
    Rule(
        "cloudfront-origin-internal-load-balancer",
        "error",
        "CloudFront uses an internal load balancer as an origin",
        CLOUDFRONT_VPC_ORIGINS,
        _cloudfront_origin_is_internal,
    ),
    Rule(
        "load-balancer-default-health-check",
        "info",
        "A load balancer checks an ECS service's health on the default path",
        ALB_HEALTH_CHECKS,
        _target_with_default_health_check,
    ),
    Rule(
        "api-private-integration-public-load-balancer",
        "warning",
        "An API reaches an internet-facing load balancer through a VPC link",
        HTTP_API_PRIVATE_INTEGRATIONS,
        _private_integration_to_public_load_balancer,
    ),
)
