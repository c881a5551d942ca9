"""The emitters, one module per service family, and the registry the writers look types up in.

Adding a component type: its catalog entry, a ``Service`` in the family module it belongs to (or a
new module listed here), its cost model and prices, and tests. ``tests/exporting/test_registry.py``
fails while a catalog type has no emitter.
"""

from __future__ import annotations

from apps.exporting.plan import ExportError
from apps.exporting.services import (
    ai,
    apis,
    applications,
    batch,
    brokers,
    clusters,
    containers,
    delivery,
    events,
    files,
    firewall,
    functions,
    generic,
    governance,
    identity,
    iot,
    keys,
    layers,
    load_balancing,
    messaging,
    monitoring,
    observability,
    realtime,
    search,
    secrets,
    stores,
    web,
    workflows,
)
from apps.exporting.services.base import Service

FAMILIES = (
    ai,
    apis,
    applications,
    batch,
    brokers,
    clusters,
    containers,
    delivery,
    events,
    files,
    firewall,
    functions,
    generic,
    identity,
    iot,
    layers,
    load_balancing,
    messaging,
    monitoring,
    observability,
    realtime,
    search,
    secrets,
    stores,
    web,
    workflows,
    governance,
    keys,
)

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
