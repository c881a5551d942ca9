"""Writes and reads of live design sessions: join, apply an operation, catch up, cut revisions.

Every write to a project's live document happens in one transaction holding its LiveState row lock:
read ``seq``, apply, write the operation and the new state, commit, and only then tell the others
(``transaction.on_commit``) and acknowledge to the sender (the caller returns after the commit). So two
web processes never assign the same sequence number, and an acknowledged edit is on disk: a web process
killed right after an ack loses nothing.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.core.sync import run_async
from apps.designs.document import content_hash
from apps.live import operations
from apps.live.models import LiveState, Operation, RevisionAuthor
from apps.projects import selectors
from apps.projects.models import Membership, Project, Revision

logger = logging.getLogger("tierplan.live")


class LiveForbidden(Exception):
    """The user may not do this in this project (not a member, or a role that cannot write)."""


@dataclass(frozen=True)
class Ack:
    """What the sender of an operation learns once it is committed (or why it was dropped)."""

    seq: int | None
    op: dict[str, Any] | None = None
    dropped: str | None = None
    duplicate: bool = False


def group_name(project_id: int) -> str:
    """The channel-layer group of everyone connected to a project's live session."""
    return f"live.project.{project_id}"


def live_join(*, user: User, project_id: int) -> dict[str, Any]:
    """What a member who opens the live session gets: the document, its seq, their role, the team.

    Raises NotFound (outsiders and unknown projects alike) from the project selector.
    """
    _, membership = selectors.project_get(user=user, project_id=project_id, ability="read")
    state = _state(project_id)
    members = Membership.objects.filter(team__projects__id=project_id).select_related("user").order_by("user_id")
    return {
        "seq": state.seq,
        "revision": state.revision_number,
        "document": state.document,
        "role": membership.role,
        "can_write": membership.can("write"),
        "members": [{"id": m.user_id, "username": m.user.get_username(), "role": m.role} for m in members],
    }


def live_apply(
    *, project_id: int, user: User, client_id: str, client_op_id: str, base_seq: int, op: Any, origin: str = ""
) -> Ack:
    """Order, validate, persist and broadcast one operation; return the ack for its sender.

    Raises ``operations.OperationRefused`` (nothing applied) and ``LiveForbidden``. An op whose target
    someone removed first is dropped: the ack says why and carries no seq. The same (client_id,
    client_op_id) sent again, after an ack lost with the connection, is acknowledged with its first seq.
    """
    with transaction.atomic():
        state = _locked(project_id)
        if state is None or not _can_write(user, project_id):
            raise LiveForbidden("Your role in this project does not allow editing.")
        earlier = (
            Operation.objects.filter(project_id=project_id, client_id=client_id, client_op_id=client_op_id)
            .values_list("seq", "op")
            .first()
        )
        if earlier is not None:
            return Ack(seq=earlier[0], op=earlier[1], duplicate=True)
        if operations.operation_type(op) == "replace" and base_seq != state.seq:
            # A whole document built on an older state would silently undo everyone's edits since.
            raise operations.OperationRefused(
                "stale_base",
                f"A replace must be based on the newest state (seq {state.seq}), not seq {base_seq}; "
                "apply the operations you missed and send it again.",
            )
        now = timezone.now()
        if state.unsaved and state.last_op_at and now - state.last_op_at >= _pause():
            _checkpoint(state)  # the edits before this pause become their own revision
        try:
            applied = operations.apply(state.document, op)
        except operations.OperationDropped as exc:
            return Ack(seq=None, dropped=exc.reason)
        record = _record(state, applied.document, applied.op, user=user, now=now, client=(client_id, client_op_id))
        _broadcast_on_commit(project_id, record, origin=origin)
    return Ack(seq=record["seq"], op=applied.op)


