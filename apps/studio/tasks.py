"""The gallery's task: draw a pattern's diagram in the worker (see gallery.py)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from apps.studio.gallery import RENDER_TASK, pattern_diagram_render

log = logging.getLogger(__name__)


@shared_task(
    name=RENDER_TASK,
    ignore_result=True,
    soft_time_limit=settings.JOB_SOFT_TIME_LIMIT,
    time_limit=settings.JOB_TIME_LIMIT,
)
def render_pattern_diagram(slug: str) -> str:
    """Draw pattern ``slug``'s diagram unless it is stored already. Safe to run twice: same name, same bytes."""
    from apps.designs.patterns import PatternNotFound
    from apps.rendering.engine import RenderError

    try:
        return pattern_diagram_render(slug=slug)
    except (PatternNotFound, RenderError) as exc:
        # Nothing to retry: the gallery keeps its placeholder and asks again later.
        log.error("pattern %s: no diagram: %s", slug, exc)
        return ""
