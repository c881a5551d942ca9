"""The browser sign-up page. Log in and log out are Django's own views at /accounts/."""

from __future__ import annotations

from django import forms
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from apps.accounts.services import user_sign_up
from apps.core.errors import ApiError


class SignUpForm(forms.Form):
    username = forms.RegexField(regex=r"^[\w.@+-]+\Z", max_length=150)
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput, max_length=128)


def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_sign_up(**form.cleaned_data)
        except ApiError as exc:
            for detail in exc.details:
                form.add_error(detail.pointer.strip("/") or None, detail.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    return render(request, "registration/signup.html", {"form": form})
