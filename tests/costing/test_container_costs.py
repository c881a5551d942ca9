"""Containers on Fargate cost their task size for every hour a task runs, whatever traffic they serve.

Figures are hand computations from the listed prices (pricing-us-east-1.yaml, AWS Fargate, Linux,
us-east-1: x86 $0.04048 per vCPU-hour and $0.004445 per GB-hour; Arm $0.03238 and $0.00356), over the
snapshot's 730-hour month.
"""

from __future__ import annotations

import pytest

from apps.core.pointers import Invalid
from apps.costing import estimate
from tests.costing.designs import component, design, line, link, usd


def ecs(component_id: str = "web", **props: object) -> dict[str, object]:
    usage = props.pop("usage", {})
    return {"id": component_id, "type": "ecs_service", "props": props, "usage": usage}


def test_two_one_vcpu_tasks_cost_their_vcpu_and_memory_hours() -> None:
    # 2 tasks × 730 h × 1 vCPU = 1,460 vCPU-hours × $0.04048 = $59.10;
    # 2 × 730 × 2 GB = 2,920 GB-hours × $0.004445 = $12.98.
    result = estimate(design([ecs(cpu=1024, memory_mb=2048, desired_count=2)]))
    assert line(result, "web", "fargate.vcpu.x86_64")["quantity"] == pytest.approx(1460)
    assert usd(result, "web", "fargate.vcpu.x86_64") == 59.10
    assert usd(result, "web", "fargate.memory.x86_64") == 12.98
    assert result["total_monthly_usd"] == 72.08


def test_arm_tasks_are_billed_at_the_arm_rates() -> None:
    # 1,460 vCPU-hours × $0.03238 = $47.27; 2,920 GB-hours × $0.00356 = $10.40.
    result = estimate(design([ecs(cpu=1024, memory_mb=2048, desired_count=2, architecture="arm64")]))
    assert usd(result, "web", "fargate.vcpu.arm64") == 47.27
    assert usd(result, "web", "fargate.memory.arm64") == 10.40


def test_average_tasks_overrides_the_desired_count() -> None:
    # 3.5 tasks × 730 h × 0.25 vCPU = 638.75 vCPU-hours; × 0.5 GB = 1,277.5 GB-hours.
    result = estimate(design([ecs(usage={"average_tasks": 3.5})]))
    assert line(result, "web", "fargate.vcpu.x86_64")["quantity"] == pytest.approx(638.75)
    assert line(result, "web", "fargate.memory.x86_64")["quantity"] == pytest.approx(1277.5)


def test_requests_pass_through_the_service_to_the_table_it_writes() -> None:
    table = {"id": "orders", "type": "dynamodb_table", "props": {}, "usage": {}}
    result = estimate(design([ecs(usage={"requests_per_month": 1_000_000}), table], [link("web", "orders", "write")]))
    # one write per request: 1,000,000 write request units, shown in the meter's unit (1M)
    assert line(result, "orders", "dynamodb.write_request_units")["quantity"] == pytest.approx(1.0)
    assert component(result, "web")["quantities"]["requests_per_month"] == 1_000_000


def test_an_unsupported_fargate_size_is_refused_with_the_memory_pointer() -> None:
    with pytest.raises(Invalid) as refused:
        design([ecs(cpu=4096, memory_mb=4096)])
    assert refused.value.problems[0].pointer == "/components/0/props/memory_mb"
    assert "8192 to 30720 MiB" in refused.value.problems[0].message


# -- Application Load Balancer --------------------------------------------------------------------------


def alb(**usage: object) -> dict[str, object]:
    return {"id": "alb", "type": "load_balancer", "props": {}, "usage": usage}


def test_an_idle_load_balancer_costs_its_hours() -> None:
    # 730 ALB-hours × $0.0225 = $16.425 → $16.43 (no traffic: no LCU-hours).
    result = estimate(design([alb(requests_per_month=0)]))
    assert usd(result, "alb", "elb.alb.hours") == 16.43
    assert usd(result, "alb", "elb.alb.lcu") == 0.0


