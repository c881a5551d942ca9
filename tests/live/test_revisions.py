"""Live edits become revisions: after a pause, when a writer leaves, and before the REST API reads or saves."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from apps.live import services
from apps.live.models import LiveState, RevisionAuthor
from apps.projects.models import Project

pytestmark = pytest.mark.django_db(transaction=True)


def edit(project: Project, user: User, op_id: str, label: str, component: str = "orders_fn") -> services.Ack:
    services.live_join(user=user, project_id=project.pk)
    return services.live_apply(
        project_id=project.pk,
        user=user,
        client_id=user.username,
        client_op_id=op_id,
        base_seq=0,
        op={"type": "set_component", "id": component, "field": "label", "value": label},
    )


def pause(project: Project, seconds: float) -> None:
    """Pretend the last edit was ``seconds`` ago."""
    LiveState.objects.filter(project=project).update(last_op_at=timezone.now() - timedelta(seconds=seconds))


def test_edits_before_a_pause_become_a_revision_with_their_authors(
    project: Project, alice: User, bob: User, settings: Any
) -> None:
    settings.LIVE_PAUSE_SECONDS = 30
    edit(project, alice, "a1", "Checkout")
    edit(project, bob, "b1", "Orders v2", component="orders")
    edit(project, bob, "b2", "Orders v3", component="orders")
    project.refresh_from_db()
    assert project.head_number == 1  # still within the sitting
    pause(project, 31)
    edit(project, alice, "a2", "After the pause")
    project.refresh_from_db()
    assert project.head_number == 2
    revision = project.revisions.get(number=2)
    labels = {c["id"]: c["label"] for c in revision.design["components"]}
    assert (labels["orders_fn"], labels["orders"]) == ("Checkout", "Orders v3")
    assert revision.author == bob  # the most edits
    assert dict(RevisionAuthor.objects.filter(revision=revision).values_list("user__username", "operations")) == {
        "alice": 1,
        "bob": 2,
    }
    assert "alice" in revision.message and "bob" in revision.message


def test_the_periodic_sweep_saves_only_quiet_sessions(project: Project, alice: User, settings: Any) -> None:
    settings.LIVE_PAUSE_SECONDS = 30
    edit(project, alice, "a1", "Checkout")
    assert services.live_checkpoint_idle() == 0
    pause(project, 31)
    assert services.live_checkpoint_idle() == 1
    assert services.live_checkpoint_idle() == 0  # nothing left to save
    project.refresh_from_db()
    assert project.head_number == 2


def test_the_beat_schedule_runs_the_sweep_as_a_registered_task(settings: Any) -> None:
    from designer.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["checkpoint-quiet-live-sessions"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["options"]["queue"] == "fast"


def test_a_rest_read_sees_the_live_edits_as_a_new_revision(project: Project, alice: User, as_bob: Any) -> None:
    edit(project, alice, "a1", "Checkout")
    response = as_bob.get(f"/api/projects/{project.pk}/design/")
    assert response.headers["ETag"] == '"2"'
    assert next(c for c in response.json()["components"] if c["id"] == "orders_fn")["label"] == "Checkout"


def test_a_rest_save_based_on_the_revision_before_live_edits_is_stale(
    project: Project, alice: User, as_bob: Any
) -> None:
    document = as_bob.get(f"/api/projects/{project.pk}/design/").json()
    edit(project, alice, "a1", "Checkout")
    document["name"] = "Mine on top"
    response = as_bob.put(
        f"/api/projects/{project.pk}/design/",
        json.dumps(document),
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 412
    assert response.headers["ETag"] == '"2"'
    project.refresh_from_db()
    assert project.head_number == 2  # the live edit was saved, not undone


def test_a_rest_save_without_if_match_is_still_refused_with_428(project: Project, as_bob: Any) -> None:
    document = as_bob.get(f"/api/projects/{project.pk}/design/").json()
    response = as_bob.put(f"/api/projects/{project.pk}/design/", json.dumps(document), content_type="application/json")
    assert response.status_code == 428


def test_a_rest_save_becomes_the_live_document(project: Project, alice: User, as_bob: Any) -> None:
    edit(project, alice, "a1", "Checkout")
    document = as_bob.get(f"/api/projects/{project.pk}/design/").json()
    document["name"] = "Renamed by a script"
    response = as_bob.put(
        f"/api/projects/{project.pk}/design/",
        json.dumps(document),
        content_type="application/json",
        HTTP_IF_MATCH='"2"',
    )
    assert response.status_code == 200
    state = LiveState.objects.get(project=project)
    assert (state.document["name"], state.revision_number, state.seq, state.unsaved) == (
        "Renamed by a script",
        3,
        2,
        False,
    )


def test_a_replace_based_on_an_old_seq_is_refused(project: Project, alice: User) -> None:
    edit(project, alice, "a1", "Checkout")
    with pytest.raises(services.operations.OperationRefused) as refused:
        services.live_apply(
            project_id=project.pk,
            user=alice,
            client_id="alice",
            client_op_id="r1",
            base_seq=0,
            op={"type": "replace", "document": {"schema": "tierplan.design/v1", "name": "Blank"}},
        )
    assert refused.value.code == "stale_base"


def test_a_member_demoted_mid_session_can_no_longer_edit(project: Project, bob: User) -> None:
    edit(project, bob, "b1", "Checkout")
    project.team.memberships.filter(user=bob).update(role="viewer")
    with pytest.raises(services.LiveForbidden):
        edit(project, bob, "b2", "Still editing?")
