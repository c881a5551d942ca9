"""What a review link shows, assembled once for the HTML page and the JSON API."""

from __future__ import annotations

import base64
from typing import Any

from django.core.cache import cache

from apps import costing
from apps.core.pointers import Invalid
from apps.designs.catalog import get_catalog
from apps.designs.document import validate_design
from apps.rendering.engine import RenderError, RenderOptions, engine_version, render
from apps.review import ENGINE_VERSION, review
from apps.review.models import Comment, ShareLink

SNAPSHOT_SECONDS = 3600


def _computed(content_hash: str, design_data: dict[str, Any]) -> dict[str, Any]:
    """Diagram, estimate, curve and findings of one design content (cached by its hash and the engines)."""
    key = f"review-snapshot:{content_hash}:{engine_version()}:{costing.engine_version()}:{ENGINE_VERSION}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    design = validate_design(design_data)
    result: dict[str, Any] = {"findings": review(design)}
    try:
        result["diagram_svg"] = render(design, RenderOptions(format="svg")).decode("utf-8")
    except RenderError as exc:
        result["diagram_svg"], result["diagram_error"] = None, str(exc)
    try:
        result["estimate"] = costing.estimate(design)
        result["curve_svg"] = costing.cost_curve_svg(costing.cost_curve(design, points=40)).decode("utf-8")
    except Invalid as exc:
        result["estimate"], result["curve_svg"], result["estimate_error"] = None, None, str(exc)
    cache.set(key, result, SNAPSHOT_SECONDS)
    return result


def svg_data_uri(svg: str | None) -> str | None:
    """An SVG as an image URI: shown with <img>, it can never run script or reach the network."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii") if svg else None


def comment_as_dict(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "component": comment.component_id or None,
        "revision": comment.revision_number,
        "author_name": comment.author_name,
        "member": comment.author_id is not None,
        "body": comment.body,
        "created_at": comment.created_at.isoformat(),
        "resolved": comment.resolved_at is not None,
        "replies": [comment_as_dict(reply) for reply in comment.replies.all()],
    }


def review_snapshot(link: ShareLink) -> dict[str, Any]:
    """Everything a review link shows: the revision, components by tier, diagram, cost, findings, comments."""
    revision = link.shown_revision()
    design = revision.design
    computed = _computed(revision.content_hash, design)
    catalog = get_catalog()
    tiers = [
        {
            "id": tier["id"],
            "label": tier.get("label") or catalog.tiers[tier["id"]].label,
            "components": [
                {
                    "id": c["id"],
                    "type": c["type"],
                    "type_label": catalog.types[c["type"]].label,
                    "label": c["label"] or catalog.types[c["type"]].label,
                }
                for c in design["components"]
                if c["tier"] == tier["id"]
            ],
        }
        for tier in design["tiers"]
    ]
    comments = link.project.review_comments.filter(parent=None).prefetch_related("replies")
    return {
        "project": {"name": link.project.name},
        "link": {
            "label": link.label,
            "follows_latest": link.revision_id is None,
            "allow_downloads": link.allow_downloads,
            "expires_at": link.expires_at.isoformat() if link.expires_at else None,
        },
        "revision": {
            "number": revision.number,
            "created_at": revision.created_at.isoformat(),
            "message": revision.message,
        },
        "design": design,
        "tiers": tiers,
        "diagram_svg": computed.get("diagram_svg"),
        "estimate": computed.get("estimate"),
        "curve_svg": computed.get("curve_svg"),
        "findings": computed["findings"],
        "comments": [comment_as_dict(c) for c in comments],
    }
