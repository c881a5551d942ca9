"""Design → AWS CDK app in Python (source text). Pure Python, no Django.

The same Plan as the SAM export decides what exists; this module writes it with idiomatic L2
constructs (grants, event sources, RestApi/HttpApi, Distribution with S3BucketOrigin OAC) and L1 ones
only where no L2 exists (ElastiCache, identity pools, HTTP API service routes).

Generated source is safe by construction: every user string is written with ``repr`` (a Python string
literal), every variable name is ``c_<component id>`` (ids are slugs) or one of ours, and construct ids
are logical ids (letters and digits). Nothing user-controlled is ever emitted as code: enum values
written as attribute names were checked against the catalog by the plan, and every string comes from
``plan.design``, already made safe for CloudFormation (and for CDK, which reads ``${Token[…]}``).
"""

from __future__ import annotations

import json
from typing import Any

from apps.designs.document import Component, Design, Group, Link
from apps.exporting.bundle import checked, function_sources, readme_cdk, stack_name, zip_safe_context
from apps.exporting.plan import Plan, tag_value
from apps.exporting.sam import SPA_REWRITE

CDK_VERSION = "2.275.0"
CONSTRUCTS_VERSION = "10.8.1"

RUNTIMES = {
    "python3.13": "PYTHON_3_13",
    "python3.12": "PYTHON_3_12",
    "python3.11": "PYTHON_3_11",
    "nodejs22.x": "NODEJS_22_X",
    "nodejs20.x": "NODEJS_20_X",
    "ruby3.3": "RUBY_3_3",
}
HANDLER = {"python": "app.handler", "nodejs": "app.handler", "ruby": "app.handler"}
EDGE_EVENTS = {
    "viewer-request": "VIEWER_REQUEST",
    "viewer-response": "VIEWER_RESPONSE",
    "origin-request": "ORIGIN_REQUEST",
    "origin-response": "ORIGIN_RESPONSE",
}
PRICE_CLASSES = {
    "PriceClass_All": "PRICE_CLASS_ALL",
    "PriceClass_200": "PRICE_CLASS_200",
    "PriceClass_100": "PRICE_CLASS_100",
}
DEPLOYMENT_CONFIGS = {
    "AllAtOnce": "ALL_AT_ONCE",
    "Canary10Percent5Minutes": "CANARY_10_PERCENT_5_MINUTES",
    "Canary10Percent10Minutes": "CANARY_10_PERCENT_10_MINUTES",
    "Canary10Percent30Minutes": "CANARY_10_PERCENT_30_MINUTES",
    "Linear10PercentEvery1Minute": "LINEAR_10_PERCENT_EVERY_1_MINUTE",
    "Linear10PercentEvery3Minutes": "LINEAR_10_PERCENT_EVERY_3_MINUTES",
    "Linear10PercentEvery10Minutes": "LINEAR_10_PERCENT_EVERY_10_MINUTES",
}
INTERFACE_SERVICES = {
    "sqs": "SQS",
    "sns": "SNS",
    "kinesis-streams": "KINESIS_STREAMS",
    "events": "EVENTBRIDGE",
    "states": "STEP_FUNCTIONS",
    "lambda": "LAMBDA",
    "secretsmanager": "SECRETS_MANAGER",
}
S3_EVENTS = {
    "s3:ObjectCreated:*": "OBJECT_CREATED",
    "s3:ObjectCreated:Put": "OBJECT_CREATED_PUT",
    "s3:ObjectCreated:Post": "OBJECT_CREATED_POST",
    "s3:ObjectCreated:Copy": "OBJECT_CREATED_COPY",
    "s3:ObjectCreated:CompleteMultipartUpload": "OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD",
    "s3:ObjectRemoved:*": "OBJECT_REMOVED",
    "s3:ObjectRemoved:Delete": "OBJECT_REMOVED_DELETE",
}
LOG_RETENTION = {
    1: "ONE_DAY", 3: "THREE_DAYS", 5: "FIVE_DAYS", 7: "ONE_WEEK", 14: "TWO_WEEKS", 30: "ONE_MONTH",
    60: "TWO_MONTHS", 90: "THREE_MONTHS", 120: "FOUR_MONTHS", 150: "FIVE_MONTHS", 180: "SIX_MONTHS",
    365: "ONE_YEAR", 400: "THIRTEEN_MONTHS", 545: "EIGHTEEN_MONTHS", 731: "TWO_YEARS", 1096: "THREE_YEARS",
    1827: "FIVE_YEARS", 2192: "SIX_YEARS", 2557: "SEVEN_YEARS", 2922: "EIGHT_YEARS", 3288: "NINE_YEARS",
    3653: "TEN_YEARS",
}  # fmt: skip

IMPORTS = """import json
import os

import aws_cdk as cdk
from aws_cdk import Duration, Size
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as apigwv2_authorizers
from aws_cdk import aws_apigatewayv2_integrations as apigwv2_integrations
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_codedeploy as codedeploy
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticache as elasticache
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesis as kinesis
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_logs as logs
from aws_cdk import aws_opensearchservice as opensearch
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct
"""


