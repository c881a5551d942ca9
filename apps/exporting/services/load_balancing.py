"""Load balancing: Application Load Balancers in a VPC and the targets they forward to.

A load balancer's 'forward' connections become target groups, the listener's default action (path
pattern ``*``) and path rules. An ECS target registers its tasks by IP (its own emitter adds the
registration and admits the balancer's security group); a Lambda target lets Elastic Load Balancing
invoke it. HTTPS when the balancer has an ACM certificate (a 'secure' connection, or certificate_arn),
with HTTP redirected to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from apps.designs.document import Component, Link
from apps.designs.domains import certificate_of
from apps.exporting.cfn import getatt, py, ref, sub, tag_list, var
from apps.exporting.plan import ExportError, Plan
from apps.exporting.services.base import Service

if TYPE_CHECKING:
    from apps.exporting.cdk import CdkStack
    from apps.exporting.sam import SamTemplate

SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"  # AWS's recommended policy: TLS 1.3 and 1.2


def forwards(plan: Plan, balancer: Component) -> list[Link]:
    """The balancer's 'forward' connections, the default action (``*``) last."""
    return sorted(plan.out(balancer, "forward"), key=lambda link: link.prop("path_pattern") == "*")


def default_forward(plan: Plan, balancer: Component) -> Link | None:
    return next((link for link in forwards(plan, balancer) if link.prop("path_pattern") == "*"), None)


def rules(plan: Plan, balancer: Component) -> list[tuple[Link, int]]:
    """(connection, priority) of each path rule; a rule without a priority takes the next free one."""
    links = [link for link in forwards(plan, balancer) if link.prop("path_pattern") != "*"]
    taken = {link.prop("priority") for link in links if link.prop("priority") is not None}
    result, next_free = [], 1
    for link in links:
        priority = link.prop("priority")
        if priority is None:
            while next_free in taken:
                next_free += 1
            priority = next_free
            taken.add(priority)
        result.append((link, priority))
    return result


def target_group_id(plan: Plan, link: Link) -> str:
    return f"{plan.ids[link.source.id]}To{plan.ids[link.target.id]}"


def listener_id(plan: Plan, balancer: Component) -> str:
    return f"{plan.ids[balancer.id]}Listener"


def listener_use_id(plan: Plan, link: Link) -> str:
    """The resource that puts a connection's target group behind the listener: a rule or the listener."""
    for rule, _ in rules(plan, link.source):
        if rule is link:
            return f"{plan.ids[link.source.id]}Rule{plan.ids[link.target.id]}"
    return listener_id(plan, link.source)


def https(plan: Plan, balancer: Component) -> bool:
    return bool(plan.prop(balancer, "certificate_arn")) or certificate_of(plan, balancer) is not None


def sam_certificate_arn(sam: SamTemplate, balancer: Component) -> Any:
    """The HTTPS listener's certificate: the connected ACM certificate ('secure'), else certificate_arn."""
    certificate = certificate_of(sam.plan, balancer)
    return ref(sam.id(certificate)) if certificate is not None else sam.plan.prop(balancer, "certificate_arn")


def cdk_listener_certificate(cdk: CdkStack, balancer: Component) -> str:
    certificate = certificate_of(cdk.plan, balancer)
    if certificate is not None:
        return f"elbv2.ListenerCertificate.from_certificate_manager({var(certificate)})"
    return f"elbv2.ListenerCertificate.from_arn({py(cdk.plan.prop(balancer, 'certificate_arn'))})"


def network(plan: Plan, balancer: Component) -> bool:
    """Whether it is a Network Load Balancer (TCP, or TLS with a certificate) rather than an Application one."""
    return plan.prop(balancer, "balancer_type") == "network"


def listener_port(plan: Plan, balancer: Component) -> int:
    return 443 if https(plan, balancer) else 80


