"""Data, search and analytics services: SES receipt rule sets."""

from __future__ import annotations

from tests.review.designs import comp, design, findings, fn, link, only


def test_an_identity_receiving_mail_is_told_to_activate_its_rule_set() -> None:
    doc = design([comp("mail", "ses_identity", "Inbox"), fn("parser")], [link("mail", "parser", "receive")])
    finding = only(doc, "ses-receipt-rule-set-inactive")
    assert finding["severity"] == "warning"
    assert finding["components"] == ["mail", "parser"]
    assert "CloudFormation cannot make it active" in finding["message"]
    assert "SES receives mail in us-east-1" in finding["message"]
    assert "set-active-receipt-rule-set" in finding["fix"]


def test_a_region_not_known_to_receive_mail_is_a_question_to_check() -> None:
    doc = design([comp("mail", "ses_identity"), fn("parser")], [link("mail", "parser", "receive")])
    doc = doc.model_copy(update={"region": "ap-southeast-2"})
    assert "check that SES receives mail in ap-southeast-2" in only(doc, "ses-receipt-rule-set-inactive")["message"]


def test_an_identity_that_only_sends_has_no_rule_set_to_activate() -> None:
    doc = design([comp("mail", "ses_identity"), fn("sender")], [link("sender", "mail", "write")])
    assert findings(doc, "ses-receipt-rule-set-inactive") == []
