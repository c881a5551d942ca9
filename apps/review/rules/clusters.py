"""Clusters in a VPC (Aurora): what AWS's guidance says about their availability."""

from __future__ import annotations

from collections.abc import Iterator

from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

AURORA_HIGH_AVAILABILITY = (
    "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html"
)


def _aurora_without_reader(ctx: ReviewContext) -> Iterator[Hit]:
    # With no reader, a failed writer is replaced by a new instance, which takes far longer than
    # promoting a replica; AWS recommends replicas in other zones for high availability.
    for cluster in ctx.of_type("aurora_cluster"):
        if ctx.prop(cluster, "readers"):
            continue
        yield Hit(
            (cluster.id,),
            f"{ctx.name(cluster)} has no reader: if its writer or its availability zone fails, Aurora must create "
            "a new writer instead of promoting a replica, and the database is unavailable meanwhile.",
            "Set readers to 1 or more: each reader is a failover target in another availability zone (and serves "
            "reads), billed like the writer.",
        )


RULES = (
    Rule(
        id="aurora-without-reader",
        severity="warning",
        title="An Aurora cluster with no reader to fail over to",
        reference=AURORA_HIGH_AVAILABILITY,
        check=_aurora_without_reader,
    ),
)
