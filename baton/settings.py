"""Settings from `BATON_*` environment variables, each overridable by a CLI flag.

Every value is checked here, so a bad setting stops start-up with one line naming it."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["TIERS", "Settings", "SettingsError", "parse_limits", "redact", "setting_fields"]


def redact(url: str) -> str:
    """The URL with any password replaced, for messages and logs."""
    return re.sub(r"(://[^/@:]*:)[^/]*@", r"\1***@", url)


# rate limit tiers: one per role, anonymous callers (per address) and logins (per address)
TIERS = ("admin", "manager", "member", "viewer", "anonymous", "login")


def parse_limits(text: str) -> dict[str, int]:
    """`admin=1200,member=600,anonymous=120,login=10` -> requests per minute per tier; a tier
    left out has no limit."""
    limits: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = (s.strip() for s in part.partition("="))
        if name not in TIERS:
            raise ValueError(f"{name!r} is not a tier (tiers: {', '.join(TIERS)})")
        if not sep or not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 1_000_000:
            raise ValueError(f"{part!r}: expected {name}=requests-per-minute (1 to 1000000)")
        limits[name] = int(value)
    return limits


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


def _origins(name: str, raw: str) -> str:
    origins = [origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip()]
    for origin in origins:
        if origin != "*" and not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", origin):
            raise SettingsError(f"{name}: {origin!r} is not an origin like https://host[:port] (or *)")
    return ",".join(origins)


def _hash_cost(name: str, raw: str) -> str:
    """t=PASSES,m=KIB,p=LANES, each once: Argon2's own limits (m at least 8 KiB per lane)."""
    parts = dict(part.strip().partition("=")[::2] for part in raw.split(","))
    if sorted(parts) != ["m", "p", "t"]:
        raise SettingsError(f"{name}: expected t=PASSES,m=KIB,p=LANES (e.g. t=3,m=65536,p=4), got {raw!r}")
    t, m, p = (_int(f"{name} {key}", parts[key], 1, 4 * 1024 * 1024) for key in ("t", "m", "p"))
    if p > 64 or m < 8 * p:
        raise SettingsError(f"{name}: p must be 1 to 64 and m at least 8 KiB per lane, got {raw!r}")
    return f"t={t},m={m},p={p}"


_MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


def _setting(default: Any, help: str, *, secret: bool = False) -> Any:
    return field(default=default, repr=not secret, metadata={"help": help, "secret": secret})


