"""PURE. When to try a request again, and how long to wait first.

One predicate decides for both transports: the statuses 408, 429, 500, 502, 503 and 504, and
connection failures that happened before the server could have acted on the request, are
retried, with exponential backoff and jitter, honouring ``Retry-After`` / ``retry-after-ms``
(capped), at most ``max_retries`` times, only when the body can be sent again, and only while
the client's retry budget lasts.

Where a connection failed decides whether the request may have been acted on (the ``phase`` of
the error): ``connect`` and ``write`` (the request was not all sent) are safe to send again;
``wait`` (all of it was sent, no answer came) is safe only for idempotent methods, since
Deepgram may already be transcribing a POST and a second one bills twice; ``read`` (the answer
had started) and every timeout after connecting are final.
"""

import _thread
import time
from typing import Any, Callable, Mapping, Optional

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Failures that happened before the whole request was sent: the server cannot have acted on it.
RETRY_PHASES = frozenset({"connect", "write"})
# Methods that may be sent again once the server may have seen them (RFC 9110, 9.2.2).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
BASE_DELAY = 0.5
MAX_BACKOFF = 8.0
MAX_RETRY_AFTER = 60.0


def retry_after(headers: Mapping[str, str], now: Optional[float] = None) -> Optional[float]:
    """Seconds the server asked us to wait (``retry-after-ms``, or ``Retry-After`` as seconds or
    an HTTP date), or None."""
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        if "retry-after-ms" in lowered:
            return max(float(lowered["retry-after-ms"]) / 1000.0, 0.0)
    except ValueError:
        pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    import email.utils

    try:
        # A bad date raises (TypeError before 3.10, ValueError since); it never returns None.
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def backoff(attempt: int, rng: Optional[Callable[[], float]] = None, base: float = BASE_DELAY) -> float:
    """Exponential backoff with jitter: about 0.5 s, 1 s, 2 s … up to 8 s, each minus up to 25 %
    (``base`` is the first delay)."""
    if rng is None:
        import random

        rng = random.random
    return min(base * 2.0 ** (attempt - 1), MAX_BACKOFF) * (1 - 0.25 * rng())


class RetryBudget:
    """A token bucket shared by a client's calls, in the spirit of the AWS SDKs' standard mode:
    a retry costs 5 tokens (10 after a timeout), a success gives one back, and when the bucket
    is empty nothing is retried, so a failing server is not hammered by a busy process."""

    def __init__(self, capacity: int = 500, retry_cost: int = 5, timeout_cost: int = 10) -> None:
        self.capacity: int = capacity
        self.retry_cost: int = retry_cost
        self.timeout_cost: int = timeout_cost
        self.tokens: int = capacity
        self._lock = _thread.allocate_lock()

    def take(self, timeout: bool) -> bool:
        cost = self.timeout_cost if timeout else self.retry_cost
        with self._lock:
            if self.tokens < cost:
                return False
            self.tokens -= cost
            return True

    def refund(self) -> None:
        if self.tokens >= self.capacity:  # full already, as it is while calls succeed: no lock needed
            return
        with self._lock:
            self.tokens = min(self.capacity, self.tokens + 1)


class Attempts:
    """Decides, after each attempt of one call, whether and when to try again."""

    def __init__(self, max_retries: int, budget: RetryBudget, replayable: bool,
                 rng: Optional[Callable[[], float]] = None, resend: bool = True,
                 base_delay: float = BASE_DELAY) -> None:
        """``resend``: whether a request that was all sent but never answered may go again."""
        self.max_retries, self.budget, self.replayable, self.rng = max_retries, budget, replayable, rng
        self.resend, self.base_delay = resend, base_delay
        self.attempt = 0

    def delay(self, status: Optional[int] = None, headers: Optional[Mapping[str, str]] = None,
              error: Any = None) -> Optional[float]:
        """Seconds to wait before the next attempt, or None to stop here."""
        if error is None and status is not None and status not in RETRY_STATUSES:
            if status < 400:
                self.budget.refund()
            return None
        if error is not None and not self._may_resend(error):
            return None
        if self.attempt > self.max_retries or not self.replayable:
            return None
        if not self.budget.take(timeout=_is_timeout(error)):
            return None
        asked = retry_after(headers or {}) if error is None else None
        if asked is not None:
            return min(asked, MAX_RETRY_AFTER)
        return backoff(self.attempt, self.rng, self.base_delay)

    def _may_resend(self, error: Any) -> bool:
        phase = getattr(error, "phase", None)
        if _is_timeout(error):
            # A connect timeout sent nothing; any later one means a server that stopped reading
            # or answering for a whole timeout, which another attempt would wait out again.
            return phase == "connect"
        return phase in RETRY_PHASES or (phase == "wait" and self.resend)


def may_resend_unanswered(method: str, retry_unanswered: bool) -> bool:
    """Whether a request that was all sent but got no answer may be sent again."""
    return retry_unanswered or method.upper() in IDEMPOTENT_METHODS


def _is_timeout(error: Any) -> bool:
    return isinstance(error, TimeoutError)
