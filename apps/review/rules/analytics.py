"""Data, search and analytics services: SES receiving (a rule set CloudFormation cannot activate, the
Regions that receive mail) and Kendra indexes (the Developer edition is not for production)."""

from __future__ import annotations

from collections.abc import Iterator

from apps.review.base import Hit, Rule
from apps.review.context import ReviewContext

SES_RECEIPT_RULE_SETS = "https://docs.aws.amazon.com/ses/latest/dg/receiving-email-receipt-rule-set.html"
SES_RECEIVING_REGIONS = "https://docs.aws.amazon.com/general/latest/gr/ses.html"
KENDRA_EDITIONS = "https://docs.aws.amazon.com/kendra/latest/dg/hiw-index.html"
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


RULES = (
    Rule(
        id="ses-receipt-rule-set-inactive",
        severity="warning",
        title="An SES receipt rule set CloudFormation cannot activate",
        reference=f"{SES_RECEIPT_RULE_SETS}; {SES_RECEIVING_REGIONS}",
        check=_ses_receipt_rule_set_inactive,
    ),
)
