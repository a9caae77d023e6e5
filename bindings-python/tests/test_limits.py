"""`Limits` takes the core's defaults and refuses what the core refuses."""

from __future__ import annotations

import pytest

import tranship


def test_fields_left_out_keep_the_defaults() -> None:
    given = tranship.Limits(max_layers=5)
    assert given.max_layers == 5
    assert given.max_children == 1000
    assert given.max_manifest_bytes == 4 * 1024 * 1024
    assert tranship.Limits() == tranship.Limits(max_json_depth=64, max_signatures=16)


def test_a_negative_value_is_a_configuration_error_naming_the_field() -> None:
    with pytest.raises(tranship.ManifestError) as e:
        tranship.Limits(max_json_depth=-1)
    assert e.value.code == "INVALID_CONFIG"
    assert "max_json_depth" in str(e.value)
