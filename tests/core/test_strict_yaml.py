"""Our data files refuse a key given twice (PyYAML would keep the last one silently)."""

from __future__ import annotations

import pytest

from apps.core.strict_yaml import DuplicateKeyError, load_strict


def test_a_key_given_twice_is_refused_with_its_line() -> None:
    with pytest.raises(DuplicateKeyError, match=r"line 4.*'targets' is given twice"):
        load_strict("read_write:\n  targets: [a]\n  excludes: []\n  targets: [b]\n")


def test_the_same_key_in_different_mappings_is_fine() -> None:
    assert load_strict("a: {x: 1}\nb: {x: 2}\n") == {"a": {"x": 1}, "b": {"x": 2}}
