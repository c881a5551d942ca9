"""The gallery's pattern diagrams: drawn by a worker into content-addressed storage, never in a request.

A pattern belongs to no project, so its diagram is no job; it is a file named by the hash of the
pattern's document and the render engine's version, so a changed pattern or a new Graphviz draws it
anew and an unchanged one is drawn once for every process and machine that shares the storage. The
view serves the file when it is there; otherwise it asks a worker for it (once per name per process
within QUEUED_SECONDS) and shows a placeholder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile

from celery import current_app
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

from apps.designs.patterns import Pattern, get_pattern

log = logging.getLogger(__name__)

QUEUED_SECONDS = 120
RENDER_TASK = "tierplan.render_pattern_diagram"

# Shown while the diagram is being drawn: a static picture, like the diagrams themselves.
PLACEHOLDER_SVG = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180" viewBox="0 0 320 180">
<rect x="1" y="1" width="318" height="178" rx="8" fill="#f6f7fb" stroke="#d9dee7" stroke-dasharray="6 4"/>
<text x="160" y="86" text-anchor="middle" font-family="system-ui, sans-serif" font-size="15" fill="#5b6475">Diagram being prepared</text>
<text x="160" y="108" text-anchor="middle" font-family="system-ui, sans-serif" font-size="12" fill="#5b6475">reload the page in a moment</text>
</svg>
"""


def pattern_diagram_name(pattern: Pattern) -> str:
    """Storage name of the pattern's SVG diagram: its content and the engine that draws it, hashed."""
    from apps.rendering.engine import engine_version

    material = json.dumps([pattern.design.content_hash(), engine_version()], separators=(",", ":"))
    return f"pattern-diagrams/{hashlib.sha256(material.encode('utf-8')).hexdigest()}.svg"


def pattern_diagram_find(pattern: Pattern) -> bytes | None:
    """The stored diagram of ``pattern``, or None when no worker has drawn it yet."""
    name = pattern_diagram_name(pattern)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def pattern_diagram_request(pattern: Pattern) -> None:
    """Ask a worker to draw ``pattern``'s diagram, unless this process asked for it recently."""
    if not cache.add(f"pattern-diagram-queued:{pattern_diagram_name(pattern)}", 1, QUEUED_SECONDS):
        return

    def send() -> None:
        try:
            # By name: the web process need not have the task registered, only the worker (tasks.py).
            current_app.send_task(
                RENDER_TASK,
                args=[pattern.slug],
                queue="slow",
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
            )
        except BrokerUnavailable as exc:
            # The placeholder stays; the next request after QUEUED_SECONDS asks again.
            log.warning("job queue unreachable; pattern diagram not requested: %s", exc)

    transaction.on_commit(send)


def pattern_diagram_render(*, slug: str) -> str:
    """Draw and store the diagram of pattern ``slug`` (in the worker); return its storage name."""
    from apps.rendering.engine import render

    pattern = get_pattern(slug)
    name = pattern_diagram_name(pattern)
    if not default_storage.exists(name):
        svg = render(pattern.design)
        # Content-addressed: had another worker stored it meanwhile, the bytes would be the same.
        if not default_storage.exists(name):
            store_whole(name, svg)
    return name


def store_whole(name: str, data: bytes) -> None:
    """Store ``data`` so that a reader finds either nothing or all of it, never a file still being written
    (the web process serves the diagram as soon as its name exists)."""
    try:
        final = default_storage.path(name)
    except NotImplementedError:  # an object store: a PUT is whole when it becomes visible
        default_storage.save(name, ContentFile(data))
        return
    folder = os.path.dirname(final)
    os.makedirs(folder, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".", suffix=".part", delete=False) as part:
        part.write(data)
    os.replace(part.name, final)
