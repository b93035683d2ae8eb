"""The limit holds across server processes: two `baton serve` processes sharing one SQLite
database and one Redis (BATON_REDIS_URL) give a member 100 requests a minute between them, not
100 each. 500 requests, alternating between the two, may be accepted at most 105 times (and with
the sliding window in Redis exactly 100 are); every 429 carries Retry-After. When Redis goes away the
processes keep limiting on their own and keep answering."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, ServerProcess
from tests.faults.harness import RedisProcess

POLICY = 100
REQUESTS = 500
UNLIMITED = 1_000_000


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[ServerProcess, ServerProcess, RedisProcess]]:
    redis_proc = RedisProcess(tmp_path).start()
    limits = f"member={POLICY}," + ",".join(
        f"{tier}={UNLIMITED}" for tier in ("admin", "manager", "viewer", "anonymous", "login")
    )
    env = {
        "BATON_REDIS_URL": redis_proc.url,
        "BATON_RATE_LIMITS": limits,
        "BATON_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    first = ServerProcess(tmp_path / "baton.db", tmp_path / "first.log", **env).start()
    second = ServerProcess(tmp_path / "baton.db", tmp_path / "second.log", **env).start()
    try:
        yield first, second, redis_proc
    finally:
        for server in (first, second):
            server.stop()
        redis_proc.stop()


def login(url: str, username: str, password: str) -> str:
    response = httpx.post(f"{url}/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def test_two_processes_sharing_redis_hold_one_limit(
    pair: tuple[ServerProcess, ServerProcess, RedisProcess],
) -> None:
    first, second, redis_proc = pair
    admin = {"Authorization": f"Bearer {login(first.url, 'admin', ADMIN_PASSWORD)}"}
    body = {"username": "limited", "password": USER_PASSWORD, "role": "member"}
    assert httpx.post(f"{first.url}/api/v1/users", json=body, headers=admin).status_code == 201
    member = {"Authorization": f"Bearer {login(second.url, 'limited', USER_PASSWORD)}"}

    statuses: Counter[int] = Counter()
    per_server: Counter[str] = Counter()

    async def hammer() -> float:
        """All 500 at once (16 in flight): the bucket drains by 100/min while they run, so the
        faster they go, the closer the accepted count must come to the policy."""
        gate = asyncio.Semaphore(16)
        async with httpx.AsyncClient(headers=member, timeout=30) as client:

            async def one(index: int) -> None:
                server = first if index % 2 == 0 else second
                async with gate:
                    response = await client.get(f"{server.url}/api/v1/jobs", params={"limit": 1})
                statuses[response.status_code] += 1
                assert response.headers["x-ratelimit-limit"] == str(POLICY)
                if response.status_code == 200:
                    per_server[server.url] += 1
                else:
                    assert response.status_code == 429, response.text
                    assert response.headers["content-type"] == "application/problem+json"
                    assert response.json()["code"] == "RATE_LIMITED"
                    assert int(response.headers["retry-after"]) >= 1
                    assert response.headers["x-ratelimit-reset"] == response.headers["retry-after"]

            started = time.monotonic()
            await asyncio.gather(*(one(index) for index in range(REQUESTS)))
            return time.monotonic() - started

    elapsed = asyncio.run(hammer())
    accepted, refused = statuses[200], statuses[429]
    print(
        f"\nrate limit {POLICY}/min over 2 processes sharing Redis: {REQUESTS} requests, "
        f"{accepted} accepted ({', '.join(str(n) for n in per_server.values())} per process), "
        f"{refused} refused with 429 + Retry-After, in {elapsed:.2f} s"
    )
    assert accepted + refused == REQUESTS
    # the issue allows 105; the sliding window in Redis gives exactly the policy within a minute
    assert accepted == POLICY <= POLICY + 5
    assert len(per_server) == 2  # both processes served some: the bucket really was shared
    assert redis_proc.client().keys("baton:ratelimit:*")

    # Redis gone: each process limits on its own and keeps answering, no 500
    redis_proc.stop()
    with httpx.Client(headers=admin, timeout=10) as client:
        for server in (first, second):
            response = client.get(f"{server.url}/api/v1/jobs")
            assert response.status_code == 200, response.text
            assert response.headers["x-ratelimit-limit"] == str(UNLIMITED)
