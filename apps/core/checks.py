"""Deploy checks of our own, run by `manage.py check --deploy` beside Django's."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Backends whose entries live inside one process: each web process would count its own throttles.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def throttle_counters_are_shared(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Throttles count in the default cache; in one process's memory, N web processes allow N times the rate."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            f"Throttle counters are kept in {backend.rsplit('.', 1)[-1]}, inside each web process: with several "
            "processes every rate is multiplied by their number, and a restart forgets them.",
            hint="Set REDIS_CACHE_URL (for example redis://127.0.0.1:6379/1) so all web processes share the counters.",
            id="tierplan.W001",
        )
    ]
