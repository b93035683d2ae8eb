"""The retry policy of webhook deliveries: which answers are retried, when, and Retry-After."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from baton.settings import Settings, SettingsError
from baton.webhook_delivery import AttemptResult, parse_retry_after
from baton.webhook_retry import (
    DEFAULT_RETRY_SCHEDULE,
    Decision,
    Outcome,
    RetryPolicy,
    classify,
    parse_schedule,
)


def test_retry_after_values() -> None:
    now = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC).timestamp()
    later = format_datetime(datetime(2025, 3, 1, 12, 2, 30, tzinfo=UTC), usegmt=True)
    assert later == "Sat, 01 Mar 2025 12:02:30 GMT"
    assert parse_retry_after(later, now=now) == 150.0
    assert parse_retry_after("Sat, 01 Mar 2025 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after(" 30 ") == 30.0
    for unreadable in (None, "", "soon", "-5", "1.5", "\uff13\uff10"):
        assert parse_retry_after(unreadable, now=now) is None


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (None, Outcome.RETRY),
        (200, Outcome.DELIVERED),
        (204, Outcome.DELIVERED),
        (299, Outcome.DELIVERED),
        (301, Outcome.RETRY),
        (302, Outcome.RETRY),
        (400, Outcome.FAILED),
        (401, Outcome.FAILED),
        (403, Outcome.FAILED),
        (404, Outcome.FAILED),
        (413, Outcome.FAILED),
        (422, Outcome.FAILED),
        (408, Outcome.RETRY),
        (409, Outcome.RETRY),
        (429, Outcome.RETRY),
        (410, Outcome.DISABLE),
        (500, Outcome.RETRY),
        (502, Outcome.RETRY),
        (503, Outcome.RETRY),
        (504, Outcome.RETRY),
    ],
)
def test_classification(status: int | None, outcome: Outcome) -> None:
    assert classify(status) is outcome


def test_the_schedule_with_jitter() -> None:
    assert DEFAULT_RETRY_SCHEDULE == (5, 300, 1800, 7200, 18000, 36000, 36000)
    assert 24 * 3600 < sum(DEFAULT_RETRY_SCHEDULE) < 28 * 3600
    assert RetryPolicy().max_attempts == 8
    assert [RetryPolicy(random=lambda: 0.5).delay(n) for n in range(1, 9)] == [
        *map(float, DEFAULT_RETRY_SCHEDULE),
        None,
    ]
    assert RetryPolicy(random=lambda: 0.0).delay(2) == pytest.approx(270)
    assert RetryPolicy(random=lambda: 0.999999).delay(2) == pytest.approx(330, abs=0.01)
    assert RetryPolicy(random=lambda: 0.25, jitter=0.5).delay(1) == pytest.approx(3.75)
    assert RetryPolicy().delay(0) is None
    draws = [RetryPolicy().delay(3) for _ in range(2000)]
    assert all(1620 <= d <= 1980 for d in draws)  # type: ignore[operator]
    assert max(draws) - min(draws) > 200  # type: ignore[operator]  # it does vary


def test_retry_after_is_honoured_capped_and_never_shortens_the_schedule() -> None:
    policy = RetryPolicy(random=lambda: 0.0, retry_after_cap=3600)
    assert policy.delay(1, retry_after=120) == 120  # longer than 4.5 s: the receiver wins
    assert policy.delay(1, retry_after=86400) == 3600  # but only up to the cap
    assert policy.delay(4, retry_after=60) == pytest.approx(6480)  # shorter: the schedule wins
    assert policy.delay(1, retry_after=0) == pytest.approx(4.5)
    assert policy.delay(7, retry_after=60) is not None and policy.delay(8, retry_after=60) is None
    limited = AttemptResult(status=429, duration=0.1, retry_after=900)
    assert policy.decide(limited, 2) == Decision(Outcome.RETRY, 900)


def test_decisions() -> None:
    policy = RetryPolicy(schedule=(10, 20), random=lambda: 0.5)
    failing = AttemptResult(status=None, duration=10, error="timed out after 10 s", error_kind="timeout")
    assert policy.max_attempts == 3
    assert [policy.decide(failing, n) for n in (1, 2, 3)] == [
        Decision(Outcome.RETRY, 10.0),
        Decision(Outcome.RETRY, 20.0),
        Decision(Outcome.FAILED),  # out of retries
    ]
    assert policy.decide(AttemptResult(status=204, duration=0.1), 1).outcome is Outcome.DELIVERED
    assert policy.decide(AttemptResult(status=400, duration=0.1), 1).outcome is Outcome.FAILED
    assert policy.decide(AttemptResult(status=410, duration=0.1), 1).outcome is Outcome.DISABLE
    assert RetryPolicy(schedule=()).decide(failing, 1).outcome is Outcome.FAILED


def test_the_schedule_setting() -> None:
    assert parse_schedule("1, 2.5,60") == (1.0, 2.5, 60.0)
    assert parse_schedule("") == ()
    settings = Settings.from_env({"BATON_WEBHOOK_RETRY_SCHEDULE": "1,30, 600"})
    assert settings.webhook_retry_schedule == "1,30,600"
    assert RetryPolicy.from_settings(settings).schedule == (1, 30, 600)
    assert RetryPolicy.from_settings(Settings.from_env({})).schedule == DEFAULT_RETRY_SCHEDULE
    assert Settings.from_env({"BATON_WEBHOOK_TIMEOUT_SECONDS": "2.5"}).webhook_timeout_seconds == 2.5
    for env, message in [
        ({"BATON_WEBHOOK_RETRY_SCHEDULE": "5,soon"}, "BATON_WEBHOOK_RETRY_SCHEDULE: 'soon' is not a number"),
        ({"BATON_WEBHOOK_RETRY_SCHEDULE": "5,0"}, "BATON_WEBHOOK_RETRY_SCHEDULE: '0': each wait must be"),
        ({"BATON_WEBHOOK_RETRY_SCHEDULE": "nan"}, "BATON_WEBHOOK_RETRY_SCHEDULE: 'nan': each wait must be"),
        ({"BATON_WEBHOOK_RETRY_SCHEDULE": ",".join(["1"] * 51)}, "at most 50 retries, got 51"),
        (
            {"BATON_WEBHOOK_TIMEOUT_SECONDS": "0"},
            "BATON_WEBHOOK_TIMEOUT_SECONDS: must be between 0.1 and 300",
        ),
    ]:
        with pytest.raises(SettingsError) as error:
            Settings.from_env(env)
        assert message in str(error.value)
