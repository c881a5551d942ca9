"""Writes and reads of live design sessions: join, apply operations, catch up, cut revisions.

Every write to a project's live document happens in one transaction holding its LiveState row lock:
read ``seq``, apply a batch of operations in order, write them and the new state, commit, and only then
tell the others and acknowledge to the senders (the caller broadcasts after the commit). So two web
processes never assign the same sequence number, and an acknowledged edit is on disk: a web process killed
right after an ack loses nothing.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
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


@dataclass(frozen=True)
class Edit:
    """One operation as a client sent it, waiting to be ordered."""

    user: User
    client_id: str
    client_op_id: str
    base_seq: int
    op: Any
    origin: str = ""  # the sender's channel: everyone else gets the operation, the sender its ack


# What became of one edit; any other exception is an unexpected failure of that edit alone (logged).
Outcome = Ack | operations.OperationRefused | LiveForbidden | Exception


@dataclass(frozen=True)
class Batch:
    """What ordering a batch of edits gave: one outcome per edit, in order, and what to broadcast."""

    outcomes: list[Outcome]
    broadcast: list[dict[str, Any]]  # {"message": op message, "origin": sender's channel}


def live_apply_many(*, project_id: int, edits: Sequence[Edit]) -> Batch:
    """Order, validate and persist ``edits`` (in the order given) in one transaction.

    Each edit's outcome is its ``Ack`` or why it was refused (``OperationRefused``, ``LiveForbidden``:
    nothing of that edit applied, the others are unaffected). An op whose target someone removed first is
    dropped: its ack says why and carries no seq. The same (client_id, client_op_id) sent again, after an
    ack lost with the connection, is acknowledged with its first seq. Broadcasting is the caller's job,
    once this has returned (committed): ``broadcast``.

    One lock, a handful of queries and one commit for the whole batch: a busy design's edits wait for its
    row lock once per batch instead of once each.
    """
    outcomes: list[Outcome] = []
    with transaction.atomic():
        state = _locked(project_id)
        writers = _writers(project_id, {edit.user.pk for edit in edits}) if state is not None else set()
        seen = _logged(project_id, edits)
        now = timezone.now()
        if state is not None and state.unsaved and state.last_op_at and now - state.last_op_at >= _pause():
            _checkpoint(state)  # the edits before this pause become their own revision
        document, seq = (state.document, state.seq) if state is not None else ({}, 0)
        records: list[Record] = []
        for edit in edits:
            key = (edit.client_id, edit.client_op_id)
            if state is None or edit.user.pk not in writers:
                outcomes.append(LiveForbidden("Your role in this project does not allow editing."))
            elif key in seen:
                outcomes.append(Ack(seq=seen[key][0], op=seen[key][1], duplicate=True))
            elif operations.operation_type(edit.op) == "replace" and edit.base_seq != seq:
                # A whole document built on an older state would silently undo everyone's edits since.
                outcomes.append(
                    operations.OperationRefused(
                        "stale_base",
                        f"A replace must be based on the newest state (seq {seq}), not seq {edit.base_seq}; "
                        "apply the operations you missed and send it again.",
                    )
                )
            else:
                try:
                    applied = operations.apply(document, edit.op)
                except operations.OperationDropped as exc:
                    outcomes.append(Ack(seq=None, dropped=exc.reason))
                    continue
                except operations.OperationRefused as exc:
                    outcomes.append(exc)
                    continue
                except Exception as exc:  # a bug in the engine: this edit fails, not the others in the batch
                    logger.exception("A live edit failed in project %s", project_id)
                    outcomes.append(exc)
                    continue
                document, seq = applied.document, seq + 1
                seen[key] = (seq, applied.op)
                records.append(Record(applied.op, edit.user, key, edit.origin))
                outcomes.append(Ack(seq=seq, op=applied.op))
        messages = _record(state, document, records, now=now) if state is not None and records else []
    return Batch(outcomes, [{"message": m, "origin": r.origin} for m, r in zip(messages, records, strict=True)])


def live_apply(
    *, project_id: int, user: User, client_id: str, client_op_id: str, base_seq: int, op: Any, origin: str = ""
) -> Ack:
    """``live_apply_many`` of one edit, broadcast once committed, for sync callers.

    Raises what the edit's outcome is when it is refused: ``operations.OperationRefused``,
    ``LiveForbidden``.
    """
    batch = live_apply_many(project_id=project_id, edits=[Edit(user, client_id, client_op_id, base_seq, op, origin)])
    _broadcast_on_commit(project_id, batch.broadcast)  # at once, unless a caller's transaction is open
    (outcome,) = batch.outcomes
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


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
    record = Record(op, user, ("", f"revision-{revision.number}"))
    messages = _record(state, revision.design, [record], now=timezone.now())
    state.revision_number = revision.number
    state.revision_seq = state.seq
    state.save(update_fields=["revision_number", "revision_seq"])
    _broadcast_on_commit(project_id, [{"message": message} for message in messages])


# Internals --------------------------------------------------------------------------------------------


def _pause() -> timedelta:
    return timedelta(seconds=settings.LIVE_PAUSE_SECONDS)


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


@dataclass(frozen=True)
class Record:
    """An operation about to be appended to the log, with who sent it."""

    op: dict[str, Any]
    user: User | None
    client: tuple[str, str]  # (client_id, client_op_id)
    origin: str = ""


def _record(state: LiveState, document: dict[str, Any], records: list[Record], *, now: Any) -> list[dict[str, Any]]:
    """Append ``records`` to the log as the next seqs and make ``document`` (the result of applying them
    all) the live document (lock held); their op messages, in order."""
    first = state.seq + 1
    state.seq += len(records)
    state.document = document
    state.last_op_at = now
    state.save(update_fields=["seq", "document", "last_op_at"])
    logged = Operation.objects.bulk_create(
        Operation(
            project_id=state.project_id,
            seq=first + n,
            user=record.user,
            client_id=record.client[0],
            client_op_id=record.client[1],
            op=record.op,
            created_at=now,
        )
        for n, record in enumerate(records)
    )
    return [op_message(operation) for operation in logged]


def _writers(project_id: int, user_ids: set[int]) -> set[int]:
    """Those of ``user_ids`` whose role in the project lets them edit. Checked on every batch, not only
    on connect: a member demoted or removed mid-session stops writing at once."""
    memberships = Membership.objects.filter(team__projects__id=project_id, user_id__in=user_ids).only("user_id", "role")
    return {m.user_id for m in memberships if m.can("write")}


def _logged(project_id: int, edits: Sequence[Edit]) -> dict[tuple[str, str], tuple[int, dict[str, Any]]]:
    """The (seq, op) already logged for those of ``edits`` that were sent before (a resend after a lost ack)."""
    clients = {edit.client_id for edit in edits}
    ids = {edit.client_op_id for edit in edits}
    rows = Operation.objects.filter(project_id=project_id, client_id__in=clients, client_op_id__in=ids)
    wanted = {(edit.client_id, edit.client_op_id) for edit in edits}
    return {
        (client_id, op_id): (seq, op)
        for client_id, op_id, seq, op in rows.values_list("client_id", "client_op_id", "seq", "op")
        if (client_id, op_id) in wanted
    }


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
        # Open editors show the new revision's number, costs and findings.
        announcement = {"type": "revision", "number": revision.number, "seq": state.seq}
        _broadcast_on_commit(project.pk, [{"message": announcement}])
    state.revision_number = revision.number if revision else head.number
    state.revision_seq = state.seq
    # The log keeps the newest operations for clients that reconnect; older ones are in revisions now.
    keep_from = min(state.revision_seq, state.seq - settings.LIVE_LOG_KEEP)
    if keep_from > state.trimmed_seq:
        Operation.objects.filter(project=project, seq__lte=keep_from).delete()
        state.trimmed_seq = keep_from
    state.save(update_fields=["revision_number", "revision_seq", "trimmed_seq"])
    return revision


async def broadcast(project_id: int, items: list[dict[str, Any]]) -> None:
    """Send committed op messages to everyone in the session, in one channel-layer message: each item is
    ``{"message": …, "origin": sender's channel or absent}``. A failed send is logged by the layer; clients
    notice the gap in seq and sync."""
    layer = get_channel_layer()
    if layer is not None and items:
        await layer.group_send(group_name(project_id), {"type": "live.ops", "items": items})


def _broadcast_on_commit(project_id: int, items: list[dict[str, Any]]) -> None:
    """``broadcast`` from sync code once the transaction commits (never before: a rolled back edit must not
    be seen); at once outside a transaction."""
    if items:
        transaction.on_commit(lambda: run_async(broadcast, project_id, items), robust=True)
