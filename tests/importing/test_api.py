"""POST /api/projects/import/: a template becomes a project whose revision 1 is the imported design."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.projects.models import Project, Revision
from tests.designs.test_cli_validate import tierplan
from tests.importing.helpers import FIXTURES
from tests.projects.helpers import assert_error, db_state

URL = "/api/projects/import/"
ORDERS = (FIXTURES / "orders_sam.yaml").read_text()

BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    + "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties: {Tags: *i}\n"
)

# (what is wrong, template text, words the message must hold)
BAD_TEMPLATES = [
    ("not YAML or JSON", "Resources: [unclosed\n", "not valid YAML"),
    ("broken JSON", '{"Resources": {', "not valid JSON"),
    ("not a template", "Description: just words\n", "no Resources mapping"),
    ("a list", "- a\n- b\n", "not a template"),
    ("an unknown tag", "Resources:\n  A:\n    Type: !Evil x\n", "unknown tag !Evil"),
    ("a YAML bomb", BOMB, "anchors and aliases"),
    ("a macro", "Transform: MyCompanyMacro\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n", "macro MyCompanyMacro"),
    ("empty", "   \n", "empty"),
    ("a control character", "Resources:\n  A:\n    Type: \x10\n", "not allowed in YAML"),
    ("over 1 MB", "# " + "x" * (1024 * 1024) + "\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n", "at most"),
]


def upload(file_name: str, content: bytes, **fields: object) -> dict[str, object]:
    return {"file": SimpleUploadedFile(file_name, content, content_type="application/x-yaml"), **fields}


def test_a_pasted_template_becomes_a_project_in_my_personal_team(as_alice, alice):
    response = as_alice.post(URL, {"template": ORDERS}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    project = Project.objects.get(pk=body["project"]["id"])
    assert response["Location"] == f"/api/projects/{project.pk}/"
    assert project.team_id == alice.personal_team.pk
    assert project.name == "Orders service (test fixture)"
    assert body["project"]["name"] == project.name
    assert body["project"]["revision"] == 1
    assert body["project"]["role"] == "owner"
    revision = Revision.objects.get(project=project)
    assert revision.number == 1
    assert revision.author_id == alice.pk
    assert revision.message == "Imported from a pasted template"
    assert body["report"]["counts"]["resources"] == 13
    assert {"logical_id": "OrdersTable", "type": "AWS::DynamoDB::Table", "became": "component",
            "component": "orders_table"} in body["report"]["resources"]  # fmt: skip


def test_revision_1_is_the_design_the_cli_makes_of_the_same_template(as_alice):
    response = as_alice.post(URL, {"template": ORDERS, "name": "Orders"}, format="json")
    cli = tierplan("import", str(FIXTURES / "orders_sam.yaml"), "--json", "--name", "Orders")

    assert cli.returncode == 0, cli.stderr
    revision = Revision.objects.get(project_id=response.json()["project"]["id"])
    assert revision.design == json.loads(cli.stdout)["design"]
    assert response.json()["report"] == json.loads(cli.stdout)["report"]


def test_an_uploaded_file_becomes_a_project_named_after_its_description(as_bob, team):
    content = (FIXTURES / "pipeline_cfn.json").read_bytes()

    response = as_bob.post(URL, upload("pipeline_cfn.json", content, team=team.pk), format="multipart")

    assert response.status_code == 201, response.content
    project = Project.objects.get(pk=response.json()["project"]["id"])
    assert project.team_id == team.pk
    assert project.name.startswith("Plain CloudFormation (test fixture)")
    assert Revision.objects.get(project=project).message == "Imported from template pipeline_cfn.json"
    assert response.json()["project"]["role"] == "editor"


def test_a_template_without_a_description_is_named_after_its_file(as_alice):
    content = (FIXTURES / "workflow.yaml").read_bytes()

    response = as_alice.post(URL, upload("checkout-flow.yaml", content), format="multipart")

    assert response.status_code == 201, response.content
    assert response.json()["project"]["name"] == "checkout-flow"


def test_a_pasted_template_without_a_description_gets_the_default_name(as_alice):
    response = as_alice.post(URL, {"template": (FIXTURES / "workflow.yaml").read_text()}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["project"]["name"] == "Imported template"


def test_a_given_name_wins_over_the_description(as_alice):
    response = as_alice.post(URL, upload("orders.yaml", ORDERS.encode(), name="Shop"), format="multipart")

    assert response.status_code == 201, response.content
    project = Project.objects.get(pk=response.json()["project"]["id"])
    assert project.name == "Shop"
    assert Revision.objects.get(project=project).design["name"] == "Shop"


def test_preview_answers_the_design_and_the_report_and_creates_nothing(as_alice):
    before = db_state()

    response = as_alice.post(f"{URL}?preview=1", {"template": ORDERS}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"design", "report"}
    assert body["design"]["name"] == "Orders service (test fixture)"
    assert {c["id"] for c in body["design"]["components"]} >= {"orders_api", "orders_table"}
    assert all("position" in c for c in body["design"]["components"])
    assert body["report"]["counts"]["components"] == 11
    assert db_state() == before


@pytest.mark.parametrize("form", ["json", "multipart"])
def test_preview_can_be_asked_for_in_the_body(as_alice, form):
    before = db_state()
    data = (
        {"template": ORDERS, "preview": True} if form == "json" else upload("o.yaml", ORDERS.encode(), preview="true")
    )

    response = as_alice.post(URL, data, format=form)

    assert response.status_code == 200, response.content
    assert response.json()["design"]["name"] == "Orders service (test fixture)"
    assert db_state() == before


@pytest.mark.parametrize(("what", "text", "words"), BAD_TEMPLATES, ids=[case[0] for case in BAD_TEMPLATES])
def test_a_bad_pasted_template_is_refused_with_its_pointer_and_nothing_is_created(as_alice, what, text, words):
    before = db_state()

    response = as_alice.post(URL, {"template": text}, format="json")

    error = assert_error(response, 400, "invalid_template", ["/template"])
    assert words in error["details"][0]["message"], error
    assert db_state() == before


@pytest.mark.parametrize(("what", "text", "words"), BAD_TEMPLATES, ids=[case[0] for case in BAD_TEMPLATES])
def test_a_bad_uploaded_template_is_refused_with_its_pointer_and_nothing_is_created(as_alice, what, text, words):
    before = db_state()

    response = as_alice.post(URL, upload("bad.yaml", text.encode()), format="multipart")

    error = assert_error(response, 400, "invalid_template", ["/file"])
    assert words in error["details"][0]["message"], error
    assert db_state() == before


def test_a_bad_template_in_preview_is_refused_the_same_way(as_alice):
    response = as_alice.post(f"{URL}?preview=1", {"template": "Resources: [unclosed\n"}, format="json")

    assert_error(response, 400, "invalid_template", ["/template"])


def test_an_upload_over_1_mb_is_refused_by_its_size_before_it_is_read(as_alice):
    before = db_state()
    content = b"Resources:\n  Q:\n    Type: AWS::SQS::Queue\n" + b"#" * (1024 * 1024)

    response = as_alice.post(URL, upload("big.yaml", content), format="multipart")

    error = assert_error(response, 400, "invalid_template", ["/file"])
    assert f"{len(content):,} bytes" in error["message"]
    assert db_state() == before


def test_a_file_that_is_not_utf8_text_is_refused(as_alice):
    response = as_alice.post(URL, upload("t.yaml", b"Resources: \xff\xfe\n"), format="multipart")

    error = assert_error(response, 400, "invalid_template", ["/file"])
    assert "not UTF-8" in error["details"][0]["message"]


def test_a_template_is_required(as_alice):
    before = db_state()

    assert_error(as_alice.post(URL, {"name": "x"}, format="json"), 400, "invalid", ["/template"])
    assert_error(as_alice.post(URL, {"name": "x"}, format="multipart"), 400, "invalid", ["/file"])
    assert db_state() == before


def test_unknown_fields_are_refused(as_alice):
    response = as_alice.post(URL, {"template": ORDERS, "pattern": "x"}, format="json")
    assert_error(response, 400, "invalid", ["/pattern"])

    response = as_alice.post(URL, upload("o.yaml", ORDERS.encode(), design="x"), format="multipart")
    assert_error(response, 400, "invalid", ["/design"])


def test_a_preview_query_that_is_not_a_flag_is_refused(as_alice):
    assert_error(
        as_alice.post(f"{URL}?preview=maybe", {"template": ORDERS}, format="json"), 400, "invalid", ["/preview"]
    )


def test_a_viewer_cannot_import_into_the_team(as_vera, team):
    before = db_state()

    response = as_vera.post(URL, {"template": ORDERS, "team": team.pk}, format="json")

    assert_error(response, 403, "permission_denied", ["/team"])
    assert db_state() == before


def test_a_viewer_hears_so_before_the_template_is_read(as_vera, team):
    response = as_vera.post(URL, {"template": "not: [a template", "team": team.pk}, format="json")

    assert_error(response, 403, "permission_denied", ["/team"])


def test_an_outsider_cannot_import_into_a_team_they_are_not_in(as_charlie, team):
    before = db_state()

    response = as_charlie.post(URL, upload("o.yaml", ORDERS.encode(), team=team.pk), format="multipart")

    assert_error(response, 400, "invalid", ["/team"])
    assert db_state() == before


def test_anonymous_clients_are_refused(anonymous, db):
    before = db_state()

    assert_error(anonymous.post(URL, {"template": ORDERS}, format="json"), 401, "not_authenticated")
    assert db_state() == before


def test_a_session_without_csrf_token_is_refused(alice):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    before = db_state()

    response = client.post(URL, {"template": ORDERS}, format="json")

    assert_error(response, 403, "permission_denied")
    assert db_state() == before


def test_imports_are_throttled_per_user(as_alice, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "import": "2/min"}
    for _ in range(2):
        assert as_alice.post(f"{URL}?preview=1", {"template": ORDERS}, format="json").status_code == 200

    response = as_alice.post(URL, {"template": ORDERS}, format="json")

    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert not Project.objects.filter(name="Orders service (test fixture)").exists()
