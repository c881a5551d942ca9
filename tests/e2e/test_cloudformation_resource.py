"""The studio's CloudFormation resource card: pick any resource type, write its properties as JSON."""

from __future__ import annotations

import json
from typing import Any

from apps.designs.icons import resource_icon_urls
from apps.projects.models import Project
from tests.conftest import WorkerFactory
from tests.e2e.conftest import screenshot
from tests.e2e.test_editor import component, head, log_in, open_editor, wait_saved

PROPERTIES = "textarea[name='props.properties']"


def test_a_resource_type_is_searched_picked_and_its_properties_checked_by_the_server(
    live_server: Any, workers: WorkerFactory, page: Any, project: Project
) -> None:
    log_in(page, live_server.url, "alice")
    open_editor(page, live_server.url, project)

    # The palette offers it; a fresh card is a valid SSM parameter, saved as is.
    page.fill("input[aria-label='Search services']", "cloudformation")
    page.click("[data-palette-type=cloudformation_resource]")
    page.locator("[data-component-id=cloudformation_resource_1]").wait_for()
    wait_saved(page)
    page.locator("[data-resource-type='AWS::SSM::Parameter']").wait_for()
    assert json.loads(page.input_value(PROPERTIES)) == {"Type": "String", "Value": "change-me"}

    # Search (debounced, from the server) and pick another type: its properties start afresh.
    page.click(".cfn-type-current button")
    page.fill("input[aria-label='Search CloudFormation resource types']", "ecr repo")
    page.click("[data-type-option='AWS::ECR::Repository']")
    wait_saved(page)
    saved = component(head(project), "cloudformation_resource_1")
    assert saved is not None and saved["props"] == {"resource_type": "AWS::ECR::Repository", "properties": {}}
    # The card is drawn with its service's icon, as the rendered diagram draws it.
    icon = page.locator("[data-component-id=cloudformation_resource_1] img.icon").get_attribute("src")
    assert icon == resource_icon_urls()["services"]["ECR"]
    assert page.locator("[data-component-id=cloudformation_resource_1] .meta").inner_text() == "AWS::ECR::Repository"

    # Text that is not a JSON object is refused beside the field and never sent.
    page.fill(PROPERTIES, '{"RepositoryName": ')
    page.wait_for_selector("[data-error-for='props.properties.local']:has-text('not valid JSON')")
    page.fill(PROPERTIES, "[1, 2]")
    page.wait_for_selector("[data-error-for='props.properties.local']:has-text('must be a JSON object')")

    # A JSON object the schema refuses: the server's problem shows with its path inside the properties.
    page.fill(PROPERTIES, '{"RepositoryName": "orders", "Tags": [{"Key": "team"}]}')
    page.wait_for_selector(
        "[data-error-for='props.properties']:has-text('Tags/0/Value: required property Value of Tags[0] is missing')"
    )
    screenshot(page, "cloudformation-resource-error")

    page.fill(PROPERTIES, '{"RepositoryName": "orders", "Tags": [{"Key": "team", "Value": "orders"}]}')
    wait_saved(page)
    saved = component(head(project), "cloudformation_resource_1")
    assert saved is not None and saved["props"]["properties"]["Tags"] == [{"Key": "team", "Value": "orders"}]
    assert page.locator("[data-error-for='props.properties']").count() == 0
    screenshot(page, "cloudformation-resource")
