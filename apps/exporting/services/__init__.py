"""The emitters, one module per service family, and the registry the writers look types up in.

Adding a component type: its catalog entry, a ``Service`` in the family module it belongs to (or a
new module in this package, found by its ``SERVICES``), its cost model and prices, and tests. ``tests/exporting/test_registry.py``
fails while a catalog type has no emitter.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from apps.exporting.plan import ExportError
from apps.exporting.services.base import Service


def _families() -> tuple[ModuleType, ...]:
    """Every module of this package that declares ``SERVICES``: a new family module is found by being here."""
    modules = (importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__))
    return tuple(sorted((m for m in modules if hasattr(m, "SERVICES")), key=lambda m: m.__name__))


FAMILIES = _families()

SERVICES: dict[str, Service] = {}
for _family in FAMILIES:
    for _service in _family.SERVICES:
        if _service.type in SERVICES:  # two emitters for one type: fail at import, not in an export
            raise ValueError(f"two emitters for component type {_service.type!r}")
        SERVICES[_service.type] = _service


def service_for(type_id: str) -> Service:
    """The emitter of a component type; a type without one is refused, never silently left out."""
    try:
        return SERVICES[type_id]
    except KeyError:
        raise ExportError(f"component type {type_id!r} has no exporter yet") from None
