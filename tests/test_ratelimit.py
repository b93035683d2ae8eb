"""Rate limits in one process (aiolimiter buckets): per principal by role, per client address for
anonymous calls and, stricter, for logins; the headers on every limited response; 429 problem+json
with Retry-After. The limit shared across processes through Redis is in tests/security/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import (
    ADMIN_PASSWORD,
    USER_PASSWORD,
    LiveServer,
    ThreadedServer,
    assert_problem,
    make_settings,
)

UNLIMITED = 1_000_000
JOBS = "/api/v1/jobs"


def limits(**tiers: int) -> str:
    every = dict.fromkeys(("admin", "manager", "member", "viewer", "anonymous", "login"), UNLIMITED)
    return ",".join(f"{tier}={value}" for tier, value in {**every, **tiers}.items())


@pytest.fixture
def limited(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    settings = make_settings(tmp_path / "baton.db", rate_limits=limits(**request.param))
    with ThreadedServer(settings) as url:
        yield LiveServer(url, settings)


def new_member(server: LiveServer, admin: httpx.Client, name: str) -> httpx.Client:
    body = {"username": name, "password": USER_PASSWORD, "role": "member"}
    assert admin.post("/api/v1/users", json=body).status_code == 201
    return server.client(server.login(name, USER_PASSWORD)["access_token"])


def assert_rate_limited(response: httpx.Response, tier: str, limit: int) -> None:
    assert_problem(response, 429, "RATE_LIMITED")
    assert 1 <= int(response.headers["retry-after"]) <= 60
    # one answer to "when": a refusal's Reset is when a request fits again, as Retry-After says
    assert response.headers["x-ratelimit-reset"] == response.headers["retry-after"]
    assert response.headers["x-ratelimit-limit"] == str(limit)
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert response.headers["ratelimit-policy"] == f'"{tier}";q={limit};w=60'


@pytest.mark.parametrize("limited", [{"member": 5}], indirect=True)
def test_each_principal_has_its_own_bucket_sized_by_role(limited: LiveServer) -> None:
    admin = limited.client(limited.token("admin"))
    alice, bob = new_member(limited, admin, "alice"), new_member(limited, admin, "bob")
    remaining = []
    for _ in range(5):
        response = alice.get(JOBS)
        assert response.status_code == 200
        assert response.headers["x-ratelimit-limit"] == "5"
        remaining.append(int(response.headers["x-ratelimit-remaining"]))
    assert remaining == [4, 3, 2, 1, 0]
    assert 1 <= int(response.headers["x-ratelimit-reset"]) <= 60
    refused = alice.get(JOBS)
    assert_rate_limited(refused, "member", 5)
    # 5 a minute: the next request fits in 60/5 = 12 s, not sooner
    assert 11 <= int(refused.headers["retry-after"]) <= 12
    # a refused request changed nothing and did not run: a POST is refused too
    assert_rate_limited(alice.post(JOBS, json={"command": ["true"]}), "member", 5)
    assert admin.get(JOBS).json()["data"] == []
    # bob and the admin have buckets of their own
    assert bob.get(JOBS).status_code == 200
    assert admin.get(JOBS).headers["x-ratelimit-limit"] == str(UNLIMITED)


@pytest.mark.parametrize("limited", [{"member": 3}], indirect=True)
def test_invalid_requests_count_too(limited: LiveServer) -> None:
    admin = limited.client(limited.token("admin"))
    carol = new_member(limited, admin, "carol")
    for _ in range(3):
        assert_problem(carol.get(JOBS, params={"limit": "many"}), 400)
    assert_rate_limited(carol.get(JOBS), "member", 3)


@pytest.mark.parametrize("limited", [{"login": 3}], indirect=True)
def test_logins_are_limited_per_address_failed_or_not(limited: LiveServer) -> None:
    with httpx.Client(base_url=limited.url) as anonymous:
        wrong = {"username": "admin", "password": "not-the-password"}
        for _ in range(2):
            assert_problem(anonymous.post("/api/v1/auth/login", json=wrong), 401)
        right = {"username": "admin", "password": ADMIN_PASSWORD}
        response = anonymous.post("/api/v1/auth/login", json=right)
        assert response.status_code == 200 and response.headers["x-ratelimit-remaining"] == "0"
        # even the right password is refused now: a guesser learns nothing more this minute
        assert_rate_limited(anonymous.post("/api/v1/auth/login", json=right), "login", 3)
        form = {"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD}
        assert_rate_limited(anonymous.post("/api/v1/auth/token", data=form), "login", 3)
        # other anonymous calls are another tier
        assert anonymous.get("/info").status_code == 200


@pytest.mark.parametrize("limited", [{"anonymous": 3}], indirect=True)
def test_anonymous_calls_are_limited_per_address_and_probes_never(limited: LiveServer) -> None:
    with httpx.Client(base_url=limited.url) as anonymous:
        for _ in range(10):
            health = anonymous.get("/health")
            assert health.status_code == 200 and "x-ratelimit-limit" not in health.headers
        # credentials security refuses are counted against the address, after the fact
        refused = anonymous.get(JOBS, headers={"Authorization": "Bearer not-a-token"})
        assert_problem(refused, 401)
        assert refused.headers["x-ratelimit-remaining"] == "2"
        assert anonymous.get("/info").headers["x-ratelimit-remaining"] == "1"
        assert anonymous.get("/info").headers["x-ratelimit-remaining"] == "0"
        assert_rate_limited(anonymous.get("/info"), "anonymous", 3)
        assert anonymous.get("/ready").status_code == 200


@pytest.mark.parametrize("limited", [{"anonymous": 3}], indirect=True)
def test_credentials_do_not_buy_anonymous_calls_a_way_around(limited: LiveServer) -> None:
    bogus = {"X-API-Key": "bt_000000000000_" + "a" * 43}
    with httpx.Client(base_url=limited.url) as anonymous:
        # an anonymous operation with credentials it never looks at: still the address's bucket
        assert anonymous.get("/info", headers=bogus).headers["x-ratelimit-remaining"] == "2"
        # refused credentials: counted after the fact while the allowance lasts (401) ...
        assert_problem(anonymous.get(JOBS, headers=bogus), 401, "INVALID_API_KEY")
        assert_problem(anonymous.get(JOBS, headers={"Authorization": "Bearer nope"}), 401)
        # ... and refused with 429 once it is used up, so keys and tokens cannot be guessed freely
        for headers in (bogus, {"Authorization": "Bearer nope"}):
            assert_rate_limited(anonymous.get(JOBS, headers=headers), "anonymous", 3)
        assert_rate_limited(anonymous.get("/info", headers=bogus), "anonymous", 3)
    # a real principal has its own bucket, whatever its address did
    assert limited.client(limited.token("admin")).get(JOBS).status_code == 200


def test_a_tier_without_a_limit_does_not_spend_the_address_allowance(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "baton.db", rate_limits="anonymous=2,login=100")
    with ThreadedServer(settings) as url:
        server = LiveServer(url, settings)
        with server.client(server.token("admin")) as admin:
            for _ in range(5):
                response = admin.get(JOBS)
                assert response.status_code == 200 and "x-ratelimit-limit" not in response.headers
        with httpx.Client(base_url=url) as anonymous:
            assert anonymous.get("/info").headers["x-ratelimit-remaining"] == "1"
