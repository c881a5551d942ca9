"""System checks: a broken catalog or pattern file stops `manage.py check`, `runserver` and the tests."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register


@register()
def catalog_and_patterns_load(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from apps.designs.catalog import get_catalog
    from apps.designs.patterns import pattern_library

    try:
        get_catalog()
        pattern_library()
    except (ValueError, KeyError, OSError) as exc:
        return [Error(f"The component catalog or pattern library cannot be loaded: {exc}", id="designs.E001")]
    return []
