"""Settings from `BATON_*` environment variables, each overridable by a CLI flag.

Every value is checked here, so a bad setting stops start-up with one line naming it."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Settings", "SettingsError"]


class SettingsError(ValueError):
    """A setting is invalid; the message names the setting and what was wrong."""


def _int(name: str, raw: str, lo: int, hi: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}: expected an integer, got {raw!r}") from None
    if not lo <= value <= hi:
        raise SettingsError(f"{name}: must be between {lo} and {hi}, got {value}")
    return value


def _float(name: str, raw: str, lo: float, hi: float) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}: expected a number, got {raw!r}") from None
    if not lo <= value <= hi:
        raise SettingsError(f"{name}: must be between {lo} and {hi}, got {value}")
    return value


def _bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise SettingsError(f"{name}: expected true or false, got {raw!r}")


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite+aiosqlite:///./baton.db"
    executor_url: str = "local://?concurrency=4"
    secret_key: str | None = field(default=None, repr=False)
    admin_username: str = "admin"
    admin_password: str | None = field(default=None, repr=False)
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    access_token_seconds: int = 900
    refresh_token_seconds: int = 14 * 24 * 3600
    # A running job whose lease is not renewed for this long is taken as lost and re-queued.
    lease_seconds: int = 30
    heartbeat_seconds: float = 5.0
    # How often the dispatcher looks for due jobs when nothing wakes it.
    poll_seconds: float = 0.5
    output_limit_bytes: int = 65536
    max_body_bytes: int = 1024 * 1024
    validate_responses: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read `BATON_<FIELD>` variables; keyword overrides (from CLI flags) win when not None."""
        environ = os.environ if environ is None else environ
        raw: dict[str, str] = {}
        for f in dataclasses.fields(cls):
            env_name = f"BATON_{f.name.upper()}"
            if overrides.get(f.name) is not None:
                raw[f.name] = str(overrides[f.name])
            elif env_name in environ:
                raw[f.name] = environ[env_name]
        return cls._parse(raw)

    @classmethod
    def _parse(cls, raw: dict[str, str]) -> Settings:
        values: dict[str, Any] = {}
        for name, text in raw.items():
            env = f"BATON_{name.upper()}"
            if name == "port":
                values[name] = _int(env, text, 1, 65535)
            elif name == "workers":
                values[name] = _int(env, text, 1, 64)
            elif name in {"access_token_seconds"}:
                values[name] = _int(env, text, 10, 24 * 3600)
            elif name == "refresh_token_seconds":
                values[name] = _int(env, text, 60, 365 * 24 * 3600)
            elif name == "lease_seconds":
                values[name] = _int(env, text, 2, 3600)
            elif name == "max_body_bytes":
                values[name] = _int(env, text, 1024, 1024 * 1024 * 1024)
            elif name == "output_limit_bytes":
                values[name] = _int(env, text, 1024, 16 * 1024 * 1024)
            elif name == "heartbeat_seconds":
                values[name] = _float(env, text, 0.05, 600)
            elif name == "poll_seconds":
                values[name] = _float(env, text, 0.01, 60)
            elif name == "validate_responses":
                values[name] = _bool(env, text)
            elif name == "log_level":
                if text.lower() not in {"critical", "error", "warning", "info", "debug"}:
                    raise SettingsError(
                        f"{env}: expected critical, error, warning, info or debug, got {text!r}"
                    )
                values[name] = text.lower()
            elif name == "secret_key":
                if len(text) < 32:
                    raise SettingsError(f"{env}: must be at least 32 characters long")
                values[name] = text
            elif name in {"database_url", "executor_url", "host", "admin_username"}:
                if not text.strip():
                    raise SettingsError(f"{env}: must not be empty")
                values[name] = text.strip()
            else:
                values[name] = text
        settings = cls(**values)
        if settings.heartbeat_seconds * 2 > settings.lease_seconds:
            raise SettingsError(
                "BATON_HEARTBEAT_SECONDS: must be at most half of BATON_LEASE_SECONDS "
                f"({settings.heartbeat_seconds} > {settings.lease_seconds}/2)"
            )
        return settings
