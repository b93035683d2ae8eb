"""One webhook delivery attempt: sign, POST, and say what happened, never raising for the network.

The transport is an httpcore connection pool (httpx's engine) whose network backend resolves the
host, checks every address with the SSRF guard and connects to a checked address. So the request
keeps its URL: the Host header, TLS SNI and certificate verification all use the host name, while
the socket goes only where the guard looked (no DNS-rebinding window). Pooled connections are keyed
by scheme, host and port, so one is only reused for the same host name it was verified for. There
are no proxies and no redirects: a 3xx is a failed attempt that names its Location."""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import math
import socket
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

import httpcore
import httpx

from baton import __version__
from baton.netguard import (
    Resolver,
    TargetPolicy,
    UnsafeTarget,
    WebhookTarget,
    check_url,
    resolve_and_check,
)
from baton.webhook_signing import check_payload_size, signature_headers

if TYPE_CHECKING:
    from baton.settings import Settings

__all__ = [
    "BODY_HEAD_BYTES",
    "USER_AGENT",
    "AttemptResult",
    "GuardedBackend",
    "WebhookSender",
    "parse_retry_after",
]

BODY_HEAD_BYTES = 4096  # of a receiver's answer, kept for the delivery log
USER_AGENT = f"Baton-Webhooks/{__version__}"
ErrorKind = Literal["timeout", "network", "unsafe_target", "redirect"]


@dataclass(frozen=True)
class AttemptResult:
    """What one attempt came to: an HTTP status, or an error without one (`status` None)."""

    status: int | None
    duration: float  # seconds, from the start of the lookup to the end of the answer kept
    error: str | None = None  # why it failed when the status alone does not say
    error_kind: ErrorKind | None = None
    body_head: bytes = b""  # the first BODY_HEAD_BYTES of the answer, as sent (not decompressed)
    retry_after: float | None = None  # seconds, from the answer's Retry-After
    location: str | None = None  # where a 3xx pointed (not followed)
    remote_address: str | None = None  # the address connected to

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def describe(self) -> str:
        """One line for the delivery log: `HTTP 503`, `timed out after 10 s`, …"""
        if self.status is None:
            return self.error or "no answer"
        return f"HTTP {self.status}" + (f": {self.error}" if self.error else "")


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After asks to wait, from delay-seconds or an HTTP-date (RFC 9110 §10.2.3);
    None when absent or unreadable; 0 for a date in the past."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP-dates are GMT; "-0000" parses as naive
        when = when.replace(tzinfo=UTC)
    now = time.time() if now is None else now
    seconds = (when - datetime.fromtimestamp(now, UTC)).total_seconds()
    return max(0.0, seconds) if math.isfinite(seconds) else None


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses `resolve_and_check` approved, trying each in turn."""

    def __init__(
        self,
        policy: TargetPolicy,
        resolver: Resolver | None = None,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._policy = policy
        self._resolver = resolver
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve_and_check(host, port, self._policy, resolver=self._resolver)
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # resolve_and_check returns at least one address
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        raise UnsafeTarget("webhooks are never sent to a Unix socket")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class WebhookSender:
    """Sends signed webhook attempts; share one per process and `aclose` it at shutdown."""

    def __init__(
        self,
        policy: TargetPolicy,
        *,
        timeout: float = 10.0,
        resolver: Resolver | None = None,
        ssl_context: ssl.SSLContext | None = None,
        max_connections: int = 100,
        network: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self.policy = policy
        self.timeout = timeout
        # certifi's roots, or SSL_CERT_FILE / SSL_CERT_DIR when set (as httpx does)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=min(20, max_connections),
            keepalive_expiry=30.0,
            # `network`: what the guard connects with (tests confine it to this machine)
            network_backend=GuardedBackend(policy, resolver, network),
        )

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> WebhookSender:
        options.setdefault("timeout", settings.webhook_timeout_seconds)
        return cls(TargetPolicy.from_settings(settings), **options)

    async def __aenter__(self) -> WebhookSender:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._pool.aclose()

    async def send(
        self,
        url: str,
        body: bytes,
        *,
        msg_id: str,
        secrets: Sequence[str],
        timestamp: int | None = None,
    ) -> AttemptResult:
        """POST `body` (JSON) to `url`, signed with every secret; the whole attempt (lookup,
        connect, TLS, send, answer) is bounded by `self.timeout`. Raises only for the caller's own
        mistakes (a bad secret or id, a body over the cap)."""
        check_payload_size(body)
        timestamp = int(time.time()) if timestamp is None else timestamp
        headers = signature_headers(secrets, msg_id, timestamp, body)
        timeout = self.timeout
        started = time.monotonic()
        try:
            target = check_url(url, self.policy)  # the policy may have changed since it was stored
            async with asyncio.timeout(timeout):
                return await self._post(target, body, headers, started)
        except TimeoutError:
            return self._failed(started, f"timed out after {timeout:g} s", "timeout")
        except httpcore.TimeoutException as exc:
            return self._failed(started, f"timed out after {timeout:g} s ({type(exc).__name__})", "timeout")
        except UnsafeTarget as exc:
            return self._failed(started, f"refused: {exc.reason}", "unsafe_target")
        except (httpcore.NetworkError, httpcore.ProtocolError, OSError) as exc:
            return self._failed(started, _network_error(exc), "network")

    async def _post(
        self, target: WebhookTarget, body: bytes, headers: dict[str, str], started: float
    ) -> AttemptResult:
        headers = {
            "host": target.netloc,
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            **headers,
        }
        url = httpcore.URL(scheme=target.scheme, host=target.host, port=target.port, target=target.target)
        # per-phase limits too, in case the pool is ever used without the overall one
        extensions = {"timeout": dict.fromkeys(("connect", "read", "write", "pool"), self.timeout)}
        request = self._pool.stream("POST", url, headers=headers, content=body, extensions=extensions)
        async with request as answer:
            redirect = 300 <= answer.status < 400
            head = bytearray()
            if not redirect:
                async with contextlib.aclosing(answer.aiter_stream()) as chunks:
                    async for chunk in chunks:
                        head += chunk[: BODY_HEAD_BYTES - len(head)]
                        if len(head) >= BODY_HEAD_BYTES:
                            break  # the rest is not read; the connection is closed, not reused
            answer_headers = httpx.Headers(answer.headers)
            location = answer_headers.get("location") if redirect else None
            stream = answer.extensions.get("network_stream")
            peer = stream.get_extra_info("server_addr") if stream is not None else None
            return AttemptResult(
                status=answer.status,
                duration=time.monotonic() - started,
                error=f"redirected to {location or '(no Location)'}; redirects are not followed"
                if redirect
                else None,
                error_kind="redirect" if redirect else None,
                body_head=bytes(head),
                retry_after=parse_retry_after(answer_headers.get("retry-after")),
                location=location,
                remote_address=str(peer[0]) if peer else None,
            )

    @staticmethod
    def _failed(started: float, error: str, kind: ErrorKind) -> AttemptResult:
        return AttemptResult(status=None, duration=time.monotonic() - started, error=error, error_kind=kind)


def _network_error(exc: BaseException) -> str:
    """One line without a traceback: `could not connect: All connection attempts failed`, …"""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, socket.gaierror):
        return f"lookup failed: {text}"
    if isinstance(exc, httpcore.ConnectError):
        return f"could not connect: {text}"
    if isinstance(exc, httpcore.ProtocolError):
        return f"not a valid HTTP answer: {text}"
    return f"connection failed: {text}"
