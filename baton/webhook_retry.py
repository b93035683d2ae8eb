"""When a failed webhook delivery is tried again, as pure functions of its attempts.

The default schedule is Svix's: after the first attempt, retries 5 s, 5 min, 30 min, 2 h, 5 h,
10 h and 10 h later (8 attempts over about 27.6 hours). Each wait grows roughly exponentially and
is varied at random by up to a tenth either way, so the deliveries that failed together (a receiver
outage) do not all come back in the same second. A `Retry-After` from the receiver is honoured
when it asks for longer than the schedule, up to a cap, so a receiver can slow us down but not
park a delivery for days."""

from __future__ import annotations

import random as _random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from baton.settings import Settings
    from baton.webhook_delivery import AttemptResult

__all__ = [
    "DEFAULT_RETRY_SCHEDULE",
    "Decision",
    "Outcome",
    "RetryPolicy",
    "classify",
    "parse_schedule",
]

DEFAULT_RETRY_SCHEDULE: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 36000)
_MAX_RETRIES = 50
_MAX_DELAY = 7 * 24 * 3600.0
# Answers that may succeed if sent again: timeout, conflict (receiver busy with the same id),
# rate limited. Any other 4xx says the request itself is wrong; sending it again cannot help.
_RETRYABLE_4XX = frozenset({408, 409, 429})


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"  # try again later
    FAILED = "failed"  # final: the receiver refused this message
    DISABLE = "disable"  # 410 Gone: the receiver asks never to be called again


def classify(status: int | None) -> Outcome:
    """What an attempt's HTTP status means; None (no answer: network error, timeout, refused
    address) is worth retrying, since each retry resolves and checks the target afresh.

    A redirect is retried rather than final: it is a receiver-side misconfiguration that an
    operator can fix (or point the webhook elsewhere) within the retry window."""
    if status is None:
        return Outcome.RETRY
    if 200 <= status < 300:
        return Outcome.DELIVERED
    if status == 410:
        return Outcome.DISABLE
    if 400 <= status < 500 and status not in _RETRYABLE_4XX:
        return Outcome.FAILED
    return Outcome.RETRY


def parse_schedule(text: str) -> tuple[float, ...]:
    """`5,300,1800` -> waits in seconds before retries 1, 2, 3; ValueError says what is wrong.
    An empty schedule means no retries."""
    delays: list[float] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            delay = float(part)
        except ValueError:
            raise ValueError(f"{part!r} is not a number of seconds") from None
        if not 0 < delay <= _MAX_DELAY:  # also refuses nan and inf
            raise ValueError(f"{part!r}: each wait must be more than 0 and at most {_MAX_DELAY:g} seconds")
        delays.append(delay)
    if len(delays) > _MAX_RETRIES:
        raise ValueError(f"at most {_MAX_RETRIES} retries, got {len(delays)}")
    return tuple(delays)


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    delay: float | None = None  # seconds until the next attempt, for Outcome.RETRY


@dataclass(frozen=True)
class RetryPolicy:
    schedule: Sequence[float] = DEFAULT_RETRY_SCHEDULE
    jitter: float = 0.1  # each wait is varied by up to this fraction either way
    retry_after_cap: float = 3600.0  # longest wait a receiver's Retry-After can impose
    random: Callable[[], float] = _random.random  # uniform in [0, 1); tests pass a fixed one

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> RetryPolicy:
        return cls(schedule=parse_schedule(settings.webhook_retry_schedule), **overrides)

    @property
    def max_attempts(self) -> int:
        return 1 + len(self.schedule)

    def delay(self, attempt: int, retry_after: float | None = None) -> float | None:
        """Seconds to wait after failed attempt number `attempt` (1-based), None when it was the last.

        The scheduled wait is jittered; a Retry-After (capped) replaces it only when longer, and is
        never shortened by the jitter: the receiver asked us not to come back before then."""
        if attempt < 1 or attempt > len(self.schedule):
            return None
        base = float(self.schedule[attempt - 1])
        delay = base * (1 + self.jitter * (2 * self.random() - 1))
        if retry_after is not None and retry_after > 0:
            delay = max(delay, min(retry_after, self.retry_after_cap))
        return delay

    def decide(self, result: AttemptResult, attempt: int) -> Decision:
        """What to do after `result`, the outcome of attempt number `attempt` (1-based)."""
        outcome = classify(result.status)
        if outcome is not Outcome.RETRY:
            return Decision(outcome)
        delay = self.delay(attempt, result.retry_after)
        return Decision(Outcome.FAILED) if delay is None else Decision(Outcome.RETRY, delay)
