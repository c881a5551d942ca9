"""Data, search and analytics services: SES receipt rule sets."""

from __future__ import annotations

from tests.review.designs import comp, design, findings, fn, link, only, vpc


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


def test_a_developer_edition_index_is_not_for_production() -> None:
    doc = design([comp("docs", "kendra_index", edition="DEVELOPER_EDITION")])
    finding = only(doc, "kendra-developer-edition")
    assert finding["severity"] == "warning"
    assert "not production" in finding["message"] and "ENTERPRISE_EDITION" in finding["fix"]
    assert findings(design([comp("docs", "kendra_index")]), "kendra-developer-edition") == []


def test_a_genai_index_outside_its_regions_fails_and_cannot_crawl_with_the_v1_connector() -> None:
    doc = design(
        [comp("docs", "kendra_index", edition="GEN_AI_ENTERPRISE_EDITION"), comp("files", "s3_bucket")],
        [link("docs", "files", "crawl", schedule="cron(0 2 * * ? *)")],
    )
    doc = doc.model_copy(update={"region": "eu-west-1"})
    found = findings(doc, "kendra-genai-index-limits")
    assert [f["severity"] for f in found] == ["error", "error"]
    assert "in eu-west-1" in found[0]["message"] and "us-east-1 and us-west-2 only" in found[0]["message"]
    assert found[1]["components"] == ["docs", "files"] and "v2.0 connectors" in found[1]["message"]


def test_a_genai_index_in_its_region_without_data_sources_is_fine() -> None:
    doc = design([comp("docs", "kendra_index", edition="GEN_AI_ENTERPRISE_EDITION")])
    assert findings(doc, "kendra-genai-index-limits") == []


def test_a_crawl_without_a_schedule_syncs_only_when_started() -> None:
    unscheduled = design([comp("docs", "kendra_index"), comp("files", "s3_bucket")], [link("docs", "files", "crawl")])
    assert only(unscheduled, "crawl-without-schedule")["severity"] == "info"
    scheduled = design(
        [comp("docs", "kendra_index"), comp("files", "s3_bucket")],
        [link("docs", "files", "crawl", schedule="cron(0 2 * * ? *)")],
    )
    assert findings(scheduled, "crawl-without-schedule") == []


def test_a_glue_crawler_without_a_schedule_catalogues_nothing_on_its_own() -> None:
    doc = design([comp("lake", "glue_database"), comp("raw", "s3_bucket")], [link("lake", "raw", "crawl")])
    finding = only(doc, "crawl-without-schedule")
    assert finding["components"] == ["lake", "raw"] and "nothing is catalogued" in finding["message"]


def test_functions_connecting_to_a_dsql_cluster_are_told_they_connect_as_admin() -> None:
    doc = design(
        [comp("users", "dsql_cluster"), fn("reader"), fn("writer")],
        [link("reader", "users", "read"), link("writer", "users", "read_write")],
    )
    finding = only(doc, "dsql-admin-connections")
    assert finding["components"] == ["users", "reader", "writer"]
    assert "dsql:DbConnect instead" in finding["fix"]
    assert findings(design([comp("users", "dsql_cluster")]), "dsql-admin-connections") == []


def test_an_ecs_service_pulling_from_a_repository_of_its_own_deployment_is_warned() -> None:
    doc = design(
        [
            comp("images", "ecr_repository"),
            comp("web", "ecs_service", group="net"),
            comp("jobs", "batch_job_queue", group="net"),
        ],
        [link("web", "images", "pull"), link("jobs", "images", "pull")],
        groups=[vpc("net")],
    )
    finding = only(doc, "ecs-service-pulls-from-new-repository")
    assert finding["components"] == ["web", "images"] and "(tag latest)" in finding["fix"]