def live_sync(*, project_id: int, since: int) -> dict[str, Any]:
    """The operations after ``since`` for a client that reconnects, or the whole document when the log
    no longer holds them all (trimmed, too many, or a ``since`` this server never handed out)."""
    state = _state(project_id)
    if since < state.trimmed_seq or since > state.seq or state.seq - since > settings.LIVE_SYNC_MAX_OPS:
        return snapshot_message(state)
    ops = Operation.objects.filter(project_id=project_id, seq__gt=since, seq__lte=state.seq).order_by("seq")
    return {"type": "ops", "since": since, "seq": state.seq, "ops": [op_message(o) for o in ops]}


def snapshot_message(state: LiveState) -> dict[str, Any]:
    return {"type": "snapshot", "seq": state.seq, "revision": state.revision_number, "document": state.document}


def op_message(operation: Operation) -> dict[str, Any]:
    return {
        "type": "op",
        "seq": operation.seq,
        "user": operation.user_id,
        "client_id": operation.client_id,
        "client_op_id": operation.client_op_id,
        "op": operation.op,
    }


# Revisions --------------------------------------------------------------------------------------------
#
# A revision per pause: the edits of a sitting become one revision when nobody has edited for
# LIVE_PAUSE_SECONDS (checked by the next operation, and by a periodic sweep for sessions that went
# quiet), when a writer leaves, and whenever the REST API reads or saves the design, so scripts always
# see and build on the current design.


def live_checkpoint(*, project_id: int) -> Revision | None:
    """Save the live edits not yet in a revision as the next revision; None when there were none."""
    with transaction.atomic():
        state = _locked(project_id)
        return _checkpoint(state) if state is not None and state.unsaved else None


def live_flush(*, project_id: int) -> bool:
    """``live_checkpoint`` for readers: cheap when there is nothing to save. True when a revision was cut."""
    if not LiveState.objects.filter(project_id=project_id, seq__gt=F("revision_seq")).exists():
        return False
    return live_checkpoint(project_id=project_id) is not None


def live_checkpoint_idle() -> int:
    """Cut a revision for every session whose last edit is older than the pause; how many were cut."""
    quiet = LiveState.objects.filter(seq__gt=F("revision_seq"), last_op_at__lte=timezone.now() - _pause()).values_list(
        "project_id", flat=True
    )
    return sum(1 for project_id in list(quiet) if live_checkpoint(project_id=project_id) is not None)


def live_lock_for_save(*, project_id: int) -> LiveState | None:
    """First step of a REST save (inside its transaction): lock the live state and save its pending edits
    as a revision, so a save based on the revision before them is stale (412) instead of undoing them."""
    state = _locked(project_id)
    if state is not None and state.unsaved:
        _checkpoint(state)
    return state


def live_design_saved(*, state: LiveState | None, project_id: int, revision: Revision, user: User) -> None:
    """Last step of a REST save (inside its transaction): the new revision becomes the live document, as a
    ``replace`` operation every open editor receives once the save commits."""
    # A session opened while this save ran found the old head: it waited for the project row this save
    # holds, so it is visible now and must learn about the new revision too.
    state = state or _locked(project_id)
    if state is None:
        return  # nobody ever opened a live session on this project
    op = {"type": "replace", "document": revision.design}
    record = _record(
        state, revision.design, op, user=user, now=timezone.now(), client=("", f"revision-{revision.number}")
    )
    state.revision_number = revision.number
    state.revision_seq = state.seq
    state.save(update_fields=["revision_number", "revision_seq"])
    _broadcast_on_commit(project_id, record)


# Internals --------------------------------------------------------------------------------------------


def _pause() -> timedelta:
    return timedelta(seconds=settings.LIVE_PAUSE_SECONDS)


def _can_write(user: User, project_id: int) -> bool:
    # Checked on every operation, not only on connect: a member demoted or removed mid-session stops
    # writing at once.
    membership = Membership.objects.filter(team__projects__id=project_id, user_id=user.pk).only("role").first()
    return membership is not None and membership.can("write")


