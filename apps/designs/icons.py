"""Service icons come from the installed `diagrams` package, never copied into the repository.

``CatalogIconFinder`` is a staticfiles finder that exposes exactly the icons the catalog uses under
``static/icons/<provider>/<category>/<file>.png``: runserver serves them in development and
``collectstatic`` copies them for production like any other static file.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage
from django.templatetags.static import static

from apps.designs.catalog import ComponentType, get_catalog

ICON_PREFIX = "icons"


@cache
def diagrams_resources_root() -> Path:
    """The folder that holds the `diagrams` package's ``resources/`` icon tree."""
    import diagrams

    return Path(diagrams.__file__).resolve().parent.parent


def node_class(component_type: ComponentType) -> Any:
    module_name, class_name = component_type.icon_class
    return getattr(importlib.import_module(module_name), class_name)


def icon_relative_path(component_type: ComponentType) -> str:
    """Path of the type's icon below the resources folder, e.g. ``aws/compute/lambda.png``."""
    cls = node_class(component_type)
    icon_dir = Path(cls._icon_dir)  # e.g. resources/aws/compute
    return (Path(*icon_dir.parts[1:]) / cls._icon).as_posix()


def icon_file(component_type: ComponentType) -> Path:
    return diagrams_resources_root() / "resources" / icon_relative_path(component_type)


def icon_url(component_type: ComponentType) -> str:
    return static(f"{ICON_PREFIX}/{icon_relative_path(component_type)}")


@cache
def _catalog_icons() -> dict[str, Path]:
    return {icon_relative_path(ctype): icon_file(ctype) for ctype in get_catalog()}


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
