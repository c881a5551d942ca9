"""The review page: a read-only view of one revision for people without an account."""

from __future__ import annotations

import io
import zipfile

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.errors import ApiError
from apps.designs.document import validate_design
from apps.exporting.engine import ExportError, export_zip
from apps.rendering.engine import RenderError, RenderOptions
from apps.rendering.engine import render as render_design
from apps.review import services as review_services
from apps.review.models import ShareLink
from apps.review.selectors import review_snapshot, svg_data_uri

REVIEW_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "private, no-store",
}
DOWNLOADS = {
    "svg": ("image/svg+xml", "svg"),
    "png": ("image/png", "png"),
    "sam": ("application/zip", "zip"),
    "cdk-python": ("application/zip", "zip"),
}


def _link(token: str) -> ShareLink:
    link = review_services.share_link_find(token=token)
    if link is None:
        raise Http404("No review here.")
    return link


def _with_headers(response: HttpResponse) -> HttpResponse:
    for name, value in REVIEW_HEADERS.items():
        response[name] = value
    return response


@require_http_methods(["GET", "HEAD"])
def review_page(request: HttpRequest, token: str, errors: dict[str, str] | None = None) -> HttpResponse:
    link = _link(token)
    snapshot = review_snapshot(link)
    components = {c["id"]: c for tier in snapshot["tiers"] for c in tier["components"]}
    findings = [
        {**f, "component_labels": [components[i]["label"] for i in f["components"] if i in components]}
        for f in snapshot["findings"]
    ]
    estimate = snapshot["estimate"]
    costs = {c["id"]: c["monthly_usd"] for c in estimate["components"]} if estimate else {}
    context = {
        "token": token,
        "snapshot": snapshot,
        "findings": findings,
        "diagram_uri": svg_data_uri(snapshot["diagram_svg"]),
        "curve_uri": svg_data_uri(snapshot["curve_svg"]),
        "costs": costs,
        "downloads": list(DOWNLOADS) if link.allow_downloads else [],
        "errors": errors or {},
    }
    return _with_headers(render(request, "review/page.html", context, status=400 if errors else 200))


# No CSRF check here, on purpose: the page sends Referrer-Policy: no-referrer, so browsers post with
# "Origin: null", and the endpoint grants nothing a forged request could abuse: it uses no session or
# cookie, only the link's token, which the poster must already hold.
@csrf_exempt
@require_POST
def review_comment(request: HttpRequest, token: str) -> HttpResponse:
    link = _link(token)
    revision = link.shown_revision()
    try:
        review_services.comment_create(
            project=link.project,
            share_link=link,
            revision_number=revision.number,
            author_name=request.POST.get("author_name", ""),
            body=request.POST.get("body", ""),
            component_id=request.POST.get("component", ""),
            components={c["id"] for c in revision.design["components"]},
        )
    except ApiError as exc:
        errors = {d.pointer.strip("/"): d.message for d in exc.details} or {"body": exc.message}
        request.method = "GET"  # show the page again, with the errors beside the fields
        return review_page(request, token, errors)
    return _with_headers(redirect(f"/review/{token}/#comments"))


@require_http_methods(["GET", "HEAD"])
def review_download(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    link = _link(token)
    if not link.allow_downloads or fmt not in DOWNLOADS:
        raise Http404("No such download.")
    revision = link.shown_revision()
    design = validate_design(revision.design)
    try:
        if fmt in ("svg", "png"):
            data = render_design(design, RenderOptions(format=fmt))
        else:
            data = export_zip(design, fmt)
            zipfile.ZipFile(io.BytesIO(data))  # sanity: a whole archive
    except (RenderError, ExportError) as exc:
        return _with_headers(
            HttpResponse(
                f"This revision cannot be downloaded as {fmt}: {exc}",
                status=409,
                content_type="text/plain; charset=utf-8",
            )
        )
    content_type, extension = DOWNLOADS[fmt]
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="review-r{revision.number}-{fmt}.{extension}"'
    response["Content-Security-Policy"] = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
    return _with_headers(response)