def check_load_balancer(plan: Plan, balancer: Component) -> None:
    """What CloudFormation or Elastic Load Balancing would refuse, refused here with the reason."""
    vpc = plan.vpc_of(balancer)
    assert vpc is not None  # vpc_only: the plan refuses it outside a VPC

    def fail(why: str) -> None:
        raise ExportError(f"component {balancer.id!r} (load_balancer) cannot be exported: {why}")

    if plan.vpc_prop(vpc, "az_count") < 2 and not network(plan, balancer):
        fail("an Application Load Balancer needs subnets in at least two availability zones (az_count 2 or more)")
    if network(plan, balancer):
        links = forwards(plan, balancer)
        if len(links) != 1 or links[0].prop("path_pattern") != "*":
            fail(
                "a Network Load Balancer routes by port, not by path: give it exactly one 'forward' connection, "
                "with path pattern *"
            )
        if links[0].target.type != "ecs_service":
            fail(
                "a Network Load Balancer forwards to ECS services here (Lambda targets need an Application Load Balancer)"
            )
    if plan.prop(balancer, "scheme") == "internet-facing" and not plan.vpc_prop(vpc, "nat_gateways"):
        fail(
            "an internet-facing load balancer sits in public subnets, and its VPC has none; give the VPC group "
            "a NAT gateway (which adds public subnets) or make the load balancer internal"
        )
    patterns = [link.prop("path_pattern") for link in forwards(plan, balancer)]
    if len(patterns) != len(set(patterns)):
        fail("two of its 'forward' connections have the same path pattern")
    priorities = [priority for _, priority in rules(plan, balancer)]
    if len(priorities) != len(set(priorities)):
        fail("two of its path rules have the same priority")
    for link in forwards(plan, balancer):
        target_vpc = plan.vpc_of(link.target)
        if link.target.type == "ecs_service" and target_vpc is not vpc:
            fail(f"it forwards to {link.target.id!r}, which runs in another VPC; targets by IP must be in its own VPC")


def sam_balancer(
    sam: SamTemplate, balancer: Component, balancer_type: str, ports: list[int], extra: dict[str, Any] | None = None
) -> str:
    """The load balancer of either type in its VPC's public (internet-facing) or private subnets, with a
    security group open on ``ports`` to the internet or to the VPC; returns the VPC's logical id."""
    plan, logical = sam.plan, sam.id(balancer)
    vpc = plan.vpc_of(balancer)
    assert vpc is not None
    vpc_logical, az_count = plan.group_ids[vpc.id], plan.vpc_prop(vpc, "az_count")
    public = plan.prop(balancer, "scheme") == "internet-facing"
    source = {"CidrIp": "0.0.0.0/0"} if public else {"CidrIp": getatt(vpc_logical, "CidrBlock")}
    sam.add(
        f"{logical}SecurityGroup",
        "AWS::EC2::SecurityGroup",
        {
            "GroupDescription": f"load_balancer {balancer.id}",
            "VpcId": ref(vpc_logical),
            "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": p, "ToPort": p, **source} for p in ports],
            "SecurityGroupEgress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}],
        },
        balancer,
    )
    kind = "Public" if public else "Private"
    sam.add(
        logical,
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "Type": balancer_type,
            "Scheme": plan.prop(balancer, "scheme"),
            "Subnets": [ref(f"{vpc_logical}{kind}Subnet{i + 1}") for i in range(az_count)],
            "SecurityGroups": [getatt(f"{logical}SecurityGroup", "GroupId")],
            **(extra or {}),
            "Tags": tag_list(balancer),
        },
        balancer,
    )
    return vpc_logical