def _locked(project_id: int) -> LiveState | None:
    return LiveState.objects.select_for_update().filter(project_id=project_id).first()


def _state(project_id: int) -> LiveState:
    """The project's live state, created from its newest revision the first time a session opens."""
    state = LiveState.objects.filter(project_id=project_id).first()
    if state is not None:
        return state
    try:
        with transaction.atomic():
            # The project row lock orders this with a REST save: either that save committed first (its
            # revision is the head read here) or it waits for this one and then finds the new state.
            project = Project.objects.select_for_update().get(pk=project_id)
            head = Revision.objects.get(project_id=project_id, number=project.head_number)
            return LiveState.objects.create(project=project, document=head.design, revision_number=head.number)
    except IntegrityError:  # another process created it first
        return LiveState.objects.get(project_id=project_id)


def _record(
    state: LiveState,
    document: dict[str, Any],
    op: dict[str, Any],
    *,
    user: User | None,
    now: Any,
    client: tuple[str, str],
) -> dict[str, Any]:
    """Append ``op`` to the log as the next seq and make ``document`` the live document (lock held)."""
    state.seq += 1
    state.document = document
    state.last_op_at = now
    state.save(update_fields=["seq", "document", "last_op_at"])
    operation = Operation.objects.create(
        project_id=state.project_id,
        seq=state.seq,
        user=user,
        client_id=client[0],
        client_op_id=client[1],
        op=op,
        created_at=now,
    )
    return op_message(operation)


def _checkpoint(state: LiveState) -> Revision | None:
    """Save ``state``'s document as the next revision with the authors of its operations (lock held)."""
    project = Project.objects.select_for_update().get(pk=state.project_id)
    head = Revision.objects.get(project=project, number=project.head_number)
    if head.number != state.revision_number:
        logger.warning(
            "live state of project %s was at revision %s, head is %s", project.pk, state.revision_number, head.number
        )
    counts = Counter(
        Operation.objects.filter(project=project, seq__gt=state.revision_seq, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    revision = None
    digest = content_hash(state.document)
    if digest != head.content_hash:
        authors = dict(User.objects.filter(pk__in=counts).values_list("pk", "username"))
        names = [authors[pk] for pk, _ in counts.most_common() if pk in authors]
        edits = state.seq - state.revision_seq
        revision = Revision.objects.create(
            project=project,
            number=head.number + 1,
            design=state.document,
            content_hash=digest,
            message=f"Live edits by {', '.join(names) or 'former members'} ({edits} operation{'s' if edits != 1 else ''})"[
                :500
            ],
            author_id=counts.most_common(1)[0][0] if counts else None,
        )
        Project.objects.filter(pk=project.pk).update(head_number=revision.number, updated_at=timezone.now())
        RevisionAuthor.objects.bulk_create(
            RevisionAuthor(revision=revision, user_id=pk, operations=n) for pk, n in counts.items() if pk in authors
        )
    state.revision_number = revision.number if revision else head.number
    state.revision_seq = state.seq
    # The log keeps the newest operations for clients that reconnect; older ones are in revisions now.
    keep_from = min(state.revision_seq, state.seq - settings.LIVE_LOG_KEEP)
    if keep_from > state.trimmed_seq:
        Operation.objects.filter(project=project, seq__lte=keep_from).delete()
        state.trimmed_seq = keep_from
    state.save(update_fields=["revision_number", "revision_seq", "trimmed_seq"])
    return revision


def _broadcast_on_commit(project_id: int, message: dict[str, Any], *, origin: str = "") -> None:
    """Send ``message`` to everyone in the session once the transaction commits (never before: a rolled
    back edit must not be seen). A failed send is logged; clients notice the gap in seq and sync."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            event = {"type": "live.broadcast", "message": message, "origin": origin}
            run_async(layer.group_send, group_name(project_id), event)

    transaction.on_commit(send, robust=True)
