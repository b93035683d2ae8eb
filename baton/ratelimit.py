"""Rate limits per principal (per client address when anonymous; logins stricter).

In one process each caller has an aiolimiter bucket of `limit` requests that drains at `limit`
per minute (a burst of up to `limit`, then `limit` a minute). With BATON_REDIS_URL the count lives
in Redis as a sliding window log (one Lua script per request, Redis's clock): at most `limit` in
any 60 seconds, across every server process. If Redis does not answer, the process falls back to
its own buckets rather than refuse or wave through everything."""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol

from aiolimiter import AsyncLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from baton.problems import send_problem
from baton.settings import Settings, parse_limits

__all__ = [
    "Decision",
    "LocalLimiter",
    "RateLimitHeadersMiddleware",
    "RateLimitMiddleware",
    "RedisLimiter",
    "create_limiter",
    "parse_limits",
]

log = logging.getLogger(__name__)
WINDOW = 60.0  # limits are per minute
ANONYMOUS, LOGIN = "anonymous", "login"
LOGIN_OPERATIONS = frozenset({"login", "issue_token"})
# probes of load balancers and orchestrators must never be refused
EXEMPT_OPERATIONS = frozenset({"get_health", "get_ready", "get_healthz"})
_MAX_LOCAL_BUCKETS = 100_000
_BOX = "baton.ratelimit"  # scope key: where the deciding middleware leaves its headers


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset: float  # seconds until the bucket is empty again
    retry_after: float  # seconds until one more request fits (0 when allowed)


class Limiter(Protocol):
    async def hit(self, key: str, limit: int) -> Decision: ...
    async def close(self) -> None: ...


class LocalLimiter:
    def __init__(self) -> None:
        self._buckets: OrderedDict[str, AsyncLimiter] = OrderedDict()

    async def hit(self, key: str, limit: int) -> Decision:
        bucket = self._buckets.get(key)
        if bucket is None or bucket.max_rate != limit:
            bucket = self._buckets[key] = AsyncLimiter(limit, WINDOW)
            if len(self._buckets) > _MAX_LOCAL_BUCKETS:
                self._buckets.popitem(last=False)
        self._buckets.move_to_end(key)
        rate = limit / WINDOW
        allowed = bucket.has_capacity()  # drains the bucket to now first
        if allowed:
            await bucket.acquire()  # has capacity: returns at once
        level = bucket._level  # aiolimiter keeps the level private; it is the bucket's state
        retry = 0.0 if allowed else (level + 1 - limit) / rate
        return Decision(allowed, limit, max(0, math.floor(limit - level)), level / rate, retry)

    async def close(self) -> None:
        self._buckets.clear()


# A sliding window log: KEYS[1] is a sorted set of the caller's accepted requests (score: Redis's
# clock). ARGV: limit, window in seconds, a unique member. At most `limit` in any `window`.
_SLIDING_WINDOW = """
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  count = count + 1
  allowed = 1
end
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2] or now
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2] or now
return {allowed, count, tostring(tonumber(oldest) + window - now), tostring(tonumber(newest) + window - now)}
"""


class RedisLimiter:
    def __init__(self, url: str, prefix: str = "baton:ratelimit:") -> None:
        import redis.asyncio as redis

        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._script = self._redis.register_script(_SLIDING_WINDOW)
        self._prefix = prefix
        self._fallback = LocalLimiter()
        self._down_until = 0.0

    async def hit(self, key: str, limit: int) -> Decision:
        if time.monotonic() >= self._down_until:
            try:
                allowed, count, oldest_expires, newest_expires = await self._script(
                    keys=[self._prefix + key], args=[limit, WINDOW, uuid.uuid4().hex]
                )
            except Exception as exc:  # an outage: keep limiting, per process, and look again soon
                log.warning("rate limits: Redis unavailable (%s); limiting per process for now", exc)
                self._down_until = time.monotonic() + 5
            else:
                retry = 0.0 if allowed else float(oldest_expires)
                return Decision(bool(allowed), limit, limit - int(count), float(newest_expires), retry)
        return await self._fallback.hit(key, limit)

    async def ping(self) -> None:
        """Raise if Redis does not answer (for /health/details)."""
        await self._redis.ping()

    async def close(self) -> None:
        await self._redis.aclose()


def create_limiter(settings: Settings) -> Limiter:
    if settings.redis_url:
        try:
            import redis  # noqa: F401
        except ImportError:
            from baton.backends import BackendError

            raise BackendError(
                "BATON_REDIS_URL needs the Python package 'redis': pip install 'baton[arq]'"
            ) from None
        return RedisLimiter(settings.redis_url)
    return LocalLimiter()


