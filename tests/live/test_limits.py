"""The token bucket that bounds how fast one live connection may send."""

from __future__ import annotations

from apps.live.limits import TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_allowed_up_to_the_capacity_then_refused() -> None:
    bucket = TokenBucket(capacity=3, rate=1, clock=Clock())
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]


def test_tokens_come_back_at_the_rate_and_never_beyond_the_capacity() -> None:
    clock = Clock()
    bucket = TokenBucket(capacity=2, rate=2, clock=clock)
    assert bucket.take() and bucket.take() and not bucket.take()
    clock.now = 0.5  # one token back
    assert bucket.take() and not bucket.take()
    clock.now = 100.0  # a long quiet spell refills to the capacity only
    assert [bucket.take() for _ in range(3)] == [True, True, False]
