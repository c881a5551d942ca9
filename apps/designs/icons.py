"""Service icons for the browser: ``CatalogIconFinder`` and the icons' static URLs. Needs Django.

``CatalogIconFinder`` is a staticfiles finder that exposes exactly the icons the catalog uses under
``static/icons/<provider>/<category>/<file>.png``: runserver serves them in development and
``collectstatic`` copies them for production like any other static file. The catalog API gives each
type's ``icon_url``.

Which class draws a type and where its icon file lies is ``apps.designs.diagram_icons``, which knows
nothing of Django so the render engine and the CLI can use it without settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage
from django.templatetags.static import static

from apps.designs.catalog import ComponentType, get_catalog
from apps.designs.diagram_icons import (
    GENERIC_RESOURCE_ICON,
    RESOURCE_ICONS,
    SERVICE_ICONS,
    diagrams_resources_root,
    icon_file,
    icon_path_of,
    icon_relative_path,
    node_class_at,
)

ICON_PREFIX = "icons"


def icon_url(component_type: ComponentType) -> str:
    """The URL a browser fetches the type's icon from, e.g. ``/static/icons/aws/compute/lambda.png``."""
    return static(f"{ICON_PREFIX}/{icon_relative_path(component_type)}")


def _static_url(relative: str) -> str:
    return static(f"{ICON_PREFIX}/{relative}")


@cache
def resource_icon_urls() -> dict[str, Any]:
    """The icons a generic CloudFormation resource is drawn with in the browser, as the renderer picks
    them (``icon_for_resource_type``): by resource type, by service, and the generic one."""

    def url(path: str) -> str:
        return _static_url(icon_path_of(node_class_at(path)))

    return {
        "resources": {name: url(path) for name, path in RESOURCE_ICONS.items()},
        "services": {name: url(path) for name, path in SERVICE_ICONS.items()},
        "generic": url(GENERIC_RESOURCE_ICON),
    }


@cache
def _catalog_icons() -> dict[str, Path]:
    icons = {icon_relative_path(ctype): icon_file(ctype) for ctype in get_catalog()}
    root = diagrams_resources_root() / "resources"
    for path in (GENERIC_RESOURCE_ICON, *RESOURCE_ICONS.values(), *SERVICE_ICONS.values()):
        relative = icon_path_of(node_class_at(path))
        icons[relative] = root / relative
    return icons


class _IconStorage(FileSystemStorage):
    prefix = ICON_PREFIX


class CatalogIconFinder(BaseFinder):
    """Finds ``icons/...`` static paths among the catalog's icons in the `diagrams` package."""

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        found: list[str] = []
        prefix = ICON_PREFIX + "/"
        if path.startswith(prefix):
            icon = _catalog_icons().get(path[len(prefix) :])
            if icon is not None and icon.is_file():
                found.append(str(icon))
        if find_all or not found:
            return found  # Django's finders answer [] for "not here", even when find_all is False
        return found[0]

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        storage = _IconStorage(location=str(diagrams_resources_root() / "resources"))
        for relative in sorted(_catalog_icons()):
            yield relative, storage
