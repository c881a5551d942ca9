"""Query parameters, checked with the API's error shape."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from apps.core.converters import MAX_ID
from apps.core.errors import ApiError, ErrorDetail

# The schemas of these parameters as the OpenAPI document states them (what the functions below enforce).
ID_PARAMETER: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
TEXT_PARAMETER: dict[str, Any] = {"type": "string", "maxLength": 200, "pattern": "^[^\\x00]*$"}


def query_int(request: Request, name: str, *, minimum: int = 1, meaning: str = "an id") -> int | None:
    """The integer value of ``?name=``, or None when absent; 400 naming ``/name`` when not a number.

    Only ASCII digits count ("²" is a digit to ``str.isdigit`` but not to ``int``).
    """
    values = request.query_params.getlist(name)
    if not values:
        return None
    raw = values[-1]
    # One value (a repeated parameter is a list, which no integer parameter takes), within a database id's
    # range; the length is checked first so that int() never meets Python's digit limit.
    if (
        len(values) > 1
        or not (raw.isascii() and raw.isdecimal() and len(raw) <= 19)
        or not minimum <= int(raw) <= MAX_ID
    ):
        raise ApiError(
            f"{name} must be {meaning}.", details=[ErrorDetail(f"/{name}", f"must be an integer of at least {minimum}")]
        )
    return int(raw)


def query_text(request: Request, name: str, *, max_length: int = 200) -> str:
    values = request.query_params.getlist(name)
    raw = values[-1] if values else ""
    if len(values) > 1 or "\x00" in raw or len(raw) > max_length:
        raise ApiError(
            f"{name} must be text of at most {max_length} characters without NUL.",
            details=[ErrorDetail(f"/{name}", "must be plain text")],
        )
    return raw
