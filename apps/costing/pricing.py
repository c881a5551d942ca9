"""The pricing snapshot: every unit price the estimator uses, read from ``data/pricing-<region>.yaml``.

Pure Python, no Django. A snapshot is data (like the catalog): meters with their unit, volume tiers,
free-tier allowance, source URL and whether the figure was verified against a stored AWS page.
Instance tables (RDS, ElastiCache, OpenSearch, the API Gateway cache) become meters too, so the
estimator prices everything the same way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from apps.core.strict_yaml import load_strict

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_SNAPSHOT = DATA_DIR / "pricing-us-east-1.yaml"
FREE_TIER_KINDS = ("always", "12_months")


@dataclass(frozen=True)
class Tier:
    """One volume band: ``price`` per billing unit until the cumulative raw quantity ``up_to``."""

    up_to: float | None
    price: float


@dataclass(frozen=True)
class FreeTier:
    amount: float
    kind: str
    pool: str


@dataclass(frozen=True)
class Meter:
    """One billable dimension, e.g. Lambda x86 GB-seconds."""

    id: str
    service: str
    description: str
    unit: str
    unit_size: float
    tiers: tuple[Tier, ...]
    source: str
    verified: bool
    evidence: str = ""
    free_tier: FreeTier | None = None

    def cost(self, raw_quantity: float) -> tuple[float, list[tuple[float, float]]]:
        """USD for ``raw_quantity`` raw units through the tiers, and the (billing units, price) per band used."""
        remaining = raw_quantity
        lower = 0.0
        total = 0.0
        bands: list[tuple[float, float]] = []
        for tier in self.tiers:
            if remaining <= 0:
                break
            width = math.inf if tier.up_to is None else max(tier.up_to - lower, 0.0)
            used = min(remaining, width)
            if used > 0:
                units = used / self.unit_size
                total += units * tier.price
                bands.append((units, tier.price))
                remaining -= used
            if tier.up_to is not None:
                lower = tier.up_to
        return total, bands


@dataclass(frozen=True)
class PricingSnapshot:
    """All prices for one region on one date."""

    region: str
    location: str
    currency: str
    date: str
    hours_per_month: float
    meters: Mapping[str, Meter]
    rds_vcpus: Mapping[str, int] = field(default_factory=dict)

    def meter(self, meter_id: str) -> Meter | None:
        return self.meters.get(meter_id)


class SnapshotError(ValueError):
    """The snapshot file is inconsistent (a programming or data error, not a user error)."""


def _tiers(raw: Sequence[Any], where: str) -> tuple[Tier, ...]:
    tiers = []
    previous = 0.0
    for index, entry in enumerate(raw):
        if not isinstance(entry, Sequence) or len(entry) != 2:
            raise SnapshotError(f"{where}: tier {index} must be [up_to, price]")
        up_to, price = entry
        if not isinstance(price, (int, float)) or isinstance(price, bool) or price < 0 or not math.isfinite(price):
            raise SnapshotError(f"{where}: tier {index} has an invalid price {price!r}")
        if up_to is not None:
            if not isinstance(up_to, (int, float)) or up_to <= previous:
                raise SnapshotError(f"{where}: tier bounds must increase (tier {index})")
            previous = float(up_to)
        elif index != len(raw) - 1:
            raise SnapshotError(f"{where}: only the last tier may be open-ended")
        tiers.append(Tier(None if up_to is None else float(up_to), float(price)))
    if not tiers or tiers[-1].up_to is not None:
        raise SnapshotError(f"{where}: the last tier must be open-ended (up_to null)")
    return tuple(tiers)


def _meter(meter_id: str, raw: Mapping[str, Any]) -> Meter:
    where = f"meter {meter_id}"
    try:
        free = raw.get("free_tier")
        free_tier = None
        if free is not None:
            if free["kind"] not in FREE_TIER_KINDS:
                raise SnapshotError(f"{where}: free_tier kind must be one of {FREE_TIER_KINDS}")
            free_tier = FreeTier(float(free["amount"]), free["kind"], free.get("pool", meter_id))
        unit_size = float(raw["unit_size"])
        if unit_size <= 0:
            raise SnapshotError(f"{where}: unit_size must be positive")
        return Meter(
            id=meter_id,
            service=raw["service"],
            description=raw["description"],
            unit=raw["unit"],
            unit_size=unit_size,
            tiers=_tiers(raw["tiers"], where),
            source=raw["source"],
            verified=bool(raw["verified"]),
            evidence=" ".join(str(raw.get("evidence", "")).split()),
            free_tier=free_tier,
        )
    except KeyError as exc:
        raise SnapshotError(f"{where}: missing {exc.args[0]}") from None


def _flat(
    meter_id: str,
    service: str,
    description: str,
    unit: str,
    price: float,
    source: str,
    verified: bool,
    evidence: str = "",
) -> Meter:
    return Meter(meter_id, service, description, unit, 1.0, (Tier(None, float(price)),), source, verified, evidence)


def _evidence(table: Mapping[str, Any]) -> str:
    """A table's evidence on one line, as the meters' own evidence is."""
    return " ".join(str(table.get("evidence", "")).split())


def _instance_meters(raw: Mapping[str, Any]) -> dict[str, Meter]:
    """Meters for the hourly instance tables: ``rds.<engine>.<class>.<az>``, ``elasticache.<engine>.<node>``…"""
    meters: dict[str, Meter] = {}
    instances = raw.get("instances") or {}
    rds = instances.get("rds")
    if rds:
        for engine, classes in rds["prices"].items():
            for instance_class, prices in classes.items():
                for az, price in prices.items():
                    label = "Multi-AZ" if az == "multi_az" else "Single-AZ"
                    meter_id = f"rds.{engine}.{instance_class}.{az}"
                    meters[meter_id] = _flat(
                        meter_id, rds["service"], f"{instance_class} ({engine}, {label})", rds["unit"], price,
                        rds["source"], bool(rds["verified"]), _evidence(rds),
                    )  # fmt: skip
    elasticache = instances.get("elasticache")
    if elasticache:
        for engine, nodes in elasticache["prices"].items():
            for node_type, price in nodes.items():
                meter_id = f"elasticache.{engine}.{node_type}"
                meters[meter_id] = _flat(
                    meter_id, elasticache["service"], f"{node_type} ({engine})", elasticache["unit"], price,
                    elasticache["source"], bool(elasticache["verified"]), _evidence(elasticache),
                )  # fmt: skip
    opensearch = instances.get("opensearch")
    if opensearch:
        for instance_type, price in opensearch["prices"]["default"].items():
            meter_id = f"opensearch.{instance_type}"
            meters[meter_id] = _flat(
                meter_id, opensearch["service"], f"{instance_type} data nodes", opensearch["unit"], price,
                opensearch["source"], bool(opensearch["verified"]),
            )  # fmt: skip
    cache_table = raw.get("apigw_cache")
    if cache_table:
        verified_sizes = {str(size) for size in cache_table.get("verified_sizes", [])}
        for size, price in cache_table["prices"].items():
            meter_id = f"apigw.rest.cache.{size}"
            meters[meter_id] = _flat(
                meter_id, cache_table["service"], f"REST API cache ({size} GB)", cache_table["unit"], price,
                cache_table["source"], str(size) in verified_sizes,
            )  # fmt: skip
    return meters


def _check_pools(meters: Mapping[str, Meter]) -> None:
    """Meters sharing a free-tier pool must agree on the allowance and its kind."""
    pools: dict[str, tuple[float, str, str]] = {}
    for meter in meters.values():
        if meter.free_tier is None:
            continue
        seen = pools.setdefault(meter.free_tier.pool, (meter.free_tier.amount, meter.free_tier.kind, meter.id))
        if seen[:2] != (meter.free_tier.amount, meter.free_tier.kind):
            raise SnapshotError(
                f"meters {seen[2]} and {meter.id} share free-tier pool {meter.free_tier.pool} but differ"
            )


def parse_snapshot(raw: Mapping[str, Any]) -> PricingSnapshot:
    """Build a snapshot from its YAML data, failing loudly on an inconsistent entry."""
    try:
        meters = {meter_id: _meter(meter_id, entry) for meter_id, entry in raw["meters"].items()}
        meters.update(_instance_meters(raw))
        _check_pools(meters)
        vcpus = dict(((raw.get("instances") or {}).get("rds") or {}).get("vcpus") or {})
        return PricingSnapshot(
            region=str(raw["region"]),
            location=str(raw.get("location", "")),
            currency=str(raw["currency"]),
            date=str(raw["date"]),
            hours_per_month=float(raw.get("hours_per_month", 730)),
            meters=meters,
            rds_vcpus=vcpus,
        )
    except KeyError as exc:
        raise SnapshotError(f"pricing snapshot: missing {exc.args[0]}") from None


def read_snapshot_data(path: Path) -> dict[str, Any]:
    """The raw YAML mapping of a snapshot file (what the offer-file loader rewrites)."""
    with path.open(encoding="utf-8") as handle:
        data = load_strict(handle)
    if not isinstance(data, dict):
        raise SnapshotError(f"{path}: a pricing snapshot must be a mapping")
    return data


@cache
def load_snapshot(path: Path = DEFAULT_SNAPSHOT) -> PricingSnapshot:
    """The snapshot in ``path`` (parsed once per process and path)."""
    return parse_snapshot(read_snapshot_data(path))


def default_snapshot() -> PricingSnapshot:
    """The us-east-1 snapshot shipped with Tierplan."""
    return load_snapshot(DEFAULT_SNAPSHOT)
