"""Periodic work of live sessions: quiet sessions' edits become revisions."""

from __future__ import annotations

from celery import shared_task

from apps.live.services import live_checkpoint_idle


@shared_task(name="tierplan.live_checkpoint_idle", ignore_result=True)
def checkpoint_idle_sessions() -> int:
    """Run by the beat scheduler (settings.CELERY_BEAT_SCHEDULE); idempotent, so a late duplicate is harmless."""
    return live_checkpoint_idle()
