"""Sign-up and "who am I" endpoints. Tokens come from DRF's /api/auth/token/."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.services import user_sign_up
from apps.core.auth import signed_in
from apps.core.openapi import errors
from apps.core.serializers import StrictInputSerializer
from apps.core.throttling import SignUpThrottle, TokenThrottle


class SignUpInputSerializer(StrictInputSerializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    # Django's password validators ask for 8 characters at least (and more the schema cannot say).
    password = serializers.CharField(write_only=True, min_length=8, max_length=128)
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class MeSerializer(serializers.ModelSerializer):
    personal_team = serializers.IntegerField(source="personal_team.id", read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "email", "personal_team"]


class SignUpOutputSerializer(serializers.Serializer):
    user = MeSerializer()
    token = serializers.CharField()


class TokenInputSerializer(StrictInputSerializer, AuthTokenSerializer):
    """DRF's credentials check, taking only ``username`` and ``password`` as strings."""


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenApi(ObtainAuthToken):
    """``POST /api/auth/token/``: DRF's token view, with strict input and a schema that says what it answers."""

    serializer_class = TokenInputSerializer
    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=TokenInputSerializer,
        responses={
            200: TokenOutputSerializer,
            **errors(400, e400="Missing fields, or the username and password do not match an active account."),
        },
        summary="Exchange a username and password for an API token",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)


class SignUpApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [SignUpThrottle]

    @extend_schema(request=SignUpInputSerializer, responses={201: SignUpOutputSerializer}, summary="Create an account")
    def post(self, request: Request) -> Response:
        data = SignUpInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_sign_up(**data.validated_data)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"user": MeSerializer(user).data, "token": token.key}, status=status.HTTP_201_CREATED)


class MeApi(APIView):
    @extend_schema(responses=MeSerializer, summary="The signed-in user")
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(signed_in(request)).data)