def test_new_connections_dominate_small_requests() -> None:
    # 131,400,000 requests / (730 h × 3,600 s) = 50 requests/s, one connection each: 50 / 25 = 2 LCU.
    # Processed bytes: 131.4M × 8 KB / 1,048,576 / 730 h ≈ 1.37 GB/h (1.37 LCU); active connections:
    # 50 × 1 s = 50 (0.017 LCU). 2 LCU × 730 h = 1,460 LCU-hours × $0.008 = $11.68.
    result = estimate(design([alb(requests_per_month=131_400_000)]))
    assert component(result, "alb")["quantities"]["lcu"] == pytest.approx(2.0)
    assert usd(result, "alb", "elb.alb.lcu") == 11.68
    assert any("new connections" in note for note in result["assumptions"])


def test_processed_bytes_dominate_large_responses_on_kept_alive_connections() -> None:
    # Same 50 requests/s over connections carrying 100 requests each: 0.5 new connections/s (0.02 LCU);
    # 131.4M × 512 KB / 1,048,576 / 730 h = 87.890625 GB/h = 87.89 LCU × 730 h × $0.008 = $513.28.
    result = estimate(design([alb(requests_per_month=131_400_000, avg_request_kb=512, requests_per_connection=100)]))
    assert component(result, "alb")["quantities"]["lcu"] == pytest.approx(87.890625)
    assert usd(result, "alb", "elb.alb.lcu") == 513.28


def test_requests_flow_through_the_load_balancer_to_its_targets() -> None:
    service = ecs("app")
    result = estimate(
        design(
            [{"id": "web", "type": "browser", "props": {}, "usage": {}}, alb(), service],
            [link("web", "alb", "request"), link("alb", "app", "forward")],
            requests_per_month=1_000_000,
        )
    )
    assert component(result, "alb")["quantities"]["requests_per_month"] == 1_000_000
    assert component(result, "app")["quantities"]["requests_per_month"] == 1_000_000


# -- AWS Batch on Fargate ---------------------------------------------------------------------------------


def queue(**props: object) -> dict[str, object]:
    usage = props.pop("usage", {})
    return {"id": "crunch", "type": "batch_job_queue", "props": props, "usage": usage}


def test_batch_jobs_cost_their_fargate_time_and_batch_nothing() -> None:
    # 10,000 jobs × 600 s = 1,666.67 task-hours × 2 vCPU = 3,333.33 vCPU-hours × $0.04048 = $134.93;
    # × 4 GB = 6,666.67 GB-hours × $0.004445 = $29.63.
    result = estimate(
        design([queue(vcpus=2, memory_mb=4096, usage={"requests_per_month": 10_000, "avg_duration_s": 600})])
    )
    assert line(result, "crunch", "fargate.vcpu.x86_64")["quantity"] == pytest.approx(3333.333, rel=1e-6)
    assert usd(result, "crunch", "fargate.vcpu.x86_64") == 134.93
    assert usd(result, "crunch", "fargate.memory.x86_64") == 29.63
    assert result["total_monthly_usd"] == 164.56


def test_short_jobs_are_billed_one_minute() -> None:
    # 3,600 jobs of 10 s bill 60 s each: 60 task-hours × 1 vCPU = 60 vCPU-hours.
    result = estimate(design([queue(usage={"requests_per_month": 3600, "avg_duration_s": 10})]))
    assert line(result, "crunch", "fargate.vcpu.x86_64")["quantity"] == pytest.approx(60)


def test_spot_jobs_are_billed_at_the_spot_rates() -> None:
    # 60 vCPU-hours × $0.01334058 = $0.80; 120 GB-hours × $0.00146489 = $0.18.
    result = estimate(
        design([queue(capacity="fargate_spot", usage={"requests_per_month": 3600, "avg_duration_s": 60})])
    )
    assert usd(result, "crunch", "fargate.spot.vcpu.x86_64") == 0.80
    assert usd(result, "crunch", "fargate.spot.memory.x86_64") == 0.18


def test_a_function_submitting_jobs_passes_its_invocations_on() -> None:
    fn = {"id": "submit", "type": "lambda_function", "props": {}, "usage": {"requests_per_month": 500}}
    result = estimate(design([fn, queue()], [link("submit", "crunch", "invoke")]))
    assert component(result, "crunch")["quantities"]["jobs_per_month"] == 500


