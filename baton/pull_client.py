"""The HTTP side of `baton worker --server URL` (issue 4): the API a pull worker talks to.

Split out of baton/pull_worker.py (the worker loop: slots, commands, leases, drain) so that each
side can be read on its own: this module knows the URLs, the credentials and what an answer means
for trying again, and nothing of jobs or processes.

- Credentials: an API key (`X-API-Key`), a bearer token, or a username and password (login;
  refresh at three quarters of the access token's life; log in again when the refresh is
  refused). Refused credentials (401, or 403: no workers:write) raise AuthRefused.
- Network errors, timeouts, 5xx and 429 raise Unreachable (with the Retry-After it asked for);
  `call()` retries them with backoff, `request()` leaves that to the caller, which knows how long
  the answer is worth waiting for (a lease extension, a report, a registration).
- The typed calls (register, heartbeat, claim, extend_lease, complete, fail, drain, deregister)
  return the server's answer: what a 404 or 409 means is the worker's business.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from baton import __version__

__all__ = [
    "API",
    "BACKOFF_FIRST_SECONDS",
    "BACKOFF_MAX_SECONDS",
    "CLAIM_WAIT_SECONDS",
    "REQUEST_TIMEOUT_SECONDS",
    "AuthRefused",
    "Credentials",
    "PullClient",
    "Unreachable",
    "detail",
    "error_code",
]

# A child of the worker's logger: log levels and handlers set for "baton.pull_worker" keep
# covering the retries that were logged under that name before the split.
log = logging.getLogger("baton.pull_worker.client")

API = "/api/v1"
CLAIM_WAIT_SECONDS = 20  # the long poll: the server answers as soon as a job can be taken
REQUEST_TIMEOUT_SECONDS = 15.0
BACKOFF_FIRST_SECONDS, BACKOFF_MAX_SECONDS = 0.5, 10.0
RETRY_AFTER_MAX_SECONDS = 60.0


class Unreachable(Exception):
    """No usable answer (network error, timeout, 5xx, 429): worth trying again later."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class AuthRefused(Exception):
    """The server refuses the credentials (401): trying again cannot help."""


@dataclass(frozen=True)
class Credentials:
    api_key: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def describe(self) -> str:
        if self.api_key:
            return "API key"
        if self.token:
            return "bearer token"
        return f"login of {self.username}"


def detail(response: httpx.Response) -> str:
    """The error's code and detail, for a log line."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        return " ".join(str(body[k]) for k in ("code", "detail") if body.get(k)) or str(body)[:200]
    return str(body)[:200]


def error_code(response: httpx.Response) -> str | None:
    """The answer's `code` (e.g. WORKER_DRAINING), None without one."""
    with contextlib.suppress(ValueError, AttributeError):
        return response.json().get("code")
    return None


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return min(float(value), RETRY_AFTER_MAX_SECONDS) if value.isdigit() else None


