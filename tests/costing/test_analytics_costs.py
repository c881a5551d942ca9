"""SES receiving costs, checked by hand against the listed prices.

Prices (apps/costing/data/pricing-us-east-1.yaml, from https://aws.amazon.com/ses/pricing/, not verified
against a stored copy): $0.10 per 1,000 e-mails received and $0.09 per 1,000 incoming chunks of 256 KB.
"""

from __future__ import annotations

from apps.costing import estimate
from tests.costing.designs import component, design, lambda_fn, link, usd


def test_received_mail_is_billed_per_message_and_per_256_kb_chunk_and_reaches_the_function() -> None:
    # 200,000 e-mails of 300 KB (2 chunks each): 200 × $0.10 = $20.00; 400 × $0.09 = $36.00.
    doc = design(
        [
            {
                "id": "mail",
                "type": "ses_identity",
                "usage": {"emails_received_per_month": 200_000, "avg_received_kb": 300},
            },
            lambda_fn("parser"),
        ],
        [link("mail", "parser", "receive")],
    )
    result = estimate(doc)
    assert usd(result, "mail", "ses.received") == 20.00
    assert usd(result, "mail", "ses.received_chunks") == 36.00
    assert component(result, "parser")["quantities"]["invocations_per_month"] == 200_000


def test_mail_sent_through_an_identity_does_not_count_as_mail_received() -> None:
    doc = design(
        [{"id": "mail", "type": "ses_identity", "usage": {"requests_per_month": 50_000}}, lambda_fn("parser")],
        [link("mail", "parser", "receive")],
    )
    result = estimate(doc)
    meters = {entry["meter"] for entry in component(result, "mail")["lines"]}
    assert "ses.received" not in meters
    assert component(result, "parser")["quantities"]["invocations_per_month"] == 0


def test_a_kendra_index_bills_its_edition_by_the_hour_and_its_data_sources_their_syncs() -> None:
    # Kendra (https://aws.amazon.com/kendra/pricing/, not verified): Enterprise $1.40/h × 730 h = $1,022.00;
    # 10 sync hours × $0.35 = $3.50; 2M documents scanned × $1.00/M = $2.00.
    doc = design(
        [
            {
                "id": "docs",
                "type": "kendra_index",
                "usage": {"sync_hours_per_month": 10, "documents_scanned_per_month": 2_000_000},
            },
            {"id": "files", "type": "s3_bucket"},
            lambda_fn("ask"),
        ],
        [link("ask", "docs", "read"), link("docs", "files", "crawl")],
    )
    result = estimate(doc)
    assert usd(result, "docs", "kendra.enterprise.hours") == 1022.00
    assert usd(result, "docs", "kendra.connector.hours") == 3.50
    assert usd(result, "docs", "kendra.connector.documents") == 2.00


def test_a_developer_edition_index_costs_its_own_hourly_price_and_queries_do_not_read_the_bucket() -> None:
    # Developer $1.125/h × 730 h = $821.25; the crawl's default ratio 0 sends no GETs per query.
    doc = design(
        [
            {"id": "docs", "type": "kendra_index", "props": {"edition": "DEVELOPER_EDITION"}},
            {"id": "files", "type": "s3_bucket"},
        ],
        [link("docs", "files", "crawl")],
        requests_per_month=100_000,
    )
    result = estimate(doc)
    assert usd(result, "docs", "kendra.developer.hours") == 821.25
    assert component(result, "files")["quantities"].get("get_requests_per_month", 0) == 0


def test_a_glue_database_bills_objects_and_requests_beyond_the_free_million_and_crawler_dpu_hours() -> None:
    # Glue (https://aws.amazon.com/glue/pricing/, not verified): 1.5M objects, the first million free:
    # 5 × $1.00 per 100,000 = $5.00; 3M requests, the first million free: 2 × $1.00 = $2.00;
    # 20 DPU-hours × $0.44 = $8.80.
    doc = design(
        [
            {
                "id": "lake",
                "type": "glue_database",
                "usage": {"catalog_objects": 1_500_000, "crawler_dpu_hours_per_month": 20},
            },
            {"id": "raw", "type": "s3_bucket"},
        ],
        [link("lake", "raw", "crawl")],
        requests_per_month=3_000_000,
    )
    result = estimate(doc)
    assert usd(result, "lake", "glue.catalog.objects") == 5.00
    assert usd(result, "lake", "glue.catalog.requests") == 2.00
    assert usd(result, "lake", "glue.dpu_hours") == 8.80


def test_a_dsql_cluster_bills_dpus_and_storage() -> None:
    # Aurora DSQL (not verified): 5M DPUs × $8.00/M = $40.00; 20 GB × $0.33 = $6.60.
    doc = design([{"id": "users", "type": "dsql_cluster", "usage": {"dpus_per_month": 5_000_000, "storage_gb": 20}}])
    result = estimate(doc)
    assert usd(result, "users", "dsql.dpus") == 40.00
    assert usd(result, "users", "dsql.storage") == 6.60


def test_an_iot_thing_bills_connection_minutes_and_messages_in_5_kb_steps() -> None:
    # IoT Core (not verified): 1,000 devices × 43,800 min = 43.8M minutes × $0.08/M = $3.50 (3.504);
    # 10M messages of 7 KB = 2 steps each: 20M × $1.00/M = $20.00.
    doc = design(
        [
            {
                "id": "sensor",
                "type": "iot_thing",
                "usage": {"devices": 1000, "avg_message_kb": 7, "requests_per_month": 10_000_000},
            }
        ]
    )
    result = estimate(doc)
    assert usd(result, "sensor", "iot.connectivity") == 3.50
    assert usd(result, "sensor", "iot.messages") == 20.00


def test_an_ecr_repository_bills_the_images_it_stores() -> None:
    # ECR (not verified): 12 GB × $0.10 = $1.20.
    doc = design([{"id": "images", "type": "ecr_repository", "usage": {"storage_gb": 12}}])
    assert usd(estimate(doc), "images", "ecr.storage") == 1.20
