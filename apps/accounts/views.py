"""The browser sign-up page. Log in and log out are Django's own views at /accounts/."""

from __future__ import annotations

from django import forms
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from apps.accounts.services import user_sign_up
from apps.core.errors import ApiError


class SignUpForm(forms.Form):
    username = forms.RegexField(regex=r"^[\w.@+-]+\Z", max_length=150)
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput, max_length=128)


def _next_url(request: HttpRequest) -> str:
    # Where to go after signing up (an invitation link sends people here with ?next=); only our own pages.
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    next_url = _next_url(request)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_sign_up(**form.cleaned_data)
        except ApiError as exc:
            for detail in exc.details:
                form.add_error(detail.pointer.strip("/") or None, detail.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url or "home")
    return render(request, "registration/signup.html", {"form": form, "next": next_url})