def py(value: Any) -> str:
    """A Python literal for plain data (strings via repr, so no user text can become code)."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py(str(k))}: {py(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as a literal")


def var(component: Component) -> str:
    return f"c_{component.id}"


class CdkStack:
    """Writes the body of one stack class: the components of one account group (or of none)."""

    def __init__(self, plan: Plan, account: Group | None) -> None:
        self.plan = plan
        self.account = account
        self.lines: list[str] = []
        self.members = [
            c
            for c in plan.design.components
            if plan.account_of(c) is account and c.type not in ("browser", "mobile_app")
        ]
        self.member_ids = {c.id for c in self.members}

    def emit(self, line: str = "") -> None:
        self.lines.append(f"        {line}" if line else "")

    def id(self, component: Component) -> str:
        return self.plan.ids[component.id]

    def here(self, component: Component) -> bool:
        return component.id in self.member_ids

    def prop(self, component: Component, name: str) -> Any:
        return self.plan.prop(component, name)

    # -- order: networks, stores and queues, functions, then what wires them -------------------------

    def build(self) -> list[str]:
        vpcs = [g for g in self.plan.vpcs() if self.plan.account_of_group(g) is self.account]
        for vpc in vpcs:
            self.vpc(vpc)
        order = [
            "cognito_user_pool", "dynamodb_table", "s3_bucket", "sqs_queue", "kinesis_stream", "sns_topic",
            "eventbridge_bus", "rds_instance", "elasticache_cluster", "opensearch_domain", "lambda_function",
            "step_functions", "api_gateway_rest", "api_gateway_http", "cloudfront",
        ]  # fmt: skip
        for kind in order:
            for component in self.ordered([c for c in self.members if c.type == kind]):
                getattr(self, kind)(component)
        for fn in [c for c in self.members if c.type == "lambda_function"]:
            self.function_wiring(fn)
        for component in [c for c in self.members if c.type in ("sns_topic", "eventbridge_bus", "cognito_user_pool")]:
            self.push_wiring(component)
        return self.lines

    # -- network ----------------------------------------------------------------------------------

    def vpc(self, vpc: Group) -> None:
        plan, name = self.plan, f"g_{vpc.id}"
        nat = plan.vpc_prop(vpc, "nat_gateways")
        subnets = [
            f'ec2.SubnetConfiguration(name="private", subnet_type=ec2.SubnetType.{"PRIVATE_WITH_EGRESS" if nat else "PRIVATE_ISOLATED"}, cidr_mask=24)'
        ]
        if nat:
            subnets.append('ec2.SubnetConfiguration(name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24)')
        self.emit(f"# {plan.group_ids[vpc.id]}: private network")
        self.emit(
            f"{name} = ec2.Vpc(self, {py(plan.group_ids[vpc.id])}, ip_addresses=ec2.IpAddresses.cidr({py(plan.vpc_prop(vpc, 'cidr'))}), "
            f"max_azs={plan.vpc_prop(vpc, 'az_count')}, nat_gateways={nat}, subnet_configuration=[{', '.join(subnets)}], "
            "restrict_default_security_group=False)"
        )
        self.emit(
            f"{name}_private = ec2.SubnetSelection(subnet_type=ec2.SubnetType.{'PRIVATE_WITH_EGRESS' if nat else 'PRIVATE_ISOLATED'})"
        )
        if any(c.type == "lambda_function" for c in plan.members(vpc)):
            self.emit(
                f'{name}_functions = ec2.SecurityGroup(self, {py(plan.group_ids[vpc.id] + "FunctionSecurityGroup")}, vpc={name}, description="Functions in this VPC", allow_all_outbound=True)'
            )
        for service, kind in plan.vpc_endpoints(vpc):
            logical = py(f"{plan.group_ids[vpc.id]}{service.title().replace('-', '')}Endpoint")
            if kind == "Gateway":
                gateway = "DYNAMODB" if service == "dynamodb" else "S3"
                self.emit(
                    f"{name}.add_gateway_endpoint({logical}, service=ec2.GatewayVpcEndpointAwsService.{gateway}, subnets=[{name}_private])"
                )
            else:
                self.emit(
                    f"{name}.add_interface_endpoint({logical}, service=ec2.InterfaceVpcEndpointAwsService.{INTERFACE_SERVICES[service]}, subnets={name}_private, security_groups=[{name}_functions])"
                )
        self.emit()

    def store_network(self, store: Component) -> str:
        vpc = self.plan.vpc_of(store)
        assert vpc is not None
        group = f"{var(store)}_sg"
        self.emit(
            f"{group} = ec2.SecurityGroup(self, {py(self.id(store) + 'SecurityGroup')}, vpc=g_{vpc.id}, description={py(f'{store.type} {store.id}')})"
        )
        if any(c.type == "lambda_function" for c in self.plan.members(vpc)):
            self.emit(
                f"{group}.add_ingress_rule(g_{vpc.id}_functions, ec2.Port.tcp({self.plan.port(store)}), 'functions of the VPC')"
            )
        return group

    # -- data and messaging -------------------------------------------------------------------------

    def cognito_user_pool(self, pool: Component) -> None:
        v, mfa = var(pool), self.prop(pool, "mfa")
        self.emit(f"# {self.id(pool)}: Cognito user pool")
        self.emit(
            f"{v} = cognito.UserPool(self, {py(self.id(pool))}, sign_in_aliases=cognito.SignInAliases(email=True), "
            "auto_verify=cognito.AutoVerifiedAttrs(email=True), "
            f"mfa=cognito.Mfa.{ {'off': 'OFF', 'optional': 'OPTIONAL', 'on': 'REQUIRED'}[mfa] }, "
            + ("mfa_second_factor=cognito.MfaSecondFactor(sms=False, otp=True), " if mfa != "off" else "")
            + f"password_policy=cognito.PasswordPolicy(min_length={self.prop(pool, 'password_min_length')}, require_symbols=False), "
            "account_recovery=cognito.AccountRecovery.EMAIL_ONLY)"
        )
        self.emit(
            f'{v}_client = {v}.add_client("Client", auth_flows=cognito.AuthFlow(user_srp=True), generate_secret=False, prevent_user_existence_errors=True)'
        )
        self.emit(f"cdk.CfnOutput(self, {py(self.id(pool) + 'Id')}, value={v}.user_pool_id)")
        if self.prop(pool, "identity_pool"):
            logical = self.id(pool)
            self.emit(
                f"{v}_identity = cognito.CfnIdentityPool(self, {py(logical + 'IdentityPool')}, allow_unauthenticated_identities=False, "
                f"cognito_identity_providers=[cognito.CfnIdentityPool.CognitoIdentityProviderProperty(client_id={v}_client.user_pool_client_id, provider_name={v}.user_pool_provider_name)])"
            )
            self.emit(
                f"{v}_authenticated = iam.Role(self, {py(logical + 'AuthenticatedRole')}, assumed_by=iam.FederatedPrincipal('cognito-identity.amazonaws.com', "
                f"{{'StringEquals': {{'cognito-identity.amazonaws.com:aud': {v}_identity.ref}}, 'ForAnyValue:StringLike': {{'cognito-identity.amazonaws.com:amr': 'authenticated'}}}}, "
                "'sts:AssumeRoleWithWebIdentity'))"
            )
            self.emit(
                f"cognito.CfnIdentityPoolRoleAttachment(self, {py(logical + 'IdentityRoles')}, identity_pool_id={v}_identity.ref, roles={{'authenticated': {v}_authenticated.role_arn}})"
            )
        self.emit()

    def dynamodb_table(self, table: Component) -> None:
        v, provisioned = var(table), self.prop(table, "capacity_mode") == "provisioned"
        args = [
            f"partition_key=dynamodb.Attribute(name={py(self.prop(table, 'partition_key'))}, type=dynamodb.AttributeType.STRING)",
            f"billing_mode=dynamodb.BillingMode.{'PROVISIONED' if provisioned else 'PAY_PER_REQUEST'}",
            f"point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(point_in_time_recovery_enabled={bool(self.prop(table, 'point_in_time_recovery'))})",
            "encryption=dynamodb.TableEncryption.AWS_MANAGED",
            "removal_policy=cdk.RemovalPolicy.RETAIN",
        ]
        if self.prop(table, "sort_key"):
            args.append(
                f"sort_key=dynamodb.Attribute(name={py(self.prop(table, 'sort_key'))}, type=dynamodb.AttributeType.STRING)"
            )
        if provisioned:
            args.append(f"read_capacity={self.prop(table, 'rcu')}, write_capacity={self.prop(table, 'wcu')}")
        if self.plan.stream_enabled(table):
            args.append("stream=dynamodb.StreamViewType.NEW_AND_OLD_IMAGES")
        self.emit(f"{v} = dynamodb.Table(self, {py(self.id(table))}, {', '.join(args)})")
        self.emit(f"cdk.CfnOutput(self, {py(self.id(table) + 'Name')}, value={v}.table_name)")
        self.emit()

    def s3_bucket(self, bucket: Component) -> None:
        v, public = var(bucket), bool(self.prop(bucket, "public_access"))
        args = [
            f"bucket_name={self.bucket_name(bucket)}",
            f"encryption=s3.BucketEncryption.{'KMS_MANAGED' if self.prop(bucket, 'encryption') == 'SSE-KMS' else 'S3_MANAGED'}",
            "enforce_ssl=True",
            "object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED",
            "removal_policy=cdk.RemovalPolicy.RETAIN",
        ]
        if public:
            args += [
                "public_read_access=True",
                "block_public_access=s3.BlockPublicAccess(block_public_acls=True, ignore_public_acls=True, block_public_policy=False, restrict_public_buckets=False)",
            ]
        else:
            args.append("block_public_access=s3.BlockPublicAccess.BLOCK_ALL")
        if self.prop(bucket, "versioning"):
            args.append("versioned=True")
        if self.prop(bucket, "website"):
            args.append('website_index_document="index.html", website_error_document="index.html"')
        origins = [o.strip() for o in (self.prop(bucket, "cors_origins") or "").split(",") if o.strip()]
        if origins:
            args.append(
                f"cors=[s3.CorsRule(allowed_origins={py(origins)}, allowed_methods=[s3.HttpMethods.GET, s3.HttpMethods.HEAD], allowed_headers=['*'], max_age=600)]"
            )
        self.emit(f"{v} = s3.Bucket(self, {py(self.id(bucket))}, {', '.join(args)})")
        self.emit(f"cdk.CfnOutput(self, {py(self.id(bucket) + 'Name')}, value={v}.bucket_name)")
        self.emit()

    @staticmethod
    def bucket_name(bucket: Component) -> str:
        # The same stack-derived name as the SAM export (unique per stack, and no dependency cycle when
        # a function triggered by the bucket also reads it).
        prefix = py(bucket.id.replace("_", "-")[:30])
        return f"cdk.Fn.join('-', [{prefix}, cdk.Aws.ACCOUNT_ID, cdk.Fn.select(0, cdk.Fn.split('-', cdk.Fn.select(2, cdk.Fn.split('/', cdk.Aws.STACK_ID))))])"

    def sqs_queue(self, queue: Component) -> None:
        v = var(queue)
        args = [
            f"visibility_timeout=Duration.seconds({self.prop(queue, 'visibility_timeout_s')})",
            f"retention_period=Duration.seconds({self.prop(queue, 'message_retention_s')})",
            "encryption=sqs.QueueEncryption.SQS_MANAGED",
        ]
        if self.prop(queue, "fifo"):
            args.append("fifo=True")
        dead_letter = self.plan.dead_letter(queue)
        if dead_letter is not None:
            args.append(
                f"dead_letter_queue=sqs.DeadLetterQueue(queue={var(dead_letter)}, max_receive_count={self.prop(queue, 'max_receive_count')})"
            )
        self.emit(f"{v} = sqs.Queue(self, {py(self.id(queue))}, {', '.join(args)})")
        self.emit(f"cdk.CfnOutput(self, {py(self.id(queue) + 'Url')}, value={v}.queue_url)")
        self.emit()

    def ordered(self, components: list[Component]) -> list[Component]:
        """Dead-letter queues before the queues that use them (a queue's constructor names its DLQ)."""
        return sorted(components, key=lambda c: 0 if self.plan.into(c, "dead_letter") else 1)

    def kinesis_stream(self, stream: Component) -> None:
        v, on_demand = var(stream), self.prop(stream, "mode") == "on_demand"
        args = [
            f"stream_mode=kinesis.StreamMode.{'ON_DEMAND' if on_demand else 'PROVISIONED'}",
            f"retention_period=Duration.hours({self.prop(stream, 'retention_hours')})",
            "encryption=kinesis.StreamEncryption.MANAGED",
        ]
        if not on_demand:
            args.append(f"shard_count={self.prop(stream, 'shards')}")
        self.emit(f"{v} = kinesis.Stream(self, {py(self.id(stream))}, {', '.join(args)})")
        self.emit()

    def sns_topic(self, topic: Component) -> None:
        v = var(topic)
        args = [f"master_key=kms.Alias.from_alias_name(self, {py(self.id(topic) + 'Key')}, 'alias/aws/sns')"]
        if self.prop(topic, "fifo"):
            args.append(f"fifo=True, topic_name=cdk.Fn.join('-', [cdk.Aws.STACK_NAME, {py(topic.id + '.fifo')}])")
        self.emit(f"{v} = sns.Topic(self, {py(self.id(topic))}, {', '.join(args)})")
        self.emit()

    def eventbridge_bus(self, bus: Component) -> None:
        if self.prop(bus, "schedule_expression"):
            return  # a schedule is a rule on its targets, not a bus
        self.emit(
            f"{var(bus)} = events.EventBus(self, {py(self.id(bus))}, event_bus_name=cdk.Fn.join('-', [cdk.Aws.STACK_NAME, {py(bus.id)}]))"
        )
        self.emit()

    def rds_instance(self, db: Component) -> None:
        v, vpc = var(db), self.plan.vpc_of(db)
        assert vpc is not None
        group = self.store_network(db)
        engine = {"postgres": "POSTGRES", "mysql": "MYSQL", "mariadb": "MARIADB"}[self.prop(db, "engine")]
        family, size = self.prop(db, "instance_class").split(".")[1:]
        self.emit(
            f"{v} = rds.DatabaseInstance(self, {py(self.id(db))}, engine=rds.DatabaseInstanceEngine.{engine}, "
            f"instance_type=ec2.InstanceType.of(ec2.InstanceClass.{family.upper()}, ec2.InstanceSize.{size.upper()}), "
            f"vpc=g_{vpc.id}, vpc_subnets=g_{vpc.id}_private, security_groups=[{group}], "
            f"allocated_storage={self.prop(db, 'storage_gb')}, storage_type=rds.StorageType.GP3, storage_encrypted=True, "
            f"multi_az={bool(self.prop(db, 'multi_az'))}, credentials=rds.Credentials.from_generated_secret(self.node.try_get_context('db_master_username') or 'tierplan'), "
            "backup_retention=Duration.days(7), copy_tags_to_snapshot=True, publicly_accessible=False, removal_policy=cdk.RemovalPolicy.SNAPSHOT)"
        )
        if self.prop(db, "rds_proxy"):
            self.emit(
                f"{v}_proxy = {v}.add_proxy('Proxy', secrets=[{v}.secret], vpc=g_{vpc.id}, vpc_subnets=g_{vpc.id}_private, security_groups=[{group}], require_tls=True)"
            )
        self.emit()

    def elasticache_cluster(self, cache: Component) -> None:
        v, vpc = var(cache), self.plan.vpc_of(cache)
        assert vpc is not None
        group = self.store_network(cache)
        logical, nodes = self.id(cache), self.prop(cache, "nodes")
        self.emit(
            f"{v}_subnets = elasticache.CfnSubnetGroup(self, {py(logical + 'Subnets')}, description={py('Private subnets of ' + cache.id)}, subnet_ids=g_{vpc.id}.select_subnets(subnet_group_name='private').subnet_ids)"
        )
        if self.prop(cache, "engine") == "memcached":
            self.emit(
                f"{v} = elasticache.CfnCacheCluster(self, {py(logical)}, engine='memcached', cache_node_type={py(self.prop(cache, 'node_type'))}, "
                f"num_cache_nodes={nodes}, cache_subnet_group_name={v}_subnets.ref, vpc_security_group_ids=[{group}.security_group_id])"
            )
            self.emit(f"{v}_endpoint = {v}.attr_configuration_endpoint_address")
        else:
            self.emit(
                f"{v} = elasticache.CfnReplicationGroup(self, {py(logical)}, replication_group_description={py(self.plan.label(cache))}, "
                f"engine={py(self.prop(cache, 'engine'))}, cache_node_type={py(self.prop(cache, 'node_type'))}, num_cache_clusters={nodes}, "
                f"automatic_failover_enabled={nodes > 1}, multi_az_enabled={nodes > 1}, cache_subnet_group_name={v}_subnets.ref, "
                f"security_group_ids=[{group}.security_group_id], at_rest_encryption_enabled=True, transit_encryption_enabled=True)"
            )
            self.emit(f"{v}_endpoint = {v}.attr_primary_end_point_address")
        self.emit()

    def opensearch_domain(self, domain: Component) -> None:
        v, plan = var(domain), self.plan
        count, vpc = self.prop(domain, "instance_count"), plan.vpc_of(domain)
        zone_aware = count > 1 and count % 2 == 0 and (vpc is None or plan.vpc_prop(vpc, "az_count") >= 2)
        args = [
            "version=opensearch.EngineVersion.OPENSEARCH_2_13",
            f"capacity=opensearch.CapacityConfig(data_nodes={count}, data_node_instance_type={py(self.prop(domain, 'instance_type'))}, multi_az_with_standby_enabled=False)",
            f"ebs=opensearch.EbsOptions(volume_size={self.prop(domain, 'storage_gb')}, volume_type=ec2.EbsDeviceVolumeType.GP3)",
            "encryption_at_rest=opensearch.EncryptionAtRestOptions(enabled=True)",
            "node_to_node_encryption=True",
            "enforce_https=True",
            "tls_security_policy=opensearch.TLSSecurityPolicy.TLS_1_2",
            "removal_policy=cdk.RemovalPolicy.RETAIN",
            "access_policies=[iam.PolicyStatement(principals=[iam.AccountRootPrincipal()], actions=['es:*'], resources=['*'])]",
        ]
        if zone_aware:
            args.append("zone_awareness=opensearch.ZoneAwarenessConfig(enabled=True, availability_zone_count=2)")
        if vpc is not None:
            group = self.store_network(domain)
            selection = f"ec2.SubnetSelection(subnets=g_{vpc.id}.select_subnets(subnet_group_name='private').subnets[:{2 if zone_aware else 1}])"
            args.append(f"vpc=g_{vpc.id}, vpc_subnets=[{selection}], security_groups=[{group}]")
        self.emit(f"{v} = opensearch.Domain(self, {py(self.id(domain))}, {', '.join(args)})")
        self.emit()

    # -- compute --------------------------------------------------------------------------------

    def lambda_function(self, fn: Component) -> None:
        plan, v, logical = self.plan, var(fn), self.id(fn)
        role = self.prop(fn, "role")
        runtime = self.prop(fn, "runtime")
        args = [
            f"runtime=lambda_.Runtime.{RUNTIMES[runtime]}",
            'handler="app.handler"',
            f"code=lambda_.Code.from_asset(os.path.join(HERE, 'src', {py(fn.id)}))",
            f"description={py(plan.label(fn))}",
            f"memory_size={self.prop(fn, 'memory_mb')}",
            f"timeout=Duration.seconds({self.prop(fn, 'timeout_s')})",
            f"architecture=lambda_.Architecture.{'ARM_64' if self.prop(fn, 'architecture') == 'arm64' else 'X86_64'}",
            f"tracing=lambda_.Tracing.{'ACTIVE' if self.prop(fn, 'tracing') else 'PASS_THROUGH'}",
        ]
        if role != "edge":
            args.append(f"ephemeral_storage_size=Size.mebibytes({self.prop(fn, 'ephemeral_storage_mb')})")
        if self.prop(fn, "logging") and role != "edge":
            self.emit(
                f"{v}_logs = logs.LogGroup(self, {py(logical + 'LogGroup')}, log_group_name=cdk.Fn.join('/', ['/aws/lambda', cdk.Aws.STACK_NAME, {py(fn.id)}]), "
                f"retention=logs.RetentionDays.{LOG_RETENTION[self.prop(fn, 'log_retention_days')]}, removal_policy=cdk.RemovalPolicy.DESTROY)"
            )
            args += [f"log_group={v}_logs", "logging_format=lambda_.LoggingFormat.JSON"]
        vpc = plan.vpc_of(fn)
        if vpc is not None:
            args.append(f"vpc=g_{vpc.id}, vpc_subnets=g_{vpc.id}_private, security_groups=[g_{vpc.id}_functions]")
        dead_letter = plan.dead_letter(fn)
        if dead_letter is not None and role != "edge":
            args.append(
                f"dead_letter_queue={var(dead_letter)}"
                if dead_letter.type == "sqs_queue"
                else f"dead_letter_topic={var(dead_letter)}"
            )
        if self.prop(fn, "reserved_concurrency") is not None and role != "edge":
            args.append(f"reserved_concurrent_executions={self.prop(fn, 'reserved_concurrency')}")
        if role == "edge":
            self.emit(
                f"{v}_role = iam.Role(self, {py(logical + 'Role')}, assumed_by=iam.CompositePrincipal(iam.ServicePrincipal('lambda.amazonaws.com'), iam.ServicePrincipal('edgelambda.amazonaws.com')), "
                "managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name('service-role/AWSLambdaBasicExecutionRole')])"
            )
            args.append(f"role={v}_role")
        self.emit(f"# {logical}: {runtime} function")
        self.emit(f"{v} = lambda_.Function(self, {py(logical)}, {', '.join(args)})")
        if plan.needs_alias(fn) and role != "edge":
            provisioned = self.prop(fn, "provisioned_concurrency") or 0
            extra = f", provisioned_concurrent_executions={provisioned}" if provisioned else ""
            self.emit(
                f"{v}_alias = lambda_.Alias(self, {py(logical + 'AliasLive')}, alias_name='live', version={v}.current_version{extra})"
            )
            preference = self.prop(fn, "deployment_preference")
            if preference != "none":
                self.emit(
                    f"codedeploy.LambdaDeploymentGroup(self, {py(logical + 'DeploymentGroup')}, alias={v}_alias, deployment_config=codedeploy.LambdaDeploymentConfig.{DEPLOYMENT_CONFIGS[preference]})"
                )
        self.emit(f"cdk.CfnOutput(self, {py(logical + 'Name')}, value={v}.function_name)")
        self.emit()

    def function_wiring(self, fn: Component) -> None:
        """Grants, environment variables and event sources: what the connections ask of a function."""
        plan, v = self.plan, var(fn)
        for link in plan.data_links(fn):
            target, t = link.target, var(link.target)
            self.emit(f"{v}.add_environment({py(plan.env_name(target))}, {self.env_value(target)})")
            grant = self.grant(link)
            if grant:
                self.emit(grant)
            if target.type == "rds_instance":
                self.emit(f"{v}.add_environment({py(target.id.upper() + '_DB_SECRET_ARN')}, {t}.secret.secret_arn)")
        cors = self.cors_origin_for(fn)
        if cors:
            self.emit(f"{v}.add_environment('CORS_ALLOW_ORIGIN', {py(cors)})")
        for link in plan.into(fn, "poll"):
            self.emit(f"{v}.add_event_source({self.poll_source(link)})")
        for link in plan.into(fn, "trigger"):
            source = link.source
            if source.type == "s3_bucket":
                filters = ", ".join(f"{name}={py(link.prop(name))}" for name in ("prefix", "suffix") if link.prop(name))
                event = S3_EVENTS.get(link.prop("events"), "OBJECT_CREATED")
                key_filter = f", filters=[s3.NotificationKeyFilter({filters})]" if filters else ""
                self.emit(
                    f"{v}.add_event_source(event_sources.S3EventSource({var(source)}, events=[s3.EventType.{event}]{key_filter}))"
                )
            elif source.type == "sns_topic":
                self.emit(f"{v}.add_event_source(event_sources.SnsEventSource({var(source)}))")
        self.emit()

    def poll_source(self, link: Link) -> str:
        source, s = link.source, var(link.source)
        if source.type == "sqs_queue":
            window = link.prop("max_batching_window_s")
            extra = f", max_batching_window=Duration.seconds({window})" if window else ""
            return f"event_sources.SqsEventSource({s}, batch_size={link.prop('batch_size')}{extra})"
        kind = "KinesisEventSource" if source.type == "kinesis_stream" else "DynamoEventSource"
        args = [
            f"starting_position=lambda_.StartingPosition.{link.prop('starting_position')}",
            f"batch_size={link.prop('batch_size')}",
            f"max_batching_window=Duration.seconds({link.prop('max_batching_window_s')})",
            f"parallelization_factor={link.prop('parallelization_factor')}",
        ]
        dead_letter = self.plan.dead_letter(link.target)
        if dead_letter is not None and dead_letter.type == "sqs_queue":
            args.append(f"on_failure=event_sources.SqsDlq({var(dead_letter)})")
        return f"event_sources.{kind}({s}, {', '.join(args)})"

    def cors_origin_for(self, fn: Component) -> str | None:
        for link in self.plan.into(fn, "invoke"):
            if link.source.type.startswith("api_gateway"):
                origins = self.plan.cors_origins(link.source)
                if origins:
                    return origins[0]
        return None

    def env_value(self, target: Component) -> str:
        t = var(target)
        if target.type == "rds_instance":
            return f"{t}_proxy.endpoint" if self.prop(target, "rds_proxy") else f"{t}.db_instance_endpoint_address"
        return {
            "dynamodb_table": f"{t}.table_name",
            "s3_bucket": f"{t}.bucket_name",
            "sqs_queue": f"{t}.queue_url",
            "kinesis_stream": f"{t}.stream_name",
            "sns_topic": f"{t}.topic_arn",
            "eventbridge_bus": f"{t}.event_bus_name",
            "step_functions": f"{t}.state_machine_arn",
            "lambda_function": f"{t}.function_name",
            "elasticache_cluster": f"{t}_endpoint",
            "opensearch_domain": f"{t}.domain_endpoint",
        }[target.type]

    def grant(self, link: Link) -> str | None:
        fn, t, mode = var(link.source), var(link.target), link.kind
        kind = link.target.type
        if kind == "dynamodb_table":
            return f"{t}.grant_{ {'read': 'read_data', 'write': 'write_data', 'read_write': 'read_write_data'}[mode] }({fn})"
        if kind == "s3_bucket":
            return f"{t}.grant_{ {'read': 'read', 'write': 'put', 'read_write': 'read_write'}[mode] }({fn})"
        if kind == "opensearch_domain":
            return f"{t}.grant_{ {'read': 'read', 'write': 'write', 'read_write': 'read_write'}[mode] }({fn})"
        return {
            "sqs_queue": f"{t}.grant_send_messages({fn})",
            "kinesis_stream": f"{t}.grant_write({fn})",
            "sns_topic": f"{t}.grant_publish({fn})",
            "eventbridge_bus": f"{t}.grant_put_events_to({fn})",
            "step_functions": f"{t}.grant_start_execution({fn})",
            "lambda_function": f"{t}.grant_invoke({fn})",
            "rds_instance": f"{t}.secret.grant_read({fn})",
        }.get(kind)

    def push_wiring(self, source: Component) -> None:
        """SNS subscriptions, EventBridge rules and Cognito triggers (the source's side of a trigger)."""
        plan, s = self.plan, var(source)
        for link in plan.out(source, "trigger"):
            target, t = link.target, var(link.target)
            if source.type == "sns_topic" and target.type == "sqs_queue":
                self.emit(f"{s}.add_subscription(subscriptions.SqsSubscription({t}, raw_message_delivery=True))")
            elif source.type == "cognito_user_pool":
                trigger = {
                    "PreSignUp": "PRE_SIGN_UP", "PostConfirmation": "POST_CONFIRMATION", "PreAuthentication": "PRE_AUTHENTICATION",
                    "PostAuthentication": "POST_AUTHENTICATION", "PreTokenGeneration": "PRE_TOKEN_GENERATION", "CustomMessage": "CUSTOM_MESSAGE",
                    "DefineAuthChallenge": "DEFINE_AUTH_CHALLENGE", "CreateAuthChallenge": "CREATE_AUTH_CHALLENGE",
                    "VerifyAuthChallengeResponse": "VERIFY_AUTH_CHALLENGE_RESPONSE", "UserMigration": "USER_MIGRATION",
                }[self.cognito_trigger(link)]  # fmt: skip
                self.emit(f"{s}.add_trigger(cognito.UserPoolOperation.{trigger}, {t})")
            elif source.type == "eventbridge_bus":
                target_expr = {
                    "lambda_function": f"targets.LambdaFunction({t})",
                    "sqs_queue": f"targets.SqsQueue({t})",
                    "step_functions": f"targets.SfnStateMachine({t})",
                }[target.type]
                rule = py(f"{self.id(source)}To{self.id(target)}")
                schedule = self.prop(source, "schedule_expression")
                if schedule:
                    self.emit(
                        f"events.Rule(self, {rule}, schedule=events.Schedule.expression({py(schedule)}), targets=[{target_expr}])"
                    )
                else:
                    self.emit(
                        f"{s}_rule_{target.id} = events.Rule(self, {rule}, event_bus={s}, event_pattern=events.EventPattern(source=['placeholder']), targets=[{target_expr}])"
                    )
                    # The design's pattern may use any EventBridge syntax, so it replaces the placeholder whole.
                    self.emit(
                        f"{s}_rule_{target.id}.node.default_child.add_property_override('EventPattern', json.loads({py(json.dumps(plan.event_pattern(source)))}))"
                    )
        self.emit()

    @staticmethod
    def cognito_trigger(link: Link) -> str:
        from apps.exporting.sam import SamTemplate

        return SamTemplate.cognito_trigger(link)

    def step_functions(self, machine: Component) -> None:
        plan, v, logical = self.plan, var(machine), self.id(machine)
        invoked = [link.target for link in plan.out(machine, "invoke")]
        steps = [
            f"tasks.LambdaInvoke(self, {py('Invoke' + self.id(fn))}, lambda_function={var(fn)}, output_path='$.Payload', retry_on_service_exceptions=True)"
            for fn in invoked
        ]
        chain = (
            steps[0] + "".join(f".next({step})" for step in steps[1:])
            if steps
            else f"sfn.Pass(self, {py(logical + 'Done')})"
        )
        express = self.prop(machine, "workflow_type") == "express"
        args = [
            f"definition_body=sfn.DefinitionBody.from_chainable({chain})",
            f"state_machine_type=sfn.StateMachineType.{'EXPRESS' if express else 'STANDARD'}",
            f"tracing_enabled={bool(self.prop(machine, 'tracing'))}",
        ]
        if express:
            self.emit(
                f"{v}_logs = logs.LogGroup(self, {py(logical + 'Logs')}, retention=logs.RetentionDays.ONE_MONTH, removal_policy=cdk.RemovalPolicy.DESTROY)"
            )
            args.append(f"logs=sfn.LogOptions(destination={v}_logs, level=sfn.LogLevel.ERROR)")
        self.emit(f"{v} = sfn.StateMachine(self, {py(logical)}, {', '.join(args)})")
        self.emit()

    # -- APIs and the edge ----------------------------------------------------------------------

    def integration_role(self, api: Component, links: list[Link]) -> str:
        role = f"{var(api)}_integrations"
        self.emit(
            f"{role} = iam.Role(self, {py(self.id(api) + 'IntegrationRole')}, assumed_by=iam.ServicePrincipal('apigateway.amazonaws.com'))"
        )
        for link in links:
            grant = {
                "sqs_queue": "grant_send_messages",
                "kinesis_stream": "grant_write",
                "sns_topic": "grant_publish",
                "eventbridge_bus": "grant_put_events_to",
                "step_functions": "grant_start_execution",
            }[link.target.type]
            self.emit(f"{var(link.target)}.{grant}({role})")
        return role

    def api_gateway_rest(self, api: Component) -> None:
        plan, v, logical = self.plan, var(api), self.id(api)
        cache = self.prop(api, "cache_size_gb")
        stage = [
            f"stage_name=self.node.try_get_context({py(api.id + '_stage')}) or {py(self.prop(api, 'stage_name'))}",
            f"tracing_enabled={bool(self.prop(api, 'tracing'))}",
            "metrics_enabled=True",
            f"throttling_rate_limit={self.prop(api, 'throttling_rate_limit')}",
            f"throttling_burst_limit={self.prop(api, 'throttling_burst_limit')}",
        ]
        if cache:
            stage.append(
                f"cache_cluster_enabled=True, cache_cluster_size={py(str(cache))}, caching_enabled=True, cache_ttl=Duration.minutes(5)"
            )
        if self.prop(api, "logging"):
            self.emit(
                f"{v}_access_logs = logs.LogGroup(self, {py(logical + 'AccessLogs')}, retention=logs.RetentionDays.ONE_MONTH)"
            )
            stage.append(
                f"logging_level=apigw.MethodLoggingLevel.ERROR, access_log_destination=apigw.LogGroupLogDestination({v}_access_logs), access_log_format=apigw.AccessLogFormat.json_with_standard_fields(caller=False, http_method=True, ip=True, protocol=True, request_time=True, resource_path=True, response_length=True, status=True, user=False)"
            )
        args = [
            f"rest_api_name=cdk.Fn.join('-', [cdk.Aws.STACK_NAME, {py(api.id)}])",
            f"description={py(plan.label(api))}",
            f"endpoint_types=[apigw.EndpointType.{self.prop(api, 'endpoint_type').upper()}]",
            f"deploy_options=apigw.StageOptions({', '.join(stage)})",
            f"cloud_watch_role={bool(self.prop(api, 'logging'))}",
        ]
        if self.prop(api, "endpoint_type") == "private":
            args.append(
                "policy=iam.PolicyDocument(statements=[iam.PolicyStatement(principals=[iam.AnyPrincipal()], actions=['execute-api:Invoke'], resources=['execute-api:/*'])])"
            )
        origins = plan.cors_origins(api)
        if origins:
            args.append(
                f"default_cors_preflight_options=apigw.CorsOptions(allow_origins=[{py(origins[0])}], allow_headers=['Content-Type', 'Authorization', 'X-Api-Key'], allow_methods=['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], max_age=Duration.minutes(10))"
            )
        method_options = self.rest_method_options(api)
        if method_options:
            args.append(f"default_method_options=apigw.MethodOptions({method_options})")
        self.emit(f"# {logical}: REST API")
        self.emit(f"{v} = apigw.RestApi(self, {py(logical)}, {', '.join(args)})")
        integrations = [link for link, _, _ in plan.routes(api) if link.kind == "integrate"]
        role = self.integration_role(api, integrations) if integrations else None
        for link, method, path in plan.routes(api):
            resource = f"{v}.root" if path == "/" else f"{v}.root.resource_for_path({py(path)})"
            if link.kind == "invoke":
                integration = f"apigw.LambdaIntegration({var(link.target)})"
                extra = ""
            else:
                integration = self.rest_service_integration(link, role or "")
                extra = ", method_responses=[apigw.MethodResponse(status_code='200')]"
            self.emit(f"{resource}.add_method({py(method)}, {integration}{extra})")
        if self.prop(api, "auth") == "api_key":
            self.emit(
                f"{v}.add_usage_plan('UsagePlan', api_stages=[apigw.UsagePlanPerApiStage(api={v}, stage={v}.deployment_stage)])"
            )
        self.emit(f"cdk.CfnOutput(self, {py(logical + 'Url')}, value={v}.url)")
        self.emit()

    def rest_method_options(self, api: Component) -> str:
        default = self.plan.default_authorizer(api)
        v = var(api)
        if default == "AWS_IAM":
            return "authorization_type=apigw.AuthorizationType.IAM"
        if isinstance(default, Link):
            header = py("method.request.header." + default.prop("identity_source"))
            name = f"{v}_authorizer"
            if default.target.type == "cognito_user_pool":
                self.emit(
                    f"{name} = apigw.CognitoUserPoolsAuthorizer(self, {py(self.id(default.target) + 'Authorizer' + self.id(api))}, cognito_user_pools=[{var(default.target)}], identity_source={header})"
                )
                return f"authorizer={name}, authorization_type=apigw.AuthorizationType.COGNITO"
            self.emit(
                f"{name} = apigw.TokenAuthorizer(self, {py(self.id(default.target) + 'Authorizer' + self.id(api))}, handler={var(default.target)}, identity_source={header}, results_cache_ttl=Duration.seconds({default.prop('cache_ttl_s')}))"
            )
            return f"authorizer={name}, authorization_type=apigw.AuthorizationType.CUSTOM"
        if self.prop(api, "auth") == "api_key":
            return "api_key_required=True"
        return ""

    def rest_service_integration(self, link: Link, role: str) -> str:
        target, t = link.target, var(link.target)
        options = f"credentials_role={role}, passthrough_behavior=apigw.PassthroughBehavior.NEVER, integration_responses=[apigw.IntegrationResponse(status_code='200')]"
        if target.type == "sqs_queue":
            return (
                f"apigw.AwsIntegration(service='sqs', path=cdk.Fn.join('/', [cdk.Aws.ACCOUNT_ID, {t}.queue_name]), integration_http_method='POST', "
                f"options=apigw.IntegrationOptions({options}, request_parameters={{'integration.request.header.Content-Type': \"'application/x-www-form-urlencoded'\"}}, "
                "request_templates={'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)'}))"
            )
        if target.type == "kinesis_stream":
            template = f'cdk.Fn.join(\'\', [\'{{"StreamName": "\', {t}.stream_name, \'", "Data": "$util.base64Encode($input.body)", "PartitionKey": "$context.requestId"}}\'])'
            return f"apigw.AwsIntegration(service='kinesis', action='PutRecord', options=apigw.IntegrationOptions({options}, request_templates={{'application/json': {template}}}))"
        if target.type == "sns_topic":
            template = f"cdk.Fn.join('', [\"Action=Publish&TopicArn=$util.urlEncode('\", {t}.topic_arn, \"')&Message=$util.urlEncode($input.body)\"])"
            return (
                f"apigw.AwsIntegration(service='sns', action='Publish', options=apigw.IntegrationOptions({options}, "
                f"request_parameters={{'integration.request.header.Content-Type': \"'application/x-www-form-urlencoded'\"}}, request_templates={{'application/json': {template}}}))"
            )
        if target.type == "eventbridge_bus":
            template = f'cdk.Fn.join(\'\', [\'{{"Entries": [{{"Source": "tierplan.api", "DetailType": "request", "Detail": "$util.escapeJavaScript($input.body)", "EventBusName": "\', {t}.event_bus_name, \'"}}]}}\'])'
            return (
                f"apigw.AwsIntegration(service='events', action='PutEvents', options=apigw.IntegrationOptions({options}, "
                f"request_parameters={{'integration.request.header.X-Amz-Target': \"'AWSEvents.PutEvents'\", 'integration.request.header.Content-Type': \"'application/x-amz-json-1.1'\"}}, "
                f"request_templates={{'application/json': {template}}}))"
            )
        template = f'cdk.Fn.join(\'\', [\'{{"input": "$util.escapeJavaScript($input.body)", "stateMachineArn": "\', {t}.state_machine_arn, \'"}}\'])'
        return f"apigw.AwsIntegration(service='states', action='StartExecution', options=apigw.IntegrationOptions({options}, request_templates={{'application/json': {template}}}))"

    def api_gateway_http(self, api: Component) -> None:
        plan, v, logical = self.plan, var(api), self.id(api)
        args = [f"description={py(plan.label(api))}", "create_default_stage=True"]
        origins = plan.cors_origins(api)
        if origins:
            args.append(
                f"cors_preflight=apigwv2.CorsPreflightOptions(allow_origins={py(origins)}, allow_headers=['content-type', 'authorization'], allow_methods=[apigwv2.CorsHttpMethod.ANY], max_age=Duration.minutes(10))"
            )
        default = plan.default_authorizer(api)
        if default == "AWS_IAM":
            args.append("default_authorizer=apigwv2_authorizers.HttpIamAuthorizer()")
        elif isinstance(default, Link):
            target, header = default.target, default.prop("identity_source")
            if target.type == "cognito_user_pool":
                args.append(
                    f"default_authorizer=apigwv2_authorizers.HttpJwtAuthorizer({py(self.id(target) + 'Authorizer')}, "
                    f"cdk.Fn.join('', ['https://cognito-idp.', cdk.Aws.REGION, '.amazonaws.com/', {var(target)}.user_pool_id]), "
                    f"jwt_audience=[{var(target)}_client.user_pool_client_id], identity_source=[{py('$request.header.' + header)}])"
                )
            else:
                args.append(
                    f"default_authorizer=apigwv2_authorizers.HttpLambdaAuthorizer({py(self.id(target) + 'Authorizer')}, {var(target)}, "
                    f"response_types=[apigwv2_authorizers.HttpLambdaResponseType.SIMPLE], identity_source=[{py('$request.header.' + header)}], "
                    f"results_cache_ttl=Duration.seconds({default.prop('cache_ttl_s')}))"
                )
        self.emit(f"# {logical}: HTTP API")
        self.emit(f"{v} = apigwv2.HttpApi(self, {py(logical)}, {', '.join(args)})")
        stage_settings: dict[str, Any] = {
            "DefaultRouteSettings": {
                "ThrottlingRateLimit": self.prop(api, "throttling_rate_limit"),
                "ThrottlingBurstLimit": self.prop(api, "throttling_burst_limit"),
            }
        }
        self.emit(f"{v}_stage = {v}.default_stage.node.default_child")
        self.emit(
            f"{v}_stage.add_property_override('DefaultRouteSettings', {py(stage_settings['DefaultRouteSettings'])})"
        )
        if self.prop(api, "logging"):
            self.emit(
                f"{v}_access_logs = logs.LogGroup(self, {py(logical + 'AccessLogs')}, retention=logs.RetentionDays.ONE_MONTH)"
            )
            log_format = '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","routeKey":"$context.routeKey","status":"$context.status","latency":"$context.responseLatency"}'
            self.emit(
                f"{v}_stage.add_property_override('AccessLogSettings', {{'DestinationArn': {v}_access_logs.log_group_arn, 'Format': {py(log_format)}}})"
            )
        for index, (link, method, path) in enumerate(plan.routes(api)):
            http_method = "ANY" if method == "ANY" else method
            integration_id = py(f"{logical}{self.id(link.target)}Integration{index + 1}")
            if link.kind == "invoke":
                integration = f"apigwv2_integrations.HttpLambdaIntegration({integration_id}, {var(link.target)})"
            else:
                integration = self.http_service_integration(link, integration_id)
            self.emit(
                f"{v}.add_routes(path={py(path)}, methods=[apigwv2.HttpMethod.{http_method}], integration={integration})"
            )
        self.emit(f"cdk.CfnOutput(self, {py(logical + 'Url')}, value={v}.api_endpoint)")
        self.emit()

    @staticmethod
    def http_service_integration(link: Link, integration_id: str) -> str:
        t = var(link.target)
        if link.target.type == "sqs_queue":
            return f"apigwv2_integrations.HttpSqsIntegration({integration_id}, queue={t})"
        if link.target.type == "step_functions":
            return f"apigwv2_integrations.HttpStepFunctionsIntegration({integration_id}, state_machine={t})"
        mapping = (
            "apigwv2.ParameterMapping().custom('Source', 'tierplan.api').custom('DetailType', 'request')"
            f".custom('Detail', '$request.body').custom('EventBusName', {t}.event_bus_name)"
        )
        return f"apigwv2_integrations.HttpEventBridgeIntegration({integration_id}, event_bus_ref={t}.event_bus_ref, parameter_mapping={mapping})"

    def cloudfront(self, distribution: Component) -> None:
        plan, v, logical = self.plan, var(distribution), self.id(distribution)
        edge = [
            f"cloudfront.EdgeLambda(function_version={var(link.target)}.current_version, event_type=cloudfront.LambdaEdgeEventType.{EDGE_EVENTS[link.prop('event_type')]})"
            for link in plan.out(distribution, "edge")
        ]
        spa = bool(self.prop(distribution, "spa_fallback"))
        if spa:
            self.emit(
                f"{v}_spa = cloudfront.Function(self, {py(logical + 'SpaRewrite')}, code=cloudfront.FunctionCode.from_inline({py(SPA_REWRITE)}), runtime=cloudfront.FunctionRuntime.JS_2_0, comment='Route app paths to index.html')"
            )
        default: str | None = None
        additional: list[str] = []
        for link in plan.origins(distribution):
            target, t = link.target, var(link.target)
            if target.type == "s3_bucket":
                origin = f"origins.S3BucketOrigin.with_origin_access_control({t})"
                methods = "cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS"
            elif target.type == "api_gateway_rest":
                origin = f"origins.RestApiOrigin({t})"
                methods = "cloudfront.AllowedMethods.ALLOW_ALL"
            else:
                origin = f"origins.HttpOrigin(cdk.Fn.join('', [{t}.api_id, '.execute-api.', cdk.Aws.REGION, '.amazonaws.com']))"
                methods = "cloudfront.AllowedMethods.ALLOW_ALL"
            cache = "CACHING_OPTIMIZED" if link.prop("cache_policy") == "caching_optimized" else "CACHING_DISABLED"
            options = [
                f"origin={origin}",
                "viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS",
                f"allowed_methods={methods}",
                f"cache_policy=cloudfront.CachePolicy.{cache}",
                "compress=True",
            ]
            if target.type != "s3_bucket":
                options.append("origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER")
            if edge:
                options.append(f"edge_lambdas=[{', '.join(edge)}]")
            if link.prop("path_pattern") == "*":
                if spa:
                    options.append(
                        f"function_associations=[cloudfront.FunctionAssociation(function={v}_spa, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST)]"
                    )
                default = f"cloudfront.BehaviorOptions({', '.join(options)})"
            else:
                additional.append(f"{py(link.prop('path_pattern'))}: cloudfront.BehaviorOptions({', '.join(options)})")
        if default is None:
            default = additional.pop(0).split(": ", 1)[1]
        domain_key, certificate_key = py(distribution.id + "_domain"), py(distribution.id + "_certificate_arn")
        self.emit(
            f"{v}_domain = self.node.try_get_context({domain_key}) or {py(self.prop(distribution, 'domain_name') or '')}"
        )
        self.emit(f"{v}_certificate = self.node.try_get_context({certificate_key})")
        args = [
            f"default_behavior={default}",
            f"comment={py(plan.label(distribution)[:128])}",
            "http_version=cloudfront.HttpVersion.HTTP2_AND_3",
            "enable_ipv6=True",
            f"price_class=cloudfront.PriceClass.{PRICE_CLASSES[self.prop(distribution, 'price_class')]}",
            f"domain_names=[{v}_domain] if {v}_domain and {v}_certificate else None",
            f"certificate=acm.Certificate.from_certificate_arn(self, {py(logical + 'Certificate')}, {v}_certificate) if {v}_domain and {v}_certificate else None",
            "minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021",
        ]
        if any(link.target.type == "s3_bucket" for link in plan.origins(distribution)):
            args.append(f"default_root_object={py(self.prop(distribution, 'default_root_object'))}")
        if additional:
            args.append(f"additional_behaviors={{{', '.join(additional)}}}")
        self.emit(f"# {logical}: CloudFront distribution")
        self.emit(f"{v} = cloudfront.Distribution(self, {py(logical)}, {', '.join(args)})")
        self.emit(f"cdk.CfnOutput(self, {py(logical + 'DomainName')}, value={v}.distribution_domain_name)")
        self.emit()


def stack_module(plan: Plan) -> str:
    """Source of ``tierplan_stack.py``: one stack class that builds one account group's components."""
    stacks: dict[str | None, list[str]] = {None: CdkStack(plan, None).build()}
    for account in plan.accounts():
        stacks[account.id] = CdkStack(plan, account).build()
    lines = [
        '"""The CDK stack generated by Tierplan from a tierplan.design/v1 document."""',
        "",
        IMPORTS,
        "",
        "# Function code sits next to this file, whatever directory the app is run from.",
        "HERE = os.path.dirname(os.path.abspath(__file__))",
        "",
        "",
        "class TierplanStack(cdk.Stack):",
        '    """The design\'s resources; with account groups, one stack per AWS account."""',
        "",
        "    def __init__(self, scope: Construct, construct_id: str, *, account_group: str | None = None, **kwargs) -> None:",
        "        super().__init__(scope, construct_id, **kwargs)",
        "        cdk.Tags.of(self).add('tierplan:design', " + py(tag_value(plan.name)) + ")",
    ]
    for key, body in stacks.items():
        if not [line for line in body if line.strip()]:
            continue
        lines.append(f"        if account_group == {py(key)}:")
        lines += ["    " + line if line else "" for line in body]
        lines.append("            return")
    return "\n".join(lines).rstrip() + "\n"


def app_module(plan: Plan, name: str) -> str:
    """Source of ``app.py``: one stack, or one per account group."""
    groups: list[str | None] = []
    if any(plan.account_of(c) is None and c.type not in ("browser", "mobile_app") for c in plan.design.components):
        groups.append(None)
    groups += [g.id for g in plan.accounts()]
    lines = [
        "#!/usr/bin/env python3",
        '"""Entry point of the CDK app generated by Tierplan: `cdk synth`, `cdk deploy`, or `python app.py`."""',
        "",
        "import os",
        "",
        "import aws_cdk as cdk",
        "",
        "from tierplan_stack import TierplanStack",
        "",
        "# The CDK CLI says where to write; run as `python app.py` it writes to ./cdk.out.",
        'app = cdk.App(outdir=os.environ.get("CDK_OUTDIR", "cdk.out"))',
    ]
    for group in groups:
        stack_id = name if group is None else f"{name}-{group.replace('_', '-')}"
        # Each account's stack in the region its account group names (else the design's).
        region = plan.account_region(plan.groups[group] if group is not None else None)
        lines.append(
            f"TierplanStack(app, {py(stack_id)}, account_group={py(group)}, env=cdk.Environment(region={py(region)}))"
        )
    lines += ["app.synth()", ""]
    return "\n".join(lines)


def cdk_files(design: Design) -> dict[str, str]:
    """The files of the CDK (Python) app: app.py, the stack module, cdk.json, requirements, handlers, README."""
    plan = Plan(design)
    name = stack_name(design)
    context = zip_safe_context(plan)
    files = {
        "app.py": app_module(plan, name),
        "tierplan_stack.py": stack_module(plan),
        "cdk.json": json.dumps({"app": "python3 app.py", "context": context}, indent=2, sort_keys=True) + "\n",
        "requirements.txt": f"aws-cdk-lib=={CDK_VERSION}\nconstructs=={CONSTRUCTS_VERSION}\n",
        "README.md": readme_cdk(design, plan, name, context),
        **function_sources(plan),
    }
    return checked(files)
