"""NUL characters are found, and named by pointer, wherever they are in a document."""

from __future__ import annotations

from apps.core.pointers import nul_problems


def test_nul_characters_in_values_and_keys_are_named_by_pointer() -> None:
    data = {"components": [{"id": "a", "label": "ok"}, {"id": "b", "label": "Cust\x00omers", "props": {"k\x00": 1}}]}
    assert [p.pointer for p in nul_problems(data)] == ["/components/1/label", "/components/1/props/k\x00"]


def test_text_that_spells_out_the_escape_is_not_a_nul() -> None:
    # JSON text of this holds "\\u0000" (an escaped backslash), not the escape of a NUL.
    assert nul_problems({"label": "\\u0000", "items": ["\\\\u0000"]}) == []


def test_data_that_is_not_plain_json_is_still_walked() -> None:
    assert [p.pointer for p in nul_problems({"when": {1, 2}, "label": "a\x00"})] == ["/label"]
    assert nul_problems({"when": object()}) == []
