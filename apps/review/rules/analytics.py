"""Data, search and analytics services: SES receiving (a rule set CloudFormation cannot activate, the
Regions that receive mail), Kendra indexes (the Developer edition is not for production, GenAI limits),
crawls that never run on their own, Aurora DSQL's admin role, and ECS services pulling from an empty
repository."""

from __future__ import annotations

from collections.abc import Iterator

from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

SES_RECEIPT_RULE_SETS = "https://docs.aws.amazon.com/ses/latest/dg/receiving-email-receipt-rule-set.html"
SES_RECEIVING_REGIONS = "https://docs.aws.amazon.com/general/latest/gr/ses.html"
KENDRA_EDITIONS = "https://docs.aws.amazon.com/kendra/latest/APIReference/API_CreateIndex.html"
KENDRA_GENAI = "https://docs.aws.amazon.com/kendra/latest/dg/hiw-index-types.html"
KENDRA_DATA_SOURCES = "https://docs.aws.amazon.com/kendra/latest/dg/data-source.html"
GLUE_CRAWLER_SCHEDULES = "https://docs.aws.amazon.com/glue/latest/dg/schedule-crawler.html"
ECR_PUSH = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/docker-push-ecr-image.html"
DSQL_ROLES = "https://docs.aws.amazon.com/aurora-dsql/latest/userguide/using-database-and-iam-roles.html"
# Regions the SES endpoints page has always listed with an inbound-smtp endpoint; AWS has added others since,
# so a Region outside this list is a question to check, not an error.
SES_RECEIVING_KNOWN = ("us-east-1", "us-west-2", "eu-west-1")


def _ses_receipt_rule_set_inactive(ctx: ReviewContext) -> Iterator[Hit]:
    for identity in ctx.of_type("ses_identity"):
        links = ctx.out(identity, "receive")
        if not links:
            continue
        region = ctx.account_region(ctx.account_of(identity))
        where = (
            f"SES receives mail in {region}"
            if region in SES_RECEIVING_KNOWN
            else f"check that SES receives mail in {region} (it does so in some Regions only, e.g. "
            f"{', '.join(SES_RECEIVING_KNOWN)})"
        )
        yield Hit(
            (identity.id, *(link.target.id for link in links)),
            f"{ctx.name(identity)} receives mail through a receipt rule set of its own, which receives nothing "
            "until it is the Region's active rule set: CloudFormation cannot make it active, and a Region has one "
            f"active rule set at a time; {where}.",
            "After deploying, run `aws ses set-active-receipt-rule-set --rule-set-name <the stack's "
            "…ReceiptRuleSetName output>` once (it replaces the Region's active set: merge its rules first), and "
            "point the domain's MX record at the Region's inbound-smtp endpoint.",
        )


KENDRA_GENAI_REGIONS = ("us-east-1", "us-west-2")  # AWS: "Index types in Amazon Kendra", GenAI limitations


def _kendra_developer_edition(ctx: ReviewContext) -> Iterator[Hit]:
    for index in ctx.of_type("kendra_index"):
        if ctx.prop(index, "edition") == "DEVELOPER_EDITION":
            yield Hit(
                (index.id,),
                f"{ctx.name(index)} is a Developer Edition index, which AWS intends for development, testing and "
                "proofs of concept, not production (it has lower document and query quotas); the edition cannot "
                "be changed once the index exists.",
                "Use ENTERPRISE_EDITION (or GEN_AI_ENTERPRISE_EDITION for retrieval) for production; a new "
                "index must be created and synced to change editions.",
            )


def _kendra_genai_index(ctx: ReviewContext) -> Iterator[Hit]:
    for index in ctx.of_type("kendra_index"):
        if ctx.prop(index, "edition") != "GEN_AI_ENTERPRISE_EDITION":
            continue
        region = ctx.account_region(ctx.account_of(index))
        if region not in KENDRA_GENAI_REGIONS:
            yield Hit(
                (index.id,),
                f"{ctx.name(index)} is a GenAI Enterprise Edition index in {region}: AWS offers that edition in "
                f"{' and '.join(KENDRA_GENAI_REGIONS)} only, so the deployment fails.",
                "Deploy the index in us-east-1 or us-west-2, or choose ENTERPRISE_EDITION.",
            )
        buckets = [link.target for link in ctx.out(index, "crawl")]
        if buckets:
            yield Hit(
                (index.id, *(b.id for b in buckets)),
                f"{ctx.name(index)} is a GenAI Enterprise Edition index, which syncs through v2.0 connectors only, "
                f"and its data source for {ctx.names(buckets)} is the S3 connector's v1 configuration "
                "(S3Configuration, deprecated), the one the export writes.",
                "Choose ENTERPRISE_EDITION for an index that crawls buckets through the export, or replace the "
                "data source with a v2.0 S3 connector (TemplateConfiguration) after exporting.",
            )


