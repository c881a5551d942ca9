"""Private networking: data stores in VPCs, the functions that reach them, and how VPC functions reach AWS."""

from __future__ import annotations

from collections.abc import Iterator

from apps.designs.document import Component, Group
from apps.review import references as ref
from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

# Stores that accept traffic only from inside their VPC when they are in one (OpenSearch may also be public).
NETWORK_STORES = (
    "rds_instance",
    "elasticache_cluster",
    "opensearch_domain",
    "aurora_cluster",
    "documentdb_cluster",
    "msk_cluster",
    "efs_file_system",
)
DATA_KINDS = ("read", "write", "read_write")


def _data_store_outside_vpc(ctx: ReviewContext) -> Iterator[Hit]:
    for store in ctx.design.components:
        if not ctx.catalog.types[store.type].vpc_only or ctx.vpc_of(store) is not None:
            continue
        yield Hit(
            (store.id,),
            f"{ctx.name(store)} is not in a VPC group: a {ctx.catalog.types[store.type].label} runs in the private "
            "subnets of a VPC, "
            "and a database that governs its own access control belongs where the internet cannot reach it.",
            "Put it in a VPC group (group kind vpc) together with the functions that use it.",
        )


def _data_store_reached_from_outside_vpc(ctx: ReviewContext) -> Iterator[Hit]:
    for store in ctx.of_type(*NETWORK_STORES):
        vpc = ctx.vpc_of(store)
        if vpc is None:
            continue
        for link in ctx.into(store, *DATA_KINDS):
            source_vpc = ctx.vpc_of(link.source)
            if source_vpc is not None and source_vpc.id == vpc.id:
                continue
            where = "outside any VPC" if source_vpc is None else f"in another VPC, {ctx.group_name(source_vpc)}"
            yield Hit(
                (link.source.id, store.id),
                f"{ctx.name(link.source)} is {where} but reaches {ctx.name(store)}, which only accepts traffic "
                f"from inside {ctx.group_name(vpc)}: the connection {link.id} cannot work.",
                "Move the function into the same VPC group as the data store (Lambda then joins its private "
                "subnets), or reach the data through a function that is in it.",
            )


def _functions_by_store(ctx: ReviewContext, store: Component) -> list[Component]:
    return list(
        {
            link.source.id: link.source
            for link in ctx.into(store, *DATA_KINDS)
            if link.source.type == "lambda_function"
        }.values()
    )


def _rds_without_proxy(ctx: ReviewContext) -> Iterator[Hit]:
    for database in ctx.of_type("rds_instance"):
        if ctx.prop(database, "rds_proxy"):
            continue
        functions = _functions_by_store(ctx, database)
        if not functions:
            continue
        yield Hit(
            (*(f.id for f in functions), database.id),
            f"{ctx.names(functions)} connect{'s' if len(functions) == 1 else ''} to {ctx.name(database)} "
            "without RDS Proxy: every concurrent execution opens its own connection, so a burst of traffic can "
            "exhaust the database's connection limit.",
            "Set rds_proxy on the database so functions share a pool of connections (and fail over faster).",
        )


def _vpc_members(ctx: ReviewContext, vpc: Group) -> list[Component]:
    return [c for c in ctx.design.components if (found := ctx.vpc_of(c)) is not None and found.id == vpc.id]


