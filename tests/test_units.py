"""Small pure pieces: output tails, backoff, cursors, timestamps, settings."""

from __future__ import annotations

from datetime import datetime

import pytest

from baton.errors import InvalidInput
from baton.pagination import decode_cursor, encode_cursor
from baton.runner import OutputTail
from baton.settings import Settings, SettingsError
from baton.states import MAX_BACKOFF_SECONDS, backoff_delay
from baton.timeutil import isoformat, parse_timestamp


def test_output_tail_keeps_the_last_bytes() -> None:
    tail = OutputTail(limit=5)
    tail.feed(b"abc")
    assert (tail.text(), tail.truncated) == ("abc", False)
    tail.feed(b"defgh")
    assert (tail.text(), tail.truncated) == ("defgh", True)


def test_output_tail_drops_a_split_utf8_sequence() -> None:
    tail = OutputTail(limit=4)
    tail.feed("aé€".encode())  # 1 + 2 + 3 bytes: the cut lands inside "é"
    assert tail.text() == "€"


def test_backoff_doubles_and_caps() -> None:
    assert [backoff_delay(10, n) for n in range(4)] == [10, 20, 40, 80]
    assert backoff_delay(0, 5) == 0
    assert backoff_delay(3600, 40) == MAX_BACKOFF_SECONDS


def test_cursor_round_trip_and_binding_to_sort() -> None:
    cursor = encode_cursor("-created_at", ["2026-01-01T00:00:00.000000Z", "id-1"])
    assert "=" not in cursor
    assert decode_cursor(cursor, "-created_at") == ["2026-01-01T00:00:00.000000Z", "id-1"]
    with pytest.raises(InvalidInput):
        decode_cursor(cursor, "priority")


def test_timestamps_are_utc_with_z() -> None:
    parsed = parse_timestamp("2026-03-01T12:00:00+05:30")
    assert parsed == datetime(2026, 3, 1, 6, 30)
    assert isoformat(parsed) == "2026-03-01T06:30:00.000000Z"
    with pytest.raises(ValueError):
        parse_timestamp("2026-03-01T12:00:00")


def test_settings_defaults_and_validation() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite+aiosqlite:///./baton.db"
    assert settings.executor_url == "local://?concurrency=4"
    assert Settings.from_env({"BATON_PORT": "9000"}, port=9001).port == 9001
    assert (
        settings.scheduler_enabled
        and not Settings.from_env({"BATON_SCHEDULER_ENABLED": "false"}).scheduler_enabled
    )
    with pytest.raises(SettingsError, match="BATON_HEARTBEAT_SECONDS"):
        Settings.from_env({"BATON_LEASE_SECONDS": "4", "BATON_HEARTBEAT_SECONDS": "3"})
    assert "secret" not in repr(Settings.from_env({"BATON_SECRET_KEY": "s" * 40})).lower().replace(
        "secret_key", ""
    )


def test_every_error_code_in_the_code_is_documented() -> None:
    import re
    from pathlib import Path

    from baton.problems import _CODES

    root = Path(__file__).resolve().parents[1]
    used = set(_CODES.values()) | {"VALIDATION_ERROR", "INTERNAL_ERROR"}
    for folder in ("baton", "handlers", "backends"):
        for path in (root / folder).rglob("*.py"):
            used |= set(re.findall(r'code="([A-Z_]+)"', path.read_text()))
            used |= set(re.findall(r'status, code, title = \d+, "([A-Z_]+)"', path.read_text()))
    documented = set(re.findall(r"`([A-Z_]{3,})`", (root / "docs" / "error-codes.md").read_text()))
    assert used - documented == set()


def test_backend_errors_never_show_a_password() -> None:
    from baton.backends import BackendError
    from baton.backends.storage import create_storage

    with pytest.raises(BackendError) as raised:
        create_storage("nosuch://user:hunter@2@db.example/baton")
    assert "hunter" not in str(raised.value) and "user:***@db.example" in str(raised.value)


def test_password_hashes_take_the_configured_cost_and_any_cost_verifies() -> None:
    from baton.auth import _verify, hash_password

    assert Settings.from_env({}).password_hash_cost == "t=3,m=65536,p=4"  # argon2-cffi's default
    assert Settings.from_env({"BATON_PASSWORD_HASH_COST": " p=1, t=1 ,m=1024"}).password_hash_cost == (
        "t=1,m=1024,p=1"
    )
    for bad in ("", "t=1,m=1024", "t=1,m=1024,p=1,x=2", "t=0,m=1024,p=1", "t=1,m=lots,p=1", "t=1,m=64,p=65"):
        with pytest.raises(SettingsError):
            Settings.from_env({"BATON_PASSWORD_HASH_COST": bad})
    cheap = hash_password("a password", "t=1,m=1024,p=1")
    assert cheap.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    costly = hash_password("a password", "t=2,m=19456,p=1")
    assert costly.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    # a hash names its own cost: a change of setting leaves every stored password valid
    assert _verify(costly, "a password", "t=1,m=1024,p=1")
    assert _verify(cheap, "a password", "t=3,m=65536,p=4")
    assert not _verify(cheap, "another password", "t=1,m=1024,p=1")
