"""Browser pages. The full design studio grows here; for now the dashboard and a project page."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST
from rest_framework.exceptions import APIException

from apps.core.auth import signed_in
from apps.jobs.services import job_request
from apps.projects import selectors
from apps.projects.models import Membership, Project
from apps.review.services import comment_resolve, share_link_create

# The job buttons of the project page: label → (kind, params).
ACTIONS: dict[str, tuple[str, str, dict[str, object]]] = {
    "render-svg": ("Render SVG", "render", {"format": "svg"}),
    "render-png": ("Render PNG", "render", {"format": "png"}),
    "render-pdf": ("Render PDF", "render", {"format": "pdf"}),
    "export-sam": ("Export SAM", "export", {"format": "sam"}),
    "export-cdk": ("Export CDK (Python)", "export", {"format": "cdk-python"}),
    "estimate": ("Estimate cost", "estimate", {}),
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    context = {
        "teams": selectors.teams_of(user=signed_in(request)).prefetch_related("memberships__user"),
        "projects": selectors.projects_of(user=signed_in(request), search=query)[:200],
        "query": query,
    }
    return render(request, "studio/home.html", context)


def _project(request: HttpRequest, project_id: int) -> tuple[Project, Membership]:
    try:
        return selectors.project_get(user=signed_in(request), project_id=project_id)
    except APIException:
        raise Http404("No such project") from None


@login_required
def project_page(request: HttpRequest, project_id: int) -> HttpResponse:
    project, membership = _project(request, project_id)
    jobs = project.jobs.select_related("revision", "requested_by").prefetch_related(
        "artifacts__job__revision", "artifacts__project"
    )[:50]
    context = {
        "project": project,
        "role": membership.role,
        "revisions": project.revisions.select_related("author").order_by("-number")[:20],
        "jobs": jobs,
        "actions": {key: label for key, (label, _, _) in ACTIONS.items()},
        "refresh": any(not job.finished for job in jobs),
        "comments": project.review_comments.filter(parent=None)
        .prefetch_related("replies")
        .order_by("resolved_at", "-created_at"),
        "share_links": project.share_links.filter(revoked_at=None).select_related("revision"),
        "can_write": membership.can("write"),
        "new_link": request.session.pop(f"new-share-link-{project.pk}", None),
    }
    return render(request, "studio/project.html", context)


@login_required
@ensure_csrf_cookie
def project_editor(request: HttpRequest, project_id: int) -> HttpResponse:
    """The design studio (a React app built from frontend/ into static/studio/dist/); it talks to the API
    with this session. Viewers get it read-only; the API refuses their writes anyway."""
    project, membership = _project(request, project_id)
    context = {"project": project, "role": membership.role, "read_only": not membership.can("write")}
    return render(request, "studio/editor.html", context)


@login_required
@require_POST
def project_share(request: HttpRequest, project_id: int) -> HttpResponse:
    """Create a review link (editors); its URL is shown once, on the next page load."""
    user = signed_in(request)
    project, membership = _project(request, project_id)
    if not membership.can("write"):
        raise Http404("No such project")
    revision = project.head if request.POST.get("pin") == "1" else None
    link, token = share_link_create(
        project=project,
        user=user,
        revision=revision,
        label=request.POST.get("label", "")[:200],
        allow_downloads=request.POST.get("downloads") == "1",
    )
    request.session[f"new-share-link-{project.pk}"] = request.build_absolute_uri(f"/review/{token}/")
    return redirect("studio-project", project_id=project.pk)


@login_required
@require_POST
def project_comment_resolve(request: HttpRequest, project_id: int, comment_id: int) -> HttpResponse:
    user = signed_in(request)
    project, membership = _project(request, project_id)
    comment = project.review_comments.filter(pk=comment_id).first()
    if comment is None or not membership.can("write"):
        raise Http404("No such comment")
    comment_resolve(comment=comment, user=user, resolved=request.POST.get("resolved", "1") == "1")
    return redirect("studio-project", project_id=project.pk)


@login_required
@require_POST
def project_job(request: HttpRequest, project_id: int) -> HttpResponse:
    project, _ = _project(request, project_id)
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, "Unknown action.")
        return redirect("studio-project", project_id=project.pk)
    label, kind, params = action
    try:
        job, cached = job_request(
            project=project, revision=project.head, kind=kind, params=params, user=signed_in(request)
        )
    except APIException as exc:
        messages.error(request, str(getattr(exc, "message", exc.detail)))
    else:
        state = "was already done" if cached else "is queued"
        messages.success(request, f"{label} of revision {job.revision.number} {state}.")
    return redirect("studio-project", project_id=project.pk)


def _writable_teams(request: HttpRequest) -> list[Membership]:
    memberships = Membership.objects.filter(user=signed_in(request)).select_related("team").order_by("team__name")
    return [m for m in memberships if m.can("write")]


def _pattern_card(pattern: Any) -> dict[str, Any]:
    """A pattern of the gallery with its cost at the pattern's own (default) traffic, cached per pattern."""
    from apps import costing

    key = f"studio-pattern-cost:{pattern.slug}:{costing.engine_version()}"
    total = cache.get(key)
    if total is None:
        try:
            total = costing.estimate(pattern.design)["total_monthly_usd"]
        except Exception:  # an estimate problem must not hide the pattern
            total = ""
        cache.set(key, total, 3600)
    return {"slug": pattern.slug, "name": pattern.name, "summary": pattern.summary, "tags": pattern.tags,
            "components": len(pattern.design.components), "monthly_usd": total}  # fmt: skip