@dataclass(frozen=True)
class Settings:
    database_url: str = _setting(
        "sqlite+aiosqlite:///./baton.db",
        "storage URL: sqlite+aiosqlite:///PATH, mysql+aiomysql://USER:PW@HOST/DB (MySQL, MariaDB; "
        "extra 'mysql') or postgresql+asyncpg://USER:PW@HOST/DB (extra 'postgres')",
    )
    executor_url: str = _setting(
        "local://?concurrency=4",
        "executor URL: local://?concurrency=N or arq://HOST:PORT/DB (Redis, with `baton worker`)",
    )
    secret_key: str | None = _setting(
        None,
        "JWT signing key, at least 32 characters; generated once and kept in the database if unset",
        secret=True,
    )
    previous_secret_keys: str | None = _setting(
        None,
        "comma-separated earlier BATON_SECRET_KEYs whose tokens stay valid until they expire (key rotation)",
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
    tasks: str = _setting(
        "",
        "comma-separated Python modules whose registered tasks (@baton.tasks.task) this process runs; "
        "imported at start, with the `baton.tasks` entry-point group",
    )
    log_url: str = _setting(
        "file://./baton-logs",
        "where full job logs go: file://DIR (relative) or file:///ABSOLUTE/DIR, shared by every worker",
    )
    log_max_bytes: int = _setting(
        100 * 1024 * 1024, "most bytes of a job log kept per stream and attempt; the rest is dropped"
    )
    max_body_bytes: int = _setting(1024 * 1024, "larger request bodies are refused with 413")
    forwarded_allow_ips: str = _setting(
        "",
        "comma-separated addresses of reverse proxies whose X-Forwarded-For/-Proto are believed "
        "(the client address for rate limits and the audit log); empty: none",
    )
    cors_origins: str = _setting(
        "",
        "comma-separated browser origins allowed to call the API (CORS), e.g. https://ops.example",
    )
    cors_allow_credentials: bool = _setting(
        False, "let those origins send cookies/Authorization (never together with the origin *)"
    )
    redis_url: str | None = _setting(
        None,
        "redis://HOST:PORT/DB shared by every server and worker process for rate limits and event "
        "signals; unset: per process",
    )
    rate_limits: str = _setting(
        "admin=1200,manager=1200,member=600,viewer=600,anonymous=120,login=10",
        "requests per minute per role, per address for anonymous calls and for logins; a tier "
        "left out is not limited",
    )
    login_failure_limit: int = _setting(
        10,
        "failed logins for one username within 15 minutes (none successful since) after which its "
        "logins are refused until the window passes, from any address; 0 turns this off",
    )
    audit_retention_days: int = _setting(365, "audit events older than this many days are deleted")
    password_hash_cost: str = _setting(
        "t=3,m=65536,p=4",
        "Argon2id cost of the password hashes made from now on: t passes over m KiB of memory in p "
        "lanes (existing hashes keep theirs and still verify); ~0.1 s a login on 2 cores. OWASP's "
        "floor is t=2,m=19456,p=1: go lower only where passwords protect nothing (tests)",
    )
    auth_cache_seconds: float = _setting(
        10.0,
        "how long a server process keeps a verified token, session or API key without asking the "
        "database again; a logout, revocation or role change reaches every process at once through "
        "the event log, this bounds it if that is late; 0 turns the cache off",
    )
    queue_cache_seconds: float = _setting(
        5.0,
        "how long a server process keeps a queue's defaults for the jobs submitted to it without "
        "reading the queue again; a change reaches every process through the event log, this bounds "
        "it if that is late; 0 turns the cache off",
    )
    event_retention_hours: int = _setting(
        72, "events of the event log older than this many hours are deleted (an older resume position is 410)"
    )
    event_stream_buffer: int = _setting(
        1000,
        "events queued per stream (SSE, WebSocket subscription) for a client that reads slowly; "
        "past it the client is cut off and resumes from its last event id",
    )
    ws_compression: bool = _setting(
        False,
        "negotiate permessage-deflate on WebSockets: less bandwidth, but every socket compresses "
        "every event again, which at hundreds of sockets is most of the server's CPU",
    )
    event_poll_seconds: float = _setting(
        0.25,
        "how often each process looks for events committed by others when nothing signals them "
        "(with PostgreSQL or BATON_REDIS_URL a signal wakes them at once; this is then a safety net)",
    )
    validate_responses: bool = _setting(False, "validate every response against the spec (for tests)")
    worker_poll_seconds: float = _setting(
        0.1, "baton worker: how often each queue is polled in Redis for jobs handed out"
    )
    worker_heartbeat_seconds: float = _setting(
        10.0,
        "pull workers: how often each should send a heartbeat; one is online below 2 intervals "
        "since its last, stale below 5, else offline",
    )
    webhook_allow_http: bool = _setting(
        False, "let webhooks use http:// URLs; otherwise only https:// is accepted"
    )
    scheduler_enabled: bool = _setting(
        True,
        "fire schedules from this process; false: this process fires none (others on the same "
        "database do; the schedules API still works)",
    )
    webhook_allow_networks: str = _setting(
        "",
        "comma-separated networks webhooks may reach although they are loopback, private or "
        "link-local, e.g. 10.1.0.0/16 for receivers on premises; empty: public addresses only",
    )
    webhook_timeout_seconds: float = _setting(
        10.0, "longest a webhook delivery attempt may take: lookup, connect, send and answer"
    )
    webhook_retry_schedule: str = _setting(
        "5,300,1800,7200,18000,36000,36000",
        "seconds to wait before each retry of a failed webhook delivery, each varied at random by up "
        "to a tenth; one retry per entry (the default spans about 27 hours)",
    )
    webhook_max_in_flight: int = _setting(
        50,
        "webhook deliveries one server process attempts at once, over every endpoint; 0: this "
        "process sends none (others on the same database do; test messages are still sent)",
    )
    webhook_endpoint_in_flight: int = _setting(
        10,
        "deliveries one server process attempts at once to one endpoint that allows parallel "
        "delivery (an ordered endpoint always gets one at a time)",
    )
    webhook_disable_after_failures: int = _setting(
        5,
        "an endpoint whose last this many messages all failed (every retry used, no success "
        "between) is disabled, once it has been failing for BATON_WEBHOOK_DISABLE_AFTER_SECONDS; "
        "0 never disables",
    )
    webhook_disable_after_seconds: int = _setting(
        86400, "how long an endpoint must have been failing before it is disabled (see above)"
    )

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
            elif name == "audit_retention_days":
                values[name] = _int(env, text, 1, 100 * 365)
            elif name in {"auth_cache_seconds", "queue_cache_seconds"}:
                values[name] = _float(env, text, 0, 300)
            elif name == "event_retention_hours":
                values[name] = _int(env, text, 1, 10 * 365 * 24)
            elif name == "event_stream_buffer":
                values[name] = _int(env, text, 1, 1_000_000)
            elif name == "event_poll_seconds":
                values[name] = _float(env, text, 0.01, 60)
            elif name == "password_hash_cost":
                values[name] = _hash_cost(env, text)
            elif name == "login_failure_limit":
                values[name] = _int(env, text, 0, 1_000_000)
            elif name == "max_body_bytes":
                values[name] = _int(env, text, 1024, 1024 * 1024 * 1024)
            elif name == "log_max_bytes":
                values[name] = _int(env, text, 1024, 1024**4)
            elif name == "output_limit_bytes":
                values[name] = _int(env, text, 1024, 16 * 1024 * 1024)
            elif name == "heartbeat_seconds":
                values[name] = _float(env, text, 0.05, 600)
            elif name == "poll_seconds":
                values[name] = _float(env, text, 0.01, 60)
            elif name == "worker_poll_seconds":
                values[name] = _float(env, text, 0.005, 60)
            elif name == "worker_heartbeat_seconds":
                values[name] = _float(env, text, 0.1, 3600)
            elif name == "webhook_max_in_flight":
                values[name] = _int(env, text, 0, 10_000)
            elif name == "webhook_endpoint_in_flight":
                values[name] = _int(env, text, 1, 10_000)
            elif name == "webhook_disable_after_failures":
                values[name] = _int(env, text, 0, 1_000_000)
            elif name == "webhook_disable_after_seconds":
                values[name] = _int(env, text, 0, 365 * 24 * 3600)
            elif name == "webhook_timeout_seconds":
                values[name] = _float(env, text, 0.1, 300)
            elif name in {
                "validate_responses",
                "cors_allow_credentials",
                "webhook_allow_http",
                "scheduler_enabled",
                "ws_compression",
            }:
                values[name] = _bool(env, text)
            elif name == "cors_origins":
                values[name] = _origins(env, text)
            elif name == "rate_limits":
                try:
                    parse_limits(text)
                except ValueError as exc:
                    raise SettingsError(f"{env}: {exc}") from None
                values[name] = text
            elif name == "webhook_allow_networks":
                from baton.netguard import parse_networks

                try:
                    networks = parse_networks(text)
                except ValueError as exc:
                    raise SettingsError(f"{env}: {exc}") from None
                values[name] = ",".join(str(net) for net in networks)
            elif name == "webhook_retry_schedule":
                from baton.webhook_retry import parse_schedule

                try:
                    schedule = parse_schedule(text)
                except ValueError as exc:
                    raise SettingsError(f"{env}: {exc}") from None
                values[name] = ",".join(str(int(d)) if d.is_integer() else str(d) for d in schedule)
            elif name == "tasks":
                modules = [part.strip() for part in text.split(",") if part.strip()]
                bad = [m for m in modules if not _MODULE.fullmatch(m)]
                if bad:
                    raise SettingsError(f"{env}: {bad[0]!r} is not a module name (e.g. app.tasks,other)")
                values[name] = ",".join(modules)
            elif name == "redis_url":
                if text.strip() and not text.strip().startswith(("redis://", "rediss://", "unix://")):
                    raise SettingsError(f"{env}: expected redis://HOST:PORT/DB, got {redact(text)!r}")
                values[name] = text.strip() or None
            elif name == "log_level":
                if text.lower() not in {"critical", "error", "warning", "info", "debug"}:
                    raise SettingsError(
                        f"{env}: expected critical, error, warning, info or debug, got {text!r}"
                    )
                values[name] = text.lower()
            elif name == "previous_secret_keys":
                if any(len(key.strip()) < 32 for key in text.split(",") if key.strip()):
                    raise SettingsError(f"{env}: every key must be at least 32 characters long")
                values[name] = text
            elif name == "secret_key":
                if len(text) < 32:
                    raise SettingsError(f"{env}: must be at least 32 characters long")
                values[name] = text
            elif name in {"database_url", "executor_url", "log_url", "host", "admin_username"}:
                if not text.strip():
                    raise SettingsError(f"{env}: must not be empty")
                values[name] = text.strip()
            else:
                values[name] = text
        settings = cls(**values)
        if settings.cors_allow_credentials and "*" in settings.cors_origins.split(","):
            raise SettingsError(
                "BATON_CORS_ALLOW_CREDENTIALS: not with BATON_CORS_ORIGINS=* (any site could act as the user)"
            )
        if settings.heartbeat_seconds * 2 > settings.lease_seconds:
            raise SettingsError(
                "BATON_HEARTBEAT_SECONDS: must be at most half of BATON_LEASE_SECONDS "
                f"({settings.heartbeat_seconds} > {settings.lease_seconds}/2)"
            )
        return settings


def setting_fields() -> list[dataclasses.Field]:
    """Every setting, in declaration order, with its help text in `metadata`."""
    return list(dataclasses.fields(Settings))