# -- AWS Batch on EC2 and Spot instances ----------------------------------------------------------------


def test_jobs_on_ec2_bill_the_share_of_an_instance_they_take() -> None:
    # 10,000 jobs × 600 s = 1,666.67 job-hours; a 2 vCPU / 4 GiB job takes half of an m6i.xlarge (4 vCPU,
    # 16 GiB): 833.33 instance-hours × $0.192 = $160.00.
    result = estimate(
        design(
            [
                queue(
                    capacity="ec2",
                    instance_type="m6i.xlarge",
                    vcpus=2,
                    memory_mb=4096,
                    usage={"requests_per_month": 10_000, "avg_duration_s": 600},
                )
            ]
        )
    )
    assert line(result, "crunch", "ec2.linux.m6i.xlarge")["quantity"] == pytest.approx(833.333, rel=1e-6)
    assert usd(result, "crunch", "ec2.linux.m6i.xlarge") == 160.00
    assert not any(entry["meter"].startswith("fargate") for entry in component(result, "crunch")["lines"])


def test_memory_can_be_the_larger_share_of_the_instance() -> None:
    # 1 vCPU of 2 is half a c6i.large, but 3,072 of its 4,096 MiB is three quarters: 3,600 one-minute jobs
    # = 60 job-hours × 0.75 = 45 instance-hours × $0.085 = $3.83.
    result = estimate(
        design(
            [
                queue(
                    capacity="ec2",
                    instance_type="c6i.large",
                    memory_mb=3072,
                    usage={"requests_per_month": 3600, "avg_duration_s": 60},
                )
            ]
        )
    )
    assert line(result, "crunch", "ec2.linux.c6i.large")["quantity"] == pytest.approx(45)
    assert usd(result, "crunch", "ec2.linux.c6i.large") == 3.83


def test_spot_instances_are_charged_at_the_on_demand_rate_and_say_so() -> None:
    result = estimate(design([queue(capacity="spot", usage={"requests_per_month": 3600, "avg_duration_s": 60})]))
    assert usd(result, "crunch", "ec2.linux.m6i.large") == round(60 * 0.5 * 0.096, 2)
    assert any("upper bound" in note for note in result["assumptions"])


# -- Network Load Balancer ------------------------------------------------------------------------------


def nlb(**usage: object) -> dict[str, object]:
    return {"id": "nlb", "type": "load_balancer", "props": {"balancer_type": "network"}, "usage": usage}


def test_a_network_load_balancer_bills_nlb_hours_and_nlcus_not_alb_ones() -> None:
    # 730 NLB-hours × $0.0225 = $16.43. 7.3M requests of 1 MB = 7,128.9 GB over 730 h = 9.77 GB an hour,
    # 9.77 NLCU (1 GB each) × 730 h = 7,128.9 NLCU-hours × $0.006 = $42.77; connections stay far below.
    result = estimate(design([nlb(requests_per_month=7_300_000, avg_request_kb=1024)]))
    assert usd(result, "nlb", "elb.nlb.hours") == 16.43
    assert line(result, "nlb", "elb.nlb.nlcu")["quantity"] == pytest.approx(7_300_000 / 1024, rel=1e-9)
    assert usd(result, "nlb", "elb.nlb.nlcu") == 42.77
    assert not any(entry["meter"].startswith("elb.alb") for entry in component(result, "nlb")["lines"])


def test_tls_connections_count_against_the_smaller_tls_allowance() -> None:
    # 50 new TLS connections a second fill one NLCU (TCP would take 800): 131.4M one-request connections
    # in 730 h = 50 a second → 1 NLCU × 730 h × $0.006 = $4.38.
    tls = nlb(requests_per_month=131_400_000, avg_request_kb=0, avg_connection_s=0)
    tls["props"] = {"balancer_type": "network", "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/abc"}
    result = estimate(design([tls]))
    assert line(result, "nlb", "elb.nlb.nlcu")["quantity"] == pytest.approx(730)
    assert usd(result, "nlb", "elb.nlb.nlcu") == 4.38
