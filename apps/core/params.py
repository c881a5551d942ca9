"""Query parameters, checked with the API's error shape."""

from __future__ import annotations

from rest_framework.request import Request

from apps.core.errors import ApiError, ErrorDetail


def query_int(request: Request, name: str, *, minimum: int = 1, meaning: str = "an id") -> int | None:
    """The integer value of ``?name=``, or None when absent; 400 naming ``/name`` when not a number.

    Only ASCII digits count ("²" is a digit to ``str.isdigit`` but not to ``int``).
    """
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdecimal()) or int(raw) < minimum:
        raise ApiError(
            f"{name} must be {meaning}.", details=[ErrorDetail(f"/{name}", f"must be an integer of at least {minimum}")]
        )
    return int(raw)


def query_text(request: Request, name: str, *, max_length: int = 200) -> str:
    raw = request.query_params.get(name, "")
    if "\x00" in raw or len(raw) > max_length:
        raise ApiError(
            f"{name} must be text of at most {max_length} characters without NUL.",
            details=[ErrorDetail(f"/{name}", "must be plain text")],
        )
    return raw