class PullClient:
    """The API with this worker's credentials: tokens renewed as needed, and every answer that
    says "try again later" turned into Unreachable."""

    def __init__(
        self, server: str, credentials: Credentials, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=server + API,
            timeout=REQUEST_TIMEOUT_SECONDS,
            transport=transport,
            headers={"User-Agent": f"baton-worker/{__version__}"},
        )
        self._credentials = credentials
        self._access = credentials.token
        self._refresh: str | None = None
        self._renew_at = math.inf  # monotonic time to refresh the access token (login only)
        self._generation = 0  # counts token renewals, so concurrent 401s renew once
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        await self._client.aclose()

    # -- the calls a pull worker makes (docs/workers.md) ----------------------------------------------
    # Each says whether it retries: those whose answer the worker can wait for use call(), the
    # others request(), their callers deciding how long trying again is worth it.

    async def register(
        self,
        *,
        name: str,
        hostname: str,
        queues: list[str],
        labels: dict[str, str],
        capacity: int,
        tasks: list[str] | None = None,
    ) -> httpx.Response:
        """POST /workers, once (the worker's registration loop also watches for a stop)."""
        body = {"name": name, "hostname": hostname, "queues": queues, "labels": labels, "capacity": capacity}
        if tasks:
            body["tasks"] = tasks
        return await self.request("POST", "/workers", body)

    async def heartbeat(self, worker_id: str | None, load: int) -> httpx.Response:
        """Once: the next heartbeat is the retry."""
        return await self.request("POST", f"/workers/{worker_id}/heartbeat", {"load": load})

    async def claim(self, worker_id: str | None, *, max_jobs: int, lease_seconds: int) -> httpx.Response:
        """The long poll, retried until answered (cancel the task to give up)."""
        body = {"max_jobs": max_jobs, "lease_seconds": lease_seconds, "wait_seconds": CLAIM_WAIT_SECONDS}
        return await self.call(
            "POST",
            f"/workers/{worker_id}/claim",
            body,
            answer_within=CLAIM_WAIT_SECONDS + REQUEST_TIMEOUT_SECONDS,
        )

    async def extend_lease(
        self, job_id: str, *, worker_id: str | None, attempt: int, lease_seconds: int, answer_within: float
    ) -> httpx.Response:
        """Once: the caller retries sooner than usual, as the lease is running out."""
        body = {"worker_id": worker_id, "attempt": attempt, "lease_seconds": lease_seconds}
        return await self.request("POST", f"/jobs/{job_id}/lease", body, answer_within=answer_within)

    async def complete(self, job_id: str, report: dict[str, Any]) -> httpx.Response:
        """Once: the caller retries while the job's lease holds."""
        return await self.request("POST", f"/jobs/{job_id}/complete", report)

    async def fail(self, job_id: str, report: dict[str, Any]) -> httpx.Response:
        """Once: the caller retries while the job's lease holds."""
        return await self.request("POST", f"/jobs/{job_id}/fail", report)

    async def drain(self, worker_id: str | None, *, until: float) -> httpx.Response:
        """Retried until the monotonic time `until`."""
        return await self.call("POST", f"/workers/{worker_id}/drain", until=until)

    async def deregister(self, worker_id: str | None, *, until: float) -> httpx.Response:
        """Retried until the monotonic time `until`."""
        return await self.call("DELETE", f"/workers/{worker_id}", until=until)

    # -- requests ---------------------------------------------------------------------------------

    async def request(
        self, method: str, path: str, body: Any = None, *, answer_within: float | None = None
    ) -> httpx.Response:
        """One request (plus one more after renewing a refused token); the answer if it is one
        to act on (2xx, 4xx but 401), else Unreachable; AuthRefused for refused credentials."""
        renewed = False
        while True:
            headers = await self._headers()
            generation = self._generation
            try:
                response = await self._client.request(
                    method, path, json=body, headers=headers, timeout=answer_within or REQUEST_TIMEOUT_SECONDS
                )
            except httpx.HTTPError as exc:
                raise Unreachable(f"{method} {path}: {type(exc).__name__} {exc}".strip()) from None
            if response.status_code == 401:
                if self._credentials.username and not renewed:
                    renewed = True
                    await self._renew(generation, force=True)
                    continue
                raise AuthRefused(
                    f"the server refused the {self._credentials.describe()} (401 {detail(response)})"
                )
            if response.status_code == 403:
                # the account (or key) lacks workers:write: nothing this worker does can succeed
                raise AuthRefused(
                    f"{method} {path}: the {self._credentials.describe()} is not allowed to act as a "
                    f"worker (403 {detail(response)})"
                )
            if response.status_code == 429 or response.status_code >= 500:
                raise Unreachable(
                    f"{method} {path}: {response.status_code} {detail(response)}", _retry_after(response)
                )
            if response.is_success and response.content and not isinstance(_json(response), dict):
                # not the server's answer (a proxy's page?): as good as none
                raise Unreachable(f"{method} {path}: {response.status_code} answer is not a JSON object")
            return response

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        until: float | None = None,
        answer_within: float | None = None,
    ) -> httpx.Response:
        """request(), tried again with backoff while the server cannot be reached, until the
        monotonic time `until` (None: for as long as it takes; cancel the task to give up)."""
        delay = BACKOFF_FIRST_SECONDS
        while True:
            try:
                return await self.request(method, path, body, answer_within=answer_within)
            except Unreachable as exc:
                wait = exc.retry_after if exc.retry_after is not None else delay * random.uniform(0.8, 1.2)
                if until is not None and time.monotonic() + wait > until:
                    raise
                log.warning("%s; trying again in %.1fs", exc, wait)
                await asyncio.sleep(wait)
                delay = min(delay * 2, BACKOFF_MAX_SECONDS)

    # -- credentials ------------------------------------------------------------------------------

    async def _headers(self) -> dict[str, str]:
        if self._credentials.api_key:
            return {"X-API-Key": self._credentials.api_key}
        if self._credentials.username and (self._access is None or time.monotonic() >= self._renew_at):
            await self._renew(self._generation)
        return {"Authorization": f"Bearer {self._access}"}

    async def _renew(self, generation: int, *, force: bool = False) -> None:
        """A new access token: by the refresh token, else by logging in again. Callers that saw
        the same token go stale renew it once between them."""
        async with self._lock:
            if generation != self._generation:
                return  # renewed by someone else meanwhile
            if not force and self._access is not None and time.monotonic() < self._renew_at:
                return
            if self._refresh is not None:
                response = await self._post_auth("/auth/refresh", {"refresh_token": self._refresh})
                if response.status_code == 200:
                    self._take(response)
                    return
                log.info("refresh token refused (%s); logging in again", response.status_code)
                self._refresh = None
            credentials = self._credentials
            login = {"username": credentials.username, "password": credentials.password}
            response = await self._post_auth("/auth/login", login)
            if response.status_code != 200:
                raise AuthRefused(
                    f"the server refused the login of {credentials.username} "
                    f"({response.status_code} {detail(response)})"
                )
            self._take(response)

    async def _post_auth(self, path: str, body: dict[str, Any]) -> httpx.Response:
        try:
            response = await self._client.post(path, json=body)
        except httpx.HTTPError as exc:
            raise Unreachable(f"POST {path}: {type(exc).__name__} {exc}".strip()) from None
        if response.status_code == 429 or response.status_code >= 500:
            raise Unreachable(
                f"POST {path}: {response.status_code} {detail(response)}", _retry_after(response)
            )
        return response

    def _take(self, response: httpx.Response) -> None:
        tokens = response.json()
        self._access, self._refresh = tokens["access_token"], tokens["refresh_token"]
        # renew at three quarters of the access token's life: never send an expired one
        self._renew_at = time.monotonic() + max(1.0, 0.75 * float(tokens.get("expires_in", 60)))
        self._generation += 1