def sam_load_balancer(sam: SamTemplate, balancer: Component) -> None:
    plan, logical = sam.plan, sam.id(balancer)
    check_load_balancer(plan, balancer)
    if network(plan, balancer):
        sam_network_load_balancer(sam, balancer)
        return
    sam_balancer(
        sam,
        balancer,
        "application",
        [80, 443] if https(plan, balancer) else [80],
        {
            "LoadBalancerAttributes": [
                {"Key": "idle_timeout.timeout_seconds", "Value": str(plan.prop(balancer, "idle_timeout_s"))}
            ]
        },
    )
    for link in forwards(plan, balancer):
        sam_target_group(sam, link)
    default = default_forward(plan, balancer)
    action = (
        {"Type": "forward", "TargetGroupArn": ref(target_group_id(plan, default))}
        if default is not None
        else {
            "Type": "fixed-response",
            "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain", "MessageBody": "Not found"},
        }
    )
    listener: dict[str, Any] = {"LoadBalancerArn": ref(logical), "DefaultActions": [action]}
    if https(plan, balancer):
        listener.update(
            {
                "Port": 443,
                "Protocol": "HTTPS",
                "Certificates": [{"CertificateArn": sam_certificate_arn(sam, balancer)}],
                "SslPolicy": SSL_POLICY,
            }
        )
        sam.add(
            f"{logical}HttpRedirect",
            "AWS::ElasticLoadBalancingV2::Listener",
            {
                "LoadBalancerArn": ref(logical),
                "Port": 80,
                "Protocol": "HTTP",
                "DefaultActions": [
                    {
                        "Type": "redirect",
                        "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
                    }
                ],
            },
            balancer,
        )
    else:
        listener.update({"Port": 80, "Protocol": "HTTP"})
    sam.add(listener_id(plan, balancer), "AWS::ElasticLoadBalancingV2::Listener", listener, balancer)
    for link, priority in rules(plan, balancer):
        sam.add(
            listener_use_id(plan, link),
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            {
                "ListenerArn": ref(listener_id(plan, balancer)),
                "Priority": priority,
                "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": [link.prop("path_pattern")]}}],
                "Actions": [{"Type": "forward", "TargetGroupArn": ref(target_group_id(plan, link))}],
            },
            balancer,
        )
    scheme = "https" if https(plan, balancer) else "http"
    sam.output(
        f"{logical}Url",
        sub(f"{scheme}://${{{logical}.DNSName}}"),
        f"Address of {plan.label(balancer)}",
        balancer,
    )


def sam_target_group(sam: SamTemplate, link: Link) -> None:
    plan, balancer, target = sam.plan, link.source, link.target
    logical = target_group_id(plan, link)
    if target.type == "ecs_service":
        vpc = plan.vpc_of(balancer)
        assert vpc is not None
        sam.add(
            logical,
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            {
                "TargetType": "ip",
                "Protocol": "HTTP",
                "Port": plan.prop(target, "port"),
                "VpcId": ref(plan.group_ids[vpc.id]),
                "HealthCheckPath": plan.prop(target, "health_check_path") or "/",
                "Tags": tag_list(target),
            },
            balancer,
        )
        return
    # A Lambda target: ELB must be allowed to invoke the function before the group registers it.
    permission = f"{logical}Permission"
    sam.add(
        permission,
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": getatt(sam.id(target), "Arn"),
            "Principal": "elasticloadbalancing.amazonaws.com",
            "SourceAccount": ref("AWS::AccountId"),
        },
        balancer,
    )
    sam.add(
        logical,
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {"TargetType": "lambda", "Targets": [{"Id": getatt(sam.id(target), "Arn")}], "Tags": tag_list(target)},
        balancer,
        DependsOn=permission,
    )


