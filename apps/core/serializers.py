"""Input serializers that take JSON as the schema states it: no unknown fields, no coerced types."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers

# DRF coerces generously ("5" → 5, 1 → True, 7 → "7"). The API's schema promises JSON types, and a
# client that sends the wrong one has a bug it should hear about, so each field takes its own type only.
_JSON_TYPES: list[tuple[type[serializers.Field], tuple[type, ...], str]] = [
    (serializers.BooleanField, (bool,), "a boolean"),
    (serializers.ChoiceField, (str,), "a string"),
    (serializers.CharField, (str,), "a string"),
    (serializers.IntegerField, (int,), "an integer"),
    (serializers.FloatField, (int, float), "a number"),
    (serializers.ListField, (list,), "an array"),
    (serializers.DictField, (dict,), "an object"),
    (serializers.Serializer, (dict,), "an object"),
]


def _type_error(field: serializers.Field, value: Any) -> str | None:
    if value is None:
        return None if field.allow_null else "may not be null"
    if isinstance(field, serializers.ListSerializer):
        return None if isinstance(value, list) else "must be an array"
    for klass, types, name in _JSON_TYPES:
        if isinstance(field, klass):
            wrong_bool = isinstance(value, bool) and bool not in types
            return f"must be {name}" if wrong_bool or not isinstance(value, types) else None
    return None


class StrictInputSerializer(serializers.Serializer):
    """A request body serializer that refuses unknown fields and values of the wrong JSON type.

    The OpenAPI schema states ``additionalProperties: false`` for these bodies (apps.core.openapi), so
    a misspelt field is a 400 naming it rather than a silent no-op.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            problems: dict[str, list[str]] = {}
            writable = {name for name, field in self.fields.items() if not field.read_only}
            for name in data:
                if name not in writable:
                    problems[str(name)] = ["unknown field"]
            for name, field in self.fields.items():
                if name in data and not field.read_only:
                    message = _type_error(field, data[name])
                    if message:
                        problems[name] = [message]
            if problems:
                raise serializers.ValidationError(problems)
        return super().to_internal_value(data)
