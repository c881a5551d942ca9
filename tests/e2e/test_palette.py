"""The studio's palette with the whole catalog: tiers split by service family, search, recently used, and
one component of every family added, edited and costed in the browser."""

from __future__ import annotations

from typing import Any

from apps.costing.engine import NOT_ESTIMATED
from apps.designs.catalog import get_catalog
from apps.projects.models import Project
from tests.conftest import WorkerFactory
from tests.e2e.conftest import screenshot
from tests.e2e.test_editor import component, head, log_in, open_editor, wait_saved

SEARCH = "input[aria-label='Search services']"


def assert_no_overlap(page: Any) -> None:
    boxes = {
        node.get_attribute("data-component-id"): node.bounding_box()
        for node in page.locator("[data-component-id]").all()
    }
    ids = sorted(boxes)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            one, two = boxes[a], boxes[b]
            assert one is not None and two is not None
            apart = (
                one["x"] + one["width"] <= two["x"]
                or two["x"] + two["width"] <= one["x"]
                or one["y"] + one["height"] <= two["y"]
                or two["y"] + two["height"] <= one["y"]
            )
            assert apart, f"{a} and {b} overlap"


def test_the_palette_groups_by_family_searches_and_remembers_what_was_used(
    live_server: Any, page: Any, project: Project
) -> None:
    catalog = get_catalog()
    log_in(page, live_server.url, "alice")
    open_editor(page, live_server.url, project)

    # Every type once, under its tier and, within the tier, under its family's heading.
    assert page.locator("[data-palette-type]").count() == len(catalog.types)
    for ctype in catalog:
        entry = page.locator(f"[data-palette-tier={ctype.tier}] [data-palette-family={ctype.family}]")
        assert entry.locator(f"[data-palette-type={ctype.name}]").count() == 1, ctype.name
        assert entry.locator("h4").inner_text() == catalog.families[ctype.family].label
    assert page.locator("[data-palette-section=recent]").count() == 0
    screenshot(page, "palette-grouped")

    # Search matches the words of labels, families, descriptions and CloudFormation types.
    page.fill(SEARCH, "AWS::SQS::Queue")
    assert page.locator("[data-palette-type]").count() == 1
    page.fill(SEARCH, "messaging queue")
    assert page.locator("[data-palette-type=sqs_queue]").count() == 1
    page.fill(SEARCH, "no such service")
    page.wait_for_selector(".palette-count:has-text('No service matches')")
    assert page.locator("[data-palette-type]").count() == 0

    # Enter adds the first match; the type then heads "Recently used", in this browser across designs.
    page.fill(SEARCH, "AWS::SNS::Topic")
    page.press(SEARCH, "Enter")
    page.locator("[data-component-id=sns_topic_1]").wait_for()
    wait_saved(page)
    assert component(head(project), "sns_topic_1") is not None
    # It lands beside the cards already in its lane, never on top of one.
    assert_no_overlap(page)
    page.press(SEARCH, "Escape")
    assert page.input_value(SEARCH) == ""
    page.click("[data-palette-type=sqs_queue]")
    page.locator("[data-component-id=sqs_queue_1]").wait_for()
    wait_saved(page)
    recent = page.locator("[data-palette-section=recent] [data-palette-recent]")
    assert [recent.nth(i).get_attribute("data-palette-recent") for i in range(recent.count())] == [
        "sqs_queue",
        "sns_topic",
    ]
    page.reload()
    page.locator(".react-flow__node-component").first.wait_for()
    page.click("[data-palette-section=recent] [data-palette-recent=sns_topic]")
    page.locator("[data-component-id=sns_topic_2]").wait_for()
    wait_saved(page)
    assert (
        page.locator("[data-palette-section=recent] [data-palette-recent]").first.get_attribute("data-palette-recent")
        == "sns_topic"
    )
    screenshot(page, "palette-recent")


def test_one_component_of_every_family_is_added_edited_and_costed(
    live_server: Any, workers: WorkerFactory, page: Any, project: Project
) -> None:
    workers.start()
    catalog = get_catalog()
    log_in(page, live_server.url, "alice")
    open_editor(page, live_server.url, project)
    # The last type of each family in catalog order: the newest ones, where a family has new types.
    chosen = {ctype.family: ctype for ctype in catalog}
    added = []
    for ctype in chosen.values():
        page.fill(SEARCH, ctype.label)
        page.click(f"[data-palette-type={ctype.name}]")
        node = f"[data-component-id={ctype.name}_1]"
        page.locator(node).wait_for()
        wait_saved(page)
        # Its properties panel opens with every prop of the catalog, with the default filled in (the panel
        # follows the selection a render after the card appears).
        page.locator(f".properties-panel[data-selected='{ctype.name}_1']").wait_for()
        for name, spec in ctype.props.fields.items():
            if spec.type in ("string", "integer", "number") and spec.default is not None:
                field = page.locator(f"[name='props.{name}']")
                assert field.count() == 1, (ctype.name, name)
                assert field.input_value() == str(spec.default), (ctype.name, name)
        added.append(ctype.name)
    saved = head(project)
    assert {f"{name}_1" for name in added} <= {c["id"] for c in saved["components"]}
    page.click(".react-flow__controls-fitview")
    assert_no_overlap(page)

    # The estimate of the saved revision reaches every new card as a cost badge (clients cost nothing).
    page.wait_for_selector(f"[data-cost-revision='{project.head_number}']", timeout=60_000)
    for name in added:
        if name in NOT_ESTIMATED:  # said on the card (and among the estimate's assumptions), never $0
            assert page.locator(f"[data-component-id={name}_1] [data-cost-not-estimated]").count() == 1, name
            continue
        badge = page.locator(f"[data-component-id={name}_1] [data-cost]")
        assert badge.count() == 1, name
        assert float(badge.get_attribute("data-cost") or "nan") >= 0, name
    screenshot(page, "palette-every-family")
