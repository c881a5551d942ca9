"""The invitation page: the link in an invitation email opens it; a signed-in person accepts it there."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.core.auth import signed_in
from apps.core.errors import ApiError
from apps.projects import services
from apps.projects.models import Membership


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """Show what the invitation offers; accepting takes a POST (from a signed-in user), so a mail
    scanner or link preview that fetches the link cannot use it up."""
    invitation = services.invitation_find(token=token)
    if invitation is None:
        raise Http404("No invitation here.")  # unknown, used, expired and revoked look the same
    error, status = "", 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.invitation_accept(invitation=invitation, user=signed_in(request))
        except ApiError as exc:
            if exc.status_code == 404:
                raise Http404("No invitation here.") from None
            error, status = exc.message, exc.status_code
        else:
            return redirect("home")  # the dashboard lists the team among yours
    member = (
        request.user.is_authenticated
        and Membership.objects.filter(team_id=invitation.team_id, user_id=request.user.pk).exists()
    )
    context = {"invitation": invitation, "token": token, "member": member, "error": error}
    response = render(request, "projects/invitation.html", context, status=status)
    # The token is in this page's address: keep it out of other sites' Referer headers and search indexes.
    # Not "no-referrer": browsers then send "Origin: null" with the Accept form, which Django's CSRF check
    # refuses; "same-origin" gives the address to this site only.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
