"""JSON text as Tierplan accepts it, from the API and the command line alike (no Django here)."""

from __future__ import annotations

import json
from typing import Any, NoReturn

# A design document is a few levels deep (document → components → props → an event pattern → …);
# nothing legitimate comes near this, and anything deeper would only feed recursion further on.
MAX_JSON_DEPTH = 64


class JsonRefused(ValueError):
    """The text is not JSON the API takes; the message says why and, where known, where."""


class _ConstantRefused(ValueError):
    pass


def _refuse_constant(name: str) -> NoReturn:
    # Python's json takes NaN and Infinity, which are not JSON (RFC 8259) and no field's number.
    raise _ConstantRefused(f"malformed JSON: {name} is not a JSON value (RFC 8259)")


def json_depth_exceeds(value: Any, limit: int) -> bool:
    """True when ``value`` nests arrays/objects more than ``limit`` levels deep (checked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def loads_strict(text: str) -> Any:
    """Parse JSON text; raise JsonRefused with a message a person can act on.

    Refused besides malformed text: NaN/Infinity, integers longer than Python converts (4,300 digits),
    and nesting deeper than MAX_JSON_DEPTH — each would otherwise surface later as a crash
    (RecursionError, ValueError) instead of an answer.
    """
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise JsonRefused(f"malformed JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except _ConstantRefused as exc:
        raise JsonRefused(str(exc)) from None
    except RecursionError:
        raise JsonRefused(f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep") from None
    except ValueError as exc:  # an integer past the digit limit
        raise JsonRefused(f"the JSON holds a value that is not accepted: {exc}") from None
    if json_depth_exceeds(value, MAX_JSON_DEPTH):
        raise JsonRefused(f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep")
    return value
