"""Refresh the pricing snapshot from AWS Price List offer files (the bulk JSON format). Pure Python.

An offer file holds one service's prices: ``{"offerCode", "publicationDate", "products": {sku:
{"attributes": {...}}}, "terms": {"OnDemand": {sku: {offerTermCode: {"priceDimensions": {rateCode:
{"unit", "pricePerUnit": {"USD"}, "beginRange", "endRange", "description"}}}}}}}``. A snapshot meter
names the product it comes from (``offer: {code, attributes}``); ``refresh_snapshot`` finds that
product for the snapshot's region and rewrites the meter's tiers from its price dimensions.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import yaml


class OfferError(ValueError):
    """The offer file is not in the Price List bulk format (or is for another region)."""


def _matches(attributes: Mapping[str, Any], wanted: Mapping[str, Any], region: str) -> bool:
    if attributes.get("regionCode", region) != region:
        return False
    return all(str(attributes.get(name)) == str(value) for name, value in wanted.items())


def _dimensions(terms: Mapping[str, Any], sku: str) -> list[Mapping[str, Any]]:
    """The price dimensions of the SKU's on-demand term (the most recent one if there are several)."""
    offers = terms.get(sku)
    if not isinstance(offers, Mapping) or not offers:
        raise OfferError(f"no on-demand term for SKU {sku}")
    term = max(offers.values(), key=lambda entry: str(entry.get("effectiveDate", "")))
    dimensions = list((term.get("priceDimensions") or {}).values())
    if not dimensions:
        raise OfferError(f"SKU {sku} has no price dimensions")
    return sorted(dimensions, key=lambda dimension: Decimal(str(dimension.get("beginRange", "0"))))


def _tiers(
    dimensions: list[Mapping[str, Any]], unit_size: Decimal, *, has_free_tier: bool
) -> tuple[list[list[Any]], str]:
    """Snapshot tiers ([up_to, price per billing unit]) from price dimensions, and a note on what changed."""
    note = ""
    offset = Decimal(0)
    first = dimensions[0]
    if has_free_tier and len(dimensions) > 1 and Decimal(first["pricePerUnit"]["USD"]) == 0:
        # The snapshot applies free allowances itself (and only when asked), so a zero-priced first band
        # is dropped and the later bounds are counted from its end, as the estimator counts them.
        offset = Decimal(str(first["endRange"]))
        dimensions = dimensions[1:]
        note = f" (dropped a free first band of {offset})"
    tiers: list[list[Any]] = []
    for dimension in dimensions:
        end = str(dimension.get("endRange", "Inf"))
        price = Decimal(str(dimension["pricePerUnit"]["USD"])) * unit_size
        up_to = None if end in ("Inf", "") else float(Decimal(end) - offset)
        tiers.append([up_to, float(price.normalize())])
    tiers[-1][0] = None
    return tiers, note


def refresh_snapshot(snapshot: Mapping[str, Any], offer: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A copy of the snapshot data with every meter mapped to this offer re-read from it, and a report.

    Meters whose product is missing or ambiguous keep their prices and are named in the report. The
    snapshot date becomes the offer's publication date when at least one meter was refreshed.
    """
    if not isinstance(offer.get("products"), Mapping) or not isinstance(offer.get("terms"), Mapping):
        raise OfferError("not an AWS Price List offer file (products and terms are required)")
    on_demand = offer["terms"].get("OnDemand")
    if not isinstance(on_demand, Mapping):
        raise OfferError("the offer file has no OnDemand terms")
    code = offer.get("offerCode")
    published = str(offer.get("publicationDate", ""))
    region = snapshot["region"]
    data = copy.deepcopy(dict(snapshot))
    report: list[str] = []
    refreshed = 0
    for meter_id, meter in data["meters"].items():
        spec = meter.get("offer")
        if not spec or spec.get("code") != code:
            continue
        skus = sorted(
            sku
            for sku, product in offer["products"].items()
            if _matches(product.get("attributes") or {}, spec.get("attributes") or {}, region)
        )
        if len(skus) != 1:
            found = "no product" if not skus else f"{len(skus)} products ({', '.join(skus)})"
            report.append(f"{meter_id}: kept, {found} in {code} match {dict(spec.get('attributes') or {})} in {region}")
            continue
        sku = skus[0]
        dimensions = _dimensions(on_demand, sku)
        tiers, note = _tiers(
            dimensions, Decimal(str(meter["unit_size"])), has_free_tier=meter.get("free_tier") is not None
        )
        old = meter.get("tiers")
        meter["tiers"] = tiers
        meter["verified"] = True
        meter["evidence"] = f"AWS Price List offer file {code}, SKU {sku}, published {published or 'unknown'}."
        refreshed += 1
        change = "unchanged" if old == tiers else f"{old} -> {tiers}"
        report.append(f"{meter_id}: SKU {sku} {change}{note}")
    if refreshed and published:
        data["date"] = published[:10]
    if not refreshed:
        report.append(f"no meter of the snapshot maps to offer {code!r}")
    return data, report


def dump_snapshot(data: Mapping[str, Any], *, header: str = "") -> str:
    """YAML text of snapshot data, after ``header`` (the original file's leading comment block)."""
    body = yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, width=120, default_flow_style=None)
    return f"{header}{body}"


def leading_comments(text: str) -> str:
    """The comment block at the top of a YAML file (kept when the snapshot is rewritten)."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.startswith("#") or not line.strip():
            lines.append(line)
        else:
            break
    return "".join(lines)