class RateLimitHeadersMiddleware:
    """Outermost: adds the decision's `X-RateLimit-*` headers to whatever answers the request,
    including the error responses Connexion renders from exceptions outside the deciding
    middlewares (a refused token)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        box: dict[str, Any] = {}
        scope[_BOX] = box

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start" and box.get("headers"):
                message["headers"] = [*message.get("headers", []), *_raw(box["headers"])]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RateLimitMiddleware:
    """Counts every request against one bucket and answers 429 once it is full.

    Two instances share one limiter. The outer one (before security) decides for logins (per
    client address, the strict `login` tier) and for requests without credentials (per address,
    `anonymous`). The inner one (before validation) decides for authenticated principals (per
    user, the role's tier, so malformed requests count too) and, per address, for anonymous
    operations called with credentials anyway. Credentials that security refuses count against
    the address too, after the fact; once its allowance is used up they are answered 429, not
    401, so guessing keys or tokens is limited like any anonymous call."""

    def __init__(self, app: ASGIApp, limiter: Limiter, limits: dict[str, int], *, inner: bool) -> None:
        self.app = app
        self.limiter = limiter
        self.limits = limits
        self.inner = inner

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        box = scope.get(_BOX)
        if scope["type"] != "http" or box is None:
            await self.app(scope, receive, send)
        elif self.inner:
            await self._inner(scope, receive, send, box)
        else:
            await self._outer(scope, receive, send, box)

    async def _outer(self, scope: Scope, receive: Receive, send: Send, box: dict) -> None:
        client = _client(scope)
        operation = scope.get("extensions", {}).get("connexion_routing", {}).get("operation_id")
        if operation in EXEMPT_OPERATIONS:
            box["decided"] = True  # never counted, never limited
            await self.app(scope, receive, send)
        elif operation in LOGIN_OPERATIONS:
            await self._decide(scope, receive, send, box, f"ip:{client}:login", LOGIN)
        elif not _has_credentials(scope):
            await self._decide(scope, receive, send, box, f"ip:{client}", ANONYMOUS)
        else:
            await self._credentialed(scope, receive, send, box, client)

    async def _credentialed(self, scope: Scope, receive: Receive, send: Send, box: dict, client: str) -> None:
        started = False

        async def count_if_undecided() -> Decision | None:
            if "decided" in box or ANONYMOUS not in self.limits:
                return None
            box["decided"] = True
            decision = await self.limiter.hit(f"ip:{client}", self.limits[ANONYMOUS])
            box["headers"] = _headers(ANONYMOUS, decision)
            return decision

        async def send_counted(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                await count_if_undecided()
            await send(message)

        try:
            await self.app(scope, receive, send_counted)
        except Exception as exc:
            # security refused the credentials (it raises; Connexion renders the 401 outside)
            decision = await count_if_undecided()
            refused = getattr(exc, "status_code", getattr(exc, "status", None)) == 401
            if started or not refused or decision is None or decision.allowed:
                raise
            await _send_rate_limited(send, scope, ANONYMOUS, decision)

    async def _inner(self, scope: Scope, receive: Receive, send: Send, box: dict) -> None:
        token_info = scope.get("extensions", {}).get("connexion_context", {}).get("token_info")
        if token_info:
            principal = token_info["principal"]
            await self._decide(scope, receive, send, box, f"user:{principal.user_id}", principal.role.value)
        elif "decided" not in box:
            # an anonymous operation called with credentials it does not look at
            await self._decide(scope, receive, send, box, f"ip:{_client(scope)}", ANONYMOUS)
        else:
            await self.app(scope, receive, send)

    async def _decide(
        self, scope: Scope, receive: Receive, send: Send, box: dict, key: str, tier: str
    ) -> None:
        box["decided"] = True  # even when this tier has no limit: nothing else counts it
        if tier not in self.limits:
            await self.app(scope, receive, send)
            return
        decision = await self.limiter.hit(key, self.limits[tier])
        box["headers"] = _headers(tier, decision)
        if decision.allowed:
            await self.app(scope, receive, send)
        else:
            await _send_rate_limited(send, scope, tier, decision)


def _retry_after(decision: Decision) -> int:
    """Whole seconds until one more request fits; the one answer to "when" a refusal gives."""
    return max(1, math.ceil(decision.retry_after))


async def _send_rate_limited(send: Send, scope: Scope, tier: str, decision: Decision) -> None:
    retry_after = str(_retry_after(decision))
    detail = f"More than {decision.limit} requests a minute ({tier}); retry after {retry_after} s"
    await send_problem(
        send, 429, "RATE_LIMITED", detail, instance=scope["path"], headers={"Retry-After": retry_after}
    )


def _client(scope: Scope) -> str:
    return (scope.get("client") or ("unknown", 0))[0]


def _has_credentials(scope: Scope) -> bool:
    return any(name in (b"authorization", b"x-api-key") for name, _ in scope.get("headers", []))


def _headers(tier: str, decision: Decision) -> dict[str, str]:
    # allowed: when the whole allowance is back; refused: when the next request fits, which is
    # what Retry-After says (a client reading either header waits the same time)
    reset = math.ceil(decision.reset) if decision.allowed else _retry_after(decision)
    return {
        "X-RateLimit-Limit": str(decision.limit),
        "X-RateLimit-Remaining": str(decision.remaining),
        "X-RateLimit-Reset": str(reset),
        "RateLimit-Policy": f'"{tier}";q={decision.limit};w={int(WINDOW)}',
    }


def _raw(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode(), value.encode()) for name, value in headers.items()]
