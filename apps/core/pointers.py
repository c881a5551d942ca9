"""JSON pointers and the (pointer, message) pair every validator reports. Pure Python, no Django."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass


def json_pointer(path: Iterable[str | int]) -> str:
    """Build an RFC 6901 pointer from path segments ("~" and "/" in a segment are escaped)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (a JSON pointer, "" for the whole body) and what."""

    pointer: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"pointer": self.pointer, "message": self.message}


class Invalid(Exception):
    """An input with problems, each naming its JSON pointer. Every engine's validation error is one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.pointer or '/'}: {p.message}" for p in problems))


def nul_problems(data: object, path: tuple[str | int, ...] = ()) -> list[Problem]:
    """Problems for every string (value or key) holding a NUL character, which no database should store."""
    if not path and isinstance(data, (dict, list)):
        # Most documents hold none: JSON text escapes a NUL as \u0000, so one C-speed dump rules that
        # out before the walk that names where each one is (a walk that, at 1,000 components, takes
        # ~20 ms). Text that merely spells out "\u0000" is escaped differently but still matches and
        # just takes the walk.
        try:
            if "\\u0000" not in json.dumps(data):
                return []
        except (TypeError, ValueError, RecursionError):  # not plain JSON data: the walk will tell
            pass
    if isinstance(data, str):
        return [Problem(json_pointer(path), "must not contain NUL characters (\\u0000)")] if "\x00" in data else []
    found: list[Problem] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if "\x00" in str(key):
                found.append(Problem(json_pointer((*path, key)), "field names must not contain NUL characters"))
            found += nul_problems(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += nul_problems(value, (*path, index))
    return found
