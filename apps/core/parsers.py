"""Request body parsing with the design document's size limit enforced before anything is decoded."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from apps.core.errors import ErrorDetail, PayloadTooLarge
from apps.core.jsontext import JsonRefused, loads_strict


class LimitedJSONParser(JSONParser):
    """JSON parser that refuses bodies over ``settings.DESIGN_MAX_BYTES`` with a 413 and a clear message.

    BodySizeLimitMiddleware already refused bodies whose Content-Length is too big; this catches the
    rest (a body without a length) by reading at most one byte past the limit. It also reports where
    malformed JSON breaks (line and column) instead of a bare "parse error", and refuses what only
    Python's json takes (NaN, endless integers, endless nesting; see ``loads_strict``).
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.DESIGN_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge(
                f"The request body is larger than the {limit // (1024 * 1024)} MB limit.",
                details=[ErrorDetail("", f"at most {limit} bytes are accepted")],
            )
        if not raw.strip():
            raise ParseError("The request body is empty; a JSON object was expected.")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(f"The request body is not UTF-8: {exc.reason} at byte {exc.start}.") from exc
        try:
            return loads_strict(text)
        except JsonRefused as exc:
            message = str(exc)
            raise ParseError(message[0].upper() + message[1:] + ".") from None
