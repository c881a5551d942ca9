"""What a review link shows, assembled once for the HTML page and the JSON API.

Nothing here runs an engine: the diagram, estimate, cost curve and findings are artifacts of jobs
(review.preparation); a part that is not ready yet is reported pending and shown as being prepared.
"""

from __future__ import annotations

import base64
from typing import Any

from apps.designs.catalog import get_catalog
from apps.projects.models import Revision
from apps.review.models import Comment, ShareLink
from apps.review.preparation import PAGE_PARTS, Part, artifact_bytes, artifact_json, parts_prepare

# Members answer reviewers under this name: a review link is anonymous, its viewers need not learn the
# team's usernames.
MEMBER_NAME = "Team member"


def svg_data_uri(svg: str | None) -> str | None:
    """An SVG as an image URI: shown with <img>, it can never run script or reach the network."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii") if svg else None


def comment_as_dict(comment: Comment, *, for_link: bool = False) -> dict[str, Any]:
    """A comment with its replies; ``for_link``: as a review link's (anonymous) viewers see it."""
    member = comment.author_id is not None
    return {
        "id": comment.pk,
        "component": comment.component_id or None,
        "revision": comment.revision_number,
        "author_name": MEMBER_NAME if member and for_link else comment.author_name,
        "member": member,
        "body": comment.body,
        "created_at": comment.created_at.isoformat(),
        "resolved": comment.resolved_at is not None,
        "replies": [comment_as_dict(reply, for_link=for_link) for reply in comment.replies.all()],
    }


def link_comments(link: ShareLink, revision_number: int) -> list[Comment]:
    """The conversation a link shows: comments made through this link on this revision, with their replies.

    Never another link's comments (each link is its own audience), nor those made through this link on
    other revisions (a link that follows the newest revision starts each revision's conversation anew;
    the team keeps the earlier ones in the studio).
    """
    return list(
        link.comments.filter(parent=None, revision_number=revision_number)
        .prefetch_related("replies")
        .order_by("created_at", "id")
    )


def _parts(link: ShareLink, revision: Revision) -> dict[str, Part]:
    return parts_prepare(project=link.project, revision=revision, wanted=PAGE_PARTS, user=link.created_by)


def _ready(parts: dict[str, Part]) -> dict[str, Any]:
    shown: dict[str, Any] = {"diagram_svg": None, "estimate": None, "curve_svg": None, "findings": None}
    diagram = parts["diagram"].artifact("svg")
    if diagram is not None:
        shown["diagram_svg"] = artifact_bytes(diagram).decode("utf-8")
    estimate, curve = parts["estimate"].artifact("json"), parts["estimate"].artifact("svg")
    if estimate is not None:
        shown["estimate"] = {k: v for k, v in artifact_json(estimate).items() if k != "curve"}
    if curve is not None:
        shown["curve_svg"] = artifact_bytes(curve).decode("utf-8")
    findings = parts["findings"].artifact("json")
    if findings is not None:
        shown["findings"] = artifact_json(findings)
    return shown


def review_snapshot(link: ShareLink) -> dict[str, Any]:
    """Everything a review link shows: the revision, components by tier, diagram, cost, findings, comments.

    ``pending`` names the parts still being prepared (their values are None), ``failed`` those that
    could not be made for this revision.
    """
    revision = link.shown_revision()
    design = revision.design
    parts = _parts(link, revision)
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
        **_ready(parts),
        "pending": [name for name, part in parts.items() if part.state == "pending"],
        "failed": [name for name, part in parts.items() if part.state == "failed"],
        "comments": [comment_as_dict(c, for_link=True) for c in link_comments(link, revision.number)],
    }
