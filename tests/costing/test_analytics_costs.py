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
            {"id": "mail", "type": "ses_identity", "usage": {"emails_received_per_month": 200_000, "avg_received_kb": 300}},
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
