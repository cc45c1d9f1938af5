"""The per-client budget of the name check: a full window refuses with the seconds to wait, the next one opens."""
from __future__ import annotations

import pytest

from backend.errors import TooManyRequests
from backend.http.ratelimit import RateLimiter


def test_a_client_past_its_budget_waits_for_the_next_window() -> None:
    now = [1000.0]
    limiter = RateLimiter(per_minute=2, now=lambda: now[0])
    limiter.hit("10.0.0.1")
    limiter.hit("10.0.0.1")
    limiter.hit("10.0.0.2")  # another client has its own budget
    now[0] += 15
    with pytest.raises(TooManyRequests) as refused:
        limiter.hit("10.0.0.1")
    assert refused.value.params == {"retry_after": 45}
    now[0] += 45
    limiter.hit("10.0.0.1")