def cdk_load_balancer(cdk: CdkStack, balancer: Component) -> None:
    plan, v, logical = cdk.plan, var(balancer), cdk.id(balancer)
    check_load_balancer(plan, balancer)
    if network(plan, balancer):
        cdk_network_load_balancer(cdk, balancer)
        return
    vpc = plan.vpc_of(balancer)
    assert vpc is not None
    g = f"g_{vpc.id}"
    public = plan.prop(balancer, "scheme") == "internet-facing"
    peer = "ec2.Peer.any_ipv4()" if public else f"ec2.Peer.ipv4({g}.vpc_cidr_block)"
    cdk.emit(f"# {logical}: Application Load Balancer")
    cdk.emit(
        f"{v}_sg = ec2.SecurityGroup(self, {py(logical + 'SecurityGroup')}, vpc={g}, description={py('load_balancer ' + balancer.id)}, allow_all_outbound=True)"
    )
    for port in [80, 443] if https(plan, balancer) else [80]:
        cdk.emit(f"{v}_sg.add_ingress_rule({peer}, ec2.Port.tcp({port}))")
    subnets = "ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC)" if public else f"{g}_private"
    cdk.emit(
        f"{v} = elbv2.ApplicationLoadBalancer(self, {py(logical)}, vpc={g}, internet_facing={public}, vpc_subnets={subnets}, "
        f"security_group={v}_sg, idle_timeout=Duration.seconds({plan.prop(balancer, 'idle_timeout_s')}))"
    )
    groups = {}
    for link in forwards(plan, balancer):
        group = f"{v}_to_{link.target.id}"
        groups[link.target.id] = group
        target = link.target
        if target.type == "ecs_service":
            path = plan.prop(target, "health_check_path") or "/"
            cdk.emit(
                f"{group} = elbv2.ApplicationTargetGroup(self, {py(target_group_id(plan, link))}, vpc={g}, port={plan.prop(target, 'port')}, "
                f"protocol=elbv2.ApplicationProtocol.HTTP, target_type=elbv2.TargetType.IP, health_check=elbv2.HealthCheck(path={py(path)}))"
            )
            cdk.emit(f"{var(target)}_service.attach_to_application_target_group({group})")
        else:
            cdk.emit(
                f"{group} = elbv2.ApplicationTargetGroup(self, {py(target_group_id(plan, link))}, targets=[elbv2_targets.LambdaTarget({var(target)})])"
            )
    default = default_forward(plan, balancer)
    action = (
        f"elbv2.ListenerAction.forward([{groups[default.target.id]}])"
        if default is not None
        else "elbv2.ListenerAction.fixed_response(404, content_type='text/plain', message_body='Not found')"
    )
    if https(plan, balancer):
        cdk.emit(
            f"{v}_listener = {v}.add_listener('Listener', port=443, protocol=elbv2.ApplicationProtocol.HTTPS, open=False, "
            f"certificates=[{cdk_listener_certificate(cdk, balancer)}], "
            f"ssl_policy=elbv2.SslPolicy.RECOMMENDED_TLS, default_action={action})"
        )
        cdk.emit(
            f"{v}.add_listener('HttpRedirect', port=80, protocol=elbv2.ApplicationProtocol.HTTP, open=False, "
            "default_action=elbv2.ListenerAction.redirect(protocol='HTTPS', port='443', permanent=True))"
        )
    else:
        cdk.emit(
            f"{v}_listener = {v}.add_listener('Listener', port=80, protocol=elbv2.ApplicationProtocol.HTTP, open=False, default_action={action})"
        )
    for link, priority in rules(plan, balancer):
        cdk.emit(
            f"elbv2.ApplicationListenerRule(self, {py(listener_use_id(plan, link))}, listener={v}_listener, priority={priority}, "
            f"conditions=[elbv2.ListenerCondition.path_patterns([{py(link.prop('path_pattern'))}])], "
            f"action=elbv2.ListenerAction.forward([{groups[link.target.id]}]))"
        )
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Url')}, value={v}.load_balancer_dns_name)")
    cdk.emit()


# -- Network Load Balancers ------------------------------------------------------------------------


def sam_network_load_balancer(sam: SamTemplate, balancer: Component) -> None:
    """A Network Load Balancer with a security group of its own, one TCP listener on port 80 (TLS on 443
    with a certificate) and the target group of its one 'forward' connection (ECS tasks by IP)."""
    plan, logical = sam.plan, sam.id(balancer)
    port = listener_port(plan, balancer)
    vpc_logical = sam_balancer(sam, balancer, "network", [port])
    (link,) = forwards(plan, balancer)
    target = link.target
    sam.add(
        target_group_id(plan, link),
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {
            "TargetType": "ip",
            "Protocol": "TCP",
            "Port": plan.prop(target, "port"),
            "VpcId": ref(vpc_logical),
            "HealthCheckProtocol": "HTTP",
            "HealthCheckPath": plan.prop(target, "health_check_path") or "/",
            "Tags": tag_list(target),
        },
        balancer,
    )
    listener: dict[str, Any] = {
        "LoadBalancerArn": ref(logical),
        "Port": port,
        "Protocol": "TLS" if https(plan, balancer) else "TCP",
        "DefaultActions": [{"Type": "forward", "TargetGroupArn": ref(target_group_id(plan, link))}],
    }
    if https(plan, balancer):
        listener["Certificates"] = [{"CertificateArn": plan.prop(balancer, "certificate_arn")}]
        listener["SslPolicy"] = SSL_POLICY
    sam.add(listener_id(plan, balancer), "AWS::ElasticLoadBalancingV2::Listener", listener, balancer)
    sam.output(f"{logical}Address", getatt(logical, "DNSName"), f"DNS name of {plan.label(balancer)}", balancer)