@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    """New project: a blank design or one from the pattern gallery (diagram, summary and cost of each), then
    straight into the editor."""
    from apps.designs.patterns import PatternNotFound, get_pattern, pattern_library

    teams = _writable_teams(request)
    error = ""
    imported: dict[str, str] = {}
    if request.method == "POST" and request.POST.get("import"):
        answer, imported = _import_from_form(request, teams)
        if answer is not None:
            return answer
    elif request.method == "POST":
        name = request.POST.get("name", "").replace("\x00", "").strip()[:200]
        slug = request.POST.get("pattern", "").strip()
        membership = _chosen_team(teams, request.POST.get("team", ""))
        design = None
        if slug:
            try:
                design = get_pattern(slug).design
            except PatternNotFound:
                error = "No such pattern."
        if membership is None:
            error = "You can only create projects in a team where you are an editor or owner."
        if not error and membership is not None:
            from apps.projects import services

            project = services.project_create(
                team=membership.team,
                user=signed_in(request),
                name=name or (design.name if design else "Untitled design"),
                design=design,
                message=f"Created from the {slug} pattern" if design else "",
            )
            return redirect("studio-editor", project_id=project.pk)
    context = {
        "patterns": [_pattern_card(p) for p in pattern_library().values()],
        "teams": teams,
        "teams_json": json.dumps([{"id": m.team_id, "name": m.team.name} for m in teams]),
        "error": error,
        "imported": imported,
    }
    return render(request, "studio/new_project.html", context, status=400 if error or imported else 200)


def _chosen_team(teams: list[Membership], team_id: str) -> Membership | None:
    """The team named in a form, if this person may write there; none named: the first such."""
    if team_id:
        return next((m for m in teams if str(m.team_id) == team_id), None)
    return teams[0] if teams else None


def _import_from_form(request: HttpRequest, teams: list[Membership]) -> tuple[HttpResponse | None, dict[str, str]]:
    """The import form without JavaScript: import and open the editor, or say what is wrong (and keep the
    pasted text). The page's script does the same through the API, with a preview first."""
    from apps.core.throttling import ImportThrottle, too_many_requests
    from apps.designs.document import DesignInvalid
    from apps.importing.loader import MAX_BYTES, TemplateRefused
    from apps.importing.services import project_import

    throttle = ImportThrottle()
    if not throttle.allow_request(request, None):
        return too_many_requests(request, throttle.wait()), {}
    text = request.POST.get("template", "")
    upload = request.FILES.get("file")
    membership = _chosen_team(teams, request.POST.get("team", ""))
    failed = {"text": text}
    if membership is None:
        return None, {**failed, "error": "You can only create projects in a team where you are an editor or owner."}
    if upload is None and not text.strip():
        return None, {**failed, "error": "Choose a template file or paste a template."}
    if upload is not None and upload.size is not None and upload.size > MAX_BYTES:
        return None, {
            **failed,
            "error": f"The template is {upload.size:,} bytes; at most {MAX_BYTES:,} (1 MB) are read.",
        }
    try:
        project, _ = project_import(
            team=membership.team,
            user=signed_in(request),
            raw=upload.read() if upload is not None else text,
            name=request.POST.get("name", ""),
            file_name=upload.name or "" if upload is not None else "",
        )
    except (TemplateRefused, DesignInvalid) as exc:
        return None, {**failed, "error": f"The template cannot be imported: {exc}."}
    return redirect("studio-editor", project_id=project.pk), {}


@login_required
def pattern_diagram(request: HttpRequest, slug: str) -> HttpResponse:
    """The diagram of a pattern (SVG, for <img> thumbnails in the gallery), drawn by a worker.

    Never drawn here: until a worker has stored it, a placeholder picture answers (202, not cached by
    the browser) and the worker is asked for it.
    """
    from apps.designs.patterns import PatternNotFound, get_pattern
    from apps.studio.gallery import PLACEHOLDER_SVG, pattern_diagram_find, pattern_diagram_request

    try:
        pattern = get_pattern(slug)
    except PatternNotFound:
        raise Http404("No such pattern") from None
    svg = pattern_diagram_find(pattern)
    if svg is None:
        pattern_diagram_request(pattern)
        response = HttpResponse(PLACEHOLDER_SVG, content_type="image/svg+xml", status=202)
        response["Cache-Control"] = "no-store"
    else:
        response = HttpResponse(svg, content_type="image/svg+xml")
        response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    return response