def _crawl_without_schedule(ctx: ReviewContext) -> Iterator[Hit]:
    for source in [*ctx.of_type("kendra_index"), *ctx.of_type("glue_database")]:
        what = "indexed" if source.type == "kendra_index" else "catalogued"
        for link in ctx.out(source, "crawl"):
            if not ctx.link_prop(link, "schedule"):
                yield Hit(
                    (source.id, link.target.id),
                    f"{ctx.name(source)} crawls {ctx.name(link.target)} only when a sync or crawl is started: nothing "
                    f"is {what} after deploying, and later changes to the bucket are not picked up on their own.",
                    "Give the crawl connection a schedule (e.g. cron(0 2 * * ? *)), or start syncs or crawler runs "
                    "(kendra:StartDataSourceSyncJob, glue:StartCrawler) when objects change.",
                )


def _dsql_admin_connections(ctx: ReviewContext) -> Iterator[Hit]:
    for cluster in ctx.of_type("dsql_cluster"):
        clients = [link.source for link in ctx.into(cluster, "read", "write", "read_write")]
        if clients:
            yield Hit(
                (cluster.id, *(c.id for c in clients)),
                f"{ctx.names(clients)} connect to {ctx.name(cluster)} as its admin role (dsql:DbConnectAdmin), the "
                "only database role a new cluster has: each may change or drop any table, whatever its connection says.",
                "Create a database role per workload in SQL (CREATE ROLE … WITH LOGIN; AWS IAM GRANT … TO the IAM "
                "role), grant it only its tables, and give the functions dsql:DbConnect instead.",
            )


def _service_pulls_from_a_new_repository(ctx: ReviewContext) -> Iterator[Hit]:
    for service in ctx.of_type("ecs_service"):
        for link in ctx.out(service, "pull"):
            yield Hit(
                (service.id, link.target.id),
                f"{ctx.name(service)} runs its image from {ctx.name(link.target)}, which the same deployment creates "
                "empty: the service's tasks cannot pull an image, and CloudFormation waits for the service to "
                "stabilize until the deployment fails.",
                "Deploy the repository first and push the image (tag "
                f"{ctx.link_prop(link, 'tag') or 'latest'}) before the service is created, e.g. from a separate "
                "stack or pipeline stage; Batch jobs only fail when they run, so they may share the stack.",
            )


RULES = (
    Rule(
        id="ses-receipt-rule-set-inactive",
        severity="warning",
        title="An SES receipt rule set CloudFormation cannot activate",
        reference=f"{SES_RECEIPT_RULE_SETS}; {SES_RECEIVING_REGIONS}",
        check=_ses_receipt_rule_set_inactive,
    ),
    Rule(
        id="kendra-developer-edition",
        severity="warning",
        title="A Kendra Developer Edition index (not for production)",
        reference=KENDRA_EDITIONS,
        check=_kendra_developer_edition,
    ),
    Rule(
        id="kendra-genai-index-limits",
        severity="error",
        title="A Kendra GenAI Enterprise index outside its Regions or with a v1 connector",
        reference=KENDRA_GENAI,
        check=_kendra_genai_index,
    ),
    Rule(
        id="crawl-without-schedule",
        severity="info",
        title="A Kendra data source or Glue crawler that runs only when started",
        reference=f"{KENDRA_DATA_SOURCES}; {GLUE_CRAWLER_SCHEDULES}",
        check=_crawl_without_schedule,
    ),
    Rule(
        id="dsql-admin-connections",
        severity="info",
        title="Workloads that connect to an Aurora DSQL cluster as its admin",
        reference=DSQL_ROLES,
        check=_dsql_admin_connections,
    ),
    Rule(
        id="ecs-service-pulls-from-new-repository",
        severity="warning",
        title="An ECS service pulling from a repository its own deployment creates empty",
        reference=ECR_PUSH,
        check=_service_pulls_from_a_new_repository,
    ),
)
