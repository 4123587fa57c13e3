"""Paired bootstrap: an interval around the mean difference that excludes 0 only when the queries support it."""

import pytest

from dptdr_mini.evaluate.bootstrap import paired_bootstrap


def test_a_consistent_gain_gives_an_interval_above_zero():
    a = {f"q{i}": 0.5 for i in range(100)}
    b = {f"q{i}": 0.5 + 0.05 + 0.01 * (i % 3) for i in range(100)}
    d = paired_bootstrap(a, b)
    assert d.mean == pytest.approx(0.06, abs=1e-3) and 0 < d.low <= d.mean <= d.high
    assert (d.wins, d.losses, d.queries) == (100, 0, 100)


def test_noise_around_zero_gives_an_interval_that_contains_zero():
    a = {f"q{i}": 0.5 for i in range(100)}
    b = {f"q{i}": 0.5 + (0.2 if i % 2 else -0.2) for i in range(100)}
    d = paired_bootstrap(a, b)
    assert d.low < 0 < d.high and d.wins == d.losses == 50


def test_only_shared_queries_count_and_none_shared_is_an_error():
    assert paired_bootstrap({"a": 0.0, "b": 1.0}, {"b": 0.0}).queries == 1
    with pytest.raises(ValueError):
        paired_bootstrap({"a": 0.0}, {"b": 0.0})