def cdk_network_load_balancer(cdk: CdkStack, balancer: Component) -> None:
    plan, v, logical = cdk.plan, var(balancer), cdk.id(balancer)
    vpc = plan.vpc_of(balancer)
    assert vpc is not None
    g = f"g_{vpc.id}"
    public = plan.prop(balancer, "scheme") == "internet-facing"
    peer = "ec2.Peer.any_ipv4()" if public else f"ec2.Peer.ipv4({g}.vpc_cidr_block)"
    port = listener_port(plan, balancer)
    cdk.emit(f"# {logical}: Network Load Balancer")
    cdk.emit(
        f"{v}_sg = ec2.SecurityGroup(self, {py(logical + 'SecurityGroup')}, vpc={g}, description={py('load_balancer ' + balancer.id)}, allow_all_outbound=True)"
    )
    cdk.emit(f"{v}_sg.add_ingress_rule({peer}, ec2.Port.tcp({port}))")
    subnets = "ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC)" if public else f"{g}_private"
    cdk.emit(
        f"{v} = elbv2.NetworkLoadBalancer(self, {py(logical)}, vpc={g}, internet_facing={public}, vpc_subnets={subnets}, "
        f"security_groups=[{v}_sg])"
    )
    (link,) = forwards(plan, balancer)
    target, group = link.target, f"{v}_to_{link.target.id}"
    path = plan.prop(target, "health_check_path") or "/"
    cdk.emit(
        f"{group} = elbv2.NetworkTargetGroup(self, {py(target_group_id(plan, link))}, vpc={g}, port={plan.prop(target, 'port')}, "
        f"protocol=elbv2.Protocol.TCP, target_type=elbv2.TargetType.IP, "
        f"health_check=elbv2.HealthCheck(protocol=elbv2.Protocol.HTTP, path={py(path)}))"
    )
    # Unlike an Application Load Balancer's, a network target group opens no security group rule itself.
    cdk.emit(f"{var(target)}_service.attach_to_network_target_group({group})")
    cdk.emit(
        f"{var(target)}_sg.add_ingress_rule({v}_sg, ec2.Port.tcp({plan.prop(target, 'port')}), {py('load_balancer ' + balancer.id)})"
    )
    if https(plan, balancer):
        cdk.emit(
            f"{v}_listener = {v}.add_listener('Listener', port=443, protocol=elbv2.Protocol.TLS, "
            f"certificates=[elbv2.ListenerCertificate.from_arn({py(plan.prop(balancer, 'certificate_arn'))})], "
            f"ssl_policy=elbv2.SslPolicy.RECOMMENDED_TLS, default_target_groups=[{group}])"
        )
    else:
        cdk.emit(
            f"{v}_listener = {v}.add_listener('Listener', port=80, protocol=elbv2.Protocol.TCP, default_target_groups=[{group}])"
        )
    cdk.emit(f"cdk.CfnOutput(self, {py(logical + 'Address')}, value={v}.load_balancer_dns_name)")
    cdk.emit()


SERVICES = (
    # After the ECS services and functions it forwards to (it attaches them to its target groups).
    Service("load_balancer", sam=sam_load_balancer, cdk=cdk_load_balancer, cdk_order=36),
)