def _vpc_function_needs_endpoints(ctx: ReviewContext) -> Iterator[Hit]:
    for vpc in (g for g in ctx.design.groups if g.kind == "vpc"):
        if ctx.vpc_prop(vpc, "nat_gateways"):
            continue
        functions: dict[str, Component] = {}
        services: list[str] = []
        for function in _vpc_members(ctx, vpc):
            if function.type != "lambda_function":
                continue
            for link in ctx.out(function, *DATA_KINDS, "invoke"):
                # Reached from private subnets only through a NAT gateway or an interface endpoint (the
                # catalog's vpc_endpoint; S3 and DynamoDB have free gateway endpoints).
                endpoint = ctx.catalog.types[link.target.type].vpc_endpoint
                if endpoint is None or endpoint.type != "Interface":
                    continue
                service = endpoint.label
                functions[function.id] = function
                if service not in services:
                    services.append(service)
        if not functions:
            continue
        one = len(functions) == 1
        yield Hit(
            tuple(functions),
            f"{ctx.names(functions.values())} in {ctx.group_name(vpc)} call{'s' if one else ''} "
            f"{', '.join(services)}, but the VPC has no NAT gateway: from private subnets "
            f"{'it reaches' if one else 'they reach'} those services only through interface VPC endpoints, "
            "which are billed per endpoint, per availability zone and per hour.",
            "Nothing to do if the export's interface endpoints suit you (Tierplan adds them); add a NAT gateway "
            "(nat_gateways) instead when the functions also need the internet.",
        )


def _vpc_single_az(ctx: ReviewContext) -> Iterator[Hit]:
    for vpc in (g for g in ctx.design.groups if g.kind == "vpc"):
        if ctx.vpc_prop(vpc, "az_count") > 1:
            continue
        members = [c for c in _vpc_members(ctx, vpc) if c.type not in ("rds_instance", "aurora_cluster")]
        if not members:
            continue
        yield Hit(
            tuple(c.id for c in members),
            f"{ctx.group_name(vpc)} has a single availability zone, so {ctx.names(members)} stop when that zone "
            "does; Lambda recommends subnets in at least two zones for a function in a VPC.",
            "Set az_count to 2 or more.",
        )


def _rds_single_az_vpc(ctx: ReviewContext) -> Iterator[Hit]:
    for database in ctx.of_type("rds_instance", "aurora_cluster"):
        vpc = ctx.vpc_of(database)
        if vpc is None or ctx.vpc_prop(vpc, "az_count") > 1:
            continue
        yield Hit(
            (database.id,),
            f"{ctx.name(database)} is in {ctx.group_name(vpc)}, which has a single availability zone, but an RDS "
            "DB subnet group needs subnets in at least two zones, even for a single-AZ instance.",
            "Set the VPC's az_count to 2 or more.",
        )


RULES = (
    Rule(
        id="data-store-outside-vpc",
        severity="error",
        title="RDS or ElastiCache outside a VPC group",
        reference=ref.both(
            ref.whitepaper("AWS Lambda › Amazon VPC Integration", "The Data Tier › Amazon VPC Hosted Data Stores"),
            ref.RDS_IN_VPC,
            ref.ELASTICACHE_IN_VPC,
        ),
        check=_data_store_outside_vpc,
    ),
    Rule(
        id="data-store-reached-from-outside-vpc",
        severity="error",
        title="A function reaches a VPC data store from outside its VPC",
        reference=ref.both(ref.whitepaper("AWS Lambda › Amazon VPC Integration"), ref.LAMBDA_VPC),
        check=_data_store_reached_from_outside_vpc,
    ),
    Rule(
        id="rds-without-proxy",
        severity="warning",
        title="Functions connect to an RDS database without RDS Proxy",
        reference=ref.RDS_PROXY,
        check=_rds_without_proxy,
    ),
    Rule(
        id="vpc-function-needs-endpoints",
        severity="info",
        title="Functions in a VPC without NAT reach AWS services through interface endpoints",
        reference=ref.LAMBDA_VPC_INTERNET,
        check=_vpc_function_needs_endpoints,
    ),
    Rule(
        id="vpc-single-az",
        severity="warning",
        title="A VPC spans a single availability zone",
        reference=ref.LAMBDA_VPC,
        check=_vpc_single_az,
    ),
    Rule(
        id="rds-single-az-vpc",
        severity="error",
        title="An RDS database in a VPC with one availability zone",
        reference="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html",
        check=_rds_single_az_vpc,
    ),
)
