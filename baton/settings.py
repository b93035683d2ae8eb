"""Settings from `BATON_*` environment variables, each overridable by a CLI flag.

Every value is checked here, so a bad setting stops start-up with one line naming it."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Settings", "SettingsError", "setting_fields"]


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


def _setting(default: Any, help: str, *, secret: bool = False) -> Any:
    return field(default=default, repr=not secret, metadata={"help": help, "secret": secret})


@dataclass(frozen=True)
class Settings:
    database_url: str = _setting(
        "sqlite+aiosqlite:///./baton.db",
        "storage URL: sqlite+aiosqlite:///PATH or mysql+aiomysql://USER:PW@HOST/DB",
    )
    executor_url: str = _setting("local://?concurrency=4", "executor URL: local://?concurrency=N")
    secret_key: str | None = _setting(
        None,
        "JWT signing key, at least 32 characters; generated once and kept in the database if unset",
        secret=True,
    )
    admin_username: str = _setting("admin", "name of the first admin, created when there is no user")
    admin_password: str | None = _setting(
        None, "password of the first admin; generated and printed once if unset", secret=True
    )
    host: str = _setting("127.0.0.1", "address to listen on")
    port: int = _setting(8000, "TCP port to listen on")
    workers: int = _setting(1, "server processes; they share the database")
    log_level: str = _setting("info", "critical, error, warning, info or debug")
    access_token_seconds: int = _setting(900, "lifetime of access tokens")
    refresh_token_seconds: int = _setting(14 * 24 * 3600, "lifetime of refresh tokens and sessions")
    lease_seconds: int = _setting(
        30, "a running job whose lease is not renewed for this long is taken as lost and re-queued"
    )
    heartbeat_seconds: float = _setting(5.0, "how often leases are renewed (at most half the lease)")
    poll_seconds: float = _setting(0.5, "how often due jobs are looked for when nothing wakes the dispatcher")
    output_limit_bytes: int = _setting(65536, "stdout/stderr tail kept per attempt")
    max_body_bytes: int = _setting(1024 * 1024, "larger request bodies are refused with 413")
    validate_responses: bool = _setting(False, "validate every response against the spec (for tests)")

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


def setting_fields() -> list[dataclasses.Field]:
    """Every setting, in declaration order, with its help text in `metadata`."""
    return list(dataclasses.fields(Settings))
