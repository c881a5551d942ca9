"""The review page: a read-only view of one revision for people without an account.

No engine runs here: what the page and its downloads show are artifacts of jobs (review.preparation);
until they exist the page says what is being prepared and a download answers 202 with Retry-After.
Every view is throttled per client address with the review API's scope and counter, unknown tokens
included, and comment posts also with the comment scope (review.throttling).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.errors import ApiError
from apps.core.throttling import throttled
from apps.review import services as review_services
from apps.review.models import ShareLink
from apps.review.preparation import DOWNLOAD_PARTS, RETRY_AFTER_SECONDS, artifact_bytes, parts_prepare
from apps.review.selectors import review_snapshot, svg_data_uri
from apps.review.throttling import COMMENT_SCOPE, client_key

REVIEW_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "private, no-store",
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


def _page(
    request: HttpRequest, link: ShareLink, token: str, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    snapshot = review_snapshot(link)
    estimate = snapshot["estimate"]
    costs = {c["id"]: c["monthly_usd"] for c in estimate["components"]} if estimate else {}
    context = {
        "token": token,
        "snapshot": snapshot,
        "findings": snapshot["findings"] or [],
        "diagram_uri": svg_data_uri(snapshot["diagram_svg"]),
        "curve_uri": svg_data_uri(snapshot["curve_svg"]),
        "costs": costs,
        "pending": set(snapshot["pending"]),
        "cost_pending": "estimate" in snapshot["pending"],
        "failed": set(snapshot["failed"]),
        "downloads": list(DOWNLOAD_PARTS) if link.allow_downloads else [],
        "errors": errors or {},
    }
    return _with_headers(render(request, "review/page.html", context, status=status))


@throttled("review")
@require_http_methods(["GET", "HEAD"])
def review_page(request: HttpRequest, token: str) -> HttpResponse:
    return _page(request, _link(token), token)


# No CSRF check here, on purpose: the page sends Referrer-Policy: no-referrer, so browsers post with
# "Origin: null", and the endpoint grants nothing a forged request could abuse: it uses no session or
# cookie, only the link's token, which the poster must already hold.
@csrf_exempt
@throttled("review")
@throttled(COMMENT_SCOPE, methods=["POST"])  # far below the page's rate
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
            client_key=client_key(request),
        )
    except ApiError as exc:
        # The page again, with the errors beside the fields (a full link or address says so in "body").
        errors = {d.pointer.strip("/"): d.message for d in exc.details} or {"body": exc.message}
        return _page(request, link, token, errors, status=exc.status_code)
    return _with_headers(redirect(f"/review/{token}/#comments"))


@throttled("review")
@require_http_methods(["GET", "HEAD"])
def review_download(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    link = _link(token)
    if not link.allow_downloads or fmt not in DOWNLOAD_PARTS:
        raise Http404("No such download.")
    revision = link.shown_revision()
    part = parts_prepare(
        project=link.project, revision=revision, wanted={fmt: DOWNLOAD_PARTS[fmt]}, user=link.created_by
    )[fmt]
    if part.state == "failed":
        return _with_headers(
            HttpResponse(
                f"This revision cannot be downloaded as {fmt}: {part.error}",
                status=409,
                content_type="text/plain; charset=utf-8",
            )
        )
    if part.state == "pending":
        context = {"token": token, "fmt": fmt, "revision": revision.number, "retry_after": RETRY_AFTER_SECONDS}
        response = render(request, "review/preparing.html", context, status=202)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return _with_headers(response)
    artifact = part.artifacts[0]
    # Read whole: an artifact is bounded by its engine (Cairo caps a PNG's size; exports are small zips).
    response = HttpResponse(artifact_bytes(artifact), content_type=artifact.content_type)
    response["Content-Disposition"] = f'attachment; filename="review-r{revision.number}-{fmt}.{artifact.extension}"'
    response["Content-Security-Policy"] = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
    return _with_headers(response)
